"""``pyst-config``: show what Asterisk makes of ``.conf`` files, and lint them.

``pyst-config show --json [--confdir DIR] FILE...`` prints one JSON object per file, one
per line (a contract other tools rely on); without ``--json`` it prints the same view in
.conf syntax for people.  ``pyst-config check FILE...`` prints the diagnostics and exits 1
when a file would not load (or, with ``--strict``, when there is any warning).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from pyst.config._lexer import encode
from pyst.config._loader import Loader
from pyst.config._model import Category, Config


def config_to_json(config: Config) -> dict[str, Any]:
    """The JSON object ``pyst-config show --json`` prints for one file."""
    return {
        "file": config.file,
        "loaded": config.loaded,
        "categories": [
            {
                "name": category.name,
                "template": category.template,
                "inherits": list(category.inherits),
                "variables": [
                    {
                        "name": variable.name,
                        "value": variable.value,
                        "object": variable.object,
                        "file": variable.file,
                        "line": variable.line,
                    }
                    for variable in category.variables
                ],
            }
            for category in config.categories
        ],
        "diagnostics": [
            {
                "severity": diagnostic.severity.value,
                "code": diagnostic.code,
                "message": diagnostic.message,
                "file": diagnostic.file,
                "line": diagnostic.line,
                "column": diagnostic.column,
            }
            for diagnostic in config.diagnostics
        ],
    }


def _header(category: Category) -> str:
    """The header line of the view: parents go in a comment, since the lines below
    already hold what they gave (writing both would copy them twice)."""
    header = "[" + category.name.replace(";", "\\;") + "]" + ("(!)" if category.template else "")
    if category.inherits:
        header += "  ; inherits " + ", ".join(category.inherits)
    return header


def _one_line(text: str) -> str:
    """``text`` for a ``;`` comment line: line breaks shown as ``\\n``/``\\r``."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def _name(name: str) -> str:
    """A variable name written so Asterisk reads it back (a leading \\ escape where needed)."""
    written = name.replace(";", "\\;")
    if name[:1] in ("[", "#", "\\", "="):
        written = "\\" + written
    return written


def write_human(config: Config, out: TextIO) -> None:
    """Print ``config`` in .conf syntax, with its status and diagnostics as comments.

    The view is itself a config that loads to the same categories and variables.
    """
    status = "loads" if config.loaded else "does NOT load (Asterisk refuses it)"
    out.write(f";; {_one_line(config.file)}: {status}\n")
    for diagnostic in config.diagnostics:
        out.write(f";; {_one_line(str(diagnostic))}\n")
    for category in config.categories:
        out.write(f"\n{_header(category)}\n")
        names = [_name(v.name) for v in category.variables]
        width = max((len(n) for n in names), default=0)
        rows = []
        for name, variable in zip(names, category.variables, strict=True):
            operator = "=>" if variable.object else "="
            value = variable.value.replace(";", "\\;")
            origin = f"line {variable.line}"
            if variable.file != config.file:
                origin = f"{variable.file}:{variable.line}"
            if variable.inherited:
                origin += ", inherited"
            rows.append((f"{name:<{width}} {operator} {value}".rstrip(), origin))
        column = min(max((len(text) for text, _ in rows), default=0), 60)
        for text, origin in rows:
            out.write(f"{text:<{column}}  ; {_one_line(origin)}\n")


def _printable(text: str) -> str:
    return encode(text).decode("utf-8", "replace")


def _write_bytes(out: TextIO, text: str) -> None:
    """Write ``text`` with the file's own bytes (Latin-1 stays Latin-1) where possible."""
    binary = getattr(out, "buffer", None)
    if binary is None:
        out.write(_printable(text))
        return
    out.flush()
    binary.write(encode(text))
    binary.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader went away (``pyst-config show … | head``): stop quietly, and keep
        # Python from complaining again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _main(argv: Sequence[str] | None) -> int:
    parser = argparse.ArgumentParser(
        prog="pyst-config",
        description="Show what Asterisk's loader makes of .conf files, and lint them.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    show = commands.add_parser("show", help="print the categories Asterisk would load")
    check = commands.add_parser("check", help="report problems; exit 1 if a file would not load")
    for command in (show, check):
        command.add_argument("files", nargs="+", metavar="FILE")
        command.add_argument(
            "--confdir", metavar="DIR",
            help="Asterisk's config directory, for relative #include paths "
            "(default: each file's folder)",
        )
        command.add_argument(
            "--exec-includes", action="store_true",
            help="run #exec commands (Asterisk's execincludes option; off by default)",
        )
    show.add_argument("--json", action="store_true", help="one JSON object per file, per line")
    check.add_argument(
        "--strict", action="store_true",
        help="exit 1 on any diagnostic (warnings, and errors inside included files) too",
    )
    args = parser.parse_args(argv)

    loader = Loader(confdir=args.confdir, exec_includes=args.exec_includes)
    out = sys.stdout
    status = 0
    for index, file in enumerate(args.files):
        config = loader.load_path(file)
        if args.command == "show":
            if args.json:
                out.write(json.dumps(config_to_json(config)) + "\n")
            else:
                if index:
                    out.write("\n")
                buffer = io.StringIO()
                write_human(config, buffer)
                _write_bytes(out, buffer.getvalue())
        else:
            for diagnostic in config.diagnostics:
                out.write(_printable(str(diagnostic)) + "\n")
            failed = not config.loaded or (args.strict and bool(config.diagnostics))
            if failed:
                status = 1
            verdict = "FAILS" if not config.loaded else ("ok" if not failed else "warnings")
            out.write(f"{_printable(file)}: {verdict}\n")
    out.flush()
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""``pyst-config show``: what Asterisk's loader makes of ``.conf`` files.

``pyst-config show --json [--confdir DIR] [--asterisk VERSION] FILE...`` prints one JSON
object per file, one per line (a contract other tools rely on); without ``--json`` it prints
the same view in .conf syntax for people.  Both say which Asterisk's loader was re-enacted.
"""

from __future__ import annotations

import argparse
import io
import json
from typing import Any, TextIO

from pyst.cli._output import write_bytes
from pyst.config import ASTERISK_VERSIONS, DEFAULT_ASTERISK, Category, Config, Loader


def config_to_json(config: Config) -> dict[str, Any]:
    """The JSON object ``pyst-config show --json`` prints for one file."""
    return {
        "file": config.file,
        "asterisk": config.asterisk.name,
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
    out.write(f";; {_one_line(config.file)}: {status} (read as Asterisk {config.asterisk})\n")
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


def register(commands: Any) -> None:
    """Add ``show`` to the ``pyst-config`` subcommands."""
    show = commands.add_parser(
        "show", help="print the categories Asterisk would load",
        description="Print what Asterisk's loader makes of each FILE.",
    )
    add_load_options(show)
    show.add_argument("--json", action="store_true", help="one JSON object per file, per line")
    show.set_defaults(handler=run)


def add_load_options(command: argparse.ArgumentParser) -> None:
    """The FILE arguments and loader options shared by the commands that read files."""
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
    command.add_argument(
        "--asterisk", metavar="VERSION", choices=list(ASTERISK_VERSIONS),
        default=DEFAULT_ASTERISK.name,
        help="the Asterisk that reads the files: " + ", ".join(ASTERISK_VERSIONS)
        + f" (default {DEFAULT_ASTERISK.name}, the newest long-term release)",
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Print each file's view; always 0 (a file that does not load is still shown)."""
    loader = Loader(
        confdir=args.confdir, exec_includes=args.exec_includes, asterisk=args.asterisk
    )
    for index, file in enumerate(args.files):
        config = loader.load_path(file)
        if args.json:
            out.write(json.dumps(config_to_json(config)) + "\n")
            continue
        if index:
            out.write("\n")
        buffer = io.StringIO()
        write_human(config, buffer)
        write_bytes(out, buffer.getvalue())
    return 0

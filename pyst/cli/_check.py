"""``pyst-config check``: report what Asterisk's loader would log, exit 1 on failure."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from pyst.cli._output import printable
from pyst.cli._show import add_load_options
from pyst.config import Loader


def register(commands: Any) -> None:
    """Add ``check`` to the ``pyst-config`` subcommands."""
    check = commands.add_parser(
        "check", help="report problems; exit 1 if a file would not load",
        description="Print the loader's diagnostics for each FILE.",
    )
    add_load_options(check)
    check.add_argument(
        "--strict", action="store_true",
        help="exit 1 on any diagnostic (warnings, and errors inside included files) too",
    )
    check.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Print diagnostics and a verdict per file; 1 when a file fails."""
    loader = Loader(
        confdir=args.confdir, exec_includes=args.exec_includes, asterisk=args.asterisk
    )
    status = 0
    for file in args.files:
        config = loader.load_path(file)
        for diagnostic in config.diagnostics:
            out.write(printable(str(diagnostic)) + "\n")
        failed = not config.loaded or (args.strict and bool(config.diagnostics))
        if failed:
            status = 1
        verdict = "FAILS" if not config.loaded else ("ok" if not failed else "warnings")
        out.write(f"{printable(file)}: {verdict}\n")
    return status

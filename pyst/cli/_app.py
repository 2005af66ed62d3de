"""The ``pyst-config`` argument parser and the table of its subcommands."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from pyst.cli import _check, _dialplan, _lint, _show

# Each module adds its subcommand(s) with ``register(subparsers)`` and sets ``handler``.
COMMAND_MODULES = (_show, _check, _lint, _dialplan)


def build_parser() -> argparse.ArgumentParser:
    """The parser of the whole command line, every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="pyst-config",
        description="Read, check and edit Asterisk .conf files as Asterisk reads them.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    try:
        args = build_parser().parse_args(argv)
        status: int = args.handler(args, sys.stdout)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        # The reader went away (``pyst-config show … | head``): stop quietly, and keep
        # Python from complaining again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1

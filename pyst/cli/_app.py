"""The ``pyst-config`` argument parser and the table of its subcommands."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from pyst.cli import (
    _apply,
    _check,
    _comments,
    _dialplan,
    _get,
    _graph,
    _keys,
    _lint,
    _sections,
    _show,
)

# Each module adds its subcommand(s) with ``register(subparsers)`` and sets ``handler``.
COMMAND_MODULES = (
    _show, _check, _lint, _dialplan, _get, _keys, _sections, _comments, _apply, _graph,
)


def version() -> str:
    """The installed version of the ``pyst-pbx`` distribution (``unknown`` if it is not
    installed, e.g. when run from a source tree)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as distribution_version

    try:
        return distribution_version("pyst-pbx")
    except PackageNotFoundError:
        return "unknown (pyst-pbx is not installed)"


class _VersionAction(argparse.Action):
    """``--version``, looked up only when asked for (the lookup scans installed packages,
    which would slow every command down)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        sys.stdout.write(f"{parser.prog} (pyst-pbx) {version()}\n")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The parser of the whole command line, every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="pyst-config",
        description="Read, check and edit Asterisk .conf files as Asterisk reads them.",
        epilog="exit codes: 0 done or nothing to do; 1 --check found changes (get: not "
        "found; check, lint: findings); 2 usage or I/O error; 3 edit refused (it would "
        "change what Asterisk reads elsewhere). 'pyst-config COMMAND --help' has examples.",
    )
    parser.add_argument(
        "--version", action=_VersionAction, help="print the version of pyst-pbx and exit"
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

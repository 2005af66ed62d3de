"""``pyst-config apply CHANGES FILE``: bring FILE to the state a change file describes.

CHANGES is TOML (read with the standard library's ``tomllib`` on Python 3.11+, or the
``tomli`` package on 3.10) or JSON; the format is in ``docs/cli.md`` and
:mod:`pyst.config._editing.apply`.  The smallest edits are made, the diff is printed, and a second
run changes nothing ("no changes", the file byte-identical).  ``--check`` exits 1 when
something would change.
"""

from __future__ import annotations

import argparse
import importlib
import json
from pathlib import Path
from typing import Any, TextIO

from pyst.cli._edit import (
    USAGE_ERROR,
    CommandError,
    Target,
    add_edit_options,
    error,
    example_epilog,
    help_formatter,
    run_edit,
)

# Not exported from pyst.config yet (the lead exports it as pyst.config.apply).
from pyst.config._editing.apply import ConfigChangesError, apply


def register(commands: Any) -> None:
    """Add ``apply`` to the ``pyst-config`` subcommands."""
    command = commands.add_parser(
        "apply", help="make FILE match a declarative change file (TOML or JSON)",
        description="Make the smallest edits that bring FILE to what CHANGES describes: "
        "sections as they should be (keys with one value or a list, template flag, "
        "parents, 'absent' sections and keys, where new sections go). Prints the diff; "
        "running it again changes nothing.",
        formatter_class=help_formatter(),
        epilog=example_epilog(
            "pyst-config apply phones.toml pjsip.conf",
            "pyst-config apply --check phones.json pjsip.conf   # exit 1 if it would change",
            "",
            "phones.toml:",
            '  [sections."6001"]',
            '  parents = ["endpoint-tpl"]',
            '  keys = { auth = "6001", allow = ["ulaw", "g722"] }',
            '  absent = ["callerid"]',
            "  [sections.old-phone]",
            '  state = "absent"',
        ),
    )
    command.add_argument("changes", metavar="CHANGES", help="the change file (.toml or .json)")
    command.add_argument("file", metavar="FILE")
    add_edit_options(command)
    command.add_argument(
        "--no-diff", dest="diff", action="store_false", help="do not print the diff"
    )
    command.set_defaults(handler=run, diff=True)


def load_toml(data: bytes, path: str) -> Any:
    """Parse TOML with ``tomllib`` (3.11+) or ``tomli``; say what to do without either."""
    toml: Any = None
    for module in ("tomllib", "tomli"):  # the standard library's first (3.11+)
        try:
            toml = importlib.import_module(module)
            break
        except ModuleNotFoundError:
            continue
    if toml is None:
        raise CommandError(
            f"{path}: TOML change files need Python 3.11+ or the 'tomli' package "
            "(pip install tomli); on this Python use a JSON change file"
        )
    try:
        return toml.loads(data.decode("utf-8"))
    except (toml.TOMLDecodeError, UnicodeDecodeError) as failure:
        raise CommandError(f"{path}: not valid TOML: {failure}") from failure


def load_changes(path: str) -> Any:
    """Read a change file: JSON for ``.json`` (or text that starts with ``{``), else TOML."""
    try:
        data = Path(path).read_bytes()
    except OSError as failure:
        raise CommandError(f"cannot read {path}: {failure.strerror}; check the path") from None
    if path.lower().endswith(".json") or data.lstrip()[:1] == b"{":
        try:
            return json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError) as failure:
            raise CommandError(f"{path}: not valid JSON: {failure}") from failure
    return load_toml(data, path)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """``pyst-config apply``."""
    try:
        changes = load_changes(args.changes)
    except CommandError as failure:
        error(str(failure))
        return USAGE_ERROR

    def edit(target: Target) -> list[str]:
        try:
            return [str(change) for change in apply(target, changes)]
        except ConfigChangesError as failure:
            raise CommandError(f"{args.changes}: {failure}") from failure

    return run_edit(args, out, edit)

"""``pyst-config dialplan``: extensions.conf as Asterisk's pbx_config loads it.

``pyst-config dialplan show [--confdir DIR] FILE [[EXTEN@]CONTEXT]`` prints, byte for byte,
what Asterisk's ``dialplan show`` prints after loading FILE as extensions.conf (a contract
other tools rely on); ``pyst-config dialplan lint FILE`` prints what the load logs and the checks
beyond it.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from pyst.cli._output import printable
from pyst.dialplan import lint, load_dialplan, show_bytes, show_globals_bytes


def register(commands: Any) -> None:
    """Add ``dialplan`` (with ``show`` and ``lint``) to the ``pyst-config`` subcommands."""
    dialplan = commands.add_parser(
        "dialplan", help="extensions.conf as Asterisk's pbx_config loads it",
        description="Read extensions.conf the way Asterisk's pbx_config does.",
    )
    actions = dialplan.add_subparsers(dest="dialplan_command", required=True, metavar="ACTION")
    show = actions.add_parser(
        "show", help="print what Asterisk's 'dialplan show' prints after loading FILE",
        description="Print, byte for byte, Asterisk's 'dialplan show' for FILE loaded as "
        "extensions.conf (lines of FILE are reported as extensions.conf, as Asterisk does).",
    )
    _options(show)
    show.add_argument(
        "target", nargs="?", metavar="[EXTEN@]CONTEXT",
        help="show only this context, or the extensions matching EXTEN (in CONTEXT and what "
        "it includes, or in every context when CONTEXT is left out: 'EXTEN@')",
    )
    show.set_defaults(handler=run_show)
    show_globals = actions.add_parser(
        "globals", help="print what Asterisk's 'dialplan show globals' prints after the load",
        description="Print, byte for byte, Asterisk's 'dialplan show globals' for FILE.",
    )
    _options(show_globals)
    show_globals.set_defaults(handler=run_show)
    check = actions.add_parser(
        "lint", help="report what the load logs and the dialplan checks; exit 1 on findings",
        description="Print the diagnostics of loading FILE as extensions.conf.",
    )
    _options(check)
    check.add_argument(
        "--entry", action="append", default=[], metavar="CONTEXT",
        help="a context calls enter (from channel configuration); repeatable",
    )
    check.set_defaults(handler=run_lint)


def _options(command: argparse.ArgumentParser) -> None:
    command.add_argument("file", metavar="FILE")
    command.add_argument(
        "--confdir", metavar="DIR",
        help="Asterisk's config directory, for #include paths and users.conf "
        "(default: the file's folder)",
    )
    command.add_argument(
        "--asterisk", default="22", metavar="VERSION",
        help="the Asterisk version to check against: 22 (default) or master",
    )


def run_show(args: argparse.Namespace, out: TextIO) -> int:
    """Print the ``dialplan show`` text; 0, 1 when the context or extension asked for does
    not exist, 2 when the file cannot be read."""
    dialplan = load_dialplan(args.file, confdir=args.confdir, asterisk=args.asterisk)
    if any(d.code == "file-not-found" for d in dialplan.diagnostics):
        out.write(f"pyst-config: cannot read {printable(args.file)}\n")
        return 2
    if args.dialplan_command == "globals":
        data = show_globals_bytes(dialplan)
        found = True
    else:
        data = show_bytes(dialplan, getattr(args, "target", None))
        found = data.endswith(b" =-\n")  # else Asterisk's "There is no existence of ..."
    binary = getattr(out, "buffer", None)
    if binary is None:
        out.write(data.decode("utf-8", "replace"))
        return 0 if found else 1
    out.flush()
    binary.write(data)
    binary.flush()
    return 0 if found else 1


def run_lint(args: argparse.Namespace, out: TextIO) -> int:
    """Print one diagnostic per line; 1 when there is any."""
    found = lint(args.file, confdir=args.confdir, asterisk=args.asterisk,
                 entry_points=args.entry or None)
    for diagnostic in found:
        out.write(printable(f"{diagnostic} [{diagnostic.code}]") + "\n")
    return 1 if found else 0

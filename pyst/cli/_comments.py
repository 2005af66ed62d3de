"""``pyst-config comment`` and ``uncomment``: how admins disable and enable a setting.

``comment FILE SECTION KEY [VALUE]`` turns the section's KEY lines (or only those with
VALUE) into ``;KEY=VALUE`` comments; ``uncomment`` turns such a comment back into the line
Asterisk reads, where it is (``Section.comment_out``/``uncomment`` of pyst.config, which
refuse what would change anything else).  A comment inside a ``;-- --;`` block, or below
a commented-out header (``;[example]``, the start of an example for another section), is
never uncommented.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from pyst.cli._edit import (
    CommandError,
    Target,
    add_edit_options,
    example_epilog,
    help_formatter,
    run_edit,
    verify_by_reparsing,
)
from pyst.cli._target import Reading, add_address_options, find_section, parse_address
from pyst.config import Assignment, Comment, ConfigEditError, Line, Section, parse


def register(commands: Any) -> None:
    """Add ``comment`` and ``uncomment`` to the ``pyst-config`` subcommands."""
    for name, verb, examples in (
        ("comment", "comment out", (
            "pyst-config comment pjsip.conf 6001 allow g729     # allow=g729 -> ;allow=g729",
            "pyst-config comment sip.conf general allowguest --diff",
        )),
        ("uncomment", "uncomment", (
            "pyst-config uncomment pjsip.conf 6001 allow g729   # ;allow=g729 -> allow=g729",
            "pyst-config uncomment --check sip.conf general allowguest",
        )),
    ):
        command = commands.add_parser(
            name, help=f"{verb} KEY (or one VALUE of it) in SECTION",
            description=f"{verb.capitalize()} the KEY lines of SECTION (only those whose "
            "value is VALUE, if given), in place. Nothing to do is not an error.",
            formatter_class=help_formatter(),
            epilog=example_epilog(*examples),
        )
        command.add_argument("file", metavar="FILE")
        command.add_argument("section", metavar="SECTION", help="NAME, or NAME[N]")
        command.add_argument("key", metavar="KEY")
        command.add_argument("value", metavar="VALUE", nargs="?")
        add_address_options(command)
        add_edit_options(command)
        command.set_defaults(handler=run_comment if name == "comment" else run_uncomment)


def _single_line(text: str) -> Line | None:
    """``text`` parsed as one line on its own (``None`` if it is not one line)."""
    document = parse(text + "\n")
    lines = list(document.lines())
    return lines[0] if len(lines) == 1 and lines[0].depth == 0 else None


def _commented_value(line: Comment) -> str | None:
    """The value of the line a ``;key=value`` comment stands for."""
    text = line.text.lstrip(" \t").lstrip(";").lstrip(" \t")
    node = _single_line(text)
    return node.value if isinstance(node, Assignment) else None


def _below_example_header(section: Section, line: Line) -> bool:
    """Whether ``line`` comes after a commented-out header (``;[example]``) in
    ``section``: the start of an example for another section, not this one's lines."""
    for candidate in section.lines:
        if candidate is line:
            return False
        if isinstance(candidate, Comment) and candidate.text.lstrip(" \t;").startswith("["):
            return True
    return False


def comment_out(section: Section, key: str, value: str | None) -> list[str]:
    """Turn ``key``'s lines in ``section`` (those with ``value`` only, if given) into
    comments."""
    lines = [
        line for line in section.assignments(key) if value is None or line.value == value
    ]
    for line in lines:
        if line.text.lstrip(" \t").startswith("--"):
            raise ConfigEditError(
                f"{line.raw.strip()!r} cannot be commented out with ';': ';--' would open "
                "a ;-- block comment --; that hides the lines below"
            )
    done = section.comment_out(key, value)
    if not done:
        return []
    verify_by_reparsing(section)
    shown = ", ".join(line.value for line in lines)
    return [f"commented out [{section.name}] {key} = {shown}"]


def uncomment(section: Section, key: str, value: str | None) -> list[str]:
    """Turn a commented-out ``key`` line (with ``value``, if given) back into a line."""
    found = [
        line for line in section.commented(key, value)
        if not _below_example_header(section, line)
    ]
    if not found:
        own = section.own.get_all(key)
        if own and (value is None or value in own):
            return []  # already live
        what = f"{key}={value}" if value is not None else key
        raise CommandError(f"{_path(section)}: [{section.name}] has no commented-out {what}")
    values = [_commented_value(line) for line in found]
    if value is None and len(set(values)) > 1:
        raise CommandError(
            f"{_path(section)}: [{section.name}] has several commented-out {key} lines "
            f"({', '.join(str(v) for v in values)}); say which VALUE to uncomment"
        )
    line = section.uncomment(key, values[0] if value is None else value)
    verify_by_reparsing(section)
    return [f"uncommented [{section.name}] {line.raw.strip()}"]


def _path(section: Section) -> str:
    document = section.document
    return "" if document is None or document.path is None else document.path


def _run(args: argparse.Namespace, out: TextIO, action: Any) -> int:
    def edit(target: Target) -> list[str]:
        reading = Reading(target)
        section = find_section(reading, parse_address(args.section, args))
        if section is None:
            raise CommandError(f"{reading.path}: no section {args.section}")
        result: list[str] = action(section, args.key, args.value)
        return result

    return run_edit(args, out, edit)


def run_comment(args: argparse.Namespace, out: TextIO) -> int:
    """``pyst-config comment``."""
    return _run(args, out, comment_out)


def run_uncomment(args: argparse.Namespace, out: TextIO) -> int:
    """``pyst-config uncomment``."""
    return _run(args, out, uncomment)

"""``pyst-config comment`` and ``uncomment``: how admins disable and enable a setting.

``comment FILE SECTION KEY [VALUE]`` turns the section's KEY lines (or only those with
VALUE) into ``;KEY=VALUE`` comments; ``uncomment`` turns such a comment back into the line
Asterisk reads, where it is.  Both check the result with Asterisk's reading: only KEY of
that section (and of the categories that inherit from it) may change, else the edit is
refused (exit 3).  A comment inside a ``;-- --;`` block, or below a commented-out header
(``;[example]``, the start of an example for another section), is never uncommented.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from pyst.cli._edit import (
    CommandError,
    add_edit_options,
    example_epilog,
    help_formatter,
    run_edit,
)
from pyst.cli._target import Reading, add_address_options, find_section, fold, parse_address
from pyst.config import Assignment, Comment, Config, ConfigEditError, Document, Line, Section, parse


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


def _index(section: Section, line: Line) -> int:
    return next(i for i, candidate in enumerate(section.lines) if candidate is line)


def _depth_before(section: Section, index: int) -> int:
    return section.lines[index - 1].depth if index else section.header.depth


def _affected(view: Config, name: str) -> set[str]:
    """``name`` and every category that inherits from it, directly or not (folded)."""
    affected = {fold(name)}
    grew = True
    while grew:
        grew = False
        for category in view:
            if fold(category.name) not in affected and any(
                fold(p) in affected for p in category.inherits
            ):
                affected.add(fold(category.name))
                grew = True
    return affected


def _others(view: Config, affected: set[str]) -> list[Any]:
    return [
        (c.name, c.template, c.inherits, [(v.name, v.value, v.object) for v in c.variables])
        for c in view if fold(c.name) not in affected
    ]


def _guarded(
    document: Document, section: Section, key: str, expected: list[str], edit: Any
) -> None:
    """Run ``edit``; undo it and refuse unless the section's own ``key`` values become
    ``expected`` and no unrelated category changes."""
    before = document.config()
    affected = _affected(before, section.name)
    saved = section.lines[:]
    edit()
    after = document.config()
    if (
        section.get_all(key) != expected
        or after.loaded != before.loaded
        or _others(after, affected) != _others(before, affected)
    ):
        section.lines[:] = saved
        raise ConfigEditError(
            f"[{section.name}] {key}: the edit would change more than this key for Asterisk "
            "(a ;-- block comment or a (+) addition is involved); edit the file by hand"
        )


def comment_out(document: Document, section: Section, key: str, value: str | None) -> list[str]:
    """Turn ``key``'s lines in ``section`` (those with ``value`` only, if given) into
    comments."""
    doomed = [
        (text, lines) for name, text, lines in section.variables()
        if fold(name) == fold(key) and (value is None or text == value)
    ]
    if not doomed:
        return []
    replacements: list[tuple[Line, Line]] = []
    for _, lines in doomed:
        for line in lines:
            comment = _single_line(";" + line.text)
            if not isinstance(comment, Comment):
                raise ConfigEditError(
                    f"{line.text!r} cannot be commented out with ';' (it would open a "
                    ";-- block comment --;)"
                )
            replacements.append((line, comment.with_newline(line.newline)))
    gone = {id(line) for _, lines in doomed for line in lines}
    expected = [
        text for name, text, lines in section.variables()
        if fold(name) == fold(key) and not any(id(line) in gone for line in lines)
    ]

    def edit() -> None:
        for line, comment in replacements:
            section.lines[_index(section, line)] = comment

    _guarded(document, section, key, expected, edit)
    shown = ", ".join(text for text, _ in doomed)
    return [f"commented out [{section.name}] {key} = {shown}"]


def _candidates(section: Section, key: str, value: str | None) -> list[tuple[int, Assignment]]:
    """Comment lines of ``section`` that, without their ``;``, are a ``key`` line."""
    found = []
    for index, line in enumerate(section.lines):
        if not isinstance(line, Comment):
            continue
        text = line.text.lstrip(" \t")
        indent = line.text[: len(line.text) - len(text)]
        body = text.lstrip(";").lstrip(" \t")
        if body.startswith("["):
            break  # a commented-out header: what follows is an example for another section
        if line.depth or _depth_before(section, index) or not text.startswith(";"):
            continue
        if text.startswith(";--"):
            continue
        candidate = _single_line(indent + body)
        if (
            isinstance(candidate, Assignment) and candidate.operator != "+="
            and fold(candidate.name) == fold(key) and (value is None or candidate.value == value)
        ):
            found.append((index, candidate.with_newline(line.newline)))
    return found


def uncomment(document: Document, section: Section, key: str, value: str | None) -> list[str]:
    """Turn a commented-out ``key`` line (with ``value``, if given) back into a line."""
    found = _candidates(section, key, value)
    if not found:
        own = [t for n, t, _ in section.variables() if fold(n) == fold(key)]
        if own and (value is None or value in own):
            return []  # already live
        what = f"{key}={value}" if value is not None else key
        raise CommandError(f"{document.path}: [{section.name}] has no commented-out {what}")
    if value is None and len({line.value for _, line in found}) > 1:
        values = ", ".join(line.value for _, line in found)
        raise CommandError(
            f"{document.path}: [{section.name}] has several commented-out {key} lines "
            f"({values}); say which VALUE to uncomment"
        )
    index, line = found[0]
    target = section.lines[index]
    before_values = [
        (text, lines) for name, text, lines in section.variables() if fold(name) == fold(key)
    ]

    def edit() -> None:
        section.lines[_index(section, target)] = line

    # The value takes its place among the key's values by position in the section.
    earlier = [
        text for text, lines in before_values
        if _index(section, lines[0]) < index
    ]
    later = [text for text, lines in before_values if _index(section, lines[0]) > index]
    _guarded(document, section, key, [*earlier, line.value, *later], edit)
    return [f"uncommented [{section.name}] {line.raw.strip()}"]


def _run(args: argparse.Namespace, out: TextIO, action: Any) -> int:
    def edit(document: Document) -> list[str]:
        section = find_section(Reading(document), parse_address(args.section, args))
        if section is None:
            raise CommandError(f"{document.path}: no section {args.section}")
        result: list[str] = action(document, section, args.key, args.value)
        return result

    return run_edit(args, out, edit)


def run_comment(args: argparse.Namespace, out: TextIO) -> int:
    """``pyst-config comment``."""
    return _run(args, out, comment_out)


def run_uncomment(args: argparse.Namespace, out: TextIO) -> int:
    """``pyst-config uncomment``."""
    return _run(args, out, uncomment)

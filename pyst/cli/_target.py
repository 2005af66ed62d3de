"""Naming a section on the command line: ``NAME``, ``NAME[2]``, ``--index``, ``--match``.

Sections are named as users name them.  A name that several categories share (Asterisk
allows ``[6001]`` twice) must be narrowed down: by position (``NAME[2]`` or ``--index 2``,
counting from 1 in file order) or by what Asterisk reads in it (``--match KEY=VALUE``,
repeatable; every pair must hold).  A ``(+)`` re-opening is not a category of its own:
edits of a category go through the section that creates it.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pyst.cli._edit import CommandError
from pyst.config import (
    RETRIEVED_NAMES,
    Category,
    Config,
    Directive,
    Document,
    Line,
    LongLine,
    Section,
    Tree,
)

_INDEXED = re.compile(r"^(?P<name>.*)\[(?P<index>[0-9]+)\]$", re.DOTALL)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold(name: str) -> str:
    """A name folded as Asterisk compares names (ASCII case-insensitive)."""
    return name.translate(_ASCII_LOWER)


@dataclass
class Address:
    """Which section the user means: a name, maybe an index, maybe ``KEY=VALUE`` tests."""

    name: str
    index: int | None = None
    match: list[tuple[str, str]] = field(default_factory=list)

    def describe(self) -> str:
        """The address as the user could type it again."""
        text = f"[{self.name}]" + (f"[{self.index}]" if self.index else "")
        for key, value in self.match:
            text += f" with {key}={value}"
        return text


def add_address_options(command: argparse.ArgumentParser) -> None:
    """``--index`` and ``--match``, for commands that take a SECTION."""
    command.add_argument(
        "--index", type=int, metavar="N",
        help="the Nth section of that name (from 1, file order); same as NAME[N]",
    )
    command.add_argument(
        "--match", action="append", default=[], metavar="KEY=VALUE",
        help="only the section where Asterisk reads KEY with VALUE (repeatable)",
    )


def parse_address(text: str, args: argparse.Namespace) -> Address:
    """The :class:`Address` of a SECTION argument with ``--index``/``--match``."""
    index: int | None = getattr(args, "index", None)
    name = text
    found = _INDEXED.match(text)
    if found:
        if index is not None:
            raise CommandError(f"{text!r} already has an index; drop --index or the [N]")
        name, index = found["name"], int(found["index"])
    if index is not None and index < 1:
        raise CommandError(f"section indexes count from 1, not {index}")
    match = []
    for pair in getattr(args, "match", None) or []:
        key, equals, value = pair.partition("=")
        if not equals or not key:
            raise CommandError(f"--match takes KEY=VALUE, not {pair!r}")
        match.append((key, value))
    return Address(name, index, match)


def header_lines(document: Document) -> dict[int, int]:
    """The 1-based line number of each section's header, by ``id(section)``."""
    numbers: dict[int, int] = {}
    line = 1 + _physical(document.preamble)
    for section in document.sections:
        numbers[id(section)] = line
        line += 1 + _physical(section.lines)
    return numbers


def _physical(lines: Sequence[Line]) -> int:
    return sum(len(item.logical_lines) if isinstance(item, LongLine) else 1 for item in lines)


def _same_file(first: str, second: str) -> bool:
    return os.path.abspath(first) == os.path.abspath(second)


def _matches(category: Category | None, section: Section, tests: list[tuple[str, str]]) -> bool:
    for key, value in tests:
        values = category.get_all(key) if category is not None else section.own.get_all(key)
        if value not in values:
            return False
    return True


class Reading:
    """What Asterisk reads from a file (or ``--tree``), loaded on first use only: a full
    load costs more than most edits, so commands ask for it only when the answer
    depends on it."""

    def __init__(self, target: Document | Tree):
        self.target = target
        #: The file named on the command line.
        self.document = target.main if isinstance(target, Tree) else target
        self._view: Config | None = None
        self._lines: dict[int, dict[int, int]] = {}
        self._simple: bool | None = None

    @property
    def path(self) -> str:
        """The path of the file named on the command line."""
        return self.document.path or ""

    @property
    def view(self) -> Config:
        """The whole load (``#include`` followed)."""
        if self._view is None:
            self._view = self.target.config()
        return self._view

    def line(self, section: Section) -> int:
        """The line of ``section``'s header in its file."""
        document = section.document or self.document
        if id(document) not in self._lines:
            self._lines[id(document)] = header_lines(document)
        return self._lines[id(document)].get(id(section), 0)

    def where(self, section: Section) -> str:
        """``file:line`` of ``section``'s header."""
        document = section.document or self.document
        return f"{document.path}:{self.line(section)}"

    @property
    def simple(self) -> bool:
        """True when no ``(+)`` addition and no ``#include``/``#exec`` can change what a
        section's own lines and parents say (so its values follow from the syntax)."""
        if self._simple is None:
            document = self.document
            self._simple = not isinstance(self.target, Tree) and not any(
                s.is_addition for s in document.sections
            ) and not any(
                isinstance(line, Directive) and line.directive for line in document.lines()
            )
        return self._simple

    def value(self, section: Section, key: str) -> str | None:
        """What Asterisk ends up with for ``key`` in the category ``section`` creates (see
        :meth:`Section.get`), from the syntax where that is certain -- the last value
        decides, and no ``(+)``, ``#include`` or ``+=`` can change it -- else from what
        pyst.config loads."""
        decided_by_last = fold(key) not in RETRIEVED_NAMES or (
            self.target.asterisk.retrieve_last_match
        )
        if decided_by_last and self.simple:
            found = self._value_from_syntax(section, key, depth=0)
            if found is not None:
                return found[0]
        return section.get(key)

    def _value_from_syntax(
        self, section: Section, key: str, depth: int
    ) -> tuple[str | None] | None:
        """``(value,)`` when the syntax alone settles it, ``None`` when it does not: a
        ``+=`` line, a parent defined twice or below, deep or looping inheritance."""
        if depth > 20 or any(line.operator == "+=" for line in section.assignments(key)):
            return None
        own = section.own.get(key)
        if own is not None:
            return (own,)
        position = {id(s): i for i, s in enumerate(self.document.sections)}
        for parent in reversed([p.strip() for p in section.parents]):
            named = self.document.sections_named(parent)
            if len(named) != 1 or position[id(named[0])] >= position[id(section)]:
                return None
            found = self._value_from_syntax(named[0], key, depth + 1)
            if found is None or found[0] is not None:
                return found
        return (None,)

    def category_of(self, section: Section) -> Category | None:
        """The category ``section``'s header creates, as Asterisk reads it (``None`` if
        the file does not load that far)."""
        line = self.line(section)
        path = (section.document or self.document).path or ""
        return next(
            (
                c for c in self.view.categories_named(section.name)
                if c.line == line and _same_file(c.file, path)
            ),
            None,
        )


def find_section(reading: Reading, address: Address) -> Section | None:
    """The section that creates the category ``address`` names (in the file, or with
    ``--tree`` in any file of the tree).

    ``None`` when there is no such category at all.  Raises :class:`CommandError` when
    the name is ambiguous, the index is out of range, or the category is defined only in
    another (``#include``d) file and this is not a tree.
    """
    target = reading.target
    path = reading.path
    creating = [s for s in target.sections_named(address.name) if not s.is_addition]
    if not creating:
        creating = target.sections_named(address.name)  # only (+) here: its own file
    candidates = creating
    if address.match:
        candidates = [
            s for s in creating if _matches(s.category(), s, address.match)
        ]
    if not candidates:
        if not creating:
            elsewhere = [
                c for c in reading.view.categories_named(address.name)
                if not _same_file(c.file, path)
            ]
            if elsewhere:
                where = elsewhere[0]
                raise CommandError(
                    f"{where.file}:{where.line}: [{address.name}] is defined here, in a "
                    f"file that {path} includes; edit that file instead (or use --tree)"
                )
            return None
        tests = ", ".join(f"{k}={v}" for k, v in address.match)
        raise CommandError(
            f"{reading.where(creating[0])}: no [{address.name}] section has "
            f"{tests} (check --match)"
        )
    if address.index is not None:
        if address.index > len(candidates):
            raise CommandError(
                f"{path}: there are {len(candidates)} [{address.name}] sections"
                + (" that match" if address.match else "")
                + f", no number {address.index}"
            )
        return candidates[address.index - 1]
    if len(candidates) > 1:
        places = ", ".join(reading.where(s) for s in candidates)
        raise CommandError(
            f"{reading.where(candidates[0])}: [{address.name}] is defined "
            f"{len(candidates)} times ({places}); say which with {address.name}[2] or "
            "--index 2 (try --match KEY=VALUE)"
        )
    return candidates[0]


def find_category(view: Config, address: Address) -> Category | None:
    """The category ``address`` names in Asterisk's reading (any file of the load)."""
    categories = [
        c for c in view.categories_named(address.name)
        if all(value in c.get_all(key) for key, value in address.match)
    ]
    if not categories:
        return None
    if address.index is not None:
        if address.index > len(categories):
            raise CommandError(
                f"{view.file}: there are {len(categories)} [{address.name}] categories"
                + (" that match" if address.match else "")
                + f", no number {address.index}"
            )
        return categories[address.index - 1]
    if len(categories) > 1:
        where = ", ".join(f"{c.file}:{c.line}" for c in categories)
        raise CommandError(
            f"{categories[0].file}:{categories[0].line}: [{address.name}] is defined "
            f"{len(categories)} times ({where}); say which with {address.name}[2] or "
            "--index 2 (try --match KEY=VALUE)"
        )
    return categories[0]

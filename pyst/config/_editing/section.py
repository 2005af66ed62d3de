"""A section: a category header and the lines after it, edited like a mapping."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from pyst.config._editing import style as _style
from pyst.config._errors import ConfigEditError
from pyst.config._semantics.append import append_target
from pyst.config._semantics.loader import Loader
from pyst.config._semantics.model import fold
from pyst.config._syntax.lexer import BLANKS
from pyst.config._syntax.nodes import Assignment, Comment, Directive, Header, Line

if TYPE_CHECKING:
    from pyst.config._editing.document import Document


class Section:
    """A category header and the lines that follow it, up to the next header.

    Reading and writing by name works on this section's own lines only; what the
    category means after templates and ``(+)`` additions is in :meth:`Document.config`.
    Where a name repeats, reads give the *last* value (what Asterisk's modules end up
    using) and writes change the last occurrence.
    """

    __slots__ = ("_document", "header", "lines")

    def __init__(self, header: Header, lines: list[Line], document: Document | None = None):
        self.header = header
        self.lines = lines
        self._document = document

    # -- reading -------------------------------------------------------------------
    @property
    def name(self) -> str:
        """The category name (see :attr:`Header.name`)."""
        return self.header.name

    @property
    def template(self) -> bool:
        """True for a template header ``[name](!)``."""
        return self.header.template

    @property
    def parents(self) -> list[str]:
        """Names this section inherits from, in header order."""
        return self.header.parents

    @property
    def is_addition(self) -> bool:
        """True for a ``(+)`` re-opening of an earlier category."""
        return self.header.is_addition

    def assignments(self, name: str | None = None) -> list[Assignment]:
        """This section's assignment lines, optionally only those called ``name``."""
        lines = [line for line in self.lines if isinstance(line, Assignment)]
        if name is None:
            return lines
        lowered = fold(name)
        return [line for line in lines if fold(line.name) == lowered]

    def comments_before(self, line: Line) -> list[Comment]:
        """The comment lines directly above ``line`` (no blank line between): the ones
        that belong to it and go with it when it is removed."""
        index = self._index(line)
        start = index
        while start > 0 and isinstance(self.lines[start - 1], Comment):
            start -= 1
        return [c for c in self.lines[start:index] if isinstance(c, Comment)]

    @property
    def trailing_comments(self) -> list[Comment]:
        """Comment lines after the section's last assignment or directive."""
        return [c for c in self.lines[self._insert_position() :] if isinstance(c, Comment)]

    def keys(self) -> list[str]:
        """Names assigned in this section, first occurrence order, without repeats."""
        seen: dict[str, str] = {}
        for name, _, _ in self.variables():
            seen.setdefault(fold(name), name)
        return list(seen.values())

    def variables(self) -> list[tuple[str, str, list[Assignment]]]:
        """This section's own variables as Asterisk builds them from its lines, with the
        lines that made each (``+=`` lines append to an earlier one; nothing inherited).

        Returns ``(name, value, lines)`` triples in order.
        """
        return [
            (name, value, [line for _, line in lines])
            for name, value, lines in _build_variables([self])
        ]

    def _matching(self, name: str) -> list[tuple[str, str, list[Assignment]]]:
        lowered = fold(name)
        return [entry for entry in self.variables() if fold(entry[0]) == lowered]

    def get(self, name: str, default: str | None = None) -> str | None:
        """The value of the last ``name`` here (case-insensitive, ``+=`` applied), or
        ``default``."""
        found = self._matching(name)
        return found[-1][1] if found else default

    def get_all(self, name: str) -> list[str]:
        """Every value of ``name`` here, in order (``+=`` applied)."""
        return [value for _, value, _ in self._matching(name)]

    def __getitem__(self, name: str) -> str:
        found = self._matching(name)
        if not found:
            raise KeyError(name)
        return found[-1][1]

    def __setitem__(self, name: str, value: str) -> None:
        self.set(name, value)

    def __delitem__(self, name: str) -> None:
        if not self.remove(name):
            raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and bool(self._matching(name))

    def __len__(self) -> int:
        return len(self.keys())

    def __bool__(self) -> bool:
        # A section is there even when it holds no variables.
        return True

    def items(self) -> list[tuple[str, str]]:
        """``(name, value)`` of each variable here, in order (repeats kept, ``+=`` applied)."""
        return [(name, value) for name, value, _ in self.variables()]

    def values(self) -> list[str]:
        """The value of each variable here, in order (repeats kept)."""
        return [value for _, value, _ in self.variables()]

    def pop(self, name: str, *default: str) -> str:
        """Remove ``name`` (see :meth:`remove`) and return the value Asterisk had for what
        was removed: this section's ``name`` with the ``+=`` lines that extend it, even in
        ``(+)`` additions.  Without one here, return ``default`` or raise ``KeyError``."""
        found = [
            entry for entry in self._category_matching(name)
            if any(owner is self for owner, _ in entry[2])
        ]
        if not found:
            if default:
                return default[0]
            raise KeyError(name)
        self.remove(name)
        return found[-1][1]

    def setdefault(self, name: str, default: str) -> str:
        """The category's value of ``name``; if it has none, set it to ``default`` first."""
        found = self._category_matching(name)
        if found:
            return found[-1][1]
        self.set(name, default)
        return default

    def _category_matching(
        self, name: str
    ) -> list[tuple[str, str, list[tuple[Section, Assignment]]]]:
        lowered = fold(name)
        return [e for e in _build_variables(self._category_sections()) if fold(e[0]) == lowered]

    def update(
        self, other: Mapping[str, str] | Iterable[tuple[str, str]] = (), **values: str
    ) -> None:
        """Set every ``name: value`` given, in order (see :meth:`set`)."""
        pairs = other.items() if isinstance(other, Mapping) else other
        for name, value in [*pairs, *values.items()]:
            self.set(name, value)

    # A section is a place in a document, not a value: equality is identity.
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __repr__(self) -> str:
        return f"<Section [{self.name}] {len(self.lines)} lines>"

    # -- editing -------------------------------------------------------------------
    def set(self, name: str, value: str) -> Assignment:
        """Set ``name`` to ``value`` so that Asterisk reads ``value``.

        The last occurrence changes -- in this section or in a ``(+)`` addition to the same
        category, whichever Asterisk ends up with -- and only its value's bytes change.
        When that occurrence was built with ``+=`` lines, the first line gets the value (as
        ``=``) and the ``+=`` lines that extended it are removed.  Without an occurrence, a
        line is appended here.
        """
        if not isinstance(name, str):
            raise TypeError(f"names are str, not {type(name).__name__}")
        group = self._category_sections()
        lowered = fold(name)
        found = [e for e in _build_variables(group) if fold(e[0]) == lowered]
        self._check_not_overridden_by_include(name)
        if not found:
            return self.add(name, value)
        (owner, base), *appended = found[-1][2]
        index = owner._index(base)
        replacement = _style.with_value(
            base, value, owner._depth_before(index),
            operator="=" if base.operator == "+=" else None,
        )
        with _all_or_nothing(group):
            owner.lines[index] = replacement
            for section, line in appended:
                section.remove_line(line)
        return replacement

    def _check_not_overridden_by_include(self, name: str) -> None:
        """Refuse a set() whose value an ``#include``d file would override."""
        document = self._document
        if document is None or not document._has_includes():
            return
        _, targets = Loader().load_with_targets(document)
        mine = targets.get(id(self.header))
        if mine is None:
            return
        lowered = fold(name)
        last = next((v for v in reversed(mine.variables) if fold(v.name) == lowered), None)
        own_file = document.path or "<string>"
        if last is not None and last.file != own_file:
            raise ConfigEditError(
                f"{name!r} of [{self.name}] is set last in {last.file} (line {last.line}), "
                "which Asterisk reads after this file; edit that file instead"
            )

    def _category_sections(self) -> list[Section]:
        """This section and the ``(+)`` additions that build the same category with it."""
        document = self._document
        if document is None:
            return [self]
        folded = fold(self.name)
        sections = document.sections
        if self.is_addition:
            candidates = sections
        else:
            # Only later additions can add to the category this header creates.
            index = next(
                (i for i in range(len(sections) - 1, -1, -1) if sections[i] is self),
                len(sections),
            )
            candidates = sections[index + 1 :]
        related = [
            s for s in candidates
            if s is not self
            and (s.is_addition or self.is_addition)
            and fold(s.header.raw_name) in (folded, "")
        ]
        if not related:
            return [self]
        _, targets = Loader(follow_includes=False).load_with_targets(document)
        mine = targets.get(id(self.header))
        if mine is None:
            return [self]
        return [s for s in document.sections if s is self or targets.get(id(s.header)) is mine]

    def add(self, name: str, value: str, *, operator: str | None = None) -> Assignment:
        """Append ``name <operator> value`` after this section's last assignment.

        ``operator`` is ``"="``, ``"=>"`` or ``"+="``; by default the one the last
        ``name`` line here uses, else ``"="``.  The new line copies indentation, spacing
        and line ending from the nearest assignment with the same name (in this section,
        then elsewhere in the file), else this section's last assignment, else the
        file's most common style.
        """
        line = _style.new_assignment(self, name, value, operator)
        position = self._insert_position()
        while position < len(self.lines) and self._depth_before(position) != 0:
            position += 1
        if self._depth_before(position) != 0:
            raise ConfigEditError(
                f"section [{self.name}] ends inside a ;-- block comment --; where a new line "
                "would be invisible to Asterisk; close the comment first"
            )
        return self._insert(position, line)

    def _insert(self, position: int, line: Assignment) -> Assignment:
        previous = self.lines[position - 1] if position else self.header
        if not previous.newline:
            # The file ended without a line ending: keep it that way after the new line.
            newline = line.newline
            if position:
                self.lines[position - 1] = previous.with_newline(newline)
            else:
                self.header = self.header.with_newline(newline)
            line = line.with_newline("")
        self.lines.insert(position, line)
        return line

    def remove(self, name: str) -> int:
        """Remove ``name``: every assignment of it in this section, and the ``+=`` lines in
        ``(+)`` additions that extend them, each with its own comments; return how many
        lines went.  All or nothing."""
        if not isinstance(name, str):
            raise TypeError(f"names are str, not {type(name).__name__}")
        group = self._category_sections()
        lowered = fold(name)
        doomed: list[tuple[Section, Assignment]] = []
        for entry_name, _, made_by in _build_variables(group):
            if fold(entry_name) == lowered and any(owner is self for owner, _ in made_by):
                doomed.extend(made_by)
        with _all_or_nothing(group):
            for owner, line in doomed:
                owner.remove_line(line)
        return len(doomed)

    def remove_line(self, line: Line) -> None:
        """Remove one line and the comment lines directly above it (no blank between).

        The same-line comment goes with the line; comments separated from it by a blank
        line, and comments trailing the section, stay.
        """
        start, index = self._check_removable(line)
        del self.lines[start : index + 1]

    def _check_removable(self, line: Line) -> tuple[int, int]:
        """The index range ``line`` and its comments take; refuse if removing them would
        change which lines block comments hide."""
        index = self._index(line)
        start = index
        while start > 0 and isinstance(self.lines[start - 1], Comment):
            start -= 1
        if self._depth_before(start) != self.lines[index].depth:
            raise ConfigEditError(
                f"removing {line.raw!r} would change which lines ;-- block comments --; hide"
            )
        return start, index

    def _depth_before(self, index: int) -> int:
        return self.lines[index - 1].depth if index else self.header.depth

    def _index(self, line: Line) -> int:
        for index, candidate in enumerate(self.lines):
            if candidate is line:
                return index
        raise ConfigEditError(f"{line!r} is not a line of section [{self.name}]")

    def _insert_position(self) -> int:
        for index in range(len(self.lines) - 1, -1, -1):
            if isinstance(self.lines[index], (Assignment, Directive)):
                return index + 1
        return 0

    @property
    def document(self) -> Document | None:
        """The document this section belongs to (``None`` once removed)."""
        return self._document


@contextmanager
def _all_or_nothing(sections: list[Section]) -> Iterator[None]:
    """Undo every change to the lines of ``sections`` if the block raises."""
    saved = [(section, section.lines[:]) for section in sections]
    try:
        yield
    except BaseException:
        for section, lines in saved:
            section.lines[:] = lines
        raise


def _build_variables(
    sections: list[Section],
) -> list[tuple[str, str, list[tuple[Section, Assignment]]]]:
    """Variables as Asterisk builds them from the assignments of ``sections`` in order,
    each with the ``(section, line)`` pairs that made it (``+=`` appends to an earlier one).
    """
    entries: list[tuple[str, str, list[tuple[Section, Assignment]]]] = []
    by_name: dict[str, list[int]] = {}  # folded name -> indices, so += stays linear
    for section in sections:
        for line in section.assignments():
            name, operator, text = line.parts()
            if operator == "+=":
                positions = by_name.get(fold(name), [])
                landing = append_target(
                    [(entries[i][0], entries[i][1]) for i in positions], name, text
                )
                if landing is not None:
                    chosen, new_name, new_value = landing
                    index = positions[chosen]
                    entries[index] = (new_name, new_value, [*entries[index][2], (section, line)])
                    continue
            if name:
                by_name.setdefault(fold(name), []).append(len(entries))
                entries.append((name, text.strip(BLANKS), [(section, line)]))
    return entries

"""Indexes over a document's sections, kept current as sections come and go.

Edits look sections up by name, find the headers that refer to a name (inheritance and
``(+)`` additions), and compare positions; with these indexes none of that scans the
file.  Positions are ordinals with gaps, so a section inserted between two others gets
one without renumbering the rest (all are renumbered, rarely, when a gap runs out).
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

from pyst.config._syntax.lexer import fold
from pyst.config._syntax.nodes import Header

if TYPE_CHECKING:
    from pyst.config._editing.section import Section

_GAP = 1 << 20


def referred_names(header: Header) -> set[str]:
    """The folded names a header looks up: its parents, and for ``(+)`` its own name."""
    names = {fold(parent) for parent in header.parents}
    if header.is_addition:
        names.add(fold(header.raw_name))
    return names


def is_unusual(header: Header) -> bool:
    """Headers whose lookups are not by a plain name (an empty name or option, which
    Asterisk resolves to the file's first or current category) or that stop the load."""
    if not header.closed or not header.options_closed or not header.raw_name:
        return True
    return any(option == "" for option in header.options)


class SectionIndex:
    """Name, reference and position indexes over a list of sections."""

    def __init__(self, sections: list[Section]):
        #: The document's own list of sections (in file order), which the index follows.
        self.sections = sections
        self.by_name: dict[str, list[Section]] = {}
        self.referrers: dict[str, list[Section]] = {}
        self.ordinal: dict[int, int] = {}
        self.unusual = 0
        self.rebuild()

    def rebuild(self) -> None:
        """Index the sections from scratch."""
        self.by_name.clear()
        self.referrers.clear()
        self.ordinal.clear()
        self.unusual = 0
        for position, section in enumerate(self.sections):
            self.ordinal[id(section)] = (position + 1) * _GAP
            self._add_names(section, at_end=True)

    def _add_names(self, section: Section, *, at_end: bool = False) -> None:
        header = section.header
        # In file order (a rebuild) each section goes last; else in its place.
        add = list.append if at_end else self._insert
        add(self.by_name.setdefault(fold(header.raw_name), []), section)
        for name in referred_names(header):
            add(self.referrers.setdefault(name, []), section)
        if is_unusual(header):
            self.unusual += 1

    def _drop_names(self, section: Section) -> None:
        header = section.header
        self._remove(self.by_name, fold(header.raw_name), section)
        for name in referred_names(header):
            self._remove(self.referrers, name, section)
        if is_unusual(header):
            self.unusual -= 1

    def _insert(self, items: list[Section], section: Section) -> None:
        key = self.ordinal[id(section)]
        at = bisect_left(items, key, key=lambda s: self.ordinal[id(s)])
        items.insert(at, section)

    @staticmethod
    def _remove(table: dict[str, list[Section]], name: str, section: Section) -> None:
        items = table.get(name, [])
        for position, candidate in enumerate(items):
            if candidate is section:
                del items[position]
                break
        if not items:
            table.pop(name, None)

    # -- positions -------------------------------------------------------------------
    def position(self, section: Section) -> int:
        """Where ``section`` is in the list of sections (its index)."""
        key = self.ordinal.get(id(section))
        if key is None:
            raise KeyError(section)
        at = bisect_left(self.sections, key, key=lambda s: self.ordinal[id(s)])
        return at

    def __contains__(self, section: object) -> bool:
        return id(section) in self.ordinal

    def before(self, first: Section, second: Section) -> bool:
        """Whether ``first`` comes before ``second`` in the file."""
        return self.ordinal[id(first)] < self.ordinal[id(second)]

    # -- changes ---------------------------------------------------------------------
    def inserted(self, index: int, section: Section) -> None:
        """``section`` was just inserted at ``index`` of the list of sections."""
        low = self.ordinal[id(self.sections[index - 1])] if index else 0
        high = (
            self.ordinal[id(self.sections[index + 1])]
            if index + 1 < len(self.sections) else low + 2 * _GAP
        )
        if high - low < 2:
            self.rebuild()
            return
        self.ordinal[id(section)] = (low + high) // 2
        self._add_names(section)

    def removing(self, section: Section) -> None:
        """``section`` is about to be taken out of the list of sections."""
        self._drop_names(section)
        del self.ordinal[id(section)]

    def header_changed(self, section: Section, old: Header) -> None:
        """``section``'s header was ``old`` and is now ``section.header``."""
        new = section.header
        section.header = old
        self._drop_names(section)
        section.header = new
        self._add_names(section)

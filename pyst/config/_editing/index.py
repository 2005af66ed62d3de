"""Indexes over a document's sections, kept current as sections come and go.

Edits look sections up by name, find the headers that refer to a name (inheritance and
``(+)`` additions), and compare positions; with these indexes none of that scans the
file.  Positions are ordinals with gaps, so a section inserted between two others gets
one without renumbering the rest (all are renumbered, rarely, when a gap runs out).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from typing import TYPE_CHECKING

from pyst.config._syntax.lexer import fold
from pyst.config._syntax.nodes import Header

if TYPE_CHECKING:
    from pyst.config._editing.section import Section

_GAP = 1 << 20

#: What undoes one change of an index.
Undo = Callable[[], None]


def header_facts(header: Header) -> tuple[str, set[str], bool]:
    """What the indexes keep of a header: its folded name, the folded names it looks up
    (its parents, and for ``(+)`` its own name), and whether it is unusual: its lookups
    are not by a plain name (an empty name or option, which Asterisk resolves to the
    file's first or current category) or it stops the load.  The options are split once."""
    raw = header.raw_name
    name = fold(raw)
    options = header.options
    referred = {fold(o) for o in options if o != "!" and not o.startswith("+")}
    if any(o.startswith("+") for o in options):
        referred.add(name)
    unusual = (
        not raw or not header.closed or not header.options_closed or "" in options
    )
    return name, referred, unusual


def referred_names(header: Header) -> set[str]:
    """The folded names a header looks up: its parents, and for ``(+)`` its own name."""
    return header_facts(header)[1]


def is_unusual(header: Header) -> bool:
    """Headers whose lookups are not by a plain name (an empty name or option, which
    Asterisk resolves to the file's first or current category) or that stop the load."""
    return header_facts(header)[2]


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
        by_name, referrers, ordinal = self.by_name, self.referrers, self.ordinal
        for position, section in enumerate(self.sections):
            ordinal[id(section)] = (position + 1) * _GAP
            # In file order, so appending keeps every list sorted.
            name, referred, unusual = header_facts(section.header)
            by_name.setdefault(name, []).append(section)
            for other in referred:
                referrers.setdefault(other, []).append(section)
            self.unusual += unusual

    def _add_names(self, section: Section, header: Header | None = None) -> None:
        name, referred, unusual = header_facts(section.header if header is None else header)
        self._insert(self.by_name.setdefault(name, []), section)
        for other in referred:
            self._insert(self.referrers.setdefault(other, []), section)
        self.unusual += unusual

    def _drop_names(self, section: Section, header: Header | None = None) -> None:
        name, referred, unusual = header_facts(section.header if header is None else header)
        self._remove(self.by_name, name, section)
        for other in referred:
            self._remove(self.referrers, other, section)
        self.unusual -= unusual

    def _insert(self, items: list[Section], section: Section) -> None:
        key = self.ordinal[id(section)]
        at = bisect_left(items, key, key=lambda s: self.ordinal[id(s)])
        items.insert(at, section)

    def _remove(self, table: dict[str, list[Section]], name: str, section: Section) -> None:
        items = table.get(name, [])
        # The lists are in ordinal order: a template's list of referrers can be as long
        # as the file, so find the section by its ordinal, not by a scan.
        key = self.ordinal.get(id(section))
        at = len(items) if key is None else bisect_left(
            items, key, key=lambda s: self.ordinal[id(s)]
        )
        if at < len(items) and items[at] is section:
            del items[at]
        else:
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
    # Each change returns what undoes it (the journal calls it when a transaction rolls
    # back), so a refused edit costs what the edit touched, never a rebuild.
    def inserted(self, index: int, section: Section) -> Undo:
        """``section`` was just inserted at ``index`` of the list of sections."""
        renumbered = self._make_room(index)
        low = self.ordinal[id(self.sections[index - 1])] if index else 0
        high = (
            self.ordinal[id(self.sections[index + 1])]
            if index + 1 < len(self.sections) else low + 2 * _GAP
        )
        self.ordinal[id(section)] = (low + high) // 2
        self._add_names(section)
        header = section.header

        def undo() -> None:
            self._drop_names(section, header)
            del self.ordinal[id(section)]
            self.ordinal.update(renumbered)

        return undo

    def _make_room(self, index: int) -> dict[int, int]:
        """Make a gap for the new section at ``index`` (the list holds it already, the
        ordinals not yet).  When its neighbours' ordinals are adjacent, the sections of a
        window around it, doubled until there is room, are spread evenly (their relative
        order, so every sorted list, stays as it is).  Returns the old ordinals changed."""
        sections, ordinal = self.sections, self.ordinal
        count_all = len(sections)

        def key(position: int) -> int:
            return ordinal[id(sections[position])]

        low = key(index - 1) if index else 0
        if index + 1 >= count_all or key(index + 1) - low >= 2:
            return {}
        width = 1
        while True:
            first, last = max(0, index - width), min(count_all - 1, index + width)
            low = key(first - 1) if first else 0
            count = last - first + 1
            step = _GAP if last == count_all - 1 else (key(last + 1) - low) // (count + 1)
            if step >= 1:
                break
            width *= 2
        old: dict[int, int] = {}
        for offset, position in enumerate(range(first, last + 1), 1):
            if position != index:
                ident = id(sections[position])
                old[ident] = ordinal[ident]
                ordinal[ident] = low + offset * step
        return old

    def removing(self, section: Section) -> Undo:
        """``section`` is about to be taken out of the list of sections."""
        header = section.header
        self._drop_names(section, header)
        key = self.ordinal.pop(id(section))

        def undo() -> None:
            self.ordinal[id(section)] = key
            self._add_names(section, header)

        return undo

    def header_changed(self, section: Section, old: Header) -> Undo:
        """``section``'s header was ``old`` and is now ``section.header``."""
        new = section.header
        self._drop_names(section, old)
        self._add_names(section, new)

        def undo() -> None:
            self._drop_names(section, new)
            self._add_names(section, old)

        return undo

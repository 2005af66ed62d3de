"""What Asterisk makes of the categories an edit touches, without loading the whole file.

A category's meaning depends only on the sections with its name (the header that creates
it and its ``(+)`` additions) and, through inheritance, on the categories it names as
parents, recursively: lookups are by name.  So loading just those sections, in file
order, gives exactly what loading the whole file gives for it.  Files where that does
not hold -- ``#include``/``#exec`` (other files take part), a header with an empty name
or option (resolved by position), content before the first header, or a header Asterisk
cannot parse (it stops the load) -- are loaded whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pyst.config._semantics.loader import Loader
from pyst.config._semantics.model import Category, Config
from pyst.config._syntax.lexer import fold
from pyst.config._syntax.lines import LexNotes
from pyst.config._syntax.nodes import Blank, Comment, Line

if TYPE_CHECKING:
    from pyst.config._editing.document import Document
    from pyst.config._editing.section import Section


@dataclass
class SubsetFile:
    """Some of a document's sections, in file order, as a file for the loader."""

    path: str | None
    sections: list[Section]
    notes: LexNotes = field(default_factory=LexNotes)

    def lines(self) -> Iterator[Line]:
        """The sections' headers and lines in order."""
        for section in self.sections:
            yield section.header
            yield from section.lines


@dataclass
class Load:
    """One load: the configuration and, per header node id, the category it built."""

    config: Config
    targets: dict[int, Category]

    def category(self, section: Section) -> Category | None:
        """The category ``section``'s header created or added to."""
        return self.targets.get(id(section.header))


class Meaning:
    """Loads of (parts of) one document, cached until the document changes."""

    def __init__(self, document: Document):
        self.document = document
        self._version = -1
        self._cache: dict[frozenset[str] | None, Load] = {}

    def _fresh(self) -> dict[frozenset[str] | None, Load]:
        version = self.document._journal.version
        if version != self._version:
            self._cache.clear()
            self._version = version
        return self._cache

    def needs_whole_file(self) -> bool:
        """Whether a load of some sections could differ from the whole file's."""
        document = self.document
        if document._has_includes() or document._index.unusual:
            return True
        return any(not isinstance(line, (Blank, Comment)) for line in document.preamble)

    def whole(self) -> Load:
        """The load of the whole document (with its includes)."""
        cache = self._fresh()
        load = cache.get(None)
        if load is None:
            config, targets = self.document._loader().load_with_targets(self.document)
            load = cache[None] = Load(config, targets)
        return load

    def of_names(self, names: Iterable[str], *, referrers: bool = False) -> Load:
        """A load that is exact for every category called one of ``names`` (and, with
        ``referrers``, for every category that inherits from or adds to them)."""
        if self.needs_whole_file():
            return self.whole()
        closure = self._closure({fold(name) for name in names}, referrers=referrers)
        key = frozenset(closure)
        cache = self._fresh()
        load = cache.get(key)
        if load is None:
            index = self.document._index
            sections = sorted(
                (s for name in closure for s in index.by_name.get(name, ())),
                key=lambda s: index.ordinal[id(s)],
            )
            subset = SubsetFile(self.document.path, sections)
            loader = Loader(follow_includes=False, asterisk=self.document.asterisk)
            config, targets = loader.load_with_targets(subset)
            load = cache[key] = Load(config, targets)
        return load

    def affected(self, names: Iterable[str]) -> set[str]:
        """``names`` (folded) and every name that inherits from or adds to them,
        transitively: the categories an edit of them can change."""
        index = self.document._index
        seen = {fold(name) for name in names}
        todo = list(seen)
        while todo:
            for section in index.referrers.get(todo.pop(), ()):
                other = fold(section.header.raw_name)
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return seen

    def _closure(self, names: set[str], *, referrers: bool) -> set[str]:
        """``names`` (with ``referrers``, the names they affect), then every parent of
        those, transitively: what loading them exactly needs."""
        index = self.document._index
        seen = self.affected(names) if referrers else set(names)
        todo = list(seen)
        while todo:
            for section in index.by_name.get(todo.pop(), ()):
                for parent in section.header.parents:
                    other = fold(parent)
                    if other not in seen:
                        seen.add(other)
                        todo.append(other)
        return seen

    def category(self, section: Section) -> Category | None:
        """What Asterisk holds for the category ``section`` creates or adds to."""
        return self.of_names([section.header.raw_name]).category(section)

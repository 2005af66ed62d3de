"""What Asterisk makes of the categories an edit touches, without loading every file.

A category's meaning depends only on the sections with its name (the header that creates
it and its ``(+)`` additions) and, through inheritance, on the categories it names as
parents, recursively: lookups are by name.  So loading just those sections, in load
order, gives exactly what loading everything gives for it.  Where that does not hold the
whole file (or include tree) is loaded: a header with an empty name or option (resolved
by position), content before the first header (but comments, blank lines and, in an
include tree, the ``#include`` lines whose files it holds), a header Asterisk cannot parse (it stops
the load), an ``#include`` followed by lines of its section (they go to the included
file's last category), ``#exec``, or a single document with ``#include`` lines (other
files take part that are not indexed).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from pyst.config._semantics.loader import Loader
from pyst.config._semantics.model import Category, Config
from pyst.config._syntax.lexer import fold
from pyst.config._syntax.lines import LexNotes
from pyst.config._syntax.nodes import Blank, Comment, Directive, Line

if TYPE_CHECKING:
    from pyst.config._editing.document import Document
    from pyst.config._editing.journal import Journal
    from pyst.config._editing.section import Section
    from pyst.config._semantics.target import AsteriskVersion


class Scope(Protocol):
    """The files an edit is checked against: one document, or an include tree."""

    @property
    def journal(self) -> Journal:
        """The journal every document of the scope shares."""
        ...

    @property
    def asterisk(self) -> AsteriskVersion:
        """The Asterisk that reads the files."""
        ...

    def documents(self) -> Iterable[Document]:
        """The scope's documents, the main one first."""
        ...

    def named(self, name: str) -> list[Section]:
        """The sections whose header has the (folded) ``name``, in load order."""
        ...

    def referring(self, name: str) -> list[Section]:
        """The sections whose header inherits from or adds to the (folded) ``name``."""
        ...

    def needs_whole(self) -> bool:
        """Whether a load of some sections could differ from the whole load's."""
        ...

    def load_whole(self) -> tuple[Config, dict[int, Category]]:
        """The whole load, with the category each header node built."""
        ...


@dataclass
class SubsetFile:
    """Some sections, in load order, as one file for the loader."""

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


def plain_preamble(document: Document, *, includes: bool = False) -> bool:
    """Whether nothing but comments and blank lines stands before the first header
    (with ``includes``, ``#include``/``#tryinclude`` lines too: an include tree holds
    the files they read, so its partial loads take their sections in load order).

    Cached until the preamble changes (the sample configs' preambles are long comment
    blocks, and every edit's check asks).
    """
    journal = document._journal
    key = (id(journal), *journal.stamp(document.preamble))
    cached_key, plain, plain_with_includes = document._plain_preamble
    if cached_key != key:
        plain = plain_with_includes = True
        for line in document.preamble:
            if isinstance(line, (Blank, Comment)):
                continue
            plain = False
            if not (isinstance(line, Directive) and line.directive in _INCLUDES):
                plain_with_includes = False
                break
        document._plain_preamble = (key, plain, plain_with_includes)
    return plain_with_includes if includes else plain


_INCLUDES = ("include", "tryinclude")


class Meaning:
    """Loads of (parts of) a scope, cached until one of its documents changes."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self._version = -1
        self._cache: dict[frozenset[str] | None, Load] = {}

    def _fresh(self) -> dict[frozenset[str] | None, Load]:
        version = self.scope.journal.version
        if version != self._version:
            self._cache.clear()
            self._version = version
        return self._cache

    def needs_whole_file(self) -> bool:
        """Whether edits must be checked against the whole load."""
        return self.scope.needs_whole()

    def whole(self) -> Load:
        """The load of everything."""
        cache = self._fresh()
        load = cache.get(None)
        if load is None:
            config, targets = self.scope.load_whole()
            load = cache[None] = Load(config, targets)
        return load

    def sections_named(self, name: str) -> list[Section]:
        """The sections that may build categories called ``name``: those with that name
        (every section, when the whole load is needed)."""
        if self.needs_whole_file():
            return [s for document in self.scope.documents() for s in document.sections]
        return self.scope.named(fold(name))

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
            scope = self.scope
            sections = _merged([scope.named(name) for name in closure])
            subset = SubsetFile(None, sections)
            loader = Loader(follow_includes=False, asterisk=scope.asterisk)
            config, targets = loader.load_with_targets(subset)
            load = cache[key] = Load(config, targets)
        return load

    def affected(self, names: Iterable[str]) -> set[str]:
        """``names`` (folded) and every name that inherits from or adds to them,
        transitively: the categories an edit of them can change."""
        seen = {fold(name) for name in names}
        todo = list(seen)
        while todo:
            for section in self.scope.referring(todo.pop()):
                other = fold(section.header.raw_name)
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return seen

    def _closure(self, names: set[str], *, referrers: bool) -> set[str]:
        """``names`` (with ``referrers``, the names they affect), then every parent of
        those, transitively: what loading them exactly needs."""
        seen = self.affected(names) if referrers else set(names)
        todo = list(seen)
        while todo:
            for section in self.scope.named(todo.pop()):
                for parent in section.header.parents:
                    other = fold(parent)
                    if other not in seen:
                        seen.add(other)
                        todo.append(other)
        return seen

    def category(self, section: Section) -> Category | None:
        """What Asterisk holds for the category ``section`` creates or adds to."""
        return self.of_names([section.header.raw_name]).category(section)


def _merged(groups: list[list[Section]]) -> list[Section]:
    """The sections of ``groups`` (each in load order) in load order."""
    if len(groups) == 1:
        return list(groups[0])
    keyed = [(section._order_key(), section) for group in groups for section in group]
    keyed.sort(key=lambda pair: pair[0])
    return [section for _, section in keyed]


class DocumentScope:
    """One document on its own."""

    def __init__(self, document: Document):
        self.document = document

    @property
    def journal(self) -> Journal:
        """The document's journal."""
        return self.document._journal

    @property
    def asterisk(self) -> AsteriskVersion:
        """The document's target."""
        return self.document.asterisk

    def documents(self) -> Iterable[Document]:
        """Just the document."""
        return (self.document,)

    def named(self, name: str) -> list[Section]:
        """Sections with that name, from the document's index."""
        return self.document._index.by_name.get(name, [])

    def referring(self, name: str) -> list[Section]:
        """Sections referring to that name, from the document's index."""
        return self.document._index.referrers.get(name, [])

    def needs_whole(self) -> bool:
        """With ``#include``/``#exec`` other files take part; see the module docs."""
        document = self.document
        return bool(
            document._has_includes() or document._index.unusual
            or not plain_preamble(document)
        )

    def load_whole(self) -> tuple[Config, dict[int, Category]]:
        """The document's load, with its includes."""
        return self.document._loader().load_with_targets(self.document)

"""An include tree: a main file and every file its ``#include`` lines read, edited as one.

Queries and edits work over the whole tree with Asterisk's splicing rules: a category is
found wherever its header is, an edit goes to the file that holds the line, and checks
load the tree from memory (the documents as edited), never from the disk.  ``save()``
writes only the files that changed, each atomically, and refuses to overwrite a file
that changed on disk since it was loaded.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pyst.config._editing.document import Document, load
from pyst.config._editing.journal import Journal
from pyst.config._editing.section import Section
from pyst.config._editing.view import Meaning, _merged, plain_preamble
from pyst.config._errors import ConfigEditError, ConfigIOError
from pyst.config._semantics.loader import MAX_INCLUDE_LEVEL, Loader, include_paths
from pyst.config._semantics.model import Category, Config
from pyst.config._semantics.target import AsteriskVersion, asterisk_version
from pyst.config._syntax.lexer import CommentState, encode, fold
from pyst.config._syntax.nodes import Directive, Line
from pyst.config._syntax.parsed import SyntaxFile, parse_file


class _TreeSource:
    """Serves the loader the tree's documents, as edited, instead of the disk."""

    def __init__(self, tree: Tree):
        self._tree = tree

    def read(self, path: str, state: CommentState, first_lineno: int) -> SyntaxFile | None:
        """The tree's document at ``path`` (read on from ``state`` when a glob's earlier
        file left a comment open); a file outside the tree is read from the disk."""
        document = self._tree._by_path.get(os.path.realpath(path))
        if document is None:
            try:
                data = Path(path).read_bytes()
            except OSError:
                return None
            return parse_file(data, path=path, state=state, first_lineno=first_lineno)
        if state.depth == 0 and first_lineno == 1:
            return document
        return parse_file(
            encode(document.text()), path=path, state=state, first_lineno=first_lineno
        )


class _TreeScope:
    """The scope of checks for the documents of one tree."""

    def __init__(self, tree: Tree):
        self._tree = tree

    @property
    def journal(self) -> Journal:
        """The journal every document of the tree shares."""
        return self._tree._journal

    @property
    def asterisk(self) -> AsteriskVersion:
        """The tree's target."""
        return self._tree.asterisk

    def documents(self) -> Iterable[Document]:
        """The tree's documents, the main one first."""
        return self._tree.documents

    def named(self, name: str) -> list[Section]:
        """Sections with that (folded) name in any file, in load order."""
        return _merged([d._index.by_name.get(name, []) for d in self._tree.documents])

    def referring(self, name: str) -> list[Section]:
        """Sections referring to that (folded) name in any file, in load order."""
        return _merged([d._index.referrers.get(name, []) for d in self._tree.documents])

    def needs_whole(self) -> bool:
        """Whether the tree has anything that makes partial loads inexact (module docs
        of :mod:`view`)."""
        tree = self._tree
        if tree._irregular:
            return True
        for document in tree.documents:
            if document._index.unusual or not plain_preamble(document, includes=True):
                return True
        return False

    def load_whole(self) -> tuple[Config, dict[int, Category]]:
        """The load of the main file with every include served from memory."""
        return self._tree._loader().load_with_targets(self._tree.main)


class Tree:
    """A main ``.conf`` file and the files it includes, read and edited as one.

    Made by :func:`load_tree`.  ``tree["name"]`` finds a section in whichever file holds
    it; sections are edited as in a :class:`Document` and each edit is checked against
    the whole tree's meaning.  New sections go to the main file unless ``file=`` names
    another.
    """

    def __init__(
        self,
        main: Document,
        documents: Sequence[Document],
        *,
        confdir: str,
        exec_includes: bool = False,
        asterisk: AsteriskVersion,
        irregular: bool = False,
    ):
        self.main = main
        #: Every file of the tree, the main one first, then in the order Asterisk reads them.
        self.documents = list(documents)
        self.confdir = confdir
        self.exec_includes = exec_includes
        self.asterisk = asterisk
        self._irregular = irregular
        self._by_path = {
            os.path.realpath(d.path): d for d in self.documents if d.path is not None
        }
        self._journal = Journal()
        meaning = Meaning(_TreeScope(self))
        source = _TreeSource(self)
        for document in self.documents:
            document._journal = self._journal
            document._meaning = meaning
            document._source = source
            document._confdir = confdir
            document._includes = True  # other files take part in every check
            document.asterisk = asterisk

    def _loader(self) -> Loader:
        return Loader(
            confdir=self.confdir, exec_includes=self.exec_includes,
            source=_TreeSource(self), asterisk=self.asterisk,
        )

    # -- reading ------------------------------------------------------------------------
    @property
    def sections(self) -> list[Section]:
        """Every section of every file, in the order Asterisk reads them."""
        return _merged([list(d.sections) for d in self.documents])

    def __iter__(self) -> Iterator[Section]:
        return iter(self.sections)

    def __len__(self) -> int:
        return sum(len(d.sections) for d in self.documents)

    def section(self, name: str, index: int = 0) -> Section | None:
        """The first section called ``name`` in load order (or the ``index``-th), or
        ``None``."""
        found = self.sections_named(name)
        return found[index] if -len(found) <= index < len(found) else None

    def sections_named(self, name: str) -> list[Section]:
        """Every section called ``name`` (case-insensitive) in any file, in load order."""
        if not isinstance(name, str):
            raise TypeError(f"section names are str, not {type(name).__name__}")
        lowered = fold(name)
        return [
            s for s in _merged([d._index.by_name.get(lowered, []) for d in self.documents])
            if fold(s.name) == lowered
        ]

    def __getitem__(self, name: str) -> Section:
        section = self.section(name)
        if section is None:
            raise KeyError(name)
        return section

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.section(name) is not None

    def document(self, path: str | os.PathLike[str]) -> Document:
        """The tree's document for the file at ``path``."""
        found = self._by_path.get(os.path.realpath(path))
        if found is None:
            raise KeyError(os.fspath(path))
        return found

    def config(self) -> Config:
        """What Asterisk loads from the tree as it is now (edits included)."""
        return self._loader().load_document(self.main)

    def __repr__(self) -> str:
        return f"<Tree {self.main.path!r} {len(self.documents)} files>"

    # -- editing ------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Tree]:
        """Group edits across the tree's files: all of them, or none."""
        with self.main._edit():
            yield self

    def add_section(
        self,
        name: str,
        *,
        template: bool = False,
        parents: Sequence[str] = (),
        after: Section | None = None,
        before: Section | None = None,
        file: str | os.PathLike[str] | None = None,
    ) -> Section:
        """Add a section (see :meth:`Document.add_section`): to the file of ``after`` or
        ``before``, else to ``file``, else at the end of the main file."""
        anchor = after if after is not None else before
        if anchor is not None:
            document = anchor.document
            if document is None or document not in self.documents:
                raise ConfigEditError(f"{anchor!r} is not a section of this tree")
        elif file is not None:
            document = self.document(file)
        else:
            document = self.main
        return document.add_section(
            name, template=template, parents=parents, after=after, before=before
        )

    def _owner(self, section: Section) -> Document:
        document = section.document
        if document is None or document not in self.documents:
            raise ConfigEditError(f"{section!r} is not a section of this tree")
        return document

    def remove_section(self, section: Section, **options: Any) -> None:
        """Remove a section from its file (see :meth:`Document.remove_section`)."""
        self._owner(section).remove_section(section, **options)

    def rename_section(self, section: Section, new_name: str, **options: Any) -> Section:
        """Rename a section (see :meth:`Document.rename_section`); references in every
        file of the tree are renamed with ``references=True``."""
        return self._owner(section).rename_section(section, new_name, **options)

    def move_section(self, section: Section, **options: Any) -> Section:
        """Move a section within its file (see :meth:`Document.move_section`)."""
        return self._owner(section).move_section(section, **options)

    # -- saving -------------------------------------------------------------------------
    @property
    def changed(self) -> list[Document]:
        """The documents with changes not saved yet."""
        return [d for d in self.documents if d.changed]

    def diff(self, *, context: int = 3) -> str:
        """The unified diff of every file's pending changes."""
        return "".join(d.diff(context=context) for d in self.documents)

    def save(self) -> list[str]:
        """Write every changed file atomically; return their paths.

        Nothing is written when any changed file was changed on disk since it was
        loaded (:class:`ConfigIOError`).
        """
        changed = self.changed
        for document in changed:
            document._check_unchanged_on_disk()
        for document in changed:
            document.save()
        return [d.path for d in changed if d.path is not None]


def load_tree(
    path: str | os.PathLike[str],
    *,
    confdir: str | os.PathLike[str] | None = None,
    exec_includes: bool = False,
    asterisk: str | int | AsteriskVersion | None = None,
) -> Tree:
    """Load ``path`` and every file its ``#include``/``#tryinclude`` lines read.

    Relative include paths resolve against ``confdir`` (Asterisk's config directory;
    default: the main file's folder); globs and ``{a,b}`` braces expand as Asterisk
    expands them.  ``#exec`` runs only with ``exec_includes=True`` (its output is not a
    file of the tree).  Include cycles and nesting deeper than Asterisk's limit are left
    to the loader, which reports them (``tree.config().diagnostics``).
    """
    version = asterisk_version(asterisk)
    main = load(path, asterisk=version)
    folder = os.fspath(confdir) if confdir is not None else os.path.dirname(
        os.path.abspath(os.fspath(path))
    )
    documents = [main]
    loaded = {os.path.realpath(os.fspath(path)): main}
    irregular = False

    def walk(document: Document, chain: tuple[str, ...]) -> None:
        nonlocal irregular
        if len(chain) > MAX_INCLUDE_LEVEL:
            irregular = True
            return
        counts: dict[int, int] = {}
        for holder, lines in _holders(document):
            for line in lines:
                if not isinstance(line, Directive) or not line.directive:
                    continue
                if line.directive == "exec" or not line.argument:
                    irregular = True
                    continue
                number = counts[id(holder)] = counts.get(id(holder), 0) + 1
                matches = include_paths(line.path, folder)
                if matches is None:
                    irregular = True
                    continue
                for position, match in enumerate(matches, 1):
                    real = os.path.realpath(match)
                    if real in chain:
                        irregular = True  # a cycle: the loader reports it
                        continue
                    if real in loaded:
                        irregular = True  # read twice: one document, two places
                        continue
                    try:
                        child = load(match, asterisk=version)
                    except ConfigIOError:
                        irregular = True
                        continue
                    child._place = (document, holder, number, position)
                    loaded[real] = child
                    documents.append(child)
                    walk(child, (*chain, real))

    walk(main, (os.path.realpath(os.fspath(path)),))
    return Tree(
        main, documents, confdir=folder, exec_includes=exec_includes, asterisk=version,
        irregular=irregular,
    )


def _holders(document: Document) -> Iterator[tuple[Section | None, list[Line]]]:
    yield None, document.preamble
    for section in document.sections:
        yield section, section.lines

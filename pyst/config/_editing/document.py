"""The document: a preamble and sections of line nodes, reproducing the source exactly."""

from __future__ import annotations

import difflib
import hashlib
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyst.config._editing import guard as _guard
from pyst.config._editing import style as _style
from pyst.config._editing.index import SectionIndex
from pyst.config._editing.io import atomic_write
from pyst.config._editing.journal import Journal
from pyst.config._editing.section import Section
from pyst.config._editing.view import DocumentScope, Meaning
from pyst.config._errors import ConfigEditError, ConfigIOError, ConfigSyntaxError
from pyst.config._semantics.loader import Loader
from pyst.config._semantics.model import Category
from pyst.config._semantics.target import DEFAULT_ASTERISK, AsteriskVersion, asterisk_version
from pyst.config._syntax.lexer import BOM, encode, fold
from pyst.config._syntax.lines import LexNotes
from pyst.config._syntax.nodes import Assignment, Blank, Comment, Directive, Header, Line
from pyst.config._syntax.parsed import ParsedFile, parse_file

if TYPE_CHECKING:
    from pyst.config._semantics.model import Config, Diagnostic
    from pyst.config._semantics.source import Source


class Document:
    """A parsed ``.conf`` file: the concrete syntax tree.

    ``dumps()`` gives back exactly what was parsed (``bytes`` if bytes were given).
    Read and edit it through :class:`Section` objects (``doc["name"]``), add, remove,
    rename and move sections here, and see what Asterisk makes of it with
    :meth:`config`.  Every edit is all or nothing; :meth:`transaction` groups edits.
    """

    def __init__(
        self,
        preamble: list[Line],
        sections: list[Section],
        *,
        path: str | None = None,
        binary: bool = False,
        notes: LexNotes | None = None,
    ):
        self.preamble = preamble
        self.sections = sections
        self.path = path
        self.binary = binary
        self.notes = notes or LexNotes()
        self._includes: bool | None = None
        self._newline: str | None = None
        self._journal = Journal()
        self._index = SectionIndex(self.sections)
        self._meaning = Meaning(DocumentScope(self))
        #: Where an include tree reads this file from: the including document and the
        #: section holding the ``#include`` (``None``: its preamble), the directive's
        #: number there and the match's number among the files its pattern names.
        self._place: tuple[Document, Section | None, int, int] | None = None
        self._source: Source | None = None
        self._confdir: str | None = None
        self._original: str | None = None
        self._disk: tuple[int, str] | None = None
        self._numbers: tuple[int, dict[int, tuple[str, int]]] = (-1, {})
        self._starts: tuple[int, list[int]] = (-1, [])
        #: ``plain_preamble``'s cached answer, with the journal stamp it holds for.
        #: (the second without, the third with ``#include`` lines allowed).
        self._plain_preamble: tuple[tuple[int, int, int], bool, bool] = (
            (0, -1, -1), False, False
        )
        #: The Asterisk whose reading edits follow (``set`` makes *it* read the value).
        self.asterisk: AsteriskVersion = DEFAULT_ASTERISK
        for section in sections:
            section._document = self

    @classmethod
    def from_parsed(cls, parsed: ParsedFile) -> Document:
        """The document of a parsed file (its line nodes are taken over, not copied)."""
        return cls(
            parsed.preamble,
            [Section(header, body) for header, body in parsed.sections],
            path=parsed.path, binary=parsed.binary, notes=parsed.notes,
        )

    # -- reading -------------------------------------------------------------------
    def lines(self) -> Iterator[Line]:
        """Every line node in file order."""
        yield from self.preamble
        for section in self.sections:
            yield section.header
            yield from section.lines

    def text(self) -> str:
        """The document as text (non-UTF-8 bytes appear as ``\\udcXX`` escapes)."""
        parts: list[str] = []
        for line in self.lines():
            parts.append(line.text)
            parts.append(line.newline)
        return "".join(parts)

    def dumps(self) -> Any:
        """The document as it would be written: the input, byte for byte, if unedited.

        Returns ``bytes`` when the document was parsed from bytes, else ``str``.
        """
        text = self.text()
        if self.binary:
            return encode(text)
        return text

    def section(self, name: str, index: int = 0) -> Section | None:
        """The first section called ``name`` (case-insensitive), or the ``index``-th of
        them; ``None`` if there is none."""
        if not isinstance(name, str):
            raise TypeError(f"section names are str, not {type(name).__name__}")
        found = self._index.by_name.get(fold(name), [])
        exact = [s for s in found if fold(s.name) == fold(name)]
        return exact[index] if -len(exact) <= index < len(exact) else None

    def sections_named(self, name: str) -> list[Section]:
        """Every section called ``name`` (case-insensitive), in file order."""
        lowered = fold(name)
        return [s for s in self._index.by_name.get(lowered, []) if fold(s.name) == lowered]

    def __getitem__(self, name: str) -> Section:
        section = self.section(name)
        if section is None:
            raise KeyError(name)
        return section

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.section(name) is not None

    def __iter__(self) -> Iterator[Section]:
        return iter(self.sections)

    def __len__(self) -> int:
        return len(self.sections)

    def __repr__(self) -> str:
        where = f" {self.path!r}" if self.path else ""
        return f"<Document{where} {len(self.sections)} sections>"

    # -- transactions ----------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Document]:
        """Group edits: if anything inside the block raises, every edit of the block is
        undone and the document is as it was before the block.  Each edit is still
        checked as it is made; blocks nest."""
        with self._edit():
            yield self

    @contextmanager
    def _edit(self) -> Iterator[None]:
        # A rollback undoes the indexes' changes too (they are in the journal's log).
        with self._journal.transaction():
            yield

    def _prefix(self) -> tuple[int, ...]:
        """The load-order key of this file's place in its include tree (``()`` alone)."""
        if self._place is None:
            return ()
        parent, holder, directive, match = self._place
        if holder is not None and id(holder) in parent._index.ordinal:
            where = holder._order_key()
        else:
            where = (*parent._prefix(), 0)
        return (*where, directive, match)

    # -- editing sections ---------------------------------------------------------------
    def add_section(
        self,
        name: str,
        *,
        template: bool = False,
        parents: Sequence[str] = (),
        after: Section | None = None,
        before: Section | None = None,
    ) -> Section:
        """Add a ``[name]`` section (with ``(!)`` and parents as asked) and return it.

        It goes after ``after``, before ``before`` (and the comment block directly above
        it), or at the end of the file; separated by one blank line when the file
        separates its sections that way, and indented like the headers around it.
        Refused when a parent does not exist above it, or when the new header would
        change what another category means (a later header that inherits from or adds
        to the same name).
        """
        if isinstance(parents, str):
            raise TypeError(f"parents is a list of names, not the str {parents!r}")
        if after is not None and before is not None:
            raise ConfigEditError("give after= or before=, not both")
        if before is not None:
            position = self._section_index(before)
        elif after is not None:
            position = self._section_index(after) + 1
        else:
            position = len(self.sections)
        header = _style.new_header(
            self, name, template=template, parents=list(parents), position=position
        )
        if not self._has_includes():
            missing = [p for p in parents if not self._defined_before(p, position)]
            if missing:
                raise ConfigEditError(
                    f"adding [{name}] refused: no category {missing[0]!r} above it to inherit "
                    "from; add it first or put the new section below it"
                )
        section = Section(header, [], self)
        names = {fold(name)}
        with self._edit():
            _guard.checked(
                self, names, lambda: self._insert_section(position, section),
                added=section, what=f"adding [{name}]",
            )
        return section

    def _insert_section(self, position: int, section: Section) -> None:
        first = next(self.lines(), None) if position == 0 else None
        self._place_section(position, section)
        if (
            first is not None and first.text.startswith(BOM) and first.text + first.newline != BOM
            and next(self.lines()) is not first
        ):
            # The file's BOM stays in front of its (new) first line.
            self._drop_bom(first)
            self._restore_bom()

    def _drop_bom(self, line: Line) -> None:
        """Take the BOM off ``line``, which was the first line and is now one of the
        first two sections' (or still in the preamble)."""
        stripped = _style.make_line(line.text[len(BOM) :], line.newline, 0)
        for holder in [self.preamble, *(s.lines for s in self.sections[:2])]:
            for index, candidate in enumerate(holder):
                if candidate is line:
                    self._journal.save_list(holder)
                    holder[index] = stripped
                    return
        for section in self.sections[:2]:
            if section.header is line and isinstance(stripped, Header):
                self._set_header(section, stripped)
                return

    def _place_section(self, position: int, section: Section) -> None:
        holder = self._holder(position)
        previous = self.sections[position - 1] if position else None
        last = holder[-1] if holder else (previous.header if previous is not None else None)
        if last is not None and last.depth != 0:
            raise ConfigEditError(
                "the place for the new section is inside a ;-- block comment --;; close it first"
            )
        journal = self._journal
        journal.save_list(holder)
        newline = _style.newline_for(self)
        followed = position < len(self.sections)
        if holder is self.preamble and [line.raw for line in holder] == [BOM]:
            # A file holding only its BOM: the BOM goes in front of the new header.
            with_bom = _style.make_line(BOM + section.header.text, newline, 0, first=True)
            if isinstance(with_bom, Header):
                holder.clear()
                section.header = with_bom
                self._add_to_list(position, section)
                return
        # Comments directly above the next header stay with it, below the new section.
        split = _trailing_comments_start(holder) if followed else len(holder)
        while split < len(holder) and (
            holder[split - 1].depth if split else previous is not None and previous.header.depth
        ):
            split += 1  # not inside a ;-- block comment --;
        moved = holder[split:]
        del holder[split:]
        unterminated = False
        if holder and not holder[-1].newline:
            holder[-1] = holder[-1].with_newline(newline)
            unterminated = True
        elif not holder and previous is not None and not previous.header.newline:
            journal.save_attribute(previous, "header")
            previous.header = previous.header.with_newline(newline)
            unterminated = True
        separated = _style.separates_sections(self)
        if (holder and separated and not isinstance(holder[-1], Blank)) or (
            not holder and previous is not None and _style.separates_sections(self, shown=True)
        ):
            # After a section with no lines too, when the file shows that it separates them.
            holder.append(Blank("", newline))
        if separated and followed:
            section.lines.append(Blank("", newline))
        section.lines.extend(moved)
        if unterminated:
            # The file still ends without a line ending (a moved section brings lines).
            if section.lines:
                journal.save_list(section.lines)
                section.lines[-1] = section.lines[-1].with_newline("")
            else:
                journal.save_attribute(section, "header")
                section.header = section.header.with_newline("")
        self._add_to_list(position, section)

    def _add_to_list(self, position: int, section: Section) -> None:
        self._journal.insert(self.sections, position, section)
        self._journal.save_attribute(section, "_document")
        section._document = self
        self._journal.on_rollback(self._index.inserted(position, section))

    def remove_section(self, section: Section, *, take_trailing_comments: bool = False) -> None:
        """Remove a section and only what is its own.

        A section owns its header, the comment block directly above the header (no blank
        line between), and its lines up to its last non-comment line, with the comments
        between them and their same-line comments.  Comment blocks after that are not
        its own: documentation and commented-out examples stay where they are (they join
        the section above).  One run of blank lines that separated the section goes with
        it.  ``take_trailing_comments=True`` also removes everything up to the next header
        (what a section's lines ran to before; use it only when you know those comments
        describe this section).

        Refused (:class:`ConfigEditError`) when a later header inherits from or adds to
        it, so that other categories would change meaning, or when the removal would
        change which lines a ``;-- --;`` block comment hides.
        """
        self._section_index(section)
        with self._edit():
            _guard.checked(
                self, {fold(section.header.raw_name)},
                lambda: self._take_out(section, take_trailing_comments),
                removed=section, what=f"removing [{section.name}]",
            )
            # Inside the transaction, so that rolling it back reattaches the section.
            self._journal.save_attribute(section, "_document")
            section._document = None

    def _take_out(
        self, section: Section, take_trailing_comments: bool
    ) -> tuple[list[Line], list[Line]]:
        """Remove ``section`` with what it owns; return the comment block that was above
        its header and the lines of its own that went with it."""
        index = self._section_index(section)
        holder = self._holder(index)
        start = _trailing_comments_start(holder)
        owned_end = len(section.lines) if take_trailing_comments else owned_length(section.lines)
        kept_below = section.lines[owned_end:]
        after_end = 0  # blank lines right below the owned part that go with it
        while after_end < len(kept_below) and isinstance(kept_below[after_end], Blank):
            after_end += 1
        separated_above = start == 0 or isinstance(holder[start - 1], Blank)
        last_section = index == len(self.sections) - 1
        if after_end == len(kept_below) and last_section:
            # Nothing of the file follows: the blank lines above it go with it instead.
            while start and isinstance(holder[start - 1], Blank):
                start -= 1
        elif not separated_above:
            after_end = 0  # the blank lines below now separate what was above it
        kept_below = kept_below[after_end:]
        before = holder[start - 1].depth if start else (
            self.sections[index - 1].header.depth if index else 0
        )
        owned = section.lines[: owned_end + after_end]
        directives = [line for line in owned if isinstance(line, Directive) and line.directive]
        if directives:
            raise ConfigEditError(
                f"[{section.name}] holds {directives[0].text.strip()!r}: removing or moving it "
                "would change which files Asterisk reads; move the directive out first"
            )
        removed_last = owned[-1] if owned else section.header
        if before != removed_last.depth:
            raise ConfigEditError(
                f"removing [{section.name}] would change which lines ;-- block comments --; hide"
            )
        first_line = next(self.lines(), None)
        bom = first_line is not None and first_line.text.startswith(BOM)
        journal = self._journal
        journal.save_list(holder)
        comments_above = holder[start:]
        del holder[start:]
        holder.extend(kept_below)
        journal.on_rollback(self._index.removing(section))
        journal.delete(self.sections, index)
        if not kept_below and last_section and not removed_last.newline:
            # A file that ends without a line ending keeps ending without one.
            if holder:
                holder[-1] = holder[-1].with_newline("")
            elif index:
                previous = self.sections[index - 1]
                journal.save_attribute(previous, "header")
                previous.header = previous.header.with_newline("")
        if bom:
            self._restore_bom()
        return comments_above, owned

    def rename_section(
        self, section: Section, new_name: str, *, references: bool = False
    ) -> Section:
        """Rename a section: only the name between ``[`` and ``]`` changes.

        Its ``(+)`` additions are renamed with it, as they are part of the same category.
        Headers that inherit from it are refused unless ``references=True``, which renames
        the name in their options too.  Refused when the new name would change what
        another category means.
        """
        old = section.header.raw_name
        self._section_index(section)
        names = {fold(old), fold(new_name)}
        load = self._meaning.of_names(names, referrers=True)
        target = load.category(section)
        same_category = [
            s for s in self.sections_named(old)
            if s is section or (s.is_addition and target is not None and load.category(s) is target)
        ]
        referrers = [
            s for s in self._meaning.scope.referring(fold(old))
            if s not in same_category and any(fold(p) == fold(old) for p in s.parents)
        ]
        if referrers and not references:
            raise ConfigEditError(
                f"renaming [{section.name}] refused: [{referrers[0].name}] inherits from it; "
                "pass references=True to rename the name there too"
            )

        def edit() -> None:
            for renamed in same_category:
                self._set_header(renamed, _style.renamed_header(renamed.header, old, new_name))
            for referrer in referrers:
                self._set_header(
                    referrer, _style.with_parent_renamed(referrer.header, old, new_name)
                )

        with self._edit():
            _guard.checked(
                self, names, edit, renamed=(section, old, new_name),
                what=f"renaming [{section.name}] to [{new_name}]",
            )
        return section

    def set_options(
        self,
        section: Section,
        *,
        template: bool | None = None,
        parents: Sequence[str] | None = None,
    ) -> Section:
        """Change a header's template flag and parents (``None``: leave as is); its name,
        comment and layout stay.  The category changes as asked, and with it the
        categories that inherit from or add to it; refused when the file would no longer
        load (a parent that does not exist above it)."""
        if isinstance(parents, str):
            raise TypeError(f"parents is a list of names, not the str {parents!r}")
        self._section_index(section)
        header = _style.with_options(
            section.header,
            template=section.template if template is None else template,
            parents=list(section.parents if parents is None else parents),
        )

        def edit() -> None:
            self._set_header(section, header)

        with self._edit():
            _guard.checked(
                self, {fold(section.header.raw_name)}, edit, renamed=(
                    section, section.header.raw_name, section.header.raw_name
                ), what=f"changing the options of [{section.name}]", changes_meaning=True,
            )
        return section

    def move_section(
        self, section: Section, *, after: Section | None = None, before: Section | None = None
    ) -> Section:
        """Move a section, with what it owns (see :meth:`remove_section`), after
        ``after`` or before ``before``.  Refused when the move would change what any
        category means (a parent must stay above the sections that inherit from it)."""
        if (after is None) == (before is None):
            raise ConfigEditError("give after= or before=")
        anchor = after if after is not None else before
        if anchor is section:
            raise ConfigEditError("a section cannot be moved next to itself")
        assert anchor is not None
        self._section_index(anchor)
        names = {fold(section.header.raw_name)}

        def edit() -> None:
            comments, body = self._take_out(section, False)
            while body and isinstance(body[-1], Blank):
                body.pop()
            while comments and isinstance(comments[0], Blank):
                comments.pop(0)  # blank lines above the last section are not its own
            if body and not body[-1].newline:  # it ended the file without a line ending
                body[-1] = body[-1].with_newline(_style.newline_for(self))
            elif not body and not section.header.newline:
                self._journal.save_attribute(section, "header")
                section.header = section.header.with_newline(_style.newline_for(self))
            section.lines[:] = body
            moved_first = [*comments, section.header][0]
            if moved_first.text.startswith(BOM):  # the BOM stays at the top of the file
                stripped = _style.make_line(moved_first.text[len(BOM) :], moved_first.newline, 0)
                if comments:
                    comments[0] = stripped
                elif isinstance(stripped, Header):
                    self._journal.save_attribute(section, "header")
                    section.header = stripped
            position = self._section_index(anchor) + (1 if after is not None else 0)
            self._insert_section(position, section)
            if comments:
                holder = self._holder(self._section_index(section))
                self._journal.save_list(holder)
                holder.extend(comments)
                header = section.header
                if header.text.startswith(BOM) and next(self.lines()) is not header:
                    self._drop_bom(header)  # its comments are above it now
                    self._restore_bom()
            # The moved lines were read after other lines: they must read the same here
            # (a ;-- block comment or a stray --; before them changes what they are).
            first = next(self.lines())
            depth = 0
            for line in [*comments, section.header, *section.lines]:
                again = _style.make_line(line.text, line.newline, depth, first=line is first)
                if type(again) is not type(line) or again.depth != line.depth:
                    raise ConfigEditError(
                        f"moving [{section.name}] refused: block comments would read its "
                        "lines differently there"
                    )
                depth = line.depth

        with self._edit():
            self._journal.save_list(section.lines)
            _guard.checked(self, names, edit, moved=section, what=f"moving [{section.name}]")
        return section

    def _rewrite_elsewhere(self, nodes: list[Line], value: str) -> Assignment | None:
        """Rewrite the first of ``nodes`` (lines that wrote one value, found anywhere in
        the scope's files) to ``value``, removing the others; ``None`` when the first is
        not a line of the scope (a file outside the tree wrote it)."""
        places: dict[int, list[Line]] = {}
        wanted = {id(node) for node in nodes}
        documents = list(self._meaning.scope.documents())
        # Such lines are before the first header of an included file: look in the
        # preambles first, and through every section only if some are elsewhere.
        for holders in (
            [d.preamble for d in documents],
            [s.lines for d in documents for s in d.sections],
        ):
            for holder in holders:
                for line in holder:
                    places[id(line)] = holder
            if wanted <= places.keys():
                break
        base, *rest = nodes
        found = places.get(id(base))
        if found is None or not isinstance(base, Assignment):
            return None
        holder = found
        index = next(i for i, line in enumerate(holder) if line is base)
        depth = holder[index - 1].depth if index else 0
        replacement = _style.with_value(
            base, value, depth, operator="=" if base.operator == "+=" else None
        )
        self._journal.save_list(holder)
        holder[index] = replacement
        for line in rest:
            container = places.get(id(line))
            if container is not None:
                self._journal.save_list(container)
                container[:] = [candidate for candidate in container if candidate is not line]
        return replacement

    def _set_header(self, section: Section, header: Header) -> None:
        old = section.header
        self._journal.save_attribute(section, "header")
        section.header = header
        self._journal.on_rollback(self._index.header_changed(section, old))

    def _holder(self, position: int) -> list[Line]:
        """The lines just above the header at ``position`` (a section's, or the preamble)."""
        return self.sections[position - 1].lines if position else self.preamble

    def _defined_before(self, name: str, position: int) -> bool:
        """Whether a section before ``position`` creates a category ``name``."""
        folded = fold(name)
        limit = self.sections[position] if position < len(self.sections) else None
        for section in self._index.by_name.get(folded, []):
            if limit is not None and not self._index.before(section, limit):
                break
            if not section.header.is_addition:
                return True
        return False

    def _has_includes(self) -> bool:
        """Whether this file has ``#include``/``#tryinclude``/``#exec`` lines.

        Edits never add directives, so the answer is computed once.
        """
        if self._includes is None:
            self._includes = any(
                isinstance(line, Directive) and line.directive for line in self.lines()
            )
        return self._includes

    def _restore_bom(self) -> None:
        """Put the file's BOM back on its (new) first line."""
        first = next(self.lines(), None)
        if first is None:
            self._journal.save_list(self.preamble)
            self.preamble.append(Blank(BOM, ""))  # the file is empty but for its BOM
            return
        if first.text.startswith(BOM):
            return
        replacement = _style.make_line(BOM + first.text, first.newline, 0, first=True)
        if self.preamble:
            self._journal.save_list(self.preamble)
            self.preamble[0] = replacement
        elif self.sections and isinstance(replacement, Header):
            self._set_header(self.sections[0], replacement)

    def _section_index(self, section: Section) -> int:
        if section not in self._index:
            raise ConfigEditError(f"{section!r} is not a section of this document")
        return self._index.position(section)

    def _category_sections(self, section: Section, view: Category) -> list[Section]:
        """The sections (in order) whose headers build the category ``view`` of
        ``section``: the one that created it and its ``(+)`` additions."""
        meaning = self._meaning
        load = meaning.of_names([section.header.raw_name])
        candidates = meaning.sections_named(section.header.raw_name)
        return [s for s in candidates if load.category(s) is view] or [section]

    def _located(self, section: Section) -> Category | None:
        """The category of ``section`` with the true line of each value."""
        meaning = self._meaning
        view = meaning.category(section)
        if view is None or meaning.needs_whole_file():
            return view
        # The lines that built it are in the sections its partial load read: number
        # those from where each section starts (no table of the whole file per edit).
        places: dict[int, tuple[Section, int]] = {}
        for name in meaning._closure({fold(section.header.raw_name)}, referrers=False):
            for holder in meaning.scope.named(name):
                places[id(holder.header)] = (holder, 0)
                for offset, node in enumerate(holder.lines, 1):
                    places[id(node)] = (holder, offset)
        tables: list[dict[int, tuple[str, int]]] = []

        def where(node: object) -> tuple[str, int] | None:
            found = places.get(id(node))
            if found is not None and found[0].document is not None:
                holder, offset = found
                document = holder.document
                assert document is not None
                return document.path or "<string>", document._header_line(holder) + offset
            if not tables:  # written outside its sections: look in every file's table
                tables.extend(d._line_numbers() for d in meaning.scope.documents())
            for table in tables:
                located = table.get(id(node))
                if located is not None:
                    return located
            return None

        file, line = where(section.header) or (view.file, view.line)
        variables = []
        for variable in view.variables:
            found = where(variable.nodes[0]) if variable.nodes else None
            if found is not None:
                variable = replace(variable, file=found[0], line=found[1])
            variables.append(variable)
        return replace(view, variables=variables, file=file, line=line)

    def _header_line(self, section: Section) -> int:
        """The line number of ``section``'s header in this file."""
        version, starts = self._starts
        if version != self._journal.version:
            starts = list(accumulate(
                (1 + len(s.lines) for s in self.sections), initial=len(self.preamble) + 1
            ))
            self._starts = (self._journal.version, starts)
        return starts[self._index.position(section)]

    def _line_numbers(self) -> dict[int, tuple[str, int]]:
        """``(file, line number)`` of each line node, by ``id``."""
        version, numbers = self._numbers
        if version != self._journal.version:
            file = self.path or "<string>"
            numbers = {id(line): (file, number) for number, line in enumerate(self.lines(), 1)}
            self._numbers = (self._journal.version, numbers)
        return numbers

    # -- meaning and saving ------------------------------------------------------------
    def _loader(self, follow_includes: bool = True) -> Loader:
        return Loader(
            confdir=self._confdir, follow_includes=follow_includes, source=self._source,
            asterisk=self.asterisk,
        )

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """What Asterisk would refuse or warn about in this file alone (``#include`` is
        not followed; :meth:`config` gives the diagnostics of the whole load)."""
        return self._loader(follow_includes=False).load_document(self).diagnostics

    def config(
        self,
        *,
        confdir: str | os.PathLike[str] | None = None,
        exec_includes: bool = False,
        asterisk: str | int | AsteriskVersion | None = None,
    ) -> Config:
        """What Asterisk's loader makes of this document (see :func:`pyst.config.read`).

        ``#include`` paths resolve against ``confdir`` (default: the folder of this
        document's file, or the current directory).  ``#exec`` runs only when
        ``exec_includes`` is true, like Asterisk's ``execincludes`` option.  ``asterisk``
        is the Asterisk that reads it (default: the document's :attr:`asterisk`).
        """
        return Loader(
            confdir=confdir if confdir is not None else self._confdir,
            exec_includes=exec_includes, source=self._source,
            asterisk=asterisk if asterisk is not None else self.asterisk,
        ).load_document(self)

    def original(self) -> str:
        """The text as it was parsed or last saved."""
        if self._original is None:
            self._original = self.text()
        return self._original

    def diff(self, *, context: int = 3) -> str:
        """The unified diff of the changes not saved yet (``""`` when there are none)."""
        name = self.path or "<string>"
        before = self.original().splitlines(keepends=True)
        after = self.text().splitlines(keepends=True)
        return "".join(
            _terminated(line)
            for line in difflib.unified_diff(
                before, after, f"a/{name}", f"b/{name}", n=context
            )
        )

    @property
    def changed(self) -> bool:
        """Whether the document differs from what was parsed or last saved."""
        return self.text() != self.original()

    def save(self, path: str | os.PathLike[str] | None = None) -> None:
        """Write the document atomically to ``path`` (default: where it was loaded from).

        Refused (:class:`ConfigIOError`) when the file it was loaded from changed on disk
        since: save to another path, or load it again and redo the edits.
        """
        target = path if path is not None else self.path
        if target is None:
            raise ConfigEditError("this document has no path: pass one to save()")
        if self._disk is not None and self.path is not None and (
            path is None or os.path.realpath(path) == os.path.realpath(self.path)
        ):
            self._check_unchanged_on_disk()
        text = self.text()
        data = encode(text)
        atomic_write(Path(target), data)
        if path is None or self.path is None or (
            os.path.realpath(path) == os.path.realpath(self.path)
        ):
            self._original = text
            self._disk = _signature(data)

    def _check_unchanged_on_disk(self) -> None:
        assert self.path is not None and self._disk is not None
        try:
            data = Path(self.path).read_bytes()
        except FileNotFoundError:
            return
        except OSError as error:
            raise ConfigIOError(f"cannot read {self.path}: {error.strerror}") from error
        if _signature(data) != self._disk:
            raise ConfigIOError(
                f"{self.path} changed on disk since it was loaded; not overwriting it -- "
                "load it again and redo the edits, or save() to another path"
            )


def _signature(data: bytes) -> tuple[int, str]:
    return len(data), hashlib.sha256(data).hexdigest()


def _terminated(line: str) -> str:
    return line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"


def owned_length(lines: list[Line]) -> int:
    """How many of a section's ``lines`` are its own: up to its last line that is neither
    a comment nor blank (comment blocks and blank lines after that stand on their own)."""
    end = len(lines)
    while end and isinstance(lines[end - 1], (Comment, Blank)):
        end -= 1
    while 0 < end < len(lines) and lines[end - 1].depth:
        end += 1  # a ;-- block comment its last line opened: up to where it closes
    return end


def _trailing_comments_start(lines: list[Line]) -> int:
    """Index where the comment lines at the end of ``lines`` begin (``len`` if none)."""
    start = len(lines)
    while start and isinstance(lines[start - 1], Comment):
        start -= 1
    return start


def parse(
    source: str | bytes,
    *,
    path: str | None = None,
    strict: bool = False,
    asterisk: str | int | AsteriskVersion | None = None,
) -> Document:
    """Parse Asterisk ``.conf`` source into a :class:`Document`.

    Never raises on any input unless ``strict`` is true: whatever Asterisk would refuse
    or warn about is kept and reported by :meth:`Document.config`.  With ``strict=True``
    a :class:`ConfigSyntaxError` carrying those diagnostics is raised when there are any
    (includes are not followed).  ``asterisk`` is the Asterisk the file is for (default
    ``"22"``): reads and edits follow its rules.
    """
    document = Document.from_parsed(parse_file(source, path=path))
    document.asterisk = asterisk_version(asterisk)
    document._original = (
        source if isinstance(source, str) else bytes(source).decode("utf-8", "surrogateescape")
    )
    if strict:
        diagnostics = document.diagnostics
        if diagnostics:
            raise ConfigSyntaxError(diagnostics)
    return document


def load(
    path: str | os.PathLike[str],
    *,
    strict: bool = False,
    asterisk: str | int | AsteriskVersion | None = None,
) -> Document:
    """Read and parse the file at ``path`` (as bytes, so any encoding round-trips);
    ``asterisk`` as for :func:`parse`."""
    try:
        data = Path(path).read_bytes()
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or error
        raise ConfigIOError(f"cannot read {os.fspath(path)}: {reason}; check the path") from error
    document = parse(data, path=os.fspath(path), strict=strict, asterisk=asterisk)
    document._disk = _signature(data)
    return document

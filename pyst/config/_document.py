"""The document: a preamble and sections of line nodes, reproducing the source exactly."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyst.config import _grammar_tables, _guard, _style
from pyst.config._errors import ConfigEditError, ConfigIOError, ConfigSyntaxError
from pyst.config._gc import gc_paused
from pyst.config._lexer import BOM, CommentState, encode
from pyst.config._model import fold
from pyst.config._nodes import Blank, Comment, Directive, Header, Line
from pyst.config._parser import LexNotes, lex
from pyst.config._section import Section

if TYPE_CHECKING:
    from pyst.config._model import Config, Diagnostic
    from pyst.config._target import AsteriskVersion


class Document:
    """A parsed ``.conf`` file: the concrete syntax tree.

    ``dumps()`` gives back exactly what was parsed (``bytes`` if bytes were given).
    Edit it through :class:`Section` objects, :meth:`add_section` and
    :meth:`remove_section`; see what Asterisk makes of it with :meth:`config`.
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
        for section in sections:
            section._document = self

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

    def section(self, name: str) -> Section | None:
        """The first section called ``name`` (case-insensitive), or ``None``."""
        if not isinstance(name, str):
            raise TypeError(f"section names are str, not {type(name).__name__}")
        lowered = fold(name)
        for section in self.sections:
            if fold(section.name) == lowered:
                return section
        return None

    def sections_named(self, name: str) -> list[Section]:
        """Every section called ``name`` (case-insensitive), in file order."""
        lowered = fold(name)
        return [s for s in self.sections if fold(s.name) == lowered]

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

    # -- editing -------------------------------------------------------------------
    def add_section(
        self,
        name: str,
        *,
        template: bool = False,
        parents: list[str] | tuple[str, ...] = (),
        after: Section | None = None,
    ) -> Section:
        """Add a ``[name]`` section (with ``(!)`` and parents as asked) and return it.

        It goes after ``after``, or at the end of the file, separated by one blank line
        when the file separates its sections that way.
        """
        if isinstance(parents, str):
            raise TypeError(f"parents is a list of names, not the str {parents!r}")
        header = _style.new_header(self, name, template=template, parents=list(parents))
        position = len(self.sections) if after is None else self._section_index(after) + 1
        missing = [p for p in parents if not self._defined_before(p, position)]
        if missing:
            raise ConfigEditError(
                f"adding [{name}] refused: no category {missing[0]!r} above it to inherit from"
            )
        holder = self.sections[position - 1].lines if position else self.preamble
        previous = self.sections[position - 1] if position else None
        last = holder[-1] if holder else (previous.header if previous is not None else None)
        if last is not None and last.depth != 0:
            raise ConfigEditError(
                "the place for the new section is inside a ;-- block comment --;; close it first"
            )
        saved_lines = holder[:]
        saved_header = previous.header if previous is not None else None
        saved_sections = self.sections[:]
        section = Section(header, [], self)
        followed = position < len(self.sections)

        def edit() -> None:
            newline = _style.newline_for(self)
            if holder is self.preamble and [line.raw for line in holder] == [BOM]:
                # A file holding only its BOM: the BOM goes in front of the new header.
                with_bom = _style.make_line(BOM + section.header.text, newline, 0)
                if isinstance(with_bom, Header):
                    holder.clear()
                    section.header = with_bom
                    self.sections.insert(position, section)
                    return
            # Comments directly above the next header stay with it, below the new section.
            moved = holder[_trailing_comments_start(holder) :] if followed else []
            del holder[len(holder) - len(moved) :]
            unterminated = False
            if holder and not holder[-1].newline:
                holder[-1] = holder[-1].with_newline(newline)
                unterminated = True
            elif not holder and previous is not None and not previous.header.newline:
                previous.header = previous.header.with_newline(newline)
                unterminated = True
            separated = _style.separates_sections(self)
            if holder and separated and not isinstance(holder[-1], Blank):
                holder.append(Blank("", newline))
            if separated and followed:
                section.lines.append(Blank("", newline))
            section.lines.extend(moved)
            if unterminated:
                # The file still ends without a line ending.
                section.header = section.header.with_newline("")
            self.sections.insert(position, section)

        def undo() -> None:
            holder[:] = saved_lines
            if previous is not None and saved_header is not None:
                previous.header = saved_header
            self.sections[:] = saved_sections
            section.lines.clear()

        if followed or self._has_includes():
            _guard.checked_edit(self, section.header, edit, undo, removing=False)
        else:
            edit()  # at the end of a self-contained file nothing below can change meaning
        return section

    def remove_section(self, section: Section) -> None:
        """Remove a section: its header, its lines, and the comments directly above it.

        Comments directly above the next header stay with that header.  Refused
        (:class:`ConfigEditError`) when a later header inherits from or adds to it, so
        that other categories would change meaning.
        """
        index = self._section_index(section)
        holder = self.sections[index - 1].lines if index else self.preamble
        keep = _trailing_comments_start(holder)
        last_section = index == len(self.sections) - 1
        if last_section:
            # The blank lines that separated the last section go with it.
            while keep and isinstance(holder[keep - 1], Blank):
                keep -= 1
        kept_below = [] if last_section else section.lines[
            _trailing_comments_start(section.lines) :
        ]
        before = holder[keep - 1].depth if keep else (
            self.sections[index - 1].header.depth if index else 0
        )
        removed_last = section.lines[len(section.lines) - len(kept_below) - 1] if len(
            section.lines
        ) > len(kept_below) else section.header
        if before != removed_last.depth:
            raise ConfigEditError(
                f"removing [{section.name}] would change which lines ;-- block comments --; hide"
            )
        first_line = next(self.lines(), None)
        bom = first_line is not None and first_line.text.startswith(BOM)
        saved_lines = holder[:]
        saved_sections = self.sections[:]
        saved_first = self.preamble[0] if self.preamble else None

        def edit() -> None:
            del holder[keep:]
            holder.extend(kept_below)
            del self.sections[index]
            if bom:
                self._restore_bom()

        def undo() -> None:
            holder[:] = saved_lines
            self.sections[:] = saved_sections
            if saved_first is not None and self.preamble:
                self.preamble[0] = saved_first

        later = [s.header for s in self.sections[index + 1 :]]
        if self._has_includes() or _guard.may_refer_to(section.name, later):
            _guard.checked_edit(self, section.header, edit, undo, removing=True)
        else:
            edit()
        section._document = None

    def _defined_before(self, name: str, position: int) -> bool:
        """Whether a section before ``position`` creates a category ``name`` (any, for "")."""
        folded = fold(name)
        for section in self.sections[:position]:
            header = section.header
            if (not name or fold(header.raw_name) == folded) and not header.is_addition:
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
            self.preamble.append(Blank(BOM, ""))  # the file is empty but for its BOM
            return
        if first.text.startswith(BOM):
            return
        replacement = _style.make_line(BOM + first.text, first.newline, 0)
        if self.preamble:
            self.preamble[0] = replacement
        elif self.sections and isinstance(replacement, Header):
            self.sections[0].header = replacement

    def _section_index(self, section: Section) -> int:
        for index, candidate in enumerate(self.sections):
            if candidate is section:
                return index
        raise ConfigEditError(f"{section!r} is not a section of this document")

    # -- meaning and saving ------------------------------------------------------------
    @property
    def diagnostics(self) -> list[Diagnostic]:
        """What Asterisk would refuse or warn about in this file alone (``#include`` is
        not followed; :meth:`config` gives the diagnostics of the whole load)."""
        from pyst.config._loader import Loader

        return Loader(follow_includes=False).load_document(self).diagnostics

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
        is the Asterisk that reads it (default ``"22"``).
        """
        from pyst.config._loader import Loader

        return Loader(
            confdir=confdir, exec_includes=exec_includes, asterisk=asterisk
        ).load_document(self)

    def save(self, path: str | os.PathLike[str] | None = None) -> None:
        """Write the document atomically to ``path`` (default: where it was loaded from)."""
        from pyst.config._io import atomic_write

        target = path if path is not None else self.path
        if target is None:
            raise ConfigEditError("this document has no path: pass one to save()")
        data = encode(self.text())
        atomic_write(Path(target), data)


def _trailing_comments_start(lines: list[Line]) -> int:
    """Index where the comment lines at the end of ``lines`` begin (``len`` if none)."""
    start = len(lines)
    while start and isinstance(lines[start - 1], Comment):
        start -= 1
    return start


def parse_continued(
    data: bytes, path: str, state: CommentState, first_lineno: int
) -> Document:
    """Parse one file of a glob ``#include`` as Asterisk reads it: continuing the comment
    ``state`` and the line numbers of the file read before it (for the loader only)."""
    notes = LexNotes()
    text = data.decode("utf-8", "surrogateescape")
    with gc_paused():
        lines = lex(text, notes, state=state, first_lineno=first_lineno)
        preamble, sections = _grammar_tables.parse_lines(lines, _BUILDER)
        return Document(
            preamble, [Section(h, body) for h, body in sections], path=path, binary=True,
            notes=notes,
        )


def parse(source: str | bytes, *, path: str | None = None, strict: bool = False) -> Document:
    """Parse Asterisk ``.conf`` source into a :class:`Document`.

    Never raises on any input unless ``strict`` is true: whatever Asterisk would refuse
    or warn about is kept and reported by :meth:`Document.config`.  With ``strict=True``
    a :class:`ConfigSyntaxError` carrying those diagnostics is raised when there are any
    (includes are not followed).
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        binary = True
        text = bytes(source).decode("utf-8", "surrogateescape")
    elif isinstance(source, str):
        binary = False
        text = source
    else:
        raise TypeError(f"parse() takes str or bytes, not {type(source).__name__}")
    notes = LexNotes()
    with gc_paused():
        preamble, sections = _grammar_tables.parse_lines(lex(text, notes), _BUILDER)
        document = Document(
            preamble, [Section(h, body) for h, body in sections], path=path, binary=binary,
            notes=notes,
        )
    if strict:
        diagnostics = document.diagnostics
        if diagnostics:
            raise ConfigSyntaxError(diagnostics)
    return document


class _Builder(_grammar_tables.DocumentBuilder):
    def section(self, children: list[Any]) -> Any:
        return (children[0], children[1] if len(children) > 1 else [])

    def document(self, children: list[Any]) -> Any:
        return (children[0], children[1] if len(children) > 1 else [])


_BUILDER = _Builder()


def load(path: str | os.PathLike[str], *, strict: bool = False) -> Document:
    """Read and parse the file at ``path`` (as bytes, so any encoding round-trips)."""
    try:
        data = Path(path).read_bytes()
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or error
        raise ConfigIOError(f"cannot read {os.fspath(path)}: {reason}; check the path") from error
    return parse(data, path=os.fspath(path), strict=strict)

"""The document: a preamble and sections of line nodes, reproducing the source exactly."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyst.config import _grammar_tables, _guard, _style
from pyst.config._append import append_target
from pyst.config._errors import ConfigEditError, ConfigIOError, ConfigSyntaxError
from pyst.config._gc import gc_paused
from pyst.config._lexer import BLANKS, CommentState, encode
from pyst.config._model import fold
from pyst.config._nodes import Assignment, Blank, Comment, Directive, Header, Line
from pyst.config._parser import LexNotes, lex

if TYPE_CHECKING:
    from pyst.config._model import Config


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
        for line in self.assignments():
            seen.setdefault(fold(line.name), line.name)
        return list(seen.values())

    def variables(self) -> list[tuple[str, str, list[Assignment]]]:
        """This section's own variables as Asterisk builds them from its lines, with the
        lines that made each (``+=`` lines append to an earlier one; nothing inherited).

        Returns ``(name, value, lines)`` triples in order.
        """
        entries: list[tuple[str, str, list[Assignment]]] = []
        for line in self.assignments():
            name, operator, text = line.parts()
            if operator == "+=":
                landing = append_target([(n, v) for n, v, _ in entries], name, text)
                if landing is not None:
                    index, new_name, new_value = landing
                    entries[index] = (new_name, new_value, [*entries[index][2], line])
                    continue
            if name:
                entries.append((name, text.strip(BLANKS), [line]))
        return entries

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
        return isinstance(name, str) and bool(self.assignments(name))

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __repr__(self) -> str:
        return f"<Section [{self.name}] {len(self.lines)} lines>"

    # -- editing -------------------------------------------------------------------
    def set(self, name: str, value: str) -> Assignment:
        """Set ``name`` to ``value``: change the last occurrence, or append a new line.

        Only the value's bytes change; indentation, spacing and comments stay.  When that
        occurrence was built with ``+=`` lines, the first line gets the value (as ``=``)
        and the ``+=`` lines that extended it are removed, so Asterisk reads ``value``.
        """
        found = self._matching(name)
        if not found:
            return self.add(name, value)
        base, *appended = found[-1][2]
        index = self._index(base)
        replacement = _style.with_value(
            base, value, self._depth_before(index),
            operator="=" if base.operator == "+=" else None,
        )
        for line in appended:
            self._check_removable(line)
        self.lines[index] = replacement
        for line in appended:
            self.remove_line(line)
        return replacement

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
        """Remove every assignment of ``name`` with its own comments; return how many."""
        found = self.assignments(name)
        for line in found:
            self.remove_line(line)
        return len(found)

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
        header = _style.new_header(self, name, template=template, parents=list(parents))
        position = len(self.sections) if after is None else self._section_index(after) + 1
        holder = self.sections[position - 1].lines if position else self.preamble
        previous = self.sections[position - 1] if position else None
        last = holder[-1] if holder else (previous.header if previous else None)
        if last is not None and last.depth != 0:
            raise ConfigEditError(
                "the place for the new section is inside a ;-- block comment --;; close it first"
            )
        saved_lines = holder[:]
        saved_header = previous.header if previous else None
        saved_sections = self.sections[:]
        section = Section(header, [], self)

        def edit() -> None:
            newline = _style.newline_for(self)
            unterminated = False
            if holder and not holder[-1].newline:
                holder[-1] = holder[-1].with_newline(newline)
                unterminated = True
            elif not holder and previous and not previous.header.newline:
                previous.header = previous.header.with_newline(newline)
                unterminated = True
            separated = _style.separates_sections(self)
            if holder and separated and not isinstance(holder[-1], Blank):
                holder.append(Blank("", newline))
            if separated and position < len(self.sections):
                section.lines.append(Blank("", newline))
            if unterminated:
                # The file still ends without a line ending.
                section.header = section.header.with_newline("")
            self.sections.insert(position, section)

        def undo() -> None:
            holder[:] = saved_lines
            if previous is not None and saved_header is not None:
                previous.header = saved_header
            self.sections[:] = saved_sections

        if position == len(self.sections):
            # Nothing below can change meaning; only the parents must exist above.
            edit()
            above = {fold(s.name) for s in self.sections[:position] if not s.is_addition}
            missing = [p for p in parents if p and fold(p) not in above]
            if missing or ("" in parents and not above):
                undo()
                raise ConfigEditError(
                    f"adding [{name}] refused: no category {missing[0] if missing else ''!r} "
                    "above it to inherit from"
                )
        else:
            _guard.checked_edit(self, section.header, edit, undo, removing=False)
        return section

    def remove_section(self, section: Section) -> None:
        """Remove a section: its header, its lines, and the comments directly above it.

        Refused (:class:`ConfigEditError`) when a later header inherits from or adds to
        it, so that other categories would change meaning.
        """
        index = self._section_index(section)
        holder = self.sections[index - 1].lines if index else self.preamble
        keep = len(holder)
        while keep and isinstance(holder[keep - 1], Comment):
            keep -= 1
        if index == len(self.sections) - 1:
            # The blank lines that separated the last section go with it.
            while keep and isinstance(holder[keep - 1], Blank):
                keep -= 1
        before = holder[keep - 1].depth if keep else (
            self.sections[index - 1].header.depth if index else 0
        )
        after = section.lines[-1].depth if section.lines else section.header.depth
        if before != after:
            raise ConfigEditError(
                f"removing [{section.name}] would change which lines ;-- block comments --; hide"
            )
        saved_lines = holder[:]
        saved_sections = self.sections[:]

        def edit() -> None:
            del holder[keep:]
            del self.sections[index]

        def undo() -> None:
            holder[:] = saved_lines
            self.sections[:] = saved_sections

        later = [s.header for s in self.sections[index + 1 :]]
        if _guard.may_refer_to(section.name, later):
            _guard.checked_edit(self, section.header, edit, undo, removing=True)
        else:
            edit()
        section._document = None

    def _section_index(self, section: Section) -> int:
        for index, candidate in enumerate(self.sections):
            if candidate is section:
                return index
        raise ConfigEditError(f"{section!r} is not a section of this document")

    # -- meaning and saving ------------------------------------------------------------
    def config(
        self,
        *,
        confdir: str | os.PathLike[str] | None = None,
        exec_includes: bool = False,
    ) -> Config:
        """What Asterisk's loader makes of this document (see :func:`pyst.config.read`).

        ``#include`` paths resolve against ``confdir`` (default: the folder of this
        document's file, or the current directory).  ``#exec`` runs only when
        ``exec_includes`` is true, like Asterisk's ``execincludes`` option.
        """
        from pyst.config._loader import Loader

        return Loader(confdir=confdir, exec_includes=exec_includes).load_document(self)

    def save(self, path: str | os.PathLike[str] | None = None) -> None:
        """Write the document atomically to ``path`` (default: where it was loaded from)."""
        from pyst.config._io import atomic_write

        target = path if path is not None else self.path
        if target is None:
            raise ConfigEditError("this document has no path: pass one to save()")
        data = encode(self.text())
        atomic_write(Path(target), data)


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
        from pyst.config._loader import Loader

        diagnostics = Loader(follow_includes=False).load_document(document).diagnostics
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
    except OSError as error:
        raise ConfigIOError(
            f"cannot read {os.fspath(path)}: {error.strerror or error}; check the path"
        ) from error
    return parse(data, path=os.fspath(path), strict=strict)

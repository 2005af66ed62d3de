"""Edits of extensions.conf in the context's own style, checked against Asterisk's view.

Every edit is made on the lossless :class:`pyst.config.Document` (lines the edit does not
touch keep their bytes), then the dialplan is re-read and compared with the intended
change; if Asterisk would read anything else, the document is restored and
:class:`DialplanEditError` is raised.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pyst.config import Assignment, ConfigEditError, Document, Line, Section, parse
from pyst.dialplan._loader import build
from pyst.dialplan._model import Dialplan, Extension, Priority
from pyst.dialplan._patterns import ext_strncpy, shrink_phone_number
from pyst.dialplan._strsep import pbx_strsep

__all__ = ["DialplanEditError", "DialplanEditor", "Step", "snapshot"]

Step = str | tuple[str, str]
"""A priority to write: ``"App(data)"`` or ``("App", "data")``."""

_NUMBER = re.compile(r"^(\s*)(\d+)(.*)$", re.S)
_RELATIVE = re.compile(r"^(\s*)(n|next)(\s*(?:\(.*)?)$", re.S)

Snapshot = dict[str, tuple[dict[tuple[str, str | None], tuple[tuple[int, str | None, str, str],
                                                                 ...]], tuple[str, ...]]]


class DialplanEditError(ConfigEditError):
    """An edit that cannot be made, or that would not give what was asked."""


def snapshot(dialplan: Dialplan) -> Snapshot:
    """What matters of a dialplan for comparing edits: per context, each extension's
    priorities ``(number, label, app, data)`` and the include values."""
    result: Snapshot = {}
    for context in dialplan.contexts:
        extensions = {
            (e.name, e.cid): tuple((p.number, p.label, p.app, p.data) for p in e.priorities)
            for e in context.extensions
        }
        result[context.name] = (extensions, tuple(i.value for i in context.includes))
    return result


def _step_text(step: Step) -> str:
    if isinstance(step, tuple):
        app, data = step
        return f"{app}({data})"
    return step if "(" in step else f"{step}()"


def _step_model(step: Step) -> tuple[str, str]:
    text = _step_text(step)
    head, _, tail = text.partition("(")
    return head.strip(), tail[: tail.rfind(")")]


def _check_text(text: str, what: str) -> None:
    if any(c in text for c in "\r\n\0"):
        raise DialplanEditError(f"{what} {text!r} holds a line break or NUL")


@dataclass
class _Source:
    """A line of the main document with where it sits."""

    section: Section
    node: Assignment
    line: int


class DialplanEditor:
    """Edit the dialplan of a :class:`Document` (extensions.conf) in its own style.

    ``dialplan`` is Asterisk's view of the document as it stands.  Each method changes
    as few lines as it can and raises :class:`DialplanEditError` (leaving the document
    as it was) when the change cannot be made exactly.
    """

    def __init__(self, document: Document, *, confdir: str | os.PathLike[str] | None = None,
                 asterisk: str = "22") -> None:
        self.document = document
        self._confdir = None if confdir is None else os.fspath(confdir)
        self._asterisk = asterisk
        self._view: Dialplan | None = None

    @property
    def dialplan(self) -> Dialplan:
        """Asterisk's view of the document now."""
        if self._view is None:
            config = self.document.config(confdir=self._confdir)
            self._view = build(config, asterisk=self._asterisk, confdir=self._confdir,
                               users=False)
        return self._view

    # -- plumbing ---------------------------------------------------------------------
    def _transaction(self, edit: Callable[[], None] | Sequence[Callable[[], None]],
                     intended: Callable[[Snapshot], Snapshot]) -> None:
        """Apply the first of the candidate edits whose result Asterisk reads as
        ``intended``; restore the document and raise if none does."""
        candidates = [edit] if callable(edit) else list(edit)
        before = snapshot(self.dialplan)
        expected = intended({k: (dict(v[0]), v[1]) for k, v in before.items()})
        saved_preamble = list(self.document.preamble)
        saved = [(s, s.header, list(s.lines)) for s in self.document.sections]
        saved_sections = list(self.document.sections)

        def restore() -> None:
            self.document.preamble[:] = saved_preamble
            self.document.sections[:] = saved_sections
            for section, header, lines in saved:
                section.header = header
                section.lines[:] = lines
            self._view = None

        for candidate in candidates:
            try:
                candidate()
            except Exception:
                restore()
                raise
            self._view = None
            if snapshot(self.dialplan) == expected:
                return
            restore()
        raise DialplanEditError(
            "the edit would change more than asked (Asterisk would read other priorities "
            "or includes); the document was left as it was"
        )

    def _sources(self) -> dict[int, _Source]:
        found: dict[int, _Source] = {}
        number = len(self.document.preamble)
        for section in self.document.sections:
            number += 1
            for node in section.lines:
                number += 1
                if isinstance(node, Assignment):
                    found[number] = _Source(section, node, number)
        return found

    def _source_of(self, priority: Priority, context: str) -> _Source:
        if priority.file != self.dialplan.file:
            raise DialplanEditError(
                f"priority {priority.number} comes from {priority.file}:{priority.line}, not "
                "from this document; edit that file"
            )
        source = self._sources().get(priority.line)
        if source is None:
            raise DialplanEditError(f"no line {priority.line} in this document")
        if source.section.name != context:
            raise DialplanEditError(
                f"priority {priority.number} of context [{context}] is written in "
                f"[{source.section.name}] (a template) at line {priority.line}; edit the "
                "template, which changes every context made from it"
            )
        return source

    def _sections(self, context: str) -> list[Section]:
        sections = [s for s in self.document.sections
                    if s.name == context and not s.template]
        if not sections:
            raise DialplanEditError(f"no context [{context}] in this document; add_context first")
        return sections

    def _extension(self, context: str, extension: str, cid: str | None) -> Extension:
        found = self.dialplan.context(context)
        entry = found.extension(extension, cid) if found is not None else None
        if entry is None:
            raise DialplanEditError(f"no extension {extension!r} in context [{context}]")
        return entry

    def _uses_same(self, context: str) -> bool:
        return any(line.name.lower().startswith("same")
                   for section in self._sections(context) for line in section.assignments())

    def _uses_next(self, context: str) -> bool:
        for section in self._sections(context):
            for line in section.assignments():
                field = _priority_field(line)
                if field is not None and _RELATIVE.match(field):
                    return True
        return False

    def _operator(self, context: str) -> str:
        """The operator the context's lines use (``=>`` when it has none)."""
        for section in reversed(self._sections(context)):
            for line in reversed(section.assignments()):
                if line.operator in ("=", "=>"):
                    return line.operator
        return "=>"

    def _pin_followers(self, sources: Sequence[_Source]) -> Callable[[], None]:
        """A step that writes, as plain numbers, the relative (``n``) priorities of other
        extensions' lines right after ``sources`` (they count from the line before them,
        which the edit moves)."""
        view = self.dialplan
        own = {id(source.node) for source in sources}
        numbers = {(p.file, p.line): p.number for c in view.contexts for e in c.extensions
                   for p in e.priorities}
        lines = {id(source.node): number for number, source in self._sources().items()}
        pins: list[tuple[Section, Assignment, int]] = []
        for source in sources:
            follower = _next_assignment(source.section, source.node)
            if follower is None or id(follower[1]) in own or not _is_relative(follower[1]):
                continue
            number = numbers.get((view.file, lines.get(id(follower[1]), -1)))
            if number is not None:
                pins.append((follower[0], follower[1], number))

        def run() -> None:
            for section, line, number in pins:
                if any(candidate is line for candidate in section.lines):
                    _fix_relative((section, line), number)
        return run

    # -- edits ---------------------------------------------------------------------------
    def add_context(self, name: str) -> Section:
        """Add an empty context ``[name]`` at the end of the file."""
        _check_text(name, "context name")
        if any(s.name == name for s in self.document.sections):
            raise DialplanEditError(f"context [{name}] already exists")
        made: list[Section] = []

        def edit() -> None:
            made.append(self.document.add_section(name))

        def intended(state: Snapshot) -> Snapshot:
            state[name] = ({}, ())
            return state

        self._transaction(edit, intended)
        return made[0]

    def add_extension(self, context: str, extension: str, steps: Sequence[Step], *,
                      cid: str | None = None) -> None:
        """Add ``extension`` with ``steps`` as priorities 1, 2, ... at the end of the
        context, written as the context writes them (``same => n``, ``n`` or numbers)."""
        if not steps:
            raise DialplanEditError("an extension needs at least one priority")
        for text in (extension, cid or "", *map(_step_text, steps)):
            _check_text(text, "text")
        name = extension + (f"/{cid}" if cid is not None else "")
        if any(c in name for c in ",;$") or name != name.strip():
            raise DialplanEditError(f"extension {name!r} would not be read back as written")
        found = self.dialplan.context(context)
        if found is not None and found.extension(extension, cid) is not None:
            raise DialplanEditError(f"extension {extension!r} exists in [{context}]; use "
                                    "add_priority")
        section = self._sections(context)[-1]
        uses_same = self._uses_same(context)
        uses_next = self._uses_next(context)
        texts = [_step_text(step) for step in steps]
        operator = self._operator(context)

        def edit() -> None:
            section.add("exten", f"{name},1,{texts[0]}", operator=operator)
            for number, text in enumerate(texts[1:], 2):
                if uses_same:
                    section.add("same", f"n,{text}", operator=operator)
                else:
                    priority = "n" if uses_next else str(number)
                    section.add("exten", f"{name},{priority},{text}", operator=operator)

        def intended(state: Snapshot) -> Snapshot:
            extensions, includes = state.get(context, ({}, ()))
            extensions[(extension, cid)] = tuple(
                (number, None, *_step_model(step)) for number, step in enumerate(steps, 1)
            )
            state[context] = (extensions, includes)
            return state

        self._transaction(edit, intended)

    def add_priority(self, context: str, extension: str, step: Step, *,
                     after: int | None = None, cid: str | None = None) -> int:
        """Add a priority to ``extension`` after priority ``after`` (default: its last);
        later priorities move up by one (renumbered only where written as numbers).
        Returns the new priority's number."""
        text = _step_text(step)
        _check_text(text, "step")
        entry = self._extension(context, extension, cid)
        numbered = [p for p in entry.priorities if not p.is_hint]
        if not numbered:
            raise DialplanEditError(f"extension {extension!r} has only a hint")
        anchor = numbered[-1] if after is None else entry.priority(after)
        if anchor is None or anchor.is_hint:
            raise DialplanEditError(f"extension {extension!r} has no priority {after}")
        anchor_number = anchor.number
        new_number = anchor_number + 1
        for priority in numbered:
            self._source_of(priority, context)  # refuses lines of templates and includes

        def edit(pinning: bool) -> Callable[[], None]:
            def run() -> None:
                # Everything is looked up afresh: an earlier attempt was rolled back.
                current = self._extension(context, extension, cid)
                ordered = [p for p in current.priorities if not p.is_hint]
                sources = [self._source_of(p, context) for p in ordered]
                pin = self._pin_followers(sources) if pinning else None
                by_number = dict(zip((p.number for p in ordered), sources, strict=True))
                anchor_source = by_number[anchor_number]
                later = [by_number[n] for n in by_number if n > anchor_number]
                same_lines = [s for s in sources if s.node.name.lower().startswith("same")]
                if same_lines:
                    model = same_lines[-1].node
                    relative = _is_relative(anchor_source.node) or _is_relative(model)
                    field = "n" if relative else str(new_number)
                    line = _line_like(model, f"{field},{_escape(text)}",
                                      anchor_source.node.newline)
                else:
                    template = anchor_source.node
                    ext, _ = pbx_strsep(template.raw_value)
                    field = "n" if _is_relative(template) else str(new_number)
                    line = _line_like(template, f"{ext},{field},{_escape(text)}",
                                      template.newline)
                if pin is not None:
                    pin()
                for source in later:
                    _renumber(source, +1)
                _insert_after(anchor_source.section, anchor_source.node, line)
            return run

        def intended(state: Snapshot) -> Snapshot:
            extensions, _includes = state[context]
            old = extensions[(extension, cid)]
            app, data = _step_model(step)
            shifted = [(n + 1 if n > anchor_number else n, label, a, d)
                       for n, label, a, d in old]
            shifted.append((new_number, None, app, data))
            extensions[(extension, cid)] = tuple(sorted(shifted, key=lambda p: p[0]))
            return state

        self._transaction([edit(False), edit(True)], intended)
        return new_number

    def remove_priority(self, context: str, extension: str, number: int, *,
                        cid: str | None = None) -> None:
        """Remove one priority or the hint (``number=HINT``), with the comment lines
        directly above it; later priorities move down by one (renumbered only where
        written as numbers)."""
        entry = self._extension(context, extension, cid)
        target = entry.priority(number)
        if target is None:
            raise DialplanEditError(f"extension {extension!r} has no priority {number}")
        self._source_of(target, context)
        hint = target.is_hint

        def edit(fix: bool, pinning: bool) -> Callable[[], None]:
            def run() -> None:
                current = self._extension(context, extension, cid)
                found = current.priority(number)
                assert found is not None
                source = self._source_of(found, context)
                ordered = [p for p in current.priorities if not p.is_hint]
                pin = self._pin_followers([self._source_of(p, context) for p in ordered]) \
                    if pinning else None
                later = [] if hint else [self._source_of(p, context) for p in ordered
                                         if p.number > number]
                if pin is not None:
                    pin()
                for other in later:
                    _renumber(other, -1)
                follower = _next_assignment(source.section, source.node)
                if follower is not None and not hint:
                    _take_over(source, follower, number, fix=fix)
                source.section.remove_line(source.node)
            return run

        def intended(state: Snapshot) -> Snapshot:
            extensions, _includes = state[context]
            old = extensions[(extension, cid)]
            kept = tuple((n - 1 if n > number and not hint else n, label, a, d)
                         for n, label, a, d in old if n != number)
            if kept:
                extensions[(extension, cid)] = kept
            else:
                del extensions[(extension, cid)]
            return state

        self._transaction([edit(False, False), edit(True, False), edit(False, True),
                           edit(True, True)], intended)

    def remove_extension(self, context: str, extension: str, *, cid: str | None = None) -> None:
        """Remove ``extension``: every line that registered one of its priorities or its
        hint (and, if that is what it takes, its lines Asterisk refused), each with the
        comment lines directly above it."""
        entry = self._extension(context, extension, cid)
        for priority in entry.priorities:
            self._source_of(priority, context)

        def edit(fix: bool, refused_too: bool) -> Callable[[], None]:
            def run() -> None:
                current = self._extension(context, extension, cid)
                sources = [self._source_of(p, context) for p in current.priorities]
                if refused_too:
                    sources.extend(self._refused_lines(context, current, sources))
                sources.sort(key=lambda s: s.line)
                if fix:
                    self._pin_followers(sources)()
                for source in sources:  # top down: removing the last line rebuilds the one above
                    source.section.remove_line(source.node)
            return run

        def intended(state: Snapshot) -> Snapshot:
            del state[context][0][(extension, cid)]
            return state

        self._transaction([edit(False, False), edit(True, False), edit(False, True),
                           edit(True, True)], intended)

    def _refused_lines(self, context: str, entry: Extension,
                       registered: Sequence[_Source]) -> list[_Source]:
        """The ``exten``/``same`` lines of the context naming ``entry`` that registered
        nothing (a priority already in use, a bad label, ...)."""
        taken = {id(source.node) for source in registered}
        found: list[_Source] = []
        last = ""
        for _, source in sorted(self._sources().items()):
            if source.section.name != context or source.section.template:
                continue
            lowered = source.node.name.lower()
            if lowered == "exten":
                last, _ = pbx_strsep(source.node.value)
            elif not lowered.startswith("same"):
                continue
            name, slash, cid = last.partition("/")
            written_cid = ext_strncpy(shrink_phone_number(cid)) if slash else None
            if ext_strncpy(name) != entry.name or written_cid != entry.cid_display:
                continue
            if id(source.node) not in taken:
                found.append(source)
        return found

    def add_include(self, context: str, name: str) -> None:
        """Add ``include => name`` to the end of the context."""
        _check_text(name, "include")
        found = self.dialplan.context(context)
        if found is not None and any(i.value.lower() == name.lower() for i in found.includes):
            raise DialplanEditError(f"[{context}] already includes {name!r}")
        section = self._sections(context)[-1]

        operator = self._operator(context)

        def edit() -> None:
            section.add("include", name, operator=operator)

        def intended(state: Snapshot) -> Snapshot:
            extensions, includes = state.get(context, ({}, ()))
            state[context] = (extensions, (*includes, name))
            return state

        self._transaction(edit, intended)

    def remove_include(self, context: str, name: str) -> None:
        """Remove the ``include =>`` lines of the context that include ``name``."""
        found = self.dialplan.context(context)
        matches = [i for i in (found.includes if found else []) if i.value == name]
        if not matches:
            raise DialplanEditError(f"[{context}] does not include {name!r}")
        sources = self._sources()
        doomed = []
        for section in self._sections(context):
            for line in section.assignments("include"):
                if line.value == name:
                    doomed.append((section, line))
        if not doomed:
            raise DialplanEditError(f"the include of {name!r} is not written in [{context}] "
                                    "of this document")
        del sources

        def edit() -> None:
            for section, line in doomed:
                section.remove_line(line)

        def intended(state: Snapshot) -> Snapshot:
            extensions, includes = state[context]
            state[context] = (extensions, tuple(i for i in includes if i != name))
            return state

        self._transaction(edit, intended)


# -- line surgery -------------------------------------------------------------------------
def _priority_field(line: Assignment) -> str | None:
    """The raw priority field of an ``exten``/``same`` line (``None`` for other lines)."""
    lowered = line.name.lower()
    if lowered.startswith("same"):
        return line.raw_value.split(",", 1)[0]
    if lowered == "exten":
        _, rest = pbx_strsep(line.raw_value)
        return None if rest is None else rest.split(",", 1)[0]
    return None


def _is_relative(line: Assignment) -> bool:
    field = _priority_field(line)
    return field is not None and _RELATIVE.match(field) is not None


def _parse_line(text: str, newline: str) -> Assignment:
    document = parse("[x]\n" + text + "\n")
    node = document.sections[0].lines[0]
    if not isinstance(node, Assignment):  # pragma: no cover - text is built as a = b
        raise DialplanEditError(f"{text!r} is not an assignment")
    return node.with_newline(newline)


def _escape(value: str) -> str:
    return value.replace(";", "\\;")


def _line_like(model: Assignment, raw_value: str, newline: str) -> Assignment:
    """A new line with ``model``'s indentation, name and spacing, and ``raw_value``
    (written as given: escape it first)."""
    text = (model.indent + model.raw_name + model.before_operator + model.operator
            + model.after_operator + raw_value)
    return _parse_line(text, newline or "\n")


def _with_raw_value(line: Assignment, raw_value: str) -> Assignment:
    text = (line.indent + line.raw_name + line.before_operator + line.operator
            + line.after_operator + raw_value + line.comment_space + line.comment)
    return _parse_line(text, line.newline)


def _replace(section: Section, old: Line, new: Line) -> None:
    for index, candidate in enumerate(section.lines):
        if candidate is old:
            section.lines[index] = new
            return
    raise DialplanEditError("line not found in its section")  # pragma: no cover


def _split_priority(line: Assignment) -> tuple[str, str, str] | None:
    """``(before, priority field, after)`` of the raw value."""
    raw = line.raw_value
    if line.name.lower().startswith("same"):
        field, comma, rest = raw.partition(",")
        return "", field, comma + rest
    ext, remainder = pbx_strsep(raw)
    if remainder is None:
        return None
    field, comma, tail = remainder.partition(",")
    return ext + ",", field, comma + tail


def _renumber(source: _Source, delta: int) -> None:
    """Shift a line's priority by ``delta`` if it is written as a number."""
    parts = _split_priority(source.node)
    if parts is None:
        return
    before, field, after = parts
    found = _NUMBER.match(field)
    if found is None:
        return
    field = f"{found.group(1)}{int(found.group(2)) + delta}{found.group(3)}"
    new = _with_raw_value(source.node, before + field + after)
    _replace(source.section, source.node, new)
    source.node = new


def _next_assignment(section: Section, node: Assignment) -> tuple[Section, Assignment] | None:
    seen = False
    for candidate in section.lines:
        if candidate is node:
            seen = True
        elif seen and isinstance(candidate, Assignment):
            return section, candidate
    return None


def _take_over(source: _Source, follower: tuple[Section, Assignment], number: int, *,
               fix: bool) -> None:
    """The line after a removed one keeps what it meant: a ``same`` line after a removed
    ``exten`` line becomes the ``exten`` line, a relative priority gets the removed
    line's number."""
    section, line = follower
    removed = source.node
    removed_is_exten = removed.name.lower() == "exten"
    follower_is_same = line.name.lower().startswith("same")
    parts = _split_priority(line)
    if parts is None:
        return
    _, field, after = parts
    relative = _RELATIVE.match(field)
    if removed_is_exten and follower_is_same:
        ext, _ = pbx_strsep(removed.raw_value)
        removed_parts = _split_priority(removed)
        own = removed_parts[1] if removed_parts else str(number)
        label = relative.group(3) if relative else ""
        numeric = _NUMBER.match(own)
        head = numeric.group(2) if numeric else str(number)
        new_field = (head + label.strip()) if relative else field
        text = (removed.indent + removed.raw_name + removed.before_operator + removed.operator
                + removed.after_operator + ext + "," + new_field + after + line.comment_space
                + line.comment)
        _replace(section, line, _parse_line(text, line.newline))
    elif relative and fix:
        _fix_relative((section, line), number)


def _fix_relative(follower: tuple[Section, Assignment], number: int) -> None:
    """Write a relative (``n``) priority as the number it had."""
    section, line = follower
    parts = _split_priority(line)
    if parts is None:
        return
    before, field, after = parts
    relative = _RELATIVE.match(field)
    if relative is None:
        return
    new = _with_raw_value(line, before + relative.group(1) + str(number)
                          + relative.group(3) + after)
    _replace(section, line, new)


def _insert_after(section: Section, anchor: Line, new: Assignment) -> None:
    for index, candidate in enumerate(section.lines):
        if candidate is anchor:
            if candidate.depth:
                raise DialplanEditError("cannot insert inside a ;-- block comment --;")
            if not candidate.newline:
                section.lines[index] = candidate.with_newline(new.newline or "\n")
                new = new.with_newline("")
            section.lines.insert(index + 1, new)
            return
    raise DialplanEditError("anchor line not found")  # pragma: no cover

"""Properties of every edit, over the bundled sample corpus and generated configurations.

Random sequences of every edit operation (``Section.set``/``add``/``remove``/``pop``/
``rename``/``comment_out``/``uncomment``/``update``, ``Document.add_section``/
``remove_section``/``rename_section``/``move_section`` and ``transaction()``) run on a
document; after each one:

(a) the lines the edit did not have to touch are byte-identical: the difference between
    the line lists before and after is explained by the edit (``set`` changes only lines of
    that name, ``add`` inserts one line, removals take only their own lines …);
(b) what Asterisk reads (``doc.config()``) is what it read before plus exactly the intended
    change, and every category the edit is not about is unchanged;
(c) an edit that can be made is never refused (decided independently where that is
    simple: a file that loads, without block comments or directives), one that cannot be
    made faithfully (CR/LF/NUL, edge blanks, bad names, a missing parent) is refused, and a
    refusal is a ``ConfigEditError`` that leaves the document byte-identical;
(d) the result round-trips: parsing ``dumps()`` gives the same bytes, the same kinds of
    line and the same reading, and the section index finds what a scan finds.

Groups of edits run in ``transaction()`` blocks, some aborted: an aborted block leaves the
document as it was.  Generated files are read as Asterisk 22 and master (first and last
match for ``+=`` and lookups).
"""

from __future__ import annotations

import difflib
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pyst import config
from pyst.config import (
    RETRIEVED_NAMES,
    Assignment,
    Blank,
    Comment,
    ConfigEditError,
    Header,
    Line,
)
from tests.config.helpers import (
    BUNDLED_CORPUS,
    NAME,
    VALUE,
    meaning,
    shared_path,
    write_files,
)

PROPERTIES = settings(
    max_examples=200, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CORPUS_PROPERTIES = settings(PROPERTIES, max_examples=60)
SLOW = settings(PROPERTIES, max_examples=3000)

CORPUS_FILES = sorted(BUNDLED_CORPUS.rglob("*.sample"))
_BLANKS = " \t"
BOM = "\ufeff"


def fold(name: str) -> str:
    """Asterisk's case-insensitive name comparison (ASCII only)."""
    return name.translate(str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"))


# -- generated configurations ---------------------------------------------------------------

_SECTION_NAMES = ["general", "t", "u", "a", "b", "B", "c"]
_KEY_NAMES = ["x", "y", "allow", "context", "X", "exten", "a b"]
_VALUES = st.one_of(st.sampled_from(["1", "2", "ulaw", "a,b", "x;y", "\\", "x--"]), VALUE)
_SPACES = st.sampled_from([("", ""), (" ", " "), ("\t", "\t"), (" ", ""), ("  ", " ")])
_COMMENTS = st.sampled_from(["", "", "", " ; note", ";c", " ;-- inline --;"])


@st.composite
def _assignment(draw: st.DrawFn) -> str:
    before, after = draw(_SPACES)
    indent = draw(st.sampled_from(["", "", "\t", "  "]))
    operator = draw(st.sampled_from(["=", "=", "=", "=>", "+="]))
    value = draw(_VALUES).replace(";", "\\;")
    return f"{indent}{draw(st.sampled_from(_KEY_NAMES))}{before}{operator}{after}{value}" + draw(
        _COMMENTS
    )


@st.composite
def _body(draw: st.DrawFn, includes: bool) -> list[str]:
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(
            ["assign", "assign", "assign", "comment", "blank", "commented", "block", "include",
             "other"]
        ))
        if kind == "assign":
            lines.append(draw(_assignment()))
        elif kind == "comment":
            lines.append(draw(st.sampled_from(["; a note", ";", ";; docs", "  ; indented"])))
        elif kind == "blank":
            lines.append(draw(st.sampled_from(["", "", "  "])))
        elif kind == "commented":
            lines.append(";" + draw(_assignment()).lstrip())
        elif kind == "block":
            inner = draw(st.lists(st.one_of(_assignment(), st.just("[hidden]")), max_size=2))
            closing = draw(st.sampled_from(["--;", "--;", "--; x=after", "  --;"]))
            lines.extend([draw(st.sampled_from([";-- a block", "x=1 ;-- opens"])), *inner, closing])
        elif kind == "other":  # lines Asterisk skips or only warns about
            lines.append(draw(st.sampled_from(
                ["no equals", "x =", "#bogus", "  \t", "; x=1 ; commented twice", "\\;x=3"]
            )))
        elif includes:
            lines.append("#include inc.conf")
    return lines


@st.composite
def generated_text(draw: st.DrawFn, includes: bool = False) -> str:
    """A configuration of templates, inheritance, ``(+)`` additions, ``+=``, ``=>``, block
    comments, duplicate sections and keys, LF or CRLF, maybe without a final newline."""
    lines = draw(st.lists(st.sampled_from(["; preamble", ""]), max_size=2))
    defined: list[str] = []
    for _ in range(draw(st.integers(0, 6))):
        name = draw(st.sampled_from(_SECTION_NAMES))
        options: list[str] = []
        if defined and draw(st.booleans()):
            if draw(st.booleans()):
                options.append(draw(st.sampled_from(["+", "+", "+TEMPLATES=include"])))
                name = draw(st.sampled_from(defined))
            options.extend(draw(st.lists(st.sampled_from(defined), max_size=2, unique=True)))
        if draw(st.integers(0, 3)) == 0:
            options.insert(0, "!")
        suffix = f"({','.join(options)})" if options else ""
        indent = draw(st.sampled_from(["", "", "", " "]))
        lines.append(f"{indent}[{name}]{suffix}" + draw(st.sampled_from(["", "", " ; header"])))
        lines.extend(draw(_body(includes)))
        defined.append(name)
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    text = "".join(line + newline for line in lines)
    if draw(st.integers(0, 9)) == 0:
        text = "\ufeff" + text  # a byte order mark (Asterisk skips it on the first line)
    if text and draw(st.booleans()):
        text = text.rstrip("\r\n")
    return text


_INCLUDED = st.sampled_from([
    "[t](!)\nx = from-t\nallow = ulaw\n",
    "[a]\nx=inc\n[a](+)\ny=2\n",
    "x = loose\n[u]\ncontext=inc\n",
    "[b](t)\nallow += alaw\n",
])


# -- snapshots and checks ------------------------------------------------------------------


@dataclass
class Snapshot:
    """A document's bytes, line nodes and reading at one moment."""

    data: Any
    nodes: list[Line]
    view: config.Config

    @property
    def keys(self) -> list[str]:
        """Each line's bytes; a byte order mark belongs to the file, not its first line."""
        keys = [node.text + node.newline for node in self.nodes]
        if keys and keys[0].startswith(BOM):
            keys[0] = keys[0][1:]
        return keys

    @property
    def bom(self) -> bool:
        return bool(self.nodes) and self.nodes[0].text.startswith(BOM)


def snapshot(doc: config.Document) -> Snapshot:
    return Snapshot(doc.dumps(), list(doc.lines()), doc.config())


Signature = tuple[str, bool, tuple[str, ...], list[tuple[str, str, bool]]]


def signature(
    category: config.Category, drop: frozenset[str] | set[str] = frozenset()
) -> Signature:
    return (
        category.name, category.template, tuple(category.inherits),
        [(v.name, v.value, v.object) for v in category.variables if fold(v.name) not in drop],
    )


@dataclass
class Change:
    """The lines an edit deleted (before) and inserted (after), by index."""

    deleted: list[int]
    inserted: list[int]


def line_diff(old: list[str], new: list[str]) -> tuple[list[int], list[int]]:
    """A shortest edit script between two line lists: the indices of ``old`` deleted and
    of ``new`` inserted (a longest common subsequence is kept)."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    a, b = old[start:end_old], new[start:end_new]
    if len(a) * len(b) > 250_000:  # too big for the table: a good, maybe longer, script
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        deleted: list[int] = []
        inserted: list[int] = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                deleted.extend(range(start + i1, start + i2))
                inserted.extend(range(start + j1, start + j2))
        return deleted, inserted
    # lengths[i][j]: the longest common subsequence of a[i:] and b[j:]
    lengths = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        row, below = lengths[i], lengths[i + 1]
        for j in range(len(b) - 1, -1, -1):
            row[j] = below[j + 1] + 1 if a[i] == b[j] else max(below[j], row[j + 1])
    deleted, inserted = [], []
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            i += 1
            j += 1
        elif lengths[i + 1][j] >= lengths[i][j + 1]:
            deleted.append(start + i)
            i += 1
        else:
            inserted.append(start + j)
            j += 1
    deleted.extend(range(start + i, start + len(a)))
    inserted.extend(range(start + j, start + len(b)))
    return deleted, inserted


def changes(before: Snapshot, after: Snapshot) -> Change:
    """The line diff, with a line that only gained or lost its line ending at the end of
    the file (the file keeps its "no final newline") counted as unchanged."""
    deleted, inserted = line_diff(before.keys, after.keys)
    deleted = [i for i in deleted if before.keys[i]]  # a line that was only the BOM
    for i in list(deleted):
        for j in inserted:
            a, b = before.nodes[i], after.nodes[j]
            if a.text == b.text and a.newline != b.newline and "" in (a.newline, b.newline):
                deleted.remove(i)
                inserted.remove(j)
                break
    return Change(deleted, inserted)


_PIECES = ("indent", "raw_name", "before_operator", "operator", "after_operator", "raw_value",
           "comment_space", "comment", "newline")


def frame(line: Assignment, *, value: bool = False, name: bool = False) -> tuple[str, ...]:
    """A line's pieces, without its value (and operator) or its name."""
    dropped = {"raw_value", "operator"} if value else {"raw_name"} if name else set()
    return tuple(getattr(line, piece) for piece in _PIECES if piece not in dropped)


def drop_space(pieces: tuple[str, ...], drop: bool) -> tuple[str, ...]:
    """``pieces`` of :func:`frame` (value dropped) without the blanks around the value
    (``after_operator``, ``comment_space``) if ``drop``."""
    return pieces[:3] + pieces[5:] if drop else pieces


def replaced(change: Change, before: Snapshot, inserted: int) -> Line | None:
    """The deleted line that the inserted line ``inserted`` took the place of, if any."""
    for i in change.deleted:
        kept_before = i - sum(1 for d in change.deleted if d < i)
        if kept_before == inserted - sum(1 for j in change.inserted if j < inserted):
            return before.nodes[i]
    return None


def check_round_trip(doc: config.Document, now: Snapshot) -> None:
    """(d), and that the edited tree is the tree a fresh parse gives."""
    again = config.parse(now.data, path=doc.path, asterisk=doc.asterisk)
    assert again.dumps() == now.data
    assert [type(n).__name__ for n in again.lines()] == [type(n).__name__ for n in now.nodes]
    assert [s.header.text for s in again.sections] == [s.header.text for s in doc.sections]
    assert meaning(again.config()) == meaning(now.view)
    for section in doc.sections:  # the name index follows the edits
        name = fold(section.header.raw_name)
        first = next(s for s in doc.sections if fold(s.header.raw_name) == name)
        assert doc.section(section.header.raw_name) is first


def check_final_newline(before: Snapshot, after: Snapshot) -> None:
    if any(before.keys) and any(after.keys):
        assert bool(before.nodes[-1].newline) == bool(after.nodes[-1].newline)


def category_index(view: config.Config, section: config.Section) -> int | None:
    """Where the category ``section`` creates or adds to is in ``view``."""
    category = section.category()
    if category is None:
        return None
    for index, candidate in enumerate(view.categories):
        if (candidate.name, candidate.line, candidate.file) == (
            category.name, category.line, category.file
        ):
            return index
    return None


def descendants(view: config.Config, index: int) -> set[int]:
    """``index`` and the categories that inherit from its name, transitively (a ``(+)``
    addition with parents can make an earlier category inherit)."""
    names = {fold(view.categories[index].name)}
    found = {index}
    grown = True
    while grown:
        grown = False
        for position, category in enumerate(view.categories):
            if position not in found and any(fold(p) in names for p in category.inherits):
                found.add(position)
                names.add(fold(category.name))
                grown = True
    return found


def check_key_meaning(
    before: Snapshot, after: Snapshot, index: int, names: set[str]
) -> None:
    """(b) for an edit of the keys ``names`` of category ``index``: the other categories
    are unchanged (those inheriting from it may differ in ``names`` only)."""
    b, a = before.view.categories, after.view.categories
    assert after.view.loaded == before.view.loaded
    assert len(a) == len(b)
    related = descendants(before.view, index)
    for position, (old, new) in enumerate(zip(b, a, strict=True)):
        if position in related:
            assert signature(old, names) == signature(new, names)
        else:
            assert signature(old) == signature(new)


def inherits(view: config.Config, index: int) -> bool:
    """Whether category ``index`` has parents (which may copy what an edit of it changes
    back into it, through a ``(+)`` addition)."""
    return bool(view.categories[index].inherits)


def appends_to(doc: config.Document, name: str) -> bool:
    """Whether a ``name += …`` line is in the document (a new line may change what it
    extends)."""
    return any(
        isinstance(n, Assignment) and n.operator == "+=" and fold(n.name) == fold(name)
        for n in doc.lines()
    )


def has_block_comments(doc: config.Document) -> bool:
    return any(";--" in node.text or "--;" in node.text for node in doc.lines())


# -- the edits -----------------------------------------------------------------------------


class Context:
    """One document under random edits, drawing what to edit from ``data``."""

    def __init__(self, doc: config.Document, data: st.DataObject):
        self.doc = doc
        self.data = data
        self.fresh = 0

    def draw(self, strategy: st.SearchStrategy[Any], label: str | None = None) -> Any:
        return self.data.draw(strategy, label=label)

    def simple(self, now: Snapshot) -> bool:
        """Whether validity is decidable here: a file that loads without errors, with
        no block comments and no includes."""
        doc = self.doc
        return (
            now.view.loaded
            and not any(d.severity.value == "error" for d in now.view.diagnostics)
            and not has_block_comments(doc)
            and not any(n.text.lstrip().startswith("#") for n in now.nodes)
            # a category that inherits from itself must stay empty (else Asterisk hangs)
            and not any(
                fold(s.header.raw_name) in {fold(p) for p in s.parents} for s in doc.sections
            )
        )

    def section(self) -> config.Section:
        return self.draw(st.sampled_from(self.doc.sections), "section")

    def key(self, section: config.Section) -> str:
        known = sorted({*section.keys(), *section.own.keys()})
        choices = [st.sampled_from(_KEY_NAMES), NAME]
        if known:
            choices.insert(0, st.sampled_from(known))
        return self.draw(st.one_of(*choices), "key")

    def value(self) -> str:
        return self.draw(st.one_of(
            _VALUES.map(lambda v: v.strip(_BLANKS)),
            st.sampled_from([" x", "x ", "a\nb", "x\r", "nul\0", ";--", "--;", "x\\", "=>v",
                             ">v", "[v]"]),
        ), "value")

    def new_name(self) -> str:
        self.fresh += 1
        return self.draw(st.sampled_from([f"new{self.fresh}", f"New-{self.fresh}"]), "name")


class Refused(Exception):
    """An edit raised ConfigEditError (checked: nothing changed)."""


def attempt(
    ctx: Context, before: Snapshot, edit: Callable[[], Any], valid: bool, invalid: bool = False
) -> Any:
    """Run ``edit``; a refusal must leave the document byte-identical (and not happen when
    ``valid``; it must happen when ``invalid``).  Returns the edit's result, or raises
    :class:`Refused`."""
    assert not (valid and invalid)
    try:
        result = edit()
        assert not invalid, "an edit that cannot be made faithfully was not refused"
        return result
    except ConfigEditError as error:
        assert ctx.doc.dumps() == before.data, "a refused edit changed the document"
        assert meaning(ctx.doc.config()) == meaning(before.view)
        assert not valid, f"a valid edit was refused: {error}"
        raise Refused from error


def op_set(ctx: Context, before: Snapshot) -> None:
    section = ctx.section()
    name = ctx.key(section)
    value = ctx.value()
    index = category_index(before.view, section)
    category = before.view.categories[index] if index is not None else None
    safe = value == value.strip(_BLANKS) and not any(c in value for c in "\r\n\0")
    valid = (
        ctx.simple(before) and safe and category is not None
        and not (fold(name) in RETRIEVED_NAMES and any(
            v.inherited for v in category.variables if fold(v.name) == fold(name)))
    )
    attempt(ctx, before, lambda: section.set(name, value), valid, invalid=not safe)
    after = snapshot(ctx.doc)
    change = changes(before, after)
    deleted = [before.nodes[i] for i in change.deleted]
    inserted = [after.nodes[j] for j in change.inserted]
    assert len(inserted) <= 1, "set writes at most one line"
    if not inserted:  # the line already said so (a += chain may have collapsed into it)
        assert all(
            isinstance(n, Comment) or (isinstance(n, Assignment) and n.operator == "+=")
            for n in deleted
        )
    else:
        new = inserted[0]
        assert isinstance(new, Assignment) and fold(new.name) == fold(name)
        assert new.value == value
        old = replaced(change, before, change.inserted[0])
        if isinstance(old, Assignment):  # rewritten in place: only the value's bytes change
            # (the blanks around an empty value are ambiguous; a value that starts with
            # '>' needs a blank after '=' so as not to be read as '=>', one that ends
            # with '\' or '-' a blank before a ';' comment, not to escape it or make '--;')
            loose = not old.raw_value or not new.raw_value or value.startswith(">") or (
                value.endswith(("\\", "-")))
            ends = not old.newline or not new.newline  # a new last line of the file
            assert drop_space(frame(old, value=True), loose)[: -1 if ends else None] == (
                drop_space(frame(new, value=True), loose)[: -1 if ends else None])
            assert new.operator == ("=" if old.operator == "+=" else old.operator)
    appended = any(isinstance(n, Assignment) and n.operator == "+=" for n in deleted)
    for node in deleted:
        if isinstance(node, Comment):
            assert appended, "set took a comment with it, but no += line"
        else:
            assert isinstance(node, Assignment) and fold(node.name) == fold(name), node
    if index is not None and before.view.loaded:
        check_key_meaning(before, after, index, {fold(name)})
        chosen = after.view.categories[index].variable(name)
        assert chosen is not None and chosen.value == value


def op_update(ctx: Context, before: Snapshot) -> None:
    section = ctx.section()
    pairs = {ctx.key(section): ctx.value() for _ in range(ctx.draw(st.integers(1, 3)))}
    try:
        attempt(ctx, before, lambda: section.update(pairs), False)
    except Refused:
        return
    after = snapshot(ctx.doc)
    change = changes(before, after)
    names = {fold(name) for name in pairs}
    touched = [before.nodes[i] for i in change.deleted]
    for node in touched + [after.nodes[j] for j in change.inserted]:
        assert isinstance(node, Comment) or (
            isinstance(node, Assignment) and fold(node.name) in names
        ), node
    index = category_index(before.view, section)
    if index is not None and before.view.loaded:
        check_key_meaning(before, after, index, names)
        final = {fold(name): (name, value) for name, value in pairs.items()}
        for name, value in final.values():
            chosen = after.view.categories[index].variable(name)
            assert chosen is not None and chosen.value == value


def op_add(ctx: Context, before: Snapshot) -> None:
    section = ctx.section()
    name = ctx.key(section)
    value = ctx.value()
    operator = ctx.draw(st.sampled_from([None, "=", "=>", "+="]))
    where: dict[str, Any] = {}
    own = section.assignments()
    if own and ctx.draw(st.booleans()):
        anchor = ctx.draw(st.sampled_from(own))
        key = ctx.draw(st.sampled_from(["after", "before"]))
        where[key] = ctx.draw(st.sampled_from([anchor, anchor.name]))
    safe = value == value.strip(_BLANKS) and not any(c in value for c in "\r\n\0")
    valid = ctx.simple(before) and safe
    try:
        line = attempt(
            ctx, before, lambda: section.add(name, value, operator=operator, **where), valid,
            invalid=not safe,
        )
    except Refused:
        return
    after = snapshot(ctx.doc)
    change = changes(before, after)
    assert change.deleted == [], "add deleted a line"
    assert len(change.inserted) == 1
    new = after.nodes[change.inserted[0]]
    assert new is line or new.text == line.text
    assert isinstance(new, Assignment) and new.name == name and new.value == value
    if operator is not None:
        assert new.operator == operator
    at = next(i for i, node in enumerate(after.nodes) if node is line)
    if "after" in where:
        anchor = where["after"]
        if isinstance(anchor, str):
            anchor = [a for a in own if fold(a.name) == fold(anchor)][-1]
        previous = after.nodes[at - 1]
        assert previous is anchor or (  # the file's last line gained a line ending
            not anchor.newline and previous.text == anchor.text
        ), "not right after its anchor"
    elif "before" in where:
        anchor = where["before"]
        if isinstance(anchor, str):
            anchor = next(a for a in own if fold(a.name) == fold(anchor))
        below = at + 1
        while after.nodes[below] is not anchor:  # only the anchor's comment block between
            assert isinstance(after.nodes[below], Comment), "not right above its anchor"
            below += 1
        assert at == 0 or not isinstance(after.nodes[at - 1], Comment) or (
            after.nodes[at - 1].depth != 0
        ), "split the anchor's comment block"
    index = category_index(before.view, section)
    if index is not None and before.view.loaded:
        check_key_meaning(before, after, index, {fold(name)})
        old_values = before.view.categories[index].get_all(name)
        new_values = after.view.categories[index].get_all(name)
        if not appends_to(ctx.doc, name) and not inherits(before.view, index):
            assert Counter(new_values) == Counter([*old_values, value])


def _removal(
    ctx: Context, before: Snapshot, section: config.Section, name: str, value: str | None,
    edit: Callable[[], Any],
) -> Any:
    index = category_index(before.view, section)
    mine = {id(line) for line in section.lines}
    expected_gone: list[config.Variable] = []
    plus_equals = False
    if index is not None:
        for variable in before.view.categories[index].variables:
            if fold(variable.name) != fold(name):
                continue
            plus_equals |= len(variable.nodes) > 1
            if not variable.inherited and variable.nodes and id(variable.nodes[0]) in mine and (
                value is None or variable.value == value
            ):
                expected_gone.append(variable)
    doomed = [
        line for line in section.assignments(name)
        if value is None or line.value == value
    ]
    plus_equals |= any(line.operator == "+=" for line in section.assignments(name))
    valid = ctx.simple(before) and not plus_equals
    result = attempt(ctx, before, edit, valid)
    after = snapshot(ctx.doc)
    change = changes(before, after)
    assert change.inserted == [], "a removal inserted a line"
    taken = [before.nodes[i] for i in change.deleted]
    unterminated = bool(before.nodes) and not before.nodes[-1].newline
    for node in taken:
        # (blank lines above a last line without a line ending go with it)
        assert isinstance(node, Comment) or (unterminated and isinstance(node, Blank)) or (
            isinstance(node, Assignment) and fold(node.name) == fold(name)
        ), node
    if not plus_equals:
        assert Counter(n.text for n in taken if isinstance(n, Assignment)) == Counter(
            n.text for n in doomed
        )
    check_final_newline(before, after)
    if index is not None and before.view.loaded:
        check_key_meaning(before, after, index, {fold(name)})
        if not plus_equals and not inherits(before.view, index):
            gone = {id(v) for v in expected_gone}
            kept = [
                (v.name, v.value, v.object) for v in before.view.categories[index].variables
                if fold(v.name) == fold(name) and id(v) not in gone
            ]
            assert [
                (v.name, v.value, v.object) for v in after.view.categories[index].variables
                if fold(v.name) == fold(name)
            ] == kept
    return result


def op_remove(ctx: Context, before: Snapshot) -> None:
    section = ctx.section()
    name = ctx.key(section)
    values = section.own.get_all(name)
    value = ctx.draw(st.sampled_from([None, *values])) if values else None
    try:
        _removal(ctx, before, section, name, value, lambda: section.remove(name, value))
    except Refused:
        return


def op_pop(ctx: Context, before: Snapshot) -> None:
    section = ctx.section()
    name = ctx.key(section)
    if not section.assignments(name):
        with pytest.raises(KeyError):
            section.pop(name)
        assert section.pop(name, "dflt") == "dflt"
        assert ctx.doc.dumps() == before.data
        return
    try:
        _removal(ctx, before, section, name, None, lambda: section.pop(name))
    except Refused:
        return


def op_rename_key(ctx: Context, before: Snapshot) -> None:
    section = ctx.section()
    name = ctx.key(section)
    new_name = ctx.draw(st.one_of(st.sampled_from(_KEY_NAMES), NAME,
                                  st.sampled_from(["", " x", "a=b", "[x", "#x", ";x"])))
    lines = section.assignments(name)
    valid = ctx.simple(before) and new_name == new_name.strip(_BLANKS) and (
        new_name != "" and "=" not in new_name and new_name[0] not in "[#;"
    )
    try:
        count = attempt(
            ctx, before, lambda: section.rename(name, new_name), valid,
            invalid=bool(lines) and (new_name in ("", " x") or "=" in new_name[1:]),
        )
    except Refused:
        return
    assert count == len(lines)
    after = snapshot(ctx.doc)
    change = changes(before, after)
    old = [before.nodes[i] for i in change.deleted]
    new = [after.nodes[j] for j in change.inserted]
    # (a line already written as the new name would be stays as it is)
    written = _written_names(lines)
    assert len(old) == len(new) <= count
    assert len(old) >= sum(1 for w in written if w.lstrip("\\") != new_name.lstrip("\\")
                           and ";" not in w + new_name)
    for a, b in zip(old, new, strict=True):
        assert isinstance(a, Assignment) and isinstance(b, Assignment)
        assert fold(a.name) == fold(name) and b.name == new_name
        assert (a.value, a.operator, a.newline) == (b.value, b.operator, b.newline)
        assert frame(a, name=True) == frame(b, name=True), "more than the name changed"
    index = category_index(before.view, section)
    if index is not None and before.view.loaded:
        check_key_meaning(before, after, index, {fold(name), fold(new_name)})


def _written_names(lines: list[Assignment]) -> list[str]:
    """The name of each line as written (escape included)."""
    names = []
    for line in lines:
        start, stop = line.name_span()
        names.append(line.text[start:stop])
    return names


def op_comment_out(ctx: Context, before: Snapshot) -> None:
    section = ctx.section()
    name = ctx.key(section)
    try:
        _removal_like_comment(ctx, before, section, name)
    except Refused:
        return


def _removal_like_comment(
    ctx: Context, before: Snapshot, section: config.Section, name: str
) -> list[Comment]:
    lines = section.assignments(name)
    markers = any(  # (";" in front of "--" would open a block comment)
        ";--" in line.text or "--;" in line.text or line.text.lstrip(_BLANKS).startswith("--")
        for line in lines
    )
    valid = ctx.simple(before) and not markers
    done: list[Comment] = attempt(ctx, before, lambda: section.comment_out(name), valid)
    assert len(done) == len(lines)
    after = snapshot(ctx.doc)
    change = changes(before, after)
    old = [before.nodes[i] for i in change.deleted]
    new = [after.nodes[j] for j in change.inserted]
    assert len(old) == len(new) == len(lines)
    for a, b in zip(old, new, strict=True):
        assert isinstance(a, Assignment) and isinstance(b, Comment)
        assert b.text.replace(";", "", 1) == a.text and a.newline == b.newline
    index = category_index(before.view, section)
    if index is not None and before.view.loaded:
        check_key_meaning(before, after, index, {fold(name)})
    return done


def op_uncomment(ctx: Context, before: Snapshot) -> None:
    section = ctx.section()
    candidates = [
        (name, value) for name in {*_KEY_NAMES, *section.own.keys()}
        for value in [None]
        if section.commented(name)
    ]
    if not candidates:
        return
    name, _ = ctx.draw(st.sampled_from(sorted(candidates)))
    lines = section.commented(name)
    pick = ctx.draw(st.sampled_from(lines))
    value = None
    if len(lines) > 1:
        # The value names the line; the uncommented form tells it.
        probe = config.parse("[p]\n" + pick.text.lstrip(_BLANKS).lstrip(";").lstrip(_BLANKS))
        assignments = probe.sections[0].assignments()
        if not assignments:
            return
        value = assignments[0].value
        if len(section.commented(name, value)) > 1:
            with pytest.raises(ConfigEditError):
                section.uncomment(name, value)
            assert ctx.doc.dumps() == before.data
            return
    try:
        node = attempt(ctx, before, lambda: section.uncomment(name, value), False)
    except Refused:
        return
    after = snapshot(ctx.doc)
    change = changes(before, after)
    old = [before.nodes[i] for i in change.deleted]
    new = [after.nodes[j] for j in change.inserted]
    assert len(old) == len(new) == 1
    assert isinstance(old[0], Comment) and isinstance(new[0], Assignment)
    assert fold(new[0].name) == fold(name) and new[0].text == node.text
    assert old[0].newline == new[0].newline
    index = category_index(before.view, section)
    if index is not None and before.view.loaded:
        check_key_meaning(before, after, index, {fold(name)})
        if not appends_to(ctx.doc, name) and not inherits(before.view, index):
            old_values = before.view.categories[index].get_all(name)
            assert Counter(after.view.categories[index].get_all(name)) == Counter(
                [*old_values, node.value]
            )


def op_add_section(ctx: Context, before: Snapshot) -> None:
    doc = ctx.doc
    existing = sorted({s.header.raw_name for s in doc.sections})
    name = ctx.draw(st.one_of(
        st.just(ctx.new_name()), st.sampled_from(existing or ["z"]),
        st.sampled_from(["", "a]b", "x" * 80, " sp"]),
    ), "section name")
    template = ctx.draw(st.booleans())
    parents = ctx.draw(st.lists(st.sampled_from([*existing, "nowhere"]), max_size=2, unique=True))
    where: dict[str, Any] = {}
    if doc.sections and ctx.draw(st.booleans()):
        where[ctx.draw(st.sampled_from(["after", "before"]))] = ctx.section()
    position = len(doc.sections)
    if "after" in where:
        position = doc.sections.index(where["after"]) + 1
    elif "before" in where:
        position = doc.sections.index(where["before"])
    above = {fold(s.header.raw_name) for s in doc.sections[:position] if not s.is_addition}
    referred = {fold(p) for s in doc.sections for p in s.parents} | {
        fold(s.header.raw_name) for s in doc.sections}
    valid = (
        ctx.simple(before) and name.startswith(("new", "New"))
        and fold(name) not in referred and all(fold(p) in above for p in parents)
    )
    try:
        section = attempt(
            ctx, before,
            lambda: doc.add_section(name, template=template, parents=parents, **where), valid,
            # (a file that does not load has no meaning to keep: a parent may be missing)
            invalid=name in ("", "a]b", "x" * 80) or (
                "nowhere" in parents and before.view.loaded),
        )
    except Refused:
        return
    after = snapshot(ctx.doc)
    change = changes(before, after)
    assert change.deleted == []
    new = [after.nodes[j] for j in change.inserted]
    headers = [n for n in new if isinstance(n, Header)]
    assert len(headers) == 1 and all(isinstance(n, (Header, Blank)) for n in new), new
    assert headers[0].name == name and headers[0].template == template
    assert headers[0].parents == list(parents)
    check_final_newline(before, after)
    if before.view.loaded:
        b, a = before.view.categories, after.view.categories
        assert len(a) == len(b) + 1
        index = category_index(after.view, section)
        assert index is not None
        created = a[index]
        assert (created.name, created.template) == (name, template)
        # Asterisk lists the parent categories it found (their names as written there)
        assert [fold(p) for p in created.inherits] == [fold(p) for p in parents]
        assert [signature(c) for c in a[:index] + a[index + 1 :]] == [signature(c) for c in b]


def _owned_indices(before: Snapshot, section: config.Section) -> tuple[set[int], set[int]]:
    """The line indices removing ``section`` may take, and those it must take."""
    position = {id(node): i for i, node in enumerate(before.nodes)}
    header = position[id(section.header)]
    allowed = {header}
    i = header - 1
    while i >= 0 and isinstance(before.nodes[i], Comment):
        allowed.add(i)
        i -= 1
    while i >= 0 and isinstance(before.nodes[i], Blank):
        allowed.add(i)
        i -= 1
    lines = section.lines
    end = len(lines)
    while end and isinstance(lines[end - 1], (Comment, Blank)):
        end -= 1
    while 0 < end < len(lines) and lines[end - 1].depth:
        end += 1  # a ;-- block comment its last line opened, up to where it closes
    while end < len(lines) and isinstance(lines[end], Blank):
        end += 1
    allowed |= {position[id(line)] for line in lines[:end]}
    required = {header} | {
        position[id(line)] for line in lines if not isinstance(line, (Comment, Blank))
    }
    return allowed, required


def took_only(before: Snapshot, after: Snapshot, allowed: set[int], required: set[int]) -> bool:
    """Whether ``after`` is ``before`` without every ``required`` line and some of the
    ``allowed`` ones (a contiguous range), nothing else changed but the line ending of
    the file's last line."""
    low, high = min(allowed), max(allowed) + 1
    assert allowed == set(range(low, high))
    old, new = before.keys, [key for key in after.keys if key]  # not a BOM-only line

    def same(i: int, j: int) -> bool:
        if j == len(new) - 1 or i == len(old) - 1:  # the last line's ending may change
            return old[i].rstrip("\r\n") == new[j].rstrip("\r\n")
        return old[i] == new[j]

    tail = len(old) - high
    if len(new) < low + tail:
        return False
    if not all(same(high + k, len(new) - tail + k) for k in range(tail)):
        return False
    if not all(same(i, i) for i in range(low)):
        return False
    optional = [i for i in range(low, high) if i not in required]
    position = 0
    for j in range(low, len(new) - tail):  # a subsequence of what may stay? (greedy)
        while position < len(optional) and not same(optional[position], j):
            position += 1
        if position == len(optional):
            return False
        position += 1
    return True


def op_remove_section(ctx: Context, before: Snapshot) -> None:
    doc = ctx.doc
    section = ctx.section()
    allowed, required = _owned_indices(before, section)
    index = category_index(before.view, section)
    name = fold(section.header.raw_name)
    referred = any(
        s is not section and (name in {fold(p) for p in s.parents} or (
            s.is_addition and fold(s.header.raw_name) == name))
        for s in doc.sections
    )
    valid = ctx.simple(before) and not referred
    attempt(ctx, before, lambda: doc.remove_section(section), valid)
    after = snapshot(ctx.doc)
    assert took_only(before, after, allowed, required), "removed lines it does not own"
    check_final_newline(before, after)
    if index is not None and before.view.loaded:
        b, a = before.view.categories, after.view.categories
        if section.is_addition:
            assert len(a) == len(b)
            assert [signature(c) for i, c in enumerate(b) if i != index] == [
                signature(c) for i, c in enumerate(a) if i != index]
        else:
            assert [signature(c) for c in b[:index] + b[index + 1 :]] == [
                signature(c) for c in a]


def op_rename_section(ctx: Context, before: Snapshot) -> None:
    doc = ctx.doc
    section = ctx.section()
    old = section.header.raw_name
    new_name = ctx.draw(st.one_of(
        st.just(ctx.new_name()), st.sampled_from(_SECTION_NAMES),
        st.sampled_from(["", "a]b", "y" * 80]),
    ), "new section name")
    references = ctx.draw(st.booleans())
    same = [s for s in doc.sections if fold(s.header.raw_name) == fold(old)]
    valid = (
        ctx.simple(before) and references and new_name.startswith("New")
        and not section.is_addition and [s for s in same if not s.is_addition] == [section]
        and all(not s.template or s is section for s in same)
    )
    index = category_index(before.view, section)
    attempt(ctx, before, lambda: doc.rename_section(section, new_name, references=references),
            valid, invalid=new_name in ("", "a]b", "y" * 80))
    after = snapshot(ctx.doc)
    change = changes(before, after)
    old_lines = [before.nodes[i] for i in change.deleted]
    new_lines = [after.nodes[j] for j in change.inserted]
    assert len(old_lines) == len(new_lines)
    for a, b in zip(old_lines, new_lines, strict=True):
        assert isinstance(a, Header) and isinstance(b, Header)
        assert fold(a.name) == fold(old) or references
        assert a.newline == b.newline
    if index is not None and before.view.loaded:
        b_cats, a_cats = before.view.categories, after.view.categories
        assert len(a_cats) == len(b_cats)
        for position, (x, y) in enumerate(zip(b_cats, a_cats, strict=True)):
            if position == index:
                assert signature(y)[0] == new_name
                assert signature(x)[1:3] == signature(y)[1:3] or references
                assert signature(x)[3] == signature(y)[3]
            else:
                renamed = tuple(
                    new_name if fold(p) == fold(old) and q == new_name else p
                    for p, q in zip(x.inherits, y.inherits, strict=True)
                )
                assert (x.name, x.template, renamed, signature(x)[3]) == (
                    y.name, y.template, tuple(y.inherits), signature(y)[3])


def op_move_section(ctx: Context, before: Snapshot) -> None:
    doc = ctx.doc
    if len(doc.sections) < 2:
        return
    section = ctx.section()
    anchor = ctx.draw(st.sampled_from([s for s in doc.sections if s is not section]))
    side = ctx.draw(st.sampled_from(["after", "before"]))
    name = fold(section.header.raw_name)
    alone = (
        not section.parents and not section.is_addition
        and [s for s in doc.sections if fold(s.header.raw_name) == name] == [section]
        and not any(name in {fold(p) for p in s.parents} for s in doc.sections)
    )
    valid = ctx.simple(before) and alone
    attempt(ctx, before, lambda: doc.move_section(section, **{side: anchor}), valid)
    after = snapshot(ctx.doc)

    def solid(snap: Snapshot) -> Counter[str]:
        return Counter(
            key.rstrip("\r\n") for n, key in zip(snap.nodes, snap.keys, strict=True)
            if not isinstance(n, Blank)
        )

    assert solid(before) == solid(after)
    check_final_newline(before, after)
    if before.view.loaded:
        assert sorted(map(repr, map(signature, before.view.categories))) == sorted(
            map(repr, map(signature, after.view.categories)))


OPERATIONS: list[Callable[[Context, Snapshot], None]] = [
    op_set, op_set, op_update, op_add, op_add, op_remove, op_pop, op_rename_key,
    op_comment_out, op_uncomment, op_add_section, op_remove_section, op_rename_section,
    op_move_section,
]


class _Abort(Exception):
    pass


def one_edit(ctx: Context) -> None:
    before = snapshot(ctx.doc)
    operation = ctx.draw(st.sampled_from(OPERATIONS if ctx.doc.sections else [op_add_section]))
    try:
        operation(ctx, before)
        event(f"{operation.__name__}: made")
    except Refused:
        event(f"{operation.__name__}: refused")
    assert snapshot(ctx.doc).bom == before.bom, "the byte order mark came or went"
    check_round_trip(ctx.doc, snapshot(ctx.doc))


def run_edits(doc: config.Document, data: st.DataObject, count: int) -> None:
    ctx = Context(doc, data)
    for _ in range(data.draw(st.integers(1, count), "edits")):
        if data.draw(st.integers(0, 5), "transaction?") == 0:
            before = snapshot(doc)
            abort = data.draw(st.booleans(), "abort")
            try:
                with doc.transaction():
                    for _ in range(data.draw(st.integers(1, 3))):
                        one_edit(ctx)
                    if abort:
                        raise _Abort
            except _Abort:
                assert doc.dumps() == before.data
                assert meaning(doc.config()) == meaning(before.view)
                check_round_trip(doc, snapshot(doc))
        else:
            one_edit(ctx)


# -- the properties ------------------------------------------------------------------------

#: The default Asterisk (first match for += and lookups) and the newest (last match).
_TARGETS = st.sampled_from(["22", "master"])


@PROPERTIES
@given(text=generated_text(), binary=st.booleans(), target=_TARGETS, data=st.data())
def test_edits_on_generated_configs(
    text: str, binary: bool, target: str, data: st.DataObject
) -> None:
    doc = config.parse(text.encode() if binary else text, asterisk=target)
    run_edits(doc, data, count=6)


@PROPERTIES
@given(text=generated_text(includes=True), included=_INCLUDED, target=_TARGETS, data=st.data())
def test_edits_on_generated_configs_with_includes(
    text: str, included: str, target: str, data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        files = {"main.conf": text.encode(), "inc.conf": included.encode()}
        main = write_files(Path(folder), files)
        doc = config.load(main, asterisk=target)
        run_edits(doc, data, count=4)


_CORPUS_DATA: dict[Path, bytes] = {}


def _corpus_bytes(path: Path) -> bytes:
    if path not in _CORPUS_DATA:
        _CORPUS_DATA[path] = path.read_bytes()
    return _CORPUS_DATA[path]


@CORPUS_PROPERTIES
@given(path=st.sampled_from(CORPUS_FILES), data=st.data())
def test_edits_on_the_bundled_corpus(path: Path, data: st.DataObject) -> None:
    doc = config.parse(_corpus_bytes(path), path=str(path))
    run_edits(doc, data, count=3)


@pytest.mark.slow
@SLOW
@given(text=generated_text(), binary=st.booleans(), target=_TARGETS, data=st.data())
def test_edits_on_generated_configs_long_run(
    text: str, binary: bool, target: str, data: st.DataObject
) -> None:
    doc = config.parse(text.encode() if binary else text, asterisk=target)
    run_edits(doc, data, count=12)


@pytest.mark.slow
@settings(PROPERTIES, max_examples=500)
@given(path=st.sampled_from(CORPUS_FILES), data=st.data())
def test_edits_on_the_bundled_corpus_long_run(path: Path, data: st.DataObject) -> None:
    doc = config.parse(_corpus_bytes(path), path=str(path))
    run_edits(doc, data, count=8)


@pytest.mark.slow
def test_edits_on_every_shared_sample() -> None:
    folder = shared_path("corpus", "asterisk-samples")
    samples = sorted(folder.rglob("*.sample"))

    @settings(PROPERTIES, max_examples=1000)
    @given(path=st.sampled_from(samples), data=st.data())
    def edits(path: Path, data: st.DataObject) -> None:
        doc = config.parse(_corpus_bytes(path), path=str(path))
        run_edits(doc, data, count=6)

    edits()

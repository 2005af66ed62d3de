"""House style for new lines, and the checks that keep edits meaning what they say.

New nodes copy the file's habits, from their neighbours, then the section, then the file:
the line ending; the indent and spacing around the operator of the section's line with the
same name, else of its assignment nearest to the new line, else of the nearest sections,
else of the file's majority (else of its commented-out assignments); operator and value
columns the lines align (counted with tab stops of 8); a new header's indent from the
header next to it.  Values are escaped so Asterisk reads back exactly what was set (``;`` becomes
``\\;``, which also neutralises ``;--`` and ``--;``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import chain, islice
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from pyst.config._errors import ConfigEditError
from pyst.config._syntax import lexer as _lexer
from pyst.config._syntax.lexer import BLANKS, fold
from pyst.config._syntax.lines import LexNotes, lex
from pyst.config._syntax.nodes import Assignment, Blank, Comment, Header, Line

if TYPE_CHECKING:
    from pyst.config._editing.document import Document
    from pyst.config._editing.section import Section

_FORBIDDEN = ("\n", "\r", "\0")
_MAX_NAME_BYTES = 79


def newline_for(document: Document) -> str:
    """The file's usual line ending (``"\\n"`` for an empty file), computed once."""
    cached = document._newline
    if cached is None:
        counts: Counter[str] = Counter()
        for index, line in enumerate(document.lines()):
            if line.newline:
                counts[line.newline] += 1
            if index > 2000:
                break
        cached = counts.most_common(1)[0][0] if counts else "\n"
        document._newline = cached
    return cached


def separates_sections(document: Document, *, shown: bool = False) -> bool:
    """True when most of the last sections follow a blank line (or their comments do).

    A file that shows neither (one section, or sections only after the preamble) counts
    as separating them, unless ``shown`` asks for at least one section that is.
    """
    separated = 0
    joined = 0
    sections = document.sections[-65:]
    start = len(document.sections) - len(sections)
    previous_lines = document.sections[start - 1].lines if start else document.preamble
    for section in sections:
        index = len(previous_lines)
        while index and isinstance(previous_lines[index - 1], Comment):
            index -= 1
        if index:
            if isinstance(previous_lines[index - 1], Blank):
                separated += 1
            else:
                joined += 1
        previous_lines = section.lines
    return separated >= joined and (separated > 0 or not shown)


def make_line(text: str, newline: str, depth: int = 0, *, first: bool = False) -> Line:
    """Build the node for one line of text read at block-comment depth ``depth``.

    The line is read as a line after the first (where a leading BOM is text) unless
    ``first`` is true.
    """
    nodes = [
        node for _, node in lex(text + newline, LexNotes(), depth, first_lineno=1 if first else 2)
    ]
    if len(nodes) != 1:
        raise ConfigEditError(f"{text!r} is not one line")
    return nodes[0]


def _check_text(what: str, text: str) -> None:
    if not isinstance(text, str):
        raise TypeError(f"{what}s are str, not {type(text).__name__}")
    for char in _FORBIDDEN:
        if char in text:
            raise ConfigEditError(
                f"{what} {text!r} contains {char!r}, which cannot be written to a .conf line"
            )
    if any("\ud800" <= char < "\udc80" or "\udd00" <= char <= "\udfff" for char in text):
        raise ConfigEditError(
            f"{what} {text!r} contains a lone surrogate, which is not text and not a byte"
        )


def escape_value(value: str) -> str:
    """The text to write so that Asterisk reads ``value`` back exactly."""
    _check_text("value", value)
    if value != value.strip(BLANKS):
        raise ConfigEditError(
            f"value {value!r} starts or ends with blanks, which Asterisk trims; strip it first"
        )
    # A backslash already before a ';' stays: Asterisk drops only the one added here.
    return value.replace(";", "\\;")


def escape_name(name: str) -> str:
    """The text to write so that Asterisk reads the variable name ``name`` back exactly."""
    _check_text("name", name)
    if not name or name != name.strip(BLANKS):
        raise ConfigEditError(f"name {name!r} is empty or starts or ends with blanks")
    text = name.replace(";", "\\;")
    if name[0] in "[#\\=" :
        if not 33 <= ord(name[0]) < 128 or "=" in name[1:]:
            raise ConfigEditError(f"name {name!r} cannot be written")
        return "\\" + text
    if "=" in name:
        raise ConfigEditError(f"name {name!r} contains '=' (only a first character can be escaped)")
    return text


def _nearest_sections(section: Section) -> Iterator[Section]:
    """The document's other sections, nearest first (above before below at equal distance)."""
    document = section.document
    if document is None:
        return
    sections = document.sections
    index = document._index.position(section) if section in document._index else len(sections)
    for distance in range(1, len(sections) + 1):
        above, below = index - distance, index + distance
        if above < 0 and below >= len(sections):
            return
        if above >= 0:
            yield sections[above]
        if below < len(sections):
            yield sections[below]


# -- columns -----------------------------------------------------------------------------
TAB_STOP = 8
#: How many of a section's assignments (its last ones) show how it aligns its columns.
_ALIGNMENT_SAMPLE = 64
#: How many sections near a new line are searched for a line to copy.
_NEAR_SAME_NAME = 200
_NEAR_MAJORITY = 100
#: How many sections near a section without columns of its own are asked for theirs.
_NEAR_COLUMNS = 4


def _column(text: str) -> int:
    """The display column after ``text`` written from the start of a line (tab stops of 8)."""
    return len(text.replace(_lexer.BOM, "").expandtabs(TAB_STOP))


def _is_spacing(text: str) -> bool:
    return not text.strip(BLANKS)


class Alignment:
    """A column that a section's lines align something at (the operator, or the value).

    ``tabs`` tells whether the padding is written with tabs; ``narrowest`` is the least
    padding (in columns) any aligned line has; ``single`` is the spacing written when
    the text before the column is too long to fit.
    """

    __slots__ = ("column", "narrowest", "single", "tabs")

    def __init__(self, column: int, narrowest: int, single: str, tabs: bool):
        self.column = column
        self.narrowest = narrowest
        self.single = single
        self.tabs = tabs

    def padding(self, start: int) -> str:
        """The blanks that take text ending at column ``start`` to the aligned column."""
        if start + self.narrowest > self.column:
            return self.single
        if not self.tabs:
            return " " * (self.column - start)
        padding = ""
        while (start // TAB_STOP + 1) * TAB_STOP <= self.column:
            padding += "\t"
            start = (start // TAB_STOP + 1) * TAB_STOP
        return padding + " " * (self.column - start)


#: Verdicts on how a group of lines lays out a column: aligned, not aligned, or no
#: evidence either way (``None``).
_NOT_ALIGNED = Alignment(-1, 0, " ", False)


def _verdict(spans: list[tuple[int, str]], evidence: int = 1) -> Alignment | None:
    """How lines whose padding ``text`` starts at column ``start`` (one ``(start, text)``
    each) align what follows it.

    Aligned at column C when most of them put what follows at C, at least two of those
    from different starting columns and none without padding, and every other line
    starts too far right to reach C.  ``None`` when nothing shows either way (fewer than
    two lines, all starting at one column, or one line at C and the others too long to
    reach it); :data:`_NOT_ALIGNED` otherwise.  ``evidence`` is how many of the aligned
    lines must be padded wider than the narrowest one.
    """
    if len(spans) < 2 or len({start for start, _ in spans}) < 2:
        return None
    ends = Counter(_column_after(start, text) for start, text in spans)
    column, _ = ends.most_common(1)[0]
    aligned = [(start, text) for start, text in spans if _column_after(start, text) == column]
    others = [(start, text) for start, text in spans if _column_after(start, text) != column]
    narrowest = min(column - start for start, _ in aligned)
    if narrowest < 1:
        return _NOT_ALIGNED  # "static=yes" next to "exten => ..." lines up by chance
    if any(start + narrowest <= column for start, _ in others):
        return _NOT_ALIGNED  # a line that could reach the column stops short of it
    if len({start for start, _ in aligned}) < 2:
        return None  # one line at the column, the others too long to show anything
    if sum(column - start > narrowest for start, _ in aligned) < evidence:
        return None
    tabs = sum("\t" in text for _, text in aligned) * 2 >= len(aligned)
    if others:
        single = Counter(text for _, text in others).most_common(1)[0][0]
    else:
        single = "\t" if tabs else min(
            (text for _, text in aligned), key=lambda text: (len(text), text)
        ) or " "
    return Alignment(column, narrowest, single, tabs)


def _column_after(start: int, text: str) -> int:
    return len((" " * start + text).expandtabs(TAB_STOP))


class Columns:
    """How a group of assignments aligns its operators and its values."""

    __slots__ = ("operator", "operator_spans", "value", "value_spans")

    def __init__(self, lines: list[Assignment]):
        #: ``(column where the name ends, blanks before the operator)`` of each line.
        self.operator_spans: list[tuple[int, str]] = []
        #: ``(column where the operator ends, blanks before the value)`` of each line
        #: with a value.
        self.value_spans: list[tuple[int, str]] = []
        for line in lines[-_ALIGNMENT_SAMPLE:]:
            if line.depth:
                continue
            text = line.text
            name_start, name_stop = line.name_span()
            operator_start, operator_stop = line.operator_span()
            value_start, value_end = line.value_span()
            before, after = text[name_stop:operator_start], text[operator_stop:value_start]
            if not (_is_spacing(text[:name_start]) and _is_spacing(before + after)):
                continue
            self.operator_spans.append((_column(text[:name_stop]), before))
            if value_start != value_end:
                self.value_spans.append((_column(text[:operator_stop]), after))
        self.operator = _verdict(self.operator_spans)
        # Values after unaligned operators meet in a column by chance more often
        # ("exten => 1" next to "same =>  n"): two padded lines are asked for.
        self.value = _verdict(self.value_spans, evidence=2)


def _aligned(verdict: Alignment | None) -> bool:
    return verdict is not None and verdict is not _NOT_ALIGNED


def _fits(alignment: Alignment, spans: list[tuple[int, str]]) -> bool:
    """Whether lines laid out as ``spans`` agree with ``alignment``: each is at its
    column or too long to reach it."""
    return all(
        _column_after(start, text) == alignment.column
        or start + alignment.narrowest > alignment.column
        for start, text in spans
    )


#: Per document: the columns of groups of lines seen lately, keyed by the lines'
#: identities (the lines are kept with them, so no identity is reused while its entry
#: exists).  Dropped with the document.
_COLUMNS: WeakKeyDictionary[Document, dict[tuple[int, ...], tuple[list[Assignment], Columns]]]
_COLUMNS = WeakKeyDictionary()
_COLUMNS_KEPT = 4096


def columns_of(section: Section) -> Columns:
    """The :class:`Columns` of a section's last assignments, remembered while its lines
    stay the same (lines are never changed in place, only replaced)."""
    lines = section.assignments()[-_ALIGNMENT_SAMPLE:]
    document = section.document
    if document is None:
        return Columns(lines)
    cache = _COLUMNS.get(document)
    if cache is None:
        cache = _COLUMNS[document] = {}
    key = tuple(map(id, lines))
    found = cache.get(key)
    if found is not None:
        return found[1]
    if len(cache) >= _COLUMNS_KEPT:
        cache.clear()
    columns = Columns(lines)
    cache[key] = (lines, columns)
    return columns


def _columns_for(
    section: Section, model_section: Section | None
) -> tuple[Alignment | None, Alignment | None]:
    """How a new line of ``section`` aligns its operator and its value: as the section's
    own lines show, else as the section its model line came from shows, else as the
    nearest sections show (when this section's lines agree with it)."""
    own = columns_of(section)
    operator, value = own.operator, own.value
    if operator is not None:
        # Lines that show how they place their operators show enough: with the same
        # spacing after the operator, their values line up as theirs do.
        return operator, value
    candidates: list[Section] = []
    if model_section is not None and model_section is not section:
        candidates.append(model_section)
    candidates.extend(islice(_nearest_sections(section), _NEAR_COLUMNS))
    for other in candidates:
        found = columns_of(other)
        if operator is None and found.operator is not None:
            operator = found.operator
            if _aligned(operator) and not _fits(operator, own.operator_spans):
                operator = _NOT_ALIGNED  # this section's lines put theirs elsewhere
        if value is None and found.value is not None:
            value = found.value
            if _aligned(value) and not _fits(value, own.value_spans):
                value = _NOT_ALIGNED
        if operator is not None:
            break
    return operator, value


# -- the file's habits ---------------------------------------------------------------------
Spacing = tuple[str, str, str]
_FILE_STYLES: WeakKeyDictionary[Document, FileStyle] = WeakKeyDictionary()
#: How many assignments (from the top) the file's majority style is taken over.
_FILE_SAMPLE = 20000


class FileStyle:
    """The file's most common assignment layout: ``(indent, before, after)`` around the
    operator, over its live assignments, else over its commented-out ones
    (``;key=value``); ``None`` when it has neither."""

    __slots__ = ("spacing",)

    def __init__(self, document: Document):
        live: Counter[Spacing] = Counter()
        commented: Counter[Spacing] = Counter()
        comments: list[Comment] = []
        for line in document.lines():
            if isinstance(line, Assignment):
                spacing = _spacing_of(line)
                if spacing is not None:
                    live[spacing] += 1
                    if sum(live.values()) >= _FILE_SAMPLE:
                        break
            elif isinstance(line, Comment) and not live and len(comments) < _FILE_SAMPLE:
                comments.append(line)
        if not live:
            for comment in comments:
                spacing = _commented_spacing(comment)
                if spacing is not None:
                    commented[spacing] += 1
        counts = live or commented
        self.spacing: Spacing | None = counts.most_common(1)[0][0] if counts else None


def file_style(document: Document) -> FileStyle:
    """The document's :class:`FileStyle`, computed once on first use.

    It is not recomputed as the document changes: new lines follow it, so edits do not
    move it, and a new line costs no scan of the file.
    """
    style = _FILE_STYLES.get(document)
    if style is None:
        style = _FILE_STYLES[document] = FileStyle(document)
    return style


def _spacing_of(line: Assignment) -> Spacing | None:
    """The layout of ``line``, or ``None`` when it shows none (a comment in its spacing,
    an empty value, which has no spacing after the operator)."""
    if line.depth or not _has_value(line):
        return None
    indent, before, after = line.indent, line.before_operator, line.after_operator
    if not (_is_spacing(indent) and _is_spacing(before) and _is_spacing(after)):
        return None
    return indent.replace(_lexer.BOM, ""), before, after


def _commented_spacing(comment: Comment) -> Spacing | None:
    """The layout of a commented-out assignment (``;key=value``), or ``None`` for a
    comment that is not one (prose, a name with blanks in it)."""
    text = comment.text.replace(_lexer.BOM, "")
    indent = text[: len(text) - len(text.lstrip(BLANKS))]
    rest = text[len(indent) :]
    if comment.depth or not rest.startswith(";") or ";--" in rest or "--;" in rest:
        return None
    rest = rest.lstrip(";").lstrip(BLANKS)
    try:
        node = make_line(rest, "\n")
    except ConfigEditError:
        return None
    if not isinstance(node, Assignment) or not node.name:
        return None
    if any(char in node.raw_name for char in BLANKS):
        return None  # prose ("; the name = ..."), not a disabled setting
    spacing = _spacing_of(node)
    return None if spacing is None else (indent, spacing[1], spacing[2])


# -- new assignments -------------------------------------------------------------------------
def _spacing_source(
    section: Section, name: str, position: int | None = None
) -> tuple[Assignment | None, Section | None]:
    """The assignment whose layout a new ``name`` line copies, and its section: this
    section's last ``name`` line, else its assignment nearest to ``position`` (the
    index in its lines where the new line goes; default: the end), else the nearest
    ``name`` line of the nearest sections, else the most common layout of those."""
    same = section.assignments(name)
    if same:
        with_value = [line for line in same if _has_value(line)]
        return (with_value or same)[-1], section
    neighbour = _neighbour(section, position)
    if neighbour is not None:
        return neighbour, section
    for other in islice(_nearest_sections(section), _NEAR_SAME_NAME):
        found = other.assignments(name)
        if found:
            return found[-1], other
    styles: Counter[tuple[str, str, str]] = Counter()
    examples: dict[tuple[str, str, str], tuple[Assignment, Section]] = {}
    for other in islice(_nearest_sections(section), _NEAR_MAJORITY):
        for line in other.assignments()[:50]:
            key = (line.indent, line.before_operator, line.after_operator)
            styles[key] += 1
            examples.setdefault(key, (line, other))
    if styles:
        return examples[styles.most_common(1)[0][0]]
    return None, None


def _neighbour(section: Section, position: int | None) -> Assignment | None:
    """The section's assignment nearest above ``position`` in its lines, else below."""
    lines = section.lines
    at = len(lines) if position is None else max(0, min(position, len(lines)))
    without_value = None
    for index in chain(range(at - 1, -1, -1), range(at, len(lines))):
        line = lines[index]
        if isinstance(line, Assignment):
            if _has_value(line):
                return line
            without_value = without_value or line
    return without_value


def _has_value(line: Assignment) -> bool:
    """Whether the line has a value (an empty one shows no spacing after its operator)."""
    start, end = line.value_span()
    return start != end


def new_assignment(
    section: Section, name: str, value: str, operator: str | None, position: int | None = None
) -> Assignment:
    """A new ``name = value`` line in the section's house style.

    The layout (indent, spacing around the operator) is copied from the line
    :func:`_spacing_source` picks, else from the file's majority (:class:`FileStyle`);
    when the section's lines (else the nearest ones) align their operators or values
    in a column, the new line is padded to the same column.
    """
    model, model_section = _spacing_source(section, name, position)
    if operator is None:
        same = section.assignments(name)
        operator = same[-1].operator if same else "="
    if operator not in ("=", "=>", "+="):
        raise ConfigEditError(f"operator must be '=', '=>' or '+=', not {operator!r}")
    newline = _document_newline(section)
    if model is not None:
        indent, before, after = model.indent, model.before_operator, model.after_operator
        # Copy layout only: the blanks of the indent, spacing without comments in it.
        indent = indent[: len(indent) - len(indent.lstrip(BLANKS))]
        newline = model.newline or newline
        if before.strip(BLANKS) or after.strip(BLANKS):
            before, after = " ", " "
    else:
        document = section.document
        spacing = file_style(document).spacing if document is not None else None
        indent, before, after = spacing if spacing is not None else ("", " ", " ")
    written_name = escape_name(name)
    written_value = escape_value(value)
    if model is not None:
        operator_column, value_column = _columns_for(section, model_section)
        if operator_column is not None and _aligned(operator_column):
            before = operator_column.padding(_column(indent + written_name))
        elif model_section is not None and model_section is not section:
            # The model's padding lined it up in its own section, not in this one.
            theirs = columns_of(model_section).operator
            if theirs is not None and _aligned(theirs):
                before = theirs.single
        if value_column is not None and _aligned(value_column):
            after = value_column.padding(_column(indent + written_name + before + operator))
    if written_name.endswith("+") and not before and operator != "+=":
        before = " "
    if not after and operator == "=" and written_value[:1] == ">":
        after = " "
    if not written_value:
        after = ""
    text = f"{indent}{written_name}{before}{operator}{after}{written_value}"
    return _checked_assignment(text, newline, name, value)


def with_value(
    line: Assignment, value: str, depth_before: int = 0, operator: str | None = None
) -> Assignment:
    """``line`` with its value (and, if given, its operator) replaced; everything else on
    the line is kept."""
    start, end = line.value_span()
    written = escape_value(value)
    head = line.text[:start]
    if operator is not None and operator != line.operator:
        op_start, op_end = line.operator_span()
        head = line.text[:op_start] + operator + line.text[op_end:start]
    if written and head[-1:] in ("=", ">"):
        misread = (operator or line.operator) == "=" and written[0] == ">"
        if misread or (start == end and line.before_operator):
            head += " "
    tail = line.text[end:]
    if tail[:1] == ";" and written[-1:] in ("\\", "-"):
        # "x\\;c" would escape the comment, "x--;c" would close a block comment.
        tail = " " + tail
    node = _checked_assignment(head + written + tail, line.newline, line.name, value,
                               depth_before)
    if node.depth != line.depth:
        raise ConfigEditError(f"cannot change the value of {line.raw!r} without moving a ;-- --;")
    return node


def _checked_assignment(
    text: str, newline: str, name: str, value: str, depth: int = 0
) -> Assignment:
    if _lexer.byte_length(text) > _lexer.MAX_LINE_BYTES:
        raise ConfigEditError(f"the line for {name!r} would exceed Asterisk's 8190-byte limit")
    node = make_line(text, newline, depth)
    if not isinstance(node, Assignment) or node.name != name or node.value != value:
        raise ConfigEditError(f"cannot write {name!r} = {value!r} so that Asterisk reads it back")
    return node


def _document_newline(section: Section) -> str:
    document = section.document
    return newline_for(document) if document is not None else "\n"


def _check_category_name(what: str, name: str) -> None:
    _check_text(what, name)
    if "]" in name or "\\;" in name:
        raise ConfigEditError(f"{what} {name!r} cannot contain ']' or '\\;'")
    if _lexer.byte_length(name) > _MAX_NAME_BYTES:
        raise ConfigEditError(f"{what} {name!r} is longer than Asterisk's 79 bytes")


def _check_parent(parent: str) -> None:
    _check_category_name("parent name", parent)
    if not parent or any(c in parent for c in ",)]") or parent == "!" or parent[0] == "+":
        raise ConfigEditError(f"cannot inherit from {parent!r}: not a usable category name")


def new_header(
    document: Document,
    name: str,
    *,
    template: bool,
    parents: list[str],
    position: int | None = None,
) -> Header:
    """A new ``[name](options)`` header line for the section that will be at ``position``
    of the document's sections (default: the end), indented like the header above that
    place, else the one below it."""
    _check_category_name("category name", name)
    if not name:
        raise ConfigEditError("a category name cannot be empty")
    options = ["!"] if template else []
    for parent in parents:
        _check_parent(parent)
        options.append(parent.replace(";", "\\;"))
    suffix = f"({','.join(options)})" if options else ""
    indent = ""
    sections = document.sections
    at = len(sections) if position is None else max(0, min(position, len(sections)))
    neighbour = sections[at - 1] if at else (sections[0] if sections else None)
    if neighbour is not None:
        indent = neighbour.header.indent.replace(_lexer.BOM, "")
        indent = indent[: len(indent) - len(indent.lstrip(BLANKS))]
    text = indent + "[" + name.replace(";", "\\;") + "]" + suffix
    node = make_line(text, newline_for(document))
    if not isinstance(node, Header) or node.name != name or node.parents != parents:
        raise ConfigEditError(f"cannot write a header for {name!r}")
    return node


def renamed_header(header: Header, old: str, new: str) -> Header:
    """``header`` with its name ``old`` replaced by ``new``; the rest of the line is kept."""
    _check_category_name("category name", new)
    if not new:
        raise ConfigEditError("a category name cannot be empty")
    close = header.effective.find("]")
    start, end = header._start(1), header._start(close)
    text = header.text[:start] + new.replace(";", "\\;") + header.text[end:]
    node = make_line(text, header.newline, 0, first=text.startswith(_lexer.BOM))
    if not isinstance(node, Header) or node.raw_name != new or node.options != header.options:
        raise ConfigEditError(f"cannot rename [{old}] to [{new}] on {header.raw!r}")
    return node


def with_parent_renamed(header: Header, old: str, new: str) -> Header:
    """``header`` with every option token naming ``old`` replaced by ``new``."""
    _check_parent(new)
    effective = header.effective
    close = effective.find("]")
    position = close + 2
    spans = []
    for token in header.options:
        if fold(token) == fold(old):
            spans.append((position, position + len(token)))
        position += len(token) + 1
    text = header.text
    for start, end in reversed(spans):
        text = text[: header._start(start)] + new.replace(";", "\\;") + text[
            header._stop(end - 1) :
        ]
    node = make_line(text, header.newline, 0, first=text.startswith(_lexer.BOM))
    expected = [new if fold(o) == fold(old) else o for o in header.options]
    if not isinstance(node, Header) or node.options != expected:
        raise ConfigEditError(f"cannot rename parent {old!r} to {new!r} on {header.raw!r}")
    return node

"""House style for new lines, and the checks that keep edits meaning what they say.

New nodes copy the file's habits: the line ending, and the indent and spacing around the
operator of the nearest assignment with the same name, else of the section, else of the
file.  Values are escaped so Asterisk reads back exactly what was set (``;`` becomes
``\\;``, which also neutralises ``;--`` and ``--;``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import islice
from typing import TYPE_CHECKING

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


def separates_sections(document: Document) -> bool:
    """True when most of the last sections follow a blank line (or their comments do)."""
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
    return separated >= joined


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
    index = next(
        (i for i in range(len(sections) - 1, -1, -1) if sections[i] is section), len(sections)
    )
    for distance in range(1, len(sections) + 1):
        above, below = index - distance, index + distance
        if above < 0 and below >= len(sections):
            return
        if above >= 0:
            yield sections[above]
        if below < len(sections):
            yield sections[below]


def _spacing_source(section: Section, name: str) -> Assignment | None:
    """The assignment whose spacing a new ``name`` line copies (see :meth:`Section.add`)."""
    same = section.assignments(name)
    if same:
        return same[-1]
    for other in islice(_nearest_sections(section), 200):
        found = other.assignments(name)
        if found:
            return found[-1]
    own = section.assignments()
    if own:
        return own[-1]
    styles: Counter[tuple[str, str, str]] = Counter()
    examples: dict[tuple[str, str, str], Assignment] = {}
    for other in islice(_nearest_sections(section), 100):
        for line in other.assignments()[:50]:
            key = (line.indent, line.before_operator, line.after_operator)
            styles[key] += 1
            examples.setdefault(key, line)
    if styles:
        return examples[styles.most_common(1)[0][0]]
    return None


def new_assignment(section: Section, name: str, value: str, operator: str | None) -> Assignment:
    """A new ``name = value`` line in the section's house style."""
    model = _spacing_source(section, name)
    if operator is None:
        same = section.assignments(name)
        operator = same[-1].operator if same else "="
    if operator not in ("=", "=>", "+="):
        raise ConfigEditError(f"operator must be '=', '=>' or '+=', not {operator!r}")
    if model is not None:
        indent, before, after = model.indent, model.before_operator, model.after_operator
        # Copy layout only: the blanks of the indent, spacing without comments in it.
        indent = indent[: len(indent) - len(indent.lstrip(BLANKS))]
        newline = model.newline or _document_newline(section)
        if before.strip(BLANKS) or after.strip(BLANKS):
            before, after = " ", " "
    else:
        indent, before, after, newline = "", " ", " ", _document_newline(section)
    written_name = escape_name(name)
    if written_name.endswith("+") and not before and operator != "+=":
        before = " "
    written_value = escape_value(value)
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


def new_header(document: Document, name: str, *, template: bool, parents: list[str]) -> Header:
    """A new ``[name](options)`` header line, indented like the file's last header."""
    _check_category_name("category name", name)
    if not name:
        raise ConfigEditError("a category name cannot be empty")
    options = ["!"] if template else []
    for parent in parents:
        _check_parent(parent)
        options.append(parent.replace(";", "\\;"))
    suffix = f"({','.join(options)})" if options else ""
    indent = ""
    if document.sections:
        model = document.sections[-1].header
        indent = model.indent.replace(_lexer.BOM, "")
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

"""Concrete syntax tree nodes: one node per physical line, owning its bytes.

Every node keeps ``text`` (the line without its line ending) and ``newline`` (``"\\n"``,
``"\\r\\n"`` or ``""`` at the end of a file without a final LF), so ``node.raw`` is the
line exactly as it was read.  What Asterisk makes of the line is derived from its
*effective text* (the line after comment removal and trimming, see ``_lexer``), and
each piece a user may care about -- indent, name, spacing, operator, value, comment --
is a slice of ``text`` computed on demand.
"""

from __future__ import annotations

from typing import TypeVar

from pyst.config._syntax import lexer as _lexer
from pyst.config._syntax.lexer import BLANKS, fold

_TRUNCATE_NAME_BYTES = 79
_LineT = TypeVar("_LineT", bound="Line")


class Line:
    """One physical line of a ``.conf`` file.

    Subclasses name what Asterisk sees on the line.  ``effective`` is the text Asterisk
    parses; pieces that are not part of it (indentation, comments) are kept verbatim.
    """

    __slots__ = ("_eff", "_layout", "depth", "newline", "text")

    kind: str = ""

    def __init__(
        self,
        text: str,
        newline: str,
        effective: str = "",
        layout: int | tuple[int, ...] = 0,
        depth: int = 0,
    ):
        self.text = text
        self.newline = newline
        self._eff = effective
        # An int: where the effective text starts in ``text`` (it is a plain slice).
        # A tuple: the index in ``text`` of every effective character (comments spliced out).
        self._layout = layout
        #: Block-comment nesting depth after this line (0 outside ``;-- --;``).
        self.depth = depth

    def with_newline(self: _LineT, newline: str) -> _LineT:
        """A copy of this line with another line ending (its meaning does not change)."""
        return type(self)(self.text, newline, self._eff, self._layout, self.depth)

    @property
    def raw(self) -> str:
        """The line exactly as read, including its line ending."""
        return self.text + self.newline

    @property
    def effective(self) -> str:
        """What Asterisk parses: the line after comment removal and trimming."""
        return self._eff

    def _position(self, index: int) -> int:
        layout = self._layout
        return layout + index if isinstance(layout, int) else layout[index]

    def _start(self, index: int) -> int:
        """Where effective character ``index`` begins in :attr:`text`.

        A ``;`` written as ``\\;`` begins at its backslash; ``len(effective)`` maps to
        the end of the effective text.
        """
        if index >= len(self._eff):
            return self._stop(len(self._eff) - 1) if self._eff else 0
        position = self._position(index)
        if position and self._eff[index] == ";" and self.text[position - 1] == "\\":
            kept_before = index > 0 and self._position(index - 1) == position - 1
            if not kept_before:
                return position - 1
        return position

    def _stop(self, index: int) -> int:
        """Where effective character ``index`` ends (exclusive) in :attr:`text`."""
        return self._position(index) + 1

    @property
    def indent(self) -> str:
        """Text before the first effective character (usually whitespace; a BOM on line 1
        counts as indentation)."""
        if not self._eff:
            text = self.text
            start = 1 if text.startswith(_lexer.BOM) else 0
            stripped = text[start:].lstrip(BLANKS)
            return text[: len(text) - len(stripped)]
        return self.text[: self._start(0)]

    def _tail(self) -> str:
        if not self._eff:
            return self.text[len(self.indent) :]
        return self.text[self._stop(len(self._eff) - 1) :]

    @property
    def comment_space(self) -> str:
        """Blanks between the effective text and the comment."""
        tail = self._tail()
        return tail[: len(tail) - len(tail.lstrip(BLANKS))]

    @property
    def comment(self) -> str:
        """The comment that ends the line (from its ``;``), or ``""``."""
        return self._tail().lstrip(BLANKS)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.raw!r})"


class Blank(Line):
    """A line holding nothing but blanks."""

    __slots__ = ()
    kind = _lexer.BLANK


class Comment(Line):
    """A line with no effective text: a ``;`` comment, or a line inside ``;-- --;``."""

    __slots__ = ()
    kind = _lexer.COMMENT


class Text(Line):
    """Effective text with no ``=``: Asterisk warns ``No '=' (equal sign)`` and skips it."""

    __slots__ = ()
    kind = _lexer.TEXT


class LongLine(Line):
    """A line longer than Asterisk's 8192-byte line buffer.

    Asterisk reads it in 8191-byte pieces: a piece that fills the buffer with no LF is
    "too long" and skipped with the pieces after it, but a NUL byte makes a piece look
    short, and then it (up to the NUL) and the pieces after it are read as lines of their
    own, each counting as a line number.  :attr:`logical_lines` lists what Asterisk made of
    this physical line, in order: ``None`` for a skipped run, else the line it read.
    """

    __slots__ = ("logical_lines",)
    kind = _lexer.LONG

    @property
    def indent(self) -> str:
        """Always ``""``: Asterisk does not read the line, so it has no pieces."""
        return ""

    def _tail(self) -> str:
        return ""

    def __init__(
        self,
        text: str,
        newline: str,
        effective: str = "",
        layout: int | tuple[int, ...] = 0,
        depth: int = 0,
        logical_lines: tuple[Line | None, ...] = (None,),
    ):
        super().__init__(text, newline, effective, layout, depth)
        self.logical_lines = logical_lines

    def with_newline(self: _LineT, newline: str) -> _LineT:
        """A copy of this line with another line ending."""
        copy = super().with_newline(newline)
        assert isinstance(copy, LongLine) and isinstance(self, LongLine)
        copy.logical_lines = self.logical_lines
        return copy


class Header(Line):
    """A category header: ``[name]``, ``[name](!)``, ``[name](a,b)``, ``[name](+)``."""

    __slots__ = ()
    kind = _lexer.HEADER

    def _close(self) -> int:
        return self._eff.find("]")

    @property
    def raw_name(self) -> str:
        """The name between ``[`` and the first ``]`` as Asterisk reads it, before it cuts
        it to 79 bytes (``\\;`` already unescaped; the rest of the line if unclosed)."""
        close = self._close()
        return self._eff[1:close] if close >= 0 else self._eff[1:]

    @property
    def name(self) -> str:
        """The category name as Asterisk stores it (kept exactly, cut to 79 bytes)."""
        return truncate_name(self.raw_name)

    @property
    def closed(self) -> bool:
        """False when the header has no ``]`` (a fatal error for Asterisk)."""
        return self._close() >= 0

    @property
    def options_text(self) -> str | None:
        """The text inside ``( … )`` right after ``]``; ``None`` without options.

        An unclosed ``(`` gives the rest of the line; see :attr:`options_closed`.
        """
        close = self._close()
        if close < 0 or self._eff[close + 1 : close + 2] != "(":
            return None
        end = self._eff.find(")", close + 2)
        return self._eff[close + 2 : end] if end >= 0 else self._eff[close + 2 :]

    @property
    def options_closed(self) -> bool:
        """False when ``(`` follows ``]`` but no ``)`` does (fatal for Asterisk)."""
        close = self._close()
        if close < 0 or self._eff[close + 1 : close + 2] != "(":
            return True
        return self._eff.find(")", close + 2) >= 0

    @property
    def options(self) -> list[str]:
        """The option tokens, untrimmed, in order (``[]`` without options)."""
        text = self.options_text
        return [] if text is None else text.split(",")

    @property
    def template(self) -> bool:
        """True for ``(!)``: a template, hidden from most consumers."""
        return "!" in self.options

    @property
    def parents(self) -> list[str]:
        """Categories this one inherits from, in order (every token but ``!`` and ``+…``)."""
        return [o for o in self.options if o != "!" and not o.startswith("+")]

    @property
    def is_addition(self) -> bool:
        """True for ``(+)``/``(+filter)``: adds to an existing category."""
        return any(o.startswith("+") for o in self.options)

    @property
    def addition_filter(self) -> str | None:
        """The filter of the first ``(+filter)`` token (``""`` for plain ``(+)``)."""
        for option in self.options:
            if option.startswith("+"):
                return option[1:]
        return None

    @property
    def trailer(self) -> str:
        """Text after ``]`` or after the options' ``)``, which Asterisk ignores."""
        close = self._close()
        if close < 0:
            return ""
        rest = self._eff[close + 1 :]
        if rest.startswith("("):
            end = rest.find(")")
            return "" if end < 0 else rest[end + 1 :]
        return rest


class Assignment(Line):
    """``name = value``, ``name => value`` or ``name += value``."""

    __slots__ = ()
    kind = _lexer.ASSIGNMENT

    def _split(self) -> tuple[int, int, int]:
        """Return (name end, operator start, value start) as effective positions."""
        eff = self._eff
        escaped = 1 if eff[0] == "\\" else 0
        equals = eff.find("=", 2 * escaped)
        if equals > 2 * escaped and eff[equals - 1] == "+":
            return equals - 1, equals - 1, equals + 1
        if eff[equals + 1 : equals + 2] == ">":
            return equals, equals, equals + 2
        return equals, equals, equals + 1

    def parts(self) -> tuple[str, str, str]:
        """``(name, operator, value text)`` in one pass; the value text is untrimmed."""
        eff = self._eff
        escaped = 1 if eff[0] == "\\" else 0
        equals = eff.find("=", 2 * escaped)
        if equals > 2 * escaped and eff[equals - 1] == "+":
            return eff[escaped : equals - 1].strip(BLANKS), "+=", eff[equals + 1 :]
        if eff[equals + 1 : equals + 2] == ">":
            return eff[escaped:equals].strip(BLANKS), "=>", eff[equals + 2 :]
        return eff[escaped:equals].strip(BLANKS), "=", eff[equals + 1 :]

    @property
    def escaped(self) -> bool:
        """True when the line starts with a ``\\`` escape (``\\#1 = …``)."""
        return self._eff[0] == "\\"

    @property
    def raw_name(self) -> str:
        """The name as written (escapes included), without the blanks around it."""
        return self.text[self._start(0) : self._name_stop()]

    @property
    def name(self) -> str:
        """The variable name as Asterisk stores it."""
        return self.parts()[0]

    @property
    def operator(self) -> str:
        """``"="``, ``"=>"`` or ``"+="``."""
        return self.parts()[1]

    @property
    def object(self) -> bool:
        """True for ``=>`` (Asterisk's object flag)."""
        return self.parts()[1] == "=>"

    @property
    def value(self) -> str:
        """The value as Asterisk stores it (trimmed; ``\\;`` already unescaped).

        For ``+=`` this is the text the line appends, trimmed.
        """
        return self.parts()[2].strip(BLANKS)

    @property
    def append_text(self) -> str:
        """For ``+=``: the text Asterisk appends (leading blanks kept, as it does)."""
        return self.parts()[2]

    def name_span(self) -> tuple[int, int]:
        """Where the name is written in :attr:`text` (escape included), as ``(start, end)``."""
        return self._start(0), self._name_stop()

    def _name_stop(self) -> int:
        end, _, _ = self._split()
        name_end = len(self._eff[:end].rstrip(BLANKS))
        return self._stop(name_end - 1) if name_end else self._start(0)

    def _operator_stop(self) -> int:
        _, _, value = self._split()
        return self._stop(value - 1)

    def _value_start(self) -> int:
        """Effective index of the value's first non-blank character."""
        _, _, value = self._split()
        rest = self._eff[value:]
        return value + len(rest) - len(rest.lstrip(BLANKS))

    def operator_span(self) -> tuple[int, int]:
        """Where the operator is written in :attr:`text`, as ``(start, end)``."""
        _, op, _ = self._split()
        return self._start(op), self._operator_stop()

    @property
    def raw_operator(self) -> str:
        """The operator as written (a ``;-- --;`` comment may sit inside it)."""
        start, end = self.operator_span()
        return self.text[start:end]

    @property
    def before_operator(self) -> str:
        """Raw text between the name and the operator (spacing, rarely a comment)."""
        _, op, _ = self._split()
        return self.text[self._name_stop() : self._start(op)]

    @property
    def after_operator(self) -> str:
        """Raw text between the operator and the value."""
        return self.text[self._operator_stop() : self.value_span()[0]]

    def value_span(self) -> tuple[int, int]:
        """Where the value is written in :attr:`text`, as ``(start, end)``.

        For an empty value both are the position just after the operator's spacing.
        """
        end = self._stop(len(self._eff) - 1)
        first = self._value_start()
        if first >= len(self._eff):
            return end, end
        return self._start(first), end

    @property
    def raw_value(self) -> str:
        """The value as written (escapes kept), without surrounding blanks or comment."""
        start, end = self.value_span()
        return self.text[start:end]


class Directive(Line):
    """``#include``, ``#tryinclude``, ``#exec`` or an unknown ``#word``."""

    __slots__ = ()
    kind = _lexer.DIRECTIVE

    def _word_end(self) -> int:
        # Asterisk's test is ``*c > 32`` on a signed char: the word also ends at a byte
        # of 0x80 or more.
        eff = self._eff
        index = 1
        while index < len(eff) and " " < eff[index] < "\x80":
            index += 1
        return index

    @property
    def word(self) -> str:
        """The directive word as written, without ``#`` (``include``, ``INCLUDE``, ``exec``…)."""
        return self._eff[1 : self._word_end()]

    @property
    def directive(self) -> str:
        """``"include"``, ``"tryinclude"``, ``"exec"``, or ``""`` for an unknown word."""
        word = fold(self.word)
        return word if word in ("include", "tryinclude", "exec") else ""

    @property
    def argument(self) -> str:
        """The raw argument (quotes kept), ``""`` when there is none."""
        return directive_argument(self._eff[self._word_end() :])

    @property
    def quote(self) -> str:
        """``'"'``, ``"<"`` or ``""``: how the argument was quoted."""
        arg = self.argument
        if arg[:1] == '"' and arg.endswith('"'):
            return '"'
        if arg[:1] == "<" and arg.endswith(">"):
            return "<"
        return ""

    @property
    def path(self) -> str:
        """The argument with one pair of ``"…"`` or ``<…>`` removed, as Asterisk does."""
        arg = self.argument
        return arg[1:-1] if self.quote else arg


def directive_argument(rest: str) -> str:
    """The argument Asterisk reads from what follows a directive word.

    The byte that ended the word is dropped; when it was the first byte of a multi-byte
    character, the character's other bytes stay in the argument, as they do in C.
    """
    if not rest:
        return ""
    if rest[0] >= "\x80":
        tail = _lexer.encode(rest[0])[1:].decode("utf-8", "surrogateescape")
        return (tail + rest[1:]).strip(BLANKS)
    return rest[1:].strip(BLANKS)


def truncate_name(name: str) -> str:
    """Cut a category name to the 79 bytes Asterisk keeps."""
    if len(name) <= _TRUNCATE_NAME_BYTES // 4 or _lexer.byte_length(name) <= _TRUNCATE_NAME_BYTES:
        return name
    data = _lexer.encode(name)[:_TRUNCATE_NAME_BYTES]
    return data.decode("utf-8", "surrogateescape")


#: Which node class stands for each line kind of the grammar.
NODE_CLASSES: dict[str, type[Line]] = {
    cls.kind: cls for cls in (Blank, Comment, Text, LongLine, Header, Assignment, Directive)
}

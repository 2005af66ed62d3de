"""Sans-IO AGI reply parser: bytes in, :class:`Reply` objects out.

One parser serves every transport (stdio, FastAGI, AsyncAGI, the fake).  It splits the
byte stream into lines itself, so any chunking gives the same result, and it consumes every
line exactly once, so it never loses its place: a line it cannot understand is dropped and
reported with :class:`AGIProtocolError`, and the next line is parsed normally.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from types import MappingProxyType

from ._errors import AGIConnectionClosed, AGIProtocolError

__all__ = ["MAX_LINE_LENGTH", "MAX_USAGE_LINES", "LineBuffer", "Reply", "ReplyParser", "parse_line"]

#: A reply line longer than this (no newline in sight) is an error, not a reason to buffer.
MAX_LINE_LENGTH = 1 << 20
#: A ``520-`` usage block (or a value spread over lines) longer than this is an error.
MAX_USAGE_LINES = 1000

_EMPTY: Mapping[str, str] = MappingProxyType({})


def int_or_none(value: str | None) -> int | None:
    """``int(value)``, or ``None`` if ``value`` is missing or not a number."""
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


class Reply:
    """One final reply from Asterisk.

    ``code`` is the status (200, 510, 511, 520, ...); ``result`` the value after
    ``result=`` (a string, possibly empty; ``None`` if the line has none); ``data`` the text
    in parentheses after it (``None`` if absent); ``fields`` the ``key=value`` pairs after
    that (``endpos``, ``digit``, ...); ``text`` any remaining free text (``Gosub complete``,
    or the message of a 5xx line); ``rest`` everything after the result value, verbatim;
    ``line`` the final line; ``usage`` the usage text of a multi-line ``520`` block;
    ``provisional`` the ``100 ...`` lines that came before the final line; ``hangup``
    whether an inline ``HANGUP`` line arrived while this reply was awaited.
    """

    __slots__ = (
        "code",
        "data",
        "fields",
        "hangup",
        "line",
        "provisional",
        "rest",
        "result",
        "text",
        "usage",
    )

    def __init__(
        self,
        code: int,
        result: str | None,
        data: str | None,
        fields: Mapping[str, str],
        text: str,
        rest: str,
        line: str,
        usage: str | None = None,
        provisional: tuple[str, ...] = (),
        hangup: bool = False,
    ) -> None:
        self.code = code
        self.result = result
        self.data = data
        self.fields = fields
        self.text = text
        self.rest = rest
        self.line = line
        self.usage = usage
        self.provisional = provisional
        self.hangup = hangup

    def __repr__(self) -> str:
        return f"Reply({self.line!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Reply):
            return NotImplemented
        return (self.line, self.usage, self.provisional) == (
            other.line,
            other.usage,
            other.provisional,
        )

    __hash__ = None  # type: ignore[assignment]

    @property
    def result_int(self) -> int | None:
        """``result`` as an integer, or ``None`` if it is missing or not a number."""
        return int_or_none(self.result)


def _split_tail(tail: str) -> tuple[str | None, Mapping[str, str], str]:
    """Split what follows ``result=V`` into (data, fields, free text)."""
    data: str | None = None
    if tail.startswith("("):
        if tail.endswith(")"):
            # Values of variables end the line and may contain parentheses themselves.
            return tail[1:-1], _EMPTY, ""
        close = tail.find(")")
        if close < 0:
            return None, _EMPTY, tail
        data = tail[1:close]
        tail = tail[close + 1 :].lstrip(" ")
    if not tail:
        return data, _EMPTY, ""
    if "=" not in tail:
        return data, _EMPTY, tail
    fields: dict[str, str] = {}
    words: list[str] = []
    for token in tail.split(" "):
        key, sep, value = token.partition("=")
        if sep and key:
            fields[key] = value
        elif token:
            words.append(token)
    return data, fields, " ".join(words)


def parse_line(line: str) -> Reply:
    """Parse one final reply line such as ``200 result=1 (value)``.

    Raises :class:`AGIProtocolError` if the line does not start with a three-digit code.
    """
    code_text = line[:3]
    if (
        len(code_text) != 3
        or (len(line) > 3 and line[3] != " ")
        or not code_text.isdigit()
        or not code_text.isascii()
    ):
        raise AGIProtocolError(f"not an AGI reply line: {line[:200]!r}", line)
    code = int(code_text)
    body = line[4:]
    if body.startswith("result="):
        result, _, tail = body[7:].partition(" ")
        data, fields, text = _split_tail(tail)
        return Reply(code, result, data, fields, text, tail, line)
    return Reply(code, None, None, _EMPTY, body, body, line)


class LineBuffer:
    """Turns chunks of bytes into complete lines (split at ``\\n``).

    :meth:`next_line` strips a ``\\r`` before the ``\\n`` (peers that end lines with
    CRLF); :meth:`next_raw_line` keeps it, for a value that goes on over several lines
    and may contain CRLF itself (Asterisk ends its own lines with a bare ``\\n``).
    """

    __slots__ = ("_eof", "_lines", "_partial", "max_line_length")

    def __init__(self, max_line_length: int = MAX_LINE_LENGTH) -> None:
        self._partial = bytearray()
        self._lines: deque[str] = deque()
        self._eof = False
        self.max_line_length = max_line_length

    def feed(self, data: bytes) -> None:
        """Add received bytes (linear in the total size, however it is chunked)."""
        if self._eof:
            raise AGIProtocolError("data received after end of input")
        newline = data.rfind(b"\n")
        if newline < 0:
            self._partial += data
        else:
            # Newline is ASCII, so complete lines can be decoded in one go.
            complete = self._partial + data[:newline]
            self._partial = bytearray(data[newline + 1 :])
            self._lines.extend(complete.decode("utf-8", "surrogateescape").split("\n"))
        if len(self._partial) > self.max_line_length:
            self._partial = bytearray()
            raise AGIProtocolError(
                f"reply line longer than {self.max_line_length} bytes without a newline"
            )

    def feed_eof(self) -> None:
        """Record that the peer closed the stream."""
        self._eof = True

    @property
    def eof(self) -> bool:
        """True once :meth:`feed_eof` was called."""
        return self._eof

    def next_line(self) -> str | None:
        """Return the next complete line without its line end, or ``None`` if more data
        is needed.

        At end of input a truncated last line raises :class:`AGIConnectionClosed`.
        """
        line = self.next_raw_line()
        return line[:-1] if line is not None and line.endswith("\r") else line

    def next_raw_line(self) -> str | None:
        """Like :meth:`next_line`, but a ``\\r`` before the ``\\n`` is kept."""
        if self._lines:
            return self._lines.popleft()
        if self._eof:
            if self._partial:
                # The cut line is not shown: it may be a secret value being read.
                size = len(self._partial)
                self._partial = bytearray()
                raise AGIConnectionClosed(
                    f"Asterisk closed the connection in the middle of a line ({size} bytes "
                    "of it received, not shown)"
                )
            raise AGIConnectionClosed("Asterisk closed the connection (end of input)")
        return None

    def has_line(self) -> bool:
        """True if a complete line is buffered."""
        return bool(self._lines)


class ReplyParser:
    """Incremental parser for the replies of one AGI conversation.

    Feed bytes with :meth:`feed` (and :meth:`feed_eof`), then call :meth:`next_reply` until
    it returns ``None`` (more data needed).  Inline ``HANGUP`` lines are absorbed and
    counted in :attr:`hangups`; ``100`` provisional lines are attached to the next final
    reply; ``520-`` blocks are collected up to ``520 End of proper usage.``.
    """

    __slots__ = (
        "_after_value",
        "_discard_usage",
        "_hangup_pending",
        "_owed_usage",
        "_provisional",
        "_usage",
        "_usage_head",
        "_value_lines",
        "buffer",
        "hangups",
        "value_reply",
    )

    def __init__(self, buffer: LineBuffer | None = None) -> None:
        self.buffer = buffer if buffer is not None else LineBuffer()
        self.hangups = 0
        self._provisional: list[str] = []
        self._usage: list[str] | None = None
        self._usage_head = ""
        self._hangup_pending = False
        self._value_lines: list[str] | None = None
        self._owed_usage = False
        self._discard_usage = False
        self._after_value = False
        #: The reply awaited is ``200 result=1 (%s)`` with a verbatim value (GET
        #: VARIABLE, ...): a line that opens ``(`` goes on until a line ending in ``)``.
        self.value_reply = False

    def owe_usage_block(self) -> None:
        """Expect an unsolicited ``520`` usage block right after the last final reply.

        Asterisk sends one after ``200 result=1`` to EXEC: ``handle_exec`` returns the
        application's return code and ``agi_handle_command`` takes 1 for
        ``RESULT_SHOWUSAGE``.  If the next line starts a ``520`` block it is consumed
        silently; any other line cancels the expectation (a peer that does not send it).
        """
        self._owed_usage = True

    def feed(self, data: bytes) -> None:
        """Add received bytes."""
        self.buffer.feed(data)

    def feed_eof(self) -> None:
        """Record end of input."""
        self.buffer.feed_eof()

    def next_reply(self) -> Reply | None:
        """Return the next final reply, ``None`` if more data is needed.

        Raises :class:`AGIConnectionClosed` at end of input and :class:`AGIProtocolError`
        for a line that is not AGI (that line is consumed; parsing can continue).
        """
        try:
            reply = self._next_reply()
        except AGIProtocolError as error:
            if not self._after_value:
                raise
            self._after_value = False
            # Most likely the rest of a value with a newline after a ")" (f(x)\ng(y)):
            # it may be part of a secret, so the message does not repeat it.
            raise AGIProtocolError(
                f"a line that is not AGI ({len(error.line)} characters, not shown) "
                "followed a reply with a value: probably the rest of a value that "
                "contains a line ending in ')'",
                error.line,
            ) from None
        if reply is not None:
            self._after_value = reply.data is not None
        return reply

    def _next_reply(self) -> Reply | None:
        buffered = self.buffer._lines
        while True:
            raw = buffered.popleft() if buffered else self.buffer.next_raw_line()
            if raw is None:
                return None
            # Asterisk ends its lines with a bare LF; a CR before it is stripped for
            # peers that use CRLF, except inside a multi-line value (kept in ``raw``).
            line = raw[:-1] if raw[-1:] == "\r" else raw
            if self._usage is not None:
                reply = self._usage_line(line)
                if reply is not None:
                    return reply
                continue
            if self._value_lines is not None:
                reply = self._value_line(raw, line)
                if reply is not None:
                    return reply
                continue
            if self._owed_usage:
                self._owed_usage = False
                if line.startswith("520-"):
                    self._usage = []
                    self._usage_head = line
                    self._discard_usage = True
                    continue
                if line.startswith("520 "):
                    continue
            if line[:11] == "200 result=":  # the common case, parsed inline
                result, _, tail = line[11:].partition(" ")
                if tail:
                    if tail[0] == "(" and (
                        ")" not in tail or (self.value_reply and tail[-1] != ")")
                    ):
                        # A value with a newline in it (Asterisk sends it raw): the
                        # reply goes on until a line that closes the parenthesis.
                        self._value_lines = [raw]
                        continue
                    data, fields, text = _split_tail(tail)
                    reply = Reply(200, result, data, fields, text, tail, line)
                else:
                    reply = Reply(200, result, None, _EMPTY, "", "", line)
                if self._provisional or self._hangup_pending:
                    return self._final(reply)
                return reply
            if line == "HANGUP":
                self.hangups += 1
                self._hangup_pending = True
                continue
            if not line:
                continue
            if line.startswith("520-"):
                self._usage = []
                self._usage_head = line
                continue
            if line.startswith("100 "):
                self._provisional.append(line)
                continue
            try:
                reply = parse_line(line)
            except AGIProtocolError:
                self._provisional.clear()
                self._hangup_pending = False
                raise
            return self._final(reply)

    def _value_line(self, raw: str, line: str) -> Reply | None:
        value_lines = self._value_lines
        assert value_lines is not None
        if line.endswith(")"):
            # The line that closes the value: its CR (if any) ended the line.
            self._value_lines = None
            return self._final(parse_line("\n".join([*value_lines, line])))
        value_lines.append(raw)
        if len(value_lines) > MAX_USAGE_LINES:
            self._value_lines = None
            raise AGIProtocolError("unterminated (value) in a 200 reply", value_lines[0])
        return None

    def _usage_line(self, line: str) -> Reply | None:
        usage = self._usage
        assert usage is not None
        if line.startswith("520 "):
            self._usage = None
            if self._discard_usage:
                self._discard_usage = False
                return None
            reply = parse_line(line)
            reply.usage = "\n".join(usage)
            reply.text = self._usage_head[4:]
            return self._final(reply)
        usage.append(line)
        if len(usage) > MAX_USAGE_LINES:
            self._usage = None
            self._discard_usage = False
            raise AGIProtocolError(
                f"520 usage block longer than {MAX_USAGE_LINES} lines", self._usage_head
            )
        return None

    def _final(self, reply: Reply) -> Reply:
        if self._provisional:
            reply.provisional = tuple(self._provisional)
            self._provisional.clear()
        if self._hangup_pending:
            reply.hangup = True
            self._hangup_pending = False
        return reply

    def drain_hangups(self) -> int:
        """Consume buffered ``HANGUP`` lines that arrived with no command outstanding.

        Stops at the first other line (it belongs to the next reply) and returns the total
        number of ``HANGUP`` lines seen so far.  Never raises at end of input.
        """
        buffered = self.buffer._lines
        while buffered and buffered[0] in ("HANGUP", "HANGUP\r"):
            buffered.popleft()
            self.hangups += 1
        return self.hangups

"""The sans-IO AMI wire format: an incremental decoder and a strict encoder.

No sockets here. :class:`Decoder` takes bytes in any chunking and returns typed messages;
:func:`encode_action` turns ordered headers into bytes and refuses header injection.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pyst.manager._errors import HeaderInjectionError, LineTooLongError, ProtocolError
from pyst.manager._messages import (
    Event,
    Greeting,
    Headers,
    Message,
    Region,
    Response,
)

__all__ = [
    "DEFAULT_MAX_MESSAGE_SIZE",
    "MAX_ACTION_ID_BYTES",
    "MAX_ACTION_LINES",
    "MAX_LINE_BYTES",
    "Decoder",
    "check_action_id",
    "encode_action",
]

DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024

# manager.c keeps at most AST_MAX_MANHEADERS (128) lines of one action; with more it answers
# "Too many lines in message or allocation failure" and runs nothing.
MAX_ACTION_LINES = 128

# manager.c get_input() reads each line into inbuf[1025] and never reads more than 1024 bytes
# into it; a line whose CRLF is not among those 1024 bytes is discarded and the action answered
# with "Failed to parse message: line too long". So "Name: value" may hold at most 1022 bytes.
MAX_LINE_BYTES = 1022

# Asterisk echoes an ActionID through fixed buffers, snprintf(idText, sizeof(idText),
# "ActionID: %s\r\n", id): 150 bytes in action_coresettings, 80 in ConfbridgeList and
# MeetmeList. An ID that does not fit comes back cut (and glued to the next header), so its
# answer never matches. 80 - len("ActionID: \r\n") - 1 = 67; 64 leaves a margin.
MAX_ACTION_ID_BYTES = 64

# The legacy Command answer, byte for byte as Asterisk before 14 wrote it.
_FOLLOWS = b"Response: Follows\r\n"
_END_COMMAND = b"--END COMMAND--"
_LEGACY_HEADER_NAMES = frozenset({"privilege", "actionid"})

_FORBIDDEN_IN_VALUE = re.compile(r"[\r\n\x00]")
# Text decoded from AMI holds each byte that is not UTF-8 as a lone surrogate U+DC80..U+DCFF
# (surrogateescape) and is sent back as that byte; any other lone surrogate has no bytes.
_UNENCODABLE = re.compile("[\ud800-\udc7f\udd00-\udfff]")
_VALID_NAME = re.compile(r"[!-9;-~]+")  # printable ASCII except ':' and space

DecodedMessage = Greeting | Message


class Decoder:
    """Incremental decoder: :meth:`feed` bytes as they arrive, get complete messages back.

    The result does not depend on how the stream is chunked: a message, a header line or a
    UTF-8 character may be split anywhere. Messages end at an empty line (CRLF or bare LF).
    The first line is returned as a :class:`Greeting` when it is not a header. The legacy
    ``Response: Follows`` ... ``--END COMMAND--`` format of Asterisk before 14 is understood.
    """

    def __init__(
        self,
        *,
        greeting: bool = True,
        max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE,
    ) -> None:
        self._buffer = b""
        # Chunks that cannot complete a message (no blank line in them) are parked unjoined,
        # so a large message arriving in many reads costs linear, not quadratic, time.
        self._parked: list[bytes] = []
        self._parked_size = 0
        self._tail = b""  # the last bytes held, to spot a blank line split between reads
        self._expect_greeting = greeting
        self._max_message_size = max_message_size

    @property
    def buffered(self) -> int:
        """How many bytes are held waiting for the rest of a message."""
        return len(self._buffer) + self._parked_size

    def _park(self, data: bytes) -> bool:
        """Hold ``data`` without decoding when it cannot end a message; True if parked."""
        if self._expect_greeting or not (self._buffer or self._parked):
            return False
        edge = self._tail + data[:2]
        if b"\n\r\n" in data or b"\n\r\n" in edge or b"\n\n" in edge or b"\n\n" in data:
            return False
        self._parked.append(data)
        self._parked_size += len(data)
        self._tail = (self._tail + data)[-2:]
        if self.buffered > self._max_message_size:
            self._parked, self._parked_size, self._buffer = [], 0, b""
            raise ProtocolError(
                f"a message exceeds {self._max_message_size} bytes without ending; "
                "the stream is not AMI or max_message_size is too small"
            )
        return True

    def _take_buffer(self, data: bytes) -> bytes:
        if self._parked:
            buf = b"".join([self._buffer, *self._parked, data])
            self._parked, self._parked_size = [], 0
            return buf
        return self._buffer + data if self._buffer else bytes(data)

    def feed(self, data: bytes) -> list[DecodedMessage]:
        """Add received bytes; return every message they complete, in order."""
        if not data or self._park(data):
            return []
        buf = self._take_buffer(data)
        out: list[DecodedMessage] = []
        pos = 0
        if self._expect_greeting:
            pos = self._take_greeting(buf, out)
            if self._expect_greeting:
                self._keep(buf, pos)
                return out
        last = buf.rfind(b"\r\n\r\n", pos)
        if last >= 0 and self._is_plain(buf, pos, last + 4):
            self._fast_region(buf[pos:last], out)
            pos = last + 4
        pos = self._slow_region(buf, pos, out)
        self._keep(buf, pos)
        return out

    @staticmethod
    def _is_plain(buf: bytes, start: int, stop: int) -> bool:
        """True when every LF in ``buf[start:stop]`` ends a CRLF and there is no legacy
        ``Response: Follows``: then every blank line is a CRLF CRLF, and splitting there gives
        exactly the messages the line-by-line path finds (runs of blank lines give empty
        pieces, which are skipped)."""
        return buf.count(b"\n", start, stop) == buf.count(b"\r\n", start, stop) and (
            buf.find(_FOLLOWS, start, stop) < 0
        )

    @staticmethod
    def _fast_region(region: bytes, out: list[DecodedMessage]) -> None:
        append = out.append
        new = Event.__new__
        blocks = region.split(b"\r\n\r\n")
        # the bulk split needs single blank lines between messages; a run of them (an empty
        # block) or a leading one leaves every event to split its own headers
        shared = Region(blocks) if blocks[0] and b"" not in blocks else None
        for number, block in enumerate(blocks):
            if block.startswith(b"Event: "):
                stop = block.find(b"\r\n", 7)
                event = new(Event)
                event._headers = None
                event._raw = block
                event._region = shared
                event._block = number
                name = block[7:stop] if stop >= 0 else block[7:]
                event.name = name.decode("utf-8", "surrogateescape")
                append(event)
            else:
                message = _classify(Headers.parse(block))
                if message is not None:
                    append(message)

    def _slow_region(self, buf: bytes, pos: int, out: list[DecodedMessage]) -> int:
        """Decode message by message from ``pos`` (any line endings); return the new offset."""
        size = len(buf)
        find = buf.find
        # The next "\n\r\n" and "\n\n" at or after pos, found once and reused until pos
        # passes them (-1: none in the rest of the buffer), so each byte is searched once
        # however many messages there are: linear, not quadratic, on LF-only streams.
        crlf = find(b"\n\r\n", pos)
        bare = find(b"\n\n", pos)
        while pos < size:
            if 0 <= crlf < pos:
                crlf = find(b"\n\r\n", pos)
            if 0 <= bare < pos:
                bare = find(b"\n\n", pos)
            # the earlier blank line ends the message (they never start at the same byte)
            if bare >= 0 and (crlf < 0 or bare < crlf):
                end, skip = bare, 2
            elif crlf >= 0:
                end, skip = crlf, 3
            else:
                break
            if buf.startswith(_FOLLOWS, pos + _count_blank_prefix(buf, pos, end)):
                legacy_end = self._take_legacy(buf, pos, out)
                if legacy_end < 0:
                    break
                pos = legacy_end
                continue
            message = _classify(Headers.parse(buf[pos : end + 1]))
            if message is not None:
                out.append(message)
            pos = end + skip
        return pos

    def feed_eof(self) -> list[DecodedMessage]:
        """Signal the end of the stream; return a legacy message that only lacked its blank line.

        Bytes of an unfinished message stay counted in :attr:`buffered` (the caller decides
        whether that is an error: see ``ConnectionLost``).
        """
        self._buffer = self._take_buffer(b"")
        if self._buffer.lstrip(b"\r\n").startswith(_FOLLOWS):
            out: list[DecodedMessage] = []
            end = self._take_legacy(self._buffer + b"\r\n", 0, out)
            if end >= 0:
                self._buffer = b""
                return out
        if not self._buffer.strip():
            self._buffer = b""
        return []

    def _keep(self, buf: bytes, pos: int) -> None:
        rest = buf[pos:] if pos else buf
        if len(rest) > self._max_message_size:
            self._buffer = b""
            raise ProtocolError(
                f"a message exceeds {self._max_message_size} bytes without ending; "
                "the stream is not AMI or max_message_size is too small"
            )
        self._buffer = rest
        self._tail = rest[-2:]

    def _take_greeting(self, buf: bytes, out: list[DecodedMessage]) -> int:
        newline = buf.find(b"\n")
        if newline < 0:
            return 0
        self._expect_greeting = False
        line = buf[:newline].rstrip(b"\r")
        if not line or b":" in line:
            return 0  # no greeting: the stream starts with a message
        out.append(Greeting(line.decode("utf-8", "surrogateescape")))
        return newline + 1

    def _take_legacy(self, buf: bytes, pos: int, out: list[DecodedMessage]) -> int:
        """Parse a ``Response: Follows`` message at ``pos``; return its end or -1 if partial."""
        marker = buf.find(_END_COMMAND, pos)
        if marker < 0:
            return -1
        newline = buf.find(b"\n", marker)
        if newline < 0:
            return -1
        end = newline + 1
        if buf.startswith(b"\r\n", end):
            end += 2
        elif buf.startswith(b"\n", end):
            end += 1
        elif len(buf) - end < 2 and b"\r\n".startswith(buf[end:]):
            return -1  # the closing blank line has not arrived yet
        text = buf[pos:marker].decode("utf-8", "surrogateescape")
        lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
        while lines and not lines[0]:
            del lines[0]
        headers: list[tuple[str, str]] = []
        index = 0
        while index < len(lines):
            name, colon, value = lines[index].partition(":")
            if index and not (colon and name.lower() in _LEGACY_HEADER_NAMES):
                break
            headers.append((name, value[1:] if value.startswith(" ") else value))
            index += 1
        output = lines[index:]
        if output and not output[-1]:
            output.pop()  # the output ended with a newline before the marker
        out.append(Response(Headers(headers), output))
        return end


def _count_blank_prefix(buf: bytes, pos: int, end: int) -> int:
    """Length of the empty lines (CR/LF bytes) at ``buf[pos:end]``."""
    stop = pos
    while stop < end and buf[stop] in (10, 13):
        stop += 1
    return stop - pos


def _classify(headers: Headers) -> Message | None:
    """Make an Event (any ``Event`` header), a Response (a ``Response`` header) or a Message."""
    if not len(headers):
        return Message(headers) if headers.bare_lines else None
    if "Event" in headers:
        return Event(headers)
    if "Response" in headers:
        return Response(headers)
    return Message(headers)


def check_header(name: str, value: str) -> None:
    """Raise :class:`HeaderInjectionError` unless ``name: value`` is safe to send."""
    if not _VALID_NAME.fullmatch(name):
        raise HeaderInjectionError(
            f"header name {name[:40]!r} is not allowed: use printable ASCII without ':' or spaces"
        )
    if _FORBIDDEN_IN_VALUE.search(value):
        raise HeaderInjectionError(
            f"the value of header {name!r} contains CR, LF or NUL, which would end the header "
            "early; remove line breaks from it before sending"
        )
    if _UNENCODABLE.search(value):
        raise HeaderInjectionError(
            f"the value of header {name!r} contains a lone surrogate that stands for no byte "
            "(only U+DC80..U+DCFF, the bytes surrogateescape keeps, can be sent); fix the text"
        )


def check_action_id(action_id: str) -> None:
    """Raise unless Asterisk echoes ``action_id`` back unchanged (so its answer can match).

    manager.c drops leading blanks (bytes up to space) from every header value and echoes
    an ActionID through buffers as small as 80 bytes; see :data:`MAX_ACTION_ID_BYTES`.
    """
    check_header("ActionID", action_id)
    if not action_id or ord(action_id[0]) <= 32:
        raise ValueError(
            f"ActionID {action_id[:40]!r} is empty or starts with a blank; Asterisk strips "
            "leading blanks and would answer with a different ActionID"
        )
    size = _size(action_id)
    if size > MAX_ACTION_ID_BYTES:
        raise ValueError(
            f"ActionID {action_id[:20]!r}... is {size} bytes; Asterisk echoes at most "
            f"{MAX_ACTION_ID_BYTES} bytes of it intact (fixed-size buffers in manager.c and "
            "modules), so the answer would never match: use a shorter ActionID"
        )


def _size(text: str) -> int:
    """Bytes ``text`` is sent as (UTF-8; escaped bytes count one each)."""
    return len(text.encode("utf-8", "surrogateescape"))


def encode_action(headers: Iterable[tuple[str, str]]) -> bytes:
    """Encode ordered ``(name, value)`` headers as one action (CRLF lines, blank line last).

    Refuses header injection (:class:`HeaderInjectionError`), and what Asterisk cannot read:
    a line ``Name: value`` of more than :data:`MAX_LINE_BYTES` bytes (:class:`LineTooLongError`,
    a ``ValueError``) and actions of more than :data:`MAX_ACTION_LINES` lines (``ValueError``).
    """
    parts: list[str] = []
    for name, value in headers:
        check_header(name, value)
        line = f"{name}: {value}\r\n"
        # a str of n characters is n to 4n bytes in UTF-8: encode only when it may not fit
        if len(line) - 2 > MAX_LINE_BYTES or (
            4 * (len(line) - 2) > MAX_LINE_BYTES and _size(line) - 2 > MAX_LINE_BYTES
        ):
            size = _size(line) - 2
            raise LineTooLongError(
                f"header {name!r} makes a line of {size} bytes; Asterisk reads at most "
                f"{MAX_LINE_BYTES} bytes per line (manager.c get_input, a 1024-byte buffer) "
                "and answers 'Failed to parse message: line too long' without running the "
                "action: shorten the value"
            )
        parts.append(line)
    if not parts:
        raise ValueError("an action needs at least one header")
    if len(parts) > MAX_ACTION_LINES:
        raise ValueError(
            f"the action has {len(parts)} header lines; Asterisk reads at most "
            f"{MAX_ACTION_LINES} (AST_MAX_MANHEADERS) and answers 'Too many lines in message' "
            "without running it: send fewer headers per action"
        )
    parts.append("\r\n")
    return "".join(parts).encode("utf-8", "surrogateescape")

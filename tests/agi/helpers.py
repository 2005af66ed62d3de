"""Helpers shared by the pyst.agi tests: canned Asterisk bytes and what they produce."""

from __future__ import annotations

import pytest

from pyst.agi import AGI, AGIConnectionClosed, AGIError, TracebackOptions
from pyst.agi._debug import format_report
from pyst.agi._reply import ReplyParser

HOST = "127.0.0.1"

#: The start of a FastAGI environment block as Asterisk 22 sends it (tests/agi/data).
ENV = (
    b"agi_network: yes\n"
    b"agi_network_script: test\n"
    b"agi_request: agi://127.0.0.1/test\n"
    b"agi_channel: Local/200@agi-test-00000027;2\n"
    b"agi_uniqueid: 1795737097.79\n"
    b"\n"
)


class Wire:
    """A blocking transport fed from canned Asterisk bytes (one chunk per receive);
    what the session sends is kept in ``sent``."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = list(chunks)
        self.sent: list[bytes] = []

    def send(self, data: bytes) -> None:
        self.sent.append(data)

    def receive(self) -> bytes:
        return self.chunks.pop(0) if self.chunks else b""

    def close(self) -> None:
        pass


def canned_session(*replies: bytes) -> tuple[AGI, Wire]:
    """An :class:`AGI` whose Asterisk sends :data:`ENV`, then ``replies`` (one per read)."""
    wire = Wire([ENV, *replies])
    return AGI(wire, transcript=False), wire


def canned_agi(*replies: bytes, transcript: object = False) -> AGI:
    """Like :func:`canned_session`, without the wire."""
    return AGI(Wire([ENV, *replies]), transcript=transcript)  # type: ignore[arg-type]


def parse_replies(data: bytes, chunk: int = 7) -> list[object]:
    """Every reply in ``data`` fed in ``chunk``-byte pieces (errors by class name)."""
    parser = ReplyParser()
    out: list[object] = []
    for i in range(0, len(data), chunk):
        parser.feed(data[i : i + chunk])
    parser.feed_eof()
    while True:
        try:
            reply = parser.next_reply()
        except AGIConnectionClosed:
            break
        except AGIError as error:
            out.append(type(error).__name__)
            continue
        assert reply is not None
        out.append(reply)
    return out


def failure_report(call: object) -> str:
    """The crash report (with locals) of the AGIError that ``call()`` raises."""
    with pytest.raises(AGIError) as info:
        call()  # type: ignore[operator]
    return "\n".join(format_report(info.value, TracebackOptions(show_locals=True)))


class ClosedPipe(Wire):
    """A wire whose writes fail as a closed AGI pipe does."""

    def send(self, data: bytes) -> None:
        raise AGIConnectionClosed("Asterisk closed the AGI pipe: [Errno 32] Broken pipe")

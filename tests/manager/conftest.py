"""Shared helpers for the pyst.manager tests: the recorded Asterisk 22 exchanges, decoding,
wire bytes of actions and answers, and a server that stops reading.
"""

from __future__ import annotations

import re
import socket
import threading
from pathlib import Path

import pytest

from pyst.manager import (
    Decoder,
    Event,
    Greeting,
    Response,
    encode_action,
)
from pyst.manager.testing import CaptureStep, load_capture

DATA = Path(__file__).parent / "data"
AMI = DATA / "ami"
# The reference material beside the checkout (../shared), when it is there.
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "asterisk" / "captures"
CAPTURES = sorted(p.stem for p in AMI.glob("*.txt") if p.stem != "INDEX")


def steps(name: str, folder: Path = AMI) -> list[CaptureStep]:
    """The recorded steps of capture ``name``."""
    return load_capture(folder / f"{name}.txt")


def server_bytes(name: str, folder: Path = AMI) -> bytes:
    """Everything the server sent in capture ``name``, concatenated."""
    return b"".join(s.data for s in steps(name, folder) if s.direction == "S")


def server_chunks(name: str, folder: Path = AMI) -> list[bytes]:
    """The server's bytes in capture ``name`` as the recorded socket reads."""
    return [s.data for s in steps(name, folder) if s.direction == "S"]


def client_bytes(name: str, folder: Path = AMI) -> bytes:
    """Everything the client sent in capture ``name``, concatenated."""
    return b"".join(s.data for s in steps(name, folder) if s.direction == "C")


@pytest.fixture(params=CAPTURES)
def capture(request: pytest.FixtureRequest) -> str:
    """Each capture name in turn."""
    return str(request.param)


def decode_all(chunks: list[bytes], *, greeting: bool = True) -> list[Greeting | object]:
    decoder = Decoder(greeting=greeting)
    out: list[Greeting | object] = []
    for chunk in chunks:
        out.extend(decoder.feed(chunk))
    out.extend(decoder.feed_eof())
    return out


def shape(messages: list[object]) -> list[object]:
    result: list[object] = []
    for m in messages:
        if isinstance(m, Greeting):
            result.append(("greeting", m.text))
        else:
            assert isinstance(m, (Event, Response)) or hasattr(m, "headers")
            output = m.output if isinstance(m, Response) else None  # type: ignore[union-attr]
            result.append((type(m).__name__, m.headers.items(), m.lines, output))  # type: ignore[union-attr]
    return result


def wire(action: object, action_id: str = "a1") -> bytes:
    return encode_action(action.wire_headers(action_id))  # type: ignore[attr-defined]


def answer_bytes(action_id: str, status: str = "Success", extra: bytes = b"") -> bytes:
    return (
        b"Response: "
        + status.encode()
        + b"\r\nActionID: "
        + action_id.encode()
        + b"\r\n"
        + extra
        + b"\r\n"
    )


def non_reading_server(hold: float) -> tuple[socket.socket, threading.Event]:
    """A server that greets, accepts a plain Login, then never reads again."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    stop = threading.Event()

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.sendall(b"Asterisk Call Manager/11.0.0\r\n")
            buf = b""
            while b"\r\n\r\n" not in buf:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                buf += chunk
            match = re.search(rb"ActionID: (\S+)", buf)
            assert match is not None
            conn.sendall(
                b"Response: Success\r\nActionID: " + match.group(1)
                + b"\r\nMessage: Authentication accepted\r\n\r\n"
            )
            stop.wait(hold)
        listener.close()

    threading.Thread(target=serve, daemon=True).start()
    return listener, stop

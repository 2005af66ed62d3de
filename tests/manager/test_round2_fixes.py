"""Regression tests for the fixes of the second adversarial round (beyond its own tests)."""

from __future__ import annotations

import re
import socket
import threading
import time

import pytest

from pyst.manager import (
    Action,
    ActionTimeout,
    ConnectionLost,
    LineTooLongError,
    ManagerClient,
    Ping,
    encode_action,
)
from pyst.manager._protocol import MAX_LINE_BYTES


def _non_reading_server(hold: float) -> tuple[socket.socket, threading.Event]:
    """Greets, accepts a plain Login, then never reads again (small receive buffer)."""
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


def test_sync_send_write_bounded_by_timeout_and_half_written_stream_dropped() -> None:
    """Every line fits Asterisk's buffer, but the whole action does not fit the socket
    buffers of a server that stopped reading: send() must time out within its budget and
    drop the connection, which now holds half an action."""
    listener, stop = _non_reading_server(hold=1.5)
    try:
        ami = ManagerClient(
            *listener.getsockname(), username="u", secret="p", events=False, timeout=2
        )
        ami.connect()
        assert ami._sock is not None
        ami._sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        big = Action("UserEvent", headers=[(f"H{i}", "y" * 900) for i in range(120)])
        start = time.monotonic()
        with pytest.raises(ActionTimeout):
            ami.send(big, timeout=0.3)
        assert time.monotonic() - start < 1.0
        assert not ami.connected
        with pytest.raises(ConnectionLost):
            ami.send(Ping(), timeout=0.3)
        ami.close()
    finally:
        stop.set()


def test_line_limit_is_exactly_asterisks() -> None:
    name = "UserEvent"
    fits = "x" * (MAX_LINE_BYTES - len("Data: "))
    assert encode_action([("Action", name), ("Data", fits)])
    with pytest.raises(LineTooLongError):
        encode_action([("Action", name), ("Data", fits + "x")])
    # bytes, not characters: a two-byte character over the limit is refused
    with pytest.raises(ValueError):
        encode_action([("Action", name), ("Data", fits[:-1] + "\u00e9")])

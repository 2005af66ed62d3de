"""Byte transports AGI runs over: the seam between the sans-IO core and real I/O.

A transport only moves bytes: ``send`` writes one command line, ``receive`` returns the
next chunk of reply bytes (``b""`` at end of input).  stdio, sockets, asyncio streams,
the fake Asterisk and, later, AsyncAGI over AMI all implement these two small protocols.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import selectors
import socket
from typing import Protocol, runtime_checkable

from ._errors import AGIConnectionClosed, AGITimeout

__all__ = [
    "AsyncTransport",
    "SocketTransport",
    "StdioTransport",
    "StreamTransport",
    "SyncTransport",
]

_CHUNK = 65536


@runtime_checkable
class SyncTransport(Protocol):
    """Blocking transport: ``send`` bytes; ``receive`` the next chunk (``b""`` = closed)."""

    def send(self, data: bytes) -> None:
        """Write ``data`` (one command line, newline included)."""

    def receive(self) -> bytes:
        """Return the next bytes from Asterisk; ``b""`` when the stream ended."""

    def close(self) -> None:
        """Release the underlying resource."""


@runtime_checkable
class AsyncTransport(Protocol):
    """asyncio transport with the same meaning as :class:`SyncTransport`."""

    async def send(self, data: bytes) -> None:
        """Write ``data`` (one command line, newline included)."""

    async def receive(self) -> bytes:
        """Return the next bytes from Asterisk; ``b""`` when the stream ended."""

    async def close(self) -> None:
        """Release the underlying resource."""


class StdioTransport:
    """AGI over the script's stdin/stdout file descriptors (unbuffered ``os.read``)."""

    def __init__(self, stdin_fd: int = 0, stdout_fd: int = 1, timeout: float | None = None):
        self.stdin_fd = stdin_fd
        self.stdout_fd = stdout_fd
        self.timeout = timeout

    def send(self, data: bytes) -> None:
        """Write all of ``data`` to stdout."""
        view = memoryview(data)
        try:
            while view:
                written = os.write(self.stdout_fd, view)
                view = view[written:]
        except (BrokenPipeError, ConnectionError) as error:
            raise AGIConnectionClosed(f"Asterisk closed the AGI pipe: {error}") from None

    def receive(self) -> bytes:
        """Read the next chunk from stdin, waiting at most ``timeout`` seconds."""
        if self.timeout is not None:
            with selectors.DefaultSelector() as selector:
                selector.register(self.stdin_fd, selectors.EVENT_READ)
                if not selector.select(self.timeout):
                    raise AGITimeout(f"no reply from Asterisk within {self.timeout} s")
        try:
            return os.read(self.stdin_fd, _CHUNK)
        except (ConnectionError, OSError):
            return b""

    def close(self) -> None:
        """Nothing to release: the descriptors belong to the process."""


class SocketTransport:
    """Blocking FastAGI transport over a connected socket."""

    def __init__(self, sock: socket.socket, timeout: float | None = None) -> None:
        self.sock = sock
        sock.settimeout(timeout)

    def send(self, data: bytes) -> None:
        """Send all of ``data``."""
        try:
            self.sock.sendall(data)
        except TimeoutError:
            raise AGITimeout("Asterisk did not accept the command in time") from None
        except OSError as error:
            raise AGIConnectionClosed(f"FastAGI connection lost: {error}") from None

    def receive(self) -> bytes:
        """Receive the next chunk; ``b""`` when Asterisk closed the connection."""
        try:
            return self.sock.recv(_CHUNK)
        except TimeoutError:
            raise AGITimeout(f"no reply from Asterisk within {self.sock.gettimeout()} s") from None
        except OSError:
            return b""

    def close(self) -> None:
        """Close the socket."""
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


class StreamTransport:
    """asyncio FastAGI transport over a (reader, writer) stream pair."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        timeout: float | None = None,
    ) -> None:
        self.reader = reader
        self.writer = writer
        self.timeout = timeout

    async def send(self, data: bytes) -> None:
        """Write ``data`` and wait for the buffer to drain."""
        if self.writer.is_closing():
            raise AGIConnectionClosed("FastAGI connection already closed")
        self.writer.write(data)
        try:
            await self.writer.drain()
        except OSError as error:  # ConnectionError, EHOSTUNREACH, ...
            raise AGIConnectionClosed(f"FastAGI connection lost: {error}") from None

    async def receive(self) -> bytes:
        """Receive the next chunk (bounded by ``timeout``)."""
        try:
            if self.timeout is None:
                return await self.reader.read(_CHUNK)
            return await asyncio.wait_for(self.reader.read(_CHUNK), self.timeout)
        except asyncio.TimeoutError:
            raise AGITimeout(f"no reply from Asterisk within {self.timeout} s") from None
        except OSError:  # as in SocketTransport: the connection is gone
            return b""

    async def close(self) -> None:
        """Close the connection."""
        self.writer.close()
        with contextlib.suppress(ConnectionError, OSError):
            await self.writer.wait_closed()

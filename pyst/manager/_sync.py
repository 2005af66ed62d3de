"""The synchronous, single-threaded AMI client: no background threads.

The host's own loop drives it: ``send()`` reads until its answer arrives (queueing events that
come meanwhile), ``process_events(timeout)`` reads and runs handlers, ``events()`` yields.
"""

from __future__ import annotations

import contextlib
import logging
import select
import socket
import ssl
import time
from collections.abc import Iterator
from typing import Any, TypeVar

from pyst.manager._actions import ActionBase, Filter, Logoff
from pyst.manager._client import ClientBase
from pyst.manager._connection import Connection
from pyst.manager._dispatch import (
    Predicate,
    Subscription,
)
from pyst.manager._errors import ClientClosed, ConnectionLost, ManagerError
from pyst.manager._messages import Event, Response
from pyst.manager._session import setup_steps

__all__ = ["ManagerClient"]

log = logging.getLogger("pyst.manager")

ResultT = TypeVar("ResultT")
_READ_SIZE = 256 * 1024


class ManagerClient(ClientBase):
    """A blocking AMI client for one thread.

    ``ManagerClient("127.0.0.1", username="admin", secret="...")`` then ``connect()`` (or use
    ``with``). Every action waits at most ``timeout`` seconds (per action: ``Action(...,
    timeout=)``). Events go into a bounded buffer (``queue_size``, ``overflow`` policy) and
    reach handlers only inside :meth:`process_events` or :meth:`events`, so a slow handler
    never delays an answer. ``reconnect=Reconnect()`` reconnects with backoff, logs in again
    and re-applies filters; actions pending at a disconnect raise :class:`ConnectionLost`.
    """

    def _init_state(self) -> None:
        self._sock: socket.socket | None = None
        self._lost = False

    def _state(self) -> str:
        return "closed" if self._closed else ("lost" if self._lost else "connected")

    # -- connection ----------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        """True while a connection is open."""
        return self._sock is not None and not self._lost

    @property
    def dropped_events(self) -> int:
        """How many events the full buffer dropped (see :class:`Overflow`)."""
        return self._buffer.dropped

    def connect(self) -> None:
        """Connect, read the greeting, log in and apply filters; raise on failure.

        Does nothing when already connected."""
        if self.connected and not self._closed:
            return
        self._closed = False
        try:
            self._open()
        except BaseException:
            self._closed = True
            raise

    def _open(self) -> None:
        self._drop_socket()
        try:
            self._open_and_log_in()
        except BaseException:
            self._drop_socket()
            self._lost = True
            raise

    def _open_and_log_in(self) -> None:
        try:
            sock = socket.create_connection((self.host, self.port), self.connect_timeout)
            if self._ssl_context is not None:
                sock = self._ssl_context.wrap_socket(sock, server_hostname=self._server_hostname)
        except OSError as exc:
            raise ConnectionLost(f"cannot connect to {self.host}:{self.port}: {exc}") from exc
        sock.setblocking(False)
        self._sock = sock
        self._conn = Connection(default_timeout=self.timeout)
        self._lost = False
        deadline = time.monotonic() + self.connect_timeout
        while self._conn.greeting is None:
            if time.monotonic() >= deadline:
                self._drop_socket()
                raise ConnectionLost(
                    f"no AMI greeting from {self.host}:{self.port} within "
                    f"{self.connect_timeout:g} s; is this an AMI port?"
                )
            self._pump(deadline)
            if self._lost:
                raise ConnectionLost(f"{self.host}:{self.port} closed before the greeting")
        self._run(setup_steps(self._credentials, self._events_mask, self._filters))

    def _run(self, steps: Any) -> None:
        try:
            action = next(steps)
            while True:
                action = steps.send(self.send(action))
        except StopIteration:
            pass

    def close(self) -> None:
        """Log off (if still logged in) and close; safe to call twice or after a loss."""
        if self._closed:
            return
        conn = self._conn
        if self._sock is not None and conn is not None and not self._lost and not (conn.logged_off):
            try:
                self.send(Logoff(), timeout=min(self.timeout or 2.0, 2.0))
            except ManagerError as exc:
                log.debug("logoff during close failed: %s", exc)
        self._closed = True
        if self._conn is not None:
            self._conn.fail_all(ClientClosed("the client was closed while the action waited"))
        self._drop_socket()

    def __enter__(self) -> ManagerClient:
        self.connect()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _drop_socket(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.close()
        self._sock = None

    def _ensure_connected(self) -> tuple[socket.socket, Connection]:
        if self._closed:
            raise ClientClosed("the client is not connected; call connect() first")
        if self._lost or self._sock is None or self._conn is None:
            if self.reconnect is None:
                raise ConnectionLost(
                    "the connection was lost; call connect() again (or pass reconnect=Reconnect())"
                )
            self._reconnect()
        assert self._sock is not None and self._conn is not None
        return self._sock, self._conn

    def _reconnect(self) -> None:
        assert self.reconnect is not None
        last: Exception | None = None
        for delay in self.reconnect.delays():
            time.sleep(delay)
            try:
                self._open()
                log.info("reconnected to %s:%s", self.host, self.port)
                return
            except ManagerError as exc:
                last = exc
                log.warning("reconnect to %s:%s failed: %s", self.host, self.port, exc)
        raise ConnectionLost(f"gave up reconnecting to {self.host}:{self.port}: {last}")

    # -- actions -------------------------------------------------------------------------

    def send(self, action: ActionBase[ResultT], *, timeout: float | None = None) -> ResultT:
        """Send ``action`` and wait for its complete answer; return ``action.result(...)``.

        Raises :class:`ActionError` for ``Response: Error``, :class:`ActionTimeout`,
        :class:`ConnectionLost` or :class:`ClientClosed`.
        """
        sock, conn = self._ensure_connected()
        data, pending = conn.send(action, time.monotonic(), timeout)
        self._send_all(sock, data)
        while not pending.done:
            self._pump(pending.deadline)
            conn.expire(time.monotonic())
            if self._lost and not pending.done:  # defensive: never wait on a dead socket
                conn.fail_all(ConnectionLost("the connection was lost"))
        return pending.outcome()

    def _send_all(self, sock: socket.socket, data: bytes) -> None:
        view = memoryview(data)
        while view:
            try:
                sent = sock.send(view)
            except (BlockingIOError, ssl.SSLWantWriteError, ssl.SSLWantReadError):
                select.select([], [sock], [], 1.0)
                continue
            except OSError as exc:
                self._lose(f"sending failed: {exc}")
                return
            view = view[sent:]

    def add_filter(self, expression: str) -> Response:
        """Add a server-side event filter and remember it for reconnects."""
        response = self.send(Filter(expression))
        self._filters.append(expression)
        return response

    # -- reading -------------------------------------------------------------------------

    def _pump(self, deadline: float | None) -> None:
        """Wait for data until ``deadline`` (monotonic; ``None``: forever), feed it."""
        sock, conn = self._sock, self._conn
        if sock is None or conn is None or self._lost:
            return
        if not (isinstance(sock, ssl.SSLSocket) and sock.pending()):
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            readable, _, _ = select.select([sock], [], [], wait)
            if not readable:
                return
        try:
            data = sock.recv(_READ_SIZE)
        except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
            return
        except OSError as exc:
            self._lose(f"reading failed: {exc}")
            return
        if not data:
            self._lose(None)
            return
        try:
            events = conn.receive(data)
        except ManagerError as exc:
            self._lose(str(exc))
            return
        for event in events:
            self._buffer.put(event)

    def _lose(self, reason: str | None) -> None:
        conn = self._conn
        if conn is not None:
            for event in conn.receive_eof():
                self._buffer.put(event)
            if reason:
                conn.fail_all(ConnectionLost(reason))
            if not conn.logged_off and not self._closed:
                log.warning(
                    "AMI connection to %s:%s lost%s",
                    self.host,
                    self.port,
                    f": {reason}" if reason else "",
                )
        self._lost = True
        self._drop_socket()

    # -- events --------------------------------------------------------------------------

    def process_events(self, timeout: float = 0.0) -> int:
        """Read for up to ``timeout`` seconds and run handlers on every queued event.

        Returns how many events were handled. With reconnect on, a lost connection is
        re-established here; without, :class:`ConnectionLost` is raised once the queued
        events have been handled.
        """
        handled = self._drain()
        deadline = time.monotonic() + timeout
        while True:
            if self._lost and not self._closed:
                self._ensure_connected()
            if self._closed:
                raise ClientClosed("the client is closed")
            self._pump(deadline)
            if self._conn is not None:
                self._conn.expire(time.monotonic())
            handled += self._drain()
            if time.monotonic() >= deadline:
                return handled

    def _drain(self) -> int:
        handled = 0
        while (event := self._buffer.get()) is not None:
            self._router.deliver(event)
            handled += 1
        return handled

    def events(
        self, *names: str, where: Predicate | None = None, timeout: float | None = None
    ) -> Iterator[Event]:
        """Yield events matching ``names``/``where`` (all if none), running handlers on every
        event first. Stops after ``timeout`` seconds without a matching event (``None``:
        never) or when the client is closed."""
        wanted = Subscription(lambda event: None, tuple(names), where)
        idle_deadline = None if timeout is None else time.monotonic() + timeout
        while not self._closed:
            event = self._buffer.get()
            if event is None:
                if idle_deadline is not None and time.monotonic() >= idle_deadline:
                    return
                if self._lost:
                    self._ensure_connected()
                self._pump(idle_deadline)
                continue
            self._router.deliver(event)
            if wanted.matches(event):
                yield event
                if timeout is not None:
                    idle_deadline = time.monotonic() + timeout

"""The synchronous, single-threaded AMI client: no background threads.

The host's own loop drives it: ``send()`` reads until its answer arrives (queueing events that
come meanwhile), ``process_events(timeout)`` reads and runs handlers, ``events()`` yields.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import select
import socket
import ssl
import time
from collections.abc import Iterator
from typing import Any, TypeVar

from pyst.manager._actions import ActionBase, Filter, Logoff
from pyst.manager._client import ClientBase
from pyst.manager._connection import Connection, PendingAction
from pyst.manager._dispatch import (
    Predicate,
    Subscription,
)
from pyst.manager._errors import ActionTimeout, ClientClosed, ConnectionLost, ManagerError
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
        self._attempt: _Attempt | None = None  # a (re)connect in progress
        self._retry: Iterator[float] | None = None  # the backoff series of this outage
        self._next_attempt: float | None = None  # when the next reconnect attempt is due
        self._gave_up: str | None = None  # set when the backoff series ran out
        self._last_failure: Exception | None = None

    def _state(self) -> str:
        return "closed" if self._closed else ("lost" if self._lost else "connected")

    # -- connection ----------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        """True while a connection is open and logged in."""
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
        self._reset_retry()
        try:
            self._open()
        except BaseException:
            self._closed = True
            raise

    def _reset_retry(self) -> None:
        self._retry = self._next_attempt = self._gave_up = self._last_failure = None

    def _open(self) -> None:
        """Connect and log in, blocking until done or failed (each step has its own bound)."""
        self._drop_socket()
        self._lost = True
        if self._attempt is not None:  # a reconnect attempt in progress: start afresh
            self._attempt.abort()
            self._attempt = None
        attempt = _Attempt(self)
        try:
            while not attempt.advance(None):
                pass
        except BaseException:
            attempt.abort()
            raise
        self._install(attempt)

    def _install(self, attempt: _Attempt) -> None:
        assert attempt.sock is not None
        self._sock, self._conn, self._lost = attempt.sock, attempt.conn, False
        self._reset_retry()

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
        if self._attempt is not None:
            self._attempt.abort()
            self._attempt = None
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

    def _ensure_connected(self, deadline: float | None) -> tuple[socket.socket, Connection]:
        """Return the live socket and connection, reconnecting (within ``deadline``) if the
        policy allows; raise :class:`ConnectionLost` when that is not possible in time."""
        if self._closed:
            raise ClientClosed("the client is not connected; call connect() first")
        if (self._lost or self._sock is None or self._conn is None) and not self._reconnect(
            deadline
        ):
            raise ConnectionLost(
                f"not reconnected to {self.host}:{self.port} in time; still trying"
                + (f" (last failure: {self._last_failure})" if self._last_failure else "")
            )
        assert self._sock is not None and self._conn is not None
        return self._sock, self._conn

    def _reconnect(self, deadline: float | None) -> bool:
        """Make the reconnect attempts that fall due before ``deadline`` (``None``: until
        connected or the policy gives up); return True once connected again.

        Never waits past ``deadline``: an attempt in progress is resumed by the next call.
        Raises :class:`ConnectionLost` when reconnecting is off, after the user's own
        ``Logoff`` (a ``Goodbye`` ends the session), or when the backoff series ran out.
        """
        if self._conn is not None and self._conn.logged_off:
            raise ConnectionLost("the session ended with Logoff; call connect() to start a new one")
        if self.reconnect is None:
            raise ConnectionLost(
                "the connection was lost; call connect() again (or pass reconnect=Reconnect())"
            )
        if self._gave_up is not None:
            raise ConnectionLost(self._gave_up)
        while True:
            if self._attempt is None:
                if self._retry is None:
                    self._retry = self.reconnect.delays()
                if self._next_attempt is None:
                    delay = next(self._retry, None)
                    if delay is None:
                        self._gave_up = (
                            f"gave up reconnecting to {self.host}:{self.port}: {self._last_failure}"
                        )
                        raise ConnectionLost(self._gave_up)
                    self._next_attempt = time.monotonic() + delay
                now = time.monotonic()
                if deadline is not None and self._next_attempt > deadline:
                    time.sleep(max(0.0, deadline - now))
                    return False
                time.sleep(max(0.0, self._next_attempt - now))
                self._next_attempt = None
                self._drop_socket()
                self._attempt = _Attempt(self)
            try:
                done = self._attempt.advance(deadline)
            except ManagerError as exc:
                self._attempt.abort()
                self._attempt = None
                self._last_failure = exc
                log.warning("reconnect to %s:%s failed: %s", self.host, self.port, exc)
                continue
            if not done:
                return False
            attempt, self._attempt = self._attempt, None
            self._install(attempt)
            log.info("reconnected to %s:%s", self.host, self.port)
            return True

    # -- actions -------------------------------------------------------------------------

    def send(self, action: ActionBase[ResultT], *, timeout: float | None = None) -> ResultT:
        """Send ``action`` and wait for its complete answer; return ``action.result(...)``.

        Raises :class:`ActionError` for ``Response: Error``, :class:`ActionTimeout`,
        :class:`ConnectionLost` or :class:`ClientClosed`.
        """
        wait = timeout if timeout is not None else action.timeout
        if wait is None:
            wait = self.timeout
        sock, conn = self._ensure_connected(None if wait is None else time.monotonic() + wait)
        conn.default_timeout = self.timeout  # it may have changed since the connection began
        data, pending = conn.send(action, time.monotonic(), timeout)
        self._send_all(sock, conn, pending, data)
        while not pending.done:
            self._pump(pending.deadline)
            conn.expire(time.monotonic())
            if self._lost and not pending.done:  # defensive: never wait on a dead socket
                conn.fail_all(ConnectionLost("the connection was lost"))
        return pending.outcome()

    def _send_all(
        self, sock: socket.socket, conn: Connection, pending: PendingAction[Any], data: bytes
    ) -> None:
        """Write ``data`` for ``pending`` within its deadline.

        A server that stops reading must not hold ``send()`` past its timeout: the action
        then fails with :class:`ActionTimeout`. When part of it was written, the stream holds
        half an action and is unusable, so the connection is dropped (other pending actions
        fail with :class:`ConnectionLost`; reconnect, if on, starts a fresh session).
        """
        written, failure = _write_all(sock, data, pending.deadline)
        if failure is not None:
            self._lose(failure)
            return
        if written < len(data):
            conn.withdraw(
                pending,
                ActionTimeout(
                    f"could not send {pending.action.name} (ActionID {pending.action_id}) "
                    f"within {pending.timeout:g} s: the server is not reading "
                    f"({written} of {len(data)} bytes written)"
                ),
            )
            if written:
                self._lose(
                    f"{pending.action.name} was only partly written ({written} of {len(data)} "
                    "bytes) when its timeout expired; the stream is unusable"
                )

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
        ended = self._read(sock, conn, deadline)
        if ended is not None:
            self._lose(ended or None)

    def _read(self, sock: socket.socket, conn: Connection, deadline: float | None) -> str | None:
        """Wait for data until ``deadline``, feed it to ``conn`` and queue the events.

        Returns ``None`` while the connection lives, else why it ended (``""``: EOF)."""
        if not (isinstance(sock, ssl.SSLSocket) and sock.pending()):
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            readable, _, _ = select.select([sock], [], [], wait)
            if not readable:
                return None
        try:
            data = sock.recv(_READ_SIZE)
        except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
            return None
        except OSError as exc:
            return f"reading failed: {exc}"
        if not data:
            return ""
        try:
            events = conn.receive(data)
        except ManagerError as exc:
            return str(exc)
        for event in events:
            self._buffer.put(event)
        return None

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

        Returns how many events were handled, always within ``timeout``. With reconnect on,
        a lost connection is re-established here: the attempts that fall due within the
        timeout are made (one that is still connecting or logging in when the time is up is
        resumed by the next call). :class:`ConnectionLost` is raised, once the queued events
        have been handled, when reconnect is off, after your own ``Logoff``, or when the
        backoff policy gave up.
        """
        handled = self._drain()
        deadline = time.monotonic() + timeout
        while True:
            if self._closed:
                raise ClientClosed("the client is closed")
            if self._lost and not self._reconnect(deadline):
                return handled + self._drain()  # still down: the caller gets control back
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
                if self._lost and not self._reconnect(idle_deadline):
                    continue
                self._pump(idle_deadline)
                continue
            self._router.deliver(event)
            if wanted.matches(event):
                yield event
                if timeout is not None:
                    idle_deadline = time.monotonic() + timeout


def _write_all(
    sock: socket.socket, data: bytes, deadline: float | None
) -> tuple[int, str | None]:
    """Write ``data`` to a non-blocking socket until done or ``deadline`` (monotonic;
    ``None``: no limit). Return how many bytes were written and why it failed (or ``None``);
    fewer bytes than ``len(data)`` and no failure means the deadline passed."""
    view = memoryview(data)
    written = 0
    while written < len(data):
        try:
            sent = sock.send(view[written:])
        except (BlockingIOError, ssl.SSLWantWriteError, ssl.SSLWantReadError) as exc:
            if deadline is None:
                wait = None
            else:
                wait = deadline - time.monotonic()
                if wait <= 0:
                    return written, None
            if isinstance(exc, ssl.SSLWantReadError):
                select.select([sock], [], [], wait)
            else:
                select.select([], [sock], [], wait)
            continue
        except OSError as exc:
            return written, f"sending failed: {exc}"
        written += sent
    return written, None


class _Attempt:
    """One connect-and-login, advanced step by step so no caller waits past its deadline.

    Steps: TCP connect (non-blocking), TLS handshake, greeting, then the login and filter
    actions of :func:`setup_steps`. Connecting, the handshake and the greeting must finish
    within ``connect_timeout`` of the start; each login action has its own timeout.
    """

    def __init__(self, client: ManagerClient) -> None:
        self.client = client
        self.expires = time.monotonic() + client.connect_timeout
        self.conn = Connection(default_timeout=client.timeout)
        self.sock: socket.socket | None = None
        self.stage = "connect"
        self.addresses: list[Any] | None = None
        self.steps = setup_steps(client._credentials, client._events_mask, client._filters)
        self.pending: PendingAction[Any] | None = None
        self.last_error: OSError | None = None

    def abort(self) -> None:
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.close()
            self.sock = None

    def _where(self) -> str:
        return f"{self.client.host}:{self.client.port}"

    def _wait(self, read: bool, deadline: float | None) -> bool:
        """Wait until the socket is readable (or writable) within both bounds; True if so."""
        assert self.sock is not None
        bound = self.expires if deadline is None else min(deadline, self.expires)
        wait = max(0.0, bound - time.monotonic())
        ready = select.select([self.sock] if read else [], [] if read else [self.sock], [], wait)
        return bool(ready[0] or ready[1])

    def _check_expired(self, what: str) -> None:
        if time.monotonic() >= self.expires:
            raise ConnectionLost(
                f"{what} {self._where()} within {self.client.connect_timeout:g} s"
                + ("; is this an AMI port?" if self.stage == "greeting" else "")
            )

    def advance(self, deadline: float | None) -> bool:
        """Make progress until done (True) or ``deadline`` (False); raise on failure."""
        while True:
            if self.stage == "connect" and not self._connect(deadline):
                return False
            if self.stage == "tls" and not self._handshake(deadline):
                return False
            if self.stage == "greeting" and not self._greeting(deadline):
                return False
            if self.stage == "login":
                return self._login(deadline)

    def _connect(self, deadline: float | None) -> bool:
        client = self.client
        if self.addresses is None:
            try:
                self.addresses = socket.getaddrinfo(
                    client.host, client.port, type=socket.SOCK_STREAM
                )
            except OSError as exc:
                raise ConnectionLost(f"cannot connect to {self._where()}: {exc}") from exc
        while True:
            if self.sock is None:
                if not self.addresses:
                    raise ConnectionLost(
                        f"cannot connect to {self._where()}: {self.last_error or 'no address'}"
                    )
                family, kind, proto, _, address = self.addresses.pop(0)
                sock = socket.socket(family, kind, proto)
                sock.setblocking(False)
                self.sock = sock
                error = sock.connect_ex(address)
                if error not in (0, errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EALREADY):
                    self._next_address(OSError(error, os.strerror(error)))
                    continue
                if error == 0:
                    break
            if not self._wait(False, deadline):
                if time.monotonic() >= self.expires:
                    raise ConnectionLost(
                        f"cannot connect to {self._where()}: timed out after "
                        f"{client.connect_timeout:g} s"
                    )
                return False
            error = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if error:
                self._next_address(OSError(error, os.strerror(error)))
                continue
            break
        self.stage = "tls" if client._ssl_context is not None else "greeting"
        if client._ssl_context is not None:
            assert self.sock is not None
            self.sock = client._ssl_context.wrap_socket(
                self.sock, server_hostname=client._server_hostname, do_handshake_on_connect=False
            )
        return True

    def _next_address(self, error: OSError) -> None:
        self.last_error = error
        self.abort()

    def _handshake(self, deadline: float | None) -> bool:
        sock = self.sock
        assert isinstance(sock, ssl.SSLSocket)
        while True:
            try:
                sock.do_handshake()
            except ssl.SSLWantReadError:
                if not self._wait(True, deadline):
                    self._check_expired("no TLS handshake with")
                    return False
            except ssl.SSLWantWriteError:
                if not self._wait(False, deadline):
                    self._check_expired("no TLS handshake with")
                    return False
            except (OSError, ValueError) as exc:
                raise ConnectionLost(f"TLS handshake with {self._where()} failed: {exc}") from exc
            else:
                self.stage = "greeting"
                return True

    def _feed(self, deadline: float | None) -> bool:
        """Read what arrives until ``deadline``; False when nothing came in time."""
        assert self.sock is not None
        bound = self.expires if self.stage == "greeting" else None
        if deadline is not None:
            bound = deadline if bound is None else min(bound, deadline)
        if self.stage == "login" and self.pending is not None and self.pending.deadline:
            bound = self.pending.deadline if bound is None else min(bound, self.pending.deadline)
        ended = self.client._read(self.sock, self.conn, bound)
        if ended is not None:
            self.conn.receive_eof()
            if ended:
                self.conn.fail_all(ConnectionLost(ended))
            if self.stage == "greeting":
                raise ConnectionLost(f"{self._where()} closed before the greeting")
        return True

    def _greeting(self, deadline: float | None) -> bool:
        while self.conn.greeting is None:
            self._check_expired("no AMI greeting from")
            if deadline is not None and time.monotonic() >= deadline:
                return False
            self._feed(deadline)
        self.stage = "login"
        return True

    def _login(self, deadline: float | None) -> bool:
        assert self.sock is not None
        while True:
            if self.pending is None:
                try:
                    action = next(self.steps)
                except StopIteration:
                    return True
            elif self.pending.done:
                try:
                    action = self.steps.send(self.pending.outcome())
                except StopIteration:
                    return True
            else:
                if deadline is not None and time.monotonic() >= deadline:
                    return False
                self._feed(deadline)
                self.conn.expire(time.monotonic())
                if self.conn.closed and not self.pending.done:
                    self.conn.fail_all(ConnectionLost("the connection was lost"))
                continue
            data, self.pending = self.conn.send(action, time.monotonic())
            written, failure = _write_all(self.sock, data, self.pending.deadline)
            if failure is not None:
                raise ConnectionLost(failure)
            if written < len(data):
                raise ConnectionLost(
                    f"could not send {action.name} to {self._where()} within its timeout: "
                    "the server is not reading"
                )

"""The asyncio AMI client: ``async with``, ``await send(...)``, ``async for ... in events()``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pyst.manager._actions import ActionBase, Filter, Logoff
from pyst.manager._client import ClientBase
from pyst.manager._connection import Connection, PendingAction
from pyst.manager._dispatch import (
    EventBuffer,
    Predicate,
    Subscription,
)
from pyst.manager._errors import ClientClosed, ConnectionLost, ManagerError
from pyst.manager._messages import Event, Response
from pyst.manager._session import Steps, setup_steps

__all__ = ["AsyncManagerClient"]

log = logging.getLogger("pyst.manager")

ResultT = TypeVar("ResultT")
_READ_SIZE = 256 * 1024
_WRITE_HIGH_WATER = 1024 * 1024


class _Listener:
    """One ``events()`` iterator: a filter plus its own bounded buffer."""

    def __init__(self, wanted: Subscription, buffer: EventBuffer) -> None:
        self.wanted = wanted
        self.buffer = buffer
        self.ready = asyncio.Event()


class AsyncManagerClient(ClientBase):
    """An asyncio AMI client; the same options as :class:`ManagerClient`.

    A reader task resolves answers as they arrive; a separate dispatcher task runs handlers
    (plain or ``async def``) from a bounded buffer, so a slow handler never delays an
    answer. Each ``events()`` iterator has its own bounded buffer with the same policy.
    """

    def _init_state(self) -> None:
        self._buffer_ready = asyncio.Event()
        self._listeners: list[_Listener] = []
        self._writer: asyncio.StreamWriter | None = None
        self._reader_task: asyncio.Task[None] | None = None
        self._dispatch_task: asyncio.Task[None] | None = None
        self._reconnect_task: asyncio.Task[None] | None = None
        self._connected = asyncio.Event()  # set only once logged in and filters applied
        self._close_lock = asyncio.Lock()
        self._connect_lock = asyncio.Lock()  # one connect() at a time
        # Why the connection is gone for good (lost with no reconnect coming, after Logoff, or
        # reconnecting gave up); None while connected or reconnecting. Ends events() streams.
        self._ended: str | None = None
        self._state_waiters: list[asyncio.Future[None]] = []

    def _state(self) -> str:
        return "closed" if self._closed else ("connected" if self.connected else "lost")

    @property
    def connected(self) -> bool:
        """True while a connection is open, logged in and its filters applied."""
        return self._connected.is_set()

    def _state_changed(self) -> None:
        """Wake ``wait_connected()`` callers and ``events()`` streams to look at the state."""
        waiters, self._state_waiters = self._state_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)
        for listener in self._listeners:
            listener.ready.set()

    def _drop_listener(self, listener: _Listener) -> None:
        """Stop filling ``listener`` (its stream was closed or garbage-collected)."""
        if listener in self._listeners:
            # a new list, never a change in place: _queue() may be iterating the old one
            # (a stream's finalizer can run in the middle of it)
            self._listeners = [item for item in self._listeners if item is not listener]
        listener.ready.set()

    def _end(self, reason: str) -> None:
        """The connection is gone and no reconnect will follow: end waits and streams."""
        self._ended = reason
        self._state_changed()

    @property
    def dropped_events(self) -> int:
        """Events the handler buffer dropped (each ``events()`` stream counts its own)."""
        return self._buffer.dropped

    # -- connection ----------------------------------------------------------------------

    async def connect(self) -> None:
        """Connect, read the greeting, log in and apply filters; raise on failure.

        Does nothing when already connected. Concurrent calls are serialised: a call that
        finds the client connected by another returns at once. A background reconnect in
        progress is abandoned in favour of this connection."""
        async with self._connect_lock:
            if self.connected:
                return
            self._closed = False
            self._ended = None
            await self._stop_reconnect()
            if self._dispatch_task is None:
                self._dispatch_task = asyncio.get_running_loop().create_task(self._dispatch())
            try:
                await self._open()
            except BaseException:
                await self._shutdown()
                raise

    async def _stop_reconnect(self) -> None:
        """Cancel a background reconnect (its attempt in progress cleans up after itself)."""
        task, self._reconnect_task = self._reconnect_task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            await asyncio.wait({task})  # our own cancellation still propagates
            if not task.cancelled():
                task.exception()  # retrieved: it was logged where it happened

    async def _open(self) -> None:
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(
                    self.host,
                    self.port,
                    ssl=self._ssl_context,
                    server_hostname=self._server_hostname if self._ssl_context else None,
                ),
                self.connect_timeout,
            )
        except (OSError, asyncio.TimeoutError) as exc:
            raise ConnectionLost(f"cannot connect to {self.host}:{self.port}: {exc!r}") from exc
        conn = Connection(default_timeout=self.timeout)
        self._conn, self._writer = conn, writer
        self._connected.clear()
        loop = asyncio.get_running_loop()
        greeted: asyncio.Future[None] = loop.create_future()
        reader_task = self._reader_task = loop.create_task(self._read(reader, conn, greeted))
        try:
            try:
                await asyncio.wait_for(asyncio.shield(greeted), self.connect_timeout)
            except asyncio.TimeoutError:
                raise ConnectionLost(
                    f"no AMI greeting from {self.host}:{self.port} within "
                    f"{self.connect_timeout:g} s; is this an AMI port?"
                ) from None
            # log in and re-apply filters before anyone else may send: until then the
            # client is not "connected", and user actions fail fast with ConnectionLost
            await self._run(
                setup_steps(self._credentials, self._events_mask, self._filters), conn, writer
            )
        except BaseException:
            # A failed attempt leaves nothing behind: its reader, seeing the EOF of the
            # closed writer later, would call _lost() and start another reconnect round
            # (after the policy gave up, or under a connect() that already failed).
            greeted.cancel()  # the reader must not leave an unretrieved exception behind
            writer.close()
            reader_task.cancel()  # a cancelled reader never calls _lost()
            if self._reader_task is reader_task:
                self._reader_task = None
            raise
        self._ended = None
        self._connected.set()
        self._state_changed()

    async def _run(self, steps: Steps, conn: Connection, writer: asyncio.StreamWriter) -> None:
        try:
            action = next(steps)
            while True:
                if conn.closed or conn is not self._conn:
                    raise ConnectionLost(
                        f"the connection to {self.host}:{self.port} was lost while logging in"
                    )
                action = steps.send(await self._transmit(conn, writer, action, None))
        except StopIteration:
            pass

    async def close(self) -> None:
        """Log off (if still logged in) and close; concurrent and repeated calls are safe."""
        async with self._close_lock:
            if self._closed:
                return
            conn = self._conn
            if self.connected and conn is not None and not conn.logged_off:
                try:
                    await self.send(Logoff(), timeout=min(self.timeout or 2.0, 2.0))
                except ManagerError as exc:
                    log.debug("logoff during close failed: %s", exc)
            await self._shutdown()

    async def _shutdown(self) -> None:
        self._closed = True
        self._connected.clear()
        tasks = [t for t in (self._reconnect_task, self._reader_task, self._dispatch_task) if t]
        self._reconnect_task = self._reader_task = self._dispatch_task = None
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(Exception):
                await self._writer.wait_closed()
            self._writer = None
        for task in tasks:
            if task is not asyncio.current_task():
                task.cancel()
        for task in tasks:
            if task is not asyncio.current_task():
                with contextlib.suppress(BaseException):
                    await task
        if self._conn is not None:
            self._conn.fail_all(ClientClosed("the client was closed while the action waited"))
        self._state_changed()

    async def __aenter__(self) -> AsyncManagerClient:
        await self.connect()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _read(
        self, reader: asyncio.StreamReader, conn: Connection, greeted: asyncio.Future[None]
    ) -> None:
        reason: str | None = None
        try:
            while True:
                data = await reader.read(_READ_SIZE)
                if not data:
                    break
                events = conn.receive(data)
                if conn.greeting is not None and not greeted.done():
                    greeted.set_result(None)
                self._queue(events)
        except asyncio.CancelledError:
            raise
        except (OSError, ManagerError) as exc:
            reason = str(exc)
        finally:
            if not greeted.done():
                greeted.set_exception(
                    ConnectionLost(f"{self.host}:{self.port} closed before the greeting")
                )
            self._queue(conn.receive_eof())
            if reason:
                conn.fail_all(ConnectionLost(reason))
        self._lost(conn, reason)

    def _lost(self, conn: Connection, reason: str | None) -> None:
        if conn is not self._conn:
            return
        established = self._connected.is_set()
        self._connected.clear()
        if self._writer is not None:
            self._writer.close()
        if self._closed or not established:
            # Not logged in yet: the _open() that is setting this connection up sees the
            # failure (a refused Login raises AuthenticationError) and reports it; a server
            # closing after a refused Login is no lost connection to warn about.
            return
        if conn.logged_off:
            self._end("the session ended with Logoff; call connect() to start a new one")
            return
        log.warning(
            "AMI connection to %s:%s lost%s", self.host, self.port, f": {reason}" if reason else ""
        )
        if self.reconnect is None:
            self._end(
                f"the connection to {self.host}:{self.port} was lost"
                + (f" ({reason})" if reason else "")
                + "; call connect() again (or pass reconnect=Reconnect())"
            )
        elif self._reconnect_task is None and not self._connect_lock.locked():
            # (while connect() runs, it owns the connection: it succeeds or shuts down)
            self._reconnect_task = asyncio.get_running_loop().create_task(self._reconnect())
        self._state_changed()

    async def _reconnect(self) -> None:
        assert self.reconnect is not None
        me = asyncio.current_task()
        try:
            for delay in self.reconnect.delays():
                await asyncio.sleep(delay)
                if self._closed:
                    return
                try:
                    await self._open()
                    log.info("reconnected to %s:%s", self.host, self.port)
                    return
                except ManagerError as exc:
                    log.warning("reconnect to %s:%s failed: %s", self.host, self.port, exc)
            log.error("gave up reconnecting to %s:%s", self.host, self.port)
            self._end(f"gave up reconnecting to {self.host}:{self.port}")
        finally:
            if self._reconnect_task is me:
                self._reconnect_task = None

    async def wait_connected(self, timeout: float | None = None) -> None:
        """Wait until connected again, that is logged in with filters re-applied (e.g. after
        a reconnect). Raises :class:`TimeoutError` after ``timeout`` seconds,
        :class:`ConnectionLost` when no reconnect is coming and :class:`ClientClosed` when
        the client is closed."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while not self.connected:
            if self._closed:
                raise ClientClosed("the client is closed")
            if self._ended is not None:
                raise ConnectionLost(self._ended)
            waiter: asyncio.Future[None] = loop.create_future()
            self._state_waiters.append(waiter)
            remaining = None if deadline is None else max(0.0, deadline - loop.time())
            try:
                await asyncio.wait_for(waiter, remaining)
            finally:
                if waiter in self._state_waiters:
                    self._state_waiters.remove(waiter)

    # -- actions -------------------------------------------------------------------------

    async def send(self, action: ActionBase[ResultT], *, timeout: float | None = None) -> ResultT:
        """Send ``action`` and await its complete answer; return ``action.result(...)``.

        Raises :class:`ActionError`, :class:`ActionTimeout`, :class:`ConnectionLost` or
        :class:`ClientClosed`; a cancelled ``send`` forgets its action.
        """
        if self._closed:
            raise ClientClosed("the client is not connected; call connect() first")
        conn, writer = self._conn, self._writer
        if not self.connected or conn is None or writer is None or conn.closed:
            raise ConnectionLost(
                self._ended
                or "not connected to the server"
                + (" (reconnecting)" if self._reconnect_task else "")
            )
        return await self._transmit(conn, writer, action, timeout)

    async def _transmit(
        self,
        conn: Connection,
        writer: asyncio.StreamWriter,
        action: ActionBase[ResultT],
        timeout: float | None,
    ) -> ResultT:
        loop = asyncio.get_running_loop()
        conn.default_timeout = self.timeout  # it may have changed since the connection began
        data, pending = conn.send(action, loop.time(), timeout)
        future: asyncio.Future[ResultT] = loop.create_future()
        pending.on_done = _resolver(future)
        try:
            writer.write(data)
            remaining = None if pending.deadline is None else pending.deadline - loop.time()
            if writer.transport.get_write_buffer_size() > _WRITE_HIGH_WATER:
                # the server is not reading: wait (within the timeout) instead of buffering
                await asyncio.wait_for(writer.drain(), remaining)
                remaining = None if pending.deadline is None else pending.deadline - loop.time()
            if remaining is None:
                return await future
            await asyncio.wait_for(asyncio.shield(future), max(0.0, remaining))
        except asyncio.TimeoutError:
            if not future.done():
                conn.time_out(pending)
        except asyncio.CancelledError:
            conn.cancel(pending)
            raise
        except (OSError, RuntimeError) as exc:
            conn.fail_all(ConnectionLost(f"sending failed: {exc}"))
        return future.result()

    async def add_filter(self, expression: str) -> Response:
        """Add a server-side event filter and remember it for reconnects."""
        response = await self.send(Filter(expression))
        self._filters.append(expression)
        return response

    # -- events --------------------------------------------------------------------------

    def _queue(self, events: list[Event]) -> None:
        if not events:
            return
        for event in events:
            self._buffer.put(event)
            for listener in self._listeners:
                if listener.wanted.matches(event):
                    listener.buffer.put(event)
                    listener.ready.set()
        self._buffer_ready.set()

    async def _dispatch(self) -> None:
        while True:
            await self._buffer_ready.wait()
            self._buffer_ready.clear()
            while (event := self._buffer.get()) is not None:
                for awaitable in self._router.deliver(event):
                    await _run_handler(awaitable, event)

    def events(
        self, *names: str, where: Predicate | None = None, queue_size: int | None = None
    ) -> EventStream:
        """Return an async iterator over events matching ``names``/``where`` (all if none).

        It starts collecting at once (events that arrive before the first ``async for`` step
        are kept), buffers up to ``queue_size`` events with the client's overflow policy,
        and ends when the client closes or the iterator is closed (``aclose()``). When the
        connection is lost for good (no reconnect configured, after ``Logoff``, or reconnecting
        gave up) it raises :class:`ConnectionLost` once the buffered events are consumed, as
        the blocking client's ``events()`` does; while reconnecting it keeps waiting.
        """
        listener = _Listener(
            Subscription(_ignore, tuple(names), where),
            EventBuffer(queue_size or self._queue_size, self._overflow),
        )
        self._listeners = [*self._listeners, listener]
        stream = EventStream(self, listener)
        # a stream left by `break` and garbage-collected stops collecting (no buffer, no work)
        weakref.finalize(stream, self._drop_listener, listener).atexit = False
        return stream


class EventStream:
    """The async iterator returned by :meth:`AsyncManagerClient.events`."""

    def __init__(self, client: AsyncManagerClient, listener: _Listener) -> None:
        self._client = client
        self._listener = listener

    def __aiter__(self) -> EventStream:
        return self

    async def __anext__(self) -> Event:
        listener = self._listener
        while True:
            event = listener.buffer.get()
            if event is not None:
                return event
            if self._client._closed or listener not in self._client._listeners:
                await self.aclose()
                raise StopAsyncIteration
            if self._client._ended is not None:
                await self.aclose()
                raise ConnectionLost(self._client._ended)
            listener.ready.clear()
            await listener.ready.wait()

    async def aclose(self) -> None:
        """Stop collecting events (a stream that is garbage-collected stops by itself)."""
        self._client._drop_listener(self._listener)

    @property
    def dropped(self) -> int:
        """Events this iterator's full buffer dropped."""
        return self._listener.buffer.dropped


def _ignore(event: Event) -> None:
    return None


# Python 3.10 has no Task.cancelling(): each async handler then runs in a task of its own.
_HANDLER_IN_OWN_TASK = sys.version_info < (3, 11)


async def _run_handler(awaitable: Awaitable[Any], event: Event) -> None:
    """Await an ``async def`` handler, isolating whatever it raises, ``CancelledError``
    included (a handler that awaited a cancelled future); only the dispatcher's own
    cancellation propagates."""
    if sys.version_info >= (3, 11) and not _HANDLER_IN_OWN_TASK:
        try:
            await awaitable
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise  # the dispatcher itself is being cancelled
            log.error("async event handler was cancelled on %s; delivery continues", event.name)
        except Exception:
            log.exception("async event handler raised on %s; delivery continues", event.name)
        return
    # Python 3.10 cannot tell the two cancellations apart in one task: run the handler in
    # its own task, so a CancelledError raised here is always the dispatcher's.
    inner = asyncio.ensure_future(awaitable)
    try:
        await asyncio.wait({inner})
    except asyncio.CancelledError:
        inner.cancel()
        raise
    if inner.cancelled():
        log.error("async event handler was cancelled on %s; delivery continues", event.name)
    elif (error := inner.exception()) is not None:
        log.error(
            "async event handler raised on %s; delivery continues",
            event.name,
            exc_info=error,
        )


def _resolver(future: asyncio.Future[Any]) -> Callable[[PendingAction[Any]], None]:
    def resolve(pending: PendingAction[Any]) -> None:
        if future.done():
            return
        if pending.error is not None:
            future.set_exception(pending.error)
        else:
            future.set_result(pending.outcome())

    return resolve

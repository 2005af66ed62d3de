"""FastAGI servers: asyncio (``async def handler(agi)``) and threaded (``def handler(agi)``).

Both route by the script path of ``agi://host[:port]/path?query``, bound concurrency,
apply per-command and per-session time limits, report handler crashes (optionally to the
Asterisk console) and shut down gracefully.  A call they do not serve (no route, or over
``max_sessions``) gets :data:`STATUS_VARIABLE` set to ``UNROUTED`` or ``REJECTED`` and
ends with ``AGISTATUS=FAILURE``, so the dialplan can tell it from a normal end.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import logging
import math
import socket
import socketserver
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from ._agi import AGI, AsyncAGI
from ._debug import (
    TracebackOptions,
    report_exception,
    report_exception_async,
    resolve_observer,
)
from ._env import AGIEnvironment
from ._errors import AGIError, AGIHangup, AGITimeout
from ._session import ExchangeObserver
from ._transports import SocketTransport, StreamTransport

__all__ = [
    "AsyncHandler",
    "FastAGIServer",
    "ServerStats",
    "SyncHandler",
    "ThreadedFastAGIServer",
]

log = logging.getLogger("pyst.agi.fastagi")

#: The channel variable a server sets on a call it does not serve: ``UNROUTED`` (no
#: handler for its script path) or ``REJECTED`` (``max_sessions`` calls already running).
STATUS_VARIABLE = "PYST_AGI_STATUS"
#: res_agi.c run_agi ends the AGI with ``AGISTATUS=FAILURE`` when the script sends a line
#: starting with ``failure`` (its "inability to execute child process" case); a closed
#: connection would read as ``SUCCESS``.
_FAILURE_LINE = b"FAILURE\n"

#: What :class:`FastAGIServer` runs per call: ``async def handler(agi: AsyncAGI)``.
AsyncHandler = Callable[[AsyncAGI], Awaitable[object]]
#: What :class:`ThreadedFastAGIServer` runs per call: ``def handler(agi: AGI)``.
SyncHandler = Callable[[AGI], object]
H = TypeVar("H")


@dataclass
class ServerStats:
    """Counters of a FastAGI server (read them any time)."""

    started: int = 0
    completed: int = 0
    hung_up: int = 0
    failed: int = 0
    timed_out: int = 0
    rejected: int = 0
    unrouted: int = 0
    active: int = 0


def _is_async(handler: object) -> bool | None:
    """Whether calling ``handler`` gives an awaitable, when the callable shows it: an
    ``async def`` function or method, a partial of one, an object with ``async def
    __call__``, a plain ``def``.  ``None`` when it cannot be told (a builtin, a class)."""
    target = handler
    while isinstance(target, functools.partial):
        target = target.func
    with contextlib.suppress(ValueError):  # a __wrapped__ cycle: judge the outer callable
        target = inspect.unwrap(target)  # type: ignore[arg-type]
    if not (inspect.isfunction(target) or inspect.ismethod(target)):
        call = inspect.getattr_static(type(target), "__call__", None)
        if not inspect.isfunction(call):
            return None
        target = call
    return inspect.iscoroutinefunction(target)


def _describe(handler: object) -> str:
    return getattr(handler, "__qualname__", None) or type(handler).__qualname__


def _check_count(name: str, value: object, low: int, high: int | None = None) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise ValueError(f"{name} must be an integer >= {low}, not {value!r}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be an integer <= {high}, not {value!r}")


def _check_seconds(name: str, value: object, *, optional: bool = True) -> None:
    if value is None and optional:
        return
    if (
        not isinstance(value, (int, float))
        or isinstance(value, bool)
        or not math.isfinite(value)
        or value <= 0
    ):
        allowed = "a number of seconds > 0" + (" or None" if optional else "")
        raise ValueError(f"{name} must be {allowed}, not {value!r}")


class _Routes(Generic[H]):
    """Maps the FastAGI script path to a handler (``"*"`` or a lone handler: fallback)."""

    def __init__(self, handler: H | Mapping[str, H]) -> None:
        if isinstance(handler, Mapping):
            for key in handler:
                if not isinstance(key, str):
                    raise TypeError(f"FastAGI routes are script paths (str), not {key!r}")
            if not handler:
                raise ValueError("FastAGI routes are empty: give at least one handler")
            self.table = {key.strip("/"): value for key, value in handler.items()}
        else:
            self.table = {"*": handler}

    def find(self, environment: AGIEnvironment) -> H | None:
        path = environment.script_path.strip("/")
        return self.table.get(path, self.table.get("*"))


class _ServerBase(Generic[H]):
    """What both servers share: options and their validation, routing, counters, outcome
    bookkeeping.  Subclasses set :attr:`default_max_sessions` and open their listener in
    :meth:`_setup`."""

    #: ``max_sessions`` when none is given.
    default_max_sessions: ClassVar[int]

    def __init__(
        self,
        handler: H | Mapping[str, H],
        *,
        host: str = "127.0.0.1",
        port: int = 4573,
        max_sessions: int | None = None,
        session_timeout: float | None = None,
        command_timeout: float | None = None,
        environment_timeout: float = 10.0,
        transcript: ExchangeObserver | bool | None = None,
        debug: TracebackOptions | None = None,
        backlog: int = 1024,
    ) -> None:
        if max_sessions is None:
            max_sessions = self.default_max_sessions
        _check_count("max_sessions", max_sessions, 1)
        _check_count("port", port, 0, 65535)
        _check_count("backlog", backlog, 0)
        _check_seconds("session_timeout", session_timeout)
        _check_seconds("command_timeout", command_timeout)
        _check_seconds("environment_timeout", environment_timeout, optional=False)
        if debug is not None and not isinstance(debug, TracebackOptions):
            raise TypeError(f"debug must be TracebackOptions or None, not {debug!r}")
        self.routes = _Routes(handler)
        for route, target in self.routes.table.items():
            self._check_handler(route, target)
        self.host = host
        self.requested_port = port
        self.backlog = backlog
        self.max_sessions = max_sessions
        self.session_timeout = session_timeout
        self.command_timeout = command_timeout
        self.environment_timeout = environment_timeout
        # Resolved once: a transcript file is opened once, not per session.
        self.transcript: ExchangeObserver | bool = resolve_observer(transcript) or False
        self.debug = debug
        self.stats = ServerStats()
        self._stats_lock = threading.Lock()
        self._setup()

    def _check_handler(self, route: str, handler: object) -> None:
        """Refuse a handler this server cannot run (``route`` names it in the message)."""
        if not callable(handler):
            raise TypeError(f"FastAGI handler for {route!r} is not callable: {handler!r}")

    def _setup(self) -> None:
        """Prepare the listener (called at the end of ``__init__``)."""

    def _count(self, counter: str) -> None:
        with self._stats_lock:
            setattr(self.stats, counter, getattr(self.stats, counter) + 1)

    def _rejected(self) -> None:
        self._count("rejected")
        log.warning(
            "FastAGI: %d sessions active (max_sessions), refusing a call", self.stats.active
        )

    def _no_environment(self, error: BaseException) -> None:
        self._count("failed")
        log.warning("FastAGI: no valid AGI environment received: %s", error)

    def _route(self, environment: AGIEnvironment) -> H | None:
        try:
            handler = self.routes.find(environment)
        except Exception as error:  # routing must never kill a session uncounted
            self._count("failed")
            log.warning("FastAGI: cannot route request %r: %s", environment.request, error)
            return None
        if handler is None:
            self._count("unrouted")
            log.warning("FastAGI: no handler for script %r", environment.script_path)
        return handler

    def _finished(self, environment: AGIEnvironment, error: BaseException | None) -> bool:
        """Count how a session ended; True if the error deserves a crash report."""
        if error is None:
            self._count("completed")
        elif isinstance(error, AGIHangup):
            self._count("hung_up")
        elif isinstance(error, (TimeoutError, asyncio.TimeoutError)):
            self._count("timed_out")
            log.warning("FastAGI: session %s timed out", environment.uniqueid)
        else:
            self._count("failed")
            log.error(
                "FastAGI: handler for %r failed",
                environment.script_path,
                exc_info=(type(error), error, error.__traceback__),
            )
            return self.debug is not None
        return False


class FastAGIServer(_ServerBase[AsyncHandler]):
    """asyncio FastAGI server.

    ``handler`` is ``async def handler(agi: AsyncAGI)`` or a mapping from script path to
    such handlers (key ``"*"`` catches the rest).  ``port=0`` picks a free port (see
    :attr:`port`).  ``environment_timeout`` bounds the wait for the whole ``agi_*`` block,
    ``command_timeout`` each reply wait, ``session_timeout`` a whole session (counted from
    the connection), ``max_sessions`` concurrent sessions (default 1000), ``backlog`` the
    listen queue.  ``transcript`` is as for :class:`AGI`; ``debug`` enables crash reports
    to the Asterisk console (see :class:`TracebackOptions`).  Invalid options raise
    ``ValueError`` or ``TypeError`` here, not when a call arrives.  Use as ``async with``
    or call :meth:`start` / :meth:`close`.
    """

    default_max_sessions = 1000

    def _check_handler(self, route: str, handler: object) -> None:
        super()._check_handler(route, handler)
        if _is_async(handler) is False:
            raise TypeError(
                f"FastAGIServer awaits its handlers, but the handler for {route!r} "
                f"({_describe(handler)}) is a plain function: declare it "
                "'async def handler(agi: AsyncAGI)', or serve plain "
                "'def handler(agi: AGI)' functions with ThreadedFastAGIServer (a thread "
                "per call)"
            )

    def _setup(self) -> None:
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def port(self) -> int:
        """The port actually listened on."""
        if self._server is None or not self._server.sockets:
            return self.requested_port
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        """Start listening."""
        self._server = await asyncio.start_server(
            self._accept, self.host, self.requested_port, backlog=self.backlog
        )

    async def serve_forever(self) -> None:
        """Start (if needed) and serve until cancelled or :meth:`close` is called."""
        if self._server is None:
            await self.start()
        assert self._server is not None
        with contextlib.suppress(asyncio.CancelledError):
            await self._server.serve_forever()

    async def close(self, grace: float = 5.0) -> None:
        """Stop accepting, let running sessions finish for ``grace`` s, cancel the rest."""
        if self._server is not None:
            self._server.close()
        tasks = set(self._tasks)
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=grace)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending, timeout=1.0)
        if self._server is not None:
            with contextlib.suppress(asyncio.TimeoutError, TimeoutError):
                await asyncio.wait_for(self._server.wait_closed(), 1.0)

    async def __aenter__(self) -> FastAGIServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        stats = self.stats
        # No per-read limit while the agi_* block arrives: environment_timeout bounds it.
        transport = StreamTransport(reader, writer, timeout=None)
        agi = AsyncAGI(transport, transcript=self.transcript)
        if stats.active >= self.max_sessions:
            self._rejected()
            try:
                await self._turn_away(agi, transport, "REJECTED", self.environment_timeout)
            finally:
                await transport.close()
            return
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        stats.active += 1
        stats.started += 1
        try:
            await self._serve(agi, transport)
        finally:
            stats.active -= 1
            self._tasks.discard(task)
            await transport.close()

    async def _turn_away(
        self, agi: AsyncAGI, transport: StreamTransport, status: str, limit: float | None
    ) -> None:
        """End a call this server does not serve so that the dialplan can tell (see
        :data:`STATUS_VARIABLE`); gives up silently after ``limit`` seconds."""

        async def steps() -> None:
            await agi.read_environment()  # at once if the session has it already
            await agi.set_variable(STATUS_VARIABLE, status)
            await transport.send(_FAILURE_LINE)

        with contextlib.suppress(AGIError, OSError, asyncio.TimeoutError):
            await asyncio.wait_for(steps(), limit)

    async def _serve(self, agi: AsyncAGI, transport: StreamTransport) -> None:
        # The session deadline covers the whole connection, the agi_* block included.
        loop = asyncio.get_running_loop()
        deadline = None if self.session_timeout is None else loop.time() + self.session_timeout

        def remaining() -> float | None:
            return None if deadline is None else max(0.0, deadline - loop.time())

        environment_limit = self.environment_timeout
        if self.session_timeout is not None:
            environment_limit = min(environment_limit, self.session_timeout)
        try:
            await asyncio.wait_for(agi.read_environment(), environment_limit)
        except (AGIError, asyncio.TimeoutError, TimeoutError) as error:
            self._no_environment(error)
            return
        transport.timeout = self.command_timeout
        handler = self._route(agi.env)
        if handler is None:
            limit = self.environment_timeout
            await self._turn_away(agi, transport, "UNROUTED", min(limit, remaining() or limit))
            return
        failure: Exception | None = None
        try:
            outcome = handler(agi)
            if not inspect.isawaitable(outcome):
                raise TypeError(
                    f"the FastAGIServer handler {_describe(handler)} returned "
                    f"{type(outcome).__name__}, not an awaitable: make it 'async def', or "
                    "serve plain functions with ThreadedFastAGIServer"
                )
            await asyncio.wait_for(outcome, remaining())
        except Exception as error:
            failure = error
        if self._finished(agi.env, failure) and failure is not None and self.debug:
            # The crash report talks to Asterisk too: it stops at the session deadline.
            with contextlib.suppress(asyncio.TimeoutError, TimeoutError):
                await asyncio.wait_for(
                    report_exception_async(agi, failure, self.debug), remaining()
                )


class _DeadlineTransport(SocketTransport):
    """Socket transport whose waits also stop at the session deadline."""

    def __init__(
        self,
        sock: socket.socket,
        timeout: float | None,
        deadline: float | None,
        phase_deadline: float | None = None,
    ):
        super().__init__(sock, timeout)
        self.command_timeout = timeout
        self.deadline = deadline
        #: A deadline for the current phase as a whole (the agi_* block), if any.
        self.phase_deadline = phase_deadline

    def _limit(self) -> float | None:
        # The limit is set before every wait: commands use command_timeout (None: no
        # limit) per wait; the environment phase has a deadline for the whole block
        # (a peer trickling bytes cannot extend it); both stop at the session deadline.
        limit = self.command_timeout
        for deadline, what in (
            (self.phase_deadline, "no complete AGI environment in time"),
            (self.deadline, "FastAGI session time limit reached"),
        ):
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AGITimeout(what)
                limit = remaining if limit is None else min(remaining, limit)
        return limit

    def receive(self) -> bytes:
        self.sock.settimeout(self._limit())
        return super().receive()

    def send(self, data: bytes) -> None:
        self.sock.settimeout(self._limit())
        super().send(data)


class ThreadedFastAGIServer(_ServerBase[SyncHandler]):
    """Blocking FastAGI server: one thread per session, ``def handler(agi: AGI)``.

    Same options as :class:`FastAGIServer` (``max_sessions`` defaults to 100); the port is
    bound when the server is created.  :meth:`start` serves in a background thread,
    :meth:`serve_forever` in the calling one; :meth:`shutdown` stops accepting, waits
    ``grace`` seconds for sessions, then closes the remaining connections (their handlers
    get :class:`AGIConnectionClosed`).
    """

    default_max_sessions = 100

    def _check_handler(self, route: str, handler: object) -> None:
        super()._check_handler(route, handler)
        if _is_async(handler):
            raise TypeError(
                f"ThreadedFastAGIServer calls plain functions, but the handler for {route!r} "
                f"({_describe(handler)}) is async: serve 'async def' handlers with "
                "FastAGIServer, or make it a plain 'def handler(agi: AGI)'"
            )

    def _setup(self) -> None:
        self._lock = threading.Condition()
        self._sockets: set[socket.socket] = set()
        self._thread: threading.Thread | None = None
        self._state_lock = threading.Lock()
        self._serving = False
        self._closed = False
        outer = self

        class _Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                outer._handle(self.request)

        class _Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True
            request_queue_size = outer.backlog

        self._server = _Server((self.host, self.requested_port), _Handler)

    @property
    def port(self) -> int:
        """The port actually listened on."""
        return int(self._server.server_address[1])

    def serve_forever(self) -> None:
        """Serve in the calling thread until :meth:`shutdown` (returns at once after it)."""
        with self._state_lock:
            if self._closed:
                return
            self._serving = True
        self._server.serve_forever(poll_interval=0.1)

    def start(self) -> None:
        """Serve in a background (daemon) thread."""
        with self._state_lock:
            if self._closed:
                raise RuntimeError("ThreadedFastAGIServer was shut down")
            self._serving = True
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()

    def shutdown(self, grace: float = 5.0) -> None:
        """Stop accepting, wait up to ``grace`` s for sessions, close the remaining ones.

        Safe to call on a server that was never started, and more than once.
        """
        with self._state_lock:
            self._closed = True
            serving = self._serving
        if serving:
            # socketserver's shutdown() waits for serve_forever() to finish: only call
            # it when serve_forever() runs or is about to.
            self._server.shutdown()
        self._server.server_close()
        deadline = time.monotonic() + grace
        with self._lock:
            while self.stats.active and time.monotonic() < deadline:
                self._lock.wait(max(0.0, deadline - time.monotonic()))
            for sock in list(self._sockets):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            # Closed sockets make the remaining handlers fail fast; give them a moment.
            deadline = time.monotonic() + 2.0
            while self.stats.active and time.monotonic() < deadline:
                self._lock.wait(max(0.0, deadline - time.monotonic()))
        if self._thread is not None:
            self._thread.join(timeout=1.0)

    def __enter__(self) -> ThreadedFastAGIServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown()

    def _handle(self, sock: socket.socket) -> None:
        stats = self.stats
        with self._lock:
            rejected = stats.active >= self.max_sessions
            if not rejected:
                stats.active += 1
                stats.started += 1
                self._sockets.add(sock)
        if rejected:
            self._rejected()
            transport = _DeadlineTransport(sock, None, None)
            try:
                self._turn_away(None, transport, "REJECTED")
            finally:
                transport.close()
            return
        try:
            self._serve(sock)
        finally:
            with self._lock:
                stats.active -= 1
                self._sockets.discard(sock)
                self._lock.notify_all()

    def _turn_away(self, agi: AGI | None, transport: _DeadlineTransport, status: str) -> None:
        """:meth:`FastAGIServer._turn_away` for a blocking socket (``agi`` None: the
        environment is still to be read)."""
        transport.phase_deadline = time.monotonic() + self.environment_timeout
        with contextlib.suppress(AGIError, OSError):
            if agi is None:
                agi = AGI(transport, transcript=self.transcript)
            agi.set_variable(STATUS_VARIABLE, status)
            transport.send(_FAILURE_LINE)

    def _serve(self, sock: socket.socket) -> None:
        deadline = None
        if self.session_timeout is not None:
            deadline = time.monotonic() + self.session_timeout
        transport = _DeadlineTransport(
            sock, None, deadline, time.monotonic() + self.environment_timeout
        )
        try:
            try:
                agi = AGI(transport, transcript=self.transcript)
            except (AGIError, OSError) as error:
                self._no_environment(error)
                return
            transport.command_timeout = self.command_timeout
            transport.phase_deadline = None
            handler = self._route(agi.env)
            if handler is None:
                self._turn_away(agi, transport, "UNROUTED")
                return
            failure: Exception | None = None
            try:
                outcome = handler(agi)
                if inspect.isawaitable(outcome):
                    close = getattr(outcome, "close", None)
                    if close is not None:
                        close()  # never awaited: no "coroutine was never awaited" warning
                    raise TypeError(
                        f"the ThreadedFastAGIServer handler {_describe(handler)} returned "
                        "an awaitable: serve async handlers with FastAGIServer"
                    )
            except Exception as error:
                failure = error
            if self._finished(agi.env, failure) and failure is not None and self.debug:
                report_exception(agi, failure, self.debug)
        finally:
            transport.close()

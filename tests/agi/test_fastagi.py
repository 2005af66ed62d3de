"""FastAGI servers (asyncio and threaded) on loopback: options checked at construction,
the handler kind each accepts, routing, max_sessions, environment, command and session
time limits, crash reports, counters, graceful shutdown, and how calls a server does not
serve reach the dialplan (PYST_AGI_STATUS, AGISTATUS=FAILURE).
"""

from __future__ import annotations

import asyncio
import io
import logging
import socket
import threading
import time
from functools import partial
from typing import Any

import pytest

from pyst.agi import (
    AGI,
    AGIError,
    AsyncAGI,
    FastAGIServer,
    ThreadedFastAGIServer,
    TracebackOptions,
    Transcript,
)
from pyst.agi.testing import FakeAsterisk

from .helpers import ENV, HOST


def _caller(path: str, dtmf: str = "") -> FakeAsterisk:
    request = f"agi://{HOST}/{path}"
    return FakeAsterisk(
        environment={"network": "yes", "network_script": path, "request": request},
        dtmf=dtmf,
    )


def test_async_server_routes_by_script_path_and_query() -> None:
    seen: list[tuple[str, dict[str, list[str]]]] = []

    async def sales(agi: AsyncAGI) -> None:
        seen.append(("sales", agi.env.query))
        await agi.answer()
        digit = await agi.wait_for_digit(1000)
        await agi.set_variable("CHOICE", digit or "")

    async def fallback(agi: AsyncAGI) -> None:
        seen.append(("fallback", agi.env.query))
        await agi.hangup()

    async def main() -> None:
        log = io.StringIO()
        routes = {"/sales": sales, "*": fallback}
        async with FastAGIServer(routes, port=0, transcript=Transcript(log)) as server:
            one, two = _caller("sales?lang=fr", dtmf="4"), _caller("other")
            await asyncio.gather(one.drive(HOST, server.port), two.drive(HOST, server.port))
            assert one.variables["CHOICE"] == "4"
            assert two.commands == ["HANGUP"]
            assert server.stats.completed == 2
        assert "'WAIT FOR DIGIT 1000' -> '200 result=52'" in log.getvalue()

    asyncio.run(main())
    assert sorted(seen) == [("fallback", {}), ("sales", {"lang": ["fr"]})]


def test_async_server_unrouted_and_hangup_and_crash_report() -> None:
    async def hangs_up(agi: AsyncAGI) -> None:
        await agi.stream_file("beep")

    async def crashes(agi: AsyncAGI) -> None:
        raise ValueError("bad input")

    async def main() -> None:
        routes = {"hangs-up": hangs_up, "crashes": crashes}
        server = FastAGIServer(routes, port=0, debug=TracebackOptions(hangup=True))
        await server.start()
        try:
            dead = _caller("hangs-up")
            dead.hangup()
            crash = _caller("crashes")
            await dead.drive(HOST, server.port)
            await crash.drive(HOST, server.port)
            await _caller("nowhere").drive(HOST, server.port)
            assert (server.stats.hung_up, server.stats.failed, server.stats.unrouted) == (1, 1, 1)
            assert any("ValueError: bad input" in line for line in crash.verbose_lines)
            assert crash.variables["PYST_AGI_ERROR"] == "ValueError: bad input"
        finally:
            await server.close()

    asyncio.run(main())


def test_async_server_limits_sessions_and_times_out() -> None:
    release = asyncio.Event()

    async def waits(agi: AsyncAGI) -> None:
        await agi.answer()
        await release.wait()

    async def main() -> None:
        server = FastAGIServer(waits, port=0, max_sessions=2, session_timeout=0.3)
        await server.start()
        try:
            first, second, third = _caller("a"), _caller("b"), _caller("c")
            tasks = [asyncio.create_task(f.drive(HOST, server.port)) for f in (first, second)]
            while server.stats.active < 2:
                await asyncio.sleep(0.01)
            await third.drive(HOST, server.port)  # refused: returns at once
            assert server.stats.rejected == 1
            assert third.commands == ["SET VARIABLE PYST_AGI_STATUS REJECTED"]
            assert third.agi_status == "FAILURE"
            await asyncio.gather(*tasks)  # both sessions hit the session time limit
            assert server.stats.timed_out == 2
        finally:
            await server.close()

    asyncio.run(main())


def test_async_server_command_timeout_and_graceful_close() -> None:
    async def talks(agi: AsyncAGI) -> None:
        await agi.noop()

    async def forever(agi: AsyncAGI) -> None:
        await asyncio.sleep(3600)

    async def silent_asterisk(port: int) -> bytes:
        reader, writer = await asyncio.open_connection(HOST, port)
        writer.write(b"agi_network: yes\nagi_network_script: talk\n\n")
        data = await reader.read()  # never answers; the server gives up
        writer.close()
        return data

    async def main() -> None:
        server = FastAGIServer({"talk": talks, "*": forever}, port=0, command_timeout=0.2)
        await server.start()
        assert await silent_asterisk(server.port) == b"NOOP\n"
        assert server.stats.timed_out == 1
        stuck = asyncio.create_task(_caller("forever").drive(HOST, server.port))
        while server.stats.active < 1:
            await asyncio.sleep(0.01)
        await server.close(grace=0.1)  # cancels the stuck handler
        await asyncio.wait_for(stuck, 5)
        assert server.stats.active == 0

    asyncio.run(main())


def test_async_server_rejects_garbage_environment() -> None:
    async def handler(agi: AsyncAGI) -> None:  # pragma: no cover - never reached
        raise AssertionError

    async def main() -> None:
        async with FastAGIServer(handler, port=0, environment_timeout=0.2) as server:
            for payload in (b"not an environment\n\n", b"agi_network: yes\n"):
                reader, writer = await asyncio.open_connection(HOST, server.port)
                writer.write(payload)
                assert await asyncio.wait_for(reader.read(), 5) == b""
                writer.close()
            assert server.stats.failed == 2

    asyncio.run(main())


def test_threaded_server_routes_reports_and_shuts_down() -> None:
    def menu(agi: AGI) -> None:
        agi.answer()
        agi.set_variable("PICK", agi.wait_for_digit(100) or "none")

    def crashes(agi: AGI) -> None:
        raise KeyError("missing")

    server = ThreadedFastAGIServer(
        {"menu": menu, "crash": crashes}, port=0, debug=TracebackOptions(), command_timeout=5
    )
    with server:
        callers = [_caller("menu", dtmf=str(n)) for n in range(5)]
        threads = [
            threading.Thread(target=c.drive_blocking, args=(HOST, server.port)) for c in callers
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        crash = _caller("crash")
        crash.drive_blocking(HOST, server.port)
    assert sorted(c.variables["PICK"] for c in callers) == ["0", "1", "2", "3", "4"]
    assert crash.variables["PYST_AGI_ERROR"] == "KeyError: 'missing'"
    assert server.stats.completed == 5 and server.stats.failed == 1
    with socket.socket() as probe:  # really closed
        assert probe.connect_ex((HOST, server.port)) != 0


def test_threaded_server_session_limit_and_forced_shutdown() -> None:
    started = threading.Event()

    def slow(agi: AGI) -> None:
        started.set()
        agi.wait_for_digit(100)  # this "Asterisk" never answers

    server = ThreadedFastAGIServer(slow, port=0, max_sessions=1, session_timeout=30)
    server.start()
    blocked = socket.create_connection((HOST, server.port))
    blocked.sendall(b"agi_network: yes\n\n")
    assert started.wait(5)
    refused = _caller("x")
    refused.drive_blocking(HOST, server.port)
    assert refused.commands == ["SET VARIABLE PYST_AGI_STATUS REJECTED"]
    assert refused.agi_status == "FAILURE" and server.stats.rejected == 1
    server.shutdown(grace=0.1)  # the session never answers: its socket is closed
    assert server.stats.active == 0
    blocked.close()


def _serve_one_slow_reply(port: int, delay: float, results: list[bytes]) -> None:
    with socket.create_connection((HOST, port), timeout=5) as sock:
        sock.sendall(ENV)
        reader = sock.makefile("rb")
        line = reader.readline()
        results.append(line)
        time.sleep(delay)
        try:
            sock.sendall(b"200 result=0\n")
            while reader.readline():
                pass
        except OSError:
            pass


def _trickle(port: int, seconds: float) -> bool:
    """Send an unfinished environment one byte at a time; True if the server closed it."""
    data = b"agi_network: yes\n" * 50
    with socket.create_connection((HOST, port), timeout=2) as sock:
        sock.settimeout(0.05)
        start = time.monotonic()
        for i in range(len(data)):
            if time.monotonic() - start > seconds:
                return False
            try:
                sock.sendall(data[i : i + 1])
                if sock.recv(1) == b"":
                    return True
            except TimeoutError:
                pass
            except OSError:
                return True
            time.sleep(0.05)
    return False


def test_threaded_environment_timeout_does_not_limit_commands() -> None:
    outcome: list[object] = []

    def handler(agi: AGI) -> None:
        try:
            outcome.append(agi.wait_for_digit(5000))
        except AGIError as error:
            outcome.append(error)

    server = ThreadedFastAGIServer(handler, port=0, environment_timeout=0.3, command_timeout=None)
    with server:
        seen: list[bytes] = []
        _serve_one_slow_reply(server.port, 0.8, seen)
        deadline = time.monotonic() + 3
        while not outcome and time.monotonic() < deadline:
            time.sleep(0.02)
    assert outcome == [None], outcome


def test_threaded_command_timeout_applies_without_session_timeout() -> None:
    outcome: list[object] = []

    def handler(agi: AGI) -> None:
        started = time.monotonic()
        try:
            outcome.append(("reply", agi.wait_for_digit(5000)))
        except AGIError as error:
            outcome.append((type(error).__name__, time.monotonic() - started))

    server = ThreadedFastAGIServer(handler, port=0, environment_timeout=1.5, command_timeout=0.2)
    with server:
        seen: list[bytes] = []
        _serve_one_slow_reply(server.port, 1.0, seen)
        deadline = time.monotonic() + 3
        while not outcome and time.monotonic() < deadline:
            time.sleep(0.02)
    assert outcome and outcome[0][0] == "AGITimeout" and outcome[0][1] < 0.6, outcome  # type: ignore[index]


def test_threaded_shutdown_without_start_returns() -> None:
    server = ThreadedFastAGIServer(lambda agi: None, port=0)
    thread = threading.Thread(target=server.shutdown, kwargs={"grace": 0.1}, daemon=True)
    thread.start()
    thread.join(1.0)
    alive = thread.is_alive()
    if alive:
        server._server.server_close()
    assert not alive


def test_async_server_limit_timeout_and_graceful_close() -> None:
    release = asyncio.Event()

    async def slow(agi: AsyncAGI) -> None:
        await agi.answer()
        await release.wait()

    async def main() -> None:
        server = FastAGIServer(slow, port=0, max_sessions=1, session_timeout=0.5)
        await server.start()
        first = FakeAsterisk(environment={"network": "yes", "network_script": "x"})
        second = FakeAsterisk(environment={"network": "yes", "network_script": "x"})
        task = asyncio.create_task(first.drive(HOST, server.port, timeout=3))
        await asyncio.sleep(0.1)
        await second.drive(HOST, server.port, timeout=3)
        assert second.commands == ["SET VARIABLE PYST_AGI_STATUS REJECTED"]
        await task
        assert server.stats.rejected == 1
        assert server.stats.timed_out == 1
        assert server.stats.active == 0
        started = time.monotonic()
        await server.close(grace=0.2)
        assert time.monotonic() - started < 2

    asyncio.run(main())


def test_async_server_close_cancels_stuck_session() -> None:
    async def stuck(agi: AsyncAGI) -> None:
        await asyncio.sleep(30)

    async def main() -> None:
        server = FastAGIServer(stuck, port=0)
        await server.start()
        fake = FakeAsterisk(environment={"network": "yes", "network_script": "x"})
        task = asyncio.create_task(fake.drive(HOST, server.port, timeout=5))
        await asyncio.sleep(0.1)
        assert server.stats.active == 1
        started = time.monotonic()
        await server.close(grace=0.2)
        assert time.monotonic() - started < 2
        await asyncio.wait_for(task, 2)
        assert server.stats.active == 0

    asyncio.run(main())


def test_async_server_environment_timeout_closes_silent_client() -> None:
    async def handler(agi: AsyncAGI) -> None:  # pragma: no cover - never routed
        await agi.noop()

    async def main() -> None:
        async with FastAGIServer(handler, port=0, environment_timeout=0.2) as server:
            reader, writer = await asyncio.open_connection(HOST, server.port)
            writer.write(b"agi_network: yes\n")
            data = await asyncio.wait_for(reader.read(), 2)
            assert data == b""
            writer.close()
            assert server.stats.failed == 1
            assert server.stats.active == 0

    asyncio.run(main())


def test_threaded_server_rejects_over_limit_and_counts() -> None:
    gate = threading.Event()

    def handler(agi: AGI) -> None:
        agi.noop()
        gate.wait(3)

    server = ThreadedFastAGIServer(handler, port=0, max_sessions=1)
    with server:
        first = socket.create_connection((HOST, server.port), timeout=3)
        first.sendall(ENV)
        assert first.makefile("rb").readline() == b"NOOP\n"
        with socket.create_connection((HOST, server.port), timeout=3) as second:
            second.sendall(ENV)
            refused = second.makefile("rb")
            assert refused.readline() == b"SET VARIABLE PYST_AGI_STATUS REJECTED\n"
            second.sendall(b"200 result=1\n")
            assert refused.readline() == b"FAILURE\n"
            assert refused.readline() == b""
        first.sendall(b"200 result=0\n")
        gate.set()
        first.settimeout(3)
        assert first.recv(100) == b""
        first.close()
    assert server.stats.rejected == 1
    assert server.stats.completed == 1
    assert server.stats.active == 0


def test_threaded_session_timeout() -> None:
    outcome: list[str] = []

    def handler(agi: AGI) -> None:
        try:
            agi.wait_for_digit(5000)
        except AGIError as error:
            outcome.append(type(error).__name__)
            raise

    server = ThreadedFastAGIServer(handler, port=0, session_timeout=0.3)
    with server:
        seen: list[bytes] = []
        _serve_one_slow_reply(server.port, 0.8, seen)
    assert outcome == ["AGITimeout"]
    assert server.stats.timed_out == 1


def test_threaded_shutdown_grace_closes_blocked_session() -> None:
    outcome: list[str] = []

    def handler(agi: AGI) -> None:
        try:
            agi.wait_for_digit(-1)
        except AGIError as error:
            outcome.append(type(error).__name__)

    server = ThreadedFastAGIServer(handler, port=0)
    server.start()
    sock = socket.create_connection((HOST, server.port), timeout=3)
    try:
        sock.sendall(ENV)
        assert sock.makefile("rb").readline() == b"WAIT FOR DIGIT -1\n"
        started = time.monotonic()
        server.shutdown(grace=0.2)
        assert time.monotonic() - started < 2.5
    finally:
        sock.close()
    assert outcome == ["AGIConnectionClosed"]
    assert server.stats.active == 0


def test_async_server_counts_malformed_request() -> None:
    async def handler(agi: AsyncAGI) -> None:
        await agi.noop()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda loop, context: None)
        async with FastAGIServer(handler, port=0) as server:
            reader, writer = await asyncio.open_connection(HOST, server.port)
            writer.write(b"agi_network: yes\nagi_request: agi://[x/path\n\n")
            line = await asyncio.wait_for(reader.readline(), 2)
            assert line == b"SET VARIABLE PYST_AGI_STATUS UNROUTED\n"
            writer.write(b"200 result=1\n")
            assert await asyncio.wait_for(reader.read(), 2) == b"FAILURE\n"
            writer.close()
            await asyncio.sleep(0.05)
            assert server.stats.active == 0
            assert server.stats.failed + server.stats.unrouted == 1

    asyncio.run(main())


def test_threaded_environment_timeout_bounds_whole_block() -> None:
    server = ThreadedFastAGIServer(lambda agi: None, host=HOST, port=0, environment_timeout=0.4)
    server.start()
    try:
        assert _trickle(server.port, 2.0)
    finally:
        server.shutdown(0.2)


def test_async_environment_timeout_bounds_whole_block() -> None:
    async def main() -> bool:
        async def handler(agi: object) -> None:
            return None

        server = FastAGIServer(handler, host=HOST, port=0, environment_timeout=0.4)
        async with server:
            closed = await asyncio.to_thread(_trickle, server.port, 2.0)
        return closed

    assert asyncio.run(main())


def test_threaded_server_still_serves_normal_sessions() -> None:
    done = threading.Event()

    def handler(agi: AGI) -> None:
        agi.verbose("hello")
        done.set()

    server = ThreadedFastAGIServer(handler, host=HOST, port=0, environment_timeout=1.0)
    server.start()
    try:
        FakeAsterisk().drive_blocking(HOST, server.port, timeout=5)
        assert done.wait(2)
    finally:
        server.shutdown(0.5)


def test_async_crash_report_bounded_by_session_timeout() -> None:
    async def main() -> int:
        async def handler(agi: object) -> None:
            raise ValueError("boom")

        server = FastAGIServer(
            handler, host=HOST, port=0, session_timeout=0.3, debug=TracebackOptions()
        )
        await server.start()
        try:
            _reader, writer = await asyncio.open_connection(HOST, server.port)
            writer.write(ENV)
            await writer.drain()
            await asyncio.sleep(1.5)  # never answer the VERBOSE lines
            active = server.stats.active
            writer.close()
        finally:
            await server.close(0.1)
        return active

    assert asyncio.run(main()) == 0


def test_threaded_crash_report_bounded_by_session_timeout() -> None:
    def handler(agi: AGI) -> None:
        raise ValueError("boom")

    server = ThreadedFastAGIServer(
        handler, host=HOST, port=0, session_timeout=0.3, debug=TracebackOptions()
    )
    server.start()
    try:
        with socket.create_connection((HOST, server.port), timeout=2) as sock:
            sock.sendall(ENV)
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline and not (
                server.stats.failed and not server.stats.active
            ):
                time.sleep(0.05)
            assert server.stats.failed == 1
            assert server.stats.active == 0
    finally:
        server.shutdown(0.1)


def test_threaded_shutdown_twice_and_start_after_shutdown() -> None:
    server = ThreadedFastAGIServer(lambda agi: None, port=0)
    server.start()
    server.shutdown(grace=0.1)
    server.shutdown(grace=0.1)
    with pytest.raises(RuntimeError):
        server.start()


def test_async_server_command_timeout_does_not_cut_the_environment() -> None:
    # environment_timeout alone bounds the wait for the agi_* block (as in the
    # threaded server); command_timeout starts with the first command.
    import asyncio

    from pyst.agi import FastAGIServer

    seen: list[str] = []

    async def handler(agi: AsyncAGI) -> None:
        seen.append(agi.env.script_path)

    async def main() -> None:
        server = FastAGIServer(
            handler, host="127.0.0.1", port=0, environment_timeout=3.0, command_timeout=0.1
        )
        async with server:
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            await asyncio.sleep(0.3)
            writer.write(ENV)
            await writer.drain()
            await asyncio.wait_for(reader.read(), 2.0)
            writer.close()
        assert server.stats.completed == 1, server.stats

    asyncio.run(main())
    assert seen == ["test"]


def test_async_server_session_timeout_counts_from_the_connection() -> None:
    # As in ThreadedFastAGIServer, session_timeout covers the whole session, the
    # agi_* block included.
    import asyncio
    import time

    from pyst.agi import FastAGIServer

    async def handler(agi: AsyncAGI) -> None:
        await asyncio.sleep(10)

    async def main() -> float:
        server = FastAGIServer(
            handler, host="127.0.0.1", port=0, environment_timeout=3.0, session_timeout=0.7
        )
        async with server:
            started = time.monotonic()
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            await asyncio.sleep(0.6)
            writer.write(ENV)
            await writer.drain()
            await asyncio.wait_for(reader.read(), 3.0)
            elapsed = time.monotonic() - started
            writer.close()
        assert server.stats.timed_out == 1, server.stats
        return elapsed

    assert asyncio.run(main()) < 1.1


async def _async_handler(agi: AsyncAGI) -> None:
    await agi.noop()


def _sync_handler(agi: AGI) -> None:
    agi.noop()


SERVERS = [(FastAGIServer, _async_handler), (ThreadedFastAGIServer, _sync_handler)]


@pytest.mark.parametrize(("server_class", "handler"), SERVERS)
@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("max_sessions", 0),
        ("max_sessions", 2.5),
        ("port", -1),
        ("port", 70000),
        ("backlog", -1),
        ("session_timeout", 0),
        ("command_timeout", -1.0),
        ("command_timeout", float("nan")),
        ("environment_timeout", None),
        ("environment_timeout", float("inf")),
    ],
)
def test_both_servers_refuse_invalid_options_at_construction(
    server_class: Any, handler: object, option: str, value: object
) -> None:
    options = {"port": 0, option: value}
    with pytest.raises(ValueError, match=option):
        server_class(handler, **options)


@pytest.mark.parametrize(("server_class", "handler"), SERVERS)
def test_both_servers_refuse_a_handler_that_is_not_callable(
    server_class: Any, handler: object
) -> None:
    with pytest.raises(TypeError, match="'sales'"):
        server_class({"sales": "not a function", "*": handler}, port=0)
    with pytest.raises(TypeError, match="TracebackOptions"):
        server_class(handler, port=0, debug=True)
    with pytest.raises(TypeError, match="script paths"):
        server_class({1: handler}, port=0)
    with pytest.raises(ValueError, match="empty"):
        server_class({}, port=0)


def test_servers_share_options_and_differ_only_in_the_default_session_limit() -> None:
    options = {
        "port": 0,
        "session_timeout": 30.0,
        "command_timeout": 5.0,
        "environment_timeout": 2.0,
        "backlog": 16,
    }
    asyncio_server = FastAGIServer({"/sales/": _async_handler}, **options)  # type: ignore[arg-type]
    threaded = ThreadedFastAGIServer({"/sales/": _sync_handler}, **options)  # type: ignore[arg-type]
    try:
        for server in (asyncio_server, threaded):
            assert (server.session_timeout, server.command_timeout) == (30.0, 5.0)
            assert (server.environment_timeout, server.backlog) == (2.0, 16)
            assert list(server.routes.table) == ["sales"]
        assert (asyncio_server.max_sessions, threaded.max_sessions) == (1000, 100)
    finally:
        threaded.shutdown(grace=0)


# --------------------------------------------------------------- handler kinds per server


def _plain(agi: AGI) -> None:
    agi.answer()


class _AsyncCallable:
    async def __call__(self, agi: AsyncAGI) -> None:
        await agi.answer()


class _PlainCallable:
    def __call__(self, agi: AGI) -> None:
        agi.answer()


@pytest.mark.parametrize(
    "handler",
    [_plain, _PlainCallable(), lambda agi: None, {"sales": _plain}],
    ids=["def", "callable-object", "lambda", "route"],
)
def test_asyncio_server_refuses_a_plain_def_handler_naming_the_threaded_server(
    handler: Any,
) -> None:
    with pytest.raises(TypeError, match="ThreadedFastAGIServer") as info:
        FastAGIServer(handler, port=0)
    assert "async def" in str(info.value)


def test_asyncio_server_accepts_every_kind_of_async_callable() -> None:
    class Service:
        async def handle(self, agi: AsyncAGI, greeting: str = "") -> None:
            await agi.answer()

    async def greet(agi: AsyncAGI, greeting: str) -> None:
        await agi.verbose(greeting)

    service = Service()
    for handler in (_async_handler, _AsyncCallable(), service.handle, partial(greet, "hi")):
        FastAGIServer(handler, port=0)  # type: ignore[arg-type]

    async def main() -> FakeAsterisk:
        async with FastAGIServer(partial(greet, greeting="hello"), port=0) as server:
            fake = _caller("x")
            await fake.drive(HOST, server.port)
        return fake

    assert asyncio.run(main()).verbose_lines == ["hello"]


@pytest.mark.parametrize("handler", [_async_handler, _AsyncCallable()], ids=["async-def", "obj"])
def test_threaded_server_refuses_an_async_handler_naming_the_asyncio_server(
    handler: Any,
) -> None:
    with pytest.raises(TypeError, match=r"FastAGIServer\b.*async def|async.*FastAGIServer"):
        ThreadedFastAGIServer(handler, port=0)


def test_asyncio_server_fails_a_handler_that_returns_no_awaitable_clearly(
    caplog: pytest.LogCaptureFixture,
) -> None:
    answers: dict[object, object] = {}

    async def main() -> None:
        async with FastAGIServer(answers.get, port=0) as server:  # callable, kind unknown
            await _caller("x").drive(HOST, server.port)
            assert server.stats.failed == 1

    with caplog.at_level(logging.ERROR, logger="pyst.agi.fastagi"):
        asyncio.run(main())
    assert "ThreadedFastAGIServer" in caplog.text
    assert "can't be used in 'await'" not in caplog.text


# -------------------------------------------- calls a server does not serve, seen in the dialplan


def test_normal_end_leaves_agistatus_success_and_sets_no_status() -> None:
    async def main() -> FakeAsterisk:
        async with FastAGIServer({"sales": _async_handler}, port=0) as server:
            fake = _caller("sales")
            await fake.drive(HOST, server.port)
        return fake

    fake = asyncio.run(main())
    assert fake.agi_status == "SUCCESS" and "PYST_AGI_STATUS" not in fake.variables


def test_asyncio_server_unrouted_call_reaches_the_dialplan_as_failure() -> None:
    async def main() -> FakeAsterisk:
        async with FastAGIServer({"sales": _async_handler}, port=0) as server:
            fake = _caller("nowhere")
            await fake.drive(HOST, server.port)
            assert server.stats.unrouted == 1
        return fake

    fake = asyncio.run(main())
    assert fake.variables["PYST_AGI_STATUS"] == "UNROUTED"
    assert fake.agi_status == "FAILURE"


def test_threaded_server_unrouted_call_reaches_the_dialplan_as_failure() -> None:
    with ThreadedFastAGIServer({"sales": _sync_handler}, port=0) as server:
        fake = _caller("nowhere")
        fake.drive_blocking(HOST, server.port)
    assert fake.variables["PYST_AGI_STATUS"] == "UNROUTED"
    assert fake.agi_status == "FAILURE"
    assert server.stats.unrouted == 1


def test_asyncio_server_rejected_call_reaches_the_dialplan_as_failure() -> None:
    release = asyncio.Event()

    async def waits(agi: AsyncAGI) -> None:
        await agi.answer()
        await release.wait()

    async def main() -> FakeAsterisk:
        async with FastAGIServer(waits, port=0, max_sessions=1) as server:
            busy = asyncio.create_task(_caller("a").drive(HOST, server.port))
            while server.stats.active < 1:
                await asyncio.sleep(0.01)
            refused = _caller("b")
            await refused.drive(HOST, server.port)
            assert server.stats.rejected == 1
            release.set()
            await busy
        return refused

    refused = asyncio.run(main())
    assert refused.variables["PYST_AGI_STATUS"] == "REJECTED"
    assert refused.agi_status == "FAILURE"
    assert refused.commands == ["SET VARIABLE PYST_AGI_STATUS REJECTED"]


def test_threaded_server_rejected_call_reaches_the_dialplan_as_failure() -> None:
    release = threading.Event()

    def waits(agi: AGI) -> None:
        agi.answer()
        release.wait(5)

    with ThreadedFastAGIServer(waits, port=0, max_sessions=1) as server:
        busy = threading.Thread(target=_caller("a").drive_blocking, args=(HOST, server.port))
        busy.start()
        deadline = time.monotonic() + 5
        while server.stats.active < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        refused = _caller("b")
        refused.drive_blocking(HOST, server.port)
        release.set()
        busy.join(5)
    assert refused.variables["PYST_AGI_STATUS"] == "REJECTED"
    assert refused.agi_status == "FAILURE"
    assert server.stats.rejected == 1

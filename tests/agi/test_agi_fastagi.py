"""FastAGI servers on loopback, driven by the fake Asterisk."""

from __future__ import annotations

import asyncio
import io
import socket
import threading

from pyst.agi import (
    AGI,
    AsyncAGI,
    FastAGIServer,
    ThreadedFastAGIServer,
    TracebackOptions,
    Transcript,
)
from pyst.agi.testing import FakeAsterisk

HOST = "127.0.0.1"


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
            assert server.stats.rejected == 1 and third.commands == []
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
    assert refused.commands == [] and server.stats.rejected == 1
    server.shutdown(grace=0.1)  # the session never answers: its socket is closed
    assert server.stats.active == 0
    blocked.close()

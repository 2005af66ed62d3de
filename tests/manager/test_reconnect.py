"""Reconnecting: backoff, giving up after max_attempts, no reconnect after the client's own
Logoff, filters re-applied and event streams kept across a reconnect (sync and asyncio).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time

import pytest

from pyst.manager import (
    AsyncManagerClient,
    ConnectionLost,
    Logoff,
    ManagerClient,
    ManagerError,
    Ping,
    Status,
)
from pyst.manager._session import Reconnect
from pyst.manager.testing import FakeAMIServer, Reply


def test_sync_no_reconnect_after_own_logoff() -> None:
    with FakeAMIServer(username="u", secret="p") as server:
        ami = ManagerClient(
            *server.address,
            username="u",
            secret="p",
            timeout=2,
            reconnect=Reconnect(initial_delay=0.01, max_attempts=2),
        )
        ami.connect()
        try:
            assert ami.send(Logoff()).status == "Goodbye"
            with contextlib.suppress(ManagerError):
                ami.process_events(0.3)
            logins = [a.get("Action") for a in server.actions if a.get("Action") == "Login"]
            assert len(logins) == 1
        finally:
            ami.close()


def test_sync_process_events_respects_timeout_while_server_down() -> None:
    server = FakeAMIServer(username="u", secret="p").start()
    ami = ManagerClient(
        *server.address,
        username="u",
        secret="p",
        timeout=1,
        reconnect=Reconnect(initial_delay=0.05, factor=1, jitter=0, max_attempts=30),
    )
    try:
        ami.connect()
        server.stop()
        server.disconnect_all()
        start = time.monotonic()
        with contextlib.suppress(ManagerError):
            ami.process_events(0.1)
        assert time.monotonic() - start < 0.75
    finally:
        ami.close()
        server.stop()


def test_async_disconnect_mid_list_fails_and_reconnect_reapplies_filters() -> None:
    async def main() -> None:
        with FakeAMIServer(username="u", secret="p") as server:
            server.respond(
                "Status", Reply(raw=b"Response: Success\r\nEventList: start\r\n", close=True)
            )
            ami = AsyncManagerClient(
                *server.address,
                username="u",
                secret="p",
                timeout=3,
                reconnect=Reconnect(initial_delay=0.01, max_attempts=5),
            )
            async with ami:
                await ami.add_filter("Event: Hangup")
                with pytest.raises(ConnectionLost):
                    await ami.send(Status())
                await ami.wait_connected(3)
                await ami.send(Ping())
            names = [a.get("Action") for a in server.actions]
            assert names.count("Login") == 2
            filters = [a.get("Filter") for a in server.actions if a.get("Action") == "Filter"]
            assert filters == ["Event: Hangup", "Event: Hangup"]

    asyncio.run(asyncio.wait_for(main(), 8))


def _slow_challenge(action: object, session: object) -> Reply:
    session.challenge = "4242"  # type: ignore[attr-defined]
    return Reply({"Challenge": "4242"}, delay=0.3)


def test_async_wait_connected_means_logged_in_again() -> None:
    async def main() -> None:
        with FakeAMIServer(username="u", secret="p") as server:
            server.on("Challenge", _slow_challenge)
            ami = AsyncManagerClient(
                *server.address,
                username="u",
                secret="p",
                auth="md5",
                timeout=3,
                reconnect=Reconnect(initial_delay=0.01, max_attempts=5),
            )
            async with ami:
                server.disconnect_all()
                for _ in range(300):
                    if not ami.connected:
                        break
                    await asyncio.sleep(0.005)
                await ami.wait_connected(3)
                assert (await ami.send(Ping())).status == "Success"

    asyncio.run(asyncio.wait_for(main(), 8))


def test_async_connect_during_pending_reconnect_logs_in_once() -> None:
    async def main() -> int:
        with FakeAMIServer(username="u", secret="p") as server:
            ami = AsyncManagerClient(
                *server.address,
                username="u",
                secret="p",
                reconnect=Reconnect(initial_delay=0.3, jitter=0),
            )
            await ami.connect()
            server.disconnect_all()
            for _ in range(200):
                if not ami.connected:
                    break
                await asyncio.sleep(0.01)
            await ami.connect()
            await asyncio.sleep(0.7)
            logins = sum(1 for a in server.actions if (a.get("Action") or "") == "Login")
            await ami.close()
        return logins

    assert asyncio.run(main()) == 2


def test_async_events_stream_survives_reconnect_without_duplicates() -> None:
    async def main() -> list[str]:
        seen: list[str] = []
        with FakeAMIServer(username="u", secret="p") as server:
            ami = AsyncManagerClient(
                *server.address,
                username="u",
                secret="p",
                reconnect=Reconnect(initial_delay=0.05, jitter=0),
            )
            await ami.connect()
            stream = ami.events("Test*")
            server.push_event({"Event": "TestBefore"})
            seen.append((await asyncio.wait_for(stream.__anext__(), 2)).name)
            server.disconnect_all()
            for _ in range(200):
                if not ami.connected:
                    break
                await asyncio.sleep(0.005)
            await ami.wait_connected(timeout=3)
            server.push_event({"Event": "TestAfter"})
            seen.append((await asyncio.wait_for(stream.__anext__(), 2)).name)
            await asyncio.sleep(0.1)
            assert stream._listener.buffer.get() is None  # nothing duplicated
            await ami.close()
        return seen

    assert asyncio.run(main()) == ["TestBefore", "TestAfter"]


def test_async_reconnect_gives_up_after_max_attempts() -> None:
    async def main() -> int:
        server = FakeAMIServer(username="u", secret="p").start()
        port = server.address[1]
        ami = AsyncManagerClient(
            "127.0.0.1",
            port,
            username="u",
            secret="p",
            connect_timeout=0.15,
            reconnect=Reconnect(initial_delay=0.05, max_delay=0.05, jitter=0, max_attempts=2),
        )
        await ami.connect()
        silent = socket.socket()
        silent.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.disconnect_all()
        server.stop()
        silent.bind(("127.0.0.1", port))
        silent.listen(64)
        silent.setblocking(False)
        accepted: list[socket.socket] = []
        loop_end = time.monotonic() + 1.0
        while time.monotonic() < loop_end:
            try:
                accepted.append(silent.accept()[0])
            except BlockingIOError:
                await asyncio.sleep(0.01)
        await ami.close()
        for sock in accepted:
            sock.close()
        silent.close()
        return len(accepted)

    assert asyncio.run(main()) <= 2


def test_async_reconnect_gives_up_and_ends_streams_and_waits() -> None:
    async def main() -> tuple[int, int]:
        server = FakeAMIServer(username="u", secret="p").start()
        port = server.address[1]
        ami = AsyncManagerClient(
            "127.0.0.1",
            port,
            username="u",
            secret="p",
            connect_timeout=0.1,
            reconnect=Reconnect(initial_delay=0.02, max_delay=0.02, jitter=0, max_attempts=2),
        )
        await ami.connect()
        stream = ami.events("Test*")
        silent = socket.socket()
        silent.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.disconnect_all()
        server.stop()
        silent.bind(("127.0.0.1", port))
        silent.listen(64)
        silent.setblocking(False)
        accepted: list[socket.socket] = []
        try:
            with pytest.raises(ConnectionLost, match="gave up"):
                await asyncio.wait_for(stream.__anext__(), 2)
            with pytest.raises(ConnectionLost):
                await ami.wait_connected(timeout=1)
            end = time.monotonic() + 0.25
            while time.monotonic() < end:
                try:
                    accepted.append(silent.accept()[0])
                except BlockingIOError:
                    await asyncio.sleep(0.01)
            await ami.close()
        finally:
            for sock in accepted:
                sock.close()
            silent.close()
        return len(accepted), ami._reconnect_task is None

    attempts, idle = asyncio.run(main())
    assert attempts == 2
    assert idle


def test_async_connect_abandons_a_reconnect_attempt_stuck_in_login() -> None:
    async def main() -> None:
        with FakeAMIServer(username="u", secret="p") as server:
            logins: list[int] = []

            def login(action, session):  # type: ignore[no-untyped-def]
                logins.append(1)
                if len(logins) == 2:
                    return None  # the background attempt never gets an answer
                return server._action_login(action, session)

            server.on("Login", login)
            ami = AsyncManagerClient(
                *server.address,
                username="u",
                secret="p",
                reconnect=Reconnect(initial_delay=0.01, jitter=0),
            )
            await ami.connect()
            server.disconnect_all()
            for _ in range(300):
                if len(logins) == 2:
                    break
                await asyncio.sleep(0.01)
            assert len(logins) == 2 and not ami.connected
            start = time.monotonic()
            await asyncio.wait_for(ami.connect(), 2)
            assert time.monotonic() - start < 1
            assert ami.connected
            assert (await ami.send(Ping())).ok
            await asyncio.sleep(0.1)
            assert len(logins) == 3
            assert sum(1 for s in server.sessions if not s.closed.is_set()) == 1
            await ami.close()

    asyncio.run(main())


def test_reconnect_backoff_grows_caps_and_stops() -> None:
    policy = Reconnect(initial_delay=0.5, max_delay=3, factor=2, jitter=0, max_attempts=5)
    assert list(policy.delays()) == [0.5, 1.0, 2.0, 3, 3]
    jittered = list(Reconnect(initial_delay=1, jitter=0.1, max_attempts=50).delays())
    assert all(0.9 <= d <= 1.1 for d in jittered[:1]) and len(jittered) == 50


def test_sync_process_events_without_reconnect_raises_after_a_loss(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    with FakeAMIServer() as server:
        client = ManagerClient(*server.address, username="admin", secret="secret")
        client.connect()
        server.push_event({"Event": "Last", "N": "1"})
        server.wait_for_sessions(1)
        seen: list[str] = []
        client.subscribe(lambda e: seen.append(e.name))
        client.process_events(0.2)
        server.disconnect_all()
        with pytest.raises(ConnectionLost):
            for _ in range(100):
                client.process_events(0.05)
        assert seen == ["Last"]
        client.close()
    assert "lost" in caplog.text

"""The asyncio client against the fake server (each test runs its own ``asyncio.run``)."""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
import time
from collections.abc import Awaitable, Callable

import pytest

from pyst.manager import (
    Action,
    ActionError,
    ActionTimeout,
    AsyncManagerClient,
    AuthenticationError,
    ClientClosed,
    ConnectionLost,
    Event,
    Logoff,
    ManagerClient,
    ManagerError,
    Ping,
    Reconnect,
    Status,
)
from pyst.manager.testing import FakeAMIServer, Reply

SECRET = "async-s3cret"


@pytest.fixture
def server() -> FakeAMIServer:
    with FakeAMIServer(username="admin", secret=SECRET) as fake:
        yield fake  # type: ignore[misc]


def client_for(server: FakeAMIServer, **options: object) -> AsyncManagerClient:
    return AsyncManagerClient(*server.address, username="admin", secret=SECRET, **options)  # type: ignore[arg-type]


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(asyncio.wait_for(scenario(), 60))


@pytest.mark.parametrize("auth", ["plain", "md5"])
def test_login_send_and_lists(server: FakeAMIServer, auth: str) -> None:
    items = [{"Event": "Status", "Channel": f"C{n}"} for n in range(2)]
    server.respond("Status", Reply(events=items, list_events=True, complete="StatusComplete"))

    async def scenario() -> None:
        async with client_for(server, auth=auth) as client:
            assert (await client.send(Ping()))["Ping"] == "Pong"
            status = await client.send(Status())
            assert [e["Channel"] for e in status.events] == ["C0", "C1"]
            with pytest.raises(ActionError):
                await client.send(Action("Bogus"))
            pings = await asyncio.gather(*(client.send(Ping()) for _ in range(50)))
            assert len({p.action_id for p in pings}) == 50

    run(scenario)
    assert [a.get("Action") for a in server.actions][-1] == "Logoff"


def test_bad_secret(server: FakeAMIServer) -> None:
    async def scenario() -> None:
        client = AsyncManagerClient(*server.address, username="admin", secret="nope")
        with pytest.raises(AuthenticationError):
            await client.connect()
        with pytest.raises(ClientClosed):
            await client.send(Ping())

    run(scenario)


def test_events_iterator_handlers_and_isolation(
    server: FakeAMIServer, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> None:
        async with client_for(server) as client:
            seen: list[str] = []

            async def async_handler(event: Event) -> None:
                await asyncio.sleep(0)
                seen.append(event["N"])

            def broken(event: Event) -> None:
                raise ValueError("always broken")

            async def broken_async(event: Event) -> None:
                raise ValueError("async broken")

            client.subscribe(broken)
            client.subscribe(broken_async, "Tick")
            client.subscribe(async_handler, "T?ck")
            iterator = client.events("tick", where=lambda e: int(e["N"]) % 2 == 0)
            server.push_raw(b"".join(b"Event: Tick\r\nN: %d\r\n\r\n" % n for n in range(100)))
            got = []
            async for event in iterator:
                got.append(int(event["N"]))
                if len(got) == 50:
                    break
            assert got == list(range(0, 100, 2))
            for _ in range(100):
                if len(seen) == 100:
                    break
                await asyncio.sleep(0.01)
            assert seen == [str(n) for n in range(100)]
            assert (await client.send(Ping())).ok

    run(scenario)
    sync_failures = [r for r in caplog.records if "always broken" in str(r.exc_info)]
    async_failures = [r for r in caplog.records if "async broken" in str(r.exc_info)]
    assert len(sync_failures) == 100 and len(async_failures) == 100


def test_silence_times_out_and_cancellation_forgets_the_action(server: FakeAMIServer) -> None:
    server.respond("Getvar")

    async def scenario() -> None:
        async with client_for(server, timeout=0.2) as client:
            with pytest.raises(ActionTimeout):
                await client.send(Action("Getvar", Variable="X"))
            task = asyncio.create_task(client.send(Action("Getvar", Variable="Y"), timeout=30))
            await asyncio.sleep(0.05)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert client._conn is not None and client._conn.pending_count == 0
            assert (await client.send(Ping())).ok

    run(scenario)


def test_disconnect_mid_response_fails_pending_actions(server: FakeAMIServer) -> None:
    server.respond("Status", Reply(raw=b"Response: Success\r\nEventList: start\r\n", close=True))
    server.respond("Getvar")

    async def scenario() -> None:
        async with client_for(server) as client:
            waiting = asyncio.create_task(client.send(Action("Getvar", Variable="X")))
            await asyncio.sleep(0.05)
            with pytest.raises(ConnectionLost):
                await client.send(Status())
            with pytest.raises(ConnectionLost):
                await waiting
            with pytest.raises(ConnectionLost):
                await client.send(Ping())

    run(scenario)


def test_reconnect_with_backoff_logs_in_and_reapplies_filters(server: FakeAMIServer) -> None:
    async def scenario() -> None:
        policy = Reconnect(initial_delay=0.01, max_delay=0.05, max_attempts=100)
        async with client_for(server, reconnect=policy) as client:
            await client.add_filter("Event: Hangup")
            server.disconnect_all()
            await asyncio.sleep(0.05)
            await client.wait_connected(5)
            assert (await client.send(Ping())).ok
        names = [a.get("Action") for a in server.actions]
        assert names.count("Login") == 2 and names.count("Filter") == 2
        assert names[-1] == "Logoff"

    run(scenario)


def test_logoff_close_loop_and_concurrent_close(server: FakeAMIServer) -> None:
    async def scenario() -> None:
        for n in range(1000):
            client = client_for(server, events=False)
            await client.connect()
            if n % 3 == 0:
                await client.send(Logoff())
                await client.close()
            elif n % 3 == 1:
                await asyncio.gather(client.close(), client.close())
            else:
                results = await asyncio.gather(
                    client.send(Logoff()), client.close(), return_exceptions=True
                )
                assert all(
                    not isinstance(r, Exception) or isinstance(r, ClientClosed) for r in results
                ), results
            assert not client.connected
            await client.close()

    run(scenario)
    assert server.connections == 1000


def test_flood_with_a_slow_handler_replies_still_arrive_memory_bounded(
    server: FakeAMIServer,
) -> None:
    async def scenario() -> None:
        handled = 0

        async def slow(event: Event) -> None:
            nonlocal handled
            handled += 1
            await asyncio.sleep(0.001)

        async with client_for(server, queue_size=500) as client:
            client.subscribe(slow, "Tick")
            server.push_raw(b"".join(b"Event: Tick\r\nN: %d\r\n\r\n" % n for n in range(100_000)))
            peak = 0
            for _ in range(200):
                assert (await client.send(Ping(timeout=10))).ok
                peak = max(peak, len(client._buffer))
                if handled + client.dropped_events >= 100_000:
                    break
                await asyncio.sleep(0.01)
            while handled + client.dropped_events < 100_000:
                await asyncio.sleep(0.01)
            assert peak <= 500
            assert client.dropped_events > 0 and handled >= 500

    run(scenario)


def test_secrets_stay_out_of_logs_and_reprs(
    server: FakeAMIServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    async def scenario() -> None:
        async with client_for(server, auth="plain") as client:
            await client.send(Ping())
            assert SECRET not in repr(client)

    run(scenario)
    assert SECRET not in caplog.text


def test_event_stream_collects_from_creation_and_stops_on_close(server: FakeAMIServer) -> None:
    async def scenario() -> None:
        client = client_for(server)
        await client.connect()
        stream = client.events("Early")
        server.push_event({"Event": "Early", "N": "1"})
        assert (await client.send(Ping())).ok  # the event arrived before this answer
        first = await stream.__anext__()
        assert first["N"] == "1"
        await client.close()
        assert [e async for e in stream] == []

    run(scenario)


def test_streams_and_wait_connected_end_after_own_logoff(server: FakeAMIServer) -> None:
    async def scenario() -> None:
        async with client_for(server, timeout=2, reconnect=Reconnect(initial_delay=0.01)) as ami:
            stream = ami.events("Foo")
            server.push_event({"Event": "Foo"})
            assert (await asyncio.wait_for(stream.__anext__(), 2)).name == "Foo"
            assert (await ami.send(Logoff())).status == "Goodbye"
            with pytest.raises(ConnectionLost, match="Logoff"):
                await asyncio.wait_for(stream.__anext__(), 2)
            with pytest.raises(ConnectionLost):
                await ami.wait_connected(2)
        assert [a.get("Action") for a in server.actions].count("Login") == 1

    run(scenario)


def test_user_actions_wait_for_the_relogin_after_a_reconnect(server: FakeAMIServer) -> None:
    async def scenario() -> None:
        async with client_for(
            server, timeout=2, reconnect=Reconnect(initial_delay=0.01, max_attempts=20)
        ) as ami:
            await ami.add_filter("Event: Foo")
            server.disconnect_all()
            while ami.connected:
                await asyncio.sleep(0.005)
            with pytest.raises(ConnectionLost, match=r"reconnecting|not connected"):
                await ami.send(Ping())
            await ami.wait_connected(3)
            await ami.send(Ping())
        names = [a.get("Action") for a in server.actions]
        # the filter went out again before the user's Ping
        assert names[-3:] == ["Filter", "Ping", "Logoff"]

    run(scenario)


def test_async_logoff_then_close_does_not_race_or_reconnect() -> None:
    async def main() -> None:
        with FakeAMIServer(username="u", secret="p") as server:
            ami = AsyncManagerClient(
                *server.address,
                username="u",
                secret="p",
                timeout=2,
                reconnect=Reconnect(initial_delay=0.01, max_attempts=2),
            )
            await ami.connect()
            assert (await ami.send(Logoff())).status == "Goodbye"
            await asyncio.gather(ami.close(), ami.close())
            await asyncio.sleep(0.1)
            assert [a.get("Action") for a in server.actions].count("Login") == 1

    asyncio.run(asyncio.wait_for(main(), 8))


def test_async_event_stream_does_not_hang_after_connection_loss() -> None:
    async def main() -> str:
        with FakeAMIServer(username="u", secret="p") as server:
            ami = AsyncManagerClient(*server.address, username="u", secret="p", timeout=2)
            await ami.connect()
            try:
                stream = ami.events("Foo")
                server.disconnect_all()
                try:
                    await asyncio.wait_for(stream.__anext__(), 1.0)
                except (StopAsyncIteration, ConnectionLost):
                    return "ended"
                except asyncio.TimeoutError:
                    return "hang"
                return "event"
            finally:
                await ami.close()

    assert asyncio.run(main()) == "ended"


def test_async_close_during_login_ends_connect_promptly() -> None:
    release = threading.Event()

    def silent_login(action, session):  # type: ignore[no-untyped-def]
        release.wait(3)
        return None

    async def main() -> None:
        with FakeAMIServer(username="u", secret="p") as server:
            server.on("Login", silent_login)
            ami = AsyncManagerClient(*server.address, username="u", secret="p", timeout=5)
            task = asyncio.create_task(ami.connect())
            await asyncio.sleep(0.3)
            start = time.monotonic()
            await asyncio.wait_for(ami.close(), 2)
            with pytest.raises(ManagerError):
                await asyncio.wait_for(task, 2)
            assert time.monotonic() - start < 2
            assert not ami.connected
            release.set()

    asyncio.run(main())


def test_async_cancelled_send_reserves_id_and_late_answer_dropped() -> None:
    def slow_ping(action, session):  # type: ignore[no-untyped-def]
        from pyst.manager.testing import Reply

        return Reply({"Response": "Success", "Ping": "Pong"}, delay=0.3)

    async def main() -> None:
        with FakeAMIServer(username="u", secret="p") as server:
            server.on("Ping", slow_ping)
            async with AsyncManagerClient(*server.address, username="u", secret="p") as ami:
                task = asyncio.create_task(ami.send(Ping(action_id="P1")))
                await asyncio.sleep(0.05)
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
                with pytest.raises(ValueError):
                    await ami.send(Ping(action_id="P1"))
                await asyncio.sleep(0.5)
                response = await ami.send(Ping(action_id="P1"))
                assert response.ok

    asyncio.run(main())


def test_async_concurrent_connect_calls_end_connected() -> None:
    async def main() -> tuple[list[object], bool, int]:
        with FakeAMIServer(username="u", secret="p") as server:
            ami = AsyncManagerClient(*server.address, username="u", secret="p")
            results = await asyncio.gather(ami.connect(), ami.connect(), return_exceptions=True)
            connected = ami.connected
            await asyncio.sleep(0.1)
            live = sum(1 for s in server.sessions if not s.closed.is_set())
            await ami.close()
        return list(results), connected, live

    results, connected, live = asyncio.run(main())
    assert results == [None, None]
    assert connected
    assert live == 1


def test_async_abandoned_event_streams_are_released() -> None:
    async def main() -> int:
        with FakeAMIServer(username="u", secret="p") as server:
            async with AsyncManagerClient(*server.address, username="u", secret="p") as ami:
                for _ in range(3):
                    stream = ami.events("Test*")
                    server.push_event({"Event": "TestEvent"})
                    async for _event in stream:
                        break
                    del stream
                gc.collect()
                return len(ami._listeners)

    assert asyncio.run(main()) == 0


def test_async_client_timeout_changed_after_connect_is_used() -> None:
    async def main() -> None:
        with FakeAMIServer(username="u", secret="p") as server:
            server.respond("Getvar")
            async with AsyncManagerClient(
                *server.address, username="u", secret="p", timeout=30
            ) as ami:
                ami.timeout = 0.2
                with pytest.raises(ActionTimeout):
                    await asyncio.wait_for(ami.send(Action("Getvar", Variable="X")), 5)

    asyncio.run(main())


def test_a_refused_login_raises_quietly_without_a_lost_connection_warning(
    server: FakeAMIServer, caplog: pytest.LogCaptureFixture
) -> None:
    # Asterisk answers a bad secret with "Authentication failed" and closes the connection:
    # that is the login's failure, raised as AuthenticationError, not a lost connection
    async def scenario() -> None:
        for _ in range(5):
            client = AsyncManagerClient(*server.address, username="admin", secret="nope")
            with pytest.raises(AuthenticationError):
                await client.connect()
            await asyncio.sleep(0.05)  # let the reader see the close

    with caplog.at_level(logging.DEBUG, logger="pyst.manager"):
        run(scenario)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text


def test_the_blocking_client_also_refuses_a_login_quietly(
    server: FakeAMIServer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="pyst.manager"):
        for _ in range(3):
            client = ManagerClient(*server.address, username="admin", secret="nope", timeout=5)
            with pytest.raises(AuthenticationError):
                client.connect()
            client.close()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text

"""Event dispatch: buffer overflow policies, subscriptions by name/glob/predicate, handler
failures isolated (sync and asyncio), slow handlers not stalling replies.
"""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from pyst.manager import (
    AsyncManagerClient,
    Event,
    Headers,
    ManagerClient,
    Ping,
)
from pyst.manager._dispatch import EventBuffer, EventRouter, Overflow
from pyst.manager.testing import FakeAMIServer


def event(name: str, **headers: str) -> Event:
    return Event(Headers([("Event", name), *headers.items()]))


@pytest.mark.parametrize(
    ("policy", "kept"),
    [(Overflow.DROP_OLDEST, ["3", "4", "5"]), (Overflow.DROP_NEWEST, ["1", "2", "3"])],
)
def test_overflow_policies(
    policy: Overflow, kept: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    buffer = EventBuffer(3, policy)
    for n in range(1, 6):
        buffer.put(event("Tick", N=str(n)))
    assert len(buffer) == 3 and buffer.dropped == 2
    out = []
    while (item := buffer.get()) is not None:
        out.append(item["N"])
    assert out == kept
    assert "event buffer full" in caplog.text
    with pytest.raises(ValueError):
        EventBuffer(0)


def test_router_names_globs_predicates_and_failures(caplog: pytest.LogCaptureFixture) -> None:
    router = EventRouter()
    got: list[str] = []
    router.subscribe(lambda e: got.append("exact:" + e.name), "HANGUP")
    router.subscribe(lambda e: got.append("glob:" + e.name), "agent*", "Queue?ember*")
    router.subscribe(lambda e: got.append("any:" + e.name))
    router.subscribe(lambda e: got.append("where:" + e.name), where=lambda e: e["X"] == "1")
    gone = router.subscribe(lambda e: got.append("gone"))
    router.unsubscribe(gone)
    router.unsubscribe(gone)
    for name, x in [("Hangup", "0"), ("AgentLogin", "1"), ("QueueMemberAdded", "0")]:
        router.deliver(event(name, X=x))
    assert got == [
        "exact:Hangup", "any:Hangup",
        "glob:AgentLogin", "any:AgentLogin", "where:AgentLogin",
        "glob:QueueMemberAdded", "any:QueueMemberAdded",
    ]  # fmt: skip
    got.clear()
    router.subscribe(lambda e: got.append("never"), where=lambda e: e["Missing"] == "x")
    router.deliver(event("Other"))
    assert got == ["any:Other"]
    assert "predicate" in caplog.text








def test_sync_handler_exception_is_isolated_and_handler_can_send(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with (
        FakeAMIServer(username="u", secret="p") as server,
        ManagerClient(*server.address, username="u", secret="p", timeout=3) as ami,
    ):
        seen: list[str] = []

        @ami.on("Boom*")
        def bad(event: Event) -> None:
            raise RuntimeError("handler failure")

        @ami.on("boomer", where=lambda e: e.get("N") == "2")
        def good(event: Event) -> None:
            seen.append(event["N"])
            ami.send(Ping())

        server.wait_for_sessions()
        for n in ("1", "2"):
            server.push_event({"Event": "Boomer", "N": n})
        deadline = time.monotonic() + 3
        with caplog.at_level(logging.ERROR, logger="pyst.manager"):
            while not seen and time.monotonic() < deadline:
                ami.process_events(0.05)
        assert seen == ["2"]
        assert "handler failure" in caplog.text


def test_sync_overflow_drops_oldest_and_counts() -> None:
    with (
        FakeAMIServer(username="u", secret="p") as server,
        ManagerClient(*server.address, username="u", secret="p", queue_size=3, timeout=3) as ami,
    ):
        server.wait_for_sessions()
        for n in range(6):
            server.push_event({"Event": "Tick", "N": str(n)})
        server.push_event({"Event": "Last"})
        got: list[str] = []
        ami.subscribe(lambda e: got.append(e.get("N") or e.name))
        # a send() reads (and queues) every event before its own answer
        time.sleep(0.2)
        ami.send(Ping())
        ami.process_events(0)
        assert ami.dropped_events == 4
        assert got == ["4", "5", "Last"]


def test_async_slow_handler_does_not_stall_replies_and_raising_handler_isolated() -> None:
    async def main() -> None:
        with FakeAMIServer(username="u", secret="p") as server:
            async with AsyncManagerClient(
                *server.address, username="u", secret="p", timeout=3
            ) as ami:
                release = asyncio.Event()
                handled: list[str] = []

                async def slow(event: Event) -> None:
                    await release.wait()

                def boom(event: Event) -> None:
                    raise RuntimeError("x")

                ami.subscribe(slow, "Slow")
                ami.subscribe(boom, "Later")
                ami.subscribe(lambda e: handled.append(e.name), "Later")
                stream = ami.events("Later")
                server.push_event({"Event": "Slow"})
                server.push_event({"Event": "Later"})
                start = asyncio.get_running_loop().time()
                await ami.send(Ping())
                assert asyncio.get_running_loop().time() - start < 1
                event = await asyncio.wait_for(stream.__anext__(), 2)
                assert event.name == "Later"
                release.set()
                for _ in range(100):
                    if handled:
                        break
                    await asyncio.sleep(0.01)
                assert handled == ["Later"]

    asyncio.run(asyncio.wait_for(main(), 8))


def test_async_handler_raising_cancelled_error_does_not_stop_dispatch() -> None:
    async def main() -> list[str]:
        got: list[str] = []
        with FakeAMIServer(username="u", secret="p") as server:
            async with AsyncManagerClient(*server.address, username="u", secret="p") as ami:

                async def bad(event: object) -> None:
                    future = asyncio.get_running_loop().create_future()
                    future.cancel()
                    await future

                ami.subscribe(bad, "Bad")
                ami.subscribe(lambda event: got.append(event.name), "Good*")
                server.push_event({"Event": "Bad"})
                await asyncio.sleep(0.2)
                server.push_event({"Event": "Good1"})
                for _ in range(50):
                    if got:
                        break
                    await asyncio.sleep(0.01)
        return got

    assert asyncio.run(main()) == ["Good1"]


@pytest.mark.parametrize("own_task", [False, True], ids=["cancelling", "py310-own-task"])
def test_async_handler_failures_isolated_and_close_still_stops_dispatch(
    own_task: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pyst.manager import _asyncio

    monkeypatch.setattr(_asyncio, "_HANDLER_IN_OWN_TASK", own_task)

    async def main() -> tuple[list[str], bool]:
        got: list[str] = []
        with FakeAMIServer(username="u", secret="p") as server:
            ami = AsyncManagerClient(*server.address, username="u", secret="p")
            await ami.connect()
            gate = asyncio.Event()

            async def cancelled(event: object) -> None:
                future = asyncio.get_running_loop().create_future()
                future.cancel()
                await future

            async def raises(event: object) -> None:
                raise RuntimeError("handler bug")

            async def blocks(event: object) -> None:
                got.append("blocking")
                await gate.wait()  # still running when the client closes

            ami.subscribe(cancelled, "Bad")
            ami.subscribe(raises, "Bad")
            ami.subscribe(lambda event: got.append(event.name), "Good*")
            ami.subscribe(blocks, "Block")
            server.push_event({"Event": "Bad"})
            server.push_event({"Event": "Good1"})
            server.push_event({"Event": "Block"})
            for _ in range(200):
                if "blocking" in got:
                    break
                await asyncio.sleep(0.01)
            dispatcher = ami._dispatch_task
            await asyncio.wait_for(ami.close(), 2)
            return got, dispatcher is not None and dispatcher.done()

    got, stopped = asyncio.run(main())
    assert got == ["Good1", "blocking"]
    assert stopped

"""Event buffer policies, subscriptions, reconnect backoff and small helpers."""

from __future__ import annotations

import logging
import re

import pytest

from pyst.manager import ConnectionLost, Event, Headers, ListCategories, ManagerClient, Response
from pyst.manager._dispatch import EventBuffer, EventRouter, Overflow
from pyst.manager._protocol import Decoder
from pyst.manager._session import Reconnect
from pyst.manager.testing import FakeAMIServer

from .conftest import server_bytes


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


def test_reconnect_backoff_grows_caps_and_stops() -> None:
    policy = Reconnect(initial_delay=0.5, max_delay=3, factor=2, jitter=0, max_attempts=5)
    assert list(policy.delays()) == [0.5, 1.0, 2.0, 3, 3]
    jittered = list(Reconnect(initial_delay=1, jitter=0.1, max_attempts=50).delays())
    assert all(0.9 <= d <= 1.1 for d in jittered[:1]) and len(jittered) == 50


def test_list_categories_names() -> None:
    [response] = Decoder().feed(server_bytes("15b_listcategories"))
    assert isinstance(response, Response)
    raw = server_bytes("15b_listcategories").decode()
    expected = re.findall(r"^Category-\d{6}: (.*)\r$", raw, re.M)
    assert len(expected) > 3
    assert ListCategories.names(response) == expected


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

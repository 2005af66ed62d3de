"""Regression tests for the fixes of the third (final) find-and-fix pass."""

from __future__ import annotations

import asyncio
import time

import pytest

from pyst.manager import (
    Action,
    ActionTimeout,
    AsyncManagerClient,
    AuthenticationError,
    DBGet,
    DBPut,
    Decoder,
    ManagerClient,
    Ping,
    QueueStatus,
    QueueSummary,
    Setvar,
    Status,
    Update,
    UpdateConfig,
    encode_action,
)
from pyst.manager._connection import Connection
from pyst.manager.testing import FakeAMIServer


def test_setvar_and_dbput_refuse_values_asterisk_would_strip() -> None:
    # manager.c astman_get_header() skips leading bytes <= space of every value: Setvar and
    # DBPut would silently store a different value.
    for value in (" x", "\tx", " "):
        with pytest.raises(ValueError, match="starts with a blank"):
            Setvar("VAR", value)
        with pytest.raises(ValueError, match="starts with a blank"):
            DBPut("family", "key", value)
    assert ("Value", "x  y ") in Setvar("VAR", "x  y ").headers()
    assert ("Value", "") in Setvar("VAR", "").headers()
    assert ("Val", "v ") in DBPut("family", "key", "v ").headers()


def test_updateconfig_of_a_secret_hides_it_in_reprs() -> None:
    action = UpdateConfig(
        "pjsip.conf",
        [Update("auth1", "password", "hunter2", match="oldpass"), Update("a", "context", "x")],
    )
    assert "hunter2" not in repr(action)
    assert "oldpass" not in repr(action)
    assert "'x'" in repr(action)  # other values stay visible
    # as decoded by a server (FakeAMIServer.actions)
    [message] = Decoder(greeting=False).feed(encode_action(action.wire_headers("1")))
    assert "hunter2" not in repr(message)
    assert "oldpass" not in repr(message)
    assert "'x'" in repr(message)


def test_getconfig_secret_lines_hidden_in_repr() -> None:
    raw = (
        b"Response: Success\r\nActionID: 1\r\nCategory-000000: peer\r\n"
        b"Line-000000-000000: type=peer\r\nLine-000000-000001: secret=hunter2\r\n\r\n"
    )
    [response] = Decoder(greeting=False).feed(raw)
    assert "hunter2" not in repr(response)
    assert "type=peer" in repr(response)
    assert response["Line-000000-000001"] == "secret=hunter2"  # the data itself is intact


def test_passwd_hidden_in_action_reprs_like_in_decoded_messages() -> None:
    assert "hunter2" not in repr(Action("Custom", Passwd="hunter2"))


def test_sync_client_timeout_changed_after_connect_is_used() -> None:
    with FakeAMIServer(username="u", secret="p") as server:
        server.respond("Getvar")  # never answers
        with ManagerClient(*server.address, username="u", secret="p", timeout=30) as ami:
            ami.timeout = 0.2
            started = time.monotonic()
            with pytest.raises(ActionTimeout):
                ami.send(Action("Getvar", Variable="X"))
            assert time.monotonic() - started < 5


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


def _asterisk13_status(action_id: str) -> bytes:
    # action_status of Asterisk 13 (before "AMI: Make AMI actions that generate event lists
    # consistent", 14.0.0): astman_send_ack, no EventList anywhere.
    return (
        f"Response: Success\r\nActionID: {action_id}\r\nMessage: Channel status will follow\r\n\r\n"
        f"Event: Status\r\nPrivilege: Call\r\nChannel: SIP/100-1\r\nActionID: {action_id}\r\n\r\n"
        f"Event: Status\r\nPrivilege: Call\r\nChannel: SIP/101-2\r\nActionID: {action_id}\r\n\r\n"
        f"Event: StatusComplete\r\nActionID: {action_id}\r\nItems: 2\r\n\r\n"
    ).encode()


def test_asterisk13_list_without_eventlist_is_assembled() -> None:
    conn = Connection(greeting=False)
    _, pending = conn.send(Status(), 0.0)
    events = conn.receive(_asterisk13_status(pending.action_id) + b"Event: Other\r\n\r\n")
    assert [e.name for e in events] == ["Other"]
    response = pending.outcome()
    assert [e["Channel"] for e in response.events] == ["SIP/100-1", "SIP/101-2"]
    assert response.complete is not None and response.complete.name == "StatusComplete"
    # Asterisk 13 DBGet: "Result will follow", DBGetResponse, DBGetComplete
    _, pending = conn.send(DBGet("fam", "key"), 0.0)
    aid = pending.action_id
    conn.receive(
        f"Response: Success\r\nActionID: {aid}\r\nMessage: Result will follow\r\n\r\n"
        f"Event: DBGetResponse\r\nFamily: fam\r\nKey: key\r\nVal: v\r\nActionID: {aid}\r\n\r\n"
        f"Event: DBGetComplete\r\nActionID: {aid}\r\n\r\n".encode()
    )
    assert pending.outcome().events[0]["Val"] == "v"
    # an error answer is not a list; a generic Action("Status") keeps the plain rule
    _, pending = conn.send(Status("nope"), 0.0)
    aid = pending.action_id
    conn.receive(f"Response: Error\r\nActionID: {aid}\r\nMessage: No such channel\r\n\r\n".encode())
    assert pending.done and pending.error is not None
    _, pending = conn.send(Action("Status"), 0.0)
    conn.receive(_asterisk13_status(pending.action_id))
    assert pending.done and pending.outcome().events == []


def test_asterisk13_late_list_of_a_timed_out_action_is_dropped_to_its_end() -> None:
    conn = Connection(greeting=False)
    _, pending = conn.send(QueueStatus(), 0.0, timeout=1)
    conn.expire(5.0)
    assert isinstance(pending.error, ActionTimeout)
    aid = pending.action_id
    events = conn.receive(
        f"Response: Success\r\nActionID: {aid}\r\nMessage: Queue status will follow\r\n\r\n"
        f"Event: QueueParams\r\nQueue: q\r\nActionID: {aid}\r\n\r\n"
        f"Event: QueueStatusComplete\r\nActionID: {aid}\r\n\r\n".encode()
    )
    assert events == []
    # the ID is free again: reusing it works and gets its own answer
    _, again = conn.send(Ping(action_id=aid), 6.0)
    conn.receive(f"Response: Success\r\nActionID: {aid}\r\nPing: Pong\r\n\r\n".encode())
    assert again.outcome().ok


def test_modern_list_unchanged_for_typed_list_actions() -> None:
    conn = Connection(greeting=False)
    _, pending = conn.send(QueueSummary(), 0.0)
    aid = pending.action_id
    conn.receive(
        f"Response: Success\r\nActionID: {aid}\r\nEventList: start\r\n"
        f"Message: Queue summary will follow\r\n\r\n"
        f"Event: QueueSummary\r\nQueue: q\r\nActionID: {aid}\r\n\r\n"
        f"Event: QueueSummaryComplete\r\nActionID: {aid}\r\nEventList: Complete\r\n"
        f"ListItems: 1\r\n\r\n".encode()
    )
    assert len(pending.outcome().events) == 1


@pytest.mark.parametrize(
    ("mask", "on"), [("no", False), ("0", False), ("call", True), ("yes", True), ("x", False)]
)
def test_fake_server_reads_login_events_like_manager_c(mask: str, on: bool) -> None:
    with (
        FakeAMIServer(username="u", secret="p") as server,
        ManagerClient(*server.address, events=None, timeout=5) as ami,
    ):
        ami.send(Action("Login", Username="u", Secret="p", Events=mask))
        [session] = server.wait_for_sessions(1)
        assert session.events_on is on


def test_generic_login_refusal_is_an_authentication_error() -> None:
    with (
        FakeAMIServer(username="u", secret="p") as server,
        ManagerClient(*server.address, events=None, timeout=5) as ami,
        pytest.raises(AuthenticationError),
    ):
        ami.send(Action("Login", Username="u", Secret="wrong"))

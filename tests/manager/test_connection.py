"""The sans-IO connection: ActionID matching, list assembly, timeouts and disconnects."""

from __future__ import annotations

import pytest

from pyst.manager import (
    Action,
    ActionError,
    ActionTimeout,
    AuthenticationError,
    ClientClosed,
    Command,
    Connection,
    ConnectionLost,
    DBGet,
    Event,
    Login,
    Logoff,
    Ping,
    ProtocolError,
    Response,
    Status,
)

from .conftest import server_bytes

GREETING = b"Asterisk Call Manager/11.0.0\r\n"


def answer(action_id: str, *headers: str) -> bytes:
    lines = [f"Response: {headers[0]}", f"ActionID: {action_id}", *headers[1:]]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_answers_are_matched_by_actionid_not_by_arrival_order() -> None:
    conn = Connection()
    conn.receive(GREETING)
    _, first = conn.send(Ping(), now=0)
    _, second = conn.send(Action("Getvar", Variable="X"), now=0)
    conn.receive(answer(second.action_id, "Success", "Value: 2"))
    assert second.done and not first.done
    assert second.outcome()["Value"] == "2"
    conn.receive(answer(first.action_id, "Success", "Ping: Pong"))
    assert first.outcome()["Ping"] == "Pong"
    assert conn.greeting is not None and conn.pending_count == 0


def test_action_ids_are_unique_and_echoed_in_the_bytes() -> None:
    conn = Connection()
    ids = set()
    for _ in range(100):
        data, pending = conn.send(Ping(), now=0)
        assert f"ActionID: {pending.action_id}\r\n".encode() in data
        ids.add(pending.action_id)
    assert len(ids) == 100
    with pytest.raises(ValueError, match="already waiting"):
        conn.send(Action("Ping", action_id=next(iter(ids))), now=0)


def test_list_answer_resolves_to_one_result_holding_its_events() -> None:
    conn = Connection()
    _, pending = conn.send(Status(action_id="st-1"), now=0)
    events = conn.receive(server_bytes("10_status"))
    assert events == []  # list items belong to the result, not to event handlers
    response = pending.outcome()
    assert [e.name for e in response.events] == ["Status", "Status"]
    assert response.complete is not None and response.complete.name == "StatusComplete"
    assert response.complete["ListItems"] == "2"


def test_empty_list_and_dbget_list() -> None:
    conn = Connection()
    _, status = conn.send(Status(action_id="st-0"), now=0)
    conn.receive(server_bytes("10b_status_no_channels"))
    assert status.outcome().events == []
    conn = Connection()
    _, found = conn.send(DBGet("amitest", "k1", action_id="db-2"), now=0)
    _, missing = conn.send(DBGet("amitest", "nokey", action_id="db-3"), now=0)
    for action_id in ("db-1", "db-4", "db-5", "db-6"):
        conn.send(Action("DBPut", action_id=action_id), now=0)
    conn.receive(server_bytes("12a_dbput_dbget_dbdel"))
    assert found.outcome().events[0]["Val"] == "v 1"
    with pytest.raises(ActionError, match="Database entry not found"):
        missing.outcome()


def test_events_interleaved_with_a_pending_list_still_reach_handlers() -> None:
    conn = Connection()
    _, pending = conn.send(Status(action_id="L"), now=0)
    stream = (
        answer("L", "Success", "EventList: start")
        + b"Event: Newchannel\r\nChannel: A\r\n\r\n"
        + b"Event: Status\r\nChannel: B\r\nActionID: L\r\n\r\n"
        + b"Event: Hangup\r\nChannel: A\r\nActionID: other\r\n\r\n"
        + b"Event: StatusComplete\r\nActionID: L\r\nEventList: Complete\r\n\r\n"
    )
    events = conn.receive(stream)
    assert [e.name for e in events] == ["Newchannel", "Hangup"]
    assert [e["Channel"] for e in pending.outcome().events] == ["B"]


def test_command_returns_its_output_lines_and_errors_keep_them() -> None:
    conn = Connection()
    _, ok = conn.send(Command("core show version", action_id="cmd-1"), now=0)
    conn.receive(server_bytes("07_command_core_show_version"))
    assert ok.outcome()[0].startswith("Asterisk 22.10.1 built by root")
    conn = Connection()
    _, bad = conn.send(Command("no such cli command", action_id="cmd-3"), now=0)
    conn.receive(server_bytes("08b_command_unknown_cli"))
    with pytest.raises(ActionError, match="No such command") as info:
        bad.outcome()
    assert info.value.response.output[0].startswith("No such command")


def test_legacy_follows_command_output() -> None:
    conn = Connection()
    _, pending = conn.send(Command("sip show peers", action_id="7"), now=0)
    conn.receive(
        b"Asterisk Call Manager/1.1\r\nResponse: Follows\r\nPrivilege: Command\r\n"
        b"ActionID: 7\r\nName/username    Host\n\n1 sip peers--END COMMAND--\r\n\r\n"
    )
    assert pending.outcome() == ["Name/username    Host", "", "1 sip peers"]


def test_failed_login_raises_authentication_error() -> None:
    conn = Connection()
    _, pending = conn.send(Login("admin", "wrongsecret", action_id="bad-login"), now=0)
    conn.receive(server_bytes("02_login_failure"))
    conn.receive_eof()
    with pytest.raises(AuthenticationError, match="Authentication failed"):
        pending.outcome()


def test_timeouts_fire_and_late_answers_are_dropped() -> None:
    conn = Connection(default_timeout=5)
    _, slow = conn.send(Ping(), now=100)
    _, patient = conn.send(Ping(timeout=60), now=100)
    assert conn.next_deadline() == 105
    conn.expire(104.9)
    assert not slow.done
    conn.expire(105)
    with pytest.raises(ActionTimeout, match="within 5 s"):
        slow.outcome()
    assert not patient.done
    assert conn.receive(answer(slow.action_id, "Success")) == []  # late: dropped quietly
    assert conn.next_deadline() == 160


def test_disconnect_mid_response_fails_everything_pending() -> None:
    conn = Connection()
    _, first = conn.send(Status(action_id="st-1"), now=0)
    _, second = conn.send(Ping(), now=0)
    data = server_bytes("10_status")
    conn.receive(data[: len(data) // 2])
    conn.receive_eof()
    for pending in (first, second):
        with pytest.raises(ConnectionLost, match="unfinished"):
            pending.outcome()
    with pytest.raises(ClientClosed):
        conn.send(Ping(), now=0)


def test_goodbye_marks_logoff() -> None:
    conn = Connection()
    _, pending = conn.send(Logoff(action_id="logoff-1"), now=0)
    conn.receive(server_bytes("19_logoff"))
    assert pending.outcome().status == "Goodbye" and conn.logged_off
    conn.receive_eof()


def test_oversized_message_is_a_protocol_error_that_fails_pending_actions() -> None:
    conn = Connection(max_message_size=1000)
    _, pending = conn.send(Ping(), now=0)
    with pytest.raises(ProtocolError):
        conn.receive(b"Event: Big\r\nData: " + b"x" * 2000)
    with pytest.raises(ConnectionLost, match="protocol error"):
        pending.outcome()


def test_a_result_hook_that_breaks_becomes_a_protocol_error() -> None:
    class Fragile(Action):
        def result(self, response: Response) -> Response:
            raise KeyError("Value")

    conn = Connection()
    _, pending = conn.send(Fragile("Getvar"), now=0)
    conn.receive(answer(pending.action_id, "Success"))
    with pytest.raises(ProtocolError, match="could not interpret"):
        pending.outcome()


def test_originate_events_flow_after_the_response() -> None:
    conn = Connection()
    _, pending = conn.send(Action("Originate", action_id="orig-2"), now=0)
    events = conn.receive(server_bytes("12c_originate_async_failure"))
    assert pending.outcome().message == "Originate successfully queued"
    originate = [e for e in events if e.name == "OriginateResponse"]
    assert len(originate) == 1 and isinstance(originate[0], Event)
    assert originate[0]["Reason"] == "0"


def test_abandoned_action_ids_stay_reserved_until_their_late_answer_ends() -> None:
    conn = Connection(greeting=False)
    _, late = conn.send(Status(action_id="job", timeout=1.0), now=0)
    conn.expire(1.0)
    assert isinstance(late.error, ActionTimeout)
    with pytest.raises(ValueError, match="reserved"):
        conn.send(Ping(action_id="job"), now=1)
    # the late list answer and its items are dropped, not dispatched as events
    events = conn.receive(
        answer("job", "Success", "EventList: start")
        + b"Event: Status\r\nActionID: job\r\n\r\n"
        + b"Event: StatusComplete\r\nEventList: Complete\r\nActionID: job\r\n\r\n"
        + b"Event: Other\r\nActionID: job\r\n\r\n"
    )
    assert [e.name for e in events] == ["Other"]
    _, again = conn.send(Ping(action_id="job"), now=2)  # the list ended: the ID is free
    conn.receive(answer("job", "Success", "Ping: Pong"))
    assert again.outcome()["Ping"] == "Pong"


def test_cancelled_action_id_is_freed_by_its_late_plain_answer() -> None:
    conn = Connection(greeting=False)
    _, gone = conn.send(Ping(action_id="p"), now=0)
    conn.cancel(gone)
    assert not gone.done and conn.pending_count == 0
    with pytest.raises(ValueError):
        conn.send(Ping(action_id="p"), now=0)
    conn.receive(answer("p", "Success"))
    _, again = conn.send(Ping(action_id="p"), now=0)
    assert not again.done

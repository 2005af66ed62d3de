"""The sans-IO connection: ActionID matching, list assembly (modern ``EventList`` and
Asterisk 13's unannounced lists), timeouts, abandoned IDs and disconnects.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    GetConfig,
    Login,
    Logoff,
    ManagerError,
    Ping,
    ProtocolError,
    QueueStatus,
    QueueSummary,
    Response,
    Status,
)

from .conftest import (
    answer_bytes,
    server_bytes,
)
from .manager_c import (
    asterisk_headers,
    astman_get_header,
)

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


def test_replies_matched_by_actionid_not_arrival_order() -> None:
    conn = Connection(greeting=False)
    _, first = conn.send(Ping(), now=0.0)
    _, second = conn.send(Action("Getvar", Variable="X"), now=0.0)
    conn.receive(answer_bytes(second.action_id, extra=b"Value: two\r\n"))
    assert second.done and not first.done
    assert second.outcome()["Value"] == "two"
    conn.receive(b"Response: Success\r\nPing: Pong\r\n\r\n")  # no ActionID: matches nothing
    assert not first.done
    conn.receive(answer_bytes(first.action_id, extra=b"Ping: Pong\r\n"))
    assert first.outcome()["Ping"] == "Pong"


def test_goodbye_then_eof_fails_others_cleanly() -> None:
    conn = Connection(greeting=False)
    _, ping = conn.send(Ping(), now=0.0)
    _, bye = conn.send(Logoff(), now=0.0)
    conn.receive(answer_bytes(bye.action_id, "Goodbye", b"Message: Thanks for all the fish.\r\n"))
    assert bye.outcome().status == "Goodbye" and conn.logged_off
    conn.receive_eof()
    with pytest.raises(ConnectionLost):
        ping.outcome()


def test_duplicate_actionid_is_refused_not_misrouted() -> None:
    conn = Connection(greeting=False)
    conn.send(Ping(action_id="same"), now=0.0)
    with pytest.raises(ValueError):
        conn.send(Ping(action_id="same"), now=0.0)
    assert conn.pending_count == 1


def test_actionid_with_leading_blank_still_gets_its_reply() -> None:
    conn = Connection(greeting=False)
    try:
        data, pending = conn.send(Ping(action_id="  x"), now=0.0)
    except ValueError:
        return  # refusing it is fine
    echoed = astman_get_header(asterisk_headers(data), "ActionID")
    conn.receive(answer_bytes(echoed, extra=b"Ping: Pong\r\n"))
    assert pending.done


def test_unusable_answer_becomes_library_error() -> None:
    conn = Connection(greeting=False)
    _, pending = conn.send(GetConfig("x.conf"), now=0.0)
    conn.receive(answer_bytes(pending.action_id, "Error", b"Message: Config file not found\r\n"))
    with pytest.raises(ActionError):
        pending.outcome()


def test_long_action_id_is_refused_or_still_matched() -> None:
    from pyst.manager import CoreSettings

    conn = Connection(greeting=False)
    try:
        _, pending = conn.send(CoreSettings(action_id="x" * 200), now=0.0)
    except (ValueError, ManagerError):
        return
    id_text = f"ActionID: {pending.action_id}\r\n".encode()[:149]  # snprintf into idText[150]
    conn.receive(
        b"Response: Success\r\n" + id_text + b"AMIversion: 11.0.0\r\n"
        b"AsteriskVersion: 22.10.1\r\nSystemName: \r\n\r\n"
    )
    assert pending.done


def test_late_answer_to_timed_out_action_is_not_given_to_a_reuse_of_its_id() -> None:
    conn = Connection(greeting=False)
    _, first = conn.send(Action("Getvar", Variable="OLD", action_id="job-1", timeout=1.0), now=0.0)
    conn.expire(1.0)
    assert isinstance(first.error, ActionTimeout)
    try:
        _, second = conn.send(Action("Getvar", Variable="NEW", action_id="job-1"), now=1.0)
    except (ValueError, ManagerError):
        return  # refusing the reuse is fine
    # a late answer, for `first`
    conn.receive(answer_bytes("job-1", extra=b"Variable: OLD\r\nValue: old\r\n"))
    assert not second.done or second.outcome()["Variable"] == "NEW"


def test_status_list_with_actionid_last_resolves_to_one_result() -> None:
    raw = server_bytes("10_status")
    conn = Connection(greeting=False)
    # the recorded ActionID (st-1) is the *last* header of every Status event
    _, pending = conn.send(Status(action_id="st-1"), now=0.0)
    dispatched = []
    for i in range(0, len(raw), 5):
        dispatched += conn.receive(raw[i : i + 5])
    assert pending.done and not dispatched
    result = pending.outcome()
    assert result.events and all(e.name == "Status" for e in result.events)
    assert all(e.action_id == "st-1" for e in result.events)
    assert result.complete is not None and result.complete.name == "StatusComplete"


def test_interleaved_lists_are_assembled_per_actionid() -> None:
    conn = Connection(greeting=False)
    _, a = conn.send(Status(), now=0.0)
    _, b = conn.send(Action("CoreShowChannels"), now=0.0)
    ida, idb = a.action_id.encode(), b.action_id.encode()
    stream = (
        answer_bytes(a.action_id, extra=b"EventList: start\r\n")
        + answer_bytes(b.action_id, extra=b"EventList: start\r\n")
        + b"Event: Status\r\nChannel: A1\r\nActionID: "
        + ida
        + b"\r\n\r\n"
        + b"Event: CoreShowChannel\r\nChannel: B1\r\nActionID: "
        + idb
        + b"\r\n\r\n"
        + b"Event: Newchannel\r\nChannel: Z\r\n\r\n"
        + b"Event: CoreShowChannelsComplete\r\nEventList: Complete\r\nActionID: "
        + idb
        + b"\r\n\r\n"
        + b"Event: Status\r\nChannel: A2\r\nActionID: "
        + ida
        + b"\r\n\r\n"
        + b"Event: StatusComplete\r\nActionID: "
        + ida
        + b"\r\nEventList: Complete\r\n\r\n"
    )
    events = []
    for i in range(0, len(stream), 3):
        events += conn.receive(stream[i : i + 3])
    assert [e["Channel"] for e in a.outcome().events] == ["A1", "A2"]
    assert [e["Channel"] for e in b.outcome().events] == ["B1"]
    assert [e.name for e in events] == ["Newchannel"]


def test_eof_mid_list_fails_with_connection_lost_and_keeps_nothing_waiting() -> None:
    conn = Connection(greeting=False)
    _, a = conn.send(Status(), now=0.0)
    _, p = conn.send(Ping(), now=0.0)
    conn.receive(answer_bytes(a.action_id, extra=b"EventList: start\r\n"))
    conn.receive(b"Event: Status\r\nActionID: " + a.action_id.encode() + b"\r\nChan")
    conn.receive_eof()
    for pending in (a, p):
        assert pending.done
        with pytest.raises(ConnectionLost):
            pending.outcome()
    assert conn.pending_count == 0


def test_list_without_complete_times_out() -> None:
    conn = Connection(greeting=False, default_timeout=1.0)
    _, a = conn.send(Status(), now=0.0)
    conn.receive(answer_bytes(a.action_id, extra=b"EventList: start\r\n"))
    conn.expire(0.5)
    assert not a.done
    assert conn.next_deadline() == 1.0
    conn.expire(1.0)
    with pytest.raises(ActionTimeout):
        a.outcome()


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.randoms(use_true_random=False), st.integers(1, 6), st.integers(1, 40))
def test_shuffled_answers_and_list_items_always_reach_their_own_action(
    rnd: object, count: int, chunk: int
) -> None:
    import random as _random

    assert isinstance(rnd, _random.Random)
    conn = Connection(greeting=False)
    sent = []
    for n in range(count):
        if n % 2:
            _, pending = conn.send(Status(), now=0.0)
            sent.append((pending, n))
        else:
            _, pending = conn.send(Action("Getvar", Variable=f"V{n}"), now=0.0)
            sent.append((pending, None))
    # each action's own messages stay in order; actions interleave at random
    streams = []
    for pending, items in sent:
        aid = pending.action_id.encode()
        if items is None:
            msgs = [answer_bytes(pending.action_id, extra=b"Value: " + aid + b"\r\n")]
        else:
            msgs = [answer_bytes(pending.action_id, extra=b"EventList: start\r\n")]
            msgs += [
                b"Event: Status\r\nItem: " + str(i).encode() + b"\r\nActionID: " + aid + b"\r\n\r\n"
                for i in range(items)
            ]
            msgs.append(
                b"Event: StatusComplete\r\nEventList: Complete\r\nActionID: " + aid + b"\r\n\r\n"
            )
        streams.append(msgs)
    data = b""
    while any(streams):
        stream = rnd.choice([s for s in streams if s])
        data += stream.pop(0)
        if rnd.random() < 0.2:
            data += b"Event: Noise\r\nActionID: nobody\r\n\r\n"
    for i in range(0, len(data), chunk):
        for event in conn.receive(data[i : i + chunk]):
            assert event.name == "Noise"
    for pending, items in sent:
        result = pending.outcome()
        if items is None:
            assert result["Value"] == pending.action_id
        else:
            assert [e["Item"] for e in result.events] == [str(i) for i in range(items)]
            assert all(e.action_id == pending.action_id for e in result.events)
    assert conn.pending_count == 0


def test_list_item_for_abandoned_id_freed_only_at_complete() -> None:
    conn = Connection(greeting=False)
    from pyst.manager import Status

    _, first = conn.send(Status(action_id="L1", timeout=1), now=0.0)
    conn.receive(b"Response: Success\r\nActionID: L1\r\nEventList: start\r\n\r\n")
    conn.expire(5.0)
    assert first.done
    with pytest.raises(ValueError):
        conn.send(Status(action_id="L1"), now=5.0)
    events = conn.receive(b"Event: Status\r\nActionID: L1\r\nChannel: a\r\n\r\n")
    assert events == []
    conn.receive(b"Event: StatusComplete\r\nActionID: L1\r\nEventList: Complete\r\n\r\n")
    _, again = conn.send(Status(action_id="L1"), now=6.0)
    assert not again.done


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

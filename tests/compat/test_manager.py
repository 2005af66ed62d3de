"""pyst.compat.manager: pyst 0.x's Manager over the sync client, against the fake AMI server."""

from __future__ import annotations

import errno
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pyst import manager as new_manager
from pyst.compat.manager import (
    Event,
    Manager,
    ManagerAuthException,
    ManagerException,
    ManagerMsg,
    ManagerSocketException,
)
from pyst.manager.testing import FakeAMIServer, Reply


def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.005)


@pytest.fixture
def server() -> Iterator[FakeAMIServer]:
    with FakeAMIServer(username="admin", secret="pw") as fake:
        yield fake


@pytest.fixture
def manager(server: FakeAMIServer) -> Iterator[Manager]:
    ami = Manager(timeout=5)
    ami.connect(*server.address)
    ami.login("admin", "pw")
    yield ami
    ami.close()


def sent(server: FakeAMIServer, name: str) -> list[list[tuple[str, str]]]:
    """The headers (without ActionID) of every action ``name`` the server received."""
    return [
        [(k, v) for k, v in action.headers.items() if k != "ActionID"]
        for action in server.actions
        if action.get("Action") == name
    ]


def test_exception_hierarchy() -> None:
    assert issubclass(ManagerSocketException, ManagerException)
    assert issubclass(ManagerAuthException, ManagerException)
    assert issubclass(ManagerException, new_manager.ManagerError)


def test_connect_returns_the_greeting(server: FakeAMIServer) -> None:
    ami = Manager()
    try:
        greeting = ami.connect(*server.address)
        assert greeting.get_header("Response") == "Generated Header"
        assert greeting.data == "Asterisk Call Manager/11.0.0\r\n"
        assert (ami.title, ami.version) == ("Asterisk Call Manager", "11.0.0")
        assert ami.connected()
        with pytest.raises(ManagerException, match="Already connected"):
            ami.connect(*server.address)
    finally:
        ami.close()
    assert not ami.connected()


def test_connect_failure_unpacks_as_errno_and_reason() -> None:
    with socket.create_server(("127.0.0.1", 0)) as unused:
        port = unused.getsockname()[1]
    with pytest.raises(ManagerSocketException) as raised:
        Manager().connect("127.0.0.1", port)
    code, reason = raised.value
    assert code == errno.ECONNREFUSED
    assert "127.0.0.1" in reason


def test_login(server: FakeAMIServer) -> None:
    ami = Manager()
    ami.connect(*server.address)
    try:
        with pytest.raises(ManagerAuthException, match="Authentication failed"):
            ami.login("admin", "wrong")
    finally:
        ami.close()
    ami = Manager()
    ami.connect(*server.address)
    try:
        response = ami.login("admin", "pw")
        assert response.get_header("Response") == "Success"
        assert response["Message"] == "Authentication accepted"
        assert repr(response) == "Success"
    finally:
        ami.close()


def test_send_action_needs_a_connection() -> None:
    with pytest.raises(ManagerException, match="Not connected"):
        Manager().send_action({"Action": "Ping"})


def test_error_responses_are_returned_not_raised(manager: Manager) -> None:
    response = manager.send_action({"Action": "NoSuchThing"})
    assert response.get_header("Response") == "Error"
    assert "Invalid/unknown command" in (response.get_header("Message") or "")


def test_message_headers_like_a_dict(server: FakeAMIServer, manager: Manager) -> None:
    server.respond("Getvar", Reply([("Variable", "A"), ("Value", " x "), ("Variable", "B")]))
    response = manager.send_action({"Action": "Getvar", "Variable": "A"})
    assert response.has_header("Value") and not response.has_header("value")
    assert response.get_header("Value") == "x"  # blanks trimmed, as in 0.x
    assert response.get_header("Nope") is None
    assert response.get_header("Nope", "dflt") == "dflt"
    assert response.get_header("Variable") == "B"  # the last of a repeated header
    assert response.multiheaders["Variable"] == ["A", "B"]
    with pytest.raises(KeyError):
        response["Nope"]
    assert response.response[0] == "Response: Success\r\n"


def test_send_action_headers(server: FakeAMIServer, manager: Manager) -> None:
    manager.send_action(
        {"Action": "Originate", "Variable": ["a=1", "b=2"]}, Channel="PJSIP/1", Priority=1
    )
    assert sent(server, "Originate") == [
        [
            ("Action", "Originate"),
            ("Variable", "a=1"),
            ("Variable", "b=2"),
            ("Channel", "PJSIP/1"),
            ("Priority", "1"),
        ]
    ]
    response = manager.send_action({"Action": "Ping", "ActionID": "mine-1"})
    assert response.get_header("ActionID") == "mine-1"


def test_header_injection_is_refused(server: FakeAMIServer, manager: Manager) -> None:
    with pytest.raises(ManagerException):
        manager.send_action({"Action": "Setvar", "Value": "x\r\nAction: Hangup"})
    assert sent(server, "Setvar") == [] and sent(server, "Hangup") == []


def test_command_output_is_data(server: FakeAMIServer, manager: Manager) -> None:
    server.respond("Command", Reply([("Output", "Channel  State"), ("Output", "1 active call")]))
    response = manager.command("core show channels")
    assert response.data == "Channel  State\n1 active call"
    assert sent(server, "Command") == [[("Action", "Command"), ("Command", "core show channels")]]


def test_legacy_command_body_is_data(server: FakeAMIServer, manager: Manager) -> None:
    body = "Channel   Location   State\nlcr/556   s@in:9     Up   \n--END COMMAND--\r\n"

    def legacy(action: Any, session: Any) -> Reply:
        head = f"Response: Follows\r\nPrivilege: Command\r\nActionID: {action.get('ActionID')}\r\n"
        return Reply(raw=(head + body + "\r\n").encode())

    server.on("Command", legacy)
    response = manager.command("core show channels")
    assert response.get_header("Response") == "Follows"
    assert response.data == body


def test_actions_send_0x_headers(server: FakeAMIServer, manager: Manager) -> None:
    manager.ping()
    manager.hangup("PJSIP/1")
    manager.status()
    manager.redirect("PJSIP/1", "200", context="out", extra_channel="PJSIP/2")
    manager.mailbox_status("100@default")
    manager.mailbox_count("100@default")
    manager.extension_state("100", "default")
    manager.playdtmf("PJSIP/1", "5")
    manager.absolute_timeout("PJSIP/1", 30)
    manager.sippeers()
    manager.sipshowpeer("100")
    names = [a.get("Action") for a in server.actions if a.get("Action") != "Login"]
    assert names == [
        "Ping",
        "Hangup",
        "Status",
        "Redirect",
        "MailboxStatus",
        "MailboxCount",
        "ExtensionState",
        "PlayDTMF",
        "AbsoluteTimeout",
        "Sippeers",
        "SIPshowpeer",
    ]
    assert sent(server, "Status") == [[("Action", "Status"), ("Channel", "")]]
    assert sent(server, "Redirect") == [
        [
            ("Action", "Redirect"),
            ("Channel", "PJSIP/1"),
            ("Exten", "200"),
            ("Priority", "1"),
            ("Context", "out"),
            ("ExtraChannel", "PJSIP/2"),
        ]
    ]
    assert sent(server, "AbsoluteTimeout")[0][-1] == ("Timeout", "30")


def test_originate(server: FakeAMIServer, manager: Manager) -> None:
    manager.originate(
        "PJSIP/100",
        "200",
        context="default",
        priority="1",
        timeout=30000,
        caller_id="Desk <100>",
        run_async=True,
        account="acc",
        variables={"A": "1", "B": "x,y"},
    )
    headers = dict(sent(server, "Originate")[0])
    assert headers["Channel"] == "PJSIP/100" and headers["Exten"] == "200"
    assert headers["Context"] == "default" and headers["Priority"] == "1"
    assert headers["Timeout"] == "30000" and headers["CallerID"] == "Desk <100>"
    assert headers["Account"] == "acc" and headers["Async"] in ("true", "yes")
    variables = [v for k, v in sent(server, "Originate")[0] if k == "Variable"]
    assert variables == ["A=1", "B=x\\,y"]  # the comma no longer splits the value


def test_callbacks_get_event_and_manager(server: FakeAMIServer, manager: Manager) -> None:
    seen: list[tuple[str, str, object]] = []
    done = threading.Event()

    def on_hangup(event: Event, ami: Manager) -> None:
        seen.append(("Hangup", event.name, ami))

    def stop_here(event: Event, ami: Manager) -> bool:
        seen.append(("stop", event.name, event.get_action_id()))
        return True

    def anything(event: Event, ami: Manager) -> None:
        seen.append(("*", event.name, event.get_header("Channel")))
        if event.name == "Done":
            done.set()

    manager.register_event("Hangup", on_hangup)
    manager.register_event("Newchannel", stop_here)
    manager.register_event("*", anything)
    server.push_event({"Event": "Hangup", "Channel": "PJSIP/1"})
    server.push_event({"Event": "Newchannel", "Channel": "PJSIP/2"})
    server.push_event({"Event": "Done"})
    assert done.wait(5)
    assert seen == [
        ("Hangup", "Hangup", manager),
        ("*", "Hangup", "PJSIP/1"),
        ("stop", "Newchannel", 0),
        ("*", "Done", None),
    ]
    manager.unregister_event("*", anything)
    with pytest.raises(ValueError):
        manager.unregister_event("*", anything)


def test_failing_callback_does_not_stop_dispatch(
    server: FakeAMIServer, manager: Manager, caplog: pytest.LogCaptureFixture
) -> None:
    got: list[str] = []

    def broken(event: Event, ami: Manager) -> None:
        raise RuntimeError("boom")

    manager.register_event("*", broken)
    manager.register_event("*", lambda event, ami: got.append(event.name))
    server.push_event({"Event": "One"})
    server.push_event({"Event": "Two"})
    wait_for(lambda: got == ["One", "Two"])
    assert "boom" in caplog.text


def test_list_answer_items_reach_the_callbacks(server: FakeAMIServer, manager: Manager) -> None:
    server.respond(
        "Status",
        Reply(events=[{"Event": "Status", "Channel": "PJSIP/1"}], list_events=True),
    )
    events: list[Event] = []
    manager.register_event("*", lambda event, ami: events.append(event))
    response = manager.status()
    assert response.get_header("EventList") == "start"
    wait_for(lambda: len(events) == 2)
    assert [e.name for e in events] == ["Status", "StatusComplete"]
    assert events[0].get_action_id() == response.get_header("ActionID")


def test_callback_may_send_actions(server: FakeAMIServer, manager: Manager) -> None:
    answers: list[str | None] = []
    manager.register_event(
        "Newchannel", lambda event, ami: answers.append(ami.ping().get_header("Ping"))
    )
    server.push_event({"Event": "Newchannel"})
    wait_for(lambda: answers == ["Pong"])


def test_logoff_then_close_sends_one_logoff(server: FakeAMIServer) -> None:
    ami = Manager()
    ami.connect(*server.address)
    ami.login("admin", "pw")
    assert ami.logoff().get_header("Response") == "Goodbye"
    ami.close()
    ami.close()
    assert len(sent(server, "Logoff")) == 1
    assert not ami.connected()
    assert not ami.message_thread.is_alive()  # type: ignore[union-attr]
    assert not ami.event_dispatch_thread.is_alive()  # type: ignore[union-attr]


def test_close_logs_off(server: FakeAMIServer) -> None:
    ami = Manager()
    ami.connect(*server.address)
    ami.login("admin", "pw")
    ami.close()
    assert len(sent(server, "Logoff")) == 1


def test_close_from_a_callback(server: FakeAMIServer) -> None:
    ami = Manager()
    ami.connect(*server.address)
    ami.login("admin", "pw")
    closed = threading.Event()

    def on_shutdown(event: Event, manager: Manager) -> None:
        manager.close()
        closed.set()

    ami.register_event("Shutdown", on_shutdown)
    server.push_event({"Event": "Shutdown"})
    assert closed.wait(5)
    assert not ami.connected()
    assert len(sent(server, "Logoff")) == 1
    ami.event_dispatch_thread.join(5)  # type: ignore[union-attr]
    assert not ami.event_dispatch_thread.is_alive()  # type: ignore[union-attr]


def test_lost_connection(server: FakeAMIServer, manager: Manager) -> None:
    server.disconnect_all()
    wait_for(lambda: not manager.connected())
    with pytest.raises(ManagerException):
        manager.ping()


def test_next_seq_counts() -> None:
    ami = Manager()
    assert [ami.next_seq(), ami.next_seq(), ami.next_seq()] == [0, 1, 2]


def test_manager_msg_from_raw_lines() -> None:
    message = ManagerMsg(
        [
            "Response: Follows\r\n",
            "Privilege: Command\r\n",
            "No colon here\n",
            "--END COMMAND--\r\n",
        ]
    )
    assert message.headers == {"Response": "Follows", "Privilege": "Command"}
    assert message.data == "No colon here\n--END COMMAND--\r\n"
    clueless = ManagerMsg(["some output\n", "--END COMMAND--\r\n"])
    assert clueless.get_header("Event") == "NoClue"
    event = Event(clueless)
    assert event.name == "NoClue" and repr(event) == "NoClue"
    assert ManagerMsg(["ActionID: 5\r\n"]).get_header("Response") == "Generated Header"
    with pytest.raises(ManagerException):
        Event(ManagerMsg(["Response: Success\r\n"]))


def test_connect_again_after_a_lost_connection(server: FakeAMIServer) -> None:
    ami = Manager(timeout=5)
    ami.connect(*server.address)
    ami.login("admin", "pw")
    first = ami.client
    server.disconnect_all()
    wait_for(lambda: not ami.connected())
    try:
        ami.connect(*server.address)
        ami.login("admin", "pw")
        assert ami.ping().get_header("Ping") == "Pong"
        assert ami.client is not first
    finally:
        ami.close()

"""The blocking client against the fake server: login, events, faults, reconnect, TLS."""

from __future__ import annotations

import logging
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest

from pyst.manager import (
    Action,
    ActionError,
    ActionTimeout,
    AuthenticationError,
    ClientClosed,
    Command,
    ConnectionLost,
    Event,
    GetConfig,
    Logoff,
    ManagerClient,
    ManagerError,
    Ping,
    Reconnect,
    Status,
)
from pyst.manager.testing import FakeAMIServer, Reply

from .conftest import (
    non_reading_server,
)

SECRET = "s3cr3t-value"


@pytest.fixture
def server() -> FakeAMIServer:
    with FakeAMIServer(username="admin", secret=SECRET) as fake:
        yield fake  # type: ignore[misc]


def client_for(server: FakeAMIServer, **options: object) -> ManagerClient:
    return ManagerClient(*server.address, username="admin", secret=SECRET, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("auth", ["plain", "md5"])
def test_login_ping_and_clean_logoff(server: FakeAMIServer, auth: str) -> None:
    with client_for(server, auth=auth) as client:
        assert client.greeting is not None and client.greeting.version == "11.0.0"
        assert client.send(Ping())["Ping"] == "Pong"
    names = [a.get("Action") for a in server.actions]
    expected = ["Challenge", "Login"] if auth == "md5" else ["Login"]
    assert names == [*expected, "Ping", "Logoff"]
    if auth == "md5":
        login = server.actions[1]
        assert login.get("Secret") is None and login.get("AuthType") == "MD5"


def test_wrong_secret_raises_authentication_error(server: FakeAMIServer) -> None:
    client = ManagerClient(*server.address, username="admin", secret="wrong")
    with pytest.raises(AuthenticationError, match="Authentication failed"):
        client.connect()
    with pytest.raises(ClientClosed):
        client.send(Ping())


def test_errors_and_command_output(server: FakeAMIServer) -> None:
    server.respond(
        "Command",
        Reply([("Message", "Command output follows"), ("Output", "line 1"), ("Output", "")]),
    )
    with client_for(server) as client:
        assert client.send(Command("core show version")) == ["line 1", ""]
        with pytest.raises(ActionError, match="Invalid/unknown command"):
            client.send(Action("NoSuchAction"))


def test_list_actions_return_their_events(server: FakeAMIServer) -> None:
    items = [{"Event": "Status", "Channel": f"PJSIP/{n}"} for n in range(3)]
    server.respond("Status", Reply(events=items, list_events=True, complete="StatusComplete"))
    with client_for(server) as client:
        response = client.send(Status())
        assert [e["Channel"] for e in response.events] == ["PJSIP/0", "PJSIP/1", "PJSIP/2"]
        assert response.complete is not None and response.complete["ListItems"] == "3"


def test_getconfig_over_the_wire(server: FakeAMIServer) -> None:
    server.respond(
        "GetConfig",
        Reply(
            [
                ("Category-000000", "general"),
                ("Line-000000-000000", "context=default"),
                ("Category-000001", "t"),
                ("IsTemplate-000001", "1"),
            ]
        ),
    )
    with client_for(server) as client:
        config = client.send(GetConfig("sip.conf"))
    assert config.names() == ["general", "t"] and config.names(templates=False) == ["general"]
    general = config.category("general")
    assert general is not None and general.get("context") == "default"


def test_subscriptions_by_name_glob_and_predicate(server: FakeAMIServer) -> None:
    with client_for(server) as client:
        exact: list[str] = []
        globbed: list[str] = []
        picked: list[str] = []
        client.subscribe(lambda e: exact.append(e.name), "hangup")
        client.subscribe(lambda e: globbed.append(e.name), "New*")
        client.on(where=lambda e: e.get("Channel") == "B")(lambda e: picked.append(e.name))
        for name, channel in [("Hangup", "A"), ("Newchannel", "B"), ("Newexten", "C")]:
            server.push_event({"Event": name, "Channel": channel})
        client.send(Ping())  # events queued meanwhile; handlers have not run yet
        assert exact == globbed == picked == []
        deadline = time.monotonic() + 5
        while len(globbed) < 2 and time.monotonic() < deadline:
            client.process_events(0.05)
        assert exact == ["Hangup"]
        assert globbed == ["Newchannel", "Newexten"]
        assert picked == ["Newchannel"]


def test_a_handler_that_always_raises_does_not_stop_delivery(
    server: FakeAMIServer, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[str] = []

    def broken(event: Event) -> None:
        raise RuntimeError("handler bug")

    with client_for(server) as client:
        client.subscribe(broken)
        client.subscribe(lambda e: seen.append(e["N"]), "Tick")
        server.push_raw(b"".join(b"Event: Tick\r\nN: %d\r\n\r\n" % n for n in range(200)))
        events = list(client.events("Tick", timeout=0.3))
        assert [e["N"] for e in events] == [str(n) for n in range(200)]
        assert seen == [str(n) for n in range(200)]
        assert client.send(Ping()).ok
    failures = [r for r in caplog.records if r.exc_info and "delivery continues" in r.getMessage()]
    assert len(failures) == 200


def test_server_silence_times_out_and_the_session_stays_usable(server: FakeAMIServer) -> None:
    server.respond("Getvar")  # never answers
    with client_for(server, timeout=0.3) as client:
        started = time.monotonic()
        with pytest.raises(ActionTimeout, match="Getvar"):
            client.send(Action("Getvar", Variable="X"))
        assert time.monotonic() - started >= 0.3
        assert client.send(Ping(timeout=5)).ok


def test_slow_reply_within_timeout(server: FakeAMIServer) -> None:
    server.respond("Getvar", Reply({"Value": "late"}, delay=0.2))
    with client_for(server) as client:
        assert client.send(Action("Getvar", Variable="X"))["Value"] == "late"


def test_disconnect_mid_response_fails_the_action(server: FakeAMIServer) -> None:
    server.respond(
        "Status", Reply(raw=b"Response: Success\r\nEventList: start\r\nMess", close=True)
    )
    with client_for(server) as client:
        with pytest.raises(ConnectionLost):
            client.send(Status())
        with pytest.raises(ConnectionLost, match="lost"):
            client.send(Ping())


def test_reconnect_logs_in_again_and_reapplies_filters(server: FakeAMIServer) -> None:
    fast = Reconnect(initial_delay=0.01, max_delay=0.05, max_attempts=50)
    with client_for(server, reconnect=fast) as client:
        client.add_filter("Event: Hangup")
        server.respond("Getvar")  # silent, so the action is pending at the disconnect
        server.on("Getvar", lambda action, session: session.close())
        with pytest.raises(ConnectionLost):
            client.send(Action("Getvar", Variable="X"))
        assert client.send(Ping()).ok  # reconnected first
        names = [a.get("Action") for a in server.actions]
        assert names.count("Login") == 2 and names.count("Filter") == 2
        assert client.filters == ("Event: Hangup",)
        assert server.connections == 2


def test_logoff_then_close_in_a_tight_loop(server: FakeAMIServer) -> None:
    for n in range(1000):
        client = client_for(server, events=False)
        client.connect()
        if n % 2:
            assert client.send(Logoff()).status == "Goodbye"
        client.close()
        client.close()
        assert not client.connected
    assert server.connections == 1000


def test_flood_of_events_with_a_slow_handler_keeps_memory_bounded_and_replies_flowing(
    server: FakeAMIServer,
) -> None:
    handled = 0

    def slow(event: Event) -> None:
        nonlocal handled
        handled += 1
        time.sleep(0.001)

    flood = b"".join(b"Event: Tick\r\nN: %d\r\n\r\n" % n for n in range(100_000))
    with client_for(server, queue_size=1000) as client:
        client.subscribe(slow, "Tick")
        server.push_raw(flood)
        for _ in range(20):
            assert client.send(Ping(timeout=10)).ok
            assert len(client._buffer) <= 1000
            client.process_events(0.0)
        deadline = time.monotonic() + 20
        while handled + client.dropped_events < 100_000 and time.monotonic() < deadline:
            assert client.send(Ping(timeout=10)).ok
            assert len(client._buffer) <= 1000
        client.process_events(0)
    assert handled + client.dropped_events == 100_000
    assert client.dropped_events > 0 and handled >= 1000


def test_secrets_stay_out_of_logs_and_reprs(
    server: FakeAMIServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = client_for(server, auth="plain")
    with client:
        client.send(Ping())
        text = repr(client)
    assert SECRET not in text and SECRET not in caplog.text


def _certificate(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return key, cert


def test_tls_with_an_ssl_context(tmp_path: Path) -> None:
    key, cert = _certificate(tmp_path)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    client_context = ssl.create_default_context(cafile=str(cert))
    with FakeAMIServer(username="admin", secret=SECRET, ssl_context=server_context) as fake:
        options = {"ssl_context": client_context, "server_hostname": "localhost"}
        with client_for(fake, **options) as client:
            assert client.send(Ping()).ok
        with pytest.raises(ConnectionLost):
            client_for(fake, connect_timeout=0.5).connect()  # plain TCP to a TLS port


def test_process_events_resumes_a_slow_relogin_without_blocking(server: FakeAMIServer) -> None:
    fast = Reconnect(initial_delay=0.01, max_attempts=5)
    with client_for(server, reconnect=fast, timeout=3) as client:
        client.add_filter("Event: Hangup")
        server.respond("Filter", Reply(delay=0.4))  # the re-applied filter answers slowly
        server.disconnect_all()
        calls, start = 0, time.monotonic()
        while time.monotonic() - start < 3:
            before = time.monotonic()
            client.process_events(0.05)
            assert time.monotonic() - before < 0.3
            calls += 1
            filters = [a for a in server.actions if a.get("Action") == "Filter"]
            if client.connected and len(filters) == 2:
                break
        assert client.connected and calls > 4  # the login went on across several calls
        assert client.send(Ping()).ok


def test_send_gives_up_within_its_timeout_while_the_server_is_down() -> None:
    server = FakeAMIServer(username="admin", secret=SECRET).start()
    client = client_for(server, timeout=0.3, reconnect=Reconnect(initial_delay=0.05, factor=1))
    try:
        client.connect()
        server.stop()
        server.disconnect_all()
        start = time.monotonic()
        with pytest.raises(ConnectionLost):
            client.send(Ping())  # fails on the dead socket
        with pytest.raises(ConnectionLost, match="still trying"):
            client.send(Ping())  # reconnect attempts within the action's timeout
        assert time.monotonic() - start < 1.5
    finally:
        client.close()
        server.stop()


def test_no_reconnect_after_own_logoff_and_a_clear_error(server: FakeAMIServer) -> None:
    with client_for(server, reconnect=Reconnect(initial_delay=0.01)) as client:
        assert client.send(Logoff()).status == "Goodbye"
        with pytest.raises(ConnectionLost, match="Logoff"):
            for _ in range(50):
                client.process_events(0.02)
        client.connect()  # a new session on request
        assert client.send(Ping()).ok
    assert [a.get("Action") for a in server.actions].count("Login") == 2


def _mid_list_then_close(action: object, session: object) -> Reply:
    action_id = (action.get("ActionID") or "").encode()  # type: ignore[attr-defined]
    return Reply(
        raw=b"Response: Success\r\nActionID: " + action_id + b"\r\nEventList: start\r\n\r\n"
        b"Event: Status\r\nChannel: PJSIP/1\r\nActionID: " + action_id + b"\r\n\r\n"
        b"Event: Status\r\nChan",
        close=True,
    )


def test_sync_disconnect_mid_list_fails_pending_with_connection_lost() -> None:
    with FakeAMIServer(username="u", secret="p") as server:
        server.on("Status", _mid_list_then_close)
        with ManagerClient(*server.address, username="u", secret="p", timeout=3) as ami:
            start = time.monotonic()
            with pytest.raises(ConnectionLost):
                ami.send(Status())
            assert time.monotonic() - start < 2
            with pytest.raises(ConnectionLost):
                ami.send(Ping())  # no reconnect configured: a clear error, not a hang


def test_sync_md5_login_and_command_output() -> None:
    with FakeAMIServer(username="u", secret="p") as server:
        server.respond(
            "Command",
            Reply(
                [
                    ("Message", "Command output follows"),
                    ("Output", "Asterisk 22"),
                    ("Output", ""),
                    ("Output", "x: y"),
                ]
            ),
        )
        with ManagerClient(*server.address, username="u", secret="p", auth="md5", timeout=3) as ami:
            assert ami.send(Command("core show version")) == ["Asterisk 22", "", "x: y"]
        login = next(a for a in server.actions if a.get("Action") == "Login")
        assert login.get("Secret") is None and login.get("Key")


def test_sync_send_times_out_within_budget_when_server_silent() -> None:
    with FakeAMIServer(username="u", secret="p") as server:
        server.respond("Ping")  # silent
        with ManagerClient(*server.address, username="u", secret="p", timeout=2) as ami:
            start = time.monotonic()
            cpu = time.process_time()
            with pytest.raises(ManagerError):
                ami.send(Ping(), timeout=0.4)
            assert time.monotonic() - start < 1.5
            assert time.process_time() - cpu < 0.3  # no busy loop


def test_sync_process_events_idle_is_not_a_busy_loop() -> None:
    with FakeAMIServer(username="u", secret="p") as server, ManagerClient(
        *server.address, username="u", secret="p"
    ) as ami:
        cpu = time.process_time()
        start = time.monotonic()
        ami.process_events(timeout=0.5)
        assert 0.45 <= time.monotonic() - start < 1.5
        assert time.process_time() - cpu < 0.3


def test_sync_send_timeout_holds_when_server_stops_reading() -> None:
    listener, stop = non_reading_server(hold=1.5)
    try:
        ami = ManagerClient(
            *listener.getsockname(), username="u", secret="p", events=False, timeout=2
        )
        ami.connect()
        start = time.monotonic()
        with pytest.raises(ManagerError):
            ami.send(Action("UserEvent", UserEvent="x", Data="y" * 20_000_000), timeout=0.3)
        elapsed = time.monotonic() - start
    finally:
        stop.set()
    assert elapsed < 1.0


def test_sync_send_write_bounded_by_timeout_and_half_written_stream_dropped() -> None:
    """Every line fits Asterisk's buffer, but the whole action does not fit the socket
    buffers of a server that stopped reading: send() must time out within its budget and
    drop the connection, which now holds half an action."""
    listener, stop = non_reading_server(hold=1.5)
    try:
        ami = ManagerClient(
            *listener.getsockname(), username="u", secret="p", events=False, timeout=2
        )
        ami.connect()
        assert ami._sock is not None
        ami._sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        big = Action("UserEvent", headers=[(f"H{i}", "y" * 900) for i in range(120)])
        start = time.monotonic()
        with pytest.raises(ActionTimeout):
            ami.send(big, timeout=0.3)
        assert time.monotonic() - start < 1.0
        assert not ami.connected
        with pytest.raises(ConnectionLost):
            ami.send(Ping(), timeout=0.3)
        ami.close()
    finally:
        stop.set()


def test_sync_client_timeout_changed_after_connect_is_used() -> None:
    with FakeAMIServer(username="u", secret="p") as server:
        server.respond("Getvar")  # never answers
        with ManagerClient(*server.address, username="u", secret="p", timeout=30) as ami:
            ami.timeout = 0.2
            started = time.monotonic()
            with pytest.raises(ActionTimeout):
                ami.send(Action("Getvar", Variable="X"))
            assert time.monotonic() - started < 5

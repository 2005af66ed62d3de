"""Regression tests for the fixes of the second adversarial round (beyond its own tests)."""

from __future__ import annotations

import asyncio
import re
import socket
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyst.manager import (
    Action,
    ActionTimeout,
    Append,
    AsyncManagerClient,
    ConnectionLost,
    DelCat,
    Delete,
    EmptyCat,
    Insert,
    LineTooLongError,
    ManagerClient,
    NewCat,
    Ping,
    RenameCat,
    Update,
    UpdateConfig,
    encode_action,
)
from pyst.manager._protocol import MAX_LINE_BYTES
from pyst.manager._session import Reconnect
from pyst.manager.testing import FakeAMIServer
from tests.manager.test_adversarial_2 import _strsep


def _non_reading_server(hold: float) -> tuple[socket.socket, threading.Event]:
    """Greets, accepts a plain Login, then never reads again (small receive buffer)."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    stop = threading.Event()

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.sendall(b"Asterisk Call Manager/11.0.0\r\n")
            buf = b""
            while b"\r\n\r\n" not in buf:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                buf += chunk
            match = re.search(rb"ActionID: (\S+)", buf)
            assert match is not None
            conn.sendall(
                b"Response: Success\r\nActionID: " + match.group(1)
                + b"\r\nMessage: Authentication accepted\r\n\r\n"
            )
            stop.wait(hold)
        listener.close()

    threading.Thread(target=serve, daemon=True).start()
    return listener, stop


def test_sync_send_write_bounded_by_timeout_and_half_written_stream_dropped() -> None:
    """Every line fits Asterisk's buffer, but the whole action does not fit the socket
    buffers of a server that stopped reading: send() must time out within its budget and
    drop the connection, which now holds half an action."""
    listener, stop = _non_reading_server(hold=1.5)
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


def test_line_limit_is_exactly_asterisks() -> None:
    name = "UserEvent"
    fits = "x" * (MAX_LINE_BYTES - len("Data: "))
    assert encode_action([("Action", name), ("Data", fits)])
    with pytest.raises(LineTooLongError):
        encode_action([("Action", name), ("Data", fits + "x")])
    # bytes, not characters: a two-byte character over the limit is refused
    with pytest.raises(ValueError):
        encode_action([("Action", name), ("Data", fits[:-1] + "\u00e9")])


# -- catfilter: what manager.c handle_updates + config.c does_category_match read back ----

def _manager_c_catfilter(options: str) -> list[tuple[str, str]] | None:
    catfilter: str | None = None
    rest: str | None = options
    while rest is not None:
        token, rest = _strsep(rest, ",")
        if token.startswith("catfilter"):
            _, after = _strsep(token, "=")
            if after is not None:
                catfilter, _ = _strsep(after, "=")
    if catfilter is None:
        return None
    pairs: list[tuple[str, str]] = []
    todo: str | None = catfilter
    while todo:
        item, todo = _strsep(todo, ",")
        name, value = _strsep(item, "=")
        assert value is not None
        pairs.append((name, _strsep(value, "=")[0]))
    return pairs


_ITEM = st.tuples(
    st.text(alphabet="abcXYZ09-_.()[]^$*", min_size=1, max_size=6),
    st.text(alphabet="abcXYZ09-_.()[]^$* ", max_size=6).filter(lambda s: s == s.strip()),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(_ITEM, max_size=3), st.booleans(), st.booleans())
def test_catfilter_reads_back(items: list[tuple[str, str]], templates: bool, ignore: bool) -> None:
    catfilter = ",".join(f"{n}={v}" for n, v in items) if items else None
    edit = DelCat("c", ignore_error=ignore, catfilter=catfilter, templates=templates)
    headers = dict(UpdateConfig("x.conf", [edit]).wire_headers("a"))
    expected = ([("TEMPLATES", "include")] if templates else []) + items
    options = headers.get("Options-000000")
    if not expected:
        assert options == ("ignoreerror" if ignore else None)
        return
    assert options is not None
    assert _manager_c_catfilter(options) == expected
    assert ("ignoreerror" in options.split(",")) == ignore


def test_every_category_edit_but_newcat_takes_the_filter() -> None:
    edits = [
        Update("tmpl", "a", "1", templates=True),
        Append("tmpl", "a", "1", templates=True),
        Delete("tmpl", "a", templates=True),
        Insert("tmpl", "a", "1", 0, templates=True),
        EmptyCat("tmpl", templates=True),
        DelCat("tmpl", templates=True),
        RenameCat("tmpl", "tmpl2", templates=True),
    ]
    headers = UpdateConfig("x.conf", edits).wire_headers("a")
    options = [v for k, v in headers if k.startswith("Options-")]
    assert options == ['catfilter="TEMPLATES=include"'] * len(edits)
    assert not hasattr(NewCat("n"), "catfilter")
    # positional use is unchanged: the filter fields are keyword-only
    assert Update("general", "v", "1").value == "1"


@pytest.mark.parametrize(
    "catfilter", ["TEMPLATES", "a=b=c", " a=b", "a=b ", 'a="b"', "a='b'", "a=\\b", "=b", "a=b,"]
)
def test_unreadable_catfilters_are_refused(catfilter: str) -> None:
    with pytest.raises(ValueError):
        UpdateConfig("x.conf", [Update("c", "a", "1", catfilter=catfilter)])


def test_templates_flag_and_templates_item_conflict() -> None:
    with pytest.raises(ValueError):
        UpdateConfig("x.conf", [EmptyCat("c", templates=True, catfilter="TEMPLATES=restrict")])


# -- async reconnect gives up for good, and says so -------------------------------------------


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


# -- async handlers: only the dispatcher's own cancellation stops it ------------------------


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

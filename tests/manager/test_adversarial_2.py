"""Second adversarial QA round for pyst.manager.

Correct behaviour is checked by normal tests; bugs are ``xfail(strict=True)`` with the
reason. Models of manager.c / app.c / utils.c parsing are transcribed from Asterisk's
source (main/manager.c get_input, man_do_variable_value, handle_updates; main/app.c
__ast_app_separate_args; main/utils.c ast_strsep).
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import os
import re
import socket
import tempfile
import threading
import time
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyst.config import Config
from pyst.config import read as read_config
from pyst.manager import (
    Action,
    Append,
    AsyncAGIServer,
    AsyncManagerClient,
    Decoder,
    DelCat,
    Delete,
    EmptyCat,
    ManagerClient,
    ManagerError,
    NewCat,
    Originate,
    Ping,
    RenameCat,
    Update,
    UpdateConfig,
)
from pyst.manager._config import config_from_response
from pyst.manager._connection import Connection
from pyst.manager._messages import Headers, Response
from pyst.manager._protocol import encode_action
from pyst.manager._session import Reconnect
from pyst.manager.testing import FakeAMIServer

# -- models of Asterisk's parsers ---------------------------------------------------------


def _skip_blanks(text: str) -> str:
    index = 0
    while index < len(text) and 0 < ord(text[index]) <= 32:
        index += 1
    return text[index:]


def _app_separate_args(buf: str, delim: str = ",") -> list[str]:
    """main/app.c __ast_app_separate_args with remove_chars=1."""
    chars = list(buf)
    args: list[str] = []
    paren = quote = bracket = 0
    i = 0
    current: list[str] = []
    ended_on_delim = False
    if not chars:
        return []
    while i < len(chars):
        c = chars[i]
        ended_on_delim = False
        if c == "(":
            paren += 1
            current.append(c)
        elif c == ")":
            paren = max(0, paren - 1)
            current.append(c)
        elif c == "[":
            bracket += 1
            current.append(c)
        elif c == "]":
            bracket = max(0, bracket - 1)
            current.append(c)
        elif c == '"':
            quote = 0 if quote else 1
        elif c == "\\":
            i += 1
            if i < len(chars):
                current.append(chars[i])
        elif c == delim and not paren and not quote and not bracket:
            args.append("".join(current))
            current = []
            ended_on_delim = True
        else:
            current.append(c)
        i += 1
    if current or ended_on_delim:
        args.append("".join(current))
    return args


def _manager_c_variables(header_values: list[str]) -> dict[str, str]:
    """man_do_variable_value for every Variable header (later items override)."""
    result: dict[str, str] = {}
    for raw in header_values:
        for item in _app_separate_args(_skip_blanks(raw)):
            var, eq, val = item.partition("=")
            if not eq or not var:
                continue
            result[var] = val
    return result


# AST_MAX_MANHEADERS is not the only limit: get_input() reads lines into inbuf[1025] and
# answers "Failed to parse message: line too long" for a line that does not fit.
_INBUF_MAX_LINE = 1022  # bytes of content; 1023 + CRLF never fits in 1024 readable bytes


# -- Originate variables -------------------------------------------------------------------

_VAR_TEXT = st.text(
    alphabet=st.characters(blacklist_characters="\r\n\x00", blacklist_categories=("Cs",)),
    max_size=20,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        _VAR_TEXT.filter(lambda n: n and "=" not in n),
        _VAR_TEXT,
        min_size=1,
        max_size=4,
    )
)
def test_originate_variables_read_back_by_app_separate_args_with_parens(
    variables: dict[str, str],
) -> None:
    """Brackets and parentheses also suspend comma splitting in __ast_app_separate_args;
    every variable must still arrive exactly once with its own value."""
    action = Originate("Local/1@x", application="Wait", data="1", variables=variables)
    headers = [v for k, v in action.wire_headers("a1") if k == "Variable"]
    assert _manager_c_variables(headers) == variables


def test_originate_variable_longer_than_asterisk_line_buffer_is_refused() -> None:
    with pytest.raises(ValueError):
        action = Originate(
            "Local/1@x", application="Wait", data="1", variables={"BIG": "y" * 2000}
        )
        encode_action(action.wire_headers("a1"))


def test_update_config_value_longer_than_line_buffer_is_refused() -> None:
    with pytest.raises(ValueError):
        action = UpdateConfig("extensions.conf", [Update("general", "v", "z" * 1500)])
        encode_action(action.wire_headers("a2"))


def test_short_header_lines_fit_asterisk_line_buffer() -> None:
    action = UpdateConfig("extensions.conf", [Update("general", "v", "z" * 500)])
    data = encode_action(action.wire_headers("a3"))
    assert max(len(line) for line in data.split(b"\r\n")) <= _INBUF_MAX_LINE


# -- NewCat inherit option -----------------------------------------------------------------


def _strip_quoted(text: str) -> str:
    text = text.strip(" \t")
    if len(text) >= 2 and text[0] in "'\"" and text[-1] == text[0]:
        text = text[1:-1]
    return text


def _strsep(text: str, sep: str) -> tuple[str, str | None]:
    """main/utils.c ast_strsep with AST_STRSEP_STRIP (no escapes: pyst refuses them)."""
    stack: list[str] = []
    for index, c in enumerate(text):
        if c in "'\"":
            if stack and stack[-1] == c:
                stack.pop()
            else:
                stack.append(c)
        if c == sep and not stack:
            return _strip_quoted(text[:index]), text[index + 1 :]
    return _strip_quoted(text), None


def _manager_c_inherit(options: str) -> list[str]:
    inherit: str | None = None
    rest: str | None = options
    while rest is not None:
        token, rest = _strsep(rest, ",")
        if token.startswith("inherit"):
            _, after = _strsep(token, "=")
            if after is not None:
                inherit, _ = _strsep(after, "=")
    names: list[str] = []
    todo = inherit
    while todo:
        name, todo = _strsep(todo, ",")
        names.append(name)
    return names


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.text(alphabet="abcXYZ09-_.()[] ", min_size=1, max_size=8).filter(
            lambda s: s == s.strip()
        ),
        min_size=1,
        max_size=4,
    ),
    st.booleans(),
    st.booleans(),
)
def test_newcat_inherit_options_read_back(
    templates: list[str], template: bool, dups: bool
) -> None:
    edit = NewCat("child", template=template, inherit=templates, allow_duplicates=dups)
    headers = dict(UpdateConfig("x.conf", [edit]).wire_headers("a4"))
    assert _manager_c_inherit(headers["Options-000000"]) == templates


# -- the sans-IO connection ----------------------------------------------------------------


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


# -- blocking client under silence ---------------------------------------------------------


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


# -- asyncio client ------------------------------------------------------------------------


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


# -- bugs found in this round --------------------------------------------------------------


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


def _non_reading_server(hold: float) -> tuple[socket.socket, threading.Event]:
    """A server that greets, accepts a plain Login, then never reads again."""
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


def test_sync_send_timeout_holds_when_server_stops_reading() -> None:
    listener, stop = _non_reading_server(hold=1.5)
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


def test_decoder_lf_only_stream_is_linear() -> None:
    count = 10_000
    crlf = b"".join(b"Event: E\r\nA: %d\r\n\r\n" % i for i in range(count))
    lf = crlf.replace(b"\r\n", b"\n")
    gc.disable()
    try:
        fast = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            assert len(Decoder(greeting=False).feed(crlf)) == count
            fast = min(fast, time.perf_counter() - start)
        start = time.perf_counter()
        assert len(Decoder(greeting=False).feed(lf)) == count
        slow = time.perf_counter() - start
    finally:
        gc.enable()
    assert slow < 20 * fast + 0.1


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


def test_asyncagi_server_survives_a_malformed_start_event() -> None:
    async def main() -> int:
        started: list[object] = []
        with FakeAMIServer(username="u", secret="p") as server:
            async with AsyncManagerClient(*server.address, username="u", secret="p") as ami:

                async def handler(agi: object) -> None:
                    started.append(agi)

                async with AsyncAGIServer(ami, handler):
                    server.push_event({"Event": "AsyncAGIStart", "Channel": "PJSIP/1-1"})
                    await asyncio.sleep(0.2)
                    env = quote("agi_request: async\nagi_channel: PJSIP/2-2\n\n")
                    server.push_event(
                        {"Event": "AsyncAGIStart", "Channel": "PJSIP/2-2", "Env": env}
                    )
                    for _ in range(50):
                        if started:
                            break
                        await asyncio.sleep(0.01)
        return len(started)

    assert asyncio.run(main()) == 1


# -- GetConfig agrees with pyst.config -----------------------------------------------------

_CAT_NAMES = st.sampled_from(["a", "b", "c", "T"])
_CAT_VARS = st.lists(
    st.tuples(st.sampled_from(["x", "y"]), st.sampled_from(["1", "2"])), max_size=3
)
_CATS = st.lists(
    st.tuples(_CAT_NAMES, st.booleans(), st.lists(st.integers(0, 10), max_size=2), _CAT_VARS),
    min_size=1,
    max_size=5,
)


def _render_conf(cats: list[tuple[str, bool, list[int], list[tuple[str, str]]]]) -> str:
    lines: list[str] = []
    seen: list[str] = []
    for name, template, parents, variables in cats:
        inherits = [seen[i % len(seen)] for i in parents] if seen else []
        options = (["!"] if template else []) + inherits
        lines.append(f"[{name}]" + (f"({','.join(options)})" if options else ""))
        lines.extend(f"{k} = {v}" for k, v in variables)
        seen.append(name)
    return "\n".join(lines) + "\n"


def _as_getconfig_answer(config: Config) -> Response:
    """What manager.c action_getconfig prints for ``config`` (TEMPLATES=include)."""
    headers = [("Response", "Success"), ("ActionID", "g1")]
    for i, category in enumerate(config.categories):
        headers.append((f"Category-{i:06d}", category.name))
        if category.template:
            headers.append((f"IsTemplate-{i:06d}", "1"))
        if category.inherits:
            headers.append((f"Templates-{i:06d}", ",".join(category.inherits)))
        for j, variable in enumerate(category.variables):
            headers.append((f"Line-{i:06d}-{j:06d}", f"{variable.name}={variable.value}"))
    return Response(Headers(headers))


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(_CATS)
def test_getconfig_inherited_marks_agree_with_pyst_config(
    cats: list[tuple[str, bool, list[int], list[tuple[str, str]]]],
) -> None:
    """Without (+) extensions nothing is ambiguous: the AMI view must mark exactly the
    variables pyst.config marks inherited for the same file."""
    text = _render_conf(cats)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "x.conf")
        with open(path, "w") as handle:
            handle.write(text)
        expected = read_config(path)
    if not expected.loaded:
        return
    got = config_from_response(_as_getconfig_answer(expected), "x.conf")
    assert [
        [(v.name, v.value, v.inherited) for v in c.variables] for c in got.categories
    ] == [[(v.name, v.value, v.inherited) for v in c.variables] for c in expected.categories]
    assert [(c.name, c.template, c.inherits) for c in got.categories] == [
        (c.name, c.template, c.inherits) for c in expected.categories
    ]


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


def test_edits_can_reach_template_categories() -> None:
    for edit_class in (Update, Append, Delete, EmptyCat, DelCat, RenameCat):
        names = {f.name for f in dataclasses.fields(edit_class)}
        assert names & {"options", "catfilter", "templates"}, edit_class.__name__

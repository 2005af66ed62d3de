"""Adversarial tests for pyst.manager: real Asterisk 22 output, hostile chunking, header
injection, reply matching, list assembly, disconnects, secrets, and config over AMI.

Authorities: the recorded Asterisk 22.10.1 exchanges in /work/shared/asterisk/captures/ami/
and Asterisk's main/manager.c (action parsing: ``get_input``/``__astman_get_header``/
``handle_updates``/``man_do_variable_value``). Tests marked ``xfail(strict=True)`` are bugs.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyst.manager import (
    Action,
    ActionError,
    ActionTimeout,
    Append,
    AsyncManagerClient,
    Command,
    Connection,
    ConnectionLost,
    Decoder,
    Event,
    GetConfig,
    Greeting,
    Insert,
    Login,
    Logoff,
    ManagerClient,
    ManagerError,
    NewCat,
    Originate,
    Ping,
    Response,
    Status,
    Update,
    UpdateConfig,
    config_from_response,
    encode_action,
)
from pyst.manager._errors import HeaderInjectionError
from pyst.manager._session import Reconnect
from pyst.manager.testing import FakeAMIServer, Reply

CAPTURES = Path("/work/shared/asterisk/captures/ami")


def capture(name: str) -> bytes:
    return (CAPTURES / f"{name}.s2c").read_bytes()


def decode_all(chunks: list[bytes], *, greeting: bool = True) -> list[Greeting | object]:
    decoder = Decoder(greeting=greeting)
    out: list[Greeting | object] = []
    for chunk in chunks:
        out.extend(decoder.feed(chunk))
    out.extend(decoder.feed_eof())
    return out


def shape(messages: list[object]) -> list[object]:
    result: list[object] = []
    for m in messages:
        if isinstance(m, Greeting):
            result.append(("greeting", m.text))
        else:
            assert isinstance(m, (Event, Response)) or hasattr(m, "headers")
            output = m.output if isinstance(m, Response) else None  # type: ignore[union-attr]
            result.append((type(m).__name__, m.headers.items(), m.lines, output))  # type: ignore[union-attr]
    return result


# -- how manager.c reads an action (main/manager.c) ----------------------------------------


def asterisk_headers(data: bytes) -> list[str]:
    """The header lines of the first action in ``data`` as manager.c keeps them: a line ends
    at LF (a CR before it is dropped), the message ends at an empty line; at most
    AST_MAX_MANHEADERS (128) lines are kept."""
    lines: list[str] = []
    for raw in data.decode().split("\n"):
        line = raw[:-1] if raw.endswith("\r") else raw
        if not line:
            break
        lines.append(line)
    return lines


def astman_get_header(headers: list[str], name: str) -> str:
    """``__astman_get_header``: first header whose name matches case-insensitively, value
    with leading blanks (bytes < 0x21) skipped."""
    for header in headers:
        if header[: len(name)].lower() == name.lower() and header[len(name) : len(name) + 1] == ":":
            return header[len(name) + 1 :].lstrip("".join(chr(c) for c in range(1, 33)))
    return ""


def strsep_commas(text: str) -> list[str]:
    """``ast_strsep(..., ',', AST_STRSEP_STRIP)`` for inputs without backslashes: split at
    commas outside quotes, strip blanks, then one pair of surrounding quotes."""
    out, current, quote = [], "", ""
    for ch in text:
        if ch in "\"'":
            quote = "" if quote == ch else (quote or ch)
        if ch == "," and not quote:
            out.append(current)
            current = ""
        else:
            current += ch
    out.append(current)
    result = []
    for token in out:
        token = token.strip()
        if len(token) >= 2 and token[0] == token[-1] and token[0] in "\"'":
            token = token[1:-1]
        result.append(token)
    return result


def manager_c_update_edit(data: bytes, index: int = 0) -> dict[str, object]:
    """What ``handle_updates`` makes of edit ``index`` of an UpdateConfig action."""
    headers = asterisk_headers(data)
    n = f"{index:06d}"
    value = astman_get_header(headers, f"Value-{n}")
    obj = bool(value) and value.startswith(">")
    if obj:
        value = value[1:]
    inherit: list[str] = []
    options = astman_get_header(headers, f"Options-{n}")
    if options:
        for token in strsep_commas(options):
            if token.startswith("inherit"):
                _, _, rest = token.partition("=")
                rest = rest.strip()
                if len(rest) >= 2 and rest[0] == rest[-1] and rest[0] in "\"'":
                    rest = rest[1:-1]
                inherit = [t.strip() for t in rest.split(",")]
    return {
        "action": astman_get_header(headers, f"Action-{n}"),
        "cat": astman_get_header(headers, f"Cat-{n}"),
        "var": astman_get_header(headers, f"Var-{n}"),
        "value": value,
        "object": obj,
        "inherit": inherit,
    }


def wire(action: object, action_id: str = "a1") -> bytes:
    return encode_action(action.wire_headers(action_id))  # type: ignore[attr-defined]


# -- decoder: real captures ---------------------------------------------------------------


def test_originate_response_is_an_event_even_with_response_header() -> None:
    messages = decode_all([capture("12c_originate_async_failure")])
    found = [m for m in messages if isinstance(m, Event) and m.name == "OriginateResponse"]
    assert found and found[0]["Response"] == "Failure"
    assert not any(isinstance(m, Response) and m.get("Event") for m in messages)


def test_command_error_with_output_follows_raises_with_output() -> None:
    conn = Connection(greeting=True)
    conn.receive(b"Asterisk Call Manager/11.0.0\r\n")
    _, pending = conn.send(Command("no such cli command"), now=0.0)
    # the shape of 08b_command_unknown_cli: Error, yet "Command output follows" + Output
    data = (
        b"Response: Error\r\nActionID: " + pending.action_id.encode() + b"\r\n"
        b"Message: Command output follows\r\n"
        b"Output: No such command 'no such cli command'\r\n\r\n"
    )
    conn.receive(data)
    assert pending.done
    with pytest.raises(ActionError) as info:
        pending.outcome()
    assert info.value.response.output == ["No such command 'no such cli command'"]


def test_status_list_with_actionid_last_resolves_to_one_result() -> None:
    raw = capture("10_status")
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


def test_no_categories_found_bare_line_gives_empty_loaded_config() -> None:
    [response, _] = decode_all([capture("14f_getconfig_category_not_found")], greeting=False)
    assert isinstance(response, Response)
    assert response.lines == ["No categories found"]
    config = config_from_response(response, "extensions.conf")
    assert config.loaded and list(config.categories) == []


def test_repeated_and_case_insensitive_headers_in_order() -> None:
    data = (
        b"Event: Status\r\nchanvariable: A=1\r\nVariable: x=1\r\nCHANVARIABLE: B=2=3\r\n"
        b"Variable: y=2\r\nactionid: zz\r\n\r\n"
    )
    for chunking in (1, 3, len(data)):
        [event] = decode_all(
            [data[i : i + chunking] for i in range(0, len(data), chunking)], greeting=False
        )
        assert isinstance(event, Event)
        assert event.get_all("ChanVariable") == ["A=1", "B=2=3"]
        assert event.get_all("variable") == ["x=1", "y=2"]
        assert event.action_id == "zz"
        assert event.variables("ChanVariable") == {"A": "1", "B": "2=3"}


def test_legacy_follows_command_output_any_chunking() -> None:
    data = (
        b"Asterisk Call Manager/1.1\r\n"
        b"Response: Follows\r\nPrivilege: Command\r\nActionID: c1\r\n"
        b"Asterisk 1.8.0\r\n\r\nline: with colon\r\n--END COMMAND--\r\n\r\n"
        b"Event: X\r\n\r\n"
    )
    whole = shape(decode_all([data]))
    for size in (1, 2, 7):
        assert shape(decode_all([data[i : i + size] for i in range(0, len(data), size)])) == whole
    response = decode_all([data])[1]
    assert isinstance(response, Response) and response.action_id == "c1"
    assert response.output == ["Asterisk 1.8.0", "", "line: with colon"]


_ATOMS = [
    b"Event: X",
    b"Response: Success",
    b"Response: Follows",
    b"ActionID: 1",
    b"A: \xc3\xa9",
    b"Privilege: Command",
    b"No categories found",
    b"--END COMMAND--",
    b"Output: x",
    b"\r\n",
    b"\n",
    b"\r\n\r\n",
    b"\n\n",
    b": ",
    b"\xe2\x82\xac",
    b"Asterisk Call Manager/11.0.0",
    b"\r",
]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(st.sampled_from(_ATOMS), max_size=20),
    st.lists(st.integers(0, 300), max_size=5),
    st.booleans(),
)
def test_decoder_result_does_not_depend_on_chunking(
    parts: list[bytes], cuts: list[int], greeting: bool
) -> None:
    data = b"".join(parts)
    whole = shape(decode_all([data], greeting=greeting))
    bounds = [0, *sorted({c for c in cuts if c < len(data)}), len(data)]
    chunks = [data[a:b] for a, b in itertools.pairwise(bounds)]
    assert shape(decode_all(chunks, greeting=greeting)) == whole
    assert (
        shape(decode_all([data[i : i + 1] for i in range(len(data))], greeting=greeting)) == whole
    )


def test_decoder_lone_cr_line_is_chunking_independent() -> None:
    data = b"\n\n\r\r\n\r\n"
    whole = shape(decode_all([data], greeting=False))
    assert shape(decode_all([data[:2], data[2:]], greeting=False)) == whole


def test_bad_input_only_raises_library_errors() -> None:
    for junk in (b"\x00\xff\xfe:\r\n\r\n", b":::\n\n", b"\r" * 50, b"Response: Follows\r\n\r\n"):
        decoder = Decoder()
        try:
            decoder.feed(junk)
            decoder.feed_eof()
        except ManagerError:
            pass
    decoder = Decoder(max_message_size=64)
    with pytest.raises(ManagerError):
        for _ in range(100):
            decoder.feed(b"X" * 10)


# -- encoder / injection -------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["a\rb", "a\nb", "a\x00b", "x\r\nAction: Originate"])
def test_encoder_refuses_cr_lf_nul_in_values_names_and_action_ids(bad: str) -> None:
    with pytest.raises(HeaderInjectionError):
        Action("Ping", headers=[("X", bad)])
    with pytest.raises(HeaderInjectionError):
        Action("Ping", headers=[(bad, "v")])
    with pytest.raises(HeaderInjectionError):
        Action(bad)
    with pytest.raises(HeaderInjectionError):
        Originate("Local/1", variables={"V": bad})
    with pytest.raises(HeaderInjectionError):
        Originate("Local/1", variables={bad: "v"})
    conn = Connection(greeting=False)
    with pytest.raises(HeaderInjectionError):
        conn.send(Ping(action_id=bad), now=0.0)
    assert conn.pending_count == 0
    with pytest.raises(HeaderInjectionError):
        encode_action([("Action", "Ping"), ("Name", bad)])


def app_separate_args(text: str) -> list[str]:
    """``__ast_app_separate_args(buf, ',', remove_chars=1, ...)`` (main/app.c), as
    ``AST_STANDARD_APP_ARGS`` runs it: split at ',' outside (), [] and quotes; '"' is removed;
    a backslash is removed and makes the next character literal."""
    buf = list(text)
    args: list[str] = []
    paren = bracket = quote = 0
    i = 0
    current: list[str] = []
    while i < len(buf):
        ch = buf[i]
        if ch == "(":
            paren += 1
        elif ch == ")":
            paren = max(0, paren - 1)
        elif ch == "[":
            bracket += 1
        elif ch == "]":
            bracket = max(0, bracket - 1)
        elif ch == '"':
            quote = 0 if quote else 1
            i += 1
            continue
        elif ch == "\\":
            i += 1
            if i < len(buf):
                current.append(buf[i])
            i += 1
            continue
        elif ch == "," and not paren and not quote and not bracket:
            args.append("".join(current))
            current = []
            i += 1
            if i == len(buf):
                args.append("")
            continue
        current.append(ch)
        i += 1
    if current:
        args.append("".join(current))
    return args


def manager_c_originate_variables(data: bytes) -> dict[str, str]:
    """``astman_get_variables_order`` / ``man_do_variable_value`` over every Variable header."""
    result: dict[str, str] = {}
    for header in asterisk_headers(data):
        if header[:9].lower() != "variable:":
            continue
        value = header[9:].lstrip("".join(chr(c) for c in range(1, 33)))
        for item in app_separate_args(value):
            name, sep, val = item.partition("=")
            if sep and name:
                result[name] = val
    return result


@pytest.mark.parametrize(
    "variables",
    [
        {"A": "x,B=y"},
        {"A": 'say "hi", then\\go', "B": "(,", "F(a,b)": "1"},
        {" lead": "  v", "C": ""},
    ],
)
def test_originate_variable_value_cannot_add_variables(variables: dict[str, str]) -> None:
    # manager.c man_do_variable_value splits each Variable header with AST_STANDARD_APP_ARGS
    # (on ','), so {'A': 'x,B=y'} sent raw would set A=x and B=y
    data = wire(Originate("Local/1@c", context="c", exten="1", priority=1, variables=variables))
    assert manager_c_originate_variables(data) == variables


def test_originate_variable_name_with_equals_is_refused() -> None:
    with pytest.raises(ValueError):
        Originate("Local/1@c", application="Wait", data="1", variables={"A=B": "1"})


# -- UpdateConfig as manager.c reads it ------------------------------------------------------


def test_update_config_simple_edits_read_back_by_manager_c() -> None:
    data = wire(
        UpdateConfig(
            "x.conf",
            [
                NewCat("c", inherit=["tmpl"]),
                Append("c", "v", "a=b"),
                Update("c", "w", "1", object=True),
            ],
        )
    )
    assert manager_c_update_edit(data, 0)["inherit"] == ["tmpl"]
    assert manager_c_update_edit(data, 1)["value"] == "a=b"
    edit = manager_c_update_edit(data, 2)
    assert edit["object"] and edit["value"] == "1"


def test_newcat_multiple_templates_are_all_inherited() -> None:
    data = wire(UpdateConfig("x.conf", [NewCat("c", inherit=["t1", "t2"])]))
    assert manager_c_update_edit(data)["inherit"] == ["t1", "t2"]


def test_update_value_with_leading_blank_and_gt_is_not_object() -> None:
    try:
        data = wire(UpdateConfig("x.conf", [Update("c", "v", " >x")]))
    except ValueError:
        return  # refusing it is fine
    edit = manager_c_update_edit(data)
    assert (edit["object"], edit["value"]) == (False, " >x")


def test_insert_value_starting_with_gt_is_kept() -> None:
    try:
        data = wire(UpdateConfig("x.conf", [Insert("c", "v", ">x", line=0)]))
    except ValueError:
        return  # refusing it is fine
    assert manager_c_update_edit(data)["value"] == ">x"


def test_update_config_never_builds_an_action_asterisk_cannot_read() -> None:
    edits = [Append("c", f"v{i}", str(i)) for i in range(40)]
    try:
        data = wire(UpdateConfig("x.conf", edits))
    except ValueError:
        return
    assert len(asterisk_headers(data)) <= 128


# -- the sans-IO connection ------------------------------------------------------------------


def _resp(action_id: str, status: str = "Success", extra: bytes = b"") -> bytes:
    return (
        b"Response: "
        + status.encode()
        + b"\r\nActionID: "
        + action_id.encode()
        + b"\r\n"
        + extra
        + b"\r\n"
    )


def test_replies_matched_by_actionid_not_arrival_order() -> None:
    conn = Connection(greeting=False)
    _, first = conn.send(Ping(), now=0.0)
    _, second = conn.send(Action("Getvar", Variable="X"), now=0.0)
    conn.receive(_resp(second.action_id, extra=b"Value: two\r\n"))
    assert second.done and not first.done
    assert second.outcome()["Value"] == "two"
    conn.receive(b"Response: Success\r\nPing: Pong\r\n\r\n")  # no ActionID: matches nothing
    assert not first.done
    conn.receive(_resp(first.action_id, extra=b"Ping: Pong\r\n"))
    assert first.outcome()["Ping"] == "Pong"


def test_interleaved_lists_are_assembled_per_actionid() -> None:
    conn = Connection(greeting=False)
    _, a = conn.send(Status(), now=0.0)
    _, b = conn.send(Action("CoreShowChannels"), now=0.0)
    ida, idb = a.action_id.encode(), b.action_id.encode()
    stream = (
        _resp(a.action_id, extra=b"EventList: start\r\n")
        + _resp(b.action_id, extra=b"EventList: start\r\n")
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
    conn.receive(_resp(a.action_id, extra=b"EventList: start\r\n"))
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
    conn.receive(_resp(a.action_id, extra=b"EventList: start\r\n"))
    conn.expire(0.5)
    assert not a.done
    assert conn.next_deadline() == 1.0
    conn.expire(1.0)
    with pytest.raises(ActionTimeout):
        a.outcome()


def test_goodbye_then_eof_fails_others_cleanly() -> None:
    conn = Connection(greeting=False)
    _, ping = conn.send(Ping(), now=0.0)
    _, bye = conn.send(Logoff(), now=0.0)
    conn.receive(_resp(bye.action_id, "Goodbye", b"Message: Thanks for all the fish.\r\n"))
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
    conn.receive(_resp(echoed, extra=b"Ping: Pong\r\n"))
    assert pending.done


def test_unusable_answer_becomes_library_error() -> None:
    conn = Connection(greeting=False)
    _, pending = conn.send(GetConfig("x.conf"), now=0.0)
    conn.receive(_resp(pending.action_id, "Error", b"Message: Config file not found\r\n"))
    with pytest.raises(ActionError):
        pending.outcome()


# -- GetConfig answers -----------------------------------------------------------------------


def _getconfig(body: bytes) -> Response:
    [response] = decode_all(
        [b"Response: Success\r\nActionID: g\r\n" + body + b"\r\n"], greeting=False
    )
    assert isinstance(response, Response)
    return response


def test_getconfig_templates_duplicates_and_equals_in_values() -> None:
    response = _getconfig(
        b"Category-000000: tmpl\r\nIsTemplate-000000: 1\r\nLine-000000-000000: a=1\r\n"
        b"Category-000001: dup\r\nLine-000001-000000: x=y=z\r\n"
        b"Category-000002: dup\r\nLine-000002-000000: x=\r\n"
        b"Category-000003: c\r\nTemplates-000003: tmpl\r\nLine-000003-000000: a=1\r\n"
        b"Line-000003-000001: a=2\r\nCategory-000004: a:b\r\n"
    )
    config = config_from_response(response)
    cats = list(config.categories)
    assert [c.name for c in cats] == ["tmpl", "dup", "dup", "c", "a:b"]
    assert cats[0].template and not cats[1].template
    assert [(v.name, v.value) for v in cats[1].variables] == [("x", "y=z")]
    assert [(v.name, v.value) for v in cats[2].variables] == [("x", "")]
    assert cats[3].inherits == ["tmpl"]
    assert [(v.value, v.inherited) for v in cats[3].variables] == [("1", True), ("2", False)]


def test_getconfig_invalid_format_and_other_errors() -> None:
    bad = decode_all(
        [b"Response: Error\r\nActionID: g\r\nMessage: Config file has invalid format\r\n\r\n"],
        greeting=False,
    )[0]
    assert config_from_response(bad).loaded is False  # type: ignore[arg-type]
    missing = decode_all(
        [b"Response: Error\r\nActionID: g\r\nMessage: Config file not found\r\n\r\n"],
        greeting=False,
    )[0]
    with pytest.raises(ActionError):
        config_from_response(missing)  # type: ignore[arg-type]


# -- secrets -------------------------------------------------------------------------------


def test_secrets_not_in_action_or_client_reprs() -> None:
    assert "hunter2" not in repr(Login("admin", "hunter2"))
    assert "deadbeef" not in repr(Login("admin", key="deadbeef"))
    assert "hunter2" not in repr(Action("Login", Username="u", Secret="hunter2"))
    client = ManagerClient("127.0.0.1", 1, username="u", secret="hunter2")
    assert "hunter2" not in repr(client)
    assert "hunter2" not in repr(client.__dict__)


def test_decoded_login_repr_hides_md5_key() -> None:
    [message] = decode_all([wire(Login("admin", key="0123456789abcdef"))], greeting=False)
    assert "0123456789abcdef" not in repr(message)


# -- the blocking client ---------------------------------------------------------------------


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


def test_sync_no_reconnect_after_own_logoff() -> None:
    with FakeAMIServer(username="u", secret="p") as server:
        ami = ManagerClient(
            *server.address,
            username="u",
            secret="p",
            timeout=2,
            reconnect=Reconnect(initial_delay=0.01, max_attempts=2),
        )
        ami.connect()
        try:
            assert ami.send(Logoff()).status == "Goodbye"
            with contextlib.suppress(ManagerError):
                ami.process_events(0.3)
            logins = [a.get("Action") for a in server.actions if a.get("Action") == "Login"]
            assert len(logins) == 1
        finally:
            ami.close()


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


# -- the asyncio client ------------------------------------------------------------------------


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


def test_async_disconnect_mid_list_fails_and_reconnect_reapplies_filters() -> None:
    async def main() -> None:
        with FakeAMIServer(username="u", secret="p") as server:
            server.respond(
                "Status", Reply(raw=b"Response: Success\r\nEventList: start\r\n", close=True)
            )
            ami = AsyncManagerClient(
                *server.address,
                username="u",
                secret="p",
                timeout=3,
                reconnect=Reconnect(initial_delay=0.01, max_attempts=5),
            )
            async with ami:
                await ami.add_filter("Event: Hangup")
                with pytest.raises(ConnectionLost):
                    await ami.send(Status())
                await ami.wait_connected(3)
                await ami.send(Ping())
            names = [a.get("Action") for a in server.actions]
            assert names.count("Login") == 2
            filters = [a.get("Filter") for a in server.actions if a.get("Action") == "Filter"]
            assert filters == ["Event: Hangup", "Event: Hangup"]

    asyncio.run(asyncio.wait_for(main(), 8))


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


def test_getconfigjson_accepts_raw_control_characters_from_asterisk() -> None:
    import json

    from pyst.manager import GetConfigJSON

    record = json.loads((CAPTURES.parent / "getconfig" / "syntax_tour2.conf.json").read_text())
    raw = record["getconfigjson"]["response_raw"].encode()
    [response] = decode_all([raw], greeting=False)
    categories = dict(GetConfigJSON.categories(response))  # type: ignore[arg-type]
    assert ("tab", "tabbed\tvalue") in categories["general"]


def test_setvar_keeps_the_callers_action_id() -> None:
    from pyst.manager import Setvar

    action = Setvar("V", "1", action_id="mine")
    conn = Connection(greeting=False)
    data, pending = conn.send(action, now=0.0)
    assert pending.action_id == "mine" and b"ActionID: mine\r\n" in data


@pytest.mark.parametrize("payload", [b"[1,2]", b"7", b"null", b'"ab"'])
def test_getconfigjson_non_object_raises_library_error(payload: bytes) -> None:
    from pyst.manager import GetConfigJSON

    [response] = decode_all(
        [b"Response: Success\r\nActionID: 1\r\nJSON: " + payload + b"\r\n\r\n"], greeting=False
    )
    with contextlib.suppress(ManagerError):
        GetConfigJSON.categories(response)  # type: ignore[arg-type]


def test_inherited_marking_survives_parent_extended_later(tmp_path: Path) -> None:
    import pyst.config

    conf = tmp_path / "y.conf"
    conf.write_text("[b]\na=1\n[c](b)\nc=3\n[b](+)\nx=2\n")
    from_file = pyst.config.read(conf)
    expected = [(v.name, v.value, v.inherited) for v in from_file.category("c").variables]  # type: ignore[union-attr]
    assert expected == [("a", "1", True), ("c", "3", False)]
    # what manager.c action_getconfig prints for that file
    response = _getconfig(
        b"Category-000000: b\r\nLine-000000-000000: a=1\r\nLine-000000-000001: x=2\r\n"
        b"Category-000001: c\r\nTemplates-000001: b\r\nLine-000001-000000: a=1\r\n"
        b"Line-000001-000001: c=3\r\n"
    )
    child = config_from_response(response).category("c")
    assert child is not None
    assert [(v.name, v.value, v.inherited) for v in child.variables] == expected


def test_edit_of_category_with_leading_blank_is_not_silently_retargeted() -> None:
    try:
        data = wire(UpdateConfig("x.conf", [Append(" spaced cat ", "v", "1")]))
    except ValueError:
        return
    assert manager_c_update_edit(data)["cat"] == " spaced cat "


def test_sync_process_events_respects_timeout_while_server_down() -> None:
    server = FakeAMIServer(username="u", secret="p").start()
    ami = ManagerClient(
        *server.address,
        username="u",
        secret="p",
        timeout=1,
        reconnect=Reconnect(initial_delay=0.05, factor=1, jitter=0, max_attempts=30),
    )
    try:
        ami.connect()
        server.stop()
        server.disconnect_all()
        start = time.monotonic()
        with contextlib.suppress(ManagerError):
            ami.process_events(0.1)
        assert time.monotonic() - start < 0.75
    finally:
        ami.close()
        server.stop()


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
    conn.receive(_resp("job-1", extra=b"Variable: OLD\r\nValue: old\r\n"))  # late, for `first`
    assert not second.done or second.outcome()["Variable"] == "NEW"


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
            msgs = [_resp(pending.action_id, extra=b"Value: " + aid + b"\r\n")]
        else:
            msgs = [_resp(pending.action_id, extra=b"EventList: start\r\n")]
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


def _slow_challenge(action: object, session: object) -> Reply:
    session.challenge = "4242"  # type: ignore[attr-defined]
    return Reply({"Challenge": "4242"}, delay=0.3)


def test_async_wait_connected_means_logged_in_again() -> None:
    async def main() -> None:
        with FakeAMIServer(username="u", secret="p") as server:
            server.on("Challenge", _slow_challenge)
            ami = AsyncManagerClient(
                *server.address,
                username="u",
                secret="p",
                auth="md5",
                timeout=3,
                reconnect=Reconnect(initial_delay=0.01, max_attempts=5),
            )
            async with ami:
                server.disconnect_all()
                for _ in range(300):
                    if not ami.connected:
                        break
                    await asyncio.sleep(0.005)
                await ami.wait_connected(3)
                assert (await ami.send(Ping())).status == "Success"

    asyncio.run(asyncio.wait_for(main(), 8))

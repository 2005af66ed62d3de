"""Actions: the headers typed and generic actions send (as in the captures), what ``send()``
returns for them, and values Asterisk would silently alter being refused.
"""

from __future__ import annotations

import re

import pytest

from pyst.manager import (
    AGI,
    Action,
    ActionBase,
    ActionError,
    Append,
    AuthenticationError,
    Challenge,
    Command,
    Connection,
    CoreShowChannels,
    DBDel,
    DBDelTree,
    DBGet,
    DBPut,
    Decoder,
    DelCat,
    Delete,
    EmptyCat,
    Events,
    GetConfig,
    GetConfigJSON,
    Getvar,
    Hangup,
    HeaderInjectionError,
    Insert,
    ListCategories,
    Login,
    Logoff,
    ManagerClient,
    Message,
    NewCat,
    Originate,
    Ping,
    RenameCat,
    Response,
    Setvar,
    ShowDialPlan,
    Status,
    Update,
    UpdateConfig,
    md5_key,
)
from pyst.manager.testing import FakeAMIServer

from .conftest import (
    DATA,
    client_bytes,
    server_bytes,
)


def sent(capture: str, action_id: str, folder: str = "ami") -> list[tuple[str, str]]:
    """The headers the capture's client sent for ``action_id``."""
    messages = Decoder(greeting=False).feed(client_bytes(capture, DATA / folder))
    for message in messages:
        if isinstance(message, Message) and message.get("ActionID") == action_id:
            return message.headers.items()
    raise LookupError(action_id)


EDITS_16 = [
    NewCat("newcat"),
    Append("newcat", "key1", "value one"),
    Append("newcat", "key1", "second value"),
    Update("existing", "foo", "100"),
    Delete("existing", "bar"),
    DelCat("todelete"),
    NewCat("tmpl", template=True),
    NewCat("fromtmpl", inherit=["tmpl"]),
    Append("fromtmpl", "own", "x"),
]

CASES: list[tuple[str, str, ActionBase[object]]] = [
    ("03_login_success_events_off", "login-1", Login("admin", "admin", events=False)),
    ("04_challenge_md5_login", "chal", Challenge()),
    (
        "04_challenge_md5_login",
        "md5login",
        Login("admin", key="1149b093686ab8f347fad9e43b9700ab", events=False),
    ),
    ("05_ping", "ping-1", Ping()),
    ("07_command_core_show_version", "cmd-1", Command("core show version")),
    ("10_status", "st-1", Status()),
    (
        "10c_status_one_channel_with_variables",
        "st-2",
        Status("Local/300@agi-test-00000000;1", variables=["STATUSVAR", "CHANNEL"]),
    ),
    ("11_coreshowchannels", "csc-1", CoreShowChannels()),
    ("11c_getvar_setvar", "sv-1", Setvar("AMIVAR", "ami value", "Local/300@agi-test-00000000;1")),
    ("11c_getvar_setvar", "gv-2", Getvar("TESTGLOBAL")),
    ("11d_hangup_action", "hu-1", Hangup("Local/300@agi-test-00000000;1", 16)),
    (
        "12_originate_async_local_with_events",
        "orig-1",
        Originate(
            "Local/500@agi-test",
            context="caller",
            exten="wait",
            priority=1,
            caller_id='"Orig Test" <3000>',
            ring_timeout_ms=15000,
            variables={"FOO": "bar", "BAZ": "qux"},
        ),
    ),
    (
        "12c_originate_async_failure",
        "orig-2",
        Originate("Local/nosuchexten@agi-test", application="Wait", data="1"),
    ),
    ("12a_dbput_dbget_dbdel", "db-1", DBPut("amitest", "k1", "v 1")),
    ("12a_dbput_dbget_dbdel", "db-2", DBGet("amitest", "k1")),
    ("12a_dbput_dbget_dbdel", "db-4", DBDel("amitest", "k1")),
    ("12a_dbput_dbget_dbdel", "db-6", DBDelTree("amitest")),
    ("12b_showdialplan", "sdp-1", ShowDialPlan("agi-sub")),
    ("14_getconfig_extensions", "gc-1", GetConfig("extensions.conf", templates=False)),
    ("15b_listcategories", "lc-1", ListCategories("extensions.conf")),
    ("16c_getconfig_templates_include", "gt-1", GetConfig("ami_update_test.conf")),
    (
        "16c_getconfig_templates_include",
        "gt-2",
        GetConfigJSON("ami_update_test.conf", filter="TEMPLATES=include"),
    ),
    ("18_events_off_on", "ev-3", Events("call,system")),
    ("18_events_off_on", "ev-2", Events(True)),
    ("19_logoff", "logoff-1", Logoff()),
]


@pytest.mark.parametrize(
    ("capture", "action_id", "action"), CASES, ids=[f"{c}:{a}" for c, a, _ in CASES]
)
def test_typed_action_matches_what_was_sent_to_asterisk(
    capture: str, action_id: str, action: ActionBase[object]
) -> None:
    assert action.wire_headers(action_id) == sent(capture, action_id)


def test_update_config_edits_number_their_headers_like_the_capture() -> None:
    expected = sent("16_updateconfig", "uc-1")
    edits = [*EDITS_16, NewCat("bangopt")]
    action = UpdateConfig("ami_update_test.conf", edits, reload=False)
    built = action.wire_headers("uc-1")
    # the capture's last NewCat carried the unsupported option '!' (ignored by Asterisk)
    assert built == [pair for pair in expected if pair != ("Options-000009", "!")]


def test_asyncagi_action_matches_the_capture() -> None:
    headers = AGI("Local/600@agi-test-00000032;2", "ANSWER", "cmd0").wire_headers("agi0")
    assert headers == sent("ami_asyncagi", "agi0", "agi")


def test_every_edit_kind_is_encoded_per_manager_c() -> None:
    action = UpdateConfig(
        "x.conf",
        [
            RenameCat("a", "b"),
            EmptyCat("c"),
            Insert("d", "k", "v", line=2),
            Delete("e", line=0),
            Update("f", "k", "v", match="old", object=True),
            Append("g", "exten", "1,1,NoOp()", object=True),
            NewCat("h", match="b", allow_duplicates=True, ignore_error=True, inherit=["t1", "t2"]),
            DelCat("i", ignore_error=True),
        ],
        dst_filename="y.conf",
        reload="chan_pjsip",
    )
    assert action.headers() == [
        ("SrcFilename", "x.conf"),
        ("DstFilename", "y.conf"),
        ("Reload", "chan_pjsip"),
        ("Action-000000", "RenameCat"),
        ("Cat-000000", "a"),
        ("Value-000000", "b"),
        ("Action-000001", "EmptyCat"),
        ("Cat-000001", "c"),
        ("Action-000002", "Insert"),
        ("Cat-000002", "d"),
        ("Var-000002", "k"),
        ("Value-000002", "v"),
        ("Line-000002", "2"),
        ("Action-000003", "Delete"),
        ("Cat-000003", "e"),
        ("Line-000003", "0"),
        ("Action-000004", "Update"),
        ("Cat-000004", "f"),
        ("Var-000004", "k"),
        ("Value-000004", ">v"),
        ("Match-000004", "old"),
        ("Action-000005", "Append"),
        ("Cat-000005", "g"),
        ("Var-000005", "exten"),
        ("Value-000005", ">1,1,NoOp()"),
        ("Action-000006", "NewCat"),
        ("Cat-000006", "h"),
        ("Match-000006", "b"),
        ("Options-000006", 'allowdups,ignoreerror,inherit="t1,t2"'),
        ("Action-000007", "DelCat"),
        ("Cat-000007", "i"),
        ("Options-000007", "ignoreerror"),
    ]


def test_a_leading_gt_in_a_plain_value_is_refused() -> None:
    with pytest.raises(ValueError, match="=>"):
        UpdateConfig("x.conf", [Append("c", "k", ">oops")])


def test_md5_key_matches_the_capture() -> None:
    assert md5_key("144926724", "admin") == "1149b093686ab8f347fad9e43b9700ab"


def test_generic_action_keeps_order_repeats_and_mappings() -> None:
    action = Action(
        "Originate", [("Variable", ["A=1", "B=2"])], Channel="PJSIP/1", Async=True, Missing=None
    )
    assert action.wire_headers("x") == [
        ("Action", "Originate"),
        ("ActionID", "x"),
        ("Variable", "A=1"),
        ("Variable", "B=2"),
        ("Channel", "PJSIP/1"),
        ("Async", "true"),
    ]


@pytest.mark.parametrize("bad", ["a\r\nAction: Hangup", "x\n", "\x00", "\r"])
def test_header_injection_is_refused_when_the_action_is_built(bad: str) -> None:
    with pytest.raises(HeaderInjectionError):
        Action("Ping", Foo=bad)
    with pytest.raises(HeaderInjectionError):
        Setvar("V", bad)
    with pytest.raises(HeaderInjectionError):
        Action("Ping" + bad)
    with pytest.raises(HeaderInjectionError):
        Action("Ping", headers=[("Bad" + bad, "v")])






def test_login_needs_exactly_one_credential() -> None:
    with pytest.raises(ValueError):
        Login("admin")
    with pytest.raises(ValueError):
        Login("admin", "secret", key="abc")


def test_config_edit_values_reach_manager_c_unchanged_or_are_refused() -> None:
    from pyst.manager import Insert, RenameCat, Update, UpdateConfig

    from .conftest import wire
    from .manager_c import manager_c_update_edit

    edits = [
        Insert("c", "v", " >x", line=1),
        RenameCat("c", new_name=">new"),
        Update("c", "w", " >y", object=True),
        NewCat("n", inherit=["t1", "t2", "t3"], template=True),
        NewCat("m", inherit=["only"]),
    ]
    data = wire(UpdateConfig("x.conf", edits))
    assert manager_c_update_edit(data, 0)["value"] == " >x"
    assert (manager_c_update_edit(data, 1)["value"], manager_c_update_edit(data, 1)["object"]) == (
        ">new",
        True,  # ignored by RenameCat
    )
    assert manager_c_update_edit(data, 2)["value"] == " >y"
    assert manager_c_update_edit(data, 2)["object"] is True
    assert manager_c_update_edit(data, 3)["inherit"] == ["t1", "t2", "t3"]
    assert manager_c_update_edit(data, 4)["inherit"] == ["only"]
    for bad in (
        Append("c", " v", "1"),
        Update("c", "v", "1", match=" 1"),
        NewCat("n", match=" before"),
        NewCat("n", inherit=["a,b"]),
        NewCat("n", inherit=['a"']),
        NewCat("n", inherit=[" a"]),
        NewCat("n", inherit=["a=b"]),
        Append("c", "v", "\t>x"),
    ):
        with pytest.raises(ValueError):
            UpdateConfig("x.conf", [bad])


def test_too_many_header_lines_are_refused_when_the_action_is_built() -> None:
    from pyst.manager import UpdateConfig

    # Action, ActionID, SrcFilename, DstFilename, then 4 lines per Append
    edits = [Append("c", f"v{i}", str(i)) for i in range(32)]
    with pytest.raises(ValueError, match="128"):
        UpdateConfig("x.conf", edits)  # 132 lines
    UpdateConfig("x.conf", edits[:31])  # exactly 128 lines fit
    with pytest.raises(ValueError, match="128"):
        Action("Foo", headers=[("H", str(i)) for i in range(127)])


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


def test_setvar_keeps_the_callers_action_id() -> None:
    from pyst.manager import Setvar

    action = Setvar("V", "1", action_id="mine")
    conn = Connection(greeting=False)
    data, pending = conn.send(action, now=0.0)
    assert pending.action_id == "mine" and b"ActionID: mine\r\n" in data


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


def test_generic_login_refusal_is_an_authentication_error() -> None:
    with (
        FakeAMIServer(username="u", secret="p") as server,
        ManagerClient(*server.address, events=None, timeout=5) as ami,
        pytest.raises(AuthenticationError),
    ):
        ami.send(Action("Login", Username="u", Secret="wrong"))


def test_list_categories_names() -> None:
    [response] = Decoder().feed(server_bytes("15b_listcategories"))
    assert isinstance(response, Response)
    raw = server_bytes("15b_listcategories").decode()
    expected = re.findall(r"^Category-\d{6}: (.*)\r$", raw, re.M)
    assert len(expected) > 3
    assert ListCategories.names(response) == expected

"""The command set: completeness against Asterisk's list, wire lines (positional defaults,
optional arguments), typed interpretation of real Asterisk 22 replies.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyst.agi import (
    AGI,
    COMMANDS,
    AGICommandFailure,
    AGIEnvironment,
    AGIError,
    AGIHangup,
    AGIProtocol,
    AGIUnexpectedReply,
    AsyncAGI,
    ChannelStatus,
    Command,
    DigitsResult,
    PlaybackResult,
    RecordResult,
    SpeechMatch,
    SpeechResult,
    split_arguments,
)
from pyst.agi import _commands as C
from pyst.agi.testing import FakeAsterisk

from .helpers import canned_agi, canned_session, parse_replies

DATA = Path(__file__).resolve().parent / "data"


def _show_commands() -> dict[str, bool]:
    text = (DATA / "ami_command_agi_show_commands.s2c").read_text()
    first = text.split("ActionID: agishow2")[0]
    return {
        name.upper(): dead == "Yes"
        for dead, name in re.findall(r"Output:\s+(Yes|No)\s+(\S+(?: \S+)*?)\s{3}", first)
    }


def _sample(build: Callable[..., Command[Any]]) -> Command[Any]:
    """Call a builder with plausible values for its required parameters."""
    values = []
    for parameter in inspect.signature(build).parameters.values():
        if (
            parameter.default is not inspect.Parameter.empty
            or parameter.kind is parameter.VAR_POSITIONAL
        ):
            continue
        annotation = str(parameter.annotation)
        values.append(1 if ("int" in annotation or "float" in annotation) else "x")
    return build(*values)


def test_all_47_commands_with_their_dead_flags() -> None:
    listed = _show_commands()
    assert len(listed) == 47
    assert set(COMMANDS) == set(listed)
    for name, dead in listed.items():
        command = _sample(COMMANDS[name])
        assert command.name == name
        assert command.dead_ok is dead, name


def test_both_front_ends_expose_every_command() -> None:

    for builder in COMMANDS.values():
        name = builder.__name__.rstrip("_")
        assert getattr(AGI, name).__doc__ == builder.__doc__
        assert getattr(AsyncAGI, name).__doc__ == builder.__doc__


@pytest.mark.parametrize(
    ("command", "recorded"),
    [
        (C.stream_file("hello-world"), 'STREAM FILE hello-world ""'),
        (C.stream_file("hello-world", "", 4000), 'STREAM FILE hello-world "" 4000'),
        (C.set_variable("NEWVAR", "value with spaces"), 'SET VARIABLE NEWVAR "value with spaces"'),
        (
            C.set_variable("QUOTEVAR", 'say "hi" there'),
            'SET VARIABLE QUOTEVAR "say \\"hi\\" there"',
        ),
        (C.set_variable("EMPTYVAL", ""), 'SET VARIABLE EMPTYVAL ""'),
        (C.verbose("a verbose message", 1), 'VERBOSE "a verbose message" 1'),
        (C.exec_("Set", "EXECVAR=from exec"), 'EXEC Set "EXECVAR=from exec"'),
        (C.exec_("NoOp"), "EXEC NoOp"),
        (C.gosub("agi-sub", "s", 1, "arg1", "arg2"), "GOSUB agi-sub s 1 arg1,arg2"),
        (C.set_callerid('"AGI Test" <5551234>'), 'SET CALLERID "\\"AGI Test\\" <5551234>"'),
        (C.get_option("beep", "", 500), 'GET OPTION beep "" 500'),
        (C.control_stream_file("beep"), 'CONTROL STREAM FILE beep ""'),
        (C.get_data("beep", 500, 4), "GET DATA beep 500 4"),
        (C.wait_for_digit(500), "WAIT FOR DIGIT 500"),
        (C.say_datetime(0), 'SAY DATETIME 0 ""'),
        (C.set_music(True, "default"), "SET MUSIC on default"),
        (C.database_deltree("agitest", "sub"), "DATABASE DELTREE agitest sub"),
        (C.channel_status(), "CHANNEL STATUS"),
        (
            C.record_file("/var/spool/asterisk/tmp/agi_rec2", "wav", "#", 1500, beep=True),
            'RECORD FILE /var/spool/asterisk/tmp/agi_rec2 wav "#" 1500 0 BEEP',
        ),
        (
            C.record_file("/var/spool/asterisk/tmp/agi_rec3", "wav", "#", 1500, 0, silence_s=1),
            'RECORD FILE /var/spool/asterisk/tmp/agi_rec3 wav "#" 1500 0 s=1',
        ),
    ],
)
def test_lines_mean_what_the_captures_sent(command: Command[Any], recorded: str) -> None:
    assert split_arguments(command.line) == split_arguments(recorded)


def _interpret(command: Command[Any], wire: str, *, hung_up: bool = False) -> Any:
    protocol = AGIProtocol(AGIEnvironment())
    protocol.sighup = hung_up
    protocol.send(command)
    protocol.receive_data(wire.encode())
    return protocol.next_result()


@pytest.mark.parametrize(
    ("command", "wire", "expected"),
    [
        (C.channel_status(), "200 result=4\n", ChannelStatus.RING),
        (C.channel_status(), "200 result=6\n", ChannelStatus.UP),
        (C.wait_for_digit(5000), "200 result=53\n", "5"),
        (C.wait_for_digit(3000), "200 result=42\n", "*"),
        (C.wait_for_digit(500), "200 result=0\n", None),
        (C.get_data("beep", 5000, 5), "200 result=42\n", DigitsResult("42", False)),
        (C.get_data("beep", 500, 4), "200 result= (timeout)\n", DigitsResult("", True)),
        (
            C.stream_file("x", "0123456789*#"),
            "200 result=55 endpos=15680\n",
            PlaybackResult("7", 15680),
        ),
        (C.stream_file("x"), "200 result=0 endpos=8227\n", PlaybackResult(None, 8227)),
        (C.get_option("x", "9", 3000), "200 result=57 endpos=11680\n", PlaybackResult("9", 11680)),
        (C.control_stream_file("beep"), "200 result=0 endpos=-1\n", PlaybackResult(None, -1)),
        (C.say_number(987654, "1"), "200 result=49\n", "1"),
        (C.say_alpha("abc"), "200 result=0\n", None),
        (
            C.record_file("f", "wav", "3", 5000),
            "200 result=51 (dtmf) endpos=0\n",
            RecordResult("dtmf", "3", 0),
        ),
        (
            C.record_file("f"),
            "200 result=0 (timeout) endpos=16116\n",
            RecordResult("timeout", None, 16116),
        ),
        (
            C.record_file("f"),
            "200 result=-1 (hangup) endpos=42\n",
            RecordResult("hangup", None, 42),
        ),
        (C.get_variable("PRESET_VAR"), "200 result=1 (preset value)\n", "preset value"),
        (C.get_variable("UNSET"), "200 result=0\n", None),
        (C.get_variable("EMPTYVAL"), "200 result=1 ()\n", ""),
        (C.get_full_variable("${CALLERID(all)}"), '200 result=1 ("" <5559999>)\n', '"" <5559999>'),
        (
            C.database_get("agitest", "key2"),
            "200 result=1 (value with spaces)\n",
            "value with spaces",
        ),
        (C.database_get("agitest", "nokey"), "200 result=0\n", None),
        (C.database_deltree("agitest", "sub"), "200 result=0\n", True),
        (C.database_deltree("agitest", "sub"), "200 result=1\n", False),
        (C.exec_("NoOp"), "200 result=0\n", 0),
        (C.gosub("agi-sub", "s", 1), "100 result=0 Trying...\n200 result=0 Gosub complete\n", True),
        (C.gosub("a", "s", 1), "200 result=0 Gosub complete (abnormal exit)\n", False),
        (C.receive_text(100), "200 result=-1\n", None),
        (C.receive_text(100), "200 result=1 (hello)\n", "hello"),
        (C.receive_char(100), "200 result=0 (timeout)\n", None),
        (C.receive_char(100), "200 result=65\n", "A"),
        (C.tdd_mode("on"), "200 result=0\n", False),
        (C.hangup(), "200 result=1\n", None),
        (C.set_priority(1), "200 result=0\n", None),
        (
            C.speech_recognize("p", 1000),
            "200 result=1 (timeout) endpos=0\n",
            SpeechResult("timeout", 0),
        ),
        (
            C.speech_recognize("p", 1000),
            "200 result=1 (digit) digit=5 endpos=12\n",
            SpeechResult("digit", 12, "5"),
        ),
        (C.speech_recognize("p", 1000), "200 result=0 endpos=3\n", SpeechResult("", 3)),
        (
            C.speech_recognize("p", 1000),
            '200 result=1 (speech) endpos=9 results=2 score0=900 text0="main menu" grammar0=menu'
            ' score1=-5 text1="x" grammar1=g2\n',
            SpeechResult(
                "speech",
                9,
                matches=(SpeechMatch(900, "main menu", "menu"), SpeechMatch(-5, "x", "g2")),
            ),
        ),
    ],
)
def test_recorded_replies_become_typed_results(
    command: Command[Any], wire: str, expected: Any
) -> None:
    assert _interpret(command, wire) == expected


@pytest.mark.parametrize(
    ("command", "wire"),
    [
        (C.stream_file("no-such-sound-file"), "200 result=-1 endpos=0\n"),
        (C.get_data("no-such-sound-file", 500, 2), "200 result=-1\n"),
        (C.record_file("f", "nosuchformat"), "200 result=-1 (writefile)\n"),
        (C.gosub("no-such-context", "s", 1), "200 result=-1 Gosub label not found\n"),
        (C.speech_create("nosuchengine"), "200 result=0\n"),
        (C.channel_status("Local/nonexistent-0000;2"), "200 result=-1\n"),
        (C.hangup("Local/nonexistent-0000;1"), "200 result=-1\n"),
        (C.receive_char(100), "200 result=-1 (hangup)\n"),
        (C.say_date(0), "200 result=-1\n"),
    ],
)
def test_failures_raise_command_failure_or_hangup_when_hung_up(
    command: Command[Any], wire: str
) -> None:
    with pytest.raises(AGICommandFailure) as info:
        _interpret(command, wire)
    assert info.value.command == command.line
    with pytest.raises(AGIHangup):
        _interpret(command, wire, hung_up=True)


@pytest.mark.parametrize(
    ("command", "wire"),
    [
        (C.exec_("NoSuchApplication", "foo"), "200 result=-2\n"),
        (C.database_put("f", "k", "v"), "200 result=0\n"),
    ],
)
def test_dead_ok_failures_stay_command_failures_after_hangup(
    command: Command[Any], wire: str
) -> None:
    # "Dead: Yes" commands work the same on a dead channel: a hang-up cannot explain
    # their failure.
    for hung_up in (False, True):
        with pytest.raises(AGICommandFailure):
            _interpret(command, wire, hung_up=hung_up)


def test_wait_for_digit_failure_always_means_hangup() -> None:
    with pytest.raises(AGIHangup):
        _interpret(C.wait_for_digit(6000), "200 result=-1\n")


@pytest.mark.parametrize(
    "wire", ["200 result=abc\n", "200 result=12 (timeout) endpos=x\n", "200 result=99\n"]
)
def test_malformed_values_raise_unexpected_reply(wire: str) -> None:
    command = C.channel_status() if "99" in wire else C.stream_file("x")
    with pytest.raises(AGIUnexpectedReply):
        _interpret(command, wire)


def test_unknown_code_is_unexpected_reply() -> None:
    with pytest.raises(AGIUnexpectedReply, match="503"):
        _interpret(C.gosub("a", "b", 1), "503 result=-2 Memory allocation failure\n")


def test_execute_refuses_unsafe_lines() -> None:
    with pytest.raises(ValueError):
        C.execute("NOOP\nHANGUP")


def test_gosub_trying_then_final_and_abnormal_exit() -> None:
    (reply,) = parse_replies(
        b"100 result=0 Trying...\n200 result=0 Gosub complete (abnormal exit)\n"
    )
    assert reply.provisional == ("100 result=0 Trying...",)  # type: ignore[attr-defined]
    agi, _ = canned_session(
        b"100 result=0 Trying...\n", b"200 result=0 Gosub complete (abnormal exit)\n"
    )
    assert agi.gosub("agi-sub", "s", 1) is False
    agi, _ = canned_session(b"100 result=0 Trying...\r\n200 result=0 Gosub complete\r\n")
    assert agi.gosub("agi-sub", "s", 1) is True


def test_typed_results_from_capture_lines() -> None:
    agi, _ = canned_session(
        b"200 result=53\n",
        b"200 result=42\n",
        b"200 result= (timeout)\n",
        b"200 result=55 endpos=15680\n",
        b"200 result=51 (dtmf) endpos=0\n",
        b"200 result=0 (timeout) endpos=16116\n",
        b"200 result=4\n",
        b"200 result=0\n",
        b"200 result=1 ()\n",
        b"200 result=0 endpos=-1\n",
        b"200 result=-2\n",
    )
    assert agi.wait_for_digit(5000) == "5"
    assert agi.get_data("beep", 5000, 5).digits == "42"
    got = agi.get_data("beep", 500, 4)
    assert (got.digits, got.timed_out) == ("", True)
    played = agi.stream_file("demo-congrats", "0123456789*#")
    assert (played.digit, played.endpos) == ("7", 15680)
    rec = agi.record_file("/tmp/x", "wav", "3", 5000)
    assert (rec.reason, rec.digit, rec.endpos) == ("dtmf", "3", 0)
    rec = agi.record_file("/tmp/x", "wav", "#", 2000)
    assert (rec.reason, rec.endpos) == ("timeout", 16116)
    assert agi.channel_status() is ChannelStatus.RING
    assert agi.get_variable("UNSET") is None
    assert agi.get_variable("EMPTY") == ""
    assert agi.control_stream_file("beep").endpos == -1
    with pytest.raises(AGICommandFailure):
        agi.exec("NoSuchApplication", "foo")


def test_database_deltree_and_channel_status_unknown() -> None:
    agi, _ = canned_session(b"200 result=0\n", b"200 result=1\n", b"200 result=-1\n")
    assert agi.database_deltree("agitest", "sub") is True
    assert agi.database_deltree("agitest", "sub") is False
    with pytest.raises(AGICommandFailure):
        agi.channel_status("Local/nonexistent-0000;2")


def test_control_stream_file_keys_without_skip_ms_are_sent() -> None:
    fake = FakeAsterisk()
    fake.run(lambda agi: agi.control_stream_file("f", "", forward="*", rewind="#"))
    assert "*" in fake.words[0] and "#" in fake.words[0]


def test_get_data_max_digits_without_timeout_is_sent() -> None:
    fake = FakeAsterisk()
    fake.run(lambda agi: agi.get_data("enter-pin", max_digits=4))
    assert fake.words[0][-1] == "4"


def test_say_datetime_timezone_without_format_is_sent() -> None:
    fake = FakeAsterisk()
    fake.run(lambda agi: agi.say_datetime(0, "", timezone="UTC"))
    assert "UTC" in fake.words[0]


def test_capture_database_del_twice_is_result_1() -> None:
    agi, _ = canned_session(b"200 result=1\n", b"200 result=1\n")
    agi.database_del("agitest", "key1")
    agi.database_del("agitest", "key1")


def test_record_file_digit_during_beep_is_dtmf() -> None:
    agi, _ = canned_session(b"200 result=35 (randomerror) endpos=0\n")
    rec = agi.record_file("/tmp/x", "wav", "#", 5000, beep=True)
    assert (rec.reason, rec.digit) == ("dtmf", "#")


def test_capture_get_full_variable_unknown_channel_is_none() -> None:
    agi = canned_agi(b"200 result=0\n", b"200 result=1 ()\n")
    assert agi.get_full_variable("${CHANNEL}", "Local/nonexistent-0000;2") is None
    assert agi.get_full_variable("${UNSET_VARIABLE_XYZ}") == ""


def test_get_data_empty_timeout_reply_from_capture() -> None:
    agi = canned_agi(b"200 result= (timeout)\n", b"200 result=-1\n")
    result = agi.get_data("beep", 500, 4)
    assert result.digits == "" and result.timed_out
    with pytest.raises(AGIError):
        agi.get_data("no-such-sound-file", 500, 2)


def test_control_stream_file_endpos_minus_one_on_success() -> None:
    agi = canned_agi(b"200 result=0 endpos=-1\n")
    result = agi.control_stream_file("beep")
    assert result.digit is None and result.endpos == -1


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(st.none(), st.integers(0, 99999)),
    st.one_of(st.none(), st.sampled_from(["#", "*", "1"])),
    st.one_of(st.none(), st.sampled_from(["#", "*", "2"])),
    st.one_of(st.none(), st.sampled_from(["0", "9"])),
    st.one_of(st.none(), st.integers(0, 99999)),
)
def test_control_stream_file_filled_slots_mean_what_asterisk_defaults(
    skip: int | None, fwd: str | None, rev: str | None, pause: str | None, off: int | None
) -> None:
    """Model of handle_controlstreamfile's argv reading: filled slots == omitted ones."""
    line = C.control_stream_file("f", "", skip, fwd, rev, pause, off).line
    from pyst.agi._quoting import split_arguments

    argv = split_arguments(line)
    argc = len(argv)
    skipms = int(argv[5]) if argc > 5 else 3000
    f = argv[6] if argc > 6 and argv[6] else "#"
    r = argv[7] if argc > 7 and argv[7] else "*"
    p = argv[8] if argc > 8 and argv[8] else None
    o = int(argv[9]) if argc > 9 else 0
    assert 5 <= argc <= 10
    assert (skipms, f, r, p, o) == (
        3000 if skip is None else skip,
        fwd or "#",
        rev or "*",
        pause,
        off or 0,
    )


@pytest.mark.parametrize(
    ("command", "line"),
    [
        (C.control_stream_file("f"), 'CONTROL STREAM FILE f ""'),
        (C.control_stream_file("f", "1", 5000), "CONTROL STREAM FILE f 1 5000"),
        (C.control_stream_file("f", "", rewind="#"), 'CONTROL STREAM FILE f "" 3000 "" #'),
        (C.control_stream_file("f", offset_ms=200), 'CONTROL STREAM FILE f "" 3000 "" "" "" 200'),
        (C.get_data("p"), "GET DATA p"),
        (C.get_data("p", 3000), "GET DATA p 3000"),
        (C.get_data("p", max_digits=4), "GET DATA p 0 4"),
        (C.say_datetime(0), 'SAY DATETIME 0 ""'),
        (C.say_datetime(0, "", "HMS"), 'SAY DATETIME 0 "" HMS'),
        (C.say_datetime(0, "#", timezone="UTC"), "SAY DATETIME 0 # \"ABdY 'digits/at' IMp\" UTC"),
    ],
)
def test_positional_defaults(command: C.Command[object], line: str) -> None:
    assert command.line == line


def test_record_beep_failure_and_hangup_still_distinguished() -> None:
    agi = canned_agi(
        b"200 result=-1 (randomerror) endpos=0\n",
        b"200 result=-1 (hangup) endpos=800\n",
    )
    with pytest.raises(AGIError):
        agi.record_file("/tmp/x", "wav", "#", 5000, beep=True)
    assert agi.record_file("/tmp/x", "wav", "#", 5000).reason == "hangup"


def test_send_image_failure_can_only_mean_hangup() -> None:
    # handle_sendimage: "if (!ast_check_hangup(chan)) res = 0;" -- a -1 is sent only
    # when the channel has hung up, even with AGISIGHUP=no and no HANGUP line.
    agi = canned_agi(b"200 result=-1\n")
    with pytest.raises(AGIHangup):
        agi.send_image("logo")
    assert agi.hung_up


def test_receive_char_timeout_message_names_timeout() -> None:
    # ast_recvchar() returns -1 for a timeout as well as a hang-up ("error or
    # timeout"), and handle_recvchar then sends "200 result=-1 (hangup)".
    agi = canned_agi(b"200 result=-1 (hangup)\n")
    with pytest.raises(AGICommandFailure) as info:
        agi.receive_char(100)
    assert "no text character arrived in time" in str(info.value)


def test_say_alpha_sends_case_sensitivity() -> None:
    # handle_sayalpha accepts an optional 5th word: a(ll), l(ower), u(pper), n(one).
    fake = FakeAsterisk()
    assert fake.run(lambda agi: agi.say_alpha("aBc", "", "upper")) is None
    assert fake.commands[-1] == 'SAY ALPHA aBc "" upper'


def test_speech_recognize_sends_its_timeout_in_seconds() -> None:
    # handle_speechrecognize compares time() values: its timeout word is in seconds.
    from pyst.agi import _commands as C

    assert C.speech_recognize("p", 5000).line == "SPEECH RECOGNIZE p 5"
    assert C.speech_recognize("p", 1500).line == "SPEECH RECOGNIZE p 2"  # rounded up
    assert C.speech_recognize("p", 1).line == "SPEECH RECOGNIZE p 1"
    assert C.speech_recognize("p", 0, 100).line == "SPEECH RECOGNIZE p 0 100"  # none

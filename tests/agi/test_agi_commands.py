"""The command set: completeness, wire lines, typed interpretation of real replies."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pyst.agi import (
    COMMANDS,
    AGICommandFailure,
    AGIEnvironment,
    AGIHangup,
    AGIProtocol,
    AGIUnexpectedReply,
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
    from pyst.agi import AGI, AsyncAGI

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

"""pyst.agi.testing: the fake Asterisk answers every command the way Asterisk 22 does
(database, variables, CONTROL STREAM FILE, RECEIVE CHAR, ...), scripted replies, and
sessions driven through it (stdio-like, FastAGI, asyncio).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyst.agi import (
    AGI,
    COMMANDS,
    AGICommandFailure,
    AGIConnectionClosed,
    AGIDeadChannel,
    AGIError,
    AGIHangup,
    AGIInvalidCommand,
    AGIUsageError,
    AsyncAGI,
    ChannelStatus,
    DigitsResult,
    PlaybackResult,
    RecordResult,
    parse_environment,
)
from pyst.agi._commands import noop
from pyst.agi.testing import FakeAsterisk


def ivr(agi: AGI) -> str:
    agi.answer()
    pin = agi.get_data("enter-pin", 3000, 4)
    if pin.digits != "1234":
        agi.stream_file("invalid")
        return "denied"
    agi.set_variable("PIN_OK", "yes")
    return "granted"


def test_environment_and_arguments_reach_the_handler() -> None:
    fake = FakeAsterisk(environment={"callerid": "5551234"}, arguments=["one", "two words"])
    agi = fake.connect()
    assert agi.env.callerid == "5551234"
    assert agi.env.arguments == ("one", "two words")
    assert agi.env.priority == 1


def test_scripted_dtmf_and_recorded_commands() -> None:
    fake = FakeAsterisk(dtmf="1234#")
    assert fake.run(ivr) == "granted"
    assert fake.commands == ["ANSWER", "GET DATA enter-pin 3000 4", "SET VARIABLE PIN_OK yes"]
    assert fake.variables["PIN_OK"] == "yes"
    assert FakeAsterisk(dtmf="9").run(ivr) == "denied"


def test_playback_digits_and_missing_files() -> None:
    fake = FakeAsterisk(dtmf="7", missing_files=["nope"])
    agi = fake.connect()
    assert agi.stream_file("hello", "0123456789") == PlaybackResult("7", 1000)
    assert agi.stream_file("hello") == PlaybackResult(None, 8000)
    with pytest.raises(AGIError) as info:
        agi.stream_file("nope")
    assert not isinstance(info.value, AGIHangup)
    assert agi.channel_status() is ChannelStatus.RING
    agi.answer()
    assert agi.channel_status() is ChannelStatus.UP


def test_record_and_get_data_timeout() -> None:
    fake = FakeAsterisk(dtmf="#")
    agi = fake.connect()
    assert agi.record_file("msg", "wav", "#", 5000) == RecordResult("dtmf", "#", 1000)
    assert agi.get_data("x", 100, 3) == DigitsResult("", True)
    assert fake.recordings == ["msg.wav"]


@pytest.mark.parametrize("signal", ["line", "sighup", "none"])
def test_hangup_after_n_commands_then_dead_channel_rules(signal: str) -> None:
    fake = FakeAsterisk(hangup_after=1, hangup_signal=signal)  # type: ignore[arg-type]
    agi = fake.connect()
    agi.answer()
    with pytest.raises(AGIHangup) as info:
        agi.stream_file("beep")
    assert isinstance(info.value, AGIDeadChannel)
    assert agi.hung_up
    # "Dead: Yes" commands still work, as the captures show.
    agi.set_variable("AFTER", "yes")
    assert agi.get_variable("AFTER") == "yes"
    agi.verbose("still here")
    agi.database_put("fam", "key", "v")
    assert agi.database_get("fam", "key") == "v"
    assert agi.exec("NoOp", "x") == 0
    agi.noop()
    with pytest.raises(AGIHangup):
        agi.wait_for_digit(100)


def test_hangup_during_a_command() -> None:
    fake = FakeAsterisk(hangup_during="WAIT FOR DIGIT", hangup_signal="line")
    agi = fake.connect()
    with pytest.raises(AGIHangup):
        agi.wait_for_digit(10000)
    assert agi.hung_up
    with pytest.raises(AGIHangup):  # -1 from a playback after a hang-up is a hang-up too
        fake.script("STREAM FILE", "200 result=-1 endpos=0")
        agi.stream_file("x")


def test_scripted_raw_replies_and_error_mapping() -> None:
    fake = FakeAsterisk()
    fake.script("SAY NUMBER", "HANGUP", "200 result=0")
    agi = fake.connect()
    assert agi.say_number(5) is None
    assert agi.hung_up
    with pytest.raises(AGIInvalidCommand) as invalid:
        agi.execute("FOOBAR baz")
    assert invalid.value.code == 510
    with pytest.raises(AGIUsageError) as usage:
        agi.execute("STREAM FILE")
    assert "2 to 3 arguments" in usage.value.usage


def test_unanswerable_command_ends_with_connection_closed_not_a_hang() -> None:
    fake = FakeAsterisk()
    fake.script("NOOP")  # an empty scripted answer: Asterisk never replies
    agi = fake.connect()
    with pytest.raises(AGIConnectionClosed):
        agi.noop()
    with pytest.raises(AGIConnectionClosed):  # the session stays closed
        agi.answer()


def test_gosub_and_speech() -> None:
    fake = FakeAsterisk(dtmf="5")
    agi = fake.connect()
    assert agi.gosub("sub", "s", 1, "a", "b") is True
    assert fake.words[-1] == ["GOSUB", "sub", "s", "1", "a,b"]
    agi.speech_create("lumenvox")
    assert agi.speech_recognize("prompt", 1000).digit == "5"
    agi.speech_destroy()


def test_async_handler() -> None:
    async def handler(agi: AsyncAGI) -> str | None:
        await agi.answer()
        await agi.set_variable("X", "1")
        return await agi.wait_for_digit(1000)

    fake = FakeAsterisk(dtmf="9")
    assert asyncio.run(fake.run_async(handler)) == "9"
    assert fake.commands == ["ANSWER", "SET VARIABLE X 1", "WAIT FOR DIGIT 1000"]


def test_agi_can_be_built_outside_the_main_thread() -> None:
    results: list[object] = []

    def worker() -> None:
        try:
            results.append(FakeAsterisk(dtmf="3").run(lambda agi: agi.wait_for_digit(10)))
        except BaseException as error:  # pragma: no cover - reported below
            results.append(error)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(timeout=10)
    assert results == ["3"]


def test_one_command_at_a_time() -> None:
    agi = FakeAsterisk().connect()
    agi.protocol.send(noop())
    with pytest.raises(AGIError, match="one command at a time"):
        agi.answer()


@pytest.mark.parametrize(
    ("variables", "path", "query"),
    [
        (
            {"network_script": "sales?x=1&y=", "request": "agi://h/sales?x=1&y="},
            "sales",
            {"x": ["1"], "y": [""]},
        ),
        ({"request": "agi://127.0.0.1:4573/a/b?lang=fr"}, "a/b", {"lang": ["fr"]}),
        ({"request": "/var/lib/asterisk/agi-bin/x.py"}, "/var/lib/asterisk/agi-bin/x.py", {}),
    ],
)
def test_script_path_and_query(
    variables: dict[str, str], path: str, query: dict[str, list[str]]
) -> None:

    environment = parse_environment({f"agi_{k}": v for k, v in variables.items()})
    assert (environment.script_path, environment.query) == (path, query)


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(sorted(COMMANDS)),
    words=st.lists(st.text(alphabet='ab1#*" \\-', max_size=6), max_size=8),
)
def test_fake_answers_any_command_line(name: str, words: list[str]) -> None:
    fake = FakeAsterisk(dtmf="12#")
    agi = fake.connect()
    with contextlib.suppress(AGIUsageError, AGIInvalidCommand, AGIDeadChannel):
        agi.execute(" ".join([name, *words]))
    assert len(fake.commands) == 1


def test_fake_database_del_missing_key_like_asterisk() -> None:
    fake = FakeAsterisk()
    fake.run(lambda agi: agi.database_del("agitest", "key1"))


def test_fake_without_reply_gives_connection_closed_not_hang() -> None:
    fake = FakeAsterisk()
    fake.script("NOOP")
    agi = fake.connect()
    with pytest.raises(AGIConnectionClosed):
        agi.noop()


def test_fake_deltree_only_deletes_that_family() -> None:
    agi = FakeAsterisk().connect()
    agi.database_put("ab", "k", "1")
    agi.database_put("abc", "k", "2")
    assert agi.database_deltree("ab") is True
    assert agi.database_get("abc", "k") == "2"


def test_fake_get_full_variable_unknown_channel_like_capture() -> None:
    agi = FakeAsterisk().connect()
    assert agi.get_full_variable("${CHANNEL}", "Local/nonexistent-0000;2") is None


def test_fake_control_stream_file_end_of_file_endpos_like_capture() -> None:
    agi = FakeAsterisk().connect()
    result = agi.control_stream_file("beep")
    assert result.digit is None
    assert result.endpos == -1


def test_fake_accepts_filled_positions() -> None:
    fake = FakeAsterisk()
    agi = fake.connect()
    agi.control_stream_file("f", "", offset_ms=100)
    agi.get_data("p", max_digits=2)
    agi.say_datetime(0, "", timezone="Europe/Paris")
    assert fake.words[0][-1] == "100"
    assert fake.words[2][-1] == "Europe/Paris"


def test_fake_deltree_key_tree_and_like_semantics() -> None:
    fake = FakeAsterisk()
    agi = fake.connect()
    agi.database_put("ab", "x/1", "1")
    agi.database_put("ab", "xy/1", "2")
    agi.database_put("AB", "x", "3")
    agi.database_put("a_", "k", "4")
    assert agi.database_deltree("ab", "x") is True
    assert agi.database_get("ab", "xy/1") == "2"
    # SQLite's LIKE ignores the case of ASCII letters: /AB/x/ is under '/ab/x/%'.
    assert agi.database_get("AB", "x") is None
    assert agi.database_deltree("a_") is True  # and '_' matches any one character
    assert fake.database == {}


def test_fake_get_full_variable_own_channel() -> None:
    fake = FakeAsterisk(variables={"X": "1"})
    agi = fake.connect()
    assert agi.get_full_variable("${X}", fake.environment["channel"]) == "1"


def test_fake_control_stream_file_digit_still_has_endpos() -> None:
    agi = FakeAsterisk(dtmf="#").connect()
    result = agi.control_stream_file("beep", "#")
    assert result.digit == "#" and result.endpos == 1000


def test_fake_receive_char_times_out_as_asterisk_does() -> None:
    # Capture stdio_basic: "RECEIVE CHAR 100" on a live channel that gets no text
    # answers "200 result=-1 (hangup)" (ast_recvchar: -1 for "error or timeout").
    fake = FakeAsterisk()
    with pytest.raises(AGICommandFailure):
        fake.run(lambda agi: agi.receive_char(100))
    assert fake.commands == ["RECEIVE CHAR 100"]


def test_fake_set_callerid_answers_as_asterisk() -> None:
    # Capture stdio_basic: SET CALLERID answers "200 result=1" (handle_setcallerid).
    fake = FakeAsterisk()
    agi = fake.connect()
    assert agi.execute("SET CALLERID 5559999").line == "200 result=1"

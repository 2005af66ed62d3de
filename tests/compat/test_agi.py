"""pyst.compat.agi: pyst 0.x's AGI class over the new core, against the fake Asterisk."""

from __future__ import annotations

import os
import signal
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from pyst import agi as new_agi
from pyst.agi.testing import FakeAsterisk
from pyst.compat.agi import (
    AGI,
    DEFAULT_RECORD,
    DEFAULT_TIMEOUT,
    AGIAppError,
    AGIArgumentError,
    AGIDBError,
    AGIError,
    AGIException,
    AGIHangup,
    AGIInvalidCommand,
    AGIResultHangup,
    AGISIGHUPHangup,
    AGISIGPIPEHangup,
    AGIUnknownError,
    AGIUsageError,
    re_code,
    re_kv,
)


def session(**options: Any) -> tuple[AGI, FakeAsterisk]:
    fake = FakeAsterisk(**options)
    return AGI(core=fake.connect()), fake


def test_exception_hierarchy_is_0x() -> None:
    assert issubclass(AGIError, AGIException)
    assert issubclass(AGIAppError, AGIError)
    assert issubclass(AGIHangup, AGIAppError)
    for hangup in (AGISIGHUPHangup, AGISIGPIPEHangup, AGIResultHangup):
        assert issubclass(hangup, AGIHangup)
    assert issubclass(AGIDBError, AGIAppError)
    for error in (AGIUnknownError, AGIUsageError, AGIInvalidCommand):
        assert issubclass(error, AGIError)
        assert not issubclass(error, AGIAppError)
    # and every one is also an error of the new API
    assert issubclass(AGIException, new_agi.AGIError)


def test_module_constants() -> None:
    assert (DEFAULT_TIMEOUT, DEFAULT_RECORD) == (2000, 20000)
    match = re_code.search("200 result=1 (value)")
    assert match is not None and match.groups() == ("200", "result=1 (value)")
    assert re_kv.findall("result=1 (a b) endpos=80") == [
        ("result", "1", "a b"),
        ("endpos", "80", ""),
    ]


def test_env_is_a_dict_of_agi_keys() -> None:
    agi, _ = session(environment={"channel": "PJSIP/100-1", "context": "sales"})
    assert agi.env["agi_channel"] == "PJSIP/100-1"
    assert agi.env["agi_context"] == "sales"
    assert all(key.startswith("agi_") for key in agi.env)


def test_get_variable_returns_empty_string_when_unset() -> None:
    agi, fake = session(variables={"LANG": "fr"})
    assert agi.get_variable("LANG") == "fr"
    assert agi.get_variable("MISSING") == ""
    agi.set_variable("COUNT", 3)
    assert fake.variables["COUNT"] == "3"
    assert agi.get_full_variable("${LANG}") == "fr"
    assert agi.get_full_variable("${LANG}", "PJSIP/other") == ""


def test_value_with_blanks_is_quoted_for_asterisk() -> None:
    agi, fake = session()
    agi.set_variable("GREETING", 'say "hi" there')
    assert fake.variables["GREETING"] == 'say "hi" there'


def test_digit_commands_return_the_digit_or_empty_string() -> None:
    agi, fake = session(dtmf="5")
    assert agi.stream_file("hello", [1, "2", 3]) == ""
    assert fake.commands[-1] == "STREAM FILE hello 123 0"
    assert agi.stream_file("hello", "5", sample_offset=800) == "5"
    assert fake.commands[-1] == "STREAM FILE hello 5 800"
    assert agi.wait_for_digit() == ""
    assert fake.commands[-1] == "WAIT FOR DIGIT 2000"


def test_say_commands_take_0x_digit_lists() -> None:
    agi, fake = session(dtmf="4")
    assert agi.say_digits([1, 2, 3], [4, "5"]) == "4"
    assert agi.say_number(1234) == ""
    assert agi.say_alpha("abc") == ""
    assert agi.say_phonetic("abc", "#") == ""
    assert agi.say_date(1_700_000_000.7) == ""
    assert agi.say_time("1700000000") == ""
    assert fake.commands == [
        "SAY DIGITS 123 45",
        'SAY NUMBER 1234 ""',
        'SAY ALPHA abc ""',
        "SAY PHONETIC abc #",
        'SAY DATE 1700000000 ""',
        'SAY TIME 1700000000 ""',
    ]


def test_say_datetime_with_zone_only_keeps_the_zone_in_its_place() -> None:
    agi, fake = session()
    agi.say_datetime(0, zone="UTC")
    # 0.x sent an empty format that Asterisk dropped, so the zone was read as the format.
    assert fake.words[-1][-2:] == ["ABdY 'digits/at' IMp", "UTC"]
    agi.say_datetime(0, "", "IMp")
    assert fake.words[-1][-1] == "IMp"


def test_get_data_returns_the_digits() -> None:
    agi, fake = session(dtmf="1234#")
    assert agi.get_data("enter-pin") == "1234"
    assert fake.commands[-1] == "GET DATA enter-pin 2000 255"
    assert agi.get_data("again", timeout=5000, max_digits=4) == ""
    assert fake.commands[-1] == "GET DATA again 5000 4"


def test_get_option_sends_timeout_only_when_given() -> None:
    agi, fake = session(dtmf="9")
    assert agi.get_option("menu", "9") == "9"
    assert agi.get_option("menu", "12", 3000) == ""
    assert fake.commands == ["GET OPTION menu 9", "GET OPTION menu 12 3000"]


def test_control_stream_file_sends_every_slot() -> None:
    agi, fake = session()
    assert agi.control_stream_file("story", "1", rew="4") == ""
    assert fake.words[-1][3:] == ["story", "1", "3000", "", "4", ""]


def test_missing_file_is_an_app_error_not_a_hangup() -> None:
    agi, _ = session(missing_files=["nope"])
    with pytest.raises(AGIAppError) as raised:
        agi.stream_file("nope")
    assert not isinstance(raised.value, AGIHangup)


def test_record_file() -> None:
    agi, fake = session(dtmf="#")
    assert agi.record_file("msg") == "#"
    assert fake.words[-1][2:] == ["msg", "gsm", "#", "20000", "0", "BEEP"]
    assert agi.record_file("msg2", "wav", "*", 5000, beep="") == chr(0)
    assert fake.words[-1][2:] == ["msg2", "wav", "*", "5000", "0"]  # 0.x sent the offset
    assert fake.recordings == ["msg.gsm", "msg2.wav"]


def test_record_file_hangup_raises_result_hangup() -> None:
    agi, _ = session(hangup_during="RECORD FILE")
    with pytest.raises(AGIResultHangup):
        agi.record_file("msg")


def test_appexec() -> None:
    agi, fake = session(unknown_applications=["Festival"])
    assert agi.appexec("Playback", "hello,skip") == "0"
    assert fake.applications == [("Playback", "hello,skip")]
    with pytest.raises(AGIAppError, match="Unable to find application: Festival"):
        agi.appexec("Festival", "hi")
    fake.script("EXEC", "200 result=-1")
    with pytest.raises(AGIAppError):
        agi.appexec("Dial", "PJSIP/1")


def test_channel_status() -> None:
    agi, _ = session(answered=True)
    assert agi.channel_status() == 6
    assert agi.channel_status("PJSIP/nobody") == -1


def test_tdd_mode_raises_when_not_capable() -> None:
    agi, fake = session()
    agi.tdd_mode("on")
    fake.script("TDD MODE", "200 result=0")
    with pytest.raises(AGIAppError, match="PJSIP/fake-00000001 is not TDD-capable"):
        agi.tdd_mode("on")


def test_database() -> None:
    agi, fake = session()
    agi.database_put("cid", "100", "Alice")
    assert agi.database_get("cid", "100") == "Alice"
    with pytest.raises(AGIDBError):
        agi.database_get("cid", "200")
    agi.database_deltree("cid")
    assert fake.database == {}
    with pytest.raises(AGIDBError):  # nothing left to delete
        agi.database_deltree("cid")
    fake.script("DATABASE PUT", "200 result=0")
    with pytest.raises(AGIDBError):
        agi.database_put("cid", "1", "x")
    fake.script("DATABASE DEL", "200 result=0")
    with pytest.raises(AGIDBError):
        agi.database_del("cid", "1")


def test_context_extension_priority_and_goto_on_exit() -> None:
    agi, fake = session(environment={"context": "in", "extension": "100", "priority": "3"})
    agi.goto_on_exit(extension="200")
    assert fake.commands == ["SET CONTEXT in", "SET EXTENSION 200", "SET PRIORITY 3"]


def test_other_commands_reach_asterisk_as_0x_sent_them() -> None:
    agi, fake = session()
    agi.answer()
    agi.send_text("hi there")
    agi.send_image("logo")
    agi.set_autohangup(5)
    agi.set_callerid("100")
    agi.verbose("hello", 2)
    agi.noop()
    agi.hangup("PJSIP/fake-00000001")
    assert fake.commands == [
        "ANSWER",
        'SEND TEXT "hi there"',
        "SEND IMAGE logo",
        "SET AUTOHANGUP 5",
        "SET CALLERID 100",
        "VERBOSE hello 2",
        "NOOP",
        "HANGUP PJSIP/fake-00000001",
    ]
    assert not fake.alive


def test_receive_char_timeout_is_an_app_error() -> None:
    agi, _ = session()
    with pytest.raises(AGIAppError):
        agi.receive_char()


def test_execute_returns_the_0x_result_dict() -> None:
    agi, _ = session(variables={"X": "a b"})
    assert agi.execute("GET VARIABLE", "X") == {"result": ("1", "a b")}
    assert agi.execute("NOOP") == {"result": ("0", "")}
    agi.send_command("GET VARIABLE", "X")
    assert agi.get_result() == {"result": ("1", "a b")}
    with pytest.raises(AGIUnknownError):
        agi.get_result()


def test_execute_raises_0x_errors() -> None:
    agi, fake = session()
    with pytest.raises(AGIInvalidCommand):
        agi.execute("FROBNICATE")
    fake.script("STREAM", "200 result=-1 endpos=0")
    with pytest.raises(AGIAppError):
        agi.execute("STREAM FILE", "x", '""')
    fake.script("RECORD", "200 result=-1 (hangup) endpos=0")
    with pytest.raises(AGIResultHangup):
        agi.execute("RECORD FILE", "x", "wav", "#", "1000")
    with pytest.raises(AGIUsageError) as raised:
        agi.execute("SET PRIORITY", "nolabel")
    assert "Changes the priority" in raised.value.usage


def test_after_sighup_every_command_raises_sighup_hangup() -> None:
    agi, fake = session(hangup_after=1, hangup_signal="sighup")
    agi.answer()
    with pytest.raises(AGISIGHUPHangup):
        agi.test_hangup()
    with pytest.raises(AGISIGHUPHangup):
        agi.verbose("still there?")  # 0.x checked for SIGHUP before every command
    assert fake.commands == ["ANSWER"]


def test_hangup_reported_by_asterisk_is_result_hangup() -> None:
    agi, _ = session(hangup_after=1, hangup_signal="line")
    agi.answer()
    with pytest.raises(AGIResultHangup):
        agi.stream_file("hello")
    assert agi.get_variable("X") == ""  # "Dead: Yes" commands still work, as in 0.x


def test_closed_connection_is_sigpipe_hangup() -> None:
    agi, fake = session()
    fake.script("ANSWER")  # no reply at all: the fake closes the connection
    with pytest.raises(AGISIGPIPEHangup):
        agi.answer()


def test_line_breaks_in_arguments_are_refused_before_sending() -> None:
    agi, fake = session()
    with pytest.raises(AGIArgumentError) as raised:
        agi.set_variable("X", "a\nHANGUP")
    assert isinstance(raised.value, ValueError) and isinstance(raised.value, AGIError)
    assert fake.commands == []


@pytest.fixture
def fastagi_socket() -> Iterator[tuple[socket.socket, FakeAsterisk, threading.Thread]]:
    fake = FakeAsterisk(variables={"V": "1"}, dtmf="7")
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        driver = threading.Thread(target=fake.drive_blocking, args=("127.0.0.1", port, 10))
        driver.start()
        conn, _ = listener.accept()
    with conn:
        yield conn, fake, driver
    driver.join(10)


@pytest.mark.parametrize("mode", ["text", "binary"])
def test_file_objects_as_in_0x_fastagi(
    fastagi_socket: tuple[socket.socket, FakeAsterisk, threading.Thread], mode: str
) -> None:
    conn, fake, driver = fastagi_socket
    suffix = "b" if mode == "binary" else ""
    stdin, stdout = conn.makefile("r" + suffix), conn.makefile("w" + suffix)
    # a worker thread, as a FastAGI server runs its sessions (no SIGHUP handler there)
    outcome: list[object] = []

    def handler() -> None:
        agi = AGI(stdin, stdout)
        outcome.extend([agi.env["agi_channel"], agi.get_variable("V"), agi.wait_for_digit(-1)])
        agi.hangup()

    worker = threading.Thread(target=handler)
    worker.start()
    worker.join(10)
    conn.shutdown(socket.SHUT_RDWR)
    driver.join(10)
    assert outcome == ["PJSIP/fake-00000001", "1", "7"]
    assert fake.commands == ["GET VARIABLE V", "WAIT FOR DIGIT -1", "HANGUP"]


def test_wraps_a_threaded_fastagi_session() -> None:
    answers: list[str] = []

    def handler(session: new_agi.AGI) -> None:
        agi = AGI(core=session)  # 0.x code inside a new FastAGI server
        answers.append(agi.get_variable("V"))
        answers.append(agi.env["agi_network_script"])
        agi.verbose("done")

    fake = FakeAsterisk(
        variables={"V": "42"}, environment={"network": "yes", "network_script": "ivr"}
    )
    with new_agi.ThreadedFastAGIServer({"*": handler}, host="127.0.0.1", port=0) as server:
        fake.drive_blocking("127.0.0.1", server.port, 10)
    assert answers == ["42", "ivr"]
    assert fake.commands == ["GET VARIABLE V", "VERBOSE done 1"]


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP on this platform")
def test_sighup_marks_the_session_hung_up(
    fastagi_socket: tuple[socket.socket, FakeAsterisk, threading.Thread],
) -> None:
    conn, fake, _ = fastagi_socket
    previous = signal.getsignal(signal.SIGHUP)
    try:
        agi = AGI(conn.makefile("r"), conn.makefile("w"))  # main thread: 0.x's handler
        assert agi.get_variable("V") == "1"
        os.kill(os.getpid(), signal.SIGHUP)  # what Asterisk sends when the caller hangs up
        with pytest.raises(AGISIGHUPHangup):
            agi.get_variable("V")
    finally:
        signal.signal(signal.SIGHUP, previous)
    conn.shutdown(socket.SHUT_RDWR)
    assert fake.commands == ["GET VARIABLE V"]

"""The AGI session (AGIProtocol behind AGI/AsyncAGI): one command at a time, hang-up
detection and the AGIHangup family, dead-channel commands, usage blocks owed after EXEC,
send/receive failures that leave the session unusable, and the transcript observer.
"""

from __future__ import annotations

import asyncio
import contextlib
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyst.agi import (
    AGI,
    AGICommandFailure,
    AGIConnectionClosed,
    AGIDeadChannel,
    AGIError,
    AGIHangup,
    AGIUsageError,
    AsyncAGI,
    Transcript,
    parse_environment,
)

from .helpers import (
    ENV,
    ClosedPipe,
    Wire,
    canned_agi,
    canned_session,
)

_USAGE = (
    b"520-Invalid command syntax.  Proper usage follows:\n"
    b"Executes <replaceable>application</replaceable> with given options.\n"
    b"520 End of proper usage.\n"
)

_CATALOGUE: list[tuple[str, tuple[object, ...], bytes, object]] = [
    ("verbose", ("x",), b"200 result=1\n", None),
    ("get_variable", ("V",), b"200 result=1 (a b)\n", "a b"),
    ("get_variable", ("V",), b"200 result=0\n", None),
    ("get_variable", ("V",), b"200 result=1 (a\nb)\n", "a\nb"),
    ("get_full_variable", ("${X}",), b"200 result=1 ()\n", ""),
    ("exec", ("Foo",), b"200 result=1\n" + _USAGE, 1),
    ("exec", ("NoOp",), b"200 result=0\n", 0),
    ("gosub", ("c", "s", 1), b"100 result=0 Trying...\n200 result=0 Gosub complete\n", True),
    ("wait_for_digit", (100,), b"200 result=53\n", "5"),
    ("database_deltree", ("fam",), b"200 result=1\n", False),
    ("execute", ("GET DATA",), _USAGE, "AGIUsageError"),
    ("execute", ("FOO BAR",), b"510 Invalid or unknown command\n", "AGIInvalidCommand"),
]


def _stream_file_error(chunks: list[bytes]) -> str:
    agi = AGI(Wire([ENV, *chunks]), transcript=False)
    with pytest.raises(AGIError) as info:
        agi.stream_file("x")
    return type(info.value).__name__


def test_inline_hangup_before_and_after_reply() -> None:
    agi, _ = canned_session(
        b"HANGUP\n200 result=0\nHANGUP\n", b"511 Command Not Permitted on a dead channel\n"
    )
    assert agi.noop() is None
    assert agi.hung_up
    with pytest.raises(AGIDeadChannel):
        agi.answer()


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200), st.sampled_from(["wait_for_digit", "get_variable", "noop"]))
def test_session_any_bytes_stay_in_hierarchy(data: bytes, method: str) -> None:
    agi, _ = canned_session(data)
    args = {"wait_for_digit": (10,), "get_variable": ("X",), "noop": ()}[method]
    for _ in range(3):
        with contextlib.suppress(AGIError):
            getattr(agi, method)(*args)


def test_exec_result_one_followed_by_usage_block_does_not_desync() -> None:
    agi, _ = canned_session(
        b"200 result=1\n"
        b"520-Invalid command syntax.  Proper usage follows:\n"
        b"Executes application with given options.\n"
        b"520 End of proper usage.\n",
        b"200 result=1 (value)\n",
    )
    assert agi.exec("SomeApp", "x") == 1
    assert agi.get_variable("V") == "value"


def test_hangup_errors_are_one_family() -> None:
    agi, _ = canned_session(b"200 result=-1\n")
    with pytest.raises(AGIHangup):
        agi.wait_for_digit(10000)
    agi, _ = canned_session()
    with pytest.raises(AGIHangup):
        agi.noop()


def test_exec_unknown_app_after_hangup_is_still_a_command_failure() -> None:
    agi, _ = canned_session(b"HANGUP\n200 result=0\n", b"200 result=-2\n")
    agi.noop()
    assert agi.hung_up
    with pytest.raises(AGICommandFailure):
        agi.exec("NoSuchApplication", "foo")


def test_dead_ok_commands_work_after_hangup_like_capture() -> None:
    agi, _ = canned_session(
        b"HANGUP\n200 result=1\n",
        b"200 result=0\n",
        b"511 Command Not Permitted on a dead channel or intercept routine\n",
        b"200 result=1 (preset value)\n",
        b"200 result=1\n",
        b"200 result=0\n",
    )
    agi.hangup()
    assert agi.noop() is None
    with pytest.raises(AGIDeadChannel):
        agi.channel_status()
    assert agi.get_variable("PRESET_VAR") == "preset value"
    assert agi.verbose("after hangup") is None
    assert agi.database_deltree("agitest") is True


def test_send_failure_keeps_hangup_family() -> None:
    agi = AGI(ClosedPipe([ENV]), transcript=False)
    with pytest.raises(AGIHangup):
        agi.answer()
    with pytest.raises(AGIHangup):
        agi.verbose("cleanup")


def test_exec_result_one_then_hangup_line_then_next_reply() -> None:
    agi = canned_agi(
        b"200 result=1\n520-Invalid command syntax.  Proper usage follows:\n"
        b"Executes <replaceable>application</replaceable>\n520 End of proper usage.\n",
        b"200 result=1\n",
    )
    assert agi.exec("Foo") == 1
    agi.verbose("next")  # gets its own 200, not the usage block


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, len(_CATALOGUE) - 1), st.integers(0, 2)), max_size=15),
    st.integers(1, 40),
)
def test_any_reply_sequence_any_chunking_keeps_place(
    picks: list[tuple[int, int]], chunk: int
) -> None:
    stream = b"".join(_CATALOGUE[i][2] + b"HANGUP\n" * hangups for i, hangups in picks)
    chunks = [ENV] + [stream[k : k + chunk] for k in range(0, len(stream), chunk)]
    agi = AGI(Wire(chunks), transcript=False)
    for i, _ in picks:
        method, args, _, expected = _CATALOGUE[i]
        if isinstance(expected, str) and expected.startswith("AGI"):
            with pytest.raises(AGIError) as info:
                getattr(agi, method)(*args)
            assert type(info.value).__name__ == expected
        else:
            assert getattr(agi, method)(*args) == expected


def test_record_hangup_reply_marks_session_hung_up() -> None:
    agi = canned_agi(b"200 result=-1 (hangup) endpos=800\n", b"200 result=-1 endpos=0\n")
    assert agi.record_file("/tmp/x").reason == "hangup"
    assert agi.hung_up
    with pytest.raises(AGIHangup):
        agi.stream_file("x")


def test_hangup_after_reply_same_outcome_for_any_chunking() -> None:
    stream = b"200 result=-1 endpos=0\nHANGUP\n"
    one = _stream_file_error([stream])
    split = _stream_file_error([stream[:23], stream[23:]])
    assert one == split


def test_inferred_hangup_makes_later_failures_hangups() -> None:
    agi = canned_agi(b"200 result=-1\n", b"200 result=-1 endpos=0\n")
    with pytest.raises(AGIHangup):
        agi.wait_for_digit(1000)
    assert agi.hung_up
    with pytest.raises(AGIHangup):
        agi.stream_file("x")


def test_send_failure_is_reported_once_and_then_closed() -> None:
    class Broken(Wire):
        def send(self, data: bytes) -> None:
            raise AGIConnectionClosed("pipe closed")

    log = io.StringIO()
    agi = AGI(Broken([ENV]), transcript=Transcript(log))
    with pytest.raises(AGIConnectionClosed):
        agi.answer()
    assert agi.hung_up and not agi.protocol.waiting
    for _ in range(2):
        with pytest.raises(AGIConnectionClosed):
            agi.verbose("cleanup")
    assert "ANSWER" in log.getvalue() and "AGIConnectionClosed" in log.getvalue()


def test_async_send_failure_keeps_hangup_family() -> None:
    class Broken:
        async def send(self, data: bytes) -> None:
            raise AGIConnectionClosed("socket closed")

        async def receive(self) -> bytes:
            return b""

        async def close(self) -> None:
            pass

    async def main() -> None:
        agi = AsyncAGI(Broken(), environment=parse_environment({}), transcript=False)
        with pytest.raises(AGIHangup):
            await agi.answer()
        with pytest.raises(AGIHangup):
            await agi.verbose("cleanup")

    asyncio.run(main())


def test_send_interrupted_by_other_error_refuses_further_commands() -> None:
    class Flaky(Wire):
        def send(self, data: bytes) -> None:
            raise KeyboardInterrupt

    agi = AGI(Flaky([ENV]), transcript=False)
    with pytest.raises(KeyboardInterrupt):
        agi.noop()
    with pytest.raises(AGIError, match="earlier error"):
        agi.noop()


def test_exec_one_then_genuine_usage_error_of_next_command() -> None:
    agi = canned_agi(
        b"200 result=1\n520-Invalid command syntax.  Proper usage follows:\nx\n"
        b"520 End of proper usage.\n",
        b"520-Invalid command syntax.  Proper usage follows:\nUsage: STREAM FILE\n"
        b"520 End of proper usage.\n",
        b"200 result=0\n",
    )
    assert agi.exec("App") == 1
    with pytest.raises(AGIUsageError) as info:
        agi.execute("STREAM FILE")
    assert "STREAM FILE" in info.value.usage
    assert agi.noop() is None


def test_exec_other_results_owe_nothing() -> None:
    agi = canned_agi(
        b"200 result=0\n",
        b"520 Invalid command syntax.  Proper usage not available.\n",
    )
    assert agi.exec("App") == 0
    with pytest.raises(AGIUsageError):
        agi.execute("STREAM FILE")


def test_receive_failure_of_custom_transport_keeps_hangup_family() -> None:
    class Dropping(Wire):
        def receive(self) -> bytes:
            if self.chunks:
                return self.chunks.pop(0)
            raise AGIConnectionClosed("socket reset")

    log = io.StringIO()
    agi = AGI(Dropping([ENV]), transcript=Transcript(log))
    with pytest.raises(AGIConnectionClosed):
        agi.noop()
    assert agi.hung_up
    with pytest.raises(AGIHangup):
        agi.verbose("cleanup")
    assert "NOOP" in log.getvalue() and "socket reset" in log.getvalue()


def test_speech_recognize_hangup_sets_hung_up() -> None:
    # handle_speechrecognize sends "(hangup)" only when ast_read() returned NULL (the
    # channel is gone), like RECORD FILE's "(hangup)".
    agi = canned_agi(b"200 result=1 (hangup) endpos=120\n")
    result = agi.speech_recognize("prompt", 5000)
    assert result.reason == "hangup"
    assert result.endpos == 120
    assert agi.hung_up


def test_failing_transcript_observer_does_not_break_the_session(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A transcript that cannot be written (closed file, full disk) must not turn a
    # command Asterisk carried out into an exception outside AGIError.
    def observer(*_: object) -> None:
        raise ValueError("I/O operation on closed file")

    agi = AGI(Wire([ENV, b"200 result=1 (v)\n", b"200 result=0\n"]), transcript=observer)
    assert agi.get_variable("V") == "v"
    agi.verbose("still works")
    assert "transcript observer failed" in caplog.text


def test_raw_exec_with_tabs_or_leading_blanks_still_drops_the_usage_block() -> None:
    # parse_args splits at spaces and tabs and skips leading ones, so "\tEXEC\tX" is
    # EXEC: its "200 result=1" is followed by the 520 usage block.
    usage = (
        b"200 result=1\n520-Invalid command syntax.  Proper usage follows:\n"
        b"Usage: EXEC\n520 End of proper usage.\n"
    )
    agi = canned_agi(usage, b"200 result=0\n")
    assert agi.execute(" \tEXEC\tSomeApp").result == "1"
    agi.verbose("gets its own reply")


def test_hangup_of_the_own_channel_marks_the_session_hung_up_at_once() -> None:
    # Without AGISIGHUP (or over AsyncAGI) no HANGUP line follows HANGUP's reply.
    agi = canned_agi(b"200 result=1\n", b"200 result=1\n")
    agi.hangup()
    assert agi.hung_up
    agi = canned_agi(b"200 result=1\n")
    agi.hangup(agi.env.channel)
    assert agi.hung_up


def test_hangup_of_another_channel_leaves_the_session_up() -> None:
    agi = canned_agi(b"200 result=1\n", b"200 result=-1\n")
    agi.hangup("PJSIP/other-00000001")
    assert not agi.hung_up
    with pytest.raises(AGICommandFailure):
        agi.hangup("PJSIP/nobody-00000002")
    assert not agi.hung_up

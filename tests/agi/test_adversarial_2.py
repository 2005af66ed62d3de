"""Second adversarial QA round for pyst.agi (new bugs and regressions of the fixes).

Authorities: the Asterisk 22 captures in /work/shared/asterisk/captures/agi and Asterisk's
source (res/res_agi.c, main/db.c).  Tests marked ``xfail(strict=True)`` document bugs.
"""

from __future__ import annotations

import asyncio
import io
import socket
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyst.agi import (
    AGI,
    AGIArgumentError,
    AGIConnectionClosed,
    AGIError,
    AGIHangup,
    FastAGIServer,
    ThreadedFastAGIServer,
    TracebackOptions,
    Transcript,
)
from pyst.agi import _commands as C
from pyst.agi._debug import format_report
from pyst.agi._reply import ReplyParser
from pyst.agi.testing import FakeAsterisk

HOST = "127.0.0.1"
ENV = b"agi_network: yes\nagi_network_script: test\nagi_request: agi://127.0.0.1/test\n\n"


class _Wire:
    """Blocking transport fed from canned Asterisk bytes (one chunk per receive)."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = list(chunks)
        self.sent: list[bytes] = []

    def send(self, data: bytes) -> None:
        self.sent.append(data)

    def receive(self) -> bytes:
        return self.chunks.pop(0) if self.chunks else b""

    def close(self) -> None:
        pass


def _agi(*replies: bytes, transcript: object = False) -> AGI:
    return AGI(_Wire([ENV, *replies]), transcript=transcript)  # type: ignore[arg-type]


# ------------------------------------------------------------------ secrets / crash report


def test_long_secret_is_not_printed_by_truncated_locals() -> None:
    agi = FakeAsterisk().connect()
    secret = "S3cret" + "q" * 300 + "\n"  # the LF makes quoting refuse it: a crash
    with pytest.raises(AGIArgumentError) as info:
        agi.set_variable("DB_PASSWORD", secret)
    report = "\n".join(format_report(info.value, TracebackOptions(show_locals=True)))
    assert "S3cretqqqq" not in report


def test_short_secret_still_redacted_in_locals() -> None:
    agi = FakeAsterisk().connect()
    with pytest.raises(AGIArgumentError) as info:
        secret = "S3cret" + "q" * 4 + "\n"
        agi.set_variable("DB_PASSWORD", secret)
    report = "\n".join(format_report(info.value, TracebackOptions(show_locals=True)))
    assert "S3cretqqqq" not in report


def test_cut_secret_read_not_in_transcript() -> None:
    log = io.StringIO()
    agi = _agi(b"200 result=1 (hunter2-very-secret", transcript=Transcript(log))
    with pytest.raises(AGIError) as info:
        agi.get_variable("DB_PASSWORD")
    assert "hunter2-very-secret" not in str(info.value)
    assert "hunter2-very-secret" not in log.getvalue()


def test_secret_read_back_redacted_in_transcript() -> None:
    log = io.StringIO()
    agi = _agi(b"200 result=1 (hunter2)\n", transcript=Transcript(log))
    assert agi.get_variable("SIP_PASSWORD") == "hunter2"
    assert "hunter2" not in log.getvalue()


# --------------------------------------------------------------------- threaded server


def _trickle(port: int, seconds: float) -> bool:
    """Send an unfinished environment one byte at a time; True if the server closed it."""
    data = b"agi_network: yes\n" * 50
    with socket.create_connection((HOST, port), timeout=2) as sock:
        sock.settimeout(0.05)
        start = time.monotonic()
        for i in range(len(data)):
            if time.monotonic() - start > seconds:
                return False
            try:
                sock.sendall(data[i : i + 1])
                if sock.recv(1) == b"":
                    return True
            except TimeoutError:
                pass
            except OSError:
                return True
            time.sleep(0.05)
    return False


def test_threaded_environment_timeout_bounds_whole_block() -> None:
    server = ThreadedFastAGIServer(
        lambda agi: None, host=HOST, port=0, environment_timeout=0.4
    )
    server.start()
    try:
        assert _trickle(server.port, 2.0)
    finally:
        server.shutdown(0.2)


def test_async_environment_timeout_bounds_whole_block() -> None:
    async def main() -> bool:
        async def handler(agi: object) -> None:
            return None

        server = FastAGIServer(handler, host=HOST, port=0, environment_timeout=0.4)
        async with server:
            closed = await asyncio.to_thread(_trickle, server.port, 2.0)
        return closed

    assert asyncio.run(main())


# ------------------------------------------------------------------ fake vs Asterisk


def test_fake_deltree_only_deletes_that_family() -> None:
    agi = FakeAsterisk().connect()
    agi.database_put("ab", "k", "1")
    agi.database_put("abc", "k", "2")
    assert agi.database_deltree("ab") is True
    assert agi.database_get("abc", "k") == "2"


def test_fake_get_full_variable_unknown_channel_like_capture() -> None:
    agi = FakeAsterisk().connect()
    assert agi.get_full_variable("${CHANNEL}", "Local/nonexistent-0000;2") is None


def test_capture_get_full_variable_unknown_channel_is_none() -> None:
    agi = _agi(b"200 result=0\n", b"200 result=1 ()\n")
    assert agi.get_full_variable("${CHANNEL}", "Local/nonexistent-0000;2") is None
    assert agi.get_full_variable("${UNSET_VARIABLE_XYZ}") == ""


# ------------------------------------------------------------------ parser performance


def _feed_long_line(n: int) -> float:
    parser = ReplyParser()
    start = time.perf_counter()
    parser.feed(b"200 result=1 (")
    for _ in range(n):
        parser.feed(b"x")
    parser.feed(b")\n")
    reply = parser.next_reply()
    elapsed = time.perf_counter() - start
    assert reply is not None and reply.data is not None and len(reply.data) == n
    return elapsed


def test_long_line_in_small_chunks_is_linear() -> None:
    small = _feed_long_line(100_000)
    large = _feed_long_line(400_000)
    assert large / small < 8  # linear: ~4; quadratic: ~16


# ------------------------------------------------------------------ defaults and replies


def test_get_data_empty_timeout_reply_from_capture() -> None:
    agi = _agi(b"200 result= (timeout)\n", b"200 result=-1\n")
    result = agi.get_data("beep", 500, 4)
    assert result.digits == "" and result.timed_out
    with pytest.raises(AGIError):
        agi.get_data("no-such-sound-file", 500, 2)


def test_control_stream_file_endpos_minus_one_on_success() -> None:
    agi = _agi(b"200 result=0 endpos=-1\n")
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


def test_exec_result_one_then_hangup_line_then_next_reply() -> None:
    agi = _agi(
        b"200 result=1\n520-Invalid command syntax.  Proper usage follows:\n"
        b"Executes <replaceable>application</replaceable>\n520 End of proper usage.\n",
        b"200 result=1\n",
    )
    assert agi.exec("Foo") == 1
    agi.verbose("next")  # gets its own 200, not the usage block


def test_threaded_server_still_serves_normal_sessions() -> None:
    done = threading.Event()

    def handler(agi: AGI) -> None:
        agi.verbose("hello")
        done.set()

    server = ThreadedFastAGIServer(handler, host=HOST, port=0, environment_timeout=1.0)
    server.start()
    try:
        FakeAsterisk().drive_blocking(HOST, server.port, timeout=5)
        assert done.wait(2)
    finally:
        server.shutdown(0.5)


# ------------------------------------------------------------------ crash report limits


def test_async_crash_report_bounded_by_session_timeout() -> None:
    async def main() -> int:
        async def handler(agi: object) -> None:
            raise ValueError("boom")

        server = FastAGIServer(
            handler, host=HOST, port=0, session_timeout=0.3, debug=TracebackOptions()
        )
        await server.start()
        try:
            _reader, writer = await asyncio.open_connection(HOST, server.port)
            writer.write(ENV)
            await writer.drain()
            await asyncio.sleep(1.5)  # never answer the VERBOSE lines
            active = server.stats.active
            writer.close()
        finally:
            await server.close(0.1)
        return active

    assert asyncio.run(main()) == 0


def test_threaded_crash_report_bounded_by_session_timeout() -> None:
    def handler(agi: AGI) -> None:
        raise ValueError("boom")

    server = ThreadedFastAGIServer(
        handler, host=HOST, port=0, session_timeout=0.3, debug=TracebackOptions()
    )
    server.start()
    try:
        with socket.create_connection((HOST, server.port), timeout=2) as sock:
            sock.sendall(ENV)
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline and not (
                server.stats.failed and not server.stats.active
            ):
                time.sleep(0.05)
            assert server.stats.failed == 1
            assert server.stats.active == 0
    finally:
        server.shutdown(0.1)


def test_exec_set_secret_hidden_in_crash_report_like_transcript() -> None:
    agi = FakeAsterisk().connect()
    with pytest.raises(AGIArgumentError) as info:
        agi.exec("Set", "DB_PASSWORD=" + "hunter" + "77\n")  # no local of the test holds it
    report = "\n".join(format_report(info.value, TracebackOptions(show_locals=True)))
    assert "hunter77" not in report


# ------------------------------------------------------------------ desync model (normal)

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


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, len(_CATALOGUE) - 1), st.integers(0, 2)), max_size=15
    ),
    st.integers(1, 40),
)
def test_any_reply_sequence_any_chunking_keeps_place(
    picks: list[tuple[int, int]], chunk: int
) -> None:
    stream = b"".join(_CATALOGUE[i][2] + b"HANGUP\n" * hangups for i, hangups in picks)
    chunks = [ENV] + [stream[k : k + chunk] for k in range(0, len(stream), chunk)]
    agi = AGI(_Wire(chunks), transcript=False)
    for i, _ in picks:
        method, args, _, expected = _CATALOGUE[i]
        if isinstance(expected, str) and expected.startswith("AGI"):
            with pytest.raises(AGIError) as info:
                getattr(agi, method)(*args)
            assert type(info.value).__name__ == expected
        else:
            assert getattr(agi, method)(*args) == expected


def test_fake_control_stream_file_end_of_file_endpos_like_capture() -> None:
    agi = FakeAsterisk().connect()
    result = agi.control_stream_file("beep")
    assert result.digit is None
    assert result.endpos == -1


class _BrokenPipe(_Wire):
    def send(self, data: bytes) -> None:
        raise AGIConnectionClosed("pipe closed")


def _report_of_failed_set_variable(keywords: bool) -> str:
    agi = AGI(_BrokenPipe([ENV]), transcript=False)
    with pytest.raises(AGIError) as info:
        if keywords:
            agi.set_variable(name="DB_PASSWORD", value="hunter" + "77")
        else:
            agi.set_variable("DB_PASSWORD", "hunter" + "77")
    return "\n".join(format_report(info.value, TracebackOptions(show_locals=True)))


def test_positional_secret_hidden_when_send_fails() -> None:
    assert "hunter77" not in _report_of_failed_set_variable(keywords=False)


def test_keyword_secret_hidden_when_send_fails() -> None:
    assert "hunter77" not in _report_of_failed_set_variable(keywords=True)


# ------------------------------------------------------------------ hang-up inference


def test_record_hangup_reply_marks_session_hung_up() -> None:
    agi = _agi(b"200 result=-1 (hangup) endpos=800\n", b"200 result=-1 endpos=0\n")
    assert agi.record_file("/tmp/x").reason == "hangup"
    assert agi.hung_up
    with pytest.raises(AGIHangup):
        agi.stream_file("x")


def test_wait_for_digit_minus_one_marks_session_hung_up() -> None:
    agi = _agi(b"200 result=-1\n", b"200 result=-1 endpos=0\n")
    with pytest.raises(AGIHangup):
        agi.wait_for_digit(10000)
    assert agi.hung_up
    with pytest.raises(AGIHangup):
        agi.stream_file("x")


def _stream_file_error(chunks: list[bytes]) -> str:
    agi = AGI(_Wire([ENV, *chunks]), transcript=False)
    with pytest.raises(AGIError) as info:
        agi.stream_file("x")
    return type(info.value).__name__


def test_hangup_after_reply_same_outcome_for_any_chunking() -> None:
    stream = b"200 result=-1 endpos=0\nHANGUP\n"
    one = _stream_file_error([stream])
    split = _stream_file_error([stream[:23], stream[23:]])
    assert one == split


def test_multiline_value_keeps_crlf() -> None:
    agi = _agi(b"200 result=1 (line1\r\nline2)\n")
    assert agi.get_variable("V") == "line1\r\nline2"

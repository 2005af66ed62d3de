"""Adversarial QA tests for pyst.agi.

Authorities: the Asterisk 22 captures (tests/agi/data, /work/shared/asterisk/captures/agi)
and res_agi.c / app_stack.c.  Tests marked ``xfail(strict=True)`` document bugs.
"""

from __future__ import annotations

import asyncio
import contextlib
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
    AGICommandFailure,
    AGIConnectionClosed,
    AGIDeadChannel,
    AGIError,
    AGIHangup,
    AGIUsageError,
    AsyncAGI,
    ChannelStatus,
    FastAGIServer,
    ThreadedFastAGIServer,
    TracebackOptions,
    Transcript,
)
from pyst.agi._debug import format_report
from pyst.agi._quoting import build_line, quote_argument, split_arguments
from pyst.agi._reply import ReplyParser
from pyst.agi.testing import FakeAsterisk

HOST = "127.0.0.1"

ENV = (
    b"agi_network: yes\n"
    b"agi_network_script: test\n"
    b"agi_request: agi://127.0.0.1/test\n"
    b"agi_channel: Local/200@agi-test-00000027;2\n"
    b"agi_uniqueid: 1795737097.79\n"
    b"\n"
)


# --------------------------------------------------------------------------- helpers


class _Wire:
    """A blocking transport fed from canned Asterisk bytes (one chunk per receive)."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = list(chunks)
        self.sent: list[bytes] = []

    def send(self, data: bytes) -> None:
        self.sent.append(data)

    def receive(self) -> bytes:
        return self.chunks.pop(0) if self.chunks else b""

    def close(self) -> None:
        pass


def _agi(*replies: bytes) -> tuple[AGI, _Wire]:
    wire = _Wire([ENV, *replies])
    return AGI(wire, transcript=False), wire


def _c_parse_args(line: str) -> list[str]:
    """A line-by-line port of res_agi.c parse_args() (MAX_ARGS 128)."""
    max_args = 128
    argv_starts: list[int] = []
    buf: list[str] = []
    quoted = escaped = False
    whitespace = True
    for ch in line:
        normal = False
        if ch == '"':
            if escaped:
                normal = True
            else:
                quoted = not quoted
                if quoted and whitespace:
                    argv_starts.append(len(buf))
                    whitespace = False
                escaped = False
        elif ch in " \t":
            if not quoted and not escaped:
                whitespace = True
                buf.append("\0")
            else:
                normal = True
        elif ch == "\\":
            if escaped:
                normal = True
            else:
                escaped = True
        else:
            normal = True
        if normal:
            if whitespace:
                if len(argv_starts) >= max_args - 1:
                    continue
                argv_starts.append(len(buf))
                whitespace = False
            buf.append(ch)
            escaped = False
    buf.append("\0")
    text = "".join(buf)
    return [text[start : text.index("\0", start)] for start in argv_starts]


# --------------------------------------------------------------------------- quoting


def test_c_port_sanity_against_capture_lines() -> None:
    assert _c_parse_args('SET VARIABLE QUOTEVAR "say \\"hi\\" there"') == [
        "SET",
        "VARIABLE",
        "QUOTEVAR",
        'say "hi" there',
    ]
    assert _c_parse_args('GET  VARIABLE   PRESET_VAR') == ["GET", "VARIABLE", "PRESET_VAR"]
    assert _c_parse_args('SET VARIABLE EMPTYVAL ""') == ["SET", "VARIABLE", "EMPTYVAL", ""]


_TEXT = st.text(
    alphabet=st.sampled_from(list(' \t"\\abc,;|=()$\x0b\x0c\xa0\u2028é')), max_size=20
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=6))
def test_quoted_arguments_split_back_exactly_as_asterisk(arguments: list[str]) -> None:
    line = build_line("SET VARIABLE", arguments)
    assert _c_parse_args(line) == ["SET", "VARIABLE", *arguments]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(' \t"\\ab')), max_size=30))
def test_split_arguments_matches_parse_args(line: str) -> None:
    assert split_arguments(line) == _c_parse_args(line)


@pytest.mark.parametrize("bad", ["a\rb", "a\nb", "a\x00b", "\r", "\n"])
def test_cr_lf_nul_refused(bad: str) -> None:
    with pytest.raises(AGIArgumentError):
        quote_argument(bad)
    with pytest.raises(AGIArgumentError):
        build_line("VERBOSE", [bad])


def test_line_limit_is_fgets_buffer() -> None:
    # fgets(buf, 8192) reads 8191 bytes: 8190 + "\n" is the longest line that fits.
    build_line("NOOP", ["x" * (8190 - 5)])
    with pytest.raises(AGIArgumentError):
        build_line("NOOP", ["x" * (8190 - 4)])


def test_127_words_allowed_128_refused() -> None:
    assert len(_c_parse_args(build_line("NOOP", ["a"] * 126))) == 127
    with pytest.raises(AGIArgumentError):
        build_line("NOOP", ["a"] * 127)


# --------------------------------------------------------------------------- parser


def _replies(data: bytes, chunk: int = 7) -> list[object]:
    parser = ReplyParser()
    out: list[object] = []
    for i in range(0, len(data), chunk):
        parser.feed(data[i : i + chunk])
    parser.feed_eof()
    while True:
        try:
            reply = parser.next_reply()
        except AGIConnectionClosed:
            break
        except AGIError as error:
            out.append(type(error).__name__)
            continue
        assert reply is not None
        out.append(reply)
    return out


def test_gosub_trying_then_final_and_abnormal_exit() -> None:
    (reply,) = _replies(b"100 result=0 Trying...\n200 result=0 Gosub complete (abnormal exit)\n")
    assert reply.provisional == ("100 result=0 Trying...",)  # type: ignore[attr-defined]
    agi, _ = _agi(b"100 result=0 Trying...\n", b"200 result=0 Gosub complete (abnormal exit)\n")
    assert agi.gosub("agi-sub", "s", 1) is False
    agi, _ = _agi(b"100 result=0 Trying...\r\n200 result=0 Gosub complete\r\n")
    assert agi.gosub("agi-sub", "s", 1) is True


def test_usage_block_then_next_reply_keeps_place() -> None:
    data = (
        b"520-Invalid command syntax.  Proper usage follows:\n"
        b"Line one\n\nHANGUP\n200 result=1 (not a reply)\n"
        b"520 End of proper usage.\n"
        b"200 result=1 (next)\n"
    )
    agi, _ = _agi(data)
    with pytest.raises(AGIUsageError) as info:
        agi.database_get("onlyfamily", "x")
    assert "200 result=1 (not a reply)" in info.value.usage
    assert agi.get_variable("X") == "next"


def test_inline_hangup_before_and_after_reply() -> None:
    agi, _ = _agi(
        b"HANGUP\n200 result=0\nHANGUP\n", b"511 Command Not Permitted on a dead channel\n"
    )
    assert agi.noop() is None
    assert agi.hung_up
    with pytest.raises(AGIDeadChannel):
        agi.answer()


def test_get_variable_multiline_value() -> None:
    agi, _ = _agi(b"200 result=1 (a\nb)\n", b"200 result=1 (x) y)\n200 result=0\n")
    assert agi.get_variable("V") == "a\nb"
    assert agi.get_variable("W") == "x) y"
    assert agi.get_variable("Z") is None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                b"200 result=0\n",
                b"200 result=1 (v)\n",
                b"HANGUP\n",
                b"100 result=0 Trying...\n",
                b"520-Invalid\n",
                b"520 End of proper usage.\n",
                b"510 Invalid or unknown command\n",
                b"511 Command Not Permitted\n",
                b"garbage\n",
                b"\r\n",
                b"200 result=1 (open\n",
                b")\n",
                b"\xff\xfe\n",
                b"200 result=\n",
                b"200\n",
            ]
        ),
        max_size=30,
    ),
    st.integers(min_value=1, max_value=9),
)
def test_parser_never_raises_outside_hierarchy(lines: list[bytes], chunk: int) -> None:
    _replies(b"".join(lines), chunk)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200), st.sampled_from(["wait_for_digit", "get_variable", "noop"]))
def test_session_any_bytes_stay_in_hierarchy(data: bytes, method: str) -> None:
    agi, _ = _agi(data)
    args = {"wait_for_digit": (10,), "get_variable": ("X",), "noop": ()}[method]
    for _ in range(3):
        with contextlib.suppress(AGIError):
            getattr(agi, method)(*args)


# ----------------------------------------------------------------- typed results vs captures


def test_typed_results_from_capture_lines() -> None:
    agi, _ = _agi(
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
    agi, _ = _agi(b"200 result=0\n", b"200 result=1\n", b"200 result=-1\n")
    assert agi.database_deltree("agitest", "sub") is True
    assert agi.database_deltree("agitest", "sub") is False
    with pytest.raises(AGICommandFailure):
        agi.channel_status("Local/nonexistent-0000;2")


# --------------------------------------------------------------------------- bugs: commands


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


def test_exec_result_one_followed_by_usage_block_does_not_desync() -> None:
    agi, _ = _agi(
        b"200 result=1\n"
        b"520-Invalid command syntax.  Proper usage follows:\n"
        b"Executes application with given options.\n"
        b"520 End of proper usage.\n",
        b"200 result=1 (value)\n",
    )
    assert agi.exec("SomeApp", "x") == 1
    assert agi.get_variable("V") == "value"


# --------------------------------------------------------------------------- bugs: fake


def test_capture_database_del_twice_is_result_1() -> None:
    agi, _ = _agi(b"200 result=1\n", b"200 result=1\n")
    agi.database_del("agitest", "key1")
    agi.database_del("agitest", "key1")


def test_fake_database_del_missing_key_like_asterisk() -> None:
    fake = FakeAsterisk()
    fake.run(lambda agi: agi.database_del("agitest", "key1"))


# --------------------------------------------------------------------------- secrets


def test_crash_report_does_not_leak_refused_secret() -> None:
    fake = FakeAsterisk()
    agi = fake.connect()
    db_password = "hunter" + "2\nx"
    try:
        agi.set_variable("DB_PASSWORD", db_password)
    except AGIArgumentError as error:
        report = "\n".join(format_report(error))
    assert "hunter2" not in report


def test_transcript_redacts_exec_set_of_secret() -> None:
    log = io.StringIO()
    fake = FakeAsterisk()
    agi = fake.connect(transcript=Transcript(log))
    agi.exec("Set", "PASSWORD=hunter2")
    assert "hunter2" not in log.getvalue()


def test_transcript_redacts_set_variable_and_locals() -> None:
    log = io.StringIO()
    fake = FakeAsterisk()
    agi = fake.connect(transcript=Transcript(log))
    agi.set_variable("SIP_SECRET", "hunter2")
    agi.execute('set variable "API_TOKEN" "hunter3"')
    assert "hunter2" not in log.getvalue() and "hunter3" not in log.getvalue()

    def crash(password: str) -> None:
        raise RuntimeError("boom")

    user_password = "hunter" + "4"
    try:
        crash(user_password)
    except RuntimeError as error:
        report = "\n".join(format_report(error, TracebackOptions(show_locals=True)))
    assert "hunter4" not in report and "<redacted>" in report


# --------------------------------------------------------------------------- servers


def _serve_one_slow_reply(port: int, delay: float, results: list[bytes]) -> None:
    with socket.create_connection((HOST, port), timeout=5) as sock:
        sock.sendall(ENV)
        reader = sock.makefile("rb")
        line = reader.readline()
        results.append(line)
        time.sleep(delay)
        try:
            sock.sendall(b"200 result=0\n")
            while reader.readline():
                pass
        except OSError:
            pass


def test_threaded_environment_timeout_does_not_limit_commands() -> None:
    outcome: list[object] = []

    def handler(agi: AGI) -> None:
        try:
            outcome.append(agi.wait_for_digit(5000))
        except AGIError as error:
            outcome.append(error)

    server = ThreadedFastAGIServer(
        handler, port=0, environment_timeout=0.3, command_timeout=None
    )
    with server:
        seen: list[bytes] = []
        _serve_one_slow_reply(server.port, 0.8, seen)
        deadline = time.monotonic() + 3
        while not outcome and time.monotonic() < deadline:
            time.sleep(0.02)
    assert outcome == [None], outcome


def test_threaded_command_timeout_applies_without_session_timeout() -> None:
    outcome: list[object] = []

    def handler(agi: AGI) -> None:
        started = time.monotonic()
        try:
            outcome.append(("reply", agi.wait_for_digit(5000)))
        except AGIError as error:
            outcome.append((type(error).__name__, time.monotonic() - started))

    server = ThreadedFastAGIServer(
        handler, port=0, environment_timeout=1.5, command_timeout=0.2
    )
    with server:
        seen: list[bytes] = []
        _serve_one_slow_reply(server.port, 1.0, seen)
        deadline = time.monotonic() + 3
        while not outcome and time.monotonic() < deadline:
            time.sleep(0.02)
    assert outcome and outcome[0][0] == "AGITimeout" and outcome[0][1] < 0.6, outcome  # type: ignore[index]


def test_threaded_shutdown_without_start_returns() -> None:
    server = ThreadedFastAGIServer(lambda agi: None, port=0)
    thread = threading.Thread(target=server.shutdown, kwargs={"grace": 0.1}, daemon=True)
    thread.start()
    thread.join(1.0)
    alive = thread.is_alive()
    if alive:
        server._server.server_close()
    assert not alive


def test_async_server_limit_timeout_and_graceful_close() -> None:
    release = asyncio.Event()

    async def slow(agi: AsyncAGI) -> None:
        await agi.answer()
        await release.wait()

    async def main() -> None:
        server = FastAGIServer(slow, port=0, max_sessions=1, session_timeout=0.5)
        await server.start()
        first = FakeAsterisk(environment={"network": "yes", "network_script": "x"})
        second = FakeAsterisk(environment={"network": "yes", "network_script": "x"})
        task = asyncio.create_task(first.drive(HOST, server.port, timeout=3))
        await asyncio.sleep(0.1)
        await second.drive(HOST, server.port, timeout=3)
        assert second.commands == []
        await task
        assert server.stats.rejected == 1
        assert server.stats.timed_out == 1
        assert server.stats.active == 0
        started = time.monotonic()
        await server.close(grace=0.2)
        assert time.monotonic() - started < 2

    asyncio.run(main())


def test_async_server_close_cancels_stuck_session() -> None:
    async def stuck(agi: AsyncAGI) -> None:
        await asyncio.sleep(30)

    async def main() -> None:
        server = FastAGIServer(stuck, port=0)
        await server.start()
        fake = FakeAsterisk(environment={"network": "yes", "network_script": "x"})
        task = asyncio.create_task(fake.drive(HOST, server.port, timeout=5))
        await asyncio.sleep(0.1)
        assert server.stats.active == 1
        started = time.monotonic()
        await server.close(grace=0.2)
        assert time.monotonic() - started < 2
        await asyncio.wait_for(task, 2)
        assert server.stats.active == 0

    asyncio.run(main())


def test_hangup_errors_are_one_family() -> None:
    agi, _ = _agi(b"200 result=-1\n")
    with pytest.raises(AGIHangup):
        agi.wait_for_digit(10000)
    agi, _ = _agi()
    with pytest.raises(AGIHangup):
        agi.noop()


def test_exec_unknown_app_after_hangup_is_still_a_command_failure() -> None:
    agi, _ = _agi(b"HANGUP\n200 result=0\n", b"200 result=-2\n")
    agi.noop()
    assert agi.hung_up
    with pytest.raises(AGICommandFailure):
        agi.exec("NoSuchApplication", "foo")


def test_dead_ok_commands_work_after_hangup_like_capture() -> None:
    agi, _ = _agi(
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


_STDIO_SCRIPT = r"""
import sys, threading
from pyst.agi import AGI, AGIHangup
def main():
    agi = AGI(handle_sighup=False) if sys.argv[1] == "thread" else AGI()
    agi.noop()
    try:
        agi.wait_for_digit(100)
    except AGIHangup:
        pass
    sys.stderr.write("hung_up=%s sighup=%s\n" % (agi.hung_up, agi.protocol.sighup))
if sys.argv[1] == "thread":
    t = threading.Thread(target=main); t.start(); t.join()
else:
    main()
"""


@pytest.mark.parametrize("mode", ["main", "thread"])
def test_stdio_survives_sighup(mode: str) -> None:
    import os
    import signal
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-c", _STDIO_SCRIPT, mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(b"agi_request: x.py\nagi_channel: SIP/1\n\n")
        proc.stdin.flush()
        assert proc.stdout.readline() == b"NOOP\n"
        if mode == "main":
            os.kill(proc.pid, signal.SIGHUP)
            time.sleep(0.2)
        proc.stdin.write(b"200 result=0\n")
        proc.stdin.flush()
        assert proc.stdout.readline() == b"WAIT FOR DIGIT 100\n"
        proc.stdin.write(b"200 result=-1\n")
        proc.stdin.close()
        proc.wait(timeout=5)
        assert proc.stderr is not None
        err = proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    # WAIT FOR DIGIT's result=-1 means a hang-up either way; only the main thread's
    # handler saw the SIGHUP itself.
    assert b"hung_up=True" in err
    assert (b"sighup=True" in err) == (mode == "main")


def test_hangup_seen_via_result_minus_one_sets_hung_up() -> None:
    agi, _ = _agi(b"200 result=-1\n")
    with pytest.raises(AGIHangup):
        agi.wait_for_digit(10000)
    assert agi.hung_up


def test_async_server_environment_timeout_closes_silent_client() -> None:
    async def handler(agi: AsyncAGI) -> None:  # pragma: no cover - never routed
        await agi.noop()

    async def main() -> None:
        async with FastAGIServer(handler, port=0, environment_timeout=0.2) as server:
            reader, writer = await asyncio.open_connection(HOST, server.port)
            writer.write(b"agi_network: yes\n")
            data = await asyncio.wait_for(reader.read(), 2)
            assert data == b""
            writer.close()
            assert server.stats.failed == 1
            assert server.stats.active == 0

    asyncio.run(main())


def test_transcript_does_not_log_secret_read_back() -> None:
    log = io.StringIO()
    fake = FakeAsterisk(variables={"SIP_PASSWORD": "hunter2"})
    agi = fake.connect(transcript=Transcript(log))
    assert agi.get_variable("SIP_PASSWORD") == "hunter2"
    assert "hunter2" not in log.getvalue()


def test_threaded_server_rejects_over_limit_and_counts() -> None:
    gate = threading.Event()

    def handler(agi: AGI) -> None:
        agi.noop()
        gate.wait(3)

    server = ThreadedFastAGIServer(handler, port=0, max_sessions=1)
    with server:
        first = socket.create_connection((HOST, server.port), timeout=3)
        first.sendall(ENV)
        assert first.makefile("rb").readline() == b"NOOP\n"
        second = socket.create_connection((HOST, server.port), timeout=3)
        try:
            second.sendall(ENV)
            assert second.recv(100) == b""
        except ConnectionResetError:
            pass  # closed at once with our bytes unread: a reset is a rejection too
        second.close()
        first.sendall(b"200 result=0\n")
        gate.set()
        first.settimeout(3)
        assert first.recv(100) == b""
        first.close()
    assert server.stats.rejected == 1
    assert server.stats.completed == 1
    assert server.stats.active == 0


def test_threaded_session_timeout() -> None:
    outcome: list[str] = []

    def handler(agi: AGI) -> None:
        try:
            agi.wait_for_digit(5000)
        except AGIError as error:
            outcome.append(type(error).__name__)
            raise

    server = ThreadedFastAGIServer(handler, port=0, session_timeout=0.3)
    with server:
        seen: list[bytes] = []
        _serve_one_slow_reply(server.port, 0.8, seen)
    assert outcome == ["AGITimeout"]
    assert server.stats.timed_out == 1


def test_asyncagi_env_and_result_from_capture() -> None:
    from pyst.agi import decode_environment, decode_result

    env = decode_environment(
        "agi_request%3A%20async%0Aagi_channel%3A%20Local%2F600%40agi-test-00000032%3B2%0A"
        "agi_callingpres%3A%2067%0Aagi_accountcode%3A%20%0Aagi_arg_1%3A%20asyncarg1%0A%0A"
    )
    assert env.channel == "Local/600@agi-test-00000032;2"
    assert env.callingpres == 67 and env.accountcode == "" and env.arguments == ("asyncarg1",)
    raw = decode_result("200%20result%3D1%20(preset%20value)%0A")
    assert raw == b"200 result=1 (preset value)\n"


def test_fake_without_reply_gives_connection_closed_not_hang() -> None:
    fake = FakeAsterisk()
    fake.script("NOOP")
    agi = fake.connect()
    with pytest.raises(AGIConnectionClosed):
        agi.noop()


def test_threaded_shutdown_grace_closes_blocked_session() -> None:
    outcome: list[str] = []

    def handler(agi: AGI) -> None:
        try:
            agi.wait_for_digit(-1)
        except AGIError as error:
            outcome.append(type(error).__name__)

    server = ThreadedFastAGIServer(handler, port=0)
    server.start()
    sock = socket.create_connection((HOST, server.port), timeout=3)
    try:
        sock.sendall(ENV)
        assert sock.makefile("rb").readline() == b"WAIT FOR DIGIT -1\n"
        started = time.monotonic()
        server.shutdown(grace=0.2)
        assert time.monotonic() - started < 2.5
    finally:
        sock.close()
    assert outcome == ["AGIConnectionClosed"]
    assert server.stats.active == 0


def test_malformed_request_url_stays_in_hierarchy() -> None:
    from pyst.agi import parse_environment

    env = parse_environment(["agi_network: yes", "agi_request: agi://[x/path"])
    try:
        env.script_path  # noqa: B018
        env.query  # noqa: B018
    except AGIError:
        pass


def test_async_server_counts_malformed_request() -> None:
    async def handler(agi: AsyncAGI) -> None:
        await agi.noop()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda loop, context: None)
        async with FastAGIServer(handler, port=0) as server:
            reader, writer = await asyncio.open_connection(HOST, server.port)
            writer.write(b"agi_network: yes\nagi_request: agi://[x/path\n\n")
            await asyncio.wait_for(reader.read(), 2)
            writer.close()
            await asyncio.sleep(0.05)
            assert server.stats.active == 0
            assert server.stats.failed + server.stats.unrouted == 1

    asyncio.run(main())


def test_record_file_digit_during_beep_is_dtmf() -> None:
    agi, _ = _agi(b"200 result=35 (randomerror) endpos=0\n")
    rec = agi.record_file("/tmp/x", "wav", "#", 5000, beep=True)
    assert (rec.reason, rec.digit) == ("dtmf", "#")


def test_unencodable_argument_is_argument_error() -> None:
    agi = FakeAsterisk().connect()
    with pytest.raises(AGIArgumentError):
        agi.set_variable("X", "\ud800")


def test_crash_report_survives_unencodable_message() -> None:
    from pyst.agi import report_exception

    fake = FakeAsterisk()
    agi = fake.connect()
    try:
        raise RuntimeError("bad input \ud800")
    except RuntimeError as error:
        report_exception(agi, error)
    assert "PYST_AGI_ERROR" in fake.variables
    assert fake.commands[-1] == "HANGUP"


def test_crash_report_unwritable_log_file_still_reports(tmp_path: object) -> None:
    from pyst.agi import report_exception

    fake = FakeAsterisk()
    agi = fake.connect()
    options = TracebackOptions(log_file=f"{tmp_path}/missing-dir/agi-errors.log")
    report_exception(agi, RuntimeError("boom"), options)
    assert "PYST_AGI_ERROR" in fake.variables
    assert fake.commands[-1] == "HANGUP"


class _ClosedPipe(_Wire):
    def send(self, data: bytes) -> None:
        raise AGIConnectionClosed("Asterisk closed the AGI pipe: [Errno 32] Broken pipe")


def test_send_failure_keeps_hangup_family() -> None:
    agi = AGI(_ClosedPipe([ENV]), transcript=False)
    with pytest.raises(AGIHangup):
        agi.answer()
    with pytest.raises(AGIHangup):
        agi.verbose("cleanup")


def test_asyncagi_truncated_result_does_not_hang() -> None:
    from urllib.parse import quote

    from pyst.agi import AsyncAGIBridge

    channel = "Local/600@agi-test-00000032;2"
    start = {
        "Event": "AsyncAGIStart",
        "Channel": channel,
        "Env": quote("agi_request: async\nagi_channel: " + channel + "\n\n"),
    }
    # What Asterisk publishes for a 1500-byte value: the first 1024 bytes, no newline.
    truncated = ("200 result=1 (" + "x" * 1500 + ")\n").encode()[:1024]

    async def main() -> object:
        bridge: AsyncAGIBridge

        async def send_action(chan: str, line: str, command_id: str) -> None:
            bridge.feed_event(
                {
                    "Event": "AsyncAGIExec",
                    "Channel": chan,
                    "CommandId": command_id,
                    "Result": quote(truncated.decode(), safe=""),
                }
            )

        bridge = AsyncAGIBridge(start, send_action)
        agi = bridge.session()
        try:
            return await asyncio.wait_for(agi.get_variable("BIG"), 1.0)
        except AGIError as error:
            return error

    outcome = asyncio.run(main())
    assert outcome is not None


def test_environment_from_capture_is_typed() -> None:
    from pyst.agi import parse_environment

    raw = (
        "agi_network: yes\nagi_network_script: test?plan=basic\n"
        "agi_request: agi://127.0.0.1:4573/test?plan=basic\n"
        "agi_channel: Local/200@agi-test-00000027;2\nagi_callingpres: 0\n"
        "agi_priority: 3\nagi_enhanced: 0.0\nagi_accountcode: \n"
        "agi_threadid: 140428041807552\nagi_arg_1: arg1\nagi_arg_2: arg two\n"
    )
    env = parse_environment(raw.splitlines())
    assert env.network and env.script_path == "test" and env.query == {"plan": ["basic"]}
    assert env.priority == 3 and env.callingpres == 0 and env.enhanced is False
    assert env.accountcode == "" and env.arguments == ("arg1", "arg two")
    assert env.threadid == 140428041807552

"""Regression tests around the fixes of the final find-and-fix pass."""

from __future__ import annotations

import pytest

from pyst.agi import AGI, AGICommandFailure, AGIHangup
from pyst.agi.testing import FakeAsterisk

ENV = b"agi_network: yes\nagi_network_script: test\nagi_request: agi://127.0.0.1/test\n\n"


class _Wire:
    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = list(chunks)

    def send(self, data: bytes) -> None:
        pass

    def receive(self) -> bytes:
        return self.chunks.pop(0) if self.chunks else b""

    def close(self) -> None:
        pass


def _agi(*replies: bytes) -> AGI:
    return AGI(_Wire([ENV, *replies]), transcript=False)


def test_send_image_failure_can_only_mean_hangup() -> None:
    # handle_sendimage: "if (!ast_check_hangup(chan)) res = 0;" -- a -1 is sent only
    # when the channel has hung up, even with AGISIGHUP=no and no HANGUP line.
    agi = _agi(b"200 result=-1\n")
    with pytest.raises(AGIHangup):
        agi.send_image("logo")
    assert agi.hung_up


def test_receive_char_timeout_message_names_timeout() -> None:
    # ast_recvchar() returns -1 for a timeout as well as a hang-up ("error or
    # timeout"), and handle_recvchar then sends "200 result=-1 (hangup)".
    agi = _agi(b"200 result=-1 (hangup)\n")
    with pytest.raises(AGICommandFailure) as info:
        agi.receive_char(100)
    assert "no text character arrived in time" in str(info.value)


def test_speech_recognize_hangup_sets_hung_up() -> None:
    # handle_speechrecognize sends "(hangup)" only when ast_read() returned NULL (the
    # channel is gone), like RECORD FILE's "(hangup)".
    agi = _agi(b"200 result=1 (hangup) endpos=120\n")
    result = agi.speech_recognize("prompt", 5000)
    assert result.reason == "hangup"
    assert result.endpos == 120
    assert agi.hung_up


def test_say_alpha_sends_case_sensitivity() -> None:
    # handle_sayalpha accepts an optional 5th word: a(ll), l(ower), u(pper), n(one).
    fake = FakeAsterisk()
    assert fake.run(lambda agi: agi.say_alpha("aBc", "", "upper")) is None
    assert fake.commands[-1] == 'SAY ALPHA aBc "" upper'


def test_failing_transcript_observer_does_not_break_the_session(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A transcript that cannot be written (closed file, full disk) must not turn a
    # command Asterisk carried out into an exception outside AGIError.
    def observer(*_: object) -> None:
        raise ValueError("I/O operation on closed file")

    agi = AGI(_Wire([ENV, b"200 result=1 (v)\n", b"200 result=0\n"]), transcript=observer)
    assert agi.get_variable("V") == "v"
    agi.verbose("still works")
    assert "transcript observer failed" in caplog.text


def test_async_server_command_timeout_does_not_cut_the_environment() -> None:
    # environment_timeout alone bounds the wait for the agi_* block (as in the
    # threaded server); command_timeout starts with the first command.
    import asyncio

    from pyst.agi import AsyncAGI, FastAGIServer

    seen: list[str] = []

    async def handler(agi: AsyncAGI) -> None:
        seen.append(agi.env.script_path)

    async def main() -> None:
        server = FastAGIServer(
            handler, host="127.0.0.1", port=0, environment_timeout=3.0, command_timeout=0.1
        )
        async with server:
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            await asyncio.sleep(0.3)
            writer.write(ENV)
            await writer.drain()
            await asyncio.wait_for(reader.read(), 2.0)
            writer.close()
        assert server.stats.completed == 1, server.stats

    asyncio.run(main())
    assert seen == ["test"]


def test_async_server_session_timeout_counts_from_the_connection() -> None:
    # As in ThreadedFastAGIServer, session_timeout covers the whole session, the
    # agi_* block included.
    import asyncio
    import time

    from pyst.agi import AsyncAGI, FastAGIServer

    async def handler(agi: AsyncAGI) -> None:
        await asyncio.sleep(10)

    async def main() -> float:
        server = FastAGIServer(
            handler, host="127.0.0.1", port=0, environment_timeout=3.0, session_timeout=0.7
        )
        async with server:
            started = time.monotonic()
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            await asyncio.sleep(0.6)
            writer.write(ENV)
            await writer.drain()
            await asyncio.wait_for(reader.read(), 3.0)
            elapsed = time.monotonic() - started
            writer.close()
        assert server.stats.timed_out == 1, server.stats
        return elapsed

    assert asyncio.run(main()) < 1.1


def test_stream_transport_maps_every_socket_error_into_agi_errors() -> None:
    # Like SocketTransport: an OSError that is not a ConnectionError (EHOSTUNREACH after
    # a network failure, for example) still means the connection is gone.
    import asyncio
    import errno
    from typing import Any, cast

    from pyst.agi import AGIConnectionClosed
    from pyst.agi._transports import StreamTransport

    class Writer:
        def is_closing(self) -> bool:
            return False

        def write(self, data: bytes) -> None:
            pass

        async def drain(self) -> None:
            raise OSError(errno.EHOSTUNREACH, "No route to host")

    class Reader:
        async def read(self, size: int) -> bytes:
            raise OSError(errno.EHOSTUNREACH, "No route to host")

    transport = StreamTransport(cast(Any, Reader()), cast(Any, Writer()))

    async def main() -> bytes:
        with pytest.raises(AGIConnectionClosed):
            await transport.send(b"NOOP\n")
        return await transport.receive()

    assert asyncio.run(main()) == b""


def test_fake_receive_char_times_out_as_asterisk_does() -> None:
    # Capture stdio_basic: "RECEIVE CHAR 100" on a live channel that gets no text
    # answers "200 result=-1 (hangup)" (ast_recvchar: -1 for "error or timeout").
    fake = FakeAsterisk()
    with pytest.raises(AGICommandFailure):
        fake.run(lambda agi: agi.receive_char(100))
    assert fake.commands == ["RECEIVE CHAR 100"]


def test_value_with_parenthesis_inside_a_line_and_a_newline_after_it() -> None:
    # "200 result=1 (%s)": a value reply is complete only on a line ending in ")".
    # "a)b\nc" used to come back as "a" and leave "c)" to break the next command.
    agi = _agi(b"200 result=1 (a)b\nc)\n200 result=0\n")
    assert agi.get_variable("V") == "a)b\nc"
    agi.verbose("next command reads its own reply")


def test_value_reply_flag_does_not_change_other_replies() -> None:
    agi = _agi(b"200 result=0 (timeout) endpos=80\n200 result=1 (a)b)\n")
    assert agi.record_file("f").reason == "timeout"
    assert agi.database_get("fam", "key") == "a)b"


def test_raw_exec_with_tabs_or_leading_blanks_still_drops_the_usage_block() -> None:
    # parse_args splits at spaces and tabs and skips leading ones, so "\tEXEC\tX" is
    # EXEC: its "200 result=1" is followed by the 520 usage block.
    usage = (
        b"200 result=1\n520-Invalid command syntax.  Proper usage follows:\n"
        b"Usage: EXEC\n520 End of proper usage.\n"
    )
    agi = _agi(usage, b"200 result=0\n")
    assert agi.execute(" \tEXEC\tSomeApp").result == "1"
    agi.verbose("gets its own reply")


def test_raw_value_command_reads_the_whole_value() -> None:
    agi = _agi(b"200 result=1 (a)b\nc)\n200 result=0\n")
    assert agi.execute("get  variable V").data == "a)b\nc"
    agi.verbose("gets its own reply")


def test_fake_set_callerid_answers_as_asterisk() -> None:
    # Capture stdio_basic: SET CALLERID answers "200 result=1" (handle_setcallerid).
    fake = FakeAsterisk()
    agi = fake.connect()
    assert agi.execute("SET CALLERID 5559999").line == "200 result=1"


def test_speech_recognize_sends_its_timeout_in_seconds() -> None:
    # handle_speechrecognize compares time() values: its timeout word is in seconds.
    from pyst.agi import _commands as C

    assert C.speech_recognize("p", 5000).line == "SPEECH RECOGNIZE p 5"
    assert C.speech_recognize("p", 1500).line == "SPEECH RECOGNIZE p 2"  # rounded up
    assert C.speech_recognize("p", 1).line == "SPEECH RECOGNIZE p 1"
    assert C.speech_recognize("p", 0, 100).line == "SPEECH RECOGNIZE p 0 100"  # none

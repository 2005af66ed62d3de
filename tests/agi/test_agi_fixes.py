"""Regression tests around the fixes of the adversarial QA round (beyond its own tests)."""

from __future__ import annotations

import asyncio
import io

import pytest

from pyst.agi import (
    AGI,
    AGIArgumentError,
    AGIConnectionClosed,
    AGIError,
    AGIHangup,
    AGIProtocolError,
    AGIUsageError,
    AsyncAGI,
    ThreadedFastAGIServer,
    TracebackOptions,
    Transcript,
    parse_environment,
)
from pyst.agi import _commands as C
from pyst.agi._debug import format_report
from pyst.agi._secrets import redact_command, redact_reply
from pyst.agi.testing import FakeAsterisk

ENV = b"agi_network: yes\nagi_network_script: test\nagi_request: agi://127.0.0.1/test\n\n"


class _Wire:
    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = list(chunks)
        self.sent: list[bytes] = []

    def send(self, data: bytes) -> None:
        self.sent.append(data)

    def receive(self) -> bytes:
        return self.chunks.pop(0) if self.chunks else b""

    def close(self) -> None:
        pass


def _agi(*replies: bytes) -> AGI:
    return AGI(_Wire([ENV, *replies]), transcript=False)


# ------------------------------------------------------------------ positional defaults


@pytest.mark.parametrize(
    ("command", "line"),
    [
        (C.control_stream_file("f"), "CONTROL STREAM FILE f \"\""),
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


def test_fake_accepts_filled_positions() -> None:
    fake = FakeAsterisk()
    agi = fake.connect()
    agi.control_stream_file("f", "", offset_ms=100)
    agi.get_data("p", max_digits=2)
    agi.say_datetime(0, "", timezone="Europe/Paris")
    assert fake.words[0][-1] == "100"
    assert fake.words[2][-1] == "Europe/Paris"


# ------------------------------------------------------------------------- RECORD FILE


def test_record_beep_failure_and_hangup_still_distinguished() -> None:
    agi = _agi(
        b"200 result=-1 (randomerror) endpos=0\n",
        b"200 result=-1 (hangup) endpos=800\n",
    )
    with pytest.raises(AGIError):
        agi.record_file("/tmp/x", "wav", "#", 5000, beep=True)
    assert agi.record_file("/tmp/x", "wav", "#", 5000).reason == "hangup"


# --------------------------------------------------------------------- hang-up mapping


def test_inferred_hangup_makes_later_failures_hangups() -> None:
    agi = _agi(b"200 result=-1\n", b"200 result=-1 endpos=0\n")
    with pytest.raises(AGIHangup):
        agi.wait_for_digit(1000)
    assert agi.hung_up
    with pytest.raises(AGIHangup):
        agi.stream_file("x")


def test_send_failure_is_reported_once_and_then_closed() -> None:
    class Broken(_Wire):
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
    class Flaky(_Wire):
        def send(self, data: bytes) -> None:
            raise KeyboardInterrupt

    agi = AGI(Flaky([ENV]), transcript=False)
    with pytest.raises(KeyboardInterrupt):
        agi.noop()
    with pytest.raises(AGIError, match="earlier error"):
        agi.noop()


# ----------------------------------------------------------------- EXEC usage block


def test_exec_one_then_genuine_usage_error_of_next_command() -> None:
    agi = _agi(
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
    agi = _agi(
        b"200 result=0\n",
        b"520 Invalid command syntax.  Proper usage not available.\n",
    )
    assert agi.exec("App") == 0
    with pytest.raises(AGIUsageError):
        agi.execute("STREAM FILE")


# ------------------------------------------------------------------------- secrets


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("SET VARIABLE DB_PASSWORD x", "SET VARIABLE DB_PASSWORD <redacted>"),
        ("DATABASE PUT auth pin 1234", "DATABASE PUT auth pin <redacted>"),
        ('EXEC Set "SIP_SECRET=abc"', "EXEC Set SIP_SECRET=<redacted>"),
        ('exec MSet "A=1,API_TOKEN=z,B=2"', "EXEC MSet A=1,API_TOKEN=<redacted>"),
        ('EXEC Set "USER=bob,PASSWORD=x"', "EXEC Set USER=bob,PASSWORD=<redacted>"),
        ("EXEC Set A=1", "EXEC Set A=1"),
        ("EXEC Playback auth-thankyou", "EXEC Playback auth-thankyou"),
    ],
)
def test_redact_command(line: str, expected: str) -> None:
    assert redact_command(line) == expected


def test_redact_reply_only_for_secret_reads() -> None:
    reply = "200 result=1 (hunter2)"
    assert redact_reply("GET VARIABLE SIP_PASSWORD", reply) == "200 result=1 (<redacted>)"
    assert redact_reply("GET FULL VARIABLE ${DB_PASS}", reply) == "200 result=1 (<redacted>)"
    assert redact_reply("DATABASE GET auth pin", reply) == "200 result=1 (<redacted>)"
    assert redact_reply("GET VARIABLE LANG", reply) == reply
    assert redact_reply("GET VARIABLE SIP_PASSWORD", "200 result=0") == "200 result=0"


def test_show_locals_hides_value_passed_with_secret_name() -> None:
    agi = FakeAsterisk().connect()
    secret = "hunter" + "5\x00"
    with pytest.raises(AGIArgumentError) as info:
        agi.set_variable("API_TOKEN", secret)
    report = "\n".join(format_report(info.value, TracebackOptions(show_locals=True)))
    assert "hunter5" not in report
    assert "API_TOKEN" in report


def test_argument_error_names_position_not_value() -> None:
    with pytest.raises(AGIArgumentError) as info:
        C.verbose("abc\rsecret")
    assert "secret" not in str(info.value) and "offset 3" in str(info.value)
    with pytest.raises(AGIArgumentError, match=r"U\+D800"):
        C.verbose("x\ud800")


def test_surrogateescaped_bytes_still_allowed() -> None:
    assert C.verbose("caf\udce9").line == "VERBOSE caf\udce9 1"


# ------------------------------------------------------------------------- servers


def test_threaded_shutdown_twice_and_start_after_shutdown() -> None:
    server = ThreadedFastAGIServer(lambda agi: None, port=0)
    server.start()
    server.shutdown(grace=0.1)
    server.shutdown(grace=0.1)
    with pytest.raises(RuntimeError):
        server.start()


def test_script_path_of_malformed_url_is_protocol_error() -> None:
    env = parse_environment(["agi_request: agi://[x/path"])
    with pytest.raises(AGIProtocolError):
        env.script_path  # noqa: B018
    ok = parse_environment(["agi_request: agi://[::1]:4573/sales?lang=fr"])
    assert ok.script_path == "sales" and ok.query == {"lang": ["fr"]}


def test_receive_failure_of_custom_transport_keeps_hangup_family() -> None:
    class Dropping(_Wire):
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

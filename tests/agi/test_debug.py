"""Debugging aids: crash reports through VERBOSE and PYST_AGI_ERROR, the excepthook,
transcript mode, shown and cut locals.
"""

from __future__ import annotations

import asyncio
import io
import logging
import sys
from pathlib import Path

import pytest

from pyst.agi import (
    AsyncAGI,
    TracebackOptions,
    Transcript,
    format_report,
    install_excepthook,
    report_exception,
    report_exception_async,
)
from pyst.agi.testing import FakeAsterisk

from .helpers import failure_report


def _crash(password: str, count: int) -> None:
    api_token = "tok-" + str(count * 41)  # noqa: F841 - inspected through the locals
    raise RuntimeError(f"boom after {count}")


def _error() -> BaseException:
    try:
        _crash("".join(["hun", "ter2"]), 3)
    except RuntimeError as error:
        return error
    raise AssertionError("unreachable")


def test_report_goes_to_console_log_and_leaves_channel_defined(tmp_path: Path) -> None:
    fake = FakeAsterisk(answered=True)
    agi = fake.connect()
    log_file = tmp_path / "agi-errors.log"
    report_exception(agi, _error(), TracebackOptions(log_file=str(log_file), show_locals=True))
    console = "\n".join(fake.verbose_lines)
    assert "RuntimeError: boom after 3" in console
    assert "_crash" in console
    assert "count = 3" in console
    assert "hunter2" not in console and "tok-123" not in console and "hunter2" not in console
    assert "password = <redacted>" in console
    assert fake.variables["PYST_AGI_ERROR"] == "RuntimeError: boom after 3"
    assert fake.commands[-1] == "HANGUP"
    assert not fake.alive
    logged = log_file.read_text()
    assert "boom after 3" in logged and "hunter2" not in logged


def test_locals_only_when_asked_and_hangup_optional() -> None:
    fake = FakeAsterisk()
    report_exception(fake.connect(), _error(), TracebackOptions(hangup=False))
    assert not any("count = 3" in line for line in fake.verbose_lines)
    assert fake.alive
    assert all("\n" not in line for line in format_report(_error()))


def test_report_survives_a_dead_channel() -> None:
    fake = FakeAsterisk(hangup_after=0, hangup_signal="none")
    fake.hangup()
    report_exception(fake.connect(), _error())
    assert fake.variables["PYST_AGI_ERROR"].startswith("RuntimeError")
    assert fake.commands[-1] == "HANGUP"  # refused with 511, swallowed


def test_async_report() -> None:
    fake = FakeAsterisk()

    async def main() -> None:
        agi: AsyncAGI = await fake.connect_async()
        await report_exception_async(agi, _error())

    asyncio.run(main())
    assert "PYST_AGI_ERROR" in fake.variables and not fake.alive


def test_excepthook_reports_then_chains(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, error, tb: seen.append(kind))
    fake = FakeAsterisk()
    install_excepthook(fake.connect())
    error = _error()
    sys.excepthook(type(error), error, error.__traceback__)
    assert seen == [RuntimeError]
    assert any("boom" in line for line in fake.verbose_lines)


def test_transcript_logs_commands_replies_latency_and_redacts() -> None:
    stream = io.StringIO()
    fake = FakeAsterisk()
    agi = fake.connect(transcript=Transcript(stream))
    agi.set_variable("DB_PASSWORD", "s3cret")
    agi.set_variable("COLOR", "blue")
    text = stream.getvalue()
    assert "s3cret" not in text and "SET VARIABLE DB_PASSWORD <redacted>" in text
    assert "'SET VARIABLE COLOR blue' -> '200 result=1'" in text
    assert " ms" in text


def test_transcript_environment_variable(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PYST_AGI_TRANSCRIPT", "log")
    fake = FakeAsterisk()
    agi = fake.connect(transcript=None)
    with caplog.at_level(logging.INFO, logger="pyst.agi.transcript"):
        agi.noop()
    assert "'NOOP' -> '200 result=0'" in caplog.text
    monkeypatch.delenv("PYST_AGI_TRANSCRIPT")
    quiet = FakeAsterisk().connect(transcript=None)
    assert quiet.protocol.observer is None


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


def test_harmless_locals_still_shown_and_cut() -> None:
    agi = FakeAsterisk().connect()
    value = "v" * 500 + "\n"
    report = failure_report(lambda: agi.set_variable("COLOUR", value))
    assert "vvvv" in report
    assert "v" * 300 not in report

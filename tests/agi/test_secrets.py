"""Secrets stay out of transcripts and crash reports: redaction of command lines and of
read-back values, of locals, of refused arguments and of commands whose send failed.
"""

from __future__ import annotations

import io

import pytest

from pyst.agi import (
    AGI,
    AGIArgumentError,
    AGIError,
    TracebackOptions,
    Transcript,
)
from pyst.agi._debug import format_report
from pyst.agi._secrets import redact_command, redact_reply, secret_values
from pyst.agi.testing import FakeAsterisk

from .helpers import ENV, ClosedPipe, canned_agi, failure_report


def _report_of_failed_set_variable(keywords: bool) -> str:
    agi = AGI(ClosedPipe([ENV]), transcript=False)
    with pytest.raises(AGIError) as info:
        if keywords:
            agi.set_variable(name="DB_PASSWORD", value="hunter" + "77")
        else:
            agi.set_variable("DB_PASSWORD", "hunter" + "77")
    return "\n".join(format_report(info.value, TracebackOptions(show_locals=True)))


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


def test_transcript_does_not_log_secret_read_back() -> None:
    log = io.StringIO()
    fake = FakeAsterisk(variables={"SIP_PASSWORD": "hunter2"})
    agi = fake.connect(transcript=Transcript(log))
    assert agi.get_variable("SIP_PASSWORD") == "hunter2"
    assert "hunter2" not in log.getvalue()


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
    agi = canned_agi(b"200 result=1 (hunter2-very-secret", transcript=Transcript(log))
    with pytest.raises(AGIError) as info:
        agi.get_variable("DB_PASSWORD")
    assert "hunter2-very-secret" not in str(info.value)
    assert "hunter2-very-secret" not in log.getvalue()


def test_secret_read_back_redacted_in_transcript() -> None:
    log = io.StringIO()
    agi = canned_agi(b"200 result=1 (hunter2)\n", transcript=Transcript(log))
    assert agi.get_variable("SIP_PASSWORD") == "hunter2"
    assert "hunter2" not in log.getvalue()


def test_exec_set_secret_hidden_in_crash_report_like_transcript() -> None:
    agi = FakeAsterisk().connect()
    with pytest.raises(AGIArgumentError) as info:
        agi.exec("Set", "DB_PASSWORD=" + "hunter" + "77\n")  # no local of the test holds it
    report = "\n".join(format_report(info.value, TracebackOptions(show_locals=True)))
    assert "hunter77" not in report


def test_positional_secret_hidden_when_send_fails() -> None:
    assert "hunter77" not in _report_of_failed_set_variable(keywords=False)


def test_keyword_secret_hidden_when_send_fails() -> None:
    assert "hunter77" not in _report_of_failed_set_variable(keywords=True)


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


def test_secret_values_of_command_lines() -> None:
    assert "hunter2" in secret_values("SET VARIABLE db_password hunter2\n")
    assert "hunter2" in secret_values("DATABASE PUT fam my_token hunter2")
    assert "hunter2" in secret_values("EXEC MSet A=1,API_KEY=hunter2")
    assert secret_values("SET VARIABLE COLOUR red") == []


def test_database_put_keyword_secret_hidden() -> None:
    agi = FakeAsterisk().connect()
    secret = "hunter" + "55\n"
    report = failure_report(lambda: agi.database_put(family="app", key="api_token", value=secret))
    assert "hunter55" not in report


def test_long_secret_in_exec_set_hidden() -> None:
    agi = FakeAsterisk().connect()
    secret = "Zq" + "w" * 400 + "\n"
    report = failure_report(lambda: agi.exec("Set", "MY_SECRET=" + secret))
    assert "Zqwwww" not in report

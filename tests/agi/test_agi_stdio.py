"""stdio AGI in a real subprocess: environment, commands, SIGHUP that does not kill."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pyst.agi.testing import FakeAsterisk

SCRIPT = """
import sys
from pyst.agi import AGI, AGIHangup
agi = AGI()
agi.answer()
try:
    agi.wait_for_digit(10000)
except AGIHangup:
    sys.stderr.write("hangup seen\\n")
agi.set_variable("AFTER", "yes")
sys.stderr.write(f"hung_up={agi.hung_up} arg={agi.env.arguments}\\n")
"""

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX only")


def _read_line(process: subprocess.Popen[bytes], timeout: float = 10.0) -> bytes:
    assert process.stdout is not None
    line = b""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while not line.endswith(b"\n"):
            assert selector.select(timeout), "script did not answer in time"
            chunk = os.read(process.stdout.fileno(), 1)
            if not chunk:
                break
            line += chunk
    return line


def _start(tmp_path: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    script = tmp_path / "script.py"
    script.write_text(SCRIPT)
    return subprocess.Popen(
        [sys.executable, str(script)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )


def _reply(process: subprocess.Popen[bytes], data: bytes) -> None:
    assert process.stdin is not None
    process.stdin.write(data)
    process.stdin.flush()


def test_stdio_script_survives_sighup_and_keeps_using_dead_commands(tmp_path: Path) -> None:
    process = _start(tmp_path)
    try:
        _reply(process, FakeAsterisk(arguments=["basic"])._take_output())
        assert _read_line(process) == b"ANSWER\n"
        _reply(process, b"200 result=0\n")
        assert _read_line(process) == b"WAIT FOR DIGIT 10000\n"
        process.send_signal(signal.SIGHUP)
        _reply(process, b"200 result=-1\n")
        assert _read_line(process) == b"SET VARIABLE AFTER yes\n"
        _reply(process, b"200 result=1\n")
        _, stderr = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 0, stderr
    assert b"hangup seen" in stderr
    assert b"hung_up=True arg=('basic',)" in stderr


def test_transcript_goes_to_stderr_never_stdout(tmp_path: Path) -> None:
    process = _start(tmp_path, {"PYST_AGI_TRANSCRIPT": "stderr"})
    try:
        _reply(process, FakeAsterisk()._take_output())
        assert _read_line(process) == b"ANSWER\n"
        _reply(process, b"200 result=0\n200 result=53\n200 result=1\n")
        stdout, stderr = process.communicate(timeout=10)
    finally:
        process.kill()
    assert stdout == b"WAIT FOR DIGIT 10000\nSET VARIABLE AFTER yes\n"
    assert b"'WAIT FOR DIGIT 10000' -> '200 result=53'" in stderr


def test_stdin_closed_before_environment(tmp_path: Path) -> None:
    process = _start(tmp_path)
    _, stderr = process.communicate(b"agi_request: x\n", timeout=10)
    assert process.returncode == 1
    assert b"AGIConnectionClosed" in stderr

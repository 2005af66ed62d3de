"""stdio AGI in a real subprocess: environment, commands, SIGHUP that does not kill (in the
main thread or another one).
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
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

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "SIGHUP"), reason="needs POSIX signals (SIGHUP)"
)


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

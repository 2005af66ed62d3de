"""pyst 0.9's own example scripts (tests/compat/data) run against the compat layer.

The scripts are unchanged apart from their imports (see data/README.md); they talk to
:class:`pyst.agi.testing.FakeAsterisk` and :class:`pyst.manager.testing.FakeAMIServer`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pyst.agi.testing import FakeAsterisk
from pyst.manager.testing import FakeAMIServer, Reply

DATA = Path(__file__).resolve().parent / "data"
ROOT = Path(__file__).resolve().parents[2]


def _run_stdio_script(script: Path, fake: FakeAsterisk) -> subprocess.CompletedProcess[bytes]:
    """Run ``script`` as Asterisk runs an AGI script: its stdin and stdout are the channel,
    played by ``fake`` over a socket."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        driver = threading.Thread(target=fake.drive_blocking, args=("127.0.0.1", port, 30))
        driver.start()
        conn, _ = listener.accept()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYST_AGI_TRANSCRIPT", None)
    with conn:
        process = subprocess.run(
            [sys.executable, str(script)],
            stdin=conn,
            stdout=conn,
            stderr=subprocess.PIPE,
            env=env,
            cwd=str(ROOT),
            timeout=60,
            check=False,
        )
        conn.shutdown(socket.SHUT_RDWR)
    driver.join(30)
    assert not driver.is_alive()
    return process


def test_pyst09_own_test_suite_passes_against_compat() -> None:
    # Deselected: test_suite() only builds a unittest suite (with unittest.makeSuite, gone in
    # Python 3.13); Test_AGI.test_database expects DATABASE DELTREE to answer result=1 when
    # it deleted something, as 0.9's emulator does, while res_agi.c (handle_dbdeltree,
    # Asterisk 22) answers result=0 then (see docs/migrating.md).
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-o",
            "addopts=",
            "-q",
            "-p",
            "no:cacheprovider",
            "-W",
            "ignore::DeprecationWarning",
            "-k",
            "not test_suite and not test_database",
            str(DATA / "pyst09_test_base.py"),
        ],
        capture_output=True,
        env=env,
        cwd=str(ROOT),
        timeout=120,
        check=False,
    )
    summary = process.stdout.decode(errors="replace")
    assert process.returncode == 0, summary
    assert "7 passed, 2 deselected" in summary, summary


def _exec_script(name: str, replacements: dict[str, str]) -> None:
    """Run a data script in this process with its placeholders filled in."""
    source = (DATA / name).read_text()
    for placeholder, value in replacements.items():
        assert placeholder in source, placeholder
        source = source.replace(placeholder, value)
    exec(compile(source, str(DATA / name), "exec"), {"__name__": "__main__"})


def test_agi_module_example_runs_as_an_agi_script() -> None:
    fake = FakeAsterisk(dtmf="42#")
    process = _run_stdio_script(DATA / "agi_main.py", fake)
    assert process.returncode == 0, process.stderr.decode(errors="replace")
    # 0.x's defaults (2000 ms, 255 digits) reach Asterisk, then the channel is hung up.
    assert fake.commands == ["GET DATA demo-congrats 2000 255", "HANGUP"]
    assert not fake.alive


def test_agi_module_example_fails_as_in_0x_when_the_caller_hangs_up() -> None:
    # GET DATA answers result=-1 before Asterisk reports the hang-up: 0.x raised
    # AGIAppError out of the script, and so does compat.
    fake = FakeAsterisk(hangup_during="GET DATA")
    process = _run_stdio_script(DATA / "agi_main.py", fake)
    assert process.returncode == 1
    assert process.stderr.splitlines()[-1].startswith(b"pyst.compat.agi.AGIAppError: ")
    assert fake.commands == ["GET DATA demo-congrats 2000 255"]


def test_manager_docstring_example(capsys: pytest.CaptureFixture[str]) -> None:
    with FakeAMIServer(username="user", secret="secret") as server:
        server.respond(
            "Status",
            Reply(
                events=[{"Event": "Status", "Channel": "PJSIP/100-00000001"}],
                list_events=True,
                complete="StatusComplete",
            ),
        )
        host, port = server.address
        threads_before = set(threading.enumerate())
        _exec_script("manager_docstring.py", {"connect('host')": f"connect({host!r}, {port})"})
        names = [action.get("Action") for action in server.actions]
    # logoff() then close(): exactly one Logoff, and close() neither races nor hangs.
    assert names == ["Login", "Status", "Logoff"]
    assert capsys.readouterr().out.splitlines() == [
        "Received event: Status",
        "Received event: StatusComplete",
    ]
    assert set(threading.enumerate()) <= threads_before


def test_manager_docstring_example_reports_a_refused_login(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with FakeAMIServer(username="user", secret="other") as server:
        host, port = server.address
        with pytest.raises(SystemExit) as exited:
            _exec_script("manager_docstring.py", {"connect('host')": f"connect({host!r}, {port})"})
    assert exited.value.code == 1
    assert capsys.readouterr().out == "Error logging in to the manager: Authentication failed\n"


def test_manager_docstring_example_reports_a_refused_connection(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as unused:
        port = unused.getsockname()[1]
    with pytest.raises(SystemExit) as exited:
        _exec_script("manager_docstring.py", {"connect('host')": f"connect('127.0.0.1', {port})"})
    assert exited.value.code == 1
    out = capsys.readouterr().out
    assert out.startswith("Error connecting to the manager: cannot connect to 127.0.0.1:")


def test_config_docstring_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conf = tmp_path / "extensions.conf"
    conf.write_text(
        "; dialplan\n"
        "[general]\n"
        "static=yes ; keep it\n"
        "\n"
        "[default]\n"
        "exten => 100,1,Answer()\n"
        "exten => 100,n,Playback(hello\\;world)\n"
    )
    _exec_script("config_docstring.py", {"/etc/asterisk/extensions.conf": str(conf)})
    assert capsys.readouterr().out.splitlines() == [
        "[general]",
        "   static = yes",
        "[default]",
        "   exten = 100,1,Answer()",
        "   exten = 100,n,Playback(hello;world)",
    ]


def test_config_docstring_example_reports_a_parse_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conf = tmp_path / "extensions.conf"
    conf.write_text("[default]\nexten => 100,1,Answer()\nthis is not a setting\n")
    with pytest.raises(SystemExit) as exited:
        _exec_script("config_docstring.py", {"/etc/asterisk/extensions.conf": str(conf)})
    assert exited.value.code == 1
    assert capsys.readouterr().out == ("Parse Error line: 3: Item must be in name = value pairs\n")


def test_config_docstring_example_reports_a_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.conf"
    with pytest.raises(SystemExit) as exited:
        _exec_script("config_docstring.py", {"/etc/asterisk/extensions.conf": str(missing)})
    assert exited.value.code == 1
    assert capsys.readouterr().out.startswith("Error opening file: ")

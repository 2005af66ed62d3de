"""`pyst-config dialplan show|lint`: Asterisk's `dialplan show` text, byte for byte."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pyst.cli import main

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "dialplan" / "data"


def _pyst_config(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "pyst.cli", *args], cwd=ROOT,
                          capture_output=True, check=False)


def test_show_prints_the_recorded_dialplan_show(tmp_path: Path) -> None:
    result = _pyst_config("dialplan", "show", str(DATA / "dialplan" / "extensions.conf"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (DATA / "dialplan" / "extensions.conf.show.txt").read_bytes()


def test_show_reads_includes_and_users_from_confdir(tmp_path: Path) -> None:
    edge = DATA / "edge"
    shutil.copyfile(edge / "general_userscontext.conf", tmp_path / "main.conf")
    etc = tmp_path / "etc"
    etc.mkdir()
    shutil.copyfile(edge / "general_userscontext.users-conf", etc / "users.conf")
    result = _pyst_config("dialplan", "show", "--confdir", str(etc), str(tmp_path / "main.conf"))
    assert result.stdout == (edge / "general_userscontext.show.txt").read_bytes()


def test_show_keeps_non_utf8_bytes(tmp_path: Path) -> None:
    conf = tmp_path / "extensions.conf"
    conf.write_bytes(b"[c]\nexten => 1,1,NoOp(Jos\xe9)\n")
    result = _pyst_config("dialplan", "show", str(conf))
    assert b"NoOp(Jos\xe9)" in result.stdout


def test_show_of_a_missing_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["dialplan", "show", str(tmp_path / "nope.conf")]) == 2
    assert "cannot read" in capsys.readouterr().out


def test_lint_lists_diagnostics_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conf = tmp_path / "extensions.conf"
    conf.write_text("[default]\nsame => n,NoOp\nexten => 1,1,Dial(PJSIP/1\n")
    assert main(["dialplan", "lint", str(conf)]) == 1
    out = capsys.readouterr().out
    assert f"{conf}:2:1: error: No previous pattern" in out and "[DP101]" in out
    assert "[DP107]" in out
    conf.write_text("[default]\nexten => 1,1,Answer()\n")
    assert main(["dialplan", "lint", str(conf)]) == 0
    conf.write_text("[x]\nexten => 1,1,Answer()\n")
    assert main(["dialplan", "lint", "--entry", "x", str(conf)]) == 0


def test_globals_prints_the_recorded_dialplan_show_globals() -> None:
    edge = DATA / "edge"
    result = _pyst_config("dialplan", "globals", str(edge / "globals_basic.conf"))
    assert result.returncode == 0
    assert result.stdout == (edge / "globals_basic.globals.txt").read_bytes()


def test_show_one_context_or_matching_extensions() -> None:
    conf = str(DATA / "dialplan" / "extensions.conf")
    result = _pyst_config("dialplan", "show", conf, "other")
    assert result.returncode == 0
    assert result.stdout == (
        b"[ Context 'other' created by 'pbx_config' ]\n"
        b"  's' =>            1. NoOp()                                     "
        b"[extensions.conf:54]\n\n-= 1 extension (1 priority) in 1 context. =-\n"
    )
    included = _pyst_config("dialplan", "show", conf, "s@default")
    assert b"[ Included context 'other' created by 'pbx_config' ]\n" in included.stdout
    assert included.stdout.endswith(b"-= 3 extensions (6 priorities) in 2 contexts. =-\n")
    missing = _pyst_config("dialplan", "show", conf, "nope")
    assert (missing.returncode, missing.stdout) == (
        1, b"There is no existence of 'nope' context\n")
    no_exten = _pyst_config("dialplan", "show", conf, "abc@other")
    assert no_exten.stdout.endswith(b"There is no existence of abc@other extension\n")

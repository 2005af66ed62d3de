"""``pyst-config check``: exit status 0 when a file loads, 1 when it does
not (or, with ``--strict``, has any warning).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pyst.cli import main
from tests.cli.helpers import run
from tests.config.helpers import write_files


def test_check_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warn = tmp_path / "warn.conf"
    warn.write_text("[c]\nbogus\n")
    bad = tmp_path / "bad.conf"
    bad.write_text("x = 1\n")
    assert run(capsys, "check", str(warn))[0] == 0
    assert run(capsys, "check", "--strict", str(warn))[0] == 1
    status, out = run(capsys, "check", str(bad))
    assert status == 1
    assert "bad.conf:1:1: error: parse error: No category context" in out


def test_check_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.conf"
    good.write_bytes(b"[s]\nx=1\n")
    warn = tmp_path / "warn.conf"
    warn.write_bytes(b"[s]\nx\n")
    bad = tmp_path / "bad.conf"
    bad.write_bytes(b"[s\n")
    assert main(["check", str(good), str(warn)]) == 0
    assert main(["check", "--strict", str(warn)]) == 1
    assert main(["check", str(good), str(bad)]) == 1
    assert main(["show", str(bad)]) == 0
    out = capsys.readouterr().out
    assert f"{bad}: FAILS" in out and f"{warn}: warnings" in out


def test_cli_check_strict_fails_on_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_files(tmp_path, {"main.conf": b"[c]\njunk\n"})
    assert run(capsys, "check", str(path))[0] == 0
    assert run(capsys, "check", "--strict", str(path))[0] == 1


def test_cli_check_strict_fails_on_error_inside_include(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_files(tmp_path, {
        "main.conf": b"[c]\n#include bad.conf\nafter=1\n",
        "bad.conf": b"in=1\n[broken\n",
    })
    status, out = run(capsys, "check", "--strict", str(path))
    assert "no closing ']'" in out
    assert status == 1

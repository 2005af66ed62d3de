"""The ``pyst-config`` command as a program: usage errors, the installed
entry point, and output cut short by the reader.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pyst.cli import main
from tests.cli.helpers import EXAMPLES


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["show"])
    assert raised.value.code == 2
    with pytest.raises(SystemExit) as raised:
        main(["frobnicate", "x"])
    assert raised.value.code == 2


def test_cli_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["show", "--json"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["frobnicate", "x"])
    assert info.value.code == 2
    capsys.readouterr()


def test_installed_entry_point_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pyst.cli", "show", "--json", str(EXAMPLES / "pjsip.conf")],
        capture_output=True, text=True, check=True,
    )
    data = json.loads(result.stdout)
    endpoint = next(c for c in data["categories"] if c["name"] == "6001")
    assert endpoint["inherits"] == ["endpoint-basic"]
    assert endpoint["variables"][-1]["name"] == "callerid"


def test_output_cut_short_by_the_reader_is_not_an_error(tmp_path: Path) -> None:
    big = tmp_path / "big.conf"
    big.write_text("".join(f"[peer{i}]\nsecret = s{i}\ncontext = office\n" for i in range(20000)))
    result = subprocess.run(
        ["sh", "-c",
         f'"{sys.executable}" -m pyst.cli show "{big}" "{big}" | head -n 1'],
        capture_output=True, text=True, check=True,
    )
    assert result.stdout.startswith(";; ")
    assert "Traceback" not in result.stderr
    assert "BrokenPipe" not in result.stderr

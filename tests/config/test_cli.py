"""The pyst-config command line, including the JSON contract other tools rely on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pyst.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(list(args))
    return status, capsys.readouterr().out


def test_show_json_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.conf"
    good.write_bytes(b"[t](!)\na = 1\n[c](t)\nb => Jos\xe9\nbogus\n")
    bad = tmp_path / "bad.conf"
    bad.write_text("[ok]\nx = 1\n[broken\ny = 2\n")
    status, out = _run(capsys, "show", "--json", str(good), str(bad))
    assert status == 0
    first, second = (json.loads(line) for line in out.splitlines())
    assert first == {
        "file": str(good),
        "asterisk": "22",
        "loaded": True,
        "categories": [
            {"name": "t", "template": True, "inherits": [], "variables": [
                {"name": "a", "value": "1", "object": False, "file": str(good), "line": 2},
            ]},
            {"name": "c", "template": False, "inherits": ["t"], "variables": [
                {"name": "a", "value": "1", "object": False, "file": str(good), "line": 2},
                {"name": "b", "value": "Jos\udce9", "object": True, "file": str(good), "line": 4},
            ]},
        ],
        "diagnostics": [
            {"severity": "warning", "code": "no-equals", "message": first["diagnostics"][0][
                "message"], "file": str(good), "line": 5, "column": 1},
        ],
    }
    assert "\\udce9" in out.splitlines()[0]
    assert second["loaded"] is False
    assert [c["name"] for c in second["categories"]] == ["ok"]
    assert [(d["severity"], d["code"], d["line"]) for d in second["diagnostics"]] == [
        ("error", "no-closing-bracket", 3)
    ]


def test_show_uses_confdir_for_includes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "inc.conf").write_text("from_confdir = yes\n")
    main_file = tmp_path / "main.conf"
    main_file.write_text("[c]\n#include inc.conf\n")
    _, out = _run(capsys, "show", "--json", "--confdir", str(tmp_path / "etc"), str(main_file))
    result = json.loads(out)
    assert result["loaded"] is True
    assert result["categories"][0]["variables"][0]["name"] == "from_confdir"
    _, out = _run(capsys, "show", "--json", str(main_file))
    assert json.loads(out)["loaded"] is False


def test_show_for_people_reads_like_the_file(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = _run(capsys, "show", str(EXAMPLES / "sip.conf"))
    assert status == 0
    assert "[6001]  ; inherits office-phone" in out
    assert "[office-phone](!)" in out
    assert "externip" in out and "inherited" in out


def test_missing_file_is_data_not_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = _run(capsys, "show", "--json", str(tmp_path / "none.conf"))
    assert status == 0
    assert json.loads(out)["loaded"] is False


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["show"])
    assert raised.value.code == 2
    with pytest.raises(SystemExit) as raised:
        main(["frobnicate", "x"])
    assert raised.value.code == 2


def test_check_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warn = tmp_path / "warn.conf"
    warn.write_text("[c]\nbogus\n")
    bad = tmp_path / "bad.conf"
    bad.write_text("x = 1\n")
    assert _run(capsys, "check", str(warn))[0] == 0
    assert _run(capsys, "check", "--strict", str(warn))[0] == 1
    status, out = _run(capsys, "check", str(bad))
    assert status == 1
    assert "bad.conf:1:1: error: parse error: No category context" in out


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

"""``pyst-config lint`` on the command line: exit codes, stdin, options, --explain."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.lint.helpers import run_lint


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "clean.conf").write_text("[general]\nbindport=5060\n")
    (tmp_path / "warn.conf").write_text("[general]\nwords\n")
    (tmp_path / "main.conf").write_text('[general]\n#include "inc.conf"\n')
    (tmp_path / "inc.conf").write_text("[broken\n")
    return tmp_path


def test_clean_file_exits_0(folder: Path) -> None:
    status, out, err = run_lint(["--isolated", "clean.conf"], folder)
    assert (status, out, err) == (0, "All checks passed (1 file linted).\n", "")


def test_findings_exit_1_and_fail_on_decides(folder: Path) -> None:
    assert run_lint(["--isolated", "warn.conf"], folder)[0] == 1
    assert run_lint(["--isolated", "--fail-on", "error", "warn.conf"], folder)[0] == 0
    assert run_lint(["--isolated", "--fail-on", "info", "clean.conf"], folder)[0] == 0


def test_an_error_in_an_included_file_fails_the_run(folder: Path) -> None:
    status, out, _ = run_lint(["--isolated", "--fail-on", "error", "main.conf"], folder)
    assert status == 1
    assert out.startswith("inc.conf:1:1: L001 ")


@pytest.mark.parametrize(
    "args",
    [[], ["nope.conf"], ["--select", "XYZ", "clean.conf"], ["--explain", "NOPE"],
     ["--format", "xml", "clean.conf"], ["--asterisk", "21", "clean.conf"]],
)
def test_usage_and_io_errors_exit_2(folder: Path, args: list[str]) -> None:
    try:
        status, _, err = run_lint(["--isolated", *args], folder)
    except SystemExit as exit_:  # argparse refuses a choice
        status, err = int(exit_.code or 0), "argparse"
    assert status == 2 and err


def test_stdin_with_a_file_name(folder: Path) -> None:
    status, out, _ = run_lint(
        ["--isolated", "-", "--stdin-filename", "pjsip.conf", "--format", "json", "--select", "O"],
        folder,
        stdin=b"[6001]\ntype=endpoint\ncontxt=x\n")
    assert status == 1
    [finding] = json.loads(out)
    assert (finding["file"], finding["line"], finding["code"]) == ("pjsip.conf", 3, "O201")


def test_stdin_filename_alone_reads_stdin(folder: Path) -> None:
    status, out, _ = run_lint(["--isolated", "--stdin-filename", "x.conf"], folder,
                              stdin=b"[a]\nwords\n")
    assert status == 1 and out.startswith("x.conf:2:1: L020 ")


def test_directory_and_statistics(folder: Path) -> None:
    status, out, _ = run_lint(["--isolated", "--statistics", "."], folder)
    assert status == 1
    assert out.splitlines() == ["1  L001  no-closing-bracket", "1  L020  no-equals"]


def test_select_and_ignore(folder: Path) -> None:
    status, out, _ = run_lint(["--isolated", "--ignore", "L0", "."], folder)
    assert status == 0 and out.startswith("All checks passed (3 files linted)")
    status, out, _ = run_lint(["--isolated", "--select", "L020,L001", "--ignore", "L001", "."],
                              folder)
    assert status == 1 and out.count("\n") == 2


def test_explain() -> None:
    status, out, _ = run_lint(["--explain", "p305"], Path.cwd())
    assert status == 0
    assert out.startswith("P305 (duplicate-object) — default severity: error")
    assert "duplicate object" in out


def test_version_and_help_in_a_real_process() -> None:
    version = subprocess.run([sys.executable, "-m", "pyst.cli", "lint", "--version"],
                             capture_output=True, text=True, check=False)
    assert version.returncode == 0 and version.stdout.startswith("pyst-config ")


def test_no_progress_when_stderr_is_not_a_terminal(folder: Path) -> None:
    for index in range(25):
        (folder / f"extra{index}.conf").write_text("[a]\nx=1\n")
    status, _, err = run_lint(["--isolated", "--ignore", "L", "."], folder)
    assert err == "" and status == 0


def test_check_still_works(folder: Path) -> None:
    from pyst.cli import main
    from tests.lint.helpers import working_directory

    with working_directory(folder):
        assert main(["check", "clean.conf"]) == 0


def test_confdir_resolves_includes(tmp_path: Path) -> None:
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "common.inc").write_text("x=1\n")
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "t.conf").write_text('[a]\n#include "common.inc"\n')
    assert run_lint(["--isolated", "work/t.conf"], tmp_path)[0] == 1
    assert run_lint(["--isolated", "--confdir", "etc", "work/t.conf"], tmp_path)[0] == 0

"""Inline suppressions (``; pyst: noqa [CODE...]``) and the report of unused ones."""

from __future__ import annotations

from pathlib import Path

from pyst.lint._suppress import find_suppressions
from tests.lint.helpers import run_lint


def test_comment_forms() -> None:
    found = find_suppressions(
        b"[a]\nx ; pyst: noqa L020\n; pyst: noqa: L020, S2\ny\n; PYST: NOQA\nsecret=1\n"
    )
    assert [(s.line, s.target, s.codes) for s in found] == [
        (2, 2, ("L020",)), (3, 4, ("L020", "S2")), (5, 6, ()),
    ]


def test_no_comment_no_work() -> None:
    assert find_suppressions(b"[a]\nx=1 ; nothing here\n") == []


def test_suppressed_findings_and_unused_ones(tmp_path: Path) -> None:
    (tmp_path / "sip.conf").write_text(
        "[6001]\n"
        "type=friend\n"
        "secret=1234 ; pyst: noqa S202\n"      # used
        "; pyst: noqa L020\n"                  # used by the next line
        "words\n"
        "more words ; pyst: noqa P\n"          # wrong code: L020 stays, P unused
        "host=dynamic ; pyst: noqa\n"          # nothing to silence
    )
    status, out, _ = run_lint(["--isolated", "sip.conf"], tmp_path)
    lines = out.splitlines()
    assert "sip.conf:6:1: L020" in lines[0]
    assert lines[1].startswith("sip.conf:6:12: Q001 unused suppression of P")
    assert lines[2].startswith("sip.conf:7:14: Q001 unused suppression:")
    assert len(lines) == 4 and status == 1


def test_unused_suppression_report_can_be_ignored(tmp_path: Path) -> None:
    (tmp_path / "t.conf").write_text("[a]\nx=1 ; pyst: noqa L020\n")
    assert run_lint(["--isolated", "t.conf"], tmp_path)[0] == 1
    assert run_lint(["--isolated", "--ignore", "Q001", "t.conf"], tmp_path)[0] == 0


def test_suppression_in_an_included_file(tmp_path: Path) -> None:
    (tmp_path / "m.conf").write_text('[a]\n#include "inc.conf"\n')
    (tmp_path / "inc.conf").write_text("words ; pyst: noqa L020\n")
    status, out, _ = run_lint(["--isolated", "m.conf"], tmp_path)
    assert status == 0, out

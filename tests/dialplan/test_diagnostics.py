"""Load diagnostics: one per line Asterisk logged while loading, at the line that caused it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pyst.config import Diagnostic, Severity
from pyst.dialplan import RULES, lint, load_dialplan
from tests.dialplan.corpus import Case, actual_log, bundled_cases, corpus_cases, expected_log, load

BUNDLED = bundled_cases()
CORPUS = corpus_cases()
_AT_LINE = re.compile(r"at line (\d+) of (\S+?)(?: --|!| \(|$)")


def _check_case(case: Case, folder: Path) -> list[str]:
    dialplan = load(case, folder)
    problems = []
    expected = expected_log(case)
    ours = actual_log(dialplan, folder)
    if ours != [line for line in expected if " config.c: " not in line]:
        problems.append(f"{case.name}: log differs")
    if len(dialplan.diagnostics) != len(expected):
        problems.append(f"{case.name}: {len(dialplan.diagnostics)} diagnostics for "
                        f"{len(expected)} logged lines")
    located = 0
    for diagnostic in dialplan.diagnostics:
        found = _AT_LINE.search(diagnostic.message)
        located += bool(found)
        if found and diagnostic.code.startswith("DP"):
            if int(found.group(1)) != diagnostic.line:
                problems.append(f"{case.name}: {diagnostic} is not at its logged line")
            if not diagnostic.file.endswith(found.group(2).rsplit("/", 1)[-1]) and (
                found.group(2) != "extensions.conf"
            ):
                problems.append(f"{case.name}: {diagnostic} is not in its logged file")
        if diagnostic.code.startswith("DP") and diagnostic.code not in RULES:
            problems.append(f"{case.name}: unknown code {diagnostic.code}")
    if located != sum(" at line " in line and "pbx_config.c" in line for line in expected):
        problems.append(f"{case.name}: not every located message was checked")
    return problems


@pytest.mark.parametrize("case", BUNDLED, ids=[c.name for c in BUNDLED])
def test_bundled_log_and_diagnostics_match_asterisk(case: Case, tmp_path: Path) -> None:
    assert _check_case(case, tmp_path) == []


@pytest.mark.skipif(not CORPUS, reason="reference corpus ../shared not present")
def test_whole_corpus_log_and_diagnostics_match_asterisk(tmp_path: Path) -> None:
    problems: list[str] = []
    for index, case in enumerate(CORPUS):
        folder = tmp_path / str(index)
        folder.mkdir()
        problems.extend(_check_case(case, folder))
    assert problems == []


def _write(tmp_path: Path, text: str) -> Path:
    conf = tmp_path / "extensions.conf"
    conf.write_text(text)
    return conf


def test_issue_example_is_caught(tmp_path: Path) -> None:
    conf = _write(tmp_path, "[ctx]\nsame => n,NoOp(first)\nexten => 1,1,Dial(PJSIP/1\n"
                  "exten => 1,1,NoOp(again)\ninclude => missing\n")
    found = [(d.code, d.line) for d in lint(conf, entry_points=["ctx"])]
    assert ("DP101", 2) in found
    assert ("DP107", 3) in found
    assert ("DP116", 4) in found and ("DP109", 4) in found
    assert ("DP115", 5) in found


def test_lint_without_config_diagnostics(tmp_path: Path) -> None:
    conf = _write(tmp_path, "[ctx]\nexten => 1,1,NoOp\nnoequals\n")
    with_config = lint(conf, entry_points=["ctx"])
    assert [d.code for d in with_config] == ["no-equals"]
    assert lint(conf, entry_points=["ctx"], config_diagnostics=False) == []


def test_diagnostics_are_config_diagnostics(tmp_path: Path) -> None:
    conf = _write(tmp_path, "[ctx]\nexten => 1,0,NoOp\nsame => 1,NoOp\nsame => 1,NoOp\n")
    dialplan = load_dialplan(conf)
    assert all(isinstance(d, Diagnostic) for d in dialplan.diagnostics)
    assert [(d.code, d.severity, d.line) for d in dialplan.diagnostics] == [
        ("DP106", Severity.WARNING, 2),
        ("DP116", Severity.WARNING, 4),
        ("DP109", Severity.WARNING, 4),
    ]
    first = _write(tmp_path, "[ctx]\nsame => 1,NoOp\n")
    assert [(d.code, d.severity) for d in load_dialplan(first).diagnostics] == [
        ("DP101", Severity.ERROR)
    ]


def test_rules_table_is_complete() -> None:
    for code, rule in RULES.items():
        assert rule.code == code and re.fullmatch(r"DP[12]\d\d", code)
        assert rule.summary and rule.explanation and rule.name
        assert isinstance(rule.severity, Severity)
    assert len({rule.name for rule in RULES.values()}) == len(RULES)

"""Loader parity: every warning or error Asterisk logged while loading a sample config
corresponds to exactly one L finding on the same file and line, and no L finding lacks
a logged counterpart (tests/config/test_corpus.py compares the views themselves)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from pyst.lint import Linter, LintInput, LintSettings
from tests.lint.helpers import SHARED

HERE = Path(__file__).parent
BUNDLED = HERE.parent / "config" / "data" / "corpus"
WHOLE = SHARED / "corpus" / "asterisk-samples"
WHOLE_LOGS = SHARED / "corpus" / "asterisk-samples-expected"

#: Start of each message config.c logs, and the lint code it corresponds to.
LOGGED = {
    "Unknown directive": "L022",
    "parse error: No category context": "L006",
    "parse error: no closing ']'": "L001",
    "parse error: no closing ')'": "L002",
    "No '=' (equal sign)": "L020",
    "No variable name": "L021",
    "Inheritance requested": "L004",
    "Category addition requested": "L003",
    "Invalid escape": "L007",
    "Unterminated comment": "L026",
    "Cannot perform #exec": "L024",
    "The file '": "L008",
    "Maximum nest limit": "L009",
    "Directive '": "L023",
    "Maximum Include level": "L027",
}
_LOG_LINE = re.compile(
    r"(?:WARNING|ERROR)\[\d+\] config\.c: (.*?)(?: at line| line|,? for line| in line) (\d+)"
)


def samples(root: Path) -> list[Path]:
    """The sample configs under ``root`` (not the recorded answers next to them)."""
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and not p.name.endswith((".getconfig.txt", ".log", ".md"))
    )


def logged(log: Path) -> Counter[tuple[int, str]]:
    """(line, code) of every config.c warning/error in a recorded log."""
    found: Counter[tuple[int, str]] = Counter()
    if not log.exists():
        return found
    for text in log.read_text("utf-8", "surrogateescape").splitlines():
        if "config.c:" not in text:
            continue
        match = _LOG_LINE.search(text)
        assert match is not None, f"a config.c line the test cannot read: {text}"
        message, number = match.groups()
        code = next((c for prefix, c in LOGGED.items() if message.startswith(prefix)), None)
        assert code is not None, f"a logged message without a lint code: {text}"
        found[(int(number), code)] += 1
    return found


def ours(sample: Path) -> Counter[tuple[int, str]]:
    """(line, code) of every L finding for the sample (one tree, includes resolved)."""
    result = Linter(LintSettings(select=("L",))).run([LintInput(str(sample))])
    assert all(f.file == str(sample) for f in result.findings)
    return Counter((f.line, f.code) for f in result.findings)


def compare(root: Path, logs: Path) -> tuple[int, int, list[str]]:
    """(logged lines, findings, mismatching samples) over a corpus."""
    total_logged = total_ours = 0
    failures = []
    for sample in samples(root):
        expected = logged(logs / f"{sample.relative_to(root)}.log")
        got = ours(sample)
        total_logged += sum(expected.values())
        total_ours += sum(got.values())
        if got != expected:
            failures.append(f"{sample.relative_to(root)}: logged {expected}, linted {got}")
    return total_logged, total_ours, failures


def test_bundled_samples_match_the_log() -> None:
    total_logged, total_ours, failures = compare(BUNDLED, BUNDLED)
    assert failures == []
    assert total_logged == total_ours > 0
    assert len(samples(BUNDLED)) >= 100


def test_whole_corpus_matches_the_log() -> None:
    if not WHOLE.is_dir():
        pytest.skip("reference corpus ../shared not present")
    assert len(samples(WHOLE)) == 444
    total_logged, total_ours, failures = compare(WHOLE, WHOLE_LOGS)
    assert failures == []
    assert total_logged == total_ours > 0

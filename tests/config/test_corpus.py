"""Every sample config round-trips byte for byte and means what Asterisk said it means."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pyst import config
from tests.config.getconfig import parse_getconfig, view_of

HERE = Path(__file__).parent
BUNDLED = HERE / "data" / "corpus"
SHARED = HERE.parents[2] / "shared" / "corpus"

#: Start of each loader message Asterisk logs, and the diagnostic code we give it.
LOG_CODES = {
    "Unknown directive": "unknown-directive",
    "parse error: No category context": "no-category-context",
    "parse error: no closing ']'": "no-closing-bracket",
    "parse error: no closing ')'": "no-closing-paren",
    "No '=' (equal sign)": "no-equals",
    "No variable name": "no-variable-name",
    "Inheritance requested": "inheritance-missing",
    "Category addition requested": "category-addition-missing",
    "Invalid escape": "invalid-escape",
    "Unterminated comment": "unterminated-comment",
    "Cannot perform #exec": "exec-disabled",
}
_LOG_LINE = re.compile(r"config\.c: (.*?)(?: at line| line|,? for line| in line) (\d+)")


def _samples(root: Path) -> list[Path]:
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and not p.name.endswith((".getconfig.txt", ".log", ".md"))
    )


def _check_sample(root: Path, sample: Path) -> None:
    data = sample.read_bytes()
    document = config.parse(data, path=str(sample))
    assert document.dumps() == data
    answer = (root / f"{sample.relative_to(root)}.getconfig.txt").read_bytes()
    expected = parse_getconfig(answer.decode("utf-8", "surrogateescape"))
    assert view_of(document.config()) == expected


def _expected_log(log: Path) -> set[tuple[str, int]]:
    found: set[tuple[str, int]] = set()
    for line in log.read_text("utf-8", "surrogateescape").splitlines():
        match = _LOG_LINE.search(line)
        if not match:
            continue
        message, number = match.groups()
        for prefix, code in LOG_CODES.items():
            if message.startswith(prefix):
                found.add((code, int(number)))
    return found


BUNDLED_SAMPLES = _samples(BUNDLED)


@pytest.mark.parametrize(
    "sample", BUNDLED_SAMPLES, ids=[str(p.relative_to(BUNDLED)) for p in BUNDLED_SAMPLES]
)
def test_bundled_sample_matches_asterisk(sample: Path) -> None:
    _check_sample(BUNDLED, sample)


def test_bundled_corpus_is_there() -> None:
    assert len(BUNDLED_SAMPLES) >= 100


@pytest.mark.parametrize(
    "sample", BUNDLED_SAMPLES, ids=[str(p.relative_to(BUNDLED)) for p in BUNDLED_SAMPLES]
)
def test_diagnostics_match_asterisk_log(sample: Path) -> None:
    log = BUNDLED / f"{sample.relative_to(BUNDLED)}.log"
    expected = _expected_log(log) if log.exists() else set()
    result = config.parse(sample.read_bytes(), path=str(sample)).config()
    ours = {(d.code, d.line) for d in result.diagnostics if d.code in LOG_CODES.values()}
    assert ours == expected


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared corpus not present")
def test_whole_shared_corpus() -> None:
    root = SHARED / "asterisk-samples"
    expected_root = SHARED / "asterisk-samples-expected"
    samples = _samples(root)
    assert len(samples) == 444
    failures = []
    for sample in samples:
        relative = sample.relative_to(root)
        data = sample.read_bytes()
        document = config.parse(data, path=str(sample))
        answer = (expected_root / f"{relative}.getconfig.txt").read_bytes()
        expected = parse_getconfig(answer.decode("utf-8", "surrogateescape"))
        if document.dumps() != data or view_of(document.config()) != expected:
            failures.append(str(relative))
    assert failures == []

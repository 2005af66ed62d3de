"""Sample configs round-trip byte for byte and mean what a real
Asterisk read (its AMI GetConfig answer and its log).

Runs on the bundled copy in tests/config/data/corpus everywhere; the whole corpus and random
edits on real samples run when the reference corpus ../shared is present (and skip, saying
so, when it is not).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from pyst import config
from pyst.config import ConfigEditError
from tests.config.helpers import (
    BUNDLED_CORPUS,
    meaning,
    needs_shared,
    parse_getconfig,
    shared_path,
    view_of,
)

BUNDLED = BUNDLED_CORPUS


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


BUNDLED_SAMPLES = _samples(BUNDLED)


@pytest.mark.parametrize(
    "sample", BUNDLED_SAMPLES, ids=[str(p.relative_to(BUNDLED)) for p in BUNDLED_SAMPLES]
)
def test_bundled_sample_matches_asterisk(sample: Path) -> None:
    _check_sample(BUNDLED, sample)


def test_bundled_corpus_is_there() -> None:
    assert len(BUNDLED_SAMPLES) >= 100


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


@pytest.mark.parametrize(
    "sample", BUNDLED_SAMPLES, ids=[str(p.relative_to(BUNDLED)) for p in BUNDLED_SAMPLES]
)
def test_diagnostics_match_asterisk_log(sample: Path) -> None:
    log = BUNDLED / f"{sample.relative_to(BUNDLED)}.log"
    expected = _expected_log(log) if log.exists() else set()
    result = config.parse(sample.read_bytes(), path=str(sample)).config()
    ours = {(d.code, d.line) for d in result.diagnostics if d.code in LOG_CODES.values()}
    assert ours == expected


# -- the whole reference corpus in ../shared (skipped, saying so, when it is absent) ----------


@needs_shared
def test_whole_shared_corpus() -> None:
    root = shared_path("corpus", "asterisk-samples")
    expected_root = shared_path("corpus", "asterisk-samples-expected")
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


def _sample_files(samples: Path) -> list[Path]:
    names = ("sip.conf.sample", "extensions.conf.sample", "iax.conf.sample",
             "voicemail.conf.sample", "minivm.conf.sample", "users.conf.sample")
    found = [p for name in names for p in sorted(samples.glob(f"*/{name}"))]
    return found


@needs_shared
def test_random_edits_on_samples_mean_what_the_tree_says() -> None:
    """After any edit (or refusal) the in-memory view equals a fresh parse of the output,
    and a refused edit leaves every byte as it was."""
    files = _sample_files(shared_path("corpus", "asterisk-samples"))
    rng = random.Random(1234)
    values = ["x", "a;b", "v--", ">v", "1 2", "caf\udce9", "\\x", "=", "a\tb", ""]
    names = ["secret", "type", "context", "allow", "newkey", "a+", "#h", "[x", "x y", "exten"]
    for _ in range(60):
        data = rng.choice(files).read_bytes()
        doc = config.parse(data)
        if not doc.sections:
            continue
        section = rng.choice(doc.sections)
        op = rng.choice(["set", "add", "remove", "add_section", "remove_section"])
        try:
            if op == "set":
                section[rng.choice(names)] = rng.choice(values)
            elif op == "add":
                section.add(rng.choice(names), rng.choice(values),
                            operator=rng.choice([None, "=", "=>", "+="]))
            elif op == "remove":
                lines = section.assignments()
                if lines:
                    section.remove(rng.choice(lines).name)
            elif op == "add_section":
                doc.add_section("newsec", parents=rng.choice([[], [section.name]]),
                                after=rng.choice([None, section]))
            else:
                doc.remove_section(section)
        except ConfigEditError:
            assert doc.dumps() == data
            continue
        out = doc.dumps()
        assert meaning(doc.config()) == meaning(config.parse(out).config())

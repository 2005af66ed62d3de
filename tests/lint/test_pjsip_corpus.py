"""pjsip findings against what a real res_pjsip (Asterisk 22.10.1) logged for the sample
pjsip configs (../shared/asterisk/pjsip-corpus; the 22.10.1 recordings are bundled).

Both directions: every unknown option, refused value, duplicate object, deprecated option
and transport that could not bind that Asterisk logged is found; every finding that says
Asterisk refuses an object lies in an object Asterisk did refuse.  Log lines about the
machine (missing certificate files, no network, acl.conf) are out of a linter's reach.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pyst.config import parse
from pyst.lint import Linter, LintInput, LintSettings
from pyst.lint._schema import type_value
from tests.lint.helpers import DATA, SHARED

BUNDLED = DATA / "pjsip-corpus"
WHOLE = SHARED / "asterisk" / "pjsip-corpus"
TARGET = {"13.38.3": "22", "16.30.1": "22", "18.26.4": "18", "20.20.1": "20",
          "22.10.1": "22", "master": "master"}
#: Options whose refusal depends on files of the recording machine.
MACHINE_DEPENDENT = {"cert_file", "priv_key_file", "ca_list_file", "ca_list_path",
                     "dtls_cert_file", "dtls_private_key", "dtls_ca_file", "dtls_ca_path"}
REFUSING = {"O201", "O202", "O204", "O206"}

_PARSING = re.compile(r"config_options\.c: Error parsing (\w+)=.* at line (\d+) of")
_UNKNOWN = re.compile(r"config_options\.c: Could not find option suitable for category "
                      r"'[^']*' named '([^']*)' at line (\d+)")
_DUPLICATE = re.compile(r"duplicate object: '([^']*)' of type '([^']*)'")
_NOT_CREATED = re.compile(r"Could not create an object of type '([^']*)' with id '([^']*)'")
_NO_LONGER = re.compile(r"Endpoint (\S+): Option '(\w+)' is no longer supported")
_IN_USE = re.compile(r"Transport '([^']*)' could not be started: Address already in use")


@dataclass
class Logged:
    """What res_pjsip logged about one file."""

    values: set[tuple[str, int]] = field(default_factory=set)
    unknown: set[tuple[str, int]] = field(default_factory=set)
    duplicates: set[tuple[str, str]] = field(default_factory=set)
    refused: set[tuple[str, str]] = field(default_factory=set)
    deprecated: set[tuple[str, str]] = field(default_factory=set)
    in_use: set[str] = field(default_factory=set)


def read_log(path: Path) -> Logged:
    """The log's lines a linter can correspond to."""
    logged = Logged()
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("#"):
            continue
        if m := _PARSING.search(line):
            if m.group(1) not in MACHINE_DEPENDENT:
                logged.values.add((m.group(1), int(m.group(2))))
        elif m := _UNKNOWN.search(line):
            logged.unknown.add((m.group(1), int(m.group(2))))
        elif m := _DUPLICATE.search(line):
            logged.duplicates.add((m.group(1), m.group(2)))
        elif m := _NOT_CREATED.search(line):
            logged.refused.add((m.group(2), m.group(1)))
        elif m := _NO_LONGER.search(line):
            logged.deprecated.add((m.group(1), m.group(2)))
        elif m := _IN_USE.search(line):
            logged.in_use.add(m.group(1))
    return logged


def object_at(data: bytes, target: str) -> dict[int, tuple[str, str]]:
    """Line -> (id, type) of the typed object whose section holds the line."""
    config = parse(data, path="pjsip.conf").config()
    starts = sorted((c.line, c) for c in config.categories)
    owner: dict[int, tuple[str, str]] = {}
    lines = data.count(b"\n") + 1
    for index, (start, category) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else lines + 1
        kind = type_value(category, target) if not category.template else None
        for number in range(start, end):
            owner[number] = (category.name, kind or "")
    return owner


def check(sample: Path, log: Path, target: str) -> list[str]:
    """Mismatches between the findings for ``sample`` and ``log``."""
    data = sample.read_bytes()
    kind = "pjsip_wizard.conf" if "wizard" in sample.name else "pjsip.conf"
    result = Linter(LintSettings(asterisk=target, select=("O", "P"))).run(
        [LintInput(str(sample.parent / kind), data)])
    logged = read_log(log)
    owner = object_at(data, target)
    found = result.findings
    problems = []
    values = {(f.line) for f in found if f.code in {"O202", "O204", "O206"}}
    unknown = {(f.line) for f in found if f.code == "O201"}
    for name, line in logged.values:
        if line not in values:
            problems.append(f"logged refused value {name}= at line {line}, not found")
    for name, line in logged.unknown:
        if line not in unknown:
            problems.append(f"logged unknown option {name} at line {line}, not found")
    duplicates = {
        owner[f.line] for f in found if f.code == "P305"
    }
    for key in logged.duplicates:
        if key not in duplicates:
            problems.append(f"logged duplicate {key}, not found")
    for key in duplicates - logged.duplicates:
        if key not in logged.refused:  # a duplicate of an object that already failed
            problems.append(f"duplicate {key} found, Asterisk did not log it")
    deprecated = {(owner[f.line][0], f.message.split("'")[1]) for f in found if f.code == "O205"}
    for key in logged.deprecated:
        if key not in deprecated:
            problems.append(f"logged deprecated option {key}, not found")
    in_use = {owner[f.line][0] for f in found if f.code == "P306"}
    if in_use != logged.in_use:
        problems.append(f"transports that cannot bind: logged {logged.in_use}, found {in_use}")
    # Refused: the objects logged as not created, and every object of a type whose whole
    # file sorcery refused for a duplicate.
    refused_types = {t for _, t in logged.duplicates}
    failed = logged.refused | {(i, t) for i, t in owner.values() if t in refused_types}
    for finding in found:
        if finding.code in REFUSING and owner[finding.line] not in failed:
            problems.append(f"{finding.code} at line {finding.line} in {owner[finding.line]}, "
                            "an object Asterisk loaded")
    return problems


def _cases(root: Path) -> list[tuple[Path, Path, str]]:
    return [
        (p, p.with_name(p.name + ".log"), TARGET[p.parent.name])
        for p in sorted(root.glob("*/*.uncommented"))
    ]


@pytest.mark.parametrize("case", _cases(BUNDLED), ids=lambda c: c[0].name)
def test_bundled_recordings_correspond(case: tuple[Path, Path, str]) -> None:
    assert check(*case) == []


def test_bundled_recording_has_something_to_find() -> None:
    logged = read_log(BUNDLED / "22.10.1" / "pjsip.conf.sample.uncommented.log")
    assert logged.values and logged.duplicates and logged.deprecated and logged.in_use


def test_whole_pjsip_corpus_corresponds() -> None:
    if not WHOLE.is_dir():
        pytest.skip("reference corpus ../shared not present")
    cases = _cases(WHOLE)
    assert len(cases) == 9
    failures = {str(c[0].relative_to(WHOLE)): check(*c) for c in cases}
    assert {k: v for k, v in failures.items() if v} == {}

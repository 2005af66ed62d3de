"""The engine: inputs (files, directories, stdin), one tree per main file, families."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pyst.lint import (
    Finding,
    Linter,
    LintInput,
    LintIOError,
    LintSettings,
    LintTree,
    Rule,
    RuleFamily,
    Severity,
    _registry,
    collect_inputs,
    register_family,
)


def _tree(tmp_path: Path) -> Path:
    conf = tmp_path / "asterisk"
    (conf / "pjsip.d").mkdir(parents=True)
    (conf / "pjsip.conf").write_text('#include "pjsip.d/*.conf"\n')
    (conf / "pjsip.d" / "endpoints.conf").write_text(
        "[6001]\ntype=endpoint\naors=6001\n[6001]\ntype=aor\n")
    (conf / "pjsip.d" / "broken.conf").write_text("[oops\n")
    (conf / "sip.conf").write_text("[general]\nbindport=5060\n")
    (conf / "notes.txt").write_text("not a config\n")
    return conf


def test_a_directory_is_one_tree_per_main_file(tmp_path: Path) -> None:
    conf = _tree(tmp_path)
    inputs = collect_inputs([str(conf)])
    assert [Path(i.path).name for i in inputs] == ["pjsip.conf", "sip.conf"]
    result = Linter(LintSettings()).run(inputs)
    assert result.files == 2
    broken = [f for f in result.findings if f.code == "L001"]
    assert len(broken) == 1 and broken[0].file.endswith("pjsip.d/broken.conf")
    # The included endpoints were read as part of pjsip.conf, with its kind.
    assert not [f for f in result.findings if f.code.startswith("P30") and f.code != "P301"]
    assert result.failed(Severity.WARNING)


def test_a_file_included_by_two_trees_is_reported_once(tmp_path: Path) -> None:
    (tmp_path / "a.conf").write_text('[a]\n#include "common.inc"\n')
    (tmp_path / "b.conf").write_text('[b]\n#include "common.inc"\n')
    (tmp_path / "common.inc").write_text("words\n")
    result = Linter(LintSettings()).run(collect_inputs([str(tmp_path)]))
    assert [(Path(f.file).name, f.code) for f in result.findings] == [("common.inc", "L020")]


def test_missing_path_is_an_io_error(tmp_path: Path) -> None:
    with pytest.raises(LintIOError, match="no such file"):
        collect_inputs([str(tmp_path / "nope.conf")])


def test_bytes_are_linted_under_the_given_name() -> None:
    result = Linter(LintSettings(select=("O",))).run(
        [LintInput("pjsip.conf", b"[6001]\ntype=endpoint\ncontxt=x\n")])
    assert [f.code for f in result.findings] == ["O201"]


def test_findings_are_sorted_and_deduplicated() -> None:
    source = b"[a]\nwords\n[a]\nwords\n"
    result = Linter().run([LintInput("x.conf", source), LintInput("x.conf", source)])
    assert [(f.line, f.code) for f in result.findings] == [(2, "L020"), (4, "L020")]


def test_a_registered_family_runs_with_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_registry, "_FAMILIES", dict(_registry._FAMILIES))

    def check(tree: LintTree) -> Iterator[Finding]:
        for category in tree.config.categories:
            if category.name.startswith("x"):
                yield family.finding("Z001", tree.path, category.line, "x-names are odd")

    family = RuleFamily(
        "example", "Z", (Rule("Z001", "x-name", Severity.INFO, "x", "x names"),), check)
    register_family(family)
    result = Linter().run([LintInput("t.conf", b"[xa]\nk=v\n[b]\nk=v\n")])
    assert [(f.code, f.line, f.severity) for f in result.findings] == [
        ("Z001", 1, Severity.INFO)]
    assert not result.failed(Severity.WARNING) and result.failed(Severity.INFO)


def test_a_family_must_use_its_prefix() -> None:
    family = RuleFamily("bad", "Y", (Rule("Z9", "z", Severity.INFO, "z", "z"),), lambda t: [])
    with pytest.raises(ValueError, match="does not start"):
        register_family(family)


def test_given_files_included_by_another_given_file_are_part_of_its_tree(
    tmp_path: Path,
) -> None:
    conf = _tree(tmp_path)
    given = [str(conf / "pjsip.conf"), str(conf / "pjsip.d" / "endpoints.conf"),
             str(conf / "sip.conf")]
    assert [Path(i.path).name for i in collect_inputs(given)] == ["pjsip.conf", "sip.conf"]

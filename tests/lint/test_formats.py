"""Output formats: a golden file per format, SARIF against the SARIF 2.1.0 JSON schema
(tests/lint/data/sarif-schema-2.1.0.json, the OASIS schema), GitHub workflow commands
against their syntax, and the JSON contract."""

from __future__ import annotations

import json
import os
import re

import pytest

from pyst.lint import FORMATS, Finding, Severity
from pyst.lint._formats import format_github
from tests.lint.helpers import DATA, run_lint

CASE = DATA / "formats"
ARGS = ["--isolated", "pjsip.conf", "sip.conf"]


@pytest.mark.parametrize("name", FORMATS)
def test_format_output_is_the_golden_one(name: str) -> None:
    status, out, err = run_lint([*ARGS, "--format", name], CASE)
    expected = CASE / f"expected.{name}"
    if os.environ.get("PYST_REGENERATE_GOLDEN"):
        expected.write_text(out)
    assert out == expected.read_text()
    assert status == 1 and err == ""


def test_json_is_one_array_of_the_contract_keys() -> None:
    _, out, _ = run_lint([*ARGS, "--format", "json"], CASE)
    findings = json.loads(out)
    assert isinstance(findings, list) and findings
    for item in findings:
        assert list(item) == ["file", "line", "column", "end_line", "end_column", "code",
                              "severity", "message"]
        assert item["severity"] in ("error", "warning", "info")
        assert item["line"] >= 1 and item["column"] >= 1 and item["end_line"] >= item["line"]


def test_sarif_validates_against_the_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
    _, out, _ = run_lint([*ARGS, "--format", "sarif"], CASE)
    log = json.loads(out)
    jsonschema.validate(log, schema)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        rule = rules[result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert rule["help"]["text"] and rule["shortDescription"]["text"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1


def test_sarif_structure_without_jsonschema() -> None:
    _, out, _ = run_lint([*ARGS, "--format", "sarif"], CASE)
    log = json.loads(out)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] and [r["id"] for r in driver["rules"]] == sorted(
        r["id"] for r in driver["rules"])
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"][0]["results"]}
    assert uris == {"pjsip.conf", "sip.conf"}


_COMMAND = re.compile(
    r"^::(error|warning|notice) file=[^,:%]*(?:%[0-9A-F]{2}[^,:%]*)*,line=\d+,col=\d+,"
    r"endLine=\d+,endColumn=\d+,title=[^,:]*::[^\r\n]*$"
)


def test_github_lines_are_workflow_commands() -> None:
    _, out, _ = run_lint([*ARGS, "--format", "github"], CASE)
    lines = out.splitlines()
    assert lines
    for line in lines:
        assert _COMMAND.match(line), line


def test_github_escapes_data_and_properties() -> None:
    finding = Finding("a,b:c.conf", 2, 1, "L020", "50% done\nnext", Severity.INFO)
    line = format_github([finding], {}, 1)
    assert line == ("::notice file=a%2Cb%3Ac.conf,line=2,col=1,endLine=2,endColumn=1,"
                    "title=pyst-config L020::L020 50%25 done%0Anext\n")


def test_text_paths_are_relative_and_file_level_findings_on_line_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "m.conf").write_text('[a]\n#include "inc.conf"\n')
    (tmp_path / "sub" / "inc.conf").write_text("[b\n")
    status, out, _ = run_lint(["--isolated", "sub/m.conf"], tmp_path)
    assert out.splitlines()[0].startswith("sub/inc.conf:1:1: L001 ")
    assert status == 1

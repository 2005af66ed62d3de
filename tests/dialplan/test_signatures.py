"""The shipped application/function data against what the extraction script recorded."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from pyst.dialplan import signatures
from pyst.dialplan._signatures import VERSIONS


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_data_matches_recorded_counts(version: str) -> None:
    raw = json.loads(resources.files("pyst.dialplan").joinpath("_data")
                     .joinpath(VERSIONS[version]).read_text("utf-8"))
    counts = raw["counts"]
    assert counts["applications"] == len(raw["applications"])
    assert counts["functions"] == len(raw["functions"])
    # Asterisk documents applications in about 100 files and functions in about 85.
    assert 90 <= counts["application_files"] <= 130
    assert 75 <= counts["function_files"] <= 110
    assert counts["applications"] >= 150 and counts["functions"] >= 150
    assert len(raw["commit"]) == 40
    data = signatures(version)
    assert len(data.applications) == counts["applications"]
    assert len(data.functions) == counts["functions"]


def test_data_holds_facts_only() -> None:
    raw = json.loads(resources.files("pyst.dialplan").joinpath("_data")
                     .joinpath(VERSIONS["22"]).read_text("utf-8"))
    allowed = {"argsep", "parameters", "complete", "module"}
    for table in ("applications", "functions"):
        for entry in raw[table].values():
            assert set(entry) <= allowed
            for parameter in entry["parameters"]:
                assert set(parameter) <= {"name", "required", "multiple", "argsep", "arguments"}


def test_known_signatures() -> None:
    data = signatures("22.10.1")
    assert data.asterisk == "22.10.1"
    goto = data.application("goto")
    assert goto is not None
    assert [p.name for p in goto.parameters] == ["context", "extension", "priority"]
    assert goto.minimum == 3 and goto.maximum == 3
    dial = data.application("Dial")
    assert dial is not None and dial.parameters[0].argsep == "&"
    assert data.function("CALLERID") is not None
    assert data.application("NoSuchThing") is None
    with pytest.raises(ValueError):
        signatures("11")

"""The shipped option schema: its recorded counts, res_pjsip's own option registrations,
and no unknown option in Asterisk's own samples."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from pyst.lint import Linter, LintInput, LintSettings
from pyst.lint._schema import SCHEMA_OF_TARGET, load_schema
from tests.lint.helpers import DATA, SHARED

SAMPLES = SHARED / "corpus" / "asterisk-samples"
REGISTERED = DATA / "registered-options-22.10.1.txt"
#: Sample folders with a schema of their own version (18 and 20 use 22's documentation).
SAMPLE_TARGETS = {"18.26.4": "18", "20.20.1": "20", "22.10.1": "22", "master": "master"}


def _raw(target: str) -> dict:  # type: ignore[type-arg]
    text = resources.files("pyst.lint").joinpath("_data", f"schema-{target}.json").read_text()
    return json.loads(text)  # type: ignore[no-any-return]


@pytest.mark.parametrize("target", ["22", "master"])
def test_shipped_data_matches_its_recorded_counts(target: str) -> None:
    data = _raw(target)
    counts = data["counts"]
    files = data["files"]
    options = [
        facts for f in files.values() for o in f["objects"].values()
        for facts in o["options"].values()
    ]
    assert counts["files"] == len(files)
    assert counts["objects"] == sum(len(f["objects"]) for f in files.values())
    assert counts["options"] == len(options) == counts["option_elements"]
    assert counts["enums"] == sum(1 for o in options if "enum" in o)
    assert counts["enums_confirmed"] == sum(1 for o in options if "accepts" in o)
    assert counts["deprecated"] == sum(1 for o in options if o.get("deprecated"))
    assert counts["kinds"] == dict(Counter(o["kind"] for o in options if "kind" in o))
    assert counts["modules"] == len({m for f in files.values() for o in f["objects"].values()
                                     for m in o["modules"]})
    assert len(data["source"]["commit"]) == 40
    assert data["source"]["ref"] == ("22.10.1" if target == "22" else "master")
    # 35 documented modules, about 700 options: a shrunken extraction would show here.
    assert counts["modules"] >= 35 and counts["options"] >= 700


def test_no_description_text_is_shipped() -> None:
    allowed = {"default", "enum", "kind", "deprecated", "replacement", "required", "accepts"}
    for target in ("22", "master"):
        for f in _raw(target)["files"].values():
            for o in f["objects"].values():
                for facts in o["options"].values():
                    assert set(facts) <= allowed


def _registered() -> dict[tuple[str, str], tuple[str, str]]:
    rows = {}
    for line in REGISTERED.read_text().splitlines():
        if line.startswith("#"):
            continue
        _module, kind, option, value_type, default, _regex = line.split("\t")
        if not option.startswith("(no options"):
            rows[(kind, option)] = (value_type, default)
    return rows


def test_pjsip_options_equal_what_res_pjsip_registers() -> None:
    schema = load_schema("22")
    objects = {
        **schema.files["pjsip.conf"].objects, **schema.files["pjsip_wizard.conf"].objects,
    }
    registered = _registered()
    assert len(registered) > 350
    raw = _raw("22")["files"]
    ours = {
        (o, name) for f in ("pjsip.conf", "pjsip_wizard.conf")
        for o, spec in raw[f]["objects"].items() for name in spec["options"]
    }
    assert set(registered) - ours == set()
    assert {k for k in ours if k[0] in {t for t, _ in registered}} - set(registered) == set()
    kinds = {"Boolean": "boolean", "Unsigned Integer": "uint", "Integer": "int",
             "Double": "double"}
    for (kind, option), (value_type, _default) in registered.items():
        spec = objects[kind].option(option) if kind in objects else None
        if spec is None:
            continue
        assert kinds.get(value_type) == (spec.kind if spec.kind in kinds.values() else None), (
            kind, option)


@pytest.mark.parametrize("target", sorted(SCHEMA_OF_TARGET))
def test_every_target_has_a_schema(target: str) -> None:
    assert load_schema(target).file("pjsip.conf") is not None


def test_samples_have_no_unknown_option_for_their_version() -> None:
    if not SAMPLES.is_dir():
        pytest.skip("reference corpus ../shared not present")
    unknown = []
    for folder, target in SAMPLE_TARGETS.items():
        files = [p for p in sorted((SAMPLES / folder).rglob("*")) if p.is_file()]
        assert files
        result = Linter(LintSettings(asterisk=target, select=("O201",))).run(
            [LintInput(str(p)) for p in files])
        unknown += [f"{f.file}:{f.line}: {f.message}" for f in result.findings]
    assert unknown == []


def test_uncommented_pjsip_samples_have_no_unknown_option() -> None:
    # The bundled 22.10.1 sample with its examples made live (see the pjsip corpus README).
    sample = DATA / "pjsip-corpus" / "22.10.1" / "pjsip.conf.sample.uncommented"
    result = Linter(LintSettings(select=("O201",))).run(
        [LintInput(str(Path(sample.parent, "pjsip.conf")), sample.read_bytes())])
    assert result.findings == []


def test_enum_checks_only_where_the_handler_confirms_the_list() -> None:
    endpoint = load_schema("22").files["pjsip.conf"].objects["endpoint"]
    dtmf = endpoint.option("dtmf_mode")
    assert dtmf is not None and dtmf.checked_values is not None
    assert "none" in dtmf.checked_values and "rfc2833" not in dtmf.checked_values
    prack = endpoint.option("100rel")
    assert prack is not None and prack.checked_values is not None
    assert {"on", "peer_supported"} <= prack.checked_values
    # Parsed by a table lookup the extractor cannot confirm: not checked at all.
    privacy = endpoint.option("callerid_privacy")
    assert privacy is not None and privacy.enum and privacy.checked_values is None

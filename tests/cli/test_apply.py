"""pyst-config apply: change files applied to every bundled sample, twice.

For each sample a change file is generated from what the sample holds (change a value,
add a repeated key, drop a key, add a section that inherits from a template, drop a
section nobody depends on).  The first run must change exactly that, the second must
report "no changes" and leave every byte as it was, and ``--check`` must agree with what
a real run does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pyst import config
from tests.cli import CORPUS, line_changes, run, run_binary, sample

SAMPLES = sorted(
    str(path.relative_to(CORPUS))
    for path in CORPUS.rglob("*")
    if path.is_file() and not path.name.endswith((".getconfig.txt", ".log", ".md"))
)


def _unique(doc: config.Document) -> list[config.Section]:
    """Sections whose name no other section of the file uses (no (+), no duplicates)."""
    return [s for s in doc.sections if len(doc.sections_named(s.name)) == 1 and s.name]


def generate_changes(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """A change set for the sample at ``path`` and what Asterisk should read afterwards
    (``{section: {key: values}}``, with ``None`` for a section that must be gone)."""
    doc = config.load(path)
    view = doc.config()
    sections: dict[str, Any] = {}
    expected: dict[str, Any] = {}
    unique = [s for s in _unique(doc) if s.name in view]
    inherited = {fold for c in view for fold in (p.lower() for p in c.inherits)}
    editable = [s for s in unique if s.own.keys()]
    if editable:
        target = editable[0]
        keys = target.own.keys()
        spec: dict[str, Any] = {"keys": {
            keys[0]: "pyst-applied",
            "pyst_repeated": ["first", "second"],
        }}
        expected[target.name] = {keys[0]: "pyst-applied", "pyst_repeated": ["first", "second"]}
        if len(keys) > 1:
            spec["absent"] = [keys[1]]
            expected[target.name][keys[1]] = []
        sections[target.name] = spec
    templates = [s for s in unique if s.template]
    new: dict[str, Any] = {"keys": {"pyst_new": "1"}}
    if templates:
        new["parents"] = [templates[0].name]
        new["after"] = templates[0].name
    elif unique:
        new["after"] = unique[0].name
    sections["pyst-new-section"] = new
    expected["pyst-new-section"] = {"pyst_new": ["1"]}
    removable = [
        s for s in unique
        if s.name.lower() not in inherited and s.name not in sections and not s.template
    ]
    if len(removable) > 1:
        sections[removable[-1].name] = {"state": "absent"}
        expected[removable[-1].name] = None
    return {"sections": sections}, expected


def _check_reading(path: Path, expected: dict[str, Any]) -> None:
    doc = config.load(path)
    view = doc.config()
    for name, keys in expected.items():
        if keys is None:
            assert name not in doc and name not in view
            continue
        own = doc[name].own
        for key, values in keys.items():
            values = [values] if isinstance(values, str) else values
            assert own.get_all(key) == values, (name, key)
            if not view.loaded:
                continue  # Asterisk refuses the file: only the lines can be checked
            read = view[name].get_all(key)
            assert read[len(read) - len(values):] == values, (name, key)


@pytest.mark.parametrize("name", SAMPLES)
def test_apply_twice_on_every_sample(
    name: str, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    path = sample(tmp_path, name)
    changes, expected = generate_changes(path)
    change_file = tmp_path / "changes.json"
    change_file.write_text(json.dumps(changes))
    original = path.read_bytes()
    before_view = config.read(path)

    status, _, err = run_binary(capsysbinary, "apply", change_file, path, "--check")
    assert status == 1, err
    assert path.read_bytes() == original

    status, out, err = run_binary(capsysbinary, "apply", change_file, path)
    assert status == 0, err
    first = path.read_bytes()
    assert first != original
    assert f"--- a/{path}" in out  # the diff is printed
    _check_reading(path, expected)
    after_view = config.read(path)
    assert after_view.loaded == before_view.loaded
    touched = set(expected) | {
        c.name for c in before_view
        if any(p in expected for p in c.inherits)
    }
    assert _same_untouched(before_view, after_view, touched)

    checked = run_binary(capsysbinary, "apply", change_file, path, "--check")
    assert checked[:2] == (0, f"{path}: no changes\n")
    status, out, _ = run_binary(capsysbinary, "apply", change_file, path)
    assert (status, out) == (0, f"{path}: no changes\n")
    assert path.read_bytes() == first


def _same_untouched(before: config.Config, after: config.Config, touched: set[str]) -> bool:
    def strip(view: config.Config) -> list[tuple[str, list[tuple[str, str]]]]:
        return [
            (c.name, [(v.name, v.value) for v in c.variables])
            for c in view if c.name not in touched
        ]

    return strip(before) == strip(after)


def test_apply_toml_minimal_and_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("tomllib", reason="TOML needs Python 3.11+ (or tomli)")
    path = sample(tmp_path, "22.10.1/cli_aliases.conf.sample", crlf=True)
    before = path.read_bytes()
    changes = tmp_path / "changes.toml"
    changes.write_text(
        '[sections.asterisk_11]\nkeys = { "die quickly" = "stop now" }\n\n'
        '[sections.mine]\nparents = ["asterisk_11_tpl"]\nafter = "asterisk_11"\n'
    )
    status, out, _ = run(capsys, "apply", changes, path, "--no-diff")
    assert (status, out) == (0, f"{path}: set [asterisk_11] die quickly: stop now; "
                                "add-section [mine]: [mine](asterisk_11_tpl)\n")
    removed, added = line_changes(before, path.read_bytes())
    assert removed == []
    assert added[0] == b"die quickly=stop now\r\n"
    assert b"[mine](asterisk_11_tpl)\r\n" in added
    assert run(capsys, "apply", changes, path)[:2] == (0, f"{path}: no changes\n")


def test_apply_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sample(tmp_path, "22.10.1/cli_aliases.conf.sample")
    before = path.read_bytes()
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"sections": ')
    status, _, err = run(capsys, "apply", bad_json, path)
    assert status == 2 and "not valid JSON" in err
    bad_toml = tmp_path / "bad.toml"
    bad_toml.write_text("[sections\n")
    status, _, err = run(capsys, "apply", bad_toml, path)
    assert status == 2 and ("not valid TOML" in err or "tomli" in err)
    unknown = tmp_path / "unknown.json"
    unknown.write_text('{"sections": {"general": {"colour": "red"}}}')
    status, _, err = run(capsys, "apply", unknown, path)
    assert status == 2 and "sections.general: unknown field 'colour'" in err
    refused = tmp_path / "refused.json"
    refused.write_text('{"sections": {"asterisk_11_tpl": {"state": "absent"}}}')
    status, _, err = run(capsys, "apply", refused, path)
    assert status == 3 and "refused" in err
    status, _, err = run(capsys, "apply", tmp_path / "missing.json", path)
    assert status == 2 and "cannot read" in err
    assert path.read_bytes() == before


def test_toml_without_tomllib_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    real = importlib.import_module

    def without_toml(name: str, package: str | None = None) -> Any:
        if name in ("tomllib", "tomli"):
            raise ModuleNotFoundError(name)
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", without_toml)
    path = sample(tmp_path, "22.10.1/cli_aliases.conf.sample")
    changes = tmp_path / "changes.toml"
    changes.write_text("[sections.general]\n")
    status, _, err = run(capsys, "apply", changes, path)
    assert status == 2 and "Python 3.11+ or the 'tomli' package" in err and "JSON" in err


@pytest.mark.parametrize(
    "name", ["16.30.1/sip.conf.sample", "22.10.1/cli_aliases.conf.sample",
             "22.10.1/extensions.conf.sample"],
)
def test_apply_keeps_crlf_and_a_missing_final_newline(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sample(tmp_path, name, crlf=True, final_newline=False)
    changes, expected = generate_changes(path)
    change_file = tmp_path / "changes.json"
    change_file.write_text(json.dumps(changes))
    assert run(capsys, "apply", change_file, path, "-q", "--no-diff")[:2] == (0, "")
    data = path.read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert not data.endswith(b"\n")
    _check_reading(path, expected)
    assert run(capsys, "apply", change_file, path)[:2] == (0, f"{path}: no changes\n")
    assert path.read_bytes() == data

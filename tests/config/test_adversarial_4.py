"""Round 4 of adversarial QA for ``pyst.config``: README.md, docs/config.md and the public
docstrings checked claim by claim against behaviour, plus the ``pyst-config`` views.

Tests marked ``xfail(strict=True, reason="BUG: ...")`` expose a real disagreement with the
docs, with Asterisk (``main/config.c``) or with what a mapping-like API leads users to
expect; the others pin down behaviour that was checked and found correct.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pyst.config as config
from pyst.cli import main
from pyst.cli._show import write_human

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def _meaning(cfg: config.Config) -> list[object]:
    return [
        (c.name, c.template, list(c.inherits), [(v.name, v.value, v.object) for v in c.variables])
        for c in cfg
    ]


def _human_view(source: str | bytes) -> str:
    buffer = io.StringIO()
    write_human(config.parse(source).config(), buffer)
    return buffer.getvalue()


def _view_means_the_same(source: str) -> bool:
    original = config.parse(source).config()
    again = config.parse(_human_view(source)).config()
    return again.loaded == original.loaded and _meaning(again) == _meaning(original)


# -- public API: docstrings, exception hierarchy ----------------------------------------


def test_every_public_name_and_member_has_a_docstring() -> None:
    missing = []
    for name in config.__all__:
        obj = getattr(config, name)
        if not (obj.__doc__ or "").strip():
            missing.append(name)
        if isinstance(obj, type) and obj.__module__.startswith("pyst.config"):
            for member, value in vars(obj).items():
                if member.startswith("_") or not (callable(value) or isinstance(value, property)):
                    continue
                if not (getattr(value, "__doc__", None) or "").strip():
                    missing.append(f"{name}.{member}")
    assert missing == []


def test_error_classes_form_one_hierarchy() -> None:
    for name in ("ConfigEditError", "ConfigIOError", "ConfigSyntaxError"):
        assert issubclass(getattr(config, name), config.ConfigError)


# -- docs/config.md and README examples run as written ----------------------------------


def test_docs_config_md_example_runs_on_example_sip_conf(tmp_path: Path) -> None:
    path = tmp_path / "sip.conf"
    shutil.copy(EXAMPLES / "sip.conf", path)
    os.chmod(path, 0o640)
    doc = config.load(str(path))
    assert doc.dumps() == path.read_bytes()
    general = doc["general"]
    general["bindport"] = "5061"
    peer = doc.add_section("6002", parents=["office-phone"])
    peer["secret"] = "s3cret"
    doc["6001"].remove("nat")
    doc.save()
    assert (path.stat().st_mode & 0o777) == 0o640
    view = doc.config()
    assert view.loaded
    assert [c.name for c in view] == ["general", "office-phone", "6001", "6002", "6002"]
    assert view.category("general") is not None
    assert view.category("general").get("bindport") == "5061"  # type: ignore[union-attr]
    assert view.categories[-1].get_all("secret") == ["s3cret"]
    assert view.categories[-1].inherits == ["office-phone"]


def test_readme_taste_runs_on_example_pjsip_conf(tmp_path: Path) -> None:
    path = tmp_path / "pjsip.conf"
    shutil.copy(EXAMPLES / "pjsip.conf", path)
    before = path.read_bytes()
    doc = config.load(str(path))
    doc["transport-udp"]["bind"] = "0.0.0.0:5061"
    doc.save()
    after = path.read_bytes()
    assert after == before.replace(b"bind = 0.0.0.0\n", b"bind = 0.0.0.0:5061\n", 1)
    view = config.read(str(path))
    for category in view:
        assert isinstance(category.items(), list)
        assert isinstance(category.inherits, list)
    for problem in view.diagnostics:
        text = str(problem)
        assert text.startswith(f"{problem.file}:{problem.line}:{problem.column}: ")


def test_quick_start_show_prints_the_example_views(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["show", str(EXAMPLES / "sip.conf"), str(EXAMPLES / "extensions.conf")])
    out = capsys.readouterr().out
    assert status == 0
    # The block-commented [disabled] section is not in the view; the (+) addition is merged.
    assert "[disabled]" not in out
    assert "externip" in out and "[general](+)" not in out
    assert "line 20, inherited" in out


def test_parse_returns_same_type_and_keeps_non_utf8_bytes() -> None:
    data = b"[s]\r\nx=caf\xe9 ; c\r\n"
    doc = config.parse(data)
    assert doc.dumps() == data
    assert doc["s"]["x"] == "caf\udce9"
    assert config.parse(data.decode("latin-1")).dumps() == data.decode("latin-1")


# -- show --json: the JSON contract ------------------------------------------------------


def test_show_json_follows_the_documented_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.conf"
    path.write_bytes(b"[t](!)\nk=v\n[a](t)\nx\nexten => 1\n[b](+)\n")
    other = tmp_path / "b.conf"
    other.write_bytes(b"[s]\nv=1\n")
    assert main(["show", "--json", str(path), str(other)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert set(first) == {"file", "asterisk", "loaded", "categories", "diagnostics"}
    assert first["loaded"] is False
    for category in first["categories"]:
        assert set(category) == {"name", "template", "inherits", "variables"}
        for variable in category["variables"]:
            assert set(variable) == {"name", "value", "object", "file", "line"}
    assert first["categories"][1]["variables"][1]["object"] is True
    for diagnostic in first["diagnostics"]:
        assert set(diagnostic) == {"severity", "code", "message", "file", "line", "column"}
        assert diagnostic["severity"] in ("error", "warning")
    assert {d["code"] for d in first["diagnostics"]} == {"no-equals", "category-addition-missing"}


def test_check_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.conf"
    good.write_bytes(b"[s]\nx=1\n")
    warn = tmp_path / "warn.conf"
    warn.write_bytes(b"[s]\nx\n")
    bad = tmp_path / "bad.conf"
    bad.write_bytes(b"[s\n")
    assert main(["check", str(good), str(warn)]) == 0
    assert main(["check", "--strict", str(warn)]) == 1
    assert main(["check", str(good), str(bad)]) == 1
    assert main(["show", str(bad)]) == 0
    out = capsys.readouterr().out
    assert f"{bad}: FAILS" in out and f"{warn}: warnings" in out


def test_file_level_diagnostic_uses_line_zero_as_documented(tmp_path: Path) -> None:
    # Diagnostic's docstring: line and column are 0 for a diagnostic about the whole file.
    (diagnostic,) = config.read(str(tmp_path / "missing.conf")).diagnostics
    assert diagnostic.code == "file-not-found"
    assert (diagnostic.line, diagnostic.column) == (0, 0)
    assert "1-based, or 0" in " ".join((config.Diagnostic.__doc__ or "").split())


# -- show (human view): "the view, in .conf syntax" -- it should load to the same meaning --


def test_human_view_round_trips_plain_values_and_escaped_semicolons() -> None:
    assert _view_means_the_same("[s]\nx = a\\;b ;c\ny=;--x\\;\nexten => 1,1,Noop\n[u](!)\nq=1\n")


@given(st.text(alphabet="abc;=\\-> ", min_size=1, max_size=12).filter(lambda v: v.strip() == v))
@settings(max_examples=60, deadline=None)
def test_human_view_round_trips_values(value: str) -> None:
    doc = config.parse("[s]\nk=old\n")
    try:
        doc["s"]["k"] = value
    except config.ConfigEditError:
        return
    assert _view_means_the_same(doc.text())


def test_human_view_of_inheritance_means_the_same() -> None:
    # The view lists inherited variables inline and names the parents in a comment, so
    # loading it gives the same variables (only the 'inherits' bookkeeping is a comment).
    source = "[t](!)\na=1\n[b](t)\nc=2\n[t](+TEMPLATES=include)\nlater=1\n"
    original = config.parse(source).config()
    again = config.parse(_human_view(source)).config()
    assert again.loaded
    assert [(c.name, c.template, c.items()) for c in again] == [
        (c.name, c.template, c.items()) for c in original
    ]
    assert "[b]  ; inherits t" in _human_view(source)


def test_human_view_escapes_semicolon_in_category_name() -> None:
    assert _view_means_the_same("[a\\;b]\nx=1\n")


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("\\[a=1", id="name-starts-with-bracket"),
        pytest.param("a\\;b=1", id="name-with-semicolon"),
        pytest.param("\\#include=x", id="name-like-directive"),
    ],
)
def test_human_view_escapes_variable_names(line: str) -> None:
    assert _view_means_the_same(f"[s]\n{line}\n")


def test_human_view_keeps_non_utf8_value_bytes(tmp_path: Path) -> None:
    path = tmp_path / "latin1.conf"
    path.write_bytes(b"[s]\nx=caf\xe9\n")
    out = subprocess.run(
        [sys.executable, "-m", "pyst.cli", "show", str(path)],
        capture_output=True, check=True,
    ).stdout
    assert b"caf\xe9" in out
    assert b"\xef\xbf\xbd" not in out


# -- the semantic view: what Asterisk's modules read ------------------------------------


def test_category_get_returns_the_value_asterisk_uses() -> None:
    view = config.read(str(EXAMPLES / "sip.conf"), asterisk="master")
    peer = view.categories_named("6002")[0]
    assert peer.get_all("nat") == ["force_rport,comedia", "no"]
    assert peer.get("nat") == "no"


def test_name_in_config_finds_category() -> None:
    view = config.parse("[general]\nx=1\n").config()
    assert view.category("general") is not None
    assert "general" in view


# -- Section "works like a mapping" -------------------------------------------------------


def test_section_mapping_basics() -> None:
    doc = config.parse("[s]\nA=1\nb=2\nb+=3\n")
    section = doc["s"]
    assert list(section) == ["A", "b"]
    assert dict(section) == {"A": "1", "b": "23"}
    assert "a" in section and 5 not in section
    assert section.get("missing") is None
    with pytest.raises(KeyError):
        section["missing"]
    with pytest.raises(KeyError):
        del section["missing"]


def test_section_has_mapping_len_items_values() -> None:
    section = config.parse("[s]\na=1\nb=2\n")["s"]
    assert len(section) == 2
    assert list(section.items()) == [("a", "1"), ("b", "2")]  # type: ignore[attr-defined]
    assert list(section.values()) == ["1", "2"]  # type: ignore[attr-defined]


def test_section_keys_are_readable() -> None:
    section = config.parse("[s]\n=x\na=1\n")["s"]
    assert dict(section) == {"a": "1"}
    assert "" not in section


def test_remove_none_is_type_error() -> None:
    doc = config.parse("[s]\na=1\nb=2\n")
    with pytest.raises(TypeError):
        doc["s"].remove(None)  # type: ignore[arg-type]
    assert doc.dumps() == "[s]\na=1\nb=2\n"


def test_document_iterates_sections_as_documented() -> None:
    # Iterating yields Section objects (duplicates and (+) re-openings included), as the
    # docs say; names index the first section with that name.
    doc = config.parse("[a]\n[b]\n[a](+)\n")
    assert [section.name for section in doc] == ["a", "b", "a"]
    assert [doc[section.name] is section for section in doc] == [True, True, False]


def test_wrong_argument_types_are_type_errors() -> None:
    doc = config.parse("[s]\nx=1\n")
    with pytest.raises(TypeError):
        doc["s"]["y"] = 5  # type: ignore[assignment]
    with pytest.raises(TypeError):
        doc["s"].get(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        config.parse(None)  # type: ignore[arg-type]
    assert doc.dumps() == "[s]\nx=1\n"


def test_documented_refusals_are_config_edit_errors() -> None:
    doc = config.parse("[s]\nx=1\n")
    section = doc["s"]
    for value in ("a\rb", "a\nb", "a\x00b", " a", "a "):
        with pytest.raises(config.ConfigEditError):
            section["y"] = value
    with pytest.raises(config.ConfigEditError):
        doc.add_section("a" * 80)
    with pytest.raises(config.ConfigEditError):
        section.add("y", "1", operator="==")
    with pytest.raises(config.ConfigEditError):
        config.parse("").save()
    assert doc.dumps() == "[s]\nx=1\n"


def test_values_that_look_like_syntax_read_back_exactly() -> None:
    doc = config.parse("[s]\nx=1\n")
    for name, value in [("a", ">x"), ("b", "--;"), ("c", ";--"), ("d", "[x]"), ("e", "a\\")]:
        doc["s"][name] = value
        view = doc.config()
        assert view.loaded
        variable = [v for v in view.categories[0].variables if v.name == name][-1]
        assert (variable.value, variable.object) == (value, False)


def test_load_errors_are_config_io_errors(tmp_path: Path) -> None:
    with pytest.raises(config.ConfigIOError):
        config.load(str(tmp_path))
    with pytest.raises(config.ConfigSyntaxError) as info:
        config.parse("[s]\nx\n", strict=True)
    assert info.value.diagnostics[0].code == "no-equals"


def test_set_collapses_append_chain_in_one_section() -> None:
    doc = config.parse("[s]\nallow=ulaw\nallow+=,alaw\n")
    doc["s"]["allow"] = "g722"
    assert doc.config().categories[0].get_all("allow") == ["g722"]


def test_set_collapses_append_chain_across_addition() -> None:
    doc = config.parse("[s]\nallow=ulaw\n[s](+)\nallow+=,alaw\n")
    assert doc.config().categories[0].get_all("allow") == ["ulaw,alaw"]
    doc["s"]["allow"] = "g722"
    assert doc.config().categories[0].get_all("allow") == ["g722"]

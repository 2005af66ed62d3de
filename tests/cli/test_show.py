"""``pyst-config show``: the JSON contract other tools rely on, and the view
for people, which loads back to the same meaning.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyst import config
from pyst.cli import main
from pyst.cli._show import write_human
from tests.cli.helpers import EXAMPLES, run

# -- show --json ---------------------------------------------------------------------------


def test_show_json_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.conf"
    good.write_bytes(b"[t](!)\na = 1\n[c](t)\nb => Jos\xe9\nbogus\n")
    bad = tmp_path / "bad.conf"
    bad.write_text("[ok]\nx = 1\n[broken\ny = 2\n")
    status, out = run(capsys, "show", "--json", str(good), str(bad))
    assert status == 0
    first, second = (json.loads(line) for line in out.splitlines())
    assert first == {
        "file": str(good),
        "asterisk": "22",
        "loaded": True,
        "categories": [
            {"name": "t", "template": True, "inherits": [], "variables": [
                {"name": "a", "value": "1", "object": False, "file": str(good), "line": 2},
            ]},
            {"name": "c", "template": False, "inherits": ["t"], "variables": [
                {"name": "a", "value": "1", "object": False, "file": str(good), "line": 2},
                {"name": "b", "value": "Jos\udce9", "object": True, "file": str(good), "line": 4},
            ]},
        ],
        "diagnostics": [
            {"severity": "warning", "code": "no-equals", "message": first["diagnostics"][0][
                "message"], "file": str(good), "line": 5, "column": 1},
        ],
    }
    assert "\\udce9" in out.splitlines()[0]
    assert second["loaded"] is False
    assert [c["name"] for c in second["categories"]] == ["ok"]
    assert [(d["severity"], d["code"], d["line"]) for d in second["diagnostics"]] == [
        ("error", "no-closing-bracket", 3)
    ]


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


def test_cli_json_non_utf8_path_and_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = os.fsdecode(b"caf\xe9 x.conf")
    (tmp_path / name).write_bytes(b"[c]\nk = v\xff\n")
    folder = tmp_path / "dir.conf"
    folder.mkdir()
    status, out = run(capsys, "show", "--json", str(tmp_path / name), str(folder))
    assert status == 0
    first, second = (json.loads(line) for line in out.splitlines())
    assert set(first) == {"file", "asterisk", "loaded", "categories", "diagnostics"}
    assert first["file"].endswith("caf\udce9 x.conf")
    assert "\\udce9" in out and "\\udcff" in out
    assert first["categories"][0]["variables"][0]["value"] == "v\udcff"
    assert second["loaded"] is False
    status, _ = run(capsys, "check", str(folder))
    assert status == 1


def test_show_uses_confdir_for_includes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "inc.conf").write_text("from_confdir = yes\n")
    main_file = tmp_path / "main.conf"
    main_file.write_text("[c]\n#include inc.conf\n")
    _, out = run(capsys, "show", "--json", "--confdir", str(tmp_path / "etc"), str(main_file))
    result = json.loads(out)
    assert result["loaded"] is True
    assert result["categories"][0]["variables"][0]["name"] == "from_confdir"
    _, out = run(capsys, "show", "--json", str(main_file))
    assert json.loads(out)["loaded"] is False


def test_missing_file_is_data_not_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = run(capsys, "show", "--json", str(tmp_path / "none.conf"))
    assert status == 0
    assert json.loads(out)["loaded"] is False


# -- show: the view for people -------------------------------------------------------------


def test_show_for_people_reads_like_the_file(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run(capsys, "show", str(EXAMPLES / "sip.conf"))
    assert status == 0
    assert "[6001]  ; inherits office-phone" in out
    assert "[office-phone](!)" in out
    assert "externip" in out and "inherited" in out


def test_quick_start_show_prints_the_example_views(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["show", str(EXAMPLES / "sip.conf"), str(EXAMPLES / "extensions.conf")])
    out = capsys.readouterr().out
    assert status == 0
    # The block-commented [disabled] section is not in the view; the (+) addition is merged.
    assert "[disabled]" not in out
    assert "externip" in out and "[general](+)" not in out
    assert "line 20, inherited" in out


def _full_meaning(cfg: config.Config) -> list[object]:
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
    return again.loaded == original.loaded and _full_meaning(again) == _full_meaning(original)


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


def _meaning_without_parents(cfg: config.Config) -> list[object]:
    return [
        (c.name, c.template, [(v.name, v.value, v.object) for v in c.variables]) for c in cfg
    ]


def _human_view_of(cfg: config.Config) -> str:
    buffer = io.StringIO()
    write_human(cfg, buffer)
    return buffer.getvalue()


_VIEW_CASES = [
    "[a]\nx=1\r\ny=2\n",
    "[a]\n\\x=1\n",
    "[a]\nx=a\\\\;b\n",
    "[a\\;b]\nq=1\n",
    "[a]\n x\\;y=2\n",
    "[a]\n=v\n",
    "[a]\nx==1\n",
    "[a]\nx =>1\n",
    "[a]\nx=\\;--\n",
    "[t](!)\nq=1\n[a](t)\nr=2\n",
    "[a]\nx=1\n[a](+)\ny=2\n",
]


@pytest.mark.parametrize("source", _VIEW_CASES)
def test_view_loads_back_to_the_same_variables(source: str) -> None:
    original = config.parse(source).config()
    again = config.parse(_human_view_of(original)).config()
    assert _meaning_without_parents(again) == _meaning_without_parents(original)


_VIEW_NAME = st.text(st.sampled_from([*"ab;\\[]#=+> -"]), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_VIEW_NAME, st.sampled_from(["=", "=>", "+="]), _VIEW_NAME), max_size=4))
def test_view_round_trips_generated_sections(rows: list[tuple[str, str, str]]) -> None:
    source = "[c]\n" + "".join(f"{n}{op}{v}\n" for n, op, v in rows)
    original = config.parse(source).config()
    if not original.loaded:
        return
    again = config.parse(_human_view_of(original)).config()
    assert _meaning_without_parents(again) == _meaning_without_parents(original)


def test_view_escapes_newlines_in_file_names(tmp_path: Path) -> None:
    if sys.platform.startswith("win"):
        pytest.skip("newlines in file names")
    path = tmp_path / "f\n[evil]\ny=2.conf"
    try:
        path.write_text("[a]\nx=1\n")
    except OSError:
        pytest.skip("file system refuses newlines in names")
    cfg = config.Loader().load_path(os.fspath(path))
    again = config.parse(_human_view_of(cfg)).config()
    assert _meaning_without_parents(again) == _meaning_without_parents(cfg)

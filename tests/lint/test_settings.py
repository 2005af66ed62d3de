"""Settings: selection by code or prefix, and discovery of pyproject.toml /
.pyst-config.toml upward from the linted path."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pyst.lint import LintSettings, SettingsError, Severity, discover, find_settings_file
from pyst.lint._selection import is_selected, unknown_patterns
from tests.lint.helpers import run_lint


@pytest.mark.parametrize(
    ("code", "select", "ignore", "extend", "expected"),
    [
        ("L020", ["ALL"], [], [], True),
        ("L020", ["L"], ["L02"], [], False),
        ("L001", ["L"], ["L02"], [], True),
        ("L020", ["L"], ["L"], ["L020"], True),
        ("P303", ["L"], [], [], False),
        ("P303", ["L"], [], ["P"], True),
        ("L020", ["L020"], ["L"], [], True),
        ("S202", [], [], [], False),
    ],
)
def test_most_specific_pattern_wins(
    code: str, select: list[str], ignore: list[str], extend: list[str], expected: bool
) -> None:
    assert is_selected(code, select, ignore, extend) is expected


def test_unknown_patterns_are_named() -> None:
    assert unknown_patterns(["L0", "X9", "ALL", "P30"], ["L001", "P301"]) == ["X9"]


def test_pyproject_table_is_found_upward(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pyst-config.lint]\nselect = ["L", "P"]\nignore = ["L020"]\n'
        'fail-on = "error"\nasterisk = "master"\n'
    )
    deep = tmp_path / "etc" / "asterisk"
    deep.mkdir(parents=True)
    settings = discover(deep)
    assert settings.select == ("L", "P") and settings.ignore == ("L020",)
    assert settings.fail_on is Severity.ERROR and settings.asterisk == "master"
    assert settings.source == str(tmp_path / "pyproject.toml")


def test_own_file_wins_over_pyproject_and_pyproject_without_table_is_skipped(
    tmp_path: Path,
) -> None:
    (tmp_path / ".pyst-config.toml").write_text('[lint]\nextend-select = ["T"]\n')
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[tool.other]\nx = 1\n# pyst-config\n')
    found = find_settings_file(inner)
    assert found is not None and found[0] == tmp_path / ".pyst-config.toml"
    assert discover(inner).extend_select == ("T",)


def test_top_level_keys_in_own_file(tmp_path: Path) -> None:
    (tmp_path / ".pyst-config.toml").write_text('ignore = ["S"]\n')
    assert discover(tmp_path).ignore == ("S",)


@pytest.mark.parametrize(
    "text",
    ['[lint]\nselcet = ["L"]\n', '[lint]\nfail-on = "fatal"\n', '[lint]\nasterisk = "21"\n',
     '[lint]\nselect = 3\n', "[lint\n"],
)
def test_bad_settings_are_refused(tmp_path: Path, text: str) -> None:
    (tmp_path / ".pyst-config.toml").write_text(text)
    with pytest.raises(SettingsError):
        discover(tmp_path)


def test_settings_file_drives_the_command_and_options_override_it(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pyst-config.lint]\nignore = ["L020"]\n')
    (tmp_path / "t.conf").write_text("[a]\nwords\n")
    assert run_lint(["t.conf"], tmp_path)[0] == 0
    # An ignore from the settings file still applies to an equally specific --select.
    assert run_lint(["t.conf", "--select", "L020"], tmp_path)[0] == 0
    status, out, _ = run_lint(["--isolated", "t.conf"], tmp_path)
    assert status == 1 and "L020" in out


def test_bad_settings_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / ".pyst-config.toml").write_text('[lint]\nselect = ["NOPE"]\n')
    (tmp_path / "t.conf").write_text("[a]\n")
    status, _, err = run_lint(["t.conf"], tmp_path)
    assert status == 2 and "NOPE" in err


def test_without_a_toml_reader_the_file_is_ignored_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyst.lint._settings as settings_module

    monkeypatch.setattr(settings_module, "_toml_loader", lambda: None)
    (tmp_path / ".pyst-config.toml").write_text('[lint]\nignore = ["L"]\n')
    settings = discover(tmp_path, LintSettings())
    assert settings.ignore == () and "tomli" in settings.notes[0]


def test_python_version_picks_the_reader() -> None:
    from pyst.lint._settings import _toml_loader

    loader = _toml_loader()
    if sys.version_info >= (3, 11):
        assert loader is not None and loader.__name__ == "tomllib"

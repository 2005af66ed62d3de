"""Diagnostics: what Asterisk logs, with the file, line and
column a user needs.

Covers the fatal errors and warnings the loader reports, their locations on indented lines,
after a BOM, with CRLF and block comments, their messages, whole-file diagnostics, and the
``strict`` parse that raises them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pyst import config
from pyst.config import ConfigSyntaxError
from tests.config.helpers import loaded, write_files


@pytest.mark.parametrize(
    ("source", "code", "line"),
    [
        ("[a;b]\n", "no-closing-bracket", 1),
        ("[c]\n[d\n", "no-closing-bracket", 2),
        ("[c](!\n", "no-closing-paren", 1),
        ("[c]( t )\n", "inheritance-missing", 1),
        ("[c](t)\n[t]\n", "inheritance-missing", 1),
        ("[t](t)\n", "inheritance-missing", 1),
        ("[c](+)\n", "category-addition-missing", 1),
        ("[t](!)\n[t](+)\n", "category-addition-missing", 2),
        ("()\n", "no-category-context", 1),
        ("a = 1\n[c]\n", "no-category-context", 1),
        ("[c]\n\\ a = 1\n", "invalid-escape", 2),
        ("[c]\n\\\n", "invalid-escape", 2),
        ("[c]\n\\\u00e9 = 1\n", "invalid-escape", 2),
        ("[c]\n#include missing.conf\n", "include-missing", 2),
        ("[]()\n", "inheritance-missing", 1),
    ],
)
def test_fatal_errors(source: str, code: str, line: int, tmp_path: Path) -> None:
    result = config.Loader(confdir=tmp_path).load_document(config.parse(source))
    assert not result.loaded
    fatal = [d for d in result.diagnostics if d.severity is config.Severity.ERROR]
    assert [(d.code, d.line) for d in fatal] == [(code, line)]


def test_fatal_error_keeps_what_was_read_before() -> None:
    result = loaded("[a]\nx = 1\n[b](nosuch)\ny = 2\n")
    assert not result.loaded
    assert [(c.name, c.items()) for c in result] == [("a", [("x", "1")])]


def test_warnings_skip_the_line() -> None:
    source = "[c]\nnovalue\n= x\n  =  y\n+= z\na = 1\n"
    result = loaded(source)
    assert result.loaded
    assert result.categories[0].items() == [("a", "1")]
    assert [(d.code, d.line) for d in result.diagnostics] == [
        ("no-equals", 2),
        ("no-variable-name", 3),
        ("no-variable-name", 4),
        ("no-variable-name", 5),
    ]


def test_diagnostics_locate_the_problem() -> None:
    result = loaded("[c]\n    novalue\n")
    (diagnostic,) = result.diagnostics
    assert (diagnostic.line, diagnostic.column) == (2, 5)
    assert "No '=' (equal sign) in line 2 of <string>" in diagnostic.message
    assert str(diagnostic).startswith("<string>:2:5: warning:")


def _diagnostics(tmp_path: Path, files: dict[str, bytes]) -> list[config.Diagnostic]:
    return config.read(write_files(tmp_path, files)).diagnostics


def test_diagnostic_columns_point_at_indented_lines(tmp_path: Path) -> None:
    found = _diagnostics(tmp_path, {"main.conf": (
        b"[c]\n  junk\n\t = 1\n   #foo\n  #include\n"
        b"  \\\x01=1\n"
    )})
    assert [(d.code, d.line, d.column) for d in found] == [
        ("no-equals", 2, 3), ("no-variable-name", 3, 3), ("unknown-directive", 4, 4),
        ("directive-needs-argument", 5, 3), ("invalid-escape", 6, 3),
    ]


def test_diagnostic_lines_with_bom_crlf_and_block_comments(tmp_path: Path) -> None:
    found = _diagnostics(tmp_path, {"main.conf": (
        b"\xef\xbb\xbf[c]\r\njunk\r\n;-- a\r\nb --; more\r\n"
    )})
    assert [(d.code, d.line, d.column) for d in found] == [
        ("no-equals", 2, 1), ("no-equals", 4, 7)]


def test_unterminated_comment_column_points_at_opening() -> None:
    cfg = config.parse("[c]\na = 1 ;-- never closed\nb = 2\n").config()
    (found,) = cfg.diagnostics
    assert (found.code, found.line, found.column) == ("unterminated-comment", 2, 7)


def test_inheritance_missing_column_points_at_name() -> None:
    cfg = config.parse("[t]\n[c](t,zz)\n").config()
    (found,) = cfg.diagnostics
    assert (found.code, found.line, found.column) == ("inheritance-missing", 2, 7)


def test_bad_regex_points_at_filter_header() -> None:
    cfg = config.parse("[c]\nx=1\n[c](+x=a{)\ny=1\n").config()
    bad = [d for d in cfg.diagnostics if d.code == "bad-regex"]
    assert bad and bad[0].line == 3


def test_include_depth_has_location(tmp_path: Path) -> None:
    main = write_files(tmp_path, {"main.conf": b"[a]\n#include main.conf\n"})
    found = [d for d in config.read(main).diagnostics if d.code == "include-depth"]
    assert found
    assert found[0].file.endswith("main.conf") and found[0].line == 2


def test_file_level_diagnostic_uses_line_zero_as_documented(tmp_path: Path) -> None:
    # Diagnostic's docstring: line and column are 0 for a diagnostic about the whole file.
    (diagnostic,) = config.read(str(tmp_path / "missing.conf")).diagnostics
    assert diagnostic.code == "file-not-found"
    assert (diagnostic.line, diagnostic.column) == (0, 0)
    assert "1-based, or 0" in " ".join((config.Diagnostic.__doc__ or "").split())


_MESSAGE_CASES = {
    "no-closing-bracket": b"[c]\n[abc\n",
    "no-closing-paren": b"[c]\n[a](b\n",
    "category-addition-missing": b"[c]\n[zz](+)\n",
    "inheritance-missing": b"[c]\n[d](zz)\n",
    "inheritance-loop": b"[a]\nx=1\n[a](+,a)\n",
    "no-category-context": b"x=1\n",
    "invalid-escape": b"[c]\n\\\x01=1\n",
    "include-missing": b"[c]\n#include nope.conf\n",
    "comment-nesting-limit": b"[c]\n" + b";--" * 129 + b"\n",
    "no-equals": b"[c]\njunk\n",
    "no-variable-name": b"[c]\n= 1\n",
    "unknown-directive": b"[c]\n#foo\n",
    "directive-needs-argument": b"[c]\n#include\n",
    "exec-disabled": b"[c]\n#exec ls\n",
    "include-repeated": b"[c]\n#include ok.conf\n#include ok.conf\n",
    "line-too-long": b"[c]\na=" + b"x" * 9000 + b"\n",
    "unterminated-comment": b"[c]\na=1 ;-- x\n",
    "not-regular-file": b"[c]\n#include sub\n",
    "bad-regex": b"[c]\nx=1\n[c](+x=a{)\n",
    "include-depth": b"[c]\n#include main.conf\n",
}


@pytest.mark.parametrize("code", list(_MESSAGE_CASES))
def test_diagnostic_fires_and_message_says_file_and_line(tmp_path: Path, code: str) -> None:
    (tmp_path / "sub").mkdir()
    main = write_files(tmp_path, {"main.conf": _MESSAGE_CASES[code], "ok.conf": b"x=1\n"})
    found = [d for d in config.read(main).diagnostics if d.code == code]
    assert found, code
    diagnostic = found[0]
    assert diagnostic.line >= 1 and diagnostic.column >= 1
    assert "main.conf" in diagnostic.message
    assert f"line {diagnostic.line}" in diagnostic.message


def test_strict_parse_raises_with_diagnostics() -> None:
    with pytest.raises(config.ConfigSyntaxError) as raised:
        config.parse("[c]\nnovalue\n[bad\n", strict=True)
    assert [d.code for d in raised.value.diagnostics] == ["no-equals", "no-closing-bracket"]
    assert "<string>:3:1" in str(raised.value)
    assert isinstance(raised.value, config.ConfigError)
    assert config.parse("[c]\na = 1\n", strict=True).dumps() == "[c]\na = 1\n"


def test_strict_parse_raises_with_location() -> None:
    with pytest.raises(ConfigSyntaxError) as info:
        config.parse("[c]\nok = 1\n  junk\n", strict=True)
    (diagnostic,) = info.value.diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("no-equals", 3, 3)
    assert "<string>:3:3" in str(info.value)


def test_document_diagnostics_without_following_includes() -> None:
    document = config.parse("[c]\nnovalue\n#include nowhere.conf\n")
    assert [(d.code, d.line) for d in document.diagnostics] == [("no-equals", 2)]

"""Adversarial tests for pyst.config: round trips, Asterisk's loader rules and the edit API.

Tests marked ``xfail(strict=True, reason="BUG: ...")`` expose a real disagreement with
/work/shared/asterisk/conf-syntax.md or Asterisk's main/config.c; the others pin down
behaviour that is correct today.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyst import config
from pyst.config import Assignment, ConfigEditError, ConfigError, ConfigIOError
from tests.config.helpers import categories, write_files

# -- helpers -------------------------------------------------------------------------------


def _view(source: str | bytes, **kwargs: object) -> config.Config:
    doc = config.parse(source)
    assert doc.dumps() == source
    return doc.config(**kwargs)  # type: ignore[arg-type]




def _pieces(line: Assignment) -> str:
    return (
        line.indent + line.raw_name + line.before_operator + line.operator
        + line.after_operator + line.raw_value + line.comment_space + line.comment + line.newline
    )


# -- round trip (correct today) ------------------------------------------------------------

_ATOMS = [
    "[", "]", "(", ")", "!", "+", ",", "=", ">", ";", "-", "--", ";--", "--;", "\\", "\\;",
    "#", "include", " ", "\t", "\r", "\n", "\r\n", "\0", "\ufeff", "a", "x", "\u00e9",
    "\udcff", "&", "\x0b",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_ATOMS), max_size=40).map("".join))
def test_round_trip_and_view_never_crash(source: str) -> None:
    doc = config.parse(source)
    assert doc.dumps() == source
    data = source.encode("utf-8", "surrogateescape")
    assert config.parse(data).dumps() == data
    doc.config(confdir="/nonexistent-pyst-confdir")


def test_stray_block_close_keeps_rest_of_line_and_hides_later_lines() -> None:
    cfg = _view("[c]\na = x--;comment\nb = 2\n;--\nc = 3\n")
    assert categories(cfg) == [("c", [("a", "x--;comment"), ("c", "3")])]


def test_escaped_backslash_semicolon_and_spliced_block_comment() -> None:
    cfg = _view("[c]\na = x\\\\;y\nb = 1 ;-- x --; tail\nd ;-- c --;= 4\n")
    assert categories(cfg) == [("c", [("a", "x\\;y"), ("b", "1  tail"), ("d", "4")])]


def test_header_option_order_and_empty_token() -> None:
    cfg = _view("[t](!)\nk=1\n[u]\nz=0\n[c](t,)\n[u](+,!)\n")
    assert categories(cfg)[2] == ("c", [("k", "1"), ("k", "1")])
    assert [c.template for c in cfg.categories] == [True, True, False]


def test_long_line_limit_is_exact() -> None:
    ok = "[c]\na=" + "x" * (8190 - 2) + "\n"
    too_long = "[c]\na=" + "x" * (8191 - 2) + "\nb=1\n"
    assert categories(_view(ok))[0][1][0][1] == "x" * 8188
    cfg = _view(too_long)
    assert categories(cfg) == [("c", [("b", "1")])]
    assert [d.code for d in cfg.diagnostics] == ["line-too-long"]


def test_edit_escapes_semicolon_and_block_markers() -> None:
    doc = config.parse("[c]\na = 1 ; note\n")
    doc["c"]["a"] = "x--;--y;--z"
    assert doc.config().categories[0].variables[0].value == "x--;--y;--z"
    assert doc.dumps().endswith(" ; note\n")


# -- loader: config.c disagreements --------------------------------------------------------


def test_append_update_matches_value_case_insensitively() -> None:
    cfg = _view("[c]\na = FOO\nA = foo\na += bar\n", asterisk="master")
    assert categories(cfg) == [("c", [("a", "FOO"), ("a", "FOO bar")])]


def test_nul_line_over_buffer_size_continues_as_next_line() -> None:
    source = b"[c]\na=1\x00" + b"x" * (8191 - 4) + b"b=2\n[d]\n"
    cfg = _view(source)
    assert categories(cfg) == [("c", [("a", "1"), ("b", "2")]), ("d", [])]


def test_directive_word_ends_at_high_byte(tmp_path: Path) -> None:
    main = write_files(
        tmp_path, {"main.conf": b"[c]\n#include\xa0inc.conf\n", "inc.conf": b"y=2\n"}
    )
    cfg = config.read(main)
    assert cfg.loaded
    assert [(v.name, v.value) for v in cfg.categories[0].variables] == [("y", "2")]


def test_glob_include_carries_comment_depth(tmp_path: Path) -> None:
    main = write_files(tmp_path, {
        "main.conf": b"[m]\n#include g/*.conf\n",
        "g/a.conf": b"a=1\n;-- open\n",
        "g/b.conf": b"b=2\n",
    })
    assert categories(config.read(main)) == [("m", [("a", "1")])]


def test_glob_include_line_numbers_continue(tmp_path: Path) -> None:
    main = write_files(tmp_path, {
        "main.conf": b"[m]\n#include g/*.conf\n",
        "g/a.conf": b"a=1\nx\n",
        "g/b.conf": b"b=2\nnoeq\n",
    })
    cfg = config.read(main)
    assert [(d.code, Path(d.file).name, d.line) for d in cfg.diagnostics] == [
        ("no-equals", "a.conf", 2), ("no-equals", "b.conf", 4)]
    assert [v.line for v in cfg.categories[0].variables] == [1, 3]


def test_glob_include_second_file_bom_is_data(tmp_path: Path) -> None:
    main = write_files(tmp_path, {
        "main.conf": b"[m]\n#include g/*.conf\n",
        "g/a.conf": b"a=1\n",
        "g/b.conf": b"\xef\xbb\xbf[b]\nb=2\n",
    })
    assert categories(config.read(main)) == [("m", [("a", "1"), ("b", "2")])]


def test_glob_include_next_file_continues_previous_files_category(tmp_path: Path) -> None:
    main = write_files(tmp_path, {
        "main.conf": b"[m]\n#include g/*.conf\n",
        "g/a.conf": b"[x]\n#include sub.conf\n",
        "sub.conf": b"[y]\n",
        "g/b.conf": b"b=2\n",
    })
    assert categories(config.read(main)) == [("m", []), ("x", [("b", "2")]), ("y", [])]


def test_include_after_nested_header_keeps_own_category(tmp_path: Path) -> None:
    main = write_files(tmp_path, {
        "main.conf": b"[first]\na=1\n#include inc.conf\nafter=2\n#include bare.conf\n",
        "inc.conf": b"[fromcat]\n",
        "bare.conf": b"bare=3\n",
    })
    assert categories(config.read(main)) == [
        ("first", [("a", "1"), ("after", "2")]), ("fromcat", [("bare", "3")])]


def test_filter_regex_double_star_is_valid_ere() -> None:
    cfg = _view("[c]\nx=a\n[c](+x=a**)\ny=1\n")
    assert cfg.loaded
    assert categories(cfg) == [("c", [("x", "a"), ("y", "1")])]


def test_filter_regex_backslash_d_is_not_digit() -> None:
    cfg = _view("[c]\nx=5\n[c](+x=\\d)\ny=1\n")
    assert not cfg.loaded


def test_filter_regex_bare_posix_class_is_a_bracket_set() -> None:
    cfg = _view("[c]\nx=p\n[c](+x=[:alpha:])\ny=1\n")
    assert cfg.loaded


_SELF_INHERIT = (
    "from pyst import config\n"
    "cfg = config.parse('[a]\\nx=1\\n[a](+,a)\\n').config()\n"
    "print(cfg.loaded)\n"
)


def test_self_inheritance_after_addition_terminates() -> None:
    def limit() -> None:  # pragma: no cover - runs in the child
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    result = subprocess.run(
        [sys.executable, "-c", _SELF_INHERIT], capture_output=True, timeout=2,
        preexec_fn=limit, check=False, cwd=os.getcwd(),
    )
    assert result.returncode == 0


# -- lines: fields -------------------------------------------------------------------------


def test_raw_value_keeps_leading_escape() -> None:
    line = config.parse("[c]\na = \\;x ; c\n")["c"].assignments()[0]
    assert line.value == ";x"
    assert line.raw_value == "\\;x"
    assert line.after_operator == " "


def test_raw_name_keeps_leading_escape() -> None:
    line = config.parse("[c]\n\\;x = 1\n")["c"].assignments()[0]
    assert line.name == ";x"
    assert (line.indent, line.raw_name) == ("", "\\;x")
    assert _pieces(line) == line.raw


# -- editing -------------------------------------------------------------------------------


def test_set_value_that_started_with_escaped_semicolon() -> None:
    doc = config.parse("[c]\na = \\;x ; c\n")
    doc["c"]["a"] = "y"
    assert doc.dumps() == "[c]\na = y ; c\n"


def test_get_after_append_operator() -> None:
    doc = config.parse("[c]\na = one\na += two\n")
    assert doc["c"]["a"] == doc.config().categories[0].variables[-1].value == "one two"


def test_set_on_append_line_reads_back_as_set() -> None:
    doc = config.parse("[c]\na = one\na += two\n")
    try:
        doc["c"]["a"] = "x"
    except ConfigEditError:
        return
    assert doc.config().categories[0].variables[-1].value == "x"


def test_set_does_not_hit_unicode_case_fold_lookalike() -> None:
    doc = config.parse("[c]\n\u212a = 1\n")
    doc["c"]["k"] = "2"
    assert categories(doc.config()) == [("c", [("\u212a", "1"), ("k", "2")])]


def _refused_or_kept(doc: config.Document, edit, check) -> None:  # type: ignore[no-untyped-def]
    try:
        edit(doc)
    except ConfigEditError:
        return
    check(doc.config())


def test_remove_section_that_is_inherited_from() -> None:
    doc = config.parse("[a]\nx=1\n[b](a)\n")
    _refused_or_kept(doc, lambda d: d.remove_section(d["a"]), lambda cfg: (
        pytest.fail("file no longer loads") if not cfg.loaded else None))


def test_remove_section_that_is_added_to() -> None:
    doc = config.parse("[a]\nx=1\n[a](+)\ny=2\n")
    _refused_or_kept(doc, lambda d: d.remove_section(d["a"]), lambda cfg: (
        pytest.fail("file no longer loads") if not cfg.loaded else None))


def test_add_section_with_missing_parent() -> None:
    doc = config.parse("[a]\nx=1\n")
    _refused_or_kept(doc, lambda d: d.add_section("b", parents=["zzz"]), lambda cfg: (
        pytest.fail("file no longer loads") if not cfg.loaded else None))


def test_add_section_before_its_parent() -> None:
    doc = config.parse("[s]\n[a]\nx=1\n")
    _refused_or_kept(doc, lambda d: d.add_section("b", parents=["a"], after=d["s"]),
                     lambda cfg: pytest.fail("file no longer loads") if not cfg.loaded else None)


def test_add_section_does_not_hijack_inheritance() -> None:
    doc = config.parse("[s]\n[a]\nx=1\n[b](a)\n")
    _refused_or_kept(doc, lambda d: d.add_section("a", after=d["s"]), lambda cfg: (
        None if categories(cfg)[-1] == ("b", [("x", "1")]) else pytest.fail(repr(categories(cfg)))))


def test_add_section_keeps_missing_final_newline() -> None:
    doc = config.parse("[a]\nx=1")
    doc.add_section("b")
    assert not doc.dumps().endswith("\n")


def test_add_keeps_missing_final_newline() -> None:
    doc = config.parse("[a]\nx=1")
    doc["a"].add("y", "2")
    assert doc.dumps() == "[a]\nx=1\ny=2"


# -- API errors ----------------------------------------------------------------------------


def test_load_missing_file_raises_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        config.load(tmp_path / "missing.conf")


def test_read_missing_file_is_not_loaded(tmp_path: Path) -> None:
    cfg = config.read(tmp_path / "missing.conf")
    assert not cfg.loaded
    assert [d.code for d in cfg.diagnostics] == ["file-not-found"]


def test_save_into_missing_folder_raises_config_io_error(tmp_path: Path) -> None:
    doc = config.parse("[a]\n")
    with pytest.raises(ConfigIOError):
        doc.save(tmp_path / "no" / "such" / "x.conf")


# -- second round --------------------------------------------------------------------------


def test_multibyte_line_with_late_nul_is_too_long() -> None:
    cfg = _view("[c]\na=" + "\u00e9" * 4100 + "\0" + "\nb=1\n")
    assert categories(cfg) == [("c", [("b", "1")])]
    assert [d.code for d in cfg.diagnostics] == ["line-too-long"]


def test_too_long_line_skip_stops_at_chunk_with_nul() -> None:
    source = b"[c]\na=" + b"x" * (8191 - 2) + b"\0" + b"y" * 8190 + b"b=2\n[d]\n"
    cfg = _view(source)
    assert categories(cfg) == [("c", [("b", "2")]), ("d", [])]


def test_include_single_alternative_brace(tmp_path: Path) -> None:
    main = write_files(tmp_path, {"main.conf": b"[c]\n#include {inc}.conf\n", "inc.conf": b"y=2\n"})
    cfg = config.read(main)
    assert cfg.loaded
    assert categories(cfg) == [("c", [("y", "2")])]


def test_include_brace_alternatives_skip_missing(tmp_path: Path) -> None:
    main = write_files(tmp_path, {
        "main.conf": b"[c]\n#include {a,zz,b}.conf\n", "a.conf": b"a=1\n", "b.conf": b"b=2\n"})
    cfg = config.read(main)
    assert cfg.loaded
    assert categories(cfg) == [("c", [("a", "1"), ("b", "2")])]


def test_add_after_line_with_escaped_value() -> None:
    doc = config.parse("[c]\na = \\;x\n")
    doc["c"].add("a", "y")
    assert categories(doc.config()) == [("c", [("a", ";x"), ("a", "y")])]


def test_document_getitem_wrong_type() -> None:
    doc = config.parse("[c]\n")
    with pytest.raises((TypeError, KeyError)):
        doc[1]  # type: ignore[index]


def test_save_through_symlink_updates_target(tmp_path: Path) -> None:
    real = tmp_path / "real.conf"
    real.write_bytes(b"[a]\nx=1\n")
    link = tmp_path / "link.conf"
    link.symlink_to(real)
    doc = config.load(link)
    doc["a"]["x"] = "2"
    doc.save()
    assert link.is_symlink()
    assert real.read_bytes() == b"[a]\nx=2\n"


def test_save_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "m.conf"
    path.write_bytes(b"[a]\nx=1\n")
    path.chmod(0o640)
    doc = config.load(path)
    doc["a"]["x"] = "2"
    doc.save()
    assert path.read_bytes() == b"[a]\nx=2\n"
    assert path.stat().st_mode & 0o777 == 0o640


def test_add_never_makes_file_unloadable() -> None:
    doc = config.parse("[c]\n\\;x = 1\n")
    _refused_or_kept(doc, lambda d: d["c"].add("\u00e9", "1"), lambda cfg: (
        None if cfg.loaded else pytest.fail(repr(doc.dumps()))))


def test_filter_lone_quote_is_empty_regex() -> None:
    cfg = _view('[c]\nx=1\n[c](+x=")\ny=2\n')
    assert cfg.loaded
    assert categories(cfg) == [("c", [("x", "1"), ("y", "2")])]


def test_filter_terms_and_templates_keyword() -> None:
    cfg = _view(
        "[o]\ntype=aor\n[o]\ntype=endpoint\ntransport=udp\n"
        "[o](+type=end.*&transport=udp)\nz=1\n[t](!)\n[t](+TEMPLATES=include)\nw=2\n"
    )
    assert cfg.loaded
    assert categories(cfg) == [
        ("o", [("type", "aor")]),
        ("o", [("type", "endpoint"), ("transport", "udp"), ("z", "1")]),
        ("t", [("w", "2")]),
    ]


def test_parse_str_with_lone_surrogate_on_long_line() -> None:
    source = "[c]\na=" + "\ud800" * 2001 + "\n"
    assert config.parse(source).dumps() == source


def test_config_with_lone_surrogate_header_name() -> None:
    doc = config.parse("[" + "\ud800" * 30 + "]\n")
    with contextlib.suppress(ConfigError):
        doc.config()


def test_set_lone_surrogate_value_is_edit_error() -> None:
    doc = config.parse("[c]\n")
    with pytest.raises(ConfigEditError):
        doc["c"]["a"] = "\ud800"


def test_filter_regex_huge_repeat_count_does_not_crash() -> None:
    cfg = _view("[c]\nx=a\n[c](+x=a{99999999999})\ny=1\n")
    assert not cfg.loaded
    assert "bad-regex" in [d.code for d in cfg.diagnostics]


def test_filter_regex_lone_brace_is_invalid_ere() -> None:
    cfg = _view("[c]\nx=a{\n[c](+x=a{)\ny=1\n")
    assert not cfg.loaded


# -- includes that work as Asterisk does (correct today) -----------------------------------


def test_include_relative_to_confdir_not_including_file(tmp_path: Path) -> None:
    main = write_files(tmp_path, {
        "main.conf": b"[c]\n#include inc/sub/nested.conf\n",
        "inc/sub/nested.conf": b"#include sibling.conf\n",
        "sibling.conf": b"top=1\n",
        "inc/sub/sibling.conf": b"wrong=1\n",
    })
    assert categories(config.read(main)) == [("c", [("top", "1")])]


def test_fatal_error_inside_include_only_ends_that_file(tmp_path: Path) -> None:
    main = write_files(tmp_path, {
        "main.conf": b"[c]\n#include bad.conf\nafter=1\n",
        "bad.conf": b"in=1\n[broken\nlost=1\n",
    })
    cfg = config.read(main)
    assert cfg.loaded
    assert categories(cfg) == [("c", [("in", "1"), ("after", "1")])]
    assert [d.code for d in cfg.diagnostics] == ["no-closing-bracket"]


def test_self_include_stops_at_depth_limit(tmp_path: Path) -> None:
    main = write_files(tmp_path, {"main.conf": b"[a]\n#include main.conf\nb=1\n"})
    cfg = config.read(main)
    assert cfg.loaded
    assert [len(c.variables) for c in cfg.categories] == [1] * 10 + [0]
    assert "include-depth" in [d.code for d in cfg.diagnostics]


def test_missing_include_is_fatal_tryinclude_is_not(tmp_path: Path) -> None:
    main = write_files(
        tmp_path, {"main.conf": b"[c]\n#tryinclude nope*.conf\na=1\n#include nope.conf\n"})
    cfg = config.read(main)
    assert not cfg.loaded
    assert categories(cfg) == [("c", [("a", "1")])]
    assert [d.code for d in cfg.diagnostics] == ["include-missing"]


# -- edit property (correct today, outside the known-bug shapes) ---------------------------

_LINE_ATOMS = ["a", "b", "=", "=>", " ", "\t", ";", ";--", "--;", "-", "\\", ">", "x", "[", "]",
               "#", "\r"]
_VALUES = ["", "v", ">v", "a;b", "--", "x--", "\\", "v\\", "=", "a=b", "#x", "[x", "\\x", "v+",
           ";--", "--;", "a;--b--;c"]
_NAMES = ["a", "b", "A", "x y", "#h", "[b", "=e", "\\", "a+", ";n", "n;", "n--"]


def _semantic(doc: config.Document) -> tuple[bool, list[tuple[str, list[tuple[str, str]]]]]:
    cfg = doc.config()
    return cfg.loaded, categories(cfg)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(st.lists(st.sampled_from(_LINE_ATOMS), max_size=8).map("".join), max_size=4),
    st.sampled_from(_NAMES), st.sampled_from(_VALUES), st.sampled_from(["set", "add"]),
)
def test_edit_sets_exactly_what_was_asked_or_refuses(
    body: list[str], name: str, value: str, how: str
) -> None:
    source = "[s]\n" + "\n".join(body) + "\n[t]\nz=1\n"
    doc = config.parse(source)
    loaded, before = _semantic(doc)
    if not loaded or before[-1] != ("t", [("z", "1")]):
        return
    try:
        if how == "set":
            doc["s"][name] = value
        else:
            doc["s"].add(name, value, operator="=")
    except ConfigEditError:
        return
    loaded, after = _semantic(doc)
    assert loaded
    assert after[1:] == before[1:]
    own = [v for n, v in after[0][1] if n.lower() == name.lower()]
    assert own and own[-1] == value


def test_config_category_lookup_folds_ascii_only() -> None:
    cfg = _view("[\u212a]\nx=1\n")
    assert cfg.category("k") is None

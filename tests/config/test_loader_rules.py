"""The loader's rules, one at a time, as ../shared/asterisk/conf-syntax.md states them."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyst import config

Items = list[tuple[str, str]]


def view(source: str | bytes) -> list[tuple[str, Items]]:
    """Categories as (name, [(variable, value)…]) of what Asterisk would load."""
    document = config.parse(source)
    assert document.dumps() == source
    return [(c.name, c.items()) for c in document.config().categories]


def load(source: str | bytes) -> config.Config:
    document = config.parse(source)
    assert document.dumps() == source
    return document.config()


def codes(source: str | bytes) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in load(source).diagnostics]


# -- comments ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ('a = "foo;bar"', '"foo'),  # quotes do not protect ';'
        ("a = x\\;y", "x;y"),  # \; is a literal ;
        ("a = x\\\\;y", "x\\;y"),  # \\; gives \; and no comment
        ("a = back\\slash", "back\\slash"),  # no other escapes
        ("a = 1 ;-- x --; tail", "1  tail"),  # same-line block comment is spliced out
        ("a = 1 ;--- plain", "1"),  # three dashes: a plain comment
        ("a = 1 # not a comment", "1 # not a comment"),
        ("a = 1 ;-- x ;-- y --; z --; tail", "1  tail"),  # nested on one line
        ("a = before\0after", "before"),  # everything after NUL is invisible
        ("a = b\rc", "b\rc"),  # an inner CR stays
    ],
)
def test_comment_removal(line: str, value: str) -> None:
    assert view(f"[c]\n{line}\n") == [("c", [("a", value)])]


def test_block_comment_can_split_a_name_from_its_operator() -> None:
    assert view("[c]\nd ;-- c --;= 4\n") == [("c", [("d", "4")])]


def test_multiline_block_comment_hides_headers_and_directives() -> None:
    source = "[c]\na = 1 ;-- start\n[hidden]\n#include nowhere.conf\nb = 2\nend --; c = 3\nd = 4\n"
    assert view(source) == [("c", [("a", "1"), ("c", "3"), ("d", "4")])]


def test_open_and_close_marker_forms() -> None:
    # ";--;" opens a block (its last ';' does not close it).
    assert view("[c]\na = 1 ;--;\nb = 2\n--;\nc = 3\n") == [("c", [("a", "1"), ("c", "3")])]


def test_nested_block_comments_need_their_own_close() -> None:
    source = "[c]\n;-- outer\n;-- inner\n--;\nhidden = 1\n--;\nshown = 2\n"
    assert view(source) == [("c", [("shown", "2")])]


def test_unterminated_block_comment_warns_and_drops_the_rest() -> None:
    source = "[c]\na = 1\n;-- never closed\nb = 2\n"
    result = load(source)
    assert result.loaded
    assert [(c.name, c.items()) for c in result] == [("c", [("a", "1")])]
    assert [(d.code, d.line) for d in result.diagnostics] == [("unterminated-comment", 3)]


def test_stray_close_keeps_its_line_and_hides_everything_after() -> None:
    source = "[c]\na = x--;comment\nb = 2\n[d]\n"
    result = load(source)
    assert [(c.name, c.items()) for c in result] == [("c", [("a", "x--;comment")])]
    assert [d.code for d in result.diagnostics] == ["unterminated-comment"]


def test_stray_close_is_undone_by_an_open() -> None:
    source = "[c]\na = x--;c\nhidden = 1\n;-- back to zero\nb = 2\n"
    assert view(source) == [("c", [("a", "x--;c"), ("b", "2")])]


def test_deep_nesting_limit_is_reported_not_hung() -> None:
    source = "[c]\n" + ";--\n" * 129 + "a = 1\n"
    result = load(source)
    assert not result.loaded
    assert "comment-nesting-limit" in [d.code for d in result.diagnostics]


# -- lines, bytes and encodings -------------------------------------------------------------


def test_crlf_values_come_out_clean() -> None:
    assert view(b"[c]\r\na = 1\r\nb => 2 ; x\r\n") == [("c", [("a", "1"), ("b", "2")])]


def test_lone_cr_is_not_a_line_break() -> None:
    assert view("[general]\rname = value\r") == [("general", [])]


def test_last_line_without_newline_is_read() -> None:
    assert view("[c]\na = 1") == [("c", [("a", "1")])]


def test_bom_is_skipped_on_line_one_only() -> None:
    assert view(b"\xef\xbb\xbf[c]\na = 1\n") == [("c", [("a", "1")])]
    result = load(b"[c]\n\xef\xbb\xbf[d]\n")
    assert [c.name for c in result] == ["c"]
    assert [d.code for d in result.diagnostics] == ["no-equals"]


def test_latin1_bytes_pass_through() -> None:
    result = load(b"[c]\nname = Jos\xe9\n")
    assert result.categories[0].items() == [("name", "Jos\udce9")]


def test_line_length_limit_is_8190_bytes() -> None:
    ok = "a = " + "x" * (8190 - 4)
    too_long = "b = " + "y" * (8191 - 4)
    result = load(f"[c]\n{ok}\n{too_long}\nc = 3\n")
    assert [v.name for v in result.categories[0].variables] == ["a", "c"]
    assert [(d.code, d.line) for d in result.diagnostics] == [("line-too-long", 3)]


def test_line_length_counts_bytes_not_characters() -> None:
    long_utf8 = "a = " + "é" * 4100  # 8204 bytes, 4104 characters
    result = load(f"[c]\n{long_utf8}\n")
    assert result.categories[0].variables == []
    assert [d.code for d in result.diagnostics] == ["line-too-long"]


def test_a_comment_inside_a_long_line_does_not_count() -> None:
    long_line = ";--" + "x" * 9000
    assert view(f"[c]\n{long_line}\na = 1\n") == [("c", [("a", "1")])]


def test_indented_headers_and_directives_are_recognised() -> None:
    assert view("   [c]\n\t a = 1\n") == [("c", [("a", "1")])]
    assert codes("[c]\n   #bogus\n") == [("unknown-directive", 2)]


# -- headers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("[ spaced name ]", " spaced name "),
        ("[]", ""),
        ("[a[b]", "a[b"),
        ("[a=b]", "a=b"),
        ("[a\\;b]", "a;b"),
        ("[trailing]junk", "trailing"),
        ("[x]]", "x"),
        ("[c](t) trailing junk", "c"),
    ],
)
def test_header_names_are_kept_exactly(header: str, name: str) -> None:
    source = f"[t]\n{header}\n"
    assert [c.name for c in load(source)] == ["t", name]


def test_long_category_names_are_cut_to_79_bytes() -> None:
    assert [c.name for c in load("[" + "n" * 100 + "]\n")] == ["n" * 79]


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
    result = load("[a]\nx = 1\n[b](nosuch)\ny = 2\n")
    assert not result.loaded
    assert [(c.name, c.items()) for c in result] == [("a", [("x", "1")])]


def test_options_need_the_paren_right_after_the_bracket() -> None:
    result = load("[x] (!)\n")
    assert [(c.name, c.template) for c in result] == [("x", False)]


def test_only_the_first_option_group_counts() -> None:
    result = load("[t1]\n[c6](!)(t1)\n")
    assert [(c.name, c.template, c.inherits) for c in result] == [
        ("t1", False, []),
        ("c6", True, []),
    ]


def test_empty_option_inherits_from_the_first_category() -> None:
    result = load("[first]\na = 1\n[c]()\n[d](first,)\n")
    assert [(c.name, c.inherits, c.items()) for c in result][1:] == [
        ("c", ["first"], [("a", "1")]),
        ("d", ["first", "first"], [("a", "1"), ("a", "1")]),
    ]


def test_template_and_inheritance_order_does_not_matter() -> None:
    result = load("[t](!)\na = 1\n[x](!,t)\n[y](t,!)\n")
    assert [(c.name, c.template, c.inherits) for c in result] == [
        ("t", True, []),
        ("x", True, ["t"]),
        ("y", True, ["t"]),
    ]


def test_inheritance_copies_at_header_time() -> None:
    source = (
        "[t](!)\ncodec = ulaw\nnat = no\n"
        "[leaf](t)\nnat = yes\ncodec = alaw\n"
        "[t](+TEMPLATES=include)\nlater = 1\n"
    )
    result = load(source)
    leaf = result.category("leaf")
    assert leaf is not None
    assert leaf.items() == [("codec", "ulaw"), ("nat", "no"), ("nat", "yes"), ("codec", "alaw")]
    assert [v.inherited for v in leaf.variables] == [True, True, False, False]
    assert result.categories[0].items()[-1] == ("later", "1")
    assert leaf.last("codec") == "alaw"  # the last one, as ast_variable_retrieve (23+)
    assert leaf.first("codec") == "ulaw"
    assert leaf.get_all("codec") == ["ulaw", "alaw"]


def test_inheriting_twice_copies_twice() -> None:
    result = load("[t](!)\na = 1\n[c](t,t)\n")
    assert result.categories[1].items() == [("a", "1"), ("a", "1")]


def test_normal_categories_can_be_inherited_from() -> None:
    result = load("[c1]\na = 1\n[c4](c1)\n")
    assert result.categories[1].inherits == ["c1"]


def test_inherit_records_the_parents_own_name() -> None:
    result = load("[Base]\na = 1\n[c](base)\n")
    assert result.categories[1].inherits == ["Base"]


def test_addition_goes_to_the_first_category_of_that_name() -> None:
    source = "[Dup]\na = 1\n[dup]\nb = 2\n[DUP](+)\nc = 3\n"
    assert view(source) == [("Dup", [("a", "1"), ("c", "3")]), ("dup", [("b", "2")])]


def test_addition_with_an_empty_name_goes_to_the_first_normal_category() -> None:
    source = "[t](!)\n[first]\n[](+)\nz = 1\n"
    assert view(source) == [("t", []), ("first", [("z", "1")])]


def test_addition_to_a_template_needs_the_templates_filter() -> None:
    source = "[t](!)\na = 1\n[t](+TEMPLATES=include)\nb = 2\n"
    assert view(source) == [("t", [("a", "1"), ("b", "2")])]


def test_addition_filter_picks_the_matching_instance() -> None:
    source = (
        "[6001]\ntype = auth\n[6001]\ntype = endpoint\ntransport = udp\n"
        "[6001](+type=end.*&transport=udp)\ncallerid = x\n"
    )
    assert view(source) == [
        ("6001", [("type", "auth")]),
        ("6001", [("type", "endpoint"), ("transport", "udp"), ("callerid", "x")]),
    ]


def test_addition_filter_that_matches_nothing_is_fatal() -> None:
    result = load("[c]\ntype = aor\n[c](+type=endpoint)\n")
    assert not result.loaded
    assert [d.code for d in result.diagnostics] == ["category-addition-missing"]


def test_addition_then_inheritance_order() -> None:
    base = "[t](!)\nx = 1\n[c]\na = 1\n"
    plus_first = load(base + "[c](+,t)\n").categories[1]
    assert (plus_first.inherits, plus_first.items()) == (["t"], [("a", "1"), ("x", "1")])
    inherit_first = load(base + "[c](t,+)\n").categories[1]
    assert (inherit_first.inherits, inherit_first.items()) == ([], [("a", "1"), ("x", "1")])


def test_addition_with_template_mark_turns_a_category_into_a_template() -> None:
    result = load("[c]\na = 1\n[c](+,!)\n")
    assert [(c.name, c.template) for c in result] == [("c", True)]


def test_duplicate_categories_are_separate() -> None:
    result = load("[dupcat]\na = 1\n[dupcat]\na = 2\n")
    assert [(c.name, c.items()) for c in result] == [
        ("dupcat", [("a", "1")]),
        ("dupcat", [("a", "2")]),
    ]
    assert [c.get("a") for c in result.categories_named("DUPCAT")] == ["1", "2"]


# -- variables ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "name", "value", "is_object"),
    [
        ("a = b = c", "a", "b = c", False),
        ("a=>b", "a", "b", True),
        ("a => b", "a", "b", True),
        ("a =>b", "a", "b", True),
        ("a = > b", "a", "> b", False),
        ("a =>> b", "a", "> b", True),
        ("a == b", "a", "= b", False),
        ("two words = x", "two words", "x", False),
        ("a =", "a", "", False),
        ("a =>", "a", "", True),
        ("\\#hash = 1", "#hash", "1", False),
        ("\\[x = 2", "[x", "2", False),
        ("\\=eq = 3", "=eq", "3", False),
        ("\\\\d = 4", "\\d", "4", False),
        ("\\+= 5", "+", "5", False),
    ],
)
def test_assignment_forms(line: str, name: str, value: str, is_object: bool) -> None:
    variables = load(f"[c]\n{line}\n").categories[0].variables
    assert [(v.name, v.value, v.object) for v in variables] == [(name, value, is_object)]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["a = one", "a += two"], [("a", "one two")]),
        (["a = one", "a+=two"], [("a", "onetwo")]),
        (["a = one", "a += two", "a += , three "], [("a", "one two , three")]),
        (["e +=> z"], [("e", "> z")]),
        (["D = x", "d += y"], [("D", "x"), ("d", "y")]),
        (["a = 1", "b = 2", "a = 3", "a += x"], [("a", "1"), ("b", "2"), ("a", "3 x")]),
    ],
)
def test_append_operator(lines: list[str], expected: Items) -> None:
    source = "[c]\n" + "\n".join(lines) + "\n"
    assert view(source) == [("c", expected)]


def test_append_updates_an_inherited_copy_in_place() -> None:
    result = load("[t](!)\nallow = ulaw\n[c](t)\nallow += ,alaw\n")
    child = result.categories[1]
    assert child.items() == [("allow", "ulaw ,alaw")]
    assert not child.variables[0].inherited


def test_append_does_not_set_the_object_flag() -> None:
    variables = load("[c]\ne +=> z\n").categories[0].variables
    assert not variables[0].object


def test_warnings_skip_the_line() -> None:
    source = "[c]\nnovalue\n= x\n  =  y\n+= z\na = 1\n"
    result = load(source)
    assert result.loaded
    assert result.categories[0].items() == [("a", "1")]
    assert [(d.code, d.line) for d in result.diagnostics] == [
        ("no-equals", 2),
        ("no-variable-name", 3),
        ("no-variable-name", 4),
        ("no-variable-name", 5),
    ]


def test_diagnostics_locate_the_problem() -> None:
    result = load("[c]\n    novalue\n")
    (diagnostic,) = result.diagnostics
    assert (diagnostic.line, diagnostic.column) == (2, 5)
    assert "No '=' (equal sign) in line 2 of <string>" in diagnostic.message
    assert str(diagnostic).startswith("<string>:2:5: warning:")


# -- directives ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("# include x.conf", "unknown-directive"),
        ("#tryexec x", "unknown-directive"),
        ("#include", "directive-needs-argument"),
        ("#tryinclude   ", "directive-needs-argument"),
        ("#exec /bin/echo", "exec-disabled"),
        ("#exec", "exec-disabled"),
    ],
)
def test_directive_warnings(line: str, code: str) -> None:
    result = load(f"[c]\n{line}\na = 1\n")
    assert result.loaded
    assert [(d.code, d.line) for d in result.diagnostics] == [(code, 2)]


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_include_continues_the_current_category(tmp_path: Path) -> None:
    _write(tmp_path, "inc.conf", "included = yes\n[fromcat]\nx = 1\n")
    _write(tmp_path, "bare.conf", "bare = 1\n")
    main = _write(
        tmp_path, "main.conf",
        "[first]\na = 1\n#include inc.conf\nafter = 2\n#INCLUDE \"bare.conf\"\n",
    )
    result = config.read(main)
    assert result.loaded
    assert [(c.name, c.items()) for c in result] == [
        ("first", [("a", "1"), ("included", "yes"), ("after", "2")]),
        ("fromcat", [("x", "1"), ("bare", "1")]),
    ]
    assert result.categories[0].variables[1].file == str(tmp_path / "inc.conf")


def test_include_paths_resolve_against_confdir(tmp_path: Path) -> None:
    _write(tmp_path, "sibling.conf", "where = confdir\n")
    _write(tmp_path, "sub/sibling.conf", "where = subdir\n")
    _write(tmp_path, "sub/inner.conf", "#include sibling.conf\n")
    main = _write(tmp_path, "main.conf", "[c]\n#include <sub/inner.conf>\n")
    assert [c.items() for c in config.read(main)] == [[("where", "confdir")]]


def test_tryinclude_of_a_missing_file_is_silent(tmp_path: Path) -> None:
    main = _write(tmp_path, "main.conf", "[c]\n#tryinclude nothing/*.conf\na = 1\n")
    result = config.read(main)
    assert result.loaded and result.diagnostics == []


def test_include_globs_and_braces(tmp_path: Path) -> None:
    _write(tmp_path, "d/b.conf", "b = 1\n")
    _write(tmp_path, "d/a.conf", "a = 1\n")
    _write(tmp_path, "x.conf", "x = 1\n")
    _write(tmp_path, "y.conf", "y = 1\n")
    main = _write(tmp_path, "main.conf", "[c]\n#include d/*.conf\n#include {y,x}.conf\n")
    assert [c.items() for c in config.read(main)] == [
        [("a", "1"), ("b", "1"), ("y", "1"), ("x", "1")]
    ]


def test_fatal_error_inside_an_include_only_ends_that_file(tmp_path: Path) -> None:
    _write(tmp_path, "broken.conf", "ok = 1\n[bad\nlost = 1\n")
    main = _write(tmp_path, "main.conf", "[c]\n#include broken.conf\nafter = 1\n")
    result = config.read(main)
    assert result.loaded
    assert result.categories[0].items() == [("ok", "1"), ("after", "1")]
    assert [d.code for d in result.diagnostics] == ["no-closing-bracket"]


def test_self_include_stops_at_the_depth_limit(tmp_path: Path) -> None:
    main = _write(tmp_path, "self.conf", "[c]\n#include self.conf\n")
    result = config.read(main)
    assert result.loaded
    assert len(result.categories) == 11
    assert "include-depth" in [d.code for d in result.diagnostics]


def test_repeated_include_warns(tmp_path: Path) -> None:
    _write(tmp_path, "inc.conf", "a = 1\n")
    main = _write(tmp_path, "main.conf", "[c]\n#include inc.conf\n#include inc.conf\n")
    result = config.read(main)
    assert result.categories[0].items() == [("a", "1"), ("a", "1")]
    assert [d.code for d in result.diagnostics] == ["include-repeated"]


def test_unbalanced_quote_stays_in_the_file_name(tmp_path: Path) -> None:
    _write(tmp_path, "foo.conf", "a = 1\n")
    main = _write(tmp_path, "main.conf", '[c]\n#include "foo.conf\n')
    result = config.read(main)
    assert not result.loaded
    assert "'\"foo.conf'" in result.diagnostics[0].message


def test_exec_runs_only_when_asked(tmp_path: Path) -> None:
    main = _write(tmp_path, "main.conf", "[c]\n#exec \"echo from = exec\"\n")
    assert [c.items() for c in config.read(main)] == [[]]
    ran = config.read(main, exec_includes=True)
    assert [c.items() for c in ran] == [[("from", "exec")]]


def test_missing_main_file_is_not_loaded(tmp_path: Path) -> None:
    result = config.read(tmp_path / "nope.conf")
    assert not result.loaded
    assert result.diagnostics[0].code == "file-not-found"


def test_strict_parse_raises_with_diagnostics() -> None:
    with pytest.raises(config.ConfigSyntaxError) as raised:
        config.parse("[c]\nnovalue\n[bad\n", strict=True)
    assert [d.code for d in raised.value.diagnostics] == ["no-equals", "no-closing-bracket"]
    assert "<string>:3:1" in str(raised.value)
    assert isinstance(raised.value, config.ConfigError)
    assert config.parse("[c]\na = 1\n", strict=True).dumps() == "[c]\na = 1\n"


def test_addition_filters_accept_posix_classes() -> None:
    source = "[p]\ntype = aor\n[p]\ntype = endpoint2\n[p](+type=[[:alpha:]]+[[:digit:]])\nx = 1\n"
    assert view(source)[1] == ("p", [("type", "endpoint2"), ("x", "1")])


def test_document_diagnostics_without_following_includes() -> None:
    document = config.parse("[c]\nnovalue\n#include nowhere.conf\n")
    assert [(d.code, d.line) for d in document.diagnostics] == [("no-equals", 2)]

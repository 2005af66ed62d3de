"""``Section.set`` (``section[name] = value``), ``update`` and
``setdefault``.

Covers changing only the value, escaping values and names so Asterisk reads them back,
refused values, collapsing ``+=`` chains (also across ``(+)`` additions and includes),
rolling back when a part of the edit is refused, and generated edits that must set exactly
what was asked or be refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyst import config
from pyst.config import ConfigEditError
from pyst.config._syntax.lexer import BLANKS
from tests.config.helpers import FAST, NAME, SIP, VALUE, categories, config_texts, include_pair

# -- changing a value ----------------------------------------------------------------------


def test_set_changes_only_the_value() -> None:
    doc = config.parse(SIP)
    doc["general"]["bindport"] = "5061"
    doc["general"]["context"] = "office"
    doc["6001"]["callerid"] = "Front <6001>"
    assert doc.dumps() == (
        SIP.replace("bindport = 5060", "bindport = 5061")
        .replace("context=public", "context=office")
        .replace("Desk <6001>", "Front <6001>")
    )


def test_set_changes_the_last_occurrence() -> None:
    doc = config.parse("[c]\nallow = ulaw\nallow = alaw\n")
    doc["c"]["allow"] = "gsm"
    assert doc.dumps() == "[c]\nallow = ulaw\nallow = gsm\n"
    assert doc["c"]["allow"] == "gsm"
    assert doc["c"].get_all("allow") == ["ulaw", "gsm"]


def test_set_value_that_started_with_escaped_semicolon() -> None:
    doc = config.parse("[c]\na = \\;x ; c\n")
    doc["c"]["a"] = "y"
    assert doc.dumps() == "[c]\na = y ; c\n"


def test_latin1_value_round_trips_through_set() -> None:
    doc = config.parse(b"[m]\nname = Jos\xe9 ; caf\xe9\n")
    doc["m"]["other"] = "M\udcfcller"
    doc["m"]["name"] = "Ren\udce9"
    assert doc.dumps() == b"[m]\nname = Ren\xe9 ; caf\xe9\nother = M\xfcller\n"
    assert categories(doc.config()) == [("m", [("name", "Ren\udce9"), ("other", "M\udcfcller")])]


# -- escaping values and names -------------------------------------------------------------


def test_values_are_escaped_so_asterisk_reads_them_back() -> None:
    doc = config.parse("[c]\n")
    doc["c"]["note"] = "a;b --; c ;-- d"
    doc["c"]["arrow"] = "> x"
    assert doc.dumps() == "[c]\nnote = a\\;b --\\; c \\;-- d\narrow = > x\n"
    assert doc.config().categories[0].items() == [("note", "a;b --; c ;-- d"), ("arrow", "> x")]


def test_edit_escapes_semicolon_and_block_markers() -> None:
    doc = config.parse("[c]\na = 1 ; note\n")
    doc["c"]["a"] = "x--;--y;--z"
    assert doc.config().categories[0].variables[0].value == "x--;--y;--z"
    assert doc.dumps().endswith(" ; note\n")


def test_value_with_backslash_semicolon_can_be_written() -> None:
    assert categories(config.parse("[c]\na = x\\\\;y\n").config()) == [("c", [("a", "x\\;y")])]
    doc = config.parse("[c]\na = 1\n")
    doc["c"]["a"] = "x\\;y"
    assert categories(doc.config()) == [("c", [("a", "x\\;y")])]


def test_values_that_look_like_syntax_read_back_exactly() -> None:
    doc = config.parse("[s]\nx=1\n")
    for name, value in [("a", ">x"), ("b", "--;"), ("c", ";--"), ("d", "[x]"), ("e", "a\\")]:
        doc["s"][name] = value
        view = doc.config()
        assert view.loaded
        variable = [v for v in view.categories[0].variables if v.name == name][-1]
        assert (variable.value, variable.object) == (value, False)


def test_escaped_names_use_the_leading_backslash() -> None:
    doc = config.parse("[menu]\n")
    doc["menu"]["#1"] = "playback(x)"
    assert doc.dumps() == "[menu]\n\\#1 = playback(x)\n"
    assert doc.config().categories[0].items() == [("#1", "playback(x)")]


def test_set_does_not_hit_unicode_case_fold_lookalike() -> None:
    doc = config.parse("[c]\n\u212a = 1\n")
    doc["c"]["k"] = "2"
    assert categories(doc.config()) == [("c", [("\u212a", "1"), ("k", "2")])]


# -- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("a", "x\ny"),
        ("a", "x\r"),
        ("a", " padded"),
        ("a", "nul\0"),
        ("", "x"),
        ("a=b", "x"),
        (" a", "x"),
    ],
)
def test_unwritable_edits_are_refused(name: str, value: str) -> None:
    doc = config.parse("[c]\n")
    with pytest.raises(config.ConfigEditError):
        doc["c"][name] = value
    assert doc.dumps() == "[c]\n"


def test_set_lone_surrogate_value_is_edit_error() -> None:
    doc = config.parse("[c]\n")
    with pytest.raises(ConfigEditError):
        doc["c"]["a"] = "\ud800"


def test_set_rejects_non_str_names() -> None:
    doc = config.parse("[a]\n")
    with pytest.raises(TypeError):
        doc.sections[0].set(1, "x")  # type: ignore[arg-type]


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


def test_edits_never_break_block_comments() -> None:
    source = "[c]\na = 1 ;-- starts here\nhidden = 1\n--;\n"
    doc = config.parse(source)
    doc["c"]["b"] = "2"
    assert doc.dumps() == source + "b = 2\n"
    assert doc.config().categories[0].items() == [("a", "1"), ("b", "2")]
    doc["c"]["a"] = "9"
    assert doc.config().categories[0].items() == [("a", "9"), ("b", "2")]
    with pytest.raises(config.ConfigEditError):
        doc["c"].remove("a")


# -- += chains and (+) additions -----------------------------------------------------------


def test_set_on_append_line_reads_back_as_set() -> None:
    doc = config.parse("[c]\na = one\na += two\n")
    try:
        doc["c"]["a"] = "x"
    except ConfigEditError:
        return
    assert doc.config().categories[0].variables[-1].value == "x"


def test_set_collapses_append_chain_only_for_its_own_variable() -> None:
    doc = config.parse("[c]\nallow = ulaw\nallow += ,alaw\ndisallow = all\n")
    doc["c"]["allow"] = "g722"
    assert doc.dumps() == "[c]\nallow = g722\ndisallow = all\n"


def test_set_collapses_append_chain_in_one_section() -> None:
    doc = config.parse("[s]\nallow=ulaw\nallow+=,alaw\n")
    doc["s"]["allow"] = "g722"
    assert doc.config().categories[0].get_all("allow") == ["g722"]


def test_set_collapses_append_chain_across_addition() -> None:
    doc = config.parse("[s]\nallow=ulaw\n[s](+)\nallow+=,alaw\n")
    assert doc.config().categories[0].get_all("allow") == ["ulaw,alaw"]
    doc["s"]["allow"] = "g722"
    assert doc.config().categories[0].get_all("allow") == ["g722"]


@pytest.mark.parametrize(
    ("source", "index", "expected"),
    [
        ("[a]\nx=1\n[a](+)\nx+=2\n", 0, "[a]\nx=9\n[a](+)\n"),
        ("[a]\nx=1\n[a](+)\nx+=2\n", 1, "[a]\nx=9\n[a](+)\n"),
        # an empty name adds to the first non-template category (does_category_match)
        ("[a]\nx=1\n[b]\n[](+)\nx+=2\n", 0, "[a]\nx=9\n[b]\n[](+)\n"),
        # a second [a] without (+) is a new category: its += is not part of the chain
        ("[a]\nx=1\n[a]\nx+=2\n", 0, "[a]\nx=9\n[a]\nx+=2\n"),
        # an addition hidden in a block comment is no addition
        ("[a]\nx=1\n;--\n[a](+)\nx+=2\n--;\n", 0, "[a]\nx=9\n;--\n[a](+)\nx+=2\n--;\n"),
    ],
)
def test_set_collapses_the_chain_asterisk_builds(source: str, index: int, expected: str) -> None:
    doc = config.parse(source)
    doc.sections[index].set("x", "9")
    assert doc.text() == expected
    assert doc.config().categories[0].get("x") == "9"


def test_set_rolls_back_every_section_when_a_removal_is_refused() -> None:
    # Collapsing the += chain would remove x+=2 from a block comment's closing line
    # (refused, and rolled back in every section); a new last line makes Asterisk
    # read the value instead.  For a name modules look up (the first value in 22)
    # nothing does: refused, and nothing changed.
    source = "[a]\nx=1\n[a](+)\nx+=3\n[a](+)\ny=1 ;-- c\n--;x+=2\n"
    doc = config.parse(source)
    doc.sections[0].set("x", "9")
    assert doc.text() == source + "x=9\n"
    looked_up = source.replace("x", "context")
    doc = config.parse(looked_up)
    with pytest.raises(config.ConfigEditError):
        doc.sections[0].set("context", "9")
    assert doc.text() == looked_up


def test_set_is_not_overridden_by_later_addition() -> None:
    doc = config.parse("[general]\nbindport=5060\n\n[general](+)\nbindport=5062\n")
    try:
        doc["general"]["bindport"] = "5061"
    except ConfigEditError:
        return
    general = doc.config().category("general")
    assert general is not None and general.get("bindport") == "5061"


def test_set_is_not_overridden_by_an_included_addition(tmp_path: Path) -> None:
    doc = include_pair(tmp_path, '[a]\nx=1\n[b]\n#include "inc.conf"\n', "[a](+)\nw=1\n")
    try:
        doc.sections[0].set("w", "2")
    except config.ConfigEditError:
        return
    assert doc.config()["a"].get("w") == "2"


# -- update and setdefault -----------------------------------------------------------------


def test_update_and_setdefault_in_a_single_section() -> None:
    doc = config.parse("[a]\nx=1\n")
    section = doc.sections[0]
    assert section.setdefault("X", "9") == "1"
    assert section.setdefault("y", "2") == "2"
    section.update({"x": "5"}, z="6")
    assert doc.config()["a"].items() == [("x", "5"), ("y", "2"), ("z", "6")]
    assert section.pop("nope", "d") == "d"
    with pytest.raises(KeyError):
        section.pop("nope")


def test_setdefault_does_not_overwrite_a_value_from_an_addition() -> None:
    doc = config.parse("[a]\ny=1\n[a](+)\nx=2\n")
    doc.sections[0].setdefault("x", "9")
    assert doc.config()["a"].get("x") == "2"


# -- generated edits -----------------------------------------------------------------------


@FAST
@given(config_texts(), NAME, VALUE.map(lambda v: v.strip(BLANKS).replace("\\;", ";")))
def test_set_then_read_back(text: str, name: str, value: str) -> None:
    document = config.parse(text)
    before = document.config()
    if not before.loaded or not document.sections:
        return
    section = document.sections[-1]
    try:
        section[name] = value
    except config.ConfigEditError:
        assert document.dumps() == text
        return
    assert section[name] == value
    reparsed = config.parse(document.dumps())
    assert reparsed.dumps() == document.dumps()


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


# -- set() makes Asterisk read the value, whatever built it -------------------------------


def test_a_read_returns_what_asterisk_holds_with_plus_equals_on_an_inherited_value() -> None:
    doc = config.parse("[t](!)\nallow = ulaw\n[c](t)\nallow += alaw\n")
    assert doc["c"]["allow"] == doc.config()["c"].get("allow") == "ulaw alaw"
    assert doc["c"].setdefault("allow", "g729") == "ulaw alaw"
    assert doc.dumps() == "[t](!)\nallow = ulaw\n[c](t)\nallow += alaw\n"


def test_set_on_an_inherited_value_extended_here_collapses_the_own_line() -> None:
    doc = config.parse("[t](!)\nallow = ulaw\n[c](t)\nallow += alaw\n")
    doc["c"]["allow"] = "g722"
    assert doc.dumps() == "[t](!)\nallow = ulaw\n[c](t)\nallow = g722\n"
    assert doc.config()["c"].last("allow") == doc["c"]["allow"] == "g722"


def test_set_after_an_addition_that_copies_a_template_writes_the_last_value() -> None:
    doc = config.parse("[t](!)\na=T\n[c]\na = 1\n[c](+,t)\n")
    doc["c"].set("a", "X")
    assert doc.config()["c"].last("a") == doc["c"]["a"] == "X"
    assert doc.dumps() == "[t](!)\na=T\n[c]\na = 1\n[c](+,t)\na = X\n"


def test_set_overrides_an_inherited_value_with_a_line_of_its_own() -> None:
    doc = config.parse("[t](!)\nnat = no\n\n[c](t)\nhost = h\n")
    doc["c"]["nat"] = "yes"
    assert doc.dumps() == "[t](!)\nnat = no\n\n[c](t)\nhost = h\nnat = yes\n"
    assert doc["t"]["nat"] == "no" and doc["c"]["nat"] == "yes"


def test_a_name_looked_up_with_retrieve_follows_the_target() -> None:
    # Asterisk 22's ast_variable_retrieve returns the first value: the template's.
    source = "[t](!)\ncontext = a\n\n[c](t)\nhost = h\n"
    doc = config.parse(source)
    with pytest.raises(ConfigEditError, match="template"):
        doc["c"]["context"] = "b"
    assert doc.dumps() == source
    doc = config.parse(source, asterisk="master")
    doc["c"]["context"] = "b"
    assert doc.config()["c"].get("context") == "b"
    # The first of two own values is the one 22 reads, and the one set() rewrites.
    doc = config.parse("[g]\nbindport = 1\nbindport = 2\n")
    doc["g"]["bindport"] = "3"
    assert doc.dumps() == "[g]\nbindport = 3\nbindport = 2\n"


@pytest.mark.parametrize("value", ["x\\", "x--", "x-", "a\\\\"])
def test_values_that_would_swallow_a_same_line_comment_are_written_apart(value: str) -> None:
    doc = config.parse("[s]\na = 1;c\n")
    doc["s"]["a"] = value
    assert doc.config()["s"].get("a") == value
    assert doc.dumps().endswith(";c\n")


def test_a_name_starting_with_a_bom_on_a_later_line_is_written() -> None:
    doc = config.parse("[s]\na = 1\n")
    doc["s"]["\ufeffb"] = "1"
    assert doc.config()["s"].get("\ufeffb") == "1"


def test_set_is_verified_against_what_an_included_file_does(tmp_path: Path) -> None:
    # The new line goes after the #include, so it comes after the included value.
    doc = include_pair(tmp_path, '[a]\nx=1\n#include "inc.conf"\n', "[a](+)\nx=2\n")
    doc["a"]["x"] = "9"
    assert doc.config()["a"].last("x") == doc["a"]["x"] == "9"
    # Where no line of this file can come last, the edit is refused and nothing changes.
    doc = include_pair(tmp_path, '[a]\nx=1\n[b]\n#include "inc.conf"\n', "[a](+)\nx=2\n")
    before = doc.dumps()
    with pytest.raises(ConfigEditError, match=r"inc\.conf"):
        doc["a"]["x"] = "9"
    assert doc.dumps() == before


def test_set_refuses_a_value_in_a_category_that_inherits_from_itself() -> None:
    # [a](+,a) copies the category into itself: empty, it loads; with a variable
    # Asterisk copies forever.  Neither set nor add may make the file stop loading.
    source = "[a]\n[a](+,a)\n"
    doc = config.parse(source)
    for edit in (lambda: doc["a"].set("x", "1"), lambda: doc["a"].add("x", "1")):
        with pytest.raises(ConfigEditError, match="no longer load"):
            edit()
        assert doc.dumps() == source
    assert doc.config().loaded


def test_set_refuses_a_value_that_another_category_would_copy_into_itself() -> None:
    # [t](+,general,t) copies general into t, then t into itself: with a variable in
    # general, Asterisk copies forever.
    source = "[general]\n[t]\n[t](+,general,t)\n"
    doc = config.parse(source)
    with pytest.raises(ConfigEditError, match="no longer load"):
        doc["general"]["x"] = "1"
    assert doc.dumps() == source


def test_set_when_a_plus_equals_reads_the_line_it_would_rewrite() -> None:
    # Asterisk 22: x += 1 extends the *last* x (line 3) and writes the result to the
    # *first* x with that old value (line 2).  Rewriting line 3 to x=2 would give
    # x=21; a new last line makes Asterisk read 2, so set must not refuse.
    doc = config.parse("[a]\nx=1\nx=1\nx+=1\n")
    doc["a"]["x"] = "2"
    assert doc["a"]["x"] == "2"
    assert doc.config()["a"].get_all("x")[-1] == "2"
    assert doc.dumps().startswith("[a]\nx=1\nx=1\nx+=1\n")

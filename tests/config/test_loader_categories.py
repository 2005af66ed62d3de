"""The loader's category rules: what Asterisk builds from
headers.

Covers duplicate and oddly named categories, templates ``(!)``, inheritance (copied at header
time, in order, by the parent's own name), ``(+)`` additions (which category they go to,
with templates), and the ``+=`` append operator.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pyst import config
from tests.config.helpers import Items, categories, loaded, view

# -- names ---------------------------------------------------------------------------------


def test_duplicate_categories_are_separate() -> None:
    result = loaded("[dupcat]\na = 1\n[dupcat]\na = 2\n")
    assert [(c.name, c.items()) for c in result] == [
        ("dupcat", [("a", "1")]),
        ("dupcat", [("a", "2")]),
    ]
    assert [c.get("a") for c in result.categories_named("DUPCAT")] == ["1", "2"]


def test_odd_names_and_empty_names() -> None:
    cfg = config.parse(
        "[a=b]\nx=1\n[a[b]\n[ s ]\n[]\ne=1\n[c](a=b,a[b)\n[](+)\nadded=1\n[d]()\n"
    ).config()
    assert cfg.loaded
    assert categories(cfg) == [
        ("a=b", [("x", "1"), ("added", "1")]), ("a[b", []), (" s ", []), ("", [("e", "1")]),
        ("c", [("x", "1")]), ("d", [("x", "1"), ("added", "1")])]


def test_long_names_are_compared_uncut_as_config_c_does() -> None:
    long, cut = "n" * 100, "n" * 79
    assert not config.parse(f"[{long}]\nx=1\n[{long}](+)\ny=1\n").config().loaded
    assert not config.parse(f"[{long}]\nx=1\n[c]({long})\n").config().loaded
    cfg = config.parse(f"[{long}]\nx=1\n[{cut}](+)\ny=1\n[c]({cut})\n").config()
    assert cfg.loaded
    assert categories(cfg) == [(cut, [("x", "1"), ("y", "1")]), ("c", [("x", "1"), ("y", "1")])]
    assert cfg.categories[1].inherits == [cut]


# -- templates and inheritance -------------------------------------------------------------


def test_template_and_inheritance_order_does_not_matter() -> None:
    result = loaded("[t](!)\na = 1\n[x](!,t)\n[y](t,!)\n")
    assert [(c.name, c.template, c.inherits) for c in result] == [
        ("t", True, []),
        ("x", True, ["t"]),
        ("y", True, ["t"]),
    ]


def test_header_option_order_and_empty_token() -> None:
    cfg = loaded("[t](!)\nk=1\n[u]\nz=0\n[c](t,)\n[u](+,!)\n")
    assert categories(cfg)[2] == ("c", [("k", "1"), ("k", "1")])
    assert [c.template for c in cfg.categories] == [True, True, False]


def test_empty_option_inherits_from_the_first_category() -> None:
    result = loaded("[first]\na = 1\n[c]()\n[d](first,)\n")
    assert [(c.name, c.inherits, c.items()) for c in result][1:] == [
        ("c", ["first"], [("a", "1")]),
        ("d", ["first", "first"], [("a", "1"), ("a", "1")]),
    ]


def test_inheritance_copies_at_header_time() -> None:
    source = (
        "[t](!)\ncodec = ulaw\nnat = no\n"
        "[leaf](t)\nnat = yes\ncodec = alaw\n"
        "[t](+TEMPLATES=include)\nlater = 1\n"
    )
    result = loaded(source)
    leaf = result.category("leaf")
    assert leaf is not None
    assert leaf.items() == [("codec", "ulaw"), ("nat", "no"), ("nat", "yes"), ("codec", "alaw")]
    assert [v.inherited for v in leaf.variables] == [True, True, False, False]
    assert result.categories[0].items()[-1] == ("later", "1")
    assert leaf.last("codec") == "alaw"  # the last one, as ast_variable_retrieve (23+)
    assert leaf.first("codec") == "ulaw"
    assert leaf.get_all("codec") == ["ulaw", "alaw"]


def test_inheriting_twice_copies_twice() -> None:
    result = loaded("[t](!)\na = 1\n[c](t,t)\n")
    assert result.categories[1].items() == [("a", "1"), ("a", "1")]


def test_normal_categories_can_be_inherited_from() -> None:
    result = loaded("[c1]\na = 1\n[c4](c1)\n")
    assert result.categories[1].inherits == ["c1"]


def test_inherit_records_the_parents_own_name() -> None:
    result = loaded("[Base]\na = 1\n[c](base)\n")
    assert result.categories[1].inherits == ["Base"]


def test_templates_restrict_and_templates_of_templates() -> None:
    cfg = config.parse(
        "[t](!)\nx=1\n[t]\nn=1\n[t](+TEMPLATES=restrict)\ny=1\n[u](!,t)\nz=2\n[c](u)\n"
        "[u](+TEMPLATES=restrict)\nlate=1\n"
    ).config()
    assert cfg.loaded
    assert [(c.name, c.template, c.inherits) for c in cfg.categories] == [
        ("t", True, []), ("t", False, []), ("u", True, ["t"]), ("c", False, ["u"])]
    assert categories(cfg)[3] == ("c", [("x", "1"), ("y", "1"), ("z", "2")])
    assert not config.parse("[c]\nx=1\n[c](+TEMPLATES=restrict)\n").config().loaded
    assert not config.parse("[t](!)\n[t](+TEMPLATES=bogus)\n").config().loaded


# -- (+) additions -------------------------------------------------------------------------


def test_addition_goes_to_the_first_category_of_that_name() -> None:
    source = "[Dup]\na = 1\n[dup]\nb = 2\n[DUP](+)\nc = 3\n"
    assert view(source) == [("Dup", [("a", "1"), ("c", "3")]), ("dup", [("b", "2")])]


def test_addition_with_an_empty_name_goes_to_the_first_normal_category() -> None:
    source = "[t](!)\n[first]\n[](+)\nz = 1\n"
    assert view(source) == [("t", []), ("first", [("z", "1")])]


def test_addition_to_a_template_needs_the_templates_filter() -> None:
    source = "[t](!)\na = 1\n[t](+TEMPLATES=include)\nb = 2\n"
    assert view(source) == [("t", [("a", "1"), ("b", "2")])]


def test_addition_then_inheritance_order() -> None:
    base = "[t](!)\nx = 1\n[c]\na = 1\n"
    plus_first = loaded(base + "[c](+,t)\n").categories[1]
    assert (plus_first.inherits, plus_first.items()) == (["t"], [("a", "1"), ("x", "1")])
    inherit_first = loaded(base + "[c](t,+)\n").categories[1]
    assert (inherit_first.inherits, inherit_first.items()) == ([], [("a", "1"), ("x", "1")])


def test_addition_with_template_mark_turns_a_category_into_a_template() -> None:
    result = loaded("[c]\na = 1\n[c](+,!)\n")
    assert [(c.name, c.template) for c in result] == [("c", True)]


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


# -- the += operator -----------------------------------------------------------------------


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


def test_append_update_matches_value_case_insensitively() -> None:
    cfg = loaded("[c]\na = FOO\nA = foo\na += bar\n", asterisk="master")
    assert categories(cfg) == [("c", [("a", "FOO"), ("a", "FOO bar")])]


def test_append_updates_an_inherited_copy_in_place() -> None:
    result = loaded("[t](!)\nallow = ulaw\n[c](t)\nallow += ,alaw\n")
    child = result.categories[1]
    assert child.items() == [("allow", "ulaw ,alaw")]
    assert not child.variables[0].inherited


def test_append_does_not_set_the_object_flag() -> None:
    variables = loaded("[c]\ne +=> z\n").categories[0].variables
    assert not variables[0].object

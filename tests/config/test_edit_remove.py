"""``Section.remove``, ``del section[name]`` and ``Section.pop``:
removing lines with their own comments, and refusals that change nothing.
"""

from __future__ import annotations

import pytest

from pyst import config
from pyst.config import ConfigEditError


def test_remove_takes_the_items_own_comments_only() -> None:
    source = (
        "[c]\n; general notes\n\n; about host\n; more\nhost = x ; same line\nport = 1\n"
        "; trailing\n"
    )
    doc = config.parse(source)
    assert doc["c"].remove("host") == 1
    assert doc.dumps() == "[c]\n; general notes\n\nport = 1\n; trailing\n"
    del doc["c"]["port"]
    assert doc.dumps() == "[c]\n; general notes\n\n; trailing\n"
    with pytest.raises(KeyError):
        del doc["c"]["port"]


def test_remove_that_raises_leaves_document_unchanged() -> None:
    source = "[c]\na=1\nb=2\na=3 ;-- open\n--;\n"
    doc = config.parse(source)
    with pytest.raises(ConfigEditError):
        doc["c"].remove("a")
    assert doc.dumps() == source


def test_remove_none_is_type_error() -> None:
    doc = config.parse("[s]\na=1\nb=2\n")
    with pytest.raises(TypeError):
        doc["s"].remove(None)  # type: ignore[arg-type]
    assert doc.dumps() == "[s]\na=1\nb=2\n"


def test_pop_returns_what_it_removes_not_an_additions_value() -> None:
    # The last x of the category comes from the (+) addition, which pop() leaves alone:
    # it used to return "2" here and, for the second document, remove nothing at all.
    doc = config.parse("[a]\nx=1\n[a](+)\nx=2\n")
    assert doc.sections[0].pop("x") == "1"
    assert doc.dumps() == "[a]\n[a](+)\nx=2\n"
    doc = config.parse("[a]\ny=1\n[a](+)\nx=2\n")
    with pytest.raises(KeyError):
        doc.sections[0].pop("x")
    assert doc.sections[0].pop("x", "d") == "d"
    assert doc.dumps() == "[a]\ny=1\n[a](+)\nx=2\n"


def test_pop_does_not_leave_an_orphaned_plus_equals_chain() -> None:
    doc = config.parse("[a]\nx=1\n[a](+)\nx+=2\n")
    assert doc.sections[0].pop("x") == "12"
    assert doc.config()["a"].get("x") is None


# -- what remove() takes --------------------------------------------------------------------


def test_remove_in_an_addition_takes_only_that_sections_lines() -> None:
    doc = config.parse("[c]\na = 1\n[c](+)\na += 2\n")
    assert doc.sections[1].remove("a") == 1
    assert doc.dumps() == "[c]\na = 1\n[c](+)\n"
    assert doc.config()["c"].get("a") == "1"


def test_remove_of_a_value_created_here_takes_the_plus_equals_extending_it() -> None:
    doc = config.parse("[c]\na = 1\n[c](+)\na += 2\n")
    assert doc.sections[0].pop("a") == "1 2"  # += keeps the blank it appends
    assert doc.dumps() == "[c]\n[c](+)\n"


def test_remove_one_value_of_a_repeated_key() -> None:
    doc = config.parse("[p]\nallow = ulaw\nallow = g729 ; cheap\nallow = alaw\n")
    assert doc["p"].remove("allow", "g729") == 1
    assert doc.dumps() == "[p]\nallow = ulaw\nallow = alaw\n"


def test_an_inherited_value_is_not_the_sections_to_remove() -> None:
    doc = config.parse("[t](!)\nx = 1\n[c](t)\ny = 2\n")
    assert doc["c"].remove("x") == 0
    with pytest.raises(KeyError):
        del doc["c"]["x"]


def test_a_comment_block_that_follows_another_line_is_not_the_removed_keys() -> None:
    # As in sip.conf.sample: the lines above allowoverlap document allowguest and a
    # commented-out setting; they are not allowoverlap's to take.
    source = (
        "[general]\n\nallowguest=no ; no guests\n; (continued)\n;match_auth_username=yes\n"
        "allowoverlap=no\nsrvlookup=yes\n"
    )
    doc = config.parse(source)
    doc["general"].remove("allowoverlap")
    assert doc.dumps() == source.replace("allowoverlap=no\n", "")
    assert doc["general"].comments_before(doc["general"].assignments("srvlookup")[0]) == []


def test_removing_the_last_line_of_a_file_without_a_final_newline_keeps_that_style() -> None:
    doc = config.parse("[a]\nx=1\ny=2")
    doc["a"].remove("y")
    assert doc.dumps() == "[a]\nx=1"
    doc["a"].remove("x")
    assert doc.dumps() == "[a]"


def test_removing_the_last_line_after_a_blank_line_leaves_no_empty_node() -> None:
    doc = config.parse("[a]\nx=1\n\ny=2")
    doc["a"].remove("y")
    assert doc.dumps() == "[a]\nx=1"
    assert [type(n).__name__ for n in doc.lines()] == ["Header", "Assignment"]

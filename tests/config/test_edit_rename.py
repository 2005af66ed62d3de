"""Renaming: ``Document.rename_section`` and ``Section.rename`` (a key).

Covers that only the name's bytes change, that ``(+)`` additions follow their category,
that headers inheriting from the old name are refused or (``references=True``) renamed
too, and that a rename that would change another category's meaning is refused.
"""

from __future__ import annotations

import pytest

from pyst import config
from pyst.config import ConfigEditError


def test_rename_section_changes_only_the_name() -> None:
    doc = config.parse("[base](!)\nz=0\n  [old](base) ; the peer\nx = 1\n[old](+)\ny = 2\n")
    doc.rename_section(doc["old"], "new")
    assert doc.dumps() == "[base](!)\nz=0\n  [new](base) ; the peer\nx = 1\n[new](+)\ny = 2\n"
    assert [c.name for c in doc.config()] == ["base", "new"]


def test_rename_section_refuses_when_a_header_inherits_from_it() -> None:
    source = "[t](!)\nx=1\n[c](t)\n"
    doc = config.parse(source)
    with pytest.raises(ConfigEditError, match="references=True"):
        doc.rename_section(doc["t"], "u")
    assert doc.dumps() == source


def test_rename_section_with_references_renames_the_parents_too() -> None:
    doc = config.parse("[other]\n[t](!)\nx=1\n[c](t)\n[d](T,other)\n")
    doc.rename_section(doc["t"], "tpl", references=True)
    assert doc.dumps() == "[other]\n[tpl](!)\nx=1\n[c](tpl)\n[d](tpl,other)\n"
    assert doc.config()["d"].inherits == ["tpl", "other"]


def test_rename_section_refuses_to_change_what_another_category_means() -> None:
    # [b](+) adds to the first [b]; renaming [a] to b would capture it.
    source = "[a]\nx=1\n[b]\ny=2\n[b](+)\nz=3\n"
    doc = config.parse(source)
    with pytest.raises(ConfigEditError):
        doc.rename_section(doc["a"], "b")
    assert doc.dumps() == source


@pytest.mark.parametrize("name", ["", "a]b", "x" * 80, "a\nb"])
def test_rename_section_refuses_names_asterisk_cannot_read(name: str) -> None:
    doc = config.parse("[a]\n")
    with pytest.raises(ConfigEditError):
        doc.rename_section(doc["a"], name)
    assert doc.dumps() == "[a]\n"


def test_rename_key_changes_only_the_name() -> None:
    doc = config.parse("[p]\n  Secret  =  s1 ; old\nsecret += 2\nhost=h\n")
    assert doc["p"].rename("secret", "password") == 2
    assert doc.dumps() == "[p]\n  password  =  s1 ; old\npassword += 2\nhost=h\n"
    assert doc.config()["p"].get("password") == "s1 2"


def test_rename_key_escapes_the_new_name() -> None:
    doc = config.parse("[p]\na = 1\n")
    doc["p"].rename("a", "#b")
    assert doc.config()["p"].items() == [("#b", "1")]
    with pytest.raises(ConfigEditError):
        doc["p"].rename("#b", "c=d")
    assert doc.config()["p"].items() == [("#b", "1")]


def test_rename_key_refuses_to_drop_a_block_comment_marker_from_a_name() -> None:
    # After a stray "--;" the nesting counter is -1: "--; x" is a name whose "--;"
    # brings it back to -1 on the next line; dropping it would make the lines below
    # (here a header) read differently.
    source = "[g]\nx=x--;c\n[h]\n;-- a block\n--; x=after\n[k]\n"
    doc = config.parse(source)
    name = doc["g"].assignments()[-1].name
    with pytest.raises(ConfigEditError):
        doc["g"].rename(name, "x")
    assert doc.dumps() == source

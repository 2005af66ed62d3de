"""``Document.transaction()``: a group of edits is all or nothing, and every single edit is
too (one undo mechanism serves them all)."""

from __future__ import annotations

import pytest

from pyst import config
from pyst.config import ConfigEditError


def test_a_failed_transaction_undoes_every_edit_in_it() -> None:
    source = "[general]\nbindport=5060\n\n[t](!)\ntype=friend\n\n[6001](t)\nsecret=a\n"
    doc = config.parse(source)
    with pytest.raises(ConfigEditError), doc.transaction():
        doc["general"]["bindport"] = "5061"
        peer = doc.add_section("6002", parents=["t"])
        peer["secret"] = "b"
        doc.rename_section(doc["6001"], "6003")
        doc.remove_section(doc["t"])  # refused: 6002 and 6003 inherit from it
    assert doc.dumps() == source
    assert "6002" not in doc and doc["6001"]["secret"] == "a"


def test_nested_transactions_roll_back_only_their_own_edits() -> None:
    doc = config.parse("[a]\nx=1\n")
    with doc.transaction():
        doc["a"]["x"] = "2"
        with pytest.raises(RuntimeError), doc.transaction():
            doc["a"]["y"] = "3"
            raise RuntimeError
        doc.add_section("b")
    assert doc.dumps() == "[a]\nx=2\n\n[b]\n" or doc.dumps() == "[a]\nx=2\n[b]\n"
    assert "y" not in doc["a"]


def test_indexes_follow_a_rollback() -> None:
    doc = config.parse("[a]\n")
    with pytest.raises(RuntimeError), doc.transaction():
        doc.add_section("b")
        doc.rename_section(doc["a"], "c")
        raise RuntimeError
    assert doc.section("b") is None and doc.section("c") is None
    assert doc["a"].name == "a"
    doc.add_section("b")
    assert [s.name for s in doc.sections_named("b")] == ["b"]


def test_a_section_removed_in_a_rolled_back_transaction_is_attached_again() -> None:
    doc = config.parse("[a]\n")
    section = doc["a"]
    with pytest.raises(RuntimeError), doc.transaction():
        doc.remove_section(section)
        raise RuntimeError
    assert section.document is doc
    with pytest.raises(RuntimeError), doc.transaction():
        section["x"] = "1"
        raise RuntimeError
    assert doc.dumps() == "[a]\n"

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


def test_a_rolled_back_inner_transaction_leaves_the_outer_one_exact() -> None:
    # Sections are added and removed without copying the list of sections: the undo
    # records of an inner transaction that rolled back must not be replayed again by
    # the outer one, whether the outer one commits or rolls back.
    source = "[a]\nx=1\n\n[b]\ny=2\n\n[c]\nz=3\n"
    doc = config.parse(source)
    with doc.transaction():
        doc.add_section("d")["w"] = "4"
        with pytest.raises(RuntimeError), doc.transaction():
            doc.remove_section(doc["b"])
            doc.add_section("e", after=doc["a"])
            doc.remove_section(doc["d"])
            raise RuntimeError
        doc.remove_section(doc["a"])
    assert [s.name for s in doc] == ["b", "c", "d"]
    text = doc.dumps()
    assert text.startswith("[b]\ny=2\n\n[c]\nz=3\n\n[d]\nw") and text.count("\n") == 8
    assert doc["d"]["w"] == "4" and "a" not in doc and "e" not in doc
    assert doc["b"].document is doc  # removed in the rolled-back block: attached again
    doc["b"]["y"] = "5"
    assert doc.config()["b"].items() == [("y", "5")]

    doc = config.parse(source)
    with pytest.raises(KeyError), doc.transaction():
        doc.add_section("d", before=doc["b"])
        with pytest.raises(RuntimeError), doc.transaction():
            doc.remove_section(doc["c"])
            doc.add_section("e")
            raise RuntimeError
        doc.remove_section(doc["b"])
        doc.add_section("f", after=doc["a"])
        raise KeyError("undo everything")
    assert doc.dumps() == source
    assert [s.name for s in doc] == ["a", "b", "c"]
    assert doc.sections_named("b") == [doc.sections[1]] and "d" not in doc


def test_a_refused_section_edit_inside_a_transaction_keeps_the_others() -> None:
    doc = config.parse("[t](!)\nx=1\n\n[u](t)\n")
    with doc.transaction():
        doc.add_section("v", parents=["t"])
        with pytest.raises(ConfigEditError):
            doc.remove_section(doc["t"])  # refused: u and v inherit from it
        doc.remove_section(doc["u"])
    assert doc.dumps() == "[t](!)\nx=1\n\n[v](t)\n"
    assert [s.name for s in doc] == ["t", "v"]


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

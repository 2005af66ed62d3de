"""``Section``'s read API: a mapping over its own lines.

Covers keys, ``in``, ``get``, ``len``, ``items``/``values``, identity and truthiness, what
a section reads compared with what the loaded view says, and which comments belong to which
line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pyst import config
from tests.config.helpers import SIP, categories


def test_section_mapping_interface() -> None:
    doc = config.parse(SIP)
    peer = doc["6001"]
    assert peer.keys() == ["type", "host", "secret", "callerid"]  # inherited ones first
    assert peer.own.keys() == ["secret", "callerid"]
    assert "SECRET" in peer
    assert peer.get("missing") is None
    assert list(doc["friend"]) == ["type", "host"]
    assert doc["friend"].template and peer.parents == ["friend"]
    with pytest.raises(KeyError):
        doc["nope"]
    assert [s.name for s in doc] == ["general", "friend", "6001"]


def test_section_mapping_basics() -> None:
    doc = config.parse("[s]\nA=1\nb=2\nb+=3\n")
    section = doc["s"]
    assert list(section) == ["A", "b"]
    assert dict(section) == {"A": "1", "b": "23"}
    assert "a" in section and 5 not in section
    assert section.get("missing") is None
    with pytest.raises(KeyError):
        section["missing"]
    with pytest.raises(KeyError):
        del section["missing"]


def test_section_has_mapping_len_items_values() -> None:
    section = config.parse("[s]\na=1\nb=2\n")["s"]
    assert len(section) == 2
    assert list(section.items()) == [("a", "1"), ("b", "2")]  # type: ignore[attr-defined]
    assert list(section.values()) == ["1", "2"]  # type: ignore[attr-defined]


def test_section_keys_are_readable() -> None:
    section = config.parse("[s]\n=x\na=1\n")["s"]
    assert dict(section) == {"a": "1"}
    assert "" not in section


def test_section_is_truthy_and_compares_by_identity() -> None:
    doc = config.parse("[a]\n[a]\n")
    first, second = doc.sections
    assert first and second
    assert first != second
    assert first == first
    assert len({first, second}) == 2
    assert len(first) == 0 and list(first) == []


def test_mapping_methods_apply_plus_equals_and_fold_names() -> None:
    doc = config.parse("[a]\nx=1\nX+=2\ny=3\nx+=4\n")
    section = doc.sections[0]
    # += appends to the last variable with the *same* (case-sensitive) name.
    assert section.items() == doc.config()["a"].items()
    assert "X" in section and "Y" in section and 3 not in section  # type: ignore[operator]
    assert len(section) == 2
    assert section.values() == [v for _, v in doc.config()["a"].items()]


def test_get_after_append_operator() -> None:
    doc = config.parse("[c]\na = one\na += two\n")
    assert doc["c"]["a"] == doc.config().categories[0].variables[-1].value == "one two"


def test_section_reads_what_asterisk_holds_and_own_reads_the_lines() -> None:
    # A Section reads what Asterisk holds for its category; .own reads its own lines.
    doc = config.parse("[t](!)\na=1\n[c](t)\na+=2\n")
    assert doc.config().category("c").get_all("a") == ["12"]  # type: ignore[union-attr]
    assert doc["c"]["a"] == "12"
    assert doc["c"].own["a"] == "2"
    doc = config.parse("[a]\nx=1\n[a](+)\nx+=2\n")
    assert categories(doc.config()) == [("a", [("x", "12")])]
    assert doc.sections[1]["x"] == "12"
    assert doc.sections[1].own["x"] == "2"


def test_comments_belong_where_asterisk_attaches_them() -> None:
    doc = config.parse("[c]\n; about a\n; more\na = 1 ; same\n\n; about b\nb = 2\n; trailing\n\n")
    section = doc["c"]
    a, b = section.assignments()
    assert [c.text for c in section.comments_before(a)] == ["; about a", "; more"]
    assert [c.text for c in section.comments_before(b)] == ["; about b"]
    assert a.comment == "; same"
    assert [c.text for c in section.trailing_comments] == ["; trailing"]


def _check_locations(sections: list[config.Section]) -> None:
    """Every value's file and line, and the header's, name the line that wrote it."""
    for section in sections:
        category = section.category()
        assert category is not None
        texts = {}
        for variable in category.variables:
            assert variable.file is not None and variable.line is not None
            if variable.file not in texts:
                texts[variable.file] = Path(variable.file).read_text().splitlines() if (
                    variable.file != "<string>") else None
            lines = texts[variable.file]
            if lines is None:
                document = section.document
                assert document is not None
                lines = document.text().splitlines()
            assert lines[variable.line - 1] == variable.nodes[0].text
        document = section.document
        assert document is not None
        assert document.text().splitlines()[category.line - 1] == section.header.text


def test_category_locations_follow_edits() -> None:
    doc = config.parse(
        "; top\n\n[t](!)\na=1\n\n[c](t)\nb=2\n\n[c](+)\nd=4\n[x]\ny=1\n"
    )
    _check_locations(doc.sections)
    doc["t"].add("e", "5")
    doc["x"].add("z", "1")
    doc.add_section("n", parents=["t"], before=doc["x"])["f"] = "6"
    doc["c"]["b"] = "3"
    doc.sections_named("c")[1].add("g", "7", before="d")
    _check_locations(doc.sections)
    doc.remove_section(doc["x"])
    doc.move_section(doc["n"], after=doc["t"])
    _check_locations(doc.sections)


def test_category_locations_in_an_include_tree(tmp_path: Path) -> None:
    (tmp_path / "templates.conf").write_text("; templates\n[t](!)\na=1\n")
    (tmp_path / "main.conf").write_text("#include templates.conf\n\n[c](t)\nb=2\n")
    tree = config.load_tree(tmp_path / "main.conf")
    tree["t"].add("e", "5")
    tree.add_section("n", parents=["t"])["f"] = "6"
    tree.save()
    _check_locations(tree.sections)
    where = {v.name: (Path(v.file or "").name, v.line) for v in tree["n"].category().variables}
    assert where == {"a": ("templates.conf", 3), "e": ("templates.conf", 4), "f": ("main.conf", 7)}

"""The declarative apply engine: minimal edits to reach a described state, idempotent."""

from __future__ import annotations

from typing import Any

import pytest

from pyst import config
from pyst.config._editing.apply import Change, ConfigChangesError, apply

PHONES = (
    "[general]\n"
    "context = default ; where calls land\n"
    "\n"
    "[phone](!)\n"
    "type = friend\n"
    "allow = ulaw\n"
    "\n"
    "[6001](phone)   ; desk\n"
    "secret = one\n"
    "allow = alaw\n"
    "allow = g722\n"
    "nat = yes\n"
)


def _apply_twice(source: str, changes: dict[str, Any]) -> tuple[str, list[Change]]:
    doc = config.parse(source)
    done = apply(doc, changes)
    result = doc.dumps()
    again = config.parse(result)
    assert apply(again, changes) == []
    assert again.dumps() == result
    return result, done


def test_single_value_changes_only_its_bytes() -> None:
    result, done = _apply_twice(PHONES, {"sections": {"general": {"keys": {"context": "in"}}}})
    assert result == PHONES.replace("context = default", "context = in")
    assert [str(c) for c in done] == ["set [general] context: in"]


def test_list_keeps_the_common_prefix() -> None:
    changes = {"sections": {"6001": {"keys": {"allow": ["alaw", "opus", "ulaw"]}}}}
    result, _ = _apply_twice(PHONES, changes)
    assert result == PHONES.replace(
        "allow = g722\nnat = yes\n", "nat = yes\nallow = opus\nallow = ulaw\n"
    )
    assert config.parse(result).config()["6001"].get_all("allow") == [
        "ulaw", "alaw", "opus", "ulaw",
    ]
    assert config.parse(result)["6001"].own.get_all("allow") == ["alaw", "opus", "ulaw"]


def test_list_shrinks_and_last_value_changes_in_place() -> None:
    result, _ = _apply_twice(PHONES, {"sections": {"6001": {"keys": {"allow": ["alaw", "gsm"]}}}})
    assert result == PHONES.replace("allow = g722", "allow = gsm")
    result, _ = _apply_twice(PHONES, {"sections": {"6001": {"keys": {"allow": ["alaw"]}}}})
    assert result == PHONES.replace("allow = g722\n", "")


def test_absent_keys_null_and_list() -> None:
    result, done = _apply_twice(
        PHONES, {"sections": {"6001": {"keys": {"nat": None}, "absent": ["secret", "nothere"]}}}
    )
    assert result == PHONES.replace("secret = one\n", "").replace("nat = yes\n", "")
    assert [c.action for c in done] == ["remove", "remove"]


def test_values_are_written_as_they_read() -> None:
    changes = {"sections": {"general": {"keys": {"port": 5060, "enabled": True, "off": False}}}}
    result, _ = _apply_twice(PHONES, changes)
    general = config.parse(result)["general"]
    assert (general["port"], general["enabled"], general["off"]) == ("5060", "yes", "no")


def test_object_lines() -> None:
    source = "[default]\nexten => 100,1,Answer()\n"
    changes = {"sections": {"default": {"keys": {"exten": {
        "values": ["100,1,Answer()", "100,2,Hangup()"], "operator": "=>",
    }}}}}
    result, _ = _apply_twice(source, changes)
    assert result == source + "exten => 100,2,Hangup()\n"
    # An '=' line where '=>' is asked for is replaced.
    result, _ = _apply_twice("[default]\nexten = 1\n", {"sections": {"default": {"keys": {
        "exten": {"value": "1", "operator": "=>"}}}}})
    assert config.parse(result).config()["default"].variables[0].object is True


def test_add_and_remove_values_keep_the_others() -> None:
    changes = {"sections": {"6001": {"keys": {"allow": {"add": ["g722", "opus"]}}}}}
    result, done = _apply_twice(PHONES, changes)
    assert result == PHONES.replace("nat = yes\n", "nat = yes\nallow = opus\n")
    assert [str(c) for c in done] == ["add [6001] allow: opus"]
    changes = {"sections": {"6001": {"keys": {"allow": {"remove": "alaw"}}}}}
    result, done = _apply_twice(PHONES, changes)
    assert result == PHONES.replace("allow = alaw\n", "")
    assert [str(c) for c in done] == ["remove [6001] allow: alaw"]
    source = "[default]\nexten => 1,1,Answer()\n"
    changes = {"sections": {"default": {"keys": {"exten": {
        "add": ["1,2,Hangup()"], "operator": "=>"}}}}}
    result, _ = _apply_twice(source, changes)
    assert result == source + "exten => 1,2,Hangup()\n"


def test_new_section_with_parents_and_place() -> None:
    changes = {"sections": {"6002": {
        "parents": ["phone"], "after": "phone", "keys": {"secret": "two"},
    }}}
    result, done = _apply_twice(PHONES, changes)
    assert "\n[phone](!)\ntype = friend\nallow = ulaw\n\n[6002](phone)\nsecret = two\n\n[6001]" in (
        result
    )
    assert [c.action for c in done] == ["add-section", "set"]
    result, _ = _apply_twice(PHONES, {"sections": {"early": {"before": "phone"}}})
    assert "context = default ; where calls land\n\n[early]\n\n[phone](!)" in result
    result, _ = _apply_twice(PHONES, {"sections": {"tpl": {"template": True}}})
    assert result.endswith("nat = yes\n\n[tpl](!)\n")
    result, _ = _apply_twice(PHONES, {"sections": {"first": {"before": "general"}}})
    assert result.startswith("[first]\n\n[general]\n")
    with pytest.raises(config.ConfigEditError, match="no section"):
        apply(config.parse(PHONES), {"sections": {"x": {"after": "nothere"}}})


def test_header_options_of_existing_sections_are_rewritten() -> None:
    result, done = _apply_twice(PHONES, {"sections": {
        "6001": {"parents": [], "template": True},
    }})
    assert "[6001](!)   ; desk\n" in result
    assert [(change.action, change.section) for change in done] == [("set-options", "6001")]
    # A header change Asterisk would refuse leaves the document as it was.
    doc = config.parse(PHONES)
    with pytest.raises(config.ConfigEditError):
        apply(doc, {"sections": {
            "general": {"keys": {"context": "changed"}},
            "6001": {"parents": ["nowhere"]},
        }})
    assert doc.dumps() == PHONES
    result, _ = _apply_twice(PHONES, {"sections": {"general": {"parents": []}}})
    assert result == PHONES  # already so: nothing to do
    result, _ = _apply_twice(PHONES, {"sections": {"6001": {"parents": ["Phone"]}}})
    assert result == PHONES  # names compare as Asterisk compares them


def test_absent_sections() -> None:
    source = PHONES + "\n[old]\na = 1\n\n[old]\na = 2\n"
    result, done = _apply_twice(source, {"sections": {"old": {"state": "absent"}}})
    assert result == PHONES
    assert [c.action for c in done] == ["remove-section", "remove-section"]
    result, _ = _apply_twice(source, {"sections": {"old[2]": {"state": "absent"}}})
    assert result == PHONES + "\n[old]\na = 1\n"
    result, _ = _apply_twice(source, {"sections": [
        {"name": "old", "match": {"a": "1"}, "state": "absent"},
    ]})
    assert result == PHONES + "\n[old]\na = 2\n"
    with pytest.raises(config.ConfigEditError):
        apply(config.parse(PHONES), {"sections": {"phone": {"state": "absent"}}})


def test_duplicates_need_an_index_or_match() -> None:
    source = "[c]\na = 1\n\n[c]\na = 2\n"
    with pytest.raises(config.ConfigEditError, match=r"defined 2 times.*c\[2\]"):
        apply(config.parse(source), {"sections": {"c": {"keys": {"b": "x"}}}})
    result, _ = _apply_twice(source, {"sections": {"c[2]": {"keys": {"b": "x"}}}})
    assert result == source + "b = x\n"
    result, _ = _apply_twice(source, {"sections": [{"name": "c", "match": {"a": "1"},
                                                     "keys": {"b": "y"}}]})
    assert result == "[c]\na = 1\nb = y\n\n[c]\na = 2\n"


def test_crlf_and_no_final_newline_keep_their_style() -> None:
    source = PHONES.replace("\n", "\r\n").rstrip("\r\n")
    changes = {"sections": {"6001": {"keys": {"nat": "no", "qualify": "yes"}},
                            "6002": {"parents": ["phone"]}}}
    result, _ = _apply_twice(source, changes)
    assert "\n" not in result.replace("\r\n", "")
    assert not result.endswith("\n")
    assert result.endswith("\r\n[6002](phone)")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ([], "table with a 'sections'"),
        ({"sections": {"a": {"colour": "red"}}}, "sections.a: unknown field 'colour'"),
        ({"sections": {"a": {"state": "gone"}}}, "sections.a.state"),
        ({"sections": {"a": {"template": "yes"}}}, "sections.a.template"),
        ({"sections": {"a": {"parents": "t"}}}, "sections.a.parents"),
        ({"sections": {"a": {"keys": {"k": {"x": 1}}}}}, "sections.a.keys.k: unknown field"),
        ({"sections": {"a": {"keys": {"k": [1, {}]}}}}, r"sections.a.keys.k\[1\]"),
        ({"sections": {"a": {"keys": {"k": {"value": "1", "operator": "+="}}}}}, "operator"),
        ({"sections": {"a": {"keys": {"k": {"add": ["1"], "value": "2"}}}}}, "give one of"),
        ({"sections": {"a": {"keys": {"k": {"operator": "=>"}}}}}, "give one of"),
        ({"sections": {"a": {"keys": {"k": {"remove": None}}}}}, "k.remove: expected a list"),
        ({"sections": {"a": {"after": "b", "before": "c"}}}, "not both"),
        ({"sections": {"a[0]": {}}}, "count from 1"),
        ({"sections": [{"keys": {}}]}, r"sections\[0\]: a section needs a name"),
        ({"sections": "a"}, "a table keyed by name"),
        ({"other": 1}, "unknown top-level field 'other'"),
    ],
)
def test_malformed_change_sets_say_where(changes: Any, message: str) -> None:
    doc = config.parse(PHONES)
    with pytest.raises(ConfigChangesError, match=message):
        apply(doc, changes)
    assert doc.dumps() == PHONES

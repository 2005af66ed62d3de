"""Edits change only what they mean to, in the file's own style, and keep the meaning."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pyst import config

SIP = """\
; sip.conf for the office
[general]
context=public   ; where strangers land
bindport = 5060

[friend](!)
\ttype\t=\tfriend
\thost\t=\tdynamic

; the front desk
[6001](friend)
\tsecret\t=\tabc
\tcallerid\t=\tDesk <6001> ; shown on phones
"""


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


def test_new_line_copies_the_nearest_same_name_line_style() -> None:
    doc = config.parse(SIP)
    peer = doc.add_section("6002", parents=["friend"])
    peer["secret"] = "xyz"
    peer["mailbox"] = "6002"
    assert doc.dumps() == SIP + "\n[6002](friend)\n\tsecret\t=\txyz\n\tmailbox\t=\t6002\n"
    result = doc.config()
    assert result.category("6002") is not None
    assert result.categories[-1].items() == [
        ("type", "friend"), ("host", "dynamic"), ("secret", "xyz"), ("mailbox", "6002"),
    ]


def test_new_line_goes_after_the_last_assignment_not_after_trailing_comments() -> None:
    doc = config.parse("[a]\nx = 1\n\n; about b\n[b]\n")
    doc["a"]["y"] = "2"
    assert doc.dumps() == "[a]\nx = 1\ny = 2\n\n; about b\n[b]\n"


def test_file_newline_style_is_kept() -> None:
    doc = config.parse(b"[a]\r\nx = 1\r\n")
    doc["a"]["y"] = "2"
    doc.add_section("b")["z"] = "3"
    assert doc.dumps() == b"[a]\r\nx = 1\r\ny = 2\r\n\r\n[b]\r\nz = 3\r\n"


def test_missing_final_newline_stays_missing() -> None:
    doc = config.parse("[a]\nx = 1")
    doc["a"]["y"] = "2"
    assert doc.dumps() == "[a]\nx = 1\ny = 2"


def test_values_are_escaped_so_asterisk_reads_them_back() -> None:
    doc = config.parse("[c]\n")
    doc["c"]["note"] = "a;b --; c ;-- d"
    doc["c"]["arrow"] = "> x"
    assert doc.dumps() == "[c]\nnote = a\\;b --\\; c \\;-- d\narrow = > x\n"
    assert doc.config().categories[0].items() == [("note", "a;b --; c ;-- d"), ("arrow", "> x")]


def test_escaped_names_use_the_leading_backslash() -> None:
    doc = config.parse("[menu]\n")
    doc["menu"]["#1"] = "playback(x)"
    assert doc.dumps() == "[menu]\n\\#1 = playback(x)\n"
    assert doc.config().categories[0].items() == [("#1", "playback(x)")]


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


def test_bad_section_names_are_refused() -> None:
    doc = config.parse("")
    for name in ("a]b", "x" * 80, "new\nline"):
        with pytest.raises(config.ConfigEditError):
            doc.add_section(name)
    with pytest.raises(config.ConfigEditError):
        doc.add_section("ok", parents=["a,b"])
    assert doc.dumps() == ""


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


def test_remove_section_takes_its_comments() -> None:
    source = "[a]\nx = 1\n\n; about b\n[b]\ny = 2\n\n[c]\n"
    doc = config.parse(source)
    doc.remove_section(doc["b"])
    assert doc.dumps() == "[a]\nx = 1\n\n[c]\n"


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


def test_add_section_after_a_given_section() -> None:
    doc = config.parse("[a]\n\n[c]\n")
    doc.add_section("b", template=True, after=doc["a"])
    assert doc.dumps() == "[a]\n\n[b](!)\n\n[c]\n"
    assert [(c.name, c.template) for c in doc.config()] == [("a", False), ("b", True), ("c", False)]


def test_section_mapping_interface() -> None:
    doc = config.parse(SIP)
    peer = doc["6001"]
    assert peer.keys() == ["secret", "callerid"]
    assert "SECRET" in peer
    assert peer.get("missing") is None
    assert list(doc["friend"]) == ["type", "host"]
    assert doc["friend"].template and peer.parents == ["friend"]
    with pytest.raises(KeyError):
        doc["nope"]
    assert [s.name for s in doc] == ["general", "friend", "6001"]


def test_line_pieces_are_named() -> None:
    doc = config.parse("[c]\n  key  =>  some value   ; note\r\n")
    line = doc["c"].assignments()[0]
    assert (line.indent, line.raw_name, line.before_operator, line.operator) == (
        "  ", "key", "  ", "=>",
    )
    assert (line.after_operator, line.raw_value, line.comment_space, line.comment) == (
        "  ", "some value", "   ", "; note",
    )
    assert line.newline == "\r\n" and line.object
    assert "".join(
        [line.indent, line.raw_name, line.before_operator, line.raw_operator, line.after_operator,
         line.raw_value, line.comment_space, line.comment, line.newline]
    ) == line.raw


def test_save_is_atomic_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "sip.conf"
    path.write_bytes(b"[c]\nname = Jos\xe9\n")
    os.chmod(path, 0o640)
    doc = config.load(path)
    doc["c"]["port"] = "5060"
    doc.save()
    assert path.read_bytes() == b"[c]\nname = Jos\xe9\nport = 5060\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["sip.conf"]


def test_save_failure_leaves_the_file_alone(tmp_path: Path) -> None:
    doc = config.parse("[c]\n")
    with pytest.raises(config.ConfigIOError):
        doc.save(tmp_path / "missing-dir" / "x.conf")
    with pytest.raises(config.ConfigEditError):
        doc.save()


def test_comments_belong_where_asterisk_attaches_them() -> None:
    doc = config.parse("[c]\n; about a\n; more\na = 1 ; same\n\n; about b\nb = 2\n; trailing\n\n")
    section = doc["c"]
    a, b = section.assignments()
    assert [c.text for c in section.comments_before(a)] == ["; about a", "; more"]
    assert [c.text for c in section.comments_before(b)] == ["; about b"]
    assert a.comment == "; same"
    assert [c.text for c in section.trailing_comments] == ["; trailing"]


def test_structural_edits_that_would_change_other_categories_are_refused() -> None:
    source = "[top]\n\n[a]\nx = 1\n\n[b](a)\n\n[a](+)\ny = 2\n"
    doc = config.parse(source)
    with pytest.raises(config.ConfigEditError):
        doc.remove_section(doc["a"])  # [b](a) and [a](+) need it
    with pytest.raises(config.ConfigEditError):
        doc.add_section("zzz", parents=["nope"])  # nothing to inherit from
    with pytest.raises(config.ConfigEditError):
        doc.add_section("A", after=doc["top"])  # [b](a) would copy from [A] instead
    assert doc.dumps() == source
    doc.remove_section(doc.sections[-1])  # an addition nobody depends on
    assert doc.dumps() == "[top]\n\n[a]\nx = 1\n\n[b](a)\n"
    doc.add_section("c", parents=["b"])
    doc.add_section("d", after=doc["top"])
    assert doc.dumps().startswith("[top]\n\n[d]\n\n[a]\n")
    assert [(c.name, c.items()) for c in doc.config()][-1] == ("c", [("x", "1")])

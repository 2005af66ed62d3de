"""The style of new lines: placed after the last assignment, copying
the nearest line with the same name, and the file's newline style and final newline kept.
"""

from __future__ import annotations

from pyst import config
from tests.config.helpers import SIP


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


def test_new_line_copies_nearest_same_name_style() -> None:
    doc = config.parse(
        "[general]\ncontext=default\n\n[6001]\ncontext = from-internal\n\n"
        "[6002]\ncontext = from-internal\n"
    )
    doc.add_section("6003")["context"] = "phones"
    assert doc.dumps().endswith("[6003]\ncontext = phones\n")


def test_new_line_does_not_copy_leading_block_comment() -> None:
    doc = config.parse("[c]\n;-- note --; a = 1\n")
    doc["c"].add("b", "2")
    assert doc.dumps() == "[c]\n;-- note --; a = 1\nb = 2\n"


def test_new_line_goes_after_the_last_assignment_not_after_trailing_comments() -> None:
    doc = config.parse("[a]\nx = 1\n\n; about b\n[b]\n")
    doc["a"]["y"] = "2"
    assert doc.dumps() == "[a]\nx = 1\ny = 2\n\n; about b\n[b]\n"


def test_file_newline_style_is_kept() -> None:
    doc = config.parse(b"[a]\r\nx = 1\r\n")
    doc["a"]["y"] = "2"
    doc.add_section("b")["z"] = "3"
    assert doc.dumps() == b"[a]\r\nx = 1\r\ny = 2\r\n\r\n[b]\r\nz = 3\r\n"


def test_set_in_crlf_tab_file_keeps_style() -> None:
    doc = config.parse(b"[a]\r\nx\t=\t1\r\n\r\n[b]\r\ny\t=\t2\r\n")
    doc["b"]["z"] = "3"
    doc.add_section("c", after=doc["a"])["w"] = "4"
    assert doc.dumps() == (
        b"[a]\r\nx\t=\t1\r\n\r\n[c]\r\nw\t=\t4\r\n\r\n[b]\r\ny\t=\t2\r\nz\t=\t3\r\n"
    )


def test_missing_final_newline_stays_missing() -> None:
    doc = config.parse("[a]\nx = 1")
    doc["a"]["y"] = "2"
    assert doc.dumps() == "[a]\nx = 1\ny = 2"

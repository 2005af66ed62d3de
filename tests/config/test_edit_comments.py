"""Commenting a line out and back in: ``Section.comment_out``, ``commented`` and
``uncomment``, the way admins disable settings (``;allow=g729``)."""

from __future__ import annotations

import pytest

from pyst import config
from pyst.config import Comment, ConfigEditError


def test_comment_out_and_back_in_gives_the_same_line() -> None:
    source = "[p]\n  allow = ulaw\n  allow = g729 ; cheap\n"
    doc = config.parse(source)
    [comment] = doc["p"].comment_out("allow", "g729")
    assert isinstance(comment, Comment)
    assert doc.dumps() == "[p]\n  allow = ulaw\n  ;allow = g729 ; cheap\n"
    assert doc.config()["p"].get_all("allow") == ["ulaw"]
    line = doc["p"].uncomment("allow", "g729")
    assert line.value == "g729"
    assert doc.dumps() == source


def test_uncomment_gives_exactly_the_line_asterisk_reads() -> None:
    doc = config.parse("[p]\nhost=h\n;; nat = force_rport,comedia\n")
    doc["p"].uncomment("nat")
    assert doc.dumps() == "[p]\nhost=h\nnat = force_rport,comedia\n"
    assert doc.config()["p"].get("nat") == "force_rport,comedia"


def test_uncomment_needs_a_value_to_choose_between_candidates() -> None:
    doc = config.parse("[p]\n;allow=g729\n;allow=gsm\n")
    assert [c.text for c in doc["p"].commented("allow")] == [";allow=g729", ";allow=gsm"]
    with pytest.raises(ConfigEditError, match="value="):
        doc["p"].uncomment("allow")
    doc["p"].uncomment("allow", "gsm")
    assert doc.dumps() == "[p]\n;allow=g729\nallow=gsm\n"
    with pytest.raises(KeyError):
        doc["p"].uncomment("disallow")


def test_documentation_comments_and_block_comments_are_not_candidates() -> None:
    doc = config.parse("[p]\n; This is a note\n;--\nallow=g729\n--;\n;-- x=1 --;\n")
    assert doc["p"].commented("allow") == []
    assert doc["p"].commented("x") == []


def test_comment_out_refuses_a_line_with_block_comment_markers() -> None:
    source = "[p]\na = 1 ;-- note --;\n"
    doc = config.parse(source)
    with pytest.raises(ConfigEditError):
        doc["p"].comment_out("a")
    assert doc.dumps() == source


def test_comment_out_refuses_to_open_a_block_comment() -> None:
    source = "[p]\n--x = 1\ny = 2\n"
    doc = config.parse(source)
    with pytest.raises(ConfigEditError, match="block comment"):
        doc["p"].comment_out("--x")
    assert doc.dumps() == source and doc.config()["p"].get("y") == "2"


def test_uncomment_refuses_to_make_the_file_stop_loading() -> None:
    source = "[a]\n;x=1\n[a](+,a)\n"
    doc = config.parse(source)
    with pytest.raises(ConfigEditError, match="no longer load"):
        doc["a"].uncomment("x")
    assert doc.dumps() == source


def test_comment_out_refuses_a_name_that_would_open_a_block_comment() -> None:
    source = "[a]\n-- = 1\n[b]\n"
    doc = config.parse(source)
    with pytest.raises(ConfigEditError):
        doc["a"].comment_out("--")
    assert doc.dumps() == source

"""``Section.add``: a new line after the last one, read back as written,
never making the file unloadable.
"""

from __future__ import annotations

import pytest

from pyst import config
from tests.config.helpers import categories, refused_or_kept


def test_add_after_line_with_escaped_value() -> None:
    doc = config.parse("[c]\na = \\;x\n")
    doc["c"].add("a", "y")
    assert categories(doc.config()) == [("c", [("a", ";x"), ("a", "y")])]


def test_add_after_line_closing_block_comment() -> None:
    doc = config.parse("[c]\n;-- old\nstuff --; a = 1\n")
    doc["c"].add("b", "2")
    assert categories(doc.config()) == [("c", [("a", "1"), ("b", "2")])]
    assert doc.dumps().startswith("[c]\n;-- old\nstuff --; a = 1\n")


def test_add_keeps_missing_final_newline() -> None:
    doc = config.parse("[a]\nx=1")
    doc["a"].add("y", "2")
    assert doc.dumps() == "[a]\nx=1\ny=2"


def test_add_never_makes_file_unloadable() -> None:
    doc = config.parse("[c]\n\\;x = 1\n")
    refused_or_kept(doc, lambda d: d["c"].add("\u00e9", "1"), lambda cfg: (
        None if cfg.loaded else pytest.fail(repr(doc.dumps()))))


def test_a_new_line_goes_below_the_comment_lines_continuing_the_last_one() -> None:
    doc = config.parse(
        "[general]\nsrvlookup=yes   ; DNS SRV lookups\n                ; on outbound\n"
    )
    doc["general"].add("context", "default")
    assert doc.dumps() == (
        "[general]\nsrvlookup=yes   ; DNS SRV lookups\n                ; on outbound\n"
        "context=default\n"
    )

"""Line anatomy of assignments (``name = value``).

Covers the named pieces of an assignment (indent, raw name, operator, raw value, comment,
newline) and that they concatenate back to the line, the operator forms (``=``, ``=>``,
``+=``, spliced by block comments), escaped names and values, and what each form means.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyst import config
from pyst.config import Assignment
from tests.config.helpers import FAST, PIECE_ATOMS, TEXT, line_of, loaded


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


@pytest.mark.parametrize(
    ("line", "name", "value", "is_object"),
    [
        ("a = b = c", "a", "b = c", False),
        ("a=>b", "a", "b", True),
        ("a => b", "a", "b", True),
        ("a =>b", "a", "b", True),
        ("a = > b", "a", "> b", False),
        ("a =>> b", "a", "> b", True),
        ("a == b", "a", "= b", False),
        ("two words = x", "two words", "x", False),
        ("a =", "a", "", False),
        ("a =>", "a", "", True),
        ("\\#hash = 1", "#hash", "1", False),
        ("\\[x = 2", "[x", "2", False),
        ("\\=eq = 3", "=eq", "3", False),
        ("\\\\d = 4", "\\d", "4", False),
        ("\\+= 5", "+", "5", False),
    ],
)
def test_assignment_forms(line: str, name: str, value: str, is_object: bool) -> None:
    variables = loaded(f"[c]\n{line}\n").categories[0].variables
    assert [(v.name, v.value, v.object) for v in variables] == [(name, value, is_object)]


def test_raw_value_keeps_leading_escape() -> None:
    line = config.parse("[c]\na = \\;x ; c\n")["c"].assignments()[0]
    assert line.value == ";x"
    assert line.raw_value == "\\;x"
    assert line.after_operator == " "


def test_raw_name_keeps_leading_escape() -> None:
    line = config.parse("[c]\n\\;x = 1\n")["c"].assignments()[0]
    assert line.name == ";x"
    assert (line.indent, line.raw_name) == ("", "\\;x")
    assert _pieces(line) == line.raw


def _pieces(line: Assignment) -> str:
    return (
        line.indent + line.raw_name + line.before_operator + line.raw_operator
        + line.after_operator + line.raw_value + line.comment_space + line.comment
        + line.newline
    )


_ODD_ASSIGNMENTS = [
    ("[c]\n\x0ba = 1\x0c ; x\r\n", "\x0b", "a", "1", "\x0c ; x"),
    ("[c]\n\x0c\ra\x0b=>\x0bv\x0b", "\x0c\r", "a", "v", "\x0b"),
    ("\ufeff  a=1", "\ufeff  ", "a", "1", ""),  # no category: not loaded
    ("[c]\na ;-- x --; = 1\n", "", "a", "1", ""),
    ("[c]\na = 1 ;-- x --; tail ; c\r\n", "", "a", "1  tail", " ; c"),
    ("[c]\n;-- old\nstuff --;  k = v ;c", "stuff --;  ", "k", "v", " ;c"),
    ("[c]\n\\;x\\; = \\;y\\; ;c", "", ";x;", ";y;", " ;c"),
    ("[c]\n\\\\;-- c --;x = 1\n", "", ";-- c --;x", "1", ""),
    ("[c]\na =;-- x --;> 1\n", "", "a", "1", ""),
]


@pytest.mark.parametrize(("source", "indent", "name", "value", "tail"), _ODD_ASSIGNMENTS)
def test_assignment_pieces_on_odd_lines(
    source: str, indent: str, name: str, value: str, tail: str
) -> None:
    line = line_of(source)
    assert isinstance(line, Assignment)
    assert _pieces(line) == line.raw
    assert line.indent == indent
    assert (line.name, line.value) == (name, value)
    assert line.comment_space + line.comment == tail
    cfg = config.parse(source).config()
    if not cfg.categories:
        return
    assert cfg.categories[-1].variables[-1].name == name
    assert cfg.categories[-1].variables[-1].value == value


def test_spliced_operator_pieces() -> None:
    line = line_of("[c]\na =;-- x --;> 1\n")
    assert isinstance(line, Assignment)
    assert (line.operator, line.raw_operator, line.object) == ("=>", "=;-- x --;>", True)
    line = line_of("[c]\na +;-- x --;= 1\n")
    assert isinstance(line, Assignment)
    assert (line.operator, line.raw_operator) == ("+=", "+;-- x --;=")


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(PIECE_ATOMS), max_size=30).map("".join))
def test_pieces_concatenate_and_blanks_are_blanks(source: str) -> None:
    blanks = {chr(c) for c in range(0x21)}
    for node in config.parse("[c]\n" + source).lines():
        assert node.raw == node.text + node.newline
        assert set(node.comment_space) <= blanks
        assert node.text.endswith(node.comment_space + node.comment)
        if isinstance(node, Assignment):
            assert _pieces(node) == node.raw


@FAST
@given(TEXT)
def test_every_piece_is_a_slice_of_the_line(text: str) -> None:
    for node in config.parse(text).lines():
        assert node.raw.startswith(node.text)
        assert node.text.startswith(node.indent)
        assert node.text.endswith(node.comment)
        if isinstance(node, config.Assignment):
            start, end = node.value_span()
            assert node.text[start:end] == node.raw_value
            head = node.indent + node.raw_name + node.before_operator + node.raw_operator
            assert node.text.startswith(head + node.after_operator + node.raw_value) or (
                node.raw_value == "" and node.text.startswith(head)
            )

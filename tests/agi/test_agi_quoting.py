"""Argument quoting matches Asterisk's parse_args; unsafe input is refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pyst.agi import AGIArgumentError, build_line, quote_argument, split_arguments
from pyst.agi._quoting import MAX_LINE_BYTES

_safe_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00"),
    max_size=40,
)


@given(arguments=st.lists(_safe_text, max_size=10))
def test_round_trip_through_asterisk_splitter(arguments: list[str]) -> None:
    line = build_line("SET VARIABLE", arguments)
    assert split_arguments(line) == ["SET", "VARIABLE", *arguments]


@pytest.mark.parametrize(
    ("line", "words"),
    [
        (
            'SET VARIABLE QUOTEVAR "say \\"hi\\" there"',
            ["SET", "VARIABLE", "QUOTEVAR", 'say "hi" there'],
        ),
        ('STREAM FILE hello-world ""', ["STREAM", "FILE", "hello-world", ""]),
        ("GET  VARIABLE   PRESET_VAR", ["GET", "VARIABLE", "PRESET_VAR"]),
        ('a"b c"d', ["ab cd"]),
        ("x\\ y", ["x y"]),
        ("tab\tsep", ["tab", "sep"]),
        ("", []),
    ],
)
def test_splitter_follows_parse_args(line: str, words: list[str]) -> None:
    assert split_arguments(line) == words


@pytest.mark.parametrize("bad", ["a\nb", "a\rb", "a\x00b", "\n"])
def test_cr_lf_nul_are_refused(bad: str) -> None:
    with pytest.raises(AGIArgumentError):
        quote_argument(bad)
    with pytest.raises(AGIArgumentError):
        build_line("VERBOSE", [bad])
    with pytest.raises(ValueError):  # AGIArgumentError is also a ValueError
        build_line(f"NOOP{bad}", [])


def test_too_long_and_too_many() -> None:
    with pytest.raises(AGIArgumentError, match="longer"):
        build_line("VERBOSE", ["x" * MAX_LINE_BYTES])
    with pytest.raises(AGIArgumentError, match="at most"):
        build_line("NOOP", ["x"] * 200)


def test_plain_words_stay_bare_and_others_are_quoted() -> None:
    assert quote_argument("hello-world") == "hello-world"
    assert quote_argument("") == '""'
    assert quote_argument("a b") == '"a b"'
    assert quote_argument("back\\slash") == '"back\\\\slash"'

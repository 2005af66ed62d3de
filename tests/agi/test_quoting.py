"""Argument quoting matches Asterisk's parse_args (checked against a port of it); CR, LF,
NUL, unencodable text, too many words and over-long lines are refused.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyst.agi import (
    AGIArgumentError,
    build_line,
    quote_argument,
    split_arguments,
)
from pyst.agi import _commands as C
from pyst.agi._quoting import MAX_LINE_BYTES
from pyst.agi.testing import FakeAsterisk

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


def _c_parse_args(line: str) -> list[str]:
    """A line-by-line port of res_agi.c parse_args() (MAX_ARGS 128)."""
    max_args = 128
    argv_starts: list[int] = []
    buf: list[str] = []
    quoted = escaped = False
    whitespace = True
    for ch in line:
        normal = False
        if ch == '"':
            if escaped:
                normal = True
            else:
                quoted = not quoted
                if quoted and whitespace:
                    argv_starts.append(len(buf))
                    whitespace = False
                escaped = False
        elif ch in " \t":
            if not quoted and not escaped:
                whitespace = True
                buf.append("\0")
            else:
                normal = True
        elif ch == "\\":
            if escaped:
                normal = True
            else:
                escaped = True
        else:
            normal = True
        if normal:
            if whitespace:
                if len(argv_starts) >= max_args - 1:
                    continue
                argv_starts.append(len(buf))
                whitespace = False
            buf.append(ch)
            escaped = False
    buf.append("\0")
    text = "".join(buf)
    return [text[start : text.index("\0", start)] for start in argv_starts]


_TEXT = st.text(alphabet=st.sampled_from(list(' \t"\\abc,;|=()$\x0b\x0c\xa0\u2028é')), max_size=20)


def test_c_port_sanity_against_capture_lines() -> None:
    assert _c_parse_args('SET VARIABLE QUOTEVAR "say \\"hi\\" there"') == [
        "SET",
        "VARIABLE",
        "QUOTEVAR",
        'say "hi" there',
    ]
    assert _c_parse_args("GET  VARIABLE   PRESET_VAR") == ["GET", "VARIABLE", "PRESET_VAR"]
    assert _c_parse_args('SET VARIABLE EMPTYVAL ""') == ["SET", "VARIABLE", "EMPTYVAL", ""]


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=6))
def test_quoted_arguments_split_back_exactly_as_asterisk(arguments: list[str]) -> None:
    line = build_line("SET VARIABLE", arguments)
    assert _c_parse_args(line) == ["SET", "VARIABLE", *arguments]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(' \t"\\ab')), max_size=30))
def test_split_arguments_matches_parse_args(line: str) -> None:
    assert split_arguments(line) == _c_parse_args(line)


@pytest.mark.parametrize("bad", ["a\rb", "a\nb", "a\x00b", "\r", "\n"])
def test_cr_lf_nul_refused(bad: str) -> None:
    with pytest.raises(AGIArgumentError):
        quote_argument(bad)
    with pytest.raises(AGIArgumentError):
        build_line("VERBOSE", [bad])


def test_line_limit_is_fgets_buffer() -> None:
    # fgets(buf, 8192) reads 8191 bytes: 8190 + "\n" is the longest line that fits.
    build_line("NOOP", ["x" * (8190 - 5)])
    with pytest.raises(AGIArgumentError):
        build_line("NOOP", ["x" * (8190 - 4)])


def test_127_words_allowed_128_refused() -> None:
    assert len(_c_parse_args(build_line("NOOP", ["a"] * 126))) == 127
    with pytest.raises(AGIArgumentError):
        build_line("NOOP", ["a"] * 127)


def test_unencodable_argument_is_argument_error() -> None:
    agi = FakeAsterisk().connect()
    with pytest.raises(AGIArgumentError):
        agi.set_variable("X", "\ud800")


def test_argument_error_names_position_not_value() -> None:
    with pytest.raises(AGIArgumentError) as info:
        C.verbose("abc\rsecret")
    assert "secret" not in str(info.value) and "offset 3" in str(info.value)
    with pytest.raises(AGIArgumentError, match=r"U\+D800"):
        C.verbose("x\ud800")


def test_surrogateescaped_bytes_still_allowed() -> None:
    assert C.verbose("caf\udce9").line == "VERBOSE caf\udce9 1"

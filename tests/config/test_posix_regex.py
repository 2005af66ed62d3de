"""(+filter) regexes mean what glibc's regcomp(REG_EXTENDED) makes of them."""

from __future__ import annotations

import ctypes
import ctypes.util
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyst.config._semantics.posix_regex import PosixRegexError, compile_posix

_REG_EXTENDED = 1
_REG_NOSUB = 8


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    return libc if hasattr(libc, "regcomp") else None


LIBC = _libc()


def glibc_search(pattern: str, text: str) -> bool | None:
    """What glibc says: True/False for a match, None when regcomp rejects the pattern."""
    assert LIBC is not None
    buffer = ctypes.create_string_buffer(1024)  # larger than any regex_t
    if LIBC.regcomp(buffer, pattern.encode(), _REG_EXTENDED | _REG_NOSUB):
        return None
    try:
        return LIBC.regexec(buffer, text.encode(), 0, None, 0) == 0
    finally:
        LIBC.regfree(buffer)


def ours(pattern: str, text: str) -> bool | None:
    try:
        compiled = compile_posix(pattern)
    except (PosixRegexError, re.error):
        return None
    return compiled.search(text)


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("end.*", "endpoint", True),
        ("a**", "b", True),
        ("\\d", "d", True),
        ("\\d", "1", False),
        ("[:alpha:]", "p", True),
        ("[[:alpha:]]+[[:digit:]]", "endpoint2", True),
        ("[[:digit:]]", "x", False),
        ("a{", "a", None),
        ("a{99999999999}", "a", None),
        ("a{2,3}", "aa", True),
        ("(ab", "ab", None),
        ("[]x]", "]", True),
        ("[a-c]", "b", True),
        ("^udp$", "udp", True),
        ("x|", "y", True),
        ("a{\\,}", "a", True),
        ("\\<*", "a", None),
        ("a*a*a*a*a*a*a*a*a*a*b", "a" * 60, False),  # linear time, no backtracking
    ],
)
def test_known_patterns(pattern: str, text: str, expected: bool | None) -> None:
    assert ours(pattern, text) is expected
    if LIBC is not None:
        assert glibc_search(pattern, text) is expected


_PATTERN = st.text(st.sampled_from([*"ab.[]^$*+?{}()|\\-:,0123dw &~=<>`'"]), max_size=10)
_TEXT = st.text(st.sampled_from([*"ab-1 d:"]), max_size=8)


@pytest.mark.skipif(LIBC is None, reason="no C library with regcomp")
@settings(max_examples=400, deadline=None)
@given(_PATTERN, _TEXT)
def test_agrees_with_glibc(pattern: str, text: str) -> None:
    expected = glibc_search(pattern, text)
    if expected is None:
        # glibc refuses it; we may only refuse it too (or, for oddities, still agree
        # that the filter cannot match).
        assert ours(pattern, text) in (None, False)
    else:
        assert ours(pattern, text) is expected

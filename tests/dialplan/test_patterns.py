"""Pattern semantics of ast_extension_match and the sort order of dialplan show."""

from __future__ import annotations

from functools import cmp_to_key

import pytest

from pyst.dialplan import extension_match
from pyst.dialplan._patterns import ext_cmp, ext_strncpy, shrink_phone_number


@pytest.mark.parametrize(
    ("pattern", "number", "expected"),
    [
        ("_X", "5", True), ("_X", "a", False), ("_Z", "0", False), ("_Z", "1", True),
        ("_N", "1", False), ("_N", "2", True), ("_nxx", "234", True),
        ("_[1-3]X", "25", True), ("_[1-3]X", "45", False), ("_[a-c\\,]X", "b1", True),
        ("_X.", "1", False), ("_X.", "12", True), ("_X!", "1", True), ("_!", "", True),
        ("_555-XXXX", "5551234", True), ("555-1234", "5551234", True),
        ("100", "100", True), ("100", "1000", False), ("s", "S", False),
        ("_X", "55", False), ("_[]X", "5", True), ("_1[", "1x", False),
    ],
)
def test_extension_match(pattern: str, number: str, expected: bool) -> None:
    assert extension_match(pattern, number) is expected


def _sorted(names: list[str]) -> list[str]:
    return sorted(names, key=cmp_to_key(ext_cmp))


def test_plain_names_before_patterns_and_specific_first() -> None:
    assert _sorted(["_X.", "_.", "s", "100", "_NXX", "_1XX", "_[1-3]XX", "_X!"]) == [
        "100", "s", "_1XX", "_[1-3]XX", "_NXX", "_X.", "_X!", "_.",
    ]


def test_letters_of_patterns_compare_case_insensitively() -> None:
    assert ext_cmp("_nxx", "_NXX") == 0
    assert ext_cmp("555-1234", "5551234") == 0
    assert ext_cmp("_[123]X", "_[1-3]X") == 0


def test_bytes_above_ascii_sort_first_among_plain_names() -> None:
    assert _sorted(["abc", "\u00fcber"]) == ["\u00fcber", "abc"]


def test_name_normalisation() -> None:
    assert ext_strncpy("foo bar") == "foobar"
    assert ext_strncpy("_[1 2] X") == "_[1 2]X"
    assert ext_strncpy("555-12", nofluff=True) == "55512"
    assert shrink_phone_number("(555) 123-4567") == "5551234567"
    assert shrink_phone_number("_[2-9]X.") == "_[2-9]X."

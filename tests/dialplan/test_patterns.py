"""Pattern semantics of ast_extension_match and the sort order of dialplan show."""

from __future__ import annotations

from functools import cmp_to_key

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyst import config
from pyst.dialplan import build, extension_match
from pyst.dialplan._patterns import ext_cmp, ext_fluff_count, ext_strncpy, shrink_phone_number


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


_NAMES = st.lists(
    st.one_of(
        st.text(alphabet="0123456789*#-sabc", min_size=1, max_size=5),
        st.text(alphabet="0123456789XZNxzn.!-", min_size=1, max_size=5).map(lambda t: "_" + t),
        st.tuples(st.sampled_from(["1-3", "a-c", "25", "0-9", "-"]),
                  st.text(alphabet="0123456789X.", max_size=3)).map(
            lambda t: f"_[{t[0]}]{t[1]}"),
    ),
    min_size=1, max_size=25,
)


def _linear_order(names: list[str]) -> list[str]:
    """pbx.c's insertion: scan the sorted list, stop at the first entry not before."""
    order: list[str] = []
    for name in names:
        for index, existing in enumerate(order):
            res = ext_cmp(existing, name)
            if res == 0:
                break
            if res > 0:
                order.insert(index, name)
                break
        else:
            order.append(name)
    return order


@settings(max_examples=300, deadline=None)
@given(_NAMES)
def test_show_order_equals_pbx_c_insertion(names: list[str]) -> None:
    text = "[c]\n" + "".join(f"exten => {name},1,NoOp\n" for name in names)
    plan = build(config.parse(text, path="/nonexistent/extensions.conf").config(), users=False)
    shown = [extension.exten for extension in plan["c"].extensions]
    expected = [ext_strncpy(name, len(name) - ext_fluff_count(name), nofluff=True)
                if ext_fluff_count(name) else name for name in _linear_order(names)]
    assert shown == expected

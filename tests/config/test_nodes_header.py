"""Line anatomy of category headers (``[name](options) trailer``).

Covers the header's named pieces on odd headers, names kept exactly and cut to 79 bytes, the
option group that counts (only the first, only right after ``]``), and names that are not
valid UTF-8.
"""

from __future__ import annotations

import contextlib

import pytest

from pyst import config
from pyst.config import ConfigError, Header
from tests.config.helpers import line_of, loaded


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("[ spaced name ]", " spaced name "),
        ("[]", ""),
        ("[a[b]", "a[b"),
        ("[a=b]", "a=b"),
        ("[a\\;b]", "a;b"),
        ("[trailing]junk", "trailing"),
        ("[x]]", "x"),
        ("[c](t) trailing junk", "c"),
    ],
)
def test_header_names_are_kept_exactly(header: str, name: str) -> None:
    source = f"[t]\n{header}\n"
    assert [c.name for c in loaded(source)] == ["t", name]


def test_header_properties_on_odd_headers() -> None:
    cases = {
        "\x0b\x0c[a;-- x --;b](t\\;u,!,+f=1) junk ;c\r\n": ("ab", ["t;u"], True, "f=1", " junk"),
        "[a[b]]": ("a[b", [], False, None, "]"),
        "[a=b] (!)": ("a=b", [], False, None, " (!)"),
        "[](,)": ("", ["", ""], False, None, ""),
    }
    for source, (name, parents, template, addition, trailer) in cases.items():
        header = line_of(source, 0)
        assert isinstance(header, Header)
        assert (header.name, header.parents, header.template) == (name, parents, template)
        assert (header.addition_filter, header.trailer) == (addition, trailer)


def test_long_category_names_are_cut_to_79_bytes() -> None:
    assert [c.name for c in loaded("[" + "n" * 100 + "]\n")] == ["n" * 79]


def test_header_name_is_cut_to_79_bytes_not_characters() -> None:
    name = "\u00e9" * 45  # 90 bytes of UTF-8
    for source in ("[" + name + "]\nx=1\n", ("[" + name + "]\nx=1\n").encode()):
        doc = config.parse(source)
        header = doc.sections[0].header
        cut = header.name.encode("utf-8", "surrogateescape")
        assert cut == name.encode()[:79]
        assert header.raw_name == name
        assert doc.config().categories[0].name == header.name


def test_config_with_lone_surrogate_header_name() -> None:
    doc = config.parse("[" + "\ud800" * 30 + "]\n")
    with contextlib.suppress(ConfigError):
        doc.config()


def test_options_need_the_paren_right_after_the_bracket() -> None:
    result = loaded("[x] (!)\n")
    assert [(c.name, c.template) for c in result] == [("x", False)]


def test_only_the_first_option_group_counts() -> None:
    result = loaded("[t1]\n[c6](!)(t1)\n")
    assert [(c.name, c.template, c.inherits) for c in result] == [
        ("t1", False, []),
        ("c6", True, []),
    ]

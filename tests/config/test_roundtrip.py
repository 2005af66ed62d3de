"""Byte-exact round trip: ``parse(x).dumps() == x`` for any text or
bytes, and loading never crashes.

Covers arbitrary text and bytes, generated configurations, lone surrogates and bytes that are
not UTF-8 (hypothesis; the long fuzz run is marked slow).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyst import config
from tests.config.helpers import FAST, LONG, TEXT, config_texts


@FAST
@given(TEXT)
def test_any_text_round_trips_and_loads(text: str) -> None:
    document = config.parse(text)
    assert document.dumps() == text
    result = document.config()
    assert isinstance(result.loaded, bool)


@FAST
@given(st.binary(max_size=400))
def test_any_bytes_round_trip_and_load(data: bytes) -> None:
    document = config.parse(data)
    assert document.dumps() == data
    document.config()


_ROUND_TRIP_ATOMS = [
    "[", "]", "(", ")", "!", "+", ",", "=", ">", ";", "-", "--", ";--", "--;", "\\", "\\;",
    "#", "include", " ", "\t", "\r", "\n", "\r\n", "\0", "\ufeff", "a", "x", "\u00e9",
    "\udcff", "&", "\x0b",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_ROUND_TRIP_ATOMS), max_size=40).map("".join))
def test_round_trip_and_view_never_crash(source: str) -> None:
    doc = config.parse(source)
    assert doc.dumps() == source
    data = source.encode("utf-8", "surrogateescape")
    assert config.parse(data).dumps() == data
    doc.config(confdir="/nonexistent-pyst-confdir")


@FAST
@given(config_texts())
def test_generated_configs_round_trip_and_load(text: str) -> None:
    document = config.parse(text)
    assert document.dumps() == text
    assert document.dumps().encode() == config.parse(text.encode()).dumps()
    document.config()


def test_parse_str_with_lone_surrogate_on_long_line() -> None:
    source = "[c]\na=" + "\ud800" * 2001 + "\n"
    assert config.parse(source).dumps() == source


def test_parse_returns_same_type_and_keeps_non_utf8_bytes() -> None:
    data = b"[s]\r\nx=caf\xe9 ; c\r\n"
    doc = config.parse(data)
    assert doc.dumps() == data
    assert doc["s"]["x"] == "caf\udce9"
    assert config.parse(data.decode("latin-1")).dumps() == data.decode("latin-1")


@pytest.mark.slow
@LONG
@given(st.one_of(TEXT, config_texts()))
def test_long_fuzz(text: str) -> None:
    document = config.parse(text)
    assert document.dumps() == text
    document.config()

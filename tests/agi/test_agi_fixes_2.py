"""Regression tests around the fixes of the second adversarial round."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyst.agi import AGI, AGIError, AGIProtocolError, TracebackOptions
from pyst.agi._debug import format_report
from pyst.agi._reply import ReplyParser
from pyst.agi._secrets import secret_values
from pyst.agi.testing import FakeAsterisk

ENV = b"agi_network: yes\nagi_network_script: test\nagi_request: agi://127.0.0.1/test\n\n"


class _Wire:
    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = list(chunks)

    def send(self, data: bytes) -> None:
        pass

    def receive(self) -> bytes:
        return self.chunks.pop(0) if self.chunks else b""

    def close(self) -> None:
        pass


def _agi(*replies: bytes) -> AGI:
    return AGI(_Wire([ENV, *replies]), transcript=False)


def test_crlf_peer_multiline_value_keeps_inner_crlf_only() -> None:
    agi = _agi(b"200 result=1 (a\r\nb)\r\n200 result=1 (x)\r\n")
    assert agi.get_variable("V") == "a\r\nb"
    assert agi.get_variable("W") == "x"


def test_value_with_cr_before_closing_paren() -> None:
    agi = _agi(b"200 result=1 (ab\r)\n200 result=1 (a\nb\r)\n")
    assert agi.get_variable("V") == "ab\r"
    assert agi.get_variable("W") == "a\nb\r"


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 30))
def test_multiline_value_with_crlf_any_chunking(size: int) -> None:
    data = b"HANGUP\r\n200 result=1 (l1\r\nl2\n\r\nl3)\n200 result=0\r\n"
    parser = ReplyParser()
    replies = []
    for start in range(0, len(data), size):
        parser.feed(data[start : start + size])
        while (reply := parser.next_reply()) is not None:
            replies.append(reply)
    assert [r.data for r in replies] == ["l1\r\nl2\n\r\nl3", None]
    assert replies[0].hangup


def test_stray_rest_of_value_is_not_echoed() -> None:
    agi = _agi(b"200 result=1 (f(x)\ng(hunter2))\n", b"200 result=0\n")
    assert agi.get_variable("V") == "f(x"  # the documented limit
    with pytest.raises(AGIProtocolError) as info:
        agi.noop()
    assert "hunter2" not in str(info.value)


def test_garbage_without_value_before_is_still_shown() -> None:
    agi = _agi(b"200 result=0\n", b"garbage\n")
    agi.noop()
    with pytest.raises(AGIProtocolError, match="garbage"):
        agi.noop()


def test_fake_deltree_key_tree_and_like_semantics() -> None:
    fake = FakeAsterisk()
    agi = fake.connect()
    agi.database_put("ab", "x/1", "1")
    agi.database_put("ab", "xy/1", "2")
    agi.database_put("AB", "x", "3")
    agi.database_put("a_", "k", "4")
    assert agi.database_deltree("ab", "x") is True
    assert agi.database_get("ab", "xy/1") == "2"
    # SQLite's LIKE ignores the case of ASCII letters: /AB/x/ is under '/ab/x/%'.
    assert agi.database_get("AB", "x") is None
    assert agi.database_deltree("a_") is True  # and '_' matches any one character
    assert fake.database == {}


def test_fake_get_full_variable_own_channel() -> None:
    fake = FakeAsterisk(variables={"X": "1"})
    agi = fake.connect()
    assert agi.get_full_variable("${X}", fake.environment["channel"]) == "1"


def test_fake_control_stream_file_digit_still_has_endpos() -> None:
    agi = FakeAsterisk(dtmf="#").connect()
    result = agi.control_stream_file("beep", "#")
    assert result.digit == "#" and result.endpos == 1000


def test_secret_values_of_command_lines() -> None:
    assert "hunter2" in secret_values("SET VARIABLE db_password hunter2\n")
    assert "hunter2" in secret_values("DATABASE PUT fam my_token hunter2")
    assert "hunter2" in secret_values("EXEC MSet A=1,API_KEY=hunter2")
    assert secret_values("SET VARIABLE COLOUR red") == []


def _report(call: object) -> str:
    with pytest.raises(AGIError) as info:
        call()  # type: ignore[operator]
    return "\n".join(format_report(info.value, TracebackOptions(show_locals=True)))


def test_database_put_keyword_secret_hidden() -> None:
    agi = FakeAsterisk().connect()
    secret = "hunter" + "55\n"
    report = _report(lambda: agi.database_put(family="app", key="api_token", value=secret))
    assert "hunter55" not in report


def test_long_secret_in_exec_set_hidden() -> None:
    agi = FakeAsterisk().connect()
    secret = "Zq" + "w" * 400 + "\n"
    report = _report(lambda: agi.exec("Set", "MY_SECRET=" + secret))
    assert "Zqwwww" not in report


def test_harmless_locals_still_shown_and_cut() -> None:
    agi = FakeAsterisk().connect()
    value = "v" * 500 + "\n"
    report = _report(lambda: agi.set_variable("COLOUR", value))
    assert "vvvv" in report
    assert "v" * 300 not in report

"""The sans-IO reply parser: every reply form, multi-line values and usage blocks, CR/LF
peers, inline HANGUP lines, end of input, junk lines, any chunking.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyst.agi import (
    AGIConnectionClosed,
    AGIError,
    AGIProtocolError,
    AGIUsageError,
    Reply,
    ReplyParser,
    parse_line,
)
from pyst.agi._reply import MAX_USAGE_LINES, LineBuffer
from pyst.agi.testing import FakeAsterisk

from .helpers import canned_agi, canned_session, parse_replies


def _all(data: bytes, eof: bool = False) -> list[Reply]:
    parser = ReplyParser()
    parser.feed(data)
    if eof:
        parser.feed_eof()
    replies = []
    while (reply := parser.next_reply()) is not None:
        replies.append(reply)
    return replies


@pytest.mark.parametrize(
    ("line", "result", "data", "fields", "text"),
    [
        ("200 result=0", "0", None, {}, ""),
        ("200 result=-1", "-1", None, {}, ""),
        ("200 result=1 (preset value)", "1", "preset value", {}, ""),
        ("200 result=1 ()", "1", "", {}, ""),
        ('200 result=1 (say "hi" there)', "1", 'say "hi" there', {}, ""),
        ("200 result=1 (a) b=c)", "1", "a) b=c", {}, ""),
        ("200 result= (timeout)", "", "timeout", {}, ""),
        ("200 result=0 endpos=8227", "0", None, {"endpos": "8227"}, ""),
        ("200 result=0 (timeout) endpos=16116", "0", "timeout", {"endpos": "16116"}, ""),
        ("200 result=51 (dtmf) endpos=0", "51", "dtmf", {"endpos": "0"}, ""),
        ("200 result=-1 (writefile)", "-1", "writefile", {}, ""),
        ("200 result=0 Gosub complete", "0", None, {}, "Gosub complete"),
        ("200 result=-1 Gosub label not found", "-1", None, {}, "Gosub label not found"),
        (
            "200 result=1 (digit) digit=5 endpos=10",
            "1",
            "digit",
            {"digit": "5", "endpos": "10"},
            "",
        ),
    ],
)
def test_200_lines(
    line: str, result: str, data: str | None, fields: dict[str, str], text: str
) -> None:
    reply = parse_line(line)
    assert (reply.code, reply.result, reply.data, dict(reply.fields), reply.text) == (
        200,
        result,
        data,
        fields,
        text,
    )


def test_error_codes_keep_their_message() -> None:
    assert parse_line("510 Invalid or unknown command").text == "Invalid or unknown command"
    dead = parse_line("511 Command Not Permitted on a dead channel or intercept routine")
    assert (dead.code, dead.result) == (511, None)
    memory = parse_line("503 result=-2 Memory allocation failure")
    assert (memory.code, memory.result, memory.text) == (503, "-2", "Memory allocation failure")


@pytest.mark.parametrize("line", ["", "HANGUP", "20", "abc result=0", "2000 x", "٢٠٠ result=1"])
def test_non_reply_lines_are_protocol_errors(line: str) -> None:
    with pytest.raises(AGIProtocolError):
        parse_line(line)


def test_single_line_520() -> None:
    (reply,) = _all(b"520 Invalid command syntax.  Proper usage not available.\n")
    assert reply.code == 520
    assert reply.usage is None
    assert reply.text == "Invalid command syntax.  Proper usage not available."


def test_multi_line_520_keeps_usage_including_blank_lines() -> None:
    data = (
        b"520-Invalid command syntax.  Proper usage follows:\n"
        b"Usage: DATABASE GET <family> <key>\n\n200 result=1 looks like a reply\n"
        b"520 End of proper usage.\n200 result=0\n"
    )
    usage_reply, next_reply = _all(data)
    assert usage_reply.code == 520
    assert (
        usage_reply.usage == "Usage: DATABASE GET <family> <key>\n\n200 result=1 looks like a reply"
    )
    assert next_reply.line == "200 result=0"


def test_gosub_provisional_line_is_attached_to_the_final_reply() -> None:
    (reply,) = _all(b"100 result=0 Trying...\n200 result=0 Gosub complete\n")
    assert reply.provisional == ("100 result=0 Trying...",)
    assert reply.text == "Gosub complete"


def test_hangup_line_before_and_after_a_reply() -> None:
    parser = ReplyParser()
    parser.feed(b"HANGUP\n200 result=-1\nHANGUP\n")
    first = parser.next_reply()
    assert first is not None and first.hangup and first.result == "-1"
    assert parser.next_reply() is None
    assert parser.hangups == 2
    parser.feed(b"200 result=0\n")
    second = parser.next_reply()
    assert second is not None and second.hangup  # the HANGUP line came before it
    parser.feed(b"200 result=0\n")
    third = parser.next_reply()
    assert third is not None and not third.hangup


def test_drain_hangups_stops_at_the_next_reply() -> None:
    parser = ReplyParser()
    parser.feed(b"HANGUP\r\nHANGUP\n200 result=0\n")
    assert parser.drain_hangups() == 2
    assert parser.next_reply() == parse_line("200 result=0")


def test_crlf_and_stray_cr() -> None:
    replies = _all(b"200 result=1 (x)\r\n\r\n200 result=0\n")
    assert [reply.line for reply in replies] == ["200 result=1 (x)", "200 result=0"]
    assert replies[0].data == "x"


def test_eof_mid_line_and_after_lines() -> None:
    parser = ReplyParser()
    parser.feed(b"200 result=0\n200 res")
    parser.feed_eof()
    assert parser.next_reply() == parse_line("200 result=0")
    with pytest.raises(AGIConnectionClosed, match="middle of a line"):
        parser.next_reply()
    with pytest.raises(AGIConnectionClosed):
        parser.next_reply()


def test_junk_line_is_reported_and_parsing_continues() -> None:
    parser = ReplyParser()
    parser.feed(b"garbage\n200 result=7\n")
    with pytest.raises(AGIProtocolError):
        parser.next_reply()
    assert parser.next_reply() == parse_line("200 result=7")


def test_endless_line_and_usage_block_are_bounded() -> None:
    buffer = LineBuffer(max_line_length=100)
    with pytest.raises(AGIProtocolError):
        buffer.feed(b"x" * 101)
    parser = ReplyParser()
    parser.feed(b"520-Invalid\n" + b"usage\n" * (MAX_USAGE_LINES + 1))
    with pytest.raises(AGIProtocolError):
        parser.next_reply()


def test_non_utf8_bytes_survive() -> None:
    (reply,) = _all(b"200 result=1 (caf\xe9)\n")
    assert reply.data is not None
    assert reply.data.encode("utf-8", "surrogateescape") == b"caf\xe9"


# ----------------------------------------------------------------- property-based tests

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"),
    max_size=30,
)


@st.composite
def _final(draw: st.DrawFn) -> tuple[bytes, Reply]:
    kind = draw(
        st.sampled_from(["200", "200data", "200fields", "510", "511", "520", "520-", "gosub"])
    )
    number = draw(st.integers(-2, 300))
    if kind == "200":
        lines = [f"200 result={number}"]
    elif kind == "200data":
        lines = [f"200 result={number} ({draw(_text)})"]
    elif kind == "200fields":
        lines = [f"200 result={number} (timeout) endpos={draw(st.integers(0, 10**6))}"]
    elif kind == "510":
        lines = ["510 Invalid or unknown command"]
    elif kind == "511":
        lines = ["511 Command Not Permitted on a dead channel or intercept routine"]
    elif kind == "520":
        lines = ["520 Invalid command syntax.  Proper usage not available."]
    elif kind == "520-":
        usage = draw(st.lists(_text.filter(lambda s: not s.startswith("520 ")), max_size=4))
        lines = [
            "520-Invalid command syntax.  Proper usage follows:",
            *usage,
            "520 End of proper usage.",
        ]
    else:
        lines = ["100 result=0 Trying...", "200 result=0 Gosub complete"]
    hangup_before = draw(st.booleans())
    if hangup_before:
        lines.insert(0, "HANGUP")
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    wire = "".join(line + ending for line in lines).encode("utf-8", "surrogateescape")
    expected = ReplyParser()
    expected.feed(wire)
    reply = expected.next_reply()
    assert reply is not None
    return wire, reply


@settings(max_examples=200, deadline=None)
@given(items=st.lists(_final(), max_size=20), cuts=st.lists(st.integers(0, 5000), max_size=30))
def test_any_reply_sequence_any_chunking(items: list[tuple[bytes, Reply]], cuts: list[int]) -> None:
    data = b"".join(wire for wire, _ in items)
    parser = ReplyParser()
    replies: list[Reply] = []
    start = 0
    for cut in [*sorted(c % (len(data) + 1) for c in cuts), len(data)]:
        parser.feed(data[start:cut])
        start = max(start, cut)
        while (reply := parser.next_reply()) is not None:
            replies.append(reply)
    assert replies == [reply for _, reply in items]
    assert [r.hangup for r in replies] == [r.hangup for _, r in items]
    parser.feed_eof()
    with pytest.raises(AGIConnectionClosed):
        parser.next_reply()


def _drain(parser: ReplyParser, limit: int) -> None:
    for _ in range(limit):
        try:
            if parser.next_reply() is None:
                return
        except AGIConnectionClosed:
            return
        except AGIProtocolError:
            continue
    raise AssertionError("parser did not settle")  # pragma: no cover


@settings(max_examples=300, deadline=None)
@given(chunks=st.lists(st.binary(max_size=64), max_size=20))
def test_arbitrary_bytes_never_hang_or_escape_the_hierarchy(chunks: list[bytes]) -> None:
    parser = ReplyParser()
    limit = sum(len(chunk) for chunk in chunks) + 5
    try:
        for chunk in chunks:
            parser.feed(chunk)
            _drain(parser, limit)
        parser.feed_eof()
        _drain(parser, limit)
    except AGIError:
        pass


@pytest.mark.slow
@settings(max_examples=5_000, deadline=None)
@given(chunks=st.lists(st.binary(max_size=256), max_size=50))
def test_arbitrary_bytes_long_run(chunks: list[bytes]) -> None:
    test_arbitrary_bytes_never_hang_or_escape_the_hierarchy.hypothesis.inner_test(chunks)  # type: ignore[attr-defined]


def test_value_with_newlines_stays_one_reply() -> None:
    # GET VARIABLE of a value containing newlines: Asterisk sends them raw.
    wire = b"200 result=1 (first\n\n(second\nthird)\n200 result=0\n"
    for cut in range(len(wire) + 1):
        parser = ReplyParser()
        parser.feed(wire[:cut])
        replies = []
        while (reply := parser.next_reply()) is not None:
            replies.append(reply)
        parser.feed(wire[cut:])
        while (reply := parser.next_reply()) is not None:
            replies.append(reply)
        assert [r.data for r in replies] == ["first\n\n(second\nthird", None]


def test_value_with_newline_through_the_session() -> None:

    fake = FakeAsterisk(variables={"NOTE": "line one\nline two (2)"})
    agi = fake.connect()
    assert agi.get_variable("NOTE") == "line one\nline two (2)"
    assert agi.get_variable("NOTE") == "line one\nline two (2)"  # still in step


def _feed_long_line(n: int) -> float:
    parser = ReplyParser()
    start = time.perf_counter()
    parser.feed(b"200 result=1 (")
    for _ in range(n):
        parser.feed(b"x")
    parser.feed(b")\n")
    reply = parser.next_reply()
    elapsed = time.perf_counter() - start
    assert reply is not None and reply.data is not None and len(reply.data) == n
    return elapsed


def test_usage_block_then_next_reply_keeps_place() -> None:
    data = (
        b"520-Invalid command syntax.  Proper usage follows:\n"
        b"Line one\n\nHANGUP\n200 result=1 (not a reply)\n"
        b"520 End of proper usage.\n"
        b"200 result=1 (next)\n"
    )
    agi, _ = canned_session(data)
    with pytest.raises(AGIUsageError) as info:
        agi.database_get("onlyfamily", "x")
    assert "200 result=1 (not a reply)" in info.value.usage
    assert agi.get_variable("X") == "next"


def test_get_variable_multiline_value() -> None:
    agi, _ = canned_session(b"200 result=1 (a\nb)\n", b"200 result=1 (x) y)\n200 result=0\n")
    assert agi.get_variable("V") == "a\nb"
    assert agi.get_variable("W") == "x) y"
    assert agi.get_variable("Z") is None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                b"200 result=0\n",
                b"200 result=1 (v)\n",
                b"HANGUP\n",
                b"100 result=0 Trying...\n",
                b"520-Invalid\n",
                b"520 End of proper usage.\n",
                b"510 Invalid or unknown command\n",
                b"511 Command Not Permitted\n",
                b"garbage\n",
                b"\r\n",
                b"200 result=1 (open\n",
                b")\n",
                b"\xff\xfe\n",
                b"200 result=\n",
                b"200\n",
            ]
        ),
        max_size=30,
    ),
    st.integers(min_value=1, max_value=9),
)
def test_parser_never_raises_outside_hierarchy(lines: list[bytes], chunk: int) -> None:
    parse_replies(b"".join(lines), chunk)


def test_long_line_in_small_chunks_is_linear() -> None:
    small = _feed_long_line(100_000)
    large = _feed_long_line(400_000)
    assert large / small < 8  # linear: ~4; quadratic: ~16


def test_multiline_value_keeps_crlf() -> None:
    agi = canned_agi(b"200 result=1 (line1\r\nline2)\n")
    assert agi.get_variable("V") == "line1\r\nline2"


def test_crlf_peer_multiline_value_keeps_inner_crlf_only() -> None:
    agi = canned_agi(b"200 result=1 (a\r\nb)\r\n200 result=1 (x)\r\n")
    assert agi.get_variable("V") == "a\r\nb"
    assert agi.get_variable("W") == "x"


def test_value_with_cr_before_closing_paren() -> None:
    agi = canned_agi(b"200 result=1 (ab\r)\n200 result=1 (a\nb\r)\n")
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
    agi = canned_agi(b"200 result=1 (f(x)\ng(hunter2))\n", b"200 result=0\n")
    assert agi.get_variable("V") == "f(x"  # the documented limit
    with pytest.raises(AGIProtocolError) as info:
        agi.noop()
    assert "hunter2" not in str(info.value)


def test_garbage_without_value_before_is_still_shown() -> None:
    agi = canned_agi(b"200 result=0\n", b"garbage\n")
    agi.noop()
    with pytest.raises(AGIProtocolError, match="garbage"):
        agi.noop()


def test_value_with_parenthesis_inside_a_line_and_a_newline_after_it() -> None:
    # "200 result=1 (%s)": a value reply is complete only on a line ending in ")".
    # "a)b\nc" used to come back as "a" and leave "c)" to break the next command.
    agi = canned_agi(b"200 result=1 (a)b\nc)\n200 result=0\n")
    assert agi.get_variable("V") == "a)b\nc"
    agi.verbose("next command reads its own reply")


def test_value_reply_flag_does_not_change_other_replies() -> None:
    agi = canned_agi(b"200 result=0 (timeout) endpos=80\n200 result=1 (a)b)\n")
    assert agi.record_file("f").reason == "timeout"
    assert agi.database_get("fam", "key") == "a)b"


def test_raw_value_command_reads_the_whole_value() -> None:
    agi = canned_agi(b"200 result=1 (a)b\nc)\n200 result=0\n")
    assert agi.execute("get  variable V").data == "a)b\nc"
    agi.verbose("gets its own reply")

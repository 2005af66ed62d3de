"""The sans-IO reply parser: every reply form, hang-ups, EOF, junk, fuzzing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyst.agi import (
    AGIConnectionClosed,
    AGIError,
    AGIProtocolError,
    Reply,
    ReplyParser,
    parse_line,
)
from pyst.agi._reply import MAX_USAGE_LINES, LineBuffer


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
    from pyst.agi.testing import FakeAsterisk

    fake = FakeAsterisk(variables={"NOTE": "line one\nline two (2)"})
    agi = fake.connect()
    assert agi.get_variable("NOTE") == "line one\nline two (2)"
    assert agi.get_variable("NOTE") == "line one\nline two (2)"  # still in step

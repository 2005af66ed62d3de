"""Hypothesis: decoding does not depend on chunking; encoding round-trips; bad bytes are safe;
the bulk header splits (per message and per read) agree with the line-by-line split."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyst.manager import (
    Decoder,
    Event,
    Greeting,
    HeaderInjectionError,
    Message,
    ProtocolError,
    encode_action,
)
from pyst.manager._messages import Headers, Region, split_clean_headers, split_header_lines

from .conftest import CAPTURES, decode_all, server_bytes, shape

STREAM = b"".join(server_bytes(name) for name in CAPTURES)
LEGACY = (
    b"Response: Follows\r\nPrivilege: Command\r\nActionID: 9\r\n"
    b"Name: not a header\n\nline ending \xc3\xa9\n--END COMMAND--\r\n\r\n"
)


def decode(chunks: list[bytes]) -> list[Greeting | Message]:
    decoder = Decoder()
    out: list[Greeting | Message] = []
    for chunk in chunks:
        out.extend(decoder.feed(chunk))
    out.extend(decoder.feed_eof())
    return out


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    return [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]


WHOLE = decode([STREAM])
WHOLE_LEGACY = decode([STREAM + LEGACY + STREAM])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0), max_size=400))
def test_any_split_of_all_captures_gives_the_same_messages(cuts: list[int]) -> None:
    assert decode(split(STREAM, cuts)) == WHOLE


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0), max_size=200))
def test_any_split_with_a_legacy_command_answer_in_the_middle(cuts: list[int]) -> None:
    data = STREAM + LEGACY + STREAM
    assert decode(split(data, cuts)) == WHOLE_LEGACY


names = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,15}", fullmatch=True)
values = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00"),
    max_size=30,
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(st.tuples(names, values), min_size=1, max_size=8), max_size=6),
    st.lists(st.integers(min_value=0), max_size=50),
)
def test_encoded_messages_decode_to_the_same_headers(
    messages: list[list[tuple[str, str]]], cuts: list[int]
) -> None:
    wire = b"".join(encode_action([("Event", "Test"), *pairs]) for pairs in messages)
    decoded = decode(split(wire, cuts))
    # the first line of the stream is a header, so no greeting is reported
    assert [m.headers.items() for m in decoded if isinstance(m, Message)] == [
        [("Event", "Test"), *pairs] for pairs in messages
    ]
    assert all(isinstance(m, Event) and m.name == "Test" for m in decoded)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.lists(st.integers(min_value=0), max_size=20))
def test_arbitrary_bytes_never_crash_or_hang(data: bytes, cuts: list[int]) -> None:
    decoder = Decoder(max_message_size=200)
    try:
        for chunk in split(data, cuts):
            decoder.feed(chunk)
        decoder.feed_eof()
    except ProtocolError:
        pass


@given(names, values, st.sampled_from(["\r", "\n", "\x00", "\r\n"]), st.integers(0, 5))
def test_encoder_refuses_line_breaks_and_nul(name: str, value: str, bad: str, where: int) -> None:
    poisoned = value[:where] + bad + value[where:]
    try:
        encode_action([("Action", "Ping"), (name, poisoned)])
    except HeaderInjectionError as exc:
        assert poisoned not in str(exc) or not poisoned.strip()
    else:
        raise AssertionError("an injected line break was accepted")
    try:
        encode_action([("Action", "Ping"), (name + bad, "x")])
    except HeaderInjectionError:
        pass
    else:
        raise AssertionError("a line break in a header name was accepted")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet=":  ab\r\n\t-é", max_size=12), min_size=1, max_size=8))
def test_bulk_header_split_agrees_with_the_line_by_line_split(lines: list[str]) -> None:
    text = "\r\n".join(lines)
    fast = split_clean_headers(text)
    if fast is not None:
        names, values = fast
        assert (list(zip(names, values, strict=True)), []) == split_header_lines(text)


def test_utf8_characters_split_between_reads_are_not_mangled() -> None:
    data = "Event: Newchannel\r\nCallerIDName: Jörg Müller 日本 🎉\r\n\r\n".encode()
    for cut in range(1, len(data)):
        [event] = decode([data[:cut], data[cut:]])
        assert isinstance(event, Event)
        assert event["CallerIDName"] == "Jörg Müller 日本 🎉"
    [event] = decode([data[i : i + 1] for i in range(len(data))])
    assert isinstance(event, Event) and event.headers.items()[1][1] == "Jörg Müller 日本 🎉"


def test_a_large_answer_in_many_reads_and_the_size_limit() -> None:
    lines = b"".join(b"Line-000000-%06d: var=%s\r\n" % (i, b"v" * 40) for i in range(5000))
    big = b"Response: Success\r\nActionID: x\r\n" + lines + b"\r\nEvent: After\r\n\r\n"
    decoder = Decoder(greeting=False)
    out: list[Greeting | Message] = []
    for start in range(0, len(big), 1400):
        out.extend(decoder.feed(big[start : start + 1400]))
    assert len(out) == 2 and len(out[0].headers) == 5002 and decoder.buffered == 0
    limited = Decoder(greeting=False, max_message_size=10_000)
    try:
        for start in range(0, len(big), 1400):
            limited.feed(big[start : start + 1400])
    except ProtocolError as exc:
        assert "10000 bytes" in str(exc)
    else:
        raise AssertionError("the size limit was not enforced")


def test_a_stray_cr_at_the_end_of_a_value_is_kept() -> None:
    # Asterisk echoes an AGI command sent with CR before LF as "Command: ...\r\r\n"
    data = b"Event: AGIExecStart\r\nCommand: GET VARIABLE X\r\r\nCommandId: 7\r\n\r\n"
    for chunks in ([data], [data[i : i + 1] for i in range(len(data))]):
        [event] = decode(chunks)
        assert isinstance(event, Event)
        assert event["Command"] == "GET VARIABLE X\r"
        assert event.headers.items() == [
            ("Event", "AGIExecStart"), ("Command", "GET VARIABLE X\r"), ("CommandId", "7")
        ]  # fmt: skip


_ATOMS = [
    b"Event: X",
    b"Response: Success",
    b"Response: Follows",
    b"ActionID: 1",
    b"A: \xc3\xa9",
    b"Privilege: Command",
    b"No categories found",
    b"--END COMMAND--",
    b"Output: x",
    b"\r\n",
    b"\n",
    b"\r\n\r\n",
    b"\n\n",
    b": ",
    b"\xe2\x82\xac",
    b"Asterisk Call Manager/11.0.0",
    b"\r",
]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(st.sampled_from(_ATOMS), max_size=20),
    st.lists(st.integers(0, 300), max_size=5),
    st.booleans(),
)
def test_decoder_result_does_not_depend_on_chunking(
    parts: list[bytes], cuts: list[int], greeting: bool
) -> None:
    data = b"".join(parts)
    whole = shape(decode_all([data], greeting=greeting))
    bounds = [0, *sorted({c for c in cuts if c < len(data)}), len(data)]
    chunks = [data[a:b] for a, b in itertools.pairwise(bounds)]
    assert shape(decode_all(chunks, greeting=greeting)) == whole
    assert (
        shape(decode_all([data[i : i + 1] for i in range(len(data))], greeting=greeting)) == whole
    )


_LINE = st.text(alphabet=": ab\r\t-é\x01\x00", max_size=10)
_BLOCK = st.lists(_LINE, min_size=1, max_size=5).map(lambda lines: "\r\n".join(lines).encode())


@settings(max_examples=500, deadline=None)
@given(st.lists(_BLOCK.filter(lambda b: b and b"\r\n\r\n" not in b), min_size=1, max_size=6))
def test_bulk_region_split_agrees_with_splitting_each_message_alone(blocks: list[bytes]) -> None:
    region = Region(list(blocks))
    for number, block in enumerate(blocks):
        bulk = region.headers(number)
        if bulk is not None:
            alone = Headers.parse(block)
            assert (bulk.items(), bulk.bare_lines) == (alone.items(), alone.bare_lines)


_REGULAR_LINE = st.builds(
    "{}: {}".format,
    st.text(alphabet="AbcX-_9", min_size=1, max_size=8),
    st.text(alphabet="ab é:\t\r/", max_size=10),
).filter(lambda line: ": " not in line.split(": ", 1)[1] and not line.endswith("\r"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_REGULAR_LINE, min_size=1, max_size=5), min_size=1, max_size=6))
def test_plain_messages_take_the_bulk_split_and_agree(messages: list[list[str]]) -> None:
    blocks = ["\r\n".join(lines).encode() for lines in messages]
    region = Region(list(blocks))
    for number, block in enumerate(blocks):
        bulk = region.headers(number)
        assert bulk is not None
        alone = Headers.parse(block)
        assert (bulk.items(), bulk.bare_lines) == (alone.items(), alone.bare_lines)


def test_a_second_separator_and_a_line_without_one_are_not_bulk_split() -> None:
    # the counts balance (two lines, two ": "), but the lines do not split alike
    blocks = [b"Event: X\r\nA: b: c\r\nD", b"Event: Y\r\nE: f"]
    region = Region(list(blocks))
    assert region.headers(0) is None and region.headers(1) is None
    assert Headers.parse(blocks[0]).items() == [("Event", "X"), ("A", "b: c")]

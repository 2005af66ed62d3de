"""The AMI decoder (pyst.manager.Decoder): messages from recorded Asterisk bytes, repeated
and case-insensitive headers, the legacy ``Response: Follows`` format, odd line endings, hostile
input (only library errors), linear time on LF-only streams, and bytes that are not UTF-8
kept as surrogate escapes.
"""

from __future__ import annotations

import gc
import time

import pytest

from pyst.manager import Decoder, Event, ManagerError, Response

from .conftest import decode_all, server_bytes, shape


def test_originate_response_is_an_event_even_with_response_header() -> None:
    messages = decode_all([server_bytes("12c_originate_async_failure")])
    found = [m for m in messages if isinstance(m, Event) and m.name == "OriginateResponse"]
    assert found and found[0]["Response"] == "Failure"
    assert not any(isinstance(m, Response) and m.get("Event") for m in messages)


def test_repeated_and_case_insensitive_headers_in_order() -> None:
    data = (
        b"Event: Status\r\nchanvariable: A=1\r\nVariable: x=1\r\nCHANVARIABLE: B=2=3\r\n"
        b"Variable: y=2\r\nactionid: zz\r\n\r\n"
    )
    for chunking in (1, 3, len(data)):
        [event] = decode_all(
            [data[i : i + chunking] for i in range(0, len(data), chunking)], greeting=False
        )
        assert isinstance(event, Event)
        assert event.get_all("ChanVariable") == ["A=1", "B=2=3"]
        assert event.get_all("variable") == ["x=1", "y=2"]
        assert event.action_id == "zz"
        assert event.variables("ChanVariable") == {"A": "1", "B": "2=3"}


def test_legacy_follows_command_output_any_chunking() -> None:
    data = (
        b"Asterisk Call Manager/1.1\r\n"
        b"Response: Follows\r\nPrivilege: Command\r\nActionID: c1\r\n"
        b"Asterisk 1.8.0\r\n\r\nline: with colon\r\n--END COMMAND--\r\n\r\n"
        b"Event: X\r\n\r\n"
    )
    whole = shape(decode_all([data]))
    for size in (1, 2, 7):
        assert shape(decode_all([data[i : i + size] for i in range(0, len(data), size)])) == whole
    response = decode_all([data])[1]
    assert isinstance(response, Response) and response.action_id == "c1"
    assert response.output == ["Asterisk 1.8.0", "", "line: with colon"]


def test_decoder_lone_cr_line_is_chunking_independent() -> None:
    data = b"\n\n\r\r\n\r\n"
    whole = shape(decode_all([data], greeting=False))
    assert shape(decode_all([data[:2], data[2:]], greeting=False)) == whole


def test_bad_input_only_raises_library_errors() -> None:
    for junk in (b"\x00\xff\xfe:\r\n\r\n", b":::\n\n", b"\r" * 50, b"Response: Follows\r\n\r\n"):
        decoder = Decoder()
        try:
            decoder.feed(junk)
            decoder.feed_eof()
        except ManagerError:
            pass
    decoder = Decoder(max_message_size=64)
    with pytest.raises(ManagerError):
        for _ in range(100):
            decoder.feed(b"X" * 10)


def test_decoder_lf_only_stream_is_linear() -> None:
    count = 10_000
    crlf = b"".join(b"Event: E\r\nA: %d\r\n\r\n" % i for i in range(count))
    lf = crlf.replace(b"\r\n", b"\n")
    gc.disable()
    try:
        fast = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            assert len(Decoder(greeting=False).feed(crlf)) == count
            fast = min(fast, time.perf_counter() - start)
        start = time.perf_counter()
        assert len(Decoder(greeting=False).feed(lf)) == count
        slow = time.perf_counter() - start
    finally:
        gc.enable()
    assert slow < 20 * fast + 0.1


# -- bytes that are not UTF-8 ---------------------------------------------------------------

LATIN1_EVENT = b"Event: VarSet\r\nVariable: BODY\r\nValue: f\xe5tt \xff\r\n\r\n"


@pytest.mark.parametrize(
    "stream",
    [LATIN1_EVENT, LATIN1_EVENT.replace(b"\r\n", b"\n")],
    ids=["crlf-bulk-path", "lf-line-by-line-path"],
)
def test_bytes_that_are_not_utf8_are_kept_as_escapes_not_replaced(stream: bytes) -> None:
    for size in (1, 3, len(stream)):
        decoder = Decoder(greeting=False)
        messages = []
        for start in range(0, len(stream), size):
            messages += decoder.feed(stream[start : start + size])
        [event] = messages
        assert isinstance(event, Event)
        # looked up before the headers are split (a scan of the raw bytes) and after
        value = event["Value"]
        assert value == "f\udce5tt \udcff"
        assert event.headers["Value"] == value
        assert value.encode("utf-8", "surrogateescape") == b"f\xe5tt \xff"


def test_greeting_and_event_name_keep_bytes_that_are_not_utf8() -> None:
    [greeting, event] = Decoder().feed(b"Asterisk Call Manager/\xe9\r\nEvent: N\xe9\r\n\r\n")
    assert greeting.text == "Asterisk Call Manager/\udce9"  # type: ignore[union-attr]
    assert isinstance(event, Event) and event.name == "N\udce9"

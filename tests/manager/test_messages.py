"""Messages as mappings: ``dict(event)``, ``dict(event.headers)``, keys, iteration and
``as_dict()`` (repeated headers as lists), whether the headers were split yet or not."""

from __future__ import annotations

import pytest

from pyst.manager import Decoder, Event, Headers, Message, Response

STATUS = (
    b"Event: Status\r\nChannel: PJSIP/1\r\nChanVariable: A=1\r\nchanvariable: B=2\r\n"
    b"Uniqueid: 17.1\r\nCHANVARIABLE: C=3\r\n\r\n"
)


def decoded(data: bytes) -> Message:
    [message] = Decoder(greeting=False).feed(data)
    assert isinstance(message, Message)
    return message


@pytest.mark.parametrize("split_first", [False, True], ids=["raw", "split"])
def test_dict_of_an_event_gives_each_header_once_with_its_first_value(split_first: bool) -> None:
    event = decoded(STATUS)
    if split_first:
        assert event.headers  # the headers are split now
    expected = {"Event": "Status", "Channel": "PJSIP/1", "ChanVariable": "A=1", "Uniqueid": "17.1"}
    assert dict(event) == expected
    assert dict(event.headers) == expected
    assert list(event) == list(expected) == event.keys() == event.headers.keys()
    assert len(event) == len(event.headers) == 4
    assert event.headers.values() == list(expected.values())


def test_as_dict_keeps_every_value_and_repeated_headers_become_lists() -> None:
    event = decoded(STATUS)
    everything = event.as_dict()
    assert everything == {
        "Event": "Status",
        "Channel": "PJSIP/1",
        "ChanVariable": ["A=1", "B=2", "C=3"],
        "Uniqueid": "17.1",
    }
    everything["ChanVariable"].append("mutated")  # type: ignore[union-attr]
    assert event.get_all("chanvariable") == ["A=1", "B=2", "C=3"]  # a fresh dict each time
    plain = decoded(b"Event: Hangup\r\nCause: 16\r\n\r\n")
    assert plain.as_dict() == {"Event": "Hangup", "Cause": "16"} == dict(plain)


def test_items_still_lists_every_line_as_received() -> None:
    event = decoded(STATUS)
    assert [name for name, _ in event.headers.items()] == [
        "Event", "Channel", "ChanVariable", "chanvariable", "Uniqueid", "CHANVARIABLE",
    ]  # fmt: skip


def test_a_message_of_bare_lines_only_is_still_true_and_maps_nothing() -> None:
    message = Response(Headers([], ["No categories found"]))
    assert message and dict(message) == {} and message.as_dict() == {}
    assert isinstance(decoded(b"Event: X\r\n\r\n"), Event)


def test_as_dict_is_the_same_from_the_bulk_split_and_a_new_dict_each_call() -> None:
    stream = b"".join(
        b"Event: Newchannel\r\nChannel: PJSIP/%d\r\nUniqueid: 17.%d\r\nAccountCode: \r\n\r\n"
        % (n, n)
        for n in range(5)
    )
    for _ in range(2):  # the second pass finds the name sequence already learnt
        events = Decoder(greeting=False).feed(stream)
        for n, event in enumerate(events):
            first = event.as_dict()
            assert first == {
                "Event": "Newchannel",
                "Channel": f"PJSIP/{n}",
                "Uniqueid": f"17.{n}",
                "AccountCode": "",
            }
            second = event.as_dict()
            assert second == first and second is not first
            assert dict(event) == first and event.headers.as_dict() == first

"""Every recorded exchange decodes into the expected messages, whatever the chunking."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pyst.manager import Decoder, Event, Greeting, Message, Response

from .conftest import AMI, CAPTURES, SHARED, client_bytes, server_bytes, server_chunks


def decode(chunks: list[bytes]) -> list[Greeting | Message]:
    decoder = Decoder()
    out: list[Greeting | Message] = []
    for chunk in chunks:
        out.extend(decoder.feed(chunk))
    out.extend(decoder.feed_eof())
    assert decoder.buffered == 0, "bytes left over after the end of a capture"
    return out


Shape = list[tuple[str, list[tuple[str, str]], list[str]]]


def reference(data: bytes) -> Shape:
    """An independent, deliberately naive reading of a CRLF AMI stream (no legacy format):
    optional banner line, then messages separated by blank lines, split at the first ':'."""
    text = data.decode()
    out: Shape = []
    first, _, rest = text.partition("\r\n")
    if ":" not in first:
        out.append(("greeting", [("", first)], []))
        text = rest
    for block in re.split(r"\r?\n\r?\n", text):
        pairs, bare = [], []
        for line in re.split(r"\r?\n", block):  # a stray CR inside a line stays in it
            if not line:
                continue
            if ":" in line:
                name, value = line.split(":", 1)
                pairs.append((name, value[1:] if value.startswith(" ") else value))
            else:
                bare.append(line)
        if not pairs and not bare:
            continue
        names = {n.lower() for n, _ in pairs}
        kind = "event" if "event" in names else "response" if "response" in names else "other"
        out.append((kind, pairs, bare))
    return out


def as_tuples(messages: list[Greeting | Message]) -> Shape:
    out: Shape = []
    for m in messages:
        if isinstance(m, Greeting):
            out.append(("greeting", [("", m.text)], []))
        else:
            kind = {Event: "event", Response: "response"}.get(type(m), "other")
            out.append((kind, m.headers.items(), m.lines))
    return out


def test_the_recorded_exchanges_are_present() -> None:
    assert len(CAPTURES) == 52  # ami/INDEX.txt lists 52 exchanges


def test_capture_decodes_like_the_reference_in_any_chunking(capture: str) -> None:
    data = server_bytes(capture)
    recorded = decode(server_chunks(capture))
    assert as_tuples(recorded) == reference(data)
    assert decode([data]) == recorded
    assert decode([data[i : i + 1] for i in range(len(data))]) == recorded
    assert decode([data[i : i + 7] for i in range(0, len(data), 7)]) == recorded


def test_lookup_before_parsing_agrees_with_the_full_parse(capture: str) -> None:
    parsed = decode([server_bytes(capture)])
    unparsed = decode([server_bytes(capture)])
    for full, lazy in zip(parsed, unparsed, strict=True):
        if isinstance(full, Message) and isinstance(lazy, Message):
            for name in {n for n, _ in full.headers.items()}:
                assert lazy.get(name.upper()) == full.headers.get(name)
                assert lazy.get(name.lower()) == full.headers.get(name)
            assert lazy.get("No-Such-Header") is None
            assert lazy == full


@pytest.mark.skipif(not SHARED.exists(), reason="../shared captures not available")
def test_copied_captures_match_the_shared_originals(capture: str) -> None:
    assert server_bytes(capture) == (SHARED / "ami" / f"{capture}.s2c").read_bytes()
    assert client_bytes(capture) == (SHARED / "ami" / f"{capture}.c2s").read_bytes()


def messages_of(name: str) -> list[Greeting | Message]:
    return decode(server_chunks(name))


def test_greeting_is_typed() -> None:
    [greeting] = messages_of("01_greeting")
    assert greeting == Greeting("Asterisk Call Manager/11.0.0")
    assert isinstance(greeting, Greeting) and greeting.version == "11.0.0"


def test_originate_response_is_an_event_despite_its_response_header() -> None:
    events = [m for m in messages_of("12c_originate_async_failure") if isinstance(m, Event)]
    [originate] = [e for e in events if e.name == "OriginateResponse"]
    assert originate["Response"] == "Failure"
    assert originate.action_id == "orig-2"
    assert originate["Uniqueid"] == "<unknown>"
    responses = [m for m in messages_of("12c_originate_async_failure") if isinstance(m, Response)]
    assert [r.message for r in responses] == ["Originate successfully queued"]


def test_command_error_still_carries_its_output() -> None:
    [response] = messages_of("08b_command_unknown_cli")
    assert isinstance(response, Response)
    assert response.status == "Error" and not response.ok
    assert response.message == "Command output follows"
    assert response.output == [
        "No such command 'no such cli command' (type 'core show help no such' for other "
        "possible commands)"
    ]


def test_command_output_lines_are_kept_in_order_with_empty_lines() -> None:
    [response] = messages_of("08_command_dialplan_show")
    assert isinstance(response, Response)
    raw = server_bytes("08_command_dialplan_show").decode()
    expected = [line[len("Output: ") :] for line in raw.split("\r\n") if line.startswith("Output:")]
    assert response.output == expected
    assert "" in response.output and len(expected) > 100


def test_bare_line_in_getconfig_answer() -> None:
    first, second = messages_of("14f_getconfig_category_not_found")
    assert isinstance(first, Response) and first.ok
    assert first.lines == ["No categories found"]
    assert isinstance(second, Response) and second["JSON"] == "{}"


def test_actionid_as_last_header_and_repeated_variables() -> None:
    messages = messages_of("10c_status_one_channel_with_variables")
    status = next(m for m in messages if isinstance(m, Event) and m.name == "Status")
    assert status.headers.items()[-1] == ("ActionID", "st-2")
    assert status.get_all("Variable") == ["STATUSVAR=abc", "CHANNEL=Local/300@agi-test-00000000;1"]
    assert status.variables() == {"STATUSVAR": "abc", "CHANNEL": "Local/300@agi-test-00000000;1"}


def test_header_names_are_case_insensitive_and_empty_values_kept() -> None:
    [response] = messages_of("06_coresettings")
    assert isinstance(response, Response)
    assert response["systemname"] == "" and response.get("SYSTEMNAME") == ""
    assert "sYsTeMnAmE" in response


def test_list_complete_event_has_both_counts() -> None:
    messages = messages_of("10_status")
    complete = messages[-1]
    assert isinstance(complete, Event) and complete.name == "StatusComplete"
    assert complete["EventList"] == "Complete"
    assert complete["ListItems"] == complete["Items"]


def test_lf_only_stream_gives_the_same_messages() -> None:
    data = server_bytes("12_originate_async_local_with_events")
    lf_only = data.replace(b"\r\n", b"\n")
    assert as_tuples(decode([lf_only])) == as_tuples(decode([data]))
    mixed = data.replace(b"\r\n\r\n", b"\n\n", 3)
    assert as_tuples(decode([mixed[i : i + 5] for i in range(0, len(mixed), 5)])) == as_tuples(
        decode([data])
    )


def test_every_capture_file_is_listed_in_the_index() -> None:
    index = (AMI / "INDEX.txt").read_text().split("\n")
    names = {line.split("\t")[0] for line in index if line}
    assert names == set(CAPTURES)


SHARED_AGI_STREAMS = sorted((SHARED / "agi").glob("ami_*.s2c")) if SHARED.exists() else []


@pytest.mark.skipif(not SHARED_AGI_STREAMS, reason="../shared captures not available")
@pytest.mark.parametrize("path", SHARED_AGI_STREAMS, ids=lambda p: p.stem)
def test_ami_streams_recorded_during_agi_calls_decode_in_any_chunking(path: Path) -> None:
    data = path.read_bytes()
    whole = decode([data])
    assert as_tuples(whole) == reference(data)
    assert decode([data[i : i + 13] for i in range(0, len(data), 13)]) == whole
    assert decode([data[i : i + 4096] for i in range(0, len(data), 4096)]) == whole
    head = data[:30_000]
    one_by_one, at_once = Decoder(), Decoder()
    assert [m for i in range(len(head)) for m in one_by_one.feed(head[i : i + 1])] == (
        at_once.feed(head)
    )
    assert one_by_one.buffered == at_once.buffered

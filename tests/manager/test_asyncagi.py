"""Typed AsyncAGI events from the recorded AsyncAGI session (URL-decoded Env and Result)."""

from __future__ import annotations

from urllib.parse import quote

from pyst.manager import (
    AsyncAGIEnd,
    AsyncAGIExec,
    AsyncAGIStart,
    Decoder,
    Event,
    Headers,
    parse_asyncagi,
)

from .conftest import DATA, server_bytes


def typed() -> list[AsyncAGIStart | AsyncAGIExec | AsyncAGIEnd]:
    events = [m for m in Decoder().feed(server_bytes("ami_asyncagi", DATA / "agi"))
              if isinstance(m, Event)]  # fmt: skip
    return [t for t in map(parse_asyncagi, events) if t is not None]


def test_start_exec_end_sequence() -> None:
    kinds = [type(t).__name__ for t in typed()]
    assert kinds[0] == "AsyncAGIStart" and kinds[-1] == "AsyncAGIEnd"
    assert kinds.count("AsyncAGIExec") >= 3


def test_start_env_is_decoded() -> None:
    start = typed()[0]
    assert isinstance(start, AsyncAGIStart)
    assert start.env["agi_request"] == "async"
    assert start.env["agi_channel"] == "Local/600@agi-test-00000032;2"
    assert start.env["agi_arg_1"] == "asyncarg1"
    assert start.env["agi_accountcode"] == ""
    assert start.channel == start.env["agi_channel"]


def test_exec_results_are_decoded_and_matched_by_command_id() -> None:
    execs = [t for t in typed() if isinstance(t, AsyncAGIExec)]
    by_id = {e.command_id: e.result for e in execs}
    assert by_id["cmd0"] == "200 result=0"
    assert by_id["cmd1"] == "200 result=1 (preset value)"


def test_other_events_are_not_asyncagi() -> None:
    event = Event(Headers([("Event", "Hangup"), ("Channel", "X")]))
    assert parse_asyncagi(event) is None


def test_multi_line_result_round_trips() -> None:
    text = (
        "520-Invalid command syntax.  Proper usage follows:\nUsage: ...\n520 End of proper usage.\n"
    )
    event = Event(Headers([("Event", "AsyncAGIExec"), ("Channel", "C"),
                           ("CommandId", "7"), ("Result", quote(text))]))  # fmt: skip
    parsed = parse_asyncagi(event)
    assert isinstance(parsed, AsyncAGIExec) and parsed.result == text[:-1]

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


def test_asyncagi_server_runs_a_pyst_agi_handler_over_ami() -> None:
    import asyncio
    from urllib.parse import quote

    from pyst.manager import AsyncAGIServer, AsyncManagerClient, Message
    from pyst.manager.testing import FakeAMIServer, FakeSession, Reply

    channel = "Local/600@agi-test-00000032;2"
    env = f"agi_request: async\nagi_channel: {channel}\nagi_arg_1: hello\n\n"
    replies = {"ANSWER": "200 result=0\n", "GET VARIABLE X": "200 result=1 (forty two)\n"}

    def agi(action: Message, session: FakeSession) -> Reply:
        result = quote(replies[action.get("Command") or ""])
        command_id = action.get("CommandID") or ""
        session.send_event(
            [("Event", "AsyncAGIExec"), ("Channel", channel), ("CommandId", command_id),
             ("Result", result)]
        )  # fmt: skip
        return Reply({"Message": "Added AGI command to queue"})

    async def scenario() -> list[object]:
        seen: list[object] = []
        done = asyncio.Event()

        async def handler(session: object) -> None:
            seen.append(session.env.arguments)  # type: ignore[attr-defined]
            seen.append(await session.answer())  # type: ignore[attr-defined]
            seen.append(await session.get_variable("X"))  # type: ignore[attr-defined]
            done.set()

        with FakeAMIServer(username="u", secret="p") as server:
            server.on("AGI", agi)
            ami = AsyncManagerClient(*server.address, username="u", secret="p")
            async with ami, AsyncAGIServer(ami, handler) as agi_server:
                start = [("Event", "AsyncAGIStart"), ("Channel", channel), ("Env", quote(env))]
                server.push_event(start)
                await asyncio.wait_for(done.wait(), 10)
                assert agi_server.channels == [channel]
                server.push_event([("Event", "AsyncAGIEnd"), ("Channel", channel)])
                for _ in range(100):
                    if not agi_server.channels:
                        break
                    await asyncio.sleep(0.01)
                assert agi_server.channels == []
        return seen

    seen = asyncio.run(scenario())
    assert list(seen[0]) == ["hello"]  # type: ignore[call-overload]
    assert seen[2] == "forty two"

"""AsyncAGI over AMI: the typed AsyncAGI events of the recorded session (URL-decoded Env
and Result), and AsyncAGIServer running pyst.agi handlers against a fake Asterisk (routing,
break out on return, AGI errors for what the AMI transport reports)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any
from urllib.parse import quote

from pyst.agi import (
    AGIArgumentError,
    AGICommandFailure,
    AGIHangup,
    AsyncAGI,
    AsyncAGIEnded,
)
from pyst.manager import (
    AsyncAGIEnd,
    AsyncAGIExec,
    AsyncAGIServer,
    AsyncAGIStart,
    AsyncManagerClient,
    Decoder,
    Event,
    Headers,
    ManagerError,
    Message,
    parse_asyncagi,
)
from pyst.manager.testing import FakeAMIServer, FakeSession, Reply

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

    from pyst.manager import AsyncAGIServer, AsyncManagerClient
    from pyst.manager.testing import FakeAMIServer, Reply

    channel = "Local/600@agi-test-00000032;2"
    env = f"agi_request: async\nagi_channel: {channel}\nagi_arg_1: hello\n\n"
    replies = {
        "ANSWER": "200 result=0\n",
        "GET VARIABLE X": "200 result=1 (forty two)\n",
        "ASYNCAGI BREAK": "200 result=0\n",  # sent when the handler returns
    }

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


# ------------------------------------------- AsyncAGIServer against a fake Asterisk


CHANNEL = "Local/600@agi-test-00000032;2"


class _Channel:
    """Plays res_agi.c launch_asyncagi for one channel behind a FakeAMIServer: replies come
    as AsyncAGIExec; ASYNCAGI BREAK and a command failing without hang-up are followed by
    AsyncAGIEnd; after the end the AGI action fails ("Channel ... does not exist.")."""

    def __init__(self, replies: dict[str, str] | None = None) -> None:
        self.replies = {"ANSWER": "200 result=0\n", "NOOP": "200 result=0\n", **(replies or {})}
        self.commands: list[str] = []
        self.ended = False

    def __call__(self, action: Message, session: FakeSession) -> Reply:
        if self.ended:
            return Reply({"Message": f"Channel {CHANNEL} does not exist."}, status="Error")
        command = action.get("Command") or ""
        self.commands.append(command)
        result = self.replies.get(command, "200 result=1\n")
        session.send_event(
            [("Event", "AsyncAGIExec"), ("Channel", CHANNEL),
             ("CommandId", action.get("CommandID") or ""), ("Result", quote(result))]
        )  # fmt: skip
        if command == "ASYNCAGI BREAK" or "result=-1" in result:
            self.ended = True
            session.send_event([("Event", "AsyncAGIEnd"), ("Channel", CHANNEL)])
        return Reply({"Message": "Added AGI command to queue"})


def _serve(channel: _Channel, handler: Any, **options: Any) -> None:
    """Run ``handler`` for one AsyncAGIStart of ``channel`` until its task is done."""
    env = f"agi_request: async\nagi_channel: {CHANNEL}\n\n"

    started: list[bool] = []

    async def run(agi: AsyncAGI) -> None:
        started.append(True)
        await handler(agi)

    async def scenario() -> None:
        with FakeAMIServer(username="u", secret="p") as server:
            server.on("AGI", channel)
            ami = AsyncManagerClient(*server.address, username="u", secret="p")
            async with ami, AsyncAGIServer(ami, run, **options) as agi_server:
                server.push_event(
                    [("Event", "AsyncAGIStart"), ("Channel", CHANNEL), ("Env", quote(env))]
                )
                for _ in range(500):  # the handler's task starts...
                    await asyncio.sleep(0.01)
                    if started:
                        break
                for _ in range(500):  # ...and ends, after any ASYNCAGI BREAK was answered
                    await asyncio.sleep(0.01)
                    if not agi_server._tasks:
                        break
    asyncio.run(scenario())


def test_a_handler_that_returns_breaks_out_of_asyncagi() -> None:
    channel = _Channel()

    async def handler(agi: AsyncAGI) -> None:
        await agi.answer()

    _serve(channel, handler)
    assert channel.commands == ["ANSWER", "ASYNCAGI BREAK"]


def test_a_handler_that_raises_breaks_out_of_asyncagi_too() -> None:
    channel = _Channel()

    async def handler(agi: AsyncAGI) -> None:
        await agi.answer()
        raise ValueError("bad input")

    _serve(channel, handler)
    assert channel.commands == ["ANSWER", "ASYNCAGI BREAK"]


def test_break_on_return_false_leaves_the_channel_in_asyncagi() -> None:
    channel = _Channel()

    async def handler(agi: AsyncAGI) -> None:
        await agi.answer()

    _serve(channel, handler, break_on_return=False)
    assert channel.commands == ["ANSWER"]


def test_no_break_after_asterisk_ended_asyncagi() -> None:
    channel = _Channel({'STREAM FILE missing ""': "200 result=-1 endpos=0\n"})
    seen: list[BaseException] = []

    async def handler(agi: AsyncAGI) -> None:
        with contextlib.suppress(AGICommandFailure):
            await agi.stream_file("missing")
        try:
            await agi.answer()
        except AGIHangup as error:
            seen.append(error)

    _serve(channel, handler)
    assert channel.commands == ['STREAM FILE missing ""']
    assert len(seen) == 1 and isinstance(seen[0], AsyncAGIEnded)


def test_manager_errors_reach_the_handler_as_agi_errors() -> None:
    channel = _Channel()
    seen: list[object] = []

    async def handler(agi: AsyncAGI) -> None:
        channel.ended = True  # Asterisk answers: Channel ... does not exist.
        try:
            await agi.answer()
        except AGIHangup as error:
            seen.append(error)

    _serve(channel, handler)
    assert len(seen) == 1 and isinstance(seen[0], AsyncAGIEnded)
    assert "does not exist" in str(seen[0])
    assert not isinstance(seen[0], ManagerError)


def test_over_long_command_is_an_agi_argument_error_and_the_session_goes_on() -> None:
    channel = _Channel()
    seen: list[object] = []

    async def handler(agi: AsyncAGI) -> None:
        try:
            await agi.set_variable("X", "L" * 1100)
        except AGIArgumentError as error:
            seen.append(error)
        seen.append(await agi.noop())

    _serve(channel, handler)
    assert isinstance(seen[0], AGIArgumentError) and not isinstance(seen[0], ManagerError)
    assert seen[1] is None
    assert channel.commands == ["NOOP", "ASYNCAGI BREAK"]

"""Replaying the real Asterisk 22 captures (stdio and FastAGI) through pyst.agi."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyst.agi import (
    AGI,
    AGIDeadChannel,
    AGIError,
    AGIInvalidCommand,
    AGIUsageError,
    AsyncAGI,
    Reply,
    ReplyParser,
    parse_environment,
)
from pyst.agi._commands import execute
from pyst.agi._env import EnvironmentReader

from .captures import RUNS, SHARED, Capture, block, load


def test_all_twelve_runs_are_present() -> None:
    assert len(RUNS) == 12
    assert {run.split("_", 1)[0] for run in RUNS} == {"stdio", "fastagi"}


def _chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({cut % (len(data) + 1) for cut in cuts})
    pieces, start = [], 0
    for point in [*points, len(data)]:
        pieces.append(data[start:point])
        start = point
    return pieces


def _parse_stream(capture: Capture, cuts: list[int]) -> tuple[object, list[Reply], int]:
    parser = ReplyParser()
    env_reader = EnvironmentReader(parser.buffer)
    environment = None
    replies: list[Reply] = []
    for piece in _chunks(capture.from_ast, cuts):
        parser.feed(piece)
        if environment is None:
            environment = env_reader.next()
        if environment is not None:
            while (reply := parser.next_reply()) is not None:
                replies.append(reply)
    parser.drain_hangups()
    return environment, replies, parser.hangups


def _check_against_record(capture: Capture, replies: list[Reply], hangups: int) -> None:
    exchanges = capture.exchanges
    assert len(replies) == len(exchanges)
    for reply, item in zip(replies, exchanges, strict=True):
        assert block(reply) == item["response"], item["cmd"]
        before = item.get("lines_before_final_response", [])
        provisional = [line + "\n" for line in reply.provisional]
        assert provisional == [line for line in before if line != "HANGUP\n"]
    recorded_hangups = capture.unsolicited_hangups + sum(
        line == "HANGUP\n"
        for item in exchanges
        for line in item.get("lines_before_final_response", [])
    )
    assert hangups == recorded_hangups


@pytest.mark.parametrize("run", RUNS)
def test_parser_reproduces_every_recorded_reply(run: str) -> None:
    capture = load(run)
    environment, replies, hangups = _parse_stream(capture, [])
    assert environment == parse_environment(
        [f"{name}: {value}" for name, value in capture.record["env"]]
    )
    _check_against_record(capture, replies, hangups)


@pytest.mark.parametrize("run", RUNS)
@settings(max_examples=15, deadline=None)
@given(cuts=st.lists(st.integers(min_value=0, max_value=10**6), max_size=40))
def test_parser_result_does_not_depend_on_chunking(run: str, cuts: list[int]) -> None:
    capture = load(run)
    _, replies, hangups = _parse_stream(capture, cuts)
    _check_against_record(capture, replies, hangups)


def test_byte_at_a_time_basic() -> None:
    capture = load("fastagi_basic")
    _, replies, hangups = _parse_stream(capture, list(range(len(capture.from_ast))))
    _check_against_record(capture, replies, hangups)


class _Replay:
    """Plays back a capture's bytes from Asterisk, in chunks of 7 bytes."""

    def __init__(self, capture: Capture) -> None:
        self.data = capture.from_ast
        self.sent = bytearray()

    def send(self, data: bytes) -> None:
        self.sent.extend(data)

    def receive(self) -> bytes:
        chunk, self.data = self.data[:7], self.data[7:]
        return chunk

    def close(self) -> None:
        """Nothing to close."""


class _AsyncReplay(_Replay):
    async def send(self, data: bytes) -> None:  # type: ignore[override]
        _Replay.send(self, data)

    async def receive(self) -> bytes:  # type: ignore[override]
        return _Replay.receive(self)

    async def close(self) -> None:  # type: ignore[override]
        """Nothing to close."""


def _raw(line: str):  # type: ignore[no-untyped-def]
    # The captures also contain lines pyst refuses to send (CR inside); inject them
    # verbatim so the reply stream stays aligned with the recording.
    command = execute("NOOP")
    command.line = line
    return command


def _outcome(run_one, line: str) -> str:  # type: ignore[no-untyped-def]
    try:
        reply = run_one(_raw(line))
    except AGIUsageError as error:
        return f"520:{error.usage}"
    except AGIInvalidCommand:
        return "510 Invalid or unknown command\n"
    except AGIDeadChannel:
        return "511 Command Not Permitted on a dead channel or intercept routine\n"
    except AGIError as error:  # pragma: no cover - would be a test failure
        return f"unexpected {error!r}"
    return block(reply)


def _expected(item: dict[str, object]) -> str:
    response = str(item["response"])
    if response.startswith("520-"):
        return "520:" + "\n".join(response.split("\n")[1:-2])
    return response


@pytest.mark.parametrize("run", RUNS)
def test_sync_session_reproduces_recorded_results(run: str) -> None:
    capture = load(run)
    transport = _Replay(capture)
    agi = AGI(transport, transcript=False)
    assert agi.env.channel == dict(capture.record["env"])["agi_channel"]
    outcomes = [_outcome(agi._run, line) for line in capture.commands]
    assert outcomes == [_expected(item) for item in capture.exchanges]
    assert transport.sent == capture.to_ast


@pytest.mark.parametrize("run", RUNS)
def test_async_session_reproduces_recorded_results(run: str) -> None:
    capture = load(run)

    async def main() -> list[str]:
        transport = _AsyncReplay(capture)
        agi = AsyncAGI(transport, transcript=False)
        await agi.read_environment()
        results = []
        for line in capture.commands:
            try:
                reply = await agi._run(_raw(line))
                results.append(block(reply))
            except AGIUsageError as error:
                results.append(f"520:{error.usage}")
            except AGIInvalidCommand:
                results.append("510 Invalid or unknown command\n")
            except AGIDeadChannel:
                results.append("511 Command Not Permitted on a dead channel or intercept routine\n")
        return results

    assert asyncio.run(main()) == [_expected(item) for item in load(run).exchanges]


@pytest.mark.skipif(not SHARED.exists(), reason="reference corpus ../shared not present")
@pytest.mark.parametrize("run", RUNS)
def test_copies_match_shared_captures(run: str) -> None:
    assert load(run, SHARED).from_ast == load(run).from_ast


@pytest.mark.parametrize("run", RUNS)
def test_fake_asterisk_answers_like_the_real_one(run: str) -> None:
    """The fake gives the recorded status code (200/510/511/520) to every captured command."""
    from pyst.agi.testing import FakeAsterisk

    capture = load(run)
    remote = "remotehangup" in run
    fake = FakeAsterisk(
        hangup_signal="line" if run.startswith("fastagi") and "nosighup" not in run else "none",
        hangup_during="WAIT FOR DIGIT 10000" if remote else None,
    )
    agi = fake.connect()
    codes = []
    for line in capture.commands:
        try:
            codes.append(str(agi._run(_raw(line)).code))
        except (AGIUsageError, AGIInvalidCommand, AGIDeadChannel) as error:
            codes.append(str(getattr(error, "code", 511)))
    assert codes == [item["response"][:3] for item in capture.exchanges]

"""The AsyncAGI seam replayed against the recorded AMI AsyncAGI session."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from pyst.agi import (
    AGIConnectionClosed,
    AGIInvalidCommand,
    AGIUsageError,
    AsyncAGIBridge,
    PlaybackResult,
    decode_result,
)

DATA = Path(__file__).resolve().parent / "data"


def _events() -> list[dict[str, str]]:
    text = (DATA / "ami_asyncagi.s2c").read_bytes().decode()
    events = []
    for message in text.split("\r\n\r\n"):
        headers: dict[str, str] = {}
        for line in message.split("\r\n"):
            name, sep, value = line.partition(": ")
            if sep:
                headers.setdefault(name, value)
        if "Event" in headers:
            events.append(headers)
    return events


def test_decode_result() -> None:
    assert (
        decode_result("200%20result%3D1%20(preset%20value)%0A") == b"200 result=1 (preset value)\n"
    )


def test_bridge_runs_the_recorded_session() -> None:
    events = _events()
    start = next(event for event in events if event["Event"] == "AsyncAGIStart")
    sent: list[tuple[str, str, str]] = []

    async def send_action(channel: str, command: str, command_id: str) -> None:
        sent.append((channel, command, command_id))

    async def main() -> None:
        bridge = AsyncAGIBridge(start, send_action)
        assert bridge.environment.arguments == ("asyncarg1",)
        assert bridge.environment.request == "async"
        execs = [
            e
            for e in events
            if e["Event"] == "AsyncAGIExec" and e.get("CommandId", "").startswith("cmd")
        ]
        for event in execs:  # the recording used cmdN; the bridge numbers its own ids
            number = int(event["CommandId"][3:]) + 1
            bridge.feed_event({**event, "CommandId": f"{bridge._prefix}{number}"})
        bridge.feed_event({"Event": "AsyncAGIExec", "Channel": "other", "Result": "x"})
        agi = bridge.session(transcript=False)
        await agi.answer()
        assert await agi.get_variable("PRESET_VAR") == "preset value"
        assert await agi.get_variable("UNSET_XYZ") is None
        await agi.set_variable("ASYNCVAR", "async value")
        assert await agi.get_full_variable("${ASYNCVAR}") == "async value"
        assert await agi.stream_file("beep") == PlaybackResult(None, 2000)
        with pytest.raises(AGIInvalidCommand):
            await agi.execute("FOOBAR")
        with pytest.raises(AGIUsageError):
            await agi.execute("DATABASE GET onlyfamily")
        await agi.asyncagi_break()
        end = next(event for event in events if event["Event"] == "AsyncAGIEnd")
        bridge.feed_event(end)
        with pytest.raises(AGIConnectionClosed):
            await agi.noop()
        assert [command for _, command, _ in sent][:3] == [
            "ANSWER",
            "GET VARIABLE PRESET_VAR",
            "GET VARIABLE UNSET_XYZ",
        ]
        assert {channel for channel, _, _ in sent} == {start["Channel"]}

    asyncio.run(main())

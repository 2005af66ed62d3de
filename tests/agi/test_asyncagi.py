"""The AsyncAGI seam (AsyncAGIBridge): replayed against the recorded AMI AsyncAGI session,
decoding of Env and Result, cut environments and long or truncated replies, the session
after Asterisk ended AsyncAGI, the AMI line limit on commands, transport failures as AGI
errors.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyst.agi import (
    AGIArgumentError,
    AGICommandFailure,
    AGIConnectionClosed,
    AGIError,
    AGIHangup,
    AGIInvalidCommand,
    AGIProtocolError,
    AGITimeout,
    AGIUsageError,
    AsyncAGI,
    AsyncAGIBridge,
    AsyncAGIEnded,
    PlaybackResult,
    decode_result,
)
from pyst.agi._asyncagi import MAX_COMMAND_BYTES

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


# --------------------------------------------------------------------------- long replies


def _uri_encode(data: bytes, buflen: int = 2048) -> str:
    """main/utils.c ast_uri_encode with ast_uri_http (stops when the buffer is full)."""
    out: list[str] = []
    size = 0
    for byte in data:
        if byte == 0:
            break
        char = chr(byte)
        if size >= buflen - 1:
            break
        if char.isascii() and (char.isalnum() or char in "-_.!~*'()"):
            out.append(char)
            size += 1
        else:
            if size >= buflen - 3:
                break
            out.append(f"%{byte:02X}")
            size += 3
    return "".join(out)


class _AsyncAsterisk:
    """launch_asyncagi: each command's output goes into a pipe, then ONE read of at most
    1024 bytes is URL-encoded into 2048 bytes and published as AsyncAGIExec."""

    def __init__(self, replies: dict[str, bytes], environment: bytes = b"") -> None:
        self.replies = replies
        self.pipe = bytearray(environment)
        self.commands: list[str] = []
        self.bridge: AsyncAGIBridge | None = None

    def start_event(self) -> dict[str, str]:
        """AsyncAGIStart: the environment block went through the same single read."""
        chunk = bytes(self.pipe[:1024])
        del self.pipe[:1024]
        return {**_START, "Env": _uri_encode(chunk)}

    async def send_action(self, channel: str, command: str, command_id: str) -> None:
        assert self.bridge is not None
        self.commands.append(command)
        self.pipe += self.replies.get(command, b"200 result=0\n")
        chunk = bytes(self.pipe[:1024])
        del self.pipe[:1024]
        self.bridge.feed_event(
            {
                "Event": "AsyncAGIExec",
                "Channel": channel,
                "CommandId": command_id,
                "Result": _uri_encode(chunk),
            }
        )


_START = {
    "Event": "AsyncAGIStart",
    "Channel": "Local/600@agi-test-00000032;2",
    "Env": "agi_request%3A%20async%0Aagi_channel%3A%20Local%2F600%40agi-test-00000032%3B2%0A%0A",
}


def _run_async_asterisk(
    replies: dict[str, bytes],
    script: Callable[[AsyncAGI], Awaitable[object]],
    environment: bytes = b"",
) -> tuple[object, _AsyncAsterisk]:
    asterisk = _AsyncAsterisk(replies, environment)

    async def main() -> object:
        start = asterisk.start_event() if environment else _START
        bridge = AsyncAGIBridge(start, asterisk.send_action)
        asterisk.bridge = bridge
        return await asyncio.wait_for(script(bridge.session(transcript=False)), 5)

    return asyncio.run(main()), asterisk


@pytest.mark.parametrize("size", [1, 1009, 1010, 1011, 3000, 20_000])
def test_bridge_collects_replies_longer_than_one_read(size: int) -> None:
    value = ("abcdefghij" * (size // 10 + 1))[:size]
    replies = {"GET FULL VARIABLE ${BIG}": f"200 result=1 ({value})\n".encode()}

    async def script(agi: AsyncAGI) -> object:
        got = await agi.get_full_variable("${BIG}")
        await agi.set_variable("X", "1")
        return got, await agi.get_variable("Y")

    (got, after), asterisk = _run_async_asterisk(
        {**replies, "GET VARIABLE Y": b"200 result=1 (y)\n"}, script
    )
    assert got == value and after == "y"
    assert asterisk.pipe == b""
    reads = (len(replies["GET FULL VARIABLE ${BIG}"]) + 1023) // 1024
    assert asterisk.commands.count("NOOP") >= reads - 1


def test_bridge_reports_bytes_lost_by_the_encoding_buffer() -> None:
    # 900 bytes of spaces: 2700 URL-encoded bytes do not fit into 2048.
    replies = {"GET VARIABLE SPACES": b"200 result=1 (" + b" " * 900 + b")\n"}

    async def script(agi: AsyncAGI) -> object:
        with pytest.raises(AGIProtocolError):
            await agi.get_variable("SPACES")
        return None

    _, asterisk = _run_async_asterisk(replies, script)
    assert asterisk.pipe == b""


@pytest.mark.parametrize("argument_size", [10, 500, 1000, 1500, 5000])
def test_bridge_completes_an_environment_longer_than_one_read(argument_size: int) -> None:
    argument = ("0123456789" * (argument_size // 10 + 1))[:argument_size]
    environment = (
        "agi_request: async\nagi_channel: Local/600@agi-test-00000032;2\n"
        f"agi_arg_1: {argument}\nagi_arg_2: last\n\n"
    ).encode()

    async def script(agi: AsyncAGI) -> object:
        before = agi.env.arguments
        value = await agi.get_variable("V")
        return before, value, agi.env.arguments

    (before, value, arguments), asterisk = _run_async_asterisk(
        {"GET VARIABLE V": b"200 result=1 (v)\n"}, script, environment
    )
    assert value == "v"
    assert arguments == (argument, "last")
    # Until then only complete lines count: never a cut value.
    assert before in ((), (argument,), (argument, "last"))
    assert (before == arguments) == (len(environment) < 1024)
    assert asterisk.pipe == b""


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=4000), st.sampled_from("ab ,%(")),
        min_size=1,
        max_size=4,
    )
)
def test_bridge_long_replies_are_whole_or_refused(values: list[tuple[int, str]]) -> None:
    texts = [("x" + fill * size)[:size] for size, fill in values]
    replies = {
        f"GET FULL VARIABLE ${{V{i}}}": f"200 result=1 ({text})\n".encode()
        for i, text in enumerate(texts)
    }

    async def script(agi: AsyncAGI) -> object:
        got: list[object] = []
        for i in range(len(texts)):
            try:
                got.append(await agi.get_full_variable(f"${{V{i}}}"))
            except AGIProtocolError:
                got.append(AGIProtocolError)
                break
        return got

    got, asterisk = _run_async_asterisk(replies, script)
    assert isinstance(got, list)
    for text, value in zip(texts, got, strict=False):
        if value is AGIProtocolError:
            # Only when Asterisk's 2048-byte encoding buffer can have lost bytes: a
            # 1024-byte read needs about 511 characters that are sent as %XX.
            assert sum(char in " ,%(" for char in text) >= 500
        else:
            assert value == text
    assert asterisk.pipe == b""


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet="ab ,%(é\t", min_size=0, max_size=2500), max_size=3))
def test_bridge_mixed_text_replies_keep_their_place(texts: list[str]) -> None:
    replies = {
        f"GET FULL VARIABLE ${{V{i}}}": f"200 result=1 ({text})\n".encode()
        for i, text in enumerate(texts)
    }
    replies["GET VARIABLE LAST"] = b"200 result=1 (last)\n"

    async def script(agi: AsyncAGI) -> object:
        for i, text in enumerate(texts):
            try:
                assert await agi.get_full_variable(f"${{V{i}}}") == text
            except AGIProtocolError:
                return "refused"
        return await agi.get_variable("LAST")

    outcome, asterisk = _run_async_asterisk(replies, script)
    assert outcome in ("last", "refused")
    assert asterisk.pipe == b""


def test_asyncagi_env_and_result_from_capture() -> None:
    from pyst.agi import decode_environment, decode_result

    env = decode_environment(
        "agi_request%3A%20async%0Aagi_channel%3A%20Local%2F600%40agi-test-00000032%3B2%0A"
        "agi_callingpres%3A%2067%0Aagi_accountcode%3A%20%0Aagi_arg_1%3A%20asyncarg1%0A%0A"
    )
    assert env.channel == "Local/600@agi-test-00000032;2"
    assert env.callingpres == 67 and env.accountcode == "" and env.arguments == ("asyncarg1",)
    raw = decode_result("200%20result%3D1%20(preset%20value)%0A")
    assert raw == b"200 result=1 (preset value)\n"


def test_asyncagi_truncated_result_does_not_hang() -> None:
    from urllib.parse import quote

    from pyst.agi import AsyncAGIBridge

    channel = "Local/600@agi-test-00000032;2"
    start = {
        "Event": "AsyncAGIStart",
        "Channel": channel,
        "Env": quote("agi_request: async\nagi_channel: " + channel + "\n\n"),
    }
    # What Asterisk publishes for a 1500-byte value: the first 1024 bytes, no newline.
    truncated = ("200 result=1 (" + "x" * 1500 + ")\n").encode()[:1024]

    async def main() -> object:
        bridge: AsyncAGIBridge

        async def send_action(chan: str, line: str, command_id: str) -> None:
            bridge.feed_event(
                {
                    "Event": "AsyncAGIExec",
                    "Channel": chan,
                    "CommandId": command_id,
                    "Result": quote(truncated.decode(), safe=""),
                }
            )

        bridge = AsyncAGIBridge(start, send_action)
        agi = bridge.session()
        try:
            return await asyncio.wait_for(agi.get_variable("BIG"), 1.0)
        except AGIError as error:
            return error

    outcome = asyncio.run(main())
    assert outcome is not None


# ------------------------------------------------- the session after Asterisk ended AsyncAGI


class _AsyncAGIChannel:
    """A channel in ``AGI(agi:async)`` as res_agi.c launch_asyncagi runs it: each queued
    command's reply comes as ``AsyncAGIExec``; a command that fails without a hang-up
    (STREAM FILE of a missing file) is followed by ``AsyncAGIEnd``, and so is ASYNCAGI
    BREAK.  An ``AGI`` action after the end fails the way the AMI action does."""

    channel = "Local/600@agi-test-00000032;2"

    def __init__(self, replies: dict[str, str] | None = None) -> None:
        self.replies = {"ANSWER": "200 result=0\n", "NOOP": "200 result=0\n", **(replies or {})}
        self.sent: list[str] = []
        self.ended = False
        self.bridge = AsyncAGIBridge(
            {
                "Event": "AsyncAGIStart",
                "Channel": self.channel,
                "Env": "agi_request%3A%20async%0Aagi_channel%3A%20"
                "Local%2F600%40agi-test-00000032%3B2%0A%0A",
            },
            self.send_action,
        )

    def end(self) -> None:
        self.ended = True
        self.bridge.feed_event({"Event": "AsyncAGIEnd", "Channel": self.channel})

    async def send_action(self, channel: str, line: str, command_id: str) -> None:
        if self.ended:
            raise RuntimeError(f"AGI failed: Channel {channel} does not exist.")
        self.sent.append(line)
        reply = self.replies.get(line, "200 result=1\n")
        self.bridge.feed_event(
            {
                "Event": "AsyncAGIExec",
                "Channel": channel,
                "CommandId": command_id,
                "Result": _uri_encode(reply.encode()),
            }
        )
        if line == "ASYNCAGI BREAK" or "result=-1" in reply:
            self.end()


def test_after_asyncagi_end_nothing_is_sent_and_commands_raise_agihangup() -> None:
    asterisk = _AsyncAGIChannel({'STREAM FILE no-such-file ""': "200 result=-1 endpos=0\n"})

    async def main() -> list[BaseException]:
        agi = asterisk.bridge.session(transcript=False)
        await agi.answer()
        with pytest.raises(AGICommandFailure):
            await agi.stream_file("no-such-file")  # Asterisk then ends AsyncAGI
        errors = []
        for _ in range(3):
            with pytest.raises(AGIHangup) as info:
                await agi.answer()
            errors.append(info.value)
        assert agi.hung_up
        return errors

    errors = asyncio.run(main())
    assert asterisk.sent == ["ANSWER", 'STREAM FILE no-such-file ""']
    assert all(isinstance(error, AsyncAGIEnded) for error in errors)
    assert "AsyncAGIEnd" in str(errors[0])


def test_asyncagi_end_while_a_command_waits_raises_agihangup() -> None:
    asterisk = _AsyncAGIChannel()

    async def main() -> None:
        agi = asterisk.bridge.session(transcript=False)

        async def silent(channel: str, line: str, command_id: str) -> None:
            asterisk.sent.append(line)
            asyncio.get_running_loop().call_soon(asterisk.end)  # hung up before running

        asterisk.bridge._send_action = silent
        with pytest.raises(AsyncAGIEnded):
            await asyncio.wait_for(agi.wait_for_digit(1000), 5)
        with pytest.raises(AsyncAGIEnded):
            await agi.verbose("cleanup")
        assert agi.hung_up

    asyncio.run(main())
    assert asterisk.sent == ["WAIT FOR DIGIT 1000"]


def test_asyncagi_break_ends_the_session_like_asterisk() -> None:
    asterisk = _AsyncAGIChannel()

    async def main() -> None:
        agi = asterisk.bridge.session(transcript=False)
        await agi.asyncagi_break()
        with pytest.raises(AsyncAGIEnded):
            await agi.noop()

    asyncio.run(main())
    assert asterisk.sent == ["ASYNCAGI BREAK"]


# ------------------------------------------------------ what the AMI transport can carry


def test_over_long_command_is_refused_before_sending_and_the_session_goes_on() -> None:
    asterisk = _AsyncAGIChannel()

    async def main() -> None:
        agi = asterisk.bridge.session(transcript=False)
        with pytest.raises(AGIArgumentError, match="1013"):
            await agi.set_variable("X", "L" * 1100)
        await agi.noop()
        # "Command: " + line must fit manager.c's 1022-byte line: 1013 bytes fit.
        longest = "L" * (MAX_COMMAND_BYTES - len("SET VARIABLE X "))
        await agi.set_variable("X", longest)
        with pytest.raises(AGIArgumentError):
            await agi.set_variable("X", longest + "L")
        with pytest.raises(AGIArgumentError):  # bytes, not characters, count
            await agi.set_variable("X", "é" * 600)
        await agi.answer()

    asyncio.run(main())
    assert asterisk.sent[0] == "NOOP" and asterisk.sent[-1] == "ANSWER"
    assert len(asterisk.sent) == 3
    assert 1022 - len("Command: ") == MAX_COMMAND_BYTES


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (ConnectionResetError("AMI connection lost"), AGIConnectionClosed),
        (RuntimeError("Permission denied"), AGIError),
        (AGITimeout("no answer"), AGITimeout),
    ],
)
def test_transport_failures_surface_as_agi_errors(
    failure: BaseException, expected: type[AGIError]
) -> None:
    asterisk = _AsyncAGIChannel()

    async def failing(channel: str, line: str, command_id: str) -> None:
        raise failure

    asterisk.bridge._send_action = failing

    async def main() -> None:
        agi = asterisk.bridge.session(transcript=False)
        with pytest.raises(expected) as info:
            await agi.answer()
        assert isinstance(info.value, AGIError)
        with pytest.raises(AGIError):
            await agi.answer()

    asyncio.run(main())

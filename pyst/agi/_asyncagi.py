"""The AsyncAGI seam: run AGI commands over an AMI connection (``AGI(agi:async)``).

AsyncAGI carries the same protocol inside AMI messages: the environment arrives URL-encoded
in the ``Env:`` header of ``AsyncAGIStart``; each command is an ``Action: AGI`` with
``Channel``, ``Command`` and ``CommandID``; its reply arrives URL-encoded in the ``Result:``
header of an ``AsyncAGIExec`` event; ``AsyncAGIEnd`` ends the session.

:class:`AsyncAGIBridge` turns that into an :class:`AsyncTransport`, so a plain
:class:`AsyncAGI` (same parser, same commands) can drive the channel.  It does not import
any AMI client: the integrator passes a coroutine that sends the ``AGI`` action and feeds
the channel's ``AsyncAGIExec``/``AsyncAGIEnd`` events to :meth:`AsyncAGIBridge.feed_event`.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Mapping
from urllib.parse import unquote

from ._agi import AsyncAGI
from ._env import AGIEnvironment, parse_environment
from ._errors import AGIProtocolError

__all__ = ["AsyncAGIBridge", "SendAGIAction", "decode_environment", "decode_result"]

#: ``await send_action(channel, command_line, command_id)`` sends ``Action: AGI``.
SendAGIAction = Callable[[str, str, str], Awaitable[None]]


def decode_environment(env_header: str) -> AGIEnvironment:
    """Parse the URL-encoded ``Env:`` header of an ``AsyncAGIStart`` event."""
    text = unquote(env_header)
    lines = [line for line in text.split("\n") if line]
    return parse_environment(lines)


def decode_result(result_header: str) -> bytes:
    """The reply bytes inside the URL-encoded ``Result:`` header of ``AsyncAGIExec``."""
    return unquote(result_header, errors="surrogateescape").encode("utf-8", "surrogateescape")


class AsyncAGIBridge:
    """An :class:`AsyncTransport` that sends AGI commands as AMI ``AGI`` actions.

    Create it from the ``AsyncAGIStart`` event, route this channel's later events to
    :meth:`feed_event`, and use :meth:`session` to get an :class:`AsyncAGI`.
    """

    _ids = itertools.count(1)

    def __init__(self, start_event: Mapping[str, str], send_action: SendAGIAction) -> None:
        if "Env" not in start_event or "Channel" not in start_event:
            raise AGIProtocolError("AsyncAGIStart event without Env or Channel header")
        self.channel = start_event["Channel"]
        self.environment = decode_environment(start_event["Env"])
        self._send_action = send_action
        self._replies: asyncio.Queue[bytes] = asyncio.Queue()
        self._prefix = f"pyst-{next(self._ids)}-"
        self._counter = itertools.count(1)
        self.ended = False

    def session(self, **options: object) -> AsyncAGI:
        """An :class:`AsyncAGI` over this bridge (environment already known)."""
        return AsyncAGI(self, environment=self.environment, **options)  # type: ignore[arg-type]

    def feed_event(self, event: Mapping[str, str]) -> None:
        """Give the bridge an AMI event of its channel (others are ignored)."""
        if event.get("Channel") != self.channel:
            return
        kind = event.get("Event")
        if kind == "AsyncAGIExec" and event.get("CommandId", "").startswith(self._prefix):
            self._replies.put_nowait(decode_result(event.get("Result", "")))
        elif kind == "AsyncAGIEnd":
            self.ended = True
            self._replies.put_nowait(b"")

    async def send(self, data: bytes) -> None:
        """Send one command line as an ``AGI`` action."""
        line = data.decode("utf-8", "surrogateescape").rstrip("\n")
        await self._send_action(self.channel, line, f"{self._prefix}{next(self._counter)}")

    async def receive(self) -> bytes:
        """Wait for the next ``AsyncAGIExec`` result (``b""`` once ``AsyncAGIEnd`` came)."""
        if self.ended and self._replies.empty():
            return b""
        return await self._replies.get()

    async def close(self) -> None:
        """Nothing to release: the AMI connection belongs to the caller."""

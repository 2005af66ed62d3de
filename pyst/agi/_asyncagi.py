"""The AsyncAGI seam: run AGI commands over an AMI connection (``AGI(agi:async)``).

AsyncAGI carries the same protocol inside AMI messages: the environment arrives URL-encoded
in the ``Env:`` header of ``AsyncAGIStart``; each command is an ``Action: AGI`` with
``Channel``, ``Command`` and ``CommandID``; its reply arrives URL-encoded in the ``Result:``
header of an ``AsyncAGIExec`` event; ``AsyncAGIEnd`` ends the session.  Asterisk sends
it after ``ASYNCAGI BREAK``, when the channel hangs up, and when a command fails without a
hang-up (launch_asyncagi stops on its ``RESULT_FAILURE``); from then on nothing is sent and
commands raise :class:`AsyncAGIEnded` (an :class:`AGIHangup`).

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
from ._errors import AGIConnectionClosed, AGIError, AGIProtocolError, AGITimeout, AsyncAGIEnded
from ._secrets import redact_command

__all__ = [
    "MAX_COMMAND_BYTES",
    "AsyncAGIBridge",
    "SendAGIAction",
    "decode_environment",
    "decode_result",
]

#: ``await send_action(channel, command_line, command_id)`` sends ``Action: AGI``.
SendAGIAction = Callable[[str, str, str], Awaitable[None]]


def decode_environment(env_header: str) -> AGIEnvironment:
    """Parse the URL-encoded ``Env:`` header of an ``AsyncAGIStart`` event.

    An environment Asterisk cut (see :class:`AsyncAGIBridge`) loses its unfinished last
    line.
    """
    data = decode_result(env_header)
    return _parse_env_bytes(data, _env_cut(env_header, data))


def _env_cut(encoded: str, data: bytes) -> bool:
    """True if Asterisk's single read or its encoding buffer may have cut the block."""
    return len(data) >= AGI_BUF_SIZE or len(encoded) >= AMI_BUF_SIZE - 3


def _parse_env_bytes(data: bytes, cut: bool) -> AGIEnvironment:
    """Parse an environment block; the unfinished last line of a ``cut`` one is dropped."""
    lines = data.decode("utf-8", "surrogateescape").split("\n")
    if cut and not data.endswith(b"\n"):
        lines.pop()
    return parse_environment([line for line in lines if line])


def decode_result(result_header: str) -> bytes:
    """The reply bytes inside the URL-encoded ``Result:`` header of ``AsyncAGIExec``."""
    return unquote(result_header, errors="surrogateescape").encode("utf-8", "surrogateescape")


#: res_agi.c launch_asyncagi reads each command's output with one
#: ``read(pipe, buf, AGI_BUF_SIZE)``...
AGI_BUF_SIZE = 1024
#: ...and URL-encodes it into ``AMI_BUF_SIZE`` bytes (``ast_uri_encode`` stops when full).
AMI_BUF_SIZE = 2048
#: A reply longer than this many extra reads (64 KiB, a Linux pipe's capacity) is refused.
MAX_PUMPS = 64
_NOOP_REPLY = b"200 result=0\n"
#: The longest command line an ``AGI`` action carries: manager.c get_input reads each AMI
#: line into a 1024-byte buffer, so ``Command: <line>`` may hold 1022 bytes.
MAX_COMMAND_BYTES = 1022 - len("Command: ")


class AsyncAGIBridge:
    """An :class:`AsyncTransport` that sends AGI commands as AMI ``AGI`` actions.

    Create it from the ``AsyncAGIStart`` event, route this channel's later events to
    :meth:`feed_event`, and use :meth:`session` to get an :class:`AsyncAGI`.

    The environment block goes through the same 1024-byte read: the ``Env`` of a long
    block (many or long ``agi_arg_N``) is cut, and the rest comes before the first
    command's reply.  The bridge then completes :attr:`environment` (and the session's
    ``env``) when that reply arrives.

    Long replies: Asterisk publishes at most 1024 bytes of a command's output per
    ``AsyncAGIExec`` (one ``read()`` of its pipe); the rest stays in the pipe until the
    next command runs.  When a ``Result`` fills that buffer, the bridge sends ``NOOP``
    commands to collect the rest, then removes their ``200 result=0`` replies, so the
    session sees the whole reply.  If Asterisk's 2048-byte URL-encoding buffer cut the
    ``Result`` (bytes lost for good), the command raises :class:`AGIProtocolError`.
    """

    _ids = itertools.count(1)

    def __init__(self, start_event: Mapping[str, str], send_action: SendAGIAction) -> None:
        if "Env" not in start_event or "Channel" not in start_event:
            raise AGIProtocolError("AsyncAGIStart event without Env or Channel header")
        self.channel = start_event["Channel"]
        encoded_env = start_event["Env"]
        raw_env = decode_result(encoded_env)
        cut = _env_cut(encoded_env, raw_env)
        self.environment = _parse_env_bytes(raw_env, cut)
        # The rest of a cut environment block is still in Asterisk's pipe.
        self._env_head = raw_env if cut or not raw_env.endswith(b"\n\n") else None
        self._env_lost = len(encoded_env) >= AMI_BUF_SIZE - 3
        self._sessions: list[AsyncAGI] = []
        self._send_action = send_action
        # (decoded bytes, pipe possibly not drained, bytes possibly lost); None = end.
        self._replies: asyncio.Queue[tuple[bytes, bool, bool] | None] = asyncio.Queue()
        self._prefix = f"pyst-{next(self._ids)}-"
        self._counter = itertools.count(1)
        self.ended = False

    def session(self, **options: object) -> AsyncAGI:
        """An :class:`AsyncAGI` over this bridge (environment already known).

        It refuses a command line longer than :data:`MAX_COMMAND_BYTES` with
        :class:`AGIArgumentError` before sending it (the session stays usable).
        """
        agi = AsyncAGI(self, environment=self.environment, **options)  # type: ignore[arg-type]
        agi.protocol.max_line_bytes = MAX_COMMAND_BYTES
        agi.protocol.max_line_reason = (
            "AsyncAGI sends it in the 'Command:' header of an AMI action, and Asterisk's "
            "manager reads at most 1022 bytes per line"
        )
        self._sessions.append(agi)
        return agi

    def feed_event(self, event: Mapping[str, str]) -> None:
        """Give the bridge an AMI event of its channel (others are ignored)."""
        if event.get("Channel") != self.channel:
            return
        kind = event.get("Event")
        if kind == "AsyncAGIExec" and event.get("CommandId", "").startswith(self._prefix):
            encoded = event.get("Result", "")
            data = decode_result(encoded)
            # ast_uri_encode stops before the buffer's last 1 (plain) or 3 (escaped)
            # bytes: a Result that long may have lost the end of what was read.
            lost = len(encoded) >= AMI_BUF_SIZE - 3
            more = len(data) >= AGI_BUF_SIZE or lost
            self._replies.put_nowait((data, more, lost))
        elif kind == "AsyncAGIEnd":
            self._end()

    async def _send(self, line: str) -> None:
        """Send ``line`` as an ``AGI`` action; every failure is an :class:`AGIError`."""
        if self.ended:
            raise AsyncAGIEnded(
                f"Asterisk ended AsyncAGI on {self.channel} (AsyncAGIEnd: ASYNCAGI BREAK, a "
                f"hang-up, or a command that failed); {redact_command(line)!r} is not sent"
            )
        command_id = f"{self._prefix}{next(self._counter)}"
        try:
            await self._send_action(self.channel, line, command_id)
        except AsyncAGIEnded:
            self._end()
            raise
        except AGIError:
            raise
        except TimeoutError as error:
            raise AGITimeout(
                f"AsyncAGI on {self.channel}: no answer to the AGI action for "
                f"{redact_command(line)!r}: {error}"
            ) from error
        except (ConnectionError, OSError, EOFError) as error:
            raise AGIConnectionClosed(
                f"AsyncAGI on {self.channel}: the AMI connection failed while sending "
                f"{redact_command(line)!r}: {error}"
            ) from error
        except Exception as error:  # whatever the integrator's AMI client raises
            raise AGIError(
                f"AsyncAGI on {self.channel}: sending {redact_command(line)!r} as an AGI "
                f"action failed: {error}"
            ) from error

    def _end(self) -> None:
        if not self.ended:
            self.ended = True
            self._replies.put_nowait(None)

    async def send(self, data: bytes) -> None:
        """Send one command line as an ``AGI`` action."""
        await self._send(data.decode("utf-8", "surrogateescape").rstrip("\n"))

    async def receive(self) -> bytes:
        """Wait for the next command output.

        Collects a reply longer than one ``AsyncAGIExec`` (see the class docstring).  Once
        ``AsyncAGIEnd`` came and every reply before it was handed over, raises
        :class:`AsyncAGIEnded`.
        """
        if self.ended and self._replies.empty():
            raise self._ended_error()
        held = bytearray()
        pumps = 0
        lost = False
        while True:
            item = await self._replies.get()
            if item is None:  # AsyncAGIEnd: hand over what arrived; the end comes next
                if not held:
                    raise self._ended_error()
                return bytes(held)
            data, more, cut = item
            if not data and not held:
                continue  # an empty Result (not from Asterisk) is not end of input
            held += data
            lost = lost or cut
            if more:
                # The pipe may hold more output: make Asterisk read it again.
                if pumps >= MAX_PUMPS:
                    raise AGIProtocolError(
                        f"AsyncAGI reply longer than {MAX_PUMPS} reads of "
                        f"{AGI_BUF_SIZE} bytes; giving up on it",
                        held[:200].decode("utf-8", "surrogateescape"),
                    )
                pumps += 1
                await self._send("NOOP")
                continue
            # The pipe is drained: the NOOP replies are the last bytes written.
            tail = _NOOP_REPLY * pumps
            if pumps and not held.endswith(tail):
                lost = True
            elif pumps:
                del held[-len(tail) :]
            if self._env_head is not None:
                held = self._complete_environment(held)
            if lost or (held and not held.endswith(b"\n")):
                raise AGIProtocolError(
                    "Asterisk cut this AsyncAGI reply (its Result exceeded the 2048-byte "
                    "URL-encoding buffer of launch_asyncagi); the reply is lost",
                    held[:200].decode("utf-8", "surrogateescape"),
                )
            return bytes(held)

    def _ended_error(self) -> AsyncAGIEnded:
        return AsyncAGIEnded(
            f"Asterisk ended AsyncAGI on {self.channel} (AsyncAGIEnd: ASYNCAGI BREAK, a "
            "hang-up, or a command that failed) before this command's reply"
        )

    def _complete_environment(self, held: bytearray) -> bytearray:
        """Split the rest of a cut environment block off the first reply bytes."""
        head, self._env_head = self._env_head or b"", None
        data = head + held
        end = data.find(b"\n\n")
        if end < 0 or end + 2 < len(head):
            return held  # not the rest of the environment after all
        if not self._env_lost:  # else bytes are missing: keep the complete lines
            environment = _parse_env_bytes(data[: end + 2], False)
            self.environment = environment
            for agi in self._sessions:
                agi.protocol.environment = environment
        return bytearray(data[end + 2 :])

    async def close(self) -> None:
        """Nothing to release: the AMI connection belongs to the caller."""

"""Run pyst.agi handlers for channels in ``AGI(agi:async)``, over an AsyncManagerClient.

This plugs :class:`pyst.agi.AsyncAGIBridge` (the AsyncAGI seam of ``pyst.agi``) into the
asyncio AMI client: every ``AsyncAGIStart`` gets a bridge and a task running the handler
with an :class:`pyst.agi.AsyncAGI` session; commands go out as ``AGI`` actions and each
channel's ``AsyncAGIExec``/``AsyncAGIEnd`` events are routed to its bridge.  When the
handler is done the channel is handed back to the dialplan (``ASYNCAGI BREAK``), and what
the AMI side reports reaches the handler as :mod:`pyst.agi` errors.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from pyst.manager._actions import AGI
from pyst.manager._errors import ActionError, ClientClosed, ConnectionLost
from pyst.manager._messages import Event

if TYPE_CHECKING:
    from pyst.agi import AsyncAGI, AsyncAGIBridge
    from pyst.manager._asyncio import AsyncManagerClient, EventStream

__all__ = ["AsyncAGIServer"]

log = logging.getLogger("pyst.manager")

AsyncAGIHandler = Callable[["AsyncAGI"], Awaitable[Any]]


class AsyncAGIServer:
    """Serve AsyncAGI channels of ``client`` with ``handler(agi)``.

    ::

        async with AsyncManagerClient(...) as ami, AsyncAGIServer(ami, handler):
            await stop.wait()

    Its event stream has its own buffer (``queue_size``), so slow handlers elsewhere cannot
    make it drop AsyncAGI events. When the handler returns (or raises: that is logged) and
    Asterisk has not ended AsyncAGI already, the server sends ``ASYNCAGI BREAK`` so that the
    channel goes on in the dialplan instead of waiting in AsyncAGI until it hangs up; pass
    ``break_on_return=False`` to leave it there (for another handler or client to drive).
    The handler sees :mod:`pyst.agi` errors only: an ``AGI`` action Asterisk refuses
    because the channel is gone raises :class:`pyst.agi.AsyncAGIEnded` (an ``AGIHangup``),
    a closed client :class:`pyst.agi.AGIConnectionClosed`. An event that cannot be used
    (an ``AsyncAGIStart`` without a valid ``Env``, say) is logged and skipped; the server
    goes on serving other channels.
    """

    def __init__(
        self,
        client: AsyncManagerClient,
        handler: AsyncAGIHandler,
        *,
        queue_size: int = 100_000,
        break_on_return: bool = True,
    ) -> None:
        self._client = client
        self._handler = handler
        self.break_on_return = break_on_return
        self._queue_size = queue_size
        self._bridges: dict[str, AsyncAGIBridge] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._pump_task: asyncio.Task[None] | None = None
        self._stream: EventStream | None = None

    async def __aenter__(self) -> AsyncAGIServer:
        self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def start(self) -> None:
        """Start following AsyncAGI events (inside a running event loop)."""
        if self._pump_task is None:
            self._stream = self._client.events("AsyncAGI*", queue_size=self._queue_size)
            self._pump_task = asyncio.get_running_loop().create_task(self._pump(self._stream))

    @property
    def channels(self) -> list[str]:
        """Channels currently served."""
        return list(self._bridges)

    async def close(self) -> None:
        """Stop following events and cancel running handlers."""
        if self._stream is not None:
            await self._stream.aclose()
        tasks = [t for t in (self._pump_task, *self._tasks) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):  # cancelled, or already logged
                await task
        self._pump_task = None
        self._bridges.clear()

    async def _pump(self, stream: EventStream) -> None:
        try:
            async for event in stream:
                try:
                    self.feed(event)
                except Exception:  # bad server input (say, an AsyncAGIStart without Env)
                    log.exception(
                        "AsyncAGIServer skips a %s event it cannot use (channel %r)",
                        event.name,
                        event.get("Channel"),
                    )
        except ConnectionLost as exc:  # no reconnect is coming: AsyncAGI events are over
            log.warning("AsyncAGIServer stops following events: %s", exc)

    def feed(self, event: Event) -> None:
        """Route one AMI event (called for every ``AsyncAGI*`` event of the stream)."""
        channel = event.get("Channel") or ""
        name = event.name.lower()
        if name == "asyncagistart":
            self._start(channel, event)
            return
        bridge = self._bridges.get(channel)
        if bridge is None:
            return
        bridge.feed_event(dict(event.headers.items()))
        if name == "asyncagiend":
            del self._bridges[channel]

    def _start(self, channel: str, event: Event) -> None:
        from pyst.agi import AGIConnectionClosed, AsyncAGIBridge, AsyncAGIEnded

        async def send_action(target: str, command: str, command_id: str) -> None:
            try:
                await self._client.send(AGI(target, command, command_id))
            except ActionError as error:
                if "does not exist" in str(error):  # res_agi.c action_add_agi_cmd
                    raise AsyncAGIEnded(f"Asterisk refused the AGI action: {error}") from error
                raise  # the bridge makes it an AGIError
            except ClientClosed as error:
                raise AGIConnectionClosed(f"the AMI client is closed: {error}") from error

        bridge = AsyncAGIBridge(dict(event.headers.items()), send_action)
        self._bridges[channel] = bridge
        task = asyncio.get_running_loop().create_task(self._run(channel, bridge))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, channel: str, bridge: AsyncAGIBridge) -> None:
        from pyst.agi import AGIError

        agi = bridge.session()
        try:
            await self._handler(agi)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("AsyncAGI handler raised on %s", channel)
        if self.break_on_return and not bridge.ended:
            try:
                await agi.asyncagi_break()
            except AGIError as error:  # the channel ended meanwhile, or the session broke
                log.debug("ASYNCAGI BREAK on %s after the handler: %s", channel, error)

"""The sans-IO connection state shared by the sync and asyncio clients.

It encodes actions with fresh ActionIDs, matches answers by ActionID, assembles list
answers (``EventList: start`` ... ``EventList: Complete``), tracks deadlines and fails
whatever is pending when the connection ends. It never touches a socket or a clock: the
front ends pass bytes and the current time in.
"""

from __future__ import annotations

import itertools
import logging
import secrets
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from pyst.manager._actions import ActionBase
from pyst.manager._errors import (
    ActionTimeout,
    ClientClosed,
    ConnectionLost,
    ManagerError,
    ProtocolError,
)
from pyst.manager._messages import Event, Greeting, Response
from pyst.manager._protocol import (
    DEFAULT_MAX_MESSAGE_SIZE,
    Decoder,
    check_action_id,
    encode_action,
)

__all__ = ["Connection", "PendingAction"]

log = logging.getLogger("pyst.manager")

# How many abandoned (timed-out or cancelled) ActionIDs stay reserved against late answers.
MAX_ABANDONED_IDS = 4096

ResultT = TypeVar("ResultT")


class PendingAction(Generic[ResultT]):
    """An action sent and not yet answered; becomes done exactly once."""

    __slots__ = (
        "_error",
        "_value",
        "action",
        "action_id",
        "deadline",
        "done",
        "on_done",
        "response",
        "timeout",
    )

    def __init__(
        self, action: ActionBase[ResultT], action_id: str, timeout: float | None, now: float
    ) -> None:
        self.action = action
        self.action_id = action_id
        self.timeout = timeout
        self.deadline = None if timeout is None else now + timeout
        self.response: Response | None = None
        self.done = False
        self.on_done: Callable[[PendingAction[ResultT]], None] | None = None
        self._value: ResultT | None = None
        self._error: BaseException | None = None

    def _finish(self, value: ResultT | None, error: BaseException | None) -> None:
        if self.done:
            return
        self.done = True
        self._value, self._error = value, error
        if self.on_done is not None:
            self.on_done(self)

    def outcome(self) -> ResultT:
        """Return the result, or raise the error the action ended with."""
        if not self.done:
            raise RuntimeError("the action is still pending")
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]

    @property
    def error(self) -> BaseException | None:
        """The exception the action failed with, if any."""
        return self._error


class Connection:
    """State of one AMI session, without I/O (the h11 idea applied to AMI)."""

    def __init__(
        self,
        *,
        default_timeout: float | None = 10.0,
        greeting: bool = True,
        max_message_size: int = DEFAULT_MAX_MESSAGE_SIZE,
    ) -> None:
        self._decoder = Decoder(greeting=greeting, max_message_size=max_message_size)
        self._pending: dict[str, PendingAction[Any]] = {}
        self._lists: dict[str, PendingAction[Any]] = {}
        # ActionIDs given up on (timed out or cancelled) whose answer may still come: reserved,
        # oldest first, so a late answer is dropped instead of completing a reuse of the ID.
        # The value: (True while a late list answer is still streaming its items, the
        # lower-case name of the event that ends the action's list when it was not announced
        # by ``EventList: start``; see ``ActionBase.list_complete``).
        self._abandoned: dict[str, tuple[bool, str]] = {}
        self._prefix = f"pyst-{secrets.token_hex(3)}-"
        self._counter = itertools.count(1)
        self.default_timeout = default_timeout
        self.greeting: Greeting | None = None
        self.logged_off = False
        self.closed = False

    @property
    def pending_count(self) -> int:
        """How many actions wait for an answer."""
        return len(self._pending)

    def send(
        self, action: ActionBase[ResultT], now: float, timeout: float | None = None
    ) -> tuple[bytes, PendingAction[ResultT]]:
        """Encode ``action`` and register it; return the bytes to write and its pending entry."""
        if self.closed:
            raise ClientClosed("the connection is closed; connect again before sending")
        action_id = action.action_id
        if action_id:
            check_action_id(action_id)
        else:
            action_id = f"{self._prefix}{next(self._counter)}"
        if action_id in self._pending:
            raise ValueError(f"ActionID {action_id!r} is already waiting for an answer")
        if action_id in self._abandoned:
            raise ValueError(
                f"ActionID {action_id!r} belongs to an action that timed out or was cancelled; "
                "its answer may still arrive, so the ID stays reserved: use a fresh ActionID"
            )
        data = encode_action(action.wire_headers(action_id))
        if timeout is None:
            timeout = action.timeout if action.timeout is not None else self.default_timeout
        pending = PendingAction(action, action_id, timeout, now)
        self._pending[action_id] = pending
        return data, pending

    def receive(self, data: bytes) -> list[Event]:
        """Feed received bytes; complete matching actions; return the events to dispatch."""
        try:
            messages = self._decoder.feed(data)
        except ProtocolError as exc:
            self.fail_all(ConnectionLost(f"protocol error, connection unusable: {exc}"))
            self.closed = True
            raise
        return self._route(messages)

    def receive_eof(self) -> list[Event]:
        """The peer closed: flush the decoder, fail every pending action with ConnectionLost."""
        events = self._route(self._decoder.feed_eof())
        dropped = self._decoder.buffered
        if self.logged_off:
            reason = "the server closed the connection after Logoff"
        else:
            reason = "the server closed the connection"
        if dropped:
            reason += f" in the middle of a message ({dropped} bytes unfinished)"
        self.closed = True
        self.fail_all(ConnectionLost(reason + "; the action got no answer"))
        return events

    def fail_all(self, error: ManagerError) -> None:
        """Fail every pending action with ``error`` (used on disconnect and close)."""
        pending = list(self._pending.values())
        self._pending.clear()
        self._lists.clear()
        for entry in pending:
            entry._finish(None, error)

    def _abandon(self, pending: PendingAction[Any]) -> None:
        """Stop waiting for ``pending`` and reserve its ActionID against a late answer."""
        if self._pending.get(pending.action_id) is pending:
            del self._pending[pending.action_id]
            in_list = self._lists.pop(pending.action_id, None) is not None
            abandoned = self._abandoned
            abandoned.pop(pending.action_id, None)
            abandoned[pending.action_id] = (in_list, pending.action.list_complete.lower())
            while len(abandoned) > MAX_ABANDONED_IDS:
                del abandoned[next(iter(abandoned))]

    def time_out(self, pending: PendingAction[Any]) -> None:
        """Give up on ``pending`` now with :class:`ActionTimeout`.

        Its ActionID stays reserved (the last :data:`MAX_ABANDONED_IDS` such IDs) and a late
        answer to it is dropped, never given to another action.
        """
        self._abandon(pending)
        got = ""
        if pending.response is not None:
            got = f" (list incomplete: {len(pending.response.events)} items so far)"
        pending._finish(
            None,
            ActionTimeout(
                f"no complete answer to {pending.action.name} (ActionID {pending.action_id}) "
                f"within {pending.timeout:g} s{got}; the server may be busy or the action unknown"
            ),
        )

    def withdraw(self, pending: PendingAction[Any], error: ManagerError) -> None:
        """Fail ``pending`` with ``error`` because it was never (completely) sent.

        Unlike :meth:`time_out`, its ActionID is not reserved: no answer can come for an
        action the server never read. (A front end that wrote part of it must drop the
        connection: the stream then holds half an action.)"""
        if self._pending.get(pending.action_id) is pending:
            del self._pending[pending.action_id]
            self._lists.pop(pending.action_id, None)
        pending._finish(None, error)

    def cancel(self, pending: PendingAction[Any]) -> None:
        """Forget ``pending`` without completing it (its caller went away); like a timeout,
        its ActionID stays reserved against a late answer."""
        self._abandon(pending)

    def expire(self, now: float) -> None:
        """Time out every pending action whose deadline has passed."""
        for pending in [
            p for p in self._pending.values() if p.deadline is not None and p.deadline <= now
        ]:
            self.time_out(pending)

    def next_deadline(self) -> float | None:
        """The earliest deadline among pending actions, or ``None``."""
        deadlines = [p.deadline for p in self._pending.values() if p.deadline is not None]
        return min(deadlines) if deadlines else None

    def _route(self, messages: list[Greeting | Any]) -> list[Event]:
        events: list[Event] = []
        lists = self._lists
        for message in messages:
            if type(message) is Event:
                if lists or self._abandoned:
                    action_id = message.get("ActionID")
                    if action_id is not None:
                        if action_id in lists:
                            self._collect(lists[action_id], message)
                            continue
                        late = self._abandoned.get(action_id)
                        if late is not None and late[0]:
                            self._late_list_item(action_id, late[1], message)
                            continue
                events.append(message)
            elif isinstance(message, Response):
                self._answer(message)
            elif isinstance(message, Event):
                events.append(message)
            elif isinstance(message, Greeting):
                self.greeting = message
            else:
                log.warning("ignoring a message that is neither event nor response: %r", message)
        return events

    def _late_list_item(self, action_id: str, end: str, event: Event) -> None:
        """Drop an item of a list answer whose action was abandoned; free the ID at its end."""
        log.debug("dropping a late list item %s for ActionID %r", event.name, action_id)
        if _ends_list(event, end):
            del self._abandoned[action_id]

    def _answer(self, response: Response) -> None:
        if response.status.lower() == "goodbye":
            self.logged_off = True
        action_id = response.action_id
        pending = self._pending.get(action_id) if action_id is not None else None
        if pending is None:
            if action_id is not None and action_id in self._abandoned:
                log.debug("dropping a late answer for abandoned ActionID %r", action_id)
                end = self._abandoned[action_id][1]
                if _opens_list(response, end):
                    self._abandoned[action_id] = (True, end)  # its items follow: drop them too
                else:
                    del self._abandoned[action_id]  # fully answered: the ID is free again
                return
            log.debug("dropping an answer for unknown ActionID %r", action_id)
            return
        pending.response = response
        if _opens_list(response, pending.action.list_complete):
            self._lists[pending.action_id] = pending
            return
        self._complete(pending, response)

    def _collect(self, pending: PendingAction[Any], event: Event) -> None:
        response = pending.response
        assert response is not None
        if _ends_list(event, pending.action.list_complete.lower()):
            response.complete = event
            self._complete(pending, response)
        else:
            response.events.append(event)

    def _complete(self, pending: PendingAction[Any], response: Response) -> None:
        self._pending.pop(pending.action_id, None)
        self._lists.pop(pending.action_id, None)
        try:
            value = pending.action.result(response)
        except ManagerError as exc:
            pending._finish(None, exc)
        except Exception as exc:  # a bad answer must not surface as an unrelated exception
            pending._finish(
                None,
                ProtocolError(f"could not interpret the answer to {pending.action.name}: {exc!r}"),
            )
        else:
            pending._finish(value, None)


def _opens_list(response: Response, end: str) -> bool:
    """True when list items follow ``response``: it says ``EventList: start``, or (Asterisk
    before 14) it is a success without ``EventList`` for an action whose list ends with the
    event ``end`` (``Status`` answered ``Channel status will follow``, then ``Status``
    events and a ``StatusComplete`` without ``EventList``)."""
    if not response.ok:
        return False
    return response.is_list_start or bool(end and response.get("EventList") is None)


def _ends_list(event: Event, end: str) -> bool:
    """True when ``event`` closes a list: ``EventList: Complete``, or its name is ``end``
    (lower case; the closing event of a list that was not announced by ``EventList``)."""
    return (event.get("EventList") or "").lower() == "complete" or bool(
        end and event.name.lower() == end
    )

"""Event subscriptions (by name, glob or predicate), isolated handlers and a bounded buffer."""

from __future__ import annotations

import enum
import fnmatch
import logging
from collections import deque
from collections.abc import Callable
from typing import Any

from pyst.manager._messages import Event

__all__ = ["EventBuffer", "EventRouter", "Overflow", "Subscription"]

log = logging.getLogger("pyst.manager")

Handler = Callable[[Event], Any]
Predicate = Callable[[Event], bool]


class Overflow(str, enum.Enum):
    """What a full event buffer does with one more event.

    Replies never wait for event handlers: when handlers fall behind, events are dropped
    (counted in ``dropped_events`` and logged) instead of growing memory without bound.
    """

    DROP_OLDEST = "drop_oldest"
    """Keep the newest events: drop the oldest queued one (default)."""
    DROP_NEWEST = "drop_newest"
    """Keep what is queued: drop the incoming event."""


class Subscription:
    """Which events go to ``handler``: any of ``names`` (exact or glob, case-insensitive;
    none means all) and, if given, only those for which ``where(event)`` is true."""

    def __init__(
        self, handler: Handler, names: tuple[str, ...] = (), where: Predicate | None = None
    ) -> None:
        self.handler = handler
        self.where = where
        lowered = [name.lower() for name in names]
        self._exact = frozenset(n for n in lowered if not any(c in n for c in "*?["))
        self._globs = tuple(n for n in lowered if any(c in n for c in "*?["))
        self._any = not names

    def matches(self, event: Event) -> bool:
        """True when ``event`` is for this subscription (a predicate that raises: false)."""
        if not self._any:
            name = event.name.lower()
            if name not in self._exact and not any(
                fnmatch.fnmatchcase(name, pattern) for pattern in self._globs
            ):
                return False
        if self.where is None:
            return True
        try:
            return bool(self.where(event))
        except Exception:
            log.exception("event predicate %r raised; treating it as no match", self.where)
            return False

    def __repr__(self) -> str:
        names = sorted(self._exact) + list(self._globs)
        return f"Subscription({self.handler!r}, names={names}, where={self.where!r})"


class EventRouter:
    """The subscriptions of one client; delivers each event to the matching handlers."""

    def __init__(self) -> None:
        self._subscriptions: list[Subscription] = []

    def subscribe(
        self, handler: Handler, *names: str, where: Predicate | None = None
    ) -> Subscription:
        """Register ``handler`` for events matching ``names``/``where``; return the handle."""
        subscription = Subscription(handler, names, where)
        self._subscriptions.append(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        """Remove a subscription (no error if it is already gone)."""
        if subscription in self._subscriptions:
            self._subscriptions.remove(subscription)

    def deliver(self, event: Event) -> list[Any]:
        """Call each matching handler; log and isolate exceptions; return what they returned
        that still has to be awaited (coroutines from ``async def`` handlers)."""
        pending: list[Any] = []
        for subscription in list(self._subscriptions):
            if not subscription.matches(event):
                continue
            try:
                result = subscription.handler(event)
            except Exception:
                log.exception(
                    "event handler %r raised on %s; delivery continues",
                    subscription.handler,
                    event.name,
                )
                continue
            if hasattr(result, "__await__"):
                pending.append(result)
        return pending


class EventBuffer:
    """A bounded FIFO of events with an :class:`Overflow` policy."""

    def __init__(
        self, maxsize: int = 10_000, overflow: Overflow | str = Overflow.DROP_OLDEST
    ) -> None:
        if maxsize < 1:
            raise ValueError("the event buffer needs room for at least one event")
        self.maxsize = maxsize
        self.overflow = Overflow(overflow)
        self.dropped = 0
        self._events: deque[Event] = deque()

    def put(self, event: Event) -> None:
        """Queue ``event``, dropping one event per the policy when full."""
        if len(self._events) >= self.maxsize:
            if self.dropped == 0 or self.dropped % 10_000 == 0:
                log.warning(
                    "event buffer full (%d); dropping events (%s), %d dropped so far; "
                    "handlers are too slow",
                    self.maxsize,
                    self.overflow.value,
                    self.dropped + 1,
                )
            self.dropped += 1
            if self.overflow is Overflow.DROP_NEWEST:
                return
            self._events.popleft()
        self._events.append(event)

    def get(self) -> Event | None:
        """Take the oldest queued event, or ``None`` when empty."""
        return self._events.popleft() if self._events else None

    def __len__(self) -> int:
        return len(self._events)

"""Session set-up shared by both clients: login (plain or MD5) and re-applying filters.

The steps are a generator of actions (sans-IO): each front end sends what it yields and sends
the result back in, so the logic exists once.
"""

from __future__ import annotations

import random
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pyst.manager._actions import ActionBase, Challenge, Events, Filter, Login, md5_key
from pyst.manager._messages import Response

__all__ = ["Credentials", "Reconnect", "setup_steps"]

Steps = Generator[ActionBase[Any], Any, None]


@dataclass(frozen=True)
class Credentials:
    """Who logs in: ``auth`` is ``"plain"`` or ``"md5"``; the secret never shows in repr."""

    username: str
    secret: str = field(repr=False)
    auth: str = "plain"

    def __post_init__(self) -> None:
        if self.auth not in ("plain", "md5"):
            raise ValueError(f"auth must be 'plain' or 'md5', not {self.auth!r}")


@dataclass(frozen=True)
class Reconnect:
    """Reconnect policy: exponential backoff from ``initial_delay`` up to ``max_delay``
    seconds (with +-``jitter`` proportional noise); ``max_attempts=None`` retries forever."""

    initial_delay: float = 0.5
    max_delay: float = 30.0
    factor: float = 2.0
    jitter: float = 0.1
    max_attempts: int | None = None

    def delays(self) -> Iterator[float]:
        """The waits before each attempt (the first attempt waits ``initial_delay``)."""
        delay = self.initial_delay
        attempt = 0
        while self.max_attempts is None or attempt < self.max_attempts:
            attempt += 1
            noise = 1 + random.uniform(-self.jitter, self.jitter) if self.jitter else 1
            yield max(0.0, delay * noise)
            delay = min(self.max_delay, delay * self.factor)


def setup_steps(
    credentials: Credentials | None, events: bool | str | None, filters: Sequence[str]
) -> Steps:
    """Log in (if credentials), then re-apply each event filter."""
    if credentials is not None:
        if credentials.auth == "md5":
            challenge: Response = yield Challenge()
            key = md5_key(challenge.get("Challenge") or "", credentials.secret)
            yield Login(credentials.username, key=key, events=events)
        else:
            yield Login(credentials.username, credentials.secret, events=events)
    elif events is not None:
        yield Events(events)
    for expression in filters:
        yield Filter(expression)

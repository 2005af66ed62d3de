"""Typed views of the AsyncAGI events: AsyncAGIStart, AsyncAGIExec and AsyncAGIEnd.

Asterisk URL-encodes the multi-line parts (``Env:`` of AsyncAGIStart, ``Result:`` of
AsyncAGIExec) so they fit in one header; these classes decode them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote

from pyst.manager._messages import Event

__all__ = ["AsyncAGIEnd", "AsyncAGIExec", "AsyncAGIStart", "parse_asyncagi"]


@dataclass(frozen=True)
class AsyncAGIStart:
    """A channel entered ``AGI(agi:async)``; ``env`` is the decoded ``agi_*`` block."""

    channel: str
    env: dict[str, str] = field(default_factory=dict)
    event: Event | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_event(cls, event: Event) -> AsyncAGIStart:
        """Decode an ``AsyncAGIStart`` event."""
        env: dict[str, str] = {}
        for line in unquote(event.get("Env") or "").split("\n"):
            name, sep, value = line.partition(":")
            if sep:
                env[name.strip()] = value[1:] if value.startswith(" ") else value
        return cls(event.get("Channel") or "", env, event)


@dataclass(frozen=True)
class AsyncAGIExec:
    """The result of a queued AGI command: ``result`` is the decoded reply line(s)
    (e.g. ``200 result=0``); ``command_id`` echoes the action's ``CommandID``."""

    channel: str
    command_id: str
    result: str
    event: Event | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_event(cls, event: Event) -> AsyncAGIExec:
        """Decode an ``AsyncAGIExec`` event."""
        result = unquote(event.get("Result") or "")
        return cls(
            event.get("Channel") or "",
            event.get("CommandId") or "",
            result[:-1] if result.endswith("\n") else result,
            event,
        )


@dataclass(frozen=True)
class AsyncAGIEnd:
    """The channel left AsyncAGI (hung up or the AGI ended)."""

    channel: str
    event: Event | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_event(cls, event: Event) -> AsyncAGIEnd:
        """Decode an ``AsyncAGIEnd`` event."""
        return cls(event.get("Channel") or "", event)


def parse_asyncagi(event: Event) -> AsyncAGIStart | AsyncAGIExec | AsyncAGIEnd | None:
    """The typed view of an AsyncAGI event, or ``None`` for any other event."""
    name = event.name.lower()
    if name == "asyncagistart":
        return AsyncAGIStart.from_event(event)
    if name == "asyncagiexec":
        return AsyncAGIExec.from_event(event)
    if name == "asyncagiend":
        return AsyncAGIEnd.from_event(event)
    return None

"""Typed results returned by AGI commands."""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = [
    "ChannelStatus",
    "DigitsResult",
    "PlaybackResult",
    "RecordResult",
    "SpeechMatch",
    "SpeechResult",
]


class ChannelStatus(enum.IntEnum):
    """Channel states as ``CHANNEL STATUS`` reports them (Asterisk's ``ast_channel_state``)."""

    DOWN = 0
    RESERVED = 1
    OFFHOOK = 2
    DIALING = 3
    RING = 4
    RINGING = 5
    UP = 6
    BUSY = 7
    DIALING_OFFHOOK = 8
    PRERING = 9


@dataclass(frozen=True)
class PlaybackResult:
    """Outcome of STREAM FILE, CONTROL STREAM FILE and GET OPTION.

    ``digit`` is the DTMF digit that interrupted playback (``None`` if it played to the
    end); ``endpos`` the sample offset (milliseconds for CONTROL STREAM FILE) where it
    stopped.
    """

    digit: str | None
    endpos: int

    @property
    def interrupted(self) -> bool:
        """True if a digit stopped the playback."""
        return self.digit is not None


@dataclass(frozen=True)
class DigitsResult:
    """Outcome of GET DATA: the digits entered and whether input ended by timeout."""

    digits: str
    timed_out: bool


@dataclass(frozen=True)
class RecordResult:
    """Outcome of RECORD FILE.

    ``reason`` is ``"timeout"`` (time or silence limit reached), ``"dtmf"`` (an escape
    digit ended it; ``digit`` holds it) or ``"hangup"``; ``endpos`` is the sample offset.
    """

    reason: str
    digit: str | None
    endpos: int


@dataclass(frozen=True)
class SpeechMatch:
    """One recognition result of SPEECH RECOGNIZE."""

    score: int
    text: str
    grammar: str


@dataclass(frozen=True)
class SpeechResult:
    """Outcome of SPEECH RECOGNIZE.

    ``reason`` is ``"speech"``, ``"digit"``, ``"timeout"``, ``"hangup"`` or ``""`` (the
    engine produced nothing); ``matches`` are filled for ``"speech"`` and ``digit`` for
    ``"digit"``.
    """

    reason: str
    endpos: int
    digit: str | None = None
    matches: tuple[SpeechMatch, ...] = ()

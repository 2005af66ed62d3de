"""Inline suppressions: ``; pyst: noqa`` or ``; pyst: noqa CODE[, CODE…]``.

A suppression comment at the end of a line covers that line; a comment line of its own
covers the next line.  Codes may be prefixes (``L02``); without codes every finding on
the line is suppressed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_NOQA = re.compile(rb";[ \t]*pyst:[ \t]*noqa\b(?:[ \t]*:?[ \t]*([A-Za-z0-9_, \t]+))?", re.I)


@dataclass
class Suppression:
    """One ``noqa`` comment: where it is, which lines it covers, and which codes."""

    line: int
    column: int
    target: int
    codes: tuple[str, ...]
    used: set[str] = field(default_factory=set)

    def covers(self, code: str) -> bool:
        """True when this comment silences ``code``."""
        return not self.codes or any(code.startswith(c) for c in self.codes)


def find_suppressions(data: bytes) -> list[Suppression]:
    """Every ``pyst: noqa`` comment of a file's bytes."""
    if b"noqa" not in data and b"NOQA" not in data:
        return []
    found = []
    for number, raw in enumerate(data.splitlines(), start=1):
        match = _NOQA.search(raw)
        if match is None:
            continue
        codes_text = (match.group(1) or b"").decode("ascii", "replace")
        codes = tuple(c.upper() for c in re.split(r"[\s,]+", codes_text) if c)
        own_line = raw[: match.start()].strip() == b""
        found.append(
            Suppression(number, match.start() + 1, number + 1 if own_line else number, codes)
        )
    return found

"""Redaction of secrets in transcripts, error messages and crash reports."""

from __future__ import annotations

import re

from ._quoting import split_arguments

__all__ = ["REDACTED", "is_secret_name", "redact_command", "redact_reply"]

REDACTED = "<redacted>"

_SECRET = re.compile(r"pass|secret|token|key|auth|pwd|credential|cookie|session", re.IGNORECASE)
_VALUE = re.compile(r"\A(\d{3} result=\S*) \(.*\)", re.DOTALL)


def is_secret_name(name: str) -> bool:
    """True if a variable called ``name`` probably holds a secret."""
    return bool(_SECRET.search(name))


def _redact_assignments(data: str) -> str | None:
    """``NAME=value[,NAME2=value2...]`` (Set/MSet) with everything from the first
    secret-looking name's value onward redacted; ``None`` if no name looks secret."""
    offset = 0
    for part in data.split(","):
        name, sep, _ = part.partition("=")
        if sep and is_secret_name(name):
            return data[: offset + len(name) + 1] + REDACTED
        offset += len(part) + 1
    return None


def redact_command(line: str) -> str:
    """``line`` with values set into secret-looking variables replaced by ``<redacted>``.

    Covers SET VARIABLE, DATABASE PUT and EXEC of Set/MSet, in any letter case.
    """
    if not _SECRET.search(line):
        return line
    words = split_arguments(line)
    upper = [w.upper() for w in words[:2]]
    if upper == ["SET", "VARIABLE"] and len(words) >= 4 and is_secret_name(words[2]):
        return f"SET VARIABLE {words[2]} {REDACTED}"
    if upper == ["DATABASE", "PUT"] and len(words) >= 5 and (
        is_secret_name(words[3]) or is_secret_name(words[2])
    ):
        return f"DATABASE PUT {words[2]} {words[3]} {REDACTED}"
    if upper[:1] == ["EXEC"] and len(words) >= 3 and words[1].upper() in ("SET", "MSET"):
        redacted = _redact_assignments(" ".join(words[2:]))
        if redacted is not None:
            return f"EXEC {words[1]} {redacted}"
    return line


def redact_reply(line: str, reply: str) -> str:
    """``reply`` with the value redacted when ``line`` reads a secret-looking variable
    (GET VARIABLE, GET FULL VARIABLE, DATABASE GET)."""
    if not _SECRET.search(line):
        return reply
    words = split_arguments(line)
    upper = [w.upper() for w in words[:3]]
    reads = upper[:2] in (["GET", "VARIABLE"], ["DATABASE", "GET"]) or upper == [
        "GET",
        "FULL",
        "VARIABLE",
    ]
    if not (reads and is_secret_name(" ".join(words[2:]))):
        return reply
    return _VALUE.sub(lambda match: f"{match.group(1)} ({REDACTED})", reply, count=1)

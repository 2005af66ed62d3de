"""Redaction of secrets in transcripts, error messages and crash reports."""

from __future__ import annotations

import re

from ._quoting import split_arguments

__all__ = ["REDACTED", "is_secret_name", "redact_command", "redact_reply", "secret_values"]

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


def _assignment_secrets(data: str) -> list[str]:
    """The values :func:`_redact_assignments` hides in ``NAME=value[,...]``: the rest of
    the text after a secret-looking name's ``=``, and that value up to the next comma."""
    found: list[str] = []
    offset = 0
    for part in data.split(","):
        name, sep, value = part.partition("=")
        if sep and is_secret_name(name):
            found += [data[offset + len(name) + 1 :], value]
        offset += len(part) + 1
    return found


def secret_values(text: str) -> list[str]:
    """The secret values inside ``text``, as far as names tell: everything that
    :func:`redact_command` hides when ``text`` is a command line (the value words and the
    text after the name on the line), and values of ``NAME=value`` assignments to
    secret-looking names (what EXEC of Set/MSet carries)."""
    if not _SECRET.search(text):
        return []
    found = _assignment_secrets(text)
    line = text.rstrip("\r\n")
    if redact_command(line) == line:
        return found
    words = split_arguments(line)
    upper = [w.upper() for w in words[:2]]
    first = 3 if upper == ["SET", "VARIABLE"] else 4 if upper[0] == "DATABASE" else 2
    values = words[first:]
    # The same text as written on the line (quoted, escaped): what follows those words.
    raw = line
    for word in words[:first]:
        position = raw.find(word)
        if position < 0:
            break
        raw = raw[position + len(word) :]
    raw = raw.strip(" ")
    if upper[0] == "EXEC":  # Set/MSet: only what follows a secret name's "="
        return found + _assignment_secrets(" ".join(values)) + _assignment_secrets(raw)
    return [*found, " ".join(values), *values, raw]


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

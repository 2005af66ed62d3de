"""Translate POSIX extended regular expressions (as glibc's ``regcomp`` reads them with
``REG_EXTENDED``) into Python ``re`` syntax.

Asterisk matches ``(+filter)`` terms with ``regcomp``/``regexec``; Python's ``re`` reads
some of the same text differently (``\\d`` is a digit in Python and the letter ``d`` in
POSIX, ``[:alpha:]`` outside a bracket is a bracket set in POSIX, ``a**`` is an error in
Python), so patterns are translated, and what glibc rejects raises :class:`PosixRegexError`.
Only whether a pattern finds a match matters here, so POSIX's leftmost-longest rule and
Python's leftmost-first rule give the same answers.
"""

from __future__ import annotations

import re

#: RE_DUP_MAX in glibc: the largest count allowed in ``{n,m}``.
_DUP_MAX = 0x7FFF

_CLASSES = {
    "alpha": "a-zA-Z",
    "digit": "0-9",
    "alnum": "a-zA-Z0-9",
    "upper": "A-Z",
    "lower": "a-z",
    "space": " \\t\\n\\r\\f\\v",
    "blank": " \\t",
    "xdigit": "0-9A-Fa-f",
    "punct": "!-/:-@\\[-`{-~",
    "cntrl": "\\x00-\\x1f\\x7f",
    "print": " -~",
    "graph": "!-~",
}

#: GNU escapes that keep a meaning in an ERE; any other ``\c`` is the character c.
_GNU_ESCAPES = {
    "w": r"\w",
    "W": r"\W",
    "s": r"\s",
    "S": r"\S",
    "b": r"\b",
    "B": r"\B",
    "<": r"\b(?=\w)",
    ">": r"\b(?<=\w)",
    "`": r"\A",
    "'": r"\Z",
}

_INTERVAL = re.compile(r"\{(\d*)(,?)(\d*)\}")


class PosixRegexError(ValueError):
    """The pattern is not a valid POSIX extended regular expression."""


def translate(pattern: str) -> str:
    """The Python ``re`` pattern that matches what ``pattern`` matches under glibc."""
    out: list[str] = []
    # Start index in ``out`` of the last atom (for quantifiers), or None where a
    # quantifier would have nothing to repeat.
    atom: int | None = None
    quantified = False
    groups: list[int] = []
    index = 0
    length = len(pattern)
    while index < length:
        char = pattern[index]
        if char == "\\":
            if index + 1 >= length:
                raise PosixRegexError("trailing backslash")
            escaped = pattern[index + 1]
            index += 2
            atom, quantified = len(out), False
            if escaped in _GNU_ESCAPES:
                out.append(_GNU_ESCAPES[escaped])
            elif escaped.isdigit() and escaped != "0":
                out.append("(?:\\" + escaped + ")")  # a group, so digits after it stay digits
            else:
                out.append(re.escape(escaped))
            continue
        if char == "[":
            text, index = _bracket(pattern, index)
            atom, quantified = len(out), False
            out.append(text)
            continue
        if char == "(":
            groups.append(len(out))
            out.append("(")
            atom = None
            index += 1
            continue
        if char == ")" and groups:
            atom, quantified = groups.pop(), False
            out.append(")")
            index += 1
            continue
        if char == "|":
            out.append("|")
            atom = None
            index += 1
            continue
        if char in "*+?{":
            if char == "{":
                match = _INTERVAL.match(pattern, index)
                if match is None:
                    raise PosixRegexError("invalid interval")
                low, comma, high = match.groups()
                if not (low or comma or high):
                    raise PosixRegexError("empty interval")
                low_count = int(low) if low else 0
                if (low and low_count > _DUP_MAX) or (high and int(high) > _DUP_MAX):
                    raise PosixRegexError("interval count too large")
                if high and int(high) < low_count:
                    raise PosixRegexError("invalid interval")
                quantifier = "{" + str(low_count) + comma + high + "}"
                index = match.end()
            else:
                quantifier = char
                index += 1
            if atom is None:
                raise PosixRegexError("nothing to repeat")
            if quantified:
                # ``a**``: POSIX repeats the repetition; Python needs a group for that.
                out[atom:] = ["(?:" + "".join(out[atom:]) + ")"]
            out.append(quantifier)
            quantified = True
            continue
        atom, quantified = len(out), False
        out.append(char if char in ".^$" else re.escape(char))
        index += 1
    if groups:
        raise PosixRegexError("unmatched (")
    return "".join(out)


def _bracket(pattern: str, start: int) -> tuple[str, int]:
    """Translate the bracket expression at ``start``; return it and the index after it."""
    index = start + 1
    parts: list[str] = ["["]
    if index < len(pattern) and pattern[index] == "^":
        parts.append("^")
        index += 1
    first = True
    while True:
        if index >= len(pattern):
            raise PosixRegexError("unmatched [")
        char = pattern[index]
        if char == "]" and not first:
            parts.append("]")
            return "".join(parts), index + 1
        first = False
        if char == "[" and pattern[index + 1 : index + 2] in (":", "=", "."):
            kind = pattern[index + 1]
            end = pattern.find(kind + "]", index + 2)
            if end < 0:
                raise PosixRegexError("unmatched [")
            name = pattern[index + 2 : end]
            if kind == ":":
                if name not in _CLASSES:
                    raise PosixRegexError(f"invalid character class {name!r}")
                parts.append(_CLASSES[name])
            else:
                parts.append(_escape_in_set(name))
            index = end + 2
            continue
        if char == "-" and parts[-1] not in ("[", "^") and pattern[index + 1 : index + 2] != "]":
            parts.append("-")
        else:
            parts.append(_escape_in_set(char))
        index += 1


def _escape_in_set(text: str) -> str:
    return "".join("\\" + c if c in "\\]^-[&|~" else c for c in text)


def compile_posix(pattern: str) -> re.Pattern[str]:
    """Compile ``pattern`` as glibc would (raises PosixRegexError or re.error)."""
    try:
        return re.compile(translate(pattern))
    except (OverflowError, RecursionError) as error:
        raise PosixRegexError(str(error)) from error

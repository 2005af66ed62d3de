"""Build command lines exactly as Asterisk's ``parse_args()`` (res_agi.c) splits them."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ._errors import AGIArgumentError

__all__ = ["MAX_ARGS", "MAX_LINE_BYTES", "build_line", "quote_argument", "split_arguments"]

#: res_agi.c reads a command with ``fgets`` into an 8192-byte buffer: longer lines are cut
#: and the rest would be run as a second command, so they are refused.
MAX_LINE_BYTES = 8190
#: ``parse_args`` keeps at most 127 words (command words included) and drops the rest.
MAX_ARGS = 127

_PLAIN = re.compile(r'[^\s"\\]+\Z')
_FORBIDDEN = re.compile(r"[\r\n\x00]")


def quote_argument(value: str) -> str:
    """Return ``value`` as one word for ``parse_args``: bare if safe, else double-quoted.

    Inside quotes a backslash escapes the next character, so ``\\`` and ``"`` are escaped.
    """
    if _FORBIDDEN.search(value):
        raise AGIArgumentError(_forbidden_message("argument", value))
    if _PLAIN.match(value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _forbidden_message(what: str, value: str) -> str:
    """The error for CR/LF/NUL in ``value``; never echoes the value (it may be secret)."""
    match = _FORBIDDEN.search(value)
    assert match is not None
    return (
        f"AGI {what} may not contain CR, LF or NUL (found {match.group()!r} at offset "
        f"{match.start()} of {len(value)} characters); remove those characters"
    )


def build_line(command: str, arguments: Iterable[str]) -> str:
    """Return the command line (without newline) for ``command`` and its ``arguments``."""
    if _FORBIDDEN.search(command):
        raise AGIArgumentError(_forbidden_message("command name", command))
    words = [quote_argument(argument) for argument in arguments]
    if len(words) + len(command.split()) > MAX_ARGS:
        raise AGIArgumentError(
            f"{command}: {len(words)} arguments; Asterisk keeps at most {MAX_ARGS} words"
        )
    line = " ".join([command, *words]) if words else command
    check_line(line)
    return line


def check_line(line: str) -> None:
    """Refuse a raw command line that Asterisk would split or truncate."""
    if _FORBIDDEN.search(line):
        raise AGIArgumentError(_forbidden_message("command line", line))
    try:
        size = len(line.encode("utf-8", "surrogateescape"))
    except UnicodeEncodeError as error:
        raise AGIArgumentError(
            f"AGI command line has a character UTF-8 cannot encode (U+{ord(line[error.start]):04X}"
            f", a lone surrogate, at offset {error.start}); fix the text before sending it"
        ) from None
    if size > MAX_LINE_BYTES:
        raise AGIArgumentError(
            f"AGI command line is longer than {MAX_LINE_BYTES} bytes; Asterisk would cut it"
        )


def split_arguments(line: str) -> list[str]:
    """Split a command line the way Asterisk's ``parse_args`` does (used by the fake).

    Whitespace (space, tab) separates words outside quotes; ``"`` toggles quoting and a
    quote that opens after whitespace starts a word even if it stays empty; a backslash
    makes the next character literal.
    """
    words: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    in_word = False
    for char in line:
        if char == '"' and not escaped:
            quoted = not quoted
            if quoted and not in_word:
                in_word = True
            continue
        if char in " \t" and not quoted and not escaped:
            if in_word:
                words.append("".join(current))
                current = []
                in_word = False
            continue
        if char == "\\" and not escaped:
            escaped = True
            continue
        in_word = True
        current.append(char)
        escaped = False
    if in_word:
        words.append("".join(current))
    return words[:MAX_ARGS]

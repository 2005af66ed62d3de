"""Writing text that may hold a file's own (non-UTF-8) bytes to a terminal or pipe."""

from __future__ import annotations

from typing import TextIO

from pyst.config._syntax.lexer import encode


def printable(text: str) -> str:
    """``text`` with bytes that are not UTF-8 shown as U+FFFD, safe for any text stream."""
    return encode(text).decode("utf-8", "replace")


def write_bytes(out: TextIO, text: str) -> None:
    """Write ``text`` with the file's own bytes (Latin-1 stays Latin-1) where possible."""
    binary = getattr(out, "buffer", None)
    if binary is None:
        out.write(printable(text))
        return
    out.flush()
    binary.write(encode(text))
    binary.flush()

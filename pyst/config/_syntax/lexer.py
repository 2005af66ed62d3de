"""Split a file into physical lines and strip comments exactly as Asterisk does.

This is the one stateful part of reading a ``.conf`` file: the nesting depth of
``;-- --;`` block comments is carried from line to line (``config.c:config_text_file_load``).
For every physical line the lexer works out the *effective text* (what Asterisk's
``process_text_line`` sees) and where each of its characters came from, and names the
line's kind for the grammar (one token per line).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Bytes Asterisk trims from both ends of a line (``ast_strip``: everything below 0x21).
BLANKS = "".join(chr(c) for c in range(0x21))

#: Longest line content Asterisk reads (8192-byte ``fgets`` buffer, less the LF and NUL).
MAX_LINE_BYTES = 8190

#: Nesting depth at which Asterisk stops honouring ``;--`` (``MAX_NESTED_COMMENTS``).
MAX_COMMENT_NESTING = 128

BOM = "\ufeff"

# Line kinds: the terminal names of grammar/asterisk_conf.lark, part 1.
HEADER = "HEADER"
ASSIGNMENT = "ASSIGNMENT"
DIRECTIVE = "DIRECTIVE"
COMMENT = "COMMENT"
BLANK = "BLANK"
TEXT = "TEXT"
LONG = "LONG"


@dataclass
class CommentState:
    """Block-comment state carried across the lines of one file."""

    depth: int = 0
    #: (line, column) where the currently open block comments began (innermost last).
    opened_on: list[tuple[int, int]] | None = None
    #: Set when a line tried to open a 129th nested comment (Asterisk spins forever there).
    nest_limit_line: int = 0
    #: First line where a stray ``--;`` took the depth below zero.
    stray_close_line: int = 0

    def open(self, lineno: int, column: int = 1) -> None:
        """Record a ``;--`` at ``column`` of line ``lineno``."""
        if self.opened_on is None:
            self.opened_on = []
        self.depth += 1
        if self.depth > 0:
            del self.opened_on[self.depth - 1 :]
            self.opened_on.append((lineno, column))

    def innermost_open(self) -> tuple[int, int]:
        """(line, column) of the innermost open comment (what Asterisk reports at EOF)."""
        if self.opened_on and 0 < self.depth <= len(self.opened_on):
            return self.opened_on[self.depth - 1]
        return (0, 0)


def byte_length(text: str) -> int:
    """Length of ``text`` in bytes as Asterisk sees it (UTF-8, escaped bytes kept)."""
    if text.isascii():
        return len(text)
    return len(encode(text))


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold(text: str) -> str:
    """Case-fold a name the way Asterisk compares names (C ``strcasecmp``: ASCII only)."""
    if not isinstance(text, str):
        raise TypeError(f"names are str, not {type(text).__name__}")
    return text.translate(_ASCII_LOWER)


def encode(text: str) -> bytes:
    """The bytes of ``text``: ``\\udcXX`` escapes become the bytes they stand for, and any
    other lone surrogate (only a ``str`` caller can make one) is kept as its UTF-8 form."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def strip_comments(
    text: str, state: CommentState, lineno: int, offset: int = 0
) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...]]:
    """Run Asterisk's comment scanner over one line's content (without its LF).

    ``offset`` is where ``text`` starts in the line (after a BOM), for columns.
    Returns the kept runs, as ``(start, end)`` index pairs into ``text`` whose
    concatenation is what Asterisk goes on to trim and parse, and the positions of the
    backslashes that ``\\;`` escapes deleted.  ``state`` is updated in place.
    """
    nul = text.find("\0")
    if nul >= 0:
        text = text[:nul]
    processing = state.depth == 0
    runs: list[tuple[int, int]] = []
    removed: list[int] = []
    run_start = 0 if processing else -1
    scan = 0
    length = len(text)
    while True:
        semi = text.find(";", scan)
        if semi < 0:
            break
        if semi > scan and text[semi - 1] == "\\":
            # "\;" is a literal ';': drop the backslash and go on after the ';'.
            if run_start >= 0:
                runs.append((run_start, semi - 1))
                run_start = semi
            removed.append(semi - 1)
            scan = semi + 1
        elif text.startswith("--", semi + 1) and text[semi + 3 : semi + 4] != "-":
            if state.depth >= MAX_COMMENT_NESTING:
                state.nest_limit_line = state.nest_limit_line or lineno
                scan = semi + 1
                continue
            if run_start >= 0:
                runs.append((run_start, semi))
                run_start = -1
            state.open(lineno, offset + semi + 1)
            scan = semi + 3
        elif semi >= scan + 2 and text[semi - 2 : semi] == "--":
            state.depth -= 1
            if state.depth < 0 and not state.stray_close_line:
                state.stray_close_line = lineno
            scan = semi + 1
            if state.depth == 0:
                processing = True
                run_start = scan
        elif state.depth == 0:
            if run_start >= 0:
                runs.append((run_start, semi))
                run_start = -1
            return _merge(runs), tuple(removed)
        else:
            scan = semi + 1
    if run_start >= 0 and processing:
        runs.append((run_start, length))
    return _merge(runs), tuple(removed)


def _merge(runs: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Drop empty runs and join touching ones."""
    merged: list[tuple[int, int]] = []
    for start, end in runs:
        if start >= end:
            continue
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


def classify(effective: str) -> str:
    """Name the kind of a line from its (non-empty, trimmed) effective text."""
    first = effective[0]
    if first == "[":
        return HEADER
    if first == "#":
        return DIRECTIVE
    start = 2 if first == "\\" else 0
    return ASSIGNMENT if effective.find("=", start) >= 0 else TEXT

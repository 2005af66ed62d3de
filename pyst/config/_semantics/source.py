"""Where the loader gets included files from: the disk, or files already in memory.

The loader reads every ``#include``d file through one source object.  The default reads
the disk; an include tree being edited serves its own (possibly edited, unsaved)
documents, so what an edit checks is what will be saved, and nothing is read behind the
user's back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from pyst.config._syntax.lexer import CommentState
from pyst.config._syntax.parsed import SyntaxFile, parse_file


class Source(Protocol):
    """Gives the loader the parsed file at a path (``None``: missing or unreadable)."""

    def read(self, path: str, state: CommentState, first_lineno: int) -> SyntaxFile | None:
        """The file at ``path``, read on from comment ``state`` at line ``first_lineno``
        (the files one glob matches are read as one stream)."""
        ...


class DiskSource:
    """Reads files from the disk, as Asterisk does."""

    def read(self, path: str, state: CommentState, first_lineno: int) -> SyntaxFile | None:
        """Parse the file at ``path``; ``None`` when it cannot be read."""
        try:
            data = Path(path).read_bytes()
        except OSError:
            return None
        return parse_file(data, path=path, state=state, first_lineno=first_lineno)

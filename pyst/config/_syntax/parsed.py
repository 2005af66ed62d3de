"""A parsed file: its lines cut into a preamble and sections at each header line.

This is grammar part 1 (``document: preamble section*``) run as a plain split: the
grammar accepts every sequence of line kinds, so the only structure is where the header
lines are.  ``tests/config/test_grammar.py`` checks this split against Lark's parse of
part 1 over the sample corpus.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from pyst.config._syntax.gc import gc_paused
from pyst.config._syntax.lexer import CommentState
from pyst.config._syntax.lines import LexNotes, lex
from pyst.config._syntax.nodes import Header, Line


class SyntaxFile(Protocol):
    """What the loader reads: any parsed file (a :class:`ParsedFile`, or a document)."""

    path: str | None
    notes: LexNotes

    def lines(self) -> Iterator[Line]:
        """Every line node in file order."""
        ...


@dataclass
class ParsedFile:
    """The lines of one file, cut at its headers; reproduces the file byte for byte."""

    preamble: list[Line]
    sections: list[tuple[Header, list[Line]]]
    path: str | None = None
    binary: bool = False
    notes: LexNotes = field(default_factory=LexNotes)

    def lines(self) -> Iterator[Line]:
        """Every line node in file order."""
        yield from self.preamble
        for header, body in self.sections:
            yield header
            yield from body


def split_sections(
    lines: Iterable[Line],
) -> tuple[list[Line], list[tuple[Header, list[Line]]]]:
    """Cut ``lines`` into the preamble and ``(header, body)`` pairs."""
    preamble: list[Line] = []
    sections: list[tuple[Header, list[Line]]] = []
    current = preamble
    for line in lines:
        if isinstance(line, Header):
            current = []
            sections.append((line, current))
        else:
            current.append(line)
    return preamble, sections


def decode(source: str | bytes | bytearray | memoryview) -> tuple[str, bool]:
    """``(text, binary)``: bytes become text with ``\\udcXX`` escapes for non-UTF-8 bytes."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source).decode("utf-8", "surrogateescape"), True
    if isinstance(source, str):
        return source, False
    raise TypeError(f"parse() takes str or bytes, not {type(source).__name__}")


def parse_file(
    source: str | bytes,
    *,
    path: str | None = None,
    state: CommentState | None = None,
    first_lineno: int = 1,
) -> ParsedFile:
    """Parse ``source`` into a :class:`ParsedFile`; never raises on content.

    For the later files of a glob ``#include``, which Asterisk reads as one stream with
    the files before them, pass the comment ``state`` and the next line number.
    """
    text, binary = decode(source)
    notes = LexNotes()
    with gc_paused():
        preamble, sections = split_sections(
            node for _, node in lex(text, notes, state=state, first_lineno=first_lineno)
        )
    return ParsedFile(preamble, sections, path=path, binary=binary, notes=notes)

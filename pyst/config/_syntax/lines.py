"""Turn source text into line nodes and run the grammar over them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pyst.config._syntax import lexer as _lexer
from pyst.config._syntax.lexer import BLANKS, BOM, CommentState, classify, strip_comments
from pyst.config._syntax.nodes import NODE_CLASSES, Blank, Comment, Line, LongLine


@dataclass
class LexNotes:
    """What the lexer saw that Asterisk reports per file."""

    #: Line where the innermost block comment still open at EOF began (0: none open).
    unterminated_comment_line: int = 0
    #: Column of that ``;--``.
    unterminated_comment_column: int = 0
    #: First line that opened a 129th nested block comment (Asterisk hangs there).
    nest_limit_line: int = 0
    #: Block-comment depth at EOF (negative after a stray ``--;``).
    final_depth: int = 0
    #: First line where a stray ``--;`` took the depth below zero (0: none).
    stray_close_line: int = 0
    #: Physical lines in the source.
    line_count: int = 0
    #: Number of the last line (differs from ``line_count`` for the later files of a glob).
    last_lineno: int = 0


def lex(
    text: str,
    notes: LexNotes,
    depth: int = 0,
    *,
    state: CommentState | None = None,
    first_lineno: int = 1,
) -> Iterator[tuple[str, Line]]:
    """Yield ``(kind, node)`` for every physical line of ``text``.

    ``depth`` is the block-comment depth the text starts in (0 for a file).  Asterisk
    reads the files a glob matches as one stream: pass the ``state`` the previous file
    left and the line number it reached plus one as ``first_lineno`` (a BOM is skipped on
    line 1 only).  Lines that cannot touch the comment state (no ``;``, or a plain ``;``
    comment) take a fast path; the rest go through ``_lexer.strip_comments``.
    """
    if state is None:
        state = CommentState(depth=depth)
    lineno = first_lineno - 1
    pieces = text.split("\n")
    last = pieces.pop()
    if last:
        pieces.append(last)
    final = len(pieces) - (1 if last else 0)
    blank_kind = _lexer.BLANK
    comment_kind = _lexer.COMMENT
    classes = NODE_CLASSES
    for physical, content in enumerate(pieces, 1):
        lineno += 1
        if physical > final:
            newline = ""
        elif content.endswith("\r"):
            content = content[:-1]
            newline = "\r\n"
        else:
            newline = "\n"
        if len(content) > 2000:
            data = _lexer.encode(content + newline)
            if len(data) > _BUFFER or (len(data) == _BUFFER and not newline):
                logical = _read_in_pieces(data, state, lineno)
                yield _lexer.LONG, LongLine(
                    content, newline, depth=state.depth, logical_lines=logical
                )
                lineno += len(logical) - 1
                continue
        if state.depth == 0 and "\0" not in content:
            if lineno == 1 and content.startswith(BOM):
                rest = content[1:].lstrip(BLANKS)
            else:
                rest = content.lstrip(BLANKS)
            if not rest:
                yield blank_kind, Blank(content, newline)
                continue
            if rest[0] == ";":
                if rest[1:3] != "--" or rest[3:4] == "-":
                    yield comment_kind, Comment(content, newline)
                    continue
            else:
                semi = rest.find(";")
                if semi < 0:
                    effective = rest.rstrip(BLANKS)
                elif "--" in rest or "\\;" in rest:
                    effective = ""  # block-comment markers or escapes: the slow path
                else:
                    effective = rest[:semi].rstrip(BLANKS)
                if effective:
                    kind = classify(effective)
                    yield kind, classes[kind](content, newline, effective, len(content) - len(rest))
                    continue
        start = 1 if lineno == 1 and content.startswith(BOM) else 0
        yield _lex_commented(content, newline, start, state, lineno)
    notes.line_count = lineno - first_lineno + 1
    notes.last_lineno = lineno
    notes.final_depth = state.depth
    notes.nest_limit_line = state.nest_limit_line
    notes.stray_close_line = state.stray_close_line
    if state.depth > 0:
        notes.unterminated_comment_line, notes.unterminated_comment_column = (
            state.innermost_open()
        )


#: What one ``fgets`` call reads at most: the 8192-byte buffer less its NUL.
_BUFFER = _lexer.MAX_LINE_BYTES + 1


def _read_in_pieces(data: bytes, state: CommentState, lineno: int) -> tuple[Line | None, ...]:
    """What ``config_text_file_load`` makes of a physical line too long for its buffer.

    ``data`` is the line with its LF.  Each ``fgets`` piece whose C string fills the
    buffer without an LF is "too long": it and the full pieces after it are skipped
    (``None``); any other piece is read as a line (up to its first NUL).
    """
    pieces = [data[i : i + _BUFFER] for i in range(0, len(data), _BUFFER)]

    def fills_buffer(piece: bytes) -> bool:
        nul = piece.find(b"\0")
        return (len(piece) if nul < 0 else nul) == _BUFFER and piece[-1:] != b"\n"

    logical: list[Line | None] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        index += 1
        if fills_buffer(piece):
            logical.append(None)
            while index < len(pieces):
                index += 1
                if not fills_buffer(pieces[index - 1]):
                    break
            continue
        text = piece.decode("utf-8", "surrogateescape").removesuffix("\n")
        number = lineno + len(logical)
        start = 1 if number == 1 and text.startswith(BOM) else 0
        logical.append(_lex_commented(text, "", start, state, number)[1])
    return tuple(logical)


def _lex_commented(
    content: str, newline: str, start: int, state: CommentState, lineno: int
) -> tuple[str, Line]:
    """The slow path: a line with ``;``, a NUL, or inside a block comment."""
    body = content[start:]
    runs, removed = strip_comments(body, state, lineno, start)
    depth = state.depth
    if not runs:
        if body.strip(BLANKS):
            return _lexer.COMMENT, Comment(content, newline, depth=depth)
        return _lexer.BLANK, Blank(content, newline, depth=depth)
    positions: list[int] = []
    dropped = set(removed)
    for run_start, run_end in runs:
        positions.extend(i + start for i in range(run_start, run_end) if i not in dropped)
    kept = "".join(content[i] for i in positions)
    left = len(kept) - len(kept.lstrip(BLANKS))
    effective = kept.strip(BLANKS)
    if not effective:
        return _lexer.COMMENT, Comment(content, newline, depth=depth)
    kind = classify(effective)
    chosen = positions[left : left + len(effective)]
    contiguous = chosen[-1] - chosen[0] + 1 == len(chosen)
    layout: int | tuple[int, ...] = chosen[0] if contiguous else tuple(chosen)
    return kind, NODE_CLASSES[kind](content, newline, effective, layout, depth)

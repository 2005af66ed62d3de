"""The Lark grammar of Asterisk ``.conf`` files: the specification the fast code follows.

``grammar/asterisk_conf.lark`` is shipped once, inside the wheel as
``pyst/config/_syntax/asterisk_conf.lark``; a source checkout reads it from ``grammar/``.
Nothing on the parse or load path runs Lark: the lexer and the line nodes implement the
grammar by hand, and the tests check, line by line over the sample corpus and generated
input, that both agree.  These functions build Lark's parsers (public API only) for
those checks and for tools that want the grammar's own parse of a line.  Lark is an
optional dependency (``pip install 'pyst-pbx[grammar]'``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lark import Lark, Token, Tree

from pyst.config._syntax import lexer as _lexer
from pyst.config._syntax.nodes import Line

_FILE = "asterisk_conf.lark"

#: The grammar's start symbol for each line kind that has an anatomy (part 2).
LINE_RULES = {
    _lexer.HEADER: "header",
    _lexer.ASSIGNMENT: "assignment",
    _lexer.DIRECTIVE: "directive",
}


def grammar_path() -> Path:
    """Where the grammar file is: inside the installed package, else in the checkout."""
    packaged = resources.files(__package__ or "pyst.config._syntax") / _FILE
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "grammar" / _FILE


@cache
def grammar_text() -> str:
    """The text of the grammar file."""
    return grammar_path().read_text(encoding="utf-8")


@cache
def line_parser() -> Lark:
    """Lark's LALR parser for the anatomy of one line (``header``, ``assignment``,
    ``directive``: grammar part 2), built once."""
    from lark import Lark

    return Lark(
        grammar_text(), parser="lalr", lexer="contextual",
        start=["header", "assignment", "directive"],
    )


def parse_line(line: Line) -> Tree[Token] | None:
    """Lark's parse tree of ``line``'s effective text by grammar part 2.

    ``None`` for lines without an anatomy (comments, blanks, text, long lines) and for
    lines the grammar rejects, as Asterisk does (an unclosed ``[`` or ``(``).
    """
    from lark.exceptions import LarkError

    rule = LINE_RULES.get(line.kind)
    if rule is None:
        return None
    try:
        return line_parser().parse(line.effective, start=rule)
    except LarkError:
        return None


@cache
def document_parser() -> Lark:
    """Lark's LALR parser for the file (grammar part 1) over one token per line."""
    from lark import Lark
    from lark.lexer import Lexer, Token

    class _LineTokens(Lexer):
        """Hands Lark the ``(kind, node)`` pairs of ``pyst``'s lexer as tokens."""

        def __init__(self, conf: Any) -> None:
            pass

        def lex(self, data: Any) -> Iterator[Token]:  # type: ignore[override]
            tokens: Iterable[tuple[str, Line]] = data
            for kind, node in tokens:
                yield Token(kind, node)

    return Lark(grammar_text(), parser="lalr", lexer=_LineTokens, start="document")


def parse_document(tokens: Iterable[tuple[str, Line]]) -> Tree[Token]:
    """Lark's parse tree of a file given as ``(kind, node)`` line tokens."""
    return document_parser().parse(list(tokens))  # type: ignore[arg-type,unused-ignore]

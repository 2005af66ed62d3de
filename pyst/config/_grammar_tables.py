"""Load ``grammar/asterisk_conf.lark`` and run its ``document`` rule over line tokens.

Lark compiles the grammar into LALR(1) tables once per process.  The tokens are whole
lines (see ``_lexer``), so a file of 100,000 lines is 100,000 tokens; Lark's general
parser loop spends about 3 µs on each, more than the rest of the work together, so this
module drives Lark's tables with a loop specialised for this grammar (about 1 µs a token).
The tree it builds is the document's own structure: a preamble and sections, each a list
of line nodes -- there is no intermediate parse tree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from typing import Any

from lark import Lark
from lark.lexer import Lexer, LexerState
from lark.parsers.lalr_analysis import Shift

GRAMMAR_FILE = "asterisk_conf.lark"

_END = "$END"


def grammar_text() -> str:
    """The text of the shipped grammar file."""
    return resources.files("pyst.config._grammar").joinpath(GRAMMAR_FILE).read_text("utf-8")


class _LineTokens(Lexer):
    """Placeholder lexer: tokens come from ``pyst.config._lexer``, not from Lark."""

    def __init__(self, conf: Any) -> None:
        pass

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Any:  # pragma: no cover
        raise NotImplementedError("line tokens are produced by pyst.config._lexer")


@cache
def document_parser() -> Lark:
    """Lark's LALR parser for the grammar's ``document`` rule (built once)."""
    return Lark(grammar_text(), parser="lalr", lexer=_LineTokens, start="document")


@cache
def line_parser() -> Lark:
    """Lark's LALR parser for the anatomy of one line (``header``, ``assignment``,
    ``directive``), built on first use only: the fast path never needs it."""
    return Lark(
        grammar_text(), parser="lalr", lexer="contextual",
        start=["header", "assignment", "directive"],
    )




@cache
def _tables() -> tuple[dict[int, dict[str, tuple[bool, Any]]], int, int]:
    """The action table as ``{state: {token: (is_shift, state or reduction)}}``."""
    parse_table = document_parser().parser.parser.parser.parse_table
    states: dict[int, dict[str, tuple[bool, Any]]] = {}
    for state, actions in parse_table.states.items():
        row: dict[str, tuple[bool, Any]] = {}
        for token, (action, argument) in actions.items():
            # Lark names some symbols with Token objects, whose __eq__ is slow: use str.
            if action is Shift:
                row[str(token)] = (True, argument)
            else:
                origin = str(argument.origin.name)
                row[str(token)] = (False, (len(argument.expansion), origin))
        states[state] = row
    return states, parse_table.start_states["document"], parse_table.end_states["document"]


class DocumentBuilder:
    """Callbacks that turn reductions of the ``document`` rule into values."""

    def preamble(self, children: list[Any]) -> Any:
        """``preamble: _line*`` -- the lines before the first header."""
        return children[0] if children else []

    def section(self, children: list[Any]) -> Any:
        """``section: HEADER _line*``."""
        return children

    def document(self, children: list[Any]) -> Any:
        """``document: preamble section*``."""
        return children


def parse_lines(tokens: Iterable[tuple[str, Any]], builder: DocumentBuilder) -> Any:
    """Run the ``document`` rule over ``(kind, node)`` tokens; return the document value.

    The grammar accepts every sequence of line kinds, so this never fails on real
    tokens; an unknown kind is a programming error and raises ``KeyError``.
    """
    states, start, end = _tables()
    handlers: dict[str, Callable[[list[Any]], Any]] = {
        "document": builder.document,
        "preamble": builder.preamble,
        "section": builder.section,
    }
    state_stack = [start]
    values: list[Any] = []
    push_state = state_stack.append
    push_value = values.append

    for kind, node in tokens:
        while True:
            is_shift, argument = states[state_stack[-1]][kind]
            if is_shift:
                push_state(argument)
                push_value(node)
                break
            size, origin = argument
            if origin[0] == "_":
                # ``__x_star_n: __x_star_n item`` appends; ``__x_star_n: item`` starts a list.
                if size == 2:
                    item = values.pop()
                    values[-1].append(item)
                    del state_stack[-2:]
                else:
                    values[-1] = [values[-1]]
                    del state_stack[-1]
            else:
                children = values[len(values) - size :]
                del values[len(values) - size :]
                if size:
                    del state_stack[-size:]
                push_value(handlers[origin](children))
            push_state(states[state_stack[-1]][origin][1])
    while state_stack[-1] != end:
        is_shift, argument = states[state_stack[-1]][_END]
        size, origin = argument
        children = values[len(values) - size :]
        del values[len(values) - size :]
        if size:
            del state_stack[-size:]
        if origin[0] == "_":
            if size == 2:
                children[0].append(children[1])
                push_value(children[0])
            else:
                push_value([children[0]])
        else:
            push_value(handlers[origin](children))
        push_state(states[state_stack[-1]][origin][1])
    return values[-1]

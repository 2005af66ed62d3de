"""A small evaluator for ``$[...]`` expressions met at load time (``main/ast_expr2.y``):
``| & = != < > <= >= + - * / % ! ( ) ?:`` on integers, numbers and strings.

Only what a dialplan file can hold before a call exists is needed (extension names,
``include``/``switch`` values and ``[globals]``); anything it cannot read evaluates to
the text itself, as Asterisk's lexer turns an unknown token into a string.
"""

from __future__ import annotations

import re

__all__ = ["evaluate"]

_TOKEN = re.compile(
    r'\s*("(?:[^"\\]|\\.)*"|\|\||&&|!=|<=|>=|=~|::|[|&=<>+\-*/%!():?]'
    r'|[^\s|&=<>+\-*/%!():?"]+)'
)
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)\Z")


def _number(text: str) -> float | None:
    return float(text) if _NUMBER.match(text) else None


def _format(value: float) -> str:
    if value == int(value) and abs(value) < 1e18:
        return str(int(value))
    return format(value, ".18g")


def _false(text: str) -> bool:
    number = _number(text)
    return text == "" or (number is not None and number == 0)


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def conditional(self) -> str:
        condition = self.logical_or()
        if self.peek() == "?":
            self.take()
            yes = self.conditional()
            if self.peek() == "::":
                self.take()
            no = self.conditional()
            return no if _false(condition) else yes
        return condition

    def logical_or(self) -> str:
        left = self.logical_and()
        while self.peek() in ("|", "||"):
            self.take()
            right = self.logical_and()
            left = right if _false(left) else left
        return left

    def logical_and(self) -> str:
        left = self.comparison()
        while self.peek() in ("&", "&&"):
            self.take()
            right = self.comparison()
            left = "0" if _false(left) or _false(right) else left
        return left

    def comparison(self) -> str:
        left = self.additive()
        while self.peek() in ("=", "!=", "<", ">", "<=", ">="):
            op = self.take()
            right = self.additive()
            a, b = _number(left), _number(right)
            pair: tuple[float, float] | tuple[str, str] = (a, b) if (
                a is not None and b is not None
            ) else (left, right)
            x, y = pair
            result = {
                "=": x == y, "!=": x != y, "<": x < y, ">": x > y,  # type: ignore[operator]
                "<=": x <= y, ">=": x >= y,  # type: ignore[operator]
            }[op]
            left = "1" if result else "0"
        return left

    def additive(self) -> str:
        left = self.multiplicative()
        while self.peek() in ("+", "-"):
            op = self.take()
            right = self.multiplicative()
            a, b = _number(left) or 0.0, _number(right) or 0.0
            left = _format(a + b if op == "+" else a - b)
        return left

    def multiplicative(self) -> str:
        left = self.unary()
        while self.peek() in ("*", "/", "%"):
            op = self.take()
            right = self.unary()
            a, b = _number(left) or 0.0, _number(right) or 0.0
            if op == "*":
                left = _format(a * b)
            elif b == 0:
                left = "0"
            elif op == "/":
                left = _format(a / b)
            else:
                left = _format(a - b * int(a / b))
        return left

    def unary(self) -> str:
        token = self.peek()
        if token == "-":
            self.take()
            value = _number(self.unary())
            return _format(-(value or 0.0))
        if token == "!":
            self.take()
            return "1" if _false(self.unary()) else "0"
        return self.primary()

    def primary(self) -> str:
        token = self.peek()
        if token is None:
            return ""
        if token == "(":
            self.take()
            value = self.conditional()
            if self.peek() == ")":
                self.take()
            return value
        self.take()
        if token.startswith('"') and token.endswith('"') and len(token) >= 2:
            return token[1:-1]
        return token


def evaluate(expression: str) -> str:
    """The value of ``$[expression]`` as Asterisk prints it (``1+2`` gives ``3``)."""
    tokens = [match.group(1) for match in _TOKEN.finditer(expression)]
    if not tokens:
        return ""
    parser = _Parser(tokens)
    try:
        value = parser.conditional()
    except (IndexError, ValueError, OverflowError):
        return ""
    return value

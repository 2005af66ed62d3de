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
import warnings
from collections.abc import Callable
from dataclasses import dataclass

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

# glibc reads an escaped comma inside an interval as a comma ("a{\\,}" is "a{,}").
_INTERVAL = re.compile(r"\{(\d*)(,|\\,)?(\d*)\}")


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
                if escaped in _ESCAPE_ASSERTS:
                    atom = None  # glibc will not repeat an assertion
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
                comma = "," if comma else ""
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


@dataclass
class _BracketSet:
    """A parsed bracket expression."""

    negated: bool
    singles: list[str]
    ranges: list[tuple[str, str]]
    classes: list[str]
    end: int


def _parse_bracket(pattern: str, start: int) -> _BracketSet:
    """Read the bracket expression at ``start`` as glibc's regcomp does in C.UTF-8.

    Collating symbols ``[.x.]`` and equivalence classes ``[=x=]`` exist only for one ASCII
    character; range ends must be ASCII characters or such symbols; a class cannot start
    a range.  Anything else is an error, as it is for glibc.
    """
    index = start + 1
    negated = pattern[index : index + 1] == "^"
    if negated:
        index += 1
    result = _BracketSet(negated, [], [], [], 0)
    first = True

    def element(at: int) -> tuple[str, str, int]:
        """(kind, text, next index) of the element at ``at``: kind is char, coll or class."""
        if pattern[at] == "[" and pattern[at + 1 : at + 2] in (":", "=", "."):
            kind = pattern[at + 1]
            close = pattern.find(kind + "]", at + 2)
            if close < 0:
                raise PosixRegexError("unmatched [")
            name = pattern[at + 2 : close]
            if kind == ":":
                if name not in _CLASSES:
                    raise PosixRegexError(f"invalid character class {name!r}")
                return "class", name, close + 2
            if len(name) != 1 or not name.isascii():
                raise PosixRegexError(f"invalid collating element {name!r}")
            return ("coll" if kind == "." else "equiv"), name, close + 2
        return "char", pattern[at], at + 1

    while True:
        if index >= len(pattern):
            raise PosixRegexError("unmatched [")
        if pattern[index] == "]" and not first:
            result.end = index + 1
            return result
        first = False
        kind, text, after = element(index)
        ranged = (
            pattern[after : after + 1] == "-"
            and after + 1 < len(pattern)
            and pattern[after + 1] != "]"
        )
        if ranged:
            if kind in ("class", "equiv"):
                raise PosixRegexError("a class cannot start a range")
            end_kind, end_text, after = element(after + 1)
            if end_kind in ("class", "equiv"):
                raise PosixRegexError("a class cannot end a range")
            if not (text.isascii() and end_text.isascii()) or end_text < text:
                raise PosixRegexError("invalid range end")
            result.ranges.append((text, end_text))
        elif kind == "class":
            result.classes.append(text)
        else:
            result.singles.append(text)
        index = after


def _bracket(pattern: str, start: int) -> tuple[str, int]:
    """Translate the bracket expression at ``start``; return it and the index after it."""
    parsed = _parse_bracket(pattern, start)
    parts = ["[^" if parsed.negated else "["]
    parts.extend(_escape_in_set(char) for char in parsed.singles)
    parts.extend(f"{_escape_in_set(low)}-{_escape_in_set(high)}" for low, high in parsed.ranges)
    parts.extend(_CLASSES[name] for name in parsed.classes)
    parts.append("]")
    return "".join(parts), parsed.end


def _escape_in_set(text: str) -> str:
    return "".join("\\" + c if c in "\\]^-[&|~" else c for c in text)


class Matcher:
    """A compiled pattern: :meth:`search` says whether it matches anywhere in a string."""

    def search(self, text: str) -> bool:  # pragma: no cover - interface
        """True if the pattern matches somewhere in ``text``."""
        raise NotImplementedError


class _PythonMatcher(Matcher):
    """Python's backtracking ``re`` (only for back-references, which an NFA cannot do)."""

    def __init__(self, compiled: re.Pattern[str]):
        self._compiled = compiled

    def search(self, text: str) -> bool:
        """True if the pattern matches somewhere in ``text``."""
        return self._compiled.search(text) is not None


def compile_posix(pattern: str) -> Matcher:
    """Compile ``pattern`` as glibc would (raises PosixRegexError or re.error).

    Matching runs on a Thompson NFA (time linear in the text, like glibc's matcher), so a
    filter such as ``a*a*a*a*a*b`` cannot stall a load; patterns with back-references,
    which need backtracking, use Python's ``re``.
    """
    try:
        with warnings.catch_warnings():
            # Ranges such as "[+--]" are fine in both dialects; Python merely warns.
            warnings.simplefilter("ignore", FutureWarning)
            compiled = re.compile(translate(pattern))
    except (OverflowError, RecursionError) as error:
        raise PosixRegexError(str(error)) from error
    if re.search(r"\\[1-9]", pattern):
        return _PythonMatcher(compiled)
    program = _Compiler().compile(_Parser(pattern).parse())
    if program is None:
        return _PythonMatcher(compiled)
    return _Program(program)


# -- the NFA --------------------------------------------------------------------------------

Node = tuple[object, ...]
def _is_word(char: str) -> bool:
    """A word character in C.UTF-8: letters and digits of any script, and '_'."""
    return (char.isalnum() or char == "_") and not "\udc80" <= char <= "\udcff"


_ESCAPE_SETS = {
    "w": _is_word,
    "W": lambda c: not _is_word(c) and not "\udc80" <= c <= "\udcff",
    "s": str.isspace,
    "S": lambda c: not c.isspace() and not "\udc80" <= c <= "\udcff",
}
_ESCAPE_ASSERTS = {"b": "word", "B": "notword", "<": "wordstart", ">": "wordend",
                   "`": "start", "'": "end"}
_MAX_PROGRAM = 20_000


def _is_character(char: str) -> bool:
    """Whether ``char`` is a character in C.UTF-8: bytes that are not valid UTF-8 (kept as
    ``\\udcXX`` escapes) are not, so ``.`` and bracket expressions never match them."""
    return not "\udc80" <= char <= "\udcff"


_LINE_SPACES = "\n\v\f\r\x1c\x1d\x1e\x1f\x85\u2028\u2029"

#: Character classes as glibc has them in the C.UTF-8 locale Asterisk runs in
#: (main/asterisk.c sets it): letters beyond ASCII are letters.
_CLASS_TESTS: dict[str, Callable[[str], bool]] = {
    "alpha": str.isalpha,
    "digit": lambda c: "0" <= c <= "9",
    "alnum": lambda c: c.isalpha() or "0" <= c <= "9",
    "upper": str.isupper,
    "lower": str.islower,
    "space": str.isspace,
    "blank": lambda c: c in " \t" or (c.isspace() and c not in _LINE_SPACES),
    "xdigit": lambda c: c in "0123456789abcdefABCDEF",
    "punct": lambda c: c.isprintable() and not c.isspace() and not c.isalnum(),
    "cntrl": lambda c: ord(c) < 32 or 127 <= ord(c) < 160,
    "print": str.isprintable,
    "graph": lambda c: c.isprintable() and not c.isspace(),
}


def _bracket_predicate(pattern: str, start: int) -> tuple[Callable[[str], bool], int]:
    """The bracket expression at ``start`` as a character test, and the index after it."""
    parsed = _parse_bracket(pattern, start)
    singles = set(parsed.singles)
    ranges = parsed.ranges
    classes = [_CLASS_TESTS[name] for name in parsed.classes]
    negated = parsed.negated

    def test(candidate: str) -> bool:
        if not _is_character(candidate):
            return False
        hit = (
            candidate in singles
            or any(low <= candidate <= high for low, high in ranges)
            or any(check(candidate) for check in classes)
        )
        return hit != negated

    return test, parsed.end


class _Parser:
    """Parse an ERE that :func:`translate` accepted into a small tree."""

    def __init__(self, pattern: str):
        self.pattern = pattern
        self.pos = 0

    def parse(self) -> Node:
        return self._alternation(0)

    def _alternation(self, depth: int) -> Node:
        branches = [self._concatenation(depth)]
        while self.pos < len(self.pattern) and self.pattern[self.pos] == "|":
            self.pos += 1
            branches.append(self._concatenation(depth))
        return ("alt", branches) if len(branches) > 1 else branches[0]

    def _concatenation(self, depth: int) -> Node:
        items: list[Node] = []
        pattern = self.pattern
        while self.pos < len(pattern):
            char = pattern[self.pos]
            if char == "|" or (char == ")" and depth):
                break
            if char in "*+?{" and items:
                items[-1] = self._quantified(items[-1])
                continue
            items.append(self._atom(depth))
        return ("cat", items)

    def _quantified(self, node: Node) -> Node:
        char = self.pattern[self.pos]
        if char == "{":
            match = _INTERVAL.match(self.pattern, self.pos)
            assert match is not None  # translate() accepted the pattern
            low, comma, high = match.groups()
            self.pos = match.end()
            low_count = int(low) if low else 0
            high_count = int(high) if high else (None if comma else low_count)
            return ("rep", node, low_count, high_count)
        self.pos += 1
        return ("rep", node, *{"*": (0, None), "+": (1, None), "?": (0, 1)}[char])

    def _atom(self, depth: int) -> Node:
        pattern = self.pattern
        char = pattern[self.pos]
        if char == "(":
            self.pos += 1
            inner = self._alternation(depth + 1)
            self.pos += 1  # the ')'
            return inner
        if char == "[":
            predicate, self.pos = _bracket_predicate(pattern, self.pos)
            return ("pred", predicate)
        self.pos += 1
        if char == "\\":
            escaped = pattern[self.pos]
            self.pos += 1
            if escaped in _ESCAPE_SETS:
                return ("pred", _ESCAPE_SETS[escaped])
            if escaped in _ESCAPE_ASSERTS:
                return ("assert", _ESCAPE_ASSERTS[escaped])
            return ("char", escaped)
        if char == ".":
            return ("pred", _is_character)
        if char == "^":
            return ("assert", "start")
        if char == "$":
            return ("assert", "end")
        return ("char", char)


class _Compiler:
    """Turn the tree into instructions: char/class/pred/any consume, split/jmp branch."""

    def __init__(self) -> None:
        self.program: list[list[object]] = []

    def compile(self, node: Node) -> list[list[object]] | None:
        try:
            self._emit(node)
        except OverflowError:
            return None
        self.program.append(["match"])
        return self.program

    def _emit(self, node: Node) -> None:
        program = self.program
        if len(program) > _MAX_PROGRAM:
            raise OverflowError("pattern too large for the NFA")
        kind = node[0]
        if kind == "cat":
            for item in node[1]:  # type: ignore[attr-defined]
                self._emit(item)
        elif kind == "alt":
            branches: list[Node] = node[1]  # type: ignore[assignment]
            jumps = []
            for branch in branches[:-1]:
                split = len(program)
                program.append(["split", split + 1, 0])
                self._emit(branch)
                jumps.append(len(program))
                program.append(["jmp", 0])
                program[split][2] = len(program)
            self._emit(branches[-1])
            for jump in jumps:
                program[jump][1] = len(program)
        elif kind == "rep":
            _, inner, low, high = node
            for _ in range(low):  # type: ignore[call-overload]
                self._emit(inner)  # type: ignore[arg-type]
            if high is None:
                loop = len(program)
                program.append(["split", loop + 1, 0])
                self._emit(inner)  # type: ignore[arg-type]
                program.append(["jmp", loop])
                program[loop][2] = len(program)
            else:
                for _ in range(high - low):  # type: ignore[operator]
                    split = len(program)
                    program.append(["split", split + 1, 0])
                    self._emit(inner)  # type: ignore[arg-type]
                    program[split][2] = len(program)
        else:
            program.append(list(node))


class _Program(Matcher):
    """Pike-VM simulation of the instructions: each position is visited once per state."""

    def __init__(self, program: list[list[object]]):
        self.program = program

    def search(self, text: str) -> bool:
        """True if the pattern matches somewhere in ``text``."""
        program = self.program
        current: list[int] = []
        for position in range(len(text) + 1):
            # A new attempt starts at every position (the search is unanchored).
            if self._close([0], position, text, current):
                return True
            if position == len(text):
                return False
            char = text[position]
            following = [pc + 1 for pc in current if _consumes(program[pc], char)]
            current = []
            if following and self._close(following, position + 1, text, current):
                return True
        return False

    def _close(self, starts: list[int], position: int, text: str, out: list[int]) -> bool:
        """Follow branches and assertions from ``starts``, adding the consuming states
        reached to ``out``; True if ``match`` is reached."""
        program = self.program
        stack = list(reversed(starts))
        seen: set[int] = set()
        while stack:
            pc = stack.pop()
            if pc in seen:
                continue
            seen.add(pc)
            instruction = program[pc]
            op = instruction[0]
            if op == "match":
                return True
            if op == "jmp":
                stack.append(instruction[1])  # type: ignore[arg-type]
            elif op == "split":
                stack.append(instruction[2])  # type: ignore[arg-type]
                stack.append(instruction[1])  # type: ignore[arg-type]
            elif op == "assert":
                if _holds(instruction[1], text, position):  # type: ignore[arg-type]
                    stack.append(pc + 1)
            elif pc not in out:
                out.append(pc)
        return False


def _consumes(instruction: list[object], char: str) -> bool:
    op = instruction[0]
    if op == "char":
        return char == instruction[1]
    if op == "any":
        return True
    if op == "class":
        return instruction[1].fullmatch(char) is not None  # type: ignore[attr-defined]
    if op == "pred":
        return bool(instruction[1](char))  # type: ignore[operator]
    return False


def _holds(kind: str, text: str, position: int) -> bool:
    before = position > 0 and _is_word(text[position - 1])
    after = position < len(text) and _is_word(text[position])
    if kind == "start":
        return position == 0
    if kind == "end":
        return position == len(text)
    if kind == "word":
        return before != after
    if kind == "notword":
        return before == after
    if kind == "wordstart":
        return after and not before
    return before and not after  # wordend

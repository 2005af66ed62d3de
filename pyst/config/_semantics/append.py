"""The ``+=`` rule of Asterisk's loader, shared by the loader and section reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pyst.config._semantics.model import fold
from pyst.config._syntax.lexer import BLANKS


def append_target(
    pairs: Sequence[tuple[str, str]], name: str, text: str, *, last_match: bool = True
) -> tuple[int, str, str] | None:
    """Where ``name += text`` lands among ``(name, value)`` pairs, or ``None`` for a new one.

    Asterisk finds the last variable named exactly ``name`` and builds its value plus the
    raw ``text``, trimmed; ``ast_variable_update`` then writes that to the *last* variable
    (``last_match``, Asterisk 23+) or the *first* one (up to 22) whose name and value
    equal the found one's ignoring case (any value when it is empty).
    Returns ``(index to replace, its new name, its new value)``.
    """
    found = None
    for index, (candidate, _) in enumerate(pairs):
        if candidate == name:
            found = index
    if found is None:
        return None
    old_name, old_value = pairs[found]
    folded_name = fold(old_name)
    folded_value = fold(old_value)
    target = found
    for index, (candidate, value) in enumerate(pairs):
        if fold(candidate) == folded_name and (not old_value or fold(value) == folded_value):
            target = index
            if not last_match:
                break
    return target, old_name, (old_value + text).strip(BLANKS)


@dataclass(frozen=True)
class AppendChoice:
    """A ``+=`` line whose result depends on the Asterisk release that reads it.

    Up to Asterisk 22 ``ast_variable_update`` rewrites the *first* variable that matches,
    from 23 on the *last*; here they are different variables and the results differ.
    ``first``/``last`` are the ``(name, value)`` those variables had before the line.
    """

    file: str
    line: int
    column: int
    name: str
    first: tuple[str, str]
    last: tuple[str, str]
    result: str


def append_choice(
    pairs: Sequence[tuple[str, str]], name: str, text: str, where: tuple[str, int, int]
) -> AppendChoice | None:
    """The :class:`AppendChoice` of ``name += text`` at ``where`` (file, line, column)
    when the two rules of :func:`append_target` give different lists, else ``None``."""
    first = append_target(pairs, name, text, last_match=False)
    last = append_target(pairs, name, text, last_match=True)
    if first is None or last is None or first[0] == last[0]:
        return None
    written = (first[1], first[2])
    if pairs[first[0]] == written and pairs[last[0]] == written:
        return None  # both lists end up alike: the line adds nothing and renames nothing
    file, line, column = where
    (first_name, first_value), (last_name, last_value) = pairs[first[0]], pairs[last[0]]
    return AppendChoice(
        file, line, column, name, (first_name, first_value), (last_name, last_value), first[2]
    )

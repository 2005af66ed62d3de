"""The ``+=`` rule of Asterisk's loader, shared by the loader and section reads."""

from __future__ import annotations

from collections.abc import Sequence

from pyst.config._lexer import BLANKS
from pyst.config._model import fold


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

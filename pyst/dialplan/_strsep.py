"""``pbx_strsep``: how pbx_config splits an ``exten =>`` line's fields."""

from __future__ import annotations


def pbx_strsep(text: str) -> tuple[str, str | None]:
    """``pbx_strsep(&s, ",")``: split at the first ``,`` outside ``[...]``; ``\\`` skips."""
    if "[" not in text and "\\" not in text:
        head, comma, tail = text.partition(",")
        return head, (tail if comma else None)
    square = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char == "[":
            square += 1
        elif char == "]":
            if square:
                square -= 1
        elif char == "\\":
            index += 1
        elif char == "," and not square:
            return text[:index], text[index + 1 :]
        index += 1
    return text, None

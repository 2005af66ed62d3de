"""The warnings of ``ast_build_timing`` (``main/pbx_timing.c``) for include time specs."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["check_timing"]

_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

Log = Callable[[str, str, str], None]


def _scan2(text: str) -> int | None:
    """``sscanf("%2d")``."""
    stripped = text.lstrip(" \t\n\v\f\r")
    index = 1 if stripped[:1] in ("+", "-") else 0
    digits = index
    while index < len(stripped) and index < 2 and stripped[index].isdigit():
        index += 1
    if index == digits:
        return None
    return int(stripped[:index])


def _time(text: str) -> tuple[int, int] | None:
    """``sscanf("%2d:%2d")`` with the range checks of ``get_timerange``."""
    stripped = text.lstrip(" \t\n\v\f\r")
    index = 1 if stripped[:1] in ("+", "-") else 0
    start = index
    while index < len(stripped) and index < 2 and stripped[index].isdigit():
        index += 1
    if index == start:
        return None
    hour = int(stripped[:index])
    rest = stripped[index:]
    if rest[:1] != ":":
        return None
    minute = _scan2(rest[1:])
    if minute is None:
        return None
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return hour, minute


def _lookup(text: str, names: tuple[str, ...] | None, top: int) -> int:
    if names and text[:1] > "9":
        lowered = text.lower()
        if lowered in names:
            return names.index(lowered)
    number = _scan2(text)
    if number is not None and 1 <= number <= top:
        return number - 1
    return -1


def _range(text: str, top: int, names: tuple[str, ...] | None, what: str, log: Log) -> None:
    if not text or text == "*":
        return
    for part in text.split("&"):
        start, dash, end = part.partition("-")
        if _lookup(start, names, top) < 0:
            log("WARNING", "pbx_timing.c", f"Invalid {what} '{start}', skipping element")
            continue
        if dash and _lookup(end, names, top) < 0:
            log("WARNING", "pbx_timing.c", f"Invalid end {what} '{end}', skipping element")


def _times(text: str, log: Log) -> None:
    if not text or text == "*":
        return
    for part in text.split("&"):
        if "-" not in part:
            if _time(part) is None:
                log("WARNING", "pbx_timing.c", f"{part} isn't a valid time.")
            continue
        start, _, end = part.partition("-")
        index = 0
        while index < len(end) and not end[index].isdigit():
            index += 1
        end = end[index:]
        if not end:
            log("WARNING", "pbx_timing.c", f"Invalid time range starting with '{start}-'.")
            continue
        if _time(start) is None:
            log("WARNING", "pbx_timing.c", f"'{start}' isn't a valid start time.")
            continue
        if _time(end) is None:
            log("WARNING", "pbx_timing.c", f"'{end}' isn't a valid end time.")


def check_timing(spec: str, log: Log) -> None:
    """Log what ``ast_build_timing`` logs for ``spec`` (the part after the context)."""
    if not spec:
        return
    fields: list[str] = []
    current = ""
    for char in spec:
        if char in "|,":
            fields.append(current)
            current = ""
        else:
            current += char
    fields.append(current)
    _times(fields[0], log)
    if len(fields) > 1:
        _range(fields[1], 7, _DAYS, "day of week", log)
    if len(fields) > 2:
        _range(fields[2], 31, None, "day", log)
    if len(fields) > 3:
        _range(fields[3], 12, _MONTHS, "month", log)

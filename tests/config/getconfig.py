"""Read a recorded AMI GetConfig answer into comparable data (test helper)."""

from __future__ import annotations

import re

from pyst.config import Config

_HEADER = re.compile(r"^(Category|IsTemplate|Templates)-(\d{6}): ?(.*)$")
_LINE = re.compile(r"^Line-(\d{6})-(\d{6}): ?(.*)$")

Categories = list[tuple[str, bool, list[str], list[tuple[str, str]]]]


def parse_getconfig(answer: str) -> tuple[bool, Categories]:
    """Return (loaded, [(name, template, templates, [(name, value)…])…]) of an answer.

    Values keep their bytes: the answer is read as latin-1 and so are our values
    compared (see :func:`view_of`).
    """
    lines = answer.split("\r\n") if "\r\n" in answer else answer.split("\n")
    loaded = any(line == "Response: Success" for line in lines)
    categories: Categories = []
    for line in lines:
        match = _HEADER.match(line)
        if match:
            kind, _, value = match.groups()
            if kind == "Category":
                categories.append((value, False, [], []))
            elif kind == "IsTemplate":
                name, _, templates, items = categories[-1]
                categories[-1] = (name, value == "1", templates, items)
            else:
                categories[-1][2].extend(value.split(","))
            continue
        match = _LINE.match(line)
        if match:
            name, _, value = match.group(3).partition("=")
            categories[-1][3].append((name, value))
    return loaded, categories


def view_of(config: Config) -> tuple[bool, Categories]:
    """The same shape, from our semantic view."""
    return config.loaded, [
        (c.name, c.template, list(c.inherits), [(v.name, v.value) for v in c.variables])
        for c in config.categories
    ]

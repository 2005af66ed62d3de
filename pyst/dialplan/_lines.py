"""One ``exten``/``same``/``include``/``switch``/``ignorepat`` line split the way pbx_config
splits it, before any of it is registered, and application arguments split as
``ast_app_separate_args`` splits them."""

from __future__ import annotations

from dataclasses import dataclass, field

from pyst.config import Config
from pyst.dialplan._strsep import pbx_strsep

__all__ = ["DialplanLine", "context_lines", "parse_line", "split_args", "split_call"]

_KINDS = {"exten", "include", "ignorepat", "switch", "lswitch", "eswitch", "autohints"}


@dataclass(frozen=True)
class DialplanLine:
    """A line of a context as pbx_config reads it.

    ``kind`` is ``exten``, ``same`` (any name starting with ``same``), ``include``,
    ``ignorepat``, ``switch``/``lswitch``/``eswitch``, ``autohints`` or ``unknown``.
    For ``exten``/``same``: ``extension`` (``None`` for ``same``), ``cid``, the raw
    ``priority`` field, ``label``, ``app`` and ``data`` (``args`` split on ``,``).
    """

    kind: str
    context: str
    name: str
    value: str
    file: str
    line: int
    extension: str | None = None
    cid: str | None = None
    priority: str = ""
    label: str | None = None
    app: str = ""
    data: str = ""
    args: tuple[str, ...] = field(default_factory=tuple)


def split_call(text: str) -> tuple[str, str]:
    """``App(data)`` split as pbx_config splits it: ``(app, data)``."""
    if "(" not in text:
        return text.lstrip(), ""
    head, _, tail = text.partition("(")
    if "${" in head or "$[" in head:
        return text.lstrip(), ""
    close = tail.rfind(")")
    return head.lstrip(), tail[:close] if close >= 0 else tail


def split_args(data: str, separator: str = ",") -> list[str]:
    """Application data split into arguments (``ast_app_separate_args``): separators
    inside ``(...)``, ``[...]``, ``{...}`` or quotes and ``\\``-escaped ones do not split."""
    if data == "":
        return []
    args: list[str] = []
    depth = 0
    quoted = False
    current: list[str] = []
    index = 0
    while index < len(data):
        char = data[index]
        if char == "\\" and index + 1 < len(data):
            current.append(data[index : index + 2])
            index += 2
            continue
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "([{":
            depth += 1
        elif not quoted and char in ")]}" and depth:
            depth -= 1
        elif char == separator and not quoted and not depth:
            args.append("".join(current))
            current = []
            index += 1
            continue
        current.append(char)
        index += 1
    args.append("".join(current))
    return args


def parse_line(context: str, name: str, value: str, file: str, line: int) -> DialplanLine:
    """Split one context line (``name => value``) the way pbx_config does."""
    lowered = name.lower()
    if lowered.startswith("same"):
        kind = "same"
        extension: str | None = None
        rest: str | None = value
    elif lowered in _KINDS:
        kind = lowered
        if kind != "exten":
            return DialplanLine(kind, context, name, value, file, line)
        extension, rest = pbx_strsep(value)
    else:
        return DialplanLine("unknown", context, name, value, file, line)
    cid: str | None = None
    if extension is not None and "/" in extension:
        extension, cid = extension.split("/", 1)
    priority_text, app_text = ("", "") if rest is None else (
        rest.split(",", 1) if "," in rest else (rest, "")
    )
    priority = priority_text.strip()
    label: str | None = None
    if "(" in priority:
        priority, _, label = priority.partition("(")
        label = label.split(")", 1)[0]
    app, data = split_call(app_text)
    return DialplanLine(kind, context, name, value, file, line, extension, cid, priority, label,
                        app, data, tuple(split_args(data)))


def context_lines(config: Config) -> list[DialplanLine]:
    """Every line of every context (not ``[general]``, ``[globals]`` or templates) of a
    loaded extensions.conf, split as pbx_config splits it, in the order pbx_config reads
    them, each with its file and line (``#include``d files and template copies too)."""
    result: list[DialplanLine] = []
    for category in config.categories:
        if category.template or category.name.lower() in ("general", "globals"):
            continue
        for variable in category.variables:
            result.append(parse_line(category.name, variable.name, variable.value,
                                     variable.file or config.file, variable.line))
    return result

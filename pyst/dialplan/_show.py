"""``dialplan show``: the text Asterisk's CLI prints for a dialplan, byte for byte."""

from __future__ import annotations

from dataclasses import dataclass

from pyst.dialplan._model import HINT, Context, Dialplan, Priority
from pyst.dialplan._patterns import match_core

__all__ = ["show", "show_bytes", "show_globals_bytes"]

_BUF = 1024
_MAX_STACK = 512


def _b(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _pad(text: bytes, width: int) -> bytes:
    return text + b" " * (width - len(text)) if len(text) < width else text


def _cut(text: bytes) -> bytes:
    """``snprintf`` into a 1024-byte buffer keeps 1023 bytes."""
    return text[: _BUF - 1]


def _print_ext(priority: Priority) -> bytes:
    if priority.number == HINT:
        return _cut(b"hint: " + _b(priority.app))
    return _cut(b"%d. " % priority.number + _b(priority.app) + b"(" + _b(priority.data) + b")")


def _row(first: bytes, second: bytes, priority: Priority, registrar: str) -> bytes:
    head = b"  " + _pad(first, 17) + b" " + _pad(second, 45) + b" "
    if priority.registrar_file is not None:
        return head + b"[" + _b(priority.registrar_file) + b":%d]\n" % priority.line
    return head + b"[" + _b(registrar) + b"]\n"


@dataclass
class _Counters:
    """``struct dialplan_counters``."""

    contexts: int = 0
    extensions: int = 0
    priorities: int = 0
    context_existence: bool = False
    extension_existence: bool = False


def _header(context: Context, included: bool) -> list[bytes]:
    kind = b"Included context" if included else b"Context"
    out = [b"[ " + kind + b" '" + _b(context.name) + b"' created by '"
           + _b(context.registrar) + b"' ]\n"]
    if context.autohints and not included:
        out.append(b"Autohints support enabled\n")
    return out


def _helper(dialplan: Dialplan, context_name: str | None, exten: str | None,
            counts: _Counters, included: bool, stack: list[str], out: list[bytes],
            log: list[str]) -> None:
    """``show_dialplan_helper``."""
    for context in reversed(dialplan.contexts):
        if context_name is not None and context.name != context_name:
            continue
        counts.context_existence = True
        printed = False
        if exten is None:
            counts.contexts += 1
            out.extend(_header(context, False))
            printed = True
        for extension in context.extensions:
            if exten is not None and not match_core(extension.name, exten):
                continue
            counts.extension_existence = True
            if not printed:
                counts.contexts += 1
                out.extend(_header(context, included))
                printed = True
            first = extension.priorities[0]
            if extension.cid is not None:
                name = (b"'" + _b(extension.name) + b"' (CID match '" + _b(extension.cid)
                        + b"') => ")
            else:
                name = b"'" + _b(extension.name) + b"' =>"
            counts.priorities += 1
            out.append(_row(_cut(name), _print_ext(first), first, context.registrar))
            counts.extensions += 1
            for priority in extension.priorities[1:]:
                counts.priorities += 1
                label = _cut(b"   [" + _b(priority.label) + b"]") if priority.label else b""
                out.append(_row(label, _print_ext(priority), priority, context.registrar))
        for include in context.includes:
            if exten is None:
                out.append(b"  Include =>        " + _pad(_cut(b"'" + _b(include.value) + b"'"),
                                                         45)
                           + b" [" + _b(context.registrar) + b"]\n")
            elif len(stack) >= _MAX_STACK:
                log.append("WARNING pbx.c: Maximum include depth exceeded!")
            elif any(include.value.lower() == seen.lower() for seen in stack):
                log.append(f"WARNING pbx.c: Avoiding circular include of {include.value} "
                           f"within {context_name}")
            else:
                _helper(dialplan, include.value, exten, counts, True, [*stack, include.value],
                        out, log)
        for ignore in context.ignore_patterns:
            if exten is None or match_core("_" + ignore.pattern + ".", exten):
                out.append(b"  Ignore pattern => "
                           + _pad(_cut(b"'" + _b(ignore.pattern) + b"'"), 45)
                           + b" [" + _b(context.registrar) + b"]\n")
        if not included:
            for switch in context.switches:
                text = _cut(b"'" + _b(switch.name) + b"/" + _b(switch.data) + b"'")
                out.append(b"  Alt. Switch =>    " + _pad(text, 45) + b" ["
                           + _b(context.registrar) + b"]\n")
        if printed:
            out.append(b"\n")


def show_bytes(dialplan: Dialplan, target: str | None = None) -> bytes:
    """The output of ``dialplan show [[exten@]context]`` as bytes (``target`` as typed
    on Asterisk's CLI; ``None`` shows the whole dialplan)."""
    context_name: str | None = None
    exten: str | None = None
    if target is not None:
        if "@" in target:
            exten, _, context_name = target.partition("@")
            exten = exten or None
        else:
            context_name = target
        context_name = context_name or None
    counts = _Counters()
    out: list[bytes] = []
    _helper(dialplan, context_name, exten, counts, False, [], out, [])
    if context_name is not None and not counts.context_existence:
        out.append(b"There is no existence of '" + _b(context_name) + b"' context\n")
        return b"".join(out)
    if exten is not None and not counts.extension_existence:
        if context_name is not None:
            out.append(b"There is no existence of " + _b(exten) + b"@" + _b(context_name)
                       + b" extension\n")
        else:
            out.append(b"There is no existence of '" + _b(exten) + b"' extension in all "
                       b"contexts\n")
        return b"".join(out)
    out.append(
        b"-= %d %s (%d %s) in %d %s. =-\n" % (
            counts.extensions, b"extension" if counts.extensions == 1 else b"extensions",
            counts.priorities, b"priority" if counts.priorities == 1 else b"priorities",
            counts.contexts, b"context" if counts.contexts == 1 else b"contexts",
        )
    )
    return b"".join(out)


def show(dialplan: Dialplan, target: str | None = None) -> str:
    """``dialplan show [[exten@]context]`` as text (bytes that are not UTF-8 kept as
    ``\\udcXX`` escapes)."""
    return show_bytes(dialplan, target).decode("utf-8", "surrogateescape")


def show_globals_bytes(dialplan: Dialplan) -> bytes:
    """The output of ``dialplan show globals`` after the load (newest variable first)."""
    rows = [b"   " + _b(name) + b"=" + _b(value) + b"\n"
            for name, value in reversed(dialplan.globals.items())]
    return b"".join(rows) + b"\n    -- %d variable(s)\n" % len(rows)

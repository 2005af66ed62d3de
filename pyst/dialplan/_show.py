"""``dialplan show``: the text Asterisk's CLI prints for a dialplan, byte for byte."""

from __future__ import annotations

from pyst.dialplan._model import HINT, Context, Dialplan, Priority

__all__ = ["show", "show_bytes", "show_globals_bytes"]

_BUF = 1024


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


def _context(context: Context, counts: list[int]) -> bytes:
    out = [b"[ Context '" + _b(context.name) + b"' created by '" + _b(context.registrar)
           + b"' ]\n"]
    if context.autohints:
        out.append(b"Autohints support enabled\n")
    for extension in context.extensions:
        counts[0] += 1
        first = extension.priorities[0]
        if extension.cid is not None:
            name = b"'" + _b(extension.name) + b"' (CID match '" + _b(extension.cid) + b"') => "
        else:
            name = b"'" + _b(extension.name) + b"' =>"
        out.append(_row(_cut(name), _print_ext(first), first, context.registrar))
        counts[1] += 1
        for priority in extension.priorities[1:]:
            counts[1] += 1
            label = _cut(b"   [" + _b(priority.label) + b"]") if priority.label else b""
            out.append(_row(label, _print_ext(priority), priority, context.registrar))
    for include in context.includes:
        out.append(b"  Include =>        " + _pad(_cut(b"'" + _b(include.value) + b"'"), 45)
                   + b" [" + _b(context.registrar) + b"]\n")
    for ignore in context.ignore_patterns:
        out.append(b"  Ignore pattern => " + _pad(_cut(b"'" + _b(ignore.pattern) + b"'"), 45)
                   + b" [" + _b(context.registrar) + b"]\n")
    for switch in context.switches:
        text = _cut(b"'" + _b(switch.name) + b"/" + _b(switch.data) + b"'")
        out.append(b"  Alt. Switch =>    " + _pad(text, 45) + b" [" + _b(context.registrar)
                   + b"]\n")
    out.append(b"\n")
    return b"".join(out)


def show_bytes(dialplan: Dialplan) -> bytes:
    """The output of ``dialplan show`` for the whole dialplan, as bytes."""
    counts = [0, 0]
    parts = [_context(context, counts) for context in reversed(dialplan.contexts)]
    extensions, priorities = counts
    contexts = len(dialplan.contexts)
    parts.append(
        b"-= %d %s (%d %s) in %d %s. =-\n" % (
            extensions, b"extension" if extensions == 1 else b"extensions",
            priorities, b"priority" if priorities == 1 else b"priorities",
            contexts, b"context" if contexts == 1 else b"contexts",
        )
    )
    return b"".join(parts)


def show(dialplan: Dialplan) -> str:
    """``dialplan show`` as text (bytes that are not UTF-8 kept as ``\\udcXX`` escapes)."""
    return show_bytes(dialplan).decode("utf-8", "surrogateescape")


def show_globals_bytes(dialplan: Dialplan) -> bytes:
    """The output of ``dialplan show globals`` after the load (newest variable first)."""
    rows = [b"   " + _b(name) + b"=" + _b(value) + b"\n"
            for name, value in reversed(dialplan.globals.items())]
    return b"".join(rows) + b"\n    -- %d variable(s)\n" % len(rows)

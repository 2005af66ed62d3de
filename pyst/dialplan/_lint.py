"""The dialplan checks beyond Asterisk's log (``DP2xx``) and ``lint``."""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterable
from pathlib import Path

from pyst.config import Config, Diagnostic, Document, Loader
from pyst.dialplan._goto import Target
from pyst.dialplan._lines import split_args
from pyst.dialplan._loader import build
from pyst.dialplan._model import Context, Dialplan, Extension, Priority
from pyst.dialplan._rules import RULES
from pyst.dialplan._signatures import signatures

__all__ = ["DEFAULT_ENTRY_POINTS", "check", "entry_points_from", "lint"]

DEFAULT_ENTRY_POINTS = frozenset({"default"})
"""Contexts always taken as entered from outside (Asterisk's fallback context)."""

_CONTEXT_KEYS = frozenset({"context", "subscribecontext", "subscribe_context"})
_FUNCTION = re.compile(r"\$\{([A-Za-z0-9_]+)\(")


def _diagnostic(code: str, message: str, priority: Priority) -> Diagnostic:
    rule = RULES[code]
    return Diagnostic(rule.severity, code, message, priority.file, priority.line,
                      1 if priority.line else 0)


def _numbered(extension: Extension) -> list[Priority]:
    return [p for p in extension.priorities if not p.is_hint]


def _order_checks(context: Context, extension: Extension) -> Iterable[Diagnostic]:
    numbered = _numbered(extension)
    if not numbered:
        return
    where = f"extension '{extension.name}' in context '{context.name}'"
    if all(p.number != 1 for p in numbered) and not any(p.label for p in numbered):
        first = min(numbered, key=lambda p: (p.file, p.line))
        yield _diagnostic("DP204", f"{where} has no priority 1; calls enter at priority 1",
                          first)
    if numbered[0].number == 1 and len(numbered) > 1 and numbered[1].number > 2:
        yield _diagnostic(
            "DP202",
            f"{where} jumps from priority 1 to {numbered[1].number}: the call stops after "
            "priority 1",
            numbered[1],
        )
    written = sorted(numbered, key=lambda p: (p.file, p.line))
    for before, after in itertools.pairwise(written):
        if before.file == after.file and after.number < before.number:
            yield _diagnostic(
                "DP201",
                f"priority {after.number} of {where} is written after priority "
                f"{before.number}",
                after,
            )


def _describe(target: Target) -> str:
    parts = [p for p in (target.context, target.extension, target.priority) if p is not None]
    return ",".join(parts)


def _jump_checks(dialplan: Dialplan) -> Iterable[Diagnostic]:
    for context, extension, priority, target in dialplan.jumps():
        if not target.literal or target.priority[:1] in ("+", "-") or not target.priority:
            continue
        if target.context is not None and target.context not in dialplan:
            yield _diagnostic(
                "DP203",
                f"{target.app} target '{_describe(target)}': context '{target.context}' does "
                "not exist",
                priority,
            )
            continue
        if dialplan.resolve(target, context.name, extension.name) is None:
            yield _diagnostic(
                "DP203",
                f"{target.app} target '{_describe(target)}' (from context '{context.name}') "
                "does not exist",
                priority,
            )


def _reachability(dialplan: Dialplan, entry_points: Iterable[str]) -> Iterable[Diagnostic]:
    edges: dict[str, set[str]] = {context.name: set() for context in dialplan.contexts}
    for context in dialplan.contexts:
        for include in context.includes:
            edges[context.name].add(include.context)
    for context, _, _, target in dialplan.jumps():
        if target.context is not None and target.literal:
            edges[context.name].add(target.context)
    reached: set[str] = set()
    pending = [name for name in entry_points if name in edges]
    while pending:
        name = pending.pop()
        if name in reached:
            continue
        reached.add(name)
        pending.extend(n for n in edges.get(name, ()) if n in edges and n not in reached)
    for context in dialplan.contexts:
        if context.name in reached:
            continue
        first = Priority(0, "", "", file=context.file, line=context.line)
        yield _diagnostic(
            "DP205",
            f"context '{context.name}' is never included or jumped to and is not an entry "
            "point (pass entry_points to name the contexts channels use)",
            first,
        )


def _app_checks(dialplan: Dialplan, asterisk: str) -> Iterable[Diagnostic]:
    data = signatures(asterisk)
    for context in dialplan.contexts:
        for extension in context.extensions:
            for priority in extension.priorities:
                if priority.is_hint:
                    continue
                yield from _call_checks(data, context, priority, asterisk)


def _call_checks(data: object, context: Context, priority: Priority,
                 asterisk: str) -> Iterable[Diagnostic]:
    from pyst.dialplan._signatures import Signatures

    assert isinstance(data, Signatures)
    app = priority.app.strip()
    text = priority.app + "(" + priority.data + ")"
    for function in _FUNCTION.findall(text):
        if data.function(function) is None:
            yield _diagnostic(
                "DP207", f"function {function} does not exist in Asterisk {asterisk}", priority
            )
    if not app or "$" in app:
        return
    signature = data.application(app)
    if signature is None:
        yield _diagnostic(
            "DP206", f"application {app} does not exist in Asterisk {asterisk}", priority
        )
        return
    if not signature.complete or "$" in priority.data:
        return
    args = split_args(priority.data, signature.argsep if len(signature.argsep) == 1 else ",")
    while args and args[-1] == "":
        args.pop()
    maximum = signature.maximum
    if maximum is not None and len(args) > maximum:
        yield _diagnostic(
            "DP208",
            f"{signature.name} takes at most {maximum} argument"
            f"{'s' if maximum != 1 else ''}, {len(args)} given",
            priority,
        )
    required = [p for p in signature.parameters if p.required]
    if len(args) < len(required):
        missing = ", ".join(p.name for p in required[len(args):])
        yield _diagnostic(
            "DP209",
            f"{signature.name} needs {len(required)} argument"
            f"{'s' if len(required) != 1 else ''} ({missing} missing), {len(args)} given",
            priority,
        )


def check(dialplan: Dialplan, *, asterisk: str = "22",
          entry_points: Iterable[str] | None = None) -> list[Diagnostic]:
    """The ``DP2xx`` findings for an already built dialplan."""
    found: list[Diagnostic] = []
    for context in dialplan.contexts:
        for extension in context.extensions:
            found.extend(_order_checks(context, extension))
    found.extend(_jump_checks(dialplan))
    entries = set(DEFAULT_ENTRY_POINTS if entry_points is None else entry_points)
    found.extend(_reachability(dialplan, entries))
    found.extend(_app_checks(dialplan, asterisk))
    return found


def entry_points_from(confdir: str | os.PathLike[str], *,
                      skip: str = "extensions.conf") -> set[str]:
    """The contexts named by ``context=`` (and ``subscribecontext=``) settings of the other
    ``.conf`` files of ``confdir`` — where channels enter the dialplan — plus
    ``default``."""
    found = set(DEFAULT_ENTRY_POINTS)
    folder = Path(confdir)
    if not folder.is_dir():
        return found
    loader = Loader(confdir=folder)
    for path in sorted(folder.glob("*.conf")):
        if path.name == skip:
            continue
        config = loader.load_path(path)
        for category in config.categories:
            for variable in category.variables:
                if variable.name.lower() in _CONTEXT_KEYS and variable.value:
                    found.add(variable.value)
    return found


def lint(
    path_or_doc: str | os.PathLike[str] | Document | Config,
    *,
    confdir: str | os.PathLike[str] | None = None,
    asterisk: str = "22",
    entry_points: Iterable[str] | None = None,
    config_diagnostics: bool = True,
) -> list[Diagnostic]:
    """Every diagnostic for an extensions.conf: the config loader's (unless
    ``config_diagnostics=False``), one per line pbx_config and pbx.c log while loading it
    (``DP1xx``, at the line that caused it), then the checks beyond the log (``DP2xx``).

    ``entry_points`` are the contexts calls enter from outside; by default the contexts
    named by ``context=`` in the other ``.conf`` files of ``confdir`` (or the file's
    folder), plus ``default``.
    """
    folder = None if confdir is None else os.fspath(confdir)
    if isinstance(path_or_doc, Config):
        config = path_or_doc
    elif isinstance(path_or_doc, Document):
        config = path_or_doc.config(confdir=folder)
    else:
        config = Loader(confdir=folder).load_path(path_or_doc)
    dialplan = build(config, asterisk=asterisk, confdir=folder)
    if entry_points is None:
        if folder is None and not os.path.isfile(config.file):
            entry_points = DEFAULT_ENTRY_POINTS  # text without a file: no folder to look in
        else:
            base = folder or os.path.dirname(os.path.abspath(config.file))
            entry_points = entry_points_from(base, skip=os.path.basename(config.file))
    found = list(dialplan.diagnostics)
    if not config_diagnostics:
        own = {id(d) for d in config.diagnostics}
        found = [d for d in found if id(d) not in own]
    if dialplan.loaded:
        found.extend(check(dialplan, asterisk=asterisk, entry_points=entry_points))
    return found

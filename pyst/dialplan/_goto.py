"""Where ``Goto``, ``GotoIf``, ``GotoIfTime``, ``Gosub``, ``GosubIf`` and ``Macro`` send a
call, read from their literal arguments (``ast_parseable_goto`` and the apps' own splits)."""

from __future__ import annotations

from dataclasses import dataclass

from pyst.dialplan._lines import split_args

__all__ = ["JUMP_APPS", "Target", "targets"]

JUMP_APPS = frozenset({"goto", "gotoif", "gotoiftime", "gosub", "gosubif", "macro"})
"""Applications whose arguments name a dialplan location (lower case)."""


@dataclass(frozen=True)
class Target:
    """A location named by a jump: ``None`` context or extension means "the caller's"."""

    app: str
    context: str | None
    extension: str | None
    priority: str

    @property
    def literal(self) -> bool:
        """Whether no part depends on a variable or an expression."""
        return not any("$" in (part or "") for part in (self.context, self.extension,
                                                         self.priority))


def _split_outside(text: str, separator: str) -> tuple[str, str | None]:
    """Split at the first ``separator`` outside brackets and parentheses."""
    depth = 0
    for index, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}" and depth:
            depth -= 1
        elif char == separator and not depth:
            return text[:index], text[index + 1 :]
    return text, None


def _location(app: str, spec: str, *, gosub: bool) -> Target | None:
    spec = spec.strip()
    if not spec:
        return None
    parts = split_args(spec)
    if gosub and parts:
        last = parts[-1]
        if "(" in last:
            parts[-1] = last.split("(", 1)[0]
    parts = [part.strip() for part in parts]
    if len(parts) == 1:
        return Target(app, None, None, parts[0])
    if len(parts) == 2:
        return Target(app, None, parts[0], parts[1])
    if len(parts) == 3:
        return Target(app, parts[0], parts[1], parts[2])
    return None


def targets(app: str, data: str) -> list[Target]:
    """The locations a call of ``app`` with ``data`` can jump to (empty if none)."""
    name = app.strip().lower()
    if name == "goto":
        found = _location(app, data, gosub=False)
        return [found] if found else []
    if name == "gosub":
        found = _location(app, data, gosub=True)
        return [found] if found else []
    if name == "macro":
        macro = split_args(data)[0].strip() if data else ""
        return [Target(app, f"macro-{macro}", "s", "1")] if macro else []
    if name in ("gotoif", "gotoiftime", "gosubif"):
        _, branches = _split_outside(data, "?")
        if branches is None:
            return []
        first, second = _split_outside(branches, ":")
        result = []
        for branch in (first, second):
            if branch is None:
                continue
            found = _location(app, branch, gosub=name == "gosubif")
            if found:
                result.append(found)
        return result
    return []

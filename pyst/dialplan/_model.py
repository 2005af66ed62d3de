"""What pbx_config builds from extensions.conf: contexts, extensions, priorities,
includes, switches and ignore patterns, each knowing the file and line it came from."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from pyst.config import Diagnostic
from pyst.dialplan._goto import Target, targets
from pyst.dialplan._patterns import match_core

__all__ = [
    "HINT",
    "Context",
    "Dialplan",
    "Extension",
    "IgnorePattern",
    "Include",
    "Priority",
    "Switch",
]

HINT = -1
"""The priority number of a hint (``PRIORITY_HINT``)."""


@dataclass(slots=True)
class Priority:
    """One registered priority of an extension (or its hint, ``number == HINT``).

    ``registrar_file``/``line`` are what ``dialplan show`` prints (the file's base name,
    ``None`` for entries users.conf made); ``file`` is the full path of the source.
    """

    number: int
    app: str
    data: str
    label: str | None = None
    file: str = ""
    line: int = 0
    registrar_file: str | None = None

    @property
    def is_hint(self) -> bool:
        """Whether this is the extension's hint rather than a priority."""
        return self.number == HINT


@dataclass(slots=True)
class Extension:
    """An extension (or pattern) with its priorities in priority order.

    ``name`` is the name as stored (blanks removed), ``exten`` the name used for matching
    and sorting (dashes removed too), ``cid`` the caller-ID match or ``None``.
    """

    name: str
    exten: str
    cid: str | None = None
    cid_display: str | None = None
    priorities: list[Priority] = field(default_factory=list)

    @property
    def is_pattern(self) -> bool:
        """Whether the name is a pattern (starts with ``_``)."""
        return self.name.startswith("_")

    @property
    def hint(self) -> Priority | None:
        """The hint of this extension, if it has one."""
        for priority in self.priorities:
            if priority.number == HINT:
                return priority
        return None

    def priority(self, number: int) -> Priority | None:
        """The priority with this number, or ``None``."""
        for priority in self.priorities:
            if priority.number == number:
                return priority
        return None

    def label(self, name: str) -> Priority | None:
        """The priority carrying label ``name`` (case-sensitive), or ``None``."""
        for priority in self.priorities:
            if priority.label == name:
                return priority
        return None


@dataclass
class Include:
    """``include => name[,timespec]``: ``value`` as shown, ``context`` the included name."""

    value: str
    context: str
    timing: str | None = None
    file: str = ""
    line: int = 0


@dataclass
class Switch:
    """``switch``/``lswitch``/``eswitch => Tech/data``."""

    name: str
    data: str
    evaluate: bool = False
    kind: str = "switch"
    file: str = ""
    line: int = 0


@dataclass
class IgnorePattern:
    """``ignorepat => pattern``."""

    pattern: str
    file: str = ""
    line: int = 0


@dataclass
class Context:
    """A context with its extensions in ``dialplan show`` order."""

    name: str
    registrar: str = "pbx_config"
    extensions: list[Extension] = field(default_factory=list)
    includes: list[Include] = field(default_factory=list)
    ignore_patterns: list[IgnorePattern] = field(default_factory=list)
    switches: list[Switch] = field(default_factory=list)
    autohints: bool = False
    file: str = ""
    line: int = 0

    def __iter__(self) -> Iterator[Extension]:
        return iter(self.extensions)

    def extension(self, name: str, cid: str | None = None) -> Extension | None:
        """The extension stored under ``name`` (and caller-ID match ``cid``), or ``None``."""
        for extension in self.extensions:
            if extension.name == name and extension.cid == cid:
                return extension
        return None


@dataclass
class Dialplan:
    """Asterisk's view of a dialplan after pbx_config has loaded it.

    ``contexts`` are in the order they were created (``dialplan show`` lists them
    newest first); ``loaded`` is false when Asterisk refuses the whole file (it then
    keeps no context); ``diagnostics`` are what the load logs, in order.
    """

    file: str
    loaded: bool = True
    contexts: list[Context] = field(default_factory=list)
    globals: dict[str, str] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    """The load's log lines as Asterisk writes them (``WARNING pbx_config.c: ...``),
    without timestamps and thread ids; lines of the config loader are not included."""

    def __iter__(self) -> Iterator[Context]:
        return iter(self.contexts)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.context(name) is not None

    def __getitem__(self, name: str) -> Context:
        found = self.context(name)
        if found is None:
            raise KeyError(name)
        return found

    def context(self, name: str) -> Context | None:
        """The context called ``name`` (case-sensitive, as Asterisk's table), or ``None``."""
        for context in self.contexts:
            if context.name == name:
                return context
        return None

    def names(self) -> list[str]:
        """Context names in creation order."""
        return [context.name for context in self.contexts]

    def reachable(self, name: str) -> list[str]:
        """The contexts ``name`` reaches through its includes, transitively, in the
        order Asterisk searches them (existing contexts only, ``name`` itself excluded;
        names compare case-insensitively against the search stack, as pbx.c does)."""
        seen = {name.lower()}
        order: list[str] = []

        def walk(current: Context) -> None:
            for include in current.includes:
                target = self.context(include.context)
                if target is None or target.name.lower() in seen:
                    continue
                seen.add(target.name.lower())
                order.append(target.name)
                walk(target)

        start = self.context(name)
        if start is not None:
            walk(start)
        return order

    def match(
        self, context: str, number: str, callerid: str | None = None
    ) -> list[tuple[Context, Extension]]:
        """The extensions that match a dialled ``number`` in ``context`` and the contexts
        it includes, in the order Asterisk tries them (the first one wins).

        Patterns follow ``ast_extension_match``: ``X`` ``Z`` ``N`` ``[...]`` ``.`` ``!``;
        extensions with a caller-ID match need a matching ``callerid``.
        """
        found: list[tuple[Context, Extension]] = []
        for name in [context, *self.reachable(context)]:
            current = self.context(name)
            if current is None:
                continue
            for extension in current.extensions:
                if not match_core(extension.exten, number):
                    continue
                if extension.cid is not None:
                    if not callerid:
                        if extension.cid:
                            continue
                    elif not match_core(extension.cid, callerid):
                        continue
                found.append((current, extension))
        return found

    def locate(self, context: str, extension: str, priority: int | str) -> Priority | None:
        """The priority a call to ``extension`` at ``priority`` (number or label) in
        ``context`` runs, following includes; ``None`` when there is none."""
        for _, candidate in self.match(context, extension):
            if isinstance(priority, int) or priority.strip().lstrip("+-").isdigit():
                number = int(priority)
                found = candidate.priority(number)
            else:
                found = candidate.label(priority.strip())
            if found is not None:
                return found
        return None

    def jumps(self) -> list[tuple[Context, Extension, Priority, Target]]:
        """Every ``Goto``/``GotoIf``/``GotoIfTime``/``Gosub``/``GosubIf``/``Macro``
        location named in the dialplan, with where it is written."""
        result = []
        for context in self.contexts:
            for extension in context.extensions:
                for priority in extension.priorities:
                    if priority.is_hint:
                        continue
                    for target in targets(priority.app, priority.data):
                        result.append((context, extension, priority, target))
        return result

    def resolve(self, target: Target, context: str, extension: str) -> Priority | None:
        """Where ``target`` (written in ``extension`` of ``context``) leads, or ``None``."""
        where = target.context or context
        name = target.extension or extension
        return self.locate(where, name, target.priority)

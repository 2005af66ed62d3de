"""Configuration over AMI: GetConfig answers as :class:`pyst.config.Config`, UpdateConfig edits.

A GetConfig answer lists ``Category-NNNNNN: name``, ``IsTemplate-NNNNNN: 1``,
``Templates-NNNNNN: a,b`` and ``Line-NNNNNN-MMMMMM: name=value`` headers (manager.c,
``action_getconfig``). Asterisk shows inherited variables inside the inheriting category
(first, before its own), prints ``exten => x`` as ``exten=x``, and never sends file or line
numbers; the :class:`~pyst.config.Config` built here therefore has ``object=False``,
``file=""`` and ``line=0`` everywhere, and marks a variable ``inherited`` only when the
templates it came from are part of the answer (``Filter: TEMPLATES=include``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pyst.config import Category, Config, Variable
from pyst.manager._errors import ActionError
from pyst.manager._messages import Response

__all__ = [
    "Append",
    "ConfigEdit",
    "DelCat",
    "Delete",
    "EmptyCat",
    "Insert",
    "NewCat",
    "RenameCat",
    "Update",
    "config_from_response",
    "edit_headers",
]

INVALID_FORMAT = "Config file has invalid format"


def config_from_response(response: Response, filename: str = "") -> Config:
    """Turn a GetConfig answer into the semantic view ``pyst.config`` gives for a file.

    ``Config file has invalid format`` gives ``Config(loaded=False)``; any other error
    (file not found, no privilege ...) raises :class:`ActionError`.
    """
    if not response.ok:
        if response.message == INVALID_FORMAT:
            return Config(file=filename, loaded=False)
        raise ActionError(f"GetConfig {filename!r} failed: {response.message}", response)
    categories: dict[str, Category] = {}
    raw_templates: dict[str, list[str]] = {}
    for name, value in response.headers.items():
        kind, _, number = name.partition("-")
        kind = kind.lower()
        if kind == "category":
            categories[number] = Category(name=value)
        elif kind == "istemplate" and number in categories:
            categories[number].template = value.strip() == "1"
        elif kind == "templates" and number in categories:
            parents = [t.strip() for t in value.split(",") if t.strip()]
            categories[number].inherits = parents
            raw_templates[number] = parents
        elif kind == "line":
            category_number, _, _ = number.partition("-")
            category = categories.get(category_number)
            if category is not None:
                var_name, _, var_value = value.partition("=")
                category.variables.append(Variable(name=var_name, value=var_value))
    ordered = list(categories.values())
    _mark_inherited(ordered)
    return Config(file=filename, loaded=True, categories=ordered)


def _mark_inherited(categories: list[Category]) -> None:
    """Flag the leading variables that a category copied from templates listed in the answer."""
    seen: dict[str, Category] = {}
    for category in categories:
        if category.inherits and all(name.lower() in seen for name in category.inherits):
            copied = [
                (v.name, v.value)
                for name in category.inherits
                for v in seen[name.lower()].variables
            ]
            head = [(v.name, v.value) for v in category.variables[: len(copied)]]
            if head == copied:
                category.variables[: len(copied)] = [
                    Variable(name=v.name, value=v.value, inherited=True)
                    for v in category.variables[: len(copied)]
                ]
        seen.setdefault(category.name.lower(), category)


@dataclass(frozen=True)
class ConfigEdit:
    """One UpdateConfig edit; ``options`` are manager.c's ``Options-NNNNNN`` words
    (``allowdups``, ``template``, ``ignoreerror``, ``inherit=a,b``, ``catfilter=...``)."""

    category: str

    action = ""

    def fields(self) -> list[tuple[str, str | None]]:
        """``(header stem, value)`` pairs for this edit, ``Action`` first."""
        return [("Action", self.action), ("Cat", self.category)]


@dataclass(frozen=True)
class NewCat(ConfigEdit):
    """Create a category at the end, or before the category named ``match``; ``template``,
    ``inherit``, ``allow_duplicates`` and ``ignore_error`` become ``Options``."""

    match: str | None = None
    template: bool = False
    inherit: Sequence[str] = ()
    allow_duplicates: bool = False
    ignore_error: bool = False

    action = "NewCat"

    def fields(self) -> list[tuple[str, str | None]]:
        """Headers for NewCat, options included."""
        options = [
            *(["allowdups"] if self.allow_duplicates else []),
            *(["template"] if self.template else []),
            *(["ignoreerror"] if self.ignore_error else []),
            *([f"inherit={','.join(self.inherit)}"] if self.inherit else []),
        ]
        return [*super().fields(), ("Match", self.match), ("Options", ",".join(options) or None)]


@dataclass(frozen=True)
class RenameCat(ConfigEdit):
    """Rename every category called ``category`` to ``new_name``."""

    new_name: str = ""

    action = "RenameCat"

    def fields(self) -> list[tuple[str, str | None]]:
        """Headers for RenameCat (the new name travels as ``Value``)."""
        return [*super().fields(), ("Value", self.new_name)]


@dataclass(frozen=True)
class DelCat(ConfigEdit):
    """Delete every category called ``category``."""

    ignore_error: bool = False

    action = "DelCat"

    def fields(self) -> list[tuple[str, str | None]]:
        """Headers for DelCat."""
        return [*super().fields(), ("Options", "ignoreerror" if self.ignore_error else None)]


@dataclass(frozen=True)
class EmptyCat(ConfigEdit):
    """Remove every variable of the categories called ``category``."""

    action = "EmptyCat"


@dataclass(frozen=True)
class Update(ConfigEdit):
    """Set ``variable`` to ``value`` (only where its current value is ``match``, if given);
    ``object=True`` writes it as ``variable => value``."""

    variable: str = ""
    value: str = ""
    match: str | None = None
    object: bool = False

    action = "Update"

    def fields(self) -> list[tuple[str, str | None]]:
        """Headers for Update."""
        value = _object_value(self.value, self.object)
        return [*super().fields(), ("Var", self.variable), ("Value", value), ("Match", self.match)]


@dataclass(frozen=True)
class Delete(ConfigEdit):
    """Delete ``variable`` (only where its value is ``match``, if given), or the variable at
    index ``line`` of the category."""

    variable: str | None = None
    match: str | None = None
    line: int | None = None
    ignore_error: bool = False

    action = "Delete"

    def fields(self) -> list[tuple[str, str | None]]:
        """Headers for Delete."""
        return [
            *super().fields(),
            ("Var", self.variable),
            ("Match", self.match),
            ("Line", None if self.line is None else str(self.line)),
            ("Options", "ignoreerror" if self.ignore_error else None),
        ]


@dataclass(frozen=True)
class Append(ConfigEdit):
    """Add ``variable = value`` at the end of the category (``object=True``: ``=>``)."""

    variable: str = ""
    value: str = ""
    object: bool = False

    action = "Append"

    def fields(self) -> list[tuple[str, str | None]]:
        """Headers for Append."""
        value = _object_value(self.value, self.object)
        return [*super().fields(), ("Var", self.variable), ("Value", value)]


@dataclass(frozen=True)
class Insert(ConfigEdit):
    """Insert ``variable = value`` before index ``line`` of the category."""

    variable: str = ""
    value: str = ""
    line: int = 0

    action = "Insert"

    def fields(self) -> list[tuple[str, str | None]]:
        """Headers for Insert."""
        return [
            *super().fields(),
            ("Var", self.variable),
            ("Value", self.value),
            ("Line", str(self.line)),
        ]


def _object_value(value: str, is_object: bool) -> str:
    """manager.c reads a leading ``>`` as "write with ``=>``"; refuse it as plain text."""
    if value.startswith(">") and not is_object:
        raise ValueError(
            f"value {value[:20]!r} starts with '>', which Asterisk reads as the '=>' marker; "
            "pass object=True for '=>' or change the value"
        )
    return (">" if is_object else "") + value


def edit_headers(edits: Sequence[ConfigEdit]) -> list[tuple[str, str]]:
    """Number the edits as UpdateConfig wants: ``Action-000000``, ``Cat-000000``, ...

    Asterisk reads at most 100,000 edits and stops at the first missing number.
    """
    if len(edits) > 100_000:
        raise ValueError("UpdateConfig accepts at most 100000 edits per action")
    pairs: list[tuple[str, str]] = []
    for index, edit in enumerate(edits):
        if not edit.category:
            raise ValueError(f"edit {index} ({edit.action}) has no category")
        for stem, value in edit.fields():
            if value is not None:
                pairs.append((f"{stem}-{index:06d}", value))
    return pairs

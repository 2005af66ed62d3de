"""The semantic view of a configuration: what Asterisk's loader makes of a file.

These types carry no syntax. They are what ``pyst.config`` produces from a parsed
document (after templates, ``(+)`` additions and ``#include`` splicing) and what
``pyst.manager`` produces from an AMI ``GetConfig`` answer, so both can be compared.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pyst.config._semantics.retrieved import RETRIEVED_NAMES
from pyst.config._semantics.target import DEFAULT_ASTERISK, AsteriskVersion
from pyst.config._syntax.lexer import fold

__all__ = ["Category", "Config", "Diagnostic", "Severity", "Variable", "fold"]


class Severity(str, enum.Enum):
    """How serious a diagnostic is, in Asterisk's terms."""

    ERROR = "error"
    """Asterisk refuses the file (or, inside an ``#include``, stops reading that file)."""
    WARNING = "warning"
    """Asterisk logs a warning and skips the line; the load goes on."""


@dataclass(frozen=True)
class Diagnostic:
    """One condition Asterisk's loader would log, located in the source.

    ``code`` is stable across releases (for example ``no-closing-bracket``);
    ``line`` and ``column`` are 1-based, or 0 when the diagnostic is about the whole file
    (one that cannot be read, for instance).
    """

    severity: Severity
    code: str
    message: str
    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity.value}: {self.message}"


@dataclass(slots=True)
class Variable:
    """One ``name = value`` item as Asterisk stores it.

    ``object`` is true when it was written with ``=>``; ``inherited`` is true when it
    was copied from a template or parent category, and ``template`` names the category
    that wrote it.  ``file``/``line`` say where the item was written (for inherited items:
    where the parent wrote it).  ``nodes`` are the syntax nodes that wrote it (the line
    that created it, then each ``+=`` line that extended it), when it was read from a
    parsed file; they take no part in comparisons.
    """

    name: str
    value: str
    object: bool = False
    file: str = ""
    line: int = 0
    inherited: bool = False
    template: str = field(default="", compare=False)
    nodes: tuple[Any, ...] = field(default=(), compare=False, repr=False)


@dataclass
class Category:
    """One category (``[name]`` section) with its variables after inheritance.

    Names may repeat in a file; each occurrence is its own :class:`Category` unless it
    was a ``(+)`` addition, which merges into the category it names.  ``asterisk`` is
    the Asterisk it was read for (it decides what :meth:`get` returns).
    """

    name: str
    template: bool = False
    inherits: list[str] = field(default_factory=list)
    variables: list[Variable] = field(default_factory=list)
    file: str = ""
    line: int = 0
    asterisk: AsteriskVersion = field(
        default_factory=lambda: DEFAULT_ASTERISK, repr=False, compare=False
    )

    def get(self, name: str, default: str | None = None) -> str | None:
        """The value Asterisk's ``ast_variable_retrieve`` returns for ``name``
        (case-insensitive), or ``default``.

        Which one depends on :attr:`asterisk`, the Asterisk the file was read for: the
        *first* value up to Asterisk 22 (targets ``"18"``, ``"20"``, ``"22"``: with a
        template, the template's value shadows the child's override), the *last* one
        from 23 on (``"23"``, ``"master"``).  :meth:`first` and :meth:`last` ask for one
        end explicitly; :meth:`get_all` gives every value.
        """
        if self.asterisk.retrieve_last_match:
            return self.last(name, default)
        return self.first(name, default)

    def first(self, name: str, default: str | None = None) -> str | None:
        """The value of the *first* variable called ``name`` (what ``ast_variable_retrieve``
        returns up to Asterisk 22, and ``ast_variable_find_in_list`` in every release),
        or ``default``."""
        lowered = fold(name)
        for variable in self.variables:
            if fold(variable.name) == lowered:
                return variable.value
        return default

    def variable(self, name: str) -> Variable | None:
        """The variable whose value the module reading this category ends up with, or
        ``None``: for a name Asterisk's modules look up with ``ast_variable_retrieve``
        (:data:`pyst.config.RETRIEVED_NAMES`), the one that lookup returns in
        :attr:`asterisk` (see :meth:`get`); for any other name, which modules apply in
        order, the last one.  This is what section reads and ``set`` go by."""
        lowered = fold(name)
        matching = [v for v in self.variables if fold(v.name) == lowered]
        if not matching:
            return None
        if lowered in RETRIEVED_NAMES and not self.asterisk.retrieve_last_match:
            return matching[0]
        return matching[-1]

    def last(self, name: str, default: str | None = None) -> str | None:
        """The value of the *last* variable called ``name`` (what ``ast_variable_retrieve``
        returns from Asterisk 23 on, and what modules that apply every variable in order
        end up with), or ``default``."""
        lowered = fold(name)
        for variable in reversed(self.variables):
            if fold(variable.name) == lowered:
                return variable.value
        return default

    def get_all(self, name: str) -> list[str]:
        """Return the values of every variable called ``name``, in order."""
        lowered = fold(name)
        return [v.value for v in self.variables if fold(v.name) == lowered]

    def items(self) -> list[tuple[str, str]]:
        """Return ``(name, value)`` pairs in order, duplicates included."""
        return [(v.name, v.value) for v in self.variables]


@dataclass
class Config:
    """What Asterisk's loader made of a configuration file.

    ``loaded`` is false exactly when Asterisk would refuse the file; ``categories``
    then holds what was read before the fatal line.  ``asterisk`` is the Asterisk whose
    loader was re-enacted (default: 22, the newest long-term release).
    """

    file: str
    loaded: bool = True
    categories: list[Category] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    asterisk: AsteriskVersion = field(default_factory=lambda: DEFAULT_ASTERISK, compare=False)

    def __iter__(self) -> Iterator[Category]:
        return iter(self.categories)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.category(name) is not None

    def __getitem__(self, name: str) -> Category:
        """The first category called ``name``; ``KeyError`` if there is none."""
        found = self.category(name)
        if found is None:
            raise KeyError(name)
        return found

    def __len__(self) -> int:
        return len(self.categories)

    def category(self, name: str, *, templates: bool = True) -> Category | None:
        """Return the first category called ``name`` (case-insensitive), or ``None``."""
        lowered = fold(name)
        for category in self.categories:
            if fold(category.name) == lowered and (templates or not category.template):
                return category
        return None

    def retrieve(
        self, category: str | None, name: str, default: str | None = None
    ) -> str | None:
        """What ``ast_variable_retrieve(config, category, name)`` returns in :attr:`asterisk`.

        ``category`` is looked up as Asterisk does: the first *non-template* category of
        that name (case-insensitive; ``""`` matches any name); then :meth:`Category.get`'s
        rule applies.  With ``category=None`` every category (templates too) is searched,
        in order.  Returns ``default`` when nothing matches.
        """
        if category is not None:
            found = (
                self.category(category, templates=False)
                if category
                else next((c for c in self.categories if not c.template), None)
            )
            if found is None:
                return default
            return _retrieve(found.variables, name, self.asterisk, default)
        everything = [v for c in self.categories for v in c.variables]
        return _retrieve(everything, name, self.asterisk, default)

    def categories_named(self, name: str) -> list[Category]:
        """Return every category called ``name`` (case-insensitive), in file order."""
        lowered = fold(name)
        return [c for c in self.categories if fold(c.name) == lowered]

    def names(self, *, templates: bool = True) -> list[str]:
        """Return category names in order (duplicates kept)."""
        return [c.name for c in self.categories if templates or not c.template]


def _retrieve(
    variables: list[Variable], name: str, asterisk: AsteriskVersion, default: str | None
) -> str | None:
    """``ast_variable_retrieve``'s loop over ``variables``: first or last match."""
    lowered = fold(name)
    found = default
    for variable in variables:
        if fold(variable.name) == lowered:
            if not asterisk.retrieve_last_match:
                return variable.value
            found = variable.value
    return found

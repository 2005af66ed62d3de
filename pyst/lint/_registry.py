"""The table of rule families the engine runs."""

from __future__ import annotations

from pyst.lint._errors import LintError
from pyst.lint._model import Rule, RuleFamily, rules_of
from pyst.lint.rules import BUILTIN_FAMILIES

_FAMILIES: dict[str, RuleFamily] = {}


class RegistryError(LintError, ValueError):
    """A family whose prefix or codes clash with one already registered."""


def register_family(family: RuleFamily) -> RuleFamily:
    """Add ``family`` to the linter; its codes must start with its prefix and be new."""
    known = {rule.code for other in _FAMILIES.values() for rule in other.rules}
    for rule in family.rules:
        if not rule.code.startswith(family.prefix):
            raise RegistryError(f"rule {rule.code} does not start with {family.prefix}")
        if rule.code in known and family.name not in _FAMILIES:
            raise RegistryError(f"rule code {rule.code} is already registered")
    _FAMILIES[family.name] = family
    return family


def families() -> list[RuleFamily]:
    """The registered families in registration order."""
    _ensure_builtin()
    return list(_FAMILIES.values())


def all_rules() -> list[Rule]:
    """Every registered rule, sorted by code."""
    return rules_of(families())


def find_rule(code: str) -> Rule | None:
    """The rule with ``code`` (case-insensitive), or ``None``."""
    wanted = code.upper()
    for rule in all_rules():
        if rule.code == wanted or rule.name == code.lower():
            return rule
    return None


def _ensure_builtin() -> None:
    if not _FAMILIES:
        for family in BUILTIN_FAMILIES:
            register_family(family)

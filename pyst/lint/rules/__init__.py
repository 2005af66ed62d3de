"""The built-in rule families of ``pyst-config lint``."""

from __future__ import annotations

from pyst.lint._registry import register_family


def register_builtin() -> None:
    """Register every built-in family (the registry calls this once, lazily)."""
    from pyst.lint.rules import _loader, _options, _pjsip, _security, _structure, _suppression

    for module in (_loader, _structure, _options, _pjsip, _security, _suppression):
        register_family(module.FAMILY)

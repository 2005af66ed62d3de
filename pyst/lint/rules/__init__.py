"""The built-in rule families of ``pyst-config lint``."""

from __future__ import annotations

from pyst.lint._model import RuleFamily
from pyst.lint.rules import (
    _dialplan,
    _loader,
    _options,
    _pjsip,
    _security,
    _structure,
    _suppression,
    _versions,
)

#: Every built-in family, in the order the engine runs them.
BUILTIN_FAMILIES: tuple[RuleFamily, ...] = tuple(
    module.FAMILY
    for module in (
        _loader, _structure, _options, _pjsip, _security, _versions, _dialplan, _suppression,
    )
)

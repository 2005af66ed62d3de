"""extensions.conf read the way pbx_config reads it, queried, edited and linted."""

from __future__ import annotations

from pyst.dialplan._loader import CONFIG_NAME, build, load_dialplan
from pyst.dialplan._model import (
    HINT,
    Context,
    Dialplan,
    Extension,
    IgnorePattern,
    Include,
    Priority,
    Switch,
)
from pyst.dialplan._patterns import extension_match
from pyst.dialplan._rules import RULES, Rule
from pyst.dialplan._show import show, show_bytes

__all__ = [
    "CONFIG_NAME",
    "HINT",
    "RULES",
    "Context",
    "Dialplan",
    "Extension",
    "IgnorePattern",
    "Include",
    "Priority",
    "Rule",
    "Switch",
    "build",
    "extension_match",
    "load_dialplan",
    "show",
    "show_bytes",
]

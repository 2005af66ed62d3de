"""extensions.conf read the way pbx_config reads it, queried, edited and linted."""

from __future__ import annotations

from pyst.dialplan._edit import DialplanEditError, DialplanEditor, Step, snapshot
from pyst.dialplan._goto import Target
from pyst.dialplan._lines import DialplanLine, context_lines, parse_line, split_args
from pyst.dialplan._lint import DEFAULT_ENTRY_POINTS, check, entry_points_from, lint
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
from pyst.dialplan._show import show, show_bytes, show_globals_bytes
from pyst.dialplan._signatures import Signature, Signatures, signatures

__all__ = [
    "CONFIG_NAME",
    "DEFAULT_ENTRY_POINTS",
    "HINT",
    "RULES",
    "Context",
    "Dialplan",
    "DialplanEditError",
    "DialplanEditor",
    "DialplanLine",
    "Extension",
    "IgnorePattern",
    "Include",
    "Priority",
    "Rule",
    "Signature",
    "Signatures",
    "Step",
    "Switch",
    "Target",
    "build",
    "check",
    "context_lines",
    "entry_points_from",
    "extension_match",
    "lint",
    "load",
    "load_dialplan",
    "parse_line",
    "show",
    "show_bytes",
    "show_globals_bytes",
    "signatures",
    "snapshot",
    "split_args",
]

load = load_dialplan
"""Alias of :func:`load_dialplan`."""

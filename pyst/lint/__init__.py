"""``pyst-config lint``: check Asterisk configs for what Asterisk would refuse,
misread or silently ignore, before they reach a PBX.

    from pyst.lint import Linter, LintSettings, collect_inputs

    result = Linter(LintSettings(select=("L", "P"))).run(collect_inputs(["/etc/asterisk"]))
    for finding in result.findings:
        print(finding.file, finding.line, finding.code, finding.message)

Rules come in families (:class:`RuleFamily`: a code prefix, rules and a checker over one
linted tree); :func:`register_family` adds one.
"""

from __future__ import annotations

from pyst.lint._context import LintTree, TreeOptions
from pyst.lint._engine import (
    Linter,
    LintInput,
    LintIOError,
    LintResult,
    collect_inputs,
    stdin_input,
)
from pyst.lint._errors import LintError
from pyst.lint._formats import FORMATS, FORMATTERS, display_path, format_sarif, statistics
from pyst.lint._model import Finding, Rule, RuleFamily, Severity
from pyst.lint._registry import (
    RegistryError,
    all_rules,
    families,
    find_rule,
    register_family,
)
from pyst.lint._settings import (
    ASTERISK_TARGETS,
    LintSettings,
    SettingsError,
    discover,
    find_settings_file,
)

__all__ = [
    "ASTERISK_TARGETS",
    "FORMATS",
    "FORMATTERS",
    "Finding",
    "LintError",
    "LintIOError",
    "LintInput",
    "LintResult",
    "LintSettings",
    "LintTree",
    "Linter",
    "RegistryError",
    "Rule",
    "RuleFamily",
    "SettingsError",
    "Severity",
    "TreeOptions",
    "all_rules",
    "collect_inputs",
    "discover",
    "display_path",
    "families",
    "find_rule",
    "find_settings_file",
    "format_sarif",
    "register_family",
    "statistics",
    "stdin_input",
]

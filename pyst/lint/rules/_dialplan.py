"""Family ``DP``: extensions.conf as pbx_config loads it (rules of :mod:`pyst.dialplan`).

The dialplan model reports what pbx_config and pbx.c log while loading, and the checks
beyond the log (dangling Goto targets, unknown applications, unreachable contexts, ...);
this family runs it on ``extensions.conf`` files.  The loader's own conditions are the
``L`` family's, so they are not reported twice.
"""

from __future__ import annotations

from collections.abc import Iterator

from pyst.dialplan import CONFIG_NAME, RULES, lint
from pyst.lint._context import LintTree
from pyst.lint._model import Finding, Rule, RuleFamily, Severity

_RULES = tuple(
    Rule(rule.code, rule.name, Severity(rule.severity.value),
         rule.summary, f"{rule.explanation} Fix: {rule.fix}.")
    for rule in sorted(RULES.values(), key=lambda rule: rule.code)
)


def _check(tree: LintTree) -> Iterator[Finding]:
    if tree.kind != CONFIG_NAME:
        return
    # The dialplan data covers 22 (used for the older LTS lines too) and master (for 23).
    target = "master" if tree.options.asterisk in ("23", "master") else "22"
    for diagnostic in lint(
        tree.document, confdir=tree.options.confdir, asterisk=target,
        config_diagnostics=False,
    ):
        if diagnostic.code in RULES:
            yield FAMILY.finding(
                diagnostic.code, diagnostic.file, diagnostic.line, diagnostic.message,
                column=diagnostic.column,
            )


FAMILY = RuleFamily(
    name="dialplan", prefix="DP", rules=_RULES, check=_check,
    description="extensions.conf as pbx_config loads it",
)

"""Family ``V``: lines whose meaning depends on which Asterisk reads the file.

An upgrade from 22 to 23 (or a move between an LTS and master) must not silently change
a peer: these rules report each ``+=`` and each repeated looked-up name whose result
differs between the linted target and the other release lines
(:func:`pyst.config.version_differences`).
"""

from __future__ import annotations

from collections.abc import Iterator

from pyst.config import version_differences
from pyst.lint._context import LintTree
from pyst.lint._model import Finding, Rule, RuleFamily, Severity

_RULES = (
    Rule("V301", "version-dependent-append", Severity.WARNING,
         "a += whose result differs between Asterisk releases",
         "Up to Asterisk 22, 'name += value' rewrites the first variable with that name and "
         "value; from 23 on, the last. Here they are different variables (another line or a "
         "template's copy has the same value), so an upgrade changes what the category "
         "holds. Write the value out with '=' instead, or make the duplicates differ."),
    Rule("V302", "version-dependent-lookup", Severity.WARNING,
         "a repeated name whose looked-up value differs between Asterisk releases",
         "Modules look this name up with ast_variable_retrieve, which returns the first "
         "value up to Asterisk 22 and the last one from 23 on. The category holds it more "
         "than once (often a template's value and an override), so an upgrade changes "
         "which one the module uses. Keep one value: drop the template's, or the "
         "override."),
)
# pyst.config's stable diagnostic codes for the two kinds of difference.
_CODES = {"version-dependent-append": "V301", "version-dependent-lookup": "V302"}
#: The release lines a file is compared across: the linted target against each of them.
_OTHER_LINES = ("22", "master")


def _check(tree: LintTree) -> Iterator[Finding]:
    target = tree.options.asterisk
    others = [line for line in _OTHER_LINES if line != target] or ["master"]
    for diagnostic in version_differences(
        tree.document, (target, *others), confdir=tree.options.confdir
    ):
        code = _CODES.get(diagnostic.code)
        if code is not None:
            yield FAMILY.finding(
                code, diagnostic.file, diagnostic.line, diagnostic.message,
                column=diagnostic.column,
            )


FAMILY = RuleFamily(
    name="versions", prefix="V", rules=_RULES, check=_check,
    description="lines that mean something else in another Asterisk release",
)

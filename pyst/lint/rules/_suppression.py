"""Family ``Q``: the linter's own comments (``; pyst: noqa``)."""

from __future__ import annotations

from collections.abc import Iterator

from pyst.lint._context import LintTree
from pyst.lint._model import Finding, Rule, RuleFamily, Severity


def _check(tree: LintTree) -> Iterator[Finding]:
    # The engine reports unused suppressions after all families ran.
    return iter(())


FAMILY = RuleFamily(
    name="suppression",
    prefix="Q",
    rules=(
        Rule("Q001", "unused-suppression", Severity.WARNING,
             "a `; pyst: noqa` comment that silences nothing",
             "A suppression comment (`; pyst: noqa CODE` on the line, or on a comment line "
             "right above it) for which no finding of that code exists. It may be left over "
             "from a fixed problem; remove it so that it cannot hide a new one."),
    ),
    check=_check,
    description="suppression comments",
)

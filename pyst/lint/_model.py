"""The vocabulary of the linter: severities, rules, rule families and findings."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyst.lint._context import LintTree


class Severity(str, enum.Enum):
    """How bad a finding is; ``--fail-on`` compares against :attr:`rank`."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """2 for errors, 1 for warnings, 0 for information."""
        return {"error": 2, "warning": 1, "info": 0}[self.value]


@dataclass(frozen=True)
class Rule:
    """One check: a stable ``code``, a kebab-case ``name``, its default severity,
    a one-line ``summary`` and the ``explanation`` that ``--explain`` prints."""

    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str


@dataclass(frozen=True, order=True)
class Finding:
    """A problem at a place in a file.  ``file`` is the path as the loader knows it;
    output formats make it relative to the working directory."""

    file: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = field(default=Severity.WARNING, compare=False)
    end_line: int = field(default=0, compare=False)
    end_column: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        # Asterisk reports file-level problems at line 0; a reader wants them on line 1.
        if self.line < 1:
            object.__setattr__(self, "line", 1)
        if self.column < 1:
            object.__setattr__(self, "column", 1)
        if self.end_line < self.line:
            object.__setattr__(self, "end_line", self.line)
        if self.end_line == self.line and self.end_column < self.column:
            object.__setattr__(self, "end_column", self.column)


#: A family's checker: given one linted tree, yield its findings.
Checker = Callable[["LintTree"], Iterable[Finding]]


@dataclass(frozen=True)
class RuleFamily:
    """A group of rules sharing a code prefix and one checker over a linted tree.

    Adding a family (the dialplan checks, say) is: build its rules, write its checker,
    call :func:`pyst.lint.register_family`.
    """

    name: str
    prefix: str
    rules: tuple[Rule, ...]
    check: Checker
    description: str = ""

    def rule(self, code: str) -> Rule:
        """The rule of this family with ``code``."""
        for rule in self.rules:
            if rule.code == code:
                return rule
        raise KeyError(code)

    def finding(
        self, code: str, file: str, line: int, message: str, *, column: int = 1,
        end_line: int = 0, end_column: int = 0,
    ) -> Finding:
        """A finding of rule ``code`` with that rule's default severity."""
        rule = self.rule(code)
        return Finding(
            file, line, column, code, message, rule.severity, end_line, end_column
        )


def rules_of(families: Iterable[RuleFamily]) -> list[Rule]:
    """Every rule of ``families``, in code order."""
    return sorted((r for f in families for r in f.rules), key=lambda r: r.code)

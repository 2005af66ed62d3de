"""Running the rule families over files, directories and stdin."""

from __future__ import annotations

import glob
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from pyst.config import Config, Directive, Document, parse
from pyst.lint._context import LintTree, TreeOptions
from pyst.lint._errors import LintError
from pyst.lint._model import Finding, Severity
from pyst.lint._registry import families
from pyst.lint._selection import is_selected
from pyst.lint._settings import LintSettings
from pyst.lint._suppress import Suppression, find_suppressions

UNUSED_SUPPRESSION = "Q001"
#: A line that may be an #include / #tryinclude (the parse decides; this only skips files).
_DIRECTIVE = re.compile(rb"^[ \t]*#[ \t]*(?:try)?include", re.I | re.M)


class LintIOError(LintError, OSError):
    """A path that cannot be linted (missing, unreadable): exit status 2."""


@dataclass
class LintInput:
    """One main file to lint: its path (as given or found) and, for stdin, its bytes."""

    path: str
    data: bytes | None = None
    confdir: str | None = None


@dataclass
class LintResult:
    """What a run found: the findings (sorted), and how much it read."""

    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    lines: int = 0

    def failed(self, fail_on: Severity) -> bool:
        """True when a finding is at or above ``fail_on``."""
        return any(f.severity.rank >= fail_on.rank for f in self.findings)


def _read(path: str, options: TreeOptions, data: bytes | None = None) -> tuple[Document, Config]:
    """Parse and load one main file the way the targeted Asterisk (``options.asterisk``)
    does; the one place the loader is called."""
    if data is None:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise LintIOError(f"{path}: cannot read it: {error.strerror or error}") from error
    document = parse(data, path=path, asterisk=options.asterisk)
    return document, document.config(confdir=options.confdir)


def collect_inputs(paths: Sequence[str], confdir: str | None = None) -> list[LintInput]:
    """The main files to lint for ``paths``: files as given, directories searched for
    ``*.conf`` (a file another one includes is linted as part of its includer)."""
    inputs: list[LintInput] = []
    for path in paths:
        if os.path.isdir(path):
            inputs.extend(_directory_inputs(path, confdir))
        elif os.path.exists(path):
            inputs.append(LintInput(path, confdir=confdir))
        else:
            raise LintIOError(f"{path}: no such file or directory")
    if len(inputs) > 1:
        # Files given one by one (pre-commit does that) that another given file includes
        # are linted as part of their includer, as in a directory.
        included: set[str] = set()
        for item in inputs:
            base = item.confdir or os.path.dirname(item.path) or "."
            included.update(_included_by(item.path, base))
        inputs = [i for i in inputs if os.path.realpath(i.path) not in included]
    return inputs


def _directory_inputs(folder: str, confdir: str | None) -> list[LintInput]:
    found: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(root, name) for name in sorted(files) if name.endswith(".conf"))
    base = confdir if confdir is not None else folder
    included: set[str] = set()
    for path in found:
        included.update(_included_by(path, base))
    return [
        LintInput(path, confdir=base) for path in found
        if os.path.realpath(path) not in included
    ]


def _included_by(path: str, base: str) -> set[str]:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return set()
    if _DIRECTIVE.search(data) is None:
        return set()
    names: set[str] = set()
    for line in parse(data, path=path).lines():
        if isinstance(line, Directive) and line.directive in ("include", "tryinclude"):
            target = line.path
            if not target:
                continue
            pattern = target if os.path.isabs(target) else os.path.join(base, target)
            names.update(os.path.realpath(p) for p in glob.glob(pattern))
    return names


@dataclass
class _FileSuppressions:
    items: list[Suppression]

    def suppressed(self, finding: Finding) -> bool:
        hit = False
        for item in self.items:
            if item.target == finding.line and item.covers(finding.code):
                item.used.add(finding.code)
                hit = True
        return hit


class Linter:
    """Lints inputs with the registered families and applies selection and suppressions."""

    def __init__(self, settings: LintSettings | None = None):
        self.settings = settings or LintSettings()
        self._options = TreeOptions(asterisk=self.settings.asterisk, confdir=self.settings.confdir)

    def selected(self, code: str) -> bool:
        """True when the settings report ``code``."""
        s = self.settings
        return is_selected(code, s.select, s.ignore, s.extend_select)

    def lint_tree(self, item: LintInput) -> tuple[LintTree, list[Finding]]:
        """Every finding of every family for one main file, before selection."""
        options = self._options
        if item.confdir is not None and options.confdir is None:
            options = TreeOptions(asterisk=options.asterisk, confdir=item.confdir)
        document, config = _read(item.path, options, item.data)
        tree = LintTree(item.path, document, config, options)
        findings: list[Finding] = []
        for family in families():
            findings.extend(family.check(tree))
        return tree, findings

    def run(
        self, inputs: Iterable[LintInput], progress: Callable[[int, int, str], None] | None = None
    ) -> LintResult:
        """Lint every input; findings are de-duplicated (a file two trees include is
        reported once), filtered, and sorted by file, line, column and code."""
        items = list(inputs)
        result = LintResult()
        raw: set[Finding] = set()
        texts: dict[str, bytes] = {}
        tree_files: set[str] = set()
        for index, item in enumerate(items):
            if progress is not None:
                progress(index, len(items), item.path)
            tree, findings = self.lint_tree(item)
            result.files += 1
            data = tree.document.dumps()
            if isinstance(data, str):
                data = data.encode("utf-8", "surrogateescape")
            result.lines += data.count(b"\n")
            texts.setdefault(item.path, data)
            raw.update(findings)
            tree_files.update(c.file for c in tree.config.categories if c.file)
        result.findings = self._filter(sorted(raw), texts, tree_files)
        return result

    def _filter(
        self, findings: list[Finding], texts: dict[str, bytes], files: set[str]
    ) -> list[Finding]:
        suppressions: dict[str, _FileSuppressions] = {}

        def of(path: str) -> _FileSuppressions:
            if path not in suppressions:
                data = texts.get(path)
                if data is None:
                    try:
                        with open(path, "rb") as handle:
                            data = handle.read()
                    except OSError:
                        data = b""
                suppressions[path] = _FileSuppressions(find_suppressions(data))
            return suppressions[path]

        for path in [*texts, *sorted(files)]:
            of(path)
        kept = [
            f for f in findings
            if self.selected(f.code) and not of(f.file).suppressed(f)
        ]
        if self.selected(UNUSED_SUPPRESSION):
            for path, found in suppressions.items():
                kept.extend(_unused(path, found.items))
        return sorted(kept)


def _unused(path: str, items: list[Suppression]) -> Iterable[Finding]:
    for item in items:
        if not item.codes and not item.used:
            yield Finding(path, item.line, item.column, UNUSED_SUPPRESSION,
                          "unused suppression: no finding on the line it covers; remove it",
                          Severity.WARNING)
        for code in item.codes:
            if not any(u.startswith(code) for u in item.used):
                yield Finding(path, item.line, item.column, UNUSED_SUPPRESSION,
                              f"unused suppression of {code}: no such finding on the line "
                              "it covers; remove it", Severity.WARNING)


def stdin_input(filename: str | None) -> LintInput:
    """The bytes of standard input, linted as ``filename`` (default ``-``)."""
    return LintInput(filename or "-", sys.stdin.buffer.read())

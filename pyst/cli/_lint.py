"""``pyst-config lint``: rule-coded findings in text, JSON, GitHub or SARIF; exit 1 on findings."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from typing import Any, TextIO

from pyst.lint import (
    ASTERISK_TARGETS,
    FORMATS,
    FORMATTERS,
    Linter,
    LintIOError,
    LintSettings,
    SettingsError,
    Severity,
    all_rules,
    collect_inputs,
    discover,
    find_rule,
    statistics,
    stdin_input,
)
from pyst.lint._formats import format_sarif
from pyst.lint._selection import unknown_patterns

VERSION = "0.1.0"


def register(commands: Any) -> None:
    """Add ``lint`` to the ``pyst-config`` subcommands."""
    lint = commands.add_parser(
        "lint", help="check configs: rule-coded findings, exit 1 when one is found",
        description=(
            "Lint Asterisk config files, directories (*.conf, includes resolved) or '-' "
            "(stdin). Settings also come from [tool.pyst-config.lint] in pyproject.toml or "
            "a .pyst-config.toml found upward. Exit status: 0 clean, 1 findings at or above "
            "--fail-on, 2 usage or I/O error."
        ),
    )
    lint.add_argument("paths", nargs="*", metavar="PATH", help="file, directory or '-'")
    lint.add_argument("--format", choices=FORMATS, default="text", help="output format")
    lint.add_argument("--select", action="append", metavar="CODES",
                      help="report only these codes or prefixes (comma-separated; ALL)")
    lint.add_argument("--extend-select", action="append", metavar="CODES",
                      help="report these codes too")
    lint.add_argument("--ignore", action="append", metavar="CODES",
                      help="do not report these codes or prefixes")
    lint.add_argument("--fail-on", choices=[s.value for s in Severity],
                      help="lowest severity that makes the exit status 1 (default: warning)")
    lint.add_argument("--asterisk", choices=ASTERISK_TARGETS,
                      help="the Asterisk release the files are for (default: 22)")
    lint.add_argument("--confdir", metavar="DIR",
                      help="directory #include paths are relative to (default: each file's)")
    lint.add_argument("--stdin-filename", metavar="NAME",
                      help="the name to lint stdin ('-') as, e.g. pjsip.conf")
    lint.add_argument("--explain", metavar="CODE", help="explain a rule and exit")
    lint.add_argument("--statistics", action="store_true",
                      help="print how often each code was found instead of the findings")
    lint.add_argument("--isolated", action="store_true",
                      help="ignore pyproject.toml and .pyst-config.toml")
    lint.add_argument("--version", action="version", version=f"pyst-config {VERSION}")
    lint.set_defaults(handler=run)


def _split(values: list[str] | None) -> tuple[str, ...]:
    return tuple(
        part.strip().upper() for value in values or () for part in value.split(",") if part.strip()
    )


def _settings(args: argparse.Namespace) -> LintSettings:
    settings = LintSettings()
    if not args.isolated:
        start = next((p for p in args.paths if p != "-"), None)
        if start is None and args.stdin_filename:
            start = os.path.dirname(os.path.abspath(args.stdin_filename))
        settings = discover(start or os.getcwd(), settings)
    changes: dict[str, Any] = {}
    if args.select:
        changes["select"] = _split(args.select)
    if args.extend_select:
        changes["extend-select"] = [*settings.extend_select, *_split(args.extend_select)]
    if args.ignore:
        changes["ignore"] = [*settings.ignore, *_split(args.ignore)]
    if args.fail_on:
        changes["fail-on"] = args.fail_on
    if args.asterisk:
        changes["asterisk"] = args.asterisk
    settings = settings.merged(changes) if changes else settings
    if args.confdir:
        settings = dataclasses.replace(settings, confdir=args.confdir)
    codes = [rule.code for rule in all_rules()]
    wrong = unknown_patterns([*settings.select, *settings.extend_select, *settings.ignore], codes)
    if wrong:
        raise SettingsError(
            f"unknown rule code or prefix: {', '.join(wrong)}; "
            "see `pyst-config lint --explain CODE` or docs/lint.md"
        )
    return settings


def _explain(code: str, out: TextIO) -> int:
    rule = find_rule(code)
    if rule is None:
        sys.stderr.write(f"pyst-config lint: unknown rule {code!r}\n")
        return 2
    out.write(f"{rule.code} ({rule.name}) — default severity: {rule.severity.value}\n\n")
    out.write(f"{rule.summary}.\n\n{rule.explanation}\n")
    return 0


def _progress(stream: TextIO) -> Any:
    def report(index: int, total: int, path: str) -> None:
        end = "\n" if index + 1 == total else ""
        stream.write(f"\r\x1b[K[{index + 1}/{total}] {path}{end}")
        stream.flush()

    return report


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Lint the paths; print findings in the chosen format; 0, 1 or 2."""
    if args.explain:
        return _explain(args.explain, out)
    if not args.paths and args.stdin_filename:
        args.paths = ["-"]
    if not args.paths:
        sys.stderr.write("pyst-config lint: give at least one PATH (or '-' for stdin)\n")
        return 2
    try:
        settings = _settings(args)
        for note in settings.notes:
            sys.stderr.write(f"pyst-config lint: {note}\n")
        files = [p for p in args.paths if p != "-"]
        inputs = collect_inputs(files, settings.confdir)
        if "-" in args.paths:
            inputs.append(stdin_input(args.stdin_filename))
        show_progress = sys.stderr.isatty() and len(inputs) > 20
        result = Linter(settings).run(inputs, _progress(sys.stderr) if show_progress else None)
    except (SettingsError, LintIOError) as error:
        sys.stderr.write(f"pyst-config lint: {error}\n")
        return 2
    rules = {rule.code: rule for rule in all_rules()}
    if args.statistics:
        out.write(statistics(result.findings, rules))
    elif args.format == "sarif":
        out.write(format_sarif(result.findings, rules, result.files, VERSION))
    else:
        out.write(FORMATTERS[args.format](result.findings, rules, result.files))
    return 1 if result.failed(settings.fail_on) else 0

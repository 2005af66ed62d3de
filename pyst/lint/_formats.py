"""Writing findings as text, JSON, GitHub workflow commands or SARIF 2.1.0."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from pyst.lint._model import Finding, Rule, Severity

FORMATS = ("text", "json", "github", "sarif")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def display_path(path: str, cwd: str | None = None) -> str:
    """``path`` relative to the working directory when it lies below it, else absolute."""
    if path == "-" or not path:
        return path or "-"
    here = cwd or os.getcwd()
    absolute = os.path.abspath(os.path.join(here, path))
    relative = os.path.relpath(absolute, here)
    return absolute if relative.startswith(os.pardir) else relative


def _safe(text: str) -> str:
    # Text from the file may carry bytes that are not UTF-8 (kept as \udcXX escapes).
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def summary(findings: Sequence[Finding], files: int) -> str:
    """The last line of text output."""
    if not findings:
        return f"All checks passed ({files} file{'s' if files != 1 else ''} linted)."
    counts = Counter(f.severity for f in findings)
    parts = [
        f"{counts[s]} {s.value}{'s' if counts[s] != 1 and s is not Severity.INFO else ''}"
        for s in Severity if counts[s]
    ]
    total = len(findings)
    return (
        f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)}) "
        f"in {files} file{'s' if files != 1 else ''} linted."
    )


def format_text(findings: Sequence[Finding], rules: dict[str, Rule], files: int) -> str:
    """``path:line:col: CODE message`` lines and a summary line."""
    lines = [
        f"{_safe(display_path(f.file))}:{f.line}:{f.column}: {f.code} {_safe(f.message)}"
        for f in findings
    ]
    lines.append(summary(findings, files))
    return "\n".join(lines) + "\n"


def finding_object(finding: Finding) -> dict[str, Any]:
    """The JSON object of one finding (the documented contract: these keys only)."""
    return {
        "file": _safe(display_path(finding.file)),
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "code": finding.code,
        "severity": finding.severity.value,
        "message": _safe(finding.message),
    }


def format_json(findings: Sequence[Finding], rules: dict[str, Rule], files: int) -> str:
    """One JSON array of finding objects."""
    return json.dumps([finding_object(f) for f in findings], indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def format_github(findings: Sequence[Finding], rules: dict[str, Rule], files: int) -> str:
    """GitHub Actions workflow commands (``::error file=…,line=…::message``)."""
    out = []
    for f in findings:
        properties = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (
                ("file", _safe(display_path(f.file))), ("line", f.line), ("col", f.column),
                ("endLine", f.end_line), ("endColumn", f.end_column),
                ("title", f"pyst-config {f.code}"),
            )
        )
        message = _escape_data(_safe(f"{f.code} {f.message}"))
        out.append(f"::{_GITHUB_LEVEL[f.severity]} {properties}::{message}")
    return "".join(line + "\n" for line in out)


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def format_sarif(
    findings: Sequence[Finding], rules: dict[str, Rule], files: int, version: str = ""
) -> str:
    """A SARIF 2.1.0 log with one run: the rules used, and one result per finding."""
    used = sorted({f.code for f in findings} | set(rules))
    index = {code: i for i, code in enumerate(used)}
    descriptors = []
    for code in used:
        rule = rules.get(code)
        name = rule.name if rule else code
        short = rule.summary if rule else code
        text = rule.explanation if rule else code
        level = _SARIF_LEVEL[rule.severity] if rule else "warning"
        descriptors.append({
            "id": code,
            "name": name,
            "shortDescription": {"text": short},
            "fullDescription": {"text": text},
            "help": {"text": text},
            "defaultConfiguration": {"level": level},
        })
    results = []
    for f in findings:
        region = {"startLine": f.line, "startColumn": f.column}
        if f.end_line:
            region["endLine"] = f.end_line
        if f.end_column:
            region["endColumn"] = max(f.end_column, f.column)
        uri = _safe(display_path(f.file)).replace(os.sep, "/")
        results.append({
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": _safe(f.message)},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": uri},
                "region": region,
            }}],
        })
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "pyst-config lint",
                **({"version": version} if version else {}),
                "rules": descriptors,
            }},
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


Formatter = Callable[[Sequence[Finding], dict[str, Rule], int], str]

FORMATTERS: dict[str, Formatter] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "sarif": format_sarif,
}


def statistics(findings: Sequence[Finding], rules: dict[str, Rule]) -> str:
    """One line per code: how often it was found, the code and the rule's name."""
    counts = Counter(f.code for f in findings)
    width = max((len(str(n)) for n in counts.values()), default=1)
    lines = [
        f"{count:>{width}}  {code}  {rules[code].name if code in rules else ''}".rstrip()
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    return "".join(line + "\n" for line in lines)

"""Family ``L``: every condition Asterisk's config loader (main/config.c) reports."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from pyst.lint._context import LintTree
from pyst.lint._model import Finding, Rule, RuleFamily, Severity

E, W = Severity.ERROR, Severity.WARNING

_REFUSED = (
    "Asterisk stops reading the file at this line: the categories after it do not exist "
    "for the module, and a main file with this error does not load at all (an included "
    "file with it ends only that file)."
)
_SKIPPED = "Asterisk logs a warning and skips the line; the rest of the file is read."

#: (code, loader diagnostic code, severity, summary, explanation)
_TABLE: tuple[tuple[str, str, Severity, str, str], ...] = (
    ("L001", "no-closing-bracket", E, "category header without ']'",
     "A header such as `[name` has no closing bracket. " + _REFUSED
     + " A ';' inside the brackets starts a comment: write '\\;'."),
    ("L002", "no-closing-paren", E, "header options without ')'",
     "A header such as `[name](!` has no closing parenthesis. " + _REFUSED),
    ("L003", "category-addition-missing", E, "'(+)' adds to a category that does not exist",
     "`[name](+)` adds lines to an earlier category of that name; there is none. "
     + _REFUSED + " Define the category earlier, or drop the '+'."),
    ("L004", "inheritance-missing", E, "inheriting from a category that does not exist",
     "`[name](parent)` copies `parent`, which is not defined before this line. "
     + _REFUSED + " Define the template above, or fix its name."),
    ("L005", "inheritance-loop", E, "a category inherits from itself",
     "Asterisk copies the category into itself forever (it hangs). Remove the loop."),
    ("L006", "no-category-context", E, "a setting before any [category]",
     "Lines before the first header belong to no category. " + _REFUSED),
    ("L007", "invalid-escape", E, "a backslash escape Asterisk refuses",
     "An escape at the start of a variable name that Asterisk cannot read. " + _REFUSED),
    ("L008", "include-missing", E, "#include of a file that does not exist",
     "The included file is missing, so the including file does not load. Create it, "
     "fix the path (relative paths are resolved against the config directory), or use "
     "#tryinclude for optional files."),
    ("L009", "comment-nesting-limit", E, "block comments nested over 128 deep",
     "Asterisk stops at 128 nested `;--` block comments (and hangs). Close them."),
    ("L011", "include-too-many-names", E, "an #include pattern naming too many files",
     "The `{a,b}` groups of the #include stand for over 65536 names; Asterisk's glob "
     "effectively never finishes."),
    ("L020", "no-equals", W, "a line without '='", "A line inside a category that is "
     "neither a setting nor a header. " + _SKIPPED + " Write `name = value` or comment it "
     "out with ';'."),
    ("L021", "no-variable-name", W, "a setting without a name", "`= value` has no name. "
     + _SKIPPED),
    ("L022", "unknown-directive", W, "an unknown #directive", "Only #include, "
     "#tryinclude and #exec exist. " + _SKIPPED),
    ("L023", "directive-needs-argument", W, "a #directive without its argument",
     "#include and friends need a file name. " + _SKIPPED),
    ("L024", "exec-disabled", W, "#exec while execincludes is off", "Asterisk runs "
     "#exec only when asterisk.conf sets execincludes=yes; otherwise the line is skipped."),
    ("L025", "line-too-long", W, "a line over 8190 bytes", "Asterisk reads lines in "
     "8192-byte pieces and skips this one. Split the value."),
    ("L026", "unterminated-comment", W, "a `;--` block comment that never ends",
     "Everything after the opening `;--` is ignored. Add `--;` where the comment ends."),
    ("L027", "include-depth", W, "#include nested deeper than 10", "Asterisk ignores "
     "includes past the tenth level."),
    ("L028", "include-repeated", W, "a file included more than once", "Asterisk reads "
     "it again, which usually duplicates categories."),
    ("L029", "not-regular-file", W, "an #include naming something that is not a file",
     "Asterisk skips directories and devices; the main file itself then does not load."),
    ("L030", "bad-regex", W, "a `(+filter)` regular expression that does not compile",
     "The filter is ignored."),
    ("L099", "loader", W, "another loader condition", "A condition of the loader this "
     "version of the linter has no own code for (the loader's own code is appended to the "
     "message). #exec never runs during a lint, so its failures cannot occur."),
)

_BY_DIAGNOSTIC = {row[1]: row[0] for row in _TABLE}

_LOCATION = re.compile(
    r" \(line \d+ of .*?\)(?= -- |$)"
    r"|,? (?:at |in )?line \d+ of .*?(?= -- |$)"
)
_HERE = re.compile(r"\b(for|on) line \d+ of .*?(?= -- |$)")
_DIRECTIVE_AT = re.compile(r" \((#\w+) on line \d+ of [^)]*\)")
#: Loader messages quote line text (a too-long line's start): never let a secret through.
_SECRET = re.compile(r"((?:md5)?secret|password|passwd)(\s*=>?\s*)[^\s.]+", re.I)
_LEADING = re.compile(r"^Line \d+ |^'[^']*', line \d+:\s+")


def clean_message(message: str) -> str:
    """The loader's message without the "line N of FILE" that the output already says."""
    message = _SECRET.sub(r"\1\2***", message)
    message = _DIRECTIVE_AT.sub(r" (\1 on this line)", message)
    message = _HERE.sub(r"\1 this line", message)
    message = _LOCATION.sub("", message)
    message = _LEADING.sub(lambda m: "Line " if m.group(0).startswith("Line") else "", message)
    # Paths below the working directory are shown relative to it, as file names are.
    here = os.getcwd()
    return message.replace(here + os.sep, "").replace(f"'{here}'", "'.'").replace(
        f"against {here})", "against .)")


def _check(tree: LintTree) -> Iterator[Finding]:
    for diagnostic in tree.config.diagnostics:
        code = _BY_DIAGNOSTIC.get(diagnostic.code, "L099")
        message = clean_message(diagnostic.message)
        if code == "L099":
            message += f" [{diagnostic.code}]"
        yield Finding(
            diagnostic.file or tree.path, diagnostic.line, diagnostic.column, code, message,
            Severity(diagnostic.severity.value),
        )


FAMILY = RuleFamily(
    name="loader",
    prefix="L",
    rules=tuple(Rule(code, name, sev, summary, text) for code, name, sev, summary, text in _TABLE),
    check=_check,
    description="what Asterisk's config loader (main/config.c) logs or refuses",
)

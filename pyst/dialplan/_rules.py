"""The dialplan rule family: one code per kind of message, with its default severity.

``DP1xx`` are the lines Asterisk itself logs while pbx_config loads extensions.conf
(one diagnostic per logged line, at the line that caused it); ``DP2xx`` are checks
beyond the log.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyst.config import Severity

__all__ = ["RULES", "Rule"]


@dataclass(frozen=True)
class Rule:
    """One rule: its code, short name, default severity, summary and explanation."""

    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str
    fix: str = ""
    """What to do, in a few words (appended to the message of each diagnostic)."""


_E = Severity.ERROR
_W = Severity.WARNING

_TABLE: tuple[tuple[str, str, Severity, str, str], ...] = (
    ("DP101", "same-without-extension", _E,
     "'same =>' before any 'exten =>' in its context",
     "pbx_config logs 'No previous pattern in the first entry of context' and skips the "
     "line: a 'same' line continues the extension of the line before it, and the context "
     "has none yet. Write an 'exten =>' line first."),
    ("DP102", "label-missing-paren", _W, "priority label without its closing ')'",
     "pbx_config logs \"Label missing trailing ')'\" and skips the line. Close the label: "
     "'1(start)'."),
    ("DP103", "next-on-first-line", _W, "'n' priority on the first line of a context",
     "pbx_config logs \"Can't use 'next' priority on the first entry\" and skips the line: "
     "'n' means the previous line's priority plus one, and there is no previous line. "
     "Number the first priority."),
    ("DP104", "same-priority-on-first-line", _W, "'s' priority on the first line of a context",
     "pbx_config logs \"Can't use 'same' priority on the first entry\" and skips the line."),
    ("DP105", "invalid-priority-label", _W, "priority is neither a number nor a known label",
     "pbx_config logs 'Invalid priority/label' and skips the line. A priority that is not a "
     "number, 'n', 's' or 'hint' must name a label defined earlier on the same extension."),
    ("DP106", "invalid-priority", _W, "priority below 1",
     "pbx_config logs 'Invalid priority' and skips the line: priorities start at 1 (and "
     "numbers beyond 2147483647 wrap)."),
    ("DP107", "unclosed-parenthesis", _W, "application arguments without a closing ')'",
     "pbx_config logs 'No closing parenthesis found?' and keeps the rest of the line as the "
     "arguments. A ';' starts a comment even inside the arguments: write '\\;'."),
    ("DP108", "discouraged-pattern", _W, "'_.' or '_!' as an extension",
     "pbx_config warns that '_.' and '_!' also match h, i, t and other special extensions. "
     "Use '_X.' or '_X!'."),
    ("DP109", "register-failed", _W, "the line's extension could not be registered",
     "pbx_config logs 'Unable to register extension' after pbx.c refused it (see the "
     "message before it: usually the priority is already used)."),
    ("DP110", "include-repeated", _W, "context included twice",
     "pbx_config logs 'already included' and skips the line (context names compare "
     "case-insensitively here)."),
    ("DP111", "include-failed", _W, "include could not be added",
     "pbx_config could not add the include."),
    ("DP112", "ignorepat-repeated", _W, "ignore pattern given twice",
     "pbx_config logs 'Unable to include ignorepat' for a pattern already in the context."),
    ("DP113", "switch-repeated", _W, "switch given twice",
     "pbx_config logs 'Unable to include switch' for a switch already in the context."),
    ("DP114", "unknown-directive", _W, "a key pbx_config does not know",
     "pbx_config logs 'Unknown directive' and ignores the line. Keys in a context are exten, "
     "same, include, ignorepat, switch, lswitch, eswitch and autohints."),
    ("DP115", "include-nonexistent", _W, "include of a context that does not exist",
     "After the load pbx.c logs 'tries to include nonexistent context' (once per context, "
     "for the first such include). Context names are case-sensitive."),
    ("DP116", "priority-in-use", _W, "priority already used by the extension",
     "pbx.c logs 'Unable to register extension ... already in use' and the line is lost. "
     "Extension names ignore blanks and dashes, and pattern letters ignore case, so "
     "'555-1234' and '5551234' are the same extension."),
    ("DP117", "label-in-use", _W, "label already used on another priority",
     "pbx.c logs 'label ... already in use' and drops the label of the later priority."),
    ("DP118", "label-not-found", _W, "label used before it is defined",
     "pbx.c logs 'No such label' while pbx_config looks up a 'label+N' priority; the line "
     "is then refused."),
    ("DP119", "extension-not-found", _W, "label lookup found no extension",
     "pbx.c logs 'Cannot find extension' while pbx_config looks up a label priority; the "
     "line is then refused."),
    ("DP120", "include-stack-exceeded", _W, "label lookup ran past 512 includes",
     "pbx.c logs 'Maximum PBX stack (512) exceeded' while looking up a label in a context "
     "that includes other contexts (the lookup at load time follows includes of the same "
     "context). Define the label before it is used, or number the priority."),
    ("DP121", "empty-extension", _E, "extension name is empty",
     "pbx.c logs 'You have to be kidding-- add exten ''' and the line is lost (an empty "
     "name, or one whose ${...} substitution gave nothing)."),
    ("DP122", "duplicate-in-match-tree", _W, "extension entered twice in the match tree",
     "pbx.c logs 'Found duplicate exten' when an extension (often one with a caller-ID "
     "match) is added after a label lookup built the context's match tree."),
    ("DP123", "bad-character-set", _W, "pattern character set without its ']'",
     "pbx.c logs that a '[' has no matching ']' (or a set is empty) in a pattern."),
    ("DP124", "no-such-switch", _W, "switch type not loaded",
     "pbx.c logs 'No such switch' when a lookup meets a switch whose module is not loaded."),
    ("DP125", "function-not-registered", _E, "dialplan function not available at load time",
     "pbx_functions.c logs 'Function X not registered': at load time only [globals] are "
     "known, so ${FUNC(...)} in extension names, includes and globals gives nothing."),
    ("DP126", "substitution-syntax", _W, "${ or $[ without its closing bracket",
     "pbx_variables.c logs 'Error in extension logic (missing ...)'."),
    ("DP127", "bad-time-spec", _W, "include time specification not understood",
     "pbx_timing.c logs a bad time, day or month in an include's time specification."),
    ("DP128", "presence-provider", _W, "hint names a presence provider that is not loaded",
     "presencestate.c logs 'No provider found for label'."),
    ("DP129", "too-many-includes", _W, "context has 512 includes or more",
     "pbx.c logs 'contains too many includes'."),
    ("DP130", "substitution-recursion", _E, "variable substitution nested too deeply",
     "pbx_variables.c logs 'Exceeded maximum variable substitution recursion depth'."),
    ("DP201", "priority-out-of-order", _W, "priority lower than the one written before it",
     "The extension's priorities are written out of order; Asterisk sorts them, so the "
     "file does not read the way the calls run."),
    ("DP202", "priority-gap", _W, "gap after priority 1",
     "Priority 1 is followed by a higher number with nothing between: execution stops "
     "after priority 1 (Asterisk does not skip gaps)."),
    ("DP203", "dangling-goto", _W, "Goto/Gosub/GotoIf target that does not exist",
     "A literal target (context, extension, priority or label) of Goto, Gosub, GotoIf, "
     "GosubIf or GotoIfTime names nothing in the dialplan."),
    ("DP204", "no-priority-one", _W, "extension without priority 1",
     "Calls enter an extension at priority 1; an extension without it is never run."),
    ("DP205", "unreachable-context", _W, "context never included and not an entry point",
     "No include, Goto or Gosub reaches the context and it is not one of the configured "
     "entry points (contexts named in channel configuration)."),
    ("DP206", "unknown-application", _W, "application not in the chosen Asterisk version",
     "The application is not documented by the chosen Asterisk version."),
    ("DP207", "unknown-function", _W, "function not in the chosen Asterisk version",
     "The dialplan function is not documented by the chosen Asterisk version."),
    ("DP208", "too-many-arguments", _W, "more arguments than the application takes",
     "The call passes more arguments than the application's documented parameters."),
    ("DP209", "missing-argument", _W, "required argument missing",
     "The call leaves out a parameter the application's documentation marks required."),
)

_FIXES = {
    "DP101": "write an 'exten =>' line before it",
    "DP102": "close the label with ')'",
    "DP103": "number the first priority of the context",
    "DP104": "number the first priority of the context",
    "DP105": "use a number, n, s, hint or a label defined earlier on this extension",
    "DP106": "priorities start at 1",
    "DP107": "close the parenthesis, and write ';' inside arguments as '\\;'",
    "DP108": "use '_X.' or '_X!'",
    "DP109": "see the message before this one",
    "DP110": "remove the repeated include",
    "DP112": "remove the repeated ignorepat",
    "DP113": "remove the repeated switch",
    "DP114": "use exten, same, include, ignorepat, switch, lswitch, eswitch or autohints",
    "DP115": "define the context or remove the include (names are case-sensitive)",
    "DP116": "use a free priority number; blanks and dashes do not count in names",
    "DP117": "give each priority its own label",
    "DP118": "define the label before using it",
    "DP119": "define the labelled priority before using the label",
    "DP120": "define the label before using it, or number the priority",
    "DP121": "give the extension a name",
    "DP125": "only [globals] are known when the file loads",
}

RULES: dict[str, Rule] = {
    code: Rule(code, name, severity, summary, explanation, _FIXES.get(code, ""))
    for code, name, severity, summary, explanation in _TABLE
}
"""Every dialplan rule by code (``DP101`` ...)."""

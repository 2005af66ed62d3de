"""Family ``O``: options checked against what Asterisk documents for the target version."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pyst.config import Category, Variable
from pyst.lint._context import LintTree
from pyst.lint._model import Finding, Rule, RuleFamily, Severity
from pyst.lint._schema import (
    BOOLEAN_WORDS,
    FileSpec,
    ObjectSpec,
    OptionSpec,
    load_schema,
    object_of,
)

_UINT = re.compile(r"^\+?(?:0[xX][0-9a-fA-F]+|\d+)$")
_INT = re.compile(r"^[+-]?(?:0[xX][0-9a-fA-F]+|\d+)$")
#: Kinds whose values Asterisk stores as text without checking them.
_FREE_TEXT = frozenset({"stringfield", "char_array", "noop", "acl", "codec", "sockaddr"})
#: pjsip_wizard.conf ``prefix/option`` keys and the pjsip.conf object they configure.
_WIZARD_PREFIXES = {
    "endpoint": "endpoint", "aor": "aor", "identify": "identify", "inbound_auth": "auth",
    "outbound_auth": "auth", "registration": "registration", "phoneprov": "phoneprov",
}

_RULES = (
    Rule("O201", "unknown-option", Severity.ERROR, "an option Asterisk does not document "
         "for this object type",
         "Asterisk's config framework (aco / sorcery) refuses an option it does not know: "
         "it logs 'Could not find option suitable for category' and the object (for "
         "pjsip.conf) or the whole file is not loaded. The check uses the option lists that "
         "Asterisk's XML documentation gives for the target version (--asterisk); files and "
         "sections Asterisk documents no options for are not checked."),
    Rule("O202", "bad-enum-value", Severity.ERROR, "a value outside the documented choices",
         "The option accepts only the values its documentation lists (compared without case; "
         "comma-separated lists are checked item by item). Asterisk logs 'Error parsing' and "
         "refuses the object. Checked only where the option's C handler confirms the "
         "documented list (it compares the value with each listed word); words the handler "
         "accepts beyond the documentation (dtmf_mode=none) are accepted too."),
    Rule("O203", "not-boolean", Severity.WARNING, "a boolean option with a value that is "
         "not yes/no",
         "Asterisk reads booleans with ast_true(): yes, true, y, t, 1, on are true; "
         "everything else - including typos such as 'ye' - is silently false."),
    Rule("O204", "bad-number", Severity.ERROR, "a numeric option with a value that is not "
         "a number",
         "Integer and decimal options must hold a number (unsigned ones no sign). Asterisk "
         "logs 'Error parsing' and refuses the object, even for an empty value."),
    Rule("O206", "empty-value", Severity.ERROR, "an empty value where Asterisk requires one",
         "The option is registered as required-non-empty: Asterisk logs 'Error parsing "
         "name=' and refuses the object. Give it a value or remove the line."),
    Rule("O205", "deprecated-option", Severity.WARNING, "an option Asterisk deprecated",
         "The documentation (or the module itself) marks this option deprecated or no "
         "longer supported; it may be ignored or removed in a later release. Use the "
         "replacement the message names."),
)


def _location(variable: Variable, tree: LintTree) -> tuple[str, int, int, int]:
    return variable.file or tree.path, variable.line, 1, 1 + len(variable.name)


def check_value(spec: OptionSpec, value: str) -> tuple[str, str] | None:
    """``(code, message)`` when ``value`` is not acceptable for ``spec``."""
    text = value.strip()
    if spec.required and not text:
        return "O206", f"'{spec.name}' must not be empty; Asterisk refuses the object"
    if spec.kind == "boolean":
        if text and text.lower() not in BOOLEAN_WORDS:
            return "O203", (
                f"'{spec.name}' is a yes/no option; Asterisk reads this value as 'no' - "
                "write yes or no"
            )
        return None
    if spec.kind in ("uint", "int", "double"):
        ok = (
            bool(_UINT.match(text)) if spec.kind == "uint"
            else bool(_INT.match(text)) if spec.kind == "int"
            else _is_float(text)
        )
        if not ok:
            what = {"uint": "a whole number >= 0", "int": "a whole number",
                    "double": "a number"}[spec.kind]
            return "O204", f"'{spec.name}' needs {what}, not {text!r}; Asterisk refuses the object"
        return None
    allowed = spec.checked_values
    if allowed is not None and spec.kind not in _FREE_TEXT:
        items = [t.strip() for t in text.split(",")] if text else [""]
        bad = [i for i in items if i.lower() not in allowed]
        if bad:
            listed = ", ".join(spec.enum[:12]) + (", ..." if len(spec.enum) > 12 else "")
            if len(items) == 1:
                return "O202", f"{text!r} is not a value of '{spec.name}'; use one of {listed}"
            return "O202", (
                f"{', '.join(repr(b) for b in bad)} {'is' if len(bad) == 1 else 'are'} not "
                f"{'a value' if len(bad) == 1 else 'values'} of '{spec.name}'; use items of "
                f"{listed}"
            )
    return None


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return bool(text)


def _describe(kind: str, objects: list[ObjectSpec]) -> str:
    names = " / ".join(o.name for o in objects)
    return f"{kind} {names}"


def category_findings(
    tree: LintTree, file: FileSpec, category: Category, objects: list[ObjectSpec]
) -> Iterator[Finding]:
    """Unknown options, bad values and deprecated options of one category."""
    schema = load_schema(tree.options.asterisk)
    pjsip = schema.file("pjsip.conf")
    for variable in category.variables:
        name = variable.name
        where = _location(variable, tree)
        if "/" in name and tree.kind == "pjsip_wizard.conf" and pjsip is not None:
            prefix, _, rest = name.partition("/")
            target = pjsip.objects.get(_WIZARD_PREFIXES.get(prefix, ""))
            if target is not None and rest and not target.accepts(rest):
                yield _finding("O201", where, _unknown(rest, [target], "pjsip.conf"))
            continue
        specs = [o.option(name) for o in objects]
        known = [s for s in specs if s is not None]
        if not any(o.accepts(name) for o in objects):
            yield _finding("O201", where, _unknown(name, objects, file.name))
            continue
        if len(known) != 1 or len(objects) != 1:
            continue
        spec = known[0]
        if spec.deprecated:
            instead = f"; use '{spec.replacement}' instead" if spec.replacement else ""
            yield _finding("O205", where, f"'{name}' is deprecated in Asterisk "
                           f"{tree.options.asterisk}{instead}")
        problem = check_value(spec, variable.value)
        if problem is not None:
            yield _finding(problem[0], where, problem[1])


def _unknown(name: str, objects: list[ObjectSpec], file_name: str) -> str:
    hint = next((s for o in objects if (s := o.suggestion(name))), None)
    message = f"unknown option '{name}' for {_describe(file_name, objects)}"
    if hint:
        message += f" - did you mean '{hint}'?"
    return message + "; Asterisk refuses it"


def _finding(code: str, where: tuple[str, int, int, int], message: str) -> Finding:
    rule = next(r for r in _RULES if r.code == code)
    file, line, column, end = where
    return Finding(file, line, column, code, message, rule.severity, line, end)


def _check(tree: LintTree) -> Iterator[Finding]:
    schema = load_schema(tree.options.asterisk)
    file = schema.file(tree.kind)
    if file is None:
        return
    for category in tree.config.categories:
        if category.template:
            continue
        objects = object_of(file, category, tree.options.asterisk)
        if objects:
            yield from category_findings(tree, file, category, objects)


FAMILY = RuleFamily(
    name="options", prefix="O", rules=_RULES, check=_check,
    description="options and values against Asterisk's documented schema",
)

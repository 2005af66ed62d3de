"""Family ``T``: the shape of the tree - duplicate sections, unused templates, keys set
twice where one value counts, ``(+)`` into a template, sections after a fatal line."""

from __future__ import annotations

from collections.abc import Iterator

from pyst.config import Category, Header
from pyst.lint._context import LintTree
from pyst.lint._model import Finding, Rule, RuleFamily, Severity
from pyst.lint._schema import load_schema, object_of

WARN, INFO = Severity.WARNING, Severity.INFO

#: Files whose module keeps one object per section name (a peer, user, queue, profile ...),
#: so a second non-template section of the same name re-configures that object instead of
#: adding one (main/config.c itself keeps both; modules browse every section).  Not here:
#: extensions.conf (pbx_config merges contexts; the dialplan family judges it),
#: voicemail.conf (app_voicemail reads every section, so two [context] sections simply
#: add their mailboxes to one context), pjsip.conf / pjsip_wizard.conf (ids are per type:
#: family P), and files whose sections are lists by design (chan_dahdi.conf channel blocks,
#: modules.conf, logger.conf, indications.conf).
_ONE_PER_NAME = "the later section re-configures it instead of adding one"
DUPLICATE_READ_ONCE = {
    "sip.conf": f"chan_sip keeps one peer per name; {_ONE_PER_NAME}",
    "iax.conf": f"chan_iax2 keeps one peer/user per name; {_ONE_PER_NAME}",
    "manager.conf": f"the manager keeps one user per name; {_ONE_PER_NAME}",
    "queues.conf": f"app_queue keeps one queue per name; {_ONE_PER_NAME}",
    "users.conf": f"one user per name; {_ONE_PER_NAME}",
    "confbridge.conf": f"one profile or menu per name; {_ONE_PER_NAME}",
    "features.conf": f"one section per name; {_ONE_PER_NAME}",
    "meetme.conf": f"one room list per name; {_ONE_PER_NAME}",
    "agents.conf": f"one agent per name; {_ONE_PER_NAME}",
    "res_parking.conf": f"one parking lot per name; {_ONE_PER_NAME}",
    "xmpp.conf": f"one client per name; {_ONE_PER_NAME}",
    "ari.conf": f"one user per name; {_ONE_PER_NAME}",
    "motif.conf": f"one endpoint per name; {_ONE_PER_NAME}",
    "skinny.conf": f"one device/line per name; {_ONE_PER_NAME}",
    "unistim.conf": f"one device per name; {_ONE_PER_NAME}",
    "ooh323.conf": f"one peer per name; {_ONE_PER_NAME}",
    "mgcp.conf": f"one gateway per name; {_ONE_PER_NAME}",
}
#: Value kinds of a documented option where a second line simply replaces the first.
_SCALAR_KINDS = frozenset({"boolean", "uint", "int", "double", "stringfield", "char_array"})
_FATAL = frozenset({
    "no-closing-bracket", "no-closing-paren", "category-addition-missing",
    "inheritance-missing", "no-category-context", "invalid-escape", "include-missing",
    "comment-nesting-limit",
})

_RULES = (
    Rule("T101", "duplicate-section", WARN, "a section defined twice where the module keeps "
         "one object per name",
         "Modules such as chan_sip, chan_iax2, app_queue and the manager keep one peer, "
         "user or queue per section name: a second non-template section with the same name "
         "does not add another one, it re-configures the first (options it does not repeat "
         "keep the first section's values). Merge the two, rename one, or write [name](+) "
         "to add lines on purpose. Not checked: extensions.conf (contexts merge), "
         "voicemail.conf (contexts merge), files whose sections are lists by design "
         "(chan_dahdi.conf, modules.conf ...); pjsip.conf has its own rule (P305)."),
    Rule("T102", "unused-template", INFO, "a template no section inherits from",
         "A [name](!) template that no [x](name) uses has no effect. Remove it or inherit "
         "from it."),
    Rule("T103", "repeated-key", WARN, "an option set twice in one section where one value counts",
         "The option is a single value (a number, a yes/no, a string): the second line "
         "replaces the first, which is probably not what was meant. Only options whose "
         "documented registration is a single value are checked."),
    Rule("T104", "addition-into-template", WARN, "a (+) that adds to a template by accident",
         "[name](+) adds its lines to the first category called name. Here that is a "
         "template while a normal section of the same name exists too: the lines go into "
         "the template, not into the section you probably meant."),
    Rule("T105", "unreachable-section", WARN, "a section Asterisk never sees",
         "An error earlier in the file makes Asterisk stop reading it (or refuse the whole "
         "file), so this section and everything after it does not exist for the module."),
)


def _rule(code: str) -> Rule:
    return next(r for r in _RULES if r.code == code)


def _at(code: str, file: str, line: int, message: str, end: int = 1) -> Finding:
    return Finding(file, line, 1, code, message, _rule(code).severity, line, end)


def _duplicates(tree: LintTree) -> Iterator[Finding]:
    reason = DUPLICATE_READ_ONCE.get(tree.kind)
    if reason is None:
        return
    seen: dict[str, Category] = {}
    for category in tree.config.categories:
        if category.template:
            continue
        earlier = seen.get(category.name)
        if earlier is None:
            seen[category.name] = category
            continue
        where = f"line {earlier.line}" if earlier.file == category.file else (
            f"{earlier.file}:{earlier.line}")
        yield _at("T101", category.file or tree.path, category.line,
                  f"[{category.name}] is defined again (first at {where}); {reason} - merge "
                  f"them, or write [{category.name}](+) if adding is meant",
                  len(category.name) + 3)


#: Templates a module reads by name on purpose (asterisk.conf's ``[directories](!)`` keeps
#: ``core show settings`` from listing it, but main/asterisk.c browses it by name).
_READ_BY_NAME = {("asterisk.conf", "directories")}


def _unused_templates(tree: LintTree) -> Iterator[Finding]:
    used = {parent for c in tree.config.categories for parent in c.inherits}
    for category in tree.config.categories:
        if (tree.kind, category.name) in _READ_BY_NAME:
            continue
        if category.template and category.name not in used:
            yield _at("T102", category.file or tree.path, category.line,
                      f"template [{category.name}](!) is never inherited from; remove it "
                      "or use it as [x](" + category.name + ")", len(category.name) + 3)


def _repeated_keys(tree: LintTree) -> Iterator[Finding]:
    file = load_schema(tree.options.asterisk).file(tree.kind)
    if file is None:
        return
    for category in tree.config.categories:
        objects = object_of(file, category, tree.options.asterisk)
        if len(objects) != 1:
            continue
        own: dict[str, list[int]] = {}
        for variable in category.variables:
            if variable.inherited or variable.file != category.file:
                continue
            own.setdefault(variable.name.lower(), []).append(variable.line)
        for name, lines in own.items():
            spec = objects[0].option(name)
            if spec is None or len(lines) < 2 or spec.kind not in _SCALAR_KINDS:
                continue
            for line in lines[1:]:
                yield _at("T103", category.file or tree.path, line,
                          f"'{name}' is set again in [{category.name}] (first at line "
                          f"{lines[0]}); only the last value counts - remove one",
                          1 + len(name))


def _additions(tree: LintTree) -> Iterator[Finding]:
    first: dict[str, Header] = {}
    plain: set[str] = set()
    for number, line in enumerate(tree.document.lines(), start=1):
        if not isinstance(line, Header):
            continue
        if line.is_addition:
            target = first.get(line.name)
            if target is not None and target.template and line.name in plain:
                yield _at("T104", tree.path, number,
                          f"[{line.name}](+) adds to the template [{line.name}](!), not to "
                          f"the section [{line.name}]; move the template's name or the "
                          "addition", len(line.name) + 3)
            continue
        first.setdefault(line.name, line)
        if not line.template:
            plain.add(line.name)


def _unreachable(tree: LintTree) -> Iterator[Finding]:
    fatal = [
        d for d in tree.config.diagnostics
        if d.code in _FATAL and (d.file or tree.path) == tree.path
    ]
    if not fatal:
        return
    stop = min(d.line for d in fatal)
    for number, line in enumerate(tree.document.lines(), start=1):
        if number > stop and isinstance(line, Header) and line.closed:
            yield _at("T105", tree.path, number,
                      f"[{line.name}] comes after the error on line {stop}, where Asterisk "
                      "stops reading this file; fix that line first", len(line.name) + 3)


def _check(tree: LintTree) -> Iterator[Finding]:
    yield from _duplicates(tree)
    yield from _unused_templates(tree)
    yield from _repeated_keys(tree)
    yield from _additions(tree)
    yield from _unreachable(tree)


FAMILY = RuleFamily(
    name="structure", prefix="T", rules=_RULES, check=_check,
    description="sections, templates and keys as modules read them",
)

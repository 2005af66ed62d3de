"""Family ``P``: pjsip.conf objects as res_pjsip's sorcery builds them - types, ids,
references between objects and transports that cannot all bind."""

from __future__ import annotations

import difflib
import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass

from pyst.config import Category, Variable
from pyst.lint._context import LintTree
from pyst.lint._model import Finding, Rule, RuleFamily, Severity
from pyst.lint._schema import load_schema, type_value

E, W = Severity.ERROR, Severity.WARNING

_RULES = (
    Rule("P301", "missing-type", W, "a pjsip.conf section without type=",
         "res_pjsip builds objects only from sections that say what they are with type= "
         "(endpoint, aor, auth, transport, identify, registration, ...). A section without "
         "it - or with an empty type= - is silently ignored. Templates ([x](!)) are exempt."),
    Rule("P302", "unknown-type", W, "a pjsip.conf type= that no module knows",
         "No loaded res_pjsip module registers this object type, so the section is ignored "
         "without a word. Check the spelling (the message suggests the closest type)."),
    Rule("P303", "reference-missing", E, "a reference to an object that does not exist",
         "aors=, auth=, outbound_auth=, transport= and identify's endpoint= name other "
         "objects of pjsip.conf. When no object of that name exists, calls, registrations or "
         "identification fail at run time (e.g. 'Unable to retrieve PJSIP transport')."),
    Rule("P304", "reference-wrong-type", E, "a reference to an object of another type",
         "The named object exists but has another type= (an endpoint named in aors=, say); "
         "sorcery looks the name up among objects of the expected type only."),
    Rule("P305", "duplicate-object", E, "two objects with the same id and type",
         "res_sorcery_config refuses the whole file for that object type: 'Config file "
         "pjsip.conf could not be loaded; configuration contains a duplicate object'. Every "
         "object of that type then stays unloaded. The same id may be used by objects of "
         "different types (endpoint, aor and auth '6001' are fine)."),
    Rule("P306", "transport-bind-conflict", E, "two transports bound to the same address",
         "Two udp (or two tcp/tls) transports on the same address and port: the second "
         "cannot start ('Address already in use') and is not created. A wildcard address "
         "(0.0.0.0, ::) conflicts with every address of its family on that port."),
)

#: (object type, option) -> the object type it names; comma-separated lists allowed.
REFERENCES: dict[tuple[str, str], str] = {
    ("endpoint", "aors"): "aor",
    ("endpoint", "auth"): "auth",
    ("endpoint", "outbound_auth"): "auth",
    ("endpoint", "transport"): "transport",
    ("identify", "endpoint"): "endpoint",
    ("registration", "outbound_auth"): "auth",
    ("registration", "transport"): "transport",
    ("registration", "endpoint"): "endpoint",
    ("outbound-publish", "outbound_auth"): "auth",
    ("outbound-publish", "transport"): "transport",
    ("phoneprov", "endpoint"): "endpoint",
}
_DEFAULT_PORT = {"udp": 5060, "tcp": 5060, "tls": 5061}
_SOCKET = {"udp": "udp", "tcp": "tcp", "tls": "tcp"}


@dataclass
class PjsipObject:
    """One non-template section of pjsip.conf with its type."""

    id: str
    type: str
    category: Category


def _rule(code: str) -> Rule:
    return next(r for r in _RULES if r.code == code)


def _at(code: str, file: str, line: int, message: str, end: int = 1) -> Finding:
    return Finding(file, line, 1, code, message, _rule(code).severity, line, end)


def objects_of(tree: LintTree) -> tuple[list[PjsipObject], list[Finding]]:
    """The typed objects of a pjsip.conf tree, and type findings (P301, P302)."""
    schema = load_schema(tree.options.asterisk)
    spec = schema.file("pjsip.conf")
    known = set(spec.objects) if spec is not None else set()
    objects: list[PjsipObject] = []
    findings: list[Finding] = []
    for category in tree.config.categories:
        if category.template:
            continue
        value = type_value(category, tree.options.asterisk)
        file = category.file or tree.path
        if not value:
            findings.append(_at(
                "P301", file, category.line,
                f"[{category.name}] has no type=, so res_pjsip ignores it; add type=endpoint, "
                "aor, auth, transport, ... (or make it a template with (!))",
                len(category.name) + 3,
            ))
            continue
        if value not in known:
            close = difflib.get_close_matches(value, sorted(known), n=1)
            hint = f" - did you mean '{close[0]}'?" if close else ""
            findings.append(_at(
                "P302", file, category.line,
                f"[{category.name}] has type={value}, which no res_pjsip module knows{hint}; "
                "the section is ignored", len(category.name) + 3,
            ))
            continue
        objects.append(PjsipObject(category.name, value, category))
    return objects, findings


def _variable(category: Category, name: str) -> Variable | None:
    found = None
    for variable in category.variables:
        if variable.name.lower() == name:
            found = variable
    return found


def _article(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _references(tree: LintTree, objects: list[PjsipObject]) -> Iterator[Finding]:
    by_id: dict[str, set[str]] = {}
    for obj in objects:
        by_id.setdefault(obj.id, set()).add(obj.type)
    reported: set[tuple[str, int, str]] = set()
    for obj in objects:
        for (owner, option), wanted in REFERENCES.items():
            if obj.type != owner:
                continue
            variable = _variable(obj.category, option)
            if variable is None:
                continue
            for name in (n.strip() for n in variable.value.split(",")):
                if not name:
                    continue
                types = by_id.get(name, set())
                key = (variable.file, variable.line, name)
                if wanted in types or key in reported:
                    continue
                reported.add(key)
                file = variable.file or tree.path
                end = 1 + len(variable.name)
                if types:
                    yield _at("P304", file, variable.line,
                              f"{owner} '{obj.id}' names '{name}' in {option}=, but '{name}' "
                              f"is {_article('/'.join(sorted(types)))}, not {_article(wanted)}",
                              end)
                else:
                    close = difflib.get_close_matches(
                        name, sorted(i for i, t in by_id.items() if wanted in t), n=1)
                    hint = f" - did you mean '{close[0]}'?" if close else ""
                    yield _at("P303", file, variable.line,
                              f"{owner} '{obj.id}' names {wanted} '{name}' in {option}=, and "
                              f"no {wanted} of that name exists{hint}", end)


def _duplicates(tree: LintTree, objects: list[PjsipObject]) -> Iterator[Finding]:
    first: dict[tuple[str, str], PjsipObject] = {}
    for obj in objects:
        key = (obj.id, obj.type)
        if key not in first:
            first[key] = obj
            continue
        earlier = first[key].category
        yield _at("P305", obj.category.file or tree.path, obj.category.line,
                  f"duplicate {obj.type} '{obj.id}' (first at line {earlier.line}); res_pjsip "
                  f"then loads no {obj.type} of pjsip.conf at all - rename or merge them",
                  len(obj.id) + 3)


def _bind_key(protocol: str, bind: str) -> tuple[str, str, int] | None:
    text = bind.strip()
    port = _DEFAULT_PORT[protocol]
    host = text
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest.startswith(":") and rest[1:].isdigit():
            port = int(rest[1:])
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
        if not port_text.isdigit():
            return None
        port = int(port_text)
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    return _SOCKET[protocol], str(address), port


def _conflict(a: tuple[str, str, int], b: tuple[str, str, int]) -> bool:
    if a[0] != b[0] or a[2] != b[2]:
        return False
    if a[1] == b[1]:
        return True
    first, second = ipaddress.ip_address(a[1]), ipaddress.ip_address(b[1])
    if first.version != second.version:
        return False
    return first.is_unspecified or second.is_unspecified


def _binds(tree: LintTree, objects: list[PjsipObject]) -> Iterator[Finding]:
    bound: list[tuple[tuple[str, str, int], PjsipObject]] = []
    for obj in objects:
        if obj.type != "transport":
            continue
        protocol = (obj.category.get("protocol") or "udp").strip().lower()
        bind = obj.category.get("bind")
        if protocol not in _DEFAULT_PORT or not bind:
            continue
        key = _bind_key(protocol, bind)
        if key is None:
            continue
        clash = next((o for k, o in bound if _conflict(k, key)), None)
        if clash is not None and clash.id != obj.id:
            variable = _variable(obj.category, "bind")
            line = variable.line if variable else obj.category.line
            yield _at("P306", (variable.file if variable else "") or tree.path, line,
                      f"transport '{obj.id}' binds {bind.strip()} ({protocol}), which "
                      f"transport '{clash.id}' already uses; it will not start "
                      "(Address already in use)", 5)
            continue
        bound.append((key, obj))


def _check(tree: LintTree) -> Iterator[Finding]:
    if tree.kind != "pjsip.conf":
        return
    objects, findings = objects_of(tree)
    yield from findings
    yield from _duplicates(tree, objects)
    yield from _references(tree, objects)
    yield from _binds(tree, objects)


FAMILY = RuleFamily(
    name="pjsip", prefix="P", rules=_RULES, check=_check,
    description="pjsip.conf objects, ids, references and transports",
)

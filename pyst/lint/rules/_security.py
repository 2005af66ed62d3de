"""Family ``S``: secrets and access rules that open a PBX to anyone.

Messages name the section and the option, never the secret itself.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from pyst.config import Category, Variable
from pyst.lint._context import LintTree
from pyst.lint._model import Finding, Rule, RuleFamily, Severity
from pyst.lint._schema import type_value

E, W = Severity.ERROR, Severity.WARNING

_RULES = (
    Rule("S201", "empty-secret", E, "an empty secret or password",
         "A peer, user or AMI account whose secret/password is set but empty accepts any "
         "password - or none. Set a long random secret."),
    Rule("S202", "weak-secret", W, "a trivially guessable secret",
         "Secrets shorter than 8 characters, made of one repeated character, a run of "
         "digits or letters (1234..., abcd...), a common word (password, secret, asterisk, "
         "...) or equal to the user's own name are found by SIP scanners within minutes. "
         "The secret itself is never printed."),
    Rule("S203", "open-to-anyone", E, "access rules that let anyone in",
         "permit=0.0.0.0/0 (or ::/0) allows every address. In sip.conf/iax.conf, "
         "insecure=invite (or port,invite) without a deny/permit list lets anyone place calls "
         "through the peer without a password. In pjsip.conf, an endpoint without auth= "
         "that no identify matches is reached by anyone who sends its user name."),
    Rule("S204", "ami-open-write", E, "an AMI user with write access from any address",
         "A manager.conf user whose permit= allows every address and that has write "
         "access (originate, system, command, config, all, ...) lets anyone who guesses "
         "or sniffs its secret run commands on the PBX. Restrict permit= to the hosts "
         "that need it, and give the least write access possible."),
)

_SECRET_OPTIONS = {
    "sip.conf": ("secret", "md5secret"),
    "iax.conf": ("secret",),
    "manager.conf": ("secret",),
    "users.conf": ("secret",),
    "pjsip.conf": ("password",),
    "pjsip_wizard.conf": ("inbound_auth/password", "outbound_auth/password"),
    "voicemail.conf": (),
}
_COMMON = frozenset({
    "password", "secret", "asterisk", "changeme", "welcome", "letmein", "admin", "qwerty",
    "default", "pass", "test", "guest", "voip", "sip", "phone", "mysecret", "amp111",
    "passw0rd", "iloveyou", "monkey", "dragon",
})
_SEQUENCES = ("0123456789012345678909876543210", "abcdefghijklmnopqrstuvwxyz",
              "qwertyuiopasdfghjklzxcvbnm")


def _rule(code: str) -> Rule:
    return next(r for r in _RULES if r.code == code)


def _at(code: str, file: str, line: int, message: str, end: int = 1) -> Finding:
    return Finding(file, line, 1, code, message, _rule(code).severity, line, end)


def weak_reason(secret: str, user: str) -> str | None:
    """Why ``secret`` is trivially guessable, in words that do not reveal it; else None."""
    text = secret.strip()
    lowered = text.lower()
    if lowered in _COMMON or lowered.rstrip("0123456789!") in _COMMON:
        return "it is a common password"
    if user and lowered in (user.lower(), user.lower()[::-1]):
        return "it equals the account name"
    if len(set(lowered)) == 1:
        return "it repeats one character"
    if len(text) >= 3 and any(lowered in s or lowered in s[::-1] for s in _SEQUENCES):
        return "it is a run of consecutive characters"
    if len(text) < 8:
        return "it is shorter than 8 characters"
    return None


def _last(category: Category, name: str) -> Variable | None:
    found = None
    for variable in category.variables:
        if variable.name.lower() == name:
            found = variable
    return found


def _secrets(tree: LintTree) -> Iterator[Finding]:
    options = _SECRET_OPTIONS.get(tree.kind)
    if not options:
        return
    for category in tree.config.categories:
        if category.template or category.name == "general":
            continue
        if tree.kind == "pjsip.conf" and type_value(category, tree.options.asterisk) != "auth":
            continue
        user = (category.get("username") or "").strip() or category.name
        for option in options:
            variable = _last(category, option)
            if variable is None:
                continue
            file = variable.file or tree.path
            end = 1 + len(variable.name)
            if not variable.value.strip():
                if option == "md5secret" or (tree.kind == "pjsip.conf" and (
                        (category.get("auth_type") or "").strip().lower() in
                        ("md5", "google_oauth") or category.get("md5_cred")
                        or category.get("password_digest"))):
                    continue
                yield _at("S201", file, variable.line,
                          f"[{category.name}] has an empty {option}=; set a long random one", end)
                continue
            if option == "md5secret":
                continue
            reason = weak_reason(variable.value, user)
            if reason is not None:
                yield _at("S202", file, variable.line,
                          f"the {option} of [{category.name}] is weak: {reason}; use a long "
                          "random secret", end)


def _covers_everything(value: str) -> bool:
    for part in value.split(","):
        text = part.strip().lstrip("!")
        if not text:
            continue
        try:
            network = ipaddress.ip_network(text if "/" in text else f"{text}/32", strict=False)
        except ValueError:
            try:
                address, mask = text.split("/", 1)
                if ipaddress.ip_address(mask).is_unspecified and ipaddress.ip_address(
                        address).is_unspecified:
                    return True
            except ValueError:
                pass
            continue
        if network.prefixlen == 0:
            return True
    return False


def _permit_all(category: Category) -> Variable | None:
    for variable in category.variables:
        if variable.name.lower() == "permit" and _covers_everything(variable.value):
            return variable
    return None


def _has(category: Category, name: str) -> bool:
    return any(v.name.lower() == name for v in category.variables)


def _open_peers(tree: LintTree) -> Iterator[Finding]:
    for category in tree.config.categories:
        if category.template:
            continue
        permit = _permit_all(category)
        if permit is not None and tree.kind != "manager.conf":
            yield _at("S203", permit.file or tree.path, permit.line,
                      f"[{category.name}] permits every address ({permit.value.strip()}); "
                      "list the networks that need access", 7)
        if tree.kind in ("sip.conf", "iax.conf") and category.name != "general":
            insecure = _last(category, "insecure")
            if (insecure is not None and "invite" in insecure.value.lower()
                    and not _has(category, "permit") and not _has(category, "deny")):
                yield _at("S203", insecure.file or tree.path, insecure.line,
                          f"[{category.name}] has insecure={insecure.value.strip()} and no "
                          "permit/deny list: anyone can call through it without a password; "
                          "add deny=0.0.0.0/0.0.0.0 and permit= the provider's addresses", 9)


def _pjsip_unauthenticated(tree: LintTree) -> Iterator[Finding]:
    if tree.kind != "pjsip.conf":
        return
    target = tree.options.asterisk
    identified = {
        name.strip()
        for c in tree.config.categories
        if not c.template and type_value(c, target) == "identify"
        for name in (c.get("endpoint") or "").split(",")
    }
    for category in tree.config.categories:
        if category.template or type_value(category, target) != "endpoint":
            continue
        if category.name in identified or (category.get("auth") or "").strip():
            continue
        if category.name == "anonymous":
            continue
        yield _at("S203", category.file or tree.path, category.line,
                  f"endpoint [{category.name}] has no auth= and no identify matches it: "
                  "anyone who sends its user name is this endpoint; add auth= or an "
                  "identify with match=", len(category.name) + 3)


_WRITE_NONE = frozenset({"", "none", "no"})


def _ami(tree: LintTree) -> Iterator[Finding]:
    if tree.kind != "manager.conf":
        return
    for category in tree.config.categories:
        if category.template or category.name == "general":
            continue
        permit = _permit_all(category)
        write = (category.get("write") or "").strip().lower()
        if permit is None or write in _WRITE_NONE:
            continue
        yield _at("S204", permit.file or tree.path, permit.line,
                  f"AMI user [{category.name}] may write ({write}) from any address "
                  f"(permit={permit.value.strip()}); restrict permit= to trusted hosts", 7)


def _check(tree: LintTree) -> Iterator[Finding]:
    yield from _secrets(tree)
    yield from _open_peers(tree)
    yield from _pjsip_unauthenticated(tree)
    yield from _ami(tree)


FAMILY = RuleFamily(
    name="security", prefix="S", rules=_RULES, check=_check,
    description="secrets and access control",
)

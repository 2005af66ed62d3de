"""Declarative editing: bring a document to the state a change set describes.

A change set lists sections *as they should be*; :func:`apply` makes the smallest edits
that get the document there and returns what it changed (nothing on a second run)::

    {"sections": {
        "6001": {"parents": ["phone"], "after": "6000",
                 "keys": {"secret": "s3cret", "allow": ["ulaw", "alaw"]},
                 "absent": ["nat"]},
        "old-peer": {"state": "absent"},
    }}

``sections`` is a mapping from section name to its description, or a list of
descriptions that each carry a ``name`` (for several sections of one name).  A name may end
in ``[N]`` (the Nth section of that name, from 1).  A description has:

* ``state``: ``"present"`` (default) or ``"absent"`` (every section of that name goes, or
  just the one ``[N]``/``match`` picks);
* ``template`` (bool) and ``parents`` (list of names): the header's ``(!)`` and parents,
  exactly (an existing header's options are rewritten when they differ); left as they are
  when not given;
* ``keys``: name -> value.  A value is a string (numbers are written as they read, booleans
  as ``yes``/``no``), a list of strings (a repeated key, in order), ``null`` (the key must
  not be there), or a table: ``{"values": [...], "operator": "=>"}`` for object lines,
  ``{"add": [...]}`` for values that must be among the key's (appended if missing, the
  others kept), ``{"remove": [...]}`` for values that must not be;
* ``absent``: a list of key names that must not be there;
* ``match``: ``{key: value}`` that picks, among sections of the same name, the one where
  Asterisk reads those values;
* ``after`` / ``before``: where a *new* section goes (default: the end of the file);
* ``file``: for a :class:`~pyst.config.Tree`, the included file a new section goes to
  (default: the file of ``after``/``before``, else the main file).

``document`` may be a :class:`~pyst.config.Document` or a :class:`~pyst.config.Tree`
(from ``load_tree``): sections are then found in every file of the tree.

Keys describe the section's own lines (what ``Section.get_all`` returns), the way the file
is written; what a template gives is the template's business.  Keys not listed are left
alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pyst.config._errors import ConfigEditError, ConfigError
from pyst.config._syntax.lexer import fold as _fold
from pyst.config._syntax.nodes import Directive

if TYPE_CHECKING:
    from typing import TypeAlias

    from pyst.config._editing.document import Document
    from pyst.config._editing.section import Section
    from pyst.config._editing.tree import Tree

    Target: TypeAlias = "Document | Tree"

_INDEXED = re.compile(r"^(?P<name>.*)\[(?P<index>[0-9]+)\]$", re.DOTALL)
_SECTION_FIELDS = {
    "name", "state", "template", "parents", "keys", "absent", "match", "after", "before",
    "file",
}
_OPERATORS = ("=", "=>")


class ConfigChangesError(ConfigError):
    """A change set that does not say something :func:`apply` can do (a wrong type, an
    unknown field); the message names the place in the change set."""


@dataclass(frozen=True)
class Change:
    """One thing :func:`apply` changed: ``action`` is ``add-section``,
    ``remove-section``, ``set``, ``add`` (values added to a key) or ``remove``."""

    action: str
    section: str
    key: str | None = None
    detail: str = ""

    def __str__(self) -> str:
        where = f"[{self.section}]" + (f" {self.key}" if self.key is not None else "")
        return f"{self.action} {where}" + (f": {self.detail}" if self.detail else "")


@dataclass
class _KeySpec:
    name: str
    values: list[str] | None  # None: must not be there
    operator: str | None
    mode: str = "exact"  # or "add" (values must be among them), "remove" (must not be)


@dataclass
class _SectionSpec:
    where: str
    name: str
    index: int | None
    present: bool
    template: bool | None
    parents: list[str] | None
    keys: list[_KeySpec]
    match: list[tuple[str, str]]
    after: str | None
    before: str | None
    file: str | None


# -- reading the change set ------------------------------------------------------------
def _text(value: Any, where: str) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value
    raise ConfigChangesError(f"{where}: expected a string, not {type(value).__name__}")


def _names(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigChangesError(f"{where}: expected a list of names")
    return list(value)


def _key_spec(name: str, value: Any, where: str) -> _KeySpec:
    operator = None
    mode = "exact"
    if isinstance(value, Mapping):
        unknown = set(value) - {"values", "value", "operator", "add", "remove"}
        if unknown:
            raise ConfigChangesError(f"{where}: unknown field {sorted(unknown)[0]!r}")
        given = [k for k in ("values", "value", "add", "remove") if k in value]
        if len(given) != 1:
            raise ConfigChangesError(
                f"{where}: give one of 'values', 'value', 'add' or 'remove'"
            )
        operator = value.get("operator")
        if operator is not None and operator not in _OPERATORS:
            raise ConfigChangesError(f"{where}.operator: '=' or '=>', not {operator!r}")
        mode = given[0] if given[0] in ("add", "remove") else "exact"
        value = value[given[0]]
        if mode != "exact" and value is not None and not isinstance(value, list):
            value = [value]
    if value is None:
        if mode != "exact":
            raise ConfigChangesError(f"{where}.{mode}: expected a list of values")
        return _KeySpec(name, None, None)
    if isinstance(value, list):
        texts = [_text(v, f"{where}[{i}]") for i, v in enumerate(value)]
        return _KeySpec(name, texts, operator, mode)
    return _KeySpec(name, [_text(value, where)], operator, mode)


def _section_spec(name: Any, body: Any, where: str) -> _SectionSpec:
    if not isinstance(name, str) or not name:
        raise ConfigChangesError(f"{where}: a section needs a name")
    if not isinstance(body, Mapping):
        raise ConfigChangesError(f"{where}: expected a table of the section's fields")
    unknown = set(body) - _SECTION_FIELDS
    if unknown:
        raise ConfigChangesError(
            f"{where}: unknown field {sorted(unknown)[0]!r} "
            f"(known: {', '.join(sorted(_SECTION_FIELDS))})"
        )
    index = None
    found = _INDEXED.match(name)
    if found:
        name, index = found["name"], int(found["index"])
        if index < 1:
            raise ConfigChangesError(f"{where}: section indexes count from 1")
    state = body.get("state", "present")
    if state not in ("present", "absent"):
        raise ConfigChangesError(f"{where}.state: 'present' or 'absent', not {state!r}")
    template = body.get("template")
    if template is not None and not isinstance(template, bool):
        raise ConfigChangesError(f"{where}.template: true or false")
    parents = body.get("parents")
    if parents is not None:
        parents = _names(parents, f"{where}.parents")
    keys_body = body.get("keys", {})
    if not isinstance(keys_body, Mapping):
        raise ConfigChangesError(f"{where}.keys: expected a table of key = value")
    keys = [_key_spec(k, v, f"{where}.keys.{k}") for k, v in keys_body.items()]
    keys += [_KeySpec(k, None, None) for k in _names(body.get("absent", []), f"{where}.absent")]
    match_body = body.get("match", {})
    if not isinstance(match_body, Mapping):
        raise ConfigChangesError(f"{where}.match: expected a table of key = value")
    match = [(k, _text(v, f"{where}.match.{k}")) for k, v in match_body.items()]
    after, before = body.get("after"), body.get("before")
    for field_name, field_value in (("after", after), ("before", before)):
        if field_value is not None and not isinstance(field_value, str):
            raise ConfigChangesError(f"{where}.{field_name}: expected a section name")
    if after is not None and before is not None:
        raise ConfigChangesError(f"{where}: give 'after' or 'before', not both")
    file = body.get("file")
    if file is not None and not isinstance(file, str):
        raise ConfigChangesError(f"{where}.file: expected a path")
    return _SectionSpec(
        where, name, index, state == "present", template, parents, keys, match, after, before,
        file,
    )


def parse_changes(changes: Mapping[str, Any]) -> list[_SectionSpec]:
    """Check a change set and return its sections in order."""
    if not isinstance(changes, Mapping):
        raise ConfigChangesError("the change set is a table with a 'sections' entry")
    unknown = set(changes) - {"sections"}
    if unknown:
        raise ConfigChangesError(f"unknown top-level field {sorted(unknown)[0]!r}")
    sections = changes.get("sections", {})
    if isinstance(sections, Mapping):
        return [_section_spec(n, b, f"sections.{n}") for n, b in sections.items()]
    if isinstance(sections, list):
        specs = []
        for i, body in enumerate(sections):
            name = body.get("name") if isinstance(body, Mapping) else None
            specs.append(_section_spec(name, body, f"sections[{i}]"))
        return specs
    raise ConfigChangesError("sections: a table keyed by name, or a list of tables")


# -- finding sections ------------------------------------------------------------------
def _candidates(document: Target, spec: _SectionSpec) -> list[Section]:
    """The sections ``spec`` stands for, ``match`` applied, before its index."""
    sections = [s for s in document.sections_named(spec.name) if not s.is_addition]
    if not spec.match:
        return sections
    chosen = []
    for section in sections:
        category = section.category()
        values = category.get_all if category is not None else section.own.get_all
        if all(value in values(key) for key, value in spec.match):
            chosen.append(section)
    return chosen


def _pick(document: Target, spec: _SectionSpec) -> Section | None:
    candidates = _candidates(document, spec)
    if spec.index is not None:
        return candidates[spec.index - 1] if spec.index <= len(candidates) else None
    if len(candidates) > 1:
        raise ConfigEditError(
            f"{spec.where}: [{spec.name}] is defined {len(candidates)} times; say which with "
            f"'{spec.name}[2]' or a 'match' table"
        )
    return candidates[0] if candidates else None


def _anchor(document: Target, reference: str | None, where: str) -> Section | None:
    """The section called ``reference`` that a new one goes next to (``None``: none)."""
    if reference is None:
        return None
    found = document.sections_named(reference)
    if not found:
        raise ConfigEditError(f"{where}: no section [{reference}] to put it next to")
    return found[0]


# -- editing ---------------------------------------------------------------------------
def _header_options(section: Section) -> tuple[bool, list[str]]:
    """The template flag and the (trimmed) parents of ``section``'s header."""
    return section.template, [p.strip() for p in section.parents]


def _apply_key(section: Section, key: _KeySpec) -> list[Change]:
    current = [
        (value, lines) for name, value, lines in section.own.variables()
        if _fold(name) == _fold(key.name)
    ]
    if key.values is None:
        if not current:
            return []
        removed = section.remove(key.name)
        return [Change("remove", section.name, key.name, f"{removed} line(s)")]
    if key.mode == "add":
        have = {value for value, _ in current}
        missing = [v for v in key.values if v not in have]
        for value in missing:
            section.add(key.name, value, operator=key.operator)
        return [Change("add", section.name, key.name, ", ".join(missing))] if missing else []
    if key.mode == "remove":
        doomed = [(value, lines) for value, lines in current if value in key.values]
        for _, lines in doomed:
            for line in lines:
                section.remove_line(line)
        shown = ", ".join(value for value, _ in doomed)
        return [Change("remove", section.name, key.name, shown)] if doomed else []

    def same(entry: tuple[str, list[Any]], value: str) -> bool:
        text, lines = entry
        return text == value and (key.operator is None or lines[0].operator == key.operator)

    if len(current) == len(key.values) and all(
        same(entry, value) for entry, value in zip(current, key.values, strict=True)
    ):
        return []
    keep = 0
    while (
        keep < min(len(current), len(key.values)) and same(current[keep], key.values[keep])
    ):
        keep += 1
    shown = ", ".join(key.values)
    if (
        keep == len(current) - 1 == len(key.values) - 1
        and (key.operator is None or current[-1][1][0].operator == key.operator)
        and all(line.operator != "+=" for line in current[-1][1])
    ):
        # Only the last value differs: change its bytes in place.
        section.set(key.name, key.values[-1])
    else:
        for _, lines in current[keep:]:
            for line in lines:
                section.remove_line(line)
        for value in key.values[keep:]:
            section.add(key.name, value, operator=key.operator)
    got = section.own.get_all(key.name)
    if got != key.values:
        raise ConfigEditError(
            f"[{section.name}] {key.name}: could not make its lines say {key.values!r} "
            f"(they say {got!r}; a (+) addition may set it too)"
        )
    return [Change("set", section.name, key.name, shown)]


def _refuse_if_included(document: Document, spec: _SectionSpec) -> None:
    """Refuse to add ``[name]`` to a file when a file it ``#include``s defines it: that
    would make a second category, not edit the one meant."""
    if not any(isinstance(line, Directive) and line.directive for line in document.lines()):
        return
    path = document.path or "<string>"
    for category in document.config().categories_named(spec.name):
        if category.file != path:
            raise ConfigEditError(
                f"{spec.where}: [{spec.name}] is defined in {category.file}:{category.line}, "
                "a file this one includes; apply to that file, or to the whole tree "
                "(pyst-config apply --tree)"
            )


def _apply_section(document: Target, spec: _SectionSpec) -> list[Change]:
    if not spec.present:
        if spec.index is not None or spec.match:
            section = _pick(document, spec)
            doomed = [section] if section is not None else []
        else:
            doomed = list(reversed(document.sections_named(spec.name)))
        changes = []
        for victim in doomed:
            header = victim.header.raw.strip()
            document.remove_section(victim)
            changes.append(Change("remove-section", spec.name, None, header))
        return changes
    changes = []
    section = _pick(document, spec)
    if section is None and not hasattr(document, "documents"):
        _refuse_if_included(document, spec)
    if section is None:
        if spec.index is not None and spec.index > 1:
            raise ConfigEditError(
                f"{spec.where}: there is no [{spec.name}] number {spec.index} to edit"
            )
        options: dict[str, Any] = {
            "template": bool(spec.template),
            "parents": list(spec.parents or []),
            "after": _anchor(document, spec.after, spec.where),
            "before": _anchor(document, spec.before, spec.where),
        }
        if spec.file is not None:
            if not hasattr(document, "documents"):
                raise ConfigEditError(
                    f"{spec.where}.file: a file of an include tree is named, but only one "
                    "file is edited (load the tree: pyst-config apply --tree)"
                )
            options["file"] = spec.file
        section = document.add_section(spec.name, **options)
        changes.append(Change("add-section", spec.name, None, section.header.raw.strip()))
    else:
        template, parents = _header_options(section)
        wanted_template = template if spec.template is None else spec.template
        wanted_parents = parents if spec.parents is None else spec.parents
        if (wanted_template, [_fold(p) for p in wanted_parents]) != (
            template, [_fold(p) for p in parents]
        ):
            owner = section.document
            if owner is None:
                raise ConfigEditError(f"{spec.where}: [{section.name}] is not in a document")
            before = section.header.raw.strip()
            owner.set_options(section, template=wanted_template, parents=wanted_parents)
            changes.append(Change("set-options", section.name, before,
                                  section.header.raw.strip()))
    for key in spec.keys:
        changes.extend(_apply_key(section, key))
    return changes


def apply(document: Target, changes: Mapping[str, Any] | Sequence[Any]) -> list[Change]:
    """Make ``document`` hold what ``changes`` describes; return what changed.

    The edits are the smallest that get there: lines already right stay byte for byte,
    and a document already in that state is not touched (``[]`` comes back).  Raises
    :class:`ConfigChangesError` for a change set it cannot read and
    :class:`~pyst.config.ConfigEditError` for an edit it must refuse; the change set is
    checked whole before the first edit, and the edits are one transaction: after a
    refusal the document is as it was.
    """
    if not isinstance(changes, Mapping):
        raise ConfigChangesError("the change set is a table with a 'sections' entry")
    specs = parse_changes(changes)
    done: list[Change] = []
    with document.transaction():
        for spec in specs:
            done.extend(_apply_section(document, spec))
    return done

"""Configuration over AMI: GetConfig answers as :class:`pyst.config.Config`, UpdateConfig edits.

A GetConfig answer lists ``Category-NNNNNN: name``, ``IsTemplate-NNNNNN: 1``,
``Templates-NNNNNN: a,b`` and ``Line-NNNNNN-MMMMMM: name=value`` headers (manager.c,
``action_getconfig``). Asterisk shows inherited variables inside the inheriting category
(first, before its own), prints ``exten => x`` as ``exten=x``, and never sends file or line
numbers; the :class:`~pyst.config.Config` built here therefore has ``object=False``,
``file=""`` and ``line=0`` everywhere, and marks a variable ``inherited`` only when the
templates it came from are part of the answer (``Filter: TEMPLATES=include``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pyst.config import Category, Config, Variable
from pyst.manager._errors import ActionError
from pyst.manager._messages import Response

__all__ = [
    "Append",
    "ConfigEdit",
    "DelCat",
    "Delete",
    "EmptyCat",
    "Insert",
    "NewCat",
    "RenameCat",
    "Update",
    "config_from_response",
    "edit_headers",
]

INVALID_FORMAT = "Config file has invalid format"


def config_from_response(response: Response, filename: str = "") -> Config:
    """Turn a GetConfig answer into the semantic view ``pyst.config`` gives for a file.

    ``Config file has invalid format`` gives ``Config(loaded=False)``; any other error
    (file not found, no privilege ...) raises :class:`ActionError`.
    """
    if not response.ok:
        if response.message == INVALID_FORMAT:
            return Config(file=filename, loaded=False)
        raise ActionError(f"GetConfig {filename!r} failed: {response.message}", response)
    categories: dict[str, Category] = {}
    raw_templates: dict[str, list[str]] = {}
    for name, value in response.headers.items():
        kind, _, number = name.partition("-")
        kind = kind.lower()
        if kind == "category":
            categories[number] = Category(name=value)
        elif kind == "istemplate" and number in categories:
            categories[number].template = value.strip() == "1"
        elif kind == "templates" and number in categories:
            parents = [t.strip() for t in value.split(",") if t.strip()]
            categories[number].inherits = parents
            raw_templates[number] = parents
        elif kind == "line":
            category_number, _, _ = number.partition("-")
            category = categories.get(category_number)
            if category is not None:
                var_name, _, var_value = value.partition("=")
                category.variables.append(Variable(name=var_name, value=var_value))
    ordered = list(categories.values())
    _mark_inherited(ordered)
    return Config(file=filename, loaded=True, categories=ordered)


def _mark_inherited(categories: list[Category]) -> None:
    """Flag the leading variables that a category copied from templates listed in the answer.

    Inheritance is a copy taken when the child's header is read (conf-syntax.md 5.1): the
    child starts with a *prefix* of each parent's final list (a parent can grow later
    through ``[parent](+)``), parent by parent, then its own variables. The longest head of
    the child that splits that way is marked inherited. A child's own variable equal to one
    its parent gained later cannot be told apart over AMI and counts as inherited; copies
    that ``[child](+,parent)`` adds after the child's own variables are not found.
    """
    by_name: dict[str, Category] = {}
    for category in categories:
        by_name.setdefault(category.name.lower(), category)  # config.c inherits the first
    for category in categories:
        if category.inherits and all(name.lower() in by_name for name in category.inherits):
            parents = [by_name[name.lower()] for name in category.inherits]
            count = _inherited_count(category, parents)
            category.variables[:count] = [
                Variable(name=v.name, value=v.value, inherited=True)
                for v in category.variables[:count]
            ]


def _inherited_count(child: Category, parents: list[Category]) -> int:
    """The longest head of ``child.variables`` made of a prefix of each parent in turn."""
    own = [(v.name, v.value) for v in child.variables]
    reachable = {0}  # offsets into the child's list after the parents so far
    for parent in parents:
        theirs = [(v.name, v.value) for v in parent.variables]
        after: set[int] = set()
        for offset in reachable:
            common = 0
            limit = min(len(theirs), len(own) - offset)
            while common < limit and own[offset + common] == theirs[common]:
                common += 1
            after.update(range(offset, offset + common + 1))
        reachable = after
    return max(reachable)


@dataclass(frozen=True)
class ConfigEdit:
    """One UpdateConfig edit. Its flags become manager.c's ``Options-NNNNNN`` words
    (``allowdups``, ``template``, ``ignoreerror``, ``inherit=a,b``, ``catfilter=...``)."""

    category: str

    action = ""

    def fields(self) -> list[tuple[str, str | None]]:
        """``(header stem, value)`` pairs for this edit, ``Action`` first."""
        return [("Action", self.action), ("Cat", self.category)]


@dataclass(frozen=True)
class _FilteredEdit(ConfigEdit):
    """An edit applied to every category called ``category`` that the category filter lets
    through (keyword-only, after the edit's own fields).

    Asterisk skips template categories (``[name](!)``) unless the filter includes them:
    ``templates=True`` adds ``TEMPLATES=include`` (templates and ordinary categories).
    ``catfilter`` is manager.c's filter: comma-separated ``name=value`` items, each a regex
    pair that some variable of the category must match, plus ``TEMPLATES=include`` or
    ``TEMPLATES=restrict`` (templates only). It is sent quoted, ``catfilter="..."``, since
    manager.c splits ``Options`` at commas and the option at its second ``=``.
    """

    catfilter: str | None = field(default=None, kw_only=True)
    templates: bool = field(default=False, kw_only=True)

    def _options(self, *words: str) -> str | None:
        """The ``Options`` value: ``words`` plus the category filter, if any."""
        options = list(words)
        expression = _catfilter_expression(self.catfilter, self.templates)
        if expression is not None:
            options.append(f'catfilter="{expression}"')
        return ",".join(options) or None


def _catfilter_expression(catfilter: str | None, templates: bool) -> str | None:
    """The filter that ``does_category_match`` (main/config.c) reads back as given.

    It splits the filter at commas and each item at ``=``, stripping blanks and quotes
    from both halves, and ignores whatever follows a second ``=``; items without ``=``
    make every category fail to match. Such filters are refused.
    """
    items: list[str] = []
    if catfilter is not None:
        for item in catfilter.split(","):
            name, eq, value = item.partition("=")
            if (
                not eq
                or "=" in value
                or not name
                or name != name.strip(_BLANKS)
                or value != value.strip(_BLANKS)
                or _FILTER_FORBIDDEN.intersection(item)
            ):
                raise ValueError(
                    f"catfilter item {item[:40]!r} cannot be sent: Asterisk wants "
                    "comma-separated name=value items, each with one '=', no blanks around "
                    "the name or value, and none of \" ' \\"
                )
            if templates and name == "TEMPLATES":
                raise ValueError(
                    "templates=True adds TEMPLATES=include; do not also put TEMPLATES= "
                    "in catfilter"
                )
            items.append(item)
    if templates:
        items.insert(0, "TEMPLATES=include")
    return ",".join(items) if items else None


_FILTER_FORBIDDEN = frozenset("\"'\\")


@dataclass(frozen=True)
class NewCat(ConfigEdit):
    """Create a category at the end, or before the category named ``match``; ``template``,
    ``inherit``, ``allow_duplicates`` and ``ignore_error`` become ``Options``."""

    match: str | None = None
    template: bool = False
    inherit: Sequence[str] = ()
    allow_duplicates: bool = False
    ignore_error: bool = False

    action = "NewCat"

    def fields(self) -> list[tuple[str, str | None]]:
        """Headers for NewCat, options included."""
        if isinstance(self.inherit, str):
            raise TypeError("NewCat(inherit=...) takes a list of template names, not a string")
        options = [
            *(["allowdups"] if self.allow_duplicates else []),
            *(["template"] if self.template else []),
            *(["ignoreerror"] if self.ignore_error else []),
            *([_inherit_option(self.inherit)] if self.inherit else []),
        ]
        return [*super().fields(), ("Match", self.match), ("Options", ",".join(options) or None)]


_INHERIT_FORBIDDEN = frozenset(",=\"'\\")


def _inherit_option(templates: Sequence[str]) -> str:
    """The ``inherit=`` option for ``Options``, as ``handle_updates`` reads it.

    manager.c first splits ``Options`` at commas (``ast_strsep``, which honours quotes), then
    splits the ``inherit`` value at ``=`` and finally at commas again; each step strips
    blanks and one pair of quotes. Several templates are therefore sent quoted:
    ``inherit="t1,t2"``. Names that cannot survive those steps are refused.
    """
    for name in templates:
        if not name or name != name.strip(_BLANKS) or _INHERIT_FORBIDDEN.intersection(name):
            raise ValueError(
                f"template name {name!r} cannot be sent in UpdateConfig's Options: it is empty, "
                "has leading or trailing blanks, or contains one of , = \" ' \\"
            )
    joined = ",".join(templates)
    return f'inherit="{joined}"' if len(templates) > 1 else f"inherit={joined}"


@dataclass(frozen=True)
class RenameCat(_FilteredEdit):
    """Rename every category called ``category`` to ``new_name``."""

    new_name: str = ""

    action = "RenameCat"

    def fields(self) -> list[tuple[str, str | None]]:
        """Headers for RenameCat (the new name travels as ``Value``)."""
        return [
            *super().fields(),
            ("Value", _literal_value(self.new_name)),
            ("Options", self._options()),
        ]


@dataclass(frozen=True)
class DelCat(_FilteredEdit):
    """Delete every category called ``category``."""

    ignore_error: bool = False

    action = "DelCat"

    def fields(self) -> list[tuple[str, str | None]]:
        """Headers for DelCat."""
        return [
            *super().fields(),
            ("Options", self._options(*(["ignoreerror"] if self.ignore_error else []))),
        ]


@dataclass(frozen=True)
class EmptyCat(_FilteredEdit):
    """Remove every variable of the categories called ``category``."""

    action = "EmptyCat"

    def fields(self) -> list[tuple[str, str | None]]:
        """Headers for EmptyCat."""
        return [*super().fields(), ("Options", self._options())]


@dataclass(frozen=True)
class Update(_FilteredEdit):
    """Set ``variable`` to ``value`` (only where its current value is ``match``, if given);
    ``object=True`` writes it as ``variable => value``."""

    variable: str = ""
    value: str = ""
    match: str | None = None
    object: bool = False

    action = "Update"

    def fields(self) -> list[tuple[str, str | None]]:
        """Headers for Update."""
        value = _object_value(self.value, self.object)
        return [
            *super().fields(),
            ("Var", self.variable),
            ("Value", value),
            ("Match", self.match),
            ("Options", self._options()),
        ]


@dataclass(frozen=True)
class Delete(_FilteredEdit):
    """Delete ``variable`` (only where its value is ``match``, if given), or the variable at
    index ``line`` of the category."""

    variable: str | None = None
    match: str | None = None
    line: int | None = None
    ignore_error: bool = False

    action = "Delete"

    def fields(self) -> list[tuple[str, str | None]]:
        """Headers for Delete."""
        return [
            *super().fields(),
            ("Var", self.variable),
            ("Match", self.match),
            ("Line", None if self.line is None else str(self.line)),
            ("Options", self._options(*(["ignoreerror"] if self.ignore_error else []))),
        ]


@dataclass(frozen=True)
class Append(_FilteredEdit):
    """Add ``variable = value`` at the end of the category (``object=True``: ``=>``)."""

    variable: str = ""
    value: str = ""
    object: bool = False

    action = "Append"

    def fields(self) -> list[tuple[str, str | None]]:
        """Headers for Append."""
        value = _object_value(self.value, self.object)
        return [
            *super().fields(),
            ("Var", self.variable),
            ("Value", value),
            ("Options", self._options()),
        ]


@dataclass(frozen=True)
class Insert(_FilteredEdit):
    """Insert ``variable = value`` before index ``line`` of the category."""

    variable: str = ""
    value: str = ""
    line: int = 0

    action = "Insert"

    def fields(self) -> list[tuple[str, str | None]]:
        """Headers for Insert."""
        return [
            *super().fields(),
            ("Var", self.variable),
            ("Value", _literal_value(self.value)),
            ("Line", str(self.line)),
            ("Options", self._options()),
        ]


# Bytes that manager.c's __astman_get_header skips at the start of every header value.
_BLANKS = "".join(chr(code) for code in range(1, 33))


def _object_value(value: str, is_object: bool) -> str:
    """The ``Value`` of an edit that honours the object flag (Update, Append).

    manager.c skips leading blanks, then reads a leading ``>`` as "write with ``=>``" and
    removes it. ``object=True`` sends that marker; a plain value whose first non-blank
    character is ``>`` cannot be told apart from it and is refused.
    """
    if is_object:
        return ">" + value
    if value.lstrip(_BLANKS).startswith(">"):
        raise ValueError(
            f"value {value[:20]!r} starts with '>' (after any blanks), which Asterisk reads as "
            "the '=>' marker and removes; pass object=True for '=>' or change the value"
        )
    return value


def _literal_value(value: str) -> str:
    """The ``Value`` of an edit that ignores the object flag (Insert, RenameCat).

    manager.c removes one leading ``>`` from every ``Value`` (after skipping blanks), so a
    value that starts with ``>`` or a blank is sent behind an extra ``>``: Asterisk removes
    exactly that one and keeps the value as given.
    """
    if value[:1] == ">" or (value and value[0] in _BLANKS):
        return ">" + value
    return value


def edit_headers(edits: Sequence[ConfigEdit]) -> list[tuple[str, str]]:
    """Number the edits as UpdateConfig wants: ``Action-000000``, ``Cat-000000``, ...

    Asterisk reads at most 100,000 edits and stops at the first missing number.
    """
    if len(edits) > 100_000:
        raise ValueError("UpdateConfig accepts at most 100000 edits per action")
    pairs: list[tuple[str, str]] = []
    for index, edit in enumerate(edits):
        if not edit.category:
            raise ValueError(f"edit {index} ({edit.action}) has no category")
        for stem, value in edit.fields():
            if value is None:
                continue
            if stem in _NAME_STEMS and value[:1] in _BLANKS_SET:
                raise ValueError(
                    f"edit {index} ({edit.action}): {stem} {value[:30]!r} starts with a blank; "
                    "Asterisk skips leading blanks in header values, so the edit would apply "
                    f"to {value.lstrip(_BLANKS)[:30]!r} instead"
                )
            if value[-1:] in _BLANKS_SET and (
                stem in _STRIPPED_STEMS or (stem == "Value" and edit.action in _VARIABLE_EDITS)
            ):
                raise ValueError(
                    f"edit {index} ({edit.action}): {stem} {value[-30:]!r} ends with a blank; "
                    "Asterisk's config loader strips trailing blanks from variable names and "
                    "values when it reads the file back (and a Match is compared with such a "
                    f"stripped value), so it would become {value.rstrip(_BLANKS)[-30:]!r}: "
                    "remove the trailing blanks"
                )
            pairs.append((f"{stem}-{index:06d}", value))
    return pairs


# Headers whose leading blanks Asterisk would drop with no way to send them (Value has one).
_NAME_STEMS = frozenset({"Cat", "Var", "Match"})
# Headers whose trailing blanks do not survive: config.c process_text_line() ast_strip()s the
# name and the value of every variable it reads (a category name keeps them: ``[c ]``), so
# they are lost at the next load; Match is compared with the stripped values.
_STRIPPED_STEMS = frozenset({"Var", "Match"})
# Edits whose Value is a variable's value (RenameCat's is a category name).
_VARIABLE_EDITS = frozenset({"Update", "Append", "Insert"})
_BLANKS_SET = frozenset(_BLANKS)

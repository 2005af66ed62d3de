"""Checks that a structural edit changes only the category it is about.

Adding or removing a section can silently change what *other* headers mean: a later
``[b](a)`` inherits from the first ``[a]``, ``[a](+)`` adds to the first ``[a]``, and ``()``
names the first category of the file.  Before such an edit is kept, the document is loaded
(with its includes, if it has any) before and after, and every other category must come
out the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pyst.config._errors import ConfigEditError
from pyst.config._semantics.loader import Loader
from pyst.config._semantics.model import Category, Severity, fold
from pyst.config._syntax.nodes import Header

if TYPE_CHECKING:
    from pyst.config._editing.document import Document

Signature = tuple[str, bool, tuple[str, ...], tuple[tuple[str, str, bool], ...]]


def _signature(category: Category) -> Signature:
    return (
        category.name,
        category.template,
        tuple(category.inherits),
        tuple((v.name, v.value, v.object) for v in category.variables),
    )


def _load(document: Document) -> tuple[bool, list[Category], dict[int, Category], int]:
    """(loaded, categories, header targets, number of errors) of the document's load."""
    # Included files can inherit from or add to this file's categories too; they are
    # read from the document's folder, as Document.config() does by default.
    loader = Loader(follow_includes=document._has_includes())
    config, targets = loader.load_with_targets(document)
    errors = sum(1 for d in config.diagnostics if d.severity is Severity.ERROR)
    return config.loaded, config.categories, targets, errors


def may_refer_to(name: str, later: list[Header]) -> bool:
    """Whether any of ``later`` headers could resolve a lookup to a category ``name``."""
    folded = fold(name)
    for header in later:
        options = header.options
        if header.is_addition and fold(header.raw_name) in (folded, ""):
            return True
        if any(fold(option) == folded or option == "" for option in options):
            return True
    return False


def _without(categories: list[Category], index: int | None) -> list[Signature]:
    return [_signature(c) for i, c in enumerate(categories) if i != index]


def _index_of(categories: list[Category], target: Category | None) -> int | None:
    for index, category in enumerate(categories):
        if category is target:
            return index
    return None


def checked_edit(
    document: Document,
    header: Header,
    edit: Callable[[], None],
    undo: Callable[[], None],
    *,
    removing: bool,
) -> None:
    """Run ``edit`` (adding or removing the section of ``header``); keep it only if every
    other category means what it meant, else ``undo`` it and raise ConfigEditError.

    The category the header creates (or, for ``(+)``, adds to) is left out of the
    comparison; additions create no category, so their target keeps its place.
    """
    loaded_before, before, targets_before, errors_before = _load(document)
    edit()
    if not loaded_before:
        return  # the file did not load before; there is no meaning to keep
    loaded_after, after, targets_after, errors_after = _load(document)
    reason = ""
    if not loaded_after:
        reason = "the file would no longer load"
    elif errors_after > errors_before:
        reason = "an included file would now fail (a fatal error ends it)"
    elif removing:
        index = _index_of(before, targets_before.get(id(header)))
        kept_index = index if header.is_addition else None
        if _without(before, index) != _without(after, kept_index):
            reason = "other categories would change meaning"
    else:
        index = _index_of(after, targets_after.get(id(header)))
        if index is None:
            reason = "the new header would not create a category"
        elif _without(before, None) != _without(after, index):
            reason = "other categories would change meaning"
    if reason:
        undo()
        what = "removing" if removing else "adding"
        raise ConfigEditError(
            f"{what} [{header.name}] refused: {reason} (a later header inherits from or "
            "adds to this name, or a parent is missing above it)"
        )

"""Checks that a structural edit changes only the category it is about.

Adding, removing, renaming or moving a section can silently change what *other* headers
mean: a later ``[b](a)`` inherits from the first ``[a]``, ``[a](+)`` adds to the first
``[a]``.  The categories an edit can affect are those named in it and every category that
inherits from or adds to them, transitively; they are loaded before and after the edit
(only they, see :mod:`view`), and every one but the edited category must come out the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pyst.config._errors import ConfigEditError
from pyst.config._semantics.model import Category, Severity
from pyst.config._syntax.lexer import fold

if TYPE_CHECKING:
    from pyst.config._editing.document import Document
    from pyst.config._editing.section import Section
    from pyst.config._editing.view import Load

Signature = tuple[str, bool, tuple[str, ...], tuple[tuple[str, str, bool], ...]]


def _signature(category: Category, rename: tuple[str, str] | None = None) -> Signature:
    inherits = tuple(category.inherits)
    if rename is not None:
        old, new = rename
        inherits = tuple(new if name == old else name for name in inherits)
    return (
        category.name,
        category.template,
        inherits,
        tuple((v.name, v.value, v.object) for v in category.variables),
    )


def _state(load: Load) -> tuple[bool, int]:
    errors = sum(1 for d in load.config.diagnostics if d.severity is Severity.ERROR)
    return load.config.loaded, errors


def _others(
    load: Load,
    excluded: Category | None,
    rename: tuple[str, str] | None = None,
    among: set[str] | None = None,
) -> list[Signature]:
    """Signatures of the categories of ``load`` named in ``among``, but ``excluded``."""
    return [
        _signature(c, rename) for c in load.config.categories
        if c is not excluded and (among is None or fold(c.name) in among)
    ]


def checked(
    document: Document,
    names: set[str],
    edit: Callable[[], Any],
    *,
    what: str,
    added: Section | None = None,
    removed: Section | None = None,
    renamed: tuple[Section, str, str] | None = None,
    moved: Section | None = None,
    changes_meaning: bool = False,
) -> None:
    """Run ``edit`` and keep it only if every other category means what it meant.

    Raises :class:`ConfigEditError` otherwise; the caller's transaction undoes the edit.
    ``names`` are the (folded) category names the edit is about.  With
    ``changes_meaning`` (an edit of a header's options) the edited category and the ones
    that inherit from it may change; only the load must not get worse.
    """
    meaning = document._meaning
    # The names whose categories are compared (every one when the whole file is loaded,
    # since included files are not indexed).
    whole = meaning.needs_whole_file()
    affected: set[str] | None = None if whole else meaning.affected(names)
    before = meaning.of_names(names, referrers=True)
    loaded_before, errors_before = _state(before)
    subject = removed or moved or (renamed[0] if renamed is not None else None)
    subject_before = before.category(subject) if subject is not None else None
    # The section whose header created the category a removed (+) addition added to:
    # found now, as the edit may replace its header node (a new last line of the file).
    creator = None
    if removed is not None and removed.is_addition and subject_before is not None:
        creator = next(
            (s for s in document.sections_named(removed.header.raw_name)
             if before.category(s) is subject_before),
            None,
        )
    edit()
    after = meaning.of_names(names, referrers=True)
    if affected is not None:
        affected |= meaning.affected(names)
        if renamed is not None:
            affected |= {fold(renamed[1]), fold(renamed[2])}

    def others(
        load: Load, excluded: Category | None, rename: tuple[str, str] | None = None
    ) -> list[Signature]:
        return _others(load, excluded, rename, affected)

    if not loaded_before:
        return  # the file did not load before; there is no meaning to keep
    loaded_after, errors_after = _state(after)
    reason = ""
    if changes_meaning:
        if not loaded_after:
            reason = "the file would no longer load (a parent missing above it?)"
        elif errors_after > errors_before:
            reason = "an included file would now fail (a fatal error ends it)"
    elif not loaded_after:
        reason = "the file would no longer load"
    elif errors_after > errors_before:
        reason = "an included file would now fail (a fatal error ends it)"
    elif added is not None:
        target = after.category(added)
        if target is None:
            reason = "the new header would not create a category"
        else:
            merged_into = _counterpart(target, after, before) if added.is_addition else None
            if others(before, merged_into) != others(after, target):
                reason = "other categories would change meaning"
    elif removed is not None:
        target = subject_before
        kept = (
            after.category(creator) if creator is not None
            else _counterpart(target, before, after) if removed.is_addition else None
        )
        if others(before, target) != others(after, kept):
            reason = "other categories would change meaning"
    elif renamed is not None:
        section, old, new = renamed
        rename = (old, new)
        target_before = subject_before
        target_after = after.category(section)
        if others(before, target_before, rename) != others(after, target_after):
            reason = "other categories would change meaning"
        elif target_before is not None and target_after is not None and (
            _signature(target_before, rename)[1:] != _signature(target_after)[1:]
        ):
            reason = "the category itself would change meaning"
    elif moved is not None:
        target_before = subject_before
        target_after = after.category(moved)
        if target_after is None:
            reason = "Asterisk would no longer load the moved category"
        elif others(before, target_before) != others(after, target_after) or (
            target_before is not None
            and _signature(target_before) != _signature(target_after)
        ):
            reason = "categories would change meaning (a parent must stay above its users)"
    if reason:
        raise ConfigEditError(
            f"{what} refused: {reason} (a header inherits from or adds to this name, or a "
            "parent is missing above it)"
        )


def _counterpart(category: Category | None, source: Load, other: Load) -> Category | None:
    """The category of ``other`` built by the header that created ``category`` in
    ``source`` (the first header whose target it is)."""
    if category is None:
        return None
    for header_id, target in source.targets.items():
        if target is category:
            return other.targets.get(header_id)
    return None

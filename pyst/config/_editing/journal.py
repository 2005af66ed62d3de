"""Transactions: every edit is all or nothing, and so is a group of edits.

An edit saves each list (a section's lines, the document's sections) and attribute
(a section's header) before it first changes it inside a transaction; rolling back puts
the saved copies back.  Saving happens once per transaction and object, so a group of
edits costs what its edits touch, never a copy of the whole document.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class Transaction:
    """What the edits inside one transaction changed, as it was before them."""

    __slots__ = ("_attributes", "_lists")

    def __init__(self) -> None:
        self._lists: dict[int, tuple[list[Any], list[Any]]] = {}
        self._attributes: dict[tuple[int, str], tuple[object, str, object]] = {}

    def save_list(self, items: list[Any]) -> None:
        """Keep a copy of ``items`` unless this transaction already has one."""
        if id(items) not in self._lists:
            self._lists[id(items)] = (items, items[:])

    def save_attribute(self, owner: object, name: str) -> None:
        """Keep ``owner.name`` unless this transaction already has it."""
        key = (id(owner), name)
        if key not in self._attributes:
            self._attributes[key] = (owner, name, getattr(owner, name))

    @property
    def changed(self) -> bool:
        """Whether anything was saved (so possibly changed) in this transaction."""
        return bool(self._lists or self._attributes)

    def rollback(self) -> None:
        """Put back everything saved."""
        for items, saved in self._lists.values():
            items[:] = saved
        for owner, name, value in self._attributes.values():
            setattr(owner, name, value)


class Journal:
    """The stack of open transactions of one document."""

    __slots__ = ("_open", "_rollbacks", "_saved_at", "version")

    def __init__(self) -> None:
        self._open: list[Transaction] = []
        #: Counts changes; caches of what the document means compare it.
        self.version = 0
        self._rollbacks = 0
        self._saved_at: dict[int, int] = {}

    def save_list(self, items: list[Any]) -> None:
        """Call before changing ``items`` in place."""
        self.version += 1
        self._saved_at[id(items)] = self.version
        for transaction in self._open:
            transaction.save_list(items)

    def save_attribute(self, owner: object, name: str) -> None:
        """Call before assigning ``owner.name``."""
        self.version += 1
        for transaction in self._open:
            transaction.save_attribute(owner, name)

    def stamp(self, items: list[Any]) -> tuple[int, int]:
        """A value that changes whenever ``items`` may have changed (it was saved, or a
        transaction rolled back): caches of what one list holds compare it, so they
        outlive edits elsewhere."""
        return self._saved_at.get(id(items), 0), self._rollbacks

    @property
    def active(self) -> bool:
        """Whether a transaction is open."""
        return bool(self._open)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Open a (possibly nested) transaction; an exception inside rolls it back."""
        transaction = Transaction()
        self._open.append(transaction)
        try:
            yield transaction
        except BaseException:
            transaction.rollback()
            self.version += 1
            self._rollbacks += 1
            raise
        finally:
            self._open.pop()

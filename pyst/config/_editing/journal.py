"""Transactions: every edit is all or nothing, and so is a group of edits.

An edit saves each list (a section's lines, a preamble) and attribute (a section's
header) before it first changes it inside a transaction; rolling back puts the saved
copies back.  Saving happens once per transaction and object, so a group of edits costs
what its edits touch, never a copy of the whole document.  The list of a document's
sections, as long as the file, is never copied: inserting or deleting a section logs
just that change (:meth:`Journal.insert`, :meth:`Journal.delete`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


class Transaction:
    """What the edits inside one transaction changed, as it was before them.

    An undo log in the order of the changes: a list's copy the first time it is saved
    (later changes to it need no record, the copy restores them), and a one-item insert
    or delete for a long list (a document's sections) that is not copied, so that adding
    or removing a section costs the same in a file of any size.
    """

    __slots__ = ("_attributes", "_copied", "_log")

    def __init__(self) -> None:
        self._log: list[tuple[Any, ...]] = []
        self._copied: set[int] = set()
        self._attributes: dict[tuple[int, str], tuple[object, str, object]] = {}

    def save_list(self, items: list[Any]) -> None:
        """Keep a copy of ``items`` unless this transaction already has one."""
        if id(items) not in self._copied:
            self._copied.add(id(items))
            self._log.append((_COPY, items, items[:]))

    def inserting(self, items: list[Any], index: int) -> None:
        """``items`` is about to get an item inserted at ``index``."""
        if id(items) not in self._copied:
            self._log.append((_INSERTED, items, index))

    def deleting(self, items: list[Any], index: int) -> None:
        """``items[index]`` is about to be deleted."""
        if id(items) not in self._copied:
            self._log.append((_DELETED, items, index, items[index]))

    def call_back(self, undo: Callable[[], object]) -> None:
        """Call ``undo`` when rolling back, at its place in the order of the changes."""
        self._log.append((_CALL, undo))

    def save_attribute(self, owner: object, name: str) -> None:
        """Keep ``owner.name`` unless this transaction already has it."""
        key = (id(owner), name)
        if key not in self._attributes:
            self._attributes[key] = (owner, name, getattr(owner, name))

    @property
    def changed(self) -> bool:
        """Whether anything was saved (so possibly changed) in this transaction."""
        return bool(self._log or self._attributes)

    def mark(self) -> int:
        """Where the undo log is now (for :meth:`forget_since`)."""
        return len(self._log)

    def forget_since(self, mark: int) -> None:
        """Drop the undo records made since ``mark``: a nested transaction rolled those
        changes back already, so the lists are as they were at ``mark``."""
        for entry in self._log[mark:]:
            if entry[0] is _COPY:
                self._copied.discard(id(entry[1]))
        del self._log[mark:]

    def rollback(self) -> None:
        """Put back everything saved, undoing the changes newest first."""
        for entry in reversed(self._log):
            kind, items = entry[0], entry[1]
            if kind is _CALL:
                items()
            elif kind is _COPY:
                items[:] = entry[2]
            elif kind is _INSERTED:
                del items[entry[2]]
            else:
                items.insert(entry[2], entry[3])
        for owner, name, value in self._attributes.values():
            setattr(owner, name, value)


_CALL = "call"
_COPY = "copy"
_INSERTED = "inserted"
_DELETED = "deleted"


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
        self._changing(items)
        for transaction in self._open:
            transaction.save_list(items)

    def insert(self, items: list[Any], index: int, item: Any) -> None:
        """``items.insert(index, item)``, undone by a rollback without copying ``items``."""
        self._changing(items)
        for transaction in self._open:
            transaction.inserting(items, index)
        items.insert(index, item)

    def delete(self, items: list[Any], index: int) -> None:
        """``del items[index]``, undone by a rollback without copying ``items``."""
        self._changing(items)
        for transaction in self._open:
            transaction.deleting(items, index)
        del items[index]

    def on_rollback(self, undo: Callable[[], object]) -> None:
        """Have every open transaction call ``undo`` if it rolls back (for state kept
        beside the lists, such as a document's indexes)."""
        for transaction in self._open:
            transaction.call_back(undo)

    def _changing(self, items: list[Any]) -> None:
        self.version += 1
        self._saved_at[id(items)] = self.version

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

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Open a (possibly nested) transaction; an exception inside rolls it back."""
        transaction = Transaction()
        outer = [(enclosing, enclosing.mark()) for enclosing in self._open]
        self._open.append(transaction)
        try:
            yield transaction
        except BaseException:
            transaction.rollback()
            for enclosing, mark in outer:
                enclosing.forget_since(mark)
            self.version += 1
            self._rollbacks += 1
            raise
        finally:
            self._open.pop()

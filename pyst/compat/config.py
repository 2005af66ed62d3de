"""pyst 0.x's ``asterisk.config`` on top of :mod:`pyst.config`.

``from pyst.compat.config import Config`` replaces ``from asterisk.config import Config``:
``Config(filename)`` reads the file into 0.x's objects, in file order and without templates
or inheritance applied: ``config.categories`` (each a :class:`Category` with ``name``,
``items`` and ``comments``), ``config.lines`` (every line as a :class:`Line`,
:class:`Category` or :class:`Item`) and ``config.raw_lines``.

The lines are split by :func:`pyst.config.parse`, which reads comments, ``\\;`` escapes,
``;-- --;`` blocks and ``[name](!)`` headers the way Asterisk does; ``config.document`` is
that :class:`pyst.config.Document` (lossless, editable, and with
``document.config()`` what Asterisk would load).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from pyst import config as _config

__all__ = ["Category", "Config", "Item", "Line", "ParseError"]


class ParseError(Exception):
    """A line 0.x could not read; ``args`` is ``(line_number, reason)`` and the exception
    unpacks like that tuple: ``line, reason = error``."""

    def __iter__(self) -> Iterator[Any]:
        return iter(self.args)


def _comment_text(node: _config.Line) -> str:
    """The comment of a line without its leading ``;`` (0.x kept it that way)."""
    comment = node.comment
    return comment[1:] if comment.startswith(";") else comment


def _single_line(text: str) -> _config.Line:
    """The node :func:`pyst.config.parse` makes of one line of text."""
    document = _config.parse(text.strip("\r\n"))
    return next(iter(document.lines()), _config.parse("\n").preamble[0])


def _escaped(value: str) -> str:
    """``value`` as written in a file: a ``;`` would start a comment, so it is ``\\;``."""
    return value.replace(";", "\\;")


class Line:
    """One line of the file: ``line`` is its text without comment and blanks, ``comment``
    the text after its ``;``, ``number`` its line number (from 1)."""

    def __init__(self, line: str = "", number: int = -1) -> None:
        self.number = number
        node = _single_line(line)
        self.line = node.effective
        self.comment = _comment_text(node)

    @classmethod
    def _from_node(cls, node: _config.Line, number: int) -> Line:
        self = cls.__new__(cls)
        self.number = number
        self.line = node.effective
        self.comment = _comment_text(node)
        return self

    def __str__(self) -> str:
        return self.get_line()

    def get_line(self) -> str:
        """The line as text (``line``, then ``;comment``)."""
        if self.comment and self.line:
            return f"{self.line}\t;{self.comment}"
        if self.comment:
            return f";{self.comment}"
        return self.line


class Category(Line):
    """A ``[name]`` header and, in ``items``, the :class:`Item` lines after it (``comments``:
    the blank and comment lines).  ``Category(name="new")`` makes an empty one."""

    def __init__(self, line: str = "", num: int = -1, name: str | None = None) -> None:
        Line.__init__(self, line, num)
        if self.line:
            node = _single_line(line)
            if not isinstance(node, _config.Header) or not node.closed:
                raise ParseError(self.number, "Missing '[' or ']' in category definition")
            self.name = node.name
        elif name:
            self.name = name
        else:
            raise ValueError("Must provide name or line representing a category")
        self.items: list[Item] = []
        self.comments: list[Line] = []

    @classmethod
    def _from_header(cls, node: _config.Header, number: int) -> Category:
        self = cls.__new__(cls)
        self.number = number
        self.line = node.effective
        self.comment = _comment_text(node)
        self.name = node.name
        self.items = []
        self.comments = []
        return self

    def get_line(self) -> str:
        """``[name]`` (plus ``;comment``)."""
        if self.comment:
            return f"[{self.name}]\t;{self.comment}"
        return f"[{self.name}]"

    def append(self, item: Item) -> None:
        """Add ``item`` at the end of :attr:`items`."""
        self.items.append(item)

    def insert(self, index: int, item: Item) -> None:
        """Insert ``item`` into :attr:`items` before ``index``."""
        self.items.insert(index, item)

    def pop(self, index: int = -1) -> None:
        """Remove the item at ``index`` (0.x returned nothing)."""
        self.items.pop(index)

    def remove(self, item: Item) -> None:
        """Remove ``item`` from :attr:`items`."""
        self.items.remove(item)


class Item(Line):
    """A ``name = value`` line; ``style`` is ``">"`` for ``name => value``.

    ``value`` is what Asterisk reads: trimmed, with ``\\;`` as ``;``.
    """

    def __init__(
        self, line: str = "", num: int = -1, name: str | None = None, value: str | None = None
    ) -> None:
        Line.__init__(self, line, num)
        self.style = ""
        if self.line:
            self.parse()
        elif name and value:
            self.name = name
            self.value = value
        else:
            raise ValueError("Must provide name or value representing an item")

    @classmethod
    def _from_assignment(cls, node: _config.Assignment, number: int) -> Item:
        self = cls.__new__(cls)
        self.number = number
        self.line = node.effective
        self.comment = _comment_text(node)
        self.name = node.name
        self.value = node.value
        self.style = ">" if node.object else ""
        return self

    def parse(self) -> None:
        """Read ``name``, ``value`` and ``style`` from :attr:`line`; :class:`ParseError` if
        it is not ``name = value``."""
        node = _single_line(self.line)
        if not isinstance(node, _config.Assignment):
            raise _text_error(self.line, self.number)
        self.name = node.name
        self.value = node.value
        self.style = ">" if node.object else ""

    def get_line(self) -> str:
        """``name = value`` (``name => value`` for style ``">"``, plus ``;comment``)."""
        text = f"{self.name} ={self.style} {_escaped(self.value)}"
        if self.comment:
            return f"{text}\t;{self.comment}"
        return text


def _text_error(line: str, number: int) -> ParseError:
    if line.strip().endswith("]"):
        return ParseError(number, "Category name missing '['")
    return ParseError(number, "Item must be in name = value pairs")


class Config:
    """A ``.conf`` file read the 0.x way: ``categories``, ``lines`` and ``raw_lines``.

    Raises ``OSError`` when the file cannot be read and :class:`ParseError` ``(line,
    reason)`` for a header without ``]`` or a line that is not ``name = value`` (Asterisk
    skips such a line with a warning).  ``#include`` and other ``#`` directives are kept as
    plain :class:`Line` objects and not followed.
    """

    def __init__(self, filename: str | os.PathLike[str]) -> None:
        self.filename = filename
        self.raw_lines: list[str] = []
        self.lines: list[Line] = []
        self.categories: list[Category] = []
        self.document: _config.Document = _config.parse("")
        self.load()
        self.parse()

    def load(self) -> None:
        """Read the file into :attr:`raw_lines` (bytes that are not UTF-8 become
        ``\\udcXX`` escapes)."""
        with open(self.filename, "rb") as file:
            data = file.read()
        self.raw_lines = data.decode("utf-8", "surrogateescape").splitlines(keepends=True)

    def parse(self) -> None:
        """Build :attr:`lines` and :attr:`categories` from :attr:`raw_lines`."""
        self.document = _config.parse("".join(self.raw_lines), path=os.fspath(self.filename))
        self.lines, self.categories = [], []
        category: Category | None = None
        for number, node in enumerate(self.document.lines(), 1):
            if isinstance(node, _config.Header):
                if not node.closed:
                    raise ParseError(number, "Missing '[' or ']' in category definition")
                category = Category._from_header(node, number)
                self.lines.append(category)
                self.categories.append(category)
            elif isinstance(node, _config.Assignment):
                item = Item._from_assignment(node, number)
                self.lines.append(item)
                if category is not None:
                    category.append(item)
            elif isinstance(node, _config.Text):
                raise _text_error(node.effective, number)
            else:  # blank, comment, directive, over-long line
                line = Line._from_node(node, number)
                self.lines.append(line)
                if category is not None and isinstance(node, (_config.Blank, _config.Comment)):
                    category.comments.append(line)

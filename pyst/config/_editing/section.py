"""A section: a category header and the lines after it, read and edited like a mapping.

Reads give what Asterisk holds for the category (templates, ``(+)`` additions and ``+=``
applied); :attr:`Section.own` reads this section's own lines only.  Every edit is all or
nothing and is checked against what Asterisk will read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING

from pyst.config._editing import style as _style
from pyst.config._errors import ConfigEditError
from pyst.config._semantics.append import append_target
from pyst.config._semantics.model import Category, Variable
from pyst.config._syntax.lexer import BLANKS, fold
from pyst.config._syntax.nodes import Assignment, Blank, Comment, Directive, Header, Line

if TYPE_CHECKING:
    from pyst.config._editing.document import Document

_OPERATORS = ("=", "=>", "+=")


class Section:
    """A category header and the lines that follow it, up to the next header.

    Reading by name gives what Asterisk holds for the category this section creates
    or adds to -- inherited values, ``(+)`` additions and ``+=`` included -- so a read
    never returns a value Asterisk does not have (:meth:`category` tells where each
    came from).  :attr:`own` reads this section's own lines only.  Writing makes
    Asterisk read what was written, or raises :class:`ConfigEditError` and changes
    nothing.
    """

    __slots__ = ("_document", "header", "lines")

    def __init__(self, header: Header, lines: list[Line], document: Document | None = None):
        self.header = header
        self.lines = lines
        self._document = document

    # -- structure -----------------------------------------------------------------
    @property
    def name(self) -> str:
        """The category name (see :attr:`Header.name`)."""
        return self.header.name

    @property
    def template(self) -> bool:
        """True for a template header ``[name](!)``."""
        return self.header.template

    @property
    def parents(self) -> list[str]:
        """Names this section inherits from, in header order."""
        return self.header.parents

    @property
    def is_addition(self) -> bool:
        """True for a ``(+)`` re-opening of an earlier category."""
        return self.header.is_addition

    @property
    def document(self) -> Document | None:
        """The document this section belongs to (``None`` once removed)."""
        return self._document

    def _order_key(self) -> tuple[int, ...]:
        """Where this section comes in the load (of its include tree)."""
        document = self._document
        if document is None:
            return ()
        return (*document._prefix(), document._index.ordinal[id(self)])

    @property
    def own(self) -> OwnLines:
        """This section's own lines read as a mapping (nothing inherited or added)."""
        return OwnLines(self)

    def assignments(self, name: str | None = None) -> list[Assignment]:
        """This section's assignment lines, optionally only those called ``name``."""
        lines = [line for line in self.lines if isinstance(line, Assignment)]
        if name is None:
            return lines
        lowered = fold(name)
        return [line for line in lines if fold(line.name) == lowered]

    def comments_before(self, line: Line) -> list[Comment]:
        """The comment lines directly above ``line`` (no blank line between): the ones
        that belong to it and go with it when it is removed."""
        index = self._index(line)
        start = self._own_comments_start(index)
        return [c for c in self.lines[start:index] if isinstance(c, Comment)]

    @property
    def trailing_comments(self) -> list[Comment]:
        """Comment lines after the section's last assignment or directive."""
        return [c for c in self.lines[self._insert_position() :] if isinstance(c, Comment)]

    # -- what Asterisk reads -----------------------------------------------------------
    def category(self) -> Category | None:
        """The category this section creates or adds to, as Asterisk loads it, with the
        file, line and template of each value; ``None`` if Asterisk never gets to it."""
        document = self._document
        if document is None:
            return _standalone(self)
        return document._located(self)

    def _view(self) -> Category | None:
        document = self._document
        if document is None:
            return _standalone(self)
        return document._meaning.category(self)

    def _variables(self, name: str) -> list[Variable]:
        view = self._view()
        if view is None:
            return []
        lowered = fold(name)
        return [v for v in view.variables if fold(v.name) == lowered]

    def get(self, name: str, default: str | None = None) -> str | None:
        """The value of ``name`` Asterisk ends up with for this category (see
        :meth:`Category.variable`: the last one, or for a name modules look up with
        ``ast_variable_retrieve``, what that lookup returns in the document's target),
        or ``default``."""
        _check_name_type(name)
        view = self._view()
        chosen = None if view is None else view.variable(name)
        return default if chosen is None else chosen.value

    def get_all(self, name: str) -> list[str]:
        """Every value of ``name`` in the category, in order (inherited ones first)."""
        _check_name_type(name)
        return [v.value for v in self._variables(name)]

    def __getitem__(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __setitem__(self, name: str, value: str) -> None:
        self.set(name, value)

    def __delitem__(self, name: str) -> None:
        if not self.remove(name):
            raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def keys(self) -> list[str]:
        """Names the category holds, first occurrence order, without repeats."""
        view = self._view()
        seen: dict[str, str] = {}
        for variable in [] if view is None else view.variables:
            seen.setdefault(fold(variable.name), variable.name)
        return list(seen.values())

    def __len__(self) -> int:
        return len(self.keys())

    def __bool__(self) -> bool:
        # A section is there even when it holds no variables.
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def items(self) -> list[tuple[str, str]]:
        """``(name, value)`` of each variable of the category, in order (repeats kept)."""
        view = self._view()
        return [] if view is None else view.items()

    def values(self) -> list[str]:
        """The value of each variable of the category, in order (repeats kept)."""
        return [value for _, value in self.items()]

    # A section is a place in a document, not a value: equality is identity.
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"<Section [{self.name}] {len(self.lines)} lines>"

    # -- editing: values -------------------------------------------------------------
    def set(self, name: str, value: str) -> Assignment:
        """Set ``name`` so that Asterisk reads ``value`` for this category.

        The line Asterisk's lookup reads is rewritten (only its value's bytes change; a
        ``+=`` chain that built it collapses into its first line).  A value inherited from
        a template is overridden by a new line after the category's last line; a name
        the category lacks gets a new line here.  Raises :class:`ConfigEditError`, and
        changes nothing, when no edit of this category makes Asterisk read ``value``
        (for example when an ``#include``d file sets it later).
        """
        _check_name_type(name)
        document = self._document
        if document is None:
            return self._set_own(name, value)
        with document._edit():
            view = self._view()
            if view is None:
                return self._set_own(name, value)
            loaded = self._loads()
            chosen = view.variable(name)
            sections = document._category_sections(self, view)
            own = _nodes_in(chosen, sections) if chosen is not None else []
            if own:
                # Rewrite the first line of it written here (a value that came from a
                # template keeps it; the += lines here that extended it collapse).
                try:
                    with document._edit():
                        return self._set_checked(
                            name, value, loaded, lambda: self._rewrite(own, value, sections)
                        )
                except ConfigEditError:
                    # A += elsewhere reads the rewritten line (Asterisk extends one
                    # variable and writes the result to another): a new last line may
                    # still do it.
                    pass
            if chosen is None:
                return self._set_checked(
                    name, value, loaded, lambda: self._add_line(name, value, None)
                )
            if not own and not chosen.inherited and chosen.nodes:
                # Written for this category outside its sections (before the first
                # header of an included file): rewrite it there when that does it.
                nodes = list(chosen.nodes)
                try:
                    with document._edit():
                        return self._set_checked(
                            name, value, loaded,
                            lambda: document._rewrite_elsewhere(nodes, value)
                            or sections[-1]._add_line(name, value, "="),
                        )
                except ConfigEditError:
                    pass
            return self._set_checked(
                name, value, loaded, lambda: sections[-1]._add_line(name, value, "=")
            )

    def _set_checked(
        self, name: str, value: str, loaded: bool, edit: Callable[[], Assignment]
    ) -> Assignment:
        """Make ``edit``; refuse it unless Asterisk then reads ``value`` for ``name`` here
        and a file that loaded still loads."""
        line = edit()
        after = self._view()
        chosen_after = None if after is None else after.variable(name)
        if chosen_after is None or chosen_after.value != value:
            raise ConfigEditError(_not_read_back(self, name, value, after))
        self._check_still_loads(loaded, f"setting {name!r} of [{self.name}]")
        return line

    def _set_own(self, name: str, value: str) -> Assignment:
        """``set`` on this section's own lines, for a section Asterisk never reads."""
        found = self.own._matching(name)
        if not found:
            return self._add_line(name, value, None)
        base, *appended = found[-1][2]
        return self._rewrite_lines(self, base, [(self, line) for line in appended], value)

    def _rewrite(
        self, nodes: list[Assignment], value: str, sections: list[Section]
    ) -> Assignment:
        """Rewrite the first of ``nodes`` (lines of ``sections`` that wrote one value),
        dropping the rest."""
        where: dict[int, Section] = {}
        for section in sections:
            for line in section.lines:
                where[id(line)] = section
        base, *appended = nodes
        owner = where[id(base)]
        return self._rewrite_lines(
            owner, base, [(where[id(line)], line) for line in appended], value
        )

    @staticmethod
    def _rewrite_lines(
        owner: Section, base: Assignment, appended: list[tuple[Section, Assignment]], value: str
    ) -> Assignment:
        index = owner._index(base)
        replacement = _style.with_value(
            base, value, owner._depth_before(index),
            operator="=" if base.operator == "+=" else None,
        )
        owner._replace(index, replacement)
        for section, line in appended:
            section.remove_line(line)
        return replacement

    def add(
        self,
        name: str,
        value: str,
        *,
        operator: str | None = None,
        after: str | Line | None = None,
        before: str | Line | None = None,
    ) -> Assignment:
        """Add a ``name <operator> value`` line to this section and return it.

        By default it goes after the section's last assignment or directive; ``after``
        or ``before`` (a name -- its last or first line here -- or a line of this
        section) place it.  A line put ``before`` another goes above that line's comment
        block.  ``operator`` is ``"="``, ``"=>"`` or ``"+="``; by default the one the last
        ``name`` line here uses, else ``"="``.  The new line copies the house style (see
        :func:`pyst.config` docs: "House style").
        """
        _check_name_type(name)
        if operator is not None and operator not in _OPERATORS:
            raise ConfigEditError(f"operator must be '=', '=>' or '+=', not {operator!r}")
        if after is not None and before is not None:
            raise ConfigEditError("give after= or before=, not both")
        with self._edit_context():
            loaded = self._loads()
            line = self._add_line(name, value, operator, after=after, before=before)
            self._check_still_loads(loaded, f"adding {name!r} to [{self.name}]")
            return line

    def _add_line(
        self,
        name: str,
        value: str,
        operator: str | None,
        *,
        after: str | Line | None = None,
        before: str | Line | None = None,
    ) -> Assignment:
        if before is not None:
            target = self._anchor(before, last=False)
            position = _comment_block_start(self.lines, self._index(target))
        elif after is not None:
            position = self._index(self._anchor(after, last=True)) + 1
        else:
            position = self._insert_position()
            while position < len(self.lines) and self._depth_before(position) != 0:
                position += 1
        if self._depth_before(position) != 0:
            raise ConfigEditError(
                f"section [{self.name}] ends inside a ;-- block comment --; where a new line "
                "would be invisible to Asterisk; close the comment first"
            )
        line = _style.new_assignment(self, name, value, operator, position)
        return self._insert(position, line)

    def _anchor(self, where: str | Line, *, last: bool) -> Line:
        if isinstance(where, Line):
            self._index(where)
            return where
        found = self.assignments(where)
        if not found:
            raise ConfigEditError(f"section [{self.name}] has no line for {where!r} to anchor to")
        return found[-1] if last else found[0]

    def _insert(self, position: int, line: Assignment) -> Assignment:
        self._save()
        previous = self.lines[position - 1] if position else self.header
        if not previous.newline:
            # The file ended without a line ending: keep it that way after the new line.
            newline = line.newline
            if position:
                self.lines[position - 1] = previous.with_newline(newline)
            else:
                self._set_header(self.header.with_newline(newline))
            line = line.with_newline("")
        self.lines.insert(position, line)
        return line

    def remove(self, name: str, value: str | None = None) -> int:
        """Remove ``name`` from this section; return how many lines went.

        Takes this section's lines for ``name`` (only those of the value ``value``, if
        given), each with its comment block.  A value created here goes with the ``+=``
        lines that extend it, wherever they are (left behind, they would create a new
        value); a value created elsewhere loses only the ``+=`` lines written here.
        Inherited values are not this section's to remove.
        """
        _check_name_type(name)
        doomed = self._lines_of(name, value)
        if not doomed:
            return 0
        with self._edit_context():
            for owner, line in doomed:
                owner.remove_line(line)
        return len(doomed)

    def _lines_of(self, name: str, value: str | None) -> list[tuple[Section, Assignment]]:
        """The ``(section, line)`` pairs :meth:`remove` takes."""
        document = self._document
        view = self._view()
        if document is None or view is None:
            return [
                (self, line)
                for entry_name, entry_value, lines in self.own.variables()
                if fold(entry_name) == fold(name) and value in (None, entry_value)
                for line in lines
            ]
        mine = {id(line) for line in self.lines}
        where = {
            id(line): section
            for section in document._category_sections(self, view)
            for line in section.lines
        }
        doomed: list[tuple[Section, Assignment]] = []
        for variable in view.variables:
            if fold(variable.name) != fold(name) or variable.inherited or not variable.nodes:
                continue
            if value is not None and variable.value != value:
                continue
            base_here = id(variable.nodes[0]) in mine
            for node in variable.nodes:
                owner = where.get(id(node))
                if owner is not None and (base_here or owner is self):
                    doomed.append((owner, node))
        return doomed

    def pop(self, name: str, *default: str) -> str:
        """Remove ``name`` here (see :meth:`remove`) and return the value Asterisk had for
        what was removed; without a line for it here, return ``default`` or raise
        ``KeyError``."""
        _check_name_type(name)
        view = self._view()
        doomed = {id(line) for _, line in self._lines_of(name, None)}
        if not doomed:
            if default:
                return default[0]
            raise KeyError(name)
        values = [
            v.value for v in ([] if view is None else view.variables)
            if any(id(node) in doomed for node in v.nodes)
        ] or self.own.get_all(name)
        self.remove(name)
        return values[-1]

    def setdefault(self, name: str, default: str) -> str:
        """The category's value of ``name``; if it has none, set it to ``default`` first."""
        value = self.get(name)
        if value is not None:
            return value
        self.set(name, default)
        return default

    def update(
        self, other: Mapping[str, str] | Iterable[tuple[str, str]] = (), **values: str
    ) -> None:
        """Set every ``name: value`` given, in order (see :meth:`set`); all or nothing."""
        pairs = list(other.items() if isinstance(other, Mapping) else other)
        with self._edit_context():
            for name, value in [*pairs, *values.items()]:
                self.set(name, value)

    # -- editing: names and comments -------------------------------------------------------
    def rename(self, name: str, new_name: str) -> int:
        """Rename this section's own ``name`` lines to ``new_name``; only the name's bytes
        change.  Returns how many lines were renamed."""
        _check_name_type(name)
        written = _style.escape_name(new_name)
        lines = self.assignments(name)
        if not lines:
            return 0
        with self._edit_context():
            for line in lines:
                index = self._index(line)
                start, stop = line.name_span()
                text = line.text[:start] + written + line.text[stop:]
                node = _style.make_line(text, line.newline, self._depth_before(index))
                if not (
                    isinstance(node, Assignment) and node.name == new_name
                    and node.value == line.value and node.operator == line.operator
                    and node.depth == line.depth  # the lines below read as before
                ):
                    raise ConfigEditError(f"cannot rename {line.raw!r} to {new_name!r}")
                self._replace(index, node)
        return len(lines)

    def comment_out(self, name: str, value: str | None = None) -> list[Comment]:
        """Turn this section's ``name`` lines (only the one with ``value``, if given)
        into comments, the way admins disable a setting: ``;allow=g729``.  Returns the
        comment lines; :meth:`uncomment` turns one back."""
        _check_name_type(name)
        lines = [
            line for line in self.assignments(name) if value is None or line.value == value
        ]
        done: list[Comment] = []
        with self._edit_context():
            for line in lines:
                index = self._index(line)
                indent = line.text[: len(line.text) - len(line.text.lstrip(BLANKS))]
                text = indent + ";" + line.text[len(indent) :]
                if ";--" in text or "--;" in text:
                    raise ConfigEditError(
                        f"commenting out {line.raw!r} would write a ;-- block comment marker; "
                        "edit it by hand"
                    )
                depth = self._depth_before(index)
                node = _style.make_line(text, line.newline, depth)
                if not isinstance(node, Comment) or node.depth != depth or node.depth != line.depth:
                    raise ConfigEditError(f"cannot comment out {line.raw!r}")
                self._replace(index, node)
                done.append(node)
        return done

    def commented(self, name: str, value: str | None = None) -> list[Comment]:
        """This section's comment lines that :meth:`uncomment` would turn into a ``name``
        line (only those with ``value``, if given), in order."""
        _check_name_type(name)
        found = []
        for index, line in enumerate(self.lines):
            node = self._uncommented(index, line)
            if node is not None and fold(node.name) == fold(name) and (
                value is None or node.value == value
            ):
                found.append(line)
        return [line for line in found if isinstance(line, Comment)]

    def uncomment(self, name: str, value: str | None = None) -> Assignment:
        """Turn a commented-out ``name`` line of this section (``;allow=g729``) back into
        the line Asterisk reads, and return it.  With several candidates, ``value``
        picks one; ``KeyError`` when there is none."""
        candidates = self.commented(name, value)
        if not candidates:
            raise KeyError(name)
        if len(candidates) > 1:
            raise ConfigEditError(
                f"section [{self.name}] has {len(candidates)} commented-out {name!r} lines; "
                "pass value= to pick one"
            )
        with self._edit_context():
            loaded = self._loads()
            index = self._index(candidates[0])
            node = self._uncommented(index, candidates[0])
            assert node is not None
            self._replace(index, node)
            self._check_still_loads(loaded, f"uncommenting {name!r} in [{self.name}]")
        return node

    def _uncommented(self, index: int, line: Line) -> Assignment | None:
        """The assignment a ``;name=value`` comment line stands for, or ``None``."""
        if not isinstance(line, Comment) or line.depth or self._depth_before(index):
            return None
        text = line.text
        indent = text[: len(text) - len(text.lstrip(BLANKS))]
        rest = text[len(indent) :].lstrip(";").lstrip(BLANKS)
        if not rest or rest.startswith("--") or ";--" in rest or "--;" in rest:
            return None
        try:
            node = _style.make_line(indent + rest, line.newline, 0)
        except ConfigEditError:
            return None
        if not isinstance(node, Assignment) or not node.name:
            return None
        return node

    def remove_line(self, line: Line) -> None:
        """Remove one line and the comment lines directly above it (no blank between).

        The same-line comment goes with the line; comments separated from it by a blank
        line, and comments trailing the section, stay.
        """
        start, index = self._check_removable(line)
        self._save()
        # Only the file's last line has no line ending: the file keeps ending without one.
        unterminated = index == len(self.lines) - 1 and not self.lines[index].newline
        del self.lines[start : index + 1]
        if unterminated:
            while self.lines and isinstance(self.lines[-1], Blank) and not self.lines[-1].text:
                del self.lines[-1]  # a blank line without its line ending is no line
            if self.lines:
                self.lines[-1] = self.lines[-1].with_newline("")
            else:
                self._set_header(self.header.with_newline(""))

    # -- internals -----------------------------------------------------------------------
    def _edit_context(self) -> AbstractContextManager[object]:
        """The document's edit transaction (nothing to undo for a detached section)."""
        document = self._document
        return nullcontext() if document is None else document._edit()

    def _loads(self) -> bool:
        """Whether the file loads, as far as this section's category can tell (a
        detached section: always)."""
        document = self._document
        if document is None:
            return True
        name = self.header.raw_name
        referrers = _self_inheritance_reachable(document, name)
        return document._meaning.of_names([name], referrers=referrers).config.loaded

    def _check_still_loads(self, loaded_before: bool, what: str) -> None:
        """Refuse an edit after which a file that loaded would not (the caller's
        transaction undoes it): a variable in a category that inherits from itself,
        ``[a](+,a)``, makes Asterisk copy it into itself forever."""
        if loaded_before and not self._loads():
            raise ConfigEditError(
                f"{what} refused: Asterisk would no longer load the file (a category that "
                "inherits from itself must stay empty)"
            )

    def _save(self) -> None:
        document = self._document
        if document is not None:
            document._journal.save_list(self.lines)

    def _replace(self, index: int, line: Line) -> None:
        self._save()
        self.lines[index] = line

    def _set_header(self, header: Header) -> None:
        document = self._document
        if document is not None:
            document._journal.save_attribute(self, "header")
        self.header = header

    def _check_removable(self, line: Line) -> tuple[int, int]:
        """The index range ``line`` and its comments take; refuse if removing them would
        change which lines block comments hide.

        The comment block directly above a line is its own when it stands on its own
        above it (after a blank line, the header or the start of the section); a block
        that directly follows another line may as well continue that line's comments
        (or hold commented-out settings), so it stays.
        """
        index = self._index(line)
        start = self._own_comments_start(index)
        if self._depth_before(start) != self.lines[index].depth:
            raise ConfigEditError(
                f"removing {line.raw!r} would change which lines ;-- block comments --; hide"
            )
        return start, index

    def _own_comments_start(self, index: int) -> int:
        """Where the comment block that belongs to line ``index`` starts (``index`` when
        none does): see :meth:`_check_removable`."""
        start = _comment_block_start(self.lines, index)
        if start and start < index and not isinstance(self.lines[start - 1], Blank):
            return index
        return start

    def _depth_before(self, index: int) -> int:
        return self.lines[index - 1].depth if index else self.header.depth

    def _index(self, line: Line) -> int:
        for index, candidate in enumerate(self.lines):
            if candidate is line:
                return index
        raise ConfigEditError(f"{line!r} is not a line of section [{self.name}]")

    def _insert_position(self) -> int:
        """Below the section's last assignment or directive and the indented comment
        lines that directly continue its same-line comment."""
        for index in range(len(self.lines) - 1, -1, -1):
            if isinstance(self.lines[index], (Assignment, Directive)):
                position = index + 1
                while position < len(self.lines) and _continues_comment(
                    self.lines[position]
                ):
                    position += 1
                return position
        return 0


class OwnLines:
    """A section's own lines read as a mapping: nothing inherited, nothing added by other
    sections (``+=`` lines here apply to values here)."""

    __slots__ = ("_section",)

    def __init__(self, section: Section):
        self._section = section

    def variables(self) -> list[tuple[str, str, list[Assignment]]]:
        """``(name, value, lines)`` of each variable the lines build, in order."""
        document = self._section.document
        last_match = True if document is None else document.asterisk.update_last_match
        return [
            (name, value, [line for _, line in lines])
            for name, value, lines in build_variables([self._section], last_match=last_match)
        ]

    def _matching(self, name: str) -> list[tuple[str, str, list[Assignment]]]:
        lowered = fold(name)
        return [entry for entry in self.variables() if fold(entry[0]) == lowered]

    def get(self, name: str, default: str | None = None) -> str | None:
        """The value of the last ``name`` here, or ``default``."""
        found = self._matching(name)
        return found[-1][1] if found else default

    def get_all(self, name: str) -> list[str]:
        """Every value of ``name`` here, in order."""
        return [value for _, value, _ in self._matching(name)]

    def __getitem__(self, name: str) -> str:
        found = self._matching(name)
        if not found:
            raise KeyError(name)
        return found[-1][1]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and bool(self._matching(name))

    def keys(self) -> list[str]:
        """Names assigned here, first occurrence order, without repeats."""
        seen: dict[str, str] = {}
        for name, _, _ in self.variables():
            seen.setdefault(fold(name), name)
        return list(seen.values())

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self.keys())

    def items(self) -> list[tuple[str, str]]:
        """``(name, value)`` of each variable here, in order (repeats kept)."""
        return [(name, value) for name, value, _ in self.variables()]

    def values(self) -> list[str]:
        """The value of each variable here, in order (repeats kept)."""
        return [value for _, value, _ in self.variables()]

    def __repr__(self) -> str:
        return f"<own lines of [{self._section.name}]: {self.items()!r}>"


def _check_name_type(name: object) -> None:
    if not isinstance(name, str):
        raise TypeError(f"names are str, not {type(name).__name__}")


def _continues_comment(line: Line) -> bool:
    """An indented ``;`` comment line: the continuation of the comment above it."""
    text = line.text
    return isinstance(line, Comment) and text[:1] in (" ", "\t") and text.lstrip(BLANKS)[:1] == ";"


def _self_inheritance_reachable(document: Document, name: str) -> bool:
    """Whether a header that inherits from its own name (``[t](+,t)``) is ``name`` or
    inherits from it, transitively: only then can a new variable here stop the load."""
    index = document._index
    for other in document._meaning.affected([name]):
        for section in index.by_name.get(other, ()):
            if other in {fold(parent) for parent in section.header.parents}:
                return True
    return False


def _comment_block_start(lines: list[Line], index: int) -> int:
    start = index
    while start > 0 and isinstance(lines[start - 1], Comment):
        start -= 1
    return start


def _nodes_in(variable: Variable, sections: list[Section]) -> list[Assignment]:
    """The lines of ``sections`` among those that wrote ``variable``, in order."""
    lines = {id(line) for section in sections for line in section.lines}
    return [node for node in variable.nodes if id(node) in lines]


def _standalone(section: Section) -> Category:
    """The category a detached section's own lines build (nothing to inherit from)."""
    category = Category(section.name, template=section.template)
    for name, value, lines in build_variables([section]):
        category.variables.append(
            Variable(name, value, lines[0][1].object, nodes=tuple(line for _, line in lines))
        )
    return category


def _not_read_back(section: Section, name: str, value: str, view: Category | None) -> str:
    where = f"[{section.name}]"
    if view is None:
        return f"setting {name!r} of {where} refused: Asterisk would not load the category"
    chosen = view.variable(name)
    reason = ""
    if chosen is not None and chosen.inherited:
        reason = (
            f": the value inherited from [{chosen.template}] is the one Asterisk's lookup "
            "reads for this target; set it in the template or remove it there"
        )
    elif chosen is not None and chosen.file and chosen.file != (section.document and
                                                                 section.document.path):
        reason = f": {chosen.file} sets it after this file; edit that file instead"
    return (
        f"setting {name!r} of {where} to {value!r} refused: Asterisk would read "
        f"{None if chosen is None else chosen.value!r}{reason}"
    )


def build_variables(
    sections: list[Section], *, last_match: bool = False
) -> list[tuple[str, str, list[tuple[Section, Assignment]]]]:
    """Variables as Asterisk builds them from the assignments of ``sections`` in order,
    each with the ``(section, line)`` pairs that made it (``+=`` appends to an earlier one,
    the last matching one with ``last_match`` as from Asterisk 23, else the first).
    """
    entries: list[tuple[str, str, list[tuple[Section, Assignment]]]] = []
    by_name: dict[str, list[int]] = {}  # folded name -> indices, so += stays linear
    for section in sections:
        for line in section.assignments():
            name, operator, text = line.parts()
            if operator == "+=":
                positions = by_name.get(fold(name), [])
                landing = append_target(
                    [(entries[i][0], entries[i][1]) for i in positions], name, text,
                    last_match=last_match,
                )
                if landing is not None:
                    chosen, new_name, new_value = landing
                    index = positions[chosen]
                    entries[index] = (new_name, new_value, [*entries[index][2], (section, line)])
                    continue
            if name:
                by_name.setdefault(fold(name), []).append(len(entries))
                entries.append((name, text.strip(BLANKS), [(section, line)]))
    return entries


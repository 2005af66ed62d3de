"""What Asterisk's loader makes of a document: ``config.c`` re-enacted on the syntax tree.

Each rule here follows ``main/config.c`` (``config_text_file_load``, ``process_text_line``,
``does_category_match``, ``ast_category_inherit``, ``ast_variable_update``) of the
Asterisk release the :class:`Loader` is given (pyst.config._target; the rules differ
between releases only where docs/config.md says): see ../shared/asterisk/conf-syntax.md
for the rules and their oddities.
"""

from __future__ import annotations

import glob
import os
import re
import shlex
import stat
import subprocess
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from pyst.config._semantics.append import AppendChoice, append_choice, append_target
from pyst.config._semantics.model import Category, Config, Diagnostic, Severity, Variable, fold
from pyst.config._semantics.posix_regex import Matcher, PosixRegexError, compile_posix
from pyst.config._semantics.source import DiskSource, Source
from pyst.config._semantics.target import AsteriskVersion, asterisk_version
from pyst.config._syntax.gc import gc_paused
from pyst.config._syntax.lexer import BLANKS, CommentState, byte_length, encode
from pyst.config._syntax.nodes import (
    Assignment,
    Blank,
    Comment,
    Directive,
    Header,
    Line,
    LongLine,
    Text,
    truncate_name,
)
from pyst.config._syntax.parsed import SyntaxFile, parse_file

MAX_INCLUDE_LEVEL = 10
_GLOB_MAGIC = re.compile(r"[*?\[]")
#: Most names one ``#include`` pattern may expand to before pyst gives up on it.
MAX_BRACE_NAMES = 65536


class _Fatal(Exception):
    """Stops the current file, as ``process_text_line`` returning -1 does."""


@dataclass
class _TooManyNames(Exception):
    """An include pattern's braces stand for more than ``MAX_BRACE_NAMES`` names."""


class _FileResult:
    """How reading one file ended."""

    invalid: bool = False


@dataclass
class _LoadState:
    """State shared by every file of one load (``struct ast_config``)."""

    categories: list[Category] = field(default_factory=list)
    current: Category | None = None
    include_level: int = 0
    include_counts: dict[str, int] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: For each header node read (by ``id``): the category it created or added to.
    header_targets: dict[int, Category] = field(default_factory=dict)
    #: Set when Asterisk would never finish this load (it loops forever), wherever it is.
    hangs: bool = False
    #: Categories by folded name, in order (name lookups without a scan of all).
    by_name: dict[str, list[Category]] = field(default_factory=dict)
    #: For categories that saw a ``+=``: folded variable name -> indices in ``variables``.
    variable_index: dict[int, dict[str, list[int]]] = field(default_factory=dict)
    #: The ``+=`` lines whose result depends on the Asterisk release, in load order.
    append_choices: list[AppendChoice] = field(default_factory=list)


class Loader:
    """Re-enacts Asterisk's config loader over parsed documents.

    ``confdir`` is Asterisk's config directory (``astetcdir``): relative ``#include``
    paths resolve against it, never against the including file's folder.  By default it
    is the folder of the main file.  ``exec_includes`` is Asterisk's ``execincludes``
    option: ``#exec`` runs a shell command only when it is true.  ``asterisk`` is the
    Asterisk whose loader is re-enacted: ``"18"``, ``"20"``, ``"22"`` (the default),
    ``"23"`` or ``"master"`` (see :func:`pyst.config.asterisk_version`).
    """

    def __init__(
        self,
        *,
        confdir: str | os.PathLike[str] | None = None,
        exec_includes: bool = False,
        follow_includes: bool = True,
        max_include_level: int = MAX_INCLUDE_LEVEL,
        source: Source | None = None,
        asterisk: str | int | AsteriskVersion | None = None,
    ):
        self.asterisk = asterisk_version(asterisk)
        self.confdir = os.fspath(confdir) if confdir is not None else None
        #: Where included files are read from (the disk unless given).
        self.source: Source = source if source is not None else DiskSource()
        self.exec_includes = exec_includes
        self.follow_includes = follow_includes
        self.max_include_level = max_include_level

    # -- entry points ------------------------------------------------------------------
    def load_path(self, path: str | os.PathLike[str]) -> Config:
        """Load the file at ``path`` as Asterisk would; a missing file is not loaded."""
        name = os.fspath(path)
        try:
            if not stat.S_ISREG(os.stat(name).st_mode):
                config = Config(file=name, loaded=False, asterisk=self.asterisk)
                config.diagnostics.append(
                    Diagnostic(
                        Severity.ERROR, "not-regular-file",
                        f"'{name}' is not a regular file, ignoring -- give the path of a "
                        "config file",
                        name, 0, 0,
                    )
                )
                return config
            data = Path(name).read_bytes()
        except (OSError, ValueError, UnicodeError) as error:
            config = Config(file=name, loaded=False, asterisk=self.asterisk)
            config.diagnostics.append(
                Diagnostic(
                    Severity.ERROR, "file-not-found",
                    f"Config file not found: {getattr(error, 'strerror', None) or error}; check "
                    "the path",
                    name, 0, 0,
                )
            )
            return config
        return self.load_document(parse_file(data, path=name))

    def load_document(self, document: SyntaxFile) -> Config:
        """Load an already parsed document (includes are read from disk)."""
        return self.load_with_targets(document)[0]

    def load_with_targets(self, document: SyntaxFile) -> tuple[Config, dict[int, Category]]:
        """Like :meth:`load_document`, also returning, for each header node of the load
        (keyed by ``id``), the category that header created or added to."""
        config, state = self._load(document)
        return config, state.header_targets

    def load_noting_appends(self, document: SyntaxFile) -> tuple[Config, list[AppendChoice]]:
        """Like :meth:`load_document`, also returning the ``+=`` lines whose result
        depends on the Asterisk release (see :func:`pyst.config.version_differences`)."""
        config, state = self._load(document)
        return config, state.append_choices

    def _load(self, document: SyntaxFile) -> tuple[Config, _LoadState]:
        name = document.path or "<string>"
        state = _LoadState()
        confdir = self.confdir
        if confdir is None:
            confdir = os.path.dirname(os.path.abspath(document.path)) if document.path else "."
        run = _Run(self, state, confdir)
        state.include_level = 1
        with gc_paused():
            result, _ = run.read_document(document, name)
        config = Config(
            file=name,
            loaded=not result.invalid and not state.hangs,
            categories=state.categories,
            diagnostics=state.diagnostics,
            asterisk=self.asterisk,
        )
        return config, state


class _Run:
    """One load: the files it reads and the categories they build."""

    def __init__(self, loader: Loader, state: _LoadState, confdir: str):
        self.loader = loader
        self.state = state
        self.confdir = confdir

    # -- diagnostics -------------------------------------------------------------------
    def _report(
        self, severity: Severity, code: str, message: str, file: str, line: int, column: int = 1
    ) -> None:
        self.state.diagnostics.append(Diagnostic(severity, code, message, file, line, column))

    def _fatal(self, code: str, message: str, file: str, line: int, column: int = 1) -> _Fatal:
        self._report(Severity.ERROR, code, message, file, line, column)
        return _Fatal()

    # -- files -------------------------------------------------------------------------
    def read_document(
        self, document: SyntaxFile, file: str, cat: Category | None = None, *, top: bool = True
    ) -> tuple[_FileResult, Category | None]:
        """Read one file's lines into the shared state (``config_text_file_load``).

        The file starts in the load's current category (``top``), or in ``cat`` when it
        continues the files of a glob before it.  Returns how reading ended and the
        category the file ended in.
        """
        result = _FileResult()
        if top:
            cat = self.state.current
        notes = document.notes
        lineno = notes.last_lineno - notes.line_count
        try:
            for line in document.lines():
                lineno += 1
                if notes.nest_limit_line and lineno >= notes.nest_limit_line:
                    self.state.hangs = True
                    raise self._fatal(
                        "comment-nesting-limit",
                        f"Maximum nest limit of 128 reached, line {lineno} of {file} -- Asterisk "
                        "stops responding on this file; close some ';--' block comments",
                        file, lineno,
                    )
                if isinstance(line, LongLine):
                    for offset, piece in enumerate(line.logical_lines):
                        if piece is None:
                            self._too_long(line, lineno + offset, file)
                        else:
                            cat = self._line(piece, lineno + offset, file, cat)
                    lineno += len(line.logical_lines) - 1
                else:
                    cat = self._line(line, lineno, file, cat)
        except _Fatal:
            result.invalid = True
        if notes.unterminated_comment_line or notes.final_depth < 0:
            where = notes.unterminated_comment_line or notes.stray_close_line
            what = (
                "a stray '--;' (write '--\\;' for a literal '--;')"
                if notes.final_depth < 0
                else "add '--;' where the comment should end"
            )
            self._report(
                Severity.WARNING, "unterminated-comment",
                f"Unterminated comment detected beginning on line {where} of {file} -- "
                f"everything after it was ignored; {what}",
                file, where, max(notes.unterminated_comment_column, 1),
            )
        return result, cat

    def _line(self, line: Line, lineno: int, file: str, cat: Category | None) -> Category | None:
        if isinstance(line, Assignment):
            self._assignment(line, lineno, file, cat)
        elif isinstance(line, (Blank, Comment)):
            pass
        elif isinstance(line, Header):
            return self._header(line, lineno, file)
        elif isinstance(line, Directive):
            self._directive(line, lineno, file)
        elif isinstance(line, Text):
            self._text(line, lineno, file, cat)
        return cat

    def _too_long(self, line: Line, lineno: int, file: str) -> None:
        self._report(
            Severity.WARNING, "line-too-long",
            f"Line {lineno} too long, skipping. It begins with: {line.text[:32]}... (line "
            f"{lineno} of {file}) -- Asterisk reads at most 8190 bytes per line",
            file, lineno,
        )

    def _column(self, line: Line) -> int:
        return len(line.indent) + 1

    # -- headers -----------------------------------------------------------------------
    def _header(self, line: Header, lineno: int, file: str) -> Category:
        column = self._column(line)
        if not line.closed:
            raise self._fatal(
                "no-closing-bracket",
                f"parse error: no closing ']', line {lineno} of {file} -- end the category "
                "name with ']' (a ';' inside the brackets starts a comment; write '\\;')",
                file, lineno, column,
            )
        catname = line.raw_name
        options = line.options_text
        if options is not None and not line.options_closed:
            raise self._fatal(
                "no-closing-paren",
                f"parse error: no closing ')', line {lineno} of {file} -- close the options "
                "with ')'",
                file, lineno, column,
            )
        where = (file, lineno, column)
        target = Category(
            truncate_name(catname), file=file, line=lineno, asterisk=self.loader.asterisk
        )
        # ``new`` is the header's own category until a ``+`` token merges it away.
        new: Category | None = target
        # Column offset of each option token from the '[' (for diagnostics).
        token_offset = line.effective.find("]") + 2
        next_offset = token_offset
        for token in [] if options is None else options.split(","):
            token_offset, next_offset = next_offset, next_offset + len(token) + 1
            if token == "!":
                target.template = True
            elif token.startswith("+"):
                found = self._find(catname, token[1:], "&", where)
                if found is None:
                    raise self._fatal(
                        "category-addition-missing",
                        f"Category addition requested, but category '{catname}' does not exist, "
                        f"line {lineno} of {file} -- define [{catname}] earlier"
                        + (
                            " (to add to a template write (+TEMPLATES=include))"
                            if self._find(catname, "TEMPLATES=restrict", "&", where)
                            else ""
                        ),
                        file, lineno, column,
                    )
                if new is not None:
                    self.state.current = found
                    found.template = found.template or new.template
                    self._extend(found, new.variables)
                    new = None
                target = found
            else:
                base = self._find(token, "TEMPLATES=include", ",", where)
                if base is None:
                    raise self._fatal(
                        "inheritance-missing",
                        f"Inheritance requested, but category '{token}' does not exist, line "
                        f"{lineno} of {file} -- define it above this line (names are not "
                        "trimmed: '( t )' looks for ' t ')",
                        file, lineno, column + token_offset,
                    )
                if base is target and base.variables:
                    self.state.hangs = True
                    raise self._fatal(
                        "inheritance-loop",
                        f"Category '{base.name}' inherits from itself, line {lineno} of {file} "
                        "-- Asterisk copies its variables into itself forever and stops "
                        "responding; remove the name from the options",
                        file, lineno, column,
                    )
                target.inherits.append(base.name)
                self._extend(target, [
                    replace(v, inherited=True, template=v.template or base.name)
                    for v in base.variables
                ])
        if new is not None:
            self.state.categories.append(new)
            self.state.by_name.setdefault(fold(new.name), []).append(new)
            self.state.current = new
        self.state.header_targets[id(line)] = target
        return target

    def _find(
        self, name: str, filter_text: str | None, separator: str, where: tuple[str, int, int]
    ) -> Category | None:
        """``category_get_sep``: the first category matching name and filter.

        ``where`` (file, line, column) locates the header, for a regex that fails.
        """
        candidates = self.state.by_name.get(fold(name), []) if name else self.state.categories
        if not filter_text:
            return next((c for c in candidates if not c.template), None)
        matcher = _Filter(filter_text, separator)
        for category in candidates:
            if matcher.matches(category):
                return category
        if matcher.error:
            file, line, column = where
            self._report(
                Severity.WARNING, "bad-regex",
                f"Regular expression {matcher.error}, line {line} of {file} -- Asterisk uses "
                "POSIX extended regular expressions",
                file, line, column,
            )
        return None

    def _extend(self, category: Category, variables: list[Variable]) -> None:
        """Append variables to a category, keeping its ``+=`` index current."""
        index = self.state.variable_index.get(id(category))
        if index is not None:
            start = len(category.variables)
            for offset, variable in enumerate(variables):
                index.setdefault(fold(variable.name), []).append(start + offset)
        category.variables.extend(variables)

    def _same_name(self, category: Category, name: str) -> list[int]:
        """Indices of the category's variables whose name folds like ``name``."""
        index = self.state.variable_index.get(id(category))
        if index is None:
            index = {}
            for position, variable in enumerate(category.variables):
                index.setdefault(fold(variable.name), []).append(position)
            self.state.variable_index[id(category)] = index
        return index.get(fold(name), [])

    # -- variables ---------------------------------------------------------------------
    def _need_category(self, cat: Category | None, lineno: int, file: str, line: Line) -> Category:
        if cat is None:
            raise self._fatal(
                "no-category-context",
                f"parse error: No category context for line {lineno} of {file} -- put a "
                "[category] header above it",
                file, lineno, self._column(line),
            )
        return cat

    def _check_escape(self, line: Line, lineno: int, file: str) -> None:
        effective = line.effective
        if effective[0] == "\\" and (len(effective) < 2 or not 33 <= ord(effective[1]) < 128):
            raise self._fatal(
                "invalid-escape",
                f"Invalid escape in line {lineno} of {file} -- a leading '\\' must be followed "
                "by a printable ASCII character",
                file, lineno, self._column(line),
            )

    def _text(self, line: Text, lineno: int, file: str, cat: Category | None) -> None:
        self._need_category(cat, lineno, file, line)
        self._check_escape(line, lineno, file)
        self._report(
            Severity.WARNING, "no-equals",
            f"No '=' (equal sign) in line {lineno} of {file} -- Asterisk ignores this line; "
            "write 'name = value' or comment it out with ';'",
            file, lineno, self._column(line),
        )

    def _assignment(self, line: Assignment, lineno: int, file: str, cat: Category | None) -> None:
        category = self._need_category(cat, lineno, file, line)
        if line._eff[0] == "\\":
            self._check_escape(line, lineno, file)
        name, operator, text = line.parts()
        if operator == "+=":
            variables = category.variables
            positions = self._same_name(category, name)
            pairs = [(variables[i].name, variables[i].value) for i in positions]
            landing = append_target(
                pairs, name, text, last_match=self.loader.asterisk.update_last_match
            )
            choice = append_choice(pairs, name, text, (file, lineno, self._column(line)))
            if choice is not None:
                self.state.append_choices.append(choice)
            if landing is not None:
                chosen, new_name, new_value = landing
                index = positions[chosen]
                variables[index] = replace(
                    variables[index], name=new_name, value=new_value, inherited=False,
                    template="", nodes=(*variables[index].nodes, line),
                )
                return
        value = text.strip(BLANKS)
        if not name:
            self._report(
                Severity.WARNING, "no-variable-name",
                f"No variable name in line {lineno} of {file} -- Asterisk ignores this line",
                file, lineno, self._column(line),
            )
            return
        variable = Variable(
            name, value, operator == "=>", file=file, line=lineno, nodes=(line,)
        )
        if id(category) in self.state.variable_index:
            self._extend(category, [variable])
        else:
            category.variables.append(variable)

    # -- directives --------------------------------------------------------------------
    def _directive(self, line: Directive, lineno: int, file: str) -> None:
        word = line.word
        kind = line.directive
        column = self._column(line)
        if not kind:
            self._report(
                Severity.WARNING, "unknown-directive",
                f"Unknown directive '#{word}' at line {lineno} of {file} -- Asterisk knows "
                "#include, #tryinclude and #exec; comment this line out with ';'",
                file, lineno, column,
            )
            return
        if kind == "exec" and not self.loader.exec_includes:
            self._report(
                Severity.WARNING, "exec-disabled",
                "Cannot perform #exec unless execincludes option is enabled in asterisk.conf "
                f"(options section)! (line {lineno} of {file}; pass exec_includes=True to run it)",
                file, lineno, column,
            )
            return
        if not line.argument:
            needs = "/path/to/executable" if kind == "exec" else "filename"
            if self.loader.asterisk.old_directive_message:
                word = "exec" if kind == "exec" else "include / tryinclude"
            self._report(
                Severity.WARNING, "directive-needs-argument",
                f"Directive '#{word}' needs an argument ({needs}) at line {lineno} of {file}",
                file, lineno, column,
            )
            return
        if not self.loader.follow_includes:
            return
        path = line.path
        count = 0
        if kind != "exec":  # Asterisk records an #exec under its temporary file's name
            count = self.state.include_counts.get(path, 0)
            self.state.include_counts[path] = count + 1
        if count:
            self._report(
                Severity.WARNING, "include-repeated",
                f"'{file}', line {lineno}:  Same File included more than once! This data will "
                f"be saved in {path}~~{count} if saved back to disk.",
                file, lineno, column,
            )
        if kind == "exec":
            loaded = self._run_exec(path, lineno, file, column)
        else:
            loaded = self._include(path, lineno, file, column)
        if not loaded and kind != "tryinclude":
            raise self._fatal(
                "include-missing",
                f"The file '{path}' was listed as a #include but it does not exist. (line "
                f"{lineno} of {file}) -- create it, fix the path (relative paths are resolved "
                f"against {self.confdir}), or use #tryinclude",
                file, lineno, column,
            )

    def _enter(self, file: str, lineno: int, column: int) -> bool:
        level = self.loader.max_include_level
        if level > 0 and self.state.include_level == level + 1:
            self._report(
                Severity.WARNING, "include-depth",
                f"Maximum Include level ({level}) exceeded, line {lineno} of {file} -- a file "
                "includes itself, or the includes nest too deep",
                file, lineno, column,
            )
            return False
        self.state.include_level += 1
        return True

    def _include(self, path: str, lineno: int, file: str, column: int) -> bool:
        if not self._enter(file, lineno, column):
            return False
        pattern = path if os.path.isabs(path) else os.path.join(self.confdir, path)
        count = 0
        invalid = False
        # The files a pattern matches are read as one stream: comment state, line numbers
        # and the current category carry over from one to the next.
        comments = CommentState()
        last_lineno = 0
        cat = self.state.current
        try:
            matches = _expand(pattern)
        except _TooManyNames:
            self.state.hangs = True
            raise self._fatal(
                "include-too-many-names",
                f"'{path}' stands for more than {MAX_BRACE_NAMES} file names, line {lineno} "
                f"of {file} -- each {{a,b}} group doubles them and Asterisk tries every one, "
                "so it effectively never finishes loading; use fewer brace groups",
                file, lineno, column,
            ) from None
        for match in matches:
            try:
                exists, regular = os.path.exists(match), os.path.isfile(match)
            except (UnicodeError, ValueError):
                continue
            if not exists:
                continue
            if not regular:
                self._report(
                    Severity.WARNING, "not-regular-file",
                    f"'{match}' is not a regular file, ignoring (#include on line {lineno} "
                    f"of {file})",
                    file, lineno, column,
                )
                continue
            document = self.loader.source.read(match, comments, last_lineno + 1)
            if document is None:
                continue
            count += 1
            result, cat = self.read_document(document, match, cat, top=False)
            last_lineno = document.notes.last_lineno
            if result.invalid:
                invalid = True
                break
        if not invalid:
            self.state.include_level -= 1
        return count > 0

    def _run_exec(self, command: str, lineno: int, file: str, column: int) -> bool:
        """``handle_include_exec``: ``/bin/sh -c "<command> 2>&1 > <tmpfile>"``, then the
        temporary file is read like an ``#include`` (a missing one fails like one)."""
        where = (file, lineno, column)
        if byte_length(command) + _EXEC_OVERHEAD >= 1024:
            raise self._fatal(
                "exec-too-long",
                f"Failed to construct command string to execute {command[:40]}... (line "
                f"{lineno} of {file}) -- Asterisk's #exec command line holds about 1000 bytes",
                *where,
            )
        with tempfile.TemporaryDirectory(prefix="pyst-exec-") as folder:
            output = os.path.join(folder, "exec.out")
            try:
                completed = subprocess.run(
                    ["/bin/sh", "-c", f"{command} 2>&1 > {shlex.quote(output)}"],
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60, check=False,
                )
            except (OSError, subprocess.SubprocessError, UnicodeError, ValueError) as error:
                self._report(
                    Severity.WARNING, "exec-failed",
                    f"#exec <{command}>: Failed to execute: {error} (line {lineno} of {file})",
                    *where,
                )
                return False
            for err_line in completed.stdout.decode("utf-8", "surrogateescape").split("\n"):
                if err_line:
                    self._report(
                        Severity.WARNING, "exec-stderr",
                        f"#exec <{command}> (line {lineno} of {file}): {err_line}", *where,
                    )
            if completed.returncode:
                self._report(
                    Severity.WARNING, "exec-status",
                    f"#exec <{command}>: Exited with return value {completed.returncode} "
                    f"(line {lineno} of {file})",
                    *where,
                )
            try:
                data = Path(output).read_bytes()
            except OSError:
                return False  # no output file: fails like a missing #include
            if not data:
                self._report(
                    Severity.WARNING, "exec-no-output",
                    f"#exec <{command}>: The program generated no usable output. (line "
                    f"{lineno} of {file})",
                    *where,
                )
            if not self._enter(file, lineno, column):
                return False
            result, _ = self.read_document(
                parse_file(data, path=f"#exec {command}"), f"#exec {command}"
            )
            if not result.invalid:
                self.state.include_level -= 1
            return True


#: What config.c adds around an #exec command: " 2>&1 > /var/tmp/exec.<sec><usec>.<thread>"
#: (the temporary name is about 46 bytes).
_EXEC_OVERHEAD = len(" 2>&1 > ") + 46


def _expand(pattern: str) -> list[str]:
    """``glob()`` with ``GLOB_NOMAGIC|GLOB_BRACE``: braces expand, a plain name is kept.

    Like config.c, the path is first cut to the 255 bytes of its ``fn[256]`` buffer.
    """
    data = encode(pattern)
    if len(data) > 255:
        pattern = data[:255].decode("utf-8", "surrogateescape")
    results: list[str] = []
    for alternative in _expand_braces(pattern):
        try:
            if _GLOB_MAGIC.search(alternative):
                results.extend(sorted(glob.glob(alternative)))
            else:
                results.append(alternative)
        except (OSError, UnicodeError, ValueError):
            continue  # a name the file system cannot hold matches nothing
    return results


def _expand_braces(pattern: str) -> list[str]:
    """Every name the ``{a,b}`` groups of ``pattern`` stand for, in ``GLOB_BRACE`` order.

    Each group multiplies the names (forty ``{a,b}`` are 2**40), so this raises
    ``_TooManyNames`` rather than go past ``MAX_BRACE_NAMES``.
    """
    names: list[str] = []
    pending = [pattern]
    while pending:
        current = pending.pop()
        group = _first_brace_group(current)
        if group is None:
            names.append(current)
            if len(names) > MAX_BRACE_NAMES:
                raise _TooManyNames
            continue
        start, end = group
        head, tail = current[:start], current[end + 1 :]
        options = _split_top_level(current[start + 1 : end])
        pending.extend(head + option + tail for option in reversed(options))
    return names


def _first_brace_group(pattern: str) -> tuple[int, int] | None:
    """Where the first top-level ``{...}`` starts and ends.

    As in glibc's ``glob``, ``{}`` is a group too: one empty alternative, so it vanishes.
    """
    depth = 0
    start = -1
    for index, char in enumerate(pattern):
        if char == "{":
            if depth == 0:
                start = index
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:
                return start, index
    return None


def _split_top_level(body: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    current = ""
    for char in body:
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        current += char
    parts.append(current)
    return parts


def strsep_strip(text: str, separator: str) -> list[str]:
    """``ast_strsep(…, AST_STRSEP_STRIP)`` called until it returns NULL.

    A transliteration of main/utils.c: a backslash skips itself and the next byte and the
    byte after *that* is tested as usual; quotes nest on an 8-entry stack whose overflow
    makes ``ast_strsep`` return NULL (ending the list early); each token is trimmed and
    loses one pair of outer quotes.
    """
    pieces: list[str] = []
    # Bytes, as in C: a backslash escapes one byte, not one character.
    rest: bytes | None = encode(text)
    while rest is not None:
        token, rest = _strsep_once(rest, separator.encode())
        if token is None:
            break
        pieces.append(_strip_quotes(token.decode("utf-8", "surrogateescape").strip(BLANKS)))
    return pieces


def _strsep_once(text: bytes, separator: bytes) -> tuple[bytes | None, bytes | None]:
    """One ``ast_strsep`` call: ``(token or None for NULL, rest or None)``."""
    if not text:
        return text, None
    stack = [0]  # stack[0] is the C array's unused first slot
    index = 0
    length = len(text)
    backslash, quotes, sep = 0x5C, (0x22, 0x27), separator[0]
    while index < length:
        if text[index] == backslash:
            index += 1
            if index >= length:
                break
            index += 1
            if index >= length:
                break
        byte = text[index]
        if byte in quotes:
            if byte == stack[-1]:
                stack.pop()
            else:
                if len(stack) >= 8:
                    return None, None
                stack.append(byte)
        if byte == sep and len(stack) == 1:
            return text[:index], text[index + 1 :]
        index += 1
    return text, None


def _strip_quotes(text: str) -> str:
    """``ast_strip_quoted``: a lone quote strips to nothing, as in C."""
    if text and text[0] in "'\"" and text[-1] == text[0]:
        return text[1:-1]
    return text


class _Filter:
    """``does_category_match`` without the name test, for one ``(+filter)``/lookup."""

    def __init__(self, text: str, separator: str):
        # Each term is split at '=' by two more ast_strsep calls: name, then value.
        self.terms = [strsep_strip(term, "=")[:2] for term in strsep_strip(text, separator)]
        self.error = ""
        self._compiled: dict[str, Matcher | None] = {}

    def _regex(self, pattern: str) -> Matcher | None:
        if pattern not in self._compiled:
            try:
                self._compiled[pattern] = compile_posix(pattern)
            except (re.error, PosixRegexError) as error:
                self._compiled[pattern] = None
                self.error = self.error or f"'{pattern}' failed to compile: {error}"
        return self._compiled[pattern]

    def matches(self, category: Category) -> bool:
        """Whether every term matches ``category`` (templates only when allowed)."""
        found = 0
        template_ok = False
        for parts in self.terms:
            if len(parts) < 2:
                break
            name_pattern, value_pattern = parts[0], parts[1]
            if name_pattern == "TEMPLATES":
                mode = fold(value_pattern)
                if mode == "include":
                    template_ok = template_ok or category.template
                    found += 1
                elif mode == "restrict":
                    if not category.template:
                        break
                    found += 1
                    template_ok = True
                continue
            name_re = self._regex(name_pattern)
            value_re = self._regex(value_pattern)
            if name_re is None or value_re is None:
                return False
            if any(
                name_re.search(v.name) and value_re.search(v.value) for v in category.variables
            ):
                found += 1
        return found == len(self.terms) and (not category.template or template_ok)


def include_paths(path: str, confdir: str) -> list[str] | None:
    """The regular files an ``#include`` of ``path`` reads, in the order Asterisk reads
    them (relative paths resolve against ``confdir``); ``None`` when its ``{a,b}`` groups
    stand for more names than Asterisk could ever try."""
    pattern = path if os.path.isabs(path) else os.path.join(confdir, path)
    try:
        matches = _expand(pattern)
    except _TooManyNames:
        return None
    found = []
    for match in matches:
        try:
            if os.path.isfile(match):
                found.append(match)
        except (UnicodeError, ValueError):
            continue
    return found

"""What every editing subcommand shares: load, edit, show the diff, check or save, report.

An edit function gets the loaded :class:`~pyst.config.Document` and returns one line per
change it made; this module turns that into the command's output and exit status:

* 0 -- done, or nothing to do;
* 1 -- ``--check`` found something that would change;
* 2 -- usage or I/O error (a section that is not there, an ambiguous name, a bad path);
* 3 -- the edit was refused (:class:`pyst.config.ConfigEditError`): it would lose or
  change something Asterisk reads elsewhere; the message says why and what to do.

Nothing is written with ``--check``, nor when the edit fails or is refused: the file is
saved atomically only after the whole edit went through.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Callable
from typing import TextIO

from pyst.cli._output import printable, write_bytes
from pyst.config import (
    ASTERISK_VERSIONS,
    DEFAULT_ASTERISK,
    ConfigEditError,
    ConfigError,
    ConfigIOError,
    Document,
    Section,
    Tree,
    load,
    load_tree,
    parse,
)

#: Exit statuses of the editing commands (see the module docstring).
DONE, CHANGES_FOUND, USAGE_ERROR, REFUSED = 0, 1, 2, 3

#: What an editing command works on: one file, or (``--tree``) a file and its includes.
Target = Document | Tree

EditFunction = Callable[[Target], list[str]]


class CommandError(Exception):
    """A usage problem the user can fix (exit 2): a section that is not there, a name
    that stands for several sections, a malformed option.  The message says what to do."""


def add_asterisk_option(command: argparse.ArgumentParser) -> None:
    """``--asterisk VERSION``: which Asterisk reads the file (its lookup rules differ)."""
    command.add_argument(
        "--asterisk", metavar="VERSION", choices=list(ASTERISK_VERSIONS),
        default=DEFAULT_ASTERISK.name,
        help="the Asterisk that reads the file: " + ", ".join(ASTERISK_VERSIONS)
        + f" (default {DEFAULT_ASTERISK.name})",
    )


def add_edit_options(command: argparse.ArgumentParser) -> None:
    """The options every editing command takes (after its positional arguments)."""
    add_asterisk_option(command)
    command.add_argument(
        "--diff", action="store_true", help="print the change as a unified diff"
    )
    command.add_argument(
        "--check", action="store_true",
        help="change nothing; exit 1 if the command would change the file, else 0",
    )
    command.add_argument(
        "-q", "--quiet", action="store_true", help="no one-line report of what changed"
    )
    command.add_argument(
        "--tree", action="store_true",
        help="edit FILE and the files it #includes as one: an edit goes to the file that "
        "holds the line, a new section to FILE (or --file); every changed file is saved",
    )
    command.add_argument(
        "--confdir", metavar="DIR",
        help="with --tree: Asterisk's config directory, where relative #include paths "
        "are found (default: FILE's folder)",
    )


def example_epilog(*lines: str) -> str:
    """The ``examples:`` block shown at the end of a command's ``--help``."""
    return "examples:\n" + "\n".join("  " + line for line in lines)


def help_formatter() -> type[argparse.HelpFormatter]:
    """A formatter that keeps the examples' line breaks."""
    return argparse.RawDescriptionHelpFormatter


def error(message: str) -> None:
    """Print an error message on stderr, prefixed with the program name."""
    sys.stderr.write(f"pyst-config: {printable(message)}\n")


def load_target(args: argparse.Namespace) -> Target:
    """``args.file`` as a :class:`Document`, or with ``--tree`` as a :class:`Tree`."""
    asterisk = getattr(args, "asterisk", None)
    if getattr(args, "tree", False):
        return load_tree(args.file, confdir=args.confdir, asterisk=asterisk)
    if getattr(args, "confdir", None) is not None:
        raise CommandError("--confdir is for --tree (where the included files are found)")
    return load(args.file, asterisk=asterisk)


def documents_of(target: Target) -> list[Document]:
    """The files an edit of ``target`` may change."""
    return target.documents if isinstance(target, Tree) else [target]


def run_edit(args: argparse.Namespace, out: TextIO, edit: EditFunction) -> int:
    """Load ``args.file`` (and its includes with ``--tree``), run ``edit``, then diff,
    check or save, and report."""
    path: str = args.file
    try:
        target = load_target(args)
    except (ConfigIOError, CommandError) as failure:
        error(str(failure))
        return USAGE_ERROR
    documents = documents_of(target)
    before = [document.text() for document in documents]
    try:
        changes = edit(target)
    except CommandError as failure:
        error(str(failure))
        return USAGE_ERROR
    except ConfigEditError as failure:
        error(f"{path}: refused: {failure}")
        return REFUSED
    changed = [
        (document, old, document.text())
        for document, old in zip(documents, before, strict=True)
        if document.text() != old
    ]
    if args.diff and changed:
        write_diff(out, "".join(
            unified_diff(document.path or path, old, new) for document, old, new in changed
        ))
    if not changed:
        if not args.quiet:
            out.write(f"{printable(path)}: no changes\n")
        return DONE
    where = ", ".join(document.path or path for document, _, _ in changed)
    if args.check:
        if not args.quiet:
            out.write(f"{printable(where)}: would change: {printable('; '.join(changes))}\n")
        return CHANGES_FOUND
    try:
        target.save()
    except ConfigError as failure:
        error(str(failure))
        return USAGE_ERROR
    if not args.quiet:
        out.write(f"{printable(where)}: {printable('; '.join(changes))}\n")
    return DONE


def verify_by_reparsing(section: Section) -> None:
    """Refuse (:class:`ConfigEditError`) unless the edited text of ``section``'s file,
    parsed afresh, reads as the edited file does: a last check that an edit of a line's
    kind (a comment made or unmade) did not change what other lines mean, e.g. by
    opening a block comment."""
    document = section.document
    if document is None:
        return
    fresh = parse(document.dumps(), path=document.path, asterisk=document.asterisk).config()
    edited = document.config()
    if (fresh.loaded, fresh.categories) != (edited.loaded, edited.categories):
        raise ConfigEditError(
            "the edited file would not read as intended (a ;-- block comment or a line's "
            "kind would change other lines); nothing was written"
        )


def unified_diff(path: str, before: str, after: str) -> str:
    """The unified diff from ``before`` to ``after``, as ``diff -u`` prints it (a missing
    final line ending is marked ``\\ No newline at end of file``)."""
    old = before.splitlines(keepends=True)
    new = after.splitlines(keepends=True)
    parts: list[str] = []
    for line in difflib.unified_diff(old, new, fromfile=f"a/{path}", tofile=f"b/{path}"):
        parts.append(line)
        if not line.endswith("\n"):
            parts.append("\n\\ No newline at end of file\n")
    return "".join(parts)


def wants_colour(out: TextIO) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set."""
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty()) and "NO_COLOR" not in os.environ


_COLOURS = {"+": "\x1b[32m", "-": "\x1b[31m", "@": "\x1b[36m"}


def write_diff(out: TextIO, diff: str) -> None:
    """Print a diff: with the file's own bytes, coloured on a terminal."""
    if wants_colour(out):
        coloured = []
        for line in diff.splitlines(keepends=True):
            colour = _COLOURS.get(line[:1])
            if colour and not line.startswith(("+++", "---")):
                body = line.rstrip("\r\n")
                line = colour + body + "\x1b[0m" + line[len(body) :]
            coloured.append(line)
        diff = "".join(coloured)
    write_bytes(out, diff)

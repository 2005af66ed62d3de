"""Lossless, round-trip editing of Asterisk ``.conf`` files.

Parse any file into a concrete syntax tree that reproduces it byte for byte, see what
Asterisk's own loader makes of it, and edit it with minimal, style-matching changes::

    from pyst import config

    doc = config.load("/etc/asterisk/sip.conf")
    doc["general"]["bindport"] = "5061"         # only the value's bytes change
    peer = doc.add_section("6002", parents=["friend-template"])
    peer["secret"] = "s3cret"
    doc.save()                                   # atomic; untouched bytes stay as they were

    tree = config.load_tree("/etc/asterisk/pjsip.conf")   # with every #include'd file
    tree["6001"]["max_contacts"] = "2"            # edits the file that holds [6001]
    print(tree.diff())
    tree.save()                                   # writes only the files that changed

    view = config.read("/etc/asterisk/pjsip.conf")   # what Asterisk would load
    for category in view:
        print(category.name, category.template, category.items())
"""

from __future__ import annotations

import os

from pyst.config._editing.apply import Change, ConfigChangesError, apply
from pyst.config._editing.document import Document, load, parse
from pyst.config._editing.section import OwnLines, Section
from pyst.config._editing.tree import Tree, load_tree
from pyst.config._errors import ConfigEditError, ConfigError, ConfigIOError, ConfigSyntaxError
from pyst.config._semantics.loader import Loader
from pyst.config._semantics.model import Category, Config, Diagnostic, Severity, Variable
from pyst.config._semantics.retrieved import RETRIEVED_NAMES
from pyst.config._semantics.target import (
    ASTERISK_VERSIONS,
    DEFAULT_ASTERISK,
    AsteriskVersion,
    UnknownAsteriskVersion,
    asterisk_version,
)
from pyst.config._semantics.versions import version_differences
from pyst.config._syntax.nodes import (
    Assignment,
    Blank,
    Comment,
    Directive,
    Header,
    Line,
    LongLine,
    Text,
)

__all__ = [
    "ASTERISK_VERSIONS",
    "DEFAULT_ASTERISK",
    "RETRIEVED_NAMES",
    "Assignment",
    "AsteriskVersion",
    "Blank",
    "Category",
    "Change",
    "Comment",
    "Config",
    "ConfigChangesError",
    "ConfigEditError",
    "ConfigError",
    "ConfigIOError",
    "ConfigSyntaxError",
    "Diagnostic",
    "Directive",
    "Document",
    "Header",
    "Line",
    "Loader",
    "LongLine",
    "OwnLines",
    "Section",
    "Severity",
    "Text",
    "Tree",
    "UnknownAsteriskVersion",
    "Variable",
    "apply",
    "asterisk_version",
    "load",
    "load_tree",
    "parse",
    "read",
    "version_differences",
]


def read(
    path: str | os.PathLike[str],
    *,
    confdir: str | os.PathLike[str] | None = None,
    exec_includes: bool = False,
    asterisk: str | int | AsteriskVersion | None = None,
) -> Config:
    """Load ``path`` the way Asterisk does and return what it means.

    ``#include`` paths resolve against ``confdir`` (default: the file's folder).
    ``#exec`` runs only with ``exec_includes=True``.  ``asterisk`` names the Asterisk
    that reads the file: ``"18"``, ``"20"``, ``"22"``, ``"23"`` or ``"master"`` (default
    ``"22"``, the newest long-term release); it decides how ``+=`` lands on repeated
    names and what :meth:`Category.get` returns.  An unknown version raises
    :class:`UnknownAsteriskVersion`.  Never raises for bad content: check
    :attr:`Config.loaded` and :attr:`Config.diagnostics`.
    """
    return Loader(confdir=confdir, exec_includes=exec_includes, asterisk=asterisk).load_path(
        path
    )

"""What a rule family sees of one linted tree: the main file, its view and the options."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property

from pyst.config import Config, Document


@dataclass(frozen=True)
class TreeOptions:
    """Options the checkers read (the rest of the settings only filter findings)."""

    asterisk: str = "22"
    confdir: str | None = None


@dataclass
class LintTree:
    """One main config file with its includes, as Asterisk's loader reads them.

    ``path`` is the main file's path (or the ``--stdin-filename``); ``document`` its
    lossless tree; ``config`` the loader's view of the whole tree.
    """

    path: str
    document: Document
    config: Config
    options: TreeOptions = field(default_factory=TreeOptions)

    @cached_property
    def kind(self) -> str:
        """The config file's name as Asterisk knows it: ``pjsip.conf`` for
        ``/etc/asterisk/pjsip.conf`` or ``samples/pjsip.conf.sample``."""
        return config_kind(self.path)


def config_kind(path: str) -> str:
    """The Asterisk file name ``path`` stands for (``.sample`` suffix dropped)."""
    name = os.path.basename(path)
    return name[: -len(".sample")] if name.endswith(".sample") else name

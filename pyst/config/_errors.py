"""The exceptions of :mod:`pyst.config`: one hierarchy rooted in :class:`ConfigError`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyst.config._semantics.model import Diagnostic


class ConfigError(Exception):
    """Base class of every error :mod:`pyst.config` raises on purpose."""


class ConfigSyntaxError(ConfigError):
    """Raised by ``strict=True`` parsing when Asterisk would refuse or warn about a file.

    ``diagnostics`` lists every condition found, in file order; the message names the
    first error (or warning) with its file, line and column.
    """

    def __init__(self, diagnostics: Sequence[Diagnostic]):
        self.diagnostics = list(diagnostics)
        errors = [d for d in self.diagnostics if d.severity.value == "error"]
        first = (errors or self.diagnostics)[0] if self.diagnostics else None
        more = len(self.diagnostics) - 1
        message = str(first) if first else "invalid configuration"
        if more > 0:
            message += f" (and {more} more diagnostic{'s' if more > 1 else ''})"
        super().__init__(message)


class ConfigEditError(ConfigError):
    """An edit that cannot be made (a line not in the section, a value Asterisk would
    misread, a name it would truncate, …)."""


class ConfigIOError(ConfigError):
    """Reading or saving a file failed; ``__cause__`` holds the ``OSError``."""

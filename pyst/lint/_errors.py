"""The exceptions of :mod:`pyst.lint`: one hierarchy rooted in :class:`LintError`."""

from __future__ import annotations


class LintError(Exception):
    """Base class of every error :mod:`pyst.lint` raises on purpose."""

"""Lossless, round-trip editing of Asterisk ``.conf`` files (work in progress)."""

from pyst.config._model import Category, Config, Diagnostic, Severity, Variable

__all__ = ["Category", "Config", "Diagnostic", "Severity", "Variable"]

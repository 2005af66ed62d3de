"""Lint settings and where they come from: ``[tool.pyst-config.lint]`` in a
``pyproject.toml`` or a ``.pyst-config.toml`` found upward from the linted path."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pyst.lint._errors import LintError
from pyst.lint._model import Severity

#: Targets ``--asterisk`` accepts (the same values as everywhere else in pyst).
ASTERISK_TARGETS = ("18", "20", "22", "23", "master")
DEFAULT_ASTERISK = "22"
CONFIG_KEYS = ("select", "ignore", "extend-select", "fail-on", "asterisk")


class SettingsError(LintError, ValueError):
    """A configuration file or option that cannot be used (exit status 2)."""


@dataclass(frozen=True)
class LintSettings:
    """Everything that decides what a run reports."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    fail_on: Severity = Severity.WARNING
    asterisk: str = DEFAULT_ASTERISK
    confdir: str | None = None
    source: str | None = None
    notes: tuple[str, ...] = field(default=(), compare=False)

    def merged(self, values: dict[str, Any], source: str | None = None) -> LintSettings:
        """These settings with ``values`` (config-file keys) applied."""
        changes: dict[str, Any] = {}
        for key, value in values.items():
            if key not in CONFIG_KEYS:
                raise SettingsError(
                    f"{source or 'settings'}: unknown key {key!r}; "
                    f"known keys: {', '.join(CONFIG_KEYS)}"
                )
            attribute = key.replace("-", "_")
            if key in ("select", "ignore", "extend-select"):
                changes[attribute] = _codes(value, key, source)
            elif key == "fail-on":
                changes[attribute] = parse_severity(value, source)
            else:
                changes[attribute] = parse_target(value, source)
        if source is not None:
            changes["source"] = source
        return replace(self, **changes)


def parse_severity(value: object, source: str | None = None) -> Severity:
    """``error`` / ``warning`` / ``info`` as a :class:`Severity`."""
    try:
        return Severity(str(value).lower())
    except ValueError:
        raise SettingsError(
            f"{source or 'fail-on'}: fail-on must be error, warning or info, not {value!r}"
        ) from None


def parse_target(value: object, source: str | None = None) -> str:
    """An Asterisk target such as ``22`` or ``master``."""
    text = str(value).lower()
    if text not in ASTERISK_TARGETS:
        raise SettingsError(
            f"{source or 'asterisk'}: asterisk must be one of "
            f"{', '.join(ASTERISK_TARGETS)}, not {value!r}"
        )
    return text


def _codes(value: object, key: str, source: str | None) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise SettingsError(f"{source or key}: {key} must be a list of rule codes or prefixes")
    return tuple(v.strip().upper() for v in value if v.strip())


class TomlUnavailable(Exception):
    """No TOML reader on this Python (3.10 without ``tomli``)."""


def _toml_loader() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    try:
        import tomli  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    return tomli


def _table(path: Path, pyproject: bool) -> dict[str, Any] | None:
    toml = _toml_loader()
    if toml is None:
        raise TomlUnavailable(
            f"{path} ignored: reading it needs Python 3.11 or the 'tomli' package on "
            "Python 3.10; install tomli or pass the settings as options"
        )
    try:
        data = toml.loads(path.read_text("utf-8"))
    except (OSError, UnicodeError, ValueError) as error:
        raise SettingsError(f"{path}: cannot read it: {error}") from error
    if pyproject:
        tool = data.get("tool", {}).get("pyst-config", {})
        table = tool.get("lint") if isinstance(tool, dict) else None
        return table if isinstance(table, dict) else None
    lint = data.get("lint")
    if isinstance(lint, dict):
        return lint
    return {k: v for k, v in data.items() if k in CONFIG_KEYS}


def find_settings_file(start: str | os.PathLike[str]) -> tuple[Path, dict[str, Any]] | None:
    """The nearest settings upward from ``start``: a ``.pyst-config.toml`` (its ``[lint]``
    table or top-level keys) or a ``pyproject.toml`` with ``[tool.pyst-config.lint]``."""
    here = Path(start).resolve()
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        own = folder / ".pyst-config.toml"
        if own.is_file():
            return own, _table(own, pyproject=False) or {}
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and b"pyst-config" in pyproject.read_bytes():
            table = _table(pyproject, pyproject=True)
            if table is not None:
                return pyproject, table
    return None


def discover(start: str | os.PathLike[str], base: LintSettings | None = None) -> LintSettings:
    """``base`` with the settings file found upward from ``start`` applied."""
    settings = base or LintSettings()
    try:
        found = find_settings_file(start)
    except TomlUnavailable as missing:
        return replace(settings, notes=(*settings.notes, str(missing)))
    if found is None:
        return settings
    path, table = found
    return settings.merged(table, str(path))

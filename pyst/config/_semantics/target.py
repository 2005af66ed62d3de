"""Which Asterisk a file is read for: the release lines whose config loaders differ.

Each :class:`AsteriskVersion` names one release line and the ``main/config.c`` rules of its
newest release that pyst re-enacts (docs/config.md, "Which Asterisk", lists every difference
and where it is in the source).
"""

from __future__ import annotations

from dataclasses import dataclass

from pyst.config._errors import ConfigError


class UnknownAsteriskVersion(ConfigError, ValueError):
    """An ``asterisk=`` value that names no release line pyst knows."""


@dataclass(frozen=True)
class AsteriskVersion:
    """One Asterisk release line, as far as reading ``.conf`` files goes.

    ``name`` is what you pass as ``asterisk=`` (``"18"``, ``"20"``, ``"22"``, ``"23"`` or
    ``"master"``) and what ``pyst-config show`` prints; ``release`` is the tag whose
    ``main/config.c`` the rules below were read from.
    """

    name: str
    release: str
    update_last_match: bool
    """``name += value`` (``ast_variable_update``) rewrites the *last* variable with that
    name and old value (23+), not the first (up to 22)."""
    retrieve_last_match: bool
    """``ast_variable_retrieve`` returns the *last* value of a repeated name (23+), not
    the first (up to 22): see :meth:`pyst.config.Category.get`."""
    save_materializes_templates: bool
    """Asterisk's own writer copies inherited values into each child category (23.1+).
    pyst never uses that writer; this says what an AMI ``UpdateConfig`` would write."""
    old_directive_message: bool
    """The ``#include`` without an argument warning says ``'#include / tryinclude'``
    (18), not the directive as written (20+)."""

    def __str__(self) -> str:
        return self.name


#: The release lines pyst knows, oldest first.
ASTERISK_VERSIONS: dict[str, AsteriskVersion] = {
    version.name: version
    for version in (
        AsteriskVersion(
            "18", "18.26.4", update_last_match=False, retrieve_last_match=False,
            save_materializes_templates=False, old_directive_message=True,
        ),
        AsteriskVersion(
            "20", "20.20.1", update_last_match=False, retrieve_last_match=False,
            save_materializes_templates=False, old_directive_message=False,
        ),
        AsteriskVersion(
            "22", "22.10.1", update_last_match=False, retrieve_last_match=False,
            save_materializes_templates=False, old_directive_message=False,
        ),
        AsteriskVersion(
            "23", "23.4.1", update_last_match=True, retrieve_last_match=True,
            save_materializes_templates=True, old_directive_message=False,
        ),
        AsteriskVersion(
            "master", "master f0c1c1a7b7", update_last_match=True, retrieve_last_match=True,
            save_materializes_templates=True, old_directive_message=False,
        ),
    )
}

#: What pyst reads files as when no ``asterisk=`` is given: the newest long-term release.
DEFAULT_ASTERISK = ASTERISK_VERSIONS["22"]


def asterisk_version(value: str | int | AsteriskVersion | None = None) -> AsteriskVersion:
    """The :class:`AsteriskVersion` for ``value``.

    ``None`` gives :data:`DEFAULT_ASTERISK` (22).  A line (``"22"``, ``22``), ``"master"``
    or a release of a known line (``"22.10.1"``, ``"20.5.0"``: read as the newest release
    of that line) are accepted; anything else raises :class:`UnknownAsteriskVersion`.
    """
    if value is None:
        return DEFAULT_ASTERISK
    if isinstance(value, AsteriskVersion):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise UnknownAsteriskVersion(
            f"asterisk= takes a release line such as '22', not {type(value).__name__}"
        )
    text = str(value).strip().lower()
    line = text.split(".", 1)[0] if text[:1].isdigit() else text
    rest = text[len(line):]
    known = ASTERISK_VERSIONS.get(line)
    if known is None or (rest and not _is_release_suffix(rest)):
        choices = ", ".join(repr(name) for name in ASTERISK_VERSIONS)
        raise UnknownAsteriskVersion(
            f"unknown Asterisk version {value!r}: use one of {choices} (the newest release "
            "of a line reads files like every release of it that pyst knows of)"
        )
    return known


def _is_release_suffix(rest: str) -> bool:
    """Whether ``rest`` is the ``.10.1`` (or ``.0.0-rc1``) of a release tag."""
    numbers, _, label = rest.partition("-")
    parts = numbers.split(".")
    return (
        parts[0] == ""
        and len(parts) in (2, 3)
        and all(part.isdigit() for part in parts[1:])
        and (not label or label.replace(".", "").isalnum())
    )

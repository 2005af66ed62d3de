"""Application and function signatures of an Asterisk version, extracted from its XML
documentation by ``tools/extract_dialplan_signatures.py`` (facts only)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["VERSIONS", "Parameter", "Signature", "Signatures", "signatures"]

VERSIONS = {"22": "asterisk-22.json", "master": "asterisk-master.json"}
"""Asterisk versions with shipped data, and their data files."""


@dataclass(frozen=True)
class Parameter:
    """One documented parameter: ``argsep`` splits its own sub-arguments."""

    name: str
    required: bool
    multiple: bool
    argsep: str | None = None


@dataclass(frozen=True)
class Signature:
    """An application's or function's documented parameters."""

    name: str
    argsep: str
    parameters: tuple[Parameter, ...]
    complete: bool
    module: str

    @property
    def minimum(self) -> int:
        """How many leading arguments must be given (up to the last required one)."""
        last = 0
        for index, parameter in enumerate(self.parameters, 1):
            if parameter.required:
                last = index
        return last

    @property
    def maximum(self) -> int | None:
        """How many arguments it takes at most (``None``: no limit)."""
        if any(parameter.multiple for parameter in self.parameters):
            return None
        return len(self.parameters)


@dataclass(frozen=True)
class Signatures:
    """The signature data of one Asterisk version."""

    asterisk: str
    commit: str
    counts: dict[str, int]
    applications: dict[str, Signature]
    functions: dict[str, Signature]

    def application(self, name: str) -> Signature | None:
        """The application called ``name`` (case-insensitive), or ``None``."""
        return self.applications.get(name.lower())

    def function(self, name: str) -> Signature | None:
        """The function called ``name`` (case-insensitive), or ``None``."""
        return self.functions.get(name.lower())


def _required(raw: dict[str, Any]) -> bool:
    """Documented as required, and not made only of optional sub-arguments (the docs of
    ``VoiceMailMain`` mark ``mailbox`` required while both of its parts are optional)."""
    arguments = raw.get("arguments") or []
    return bool(raw["required"]) and (not arguments or any(a["required"] for a in arguments))


def _signature(name: str, raw: dict[str, Any]) -> Signature:
    parameters = tuple(
        Parameter(p["name"], _required(p), bool(p["multiple"]), p.get("argsep"))
        for p in raw["parameters"]
    )
    return Signature(name, raw["argsep"], parameters, bool(raw["complete"]), raw["module"])


@cache
def signatures(asterisk: str = "22") -> Signatures:
    """The shipped signature data for ``asterisk`` (``"22"`` or ``"master"``;
    ``"22.x.y"`` means 22)."""
    key = "master" if asterisk == "master" else asterisk.split(".", 1)[0]
    if key not in VERSIONS:
        raise ValueError(
            f"no application data for Asterisk {asterisk!r}: use one of {sorted(VERSIONS)}"
        )
    folder = resources.files("pyst.dialplan").joinpath("_data")
    text = folder.joinpath(VERSIONS[key]).read_text("utf-8")
    raw = json.loads(text)
    return Signatures(
        raw["asterisk"], raw["commit"], dict(raw["counts"]),
        {name.lower(): _signature(name, value) for name, value in raw["applications"].items()},
        {name.lower(): _signature(name, value) for name, value in raw["functions"].items()},
    )

"""The public API of pyst.dialplan: the exported names (pinned here: a change to them is a
change of the API, made on purpose), each importable and documented."""

from __future__ import annotations

import importlib

import pytest

import pyst.dialplan

EXPORTED = [
    "CONFIG_NAME",
    "Context",
    "DEFAULT_ENTRY_POINTS",
    "Dialplan",
    "DialplanEditError",
    "DialplanEditor",
    "DialplanLine",
    "Extension",
    "HINT",
    "IgnorePattern",
    "Include",
    "Priority",
    "RULES",
    "Rule",
    "Signature",
    "Signatures",
    "Step",
    "Switch",
    "Target",
    "build",
    "check",
    "context_lines",
    "entry_points_from",
    "extension_match",
    "lint",
    "load",
    "load_dialplan",
    "parse_line",
    "show",
    "show_bytes",
    "show_globals_bytes",
    "signatures",
    "snapshot",
    "split_args",
]


def test_all_is_the_pinned_list_of_names() -> None:
    assert sorted(pyst.dialplan.__all__) == sorted(EXPORTED)


@pytest.mark.parametrize("name", EXPORTED)
def test_each_name_is_importable_and_documented(name: str) -> None:
    value = getattr(importlib.import_module("pyst.dialplan"), name)
    if callable(value) or isinstance(value, type):
        assert (value.__doc__ or "").strip(), f"{name} has no docstring"

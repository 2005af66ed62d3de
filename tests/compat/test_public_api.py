"""The public API of pyst.compat: the exported names (pinned here: a change to them is a
change of the API, made on purpose), each importable and documented."""

from __future__ import annotations

import importlib

import pytest

import pyst.compat

EXPORTED = [
    "agi",
    "agitb",
    "astemu",
    "config",
    "manager",
]


def test_all_is_the_pinned_list_of_names() -> None:
    assert sorted(pyst.compat.__all__) == sorted(EXPORTED)


@pytest.mark.parametrize("name", EXPORTED)
def test_each_name_is_importable_and_documented(name: str) -> None:
    value = getattr(importlib.import_module("pyst.compat"), name)
    if callable(value) or isinstance(value, type):
        assert (value.__doc__ or "").strip(), f"{name} has no docstring"

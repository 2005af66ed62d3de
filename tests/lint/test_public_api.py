"""The public API of pyst.lint: the exported names (pinned here: a change to them is a
change of the API, made on purpose), each importable and documented."""

from __future__ import annotations

import importlib

import pytest

import pyst.lint

EXPORTED = [
    "ASTERISK_TARGETS",
    "FORMATS",
    "FORMATTERS",
    "Finding",
    "LintError",
    "LintIOError",
    "LintInput",
    "LintResult",
    "LintSettings",
    "LintTree",
    "Linter",
    "RegistryError",
    "Rule",
    "RuleFamily",
    "SettingsError",
    "Severity",
    "TreeOptions",
    "all_rules",
    "collect_inputs",
    "discover",
    "display_path",
    "families",
    "find_rule",
    "find_settings_file",
    "format_sarif",
    "register_family",
    "statistics",
    "stdin_input",
]


def test_all_is_the_pinned_list_of_names() -> None:
    assert sorted(pyst.lint.__all__) == sorted(EXPORTED)


@pytest.mark.parametrize("name", EXPORTED)
def test_each_name_is_importable_and_documented(name: str) -> None:
    value = getattr(importlib.import_module("pyst.lint"), name)
    if callable(value) or isinstance(value, type):
        assert (value.__doc__ or "").strip(), f"{name} has no docstring"

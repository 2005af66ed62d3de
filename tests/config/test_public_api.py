"""The public API of pyst.config: the exported names (pinned here: a change to them is a
change to the API and must show up in this file), their docstrings, one exception hierarchy,
and TypeErrors for arguments of the wrong type.
"""

from __future__ import annotations

from typing import Any

import pytest

from pyst import config

#: Every name pyst.config exports, in ``__all__``.
EXPORTED = [
    "ASTERISK_VERSIONS",
    "DEFAULT_ASTERISK",
    "RETRIEVED_NAMES",
    "Assignment",
    "AsteriskVersion",
    "Blank",
    "Category",
    "Change",
    "Comment",
    "Config",
    "ConfigChangesError",
    "ConfigEditError",
    "ConfigError",
    "ConfigIOError",
    "ConfigSyntaxError",
    "Diagnostic",
    "Directive",
    "Document",
    "Header",
    "Line",
    "Loader",
    "LongLine",
    "OwnLines",
    "Section",
    "Severity",
    "Text",
    "Tree",
    "UnknownAsteriskVersion",
    "Variable",
    "apply",
    "asterisk_version",
    "load",
    "load_tree",
    "parse",
    "read",
    "version_differences",
]


def test_all_is_the_pinned_list_of_names() -> None:
    assert sorted(config.__all__) == sorted(EXPORTED)
    assert len(set(config.__all__)) == len(config.__all__)


@pytest.mark.parametrize("name", EXPORTED)
def test_exported_name_imports_and_has_a_docstring(name: str) -> None:
    namespace: dict[str, object] = {}
    exec(f"from pyst.config import {name}", namespace)
    value = namespace[name]
    assert value is getattr(config, name)
    assert (getattr(value, "__doc__", None) or "").strip(), f"{name} has no docstring"


def test_star_import_gives_exactly_the_exported_names() -> None:
    namespace: dict[str, object] = {}
    exec("from pyst.config import *", namespace)
    assert sorted(name for name in namespace if name != "__builtins__") == sorted(EXPORTED)


def test_no_public_name_of_the_package_is_left_out() -> None:
    defined_here = {
        name for name, value in vars(config).items()
        if not name.startswith("_")
        and str(getattr(value, "__module__", "")).startswith("pyst.config")
    }
    assert defined_here <= set(EXPORTED)


def test_every_public_name_and_member_has_a_docstring() -> None:
    missing = []
    for name in config.__all__:
        obj = getattr(config, name)
        if not (obj.__doc__ or "").strip():
            missing.append(name)
        if isinstance(obj, type) and obj.__module__.startswith("pyst.config"):
            for member, value in vars(obj).items():
                if member.startswith("_") or not (callable(value) or isinstance(value, property)):
                    continue
                if not (getattr(value, "__doc__", None) or "").strip():
                    missing.append(f"{name}.{member}")
    assert missing == []


def test_error_classes_form_one_hierarchy() -> None:
    for name in ("ConfigEditError", "ConfigIOError", "ConfigSyntaxError"):
        assert issubclass(getattr(config, name), config.ConfigError)


def test_wrong_argument_types_are_type_errors() -> None:
    doc = config.parse("[s]\nx=1\n")
    with pytest.raises(TypeError):
        doc["s"]["y"] = 5  # type: ignore[assignment]
    with pytest.raises(TypeError):
        doc["s"].get(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        config.parse(None)  # type: ignore[arg-type]
    assert doc.dumps() == "[s]\nx=1\n"


def test_name_lookups_with_wrong_type_raise_type_error() -> None:
    doc = config.parse("[c]\nx=1\n")
    cfg = doc.config()
    section = doc["c"]
    for lookup in (cfg.category, cfg.categories_named, cfg.categories[0].get,
                   doc.sections_named, section.get, section.get_all, section.__getitem__):
        with pytest.raises(TypeError):
            lookup(1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "edit",
    [
        lambda doc: doc["a"].set("x", 1),
        lambda doc: doc["a"].add("y", None),
        lambda doc: doc["a"].update({"x": 2}),
        lambda doc: doc.add_section(1),
        lambda doc: doc.add_section("n", parents=[1]),
    ],
)
def test_edits_with_non_str_text_say_so(edit: Any) -> None:
    doc = config.parse("[a]\nx=1\n")
    with pytest.raises(TypeError, match="are str, not"):
        edit(doc)
    assert doc.dumps() == "[a]\nx=1\n"

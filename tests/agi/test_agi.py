"""The AGI and AsyncAGI front ends: every command is a real method of each, with the
builder's parameters, a return annotation that says what the call gives (the result for
AGI, an awaitable of it for AsyncAGI) and its docstring, as inspect and pydoc show them."""

from __future__ import annotations

import inspect
import pydoc
import re
import typing
from collections.abc import Awaitable
from pathlib import Path

import pytest

from pyst.agi import AGI, COMMANDS, AsyncAGI, DigitsResult, PlaybackResult, Reply, _agi
from pyst.agi import _commands as C
from pyst.agi.testing import FakeAsterisk

METHODS = [*sorted(name.lower().replace(" ", "_") for name in COMMANDS), "execute"]


def test_every_command_is_a_method_of_both_front_ends() -> None:
    assert len(METHODS) == 48
    for name in METHODS:
        for front_end in (AGI, AsyncAGI):
            method = getattr(front_end, name)
            assert inspect.isfunction(method), (front_end, name)
            assert method.__name__ == name
            assert method.__qualname__ == f"{front_end.__name__}.{name}"
            assert method.__doc__ and method.__doc__ == getattr(
                C, "exec_" if name == "exec" else name
            ).__doc__


def test_get_data_signature_says_what_the_call_returns() -> None:
    sync = inspect.signature(AGI.get_data)
    assert list(sync.parameters) == ["self", "filename", "timeout_ms", "max_digits"]
    assert sync.parameters["filename"].annotation is str
    assert sync.parameters["timeout_ms"].annotation == int | None
    assert sync.parameters["timeout_ms"].default is None
    assert sync.return_annotation is DigitsResult
    asynchronous = inspect.signature(AsyncAGI.get_data)
    assert asynchronous.return_annotation == Awaitable[DigitsResult]
    assert typing.get_type_hints(AGI.get_data)["return"] is DigitsResult
    assert typing.get_type_hints(AsyncAGI.execute)["return"] == Awaitable[Reply]


def test_bound_methods_have_the_signature_without_self() -> None:
    agi = FakeAsterisk().connect()
    bound = inspect.signature(agi.stream_file)
    assert list(bound.parameters) == ["filename", "escape_digits", "offset"]
    assert bound.return_annotation is PlaybackResult
    assert agi.get_data("x", 100, 2) == DigitsResult("", True)


def test_pydoc_shows_real_methods_with_their_return_types() -> None:
    text = pydoc.render_doc(AGI, renderer=pydoc.plaintext)
    assert "_CommandMethod" not in text
    assert "get_data(self, filename: str, timeout_ms: int | None = None" in text
    assert "-> pyst.agi._results.DigitsResult" in text
    text = pydoc.render_doc(AsyncAGI.get_data, renderer=pydoc.plaintext)
    assert "collections.abc.Awaitable[pyst.agi._results.DigitsResult]" in text


@pytest.mark.parametrize("front_end", [AGI, AsyncAGI])
def test_wrong_arguments_raise_type_error_at_the_call(front_end: type) -> None:
    agi = FakeAsterisk().connect()
    with pytest.raises(TypeError):
        front_end.get_data(agi, "x", 1, 2, 3)


def test_methods_declared_for_type_checkers_are_the_installed_ones() -> None:
    source = Path(_agi.__file__).read_text(encoding="utf-8")
    declared = re.findall(r"^        (\w+) = _CommandMethod\(C\.(\w+)\)$", source, re.MULTILINE)
    assert sorted(name for name, _ in declared) == sorted(METHODS)
    for name, builder in declared:
        assert builder.rstrip("_") == name

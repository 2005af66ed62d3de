"""pyst.agi's public names: the exact ``__all__``, each importable, documented in its
docstring (or a ``#:`` comment for data) and in docs/agi.md, with documented members."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

import pyst.agi

PACKAGE = Path(pyst.agi.__file__).resolve().parent
GUIDE = Path(__file__).resolve().parents[2] / "docs" / "agi.md"

EXPORTED = [
    "AGI",
    "COMMANDS",
    "NEED_DATA",
    "TRANSCRIPT_ENV",
    "AGIArgumentError",
    "AGICommandError",
    "AGICommandFailure",
    "AGIConnectionClosed",
    "AGIDeadChannel",
    "AGIEnvironment",
    "AGIError",
    "AGIHangup",
    "AGIInvalidCommand",
    "AGIProtocol",
    "AGIProtocolError",
    "AGITimeout",
    "AGIUnexpectedReply",
    "AGIUsageError",
    "AsyncAGI",
    "AsyncAGIBridge",
    "AsyncAGIEnded",
    "AsyncHandler",
    "AsyncTransport",
    "ChannelStatus",
    "Command",
    "DigitsResult",
    "FastAGIServer",
    "PlaybackResult",
    "RecordResult",
    "Reply",
    "ReplyParser",
    "ServerStats",
    "SocketTransport",
    "SpeechMatch",
    "SpeechResult",
    "StdioTransport",
    "StreamTransport",
    "SyncHandler",
    "SyncTransport",
    "ThreadedFastAGIServer",
    "TracebackOptions",
    "Transcript",
    "build_line",
    "decode_environment",
    "decode_result",
    "format_report",
    "install_excepthook",
    "parse_environment",
    "parse_line",
    "quote_argument",
    "report_exception",
    "report_exception_async",
    "split_arguments",
]


def test_all_is_exactly_the_pinned_list() -> None:
    assert sorted(pyst.agi.__all__) == sorted(EXPORTED)
    assert len(set(pyst.agi.__all__)) == len(pyst.agi.__all__)


@pytest.mark.parametrize("name", EXPORTED)
def test_each_name_is_importable_from_the_package(name: str) -> None:
    module = importlib.import_module("pyst.agi")
    assert getattr(module, name) is getattr(pyst.agi, name)
    namespace: dict[str, object] = {}
    exec(f"from pyst.agi import {name}", namespace)
    assert namespace[name] is getattr(pyst.agi, name)


def _doc_comment(name: str) -> str:
    """The ``#:`` comment right above ``name = ...`` in a module of the package."""
    pattern = re.compile(rf"^((?:#:.*\n)+){re.escape(name)}\b[^\n]*=", re.MULTILINE)
    for path in sorted(PACKAGE.glob("*.py")):
        match = pattern.search(path.read_text(encoding="utf-8"))
        if match:
            return match.group(1)
    return ""


@pytest.mark.parametrize("name", EXPORTED)
def test_each_name_is_documented(name: str) -> None:
    value = getattr(pyst.agi, name)
    if inspect.isclass(value) or inspect.isfunction(value):
        assert inspect.getdoc(value), f"{name} has no docstring"
        assert value.__doc__, f"{name} only inherits its docstring"
    else:
        assert _doc_comment(name), f"{name} has no #: comment where it is defined"
    assert re.search(rf"\b{re.escape(name)}\b", GUIDE.read_text(encoding="utf-8")), (
        f"docs/agi.md does not mention {name}"
    )


@pytest.mark.parametrize(
    "name", [name for name in EXPORTED if inspect.isclass(getattr(pyst.agi, name))]
)
def test_public_members_of_exported_classes_are_documented(name: str) -> None:
    cls = getattr(pyst.agi, name)
    for member, value in inspect.getmembers(cls):
        if member.startswith("_") or not (callable(value) or isinstance(value, property)):
            continue
        if inspect.isclass(value):
            continue
        owner = next(klass for klass in cls.__mro__ if member in vars(klass))
        if owner.__module__.split(".")[0] != "pyst":
            continue  # inherited from the standard library (Exception, Enum, ...)
        assert inspect.getdoc(value), f"{name}.{member} has no docstring"

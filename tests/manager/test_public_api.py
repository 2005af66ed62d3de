"""pyst.manager's public names: what ``from pyst.manager import *`` and
``pyst.manager.testing`` export is pinned here, so removing or renaming a name (which breaks
users and the pyst.compat layer built on it) is a deliberate change to this list, not an
accident. Adding a name means adding it here too."""

from __future__ import annotations

import inspect

import pytest

import pyst.manager
import pyst.manager.testing

MANAGER_NAMES = [
    "AGI",
    "Action",
    "ActionBase",
    "ActionError",
    "ActionTimeout",
    "Append",
    "AsyncAGIEnd",
    "AsyncAGIExec",
    "AsyncAGIServer",
    "AsyncAGIStart",
    "AsyncManagerClient",
    "AuthenticationError",
    "Challenge",
    "ClientClosed",
    "Command",
    "ConfigEdit",
    "Connection",
    "ConnectionLost",
    "CoreSettings",
    "CoreShowChannels",
    "CoreStatus",
    "DBDel",
    "DBDelTree",
    "DBGet",
    "DBPut",
    "Decoder",
    "DelCat",
    "Delete",
    "EmptyCat",
    "Event",
    "EventStream",
    "Events",
    "Filter",
    "GetConfig",
    "GetConfigJSON",
    "Getvar",
    "Greeting",
    "Hangup",
    "HeaderInjectionError",
    "Headers",
    "Insert",
    "LineTooLongError",
    "ListCategories",
    "Login",
    "Logoff",
    "ManagerClient",
    "ManagerError",
    "Message",
    "NewCat",
    "Originate",
    "Overflow",
    "PJSIPShowEndpoints",
    "PendingAction",
    "Ping",
    "ProtocolError",
    "QueueStatus",
    "QueueSummary",
    "Reconnect",
    "Redirect",
    "RenameCat",
    "Response",
    "SIPpeers",
    "Setvar",
    "ShowDialPlan",
    "Status",
    "Subscription",
    "Update",
    "UpdateConfig",
    "config_from_response",
    "encode_action",
    "md5_key",
    "parse_asyncagi",
]

TESTING_NAMES = ["CaptureStep", "FakeAMIServer", "FakeSession", "Reply", "load_capture"]


@pytest.mark.parametrize(
    ("module", "expected"),
    [(pyst.manager, MANAGER_NAMES), (pyst.manager.testing, TESTING_NAMES)],
    ids=["pyst.manager", "pyst.manager.testing"],
)
def test_exported_names_are_pinned(module: object, expected: list[str]) -> None:
    assert sorted(module.__all__) == sorted(expected)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", MANAGER_NAMES)
def test_every_exported_name_exists_and_is_documented(name: str) -> None:
    value = getattr(pyst.manager, name)
    assert (inspect.getdoc(value) or "").strip(), f"pyst.manager.{name} has no docstring"


def test_nothing_public_is_left_out_of_all() -> None:
    public = {
        name
        for name, value in vars(pyst.manager).items()
        if not name.startswith("_") and not inspect.ismodule(value)
    }
    assert public <= set(pyst.manager.__all__)

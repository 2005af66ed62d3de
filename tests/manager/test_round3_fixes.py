"""Regression tests for the fixes of the third (final) find-and-fix pass."""

from __future__ import annotations

import asyncio
import time

import pytest

from pyst.manager import (
    Action,
    ActionTimeout,
    AsyncManagerClient,
    DBPut,
    Decoder,
    ManagerClient,
    Setvar,
    Update,
    UpdateConfig,
    encode_action,
)
from pyst.manager.testing import FakeAMIServer


def test_setvar_and_dbput_refuse_values_asterisk_would_strip() -> None:
    # manager.c astman_get_header() skips leading bytes <= space of every value: Setvar and
    # DBPut would silently store a different value.
    for value in (" x", "\tx", " "):
        with pytest.raises(ValueError, match="starts with a blank"):
            Setvar("VAR", value)
        with pytest.raises(ValueError, match="starts with a blank"):
            DBPut("family", "key", value)
    assert ("Value", "x  y ") in Setvar("VAR", "x  y ").headers()
    assert ("Value", "") in Setvar("VAR", "").headers()
    assert ("Val", "v ") in DBPut("family", "key", "v ").headers()


def test_updateconfig_of_a_secret_hides_it_in_reprs() -> None:
    action = UpdateConfig(
        "pjsip.conf",
        [Update("auth1", "password", "hunter2", match="oldpass"), Update("a", "context", "x")],
    )
    assert "hunter2" not in repr(action)
    assert "oldpass" not in repr(action)
    assert "'x'" in repr(action)  # other values stay visible
    # as decoded by a server (FakeAMIServer.actions)
    [message] = Decoder(greeting=False).feed(encode_action(action.wire_headers("1")))
    assert "hunter2" not in repr(message)
    assert "oldpass" not in repr(message)
    assert "'x'" in repr(message)


def test_getconfig_secret_lines_hidden_in_repr() -> None:
    raw = (
        b"Response: Success\r\nActionID: 1\r\nCategory-000000: peer\r\n"
        b"Line-000000-000000: type=peer\r\nLine-000000-000001: secret=hunter2\r\n\r\n"
    )
    [response] = Decoder(greeting=False).feed(raw)
    assert "hunter2" not in repr(response)
    assert "type=peer" in repr(response)
    assert response["Line-000000-000001"] == "secret=hunter2"  # the data itself is intact


def test_passwd_hidden_in_action_reprs_like_in_decoded_messages() -> None:
    assert "hunter2" not in repr(Action("Custom", Passwd="hunter2"))


def test_sync_client_timeout_changed_after_connect_is_used() -> None:
    with FakeAMIServer(username="u", secret="p") as server:
        server.respond("Getvar")  # never answers
        with ManagerClient(*server.address, username="u", secret="p", timeout=30) as ami:
            ami.timeout = 0.2
            started = time.monotonic()
            with pytest.raises(ActionTimeout):
                ami.send(Action("Getvar", Variable="X"))
            assert time.monotonic() - started < 5


def test_async_client_timeout_changed_after_connect_is_used() -> None:
    async def main() -> None:
        with FakeAMIServer(username="u", secret="p") as server:
            server.respond("Getvar")
            async with AsyncManagerClient(
                *server.address, username="u", secret="p", timeout=30
            ) as ami:
                ami.timeout = 0.2
                with pytest.raises(ActionTimeout):
                    await asyncio.wait_for(ami.send(Action("Getvar", Variable="X")), 5)

    asyncio.run(main())

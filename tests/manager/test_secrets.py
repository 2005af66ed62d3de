"""Secrets (Secret, Key of an MD5 Login, Passwd, config values of secret names) never appear
in reprs of actions, decoded messages or clients.
"""

from __future__ import annotations

import logging

import pytest

from pyst.manager import (
    Action,
    Decoder,
    HeaderInjectionError,
    Login,
    ManagerClient,
    Update,
    UpdateConfig,
    encode_action,
)

from .conftest import (
    decode_all,
    wire,
)


def test_secrets_not_in_action_or_client_reprs() -> None:
    assert "hunter2" not in repr(Login("admin", "hunter2"))
    assert "deadbeef" not in repr(Login("admin", key="deadbeef"))
    assert "hunter2" not in repr(Action("Login", Username="u", Secret="hunter2"))
    client = ManagerClient("127.0.0.1", 1, username="u", secret="hunter2")
    assert "hunter2" not in repr(client)
    assert "hunter2" not in repr(client.__dict__)


def test_decoded_login_repr_hides_md5_key() -> None:
    [message] = decode_all([wire(Login("admin", key="0123456789abcdef"))], greeting=False)
    assert "0123456789abcdef" not in repr(message)


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


def test_injection_error_does_not_echo_the_secret() -> None:
    with pytest.raises(HeaderInjectionError) as info:
        Login("admin", "hunter2\r\nAction: Originate")
    assert "hunter2" not in str(info.value)


def test_secrets_never_appear_in_reprs_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    plain = Login("admin", "hunter2")
    md5 = Login("admin", key="0123456789abcdef0123456789abcdef")
    generic = Action("Login", Username="admin", Secret="hunter2")
    caplog.set_level(logging.DEBUG)
    logging.getLogger("pyst.manager").debug("sending %r %r %r", plain, md5, generic)
    for text in (repr(plain), repr(md5), repr(generic), caplog.text):
        assert "hunter2" not in text and "0123456789abcdef" not in text
    assert "admin" in repr(plain)
    wire = encode_action(plain.wire_headers("1"))
    assert b"Secret: hunter2\r\n" in wire  # hidden from humans, not from the server

"""The AMI encoder (pyst.manager.encode_action): CR/LF/NUL refused wherever they could inject
a header, Asterisk's 1022-byte line limit enforced in bytes, escaped bytes sent as themselves
and other lone surrogates refused.
"""

from __future__ import annotations

import pytest

from pyst.manager import (
    Action,
    Connection,
    HeaderInjectionError,
    LineTooLongError,
    Originate,
    Ping,
    encode_action,
)
from pyst.manager._protocol import MAX_LINE_BYTES


@pytest.mark.parametrize("bad", ["a\rb", "a\nb", "a\x00b", "x\r\nAction: Originate"])
def test_encoder_refuses_cr_lf_nul_in_values_names_and_action_ids(bad: str) -> None:
    with pytest.raises(HeaderInjectionError):
        Action("Ping", headers=[("X", bad)])
    with pytest.raises(HeaderInjectionError):
        Action("Ping", headers=[(bad, "v")])
    with pytest.raises(HeaderInjectionError):
        Action(bad)
    with pytest.raises(HeaderInjectionError):
        Originate("Local/1", variables={"V": bad})
    with pytest.raises(HeaderInjectionError):
        Originate("Local/1", variables={bad: "v"})
    conn = Connection(greeting=False)
    with pytest.raises(HeaderInjectionError):
        conn.send(Ping(action_id=bad), now=0.0)
    assert conn.pending_count == 0
    with pytest.raises(HeaderInjectionError):
        encode_action([("Action", "Ping"), ("Name", bad)])


def test_line_limit_is_exactly_asterisks() -> None:
    name = "UserEvent"
    fits = "x" * (MAX_LINE_BYTES - len("Data: "))
    assert encode_action([("Action", name), ("Data", fits)])
    with pytest.raises(LineTooLongError):
        encode_action([("Action", name), ("Data", fits + "x")])
    # bytes, not characters: a two-byte character over the limit is refused
    with pytest.raises(ValueError):
        encode_action([("Action", name), ("Data", fits[:-1] + "\u00e9")])


def test_escaped_bytes_are_sent_as_the_bytes_they_stand_for() -> None:
    data = encode_action([("Action", "UserEvent"), ("Body", "f\udce5tt")])
    assert data == b"Action: UserEvent\r\nBody: f\xe5tt\r\n\r\n"


@pytest.mark.parametrize("text", ["\ud800", "a\udc00b", "\udfff"])
def test_a_lone_surrogate_that_is_no_escaped_byte_is_refused_by_the_library(text: str) -> None:
    with pytest.raises(HeaderInjectionError, match="surrogate"):
        Action("UserEvent", Body=text)
    with pytest.raises(HeaderInjectionError, match="surrogate"):
        encode_action([("Action", "UserEvent"), ("Body", text)])

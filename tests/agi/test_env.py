"""The ``agi_*`` environment block: typed fields, arguments, and the request URL's script
path and query (a malformed URL is an AGIProtocolError).
"""

from __future__ import annotations

import pytest

from pyst.agi import (
    AGIError,
    AGIProtocolError,
    parse_environment,
)


def test_malformed_request_url_stays_in_hierarchy() -> None:
    from pyst.agi import parse_environment

    env = parse_environment(["agi_network: yes", "agi_request: agi://[x/path"])
    try:
        env.script_path  # noqa: B018
        env.query  # noqa: B018
    except AGIError:
        pass


def test_environment_from_capture_is_typed() -> None:
    from pyst.agi import parse_environment

    raw = (
        "agi_network: yes\nagi_network_script: test?plan=basic\n"
        "agi_request: agi://127.0.0.1:4573/test?plan=basic\n"
        "agi_channel: Local/200@agi-test-00000027;2\nagi_callingpres: 0\n"
        "agi_priority: 3\nagi_enhanced: 0.0\nagi_accountcode: \n"
        "agi_threadid: 140428041807552\nagi_arg_1: arg1\nagi_arg_2: arg two\n"
    )
    env = parse_environment(raw.splitlines())
    assert env.network and env.script_path == "test" and env.query == {"plan": ["basic"]}
    assert env.priority == 3 and env.callingpres == 0 and env.enhanced is False
    assert env.accountcode == "" and env.arguments == ("arg1", "arg two")
    assert env.threadid == 140428041807552


def test_script_path_of_malformed_url_is_protocol_error() -> None:
    env = parse_environment(["agi_request: agi://[x/path"])
    with pytest.raises(AGIProtocolError):
        env.script_path  # noqa: B018
    ok = parse_environment(["agi_request: agi://[::1]:4573/sales?lang=fr"])
    assert ok.script_path == "sales" and ok.query == {"lang": ["fr"]}

"""Originate's ``Variable`` headers, checked against a model of manager.c/app.c: each variable
arrives exactly once with its own value, whatever commas, quotes, brackets or backslashes it
holds; names with ``=`` and lines over Asterisk's buffer are refused. The ring timeout
(``ring_timeout_ms``, Asterisk's ``Timeout``) is named apart from the client's wait.
"""

from __future__ import annotations

import inspect
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyst.manager import Originate, encode_action

from .conftest import wire
from .manager_c import manager_c_originate_variables, manager_c_variables


@pytest.mark.parametrize(
    "variables",
    [
        {"A": "x,B=y"},
        {"A": 'say "hi", then\\go', "B": "(,", "F(a,b)": "1"},
        {" lead": "  v", "C": ""},
    ],
)
def test_originate_variable_value_cannot_add_variables(variables: dict[str, str]) -> None:
    # manager.c man_do_variable_value splits each Variable header with AST_STANDARD_APP_ARGS
    # (on ','), so {'A': 'x,B=y'} sent raw would set A=x and B=y
    data = wire(Originate("Local/1@c", context="c", exten="1", priority=1, variables=variables))
    assert manager_c_originate_variables(data) == variables


def test_originate_variable_name_with_equals_is_refused() -> None:
    with pytest.raises(ValueError):
        Originate("Local/1@c", application="Wait", data="1", variables={"A=B": "1"})


_VAR_TEXT = st.text(
    alphabet=st.characters(blacklist_characters="\r\n\x00", blacklist_categories=("Cs",)),
    max_size=20,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        _VAR_TEXT.filter(lambda n: n and "=" not in n),
        _VAR_TEXT,
        min_size=1,
        max_size=4,
    )
)
def test_originate_variables_read_back_by_app_separate_args_with_parens(
    variables: dict[str, str],
) -> None:
    """Brackets and parentheses also suspend comma splitting in __ast_app_separate_args;
    every variable must still arrive exactly once with its own value."""
    action = Originate("Local/1@x", application="Wait", data="1", variables=variables)
    headers = [v for k, v in action.wire_headers("a1") if k == "Variable"]
    assert manager_c_variables(headers) == variables


def test_originate_variable_longer_than_asterisk_line_buffer_is_refused() -> None:
    with pytest.raises(ValueError):
        action = Originate(
            "Local/1@x", application="Wait", data="1", variables={"BIG": "y" * 2000}
        )
        encode_action(action.wire_headers("a1"))


def test_ring_timeout_is_named_with_its_unit_apart_from_the_clients_wait() -> None:
    action = Originate("PJSIP/100", context="c", exten="1", ring_timeout_ms=30_000, timeout=45)
    assert ("Timeout", "30000") in action.headers()
    assert action.timeout == 45  # seconds the client waits; never sent
    assert "ring_timeout_ms" in inspect.signature(Originate).parameters


def test_the_old_ring_timeout_keyword_still_works_with_a_deprecation_warning() -> None:
    with pytest.warns(DeprecationWarning, match="ring_timeout_ms"):
        action = Originate("PJSIP/100", context="c", exten="1", ring_timeout=20_000)
    assert ("Timeout", "20000") in action.headers()
    assert action.ring_timeout_ms == 20_000
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Originate("PJSIP/100", context="c", exten="1")  # no warning without it
    with pytest.raises(TypeError):
        Originate("PJSIP/100", ring_timeout=1, ring_timeout_ms=2)

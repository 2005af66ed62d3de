"""Any reply to any command gives a typed result or an AGIError, never anything else."""

from __future__ import annotations

import inspect
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pyst.agi import COMMANDS, NEED_DATA, AGIEnvironment, AGIError, AGIProtocol, Command


def _sample(build: Any) -> Command[Any]:
    values = []
    for parameter in inspect.signature(build).parameters.values():
        if parameter.default is not inspect.Parameter.empty:
            continue
        if parameter.kind is parameter.VAR_POSITIONAL:
            continue
        annotation = str(parameter.annotation)
        values.append(1 if ("int" in annotation or "float" in annotation) else "x")
    return build(*values)


_numbers = st.one_of(
    st.integers(-(10**12), 10**12).map(str), st.sampled_from(["", "x", "-", "1e3"])
)
_words = st.text(alphabet="abc()=- \"'0123456789\r", max_size=20)
_lines = st.one_of(
    st.builds(lambda r, t: f"200 result={r} {t}".rstrip(), _numbers, _words),
    st.builds(lambda r, e: f"200 result={r} endpos={e}", _numbers, _numbers),
    st.builds(lambda r, w, e: f"200 result={r} ({w}) endpos={e}", _numbers, _words, _numbers),
    st.builds(lambda c, t: f"{c} {t}", st.integers(0, 999), _words),
    st.sampled_from(["HANGUP", "100 result=0 Trying...", "520-x", "520 End of proper usage."]),
    _words,
)


@settings(max_examples=400, deadline=None)
@given(
    name=st.sampled_from(sorted(COMMANDS)),
    lines=st.lists(_lines, min_size=1, max_size=4),
    eof=st.booleans(),
)
def test_any_reply_to_any_command(name: str, lines: list[str], eof: bool) -> None:
    protocol = AGIProtocol(AGIEnvironment())
    protocol.send(_sample(COMMANDS[name]))
    protocol.receive_data("".join(f"{line}\n" for line in lines).encode())
    if eof:
        protocol.receive_eof()
    try:
        result = protocol.next_result()
    except AGIError:
        assert not protocol.waiting  # the command is over either way
        return
    assert protocol.waiting is (result is NEED_DATA)

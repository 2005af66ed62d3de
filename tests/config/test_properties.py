"""Properties that must hold for every input: no crash, exact round trip, faithful lexing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyst import config
from pyst.config._syntax.lexer import BLANKS

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LONG = settings(max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that matter to the loader, mixed with ordinary ones.
_ALPHABET = st.sampled_from([*"[]()!+,=>;-\\#\"<> \t\r\n\0abcAB12\ufeff\u00e9\udce9:&*.", "\x0b"])
_TEXT = st.text(_ALPHABET, max_size=300)


def _c_string(buf: list[str], start: int) -> list[str]:
    end = buf.index("\0", start)
    return buf[start:end]


def _reference_effective(lines: list[str]) -> list[str]:
    """A literal transliteration of config.c's comment loop over a NUL-terminated buffer."""
    depth = 0
    results = []
    for line in lines:
        buf = [*line, "\0"]
        process: int | None = 0 if depth == 0 else None
        new = 0
        while True:
            text = _c_string(buf, new)
            if ";" not in text:
                break
            p = new + text.index(";")
            if p > new and buf[p - 1] == "\\":
                del buf[p - 1]
                new = p
            elif buf[p + 1] == "-" and buf[p + 2 : p + 3] == ["-"] and buf[p + 3 : p + 4] != ["-"]:
                if depth < 128:
                    buf[p] = "\0"
                    new = p + 3
                    depth += 1
                else:
                    new = p + 1  # where Asterisk would spin forever
            elif p >= new + 2 and buf[p - 2 : p] == ["-", "-"]:
                depth -= 1
                new = p + 1
                if depth == 0:
                    if process is not None:
                        old = process + len(_c_string(buf, process))
                        buf = buf[:old] + _c_string(buf, new) + ["\0"]
                        new = old
                    else:
                        process = new
            elif depth == 0:
                buf[p] = "\0"
                new = p
            else:
                new = p + 1
        kept = "" if process is None else "".join(_c_string(buf, process))
        nul = kept.find("\0")
        results.append((kept if nul < 0 else kept[:nul]).strip(BLANKS))
    return results


@FAST
@given(_TEXT)
def test_any_text_round_trips_and_loads(text: str) -> None:
    document = config.parse(text)
    assert document.dumps() == text
    result = document.config()
    assert isinstance(result.loaded, bool)


@FAST
@given(st.binary(max_size=400))
def test_any_bytes_round_trip_and_load(data: bytes) -> None:
    document = config.parse(data)
    assert document.dumps() == data
    document.config()


@FAST
@given(_TEXT)
def test_lexer_agrees_with_the_c_loop(text: str) -> None:
    document = config.parse(text)
    physical = text.split("\n")
    if physical and physical[-1] == "":
        physical.pop()
    nodes = list(document.lines())
    assert len(nodes) == len(physical)
    if any(n.kind == "LONG" for n in nodes):
        return
    bodies = [line.removeprefix("\ufeff") if i == 0 else line for i, line in enumerate(physical)]
    assert [n.effective for n in nodes] == _reference_effective(bodies)


@FAST
@given(_TEXT)
def test_every_piece_is_a_slice_of_the_line(text: str) -> None:
    for node in config.parse(text).lines():
        assert node.raw.startswith(node.text)
        assert node.text.startswith(node.indent)
        assert node.text.endswith(node.comment)
        if isinstance(node, config.Assignment):
            start, end = node.value_span()
            assert node.text[start:end] == node.raw_value
            head = node.indent + node.raw_name + node.before_operator + node.raw_operator
            assert node.text.startswith(head + node.after_operator + node.raw_value) or (
                node.raw_value == "" and node.text.startswith(head)
            )


# -- generated configurations, built from the grammar's constructs --------------------------

_NAME = st.text(st.sampled_from(list("abcxyz019_-. ")), min_size=1, max_size=8).map(
    lambda s: s.strip() or "n"
)
_VALUE = st.text(st.sampled_from(list("abc019,()$={}>/ ;\\-")), max_size=12)
_SPACE = st.sampled_from(["", " ", "  ", "\t"])
_NEWLINE = st.sampled_from(["\n", "\r\n"])
_COMMENT = st.sampled_from(["", " ; note", ";c", " ;-- inline --; ", " ;---"])


@st.composite
def _header(draw: st.DrawFn) -> str:
    name = draw(_NAME)
    options = draw(
        st.lists(st.sampled_from(["!", "+", "t", "base", "", "+type=x", "+TEMPLATES=include"]),
                 max_size=3)
    )
    suffix = f"({','.join(options)})" if draw(st.booleans()) else ""
    return f"{draw(_SPACE)}[{name}]{suffix}{draw(_COMMENT)}"


@st.composite
def _assignment(draw: st.DrawFn) -> str:
    operator = draw(st.sampled_from(["=", "=>", "+=", "==", "=>>"]))
    escape = draw(st.sampled_from(["", "", "\\#", "\\["]))
    return (
        f"{draw(_SPACE)}{escape}{draw(_NAME)}{draw(_SPACE)}{operator}{draw(_SPACE)}"
        f"{draw(_VALUE)}{draw(_COMMENT)}"
    )


_LINE = st.one_of(
    _header(),
    _assignment(),
    _assignment(),
    st.sampled_from(
        ["", "   ", "; comment", ";--", "--;", ";-- one line --;", "#include x.conf",
         "#tryinclude <y.conf>", "#exec cmd", "#bogus", "no equals", "[broken", "[a](b"]
    ),
)


@st.composite
def _config(draw: st.DrawFn) -> str:
    lines = draw(st.lists(_LINE, max_size=25))
    newlines = [draw(_NEWLINE) for _ in lines]
    text = "".join(line + nl for line, nl in zip(lines, newlines, strict=True))
    if text and draw(st.booleans()):
        text = text.rstrip("\r\n")
    return text


@FAST
@given(_config())
def test_generated_configs_round_trip_and_load(text: str) -> None:
    document = config.parse(text)
    assert document.dumps() == text
    assert document.dumps().encode() == config.parse(text.encode()).dumps()
    document.config()


@FAST
@given(_config(), _NAME, _VALUE.map(lambda v: v.strip(BLANKS).replace("\\;", ";")))
def test_set_then_read_back(text: str, name: str, value: str) -> None:
    document = config.parse(text)
    before = document.config()
    if not before.loaded or not document.sections:
        return
    section = document.sections[-1]
    try:
        section[name] = value
    except config.ConfigEditError:
        assert document.dumps() == text
        return
    assert section[name] == value
    reparsed = config.parse(document.dumps())
    assert reparsed.dumps() == document.dumps()


@pytest.mark.slow
@LONG
@given(st.one_of(_TEXT, _config()))
def test_long_fuzz(text: str) -> None:
    document = config.parse(text)
    assert document.dumps() == text
    document.config()

"""Config over AMI: GetConfig answers become pyst.config.Config (checked against Asterisk's
own parse and against pyst.config reading the same file, bytes that are not UTF-8 included),
GetConfigJSON answers parse leniently.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pyst.config
from pyst.config import Config
from pyst.config import read as read_config
from pyst.manager import (
    ActionError,
    Decoder,
    GetConfig,
    ManagerClient,
    ManagerError,
    Response,
    config_from_response,
)
from pyst.manager._messages import Headers
from pyst.manager.testing import FakeAMIServer, Reply

from .conftest import DATA, decode_all, server_bytes

ORACLES = sorted((DATA / "getconfig").glob("*.json"))


def response_of(raw: str | bytes) -> Response:
    data = raw.encode() if isinstance(raw, str) else raw
    [message] = Decoder(greeting=False).feed(data)
    assert isinstance(message, Response)
    return message


@pytest.mark.parametrize("path", ORACLES, ids=[p.stem for p in ORACLES])
@pytest.mark.parametrize("variant", ["getconfig", "getconfig_templates"])
def test_getconfig_answer_gives_the_categories_asterisk_reported(path: Path, variant: str) -> None:
    record: dict[str, Any] = json.loads(path.read_text())[variant]
    response = response_of(record["response_raw"])
    if not record["ok"] and record["error"] != "Config file has invalid format":
        with pytest.raises(ActionError):
            config_from_response(response, "x.conf")
        return
    config = config_from_response(response, "x.conf")
    assert isinstance(config, Config) and config.file == "x.conf"
    assert config.loaded is record["ok"]
    expected = [
        (c["name"], c["is_template"], c["templates"], [tuple(line) for line in c["lines"]])
        for c in record["categories"]
    ]
    assert [(c.name, c.template, c.inherits, c.items()) for c in config] == expected


def test_inherited_variables_are_marked_when_templates_are_in_the_answer() -> None:
    record = json.loads((DATA / "getconfig" / "syntax_tour.conf.json").read_text())
    config = config_from_response(response_of(record["getconfig_templates"]["response_raw"]))
    child = config.category("child")
    assert child is not None
    assert [v.inherited for v in child.variables] == [True, True, False, False]
    # the template's copy first, then the override (get_all: independent of whether
    # pyst.config's Category.get returns the first or the last value)
    assert child.get_all("shared") == ["template value", "child override"]
    multi = config.category("multi")
    assert multi is not None and [v.inherited for v in multi.variables] == [True] * 3 + [False]
    assert config.names(templates=False) == [
        "general",
        "child",
        "multi",
        "dupcat",
        "dupcat",
        " spaced cat ",
    ]
    without = config_from_response(response_of(record["getconfig"]["response_raw"]))
    child = without.category("child")
    assert child is not None and not any(v.inherited for v in child.variables)


def test_no_categories_found_gives_an_empty_config() -> None:
    data = server_bytes("14f_getconfig_category_not_found")
    first = Decoder(greeting=False).feed(data)[0]
    assert isinstance(first, Response)
    config = GetConfig("extensions.conf", "nosuchcat").result(first)
    assert config.loaded and len(config) == 0


def test_invalid_format_is_not_loaded_and_other_errors_raise() -> None:
    [invalid, _] = Decoder().feed(server_bytes("14g_getconfig_invalid_file"))
    assert isinstance(invalid, Response)
    assert GetConfig("bad.conf").result(invalid) == Config(file="bad.conf", loaded=False)
    [missing] = Decoder().feed(server_bytes("14c_getconfig_missing_file"))
    assert isinstance(missing, Response)
    with pytest.raises(ActionError, match="Config file not found"):
        GetConfig("nope.conf").result(missing)


def test_templates_capture_round_trip() -> None:
    messages = Decoder().feed(server_bytes("16c_getconfig_templates_include"))
    with_templates = next(m for m in messages if isinstance(m, Response) and m.action_id == "gt-1")
    config = config_from_response(with_templates, "ami_update_test.conf")
    assert config.names() == ["existing", "newcat", "tmpl", "fromtmpl", "bangopt"]
    tmpl, fromtmpl = config.category("tmpl"), config.category("fromtmpl")
    assert tmpl is not None and tmpl.template
    assert fromtmpl is not None and fromtmpl.inherits == ["tmpl"] and not fromtmpl.template
    newcat = config.category("newcat")
    assert newcat is not None and newcat.get_all("key1") == ["value one", "second value"]


def test_getconfigjson_keeps_duplicate_keys_in_order() -> None:
    from pyst.manager import GetConfigJSON

    messages = Decoder().feed(server_bytes("16c_getconfig_templates_include"))
    answer = next(m for m in messages if isinstance(m, Response) and m.action_id == "gt-2")
    assert GetConfigJSON.categories(answer) == [
        ("existing", [("foo", "100")]),
        ("newcat", [("key1", "value one"), ("key1", "second value")]),
        ("tmpl", [("istemplate", 1)]),
        ("fromtmpl", [("templates", "tmpl"), ("own", "x")]),
        ("bangopt", []),
    ]
    [_, empty] = Decoder().feed(server_bytes("14f_getconfig_category_not_found"))
    assert isinstance(empty, Response) and GetConfigJSON.categories(empty) == []


def _ami_answer(config: Config) -> Response:
    """What manager.c action_getconfig (TEMPLATES=include) prints for ``config``."""
    lines = ["Response: Success", "ActionID: g"]
    for number, category in enumerate(config):
        lines.append(f"Category-{number:06d}: {category.name}")
        if category.template:
            lines.append(f"IsTemplate-{number:06d}: 1")
        if category.inherits:
            lines.append(f"Templates-{number:06d}: {','.join(category.inherits)}")
        for index, variable in enumerate(category.variables):
            lines.append(f"Line-{number:06d}-{index:06d}: {variable.name}={variable.value}")
    return response_of("\r\n".join(lines) + "\r\n\r\n")


_SECTIONS = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c", "d"]),
        # not "+,b": copies added after a category's own variables are not at its head
        st.sampled_from(["", "!", "+", "a", "b", "a,b", "b,a", "!,a", "a,a"]),
        st.integers(0, 3),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(_SECTIONS)
def test_inherited_marking_matches_pyst_config(sections: list[tuple[str, str, int]]) -> None:
    # every written line has its own value, so a child's own variable never equals a
    # parent's (the one case AMI cannot tell apart); parents may grow later through (+)
    counter = itertools.count()
    text = "".join(
        f"[{name}]"
        + (f"({options})" if options else "")
        + "\n"
        + "".join(f"v{next(counter) % 2}=x{next(counter)}\n" for _ in range(count))
        for name, options, count in sections
    )
    from_file = pyst.config.parse(text).config()
    if not from_file.loaded:
        return
    over_ami = config_from_response(_ami_answer(from_file))
    assert [[v.inherited for v in c.variables] for c in over_ami] == [
        [v.inherited for v in c.variables] for c in from_file
    ], text


def test_no_categories_found_bare_line_gives_empty_loaded_config() -> None:
    [response, _] = decode_all([server_bytes("14f_getconfig_category_not_found")], greeting=False)
    assert isinstance(response, Response)
    assert response.lines == ["No categories found"]
    config = config_from_response(response, "extensions.conf")
    assert config.loaded and list(config.categories) == []


def _getconfig(body: bytes) -> Response:
    [response] = decode_all(
        [b"Response: Success\r\nActionID: g\r\n" + body + b"\r\n"], greeting=False
    )
    assert isinstance(response, Response)
    return response


def test_getconfig_templates_duplicates_and_equals_in_values() -> None:
    response = _getconfig(
        b"Category-000000: tmpl\r\nIsTemplate-000000: 1\r\nLine-000000-000000: a=1\r\n"
        b"Category-000001: dup\r\nLine-000001-000000: x=y=z\r\n"
        b"Category-000002: dup\r\nLine-000002-000000: x=\r\n"
        b"Category-000003: c\r\nTemplates-000003: tmpl\r\nLine-000003-000000: a=1\r\n"
        b"Line-000003-000001: a=2\r\nCategory-000004: a:b\r\n"
    )
    config = config_from_response(response)
    cats = list(config.categories)
    assert [c.name for c in cats] == ["tmpl", "dup", "dup", "c", "a:b"]
    assert cats[0].template and not cats[1].template
    assert [(v.name, v.value) for v in cats[1].variables] == [("x", "y=z")]
    assert [(v.name, v.value) for v in cats[2].variables] == [("x", "")]
    assert cats[3].inherits == ["tmpl"]
    assert [(v.value, v.inherited) for v in cats[3].variables] == [("1", True), ("2", False)]


def test_getconfig_invalid_format_and_other_errors() -> None:
    bad = decode_all(
        [b"Response: Error\r\nActionID: g\r\nMessage: Config file has invalid format\r\n\r\n"],
        greeting=False,
    )[0]
    assert config_from_response(bad).loaded is False  # type: ignore[arg-type]
    missing = decode_all(
        [b"Response: Error\r\nActionID: g\r\nMessage: Config file not found\r\n\r\n"],
        greeting=False,
    )[0]
    with pytest.raises(ActionError):
        config_from_response(missing)  # type: ignore[arg-type]


def test_inherited_marking_survives_parent_extended_later(tmp_path: Path) -> None:
    import pyst.config

    conf = tmp_path / "y.conf"
    conf.write_text("[b]\na=1\n[c](b)\nc=3\n[b](+)\nx=2\n")
    from_file = pyst.config.read(conf)
    expected = [(v.name, v.value, v.inherited) for v in from_file.category("c").variables]  # type: ignore[union-attr]
    assert expected == [("a", "1", True), ("c", "3", False)]
    # what manager.c action_getconfig prints for that file
    response = _getconfig(
        b"Category-000000: b\r\nLine-000000-000000: a=1\r\nLine-000000-000001: x=2\r\n"
        b"Category-000001: c\r\nTemplates-000001: b\r\nLine-000001-000000: a=1\r\n"
        b"Line-000001-000001: c=3\r\n"
    )
    child = config_from_response(response).category("c")
    assert child is not None
    assert [(v.name, v.value, v.inherited) for v in child.variables] == expected


def test_getconfigjson_accepts_raw_control_characters_from_asterisk() -> None:
    import json

    from pyst.manager import GetConfigJSON

    record = json.loads((DATA / "getconfig" / "syntax_tour2.conf.json").read_text())
    raw = record["getconfigjson"]["response_raw"].encode()
    [response] = decode_all([raw], greeting=False)
    categories = dict(GetConfigJSON.categories(response))  # type: ignore[arg-type]
    assert ("tab", "tabbed\tvalue") in categories["general"]


@pytest.mark.parametrize("payload", [b"[1,2]", b"7", b"null", b'"ab"'])
def test_getconfigjson_non_object_raises_library_error(payload: bytes) -> None:
    from pyst.manager import GetConfigJSON

    [response] = decode_all(
        [b"Response: Success\r\nActionID: 1\r\nJSON: " + payload + b"\r\n\r\n"], greeting=False
    )
    with contextlib.suppress(ManagerError):
        GetConfigJSON.categories(response)  # type: ignore[arg-type]


_CAT_NAMES = st.sampled_from(["a", "b", "c", "T"])


_CAT_VARS = st.lists(
    st.tuples(st.sampled_from(["x", "y"]), st.sampled_from(["1", "2"])), max_size=3
)


_CATS = st.lists(
    st.tuples(_CAT_NAMES, st.booleans(), st.lists(st.integers(0, 10), max_size=2), _CAT_VARS),
    min_size=1,
    max_size=5,
)


def _render_conf(cats: list[tuple[str, bool, list[int], list[tuple[str, str]]]]) -> str:
    lines: list[str] = []
    seen: list[str] = []
    for name, template, parents, variables in cats:
        inherits = [seen[i % len(seen)] for i in parents] if seen else []
        options = (["!"] if template else []) + inherits
        lines.append(f"[{name}]" + (f"({','.join(options)})" if options else ""))
        lines.extend(f"{k} = {v}" for k, v in variables)
        seen.append(name)
    return "\n".join(lines) + "\n"


def _as_getconfig_answer(config: Config) -> Response:
    """What manager.c action_getconfig prints for ``config`` (TEMPLATES=include)."""
    headers = [("Response", "Success"), ("ActionID", "g1")]
    for i, category in enumerate(config.categories):
        headers.append((f"Category-{i:06d}", category.name))
        if category.template:
            headers.append((f"IsTemplate-{i:06d}", "1"))
        if category.inherits:
            headers.append((f"Templates-{i:06d}", ",".join(category.inherits)))
        for j, variable in enumerate(category.variables):
            headers.append((f"Line-{i:06d}-{j:06d}", f"{variable.name}={variable.value}"))
    return Response(Headers(headers))


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(_CATS)
def test_getconfig_inherited_marks_agree_with_pyst_config(
    cats: list[tuple[str, bool, list[int], list[tuple[str, str]]]],
) -> None:
    """Without (+) extensions nothing is ambiguous: the AMI view must mark exactly the
    variables pyst.config marks inherited for the same file."""
    text = _render_conf(cats)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "x.conf")
        with open(path, "w") as handle:
            handle.write(text)
        expected = read_config(path)
    if not expected.loaded:
        return
    got = config_from_response(_as_getconfig_answer(expected), "x.conf")
    assert [
        [(v.name, v.value, v.inherited) for v in c.variables] for c in got.categories
    ] == [[(v.name, v.value, v.inherited) for v in c.variables] for c in expected.categories]
    assert [(c.name, c.template, c.inherits) for c in got.categories] == [
        (c.name, c.template, c.inherits) for c in expected.categories
    ]


LATIN1_FILE = b"[c]\nbody=f\xe5tt\nname=J\xc3\xb6rg\n[d](c)\nx=\xff\n"
# what manager.c action_getconfig sends for LATIN1_FILE: the bytes as they are in the file
LATIN1_ANSWER = (
    b"Category-000000: c\r\nLine-000000-000000: body=f\xe5tt\r\n"
    b"Line-000000-000001: name=J\xc3\xb6rg\r\n"
    b"Category-000001: d\r\nTemplates-000001: c\r\nLine-000001-000000: body=f\xe5tt\r\n"
    b"Line-000001-000001: name=J\xc3\xb6rg\r\nLine-000001-000002: x=\xff\r\n"
)


def _view(config: pyst.config.Config) -> list[object]:
    return [
        (c.name, c.inherits, [(v.name, v.value, v.inherited) for v in c.variables])
        for c in config.categories
    ]


def test_getconfig_view_of_bytes_that_are_not_utf8_equals_pyst_config_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "latin1.conf"
    path.write_bytes(LATIN1_FILE)
    expected = pyst.config.read(path)
    raw = b"Response: Success\r\nActionID: g\r\n" + LATIN1_ANSWER + b"\r\n"
    for stream in (raw, raw.replace(b"\r\n", b"\n")):
        [response] = Decoder(greeting=False).feed(stream)
        got = config_from_response(response, "latin1.conf")  # type: ignore[arg-type]
        assert _view(got) == _view(expected)
        assert got.categories[0].variables[0].value == "f\udce5tt"


def test_getconfig_over_the_wire_keeps_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.conf"
    path.write_bytes(LATIN1_FILE)
    with FakeAMIServer(username="u", secret="p") as server:

        def answer(action: object, session: object) -> Reply:
            action_id = (action.get("ActionID") or "").encode()  # type: ignore[attr-defined]
            return Reply(
                raw=b"Response: Success\r\nActionID: "
                + action_id
                + b"\r\n"
                + LATIN1_ANSWER
                + b"\r\n"
            )

        server.on("GetConfig", answer)
        with ManagerClient(*server.address, username="u", secret="p", timeout=5) as ami:
            got = ami.send(GetConfig("latin1.conf"))
    assert _view(got) == _view(pyst.config.read(path))

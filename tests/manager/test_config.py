"""GetConfig answers become pyst.config.Config; checked against Asterisk's own parse."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pyst.config
from pyst.config import Config
from pyst.manager import ActionError, GetConfig, Response, config_from_response
from pyst.manager._protocol import Decoder

from .conftest import DATA, server_bytes

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

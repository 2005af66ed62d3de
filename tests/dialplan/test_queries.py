"""Queries on Asterisk's view: contexts, extensions, priorities, includes, jumps, matching."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyst.dialplan import HINT, Dialplan, Target, load_dialplan, parse_line, split_args

TEXT = """\
[globals]
TRUNK=PJSIP/trunk

[default]
include => internal
include => outside,09:00-17:00,mon-fri,*,*
exten => s,1,Answer()
 same => n(menu),Background(menu)
 same => n,Goto(internal,100,1)
exten => 100,hint,PJSIP/100
exten => _9NXX/_2XX,1,Gosub(sub,s,1(arg))

[internal]
exten => 100,1,Dial(PJSIP/100)
exten => _1XX,1,GotoIf($[1=1]?default,s,menu:nowhere,1,1)
exten => 555-1234,1,NoOp(dashes)

[outside]
include => internal
exten => _X.,1,Dial(${TRUNK}/${EXTEN})

[sub]
exten => s,1,Return()
"""


@pytest.fixture
def dialplan(tmp_path: Path) -> Dialplan:
    conf = tmp_path / "extensions.conf"
    conf.write_text(TEXT)
    return load_dialplan(conf)


def test_contexts_and_extensions(dialplan: Dialplan) -> None:
    assert dialplan.names() == ["default", "internal", "outside", "sub"]
    assert "globals" not in dialplan and dialplan.globals == {"TRUNK": "PJSIP/trunk"}
    default = dialplan["default"]
    assert [e.name for e in default] == ["100", "s", "_9NXX"]
    assert default.extension("_9NXX", "_2XX") is not None
    s = default.extension("s")
    assert s is not None
    assert [(p.number, p.label, p.app, p.line) for p in s.priorities] == [
        (1, None, "Answer", 7), (2, "menu", "Background", 8), (3, None, "Goto", 9)]
    hint = default.extension("100")
    assert hint is not None and hint.hint is not None and hint.hint.number == HINT
    assert [(i.context, i.timing) for i in default.includes] == [
        ("internal", None), ("outside", "09:00-17:00,mon-fri,*,*")]


def test_includes_reach_transitively(dialplan: Dialplan) -> None:
    assert dialplan.reachable("default") == ["internal", "outside"]
    assert dialplan.reachable("outside") == ["internal"]
    assert dialplan.reachable("sub") == []


def test_match_follows_pattern_rules_and_includes(dialplan: Dialplan) -> None:
    assert [(c.name, e.name) for c, e in dialplan.match("default", "100")] == [
        ("default", "100"), ("internal", "100"), ("internal", "_1XX"), ("outside", "_X.")]
    assert [e.name for _, e in dialplan.match("internal", "5551234")] == ["555-1234"]
    assert [e.name for _, e in dialplan.match("default", "9234")] == ["_X."]
    assert [e.name for _, e in dialplan.match("default", "9234", callerid="250")][:1] == [
        "_9NXX"]


def test_jump_targets(dialplan: Dialplan) -> None:
    jumps = {(c.name, e.name, p.number): t for c, e, p, t in dialplan.jumps()}
    assert jumps[("default", "s", 3)] == Target("Goto", "internal", "100", "1")
    assert dialplan.resolve(jumps[("default", "s", 3)], "default", "s") is not None
    gosub = jumps[("default", "_9NXX", 1)]
    assert (gosub.context, gosub.extension, gosub.priority) == ("sub", "s", "1")
    both = [t for c, e, p, t in dialplan.jumps() if e.name == "_1XX"]
    assert [(t.context, t.extension, t.priority) for t in both] == [
        ("default", "s", "menu"), ("nowhere", "1", "1")]
    assert dialplan.resolve(both[0], "internal", "_1XX") is not None
    assert dialplan.resolve(both[1], "internal", "_1XX") is None
    assert not Target("Goto", None, "${EXTEN}", "1").literal


def test_locate_by_label_and_number(dialplan: Dialplan) -> None:
    found = dialplan.locate("default", "s", "menu")
    assert found is not None and found.number == 2
    assert dialplan.locate("default", "s", 9) is None
    assert dialplan.locate("default", "123", 1) is not None  # outside's _X.


def test_line_model_splits_like_pbx_config() -> None:
    line = parse_line("c", "exten", "_[a-c\\,]X/200,n(lbl),Dial(SIP/a,20) ", "f", 3)
    assert (line.kind, line.extension, line.cid, line.priority, line.label) == (
        "exten", "_[a-c\\,]X", "200", "n", "lbl")
    assert (line.app, line.data, line.args) == ("Dial", "SIP/a,20", ("SIP/a", "20"))
    same = parse_line("c", "sameish", "2,NoOp(a(b,c),d)", "f", 4)
    assert (same.kind, same.extension, same.args) == ("same", None, ("a(b,c)", "d"))
    assert parse_line("c", "foo", "x", "f", 1).kind == "unknown"
    assert split_args('"a,b",c\\,d,[e,f]') == ['"a,b"', "c\\,d", "[e,f]"]
    assert split_args("") == []


def test_context_lines_keep_file_and_line(tmp_path: Path) -> None:
    from pyst import config
    from pyst.dialplan import context_lines

    conf = tmp_path / "extensions.conf"
    conf.write_text(TEXT)
    lines = context_lines(config.read(conf))
    assert [(line.context, line.kind, line.line) for line in lines[:3]] == [
        ("default", "include", 5), ("default", "include", 6), ("default", "exten", 7)]
    assert lines[3].kind == "same" and lines[3].label == "menu"
    assert all(line.file == str(conf) for line in lines)

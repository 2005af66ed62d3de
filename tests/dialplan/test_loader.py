"""pbx_config's load: behaviours pinned down by the recordings, and any input loads."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pyst import config
from pyst.dialplan import HINT, build, check, load_dialplan, show_bytes


def _load(tmp_path: Path, text: str) -> list[tuple[str, int, str]]:
    conf = tmp_path / "extensions.conf"
    conf.write_text(text)
    plan = load_dialplan(conf)
    return [(e.name, p.number, p.app + "(" + p.data + ")")
            for c in plan for e in c for p in e.priorities]


def test_next_continues_from_the_previous_line_of_the_context(tmp_path: Path) -> None:
    assert _load(tmp_path, "[c]\nexten => 100,2,A\nexten => 200,n,B\nexten => 300,0,C\n"
                 "exten => 300,n,D\n") == [
        ("100", 2, "A()"), ("200", 3, "B()"), ("300", 4, "D()")]


def test_hint_plus_one_is_priority_zero(tmp_path: Path) -> None:
    assert _load(tmp_path, "[c]\nexten => 1,hint,SIP/1\nexten => 1,hint+1,SIP/2\n") == [
        ("1", HINT, "SIP/1()"), ("1", 0, "SIP/2()")]


def test_labels_and_plus(tmp_path: Path) -> None:
    assert _load(tmp_path, "[c]\nexten => s,1(start),A\nexten => s,start+2,B\n"
                 "exten => s,1abc,C\n") == [("s", 1, "A()"), ("s", 3, "B()")]


def test_globals_substitute_in_names_and_expressions(tmp_path: Path) -> None:
    names = {name for name, _, _ in _load(
        tmp_path, "[globals]\nA=abc\nB=${A}x\n[c]\nexten => ${B},1,N\nexten => $[1+2],1,N\n"
        "exten => ${A:1},1,N\n")}
    assert names == {"abcx", "3", "bc"}


def test_application_split(tmp_path: Path) -> None:
    assert [app for _, _, app in _load(
        tmp_path, "[c]\nexten => 1,1,NoOp(x)y)\nexten => 2,1,NoOp(x)junk\n"
        "exten => 3,1,${APP}(z)\nexten => 4,1,NoOp (sp)\nexten => 5,1,Set(a=b\\;c)\n")] == [
        "NoOp(x)y)", "NoOp(x)", "${APP}(z)()", "NoOp (sp)", "Set(a=b;c)"]


def test_refused_file_has_no_contexts(tmp_path: Path) -> None:
    conf = tmp_path / "extensions.conf"
    conf.write_text("[a](+)\nexten => 1,1,N\n")
    plan = load_dialplan(conf)
    assert not plan.loaded and plan.contexts == []
    assert plan.diagnostics and plan.diagnostics[0].code == "category-addition-missing"


_PIECES = st.sampled_from([
    "[", "]", "(", ")", ",", "|", "/", "\\", "${", "$[", "}", "n", "s", "hint", "+", "-",
    "_", "X", "N", ".", "!", " ", "a", "1", "0", ";", "Goto", "ctx", '"', ":", "?",
    "2147483648", "\u00e9",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["exten", "same", "include", "switch", "ignorepat",
                                            "lswitch", "bogus"]),
                          st.lists(_PIECES, max_size=14).map("".join)), max_size=12))
def test_any_input_loads_shows_and_checks(lines: list[tuple[str, str]]) -> None:
    text = "[ctx]\n" + "".join(f"{key} => {value}\n" for key, value in lines)
    plan = build(config.parse(text, path="/nonexistent/extensions.conf").config(),
                 users=False)
    assert show_bytes(plan).endswith(b" =-\n")
    check(plan)
    assert all(d.line >= 1 for d in plan.diagnostics if d.code.startswith("DP"))


def test_builtin_variables_come_before_globals(tmp_path: Path) -> None:
    conf = tmp_path / "extensions.conf"
    conf.write_text("[globals]\nASTETCDIR=mine\nA=${ASTETCDIR}/x\nB=${EPOCH}\n"
                    "[c]\nexten => 1,1,NoOp\n")
    values = load_dialplan(conf).globals
    assert values["A"] == "/etc/asterisk/x"
    assert values["ASTETCDIR"] == "mine"
    assert values["B"].isdigit()

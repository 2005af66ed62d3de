"""The checks beyond Asterisk's log (DP2xx) and the lint entry point."""

from __future__ import annotations

from pathlib import Path

from pyst import config
from pyst.dialplan import lint


def _codes(tmp_path: Path, text: str, **kwargs: object) -> list[tuple[str, int]]:
    conf = tmp_path / "extensions.conf"
    conf.write_text(text)
    return [(d.code, d.line) for d in lint(conf, **kwargs)  # type: ignore[arg-type]
            if d.code.startswith("DP2")]


def test_priority_order_gap_and_missing_first(tmp_path: Path) -> None:
    found = _codes(tmp_path, "[default]\nexten => 1,2,NoOp\nexten => 1,1,NoOp\n"
                   "exten => 2,1,NoOp\nexten => 2,3,NoOp\nexten => 3,2,NoOp\n"
                   "exten => 4,5(entry),NoOp\nexten => 5,hint,PJSIP/5\n")
    assert ("DP201", 3) in found
    assert ("DP202", 5) in found
    assert ("DP204", 6) in found
    assert not any(line in (7, 8) for _, line in found)


def test_dangling_jump_targets(tmp_path: Path) -> None:
    found = _codes(tmp_path, "[default]\nexten => s,1,Goto(nowhere,s,1)\n"
                   " same => n,Goto(s,nolabel)\n same => n(ok),Gosub(sub,s,1(x))\n"
                   " same => n,GotoIf($[1]?ok:99)\n same => n,Goto(${X},1)\n"
                   " same => n,Goto(sub,t,1)\n"
                   "[sub]\nexten => s,1,Return()\n")
    assert [c for c in found if c[0] == "DP203"] == [
        ("DP203", 2), ("DP203", 3), ("DP203", 5), ("DP203", 7)]


def test_unreachable_contexts_and_entry_points(tmp_path: Path) -> None:
    text = ("[default]\ninclude => a\n[a]\nexten => 1,1,Goto(b,1,1)\n[b]\nexten => 1,1,NoOp\n"
            "[island]\nexten => 1,1,NoOp\n[from-trunk]\nexten => 1,1,NoOp\n")
    assert [c for c in _codes(tmp_path, text) if c[0] == "DP205"] == [
        ("DP205", 7), ("DP205", 9)]
    (tmp_path / "pjsip.conf").write_text("[trunk]\ntype=endpoint\ncontext=from-trunk\n")
    assert [c for c in _codes(tmp_path, text) if c[0] == "DP205"] == [("DP205", 7)]
    assert [c for c in _codes(tmp_path, text, entry_points=["island"])
            if c[0] == "DP205"] == [("DP205", n) for n in (1, 3, 5, 9)]


def test_applications_functions_and_arguments(tmp_path: Path) -> None:
    text = ("[default]\nexten => 1,1,NoSuchApp(x)\n same => n,Set(A=${NOSUCHFUNC(1)})\n"
            " same => n,Answer(1,2,3)\n same => n,Goto()\n same => n,Dial(PJSIP/1,30,tT,u)\n"
            " same => n,Set(B=${LEN(abc)})\n same => n,VoiceMailMain()\n"
            " same => n,${APP}(x)\n")
    found = _codes(tmp_path, text)
    assert ("DP206", 2) in found
    assert ("DP207", 3) in found
    assert ("DP208", 4) in found
    assert ("DP209", 5) in found
    assert not any(line in (6, 7, 8, 9) for _, line in found)


def test_version_choice_changes_known_names(tmp_path: Path) -> None:
    text = "[default]\nexten => 1,1,Answer()\n"
    assert _codes(tmp_path, text, asterisk="master") == []
    conf = tmp_path / "extensions.conf"
    try:
        lint(conf, asterisk="1.2")
    except ValueError as error:
        assert "1.2" in str(error)
    else:  # pragma: no cover - must raise
        raise AssertionError("unknown version accepted")


def test_lint_takes_a_document(tmp_path: Path) -> None:
    document = config.parse("[default]\nexten => 1,0,NoOp\n", path=str(tmp_path / "e.conf"))
    assert [d.code for d in lint(document)] == ["DP106"]

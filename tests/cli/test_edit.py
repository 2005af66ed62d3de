"""pyst-config set / unset / add-section / remove-section against copies of the samples.

Each test checks three things: the exit status and report, that every line the command
did not have to touch is byte-identical, and that Asterisk's reading changed exactly as
asked.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pyst.cli import _edit
from tests.cli import line_changes, reading, run, sample

SIP = "16.30.1/sip.conf.sample"
EXTENSIONS = "22.10.1/extensions.conf.sample"
ALIASES = "22.10.1/cli_aliases.conf.sample"
CODECS = "22.10.1/codecs.conf.sample"
CONTEXT_LINE = b"context=public                  ; Default context for incoming calls. Defaults "


def _variables(before: list, name: str, index: int = 0) -> list:
    return [c for c in before if c[0] == name][index][3]


def _replace(before: list, name: str, variables: list, index: int = 0) -> list:
    result = []
    seen = 0
    for category in before:
        if category[0] == name:
            if seen == index:
                category = (*category[:3], variables)
            seen += 1
        result.append(category)
    return result


# -- set -----------------------------------------------------------------------------
def test_set_changes_only_the_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sample(tmp_path, SIP)
    before, view = path.read_bytes(), reading(path)
    status, out, _ = run(capsys, "set", path, "general", "context", "internal")
    assert status == 0
    assert out == f"{path}: set [general] context = internal (was public)\n"
    removed, added = line_changes(before, path.read_bytes())
    assert len(removed) == 1 and removed[0].startswith(CONTEXT_LINE)
    assert added == [removed[0].replace(b"context=public", b"context=internal")]
    general = [
        (n, "internal" if n == "context" else v, o) for n, v, o in _variables(view, "general")
    ]
    assert reading(path) == _replace(view, "general", general)


@pytest.mark.parametrize(("crlf", "final_newline"), [(True, True), (False, False), (True, False)])
def test_set_adds_a_key_in_the_files_style(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], crlf: bool, final_newline: bool
) -> None:
    path = sample(tmp_path, CODECS, crlf=crlf, final_newline=final_newline)
    before, view = path.read_bytes(), reading(path)
    status, out, _ = run(capsys, "set", path, "silk24", "usedtx", "true")
    assert status == 0, out
    after = path.read_bytes()
    newline = b"\r\n" if crlf else b"\n"
    assert line_changes(before, after) == ([], [b"usedtx=true" + newline])
    assert after.endswith(newline) == final_newline
    assert b"\n" not in after.replace(b"\r\n", b"") if crlf else b"\r" not in after
    silk24 = [*_variables(view, "silk24"), ("usedtx", "true", False)]
    assert reading(path) == _replace(view, "silk24", silk24)


def test_set_the_value_asterisk_reads_already_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sample(tmp_path, ALIASES)
    before = path.read_bytes()
    # Inherited from [asterisk_1dot4_tpl]: Asterisk reads it already.
    status, out, _ = run(capsys, "set", path, "asterisk_1dot4", "stop now", "core stop now")
    assert (status, out) == (0, f"{path}: no changes\n")
    status, out, _ = run(capsys, "set", path, "general", "context", "nothing", "--check")
    assert status == 1
    assert path.read_bytes() == before


def test_set_overrides_an_inherited_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sample(tmp_path, ALIASES)
    before, view = path.read_bytes(), reading(path)
    status, _, _ = run(capsys, "set", path, "asterisk_1dot4", "stop now", "core stop gracefully")
    assert status == 0
    assert line_changes(before, path.read_bytes()) == ([], [b"stop now=core stop gracefully\n"])
    variables = [*_variables(view, "asterisk_1dot4"), ("stop now", "core stop gracefully", False)]
    assert reading(path) == _replace(view, "asterisk_1dot4", variables)
    status, out, _ = run(capsys, "get", path, "asterisk_1dot4", "stop now")
    assert (status, out) == (0, "core stop gracefully\n")


def test_set_add_with_operator_is_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sample(tmp_path, EXTENSIONS)
    before, view = path.read_bytes(), reading(path)
    args = ("set", path, "default", "exten", "100,1,Answer()", "--add", "--operator", "=>")
    status, out, _ = run(capsys, *args)
    assert (status, out) == (0, f"{path}: added [default] exten => 100,1,Answer()\n")
    removed, added = line_changes(before, path.read_bytes())
    assert removed == [] and added == [b"exten => 100,1,Answer()\n"]
    default = [*_variables(view, "default"), ("exten", "100,1,Answer()", True)]
    assert reading(path) == _replace(view, "default", default)
    once = path.read_bytes()
    assert run(capsys, *args)[:2] == (0, f"{path}: no changes\n")
    assert path.read_bytes() == once


def test_set_check_and_diff_change_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sample(tmp_path, SIP)
    before = path.read_bytes()
    status, out, _ = run(capsys, "set", path, "general", "context", "internal", "--check", "--diff")
    assert status == 1
    assert path.read_bytes() == before
    assert f"--- a/{path}\n+++ b/{path}\n" in out
    assert "\n-context=public " in out and "\n+context=internal" in out
    assert "\x1b[" not in out  # no colour off a terminal
    assert out.endswith(f"{path}: would change: set [general] context = internal (was public)\n")
    status, out, _ = run(capsys, "set", path, "general", "context", "internal", "-q")
    assert (status, out) == (0, "")
    assert path.read_bytes() != before


def test_diff_marks_a_missing_final_newline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sample(tmp_path, CODECS, final_newline=False)
    _, out, _ = run(capsys, "add-section", path, "last", "--diff", "--check")
    assert out.count("\\ No newline at end of file\n") == 2  # the old last line, the new one
    assert out.endswith("+[last]\n\\ No newline at end of file\n" + f"{path}: would change: "
                        "added [last]\n")


def test_diff_is_coloured_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    diff = _edit.unified_diff("f.conf", "a = 1\n", "a = 2\n")
    terminal = Terminal()
    monkeypatch.delenv("NO_COLOR", raising=False)
    _edit.write_diff(terminal, diff)
    assert "\x1b[31m-a = 1\x1b[0m\n" in terminal.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    plain = Terminal()
    _edit.write_diff(plain, diff)
    assert plain.getvalue() == diff


def _with_duplicate(tmp_path: Path) -> Path:
    path = sample(tmp_path, EXTENSIONS)
    path.write_bytes(path.read_bytes() + b"\n[default]\nexten => 200,1,Hangup()\n")
    return path


def test_duplicate_sections_need_an_index_or_match(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _with_duplicate(tmp_path)
    before, view = path.read_bytes(), reading(path)
    status, _, err = run(capsys, "set", path, "default", "foo", "bar")
    assert status == 2
    assert f"{path}:667: [default] is defined 2 times" in err and "(try --match" in err
    assert path.read_bytes() == before
    status, _, _ = run(capsys, "set", path, "default[2]", "foo", "bar")
    assert status == 0
    assert line_changes(before, path.read_bytes()) == ([], [b"foo = bar\n"])
    second = [*_variables(view, "default", 1), ("foo", "bar", False)]
    assert reading(path) == _replace(view, "default", second, index=1)
    status, _, _ = run(capsys, "set", path, "default", "--index", "1", "foo", "baz")
    assert status == 0
    status, _, _ = run(capsys, "unset", path, "default", "foo", "--match", "exten=200,1,Hangup()")
    assert status == 0
    first = [*_variables(view, "default"), ("foo", "baz", False)]
    assert reading(path) == _replace(view, "default", first)
    status, _, err = run(capsys, "set", path, "default", "--match", "exten=nothing", "a", "b")
    assert status == 2 and "check --match" in err
    status, _, err = run(capsys, "set", path, "default[3]", "a", "b")
    assert status == 2 and "no number 3" in err


def test_set_errors_and_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sample(tmp_path, EXTENSIONS)
    before = path.read_bytes()
    status, _, err = run(capsys, "set", path, "nowhere", "a", "b")
    assert status == 2 and "no section [nowhere]" in err
    status, _, err = run(capsys, "set", path, "general", "static", "yes\nno")
    assert status == 3 and "refused" in err
    status, _, err = run(capsys, "set", path, "default", "include", "x", "--operator", "=")
    assert status == 3 and "'=>'" in err
    status, _, err = run(capsys, "set", tmp_path / "missing.conf", "general", "a", "b")
    assert status == 2 and "cannot read" in err
    assert path.read_bytes() == before


# -- unset ---------------------------------------------------------------------------
def test_unset_removes_the_key_and_its_comments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sample(tmp_path, ALIASES, crlf=True)
    before, view = path.read_bytes(), reading(path)
    status, out, _ = run(capsys, "unset", path, "asterisk_1dot4_tpl", "stop now")
    assert (status, out) == (0, f"{path}: removed [asterisk_1dot4_tpl] stop now (1 line)\n")
    assert line_changes(before, path.read_bytes()) == ([b"stop now=core stop now\r\n"], [])
    expected = [
        (*c[:3], [v for v in c[3] if v[0] != "stop now"])
        if c[0] in ("asterisk_1dot4_tpl", "asterisk_1dot4") else c
        for c in view
    ]
    assert reading(path) == expected
    again = path.read_bytes()
    assert run(capsys, "unset", path, "asterisk_1dot4_tpl", "stop now")[:2] == (
        0, f"{path}: no changes\n"
    )
    assert path.read_bytes() == again


def test_unset_one_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sample(tmp_path, EXTENSIONS, final_newline=False)
    before, view = path.read_bytes(), reading(path)
    [(name, value, _)] = [v for v in _variables(view, "ani") if v[0] == "exten"][-1:]
    status, _, _ = run(capsys, "unset", path, "ani", "exten", value, "--diff")
    assert status == 0
    removed, added = line_changes(before, path.read_bytes())
    assert added == [] and removed and value.encode() in removed[-1]
    assert not path.read_bytes().endswith(b"\n")
    variables = list(_variables(view, "ani"))
    variables.remove((name, value, True))
    assert reading(path) == _replace(view, "ani", variables)
    assert run(capsys, "unset", path, "ani", "exten", "no such value")[0] == 0
    assert reading(path) == _replace(view, "ani", variables)


# -- add-section -----------------------------------------------------------------------
def test_add_section_at_the_end_then_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sample(tmp_path, ALIASES)
    before, view = path.read_bytes(), reading(path)
    status, out, _ = run(capsys, "add-section", path, "mine", "--inherit", "asterisk_11_tpl")
    assert (status, out) == (0, f"{path}: added [mine](asterisk_11_tpl)\n")
    removed, added = line_changes(before, path.read_bytes())
    assert removed == [] and b"[mine](asterisk_11_tpl)\n" in added
    assert all(line.strip() in (b"", b"[mine](asterisk_11_tpl)") for line in added)
    tpl = next(c for c in view if c[0] == "asterisk_11_tpl")
    assert reading(path) == [*view, ("mine", False, ["asterisk_11_tpl"], tpl[3])]
    once = path.read_bytes()
    assert run(capsys, "add-section", path, "mine", "--inherit", "asterisk_11_tpl")[:2] == (
        0, f"{path}: no changes\n"
    )
    assert path.read_bytes() == once


def test_add_template_after_and_before(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sample(tmp_path, CODECS, crlf=True)
    view = reading(path)
    assert run(capsys, "add-section", path, "tpl", "--template", "--after", "plc")[0] == 0
    assert run(capsys, "add-section", path, "early", "--before", "plc")[0] == 0
    names = [(c[0], c[1], c[2]) for c in reading(path)]
    assert names[:4] == [
        ("speex", False, []), ("early", False, []), ("plc", False, []), ("tpl", True, []),
    ]
    assert [c for c in reading(path) if c[0] not in ("tpl", "early")] == view
    assert b"\r\n[tpl](!)\r\n" in path.read_bytes()
    assert b"\n" not in path.read_bytes().replace(b"\r\n", b"")


def test_add_section_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sample(tmp_path, CODECS)
    before = path.read_bytes()
    status, _, err = run(capsys, "add-section", path, "plc", "--template")
    assert status == 3 and "exists already" in err and "--duplicate" in err
    status, _, err = run(capsys, "add-section", path, "x", "--inherit", "nothere")
    assert status == 3 and "nothere" in err
    status, _, err = run(capsys, "add-section", path, "x", "--after", "nothere")
    assert status == 2 and "no such section" in err
    with pytest.raises(SystemExit) as exit_info:
        run(capsys, "add-section", path, "x", "--after", "a", "--before", "b")
    assert exit_info.value.code == 2
    assert path.read_bytes() == before
    assert run(capsys, "add-section", path, "plc", "--duplicate")[0] == 0
    assert [c[0] for c in reading(path)].count("plc") == 2


# -- remove-section --------------------------------------------------------------------
def test_remove_section(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sample(tmp_path, ALIASES, final_newline=False)
    before, view = path.read_bytes(), reading(path)
    status, out, _ = run(capsys, "remove-section", path, "asterisk_1dot4")
    assert (status, out) == (0, f"{path}: removed [asterisk_1dot4](asterisk_1dot4_tpl)\n")
    removed, added = line_changes(before, path.read_bytes())
    assert added == [] and removed[0] == b"[asterisk_1dot4](asterisk_1dot4_tpl)\n"
    assert reading(path) == [c for c in view if c[0] != "asterisk_1dot4"]
    assert not path.read_bytes().endswith(b"\n")
    once = path.read_bytes()
    assert run(capsys, "remove-section", path, "asterisk_1dot4")[:2] == (
        0, f"{path}: no changes\n"
    )
    assert path.read_bytes() == once


def test_remove_section_refused_when_inherited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sample(tmp_path, ALIASES)
    before = path.read_bytes()
    status, _, err = run(capsys, "remove-section", path, "asterisk_11_tpl", "--check")
    assert status == 3 and "refused" in err
    assert path.read_bytes() == before


def test_remove_section_by_index(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _with_duplicate(tmp_path)
    view = reading(path)
    status, _, _ = run(capsys, "remove-section", path, "default", "--index", "2", "--check")
    assert status == 1
    assert run(capsys, "remove-section", path, "default[2]")[0] == 0
    assert reading(path) == view[:-1]


# -- help and version ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "command",
    ["get", "set", "unset", "add-section", "remove-section", "rename-section", "comment",
     "uncomment", "apply", "graph"],
)
def test_every_command_has_help_with_examples(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(capsys, command, "--help")
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "examples:\n  pyst-config " + command in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(capsys, "--version")
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("pyst-config (pyst-pbx) ")


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(capsys, "set", "only-a-file")
    assert exit_info.value.code == 2


@pytest.mark.parametrize("asterisk", ["22", "23"])
def test_values_from_syntax_agree_with_pyst_config(asterisk: str) -> None:
    """``set`` decides "nothing to do" from the syntax where it can; it must agree with
    what pyst.config says Asterisk ends up with, on every sample and on inheritance
    chains, for the lookup rules before and after Asterisk 23."""
    from pyst import config
    from pyst.cli._target import Reading
    from tests.cli import CORPUS

    chain = config.parse(
        "[a](!)\nx = 1\ny = 1\ncontext = a\n[b](!,a)\ny = 2\ncontext = b\n[c](b)\nz = 3\n"
        "[d](a,b)\nx = 4\n[e](c)\n",
        path="chain.conf", asterisk=asterisk,
    )
    documents = [chain] + [
        config.load(path, asterisk=asterisk) for path in sorted(CORPUS.rglob("*.sample"))
    ]
    checked = by_syntax = 0
    for document in documents:
        reading = Reading(document)
        if not reading.simple or not reading.view.loaded:
            continue  # (a file Asterisk refuses has no value to agree on)
        keys = {key for section in document.sections for key in section.own}
        for section in document.sections:
            for key in sorted(keys)[:40]:
                assert reading.value(section, key) == section.get(key), (section, key)
                by_syntax += reading._value_from_syntax(section, key, depth=0) is not None
                checked += 1
    assert checked > 1000 and by_syntax > checked * 0.9
    assert Reading(chain).value(chain["c"], "context") == ("b" if asterisk == "23" else "a")


def test_check_and_quiet_on_every_editing_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _with_duplicate(tmp_path)
    before = path.read_bytes()
    for args in (
        ("unset", path, "default", "include", "--match", "include=demo"),
        ("add-section", path, "new", "--after", "default[1]"),
        ("remove-section", path, "default", "--match", "exten=200,1,Hangup()"),
        ("set", path, "general", "static", "no"),
    ):
        status, out, _ = run(capsys, *args, "--check")
        assert status == 1 and "would change" in out, args
        status, out, _ = run(capsys, *args, "--check", "-q")
        assert (status, out) == (1, ""), args
    assert path.read_bytes() == before
    view = reading(path)
    assert run(capsys, "remove-section", path, "default", "--match", "exten=200,1,Hangup()",
               "-q")[:2] == (0, "")
    assert reading(path) == view[:-1]


def test_a_section_of_an_included_file_is_edited_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main = tmp_path / "pjsip.conf"
    main.write_text("[global]\ntype = global\n#include users.conf\n")
    (tmp_path / "users.conf").write_text("; phones\n[6001]\nauth = 6001\n")
    status, _, err = run(capsys, "set", main, "6001", "auth", "x")
    assert status == 2
    assert f"{tmp_path / 'users.conf'}:2: [6001] is defined here" in err
    assert "edit that file instead" in err
    assert main.read_text() == "[global]\ntype = global\n#include users.conf\n"
    assert run(capsys, "set", tmp_path / "users.conf", "6001", "auth", "x")[0] == 0
    assert run(capsys, "get", main, "6001", "auth")[:2] == (0, "x\n")

"""pyst-config comment / uncomment / rename-section against copies of the samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import line_changes, reading, run, sample

SIP = "16.30.1/sip.conf.sample"
ALIASES = "22.10.1/cli_aliases.conf.sample"
GUEST = b";allowguest=no                  ; Allow or reject guest calls (default is yes)"
CONTEXT = b"context=public                  ; Default context for incoming calls. Defaults to"


def _general(view: list) -> list:
    return next(c for c in view if c[0] == "general")[3]


@pytest.mark.parametrize("crlf", [False, True])
def test_uncomment_gives_the_line_asterisk_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], crlf: bool
) -> None:
    path = sample(tmp_path, SIP, crlf=crlf)
    newline = b"\r\n" if crlf else b"\n"
    before, view = path.read_bytes(), reading(path)
    status, out, _ = run(capsys, "uncomment", path, "general", "allowguest")
    assert status == 0
    assert out.startswith(f"{path}: uncommented [general] allowguest=no")
    assert line_changes(before, path.read_bytes()) == ([GUEST + newline], [GUEST[1:] + newline])
    general = _general(view)
    expected = [general[0], ("allowguest", "no", False), *general[1:]]
    assert reading(path) == [(*c[:3], expected) if c[0] == "general" else c for c in view]
    once = path.read_bytes()
    assert run(capsys, "uncomment", path, "general", "allowguest", "no")[:2] == (
        0, f"{path}: no changes\n"
    )
    assert path.read_bytes() == once
    # Back again: comment gives the original file.
    status, _, _ = run(capsys, "comment", path, "general", "allowguest", "--diff")
    assert status == 0
    assert path.read_bytes() == before


def test_comment_out_one_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sample(tmp_path, SIP, final_newline=False)
    before, view = path.read_bytes(), reading(path)
    status, out, _ = run(capsys, "comment", path, "general", "context", "public")
    assert (status, out) == (0, f"{path}: commented out [general] context = public\n")
    removed, added = line_changes(before, path.read_bytes())
    assert len(removed) == 1 and removed[0].startswith(CONTEXT)
    assert added == [b";" + removed[0]]
    assert not path.read_bytes().endswith(b"\n")
    expected = [v for v in _general(view) if v[0] != "context"]
    assert reading(path) == [(*c[:3], expected) if c[0] == "general" else c for c in view]
    assert run(capsys, "comment", path, "general", "context")[:2] == (0, f"{path}: no changes\n")
    status, _, _ = run(capsys, "uncomment", path, "general", "context", "--check")
    assert status == 1


def test_uncomment_refusals_and_ambiguity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "phones.conf"
    path.write_bytes(
        b"[general]\n;allow=g729\n;allow=opus\n;-- a block\n;bindport=1\n--;\n"
        b"\n;[example]\n;host=dynamic\n"
    )
    before = path.read_bytes()
    status, _, err = run(capsys, "uncomment", path, "general", "allow")
    assert status == 2 and "g729, opus" in err and "say which VALUE" in err
    # Inside a block comment, or under a commented-out header: not this section's lines.
    status, _, err = run(capsys, "uncomment", path, "general", "bindport")
    assert status == 2 and "no commented-out bindport" in err
    status, _, err = run(capsys, "uncomment", path, "general", "host")
    assert status == 2 and "no commented-out host" in err
    assert path.read_bytes() == before
    assert run(capsys, "uncomment", path, "general", "allow", "opus")[0] == 0
    assert path.read_bytes() == before.replace(b";allow=opus", b"allow=opus")
    status, _, err = run(capsys, "uncomment", path, "nosuch", "allow")
    assert status == 2 and "no section" in err


def test_comment_refuses_a_line_that_would_open_a_block(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "odd.conf"
    path.write_bytes(b"[c]\n--x = 1\n")
    status, _, err = run(capsys, "comment", path, "c", "--", "--x")
    assert status == 3 and "block comment" in err
    assert path.read_bytes() == b"[c]\n--x = 1\n"


def test_rename_section(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sample(tmp_path, ALIASES, crlf=True)
    before, view = path.read_bytes(), reading(path)
    status, out, _ = run(capsys, "rename-section", path, "asterisk_11", "ast11")
    assert (status, out) == (0, f"{path}: renamed [asterisk_11] to [ast11]\n")
    assert line_changes(before, path.read_bytes()) == (
        [b"[asterisk_11](asterisk_11_tpl)\r\n"], [b"[ast11](asterisk_11_tpl)\r\n"]
    )
    assert reading(path) == [("ast11", *c[1:]) if c[0] == "asterisk_11" else c for c in view]
    assert run(capsys, "rename-section", path, "ast11", "ast11")[:2] == (
        0, f"{path}: no changes\n"
    )


def test_rename_a_template_needs_references(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sample(tmp_path, ALIASES)
    before, view = path.read_bytes(), reading(path)
    status, _, err = run(capsys, "rename-section", path, "asterisk_11_tpl", "tpl11")
    assert status == 3 and f"sections inherit from it ([asterisk_11] {path}:197)" in err
    assert "--references" in err
    assert path.read_bytes() == before
    status, out, err = run(
        capsys, "rename-section", path, "asterisk_11_tpl", "tpl11", "--references"
    )
    assert status == 0 and "1 reference renamed" in out, err
    assert line_changes(before, path.read_bytes()) == (
        [b"[asterisk_11_tpl](!)\n", b"[asterisk_11](asterisk_11_tpl)\n"],
        [b"[tpl11](!)\n", b"[asterisk_11](tpl11)\n"],
    )
    expected = [
        ("tpl11", *c[1:]) if c[0] == "asterisk_11_tpl"
        else (c[0], c[1], ["tpl11"], c[3]) if c[0] == "asterisk_11" else c
        for c in view
    ]
    assert reading(path) == expected


@pytest.mark.parametrize("name", ["bad]", "x" * 80, "", "two\nlines"])
def test_rename_refuses_names_asterisk_would_misread(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sample(tmp_path, ALIASES)
    before = path.read_bytes()
    status, _, err = run(capsys, "rename-section", path, "asterisk_11", name)
    assert status == 3 and "refused" in err
    assert path.read_bytes() == before


@pytest.mark.parametrize("name", ["a;b", "a,b", "with space"])
def test_rename_writes_names_so_asterisk_reads_them_back(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sample(tmp_path, ALIASES)
    view = reading(path)
    assert run(capsys, "rename-section", path, "asterisk_11", name)[0] == 0
    assert reading(path) == [(name, *c[1:]) if c[0] == "asterisk_11" else c for c in view]

"""``#exec``: run only when asked, and emulated as Asterisk runs it
(``popen("<cmd> 2>&1 > <tmpfile>")`` then an include of the file).

Covers where the output goes, stderr and exit status as warnings, quoting and redirection,
the command length limit, and odd input that must not crash.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pyst import config
from tests.config.helpers import categories, diagnostic_codes, write_file, write_files


def test_exec_runs_only_when_asked(tmp_path: Path) -> None:
    main = write_file(tmp_path, "main.conf", "[c]\n#exec \"echo from = exec\"\n")
    assert [c.items() for c in config.read(main)] == [[]]
    ran = config.read(main, exec_includes=True)
    assert [c.items() for c in ran] == [[("from", "exec")]]


def test_exec_output_is_parsed_in_current_category() -> None:
    source = "[c]\n#exec printf '[n]\\nq=1\\n'\nafter=1\n"
    cfg = config.parse(source).config(exec_includes=True)
    assert cfg.loaded
    assert categories(cfg) == [("c", [("after", "1")]), ("n", [("q", "1")])]
    assert diagnostic_codes(cfg) == []


def test_exec_stderr_status_and_empty_output_are_warnings() -> None:
    # (Asterisk appends '2>&1 > tmpfile' to the command: only a child's stderr is logged)
    source = "[c]\n#exec sh -c 'echo oops >&2\\; exit 3'\nz=1\n"
    cfg = config.parse(source).config(exec_includes=True)
    assert cfg.loaded
    assert categories(cfg) == [("c", [("z", "1")])]
    assert diagnostic_codes(cfg) == ["exec-stderr", "exec-status", "exec-no-output"]


def test_exec_stderr_lines_end_at_lf_only() -> None:
    source = "[c]\n#exec sh -c \"printf 'a\\rb\\fc\\n' >&2\"\n"
    cfg = config.parse(source).config(exec_includes=True)
    stderr = [d.message for d in cfg.diagnostics if d.code == "exec-stderr"]
    assert len(stderr) == 1
    assert stderr[0].endswith("a\rb\x0cc")


def test_exec_diagnostics_point_at_indented_directive() -> None:
    cfg = config.parse("[c]\n   #exec exit 1\n").config(exec_includes=True)
    assert [(d.code, d.line, d.column) for d in cfg.diagnostics] == [
        ("exec-status", 2, 4), ("exec-no-output", 2, 4)]


def test_failing_include_inside_exec_output_only_ends_the_output(tmp_path: Path) -> None:
    source = "[c]\n#exec printf 'v=1\\n#include nope.conf\\nq=1\\n'\nafter=1\n"
    cfg = config.parse(source).config(confdir=tmp_path, exec_includes=True)
    assert cfg.loaded
    assert categories(cfg) == [("c", [("v", "1"), ("after", "1")])]
    assert diagnostic_codes(cfg) == ["include-missing"]


@pytest.mark.parametrize("tail", ["|| true", "# generate peers"])
def test_exec_redirection_applies_to_last_command_only(tmp_path: Path, tail: str) -> None:
    local = tmp_path / "local.conf"
    local.write_bytes(b"x=1\n")
    cfg = config.parse(f"[c]\n#exec cat {local} {tail}\n").config(exec_includes=True)
    assert not cfg.loaded
    assert "include-missing" in diagnostic_codes(cfg)


def test_exec_and_list_only_last_command_output_is_config() -> None:
    cfg = config.parse("[c]\n#exec echo x=1 && echo y=2\n").config(exec_includes=True)
    assert categories(cfg) == [("c", [("y", "2")])]


_needs_sh = pytest.mark.skipif(not os.path.exists("/bin/sh"), reason="needs /bin/sh")


def _exec_load(tmp_path: Path, body: str) -> config.Config:
    path = tmp_path / "m.conf"
    path.write_text(body)
    return config.Loader(exec_includes=True).load_path(os.fspath(path))


@_needs_sh
def test_exec_dequotes_and_redirects_like_config_c(tmp_path: Path) -> None:
    cfg = _exec_load(tmp_path, "[a]\n#exec <echo x=2>\n#exec \"sh -c 'echo y=3 >&2'\"\nz=1\n")
    assert cfg.loaded
    assert cfg["a"].items() == [("x", "2"), ("z", "1")]
    assert [d.code for d in cfg.diagnostics] == ["exec-stderr", "exec-no-output"]


@_needs_sh
def test_exec_with_a_shell_comment_loses_its_output_file(tmp_path: Path) -> None:
    # "echo '[a]' # 2>&1 > /var/tmp/exec..." : the redirection is commented out, the
    # output goes to the pipe, and the missing temporary file fails like a missing #include.
    cfg = _exec_load(tmp_path, "#exec echo '[a]' #\n")
    assert not cfg.loaded
    assert cfg.diagnostics[0].code == "exec-stderr"


@_needs_sh
def test_exec_lone_quote_runs_an_empty_command(tmp_path: Path) -> None:
    cfg = _exec_load(tmp_path, "[a]\n#exec \"\nx=1\n")
    assert cfg.loaded
    assert cfg["a"].items() == [("x", "1")]
    assert [d.code for d in cfg.diagnostics] == ["exec-no-output"]


def test_exec_command_over_buffer_is_fatal() -> None:
    command = "echo x=" + "a" * 1000
    cfg = config.parse(f"[c]\n#exec {command}\nz=1\n").config(exec_includes=True)
    assert not cfg.loaded
    assert categories(cfg) == [("c", [])]


def test_exec_command_length_limit(tmp_path: Path) -> None:
    cfg = _exec_load(tmp_path, "#exec " + "x" * 1200 + "\n")
    assert not cfg.loaded
    assert cfg.diagnostics[-1].code == "exec-too-long"


def test_exec_does_not_count_as_include_of_same_name(tmp_path: Path) -> None:
    main = write_files(tmp_path, {"main.conf": b"[c]\n#exec cat ok.conf\n#include cat ok.conf\n",
                             "cat ok.conf": b"y=1\n"})
    cfg = config.Loader(exec_includes=True).load_path(main)
    assert "include-repeated" not in diagnostic_codes(cfg)


def test_exec_with_lone_surrogate_does_not_crash() -> None:
    doc = config.parse("[c]\n#exec echo \ud800\n")
    cfg = doc.config(exec_includes=True)
    assert cfg.categories[0].name == "c"

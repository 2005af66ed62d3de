"""pyst-config graph: golden output on a two-file sample; Graphviz accepts the dot."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli import run

DATA = Path(__file__).resolve().parent / "data" / "graph"


@pytest.mark.parametrize("fmt", ["tree", "dot", "mermaid"])
def test_golden(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "graph", "--format", fmt, DATA / "pjsip.conf")
    assert status == 0
    assert out == (DATA / f"expected.{fmt}").read_text("utf-8")


def test_default_format_is_the_tree(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "graph", DATA / "pjsip.conf")[1] == (DATA / "expected.tree").read_text()


def test_graphviz_accepts_the_dot(capsys: pytest.CaptureFixture[str]) -> None:
    dot = shutil.which("dot")
    if dot is None:
        pytest.skip("Graphviz 'dot' is not installed (Debian: apt-get install graphviz)")
    _, out, _ = run(capsys, "graph", "--format", "dot", DATA / "pjsip.conf")
    result = subprocess.run(
        [dot, "-Tsvg"], input=out.encode(), capture_output=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.lstrip().startswith(b"<?xml") and b"<svg" in result.stdout
    assert b"[6003](office&#45;phone)" in result.stdout


def test_cycles_missing_files_exec_and_globs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "main.conf").write_text(
        "[t](!)\na = 1\n"
        "#include loop.conf\n"
        "#include missing.conf\n"
        '#exec "echo [x]"\n'
        "#include part_{b,a}.conf\n"
        "[orphan](nothere)\n"
    )
    (tmp_path / "loop.conf").write_text("#include main.conf\n")
    (tmp_path / "part_a.conf").write_text("[a](t)\n")
    (tmp_path / "part_b.conf").write_text("[b](t)\n[a](+)\nz = 1\n")
    status, out, _ = run(capsys, "graph", tmp_path / "main.conf")
    assert status == 0
    assert out == (
        "includes:\n"
        "main.conf\n"
        "├── #include loop.conf  line 3\n"
        "│   └── #include main.conf (cycle: already being read)  line 1\n"
        "├── #include missing.conf (not found)  line 4\n"
        "├── #exec echo [x] (not run)  line 5\n"
        "├── #include part_b.conf  line 6\n"
        "└── #include part_a.conf  line 6\n"
        "\n"
        "categories:\n"
        "[t](!)  main.conf:1\n"
        "├── [b](t)  part_b.conf:1\n"
        "└── [a](t)  part_a.conf:1\n"
        "[orphan](nothere)  main.conf:7\n"
        "?? part_b.conf:2: (+) a: no category of that name above it\n"
        "?? main.conf:7: nothere: no category of that name above it\n"
    )


def test_confdir_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "inc.conf").write_text("[c]\n")
    (tmp_path / "main.conf").write_text("#include inc.conf\n")
    _, out, _ = run(capsys, "graph", tmp_path / "main.conf", "--confdir", tmp_path / "etc")
    assert "#include inc.conf  line 1\n" in out and "[c]  inc.conf:1" in out
    status, _, err = run(capsys, "graph", tmp_path / "nothere.conf")
    assert status == 2 and "cannot read" in err


def test_unknown_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(capsys, "graph", "--format", "png", DATA / "pjsip.conf")
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_labels_leave_out_comments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sip.conf"
    path.write_text("[t](!)    ; a template\n[c](t) ; a phone\n")
    _, out, _ = run(capsys, "graph", path)
    assert out.endswith("categories:\n[t](!)  sip.conf:1\n└── [c](t)  sip.conf:2\n")

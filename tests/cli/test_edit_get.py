"""pyst-config get: what Asterisk reads, through templates, (+) additions and #include."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli import run, sample

GRAPH_DATA = Path(__file__).resolve().parent / "data" / "graph"


@pytest.fixture
def split(tmp_path: Path) -> Path:
    """The two-file pjsip sample: templates, an #include and a (+) addition."""
    for name in ("pjsip.conf", "pjsip_users.conf"):
        shutil.copy(GRAPH_DATA / name, tmp_path / name)
    return tmp_path / "pjsip.conf"


def test_get_reads_through_include_template_and_addition(
    split: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "get", split, "6001", "allow")[:2] == (0, "g722\n")
    assert run(capsys, "get", split, "6001", "allow", "--all")[:2] == (0, "ulaw\ng722\n")
    assert run(capsys, "get", split, "6003", "CALLERID")[:2] == (0, "Office <100>\n")
    status, out, _ = run(capsys, "get", split, "6001", "allow", "--json")
    assert status == 0
    assert json.loads(out) == {
        "section": "6001", "key": "allow", "value": "g722", "values": ["ulaw", "g722"],
    }


def test_get_a_whole_section(split: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "get", split, "6002")
    assert status == 0
    assert out == (
        "type = endpoint\ncontext = from-phones\ndisallow = all\nallow = ulaw\n"
        "allow = h264\nauth = 6002\n"
    )
    status, out, _ = run(capsys, "get", split, "6002", "--json")
    category = json.loads(out)
    assert (category["name"], category["template"], category["inherits"]) == (
        "6002", False, ["endpoint-base", "video"],
    )
    assert category["variables"][-1] == {
        "name": "auth", "value": "6002", "object": False, "inherited": False,
        "file": str(split.parent / "pjsip_users.conf"), "line": 6,
    }
    assert category["variables"][0]["inherited"] is True


def test_get_objects_and_duplicates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sample(tmp_path, "22.10.1/extensions.conf.sample")
    path.write_bytes(path.read_bytes() + b"\n[default]\nexten => 200,1,Hangup()\n")
    status, _, err = run(capsys, "get", path, "default", "exten")
    assert status == 2 and "[default] is defined 2 times" in err and "try --match" in err
    assert run(capsys, "get", path, "default[2]", "exten")[:2] == (0, "200,1,Hangup()\n")
    assert run(capsys, "get", path, "default", "include", "--index", "1")[:2] == (0, "demo\n")
    status, out, _ = run(capsys, "get", path, "default", "--match", "include=demo")
    assert (status, out) == (0, "include => demo\n")


def test_get_not_found_and_errors(split: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "get", split, "6001", "nokey")
    assert status == 1 and "has no 'nokey'" in err
    status, _, err = run(capsys, "get", split, "nosuch")
    assert status == 1 and "no section [nosuch]" in err
    status, _, err = run(capsys, "get", split.parent / "missing.conf", "a")
    assert status == 2 and "cannot read" in err
    status, _, err = run(capsys, "get", split, "6001[0]")
    assert status == 2 and "count from 1" in err
    status, _, err = run(capsys, "get", split, "6001", "--match", "novalue")
    assert status == 2 and "KEY=VALUE" in err


def test_get_confdir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "inc.conf").write_text("from_confdir = yes\n")
    main = tmp_path / "main.conf"
    main.write_text("[c]\n#include inc.conf\n")
    assert run(capsys, "get", main, "c", "from_confdir")[0] == 1
    assert run(capsys, "get", main, "c", "from_confdir", "--confdir", tmp_path / "etc")[:2] == (
        0, "yes\n"
    )


def test_asterisk_version_decides_which_value_a_lookup_returns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "v.conf"
    path.write_text("[t](!)\ncontext = a\n[c](t)\ncontext = b\n")
    # context is looked up with ast_variable_retrieve: the first value up to 22.
    assert run(capsys, "get", path, "c", "context", "--asterisk", "22")[:2] == (0, "a\n")
    assert run(capsys, "get", path, "c", "context", "--asterisk", "23")[:2] == (0, "b\n")
    assert run(capsys, "get", path, "c", "context", "--all")[:2] == (0, "a\nb\n")
    status, _, err = run(capsys, "set", path, "c", "context", "z", "--asterisk", "22")
    assert status == 3 and "set it in the template" in err
    assert run(capsys, "set", path, "c", "context", "z", "--asterisk", "23")[0] == 0
    assert path.read_text() == "[t](!)\ncontext = a\n[c](t)\ncontext = z\n"

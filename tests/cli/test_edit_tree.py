"""--tree: editing a main file and the files it #includes as one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pyst import config
from tests.cli import line_changes, run

DATA = Path(__file__).resolve().parent / "data" / "graph"


@pytest.fixture
def split(tmp_path: Path) -> Path:
    """The two-file pjsip sample: templates, an #include and a (+) addition."""
    for name in ("pjsip.conf", "pjsip_users.conf"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path / "pjsip.conf"


def _reading(path: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(c.name, c.items()) for c in config.read(path).categories]


def test_set_goes_to_the_file_that_holds_the_section(
    split: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    users = split.parent / "pjsip_users.conf"
    main_before, users_before, view = split.read_bytes(), users.read_bytes(), _reading(split)
    status, _, err = run(capsys, "set", split, "6002", "auth", "x")
    assert status == 2 and "--tree" in err
    status, out, _ = run(capsys, "set", split, "6002", "auth", "x", "--tree", "--diff")
    assert status == 0
    assert f"--- a/{users}" in out and out.endswith(
        f"{users}: set [6002] auth = x (was 6002)\n"
    )
    assert split.read_bytes() == main_before
    assert line_changes(users_before, users.read_bytes()) == ([b"auth = 6002\n"], [b"auth = x\n"])
    expected = [
        (n, [(k, "x" if (n, k) == ("6002", "auth") else v) for k, v in items])
        for n, items in view
    ]
    assert _reading(split) == expected
    assert run(capsys, "set", split, "6002", "auth", "x", "--tree")[:2] == (
        0, f"{split}: no changes\n"
    )


def test_add_section_to_an_included_file(
    split: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    users = split.parent / "pjsip_users.conf"
    main_before = split.read_bytes()
    status, out, _ = run(
        capsys, "add-section", split, "6004", "--inherit", "office-phone", "--file", users
    )
    assert (status, out) == (0, f"{users}: added [6004](office-phone)\n")
    assert split.read_bytes() == main_before
    assert users.read_text().endswith("\n[6004](office-phone)\n")
    assert [n for n, _ in _reading(split)][-2:] == ["6003", "6004"]
    status, _, err = run(capsys, "add-section", split, "x", "--file", split.parent / "no.conf")
    assert status == 2 and "not a file of the tree" in err


def test_tree_edits_check_remove_and_comment(
    split: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    users = split.parent / "pjsip_users.conf"
    before = users.read_bytes()
    status, _, _ = run(capsys, "remove-section", split, "6003", "--tree", "--check")
    assert status == 1 and users.read_bytes() == before
    status, _, err = run(capsys, "remove-section", split, "office-phone", "--tree")
    assert status == 3 and "refused" in err
    assert run(capsys, "comment", split, "6001", "auth", "--tree")[0] == 0
    assert b";auth = 6001\n" in users.read_bytes()
    assert run(capsys, "uncomment", split, "6001", "auth", "--tree")[0] == 0
    assert users.read_bytes() == before
    status, _, err = run(capsys, "set", split, "6001", "auth", "y", "--confdir", split.parent)
    assert status == 2 and "--confdir is for --tree" in err


def test_apply_tree_with_file(split: Path, capsys: pytest.CaptureFixture[str]) -> None:
    users = split.parent / "pjsip_users.conf"
    changes = split.parent / "changes.json"
    changes.write_text(json.dumps({"sections": {
        "6002": {"keys": {"auth": "two"}},
        "6005": {"parents": ["endpoint-base"], "file": str(users), "keys": {"auth": "6005"}},
        "global": {"keys": {"user_agent": "fleet"}},
    }}))
    status, _, err = run(capsys, "apply", changes, split)
    assert status == 3 and "pjsip_users.conf:5" in err and "--tree" in err
    status, out, _ = run(capsys, "apply", changes, split, "--tree", "--no-diff")
    assert status == 0 and out.startswith(f"{split}, {users}: ")
    assert "user_agent = fleet" in split.read_text()
    assert "[6005](endpoint-base)\nauth = 6005\n" in users.read_text()
    assert "auth = two" in users.read_text()
    data = (split.read_bytes(), users.read_bytes())
    assert run(capsys, "apply", changes, split, "--tree")[:2] == (0, f"{split}: no changes\n")
    assert (split.read_bytes(), users.read_bytes()) == data

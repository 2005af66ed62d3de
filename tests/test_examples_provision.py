"""examples/provision_pjsip.py provisions endpoints into an include tree: every endpoint,
aor and auth exists with its template's values, only users.conf changes, and only by
added lines."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from pyst import config

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "provision_pjsip.py"


def _example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("provision_pjsip", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_provisioning_adds_every_endpoint_aor_and_auth(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = _example()
    example.set_up(tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert example.main(["--confdir", str(tmp_path), "--count", "20", "--diff-lines", "-1"]) == 0
    printed = capsys.readouterr().out
    # Nothing is written without --save; the diff only adds lines, all to users.conf.
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    diff_lines = [line for line in printed.splitlines() if line[:1] in "+-"]
    assert any(line.startswith("+[6020](endpoint-template)") for line in diff_lines)
    assert not [line for line in diff_lines if line.startswith("-") and not line.startswith("---")]
    assert {line for line in diff_lines if line.startswith(("---", "+++"))} == {
        f"--- a/{tmp_path / 'users.conf'}", f"+++ b/{tmp_path / 'users.conf'}"
    }
    assert "password=********" in printed and "password=change-me" not in printed

    assert example.main(["--confdir", str(tmp_path), "--count", "20", "--save"]) == 0
    for name in ("pjsip.conf", "templates.conf"):
        assert (tmp_path / name).read_bytes() == before[name]
    users = (tmp_path / "users.conf").read_bytes()
    assert users.startswith(before["users.conf"])

    view = config.read(tmp_path / "pjsip.conf")
    assert view.loaded and not view.diagnostics
    for number in range(6001, 6021):
        user = str(number)
        endpoint, aor = view.categories_named(user)
        assert endpoint.inherits == ["endpoint-template"]
        assert endpoint.items() == [
            ("type", "endpoint"), ("context", "from-internal"), ("disallow", "all"),
            ("allow", "ulaw"), ("allow", "alaw"), ("direct_media", "no"),
            ("auth", f"{user}-auth"), ("aors", user), ("callerid", f'"User {user}" <{user}>'),
        ]
        assert aor.items() == [
            ("type", "aor"), ("max_contacts", "1"), ("remove_existing", "yes"),
            ("mailboxes", f"{user}@default"),
        ]
        auth = view[f"{user}-auth"]
        assert auth.get("type") == "auth" and auth.get("auth_type") == "userpass"
        assert auth.get("username") == user
        assert len(auth.get("password") or "") >= 12
    assert len(view.categories_named("6021")) == 0
    # The tree API reads the same.
    tree = config.load_tree(tmp_path / "pjsip.conf")
    assert tree["6007-auth"]["username"] == "6007"
    assert tree.config()["6020"].get("aors") == "6020"


def test_a_refused_edit_keeps_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = _example()
    example.set_up(tmp_path)
    # A template the endpoints need is gone: the first add is refused, nothing is kept.
    templates = tmp_path / "templates.conf"
    templates.write_text(templates.read_text().replace("[aor-template](!)", "[other](!)"))
    before = (tmp_path / "users.conf").read_bytes()
    assert example.main(["--confdir", str(tmp_path), "--count", "3", "--save"]) == 1
    assert "nothing provisioned" in capsys.readouterr().err
    assert (tmp_path / "users.conf").read_bytes() == before


def test_endpoints_that_exist_already_are_not_provisioned_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = _example()
    example.set_up(tmp_path)
    assert example.main(["--confdir", str(tmp_path), "--count", "3", "--save"]) == 0
    saved = (tmp_path / "users.conf").read_bytes()
    assert example.main(["--confdir", str(tmp_path), "--count", "3", "--first", "6002",
                         "--save"]) == 1
    assert "[6002] exists already" in capsys.readouterr().err
    assert (tmp_path / "users.conf").read_bytes() == saved
    assert example.main(["--confdir", str(tmp_path), "--count", "2", "--first", "6004",
                         "--save"]) == 0
    assert [c.name for c in config.read(tmp_path / "pjsip.conf")][-3:] == [
        "6005", "6005", "6005-auth"
    ]


def test_runs_as_a_script_from_a_copy_of_the_repository(tmp_path: Path) -> None:
    root = EXAMPLE.parents[1]
    copy = tmp_path / "clone"
    shutil.copytree(root / "examples", copy / "examples")
    if (root / "pyst").is_dir():  # a source checkout (not a run against the installed wheel)
        shutil.copytree(
            root / "pyst", copy / "pyst", ignore=shutil.ignore_patterns("__pycache__")
        )
    confdir = tmp_path / "etc"
    result = subprocess.run(
        [sys.executable, str(copy / "examples" / "provision_pjsip.py"), "--count", "5",
         "--confdir", str(confdir), "--save"],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )
    assert "5 endpoints, 60 lines added to users.conf" in result.stdout
    assert config.read(confdir / "pjsip.conf")["6005-auth"].get("username") == "6005"

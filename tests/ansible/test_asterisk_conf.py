"""The asterisk_conf module, for real: ansible-playbook against localhost, local connection.

Runs only where ansible-core can be imported: installed in the environment (``.ci/run``
does ``pip install ansible-core``) or with ``pip install --target bench/.peers/ansible
ansible-core``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PEER = ROOT / "bench" / ".peers" / "ansible"
SAMPLE = ROOT / "tests" / "cli" / "data" / "graph"


def _ansible_path() -> str | None:
    """Where ansible-core can be imported from ("" for the environment itself)."""
    if importlib.util.find_spec("ansible") is not None:
        return ""
    if (PEER / "ansible" / "cli" / "playbook.py").exists():
        return str(PEER)
    return None


ANSIBLE = _ansible_path()
pytestmark = pytest.mark.skipif(
    ANSIBLE is None,
    reason="ansible-core is not installed (pip install ansible-core, or "
    "pip install --target bench/.peers/ansible ansible-core)",
)

PLAYBOOK = """\
- hosts: localhost
  gather_facts: false
  tasks:
    - name: a value
      pyst.asterisk.asterisk_conf:
        path: "{{ conf }}"
        section: global
        option: user_agent
        value: pyst-fleet
        backup: true
    - name: a phone from a template, codecs in order
      pyst.asterisk.asterisk_conf:
        path: "{{ conf }}"
        section: "6004"
        inherit: [endpoint-base]
        option: allow
        values: [ulaw, g722]
    - name: no key
      pyst.asterisk.asterisk_conf:
        path: "{{ conf }}"
        section: endpoint-base
        option: context
        state: absent
    - name: a template
      pyst.asterisk.asterisk_conf:
        path: "{{ conf }}"
        section: codecs
        template: true
        after: video
    - name: a change set
      pyst.asterisk.asterisk_conf:
        path: "{{ conf }}"
        apply:
          sections:
            "6005": {parents: [endpoint-base], keys: {auth: "6005"}}
"""

EXPECTED = """\
; A small pjsip.conf split in two files, with templates, an include and an addition.
[global]
type = global
user_agent = pyst-fleet

[endpoint-base](!)
type = endpoint
disallow = all
allow = ulaw

[video](!)
allow = h264

#include pjsip_users.conf
#tryinclude pjsip_local_*.conf

[codecs](!)

[6001](+)
allow = g722

[6004](endpoint-base)
allow = ulaw
allow = g722

[6005](endpoint-base)
auth = 6005
"""


def _setup(tmp_path: Path) -> Path:
    for name in ("pjsip.conf", "pjsip_users.conf"):
        shutil.copy(SAMPLE / name, tmp_path / name)
    (tmp_path / "play.yml").write_text(PLAYBOOK)
    (tmp_path / "ansible.cfg").write_text("[defaults]\n")
    return tmp_path / "pjsip.conf"


def _playbook(
    tmp_path: Path, *options: str, interpreter: str = sys.executable, with_pyst: bool = True
) -> tuple[str, dict[str, int]]:
    paths = [p for p in (ANSIBLE, str(ROOT) if with_pyst else "") if p]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "PYTHON"))},
        "PYTHONPATH": os.pathsep.join(paths),
        "ANSIBLE_CONFIG": str(tmp_path / "ansible.cfg"),
        "ANSIBLE_COLLECTIONS_PATH": str(ROOT),
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / ".ansible-local"),
        "ANSIBLE_REMOTE_TEMP": str(tmp_path / ".ansible-remote"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "LC_ALL": "C.UTF-8",
        "HOME": str(tmp_path),
    }
    result = subprocess.run(
        [
            sys.executable, "-m", "ansible.cli.playbook", "-i", "localhost,", "-c", "local",
            "-e", f"ansible_python_interpreter={interpreter}",
            "-e", f"conf={tmp_path / 'pjsip.conf'}", *options, str(tmp_path / "play.yml"),
        ],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300, check=False,
    )
    recap = re.search(r"localhost\s*:\s*(.*)", result.stdout.split("PLAY RECAP")[-1])
    assert recap, result.stdout + result.stderr
    counts = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", recap.group(1))}
    return result.stdout + result.stderr, counts


def test_playbook_twice_then_no_change(tmp_path: Path) -> None:
    conf = _setup(tmp_path)
    output, counts = _playbook(tmp_path, "--diff")
    assert (counts["failed"], counts["changed"]) == (0, 5), output
    assert conf.read_text() == EXPECTED
    users = (tmp_path / "pjsip_users.conf").read_bytes()
    assert users == (SAMPLE / "pjsip_users.conf").read_bytes()
    assert "+user_agent = pyst-fleet" in output and "-context = from-phones" in output
    backups = [p for p in tmp_path.iterdir() if p.name.startswith("pjsip.conf.") and "~" in p.name]
    assert [b.read_bytes() for b in backups] == [(SAMPLE / "pjsip.conf").read_bytes()]
    once = conf.read_bytes()
    output, counts = _playbook(tmp_path)
    assert (counts["failed"], counts["changed"], counts["ok"]) == (0, 0, 5), output
    assert conf.read_bytes() == once


def test_check_mode_changes_nothing(tmp_path: Path) -> None:
    conf = _setup(tmp_path)
    output, counts = _playbook(tmp_path, "--check", "--diff")
    assert (counts["failed"], counts["changed"]) == (0, 5), output
    assert "+user_agent = pyst-fleet" in output
    assert conf.read_bytes() == (SAMPLE / "pjsip.conf").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".conf") == [
        "pjsip.conf", "pjsip_users.conf",
    ]


def test_missing_pyst_fails_with_a_clear_message(tmp_path: Path) -> None:
    conf = _setup(tmp_path)
    # A bare virtual environment: the host's Python without pyst installed.
    venv.create(tmp_path / "bare", with_pip=False)
    python = tmp_path / "bare" / "bin" / "python"
    output, counts = _playbook(tmp_path, interpreter=str(python), with_pyst=False)
    assert counts["failed"] == 1, output
    assert "pyst-pbx" in output and "Failed to import the required Python library" in output
    assert conf.read_bytes() == (SAMPLE / "pjsip.conf").read_bytes()


def test_ansible_doc_reads_the_documentation(tmp_path: Path) -> None:
    _setup(tmp_path)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "PYTHON"))},
        "PYTHONPATH": ANSIBLE or "",
        "ANSIBLE_CONFIG": str(tmp_path / "ansible.cfg"),
        "ANSIBLE_COLLECTIONS_PATH": str(ROOT),
        "LC_ALL": "C.UTF-8",
        "HOME": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "ansible.cli.doc", "--json", "pyst.asterisk.asterisk_conf"],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)["pyst.asterisk.asterisk_conf"]
    options = doc["doc"]["options"]
    for name in ("path", "section", "option", "value", "values", "state", "template",
                 "inherit", "operator", "apply", "backup", "create", "exclusive"):
        assert name in options
    assert "pyst.asterisk.asterisk_conf" in doc["examples"]


OPTIONS_PLAYBOOK = """\
- hosts: localhost
  gather_facts: false
  tasks:
    - name: one more dialplan line, others kept
      pyst.asterisk.asterisk_conf:
        path: "{{ conf }}"
        section: default
        option: exten
        values: ["100,2,Hangup()"]
        operator: "=>"
        exclusive: false
        index: 1
    - name: only one value goes
      pyst.asterisk.asterisk_conf:
        path: "{{ conf }}"
        section: default
        option: exten
        values: ["200,1,Hangup()"]
        state: absent
        match: {include: demo2}
    - name: the second [default], by name
      pyst.asterisk.asterisk_conf:
        path: "{{ conf }}"
        section: "default[2]"
        option: note
        value: "second"
    - name: a new file
      pyst.asterisk.asterisk_conf:
        path: "{{ new }}"
        section: general
        option: a
        value: "1"
        mode: "0640"
        asterisk: "23"
    - name: a change file on the host
      pyst.asterisk.asterisk_conf:
        path: "{{ conf }}"
        apply: "{{ changes }}"
    - name: not created
      pyst.asterisk.asterisk_conf:
        path: "{{ new }}.absent"
        section: general
        create: false
      ignore_errors: true
"""

DIALPLAN = """\
[default]
include => demo
exten => 100,1,Answer()

[default]
include => demo2
exten => 200,1,Hangup()
exten => 200,2,Hangup()
"""


def test_playbook_options(tmp_path: Path) -> None:
    _setup(tmp_path)
    conf = tmp_path / "pjsip.conf"  # the playbook's {{ conf }}
    conf.write_text(DIALPLAN)
    (tmp_path / "play.yml").write_text(OPTIONS_PLAYBOOK)
    (tmp_path / "changes.json").write_text('{"sections": {"globals": {"keys": {"X": "1"}}}}')
    extra = ("-e", f"new={tmp_path / 'new.conf'}", "-e", f"changes={tmp_path / 'changes.json'}")
    output, counts = _playbook(tmp_path, *extra)
    assert (counts["changed"], counts["failed"], counts["ignored"]) == (5, 0, 1), output
    assert "does not exist (set create: true" in output
    assert conf.read_text() == (
        "[default]\ninclude => demo\nexten => 100,1,Answer()\nexten => 100,2,Hangup()\n\n"
        "[default]\ninclude => demo2\nexten => 200,2,Hangup()\nnote = second\n\n"
        "[globals]\nX = 1\n"
    )
    new = tmp_path / "new.conf"
    assert new.read_text() == "[general]\na = 1\n"
    assert new.stat().st_mode & 0o777 == 0o640
    once = conf.read_bytes()
    output, counts = _playbook(tmp_path, *extra)
    assert (counts["changed"], counts["failed"]) == (0, 0), output
    assert conf.read_bytes() == once


TREE_PLAYBOOK = """\
- hosts: localhost
  gather_facts: false
  tasks:
    - name: a phone defined in the included file
      pyst.asterisk.asterisk_conf:
        path: "{{ conf }}"
        tree: true
        section: "6002"
        option: auth
        value: two
        backup: true
"""


def test_playbook_tree(tmp_path: Path) -> None:
    conf = _setup(tmp_path)
    (tmp_path / "play.yml").write_text(TREE_PLAYBOOK)
    users = tmp_path / "pjsip_users.conf"
    output, counts = _playbook(tmp_path, "--diff")
    assert (counts["changed"], counts["failed"]) == (1, 0), output
    assert "-auth = 6002" in output and "+auth = two" in output
    assert conf.read_bytes() == (SAMPLE / "pjsip.conf").read_bytes()
    assert users.read_text() == (SAMPLE / "pjsip_users.conf").read_text().replace(
        "auth = 6002", "auth = two"
    )
    backups = [p for p in tmp_path.iterdir() if p.name.startswith("pjsip_users.conf.")]
    assert [b.read_bytes() for b in backups] == [(SAMPLE / "pjsip_users.conf").read_bytes()]
    output, counts = _playbook(tmp_path)
    assert (counts["changed"], counts["failed"]) == (0, 0), output

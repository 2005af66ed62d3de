"""The examples in README.md and docs/config.md run as written on the
files in examples/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pyst import config
from tests.config.helpers import EXAMPLES


def test_docs_config_md_example_runs_on_example_sip_conf(tmp_path: Path) -> None:
    path = tmp_path / "sip.conf"
    shutil.copy(EXAMPLES / "sip.conf", path)
    os.chmod(path, 0o640)
    doc = config.load(str(path))
    assert doc.dumps() == path.read_bytes()
    general = doc["general"]
    general["bindport"] = "5061"
    peer = doc.add_section("6002", parents=["office-phone"])
    peer["secret"] = "s3cret"
    doc["6001"].remove("nat")
    doc.save()
    assert (path.stat().st_mode & 0o777) == 0o640
    view = doc.config()
    assert view.loaded
    assert [c.name for c in view] == ["general", "office-phone", "6001", "6002", "6002"]
    assert view.category("general") is not None
    assert view.category("general").get("bindport") == "5061"  # type: ignore[union-attr]
    assert view.categories[-1].get_all("secret") == ["s3cret"]
    assert view.categories[-1].inherits == ["office-phone"]


def test_readme_taste_runs_on_example_pjsip_conf(tmp_path: Path) -> None:
    path = tmp_path / "pjsip.conf"
    shutil.copy(EXAMPLES / "pjsip.conf", path)
    before = path.read_bytes()
    doc = config.load(str(path))
    doc["transport-udp"]["bind"] = "0.0.0.0:5061"
    doc.save()
    after = path.read_bytes()
    assert after == before.replace(b"bind = 0.0.0.0\n", b"bind = 0.0.0.0:5061\n", 1)
    view = config.read(str(path))
    for category in view:
        assert isinstance(category.items(), list)
        assert isinstance(category.inherits, list)
    for problem in view.diagnostics:
        text = str(problem)
        assert text.startswith(f"{problem.file}:{problem.line}:{problem.column}: ")

"""``Document.save``: atomic, keeping the mode, owner and group, writing
through symlinks, and leaving the file alone when it fails.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pyst import config
from pyst.config import ConfigIOError


def test_save_is_atomic_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "sip.conf"
    path.write_bytes(b"[c]\nname = Jos\xe9\n")
    os.chmod(path, 0o640)
    doc = config.load(path)
    doc["c"]["port"] = "5060"
    doc.save()
    assert path.read_bytes() == b"[c]\nname = Jos\xe9\nport = 5060\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["sip.conf"]


def test_save_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "m.conf"
    path.write_bytes(b"[a]\nx=1\n")
    path.chmod(0o640)
    doc = config.load(path)
    doc["a"]["x"] = "2"
    doc.save()
    assert path.read_bytes() == b"[a]\nx=2\n"
    assert path.stat().st_mode & 0o777 == 0o640


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_save_keeps_owner_and_group(tmp_path: Path) -> None:
    path = tmp_path / "sip.conf"
    path.write_bytes(b"[a]\nx=1\n")
    os.chown(path, 65534, 65534)
    path.chmod(0o640)
    doc = config.load(path)
    doc["a"]["x"] = "2"
    doc.save()
    info = path.stat()
    assert path.read_bytes() == b"[a]\nx=2\n"
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (65534, 65534, 0o640)


def test_save_through_symlink_updates_target(tmp_path: Path) -> None:
    real = tmp_path / "real.conf"
    real.write_bytes(b"[a]\nx=1\n")
    link = tmp_path / "link.conf"
    link.symlink_to(real)
    doc = config.load(link)
    doc["a"]["x"] = "2"
    doc.save()
    assert link.is_symlink()
    assert real.read_bytes() == b"[a]\nx=2\n"


def test_save_failure_leaves_the_file_alone(tmp_path: Path) -> None:
    doc = config.parse("[c]\n")
    with pytest.raises(config.ConfigIOError):
        doc.save(tmp_path / "missing-dir" / "x.conf")
    with pytest.raises(config.ConfigEditError):
        doc.save()


def test_save_into_missing_folder_raises_config_io_error(tmp_path: Path) -> None:
    doc = config.parse("[a]\n")
    with pytest.raises(ConfigIOError):
        doc.save(tmp_path / "no" / "such" / "x.conf")

"""Reading files from disk: ``config.read`` reports, ``config.load``
raises.

Covers missing files, folders, character devices, FIFOs (no blocking) and paths with a NUL
byte.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
import time
from pathlib import Path

import pytest

from pyst import config
from pyst.config import (
    ConfigError,
)
from tests.config.helpers import diagnostic_codes


def test_missing_main_file_is_not_loaded(tmp_path: Path) -> None:
    result = config.read(tmp_path / "nope.conf")
    assert not result.loaded
    assert result.diagnostics[0].code == "file-not-found"


def test_read_missing_file_is_not_loaded(tmp_path: Path) -> None:
    cfg = config.read(tmp_path / "missing.conf")
    assert not cfg.loaded
    assert [d.code for d in cfg.diagnostics] == ["file-not-found"]


def test_load_missing_file_raises_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        config.load(tmp_path / "missing.conf")


def test_load_errors_are_config_io_errors(tmp_path: Path) -> None:
    with pytest.raises(config.ConfigIOError):
        config.load(str(tmp_path))
    with pytest.raises(config.ConfigSyntaxError) as info:
        config.parse("[s]\nx\n", strict=True)
    assert info.value.diagnostics[0].code == "no-equals"


def test_path_with_nul_byte_is_not_found(tmp_path: Path) -> None:
    path = str(tmp_path / "a\0b.conf")
    cfg = config.read(path)
    assert not cfg.loaded
    assert diagnostic_codes(cfg) == ["file-not-found"]
    with pytest.raises(config.ConfigIOError):
        config.load(path)


def test_read_character_device_is_not_loaded() -> None:
    cfg = config.read("/dev/null")
    assert not cfg.loaded


def test_read_fifo_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.conf"
    os.mkfifo(fifo)
    done = threading.Event()
    unblocked: list[bool] = []

    def unblock() -> None:
        # If the reader blocks in open(), give it EOF after a while so the test ends.
        deadline = time.monotonic() + 0.5
        while not done.is_set():
            if time.monotonic() > deadline:
                with contextlib.suppress(OSError):
                    os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
                    unblocked.append(True)
            time.sleep(0.02)

    helper = threading.Thread(target=unblock, daemon=True)
    helper.start()
    try:
        cfg = config.read(fifo)
    finally:
        done.set()
        helper.join()
    assert not unblocked, "config.read blocked on a FIFO"
    assert not cfg.loaded
    assert stat.S_ISFIFO(fifo.stat().st_mode)

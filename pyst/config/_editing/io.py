"""Atomic file writes: temp file in the same folder, fsync, rename, original mode kept."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from pyst.config._errors import ConfigIOError


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that readers see the old or the new file, never
    a mix, and a crash never leaves a truncated file.  The file's mode, owner and group
    are kept (as far as the caller may), and a symbolic link is followed: the file it
    points to is replaced, the link stays."""
    path = Path(os.path.realpath(path))
    folder = path.parent if str(path.parent) else Path(".")
    owner: tuple[int, int] | None = None
    try:
        info = path.stat()
        mode = stat.S_IMODE(info.st_mode)
        owner = (info.st_uid, info.st_gid)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError as error:
        raise ConfigIOError(f"cannot stat {path}: {error.strerror}") from error
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise ConfigIOError(
            f"cannot create a temporary file in {folder}: {error.strerror}; "
            "check that the folder exists and is writable"
        ) from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if owner is not None and hasattr(os, "chown"):
            # Keep e.g. asterisk:asterisk when root saves the file; a user who may not
            # give files away keeps what it can (the group, or nothing).
            with contextlib.suppress(PermissionError):
                os.chown(temp_name, *owner)
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise ConfigIOError(f"cannot write {path}: {error.strerror}") from error
    with contextlib.suppress(OSError):
        directory = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

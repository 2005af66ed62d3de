"""Helpers shared by the config test modules."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from pathlib import Path

from pyst import config


def categories(cfg: config.Config) -> list[tuple[str, list[tuple[str, str]]]]:
    """``[(category name, [(variable, value)…])…]`` of a loaded view."""
    return [(c.name, [(v.name, v.value) for v in c.variables]) for c in cfg.categories]


def write_files(root: Path, files: dict[str, bytes]) -> Path:
    """Write ``files`` (relative name -> bytes) under ``root``; return ``root/main.conf``."""
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root / "main.conf"


class _TooSlow(Exception):
    pass


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail (as an AssertionError) when the block runs longer than ``seconds``."""

    def alarm(signum: int, frame: object) -> None:
        raise _TooSlow(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    slow = False
    try:
        yield
    except _TooSlow:
        # Re-raised below as a plain assertion: the interrupted frame may have no line
        # number, which pytest cannot render.
        slow = True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if slow:
        raise AssertionError(f"took longer than {seconds} s") from None

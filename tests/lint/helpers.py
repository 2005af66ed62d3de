"""Running ``pyst-config lint`` in-process for tests, in a chosen working directory."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pyst.cli import main

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


@contextmanager
def working_directory(path: Path) -> Iterator[None]:
    """Run the block with ``path`` as the current directory."""
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def run_lint(
    args: Sequence[str], cwd: Path, stdin: bytes = b""
) -> tuple[int, str, str]:
    """``pyst-config lint ARGS`` in ``cwd``: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr, sys.stdin
    sys.stdout, sys.stderr = out, err
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        with working_directory(cwd):
            status = main(["lint", *args])
    finally:
        sys.stdout, sys.stderr, sys.stdin = saved
    return status, out.getvalue(), err.getvalue()

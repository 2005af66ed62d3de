"""Helpers shared by the pyst-config command-line tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyst.cli import main

#: The runnable example configurations shipped with the repository.
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run ``pyst-config <args>`` in this process; return its exit status and its output."""
    status = main(list(args))
    return status, capsys.readouterr().out

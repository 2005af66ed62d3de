"""Shared helpers for the pyst.manager tests: the recorded Asterisk 22 exchanges."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyst.manager.testing import CaptureStep, load_capture

DATA = Path(__file__).parent / "data"
AMI = DATA / "ami"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "asterisk" / "captures"
CAPTURES = sorted(p.stem for p in AMI.glob("*.txt") if p.stem != "INDEX")


def steps(name: str, folder: Path = AMI) -> list[CaptureStep]:
    """The recorded steps of capture ``name``."""
    return load_capture(folder / f"{name}.txt")


def server_bytes(name: str, folder: Path = AMI) -> bytes:
    """Everything the server sent in capture ``name``, concatenated."""
    return b"".join(s.data for s in steps(name, folder) if s.direction == "S")


def server_chunks(name: str, folder: Path = AMI) -> list[bytes]:
    """The server's bytes in capture ``name`` as the recorded socket reads."""
    return [s.data for s in steps(name, folder) if s.direction == "S"]


def client_bytes(name: str, folder: Path = AMI) -> bytes:
    """Everything the client sent in capture ``name``, concatenated."""
    return b"".join(s.data for s in steps(name, folder) if s.direction == "C")


@pytest.fixture(params=CAPTURES)
def capture(request: pytest.FixtureRequest) -> str:
    """Each capture name in turn."""
    return str(request.param)

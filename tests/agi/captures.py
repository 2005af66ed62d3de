"""Helpers to load the Asterisk 22 AGI captures copied into tests/agi/data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "asterisk" / "captures" / "agi"

RUNS = sorted(path.name[: -len(".json")] for path in DATA.glob("*.json"))


@dataclass
class Capture:
    """One recorded AGI run: bytes both ways plus the per-command records."""

    name: str
    from_ast: bytes
    to_ast: bytes
    record: dict[str, Any]

    @property
    def commands(self) -> list[str]:
        """Every command line sent, in order (newline removed, CR kept)."""
        return [line for line in self.to_ast.decode().split("\n")[:-1]]

    @property
    def exchanges(self) -> list[dict[str, Any]]:
        """Records with a command (the unsolicited-line probes are left out)."""
        return [item for item in self.record["exchanges"] if item["cmd"] is not None]

    @property
    def unsolicited_hangups(self) -> int:
        """Number of inline HANGUP lines recorded while no command was outstanding."""
        return sum(
            line == "HANGUP\n"
            for item in self.record["exchanges"]
            if item["cmd"] is None
            for line in item["unsolicited"]
        )


def load(name: str, directory: Path = DATA) -> Capture:
    """Load the capture ``name`` (e.g. ``"stdio_basic"``)."""
    return Capture(
        name,
        (directory / f"{name}.from_ast").read_bytes(),
        (directory / f"{name}.to_ast").read_bytes(),
        json.loads((directory / f"{name}.json").read_text()),
    )


def block(reply: Any) -> str:
    """Rebuild the recorded text of a final reply (a whole 520 block when multi-line)."""
    if reply.usage is not None:
        return f"520-{reply.text}\n{reply.usage}\n{reply.line}\n"
    return reply.line + "\n"

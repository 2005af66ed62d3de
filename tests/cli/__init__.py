"""Tests of the pyst-config command line; shared helpers for its test modules."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from pyst import config
from pyst.cli import main

CORPUS = Path(__file__).resolve().parents[1] / "config" / "data" / "corpus"


def sample(tmp_path: Path, name: str, *, crlf: bool = False, final_newline: bool = True) -> Path:
    """A copy of the bundled sample ``name`` (``RELEASE/FILE``) in ``tmp_path``, with CRLF
    line endings or without its final line ending if asked."""
    data = (CORPUS / name).read_bytes()
    if crlf:
        data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if not final_newline:
        data = data.rstrip(b"\r\n")
    target = tmp_path / Path(name).name
    target.write_bytes(data)
    return target


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``pyst-config ARGS`` in-process; return (status, stdout, stderr)."""
    status = main([str(a) for a in args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def line_changes(before: bytes, after: bytes) -> tuple[list[bytes], list[bytes]]:
    """The lines (with their endings) that went and that came between two versions;
    every other line is byte-identical."""
    old = before.splitlines(keepends=True)
    new = after.splitlines(keepends=True)
    removed: list[bytes] = []
    added: list[bytes] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed.extend(old[i1:i2])
            added.extend(new[j1:j2])
    return removed, added


Reading = list[tuple[str, bool, list[str], list[tuple[str, str, bool]]]]


def reading(path: Path) -> Reading:
    """What Asterisk reads from ``path``: categories with their flags and variables."""
    view = config.read(path)
    assert view.loaded, view.diagnostics
    return [
        (c.name, c.template, list(c.inherits), [(v.name, v.value, v.object) for v in c.variables])
        for c in view.categories
    ]


def run_binary(capsysbinary: pytest.CaptureFixture[bytes], *args: str) -> tuple[int, str, str]:
    """Like :func:`run`, for output that may hold a file's non-UTF-8 bytes (shown as
    ``\\udcXX`` escapes in the returned text)."""
    status = main([str(a) for a in args])
    captured = capsysbinary.readouterr()
    return (
        status,
        captured.out.decode("utf-8", "surrogateescape"),
        captured.err.decode("utf-8", "surrogateescape"),
    )

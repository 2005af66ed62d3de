"""The one command set is typed correctly on both front ends (checked by mypy)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SAMPLE = """
from pyst.agi import AGI, AsyncAGI
def f(agi: AGI) -> None:
    reveal_type(agi.stream_file("x", "12"))
    reveal_type(agi.get_data("x", 100, 4))
    reveal_type(AGI.get_data)
    reveal_type(AsyncAGI.get_data)
    agi.stream_file(1)
async def g(agi: AsyncAGI) -> None:
    reveal_type(await agi.get_data("x", 100, 4))
    reveal_type(agi.answer())
    reveal_type(agi.get_data("x"))
"""


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("mypy") is None, reason="mypy not installed")
def test_sync_and_async_methods_have_precise_types(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(SAMPLE)
    output = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(sample)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,  # this checkout's pyst, not an installed one
    ).stdout
    assert 'Revealed type is "pyst.agi._results.PlaybackResult"' in output
    assert 'Revealed type is "pyst.agi._results.DigitsResult"' in output
    assert 'Revealed type is "typing.Awaitable[None]"' in output
    assert 'Revealed type is "typing.Awaitable[pyst.agi._results.DigitsResult]"' in output
    assert output.count('Revealed type is "pyst.agi._results.DigitsResult"') == 2
    get_data = "filename: str, timeout_ms: int | None =, max_digits: int | None ="
    assert f"def (pyst.agi._agi.AGI, {get_data}) -> pyst.agi._results.DigitsResult" in output
    assert (
        f"def (pyst.agi._agi.AsyncAGI, {get_data}) -> "
        "typing.Awaitable[pyst.agi._results.DigitsResult]" in output
    )
    assert 'incompatible type "int"; expected "str"' in output

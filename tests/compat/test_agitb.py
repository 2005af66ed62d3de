"""pyst.compat.agitb: 0.x's crash reports, made by pyst.agi's report."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pyst import compat
from pyst.agi.testing import FakeAsterisk
from pyst.compat import agitb
from pyst.compat.agi import AGI


def crash(password: str) -> None:
    count = 3
    raise RuntimeError(f"broken after {count}")


def caught() -> tuple[type[BaseException], BaseException, object]:
    stored = "hun" + "ter2"
    try:
        crash(stored)
    except RuntimeError:
        kind, error, tb = sys.exc_info()
        assert kind is not None and error is not None
        return kind, error, tb
    raise AssertionError("crash() did not raise")


@pytest.fixture
def restore_hook() -> Iterator[None]:
    saved_hook, saved_handler = sys.excepthook, agitb.handler
    yield
    sys.excepthook, agitb.handler = saved_hook, saved_handler


def test_report_shows_traceback_and_locals_without_secrets() -> None:
    report = agitb.text(caught())  # type: ignore[arg-type]
    assert "RuntimeError: broken after 3" in report
    assert "count = 3" in report
    assert "password = <redacted>" in report
    assert "hunter2" not in report


def test_hook_writes_to_file_and_logdir(tmp_path: Path) -> None:
    out = io.StringIO()
    agitb.Hook(display=1, logdir=tmp_path, file=out).handle(caught())  # type: ignore[arg-type]
    saved = list(tmp_path.glob("*.txt"))
    assert len(saved) == 1
    assert "RuntimeError: broken after 3" in saved[0].read_text()
    shown = out.getvalue()
    assert "RuntimeError: broken after 3" in shown
    assert f"{saved[0]} contains the description of this error." in shown


def test_hook_without_display_only_says_something_went_wrong() -> None:
    out = io.StringIO()
    agitb.Hook(display=0, file=out).handle(caught())  # type: ignore[arg-type]
    assert out.getvalue() == "A problem occurred in a Python script\n"


def test_enable_reports_through_the_agi_console(restore_hook: None) -> None:
    fake = FakeAsterisk()
    agi = AGI(core=fake.connect())
    compat.agitb.enable(agi, display=True)
    assert isinstance(sys.excepthook, agitb.Hook)
    kind, error, tb = caught()
    sys.excepthook(kind, error, tb)  # type: ignore[arg-type]
    assert fake.verbose_lines[-1] == "A problem occurred in a Python script"
    assert any("RuntimeError: broken after 3" in line for line in fake.verbose_lines)
    assert all(words[-1] == "4" for words in fake.words)  # VERBOSE ... 4, as in 0.x
    assert agitb.handler == sys.excepthook.handle

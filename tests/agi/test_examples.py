"""The shipped examples work against the fake Asterisk."""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path
from types import ModuleType

from pyst.agi.testing import FakeAsterisk

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fastagi_example_menu() -> None:
    module = _load("agi_fastagi_server")
    fake = FakeAsterisk(dtmf="2")
    asyncio.run(fake.run_async(module.menu))
    assert fake.variables["MENU_CHOICE"] == "2"


def test_threaded_example_says_the_caller_id() -> None:
    module = _load("agi_threaded_server")
    fake = FakeAsterisk(environment={"callerid": "5551234"})
    fake.run(module.echo_caller)
    assert fake.commands[-1] == 'SAY DIGITS 5551234 ""'


def test_stdio_example_pin_flow(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    module = _load("agi_stdio_script")
    fake = FakeAsterisk(dtmf="4321#")
    monkeypatch.setattr(module, "AGI", lambda: fake.connect())
    monkeypatch.setattr(module, "install_excepthook", lambda agi, options: None)
    module.main()
    assert fake.variables["PIN"] == "4321"


def test_asyncagi_example_greets_and_stops_after_a_missing_file() -> None:
    module = _load("agi_asyncagi_server")
    fake = FakeAsterisk()
    asyncio.run(fake.run_async(module.greet))
    assert fake.variables["GREETED"] == "yes"
    missing = FakeAsterisk(missing_files=["hello-world"])
    asyncio.run(missing.run_async(module.greet))
    assert "GREETED" not in missing.variables
    assert missing.commands == ["ANSWER", 'STREAM FILE hello-world ""']

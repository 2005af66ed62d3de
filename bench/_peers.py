"""Shared bench helper: install a peer library from PyPI into bench/.peers/NAME and import it.

Each peer gets its own folder because several of them ship a top-level package with the same
name (``asterisk``); a module is imported from exactly one folder, then that folder is taken
off ``sys.path`` again so the next peer cannot pick it up by accident.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType

PEERS_DIR = Path(__file__).resolve().parent / ".peers"


def ensure_installed(folder: str, requirement: str) -> Path:
    """Install ``requirement`` with ``pip --target bench/.peers/<folder>`` unless it is there."""
    target = PEERS_DIR / folder
    if not (target / ".installed").exists():
        target.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
             "--target", str(target), requirement],
            check=True,
        )
        (target / ".installed").write_text(requirement + "\n")
    return target


def import_peer(folder: str, requirement: str, module: str) -> ModuleType:
    """Ensure the peer is installed, then import ``module`` from its folder only."""
    target = str(ensure_installed(folder, requirement))
    top = module.partition(".")[0]
    for name in [n for n in sys.modules if n == top or n.startswith(top + ".")]:
        del sys.modules[name]  # a same-named package from another peer must not be reused
    sys.path.insert(0, target)
    try:
        return importlib.import_module(module)
    finally:
        sys.path.remove(target)

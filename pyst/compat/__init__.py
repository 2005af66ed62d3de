"""pyst 0.x compatibility: the ``asterisk.agi``, ``asterisk.manager`` and ``asterisk.config``
APIs of pyst 0.9, rebuilt on :mod:`pyst.agi`, :mod:`pyst.manager` and :mod:`pyst.config`.

A pyst 0.x program moves over by changing its imports only::

    from pyst.compat.agi import AGI            # was: from asterisk.agi import AGI
    from pyst.compat.manager import Manager    # was: from asterisk.manager import Manager
    from pyst.compat.config import Config      # was: from asterisk.config import Config
    from pyst import compat as asterisk         # was: import asterisk.manager (etc.)

The names, arguments, return values and exceptions are those of pyst 0.9; the differences
(mostly where 0.9 crashed, hung or disagreed with Asterisk) are listed in
``docs/migrating.md``, which also maps every 0.x call to the new API.  Each compat object
exposes the new object it wraps (``agi.core``, ``manager.client``, ``config.document``), so
code can move to the new API one call at a time.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["agi", "agitb", "astemu", "config", "manager"]

_SUBMODULES = frozenset(__all__)


def __getattr__(name: str) -> ModuleType:
    """Import the submodules on first use, so that
    ``from pyst import compat as asterisk`` serves ``asterisk.manager.Manager()`` as 0.x's
    ``import asterisk.manager`` did, without loading the modules a program does not use."""
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Pause the cyclic garbage collector while building large trees.

Parsing a 100,000-line file allocates several hundred thousand small objects and no
reference cycles worth collecting; left running, the collector's generation-0 and -1
passes took about a third of the time (measured in bench/config_bench.py).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic GC inside the block, restoring its previous state after."""
    was_enabled = gc.isenabled()
    if was_enabled:
        gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

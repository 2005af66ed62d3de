"""``pyst-config``: the command line over pyst's Asterisk tools.

Each subcommand lives in a module of its own (``_show``, ``_check``, ...) and registers
itself in :mod:`pyst.cli._app`; ``main`` parses the arguments and runs the one asked for.
Exit codes: 0 done, 1 findings (or, with ``--check``, changes), 2 usage or I/O error,
3 edit refused (``pyst.config.ConfigEditError``).
"""

from __future__ import annotations

from pyst.cli._app import main

__all__ = ["main"]

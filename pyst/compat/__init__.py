"""pyst 0.x compatibility: the ``asterisk.agi``, ``asterisk.manager`` and ``asterisk.config``
APIs of pyst 0.9, rebuilt on :mod:`pyst.agi`, :mod:`pyst.manager` and :mod:`pyst.config`.

A pyst 0.x program moves over by changing its imports only::

    from pyst.compat.agi import AGI            # was: from asterisk.agi import AGI
    from pyst.compat.manager import Manager    # was: from asterisk.manager import Manager
    from pyst.compat.config import Config      # was: from asterisk.config import Config

The names, arguments, return values and exceptions are those of pyst 0.9; the differences
(mostly where 0.9 crashed, hung or disagreed with Asterisk) are listed in
``docs/migrating.md``, which also maps every 0.x call to the new API.  Each compat object
exposes the new object it wraps (``agi.core``, ``manager.client``, ``config.document``), so
code can move to the new API one call at a time.
"""

__all__: list[str] = []

"""pyst 0.x's ``asterisk.agitb`` (crash reports for AGI scripts) on top of
:func:`pyst.agi.format_report`.

``from pyst import compat as asterisk`` then ``asterisk.agitb.enable(agi, display, logdir)``
works as in 0.x: an uncaught exception is reported on the Asterisk console (``VERBOSE`` at
level 4, through ``agi``) or on stderr, and written to a new file in ``logdir``.  The report
is pyst's: the traceback plus each frame's local variables, with the values of
secret-looking names (``password``, ``secret``, ``token``, ...) replaced by ``<redacted>``.
0.x's ``context`` (lines of source per frame) is accepted and not used.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from types import TracebackType
from typing import IO, Any

from pyst.agi import TracebackOptions, format_report

__all__ = ["Hook", "enable", "handler", "text"]

ExcInfo = tuple[type[BaseException] | None, BaseException | None, TracebackType | None]


def text(info: ExcInfo, context: int = 5) -> str:
    """The report for ``info`` (a :func:`sys.exc_info` triple) as text."""
    _, error, tb = info
    if error is None:
        return ""
    lines = format_report(error.with_traceback(tb), TracebackOptions(show_locals=True))
    return "\n".join(lines) + "\n"


class Hook:
    """An exception hook (0.x's ``agitb.Hook``): ``display`` shows the report (through
    ``agi.verbose(line, 4)`` when ``agi`` is given, else on ``file``, default stderr);
    ``logdir`` also saves it to a new file there."""

    def __init__(
        self,
        display: bool | int = 1,
        logdir: str | os.PathLike[str] | None = None,
        context: int = 5,
        file: IO[str] | None = None,
        agi: Any = None,
    ) -> None:
        self.display = display
        self.logdir = logdir
        self.context = context
        self.file = file or sys.stderr
        self.agi = agi

    def __call__(
        self, etype: type[BaseException], evalue: BaseException, etb: TracebackType | None
    ) -> None:
        self.handle((etype, evalue, etb))

    def _say(self, message: str) -> None:
        if self.agi is not None:
            try:
                self.agi.verbose(message, 4)
            except Exception:  # the channel may be gone; the report must not fail
                self.file.write(message + "\n")
        else:
            self.file.write(message + "\n")

    def handle(self, info: ExcInfo | None = None) -> None:
        """Report ``info`` (default: the exception being handled)."""
        report = text(info or sys.exc_info(), self.context)
        if self.display:
            for line in report.rstrip("\n").split("\n"):
                self._say(line)
        self._say("A problem occurred in a Python script")
        if self.logdir is not None:
            try:
                handle, path = tempfile.mkstemp(suffix=".txt", dir=self.logdir)
                with os.fdopen(handle, "w") as out:
                    out.write(report)
                self._say(f"{path} contains the description of this error.")
            except OSError as error:
                self._say(f"Tried to save the traceback to {self.logdir}, but failed: {error}")
        with contextlib.suppress(Exception):
            self.file.flush()


#: Report the exception being handled (replaced by :func:`enable`).
handler = Hook().handle


def enable(
    agi: Any = None,
    display: bool | int = 1,
    logdir: str | os.PathLike[str] | None = None,
    context: int = 5,
) -> None:
    """Report every uncaught exception with a :class:`Hook` (installed as
    :data:`sys.excepthook`) and make :data:`handler` use it too."""
    global handler
    hook = Hook(display=display, logdir=logdir, context=context, agi=agi)
    sys.excepthook = hook
    handler = hook.handle

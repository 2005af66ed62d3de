"""The single exception hierarchy of :mod:`pyst.agi`."""

from __future__ import annotations

__all__ = [
    "AGIArgumentError",
    "AGICommandError",
    "AGICommandFailure",
    "AGIConnectionClosed",
    "AGIDeadChannel",
    "AGIError",
    "AGIHangup",
    "AGIInvalidCommand",
    "AGIProtocolError",
    "AGITimeout",
    "AGIUnexpectedReply",
    "AGIUsageError",
    "AsyncAGIEnded",
]


class AGIError(Exception):
    """Base class of every error raised by :mod:`pyst.agi`."""


class AGIHangup(AGIError):
    """The channel hung up or Asterisk went away.

    This is the one exception a script catches to clean up after a hang-up, whatever the
    signal was: a ``511`` reply, an inline ``HANGUP`` line, SIGHUP, end of input, or a
    ``result=-1`` from a command that only fails when the channel is gone.  Commands that
    Asterisk marks "Dead: Yes" (variables, database, ``VERBOSE``, ``EXEC``, ``NOOP``) keep
    working after a hang-up, so cleanup code may still use them.
    """


class AGIDeadChannel(AGIHangup):
    """Asterisk answered ``511``: the command is not permitted on a dead channel."""


class AGIConnectionClosed(AGIHangup):
    """Asterisk closed the connection (end of input); no further command can be sent."""


class AsyncAGIEnded(AGIConnectionClosed):
    """Asterisk ended the AsyncAGI session (``AsyncAGIEnd``): the channel left
    ``AGI(agi:async)``, so no further command is sent.

    Asterisk ends AsyncAGI after ``ASYNCAGI BREAK``, when the channel hangs up, and when a
    command fails without a hang-up (res_agi.c launch_asyncagi stops on its
    ``RESULT_FAILURE``, e.g. STREAM FILE of a missing file, ``200 result=-1 endpos=0``).
    A command sent after that would wait in the channel's queue for its next
    ``AGI(agi:async)``, or fail with "Channel ... does not exist".
    """


class AGIProtocolError(AGIError):
    """Asterisk sent something that is not a valid AGI reply (the line is in ``line``)."""

    def __init__(self, message: str, line: str = "") -> None:
        super().__init__(message)
        self.line = line


class AGITimeout(AGIError, TimeoutError):
    """No reply (or no session end) within the configured time limit."""


class AGIArgumentError(AGIError, ValueError):
    """An argument cannot be sent to Asterisk (CR, LF or NUL in it, or a line too long)."""


class AGICommandError(AGIError):
    """Asterisk rejected or failed a command; ``code`` and ``line`` hold its reply."""

    def __init__(self, message: str, *, code: int, line: str, command: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.line = line
        self.command = command


class AGIInvalidCommand(AGICommandError):
    """``510``: Asterisk does not know the command (typo, or the module is not loaded)."""


class AGIUsageError(AGICommandError):
    """``520``: the command's arguments were wrong; ``usage`` is Asterisk's usage text."""

    def __init__(self, message: str, *, line: str, usage: str, command: str = "") -> None:
        super().__init__(message, code=520, line=line, command=command)
        self.usage = usage


class AGICommandFailure(AGICommandError):
    """The command ran but reported failure (usually ``result=-1``)."""


class AGIUnexpectedReply(AGICommandError):
    """A well-formed reply whose code or result this command does not define."""

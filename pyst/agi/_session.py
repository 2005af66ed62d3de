"""Sans-IO state of one AGI conversation: environment, one command at a time, errors."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Final, TypeVar

from ._commands import Command, CommandFailed
from ._env import AGIEnvironment, EnvironmentReader
from ._errors import (
    AGIArgumentError,
    AGICommandFailure,
    AGIConnectionClosed,
    AGIDeadChannel,
    AGIError,
    AGIHangup,
    AGIInvalidCommand,
    AGIProtocolError,
    AGIUnexpectedReply,
    AGIUsageError,
)
from ._reply import LineBuffer, Reply, ReplyParser
from ._secrets import redact_command, redact_reply

__all__ = ["NEED_DATA", "AGIProtocol", "ExchangeObserver"]

T = TypeVar("T")

log = logging.getLogger("pyst.agi")


class _NeedData:
    def __repr__(self) -> str:
        return "NEED_DATA"


#: Returned by :meth:`AGIProtocol.next_result` when more bytes must be received.
NEED_DATA: Final = _NeedData()

#: Called after every command with (command line, reply or None, error or None, seconds).
ExchangeObserver = Callable[[str, "Reply | None", "BaseException | None", float], None]


class AGIProtocol:
    """The transport-independent core of an AGI session.

    Usage: feed received bytes with :meth:`receive_data`/:meth:`receive_eof`; read the
    environment with :meth:`next_environment`; for each command, write the bytes returned
    by :meth:`send` and call :meth:`next_result` until it stops returning
    :data:`NEED_DATA`.  One command is outstanding at a time.  After a timeout or a reply
    that is not AGI the session is marked broken, since a late reply would otherwise be
    taken for the answer to the next command.
    """

    def __init__(
        self,
        environment: AGIEnvironment | None = None,
        observer: ExchangeObserver | None = None,
    ) -> None:
        self.buffer = LineBuffer()
        self.parser = ReplyParser(self.buffer)
        self.environment = environment
        self._env_reader = EnvironmentReader(self.buffer) if environment is None else None
        self.observer = observer
        self.sighup = False
        self.dead = False
        #: A reply that only a hang-up explains (e.g. WAIT FOR DIGIT's result=-1), or a
        #: successful HANGUP of the session's own channel.
        self.hangup_inferred = False
        #: Writing to Asterisk failed because the connection is gone.
        self.connection_lost = False
        #: A transport's own limit on one command line in bytes (None: only the 8190 bytes
        #: Asterisk reads), and why it has it; a longer command is refused before it is sent.
        self.max_line_bytes: int | None = None
        self.max_line_reason = ""
        self._pending: Command[object] | None = None
        self._sent_at = 0.0
        self._broken: AGIError | None = None

    # ------------------------------------------------------------------ input

    def receive_data(self, data: bytes) -> None:
        """Feed bytes received from Asterisk."""
        self.buffer.feed(data)

    def receive_eof(self) -> None:
        """Record that Asterisk closed the stream."""
        if not self.buffer.eof:
            self.buffer.feed_eof()

    # ------------------------------------------------------------------ state

    @property
    def hung_up(self) -> bool:
        """True once any hang-up signal was seen (HANGUP line, SIGHUP, 511, end of input,
        a lost connection, a ``result=-1`` from a command that only fails on hang-up, or
        a successful HANGUP of the own channel)."""
        return (
            self.sighup
            or self.dead
            or self.hangup_inferred
            or self.connection_lost
            or self.parser.hangups > 0
            or self.buffer.eof
        )

    @property
    def waiting(self) -> bool:
        """True while a command waits for its reply."""
        return self._pending is not None

    def next_environment(self) -> AGIEnvironment | None:
        """Return the environment block once complete, else ``None`` (need more data)."""
        if self.environment is None:
            assert self._env_reader is not None
            self.environment = self._env_reader.next()
        return self.environment

    def abort_command(self, error: BaseException) -> None:
        """Writing the outstanding command or waiting for its reply failed with ``error``
        (a transport error, a timeout, an interrupt or cancellation).

        The command is finished with ``error`` (the observer sees it) and the session
        refuses further commands: Asterisk may have received part of the line, or may
        still send the reply.  Later commands raise an error of the same class when it is
        an :class:`AGIError`, so a closed connection stays :class:`AGIConnectionClosed`
        (an :class:`AGIHangup`) and also counts as a hang-up.  Does nothing when no
        command is outstanding (the error came from the reply itself).
        """
        command = self._pending
        if command is None:
            return
        self._finish(command, None, error)
        if isinstance(error, AGIConnectionClosed):
            self.connection_lost = True
        self._broken = (
            error if isinstance(error, AGIError) else AGIError(f"command interrupted: {error!r}")
        )

    def mark_broken(self, error: AGIError) -> None:
        """Refuse further commands, e.g. after a timeout left a reply outstanding."""
        self._broken = error
        self._pending = None

    # ------------------------------------------------------------------ commands

    def send(self, command: Command[T]) -> bytes:
        """Start ``command`` and return the bytes to write to Asterisk."""
        if self._broken is not None:
            message = f"session unusable after an earlier error: {self._broken}"
            try:
                error = type(self._broken)(message)
            except TypeError:  # an error class with required extra arguments
                error = AGIError(message)
            raise error
        if self._pending is not None:
            raise AGIError(
                "another command is still waiting for its reply; AGI runs one command at a "
                "time (do not share one AGI object between threads or tasks)"
            )
        if self.buffer.eof and not self.buffer.has_line():
            raise AGIConnectionClosed(
                f"cannot send {redact_command(command.line)!r}: Asterisk already closed the "
                "connection"
            )
        data = (command.line + "\n").encode("utf-8", "surrogateescape")
        if self.max_line_bytes is not None and len(data) - 1 > self.max_line_bytes:
            raise AGIArgumentError(
                f"{command.name or 'the command'}: its line is {len(data) - 1} bytes, but "
                f"this transport carries at most {self.max_line_bytes} ({self.max_line_reason}); "
                "shorten the value (the session stays usable)"
            )
        self._pending = command
        self.parser.value_reply = command.value_reply
        self._sent_at = time.perf_counter()
        return data

    def next_result(self) -> object:
        """Return the typed result of the outstanding command, or :data:`NEED_DATA`.

        Raises the :class:`AGIError` subclass the reply means.
        """
        command = self._pending
        if command is None:
            raise AGIError("no command is waiting for a reply")
        try:
            reply = self.parser.next_reply()
        except (AGIConnectionClosed, AGIProtocolError) as error:
            # The stream ended, or its position is unknown: no further command.
            self._finish(command, None, error)
            self._broken = error
            raise
        if reply is None:
            return NEED_DATA
        try:
            # Only what arrived up to the reply counts: HANGUP lines after it are
            # consumed below, so the outcome does not depend on how bytes were chunked.
            result = self._interpret(command, reply)
        except AGIError as error:
            self.parser.drain_hangups()
            self._finish(command, reply, error)
            raise
        self.parser.drain_hangups()
        if command.name == "EXEC" and reply.code == 200 and reply.result == "1":
            # Asterisk follows this reply with a 520 usage block (see owe_usage_block).
            self.parser.owe_usage_block()
        self._finish(command, reply, None)
        return result

    def _finish(
        self, command: Command[object], reply: Reply | None, error: BaseException | None
    ) -> None:
        self._pending = None
        if self.observer is not None:
            try:
                self.observer(command.line, reply, error, time.perf_counter() - self._sent_at)
            except Exception as failure:  # a transcript must not undo a finished command
                log.warning("AGI transcript observer failed: %r", failure)

    def _concerns_own_channel(self, command: Command[object]) -> bool:
        """True unless ``command`` names a channel other than the session's own."""
        if command.channel is None:
            return True
        return self.environment is not None and command.channel == self.environment.channel

    def _interpret(self, command: Command[T], reply: Reply) -> T:
        code = reply.code
        line = command.line
        if code == 200:
            if (
                command.reports_hangup is not None
                and self._concerns_own_channel(command)
                and command.reports_hangup(reply)
            ):
                self.hangup_inferred = True
            try:
                return command.interpret(reply)
            except CommandFailed as failure:
                # "Dead: Yes" commands work the same on a dead channel, so their
                # failures are never the hang-up's doing.
                hangup_possible = failure.hangup_possible and not command.dead_ok
                if hangup_possible and (self.hung_up or command.fails_on_hangup):
                    self.hangup_inferred = True
                    raise AGIHangup(
                        f"{command.name}: the channel has hung up ({failure.reason})"
                    ) from None
                raise AGICommandFailure(
                    f"{command.name} failed: {failure.reason} (reply {reply.line!r})",
                    code=code,
                    line=reply.line,
                    command=line,
                ) from None
            except AGIUnexpectedReply as error:
                error.command = line
                raise
        # Below, messages end up in logs and crash reports, so command lines in them are
        # redacted (the ``command`` attribute keeps the real line).
        if code == 511:
            self.dead = True
            raise AGIDeadChannel(
                f"{command.name} is not permitted on a dead channel: the caller hung up. "
                "Only variable, database, VERBOSE, EXEC and NOOP commands still work."
            )
        if code == 510:
            raise AGIInvalidCommand(
                f"Asterisk does not know the command {redact_command(line)!r} (510); check "
                "its spelling and that the module providing it is loaded",
                code=code,
                line=reply.line,
                command=line,
            )
        if code == 520:
            usage = reply.usage or ""
            raise AGIUsageError(
                f"wrong arguments for {command.name} (520): {redact_command(line)!r}"
                + (f"\nUsage: {usage}" if usage else ""),
                line=reply.line,
                usage=usage,
                command=line,
            )
        raise AGIUnexpectedReply(
            f"unexpected reply {redact_reply(line, reply.line)!r} to {redact_command(line)!r}",
            code=code,
            line=reply.line,
            command=line,
        )

"""Debugging aids: the transcript mode and the traceback reporter (pyst's ``agitb``)."""

from __future__ import annotations

import logging
import os
import re
import sys
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import IO, TYPE_CHECKING

from ._errors import AGIError
from ._quoting import split_arguments
from ._reply import Reply

if TYPE_CHECKING:
    from ._agi import AGI, AsyncAGI
    from ._session import ExchangeObserver

__all__ = [
    "TRANSCRIPT_ENV",
    "TracebackOptions",
    "Transcript",
    "format_report",
    "install_excepthook",
    "is_secret_name",
    "observer_from_environment",
    "report_exception",
    "report_exception_async",
    "resolve_observer",
]

#: Set to ``1``/``stderr`` (log to stderr), ``log`` (the ``pyst.agi.transcript`` logger)
#: or a file path to record every AGI exchange.
TRANSCRIPT_ENV = "PYST_AGI_TRANSCRIPT"

_SECRET = re.compile(r"pass|secret|token|key|auth|pwd|credential|cookie|session", re.IGNORECASE)
_REDACTED = "<redacted>"
_UNSAFE = re.compile(r"[\r\n\x00]")


def is_secret_name(name: str) -> bool:
    """True if a variable called ``name`` probably holds a secret."""
    return bool(_SECRET.search(name))


def _redact_command(line: str) -> str:
    words = split_arguments(line)
    upper = [w.upper() for w in words[:2]]
    if upper == ["SET", "VARIABLE"] and len(words) >= 4 and is_secret_name(words[2]):
        return f"SET VARIABLE {words[2]} {_REDACTED}"
    if upper == ["DATABASE", "PUT"] and len(words) >= 5 and is_secret_name(words[3]):
        return f"DATABASE PUT {words[2]} {words[3]} {_REDACTED}"
    return line


class Transcript:
    """Exchange observer that logs each command, its reply and latency.

    ``target`` is a ``logging.Logger`` (default ``pyst.agi.transcript``, level INFO), a
    text stream or a file path (appended).  Values set into variables whose names look
    secret are redacted.  Never write to stdout from a stdio AGI script: that is the
    channel to Asterisk.
    """

    def __init__(self, target: logging.Logger | IO[str] | str | None = None) -> None:
        self._stream: IO[str] | None = None
        self._logger: logging.Logger | None = None
        if target is None:
            self._logger = logging.getLogger("pyst.agi.transcript")
        elif isinstance(target, logging.Logger):
            self._logger = target
        elif isinstance(target, str):
            self._stream = open(target, "a", encoding="utf-8", errors="backslashreplace")  # noqa: SIM115
        else:
            self._stream = target

    def __call__(
        self, line: str, reply: Reply | None, error: BaseException | None, seconds: float
    ) -> None:
        """Record one exchange."""
        answer = reply.line if reply is not None else f"<{type(error).__name__}: {error}>"
        extra = ""
        if reply is not None and reply.provisional:
            extra += f" after {' | '.join(reply.provisional)}"
        if reply is not None and reply.hangup:
            extra += " (HANGUP line seen)"
        text = f"AGI {_redact_command(line)!r} -> {answer!r}{extra} in {seconds * 1000:.3f} ms"
        if self._logger is not None:
            self._logger.info("%s", text)
        if self._stream is not None:
            self._stream.write(f"{time.strftime('%H:%M:%S')} {text}\n")
            self._stream.flush()


def observer_from_environment(force: bool = False) -> Transcript | None:
    """Build the transcript observer the ``PYST_AGI_TRANSCRIPT`` variable asks for."""
    value = os.environ.get(TRANSCRIPT_ENV, "")
    if not value and not force:
        return None
    if value in ("", "1", "stderr", "yes", "true"):
        return Transcript(sys.stderr)
    if value == "log":
        return Transcript()
    return Transcript(value)


def resolve_observer(
    transcript: ExchangeObserver | bool | None,
) -> ExchangeObserver | None:
    """The observer for a ``transcript=`` option: ``None`` follows the environment
    variable, ``True`` forces a transcript on stderr (or where the variable says),
    ``False`` disables it, anything else is used as is."""
    if transcript is None:
        return observer_from_environment()
    if transcript is True:
        return observer_from_environment(force=True)
    if transcript is False:
        return None
    return transcript


@dataclass(frozen=True)
class TracebackOptions:
    """How :func:`report_exception` reports a crash.

    ``log_file``: append the report there too; ``show_locals``: include each frame's local
    variables (secret-looking names redacted); ``verbose_level``: level of the ``VERBOSE``
    lines; ``hangup``: hang up the channel after setting ``PYST_AGI_ERROR``.
    """

    log_file: str | None = None
    show_locals: bool = False
    verbose_level: int = 1
    hangup: bool = True
    max_value_length: int = 200


def _safe_repr(name: str, value: object, limit: int) -> str:
    if is_secret_name(name):
        return _REDACTED
    try:
        text = repr(value)
    except Exception as error:  # a broken __repr__ must not hide the original crash
        text = f"<unrepresentable {type(value).__name__}: {error!r}>"
    return text if len(text) <= limit else text[:limit] + "..."


def format_report(
    error: BaseException, options: TracebackOptions = TracebackOptions()
) -> list[str]:
    """Return the crash report for ``error`` as lines (no newlines, no CR/NUL)."""
    lines = ["AGI script failed with an unhandled exception:"]
    lines.extend(
        part
        for chunk in traceback.format_exception(type(error), error, error.__traceback__)
        for part in chunk.rstrip("\n").split("\n")
    )
    if options.show_locals:
        tb: TracebackType | None = error.__traceback__
        while tb is not None:
            frame = tb.tb_frame
            lines.append(
                f"Locals of {frame.f_code.co_name} ({frame.f_code.co_filename}:{tb.tb_lineno}):"
            )
            for name, value in sorted(frame.f_locals.items()):
                lines.append(f"    {name} = {_safe_repr(name, value, options.max_value_length)}")
            tb = tb.tb_next
    return [_UNSAFE.sub(" ", line)[:1000] for line in lines]


def _write_log(path: str | None, lines: list[str]) -> None:
    if path is None:
        return
    with open(path, "a", encoding="utf-8", errors="backslashreplace") as log:
        log.write(time.strftime("%Y-%m-%d %H:%M:%S ") + "\n".join(lines) + "\n\n")


def _error_summary(error: BaseException) -> str:
    return _UNSAFE.sub(" ", f"{type(error).__name__}: {error}")[:200]


def _steps(
    error: BaseException, options: TracebackOptions
) -> Iterator[tuple[str, tuple[object, ...]]]:
    """The commands that report a crash, in order (shared by the sync and async paths)."""
    lines = format_report(error, options)
    _write_log(options.log_file, lines)
    for line in lines:
        yield "verbose", (line, options.verbose_level)
    yield "set_variable", ("PYST_AGI_ERROR", _error_summary(error))
    if options.hangup:
        yield "hangup", ()


def report_exception(
    agi: AGI, error: BaseException, options: TracebackOptions = TracebackOptions()
) -> None:
    """Report ``error`` on the Asterisk console and log, then leave the channel defined:
    ``PYST_AGI_ERROR`` set to the exception summary and (by default) hung up.

    Failures while reporting (e.g. the channel is already gone) are ignored.
    """
    for name, args in _steps(error, options):
        try:
            getattr(agi, name)(*args)
        except AGIError:
            if name == "hangup":
                return
            continue


async def report_exception_async(
    agi: AsyncAGI, error: BaseException, options: TracebackOptions = TracebackOptions()
) -> None:
    """The :func:`report_exception` of :class:`AsyncAGI` sessions."""
    for name, args in _steps(error, options):
        try:
            await getattr(agi, name)(*args)
        except AGIError:
            continue


def install_excepthook(agi: AGI, options: TracebackOptions = TracebackOptions()) -> None:
    """Opt in to crash reports for a stdio script: uncaught exceptions are reported with
    :func:`report_exception` and then handed to the previous ``sys.excepthook``."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if not isinstance(error, KeyboardInterrupt):
            report_exception(agi, error.with_traceback(tb), options)
        previous(kind, error, tb)

    sys.excepthook = hook

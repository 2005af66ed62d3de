"""Debugging aids: the transcript mode and the traceback reporter (pyst's ``agitb``)."""

from __future__ import annotations

import contextlib
import itertools
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

from ._errors import AGIArgumentError
from ._quoting import quote_argument
from ._reply import Reply
from ._secrets import REDACTED as _REDACTED
from ._secrets import is_secret_name, redact_command, redact_reply, secret_values

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

_UNSAFE = re.compile(r"[\r\n\x00]")


def _printable(text: str) -> str:
    """``text`` made safe for a VERBOSE line or a log: CR/LF/NUL become spaces and
    characters UTF-8 cannot encode (lone surrogates) become backslash escapes."""
    text = _UNSAFE.sub(" ", text)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


class Transcript:
    """Exchange observer that logs each command, its reply and latency.

    ``target`` is a ``logging.Logger`` (default ``pyst.agi.transcript``, level INFO), a
    text stream or a file path (appended).  Values set into variables whose names look
    secret are redacted, and so are values read back from them.  Never write to stdout
    from a stdio AGI script: that is the channel to Asterisk.
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
        answer = (
            redact_reply(line, reply.line)
            if reply is not None
            else f"<{type(error).__name__}: {error}>"
        )
        extra = ""
        if reply is not None and reply.provisional:
            extra += f" after {' | '.join(reply.provisional)}"
        if reply is not None and reply.hangup:
            extra += " (HANGUP line seen)"
        text = f"AGI {redact_command(line)!r} -> {answer!r}{extra} in {seconds * 1000:.3f} ms"
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


def _safe_repr(name: str, value: object, limit: int, secrets: frozenset[str] = frozenset()) -> str:
    """``repr(value)`` for a crash report: ``<redacted>`` if ``name`` looks secret or the
    representation contains one of ``secrets``, then cut to ``limit`` characters.

    Redaction looks at the whole representation before it is cut, so a long secret
    cannot slip through as its first characters.
    """
    if is_secret_name(name):
        return _REDACTED
    try:
        text = repr(value)
    except Exception as error:  # a broken __repr__ must not hide the original crash
        text = f"<unrepresentable {type(value).__name__}: {error!r}>"
    if secrets and any(secret in text for secret in secrets):
        return _REDACTED
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
        secrets = _secret_values(error.__traceback__)
        tb: TracebackType | None = error.__traceback__
        while tb is not None:
            frame = tb.tb_frame
            lines.append(
                f"Locals of {frame.f_code.co_name} ({frame.f_code.co_filename}:{tb.tb_lineno}):"
            )
            for name, value in sorted(frame.f_locals.items()):
                shown = _safe_repr(name, value, options.max_value_length, secrets)
                lines.append(f"    {name} = {shown}")
            tb = tb.tb_next
    return [_printable(line)[:1000] for line in lines]


#: Local variable names that hold a variable (or key) name rather than a value.
_NAME_LOCALS = frozenset({"name", "key", "variable", "family"})
#: How deep :func:`_secret_values` looks into containers, and how many items of each.
_DEPTH = 3
_ITEMS = 200


def _collect_items(items: list[tuple[object, object]], found: set[str], depth: int) -> None:
    """Secrets among ``(name, value)`` items: a frame's locals or a dict (``kwargs``).

    The value of a secret-looking name is secret, and so is every other string when a
    name-holding item (``name="DB_PASSWORD"``) names a secret variable."""
    names_secret = any(
        key in _NAME_LOCALS and isinstance(value, str) and is_secret_name(value)
        for key, value in items
    )
    for key, value in items:
        if isinstance(value, str) and isinstance(key, str) and (
            is_secret_name(key) or (names_secret and key not in _NAME_LOCALS)
        ):
            found.add(value)
        _collect_value(value, found, depth)


def _collect_value(value: object, found: set[str], depth: int) -> None:
    """Secrets inside one value: command lines and ``NAME=value`` assignments in text
    (the same knowledge the transcript redacts with), ``(name, value)`` pairs in
    sequences, and the items of dicts."""
    if isinstance(value, bytes | bytearray):
        value = bytes(value[:100_000]).decode("utf-8", "surrogateescape")
    if isinstance(value, str):
        found.update(secret_values(value[:100_000]))
    elif depth <= 0:
        return
    elif isinstance(value, tuple | list):
        items = value[:_ITEMS]
        # (name, value) pairs inside argument tuples: ("DB_PASSWORD", "hunter2")
        for first, second in itertools.pairwise(items):
            if isinstance(first, str) and isinstance(second, str) and is_secret_name(first):
                found.add(second)
        for item in items:
            _collect_value(item, found, depth - 1)
    elif isinstance(value, dict):
        _collect_items(list(itertools.islice(value.items(), _ITEMS)), found, depth - 1)


def _repr_forms(value: str) -> set[str]:
    """How ``value`` can appear inside a ``repr``: as text, as UTF-8 bytes, quoted."""
    forms = {repr(value)[1:-1], repr(value.encode("utf-8", "surrogateescape"))[2:-1]}
    with contextlib.suppress(AGIArgumentError):
        quoted = quote_argument(value)
        forms |= {repr(quoted)[1:-1], repr(quoted.encode("utf-8", "surrogateescape"))[2:-1]}
    return forms


def _secret_values(tb: TracebackType | None) -> frozenset[str]:
    """Secret values found in the traceback's frames, as they appear inside a ``repr``:
    so ``set_variable("DB_PASSWORD", value)`` (or with keywords, or ``exec("Set",
    "DB_PASSWORD=...")``) hides ``value`` in every frame it went through (argument
    tuples, ``kwargs``, builders, quoting, the bytes sent)."""
    found: set[str] = set()
    while tb is not None:
        _collect_items(list(tb.tb_frame.f_locals.items()), found, _DEPTH)
        tb = tb.tb_next
    return frozenset(form for value in found if len(value) >= 3 for form in _repr_forms(value))


def _write_log(path: str | None, lines: list[str]) -> None:
    if path is None:
        return
    try:
        with open(path, "a", encoding="utf-8", errors="backslashreplace") as log:
            log.write(time.strftime("%Y-%m-%d %H:%M:%S ") + "\n".join(lines) + "\n\n")
    except (OSError, ValueError) as error:  # reporting goes on without the log file
        logging.getLogger("pyst.agi").warning(
            "cannot write the AGI crash report to %r: %s", path, error
        )


def _error_summary(error: BaseException) -> str:
    try:
        text = f"{type(error).__name__}: {error}"
    except Exception:  # a broken __str__ must not stop the report
        text = type(error).__name__
    return _printable(text)[:200]


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
        except Exception:  # e.g. AGIHangup: go on with the next step
            continue


async def report_exception_async(
    agi: AsyncAGI, error: BaseException, options: TracebackOptions = TracebackOptions()
) -> None:
    """The :func:`report_exception` of :class:`AsyncAGI` sessions."""
    for name, args in _steps(error, options):
        try:
            await getattr(agi, name)(*args)
        except Exception:  # e.g. AGIHangup: go on with the next step
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

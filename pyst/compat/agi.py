"""pyst 0.x's ``asterisk.agi`` on top of :mod:`pyst.agi`.

``from pyst.compat.agi import AGI`` replaces ``from asterisk.agi import AGI``: the same
methods, arguments, return values (digits as ``str``, ``''`` for "none") and exceptions
(:class:`AGIException` and its 0.x subclasses).  Commands run through :class:`pyst.agi.AGI`,
so arguments are quoted the way Asterisk splits them and replies are parsed by the new core;
``agi.core`` is that :class:`pyst.agi.AGI`, for moving to the new API a call at a time.

``AGI()`` talks over stdin/stdout like 0.x; ``AGI(stdin, stdout)`` over any pair of file
objects (text or binary, e.g. a FastAGI socket's ``makefile()``); ``AGI(core=session)`` wraps
a :class:`pyst.agi.AGI` you already have (a :class:`pyst.agi.ThreadedFastAGIServer` handler's
argument, or :meth:`pyst.agi.testing.FakeAsterisk.connect`).
"""

from __future__ import annotations

import io
import re
import sys
import threading
from collections.abc import Callable, Sequence
from typing import IO, Any, TypeVar

from pyst import agi as _agi
from pyst.agi import Reply

__all__ = [
    "AGI",
    "DEFAULT_RECORD",
    "DEFAULT_TIMEOUT",
    "AGIAppError",
    "AGIArgumentError",
    "AGIDBError",
    "AGIError",
    "AGIException",
    "AGIHangup",
    "AGIInvalidCommand",
    "AGIResultHangup",
    "AGISIGHUPHangup",
    "AGISIGPIPEHangup",
    "AGITimeout",
    "AGIUnknownError",
    "AGIUsageError",
    "re_code",
    "re_kv",
]

#: Default timeout (milliseconds) of the commands that wait for input, as in 0.x.
DEFAULT_TIMEOUT = 2000
#: Default maximum recording time (milliseconds) of :meth:`AGI.record_file`, as in 0.x.
DEFAULT_RECORD = 20000

#: Splits a reply line into its status code and the rest (0.x's ``re_code``).
re_code = re.compile(r"(^\d*)\s*(.*)")
#: Finds ``key=value (data)`` groups in the rest of a reply line (0.x's ``re_kv``).
re_kv = re.compile(r"(?P<key>\w+)=(?P<value>[^\s]+)\s*(?:\((?P<data>.*)\))*")

T = TypeVar("T")

#: What 0.x accepts for digits: ``"123"``, ``123`` or a list such as ``[1, "2", 3]``.
Digits = str | int | Sequence[str | int]


# ----------------------------------------------------------------------------- exceptions


class AGIException(_agi.AGIError):
    """Base of every exception of this module (0.x's root; also a :class:`pyst.agi.AGIError`)."""


class AGIError(AGIException):
    """An AGI command failed (0.x's ``AGIError``)."""


class AGIUnknownError(AGIError):
    """Asterisk answered with a status code or a reply this command does not define."""


class AGIAppError(AGIError):
    """The command or application reported failure (``result=-1``), or the channel hung up."""


class AGIHangup(AGIAppError):
    """The channel hung up (base of the three ways 0.x tells a hang-up)."""


class AGISIGHUPHangup(AGIHangup):
    """Asterisk sent SIGHUP: the caller hung up (stdio AGI)."""


class AGISIGPIPEHangup(AGIHangup):
    """Asterisk closed the connection (0.x saw a broken pipe)."""


class AGIResultHangup(AGIHangup):
    """A reply said the channel is gone (``(hangup)``, ``511``, or a ``-1`` only a hang-up
    explains)."""


class AGIDBError(AGIAppError):
    """An AstDB command found nothing or could not store or delete (``database_*``)."""


class AGIUsageError(AGIError):
    """``520``: wrong arguments; ``usage`` holds Asterisk's usage text."""

    usage: str = ""


class AGIInvalidCommand(AGIError):
    """``510``: Asterisk does not know the command."""


class AGIArgumentError(AGIError, ValueError):
    """An argument cannot be sent (CR, LF or NUL in it, or a line too long); new in compat,
    where 0.x would have sent a broken command line."""


class AGITimeout(AGIError, TimeoutError):
    """No reply in time (only when the wrapped session has a timeout); new in compat."""


# ----------------------------------------------------------------------------- transport


class _FileTransport:
    """A :class:`pyst.agi.SyncTransport` over two file objects (text or binary), as 0.x's
    ``AGI(stdin, stdout)`` took them."""

    def __init__(self, stdin: IO[Any], stdout: IO[Any]) -> None:
        self.stdin = stdin
        self.stdout = stdout

    def send(self, data: bytes) -> None:
        try:
            if isinstance(self.stdout, io.TextIOBase):
                self.stdout.write(data.decode("utf-8", "surrogateescape"))
            else:
                self.stdout.write(data)
            self.stdout.flush()
        except (OSError, ValueError) as error:  # broken pipe, closed file
            raise _agi.AGIConnectionClosed(f"cannot write to Asterisk: {error}") from None

    def receive(self) -> bytes:
        try:
            line = self.stdin.readline()
        except (OSError, ValueError):  # reset connection, closed file
            return b""
        if isinstance(line, str):
            return line.encode("utf-8", "surrogateescape")
        return bytes(line)

    def close(self) -> None:
        """The caller owns the files; nothing to release."""


# ----------------------------------------------------------------------------- helpers


def _digits(value: Digits) -> str:
    """0.x's digit lists: ``[1, "2", 3]`` -> ``"123"``; anything else -> ``str(value)``."""
    if isinstance(value, (list, tuple)):
        return "".join(map(str, value))
    return str(value)


def _epoch(value: int | float | str) -> int:
    return int(float(value))


def _char(digit: str | None) -> str:
    return digit or ""


class AGI:
    """pyst 0.x's AGI class: one AGI session with 0.x's method names and results.

    ``stdin``/``stdout`` are file objects (default: the process's stdin and stdout, read
    through :class:`pyst.agi.StdioTransport`); ``stderr`` is kept as ``agi.stderr`` for your
    own messages (compat does not echo the environment and every command there, as 0.x did:
    they may hold secrets; set ``PYST_AGI_TRANSCRIPT=stderr`` for a redacted log).
    ``core`` wraps an existing :class:`pyst.agi.AGI` instead.
    """

    def __init__(
        self,
        stdin: IO[Any] | None = None,
        stdout: IO[Any] | None = None,
        stderr: IO[Any] | None = None,
        *,
        core: _agi.AGI | None = None,
    ) -> None:
        self.stdin = stdin if stdin is not None else sys.stdin
        self.stdout = stdout if stdout is not None else sys.stdout
        self.stderr = stderr if stderr is not None else sys.stderr
        self._result: Reply | _agi.AGIError | None = None
        try:
            if core is not None:
                self.core = core
            elif stdin is None and stdout is None:
                self.core = _agi.AGI()
            else:
                self.core = _agi.AGI(_FileTransport(self.stdin, self.stdout))
                if threading.current_thread() is threading.main_thread():
                    self.core.install_sighup_handler()
        except _agi.AGIError as error:
            raise self._translate(error) from error
        #: The ``agi_*`` variables as 0.x kept them: ``{"agi_channel": "PJSIP/...", ...}``.
        self.env: dict[str, str] = {
            f"agi_{name}": value.strip() for name, value in self.core.env.variables.items()
        }

    # -------------------------------------------------------------------- plumbing

    def _translate(self, error: _agi.AGIError) -> AGIException:
        """The 0.x exception for an error of the new core (the original is its cause)."""
        message = str(error)
        if isinstance(error, AGIException):
            return error
        if isinstance(error, _agi.AGIConnectionClosed):
            return AGISIGPIPEHangup(message)
        if isinstance(error, _agi.AGIHangup):
            core = getattr(self, "core", None)
            if core is not None and core.protocol.sighup:
                return AGISIGHUPHangup(message)
            return AGIResultHangup(message)
        if isinstance(error, _agi.AGIInvalidCommand):
            return AGIInvalidCommand(message)
        if isinstance(error, _agi.AGIUsageError):
            usage_error = AGIUsageError(message)
            usage_error.usage = error.usage
            return usage_error
        if isinstance(error, _agi.AGICommandFailure):
            return AGIAppError(message)
        if isinstance(error, _agi.AGIArgumentError):
            return AGIArgumentError(message)
        if isinstance(error, _agi.AGITimeout):
            return AGITimeout(message)
        return AGIUnknownError(message)

    def _call(self, command: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a command of the core, raising 0.x's exceptions."""
        self.test_hangup()
        try:
            return command(*args, **kwargs)
        except AGIException:
            raise
        except _agi.AGIError as error:
            raise self._translate(error) from error

    def test_hangup(self) -> None:
        """Raise :class:`AGISIGHUPHangup` if Asterisk sent SIGHUP (0.x checks this before
        every command, so after a SIGHUP every command raises)."""
        if self.core.protocol.sighup:
            raise AGISIGHUPHangup("Received SIGHUP from Asterisk")

    # -------------------------------------------------------------------- raw commands

    def execute(self, command: str, *args: object) -> dict[str, tuple[str, str]]:
        """Send ``command`` with ``args`` joined by spaces (sent as given: quote them
        yourself, as in 0.x) and return 0.x's result dict, e.g. ``{"result": ("1", "value")}``.

        Raises :class:`AGIResultHangup` when the reply says ``(hangup)`` and
        :class:`AGIAppError` for ``result=-1``.
        """
        line = " ".join([command.strip(), *map(str, args)]).strip()
        reply = self._call(self.core.execute, line)
        return self._result_dict(reply)

    def send_command(self, command: str, *args: object) -> None:
        """Send a command; :meth:`get_result` then returns its result dict.

        (compat runs the whole exchange here and keeps the reply for :meth:`get_result`.)
        """
        line = " ".join([command.strip(), *map(str, args)]).strip()
        self._result = None
        self.test_hangup()
        try:
            self._result = self.core.execute(line)
        except _agi.AGIError as error:
            self._result = error

    def get_result(self) -> dict[str, tuple[str, str]]:
        """The result dict of the command sent with :meth:`send_command`."""
        outcome, self._result = self._result, None
        if outcome is None:
            raise AGIUnknownError("get_result() without a command sent by send_command()")
        if isinstance(outcome, _agi.AGIError):
            raise self._translate(outcome) from outcome
        return self._result_dict(outcome)

    def _result_dict(self, reply: Reply) -> dict[str, tuple[str, str]]:
        result: dict[str, tuple[str, str]] = {"result": ("", "")}
        rest = reply.line[4:]
        for key, value, data in re_kv.findall(rest):
            result[key] = (value, data)
            if data == "hangup":
                raise AGIResultHangup("User hungup during execution")
            if key == "result" and value == "-1":
                raise AGIAppError("Error executing application, or hangup")
        return result

    # -------------------------------------------------------------------- commands

    def answer(self) -> None:
        """Answer the channel if it is not already answered."""
        self._call(self.core.answer)

    def wait_for_digit(self, timeout: int = DEFAULT_TIMEOUT) -> str:
        """Wait up to ``timeout`` ms (``-1``: forever) for a DTMF digit; ``''`` if none."""
        return _char(self._call(self.core.wait_for_digit, int(timeout)))

    def send_text(self, text: str = "") -> None:
        """Send ``text`` on the channel (most channels do not support text)."""
        self._call(self.core.send_text, str(text))

    def receive_char(self, timeout: int = DEFAULT_TIMEOUT) -> str:
        """Receive one text character within ``timeout`` ms (``0``: forever); ``''`` for an
        empty frame.  A timeout raises :class:`AGIAppError` (Asterisk answers ``-1``)."""
        return _char(self._call(self.core.receive_char, int(timeout)))

    def tdd_mode(self, mode: str = "off") -> None:
        """Switch TDD mode (``"on"``/``"off"``); :class:`AGIAppError` if the channel is not
        TDD-capable."""
        if not self._call(self.core.tdd_mode, str(mode)):
            channel = self.env.get("agi_channel", "UNKNOWN")
            raise AGIAppError(f"Channel {channel} is not TDD-capable")

    def stream_file(self, filename: str, escape_digits: Digits = "", sample_offset: int = 0) -> str:
        """Play ``filename`` (no extension); return the escape digit pressed, or ``''``.

        A missing file raises :class:`AGIAppError` (Asterisk answers ``-1``).
        """
        played = self._call(
            self.core.stream_file, str(filename), _digits(escape_digits), int(sample_offset)
        )
        return _char(played.digit)

    def control_stream_file(
        self,
        filename: str,
        escape_digits: Digits = "",
        skipms: int = 3000,
        fwd: str = "",
        rew: str = "",
        pause: str = "",
    ) -> str:
        """Play ``filename`` with ``fwd``/``rew``/``pause`` keys skipping ``skipms``; return the
        escape digit pressed, or ``''``."""
        played = self._call(
            self.core.control_stream_file,
            str(filename),
            _digits(escape_digits),
            int(skipms),
            str(fwd),
            str(rew),
            str(pause),
        )
        return _char(played.digit)

    def send_image(self, filename: str) -> None:
        """Send an image (no extension) on the channel; a hang-up raises
        :class:`AGIResultHangup`."""
        self._call(self.core.send_image, str(filename))

    def say_digits(self, digits: Digits, escape_digits: Digits = "") -> str:
        """Say ``digits`` one by one; return the escape digit pressed, or ``''``."""
        return _char(self._call(self.core.say_digits, _digits(digits), _digits(escape_digits)))

    def say_number(self, number: Digits, escape_digits: Digits = "") -> str:
        """Say ``number``; return the escape digit pressed, or ``''``."""
        return _char(self._call(self.core.say_number, _digits(number), _digits(escape_digits)))

    def say_alpha(self, characters: Digits, escape_digits: Digits = "") -> str:
        """Spell ``characters``; return the escape digit pressed, or ``''``."""
        return _char(self._call(self.core.say_alpha, _digits(characters), _digits(escape_digits)))

    def say_phonetic(self, characters: Digits, escape_digits: Digits = "") -> str:
        """Spell ``characters`` phonetically; return the escape digit pressed, or ``''``."""
        return _char(
            self._call(self.core.say_phonetic, _digits(characters), _digits(escape_digits))
        )

    def say_date(self, seconds: int | float | str, escape_digits: Digits = "") -> str:
        """Say the date of ``seconds`` since the epoch; return the escape digit, or ``''``."""
        return _char(self._call(self.core.say_date, _epoch(seconds), _digits(escape_digits)))

    def say_time(self, seconds: int | float | str, escape_digits: Digits = "") -> str:
        """Say the time of ``seconds`` since the epoch; return the escape digit, or ``''``."""
        return _char(self._call(self.core.say_time, _epoch(seconds), _digits(escape_digits)))

    def say_datetime(
        self,
        seconds: int | float | str,
        escape_digits: Digits = "",
        format: str = "",
        zone: str = "",
    ) -> str:
        """Say ``seconds`` since the epoch in ``format`` (see voicemail.conf) and ``zone``;
        return the escape digit pressed, or ``''``.  Empty means Asterisk's default."""
        return _char(
            self._call(
                self.core.say_datetime,
                _epoch(seconds),
                _digits(escape_digits),
                format or None,
                zone or None,
            )
        )

    def get_data(self, filename: str, timeout: int = DEFAULT_TIMEOUT, max_digits: int = 255) -> str:
        """Play ``filename`` and collect up to ``max_digits`` digits; return them (``''``
        when none were entered)."""
        result = self._call(self.core.get_data, str(filename), int(timeout), int(max_digits))
        return result.digits

    def get_option(self, filename: str, escape_digits: Digits = "", timeout: int = 0) -> str:
        """Play ``filename``, then wait ``timeout`` ms (``0``: Asterisk's default) for a
        digit; return the digit pressed, or ``''``."""
        played = self._call(
            self.core.get_option, str(filename), _digits(escape_digits), int(timeout) or None
        )
        return _char(played.digit)

    def set_context(self, context: str) -> None:
        """Set the context the dialplan continues in after the script."""
        self._call(self.core.set_context, str(context))

    def set_extension(self, extension: str) -> None:
        """Set the extension the dialplan continues at after the script."""
        self._call(self.core.set_extension, str(extension))

    def set_priority(self, priority: int | str) -> None:
        """Set the priority (number or label) the dialplan continues at after the script."""
        self._call(self.core.set_priority, str(priority))

    def goto_on_exit(
        self, context: str = "", extension: str = "", priority: int | str = ""
    ) -> None:
        """Continue at ``context``/``extension``/``priority`` after the script; each one left
        empty keeps the current value from :attr:`env`."""
        self.set_context(context or self.env["agi_context"])
        self.set_extension(extension or self.env["agi_extension"])
        self.set_priority(priority or self.env["agi_priority"])

    def record_file(
        self,
        filename: str,
        format: str = "gsm",
        escape_digits: Digits = "#",
        timeout: int = DEFAULT_RECORD,
        offset: int = 0,
        beep: str = "beep",
    ) -> str:
        """Record ``filename.format`` until an escape digit or ``timeout`` ms (``-1``: no
        limit); ``beep`` (any non-empty value) plays a beep first.

        Returns the escape digit that ended the recording, or ``chr(0)`` when it ended
        without one (as 0.x returned ``chr`` of Asterisk's result).  A hang-up raises
        :class:`AGIResultHangup`.
        """
        recorded = self._call(
            self.core.record_file,
            str(filename),
            str(format),
            _digits(escape_digits),
            int(timeout),
            int(offset),
            bool(beep),
        )
        if recorded.reason == "hangup":
            raise AGIResultHangup("User hungup during execution")
        return recorded.digit if recorded.digit else chr(0)

    def set_autohangup(self, secs: int | float) -> None:
        """Hang up the channel ``secs`` seconds from now; ``0`` cancels."""
        self._call(self.core.set_autohangup, float(secs))

    def hangup(self, channel: str = "") -> None:
        """Hang up ``channel``, or this channel when none is given."""
        self._call(self.core.hangup, str(channel) or None)

    def appexec(self, application: str, options: str = "") -> str:
        """Run the dialplan ``application`` with ``options``; return its result as a string.

        Raises :class:`AGIAppError` if the application does not exist (``-2``) or failed
        (``-1``).
        """
        arguments = (str(options),) if str(options) else ()
        try:
            code = self._call(self.core.exec, str(application), *arguments)
        except AGIAppError as error:
            if isinstance(error, AGIHangup):
                raise
            raise AGIAppError(f"Unable to find application: {application}") from error
        if code == -1:
            raise AGIAppError("Error executing application, or hangup")
        return str(code)

    def set_callerid(self, number: str) -> None:
        """Set the caller ID of the channel."""
        self._call(self.core.set_callerid, str(number))

    def channel_status(self, channel: str = "") -> int:
        """Return the state of ``channel`` (this one if empty): 0 down ... 6 up, 7 busy;
        ``-1`` if there is no such channel."""
        try:
            return int(self._call(self.core.channel_status, str(channel) or None))
        except AGIHangup:
            raise
        except AGIAppError:
            return -1

    def set_variable(self, name: str, value: object) -> None:
        """Set the channel variable ``name`` to ``str(value)``."""
        self._call(self.core.set_variable, str(name), str(value))

    def get_variable(self, name: str) -> str:
        """Return the channel variable ``name``, or ``''`` when it is not set."""
        value = self._call(self.core.get_variable, str(name))
        return value if value is not None else ""

    def get_full_variable(self, name: str, channel: str | None = None) -> str:
        """Evaluate ``name`` (e.g. ``"${CALLERID(num)}"``) on this channel or ``channel``;
        ``''`` when it is not set."""
        value = self._call(self.core.get_full_variable, str(name), channel or None)
        return value if value is not None else ""

    def verbose(self, message: str, level: int = 1) -> None:
        """Log ``message`` on the Asterisk console at verbosity ``level`` (1-4)."""
        self._call(self.core.verbose, str(message), int(level))

    def database_get(self, family: str, key: str) -> str:
        """Return the AstDB value of ``family/key``; :class:`AGIDBError` if it is not set."""
        value = self._call(self.core.database_get, str(family), str(key))
        if value is None:
            raise AGIDBError(f"Key not found in database: family={family}, key={key}")
        return value

    def database_put(self, family: str, key: str, value: object) -> None:
        """Store ``str(value)`` at ``family/key``; :class:`AGIDBError` if Asterisk refused."""
        try:
            self._call(self.core.database_put, str(family), str(key), str(value))
        except AGIHangup:
            raise
        except AGIAppError as error:
            raise AGIDBError(
                f"Unable to put value in database: family={family}, key={key}"
            ) from error

    def database_del(self, family: str, key: str) -> None:
        """Delete ``family/key``; :class:`AGIDBError` if Asterisk reports failure."""
        try:
            self._call(self.core.database_del, str(family), str(key))
        except AGIHangup:
            raise
        except AGIAppError as error:
            raise AGIDBError(
                f"Unable to delete from database: family={family}, key={key}"
            ) from error

    def database_deltree(self, family: str, key: str = "") -> None:
        """Delete ``family`` (or ``family/key...``); :class:`AGIDBError` if nothing was
        there to delete."""
        # 0.x always sent the key tree, "" included; Asterisk reads "" as "no key tree".
        deleted = self._call(self.core.database_deltree, str(family), str(key))
        if not deleted:
            raise AGIDBError(f"Unable to delete tree from database: family={family}, key={key}")

    def noop(self) -> None:
        """Do nothing (a round trip to Asterisk)."""
        self._call(self.core.noop)

"""The AGI command set, defined once as sans-IO command objects.

Each builder returns a :class:`Command`: the wire line plus a function that turns the final
``200`` reply into a typed value.  The sync and async front ends only run these objects, so
every command exists exactly once.  Reply formats follow res_agi.c and app_stack.c.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Generic, TypeVar

from ._errors import AGIUnexpectedReply
from ._quoting import build_line, check_line
from ._reply import Reply
from ._results import (
    ChannelStatus,
    DigitsResult,
    PlaybackResult,
    RecordResult,
    SpeechMatch,
    SpeechResult,
)
from ._secrets import redact_command

__all__ = ["COMMANDS", "Command", "CommandFailed"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class CommandFailed(Exception):
    """Raised by a reply interpreter when the reply means failure (mapped by the session).

    ``hangup_possible`` is False for failures a hang-up cannot cause (e.g. EXEC of an
    application that does not exist); those stay :class:`AGICommandFailure` even after a
    hang-up.
    """

    def __init__(self, reason: str, *, hangup_possible: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hangup_possible = hangup_possible


class Command(Generic[T_co]):
    """One AGI command ready to send: ``line`` and ``interpret(reply) -> T``.

    ``dead_ok`` mirrors Asterisk's "Dead: Yes" (the command still works after a hang-up);
    ``fails_on_hangup`` marks commands whose failure can only mean the channel is gone;
    ``reports_hangup(reply)`` tells whether a reply interpreted as a normal result still
    can only mean the channel is gone (the ``(hangup)`` of RECORD FILE and SPEECH
    RECOGNIZE); ``value_reply`` marks ``200 result=1 (%s)`` replies whose value goes on
    to the end of the line (and may span lines).  ``channel`` is the channel the command
    names (HANGUP's); its ``reports_hangup`` then only concerns the session when that is
    the session's own channel.
    """

    __slots__ = (
        "channel",
        "dead_ok",
        "fails_on_hangup",
        "interpret",
        "line",
        "name",
        "reports_hangup",
        "value_reply",
    )

    def __init__(
        self,
        name: str,
        arguments: tuple[str, ...],
        interpret: Callable[[Reply], T_co],
        *,
        dead_ok: bool = False,
        fails_on_hangup: bool = False,
        reports_hangup: Callable[[Reply], bool] | None = None,
        value_reply: bool = False,
        channel: str | None = None,
    ) -> None:
        self.name = name
        self.channel = channel
        self.line = build_line(name, arguments)
        self.interpret = interpret
        self.dead_ok = dead_ok
        self.fails_on_hangup = fails_on_hangup
        self.reports_hangup = reports_hangup
        self.value_reply = value_reply

    def __repr__(self) -> str:
        line = getattr(self, "line", None)  # unset while build_line() is refusing it
        if line is None:
            return f"Command({getattr(self, 'name', '?')!r}, not built)"
        return f"Command({redact_command(line)!r})"


# ---------------------------------------------------------------------------- interpreters


def _int(reply: Reply, value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise AGIUnexpectedReply(
            f"expected a number in the reply, got {value!r}", code=reply.code, line=reply.line
        ) from None


def _result(reply: Reply) -> int:
    return _int(reply, reply.result)


def _char(reply: Reply, value: int) -> str | None:
    """The digit (character) whose code Asterisk sent; ``None`` for 0."""
    if value == 0:
        return None
    if not 0 < value < 0x110000:
        raise AGIUnexpectedReply(
            f"{value} is not a character code", code=reply.code, line=reply.line
        )
    return chr(value)


def _failing_below_zero(reply: Reply, what: str = "command failed") -> int:
    value = _result(reply)
    if value < 0:
        raise CommandFailed(reply.data or what)
    return value


def _none_unless_failed(reply: Reply) -> None:
    _failing_below_zero(reply)


def _ignore(reply: Reply) -> None:
    """Replies that carry no information (``200 result=0`` always)."""


def _true_is_one(reply: Reply) -> None:
    if _result(reply) != 1:
        raise CommandFailed(f"Asterisk reported failure (result={reply.result})")


def _digit(reply: Reply) -> str | None:
    value = _failing_below_zero(reply)
    return _char(reply, value)


def _value(reply: Reply) -> str | None:
    if _result(reply) == 1:
        return reply.data if reply.data is not None else ""
    return None


def _playback(reply: Reply) -> PlaybackResult:
    value = _failing_below_zero(reply, "playback failed (missing file or hang-up)")
    endpos = _int(reply, reply.fields.get("endpos", "0"))
    return PlaybackResult(_char(reply, value), endpos)


def _channel_status(reply: Reply) -> ChannelStatus:
    value = _failing_below_zero(reply, "no such channel")
    try:
        return ChannelStatus(value)
    except ValueError:
        raise AGIUnexpectedReply(
            f"unknown channel state {value}", code=reply.code, line=reply.line
        ) from None


def _get_data(reply: Reply) -> DigitsResult:
    digits = reply.result or ""
    if digits == "-1":
        raise CommandFailed("GET DATA failed (missing prompt or hang-up)")
    return DigitsResult(digits, reply.data == "timeout")


def _receive_char(reply: Reply) -> str | None:
    value = _result(reply)
    if value < 0:
        # ast_recvchar() answers -1 for "error or timeout"; handle_recvchar sends it as
        # "(hangup)" either way.
        raise CommandFailed(
            "no text character arrived in time (timeout, no text support, or hang-up)"
        )
    return _char(reply, value)


def _receive_text(reply: Reply) -> str | None:
    return reply.data if _result(reply) == 1 else None


def _record(reply: Reply) -> RecordResult:
    value = _result(reply)
    reason = reply.data or ""
    if reason == "randomerror" and value > 0:
        # handle_recordfile: an escape digit pressed during the BEEP ends the command
        # before recording starts (res = ast_waitstream(chan, escape_digits)).
        endpos = _int(reply, reply.fields.get("endpos", "0"))
        return RecordResult("dtmf", _char(reply, value), endpos)
    if value < 0 or reason in ("writefile", "randomerror", "waitfor"):
        if reason == "hangup":
            return RecordResult("hangup", None, _int(reply, reply.fields.get("endpos", "0")))
        raise CommandFailed(f"RECORD FILE failed ({reason or 'error'})")
    endpos = _int(reply, reply.fields.get("endpos", "0"))
    if reason == "dtmf":
        return RecordResult("dtmf", _char(reply, value), endpos)
    return RecordResult("timeout", None, endpos)


def _record_hangup(reply: Reply) -> bool:
    # handle_recordfile sends "(hangup)" only when ast_read() returned NULL: the
    # channel is gone.
    return reply.result == "-1" and reply.data == "hangup"


def _speech_hangup(reply: Reply) -> bool:
    # handle_speechrecognize sends "(hangup)" only when ast_read() returned NULL.
    return reply.result == "1" and reply.data == "hangup"


def _tdd(reply: Reply) -> bool:
    return _failing_below_zero(reply) == 1


def _deltree(reply: Reply) -> bool:
    # res_agi.c answers 0 when it deleted something and 1 when nothing matched.
    return _result(reply) == 0


def _exec(reply: Reply) -> int:
    value = _result(reply)
    if value == -2:
        # handle_exec: pbx_findapp failed (or out of memory); never caused by a hang-up.
        raise CommandFailed("application not found", hangup_possible=False)
    return value


def _hangup(reply: Reply) -> None:
    if _result(reply) != 1:
        raise CommandFailed("no such channel")


def _hung_up(reply: Reply) -> bool:
    return reply.result == "1"


def _gosub(reply: Reply) -> bool:
    if _result(reply) != 0:
        raise CommandFailed(reply.text or "Gosub failed")
    return "abnormal exit" not in reply.rest


_SPEECH_MATCH = re.compile(r'score(\d+)=(-?\d+) text\1="(.*?)" grammar\1=(\S*)')


def _speech(reply: Reply) -> SpeechResult:
    if _result(reply) == 0 and reply.data is None:
        return SpeechResult("", _int(reply, reply.fields.get("endpos", "0")))
    reason = reply.data or ""
    endpos = _int(reply, reply.fields.get("endpos", "0"))
    if reason == "digit":
        return SpeechResult("digit", endpos, digit=reply.fields.get("digit") or None)
    if reason == "speech":
        matches = tuple(
            SpeechMatch(int(score), text, grammar)
            for _, score, text, grammar in _SPEECH_MATCH.findall(reply.rest)
        )
        return SpeechResult("speech", endpos, matches=matches)
    return SpeechResult(reason, endpos)


def _raw(reply: Reply) -> Reply:
    return reply


# ------------------------------------------------------------------------------- helpers


def _opt(*values: object) -> tuple[str, ...]:
    """Optional trailing arguments: stop at the first ``None``.

    Only for a single optional argument, or ones where a later argument makes no sense
    without the earlier one; positional slots use :func:`_positional`.
    """
    out: list[str] = []
    for value in values:
        if value is None:
            break
        out.append(str(value))
    return tuple(out)


def _positional(*slots: tuple[object, object]) -> tuple[str, ...]:
    """Optional positional arguments as ``(value, default)`` pairs.

    Asterisk reads these from fixed ``argv`` positions, so a value given after an omitted
    one needs the omitted slot filled: with the value Asterisk itself uses when the
    argument is absent.  Trailing omitted slots are left out.
    """
    last = max((i for i, (value, _) in enumerate(slots) if value is not None), default=-1)
    return tuple(
        str(default if value is None else value) for value, default in slots[: last + 1]
    )


# ------------------------------------------------------------------------------ builders

#: The format handle_saydatetime uses when none is given (for languages other than "de").
DEFAULT_DATETIME_FORMAT = "ABdY 'digits/at' IMp"


def answer() -> Command[None]:
    """Answer the channel (does nothing if it is already up)."""
    return Command("ANSWER", (), _none_unless_failed, fails_on_hangup=True)


def asyncagi_break() -> Command[None]:
    """End an AsyncAGI session: the channel leaves ``AGI(agi:async)`` and continues."""
    return Command("ASYNCAGI BREAK", (), _ignore, dead_ok=True)


def channel_status(channel: str | None = None) -> Command[ChannelStatus]:
    """Return the state of this channel, or of ``channel`` given by name.

    Raises :class:`AGICommandFailure` if no channel has that name.
    """
    return Command("CHANNEL STATUS", _opt(channel), _channel_status)


def control_stream_file(
    filename: str,
    escape_digits: str = "",
    skip_ms: int | None = None,
    forward: str | None = None,
    rewind: str | None = None,
    pause: str | None = None,
    offset_ms: int | None = None,
) -> Command[PlaybackResult]:
    """Play ``filename`` letting the caller skip (``forward``/``rewind``) and ``pause``.

    ``escape_digits`` stop playback; the result's ``endpos`` is in milliseconds.
    """
    # handle_controlstreamfile: skipms 3000; an empty fwd/rev/pause key means the default
    # ("#", "*", none); offset 0.
    optional = _positional(
        (skip_ms, 3000), (forward, ""), (rewind, ""), (pause, ""), (offset_ms, 0)
    )
    return Command("CONTROL STREAM FILE", (filename, escape_digits, *optional), _playback)


def database_del(family: str, key: str) -> Command[None]:
    """Delete ``family/key`` from the Asterisk database (AstDB)."""
    return Command("DATABASE DEL", (family, key), _true_is_one, dead_ok=True)


def database_deltree(family: str, keytree: str | None = None) -> Command[bool]:
    """Delete a family (or ``family/keytree``) from AstDB; True if anything was deleted."""
    return Command("DATABASE DELTREE", (family, *_opt(keytree)), _deltree, dead_ok=True)


def database_get(family: str, key: str) -> Command[str | None]:
    """Return the AstDB value of ``family/key``, or ``None`` if it is not set."""
    return Command("DATABASE GET", (family, key), _value, dead_ok=True, value_reply=True)


def database_put(family: str, key: str, value: str) -> Command[None]:
    """Store ``value`` at ``family/key`` in AstDB."""
    return Command("DATABASE PUT", (family, key, value), _true_is_one, dead_ok=True)


def exec_(application: str, *arguments: str) -> Command[int]:
    """Run a dialplan application; ``arguments`` are joined with commas.

    Returns the application's return code (``-1`` usually means it hung up the call).
    Raises :class:`AGICommandFailure` if the application does not exist.
    """
    options = (",".join(arguments),) if arguments else ()
    return Command("EXEC", (application, *options), _exec, dead_ok=True)


def get_data(
    filename: str, timeout_ms: int | None = None, max_digits: int | None = None
) -> Command[DigitsResult]:
    """Play ``filename`` and collect DTMF digits until ``#``, ``max_digits`` or timeout.

    Without ``timeout_ms`` Asterisk uses its default timeout; without ``max_digits`` it
    accepts up to 1024 digits.
    """
    # handle_getdata: an absent timeout is 0 (= the channel's default), max digits 1024.
    optional = _positional((timeout_ms, 0), (max_digits, 1024))
    return Command("GET DATA", (filename, *optional), _get_data)


def get_full_variable(expression: str, channel: str | None = None) -> Command[str | None]:
    """Evaluate a dialplan expression such as ``${CALLERID(num)}``; ``None`` if it fails."""
    args = (expression, *_opt(channel))
    return Command("GET FULL VARIABLE", args, _value, dead_ok=True, value_reply=True)


def get_option(
    filename: str, escape_digits: str = "", timeout_ms: int | None = None
) -> Command[PlaybackResult]:
    """Like :func:`stream_file`, then wait up to ``timeout_ms`` for a digit."""
    return Command("GET OPTION", (filename, escape_digits, *_opt(timeout_ms)), _playback)


def get_variable(name: str) -> Command[str | None]:
    """Return a channel variable (or function such as ``CALLERID(num)``); None if unset."""
    return Command("GET VARIABLE", (name,), _value, dead_ok=True, value_reply=True)


def hangup(channel: str | None = None) -> Command[None]:
    """Hang up this channel, or the named ``channel``.

    Hanging up the session's own channel sets ``hung_up`` at once (no ``HANGUP`` line or
    SIGHUP needs to follow).
    """
    return Command("HANGUP", _opt(channel), _hangup, reports_hangup=_hung_up, channel=channel)


def noop(*text: str) -> Command[None]:
    """Do nothing (the optional ``text`` appears in Asterisk's debug output)."""
    return Command("NOOP", text, _ignore, dead_ok=True)


def receive_char(timeout_ms: int) -> Command[str | None]:
    """Receive one text character (for channels that support text).

    Returns ``None`` only for an empty text frame.  A timeout (and a channel without text
    support, which never delivers one) raises :class:`AGICommandFailure`, since Asterisk
    answers ``result=-1`` for it as for a hang-up; after a hang-up it is :class:`AGIHangup`.
    """
    return Command("RECEIVE CHAR", (str(timeout_ms),), _receive_char)


def receive_text(timeout_ms: int) -> Command[str | None]:
    """Receive a text message; ``None`` on timeout or if the channel has no text support."""
    return Command("RECEIVE TEXT", (str(timeout_ms),), _receive_text, value_reply=True)


def record_file(
    filename: str,
    format: str = "wav",
    escape_digits: str = "#",
    timeout_ms: int = -1,
    offset_samples: int | None = None,
    beep: bool = False,
    silence_s: int | None = None,
) -> Command[RecordResult]:
    """Record to ``filename.format`` until an escape digit, ``timeout_ms`` or silence.

    ``timeout_ms=-1`` records without a time limit; ``silence_s`` ends the recording after
    that many seconds of silence; ``beep`` plays a beep first.
    """
    args = [filename, format, escape_digits, str(timeout_ms)]
    if offset_samples is not None or beep:
        args.append(str(offset_samples or 0))
    if beep:
        args.append("BEEP")
    if silence_s is not None:
        args.append(f"s={silence_s}")
    return Command("RECORD FILE", tuple(args), _record, reports_hangup=_record_hangup)


def say_alpha(
    text: str, escape_digits: str = "", sensitivity: str | None = None
) -> Command[str | None]:
    """Spell ``text`` letter by letter; returns the escape digit pressed, if any.

    ``sensitivity`` (``"all"``, ``"lower"``, ``"upper"`` or ``"none"``; Asterisk reads
    the first letter) says which letters are announced with their case.
    """
    return Command("SAY ALPHA", (text, escape_digits, *_opt(sensitivity)), _digit)


def say_date(epoch: int, escape_digits: str = "") -> Command[str | None]:
    """Say the date of ``epoch`` (Unix seconds); returns the escape digit pressed, if any."""
    return Command("SAY DATE", (str(epoch), escape_digits), _digit)


def say_datetime(
    epoch: int, escape_digits: str = "", format: str | None = None, timezone: str | None = None
) -> Command[str | None]:
    """Say ``epoch`` using a ``say.conf``-style ``format`` in ``timezone``.

    Without ``format`` Asterisk picks its default (``"A dBY HMS"`` for German channels,
    ``"ABdY 'digits/at' IMp"`` otherwise).  The format is a positional argument, so when
    only ``timezone`` is given the English default format is sent with it.
    """
    optional = _positional((format, DEFAULT_DATETIME_FORMAT), (timezone, ""))
    args = (str(epoch), escape_digits, *optional)
    return Command("SAY DATETIME", args, _digit)


def say_digits(digits: str | int, escape_digits: str = "") -> Command[str | None]:
    """Say ``digits`` one by one; returns the escape digit pressed, if any."""
    return Command("SAY DIGITS", (str(digits), escape_digits), _digit)


def say_number(
    number: int | str, escape_digits: str = "", gender: str | None = None
) -> Command[str | None]:
    """Say ``number``; ``gender`` is ``"f"``, ``"m"``, ``"c"`` or ``"n"`` where relevant."""
    args = (str(number), escape_digits, *_opt(gender))
    return Command("SAY NUMBER", args, _digit)


def say_phonetic(text: str, escape_digits: str = "") -> Command[str | None]:
    """Spell ``text`` with the phonetic alphabet; returns the escape digit pressed, if any."""
    return Command("SAY PHONETIC", (text, escape_digits), _digit)


def say_time(epoch: int, escape_digits: str = "") -> Command[str | None]:
    """Say the time of ``epoch`` (Unix seconds); returns the escape digit pressed, if any."""
    return Command("SAY TIME", (str(epoch), escape_digits), _digit)


def send_image(image: str) -> Command[None]:
    """Send an image (channels that support images; others ignore it)."""
    # handle_sendimage reports a failure only when the channel has hung up.
    return Command("SEND IMAGE", (image,), _none_unless_failed, fails_on_hangup=True)


def send_text(text: str) -> Command[None]:
    """Send a text message (channels that support text)."""
    return Command("SEND TEXT", (text,), _none_unless_failed)


def set_autohangup(seconds: float) -> Command[None]:
    """Hang up the channel ``seconds`` from now; ``0`` cancels."""
    return Command("SET AUTOHANGUP", (f"{seconds:g}",), _ignore)


def set_callerid(callerid: str) -> Command[None]:
    """Set the caller ID, e.g. ``'"Name" <5551234>'`` or ``"5551234"``."""
    return Command("SET CALLERID", (callerid,), _ignore)


def set_context(context: str) -> Command[None]:
    """Set the context the dialplan continues in after the script."""
    return Command("SET CONTEXT", (context,), _ignore)


def set_extension(extension: str) -> Command[None]:
    """Set the extension the dialplan continues at after the script."""
    return Command("SET EXTENSION", (extension,), _ignore)


def set_music(on: bool, moh_class: str | None = None) -> Command[None]:
    """Start (``on=True``) or stop music on hold, optionally of ``moh_class``."""
    return Command("SET MUSIC", ("on" if on else "off", *_opt(moh_class)), _ignore)


def set_priority(priority: int | str) -> Command[None]:
    """Set the priority (number or label) the dialplan continues at after the script."""
    return Command("SET PRIORITY", (str(priority),), _ignore)


def set_variable(name: str, value: str) -> Command[None]:
    """Set channel variable ``name`` to ``value`` (``""`` makes it empty)."""
    return Command("SET VARIABLE", (name, value), _ignore, dead_ok=True)


def speech_activate_grammar(name: str) -> Command[None]:
    """Activate a loaded grammar on the speech object."""
    return Command("SPEECH ACTIVATE GRAMMAR", (name,), _true_is_one)


def speech_create(engine: str) -> Command[None]:
    """Create the channel's speech object with ``engine``."""
    return Command("SPEECH CREATE", (engine,), _true_is_one)


def speech_deactivate_grammar(name: str) -> Command[None]:
    """Deactivate a grammar on the speech object."""
    return Command("SPEECH DEACTIVATE GRAMMAR", (name,), _true_is_one)


def speech_destroy() -> Command[None]:
    """Destroy the channel's speech object."""
    return Command("SPEECH DESTROY", (), _true_is_one, dead_ok=True)


def speech_load_grammar(name: str, path: str) -> Command[None]:
    """Load the grammar at ``path`` as ``name``."""
    return Command("SPEECH LOAD GRAMMAR", (name, path), _true_is_one)


def speech_recognize(
    prompt: str, timeout_ms: int, offset: int | None = None
) -> Command[SpeechResult]:
    """Play ``prompt`` and recognise speech for up to ``timeout_ms`` after it ends.

    Asterisk counts this timeout in whole seconds, so ``timeout_ms`` is sent rounded up
    to seconds; ``0`` means no timeout.
    """
    # handle_speechrecognize: "if ((current - start) >= timeout)" with time() values.
    seconds = -(-timeout_ms // 1000) if timeout_ms > 0 else timeout_ms
    args = (prompt, str(seconds), *_opt(offset))
    return Command("SPEECH RECOGNIZE", args, _speech, reports_hangup=_speech_hangup)


def speech_set(name: str, value: str) -> Command[None]:
    """Set an engine-specific speech setting."""
    return Command("SPEECH SET", (name, value), _true_is_one)


def speech_unload_grammar(name: str) -> Command[None]:
    """Unload a grammar."""
    return Command("SPEECH UNLOAD GRAMMAR", (name,), _true_is_one, dead_ok=True)


def stream_file(
    filename: str, escape_digits: str = "", offset: int | None = None
) -> Command[PlaybackResult]:
    """Play ``filename`` (no extension); ``escape_digits`` interrupt it."""
    return Command("STREAM FILE", (filename, escape_digits, *_opt(offset)), _playback)


def tdd_mode(mode: str) -> Command[bool]:
    """Set TDD mode (``"on"``, ``"off"``, ``"tdd"`` or ``"mate"``); False if unsupported."""
    return Command("TDD MODE", (mode,), _tdd)


def verbose(message: str, level: int = 1) -> Command[None]:
    """Log ``message`` to the Asterisk console at verbosity ``level`` (1-4)."""
    return Command("VERBOSE", (message, str(level)), _ignore, dead_ok=True)


def wait_for_digit(timeout_ms: int = -1) -> Command[str | None]:
    """Wait up to ``timeout_ms`` (``-1``: forever) for a DTMF digit; None on timeout."""
    return Command("WAIT FOR DIGIT", (str(timeout_ms),), _digit, fails_on_hangup=True)


def gosub(context: str, extension: str, priority: int | str, *arguments: str) -> Command[bool]:
    """Run a dialplan subroutine and wait for its ``Return``.

    Returns True if it returned normally, False on an abnormal exit (e.g. hang-up inside
    it).  Raises :class:`AGICommandFailure` if the label does not exist.
    """
    args = (context, extension, str(priority), *((",".join(arguments),) if arguments else ()))
    return Command("GOSUB", args, _gosub)


def execute(line: str, dead_ok: bool = True) -> Command[Reply]:
    """Send a raw command line and return the :class:`Reply` (for commands not wrapped)."""
    check_line(line)
    command: Command[Reply] = Command("", (), _raw, dead_ok=dead_ok)
    command.line = line
    # parse_args: words are separated by spaces and tabs; leading ones are skipped.
    words = [word.upper() for word in line.replace("\t", " ").split(" ") if word]
    command.name = words[0] if words else ""
    command.value_reply = any(words[: len(name)] == name for name in _VALUE_COMMANDS)
    return command


#: Commands whose reply is ``200 result=1 (%s)`` with a verbatim value.
_VALUE_COMMANDS = (
    ["GET", "VARIABLE"],
    ["GET", "FULL", "VARIABLE"],
    ["DATABASE", "GET"],
    ["RECEIVE", "TEXT"],
)


#: Asterisk command name -> builder, covering all 47 commands of ``agi show commands``.
COMMANDS: dict[str, Callable[..., Command[object]]] = {
    "ANSWER": answer,
    "ASYNCAGI BREAK": asyncagi_break,
    "CHANNEL STATUS": channel_status,
    "CONTROL STREAM FILE": control_stream_file,
    "DATABASE DEL": database_del,
    "DATABASE DELTREE": database_deltree,
    "DATABASE GET": database_get,
    "DATABASE PUT": database_put,
    "EXEC": exec_,
    "GET DATA": get_data,
    "GET FULL VARIABLE": get_full_variable,
    "GET OPTION": get_option,
    "GET VARIABLE": get_variable,
    "GOSUB": gosub,
    "HANGUP": hangup,
    "NOOP": noop,
    "RECEIVE CHAR": receive_char,
    "RECEIVE TEXT": receive_text,
    "RECORD FILE": record_file,
    "SAY ALPHA": say_alpha,
    "SAY DATE": say_date,
    "SAY DATETIME": say_datetime,
    "SAY DIGITS": say_digits,
    "SAY NUMBER": say_number,
    "SAY PHONETIC": say_phonetic,
    "SAY TIME": say_time,
    "SEND IMAGE": send_image,
    "SEND TEXT": send_text,
    "SET AUTOHANGUP": set_autohangup,
    "SET CALLERID": set_callerid,
    "SET CONTEXT": set_context,
    "SET EXTENSION": set_extension,
    "SET MUSIC": set_music,
    "SET PRIORITY": set_priority,
    "SET VARIABLE": set_variable,
    "SPEECH ACTIVATE GRAMMAR": speech_activate_grammar,
    "SPEECH CREATE": speech_create,
    "SPEECH DEACTIVATE GRAMMAR": speech_deactivate_grammar,
    "SPEECH DESTROY": speech_destroy,
    "SPEECH LOAD GRAMMAR": speech_load_grammar,
    "SPEECH RECOGNIZE": speech_recognize,
    "SPEECH SET": speech_set,
    "SPEECH UNLOAD GRAMMAR": speech_unload_grammar,
    "STREAM FILE": stream_file,
    "TDD MODE": tdd_mode,
    "VERBOSE": verbose,
    "WAIT FOR DIGIT": wait_for_digit,
}

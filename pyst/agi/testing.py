"""A fake Asterisk for testing AGI code in-process, without a PBX.

Script a channel (environment, variables, digits the caller presses, files that do not
exist, a hang-up at a chosen point, raw replies for odd cases), run your handler against it
and assert on the commands it sent::

    from pyst.agi.testing import FakeAsterisk

    def handler(agi):
        agi.answer()
        return agi.get_data("enter-pin", 3000, 4).digits

    fake = FakeAsterisk(dtmf="1234#")
    assert fake.run(handler) == "1234"
    assert fake.commands[0] == "ANSWER"

The fake speaks the real wire protocol to a real :class:`~pyst.agi.AGI` /
:class:`~pyst.agi.AsyncAGI`, so quoting, parsing and error mapping are exercised too.
Command lines are split with Asterisk's own rules; replies follow res_agi.c.  When the
handler waits for a reply the fake has no answer for, it closes the connection (the
handler sees :class:`~pyst.agi.AGIConnectionClosed`) instead of hanging.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from typing import Literal, TypeVar

from ._agi import AGI, AsyncAGI
from ._quoting import split_arguments
from ._session import ExchangeObserver

__all__ = ["FakeAsterisk", "default_environment"]

R = TypeVar("R")

HangupSignal = Literal["line", "sighup", "none"]

_DEAD_OK = {
    "ASYNCAGI BREAK",
    "DATABASE DEL",
    "DATABASE DELTREE",
    "DATABASE GET",
    "DATABASE PUT",
    "EXEC",
    "GET FULL VARIABLE",
    "GET VARIABLE",
    "NOOP",
    "SET VARIABLE",
    "SPEECH DESTROY",
    "SPEECH UNLOAD GRAMMAR",
    "VERBOSE",
}

# Number of arguments (after the command words) each command accepts, from res_agi.c.
_ARITY: dict[str, tuple[int, int]] = {
    "ANSWER": (0, 99),
    "ASYNCAGI BREAK": (0, 99),
    "CHANNEL STATUS": (0, 1),
    "CONTROL STREAM FILE": (2, 7),
    "DATABASE DEL": (2, 2),
    "DATABASE DELTREE": (1, 2),
    "DATABASE GET": (2, 2),
    "DATABASE PUT": (3, 3),
    "EXEC": (1, 99),
    "GET DATA": (1, 3),
    "GET FULL VARIABLE": (1, 2),
    "GET OPTION": (2, 3),
    "GET VARIABLE": (1, 1),
    "GOSUB": (3, 4),
    "HANGUP": (0, 1),
    "NOOP": (0, 99),
    "RECEIVE CHAR": (1, 1),
    "RECEIVE TEXT": (1, 1),
    "RECORD FILE": (4, 7),
    "SAY ALPHA": (2, 3),
    "SAY DATE": (2, 2),
    "SAY DATETIME": (2, 4),
    "SAY DIGITS": (2, 2),
    "SAY NUMBER": (2, 3),
    "SAY PHONETIC": (2, 2),
    "SAY TIME": (2, 2),
    "SEND IMAGE": (1, 1),
    "SEND TEXT": (1, 1),
    "SET AUTOHANGUP": (1, 1),
    "SET CALLERID": (1, 1),
    "SET CONTEXT": (1, 1),
    "SET EXTENSION": (1, 1),
    "SET MUSIC": (1, 2),
    "SET PRIORITY": (1, 1),
    "SET VARIABLE": (2, 2),
    "SPEECH ACTIVATE GRAMMAR": (1, 1),
    "SPEECH CREATE": (1, 1),
    "SPEECH DEACTIVATE GRAMMAR": (1, 1),
    "SPEECH DESTROY": (0, 0),
    "SPEECH LOAD GRAMMAR": (2, 2),
    "SPEECH RECOGNIZE": (2, 3),
    "SPEECH SET": (2, 2),
    "SPEECH UNLOAD GRAMMAR": (1, 1),
    "STREAM FILE": (2, 3),
    "TDD MODE": (1, 1),
    "VERBOSE": (1, 2),
    "WAIT FOR DIGIT": (1, 1),
}
_BY_WORDS = sorted(_ARITY, key=lambda name: -len(name.split()))
_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_TRYING = "100 result=0 Trying..."


def _like(pattern: str) -> re.Pattern[str]:
    """SQLite's ``LIKE`` (``%``, ``_``; ASCII letters match in either case)."""
    parts = (".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.compile("".join(parts), re.IGNORECASE | re.ASCII | re.DOTALL)


def _in_tree(family: str, keytree: str, key: tuple[str, str]) -> bool:
    """Whether main/db.c's ast_db_deltree(family, keytree) deletes ``key``: its SQL is
    ``DELETE FROM astdb WHERE key || '/' LIKE prefix || '/' || '%'`` with the prefix
    ``/family[/keytree]`` (no family and no key tree: everything)."""
    if not family:
        return True
    prefix = f"/{family}/{keytree}" if keytree else f"/{family}"
    return _like(prefix + "/%").fullmatch(f"/{key[0]}/{key[1]}/") is not None


def _atoi(text: str) -> int:
    """C's ``atoi``: the leading integer of ``text``, 0 if there is none."""
    match = re.match(r"\s*[-+]?\d+", text)
    return int(match.group()) if match else 0


def default_environment(**overrides: str) -> dict[str, str]:
    """A plausible ``agi_*`` environment (names without the ``agi_`` prefix)."""
    environment = {
        "request": "agi://127.0.0.1/test",
        "channel": "PJSIP/fake-00000001",
        "language": "en",
        "type": "PJSIP",
        "uniqueid": "1700000000.1",
        "version": "22.0.0",
        "callerid": "1000",
        "calleridname": "Fake Caller",
        "callingpres": "0",
        "callingani2": "0",
        "callington": "0",
        "callingtns": "0",
        "dnid": "unknown",
        "rdnis": "unknown",
        "context": "default",
        "extension": "s",
        "priority": "1",
        "enhanced": "0.0",
        "accountcode": "",
        "threadid": "1",
    }
    environment.update(overrides)
    return environment


class FakeAsterisk:
    """A scripted channel that answers AGI commands like Asterisk does.

    ``environment``: ``agi_*`` values overriding :func:`default_environment` (names
    without prefix; ``arguments`` become ``agi_arg_N``); ``variables``: channel variables;
    ``dtmf``: digits the caller presses, consumed in order by commands that listen;
    ``missing_files``: sound files that do not exist; ``hangup_after``: the caller hangs up
    after that many commands were answered; ``hangup_during``: the caller hangs up while
    the first command starting with this text runs (it gets Asterisk's ``-1`` reply);
    ``hangup_signal``: how the script learns of a hang-up (``"line"``: FastAGI's inline
    ``HANGUP``; ``"sighup"``: stdio's SIGHUP; ``"none"``: ``AGISIGHUP=no``); ``labels``:
    priority labels SET PRIORITY accepts besides numbers.

    After a run, ``commands`` lists the lines the handler sent; ``words`` the same split
    into Asterisk's argument words; ``agi_status`` is the ``AGISTATUS`` Asterisk would set:
    ``"FAILURE"`` once the script sent a line starting with ``failure`` (res_agi.c run_agi
    then ends the AGI and reads nothing more), ``"SUCCESS"`` once a FastAGI server that
    :meth:`drive` plays against closed the connection, ``None`` before.
    """

    def __init__(
        self,
        *,
        environment: Mapping[str, str] | None = None,
        arguments: tuple[str, ...] | list[str] = (),
        variables: Mapping[str, str] | None = None,
        dtmf: str = "",
        missing_files: tuple[str, ...] | list[str] = (),
        unknown_applications: tuple[str, ...] | list[str] = (),
        hangup_after: int | None = None,
        hangup_during: str | None = None,
        hangup_signal: HangupSignal = "line",
        answered: bool = False,
        labels: tuple[str, ...] | list[str] = (),
    ) -> None:
        env = default_environment(**dict(environment or {}))
        for index, argument in enumerate(arguments, 1):
            env[f"arg_{index}"] = argument
        self.environment = env
        self.variables: dict[str, str] = dict(variables or {})
        self.database: dict[tuple[str, str], str] = {}
        self.dtmf: deque[str] = deque(dtmf)
        self.missing_files = set(missing_files)
        self.unknown_applications = set(unknown_applications)
        self.labels = set(labels)
        self.hangup_after = hangup_after
        self.hangup_during = hangup_during.upper() if hangup_during else None
        self.hangup_signal: HangupSignal = hangup_signal
        self.state = 6 if answered else 4
        self.alive = True
        self.speech = False
        self.commands: list[str] = []
        self.words: list[list[str]] = []
        self.applications: list[tuple[str, str]] = []
        self.recordings: list[str] = []
        self.verbose_lines: list[str] = []
        self.agi_status: str | None = None
        self._scripted: dict[str, deque[list[str]]] = {}
        self._output = bytearray()
        self._agi: AGI | AsyncAGI | None = None
        self._output.extend(self._environment_block())

    # ------------------------------------------------------------------ scripting

    def script(self, prefix: str, *lines: str) -> None:
        """Answer the next command starting with ``prefix`` with these raw reply lines.

        Each call queues one answer; e.g. ``fake.script("STREAM FILE",
        "200 result=-1 endpos=0")`` or a bare ``"HANGUP"`` line before a reply.
        """
        self._scripted.setdefault(prefix.upper(), deque()).append(list(lines))

    def hangup(self) -> None:
        """Hang up the caller now (the signal chosen by ``hangup_signal`` follows)."""
        if not self.alive:
            return
        self.alive = False
        self.state = 0
        if self.hangup_signal == "line":
            self._output.extend(b"HANGUP\n")
        elif self.hangup_signal == "sighup" and self._agi is not None:
            self._agi.protocol.sighup = True

    # ------------------------------------------------------------------ running

    def connect(self, transcript: ExchangeObserver | bool | None = False) -> AGI:
        """Return a blocking :class:`AGI` connected to this fake (environment read).

        ``transcript`` is passed to :class:`AGI` (``None``: follow ``PYST_AGI_TRANSCRIPT``).
        """
        agi = AGI(_SyncEnd(self), transcript=transcript)
        self._agi = agi
        return agi

    async def connect_async(self, transcript: ExchangeObserver | bool | None = False) -> AsyncAGI:
        """Return an :class:`AsyncAGI` connected to this fake (environment read)."""
        agi = AsyncAGI(_AsyncEnd(self), transcript=transcript)
        self._agi = agi
        await agi.read_environment()
        return agi

    def run(self, handler: Callable[[AGI], R]) -> R:
        """Run a blocking handler against the fake and return what it returns."""
        return handler(self.connect())

    async def run_async(self, handler: Callable[[AsyncAGI], Awaitable[R]]) -> R:
        """Run an async handler against the fake and return what it returns."""
        return await handler(await self.connect_async())

    async def drive(self, host: str, port: int, timeout: float = 10.0) -> None:
        """Play Asterisk against a FastAGI server: connect, send the environment, answer
        each command, until the server closes the connection (or ``timeout`` passes)."""
        reader, writer = await asyncio.open_connection(host, port)
        try:
            await asyncio.wait_for(self._answer_commands(reader, writer), timeout)
        except (ConnectionError, OSError):
            pass
        finally:
            self._script_ended()
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()

    async def _answer_commands(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        writer.write(self._take_output())
        await writer.drain()
        while self.agi_status is None and (line := await reader.readline()):
            self._receive_line(line)
            writer.write(self._take_output())
            await writer.drain()

    def drive_blocking(self, host: str, port: int, timeout: float = 10.0) -> None:
        """:meth:`drive` for blocking code (e.g. tests of a threaded FastAGI server)."""
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(self._take_output())
            reader = sock.makefile("rb")
            try:
                while self.agi_status is None and (line := reader.readline()):
                    self._receive_line(line)
                    sock.sendall(self._take_output())
            except OSError:
                pass
            self._script_ended()

    def _script_ended(self) -> None:
        """The connection ended: without a ``failure`` line that is AGISTATUS=SUCCESS."""
        if self.agi_status is None:
            self.agi_status = "SUCCESS"

    # ------------------------------------------------------------------ wire side

    def _environment_block(self) -> bytes:
        lines = [f"agi_{name}: {value}\n" for name, value in self.environment.items()]
        return ("".join(lines) + "\n").encode("utf-8", "surrogateescape")

    def _take_output(self) -> bytes:
        data = bytes(self._output)
        self._output.clear()
        return data

    def _receive_line(self, data: bytes) -> None:
        for raw in data.decode("utf-8", "surrogateescape").split("\n")[:-1]:
            if self.agi_status is not None:
                return  # Asterisk ended this AGI: it reads nothing more
            if raw[:7].lower() == "failure":
                # res_agi.c run_agi: "Special case for inability to execute child process"
                self.agi_status = "FAILURE"
                return
            self._handle(raw)

    def _handle(self, line: str) -> None:
        self.commands.append(line)
        words = split_arguments(line)
        self.words.append(words)
        name = self._command_name(words)
        scripted = self._scripted_reply(line)
        if scripted is not None:
            reply = scripted
        elif name is None:
            reply = ["510 Invalid or unknown command"]
        elif not self.alive and name not in _DEAD_OK:
            reply = ["511 Command Not Permitted on a dead channel or intercept routine"]
        elif self.hangup_during and line.upper().startswith(self.hangup_during) and self.alive:
            self.hangup_during = None
            reply = [self._hangup_reply(name)]
            self._emit(reply)
            self.hangup()
            self._count_for_hangup()
            return
        else:
            arguments = words[len(name.split()) :]
            low, high = _ARITY[name]
            if not low <= len(arguments) <= high:
                reply = [
                    "520-Invalid command syntax.  Proper usage follows:",
                    f"Usage: {name} (fake Asterisk: {low} to {high} arguments)",
                    "520 End of proper usage.",
                ]
            else:
                reply = self._emulate(name, arguments)
        self._emit(reply)
        self._count_for_hangup()

    def _emit(self, lines: list[str]) -> None:
        self._output.extend(
            "".join(f"{line}\n" for line in lines).encode("utf-8", "surrogateescape")
        )

    def _count_for_hangup(self) -> None:
        if self.hangup_after is not None and len(self.commands) >= self.hangup_after:
            self.hangup_after = None
            self.hangup()

    def _scripted_reply(self, line: str) -> list[str] | None:
        upper = line.upper()
        for prefix, queue in self._scripted.items():
            if queue and upper.startswith(prefix):
                return queue.popleft()
        return None

    @staticmethod
    def _command_name(words: list[str]) -> str | None:
        upper = [word.upper() for word in words]
        for name in _BY_WORDS:
            parts = name.split()
            if upper[: len(parts)] == parts:
                return name
        return None

    @staticmethod
    def _hangup_reply(name: str) -> str:
        if name in ("STREAM FILE", "GET OPTION", "CONTROL STREAM FILE"):
            return "200 result=-1 endpos=0"
        if name == "RECORD FILE":
            return "200 result=-1 (hangup) endpos=0"
        return "200 result=-1"

    # ------------------------------------------------------------------ emulation

    def _press(self, escape: str) -> str | None:
        if self.dtmf and self.dtmf[0] in escape:
            return self.dtmf.popleft()
        return None

    def _digit_reply(self, escape: str) -> str:
        digit = self._press(escape)
        return f"200 result={ord(digit) if digit else 0}"

    def _playback(self, name: str, arguments: list[str]) -> str:
        if arguments[0] in self.missing_files:
            return (
                "200 result=-1 endpos=0"
                if name != "CONTROL STREAM FILE"
                else ("200 result=-1 endpos=-1")
            )
        digit = self._press(arguments[1])
        if digit is None and name == "GET OPTION" and self.dtmf:
            digit = self._press(arguments[1])
        if digit is None and name == "CONTROL STREAM FILE":
            # main/app.c control_streamfile: at the end of the file the offset is -8
            # samples, which res_agi sends as endpos=-1 (capture fastagi_basic).
            return "200 result=0 endpos=-1"
        return f"200 result={ord(digit) if digit else 0} endpos={1000 if digit else 8000}"

    def _expand(self, expression: str) -> str:
        return _VARIABLE.sub(lambda match: self.variables.get(match.group(1), ""), expression)

    def _emulate(self, name: str, arguments: list[str]) -> list[str]:
        if name == "ANSWER":
            self.state = 6
            return ["200 result=0"]
        if name == "CHANNEL STATUS":
            if arguments and arguments[0] != self.environment.get("channel"):
                return ["200 result=-1"]
            return [f"200 result={self.state}"]
        if name == "GET VARIABLE":
            value = self.variables.get(arguments[0])
            return ["200 result=0"] if value is None else [f"200 result=1 ({value})"]
        if name == "GET FULL VARIABLE":
            if len(arguments) > 1 and arguments[1] != self.environment.get("channel"):
                return ["200 result=0"]  # handle_getvariablefull: no such channel
            return [f"200 result=1 ({self._expand(arguments[0])})"]
        if name == "SET VARIABLE":
            self.variables[arguments[0]] = arguments[1]
            return ["200 result=1"]
        if name.startswith("DATABASE"):
            return [self._database(name, arguments)]
        if name == "EXEC":
            application = arguments[0]
            data = arguments[1] if len(arguments) > 1 else ""
            if application in self.unknown_applications:
                return ["200 result=-2"]
            self.applications.append((application, data))
            if application.lower() == "set" and "=" in data:
                key, _, value = data.partition("=")
                self.variables[key] = value
            return ["200 result=0"]
        if name == "VERBOSE":
            self.verbose_lines.append(arguments[0])
            return ["200 result=1"]
        if name in ("STREAM FILE", "GET OPTION", "CONTROL STREAM FILE"):
            return [self._playback(name, arguments)]
        if name == "WAIT FOR DIGIT":
            return [f"200 result={ord(self.dtmf.popleft()) if self.dtmf else 0}"]
        if name == "GET DATA":
            return [self._get_data(arguments)]
        if name.startswith("SAY"):
            return [self._digit_reply(arguments[1])]
        if name == "RECORD FILE":
            self.recordings.append(f"{arguments[0]}.{arguments[1]}")
            digit = self._press(arguments[2])
            if digit:
                return [f"200 result={ord(digit)} (dtmf) endpos=1000"]
            return ["200 result=0 (timeout) endpos=8000"]
        if name == "HANGUP":
            if arguments and arguments[0] != self.environment.get("channel"):
                return ["200 result=-1"]
            self._emit(["200 result=1"])
            self.hangup()
            return []
        if name == "SET PRIORITY" and not arguments[0].isdigit():
            if arguments[0] not in self.labels:
                return [
                    "520-Invalid command syntax.  Proper usage follows:",
                    "Changes the priority for continuation upon exiting the application.",
                    "520 End of proper usage.",
                ]
            return ["200 result=0"]
        if name == "GOSUB":
            return [_TRYING, "200 result=0 Gosub complete"]
        if name.startswith("SPEECH"):
            return [self._speech(name)]
        if name == "RECEIVE CHAR":
            # No text arrives: ast_recvchar's -1 ("error or timeout"), sent as
            # "(hangup)" (capture stdio_basic).
            return ["200 result=-1 (hangup)"]
        if name == "RECEIVE TEXT":
            return ["200 result=-1"]
        if name == "TDD MODE":
            return ["200 result=1"]
        if name == "SET CALLERID":
            return ["200 result=1"]  # handle_setcallerid (capture stdio_basic)
        return ["200 result=0"]

    def _database(self, name: str, arguments: list[str]) -> str:
        family = arguments[0]
        if name == "DATABASE PUT":
            self.database[(family, arguments[1])] = arguments[2]
            return "200 result=1"
        if name == "DATABASE GET":
            value = self.database.get((family, arguments[1]))
            return "200 result=0" if value is None else f"200 result=1 ({value})"
        if name == "DATABASE DEL":
            # Asterisk 22 answers result=1 whether or not the key existed (ast_db_del
            # succeeds on a missing key; capture fastagi_basic).
            self.database.pop((family, arguments[1]), None)
            return "200 result=1"
        keytree = arguments[1] if len(arguments) > 1 else ""
        if not family and keytree:
            return "200 result=1"  # ast_db_deltree refuses a key tree without family
        doomed = [key for key in self.database if _in_tree(family, keytree, key)]
        for key in doomed:
            del self.database[key]
        return "200 result=0" if doomed else "200 result=1"

    def _get_data(self, arguments: list[str]) -> str:
        if arguments[0] in self.missing_files:
            return "200 result=-1"
        limit = _atoi(arguments[2]) if len(arguments) > 2 else 0
        limit = limit if limit > 0 else 1024
        digits = ""
        while self.dtmf and len(digits) < limit:
            digit = self.dtmf.popleft()
            if digit == "#":
                return f"200 result={digits}"
            digits += digit
        if len(digits) >= limit:
            return f"200 result={digits}"
        return f"200 result={digits} (timeout)"

    def _speech(self, name: str) -> str:
        if name == "SPEECH CREATE":
            self.speech = True
            return "200 result=1"
        if not self.speech:
            return "200 result=0"
        if name == "SPEECH DESTROY":
            self.speech = False
        if name == "SPEECH RECOGNIZE":
            if self.dtmf:
                return f"200 result=1 (digit) digit={self.dtmf.popleft()} endpos=0"
            return "200 result=1 (timeout) endpos=0"
        return "200 result=1"


class _SyncEnd:
    """The blocking transport between an :class:`AGI` and a :class:`FakeAsterisk`."""

    def __init__(self, fake: FakeAsterisk) -> None:
        self.fake = fake

    def send(self, data: bytes) -> None:
        self.fake._receive_line(data)

    def receive(self) -> bytes:
        return self.fake._take_output()

    def close(self) -> None:
        """Nothing to release."""


class _AsyncEnd:
    """The asyncio transport between an :class:`AsyncAGI` and a :class:`FakeAsterisk`."""

    def __init__(self, fake: FakeAsterisk) -> None:
        self.fake = fake

    async def send(self, data: bytes) -> None:
        self.fake._receive_line(data)

    async def receive(self) -> bytes:
        return self.fake._take_output()

    async def close(self) -> None:
        """Nothing to release."""

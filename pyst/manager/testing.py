"""A scriptable fake AMI server on loopback, for testing code that uses :mod:`pyst.manager`.

::

    with FakeAMIServer(username="admin", secret="s3cret") as server:
        server.respond("CoreStatus", Reply({"CoreCurrentCalls": "3"}))
        with ManagerClient(*server.address, username="admin", secret="s3cret") as client:
            client.send(CoreStatus())

It runs in background threads (so it serves sync and asyncio clients alike), speaks the
Asterisk 22 dialect (greeting, plain and MD5 login, Ping, Events, Filter, Logoff) and can be
scripted per action: replies with extra headers, list answers with events, delays, silence,
raw bytes, disconnects, and events pushed at any time. :meth:`FakeAMIServer.replay` plays a
recorded exchange back. Every thread stops when the server stops.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pyst.manager._messages import Message
from pyst.manager._protocol import Decoder

__all__ = ["CaptureStep", "FakeAMIServer", "FakeSession", "Reply", "load_capture"]

log = logging.getLogger("pyst.manager.testing")

HeaderItems = Mapping[str, str] | Sequence[tuple[str, str]]
GREETING = "Asterisk Call Manager/11.0.0"


def _pairs(headers: HeaderItems) -> list[tuple[str, str]]:
    return list(headers.items()) if isinstance(headers, Mapping) else list(headers)


def encode_message(headers: Iterable[tuple[str, str]]) -> bytes:
    """Encode headers as one message, without any validation (a fake may send anything)."""
    text = "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    return text.encode("utf-8", "surrogateescape")  # escaped bytes go out as themselves


@dataclass
class Reply:
    """A scripted answer: ``Response: <status>``, the ActionID, then ``headers``.

    ``events`` follow the response (each a mapping or pair list; the ActionID is added to
    each when ``list_events`` is true, as for list answers, along with ``EventList: start``
    on the response and a final ``<complete>`` event). ``delay`` waits first; ``raw`` sends
    those bytes instead of a response; ``close`` drops the connection afterwards.
    """

    headers: HeaderItems = ()
    status: str = "Success"
    events: Sequence[HeaderItems] = ()
    list_events: bool = False
    complete: str = ""
    delay: float = 0.0
    raw: bytes | None = None
    close: bool = False

    def render(self, action: Message) -> bytes:
        """The bytes of this reply to ``action``."""
        if self.raw is not None:
            return self.raw
        action_id = action.get("ActionID")
        head = [("Response", self.status)]
        if action_id is not None:
            head.append(("ActionID", action_id))
        if self.list_events:
            head.append(("EventList", "start"))
        out = [encode_message(head + _pairs(self.headers))]
        for event in self.events:
            pairs = _pairs(event)
            if self.list_events and action_id is not None:
                pairs.append(("ActionID", action_id))
            out.append(encode_message(pairs))
        if self.list_events:
            name = self.complete or f"{action.get('Action') or ''}Complete"
            done = [("Event", name)]
            if action_id is not None:
                done.append(("ActionID", action_id))
            done += [("EventList", "Complete"), ("ListItems", str(len(self.events)))]
            out.append(encode_message(done))
        return b"".join(out)


Responder = Callable[[Message, "FakeSession"], "Reply | Sequence[Reply] | None"]


class FakeSession:
    """One client connection to the fake server."""

    def __init__(self, server: FakeAMIServer, sock: socket.socket) -> None:
        self.server = server
        self._sock = sock
        self._lock = threading.Lock()
        self.actions: list[Message] = []
        self.logged_in = not server.require_login
        self.events_on = True
        self.challenge: str | None = None
        self.closed = threading.Event()

    def send_raw(self, data: bytes) -> None:
        """Send bytes as they are (ignored once the session is closed)."""
        if self.closed.is_set():
            return
        with self._lock:
            try:
                self._sock.sendall(data)
            except OSError:
                self.close()

    def send_event(self, headers: HeaderItems) -> None:
        """Send one event (``headers`` should start with ``Event``) if events are on."""
        if self.events_on and self.logged_in:
            self.send_raw(encode_message(_pairs(headers)))

    def close(self) -> None:
        """Close the connection (the client sees EOF)."""
        if self.closed.is_set():
            return
        self.closed.set()
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()

    def _serve(self) -> None:
        try:
            if self.server.greeting is not None:
                self.send_raw((self.server.greeting + "\r\n").encode())
            self.serve_actions(Decoder(greeting=False))
        finally:
            self.close()

    def receive_actions(self, decoder: Decoder) -> list[Message] | None:
        """Wait briefly for bytes; return the complete actions (``None`` at EOF or stop)."""
        if self.closed.is_set() or self.server._stopping.is_set():
            return None
        self._sock.settimeout(0.05)
        try:
            data = self._sock.recv(65536)
        except TimeoutError:
            return []
        except OSError:
            return None
        if not data:
            return None
        actions = [m for m in decoder.feed(data) if isinstance(m, Message)]
        self.actions.extend(actions)
        self.server._received.extend(actions)
        return actions

    def serve_actions(self, decoder: Decoder) -> None:
        """Answer actions with the server's responders until EOF or stop."""
        while (actions := self.receive_actions(decoder)) is not None:
            for action in actions:
                self.server._handle(action, self)


@dataclass
class CaptureStep:
    """One step of a recorded exchange: ``direction`` is ``"C"`` (client sent), ``"S"``
    (server sent) or ``"EOF"`` (server closed); ``data`` the exact bytes."""

    direction: str
    data: bytes = b""


def load_capture(path: str | Path) -> list[CaptureStep]:
    """Read a ``NAME.txt`` capture: ``##### C->S ...`` / ``##### S->C ...`` marker lines, each
    followed by the exact bytes of one read or write and a newline added by the recorder;
    ``##### EOF`` when the server closed. (The byte count on a marker is not trusted: the
    recorder sometimes merged reads; the next marker line ends the chunk.)"""
    raw = Path(path).read_bytes()
    steps: list[CaptureStep] = []
    pos = raw.find(b"##### ")
    while pos >= 0:
        end = raw.index(b"\n", pos)
        words = raw[pos:end].decode().split()
        following = raw.find(b"\n##### ", end)
        stop = following if following >= 0 else len(raw)
        if words[1] in ("C->S", "S->C"):
            direction = "C" if words[1] == "C->S" else "S"
            steps.append(CaptureStep(direction, raw[end + 1 : stop]))
        elif words[1] == "EOF":
            steps.append(CaptureStep("EOF"))
        pos = stop + 1 if following >= 0 else -1
    return steps


_FALSE = frozenset({"no", "false", "n", "f", "0", "off"})
# the event classes of manager.c perms[] ("none" is 0)
_PERMS = frozenset(
    {"system", "call", "log", "verbose", "command", "agent", "user", "config", "dtmf"}
    | {"reporting", "cdr", "dialplan", "originate", "agi", "cc", "aoc", "test", "security"}
    | {"message", "all"}
)


def _events_on(mask: str, *, default: bool) -> bool:
    """Whether an ``Events``/``EventMask`` value turns events on, as manager.c reads it
    (``strings_to_mask``): digits are a number, ``ast_false`` words (``no``, ``off``, ``0``
    ...) mean off, ``ast_true`` words or a list naming a known class mean on."""
    if not mask:
        return default
    if mask.isdigit():
        return int(mask) != 0
    if mask.lower() in _FALSE:
        return False
    if mask.lower() in ("yes", "true", "y", "t", "1", "on"):
        return True
    return any(item.strip().lower() in _PERMS for item in mask.split(","))


class FakeAMIServer:
    """A fake Asterisk manager on ``127.0.0.1`` (a free port unless ``port`` is given);
    ``ssl_context`` (a server-side context) makes it speak TLS."""

    def __init__(
        self,
        *,
        username: str = "admin",
        secret: str = "secret",
        greeting: str | None = GREETING,
        require_login: bool = True,
        port: int = 0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.username, self.secret = username, secret
        self.greeting = greeting
        self.require_login = require_login
        self.sessions: list[FakeSession] = []
        self._responders: dict[str, Responder] = {}
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._listener: socket.socket | None = None
        self._port = port
        self.ssl_context = ssl_context
        self._replay: list[CaptureStep] | None = None
        self._challenges = itertools.count(144926724)
        self.connections = 0
        self._received: list[Message] = []
        self.errors: list[Exception] = []

    def __repr__(self) -> str:
        return f"FakeAMIServer(127.0.0.1:{self._port}, username={self.username!r})"

    @property
    def address(self) -> tuple[str, int]:
        """``(host, port)`` to connect to."""
        return "127.0.0.1", self._port

    @property
    def port(self) -> int:
        """The listening port."""
        return self._port

    @property
    def actions(self) -> list[Message]:
        """Every action received by any session (closed ones too), in arrival order."""
        return list(self._received)

    def start(self) -> FakeAMIServer:
        """Start listening and serving in background threads."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self._port))
        listener.listen(64)
        listener.settimeout(0.05)
        self._listener = listener
        self._port = listener.getsockname()[1]
        self._spawn(self._accept)
        return self

    def stop(self) -> None:
        """Close every session and the listener; join all threads."""
        self._stopping.set()
        for session in list(self.sessions):
            session.close()
        if self._listener is not None:
            self._listener.close()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout=5)

    def __enter__(self) -> FakeAMIServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _spawn(self, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, daemon=True, name="FakeAMIServer")
        self._threads = [t for t in self._threads if t.is_alive()]
        self._threads.append(thread)
        thread.start()

    def _accept(self) -> None:
        assert self._listener is not None
        while not self._stopping.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.ssl_context is not None:
                try:
                    sock.settimeout(5)
                    sock = self.ssl_context.wrap_socket(sock, server_side=True)
                except OSError:
                    sock.close()
                    continue
            self.connections += 1
            session = FakeSession(self, sock)
            self.sessions = [s for s in self.sessions if not s.closed.is_set()] + [session]
            if self._replay is not None:
                self._spawn(lambda s=session: self._serve_replay(s))  # type: ignore[misc]
            else:
                self._spawn(session._serve)

    # -- scripting -------------------------------------------------------------------------

    def on(self, action: str, responder: Responder) -> None:
        """Answer ``action`` (case-insensitive) by calling ``responder(action, session)``;
        it returns a :class:`Reply`, a list of them, or ``None`` for silence."""
        self._responders[action.lower()] = responder

    def respond(self, action: str, *replies: Reply) -> None:
        """Answer ``action`` with fixed replies (none at all: stay silent)."""
        self.on(action, lambda message, session: list(replies))

    def push_event(self, headers: HeaderItems) -> None:
        """Send an event to every logged-in session with events on."""
        for session in list(self.sessions):
            session.send_event(headers)

    def push_raw(self, data: bytes) -> None:
        """Send raw bytes to every session."""
        for session in list(self.sessions):
            session.send_raw(data)

    def disconnect_all(self) -> None:
        """Drop every client connection (clients see EOF)."""
        for session in list(self.sessions):
            session.close()

    def wait_for_sessions(self, count: int = 1, timeout: float = 5.0) -> list[FakeSession]:
        """Wait until ``count`` sessions are open (and logged in when login is required)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            live = [s for s in self.sessions if not s.closed.is_set() and s.logged_in]
            if len(live) >= count:
                return live
            time.sleep(0.005)
        raise TimeoutError(f"fewer than {count} logged-in sessions after {timeout} s")

    def replay(self, steps: Sequence[CaptureStep]) -> None:
        """Serve every connection from a recorded exchange (see :func:`load_capture`):
        server bytes are sent in their recorded chunks; before each recorded client step
        the server waits until the client has sent as many actions as that step held."""
        self._replay = list(steps)

    # -- default behaviour -------------------------------------------------------------

    def _handle(self, action: Message, session: FakeSession) -> None:
        name = (action.get("Action") or "").lower()
        responder = self._responders.get(name)
        if responder is not None:
            try:
                outcome = responder(action, session)
            except Exception as exc:
                log.exception("FakeAMIServer responder for %s raised; closing the session", name)
                self.errors.append(exc)
                session.close()
                return
        elif not name:
            outcome = Reply({"Message": "Missing action in request"}, status="Error")
        elif not session.logged_in and name not in ("login", "challenge", "logoff"):
            outcome = Reply({"Message": "Permission denied"}, status="Error")
        else:
            builtin = getattr(self, f"_action_{name}", None)
            outcome = (
                builtin(action, session)
                if builtin
                else Reply(
                    {
                        "Message": f"Invalid/unknown command: {action.get('Action')}. "
                        "Use Action: ListCommands to show available commands."
                    },
                    status="Error",
                )
            )
        replies = [] if outcome is None else [outcome] if isinstance(outcome, Reply) else outcome
        for reply in replies:
            if reply.delay:
                time.sleep(reply.delay)
            session.send_raw(reply.render(action))
            if reply.close:
                session.close()

    def _action_login(self, action: Message, session: FakeSession) -> Reply:
        user, secret, key = action.get("Username"), action.get("Secret"), action.get("Key")
        if (action.get("AuthType") or "").lower() == "md5" and session.challenge:
            expected = hashlib.md5((session.challenge + self.secret).encode()).hexdigest()
            good = key == expected
        else:
            good = secret == self.secret
        if user != self.username or not good:
            return Reply({"Message": "Authentication failed"}, status="Error", close=True)
        session.logged_in = True
        session.events_on = _events_on(action.get("Events") or "", default=True)
        return Reply({"Message": "Authentication accepted"})

    def _action_challenge(self, action: Message, session: FakeSession) -> Reply:
        if (action.get("AuthType") or "").lower() != "md5":
            return Reply({"Message": "Must specify AuthType"}, status="Error")
        session.challenge = str(next(self._challenges))
        return Reply({"Challenge": session.challenge})

    def _action_logoff(self, action: Message, session: FakeSession) -> Reply:
        return Reply({"Message": "Thanks for all the fish."}, status="Goodbye", close=True)

    def _action_ping(self, action: Message, session: FakeSession) -> Reply:
        return Reply({"Ping": "Pong", "Timestamp": f"{time.time():.6f}"})

    def _action_events(self, action: Message, session: FakeSession) -> Reply:
        session.events_on = _events_on(action.get("EventMask") or "", default=False)
        return Reply({"Events": "On" if session.events_on else "Off"})

    def _action_filter(self, action: Message, session: FakeSession) -> Reply:
        return Reply({"Message": "Filter Added Successfully"})

    # -- replay ------------------------------------------------------------------------

    def _serve_replay(self, session: FakeSession) -> None:
        steps = list(self._replay or [])
        first = steps[0].data.split(b"\n")[0] if steps and steps[0].direction == "S" else b":"
        if b":" in first:
            session.send_raw((GREETING + "\r\n").encode())
        decoder = Decoder(greeting=False)
        received = needed = 0
        try:
            for step in steps:
                if step.direction == "C":
                    needed += len(Decoder(greeting=False).feed(step.data))
                    while received < needed:
                        actions = session.receive_actions(decoder)
                        if actions is None:
                            return
                        received += len(actions)
                elif step.direction == "S":
                    session.send_raw(step.data)
                else:
                    return
            session.serve_actions(decoder)  # past the recording: default behaviour
        finally:
            session.close()

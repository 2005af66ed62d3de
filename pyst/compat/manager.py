"""pyst 0.x's ``asterisk.manager`` on top of :class:`pyst.manager.ManagerClient`.

``from pyst.compat.manager import Manager`` replaces ``from asterisk.manager import Manager``:
``connect(host, port)``, ``login(user, secret)``, the action methods (``command``,
``originate``, ``status``, ...) returning :class:`ManagerMsg` objects, callbacks registered
with ``register_event(name, function)`` and called as ``function(event, manager)`` in a
thread of their own, and ``logoff()``/``close()``.

One blocking :class:`pyst.manager.ManagerClient` does the talking; a lock makes every call
to it come from one thread at a time (the sync client is not thread-safe).  As in 0.x, a
background thread reads events while your code does other things: it takes the lock only
for a read that does not wait (``process_events(0)``) and pauses between reads without it,
1 ms while events come and up to :attr:`Manager.poll_interval` when none do, so an action
never waits for the reader.  Callbacks run in a second thread, never holding the lock, so
they may send actions or call :meth:`Manager.close`.  ``manager.client`` is the wrapped
client.
"""

from __future__ import annotations

import logging
import os
import queue
import re
import socket
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from pyst import manager as _ami

__all__ = [
    "EOL",
    "Event",
    "Manager",
    "ManagerAuthException",
    "ManagerEvent",
    "ManagerException",
    "ManagerMsg",
    "ManagerSocketException",
]

log = logging.getLogger("pyst.compat.manager")

#: The AMI line ending.
EOL = "\r\n"

#: A callback: ``function(event, manager)``; returning true stops the later callbacks.
Callback = Callable[["Event", "Manager"], object]


# ----------------------------------------------------------------------------- exceptions


class ManagerException(_ami.ManagerError):
    """Base of this module's exceptions (also a :class:`pyst.manager.ManagerError`)."""


class ManagerSocketException(ManagerException):
    """The connection failed or ended; ``args`` is ``(errno, reason)`` as in 0.x, and the
    exception unpacks like that tuple: ``errno, reason = error``."""

    def __iter__(self) -> Iterator[Any]:
        return iter(self.args)


class ManagerAuthException(ManagerException):
    """Login was refused; the message is Asterisk's ``Message`` header."""


# ----------------------------------------------------------------------------- messages


class _Msg:
    """What 0.x's messages and events share: headers looked up like a dict."""

    headers: dict[str, str]

    def has_header(self, hname: str) -> bool:
        """True if the message has a header called ``hname`` (exact case)."""
        return hname in self.headers

    def get_header(self, hname: str, defval: str | None = None) -> str | None:
        """The header's value (the last one when repeated), or ``defval``; like
        :meth:`dict.get`."""
        return self.headers.get(hname, defval)

    def __getitem__(self, hname: str) -> str:
        return self.headers[hname]

    def __repr__(self) -> str:
        return self.headers.get("Response", "")


class ManagerMsg(_Msg):
    """One message from Asterisk, parsed the 0.x way from its raw lines.

    ``response`` holds the lines (each with its line ending), ``headers`` the ``Name:
    value`` headers with blanks trimmed (the last value of a repeated header),
    ``multiheaders`` every value of each header in order, and ``data`` the text that
    follows the headers: a legacy ``Response: Follows`` command body, or the ``Output:``
    lines of a modern one joined with ``\\n``.
    """

    def __init__(self, response: list[str]) -> None:
        self.response = response
        self.data = ""
        self.headers: dict[str, str] = {}
        self.multiheaders: dict[str, list[str]] = {}
        self.parse(response)
        if "Event" not in self.headers and "Response" not in self.headers:
            # 0.x marks messages without either header: an ActionID (or no sign of a
            # command body) makes it a response, an --END COMMAND-- body an event.
            if "ActionID" not in self.headers and "--END COMMAND--" in self.data:
                self._add("Event", "NoClue")
            else:
                self._add("Response", "Generated Header")

    def _add(self, name: str, value: str) -> None:
        self.headers[name] = value
        self.multiheaders.setdefault(name, []).append(value)

    def parse(self, response: list[str]) -> None:
        """Split ``response`` into headers and data (called by the constructor)."""
        for number, line in enumerate(response):
            name, colon, value = line.partition(":")
            if not line.endswith("\r\n") or not colon:
                self.data = "".join(response[number:])
                break
            self._add(name.strip(), value.strip())
        if not self.data and "Output" in self.multiheaders:
            self.data = "\n".join(self.multiheaders["Output"])


class Event(_Msg):
    """An AMI event (0.x's ``Event``): ``name``, ``headers``, ``multiheaders``, ``data`` and
    the :class:`ManagerMsg` it came from as ``message``."""

    def __init__(self, message: ManagerMsg) -> None:
        if not message.has_header("Event"):
            raise ManagerException("Trying to create event from non event message")
        self.message = message
        self.data = message.data
        self.headers = message.headers
        self.multiheaders = message.multiheaders
        self.name = message.headers["Event"]

    def __repr__(self) -> str:
        return self.headers["Event"]

    def get_action_id(self) -> str | int:
        """The ``ActionID`` header, or ``0`` when there is none (as in 0.x)."""
        return self.headers.get("ActionID", 0)


#: Another name for :class:`Event` (0.x itself calls it ``Event``).
ManagerEvent = Event


def _raw_lines(message: _ami.Message) -> list[str]:
    """The lines of a decoded message as 0.x read them from the socket."""
    lines = [f"{name}: {value}\r\n" for name, value in message.headers.items()]
    lines.extend(f"{line}\r\n" for line in message.lines)
    if isinstance(message, _ami.Response):
        output = message.output
        if output and not message.get_all("Output"):  # a legacy Response: Follows body
            lines.extend(f"{line}\n" for line in output)
            lines.append("--END COMMAND--\r\n")
    return lines


def _event(event: _ami.Event) -> Event:
    return Event(ManagerMsg(_raw_lines(event)))


def _socket_error(error: BaseException) -> ManagerSocketException:
    cause = error.__cause__
    if isinstance(cause, OSError) and cause.errno:
        return ManagerSocketException(cause.errno, str(error))
    # The client names the OSError in its message ("... [Errno 111] Connection refused").
    found = re.search(r"\[Errno (\d+)\]", str(error))
    return ManagerSocketException(int(found.group(1)) if found else 0, str(error))


# ----------------------------------------------------------------------------- the manager


class Manager:
    """pyst 0.x's AMI client: ``connect``, ``login``, actions, event callbacks, ``close``.

    ``timeout`` bounds each action (0.x waited forever): after it the action raises
    :class:`ManagerException`.  ``connect_timeout`` bounds connecting and the greeting.
    """

    #: The longest pause (seconds) of the event reader between two reads while no events
    #: come; it reads again after 1 ms while they do.  The reader holds the client only for
    #: a read that does not wait, so an action never waits for it.
    poll_interval = 0.02
    _min_pause = 0.001

    def __init__(self, *, timeout: float | None = 60.0, connect_timeout: float = 10.0) -> None:
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.title: str | None = None
        self.version: str | None = None
        self.hostname = socket.gethostname()
        self.pid = os.getpid()
        self.client: _ami.ManagerClient | None = None
        self._event_callbacks: dict[str, list[Callback]] = {}
        self._seq = 0
        self._seqlock = threading.Lock()
        self._io = threading.RLock()  # whoever holds it may use the client
        self._wake = threading.Event()  # ends the reader's pause (close())
        self._connected = threading.Event()
        self._running = threading.Event()
        self._events: queue.Queue[Event | None] = queue.Queue()
        self.message_thread: threading.Thread | None = None
        self.event_dispatch_thread: threading.Thread | None = None

    # -------------------------------------------------------------------- connection

    def connected(self) -> bool:
        """True while the connection is up."""
        return self._connected.is_set()

    def next_seq(self) -> int:
        """The next number of this manager's sequence (0, 1, 2, ...)."""
        with self._seqlock:
            number = self._seq
            self._seq += 1
            return number

    def connect(self, host: str, port: int | str = 5038) -> ManagerMsg:
        """Connect to the manager interface and read its greeting.

        Returns a message whose ``data`` is the greeting line; sets ``title`` and
        ``version``.  Raises :class:`ManagerSocketException` ``(errno, reason)`` when the
        connection fails.
        """
        if self._connected.is_set():
            raise ManagerException("Already connected to manager")
        if not isinstance(host, str):
            raise TypeError(f"host must be a str, not {type(host).__name__}")
        if self.client is not None:  # a connection that was lost: release it first
            self.close()
        client = _ami.ManagerClient(
            host,
            int(port),
            events=None,  # no Events action before login; Login sets the mask
            timeout=self.timeout,
            connect_timeout=self.connect_timeout,
        )
        try:
            client.connect()
        except _ami.ManagerError as error:
            raise _socket_error(error) from error
        greeting = client.greeting.text if client.greeting is not None else ""
        title, _, version = greeting.partition("/")
        self.title, self.version = title.strip(), version.strip()
        client.subscribe(self._queue_event)
        self.client = client
        self._events = queue.Queue()
        self._connected.set()
        self._wake.clear()
        self._running.set()
        self.message_thread = threading.Thread(
            target=self._read_events, daemon=True, name="pyst.compat.manager reader"
        )
        self.event_dispatch_thread = threading.Thread(
            target=self._dispatch_events, daemon=True, name="pyst.compat.manager dispatch"
        )
        self.message_thread.start()
        self.event_dispatch_thread.start()
        return ManagerMsg(["Response: Generated Header\r\n", f"{greeting}\r\n"])

    def close(self) -> None:
        """Log off if still logged in, close the connection and stop the threads.

        Safe after :meth:`logoff`, twice, and from inside a callback.
        """
        client = self.client
        if client is None:
            return
        self._running.clear()
        self._wake.set()
        with self._io:
            client.close()  # sends Logoff only if the session has not ended with one
        self._connected.clear()
        current = threading.current_thread()
        if self.message_thread is not None and self.message_thread is not current:
            self.message_thread.join()
        self._events.put(None)
        thread = self.event_dispatch_thread
        if thread is not None and thread is not current:
            thread.join()

    # -------------------------------------------------------------------- threads

    def _read_events(self) -> None:
        """The reader thread: let the client read, queueing events for the dispatcher."""
        client = self.client
        assert client is not None
        pause = self._min_pause
        try:
            while self._running.is_set():
                with self._io:
                    if not self._running.is_set():
                        break
                    handled = client.process_events(0.0)  # reads what is there, never waits
                # Pause without holding the client, longer while nothing comes.
                pause = self._min_pause if handled else min(pause * 2, self.poll_interval)
                self._wake.wait(pause)
        except _ami.ManagerError as error:  # the connection ended (Logoff, EOF, ...)
            if self._running.is_set():
                log.debug("AMI connection ended: %s", error)
        finally:
            self._connected.clear()
            self._events.put(None)

    def _queue_event(self, event: _ami.Event) -> None:
        self._events.put(_event(event))

    def _dispatch_events(self) -> None:
        """The dispatch thread: call the callbacks of each event in turn."""
        events = self._events
        while (event := events.get()) is not None:
            self._dispatch(event)

    def _dispatch(self, event: Event) -> None:
        callbacks = self._event_callbacks.get(event.name, []) + self._event_callbacks.get("*", [])
        for callback in callbacks:
            try:
                if callback(event, self):
                    break
            except Exception:  # 0.x lost its dispatch thread here; log and go on
                log.exception("callback %r for event %s failed", callback, event.name)

    # -------------------------------------------------------------------- callbacks

    def register_event(self, event: str, function: Callback) -> None:
        """Call ``function(event, manager)`` for each event named ``event`` (``"*"``: every
        event, after the named callbacks).  A callback that returns true stops the rest."""
        self._event_callbacks[event] = [*self._event_callbacks.get(event, []), function]

    def unregister_event(self, event: str, function: Callback) -> None:
        """Remove a callback added with :meth:`register_event` (``ValueError`` if absent)."""
        callbacks = list(self._event_callbacks.get(event, []))
        callbacks.remove(function)
        self._event_callbacks[event] = callbacks

    # -------------------------------------------------------------------- actions

    def send_action(self, cdict: Mapping[str, Any] | None = None, **kwargs: Any) -> ManagerMsg:
        """Send an action given as headers, e.g. ``{"Action": "Ping"}``, and return the
        response (an ``Error`` response too; only the transport raises).

        A list value repeats its header (``"Variable": ["a=1", "b=2"]``).  An ``ActionID``
        you give is used; otherwise the client picks a unique one.  The items of a list
        answer (``Status``, ...) go to the callbacks, as 0.x delivered them.
        """
        if not self._connected.is_set() or self.client is None:
            raise ManagerException("Not connected")
        fields = {**(cdict or {}), **kwargs}
        name = fields.pop("Action", None)
        if not name:
            raise ManagerException("send_action needs an 'Action' header")
        action_id = fields.pop("ActionID", None)
        headers: list[tuple[str, Any]] = []
        for key, value in fields.items():
            if isinstance(value, list):
                headers.extend((str(key), str(item)) for item in value)
            else:
                headers.append((str(key), str(value)))
        try:
            action = _ami.Action(
                str(name),
                headers=headers,
                action_id=None if action_id is None else str(action_id),
            )
        except ValueError as error:  # CR/LF/NUL in a header, a line too long, ...
            raise ManagerException(str(error)) from error
        return self._send(action)

    def _send(self, action: _ami.ActionBase[Any]) -> ManagerMsg:
        client = self.client
        if client is None:
            raise ManagerException("Not connected")
        try:
            with self._io:
                response = client.send(action)
        except _ami.AuthenticationError:
            raise
        except _ami.ActionError as error:
            response = error.response  # 0.x returned Error responses
        except (_ami.ConnectionLost, _ami.ClientClosed) as error:
            self._connected.clear()
            raise ManagerSocketException(0, "Connection Terminated") from error
        except _ami.ManagerError as error:  # ActionTimeout, ProtocolError
            raise ManagerException(str(error)) from error
        if not isinstance(response, _ami.Response):
            raise ManagerException(f"{action.name} did not return a response")
        for item in [*response.events, *([response.complete] if response.complete else [])]:
            self._events.put(_event(item))
        return ManagerMsg(_raw_lines(response))

    def login(self, username: str, secret: str) -> ManagerMsg:
        """Log in; :class:`ManagerAuthException` (with Asterisk's message) when refused."""
        try:
            return self._send(_ami.Login(str(username), str(secret)))
        except _ami.AuthenticationError as error:
            message = error.response.get("Message") or error.response.status
            raise ManagerAuthException(message) from error
        except ValueError as error:
            raise ManagerException(str(error)) from error

    def ping(self) -> ManagerMsg:
        """Send ``Ping``."""
        return self.send_action({"Action": "Ping"})

    def logoff(self) -> ManagerMsg:
        """Log off; Asterisk answers ``Goodbye`` and closes.  Call :meth:`close` after it."""
        return self._send(_ami.Logoff())

    def hangup(self, channel: str) -> ManagerMsg:
        """Hang up ``channel``."""
        return self.send_action({"Action": "Hangup", "Channel": channel})

    def status(self, channel: str = "") -> ManagerMsg:
        """Ask for channel status; the ``Status`` events go to the callbacks."""
        return self.send_action({"Action": "Status", "Channel": channel})

    def redirect(
        self,
        channel: str,
        exten: str,
        priority: str | int = "1",
        extra_channel: str = "",
        context: str = "",
    ) -> ManagerMsg:
        """Send ``channel`` (and ``extra_channel``) to ``context``/``exten``/``priority``."""
        cdict: dict[str, Any] = {
            "Action": "Redirect",
            "Channel": channel,
            "Exten": exten,
            "Priority": priority,
        }
        if context:
            cdict["Context"] = context
        if extra_channel:
            cdict["ExtraChannel"] = extra_channel
        return self.send_action(cdict)

    def originate(
        self,
        channel: str,
        exten: str,
        context: str = "",
        priority: str | int = "",
        timeout: str | int = "",
        caller_id: str = "",
        run_async: bool = False,
        account: str = "",
        variables: Mapping[str, object] | None = None,
    ) -> ManagerMsg:
        """Originate a call from ``channel`` to ``exten`` (``timeout`` in ms rings).

        ``variables`` become ``Variable`` headers, escaped so that a value with ``,`` or
        ``"`` arrives whole (0.x sent them raw and Asterisk split them at commas).
        """
        try:
            action = _ami.Originate(
                str(channel),
                exten=str(exten),
                context=str(context) or None,
                priority=str(priority) or None,
                ring_timeout_ms=int(timeout) if str(timeout) else None,
                caller_id=str(caller_id) or None,
                variables=dict(variables) if variables else None,
                account=str(account) or None,
                async_=bool(run_async),
            )
        except ValueError as error:
            raise ManagerException(str(error)) from error
        return self._send(action)

    def mailbox_status(self, mailbox: str) -> ManagerMsg:
        """Ask whether ``mailbox`` has new messages."""
        return self.send_action({"Action": "MailboxStatus", "Mailbox": mailbox})

    def command(self, command: str) -> ManagerMsg:
        """Run a CLI command; its output is the response's ``data``."""
        return self.send_action({"Action": "Command", "Command": command})

    def extension_state(self, exten: str, context: str) -> ManagerMsg:
        """Ask for the state of ``exten`` in ``context``."""
        return self.send_action({"Action": "ExtensionState", "Exten": exten, "Context": context})

    def playdtmf(self, channel: str, digit: str) -> ManagerMsg:
        """Play the DTMF ``digit`` on ``channel``."""
        return self.send_action({"Action": "PlayDTMF", "Channel": channel, "Digit": digit})

    def absolute_timeout(self, channel: str, timeout: int | str) -> ManagerMsg:
        """Hang up ``channel`` after ``timeout`` seconds."""
        return self.send_action(
            {"Action": "AbsoluteTimeout", "Channel": channel, "Timeout": timeout}
        )

    def mailbox_count(self, mailbox: str) -> ManagerMsg:
        """Ask how many messages ``mailbox`` holds."""
        return self.send_action({"Action": "MailboxCount", "Mailbox": mailbox})

    def sippeers(self) -> ManagerMsg:
        """List chan_sip peers (the ``PeerEntry`` events go to the callbacks)."""
        return self.send_action({"Action": "Sippeers"})

    def sipshowpeer(self, peer: str) -> ManagerMsg:
        """Show one chan_sip peer."""
        return self.send_action({"Action": "SIPshowpeer", "Peer": peer})

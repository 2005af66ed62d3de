"""pyst 0.x's ``asterisk.astemu`` (the AMI emulator for unit tests) on top of
:class:`pyst.manager.testing.FakeAMIServer`.

Tests written for pyst 0.x's ``AsteriskEmu`` run unchanged apart from the import::

    from pyst.compat.astemu import AsteriskEmu, Event

    emu = AsteriskEmu({"Ping": (Event(Response=("Success",), Ping=("Pong",)),)})
    manager.connect("localhost", emu.port)
    ...
    emu.close()

``chatscript`` maps action names to the messages sent when that action arrives: a message
with a ``Response`` header gets the action's ``ActionID``; ``CONTENT`` is raw text sent after
the headers (a legacy command body).  ``Login`` and ``Logoff`` have 0.x's default answers;
other actions the script does not name are answered as :class:`FakeAMIServer` answers them.
Unlike 0.x, no process is forked: the server runs in threads of this process.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from pyst.manager.testing import FakeAMIServer, FakeSession, Reply

__all__ = ["AsteriskEmu", "Event"]

#: The headers that go first in an emulated message, in this order (then the others as
#: given, then ``CONTENT``).
_LEADING = ("Event", "Response")


class Event(dict[str, Any]):
    """One emulated message: header name -> a value or a sequence of values (a repeated
    header); the key ``CONTENT`` is raw text sent after the headers."""

    def as_string(self, id: str) -> bytes:
        """The message as sent on the wire (``id``: the ActionID of a response)."""
        fields = dict(self)
        if "Response" in fields:
            fields["ActionID"] = [id]
        names = [name for name in _LEADING if name in fields]
        names += [name for name in fields if name not in _LEADING and name != "CONTENT"]
        lines: list[str] = []
        for name in names:
            value = fields[name]
            values = [value] if isinstance(value, str) else list(value)
            lines.extend(f"{name}: {item}" for item in values)
        if "CONTENT" in fields:
            lines.append(fields["CONTENT"])
        return ("\r\n".join([*lines, "", ""])).encode("utf-8")

    @property
    def name(self) -> str:
        """The ``Event`` header (``''`` for a response)."""
        value = self.get("Event", "")
        return value if isinstance(value, str) else "".join(value[-1:])

    @property
    def headers(self) -> Event:
        """The message itself (0.x's events and messages both have ``headers``)."""
        return self


class AsteriskEmu:
    """An AMI emulator on ``localhost``; ``port`` is where it listens (``0``: a free one)."""

    default_events: ClassVar[dict[str, tuple[Event, ...]]] = {
        "Login": (Event(Response=("Success",), Message=("Authentication accepted",)),),
        "Logoff": (Event(Response=("Goodbye",), Message=("Thanks for all the fish.",)),),
    }

    def __init__(self, chatscript: Mapping[str, Sequence[Event]], port: int = 0) -> None:
        self.server = FakeAMIServer(
            greeting="Asterisk Call Manager/1.1", require_login=False, port=port
        )
        script = {**self.default_events, **chatscript}
        for name, messages in script.items():
            self.server.on(name, self._responder(name, tuple(messages)))
        self.server.start()
        self.port = self.server.port

    @staticmethod
    def _responder(name: str, messages: tuple[Event, ...]) -> Any:
        def respond(action: Any, session: FakeSession) -> Reply:
            action_id = action.get("ActionID") or ""
            data = b"".join(message.as_string(id=action_id) for message in messages)
            return Reply(raw=data, close=name.lower() == "logoff")

        return respond

    def close(self) -> None:
        """Stop the emulator (every connection is closed)."""
        self.server.stop()

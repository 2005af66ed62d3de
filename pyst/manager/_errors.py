"""The exception hierarchy of :mod:`pyst.manager`: everything raised derives from ManagerError."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyst.manager._messages import Response


class ManagerError(Exception):
    """Base class of every error raised by :mod:`pyst.manager`."""


class ProtocolError(ManagerError):
    """The server sent bytes that cannot be AMI (for example a message over the size limit)."""


class HeaderInjectionError(ManagerError, ValueError):
    """A header name or value to be sent contains CR, LF or NUL (or a name contains ':').

    Such a header would let a value smuggle extra headers or actions into the stream, so the
    encoder refuses it; clean the value (for example replace newlines) before sending.
    """


class LineTooLongError(ManagerError, ValueError):
    """A header line of an action is longer than Asterisk can read (see ``MAX_LINE_BYTES``).

    manager.c reads each line into a 1024-byte buffer and answers ``Failed to parse message:
    line too long`` without running the action, so the encoder refuses such a line; shorten
    the value (or split it over several headers or actions).
    """


class ActionError(ManagerError):
    """The server answered an action with ``Response: Error`` (or another failure status).

    ``response`` is the full :class:`~pyst.manager.Response`; ``str()`` carries its ``Message``.
    """

    def __init__(self, message: str, response: Response) -> None:
        super().__init__(message)
        self.response = response


class AuthenticationError(ActionError):
    """Login was refused: check the username and secret (or the MD5 key) in manager.conf."""


class ActionTimeout(ManagerError, TimeoutError):
    """No complete answer arrived for an action within its timeout.

    The action stays unanswered as far as the client is concerned; a late answer is dropped
    (and logged at debug level). Raise the ``timeout`` of the action or client if the server
    is merely slow.
    """


class ConnectionLost(ManagerError, ConnectionError):
    """The connection closed (or failed) while actions were pending or while one was sent.

    Every action pending at that moment fails with this exception; none is left waiting.
    """


class ClientClosed(ManagerError):
    """The client was closed (or never connected); connect it again before sending."""

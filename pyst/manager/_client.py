"""What both front ends share: options, credentials, subscriptions and remembered filters."""

from __future__ import annotations

import ssl
from collections.abc import Callable

from pyst.manager._connection import Connection
from pyst.manager._dispatch import (
    EventBuffer,
    EventRouter,
    Handler,
    Overflow,
    Predicate,
    Subscription,
)
from pyst.manager._messages import Greeting
from pyst.manager._session import Credentials, Reconnect

__all__ = ["ClientBase"]


class ClientBase:
    """Options and event subscriptions common to :class:`ManagerClient` and
    :class:`AsyncManagerClient` (see their docstrings for the meaning of each option)."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 5038,
        *,
        username: str | None = None,
        secret: str | None = None,
        auth: str = "plain",
        events: bool | str | None = True,
        ssl_context: ssl.SSLContext | None = None,
        server_hostname: str | None = None,
        timeout: float | None = 10.0,
        connect_timeout: float = 10.0,
        reconnect: Reconnect | None = None,
        queue_size: int = 10_000,
        overflow: Overflow | str = Overflow.DROP_OLDEST,
    ) -> None:
        self.host, self.port = host, port
        self._credentials = (
            Credentials(username, secret, auth)
            if username is not None and secret is not None
            else None
        )
        self._events_mask = events
        self._ssl_context = ssl_context
        self._server_hostname = server_hostname or host
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.reconnect = reconnect
        self._queue_size = queue_size
        self._overflow = Overflow(overflow)
        self._router = EventRouter()
        self._buffer = EventBuffer(queue_size, overflow)
        self._filters: list[str] = []
        self._conn: Connection | None = None
        self._closed = True
        self._init_state()

    def _init_state(self) -> None:
        """Set up the front end's own state (called at the end of ``__init__``)."""

    def _state(self) -> str:
        raise NotImplementedError

    def __repr__(self) -> str:
        user = self._credentials.username if self._credentials else None
        return (
            f"{type(self).__name__}({self.host!r}, {self.port}, username={user!r}, {self._state()})"
        )

    @property
    def greeting(self) -> Greeting | None:
        """The server's banner (``Asterisk Call Manager/...``) of the current connection."""
        return self._conn.greeting if self._conn else None

    @property
    def filters(self) -> tuple[str, ...]:
        """Filters added with ``add_filter()`` (re-applied on reconnect)."""
        return tuple(self._filters)

    def subscribe(
        self, handler: Handler, *names: str, where: Predicate | None = None
    ) -> Subscription:
        """Call ``handler(event)`` for events named ``names`` (exact or glob such as
        ``"Agent*"``, case-insensitive; none = all) for which ``where(event)`` holds. A handler
        that raises is logged and skipped; delivery goes on."""
        return self._router.subscribe(handler, *names, where=where)

    def unsubscribe(self, subscription: Subscription) -> None:
        """Stop a subscription made with :meth:`subscribe` or :meth:`on`."""
        self._router.unsubscribe(subscription)

    def on(self, *names: str, where: Predicate | None = None) -> Callable[[Handler], Handler]:
        """Decorator form of :meth:`subscribe`."""

        def register(handler: Handler) -> Handler:
            self.subscribe(handler, *names, where=where)
            return handler

        return register

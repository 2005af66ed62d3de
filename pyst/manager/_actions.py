"""Actions as objects: the generic :class:`Action` and typed classes for common actions.

An action is a name plus ordered headers. ``client.send(action)`` adds the ``ActionID``,
waits for the matching answer and returns ``action.result(response)``: the
:class:`~pyst.manager.Response` itself for most actions, the output lines for
:class:`Command`, a :class:`pyst.config.Config` for :class:`GetConfig`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Generic, TypeVar

from pyst.manager._errors import ActionError, AuthenticationError, ProtocolError
from pyst.manager._messages import (
    LOGIN_SECRET_HEADER_NAMES,
    SECRET_HEADER_NAMES,
    Response,
    redacted,
    redacted_config,
    secret_edit_numbers,
)
from pyst.manager._protocol import MAX_ACTION_LINES, check_action_id, check_header

if TYPE_CHECKING:
    from pyst.config import Config
    from pyst.manager._config import ConfigEdit

ResultT = TypeVar("ResultT")

HeaderValue = str | int | float | bool | None | Sequence[str] | Mapping[str, object]


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def header_pairs(name: str, value: HeaderValue) -> list[tuple[str, str]]:
    """Turn one header into ``(name, value)`` pairs: ``None`` gives none, a list repeats the
    header, a mapping gives ``NAME=value`` items (as for ``Variable``)."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        return [(name, f"{key}={_text(item)}") for key, item in value.items()]
    if isinstance(value, (list, tuple)):
        return [(name, _text(item)) for item in value]
    return [(name, _text(value))]


class ActionBase(Generic[ResultT]):
    """Base of every action; ``ResultT`` is what ``client.send(action)`` returns.

    ``timeout`` (seconds) overrides the client's default for this action; ``action_id``
    forces an ActionID (normally the client picks a unique one).
    """

    name: str = ""
    secret_headers: frozenset[str] = SECRET_HEADER_NAMES
    # The event that ends this action's list answer when the response does not announce the
    # list with ``EventList: start``, as Asterisk before 14 answered Status, QueueStatus,
    # QueueSummary and DBGet ("... will follow", items, then e.g. ``StatusComplete``).
    list_complete: str = ""

    def __init__(
        self,
        headers: Iterable[tuple[str, HeaderValue]] = (),
        *,
        timeout: float | None = None,
        action_id: str | None = None,
    ) -> None:
        self._headers: list[tuple[str, str]] = []
        for key, value in headers:
            self._headers.extend(header_pairs(key, value))
        for key, text in self._headers:
            check_header(key, text)
        if action_id:  # "" or None: the client picks one
            check_action_id(action_id)
        if len(self._headers) + 2 > MAX_ACTION_LINES:  # + Action and ActionID
            raise ValueError(
                f"{self.name or 'the action'} would have {len(self._headers) + 2} header lines; "
                f"Asterisk reads at most {MAX_ACTION_LINES} per action (AST_MAX_MANHEADERS) and "
                "answers 'Too many lines in message' without running it"
                + (
                    "; split the edits over several UpdateConfig actions (each one is applied "
                    "and saved on its own, so together they are no longer all-or-nothing)"
                    if self.name == "UpdateConfig"
                    else ""
                )
            )
        self.timeout = timeout
        self.action_id = action_id

    def headers(self) -> list[tuple[str, str]]:
        """The headers after ``Action`` (without ``ActionID``), in the order they are sent."""
        return list(self._headers)

    def wire_headers(self, action_id: str | None) -> list[tuple[str, str]]:
        """All headers as sent: ``Action``, ``ActionID`` (when given), then the rest."""
        pairs = [("Action", self.name)]
        if action_id is not None:
            pairs.append(("ActionID", action_id))
        pairs.extend(self._headers)
        return pairs

    def result(self, response: Response) -> ResultT:
        """Turn the complete answer into the value ``send()`` returns; raise on failure."""
        raise NotImplementedError

    def check(self, response: Response) -> Response:
        """Return ``response`` when it reports success, else raise :class:`ActionError`."""
        if response.ok:
            return response
        reason = response.message or response.status or "no Message header"
        raise ActionError(f"{self.name} failed: {reason}", response)

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{key}={redacted(key, value, self.secret_headers)!r}" for key, value in self._headers
        )
        return f"{type(self).__name__}({self.name!r}{', ' if shown else ''}{shown})"


def _kept_value(action: str, header: str, value: str) -> str:
    """Return ``value``, refusing one that starts with a blank: manager.c
    (``astman_get_header``) skips leading bytes up to space in every header value, so the
    server would store a different value with no way to send the blanks."""
    if not isinstance(value, str):
        return value
    check_header(header, value)  # injection first: its error is the more precise one
    if value[:1] and ord(value[0]) <= 32:
        raise ValueError(
            f"{action} {header} {value[:30]!r} starts with a blank; Asterisk skips leading "
            f"blanks in header values and would store {value.lstrip(_BLANKS)[:30]!r} instead"
        )
    return value


_BLANKS = "".join(map(chr, range(1, 33)))


class Action(ActionBase[Response]):
    """Any action by name: ``Action("QueueAdd", Queue="support", Interface="PJSIP/100")``.

    Keyword headers keep their order; use ``headers=[...]`` for names that are not Python
    identifiers (``Action-000000``) or to repeat a header. A list value repeats the header, a
    dict value sends ``NAME=value`` items. ``send()`` returns the :class:`Response` and raises
    :class:`ActionError` on ``Response: Error``.
    """

    def __init__(
        self,
        name: str,
        /,
        headers: Iterable[tuple[str, HeaderValue]] = (),
        *,
        timeout: float | None = None,
        action_id: str | None = None,
        **fields: HeaderValue,
    ) -> None:
        self.name = name
        if name.lower() == "login":
            self.secret_headers = LOGIN_SECRET_HEADER_NAMES
        super().__init__([*headers, *fields.items()], timeout=timeout, action_id=action_id)
        check_header("Action", name)

    def result(self, response: Response) -> Response:
        """Return the response; raise :class:`ActionError` when it is not a success
        (:class:`AuthenticationError` for a refused ``Login``, as :class:`Login` does)."""
        if self.name.lower() == "login":
            return _login_result(response)
        return self.check(response)


class _Simple(Action):
    """A typed action whose result is the checked :class:`Response`."""

    def __init__(
        self,
        headers: Iterable[tuple[str, HeaderValue]] = (),
        *,
        timeout: float | None = None,
        action_id: str | None = None,
    ) -> None:
        super().__init__(type(self).name, headers, timeout=timeout, action_id=action_id)


class Login(_Simple):
    """Log in with a plain ``secret`` or an MD5 ``key`` (see :func:`md5_key`).

    ``events`` sets the initial event mask (``True``/``False`` or a mask like
    ``"call,system"``); ``None`` leaves the user's default from manager.conf.
    """

    name = "Login"
    secret_headers = LOGIN_SECRET_HEADER_NAMES

    def __init__(
        self,
        username: str,
        secret: str | None = None,
        *,
        key: str | None = None,
        events: bool | str | None = None,
        timeout: float | None = None,
        action_id: str | None = None,
    ) -> None:
        if (secret is None) == (key is None):
            raise ValueError("Login needs exactly one of secret= (plain) or key= (MD5)")
        mask = ("on" if events else "off") if isinstance(events, bool) else events
        super().__init__(
            [
                ("AuthType", "MD5" if key is not None else None),
                ("Username", username),
                ("Secret", secret),
                ("Key", key),
                ("Events", mask),
            ],
            timeout=timeout,
            action_id=action_id,
        )

    def result(self, response: Response) -> Response:
        """Return the response; raise :class:`AuthenticationError` when login was refused."""
        return _login_result(response)


def _login_result(response: Response) -> Response:
    if not response.ok:
        raise AuthenticationError(
            f"login refused: {response.message or response.status}; check the username "
            "and secret in manager.conf (and permit= for this address)",
            response,
        )
    return response


def md5_key(challenge: str, secret: str) -> str:
    """The ``Key`` for an MD5 login: hex MD5 of the challenge followed by the secret."""
    return hashlib.md5((challenge + secret).encode(), usedforsecurity=False).hexdigest()


class Challenge(_Simple):
    """Ask for an MD5 challenge (``response["Challenge"]``) before an MD5 :class:`Login`."""

    name = "Challenge"

    def __init__(
        self, auth_type: str = "MD5", *, timeout: float | None = None, action_id: str | None = None
    ) -> None:
        super().__init__([("AuthType", auth_type)], timeout=timeout, action_id=action_id)


class Logoff(_Simple):
    """End the session; the server answers ``Response: Goodbye`` and closes the connection."""

    name = "Logoff"

    def __init__(self, *, timeout: float | None = None, action_id: str | None = None) -> None:
        super().__init__(timeout=timeout, action_id=action_id)


class Ping(_Simple):
    """Keep-alive; the response carries ``Ping: Pong`` and a ``Timestamp``."""

    name = "Ping"

    def __init__(self, *, timeout: float | None = None, action_id: str | None = None) -> None:
        super().__init__(timeout=timeout, action_id=action_id)


class Command(ActionBase[list[str]]):
    """Run a CLI command; ``send()`` returns its output lines (modern or legacy format).

    A command Asterisk does not know is ``Response: Error`` and raises :class:`ActionError`
    (its output, e.g. ``No such command ...``, is on ``error.response.output``).
    """

    name = "Command"

    def __init__(
        self, command: str, *, timeout: float | None = None, action_id: str | None = None
    ) -> None:
        super().__init__([("Command", command)], timeout=timeout, action_id=action_id)

    def result(self, response: Response) -> list[str]:
        """Return the output lines; raise :class:`ActionError` on failure."""
        if not response.ok:
            output = "; ".join(response.output)
            reason = response.message or response.status
            raise ActionError(f"Command failed: {reason}{': ' if output else ''}{output}", response)
        return response.output


class Originate(_Simple):
    """Place a call from ``channel`` to an extension (``context``/``exten``/``priority``) or to
    an ``application`` with ``data``. ``async_`` (default true) answers at once; the outcome
    arrives later as an ``OriginateResponse`` event carrying the same ActionID. ``ring_timeout``
    is Asterisk's ``Timeout`` header in milliseconds."""

    name = "Originate"

    def __init__(
        self,
        channel: str,
        *,
        context: str | None = None,
        exten: str | None = None,
        priority: int | str | None = None,
        application: str | None = None,
        data: str | None = None,
        caller_id: str | None = None,
        variables: Mapping[str, object] | None = None,
        account: str | None = None,
        ring_timeout: int | None = None,
        async_: bool = True,
        channel_id: str | None = None,
        other_channel_id: str | None = None,
        codecs: str | None = None,
        early_media: bool | None = None,
        timeout: float | None = None,
        action_id: str | None = None,
    ) -> None:
        super().__init__(
            [
                ("Channel", channel),
                ("Context", context),
                ("Exten", exten),
                ("Priority", priority),
                ("Application", application),
                ("Data", data),
                ("CallerID", caller_id),
                ("Timeout", ring_timeout),
                ("Variable", originate_variables(variables) if variables else None),
                ("Account", account),
                ("ChannelId", channel_id),
                ("OtherChannelId", other_channel_id),
                ("Codecs", codecs),
                ("EarlyMedia", early_media),
                ("Async", async_),
            ],
            timeout=timeout,
            action_id=action_id,
        )


def originate_variables(variables: Mapping[str, object]) -> list[str]:
    """``Variable`` header values (one per variable) that Asterisk reads back exactly.

    manager.c (``man_do_variable_value``) skips leading blanks, then splits each header with
    ``AST_STANDARD_APP_ARGS``: a ``,`` starts another ``NAME=value`` item, ``"`` is dropped
    and ``\\`` makes the next character literal. So ``\\``, ``"`` and ``,`` are escaped with a
    backslash, as is a leading blank; a name must be non-empty and free of ``=``.
    """
    items: list[str] = []
    for name, value in variables.items():
        name = str(name)
        if not name or "=" in name:
            raise ValueError(
                f"Originate variable name {name[:40]!r} is empty or contains '=': Asterisk "
                "splits each item at its first '='"
            )
        text = _ORIGINATE_SPECIAL.sub(r"\\\g<0>", f"{name}={_text(value)}")
        if ord(text[0]) <= 32:
            text = "\\" + text
        items.append(text)
    return items


_ORIGINATE_SPECIAL = re.compile(r'[\\",]')


class Redirect(_Simple):
    """Send ``channel`` (and optionally ``extra_channel``) to ``context``/``exten``/``priority``."""

    name = "Redirect"

    def __init__(
        self,
        channel: str,
        context: str,
        exten: str,
        priority: int | str = 1,
        *,
        extra_channel: str | None = None,
        extra_context: str | None = None,
        extra_exten: str | None = None,
        extra_priority: int | str | None = None,
        timeout: float | None = None,
        action_id: str | None = None,
    ) -> None:
        super().__init__(
            [
                ("Channel", channel),
                ("Context", context),
                ("Exten", exten),
                ("Priority", priority),
                ("ExtraChannel", extra_channel),
                ("ExtraContext", extra_context),
                ("ExtraExten", extra_exten),
                ("ExtraPriority", extra_priority),
            ],
            timeout=timeout,
            action_id=action_id,
        )


class Hangup(_Simple):
    """Hang up ``channel`` (a name, or a regex between slashes), optionally with a ``cause``."""

    name = "Hangup"

    def __init__(
        self,
        channel: str,
        cause: int | None = None,
        *,
        timeout: float | None = None,
        action_id: str | None = None,
    ) -> None:
        super().__init__(
            [("Channel", channel), ("Cause", cause)], timeout=timeout, action_id=action_id
        )


class Setvar(_Simple):
    """Set a channel variable (or a global one when ``channel`` is omitted)."""

    name = "Setvar"

    def __init__(
        self,
        variable: str,
        value: str,
        channel: str | None = None,
        *,
        timeout: float | None = None,
        action_id: str | None = None,
    ) -> None:
        super().__init__(
            [
                ("Channel", channel),
                ("Variable", variable),
                ("Value", _kept_value("Setvar", "Value", value)),
            ],
            timeout=timeout,
            action_id=action_id,
        )


class Getvar(_Simple):
    """Read a channel (or global) variable: ``response["Value"]`` (empty when unset)."""

    name = "Getvar"

    def __init__(
        self,
        variable: str,
        channel: str | None = None,
        *,
        timeout: float | None = None,
        action_id: str | None = None,
    ) -> None:
        super().__init__(
            [("Channel", channel), ("Variable", variable)], timeout=timeout, action_id=action_id
        )


class Status(_Simple):
    """List channel status (``response.events`` holds the ``Status`` events)."""

    name = "Status"
    list_complete = "StatusComplete"

    def __init__(
        self,
        channel: str | None = None,
        *,
        variables: Sequence[str] | None = None,
        all_variables: bool | None = None,
        timeout: float | None = None,
        action_id: str | None = None,
    ) -> None:
        super().__init__(
            [
                ("Channel", channel),
                ("Variables", ",".join(variables) if variables else None),
                ("AllVariables", all_variables),
            ],
            timeout=timeout,
            action_id=action_id,
        )


class _NoArgs(_Simple):
    def __init__(self, *, timeout: float | None = None, action_id: str | None = None) -> None:
        super().__init__(timeout=timeout, action_id=action_id)


class CoreShowChannels(_NoArgs):
    """List active channels (``response.events`` holds the ``CoreShowChannel`` events)."""

    name = "CoreShowChannels"


class CoreSettings(_NoArgs):
    """Core settings: ``AsteriskVersion``, ``SystemName``, limits ..."""

    name = "CoreSettings"


class CoreStatus(_NoArgs):
    """Core status: startup and reload times, ``CoreCurrentCalls``."""

    name = "CoreStatus"


class PJSIPShowEndpoints(_NoArgs):
    """List PJSIP endpoints (``EndpointList`` events in ``response.events``)."""

    name = "PJSIPShowEndpoints"


class SIPpeers(_NoArgs):
    """List chan_sip peers (``PeerEntry`` events; chan_sip is gone from Asterisk 21)."""

    name = "SIPpeers"


class DBGet(_Simple):
    """Read an AstDB key; the value is ``response.events[0]["Val"]`` (list answer)."""

    name = "DBGet"
    list_complete = "DBGetComplete"

    def __init__(
        self, family: str, key: str, *, timeout: float | None = None, action_id: str | None = None
    ) -> None:
        super().__init__([("Family", family), ("Key", key)], timeout=timeout, action_id=action_id)


class DBPut(_Simple):
    """Write an AstDB key."""

    name = "DBPut"

    def __init__(
        self,
        family: str,
        key: str,
        value: str,
        *,
        timeout: float | None = None,
        action_id: str | None = None,
    ) -> None:
        super().__init__(
            [("Family", family), ("Key", key), ("Val", _kept_value("DBPut", "Val", value))],
            timeout=timeout,
            action_id=action_id,
        )


class DBDel(_Simple):
    """Delete an AstDB key (``Response: Error`` when it does not exist)."""

    name = "DBDel"

    def __init__(
        self, family: str, key: str, *, timeout: float | None = None, action_id: str | None = None
    ) -> None:
        super().__init__([("Family", family), ("Key", key)], timeout=timeout, action_id=action_id)


class DBDelTree(_Simple):
    """Delete an AstDB family, or the subtree under ``key``."""

    name = "DBDelTree"

    def __init__(
        self,
        family: str,
        key: str | None = None,
        *,
        timeout: float | None = None,
        action_id: str | None = None,
    ) -> None:
        super().__init__([("Family", family), ("Key", key)], timeout=timeout, action_id=action_id)


class GetConfig(ActionBase["Config"]):
    """Read a configuration file; ``send()`` returns a :class:`pyst.config.Config`.

    ``templates=True`` sends ``Filter: TEMPLATES=include`` so templates are listed too.
    ``Config file has invalid format`` gives ``Config(loaded=False)``; other errors raise.
    """

    name = "GetConfig"

    def __init__(
        self,
        filename: str,
        category: str | None = None,
        *,
        templates: bool = True,
        filter: str | None = None,
        timeout: float | None = None,
        action_id: str | None = None,
    ) -> None:
        filters = [f for f in (filter, "TEMPLATES=include" if templates else None) if f]
        self.filename = filename
        super().__init__(
            [
                ("Filename", filename),
                ("Category", category),
                ("Filter", ",".join(filters) or None),
            ],
            timeout=timeout,
            action_id=action_id,
        )

    def result(self, response: Response) -> Config:
        """Build the semantic view of the answer (see :func:`config_from_response`)."""
        from pyst.manager._config import config_from_response

        return config_from_response(response, self.filename)


class GetConfigJSON(_Simple):
    """Read a configuration file as JSON (``response["JSON"]``; duplicate keys are possible)."""

    name = "GetConfigJSON"

    def __init__(
        self,
        filename: str,
        category: str | None = None,
        *,
        filter: str | None = None,
        timeout: float | None = None,
        action_id: str | None = None,
    ) -> None:
        super().__init__(
            [("Filename", filename), ("Category", category), ("Filter", filter)],
            timeout=timeout,
            action_id=action_id,
        )

    @staticmethod
    def categories(response: Response) -> list[tuple[str, list[tuple[str, object]]]]:
        """Parse the ``JSON`` header keeping order and duplicate keys (Asterisk repeats a key
        such as ``exten`` inside one object): ``[(category, [(key, value), ...]), ...]``.

        The parse is lenient, as Asterisk's output needs: manager.c escapes only ``"`` and
        ``\\``, so TAB and other control characters arrive raw inside strings. Anything that
        is not an object of objects raises :class:`ProtocolError`.
        """
        if not response.ok:
            raise ActionError(f"GetConfigJSON failed: {response.message}", response)
        text = response.get("JSON") or "{}"
        try:
            top = json.loads(text, strict=False, object_pairs_hook=_JSONObject)
        except (ValueError, RecursionError) as exc:
            raise ProtocolError(f"GetConfigJSON sent JSON that does not parse: {exc}") from exc
        if not isinstance(top, _JSONObject):
            raise ProtocolError(
                f"GetConfigJSON sent {type(top).__name__} JSON, not an object of categories"
            )
        result: list[tuple[str, list[tuple[str, object]]]] = []
        for name, items in top:
            if not isinstance(items, _JSONObject):
                raise ProtocolError(
                    f"GetConfigJSON category {name!r} is {type(items).__name__} JSON, not an object"
                )
            result.append((name, [(key, _plain_json(value)) for key, value in items]))
        return result


class _JSONObject(list[tuple[str, object]]):
    """A JSON object as its ordered ``(key, value)`` pairs (duplicate keys kept)."""


def _plain_json(value: object) -> object:
    """Nested objects as lists of pairs, like the top levels (no marker class leaks out)."""
    if isinstance(value, _JSONObject):
        return [(key, _plain_json(item)) for key, item in value]
    if isinstance(value, list):
        return [_plain_json(item) for item in value]
    return value


class UpdateConfig(_Simple):
    """Apply a list of edits (:class:`NewCat`, :class:`Append` ...) to a configuration file.

    Asterisk applies all edits or none. ``reload`` is ``True`` (reload everything), a module
    name, or ``None``/``False`` (no reload).
    """

    name = "UpdateConfig"

    def __init__(
        self,
        src_filename: str,
        edits: Sequence[ConfigEdit],
        *,
        dst_filename: str | None = None,
        reload: bool | str | None = None,
        preserve_effective_context: bool | None = None,
        timeout: float | None = None,
        action_id: str | None = None,
    ) -> None:
        from pyst.manager._config import edit_headers

        reload_value = ("yes" if reload else "no") if isinstance(reload, bool) else reload
        super().__init__(
            [
                ("SrcFilename", src_filename),
                ("DstFilename", dst_filename or src_filename),
                ("Reload", reload_value),
                ("PreserveEffectiveContext", preserve_effective_context),
                *edit_headers(edits),
            ],
            timeout=timeout,
            action_id=action_id,
        )

    def __repr__(self) -> str:
        # An edit of a secret (``Var-000003: secret``) carries it in ``Value-000003`` (and
        # perhaps ``Match-000003``): hide those values as well.
        hidden = secret_edit_numbers(self._headers, self.secret_headers)
        shown = ", ".join(
            f"{key}={redacted_config(key, value, self.secret_headers, hidden)!r}"
            for key, value in self._headers
        )
        return f"{type(self).__name__}({self.name!r}, {shown})"


class ListCategories(_Simple):
    """List the category names of a configuration file (``Category-NNNNNN`` headers)."""

    name = "ListCategories"

    def __init__(
        self,
        filename: str,
        match: str | None = None,
        *,
        timeout: float | None = None,
        action_id: str | None = None,
    ) -> None:
        super().__init__(
            [("Filename", filename), ("Match", match)], timeout=timeout, action_id=action_id
        )

    @staticmethod
    def names(response: Response) -> list[str]:
        """The category names of a ListCategories response, in order."""
        return [v for k, v in response.headers.items() if k.lower().startswith("category-")]


class Events(_Simple):
    """Set this session's event mask: ``True``/``False`` or a mask like ``"call,system"``."""

    name = "Events"

    def __init__(
        self, mask: bool | str, *, timeout: float | None = None, action_id: str | None = None
    ) -> None:
        value = ("on" if mask else "off") if isinstance(mask, bool) else mask
        super().__init__([("EventMask", value)], timeout=timeout, action_id=action_id)


class Filter(_Simple):
    """Add a server-side event filter (a regex on event text; prefix ``!`` to exclude).

    Clients remember filters added with ``client.add_filter()`` and re-apply them after a
    reconnect.
    """

    name = "Filter"

    def __init__(
        self,
        filter: str,
        *,
        operation: str = "Add",
        timeout: float | None = None,
        action_id: str | None = None,
    ) -> None:
        super().__init__(
            [("Operation", operation), ("Filter", filter)], timeout=timeout, action_id=action_id
        )


class QueueStatus(_Simple):
    """Queue parameters, members and callers (``QueueParams``/``QueueMember``/... events)."""

    name = "QueueStatus"
    list_complete = "QueueStatusComplete"

    def __init__(
        self,
        queue: str | None = None,
        member: str | None = None,
        *,
        timeout: float | None = None,
        action_id: str | None = None,
    ) -> None:
        super().__init__(
            [("Queue", queue), ("Member", member)], timeout=timeout, action_id=action_id
        )


class QueueSummary(_Simple):
    """One ``QueueSummary`` event per queue (or for ``queue`` only)."""

    name = "QueueSummary"
    list_complete = "QueueSummaryComplete"

    def __init__(
        self,
        queue: str | None = None,
        *,
        timeout: float | None = None,
        action_id: str | None = None,
    ) -> None:
        super().__init__([("Queue", queue)], timeout=timeout, action_id=action_id)


class ShowDialPlan(_Simple):
    """Dialplan entries (``ListDialplan`` events), optionally for one context/extension."""

    name = "ShowDialPlan"

    def __init__(
        self,
        context: str | None = None,
        extension: str | None = None,
        *,
        timeout: float | None = None,
        action_id: str | None = None,
    ) -> None:
        super().__init__(
            [("Context", context), ("Extension", extension)], timeout=timeout, action_id=action_id
        )


class AGI(_Simple):
    """Queue an AGI command on a channel running ``AGI(agi:async)`` (AsyncAGI).

    The answer only says the command was queued; its result arrives as an
    ``AsyncAGIExec`` event with the same ``CommandID`` (see :class:`AsyncAGIExec`).
    """

    name = "AGI"

    def __init__(
        self,
        channel: str,
        command: str,
        command_id: str | None = None,
        *,
        timeout: float | None = None,
        action_id: str | None = None,
    ) -> None:
        super().__init__(
            [("Channel", channel), ("Command", command), ("CommandID", command_id)],
            timeout=timeout,
            action_id=action_id,
        )

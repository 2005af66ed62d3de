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
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field, fields
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

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


# -- typed actions: each declares its headers as dataclass fields ---------------------------

HeaderConverter = Callable[[str, str, Any], HeaderValue]


def wire(header: str, convert: HeaderConverter | None = None) -> dict[str, object]:
    """Field metadata naming the AMI ``header`` a typed action's field is sent as.

    ``convert(action_name, header, value)`` turns the Python value into the header value
    (``None`` leaves the header out). Fields without this metadata are not sent.
    """
    return {"header": header, "convert": convert}


@dataclass(eq=False, repr=False)
class _Declared(ActionBase[ResultT]):
    """Shared constructor of the typed actions: the dataclass ``__init__`` stores the fields,
    then every field declared with :func:`wire` metadata becomes a header, in field order (or
    in the order of ``header_order``), through :class:`ActionBase`'s checks."""

    timeout: float | None = field(default=None, kw_only=True)
    action_id: str | None = field(default=None, kw_only=True)
    header_order: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        ActionBase.__init__(
            self, self._header_items(), timeout=self.timeout, action_id=self.action_id
        )

    def _header_items(self) -> list[tuple[str, HeaderValue]]:
        items: list[tuple[str, HeaderValue]] = []
        for spec in fields(self):
            header = spec.metadata.get("header")
            if header is None:
                continue
            value = getattr(self, spec.name)
            convert = spec.metadata["convert"]
            items.append((header, value if convert is None else convert(self.name, header, value)))
        if self.header_order:
            rank = {header: index for index, header in enumerate(self.header_order)}
            items.sort(key=lambda item: rank.get(item[0], len(rank)))
        return items


@dataclass(eq=False, repr=False)
class _Simple(_Declared[Response], Action):
    """A typed action whose result is the checked :class:`Response`."""


def _mask(action: str, header: str, value: bool | str | None) -> str | None:
    """An event mask: ``True``/``False`` as ``on``/``off``, a string as given."""
    return ("on" if value else "off") if isinstance(value, bool) else value


def _yes_no(action: str, header: str, value: bool | str | None) -> str | None:
    """``True``/``False`` as ``yes``/``no``; a string (a module name) as given."""
    return ("yes" if value else "no") if isinstance(value, bool) else value


def _comma_list(action: str, header: str, value: Sequence[str] | None) -> str | None:
    """Items joined with ``,`` (``None`` or empty: no header)."""
    return ",".join(value) if value else None


@dataclass(eq=False, repr=False)
class Login(_Simple):
    """Log in with a plain ``secret`` or an MD5 ``key`` (see :func:`md5_key`).

    ``events`` sets the initial event mask (``True``/``False`` or a mask like
    ``"call,system"``); ``None`` leaves the user's default from manager.conf.
    """

    name = "Login"
    secret_headers = LOGIN_SECRET_HEADER_NAMES

    username: str = field(metadata=wire("Username"))
    secret: str | None = field(default=None, metadata=wire("Secret"))
    _: KW_ONLY
    key: str | None = field(default=None, metadata=wire("Key"))
    events: bool | str | None = field(default=None, metadata=wire("Events", _mask))

    def _header_items(self) -> list[tuple[str, HeaderValue]]:
        if (self.secret is None) == (self.key is None):
            raise ValueError("Login needs exactly one of secret= (plain) or key= (MD5)")
        auth_type = "MD5" if self.key is not None else None
        return [("AuthType", auth_type), *super()._header_items()]

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



@dataclass(eq=False, repr=False)
class Challenge(_Simple):
    """Ask for an MD5 challenge (``response["Challenge"]``) before an MD5 :class:`Login`."""

    name = "Challenge"

    auth_type: str = field(default="MD5", metadata=wire("AuthType"))


@dataclass(eq=False, repr=False)
class Logoff(_Simple):
    """End the session; the server answers ``Response: Goodbye`` and closes the connection."""

    name = "Logoff"


@dataclass(eq=False, repr=False)
class Ping(_Simple):
    """Keep-alive; the response carries ``Ping: Pong`` and a ``Timestamp``."""

    name = "Ping"


@dataclass(eq=False, repr=False)
class Command(_Declared[list[str]]):
    """Run a CLI command; ``send()`` returns its output lines (modern or legacy format).

    A command Asterisk does not know is ``Response: Error`` and raises :class:`ActionError`
    (its output, e.g. ``No such command ...``, is on ``error.response.output``).
    """

    name = "Command"

    command: str = field(metadata=wire("Command"))

    def result(self, response: Response) -> list[str]:
        """Return the output lines; raise :class:`ActionError` on failure."""
        if not response.ok:
            output = "; ".join(response.output)
            reason = response.message or response.status
            raise ActionError(f"Command failed: {reason}{': ' if output else ''}{output}", response)
        return response.output


def _variables(action: str, header: str, value: Mapping[str, object] | None) -> list[str] | None:
    return originate_variables(value) if value else None


@dataclass(eq=False, repr=False)
class Originate(_Simple):
    """Place a call from ``channel`` to an extension (``context``/``exten``/``priority``) or to
    an ``application`` with ``data``. ``async_`` (default true) answers at once; the outcome
    arrives later as an ``OriginateResponse`` event carrying the same ActionID.

    Two different waits, in different units: ``ring_timeout_ms`` is Asterisk's ``Timeout``
    header, how long the channel may ring, in **milliseconds**; ``timeout`` (as on every
    action) is how many **seconds** the client waits for the answer (with ``async_=False``
    Asterisk answers only after the ringing, so make it longer). ``ring_timeout`` is the old,
    deprecated name of ``ring_timeout_ms``."""

    name = "Originate"
    header_order = (
        "Channel", "Context", "Exten", "Priority", "Application", "Data", "CallerID", "Timeout",
        "Variable", "Account", "ChannelId", "OtherChannelId", "Codecs", "EarlyMedia", "Async",
    )  # fmt: skip

    channel: str = field(metadata=wire("Channel"))
    _: KW_ONLY
    context: str | None = field(default=None, metadata=wire("Context"))
    exten: str | None = field(default=None, metadata=wire("Exten"))
    priority: int | str | None = field(default=None, metadata=wire("Priority"))
    application: str | None = field(default=None, metadata=wire("Application"))
    data: str | None = field(default=None, metadata=wire("Data"))
    caller_id: str | None = field(default=None, metadata=wire("CallerID"))
    variables: Mapping[str, object] | None = field(
        default=None, metadata=wire("Variable", _variables)
    )
    account: str | None = field(default=None, metadata=wire("Account"))
    ring_timeout_ms: int | None = field(default=None, metadata=wire("Timeout"))
    async_: bool = field(default=True, metadata=wire("Async"))
    channel_id: str | None = field(default=None, metadata=wire("ChannelId"))
    other_channel_id: str | None = field(default=None, metadata=wire("OtherChannelId"))
    codecs: str | None = field(default=None, metadata=wire("Codecs"))
    early_media: bool | None = field(default=None, metadata=wire("EarlyMedia"))
    ring_timeout: int | None = None  # deprecated: ring_timeout_ms

    def __post_init__(self) -> None:
        if self.ring_timeout is not None:
            if self.ring_timeout_ms is not None:
                raise TypeError("pass ring_timeout_ms only (ring_timeout is its old name)")
            warnings.warn(
                "Originate(ring_timeout=) is deprecated: use ring_timeout_ms= (Asterisk's "
                "Timeout header, milliseconds); timeout= is the client's wait in seconds",
                DeprecationWarning,
                stacklevel=3,
            )
            self.ring_timeout_ms, self.ring_timeout = self.ring_timeout, None
        super().__post_init__()


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



@dataclass(eq=False, repr=False)
class Redirect(_Simple):
    """Send ``channel`` (and optionally ``extra_channel``) to ``context``/``exten``/``priority``."""

    name = "Redirect"

    channel: str = field(metadata=wire("Channel"))
    context: str = field(metadata=wire("Context"))
    exten: str = field(metadata=wire("Exten"))
    priority: int | str = field(default=1, metadata=wire("Priority"))
    _: KW_ONLY
    extra_channel: str | None = field(default=None, metadata=wire("ExtraChannel"))
    extra_context: str | None = field(default=None, metadata=wire("ExtraContext"))
    extra_exten: str | None = field(default=None, metadata=wire("ExtraExten"))
    extra_priority: int | str | None = field(default=None, metadata=wire("ExtraPriority"))


@dataclass(eq=False, repr=False)
class Hangup(_Simple):
    """Hang up ``channel`` (a name, or a regex between slashes), optionally with a ``cause``."""

    name = "Hangup"

    channel: str = field(metadata=wire("Channel"))
    cause: int | None = field(default=None, metadata=wire("Cause"))


@dataclass(eq=False, repr=False)
class Setvar(_Simple):
    """Set a channel variable (or a global one when ``channel`` is omitted)."""

    name = "Setvar"
    header_order = ("Channel", "Variable", "Value")

    variable: str = field(metadata=wire("Variable"))
    value: str = field(metadata=wire("Value", _kept_value))
    channel: str | None = field(default=None, metadata=wire("Channel"))


@dataclass(eq=False, repr=False)
class Getvar(_Simple):
    """Read a channel (or global) variable: ``response["Value"]`` (empty when unset)."""

    name = "Getvar"
    header_order = ("Channel", "Variable")

    variable: str = field(metadata=wire("Variable"))
    channel: str | None = field(default=None, metadata=wire("Channel"))


@dataclass(eq=False, repr=False)
class Status(_Simple):
    """List channel status (``response.events`` holds the ``Status`` events)."""

    name = "Status"
    list_complete = "StatusComplete"

    channel: str | None = field(default=None, metadata=wire("Channel"))
    _: KW_ONLY
    variables: Sequence[str] | None = field(default=None, metadata=wire("Variables", _comma_list))
    all_variables: bool | None = field(default=None, metadata=wire("AllVariables"))


@dataclass(eq=False, repr=False)
class CoreShowChannels(_Simple):
    """List active channels (``response.events`` holds the ``CoreShowChannel`` events)."""

    name = "CoreShowChannels"


@dataclass(eq=False, repr=False)
class CoreSettings(_Simple):
    """Core settings: ``AsteriskVersion``, ``SystemName``, limits ..."""

    name = "CoreSettings"


@dataclass(eq=False, repr=False)
class CoreStatus(_Simple):
    """Core status: startup and reload times, ``CoreCurrentCalls``."""

    name = "CoreStatus"


@dataclass(eq=False, repr=False)
class PJSIPShowEndpoints(_Simple):
    """List PJSIP endpoints (``EndpointList`` events in ``response.events``)."""

    name = "PJSIPShowEndpoints"


@dataclass(eq=False, repr=False)
class SIPpeers(_Simple):
    """List chan_sip peers (``PeerEntry`` events; chan_sip is gone from Asterisk 21)."""

    name = "SIPpeers"


@dataclass(eq=False, repr=False)
class DBGet(_Simple):
    """Read an AstDB key; the value is ``response.events[0]["Val"]`` (list answer)."""

    name = "DBGet"
    list_complete = "DBGetComplete"

    family: str = field(metadata=wire("Family"))
    key: str = field(metadata=wire("Key"))


@dataclass(eq=False, repr=False)
class DBPut(_Simple):
    """Write an AstDB key."""

    name = "DBPut"

    family: str = field(metadata=wire("Family"))
    key: str = field(metadata=wire("Key"))
    value: str = field(metadata=wire("Val", _kept_value))


@dataclass(eq=False, repr=False)
class DBDel(_Simple):
    """Delete an AstDB key (``Response: Error`` when it does not exist)."""

    name = "DBDel"

    family: str = field(metadata=wire("Family"))
    key: str = field(metadata=wire("Key"))


@dataclass(eq=False, repr=False)
class DBDelTree(_Simple):
    """Delete an AstDB family, or the subtree under ``key``."""

    name = "DBDelTree"

    family: str = field(metadata=wire("Family"))
    key: str | None = field(default=None, metadata=wire("Key"))


@dataclass(eq=False, repr=False)
class GetConfig(_Declared["Config"]):
    """Read a configuration file; ``send()`` returns a :class:`pyst.config.Config`.

    ``templates=True`` sends ``Filter: TEMPLATES=include`` so templates are listed too.
    ``Config file has invalid format`` gives ``Config(loaded=False)``; other errors raise.
    """

    name = "GetConfig"

    filename: str = field(metadata=wire("Filename"))
    category: str | None = field(default=None, metadata=wire("Category"))
    _: KW_ONLY
    templates: bool = True
    filter: str | None = None

    def _header_items(self) -> list[tuple[str, HeaderValue]]:
        filters = [f for f in (self.filter, "TEMPLATES=include" if self.templates else None) if f]
        return [*super()._header_items(), ("Filter", ",".join(filters) or None)]

    def result(self, response: Response) -> Config:
        """Build the semantic view of the answer (see :func:`config_from_response`)."""
        from pyst.manager._config import config_from_response

        return config_from_response(response, self.filename)


@dataclass(eq=False, repr=False)
class GetConfigJSON(_Simple):
    """Read a configuration file as JSON (``response["JSON"]``; duplicate keys are possible)."""

    name = "GetConfigJSON"

    filename: str = field(metadata=wire("Filename"))
    category: str | None = field(default=None, metadata=wire("Category"))
    _: KW_ONLY
    filter: str | None = field(default=None, metadata=wire("Filter"))

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



@dataclass(eq=False, repr=False)
class UpdateConfig(_Simple):
    """Apply a list of edits (:class:`NewCat`, :class:`Append` ...) to a configuration file.

    Asterisk applies all edits or none. ``reload`` is ``True`` (reload everything), a module
    name, or ``None``/``False`` (no reload).
    """

    name = "UpdateConfig"

    src_filename: str = field(metadata=wire("SrcFilename"))
    edits: Sequence[ConfigEdit]
    _: KW_ONLY
    dst_filename: str | None = None
    reload: bool | str | None = field(default=None, metadata=wire("Reload", _yes_no))
    preserve_effective_context: bool | None = field(
        default=None, metadata=wire("PreserveEffectiveContext")
    )

    def _header_items(self) -> list[tuple[str, HeaderValue]]:
        from pyst.manager._config import edit_headers

        source, *options = super()._header_items()
        destination = ("DstFilename", self.dst_filename or self.src_filename)
        return [source, destination, *options, *edit_headers(self.edits)]

    def __repr__(self) -> str:
        # An edit of a secret (``Var-000003: secret``) carries it in ``Value-000003`` (and
        # perhaps ``Match-000003``): hide those values as well.
        hidden = secret_edit_numbers(self._headers, self.secret_headers)
        shown = ", ".join(
            f"{key}={redacted_config(key, value, self.secret_headers, hidden)!r}"
            for key, value in self._headers
        )
        return f"{type(self).__name__}({self.name!r}, {shown})"


@dataclass(eq=False, repr=False)
class ListCategories(_Simple):
    """List the category names of a configuration file (``Category-NNNNNN`` headers)."""

    name = "ListCategories"

    filename: str = field(metadata=wire("Filename"))
    match: str | None = field(default=None, metadata=wire("Match"))

    @staticmethod
    def names(response: Response) -> list[str]:
        """The category names of a ListCategories response, in order."""
        return [v for k, v in response.headers.items() if k.lower().startswith("category-")]


@dataclass(eq=False, repr=False)
class Events(_Simple):
    """Set this session's event mask: ``True``/``False`` or a mask like ``"call,system"``."""

    name = "Events"

    mask: bool | str = field(metadata=wire("EventMask", _mask))


@dataclass(eq=False, repr=False)
class Filter(_Simple):
    """Add a server-side event filter (a regex on event text; prefix ``!`` to exclude).

    Clients remember filters added with ``client.add_filter()`` and re-apply them after a
    reconnect.
    """

    name = "Filter"
    header_order = ("Operation", "Filter")

    filter: str = field(metadata=wire("Filter"))
    _: KW_ONLY
    operation: str = field(default="Add", metadata=wire("Operation"))


@dataclass(eq=False, repr=False)
class QueueStatus(_Simple):
    """Queue parameters, members and callers (``QueueParams``/``QueueMember``/... events)."""

    name = "QueueStatus"
    list_complete = "QueueStatusComplete"

    queue: str | None = field(default=None, metadata=wire("Queue"))
    member: str | None = field(default=None, metadata=wire("Member"))


@dataclass(eq=False, repr=False)
class QueueSummary(_Simple):
    """One ``QueueSummary`` event per queue (or for ``queue`` only)."""

    name = "QueueSummary"
    list_complete = "QueueSummaryComplete"

    queue: str | None = field(default=None, metadata=wire("Queue"))


@dataclass(eq=False, repr=False)
class ShowDialPlan(_Simple):
    """Dialplan entries (``ListDialplan`` events), optionally for one context/extension."""

    name = "ShowDialPlan"

    context: str | None = field(default=None, metadata=wire("Context"))
    extension: str | None = field(default=None, metadata=wire("Extension"))


@dataclass(eq=False, repr=False)
class AGI(_Simple):
    """Queue an AGI command on a channel running ``AGI(agi:async)`` (AsyncAGI).

    The answer only says the command was queued; its result arrives as an
    ``AsyncAGIExec`` event with the same ``CommandID`` (see :class:`AsyncAGIExec`).
    """

    name = "AGI"

    channel: str = field(metadata=wire("Channel"))
    command: str = field(metadata=wire("Command"))
    command_id: str | None = field(default=None, metadata=wire("CommandID"))

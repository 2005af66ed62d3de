"""Typed messages decoded from the server: greeting, responses and events."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, repeat

__all__ = ["Event", "Greeting", "Headers", "Message", "Response"]

# Header names whose values are never shown in a repr (lower case).
SECRET_HEADER_NAMES = frozenset({"secret", "password", "passwd"})
# In a Login (or any message with AuthType), ``Key`` is the MD5 proof of the secret. Elsewhere
# ``Key`` is ordinary data (an AstDB key), so it is hidden only there.
LOGIN_SECRET_HEADER_NAMES = SECRET_HEADER_NAMES | {"key"}


class _LowerCache(dict[str, str]):
    """Header name -> its lower-case form, computed once per distinct name: AMI uses a small
    vocabulary, so lookups (C speed, no new strings) replace a ``lower()`` per header."""

    def __missing__(self, name: str) -> str:
        lowered = name.lower()
        if len(self) < 4096:  # a hostile stream of ever-new names cannot grow it forever
            self[name] = lowered
        return lowered


_LOWER = _LowerCache()


# "no header name repeats (in any case)", remembered per sequence of names joined by NUL
# (messages of one kind carry the same names). Only sequences without a NUL in a name are
# stored, so a stored True means the NUL-separated pieces are distinct, which also holds for
# any other sequence that joins to the same key: a hit is never wrongly True.
_DISTINCT: dict[str, bool] = {}
_JOIN_NAMES = "\x00".join


def _distinct(names: list[str]) -> bool:
    """True when no header name repeats (in any case)."""
    known = _DISTINCT.get(_JOIN_NAMES(names))
    if known is None:
        known = len(set(map(_LOWER.__getitem__, names))) == len(names)
        if len(_DISTINCT) < 4096 and not any("\x00" in name for name in names):
            _DISTINCT[_JOIN_NAMES(names)] = known
    return known


def redacted(name: str, value: str, secret_names: frozenset[str] = SECRET_HEADER_NAMES) -> str:
    """Return ``value``, or ``'***'`` when ``name`` is a secret header."""
    return "***" if name.lower() in secret_names else value


class Headers:
    """The ordered headers of one message, looked up case-insensitively.

    Repeated headers (``Output``, ``Variable``, ``ChanVariable`` ...) are all kept in order:
    :meth:`get` and ``headers[name]`` return the first value (as Asterisk's own
    ``astman_get_header`` reads it), :meth:`get_all` every value, :meth:`as_dict` everything
    with repeated headers as lists.

    It is a read-only mapping of header names to first values: ``dict(headers)``,
    :meth:`keys`, :meth:`values`, ``len()`` and iteration see each name once (spelled as it
    first arrived; names differing only in case are one header). :meth:`items` is the
    exception: it returns every ``(name, value)`` line exactly as received, repeats included.
    """

    __slots__ = ("_bare", "_distinct", "_index", "_names", "_values")

    def __init__(self, items: Iterable[tuple[str, str]] = (), bare: Iterable[str] = ()) -> None:
        pairs = list(items)
        self._names = [name for name, _ in pairs]
        self._values = [value for _, value in pairs]
        self._bare = list(bare)
        self._index: dict[str, str] | None = None
        self._distinct: bool | None = None  # no header repeated (any case); None: not known

    @classmethod
    def parse(cls, raw: bytes) -> Headers:
        """Parse the bytes of one message (without its blank line) into headers.

        Bytes that are not UTF-8 are kept as lone surrogates (``surrogateescape``), as
        :mod:`pyst.config` reads files, so ``value.encode("utf-8", "surrogateescape")`` gives
        back exactly the bytes Asterisk sent.
        """
        text = raw.decode("utf-8", "surrogateescape")
        headers = cls.__new__(cls)
        headers._index = headers._distinct = None
        split = split_clean_headers(text)
        if split is not None:
            headers._names, headers._values = split
            headers._bare = []
            return headers
        pairs, bare = split_header_lines(text)
        headers._names = [name for name, _ in pairs]
        headers._values = [value for _, value in pairs]
        headers._bare = bare
        return headers

    @property
    def bare_lines(self) -> list[str]:
        """Lines of the message that were not ``Name: value`` (e.g. ``No categories found``)."""
        return list(self._bare)

    def _lookup(self) -> dict[str, str]:
        index = self._index
        if index is None:
            lowered = list(map(_LOWER.__getitem__, self._names))
            index = dict(zip(lowered, self._values, strict=True))
            if len(index) != len(lowered):  # a repeated header: its first value counts
                index = {}
                for key, value in zip(lowered, self._values, strict=True):
                    index.setdefault(key, value)
            self._index = index
        return index

    def get(self, name: str, default: str | None = None) -> str | None:
        """Return the value of the first header called ``name`` (any case), else ``default``."""
        return self._lookup().get(name.lower(), default)

    def get_all(self, name: str) -> list[str]:
        """Return the values of every header called ``name`` (any case), in order."""
        lowered = name.lower()
        return [
            value
            for key, value in zip(self._names, self._values, strict=True)
            if key.lower() == lowered
        ]

    def items(self) -> list[tuple[str, str]]:
        """Return ``(name, value)`` pairs exactly as received, repeats included."""
        return list(zip(self._names, self._values, strict=True))

    def keys(self) -> list[str]:
        """Each header name once, in order, spelled as it first arrived."""
        if len(self._lookup()) == len(self._names):
            return list(self._names)
        seen: set[str] = set()
        names: list[str] = []
        for name in self._names:
            lowered = name.lower()
            if lowered not in seen:
                seen.add(lowered)
                names.append(name)
        return names

    def values(self) -> list[str]:
        """The first value of each header, in the order of :meth:`keys`."""
        return list(self._lookup().values())

    def as_dict(self) -> dict[str, str | list[str]]:
        """Every header in a new dict: name (as first spelled) to value, or to the list of
        values when the header is repeated (``Variable``, ``Output`` ...)."""
        names = self._names
        distinct = self._distinct
        if distinct is None:
            distinct = self._distinct = _distinct(names)
        if distinct:
            return dict(zip(names, self._values, strict=False))
        result: dict[str, str | list[str]] = {}
        spelling: dict[str, str] = {}
        for name, value in zip(self._names, self._values, strict=True):
            key = spelling.setdefault(name.lower(), name)
            if key not in result:
                result[key] = value
                continue
            previous = result[key]
            if isinstance(previous, list):
                previous.append(value)
            else:
                result[key] = [previous, value]
        return result

    def __getitem__(self, name: str) -> str:
        value = self._lookup().get(name.lower())
        if value is None:
            raise KeyError(name)
        return value

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._lookup()

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self._lookup())

    def __bool__(self) -> bool:
        return bool(self._names or self._bare)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Headers):
            return NotImplemented
        return (self._names, self._values, self._bare) == (
            other._names,
            other._values,
            other._bare,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        items = self.items()
        secret_names = SECRET_HEADER_NAMES
        if any(
            n.lower() == "authtype" or (n.lower() == "action" and v.strip().lower() == "login")
            for n, v in items
        ):
            secret_names = LOGIN_SECRET_HEADER_NAMES  # the MD5 Key of a Login is a secret too
        hidden = secret_edit_numbers(items, secret_names)
        shown = ", ".join(
            f"{n}: {redacted_config(n, v, secret_names, hidden)!r}" for n, v in items
        )
        return f"Headers({shown})"


def secret_edit_numbers(
    items: Iterable[tuple[str, str]], secret_names: frozenset[str] = SECRET_HEADER_NAMES
) -> set[str]:
    """The numbers ``NNNNNN`` of UpdateConfig edits ``Var-NNNNNN`` that name a secret."""
    return {
        name[4:]
        for name, value in items
        if name[:4].lower() == "var-" and value.strip().lower() in secret_names
    }


def redacted_config(name: str, value: str, secret_names: frozenset[str], hidden: set[str]) -> str:
    """Like :func:`redacted`, also hiding the ``Value``/``Match`` of an UpdateConfig edit of a
    secret (numbers in ``hidden``) and a GetConfig ``Line-...`` such as ``secret=...``."""
    lowered = name.lower()
    if hidden and lowered[:6] in ("value-", "match-") and name[6:] in hidden:
        return "***"
    if lowered.startswith("line-"):
        key, equals, _ = value.partition("=")
        if equals and key.strip().lower() in secret_names:
            return f"{key}=***"
    return redacted(name, value, secret_names)


def split_header_lines(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Split message text into ``(name, value)`` pairs and bare (colon-less) lines.

    Lines end with LF or CRLF; empty lines are skipped; the value loses one leading space.
    The last line may lack its line break (the decoder strips the break before a blank line):
    then it keeps a trailing CR, which is data, not half of a CRLF.
    """
    pairs: list[tuple[str, str]] = []
    bare: list[str] = []
    pieces = text.split("\n")
    last = len(pieces) - 1
    for number, raw in enumerate(pieces):
        line = raw[:-1] if raw.endswith("\r") and number < last else raw
        if not line:
            continue
        name, colon, value = line.partition(":")
        if colon:
            pairs.append((name, value[1:] if value.startswith(" ") else value))
        else:
            bare.append(line)
    return pairs, bare


_SCAN_KEYS: dict[str, tuple[bytes, bytes] | None] = {}


def _scan_keys(name: str) -> tuple[bytes, bytes] | None:
    keys = _SCAN_KEYS.get(name)
    if keys is None and name not in _SCAN_KEYS:
        if ":" in name or "\n" in name or not name.isascii():
            keys = None
        else:
            key = name.lower().encode() + b":"
            keys = (key, b"\n" + key)
        if len(_SCAN_KEYS) < 1024:
            _SCAN_KEYS[name] = keys
    return keys


def split_clean_headers(text: str) -> tuple[list[str], list[str]] | None:
    """Fast path of :func:`split_header_lines` for the usual message: CRLF lines, each with a
    ``": "`` and no ``:`` before it. Returns ``(names, values)``, or ``None`` for anything else.

    The lines are split and partitioned in bulk (C loops, no Python code per line); the
    result is accepted only if every line had its ``": "`` and no name holds a ``:``, which
    is exactly when splitting each line at its first ``:`` gives the same pairs.
    """
    if text.endswith("\r\n"):
        text = text[:-2]
    lines = text.split("\r\n")
    if text.count("\n") != len(lines) - 1:
        return None  # a bare LF: let the line-by-line path decide
    names, separators, values = zip(*map(str.partition, lines, repeat(": ")), strict=True)
    if "" in separators or ":" in "".join(names):
        return None
    return list(names), list(values)


def split_region(
    text: str, line_counts: list[int]
) -> tuple[list[list[str]], list[list[str]]] | None:
    """Split the text of several messages into the names and the values of each, or return
    ``None`` when some line is not a plain ``Name: value`` (the caller then splits message by
    message). ``text`` is the messages' lines joined by CRLF, with no blank line between
    messages; ``line_counts`` says how many lines each message has.

    It all runs at C speed over the whole text, with no Python code per line: every line
    break becomes a part of its own (a ``\x01`` marker), so one ``split(": ")`` cuts the text
    into name, value, marker, name, value, marker ... exactly when each line holds one
    ``": "``. That is checked in bulk: every third part must be a marker (a line with no
    ``": "``, or a second one, shifts them) and no name may hold a ``:`` (a first colon
    without its space). The messages are then cut out by their line counts.
    """
    if "\x01" in text:
        return None
    parts = text.replace("\r\n", ": \x01: ").split(": ")
    markers = parts[2::3]
    if len(parts) % 3 != 2 or markers.count("\x01") != len(markers):
        return None
    names, values = parts[0::3], parts[1::3]
    if ":" in "".join(names) or len(names) != sum(line_counts):
        return None
    stops = list(accumulate(line_counts))
    cuts = list(map(slice, [0, *stops[:-1]], stops))
    return list(map(names.__getitem__, cuts)), list(map(values.__getitem__, cuts))


class Region:
    """Several complete messages from one read, split into headers together on demand.

    The decoder gives each event of a region a reference to it; the first event whose
    headers are asked for splits the whole region at once (:func:`split_region`), which
    costs far less per event than splitting each alone, and the others take their share
    later. Events whose headers are never used cost nothing.
    """

    __slots__ = ("_blocks", "_dicts", "_distinct", "_names", "_values")

    def __init__(self, blocks: list[bytes]) -> None:
        """``blocks``: the bytes of each message, CRLF line ends, without the blank line."""
        self._blocks: list[bytes] | None = blocks
        self._names: list[list[str]] = []
        self._values: list[list[str]] = []
        self._distinct: list[bool | None] = []
        self._dicts: list[dict[str, str | list[str]] | None] | None = None

    def _split(self) -> None:
        blocks = self._blocks
        if blocks is not None:
            self._blocks = None
            text = b"\r\n".join(blocks).decode("utf-8", "surrogateescape")
            # lines per message; every LF ends a CRLF here, and one byte counts faster
            counts = list(map(_ONE.__add__, map(bytes.count, blocks, repeat(b"\n"))))
            split = split_region(text, counts)
            if split is not None:
                self._names, self._values = split
                self._distinct = list(map(_DISTINCT.get, map(_JOIN_NAMES, self._names)))

    def dicts(self) -> list[dict[str, str | list[str]] | None]:
        """Every message's headers as a dict, built in one C loop the first time (empty when
        the region cannot be split in bulk). Only a message known to repeat no header (its
        entry in ``_distinct`` is true) may use its dict, as a repeated header needs lists,
        and only once: the taker puts ``None`` back."""
        dicts = self._dicts
        if dicts is None:
            if self._blocks is not None:
                self._split()
            built: Iterator[dict[str, str | list[str]]] = map(
                dict, map(zip, self._names, self._values)
            )
            dicts = self._dicts = list(built)
        return dicts

    def headers(self, block: int) -> Headers | None:
        """The headers of message number ``block``, or ``None`` when the region cannot be
        split in bulk (the message is then parsed alone)."""
        if self._blocks is not None:
            self._split()
        names = self._names
        if block >= len(names):
            return None
        headers = _new_headers(Headers)
        headers._names, headers._values = names[block], self._values[block]
        headers._distinct = self._distinct[block]
        headers._bare, headers._index = [], None
        return headers


_ONE = 1
_new_headers = Headers.__new__


def scan_raw(raw: bytes, name: str) -> tuple[bool, str | None]:
    """Find header ``name`` in the unparsed bytes of a message (lines end in LF or CRLF).

    Returns ``(True, value)``, ``(True, None)`` when the header is absent, or ``(False, None)``
    when only a full parse can tell (a name with ``:``, a line break or non-ASCII letters).
    Matching is case-insensitive and the first occurrence wins, exactly as in :class:`Headers`.
    """
    keys = _SCAN_KEYS.get(name) or _scan_keys(name)
    if keys is None:
        return False, None
    key, line_key = keys
    low = raw.lower()
    if low.startswith(key):
        start = len(key)
    else:
        found = low.find(line_key)
        if found < 0:
            return True, None
        start = found + len(line_key)
    if raw[start : start + 1] == b" ":
        start += 1
    stop = raw.find(b"\n", start)
    if stop < 0:
        value = raw[start:]  # the last line, without its line break: a CR here is data
    else:
        value = raw[start:stop]
        if value[-1:] == b"\r":
            value = value[:-1]
    return True, value.decode("utf-8", "surrogateescape")


class Greeting:
    """The banner line the server sends on connect, e.g. ``Asterisk Call Manager/11.0.0``."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    @property
    def version(self) -> str:
        """The protocol version after the ``/`` (empty if the banner has none)."""
        return self.text.partition("/")[2].strip()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Greeting):
            return NotImplemented
        return self.text == other.text

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Greeting({self.text!r})"


class Message:
    """One AMI message: its headers plus any bare lines that were not ``Name: value``.

    Messages that are neither events nor responses (for example actions, when decoding what
    a client sent) are plain :class:`Message` objects. A message decoded from the wire keeps
    its bytes and splits them into :class:`Headers` on first use of :attr:`headers`; looking
    up one header by name before that scans the bytes directly.
    """

    __slots__ = ("_block", "_headers", "_raw", "_region")

    def __init__(self, headers: Headers) -> None:
        self._headers: Headers | None = headers
        self._raw = b""
        self._region: Region | None = None
        self._block = 0

    @property
    def headers(self) -> Headers:
        """All headers, in order (parsed on first use)."""
        headers = self._headers
        if headers is None:
            region = self._region
            if region is not None:
                self._region = None
                headers = region.headers(self._block)
            if headers is None:
                headers = Headers.parse(self._raw)
            self._headers = headers
        return headers

    @property
    def lines(self) -> list[str]:
        """Bare lines that were not ``Name: value`` headers (usually none)."""
        return self.headers.bare_lines

    def get(self, name: str, default: str | None = None) -> str | None:
        """Return the first value of header ``name`` (case-insensitive), else ``default``."""
        if self._headers is None:
            decided, value = scan_raw(self._raw, name)
            if decided:
                return default if value is None else value
        return self.headers.get(name, default)

    def get_all(self, name: str) -> list[str]:
        """Return every value of header ``name`` (case-insensitive), in order."""
        return self.headers.get_all(name)

    def __getitem__(self, name: str) -> str:
        if self._headers is None:
            decided, value = scan_raw(self._raw, name)
            if not decided:
                value = self.headers.get(name)
        else:
            value = self._headers.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def keys(self) -> list[str]:
        """Each header name once, in order (see :meth:`Headers.keys`): ``dict(message)``
        maps each name to its first value, as ``message[name]`` does."""
        return self.headers.keys()

    def as_dict(self) -> dict[str, str | list[str]]:
        """Every header in a new dict, repeated headers as lists (see :meth:`Headers.as_dict`)."""
        headers = self._headers
        if headers is None:
            region = self._region
            if region is not None:
                # straight from the bulk split, without building Headers before they are used
                dicts = region.dicts()
                block = self._block
                if block < len(dicts) and region._distinct[block]:
                    result = dicts[block]
                    if result is not None:
                        dicts[block] = None  # handed out: a second call builds a new one
                        return result
            headers = self.headers
        return headers.as_dict()

    def __iter__(self) -> Iterator[str]:
        return iter(self.headers.keys())

    def __len__(self) -> int:
        return len(self.headers)

    def __bool__(self) -> bool:
        return True  # a message is never "empty", whatever len() says

    @property
    def action_id(self) -> str | None:
        """The ``ActionID`` header, or ``None`` when the message has none."""
        return self.get("ActionID")

    def variables(self, name: str = "Variable") -> dict[str, str]:
        """Parse repeated ``NAME=value`` headers (``Variable``, ``ChanVariable`` ...) to a dict."""
        result: dict[str, str] = {}
        for item in self.headers.get_all(name):
            key, _, value = item.partition("=")
            result[key] = value
        return result

    def _key(self) -> tuple[object, ...]:
        return (type(self), self.headers)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.headers!r})"


class Event(Message):
    """An unsolicited (or list-item) message; ``name`` is its ``Event`` header.

    ``OriginateResponse`` is an event even though it carries a ``Response:`` header.
    """

    __slots__ = ("name",)

    def __init__(self, headers: Headers, name: str | None = None) -> None:
        super().__init__(headers)
        self.name = (headers.get("Event") or "") if name is None else name


class Response(Message):
    """The answer to an action: ``status`` is ``Success``, ``Error``, ``Follows``, ``Goodbye``...

    ``output`` holds the lines of ``Command`` output (modern ``Output:`` headers or the legacy
    ``Response: Follows`` body). For list actions, ``events`` holds the list items and
    ``complete`` the closing ``...Complete`` event once the client assembled them.
    """

    __slots__ = ("_legacy_output", "complete", "events")

    def __init__(
        self,
        headers: Headers,
        legacy_output: Sequence[str] | None = None,
    ) -> None:
        super().__init__(headers)
        self._legacy_output = legacy_output
        self.events: list[Event] = []
        self.complete: Event | None = None

    @property
    def status(self) -> str:
        """The ``Response`` header (``Success``, ``Error``, ``Follows``, ``Goodbye`` ...)."""
        return self.headers.get("Response") or ""

    @property
    def ok(self) -> bool:
        """True for ``Success``, ``Follows`` and ``Goodbye``; false for ``Error`` and others."""
        return self.status.lower() in ("success", "follows", "goodbye")

    @property
    def message(self) -> str:
        """The ``Message`` header, or an empty string."""
        return self.headers.get("Message") or ""

    @property
    def output(self) -> list[str]:
        """The lines of ``Command`` output (empty when the response has none)."""
        if self._legacy_output is not None:
            return list(self._legacy_output)
        return self.headers.get_all("Output")

    @property
    def is_list_start(self) -> bool:
        """True when the response opens a list (``EventList: start``)."""
        return (self.headers.get("EventList") or "").lower() == "start"

    def _key(self) -> tuple[object, ...]:
        return (*super()._key(), self._legacy_output)

"""The ``agi_*`` environment block Asterisk sends before the first command."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from urllib.parse import parse_qs, urlsplit

from ._errors import AGIProtocolError
from ._reply import LineBuffer, int_or_none

__all__ = ["AGIEnvironment", "EnvironmentReader", "parse_environment"]

#: An environment block with more lines than this is not an AGI environment.
MAX_ENVIRONMENT_LINES = 10_000


@dataclass(frozen=True)
class AGIEnvironment:
    """The typed ``agi_*`` variables of one AGI session.

    String fields keep Asterisk's text (``"unknown"`` included); numeric fields are ``None``
    when absent or not numeric.  ``arguments`` are ``agi_arg_1``, ``agi_arg_2``, ... in
    order; ``variables`` holds every ``agi_*`` line verbatim (names without the ``agi_``
    prefix), including ones a future Asterisk may add.  For FastAGI, ``network`` is true,
    ``network_script`` is the part of the URL after ``host[:port]/`` (``path?query``),
    and :attr:`script_path` / :attr:`query` split it.
    """

    request: str = ""
    channel: str = ""
    language: str = ""
    type: str = ""
    uniqueid: str = ""
    version: str = ""
    callerid: str = ""
    calleridname: str = ""
    callingpres: int | None = None
    callingani2: int | None = None
    callington: int | None = None
    callingtns: int | None = None
    dnid: str = ""
    rdnis: str = ""
    context: str = ""
    extension: str = ""
    priority: int | None = None
    enhanced: bool = False
    accountcode: str = ""
    threadid: int | None = None
    network: bool = False
    network_script: str | None = None
    arguments: tuple[str, ...] = ()
    variables: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def _script(self) -> str | None:
        if self.network_script is not None:
            return self.network_script
        if self.request.startswith(("agi://", "hagi://")):
            # Without agi_network_script, take path and query from the URL itself.
            try:
                parts = urlsplit(self.request)
            except ValueError as error:  # e.g. "agi://[x/path": invalid IPv6 host
                raise AGIProtocolError(
                    f"malformed agi_request URL: {error}", self.request
                ) from None
            return parts.path.lstrip("/") + (f"?{parts.query}" if parts.query else "")
        return None

    @property
    def script_path(self) -> str:
        """The FastAGI script path without query (``"test"`` for ``agi://h/test?x=1``);
        for stdio AGI, the script's file name (``agi_request``).

        Raises :class:`AGIProtocolError` if there is no ``agi_network_script`` and
        ``agi_request`` is not a valid URL."""
        script = self._script()
        return self.request if script is None else script.partition("?")[0]

    @property
    def query(self) -> dict[str, list[str]]:
        """The FastAGI URL query parsed with :func:`urllib.parse.parse_qs`."""
        script = self._script()
        if script is None:
            return {}
        return parse_qs(script.partition("?")[2], keep_blank_values=True)


def parse_environment(lines: list[str] | Mapping[str, str]) -> AGIEnvironment:
    """Build an :class:`AGIEnvironment` from ``agi_name: value`` lines or a mapping.

    Lines without the ``agi_`` prefix or without ``": "`` raise :class:`AGIProtocolError`.
    """
    if isinstance(lines, Mapping):
        pairs = {k.removeprefix("agi_"): v for k, v in lines.items()}
    else:
        pairs = {}
        for line in lines:
            name, sep, value = line.partition(":")
            if not sep or not name.startswith("agi_"):
                raise AGIProtocolError(f"not an AGI environment line: {line[:200]!r}", line)
            pairs[name[4:]] = value[1:] if value.startswith(" ") else value
    arguments: list[str] = []
    index = 1
    while f"arg_{index}" in pairs:
        arguments.append(pairs[f"arg_{index}"])
        index += 1
    get = pairs.get
    enhanced = get("enhanced", "0.0")
    return AGIEnvironment(
        request=get("request", ""),
        channel=get("channel", ""),
        language=get("language", ""),
        type=get("type", ""),
        uniqueid=get("uniqueid", ""),
        version=get("version", ""),
        callerid=get("callerid", ""),
        calleridname=get("calleridname", ""),
        callingpres=int_or_none(get("callingpres")),
        callingani2=int_or_none(get("callingani2")),
        callington=int_or_none(get("callington")),
        callingtns=int_or_none(get("callingtns")),
        dnid=get("dnid", ""),
        rdnis=get("rdnis", ""),
        context=get("context", ""),
        extension=get("extension", ""),
        priority=int_or_none(get("priority")),
        enhanced=enhanced not in ("0.0", "0", ""),
        accountcode=get("accountcode", ""),
        threadid=int_or_none(get("threadid")),
        network=get("network", "") == "yes",
        network_script=get("network_script"),
        arguments=tuple(arguments),
        variables=MappingProxyType(pairs),
    )


class EnvironmentReader:
    """Sans-IO reader of the environment block: call :meth:`next` until it is not None."""

    def __init__(self, buffer: LineBuffer) -> None:
        self.buffer = buffer
        self._lines: list[str] = []

    def next(self) -> AGIEnvironment | None:
        """Return the environment once its terminating blank line arrived, else ``None``."""
        while True:
            line = self.buffer.next_line()
            if line is None:
                return None
            if not line:
                return parse_environment(self._lines)
            self._lines.append(line)
            if len(self._lines) > MAX_ENVIRONMENT_LINES:
                raise AGIProtocolError("AGI environment block has too many lines")

"""Load-time ``${...}`` and ``$[...]`` substitution, as ``pbx_substitute_variables_helper``
does it without a channel (only ``[globals]`` are known; no function module is loaded,
so ``${FUNC(...)}`` logs ``Function FUNC not registered`` and gives nothing)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping

from pyst.dialplan._expr import evaluate

__all__ = ["Substituter"]

VAR_BUF_SIZE = 4096
_MAX_DEPTH = 15

BUILTINS = {
    "SYSTEMNAME": "",
    "ASTCACHEDIR": "/var/cache/asterisk",
    "ASTETCDIR": "/etc/asterisk",
    "ASTMODDIR": "/usr/lib/asterisk/modules",
    "ASTVARLIBDIR": "/var/lib/asterisk",
    "ASTDBDIR": "/var/lib/asterisk/astdb",
    "ASTKEYDIR": "/var/lib/asterisk/keys",
    "ASTDATADIR": "/var/lib/asterisk",
    "ASTAGIDIR": "/var/lib/asterisk/agi-bin",
    "ASTSPOOLDIR": "/var/spool/asterisk",
    "ASTRUNDIR": "/var/run/asterisk",
    "ASTLOGDIR": "/var/log/asterisk",
    "ASTSBINDIR": "/usr/sbin",
}
"""Variables Asterisk knows without a channel, before any global of the same name
(``ast_str_retrieve_variable``), with the default directories of an install;
``EPOCH`` is the current time."""

Log = Callable[[str, str, str], None]
"""``log(level, source, message)`` records one line Asterisk would log."""


def _parse_variable_name(name: str) -> tuple[str, int, int, bool]:
    """``parse_variable_name``: split ``NAME:offset:length`` and tell functions apart."""
    parens = 0
    isfunc = False
    for index, char in enumerate(name):
        if char == "(":
            isfunc = True
            parens += 1
        elif char == ")":
            parens -= 1
        elif char == ":" and parens == 0:
            offset, length = _scan_two_ints(name[index + 1 :])
            return name[:index], offset, length, isfunc
    return name, 0, 2**31 - 1, isfunc


_INT = re.compile(r"[ \t\n\v\f\r]*([+-]?[0-9]+)")


def _scan_int(text: str) -> tuple[int | None, str]:
    """``sscanf("%d")``: the integer at the start of ``text`` (after blanks) and the rest.

    Values wrap as glibc stores a ``long`` into an ``int`` (beyond ``long``: ``LONG_MAX``
    or ``LONG_MIN``)."""
    found = _INT.match(text)
    if found is None:
        return None, text
    digits = found.group(1)
    sign = 1 if digits[0] in "+-" else 0
    if len(digits) > 30:
        digits = digits[:30]
    end = found.start(1) + len(digits)
    value = int(digits) if len(digits) > sign else None
    if value is None:
        return None, text
    if -(2**31) <= value < 2**31:
        return value, text[end:]
    value = max(min(value, 2**63 - 1), -(2**63))
    return (value + 2**31) % 2**32 - 2**31, text[end:]


def _scan_two_ints(text: str) -> tuple[int, int]:
    """``sscanf(var, "%d:%d", &offset, &length)`` with the C defaults kept."""
    offset, rest = _scan_int(text)
    if offset is None:
        return 0, 2**31 - 1
    if rest[:1] != ":":
        return offset, 2**31 - 1
    length, _ = _scan_int(rest[1:])
    return offset, 2**31 - 1 if length is None else length


def _substring(value: str, offset: int, length: int) -> str:
    """``substring``: ``${VAR:offset:length}``."""
    size = len(value)
    if offset == 0 and length >= size:
        return value
    if offset < 0:
        offset = max(size + offset, 0)
    if offset >= size:
        return ""
    result = value[offset:]
    if 0 <= length < size - offset:
        return result[:length]
    if length < 0:
        return result[: size + length - offset] if size > offset - length else ""
    return result


class Substituter:
    """Substitution against the global variables set so far."""

    def __init__(self, log: Log) -> None:
        self.globals: dict[str, str] = {}
        self.builtins: dict[str, str] = {}
        """Values for :data:`BUILTINS` other than the defaults (``ASTETCDIR``...)."""
        self._log = log
        self._depth = 0

    def set_global(self, name: str, value: str) -> None:
        """``pbx_builtin_setvar_helper(NULL, name, value)``."""
        if name.endswith(")"):
            function = name.split("(", 1)[0]
            self._log("ERROR", "pbx_functions.c", f"Function {function} not registered")
            return
        tail = name[1:] if name.startswith("_") else name
        tail = tail[1:] if tail.startswith("_") else tail
        self.globals.pop(tail, None)
        self.globals[tail] = value

    def substitute(
        self, text: str, count: int = VAR_BUF_SIZE - 1, *, extras: Mapping[str, str] | None = None
    ) -> str:
        """The text with ``${...}``/``$[...]`` replaced, cut to ``count`` characters."""
        if "$" not in text:
            return text[:count]
        if self._depth >= _MAX_DEPTH:
            self._log(
                "ERROR", "pbx_variables.c",
                "Exceeded maximum variable substitution recursion depth (15) - possible"
                " infinite recursion in dialplan?",
            )
            return ""
        self._depth += 1
        try:
            return self._substitute(text, count, extras)
        finally:
            self._depth -= 1

    def _substitute(self, text: str, count: int, extras: Mapping[str, str] | None) -> str:
        out: list[str] = []
        room = count
        pos = 0
        while pos < len(text) and room > 0:
            dollar = text.find("$", pos)
            kind = ""
            if dollar < 0:
                take = len(text) - pos
            else:
                following = text[dollar + 1 : dollar + 2]
                if following in ("{", "["):
                    kind = following
                    take = dollar - pos
                else:
                    take = dollar - pos + 1
            if take:
                take = min(take, room)
                out.append(text[pos : pos + take])
                room -= take
                pos += take
            if not kind:
                continue
            opener, closer = ("{", "}") if kind == "{" else ("[", "]")
            other = "[" if kind == "{" else "{"
            start = end = pos + 2
            brackets = 1
            needsub = False
            while brackets and end < len(text):
                if text[end] == "$" and text[end + 1 : end + 2] == opener:
                    needsub = True
                    brackets += 1
                    end += 1
                elif text[end] == opener:
                    brackets += 1
                elif text[end] == closer:
                    brackets -= 1
                elif text[end] == "$" and text[end + 1 : end + 2] == other:
                    needsub = True
                    end += 1
                end += 1
            inner_end = end
            if brackets:
                self._log(
                    "WARNING", "pbx_variables.c",
                    f"Error in extension logic (missing '{closer}')",
                )
            else:
                inner_end -= 1
            pos = end
            inner = text[start:inner_end][: VAR_BUF_SIZE - 1]
            if needsub:
                inner = self.substitute(inner, VAR_BUF_SIZE - 1, extras=extras)
            value = self._variable(inner, extras) if kind == "{" else evaluate(inner)
            if value:
                value = value[:room]
                out.append(value)
                room -= len(value)
        return "".join(out)

    def _variable(self, expression: str, extras: Mapping[str, str] | None) -> str:
        name, offset, length, isfunc = _parse_variable_name(expression)
        if isfunc:
            function = name.split("(", 1)[0]
            self._log("ERROR", "pbx_functions.c", f"Function {function} not registered")
            return ""
        value: str | None
        if extras is not None and name in extras:
            value = extras[name]
        elif name in BUILTINS:
            value = self.builtins.get(name, BUILTINS[name])
        elif name == "EPOCH":
            value = str(int(time.time()))
        else:
            value = self.globals.get(name)
        if value is None:
            return ""
        return _substring(value, offset, length)

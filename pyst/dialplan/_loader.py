"""pbx_config's ``pbx_load_config`` and pbx.c's ``ast_add_extension2`` re-enacted on
the semantic view of :mod:`pyst.config` (Asterisk 22's behaviour)."""

from __future__ import annotations

import gc
import os
import sys
from dataclasses import dataclass, field

from pyst.config import Category, Config, Diagnostic, Loader, Severity, Variable
from pyst.dialplan._model import (
    HINT,
    Context,
    Dialplan,
    Extension,
    IgnorePattern,
    Include,
    Priority,
    Switch,
)
from pyst.dialplan._patterns import (
    ext_cmp,
    ext_fluff_count,
    ext_strncpy,
    has_open_set,
    match_core,
    shrink_phone_number,
)
from pyst.dialplan._rules import RULES
from pyst.dialplan._strsep import pbx_strsep
from pyst.dialplan._substitute import Substituter, _scan_int
from pyst.dialplan._timing import check_timing

__all__ = ["CONFIG_NAME", "build", "load_dialplan"]

CONFIG_NAME = "extensions.conf"
"""The name pbx_config loads; lines of the main file are reported under it."""

REGISTRAR = "pbx_config"
_MAX_STACK = 512
_STATUS_NO_EXTENSION = 2
_STATUS_NO_PRIORITY = 3
_STATUS_NO_LABEL = 4

_CODES = {
    "No previous pattern": "DP101",
    "Label missing trailing": "DP102",
    "Can't use 'next'": "DP103",
    "Can't use 'same'": "DP104",
    "Invalid priority/label": "DP105",
    "Invalid priority": "DP106",
    "No closing parenthesis": "DP107",
    "The use of": "DP108",
    "Unable to register extension at": "DP109",
    "Context '": "DP110",
    "There is no existence": "DP111",
    "Failed to include": "DP111",
    "Unable to include ignorepat": "DP112",
    "Unable to include switch": "DP113",
    "==!!== Unknown directive": "DP114",
}


_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _ascii_lower(text: str) -> str:
    """C ``tolower`` on ASCII letters only (what ``strcasecmp`` compares)."""
    return text.translate(_LOWER)


_BELOW_33 = "".join(map(chr, range(1, 33)))


def _strip(text: str) -> str:
    """``ast_strip``: trim bytes below 33 on both ends."""
    return text.strip(_BELOW_33)


def _skip_blanks(text: str) -> str:
    """``ast_skip_blanks``: drop bytes below 33 at the start."""
    return text.lstrip(_BELOW_33)


def _wrap(value: int) -> int:
    """C ``int`` arithmetic: wrap to 32 bits."""
    return (value + 2**31) % 2**32 - 2**31


def _atoi(text: str) -> int:
    value, _ = _scan_int(text)
    return 0 if value is None else value


class _Where:
    """``at line N of FILE``, built only when a message needs it."""

    __slots__ = ("file", "line")

    def __init__(self, line: int, file: str) -> None:
        self.line = line
        self.file = file

    def __format__(self, spec: str) -> str:
        return f"at line {self.line} of {self.file}"


@dataclass(slots=True)
class _Exten:
    """An ``ast_exten``: one priority of one extension, as pbx.c keeps it."""

    name: str
    exten: str
    matchcid: bool
    cid: str
    cid_display: str
    priority: int
    label: str | None
    app: str
    data: str
    file: str
    line: int
    registrar_file: str | None
    public: Priority | None = None


@dataclass
class _Con:
    """An ``ast_context`` while it is being built."""

    name: str
    file: str
    line: int
    roots: list[list[_Exten]] = field(default_factory=list)
    root_table: list[_Exten] = field(default_factory=list)
    root_keys: set[tuple[str, bool, str]] = field(default_factory=set)
    open_sets: bool = False
    last: int = -1
    tree: dict[str, _Exten | None] | None = None
    includes: list[Include] = field(default_factory=list)
    ignorepats: list[IgnorePattern] = field(default_factory=list)
    switches: list[Switch] = field(default_factory=list)
    autohints: bool = False


class _Builder:
    """One load of extensions.conf: state and log."""

    def __init__(self, config: Config, *, asterisk: str, confdir: str | None) -> None:
        self.config = config
        self.asterisk = asterisk
        self.confdir = confdir
        self.main_file = config.file
        self.contexts: dict[str, _Con] = {}
        self.order: list[_Con] = []
        self.log: list[str] = []
        self.diagnostics: list[Diagnostic] = []
        self.here: tuple[str, int] = (config.file, 0)
        self.subst = Substituter(self._log_pbx)
        self._registrar_files: dict[str, str] = {}
        self._lowered_names: dict[str, str] = {}

    # -- logging -------------------------------------------------------------------
    def _emit(self, level: str, source: str, message: str, code: str) -> None:
        self.log.append(f"{level} {source}: {message}")
        severity = Severity.ERROR if level == "ERROR" else Severity.WARNING
        file, line = self.here
        fix = RULES[code].fix
        text = f"{message} ({fix})" if fix else message
        self.diagnostics.append(Diagnostic(severity, code, text, file, line, 1 if line else 0))

    def _log_pbx(self, level: str, source: str, message: str) -> None:
        code = {
            "pbx_functions.c": "DP125",
            "pbx_timing.c": "DP127",
        }.get(source)
        if code is None:
            code = "DP130" if "recursion" in message else "DP126"
        self._emit(level, source, message, code)

    def _log_config(self, level: str, message: str) -> None:
        code = "DP114"
        for prefix, candidate in _CODES.items():
            if message.startswith(prefix):
                code = candidate
                break
        self._emit(level, "pbx_config.c", message, code)

    # -- contexts --------------------------------------------------------------------
    def find_or_create(self, name: str, file: str, line: int) -> _Con:
        con = self.contexts.get(name)
        if con is None:
            con = _Con(name, file, line)
            self.contexts[name] = con
            self.order.append(con)
        return con

    def vfile(self, variable: Variable) -> str:
        """The file name pbx_config reports for a line (the config name for the main file)."""
        if not variable.file or variable.file == self.main_file:
            return CONFIG_NAME
        return variable.file

    def registrar_file(self, vfile: str) -> str:
        """The base name ``dialplan show`` prints for a file."""
        found = self._registrar_files.get(vfile)
        if found is None:
            found = self._registrar_files[vfile] = vfile.rsplit("/", 1)[-1]
        return found

    # -- the load ----------------------------------------------------------------------
    def run(self) -> None:
        config = self.config
        categories = [c for c in config.categories if not c.template]
        for category in categories:
            if _ascii_lower(category.name) != "globals":
                continue
            for variable in category.variables:
                self.here = (variable.file or self.main_file, variable.line)
                value = self.subst.substitute(variable.value, 8191)
                self.subst.set_global(variable.name, value)
        for category in categories:
            if _ascii_lower(category.name) in ("general", "globals"):
                continue
            self.load_context(category)

    def load_context(self, category: Category) -> None:
        con = self.find_or_create(category.name, category.file or self.main_file, category.line)
        last_extension = ""
        last_priority = -2
        lowered_names = self._lowered_names
        main_file = self.main_file
        for variable in category.variables:
            file = variable.file or main_file
            self.here = (file, variable.line)
            vfile = CONFIG_NAME if file == main_file else file
            name = variable.name
            lowered = lowered_names.get(name)
            if lowered is None:
                lowered = lowered_names[name] = _ascii_lower(name)
            where = _Where(variable.line, vfile)
            if lowered.startswith("same"):
                if not last_extension:
                    self._log_config(
                        "ERROR",
                        f"No previous pattern in the first entry of context '{category.name}' "
                        f"to match '{name}' {where}!",
                    )
                    continue
                realext = last_extension
                rest: str | None = variable.value
            elif lowered == "exten":
                ext, rest = pbx_strsep(variable.value)
                realext = self.subst.substitute(ext, 255)
                last_extension = realext
            elif lowered == "include":
                self.add_include(con, category, variable, where)
                continue
            elif lowered == "ignorepat":
                value = self.subst.substitute(variable.value, 8191)
                if any(_ascii_lower(p.pattern) == _ascii_lower(value) for p in con.ignorepats):
                    self._log_config(
                        "WARNING",
                        f"Unable to include ignorepat '{variable.value}' in context "
                        f"'{category.name}' {where}",
                    )
                else:
                    con.ignorepats.append(
                        IgnorePattern(value, variable.file or self.main_file, variable.line)
                    )
                continue
            elif lowered in ("switch", "lswitch", "eswitch"):
                self.add_switch(con, category, variable, lowered, where)
                continue
            elif lowered == "autohints":
                con.autohints = _true(variable.value)
                continue
            else:
                self._log_config(
                    "WARNING", f"==!!== Unknown directive: {name} {where} -- IGNORING!!!"
                )
                continue
            last_priority = self.add_line(con, category, variable, realext, rest,
                                          last_priority, where)

    def add_line(
        self, con: _Con, category: Category, variable: Variable, realext: str,
        rest: str | None, last_priority: int, where: _Where,
    ) -> int:
        """One ``exten``/``same`` line after the extension is known; the new lastpri."""
        cid: str | None = None
        if "/" in realext:
            realext, cid = realext.split("/", 1)
            cid = shrink_phone_number(cid)
        if rest is None:
            pri_text, rest = "", None
        else:
            pri_text, _, tail = rest.partition(",")
            rest = tail if _ else None
        pri = _strip(pri_text)
        label: str | None = None
        if "(" in pri:
            pri, _, label = pri.partition("(")
            if ")" not in label:
                self._log_config("WARNING", f"Label missing trailing ')' {where}")
                return last_priority
            label = label.split(")", 1)[0]
        plus: str | None = None
        if "+" in pri:
            pri, _, plus = pri.partition("+")
        ipri: int
        if pri == "hint":
            ipri = HINT
        elif pri in ("next", "n"):
            if last_priority > -2:
                ipri = _wrap(last_priority + 1)
            else:
                self._log_config(
                    "WARNING", f"Can't use 'next' priority on the first entry {where}!"
                )
                return last_priority
        elif pri in ("same", "s"):
            if last_priority > -2:
                ipri = last_priority
            else:
                self._log_config(
                    "WARNING", f"Can't use 'same' priority on the first entry {where}!"
                )
                return last_priority
        else:
            scanned, _ = _scan_int(pri)
            if scanned is None:
                found = self.find_label(con, realext, pri, cid)
                if found < 1:
                    self._log_config("WARNING", f"Invalid priority/label '{pri}' {where}")
                    return last_priority
                ipri = found
            elif scanned < 1:
                self._log_config("WARNING", f"Invalid priority '{pri}' {where}")
                return last_priority
            else:
                ipri = scanned
        appl = rest if rest else ""
        data = ""
        if "(" in appl:
            head, _, tail = appl.partition("(")
            if "${" in head or "$[" in head:
                data = ""
            else:
                close = tail.rfind(")")
                if close >= 0:
                    data = tail[:close]
                else:
                    data = tail
                    self._log_config(
                        "WARNING", f"No closing parenthesis found? '{head}({tail}' {where}"
                    )
                appl = head
        appl = _skip_blanks(appl)
        if not ipri:
            return last_priority
        if plus is not None:
            ipri = _wrap(ipri + _atoi(plus))
        last_priority = ipri
        if realext in ("_.", "_!"):
            self._log_config(
                "WARNING",
                f"The use of '{realext}' for an extension is strongly discouraged and can have "
                f"unexpected behavior.  Please use '_X{realext[1]}' instead {where}",
            )
        registrar_file = self.registrar_file(where.file)
        source_file = variable.file or self.main_file
        if self.add_extension(con, realext, ipri, label, cid, appl, data, source_file,
                              variable.line, registrar_file):
            self._log_config("WARNING", f"Unable to register extension {where}")
        return last_priority

    def add_include(
        self, con: _Con, category: Category, variable: Variable, where: _Where
    ) -> None:
        value = self.subst.substitute(variable.value, 8191)
        for existing in con.includes:
            if _ascii_lower(existing.value) == _ascii_lower(value):
                self._log_config(
                    "WARNING",
                    f"Context '{variable.value}' already included in '{category.name}' context "
                    f"on include {where}",
                )
                return
        bar = value.find("|")
        cut = bar if bar >= 0 else value.find(",")
        timing: str | None = None
        rname = value
        if cut >= 0:
            rname, timing = value[:cut], value[cut + 1 :]
            check_timing(timing, self._log_pbx)
        con.includes.append(
            Include(value, rname, timing, variable.file or self.main_file, variable.line)
        )

    def add_switch(
        self, con: _Con, category: Category, variable: Variable, kind: str, where: _Where
    ) -> None:
        if kind == "switch":
            value = self.subst.substitute(variable.value, 8191)
        else:
            value = variable.value[:8191]
        name, _, data = value.partition("/")
        for existing in con.switches:
            if (_ascii_lower(existing.name) == _ascii_lower(name)
                    and _ascii_lower(existing.data) == _ascii_lower(data)):
                self._log_config(
                    "WARNING",
                    f"Unable to include switch '{variable.value}' in context '{category.name}' "
                    f"{where}",
                )
                return
        con.switches.append(Switch(name, data, kind == "eswitch", kind,
                                   variable.file or self.main_file, variable.line))

    # -- pbx.c -----------------------------------------------------------------------------
    def _warn_pbx(self, level: str, message: str, code: str) -> None:
        self._emit(level, "pbx.c", message, code)

    def add_extension(
        self, con: _Con, extension: str, priority: int, label: str | None, callerid: str | None,
        app: str, data: str, file: str, line: int, registrar_file: str | None,
    ) -> bool:
        """``ast_add_extension2``; true when it fails."""
        if not extension:
            self._warn_pbx(
                "ERROR",
                f"You have to be kidding-- add exten '' to context {con.name}? Figure out a "
                "name and call me back. Action ignored.",
                "DP121",
            )
            return True
        if priority == HINT and "${" in app and not extension.startswith("_"):
            app = self.subst.substitute(
                app, 4095, extras={"EXTEN": extension, "CONTEXT": con.name, "PRIORITY": "1"}
            )
        exten_fluff = 0 if priority == HINT else ext_fluff_count(extension)
        name = ext_strncpy(extension)
        exten = ext_strncpy(extension, len(extension) - exten_fluff, nofluff=True) \
            if exten_fluff else name
        if callerid is not None:
            cid_fluff = ext_fluff_count(callerid)
            cid_display = ext_strncpy(callerid)
            cid = ext_strncpy(callerid, len(callerid) - cid_fluff, nofluff=True) \
                if cid_fluff else cid_display
        else:
            cid_display = cid = ""
        tmp = _Exten(name, exten, callerid is not None, cid, cid_display, priority,
                     label or None, app, data, file, line, registrar_file)
        if con.tree is not None and (exten, False, "") not in con.root_keys:
            self.tree_add(con, tmp)
            self._root_insert(con, tmp)
        index, res = self._position(con, tmp)
        if index < len(con.roots) and res == 0:
            if self.add_priority(con, tmp, con.roots[index]):
                if con.tree is not None:
                    key = self.tree_key(tmp, warn=False)
                    if key in con.tree and con.tree[key] is not None:
                        con.tree[key] = None
                return True
        else:
            con.roots.insert(index, [tmp])
            con.open_sets = con.open_sets or has_open_set(exten) or has_open_set(tmp.cid)
            self._root_insert(con, tmp)
        tmp.public = Priority(priority, app, data, tmp.label, file, line, registrar_file)
        if priority == HINT:
            self.hint_added(exten, app)
        return False

    @staticmethod
    def _root_insert(con: _Con, tmp: _Exten) -> None:
        """``ast_hashtab_insert_safe(con->root_table, tmp)``: only if no equal entry."""
        key = (tmp.exten, tmp.matchcid, tmp.cid if tmp.matchcid else "")
        if key not in con.root_keys:
            con.root_keys.add(key)
            con.root_table.append(tmp)

    def _compare(self, head: _Exten, tmp: _Exten) -> int:
        """The order of ``tmp`` against an extension already in the list (names, then
        caller-ID matches: an extension with one sorts before the same without)."""
        res = self.cmp(head.exten, tmp.exten)
        if res == 0:
            if not head.matchcid and not tmp.matchcid:
                return 0
            if tmp.matchcid and not head.matchcid:
                return 1
            if head.matchcid and not tmp.matchcid:
                return -1
            return self.cmp(head.cid, tmp.cid)
        return res

    def _position(self, con: _Con, tmp: _Exten) -> tuple[int, int]:
        """Where pbx.c's scan of the sorted list stops (the first entry not before
        ``tmp``) and the comparison there (1 at the end of the list)."""
        roots = con.roots
        if con.open_sets or has_open_set(tmp.exten) or has_open_set(tmp.cid):
            # Comparing such a pattern logs a warning per comparison: scan as pbx.c does.
            for index, peers in enumerate(roots):
                res = self._compare(peers[0], tmp)
                if res >= 0:
                    return index, res
            return len(roots), 1
        last = con.last
        if 0 <= last < len(roots):
            head = roots[last][0]
            if (head.exten == tmp.exten and head.matchcid == tmp.matchcid
                    and head.cid == tmp.cid):
                # The same extension as the line before: equal strings compare equal,
                # and in the sorted list nothing before it does.
                return last, 0
        low, high = 0, len(roots)
        while low < high:
            middle = (low + high) // 2
            if self._compare(roots[middle][0], tmp) >= 0:
                high = middle
            else:
                low = middle + 1
        con.last = low
        if low == len(roots):
            return low, 1
        return low, self._compare(roots[low][0], tmp)

    def cmp(self, left: str, right: str) -> int:
        return ext_cmp(left, right, warn=self._wrong_set)

    def _wrong_set(self) -> None:
        self._warn_pbx("WARNING", "Wrong usage of [] in the extension", "DP123")

    def add_priority(self, con: _Con, tmp: _Exten, peers: list[_Exten]) -> bool:
        """``add_priority``; true when the priority is already in use."""
        position = len(peers)
        repeated = False
        for index, existing in enumerate(peers):
            if (existing.label and tmp.label and existing.priority != tmp.priority
                    and existing.label == tmp.label):
                if existing.name != tmp.name:
                    self._warn_pbx(
                        "WARNING",
                        f"Extension '{tmp.name}' priority {tmp.priority} in '{con.name}', label "
                        f"'{tmp.label}' already in use at aliased extension '{existing.name}' "
                        f"priority {existing.priority}",
                        "DP117",
                    )
                else:
                    self._warn_pbx(
                        "WARNING",
                        f"Extension '{tmp.name}' priority {tmp.priority} in '{con.name}', label "
                        f"'{tmp.label}' already in use at priority {existing.priority}",
                        "DP117",
                    )
                repeated = True
            if existing.priority >= tmp.priority:
                position = index
                break
        if repeated:
            tmp.label = None
        if position < len(peers) and peers[position].priority == tmp.priority:
            existing = peers[position]
            if existing.name != tmp.name:
                self._warn_pbx(
                    "WARNING",
                    f"Unable to register extension '{tmp.name}' priority {tmp.priority} in "
                    f"'{con.name}', already in use by aliased extension '{existing.name}'",
                    "DP116",
                )
            else:
                self._warn_pbx(
                    "WARNING",
                    f"Unable to register extension '{tmp.name}' priority {tmp.priority} in "
                    f"'{con.name}', already in use",
                    "DP116",
                )
            return True
        peers.insert(position, tmp)
        return False

    def hint_added(self, exten: str, app: str) -> None:
        """``ast_add_hint`` asks the presence providers named after the hint's last ``,``
        (none is loaded during the load)."""
        if "${" in app and exten.startswith("_"):
            return
        if "," not in app:
            return
        presence = app.rsplit(",", 1)[1]
        if not presence:
            return
        for label in presence.split("&"):
            if "/" in label:
                continue
            if ":" in label:
                self._emit("WARNING", "presencestate.c",
                           f"No provider found for label: {label.split(':', 1)[0]}", "DP128")
            else:
                self._emit("WARNING", "presencestate.c",
                           f"No label found for presence state provider: {label}", "DP128")

    # -- the match tree ------------------------------------------------------------------
    def tree_key(self, exten: _Exten, *, warn: bool = True) -> str:
        text = exten.exten + ("/" + exten.cid if exten.matchcid else "")
        pattern = text.startswith("_")
        if pattern:
            text = text[1:]
        nodes: list[str] = []
        index = 0
        while index < len(text):
            char = text[index]
            if char == "[" and pattern:
                index += 1
                chars: list[str] = []
                closed = False
                while index < len(text):
                    c = text[index]
                    if c == "\\":
                        index += 1
                        if index < len(text) and text[index] in "[\\-]":
                            chars.append(text[index])
                            index += 1
                    elif c == "-" and chars and index + 1 < len(text):
                        first = ord(chars[-1])
                        last_index = index + 1
                        if text[last_index] == "\\" and last_index + 1 < len(text):
                            last_index += 1
                        last = ord(text[last_index])
                        chars.extend(chr(v) for v in range(first + 1, last + 1))
                        index = last_index + 1
                    elif c == "]":
                        index += 1
                        closed = True
                        break
                    else:
                        chars.append(c)
                        index += 1
                if not closed and warn:
                    self._warn_pbx(
                        "WARNING",
                        f"A matching ']' was not found for '[' in exten pattern "
                        f"'{'_' + text if pattern else text}'",
                        "DP123",
                    )
                if not chars:
                    if warn:
                        self._warn_pbx(
                            "WARNING",
                            f"Empty character set in exten pattern '{'_' + text}'. Ignoring.",
                            "DP123",
                        )
                    continue
                nodes.append("[" + "".join(sorted(set(chars))) + "]")
                continue
            if char == "-":
                index += 1
                continue
            if char == "\\":
                index += 1
                if index >= len(text):
                    break
                char = text[index]
            elif pattern and char in "nxz":
                char = char.upper()
            nodes.append(("p" if pattern else "s") + char)
            index += 1
        return "\0".join(nodes)

    def tree_add(self, con: _Con, exten: _Exten) -> None:
        assert con.tree is not None
        key = self.tree_key(exten)
        old = con.tree.get(key)
        if key in con.tree and old is not None:
            self._warn_pbx(
                "WARNING", f"Found duplicate exten. Had {old.name} found {exten.name}", "DP122"
            )
        con.tree[key] = exten

    def build_tree(self, con: _Con) -> None:
        con.tree = {}
        for exten in con.root_table:
            self.tree_add(con, exten)

    # -- label lookup at load time (ast_findlabel_extension2) ----------------------------
    def find_label(self, con: _Con, exten: str, label: str, callerid: str | None) -> int:
        state = _Search()
        limit = sys.getrecursionlimit()
        if limit < _MAX_STACK * 2 + 200:
            sys.setrecursionlimit(_MAX_STACK * 2 + 200)
        try:
            found = self._find(con, state, con.name, exten, label, callerid)
        finally:
            sys.setrecursionlimit(limit)
        if found is not None:
            return found.priority
        if state.status == _STATUS_NO_EXTENSION:
            self._emit("NOTICE", "pbx.c",
                       f"Cannot find extension '{exten}' in context '{con.name}'", "DP119")
        elif state.status == _STATUS_NO_LABEL:
            self._emit("NOTICE", "pbx.c",
                       f"No such label '{label}' in extension '{exten}' in context '{con.name}'",
                       "DP118")
        return -1

    def _find(
        self, con: _Con, state: _Search, context: str, exten: str, label: str,
        callerid: str | None,
    ) -> _Exten | None:
        if state.stacklen >= _MAX_STACK:
            self._warn_pbx(
                "WARNING", f"Maximum PBX stack ({_MAX_STACK}) exceeded. Too many includes?",
                "DP120",
            )
            return None
        lowered = _ascii_lower(context)
        if state.stacklen and lowered == _ascii_lower(con.name):
            return None
        state.status = max(state.status, _STATUS_NO_EXTENSION)
        if con.tree is None and con.root_table:
            self.build_tree(con)
        if state.scanned:
            # Every level searches the same context (the lookup "bypasses" to it): the
            # scan gives what it gave the first time, warnings included.
            if state.matched:
                state.status = max(state.status, _STATUS_NO_LABEL)
            for _ in range(state.wrong_sets):
                self._wrong_set()
        else:
            state.scanned = True
            before = len(self.log)
            for peers in con.roots:
                head = peers[0]
                if not match_core(head.exten, exten, warn=self._wrong_set):
                    continue
                if head.matchcid and not _matchcid(head.cid, callerid):
                    continue
                state.status = max(state.status, _STATUS_NO_LABEL)
                state.matched = True
                for candidate in peers:
                    if candidate.label is not None and candidate.label == label:
                        return candidate
            state.wrong_sets = len(self.log) - before
        for switch in con.switches:
            self._warn_pbx("WARNING", f"No such switch '{switch.name}'", "DP124")
        state.stacklen += 1
        for include in con.includes:
            found = self._find(con, state, include.context, exten, label, callerid)
            if found is not None:
                return found
        return None

    # -- users.conf (pbx_load_users) -----------------------------------------------------
    def load_users(self) -> None:
        folder = self.confdir or os.path.dirname(os.path.abspath(self.main_file))
        path = os.path.join(folder, "users.conf")
        if not os.path.isfile(path):
            return
        users = Loader(confdir=folder).load_path(path)
        if not users.loaded:
            return
        general = users.category("general")
        settings = self.config.category("general")
        userscontext = "default"
        if settings is not None:
            chosen = settings.first("userscontext") if self.asterisk.startswith("22") \
                else settings.get("userscontext")
            if chosen is not None:
                userscontext = chosen
        con: _Con | None = None
        for category in users.categories:
            if category.template or _ascii_lower(category.name) == "general":
                continue

            def option(name: str, category: Category = category) -> str | None:
                value = category.first(name)
                if value is None and general is not None:
                    value = general.first(name)
                return value

            iface: list[str] = []

            def append(add: str, iface: list[str] = iface) -> bool:
                # append_interface: a 256-byte buffer, '&' between interfaces.
                length = len("&".join(iface))
                if len(add) + length < 256 - 2:
                    iface.append(add)
                    return True
                return False

            if _true(option("hasiax")):
                append(f"IAX2/{category.name}")
            if _true(option("hash323")):
                append(f"H323/{category.name}")
            hasexten = option("hasexten")
            if hasexten is not None and not _true(hasexten):
                continue
            voicemail = _true(option("hasvoicemail"))
            dahdi = category.first("dahdichan")
            if dahdi is None and general is not None:
                dahdi = general.first("dahdichan")
            for chan in (dahdi or "").split(",") if dahdi else []:
                start_text, _, finish_text = chan.partition("-")
                start, _ = _scan_int(start_text)
                finish, _ = _scan_int(finish_text) if finish_text else (None, "")
                if start is None:
                    start = finish = 0
                elif finish is None:
                    finish = start
                low, high = sorted((start, finish))
                for x in range(low, high + 1):
                    if not append(f"DAHDI/{x}"):
                        break  # the buffer is full; later numbers are no shorter
            if not iface:
                continue
            if con is None:
                con = self.find_or_create(userscontext, path, 0)
            hint = "&".join(iface)
            self.here = (path, category.line)
            name = category.name
            self.add_extension(con, name, HINT, None, None, hint, "", path, 0, None)
            if voicemail:
                self.add_extension(con, name, 1, None, None, "Gosub",
                                   f"{name},stdexten(${{HINT}})", path, 0, None)
            else:
                self.add_extension(con, name, 1, None, None, "Dial", "${HINT}", path, 0, None)
            alternates = category.first("alternateexts")
            if alternates:
                for alternate in alternates.split(","):
                    self.add_extension(con, alternate, 1, None, None, "Goto", f"{name},1",
                                       path, 0, None)

    # -- after the load ----------------------------------------------------------------------
    def verify_includes(self) -> None:
        for con in reversed(self.order):
            if len(con.includes) >= _MAX_STACK:
                self.here = (con.file, con.line)
                self._warn_pbx(
                    "WARNING",
                    f"Context {con.name} contains too many includes ({len(con.includes)}). "
                    f"Maximum is {_MAX_STACK}.",
                    "DP129",
                )
            for include in con.includes:
                if include.context in self.contexts:
                    continue
                self.here = (include.file, include.line)
                self._warn_pbx(
                    "WARNING",
                    f"Context '{con.name}' tries to include nonexistent context "
                    f"'{include.context}'",
                    "DP115",
                )
                break

    def result(self, loaded: bool) -> Dialplan:
        contexts = [
            Context(
                con.name, REGISTRAR,
                [_extension(peers) for peers in con.roots],
                list(con.includes), list(con.ignorepats), list(con.switches),
                con.autohints, con.file, con.line,
            )
            for con in self.order
        ]
        settings: dict[str, str] = {}
        general = self.config.category("general")
        if general is not None:
            for variable in general.variables:
                settings.setdefault(_ascii_lower(variable.name), variable.value)
        return Dialplan(self.config.file, loaded, contexts, dict(self.subst.globals), settings,
                        list(self.config.diagnostics) + self.diagnostics, list(self.log))


@dataclass
class _Search:
    stacklen: int = 0
    status: int = 1
    scanned: bool = False
    matched: bool = False
    wrong_sets: int = 0


def _matchcid(pattern: str, callerid: str | None) -> bool:
    if not callerid:
        return not pattern
    return match_core(pattern, callerid) != 0


def _true(value: str | None) -> bool:
    """``ast_true``."""
    if value is None:
        return False
    return _ascii_lower(value.strip()) in ("yes", "true", "y", "t", "1", "on")


def _extension(peers: list[_Exten]) -> Extension:
    head = peers[0]
    return Extension(
        head.name, head.exten,
        head.cid if head.matchcid else None,
        head.cid_display if head.matchcid else None,
        [p.public or Priority(p.priority, p.app, p.data, p.label, p.file, p.line,
                              p.registrar_file) for p in peers],
    )


def build(config: Config, *, asterisk: str = "22", confdir: str | None = None,
          users: bool = True) -> Dialplan:
    """Asterisk's dialplan from an already loaded extensions.conf view."""
    builder = _Builder(config, asterisk=asterisk, confdir=confdir)
    if not config.loaded:
        return builder.result(False)
    # The build makes many small objects that all live on: the cyclic garbage collector
    # would only re-scan the config's objects again and again (none of ours is garbage).
    collecting = gc.isenabled()
    gc.disable()
    try:
        builder.run()
        if users and asterisk != "master":  # master (23+) no longer reads users.conf
            builder.load_users()
        builder.verify_includes()
        return builder.result(True)
    finally:
        if collecting:
            gc.enable()


def load_dialplan(
    path: str | os.PathLike[str], *, confdir: str | os.PathLike[str] | None = None,
    asterisk: str = "22",
) -> Dialplan:
    """Load ``path`` as pbx_config loads extensions.conf and return the dialplan."""
    folder = None if confdir is None else os.fspath(confdir)
    config = Loader(confdir=folder).load_path(path)
    return build(config, asterisk=asterisk, confdir=folder)

"""Properties over generated input that span the modules.

Covers that the loaded view equals a small independent reference model of config.c (single
files and includes), and that any edit, or its refusal, keeps the tree and the bytes
consistent.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyst import config
from pyst.config import ConfigEditError
from tests.config.helpers import meaning, write_files


def _strip(data: bytes) -> bytes:
    start, end = 0, len(data)
    while start < end and data[start] < 33:
        start += 1
    while end > start and data[end - 1] < 33:
        end -= 1
    return data[start:end]


def _fold(data: bytes) -> bytes:
    return bytes(c + 32 if 65 <= c <= 90 else c for c in data)


def _cstr(buf: bytearray, start: int) -> bytes:
    return bytes(buf[start : buf.index(0, start)])


class _RefFatal(Exception):
    pass


def _ref_find(cats: list[dict], name: bytes, filt: bytes, sep: bytes) -> dict | None:
    """category_get_sep for the filters this model generates (TEMPLATES terms only)."""
    for cat in cats:
        if name and _fold(cat["name"]) != _fold(name):
            continue
        if not filt:
            if not cat["template"]:
                return cat
            continue
        found = exprs = 0
        template_ok = False
        for term in filt.split(sep):
            exprs += 1
            _key, eq, value = term.partition(b"=")
            if not eq:
                break
            value = _fold(_strip(value))
            if value == b"include":
                template_ok = template_ok or cat["template"]
                found += 1
            elif value == b"restrict":
                if not cat["template"]:
                    break
                found += 1
                template_ok = True
        if found == exprs and (not cat["template"] or template_ok):
            return cat
    return None


def _ref_line(cats: list[dict], state: dict, cat: dict | None, cur: bytes) -> dict | None:
    """process_text_line (no include ever finds a file)."""
    if cur[:1] == b"[":
        close = cur.find(b"]")
        if close < 0:
            raise _RefFatal
        catname, rest = cur[1:close], cur[close + 1 :]
        newcat: dict | None = {"name": catname[:79], "template": False, "inherits": [],
                               "vars": []}
        cat = newcat
        if rest[:1] == b"(":
            end = rest.find(b")")
            if end < 0:
                raise _RefFatal
            for token in rest[1:end].split(b","):
                if token == b"!":
                    cat["template"] = True
                elif token[:1] == b"+":
                    found = _ref_find(cats, catname, token[1:], b"&")
                    if found is None:
                        raise _RefFatal
                    if newcat is not None:
                        state["current"] = found
                        found["template"] = found["template"] or newcat["template"]
                        found["vars"].extend(newcat["vars"])
                        newcat = None
                    cat = found
                else:
                    base = _ref_find(cats, token, b"TEMPLATES=include", b",")
                    if base is None or (base is cat and base["vars"]):
                        raise _RefFatal
                    cat["inherits"].append(base["name"])
                    cat["vars"].extend([list(v) for v in base["vars"]])
        if newcat is not None:
            cats.append(newcat)
            state["current"] = newcat
        return cat
    if cat is None:
        raise _RefFatal
    escaped = 1 if cur[:1] == b"\\" else 0
    if escaped:
        cur = cur[1:]
        if not cur or not 33 <= cur[0] < 128:
            raise _RefFatal
    equals = cur.find(b"=", escaped)
    if equals < 0:
        return cat
    obj = False
    if equals > escaped and cur[equals - 1 : equals] == b"+":
        name, value = _strip(cur[: equals - 1]), cur[equals + 1 :]
        found = None
        for var in cat["vars"]:
            if var[0] == name:
                found = var
        if found is not None:
            target = found
            for var in cat["vars"]:
                if _fold(var[0]) == _fold(found[0]) and (
                        not found[1] or _fold(var[1]) == _fold(found[1])):
                    target = var
            target[0], target[1] = found[0], _strip(found[1] + value)
            return cat
    else:
        name, value = _strip(cur[:equals]), cur[equals + 1 :]
        if value[:1] == b">":
            obj, value = True, value[1:]
    if name:
        cat["vars"].append([name, _strip(value), obj])
    return cat


class _RefLoader:
    """ast_config_internal_load + config_text_file_load over files held in a dict
    (no globs): include level, the load's current category, fatal errors that only end
    the file they are in, and a level that is not given back after one."""

    def __init__(self, files: dict[bytes, bytes]):
        self.files = files
        self.cats: list[dict] = []
        self.state: dict = {"current": None}
        self.level = 0

    def load(self, name: bytes) -> str | None:
        if self.level == 11:  # "Maximum Include level (10) exceeded"
            return None
        self.level += 1
        result = self._file(name)
        if result != "invalid":
            self.level -= 1
        return result

    def _file(self, name: bytes) -> str | None:
        if name not in self.files:
            return None
        lines = self.files[name].split(b"\n")
        if lines[-1] == b"":
            lines.pop()
        depth = 0
        cat = self.state["current"]
        for lineno, line in enumerate(lines, 1):
            if lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            buf = bytearray(line) + b"\0"
            process = None if depth else 0
            new = 0
            while True:
                found = _cstr(buf, new).find(b";")
                if found < 0:
                    break
                p = new + found
                if p > new and buf[p - 1] == 0x5C:
                    del buf[p - 1]
                    new = p
                elif buf[p + 1] == 0x2D and buf[p + 2] == 0x2D and buf[p + 3] != 0x2D:
                    buf[p] = 0
                    new = p + 3
                    depth += 1
                elif p >= new + 2 and buf[p - 1] == buf[p - 2] == 0x2D:
                    depth -= 1
                    new = p + 1
                    if depth == 0:
                        if process is None:
                            process = new
                        else:
                            old = process + len(_cstr(buf, process))
                            buf[old:] = _cstr(buf, new) + b"\0"
                            new = old
                elif depth == 0:
                    buf[p] = 0
                    new = p
                else:
                    new = p + 1
            if process is None:
                continue
            text = _strip(_cstr(buf, process))
            try:
                if text[:1] == b"#":
                    self._directive(text)
                elif text:
                    cat = _ref_line(self.cats, self.state, cat, text)
            except _RefFatal:
                return "invalid"
        return "ok"

    def _directive(self, text: bytes) -> None:
        end = 1
        while end < len(text) and 32 < text[end] < 128:
            end += 1
        word, argument = _fold(text[1:end]), _strip(text[end + 1 :])
        if word not in (b"include", b"tryinclude") or not argument:
            return  # unknown, #exec while execincludes is off, or no argument
        if argument[:1] + argument[-1:] in (b'""', b"<>"):
            argument = argument[1:-1]
        if self.load(argument) is None and word == b"include":
            raise _RefFatal


def _ref_load(data: bytes, files: dict[bytes, bytes] | None = None) -> tuple[bool, list[dict]]:
    """What Asterisk loads from main.conf = ``data`` (other files: ``files``)."""
    loader = _RefLoader({**(files or {}), b"main.conf": data})
    loaded = loader.load(b"main.conf") == "ok"
    return loaded, loader.cats


def _enc(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _as_ref(cfg: config.Config) -> tuple[bool, list[dict]]:
    return cfg.loaded, [
        {"name": _enc(c.name), "template": c.template, "inherits": [_enc(i) for i in c.inherits],
         "vars": [[_enc(v.name), _enc(v.value), v.object] for v in c.variables]}
        for c in cfg.categories
    ]


_SPACE = [b"", b" ", b"\t", b"\x0b", b"\x0c", b"\r"]


_COMMENT = [b"", b";c", b" ; c", b";--", b"--;", b";-- x --;", b"\\;", b";---"]


@st.composite
def _ref_header(draw: st.DrawFn) -> bytes:
    name = draw(st.sampled_from([b"a", b"b", b"t", b"A", b"", b" a", b"x y"]))
    options = draw(st.lists(st.sampled_from(
        [b"!", b"+", b"+TEMPLATES=include", b"+TEMPLATES=restrict", b"a", b"t", b"", b"A",
         b" t"]), max_size=3))
    suffix = b"(" + b",".join(options) + b")" if draw(st.booleans()) else b""
    return (draw(st.sampled_from(_SPACE)) + b"[" + name + b"]" + suffix
            + draw(st.sampled_from([b"", b"junk", b" (!)"])) + draw(st.sampled_from(_COMMENT)))


@st.composite
def _ref_assignment(draw: st.DrawFn) -> bytes:
    parts = [
        _SPACE,
        [b"a", b"A", b"b", b"\\#h", b"\\=", b"\\\\", b"\\", b"\\\xc3\xa9", b"+", b"a+", b"x y",
         b"", b"\\;"],
        _SPACE,
        [b"=", b"=>", b"+=", b"==", b"=>>", b"+=>", b""],
        _SPACE,
        [b"", b"1", b"x", b"a;b", b"a\\;b", b" v ", b">", b"x--;y", b";--", b"\\\\;",
         b"\xc3\xa9", b"\xff", b"\x00z"],
        _COMMENT,
    ]
    return b"".join(draw(st.sampled_from(choices)) for choices in parts)


_REF_LINE = st.one_of(_ref_header(), _ref_assignment(), _ref_assignment(), st.sampled_from([
    b"", b" ", b";x", b";--", b"--;", b"x --; y=1", b"#include", b"#include x",
    b"#tryinclude x", b"#exec ls", b"#bogus", b"# include x", b"junk", b"\\",
    b"\xef\xbb\xbf[bom]", b"[a](", b"[a",
]))


@st.composite
def _ref_document(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(_REF_LINE, max_size=14))
    data = b"".join(line + draw(st.sampled_from([b"\n", b"\r\n"])) for line in lines)
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    if draw(st.booleans()):
        data = data.rstrip(b"\r\n")
    return data


@settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))
@given(_ref_document())
def test_view_equals_reference_model(data: bytes) -> None:
    doc = config.parse(data)
    assert doc.dumps() == data
    text = data.decode("utf-8", "surrogateescape")
    assert config.parse(text).dumps() == text
    assert _as_ref(doc.config(confdir="/nonexistent-pyst-confdir")) == _ref_load(data)


_CHAOS = [b"[", b"]", b"(", b")", b"!", b"+", b",", b"=", b">", b";", b"-", b"--", b";--",
          b"--;", b"\\", b"\\;", b"#", b" ", b"\t", b"\r", b"\n", b"\n", b"\x00", b"a", b"t",
          b"\xc3\xa9", b"\xff", b"include", b"[a]", b"[t](!)", b"[a](+)", b"[c](t)", b"x=1"]


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(_CHAOS), max_size=40).map(b"".join))
def test_view_equals_reference_model_on_byte_soup(data: bytes) -> None:
    data = b"[a]\n" + data
    assert _as_ref(config.parse(data).config(confdir="/nonexistent-pyst-confdir")) == (
        _ref_load(data))


_INCLUDE_LINE = st.sampled_from(
    [b"[a]", b"[b]", b"[t](!)", b"[a](+)", b"[c](t)", b"[c](a)", b"[b](+,a)", b"x=1", b"y+=2",
     b"[broken", b"junk", b";--", b"--;", b"z=x--;c", b"\\", b"[t](+TEMPLATES=include)"]
    + [word + b" " + name for word in (b"#include", b"#tryinclude")
       for name in (b"main.conf", b"a.conf", b'"b.conf"', b"missing.conf")]
)


_INCLUDE_FILE = st.lists(_INCLUDE_LINE, max_size=6).map(lambda ls: b"".join(x + b"\n" for x in ls))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(_INCLUDE_FILE, _INCLUDE_FILE, _INCLUDE_FILE)
def test_includes_equal_reference_model(
    tmp_path_factory: pytest.TempPathFactory, main: bytes, a: bytes, b: bytes
) -> None:
    root = tmp_path_factory.mktemp("inc")
    files = {b"a.conf": a, b"b.conf": b}
    write_files(root, {"main.conf": main, "a.conf": a, "b.conf": b})
    assert _as_ref(config.read(root / "main.conf")) == _ref_load(main, files)


_EDIT_ATOMS = ["[a]", "[b]", "[a](+)", "[t](!)", "[c](t)", "a", "b", "=", "=>", "+=", " ", "\t",
          ";", ";--", "--;", "\\;", "x", "\r\n", "\n", "\n", "\ufeff"]


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(st.sampled_from(_EDIT_ATOMS), min_size=1, max_size=30).map("".join),
    st.sampled_from(["set", "add", "remove", "add_section", "remove_section"]),
    st.sampled_from(["a", "b", "x y", "n--"]),
    st.sampled_from(["x", ";--", "--;", "a;b", ">v", ""]),
    st.integers(0, 5),
)
def test_edit_or_refusal_keeps_tree_and_bytes_consistent(
    source: str, op: str, name: str, value: str, pick: int
) -> None:
    doc = config.parse(source)
    if not doc.sections:
        return
    section = doc.sections[pick % len(doc.sections)]
    edits: dict[str, Callable[[], object]] = {
        "set": lambda: section.set(name, value),
        "add": lambda: section.add(name, value),
        "remove": lambda: section.remove(name),
        "add_section": lambda: doc.add_section(name, after=section),
        "remove_section": lambda: doc.remove_section(section),
    }
    try:
        edits[op]()
    except ConfigEditError:
        assert doc.dumps() == source
        return
    assert meaning(doc.config()) == meaning(config.parse(doc.dumps()).config())

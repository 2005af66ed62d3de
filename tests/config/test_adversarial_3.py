"""Third adversarial round for pyst.config: the node API on odd lines, include/#exec
corners, a small independent reference model of config.c, and performance cliffs.

Tests marked ``xfail(strict=True, reason="BUG: ...")`` expose a real disagreement with
docs/config.md, /work/shared/asterisk/conf-syntax.md or Asterisk's main/config.c; the
others pin down behaviour that is correct today.  Nothing here repeats
tests/config/test_adversarial.py or tests/config/test_adversarial_2.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark import Token, Tree

from pyst import config
from pyst.config import Assignment, Directive, Header
from pyst.config._syntax.grammar import parse_line
from tests.config.helpers import categories, deadline, write_files

# -- helpers -------------------------------------------------------------------------------



def _codes(cfg: config.Config) -> list[str]:
    return [d.code for d in cfg.diagnostics]



def _pieces(line: Assignment) -> str:
    return (
        line.indent + line.raw_name + line.before_operator + line.raw_operator
        + line.after_operator + line.raw_value + line.comment_space + line.comment
        + line.newline
    )


def _line(source: str | bytes, index: int = -1) -> config.Line:
    return list(config.parse(source).lines())[index]




# -- node API: pieces on odd lines (correct today) -----------------------------------------

_ODD_ASSIGNMENTS = [
    ("[c]\n\x0ba = 1\x0c ; x\r\n", "\x0b", "a", "1", "\x0c ; x"),
    ("[c]\n\x0c\ra\x0b=>\x0bv\x0b", "\x0c\r", "a", "v", "\x0b"),
    ("\ufeff  a=1", "\ufeff  ", "a", "1", ""),  # no category: not loaded
    ("[c]\na ;-- x --; = 1\n", "", "a", "1", ""),
    ("[c]\na = 1 ;-- x --; tail ; c\r\n", "", "a", "1  tail", " ; c"),
    ("[c]\n;-- old\nstuff --;  k = v ;c", "stuff --;  ", "k", "v", " ;c"),
    ("[c]\n\\;x\\; = \\;y\\; ;c", "", ";x;", ";y;", " ;c"),
    ("[c]\n\\\\;-- c --;x = 1\n", "", ";-- c --;x", "1", ""),
    ("[c]\na =;-- x --;> 1\n", "", "a", "1", ""),
]


@pytest.mark.parametrize(("source", "indent", "name", "value", "tail"), _ODD_ASSIGNMENTS)
def test_assignment_pieces_on_odd_lines(
    source: str, indent: str, name: str, value: str, tail: str
) -> None:
    line = _line(source)
    assert isinstance(line, Assignment)
    assert _pieces(line) == line.raw
    assert line.indent == indent
    assert (line.name, line.value) == (name, value)
    assert line.comment_space + line.comment == tail
    cfg = config.parse(source).config()
    if not cfg.categories:
        return
    assert cfg.categories[-1].variables[-1].name == name
    assert cfg.categories[-1].variables[-1].value == value


def test_spliced_operator_pieces() -> None:
    line = _line("[c]\na =;-- x --;> 1\n")
    assert isinstance(line, Assignment)
    assert (line.operator, line.raw_operator, line.object) == ("=>", "=;-- x --;>", True)
    line = _line("[c]\na +;-- x --;= 1\n")
    assert isinstance(line, Assignment)
    assert (line.operator, line.raw_operator) == ("+=", "+;-- x --;=")


_PIECE_ATOMS = [
    "[", "]", "(", ")", "!", "+", ",", "=", ">", ";", "-", "--", ";--", "--;", "\\", "\\;",
    "#", " ", "\t", "\r", "\x0b", "\x0c", "\n", "\r\n", "\ufeff", "a", "b", "\u00e9",
    "\udcff", "\x7f", "include",
]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(_PIECE_ATOMS), max_size=30).map("".join))
def test_pieces_concatenate_and_blanks_are_blanks(source: str) -> None:
    blanks = {chr(c) for c in range(0x21)}
    for node in config.parse("[c]\n" + source).lines():
        assert node.raw == node.text + node.newline
        assert set(node.comment_space) <= blanks
        assert node.text.endswith(node.comment_space + node.comment)
        if isinstance(node, Assignment):
            assert _pieces(node) == node.raw


def test_header_name_is_cut_to_79_bytes_not_characters() -> None:
    name = "\u00e9" * 45  # 90 bytes of UTF-8
    for source in ("[" + name + "]\nx=1\n", ("[" + name + "]\nx=1\n").encode()):
        doc = config.parse(source)
        header = doc.sections[0].header
        cut = header.name.encode("utf-8", "surrogateescape")
        assert cut == name.encode()[:79]
        assert header.raw_name == name
        assert doc.config().categories[0].name == header.name


def test_long_names_are_compared_uncut_as_config_c_does() -> None:
    long, cut = "n" * 100, "n" * 79
    assert not config.parse(f"[{long}]\nx=1\n[{long}](+)\ny=1\n").config().loaded
    assert not config.parse(f"[{long}]\nx=1\n[c]({long})\n").config().loaded
    cfg = config.parse(f"[{long}]\nx=1\n[{cut}](+)\ny=1\n[c]({cut})\n").config()
    assert cfg.loaded
    assert categories(cfg) == [(cut, [("x", "1"), ("y", "1")]), ("c", [("x", "1"), ("y", "1")])]
    assert cfg.categories[1].inherits == [cut]


def test_header_properties_on_odd_headers() -> None:
    cases = {
        "\x0b\x0c[a;-- x --;b](t\\;u,!,+f=1) junk ;c\r\n": ("ab", ["t;u"], True, "f=1", " junk"),
        "[a[b]]": ("a[b", [], False, None, "]"),
        "[a=b] (!)": ("a=b", [], False, None, " (!)"),
        "[](,)": ("", ["", ""], False, None, ""),
    }
    for source, (name, parents, template, addition, trailer) in cases.items():
        header = _line(source, 0)
        assert isinstance(header, Header)
        assert (header.name, header.parents, header.template) == (name, parents, template)
        assert (header.addition_filter, header.trailer) == (addition, trailer)


def test_directive_properties_on_odd_lines() -> None:
    cases = {
        '\x0c#INCLUDE\t "a b.conf"\x0b;c\r\n': (
            "INCLUDE", "include", '"a b.conf"', "a b.conf", '"'),
        "#include ;-- x --; <x.conf>": ("include", "include", "<x.conf>", "x.conf", "<"),
        '#include "': ("include", "include", '"', "", '"'),
        "#include <a.conf\"": ("include", "include", '<a.conf"', '<a.conf"', ""),
        "#include=x": ("include=x", "", "", "", ""),
        "#exec a\\;b": ("exec", "exec", "a;b", "a;b", ""),
    }
    for source, (word, directive, argument, path, quote) in cases.items():
        line = _line("[c]\n" + source)
        assert isinstance(line, Directive)
        assert (line.word, line.directive, line.argument) == (word, directive, argument)
        assert (line.path, line.quote) == (path, quote)


# -- The grammar's parse agrees with the properties on lines with comments and escapes ----------


def _tokens(tree: Tree[Token], kind: str) -> list[str]:
    return [str(t) for t in tree.scan_values(lambda v: isinstance(v, Token) and v.type == kind)]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from([*_PIECE_ATOMS, "\x01", "\x80", "&", "t"]), max_size=25)
       .map("".join))
def test_syntax_tree_agrees_with_properties(source: str) -> None:
    for line in config.parse("[c]\n" + source).lines():
        tree = parse_line(line)
        if isinstance(line, Header):
            assert (tree is not None) == (line.closed and line.options_closed)
            if tree is not None:
                assert "".join(_tokens(tree, "CATNAME")) == line.raw_name
                trailer = _tokens(tree, "TRAILER_AFTER_NAME") + _tokens(
                    tree, "TRAILER_AFTER_OPTIONS")
                assert "".join(trailer) == line.trailer
        elif isinstance(line, Assignment):
            if tree is not None:
                assert "".join(_tokens(tree, "OPERATOR")) == line.operator
                assert "".join(_tokens(tree, "VALUE")).strip(
                    "".join(chr(c) for c in range(0x21))) == line.value
        elif isinstance(line, Directive):
            assert tree is not None
            assert "".join(_tokens(tree, "WORD")) == line.word
        else:
            assert tree is None


# -- node API bugs -------------------------------------------------------------------------


def test_bom_on_comment_or_blank_first_line_is_not_comment_text() -> None:
    comment = _line("\ufeff; hi\n[c]\n", 0)
    assert isinstance(comment, config.Comment)
    assert (comment.indent, comment.comment) == ("\ufeff", "; hi")
    blank = _line(b"\xef\xbb\xbf\n[c]\n", 0)
    assert isinstance(blank, config.Blank)
    assert blank.comment == ""


def test_long_line_comment_is_not_the_whole_line() -> None:
    line = _line("[c]\na=" + "x" * 9000 + "\n")
    assert isinstance(line, config.LongLine)
    assert line.comment == ""


# -- includes: comment state, depth, repetition (correct today) ---------------------------


def test_include_inside_block_comment_is_inert(tmp_path: Path) -> None:
    main = write_files(
        tmp_path, {"main.conf": b"[c]\n;-- #include nope.conf\n[hidden]\n--;\nz=1\n"}
    )
    cfg = config.read(main)
    assert cfg.loaded
    assert categories(cfg) == [("c", [("z", "1")])]


def test_include_ending_inside_block_comment_does_not_hide_parent(tmp_path: Path) -> None:
    main = write_files(tmp_path, {
        "main.conf": b"[c]\n#include open.conf\nafter=1\n#include stray.conf\nlast=1\n",
        "open.conf": b"a=1\n;-- never closed\nb=2\n",
        "stray.conf": b"s=x--;c\nhidden=1\n",
    })
    cfg = config.read(main)
    assert cfg.loaded
    assert categories(cfg) == [("c", [("a", "1"), ("after", "1"), ("s", "x--;c"), ("last", "1")])]
    assert _codes(cfg) == ["unterminated-comment", "unterminated-comment"]


def test_include_level_is_not_given_back_after_fatal_includes(tmp_path: Path) -> None:
    files = {f"bad{i}.conf": b"[broken\n" for i in range(10)}
    files["good.conf"] = b"g=1\n"
    body = "".join(f"#include bad{i}.conf\n" for i in range(10))
    files["main.conf"] = ("[c]\n" + body + "#include good.conf\nafter=1\n").encode()
    cfg = config.read(write_files(tmp_path, files))
    assert not cfg.loaded
    assert categories(cfg) == [("c", [])]
    assert _codes(cfg)[-2:] == ["include-depth", "include-missing"]
    # nine fatal includes leave exactly one level: the good include still works
    del files["bad9.conf"]
    files["main.conf"] = ("[c]\n" + body.replace("#include bad9.conf\n", "")
                          + "#include good.conf\nafter=1\n").encode()
    for leftover in tmp_path.iterdir():
        leftover.unlink()
    cfg = config.read(write_files(tmp_path, files))
    assert cfg.loaded
    assert categories(cfg) == [("c", [("g", "1"), ("after", "1")])]


def test_repeated_include_reads_again_and_warns(tmp_path: Path) -> None:
    main = write_files(tmp_path, {
        "main.conf": b"[c]\n#include ok.conf\n#include \"ok.conf\"\n#include <ok.conf>\nz=1\n",
        "ok.conf": b"y=1\n[ic]\n",
    })
    cfg = config.read(main)
    assert cfg.loaded
    assert categories(cfg) == [
        ("c", [("y", "1"), ("z", "1")]), ("ic", [("y", "1")]), ("ic", [("y", "1")]), ("ic", [])]
    repeated = [d for d in cfg.diagnostics if d.code == "include-repeated"]
    assert [d.line for d in repeated] == [3, 4]
    assert "ok.conf~~1" in repeated[0].message and "ok.conf~~2" in repeated[1].message


# -- #exec with exec_includes=True (correct today) ----------------------------------------


def test_exec_output_is_parsed_in_current_category() -> None:
    source = "[c]\n#exec printf '[n]\\nq=1\\n'\nafter=1\n"
    cfg = config.parse(source).config(exec_includes=True)
    assert cfg.loaded
    assert categories(cfg) == [("c", [("after", "1")]), ("n", [("q", "1")])]
    assert _codes(cfg) == []


def test_exec_stderr_status_and_empty_output_are_warnings() -> None:
    # (Asterisk appends '2>&1 > tmpfile' to the command: only a child's stderr is logged)
    source = "[c]\n#exec sh -c 'echo oops >&2\\; exit 3'\nz=1\n"
    cfg = config.parse(source).config(exec_includes=True)
    assert cfg.loaded
    assert categories(cfg) == [("c", [("z", "1")])]
    assert _codes(cfg) == ["exec-stderr", "exec-status", "exec-no-output"]


def test_failing_include_inside_exec_output_only_ends_the_output(tmp_path: Path) -> None:
    source = "[c]\n#exec printf 'v=1\\n#include nope.conf\\nq=1\\n'\nafter=1\n"
    cfg = config.parse(source).config(confdir=tmp_path, exec_includes=True)
    assert cfg.loaded
    assert categories(cfg) == [("c", [("v", "1"), ("after", "1")])]
    assert _codes(cfg) == ["include-missing"]


# -- #exec: Asterisk runs popen("<cmd> 2>&1 > <tmpfile>") and then #includes the file -----


@pytest.mark.parametrize("tail", ["|| true", "# generate peers"])
def test_exec_redirection_applies_to_last_command_only(tmp_path: Path, tail: str) -> None:
    local = tmp_path / "local.conf"
    local.write_bytes(b"x=1\n")
    cfg = config.parse(f"[c]\n#exec cat {local} {tail}\n").config(exec_includes=True)
    assert not cfg.loaded
    assert "include-missing" in _codes(cfg)


def test_exec_and_list_only_last_command_output_is_config() -> None:
    cfg = config.parse("[c]\n#exec echo x=1 && echo y=2\n").config(exec_includes=True)
    assert categories(cfg) == [("c", [("y", "2")])]


def test_exec_command_over_buffer_is_fatal() -> None:
    command = "echo x=" + "a" * 1000
    cfg = config.parse(f"[c]\n#exec {command}\nz=1\n").config(exec_includes=True)
    assert not cfg.loaded
    assert categories(cfg) == [("c", [])]


def test_exec_does_not_count_as_include_of_same_name(tmp_path: Path) -> None:
    main = write_files(tmp_path, {"main.conf": b"[c]\n#exec cat ok.conf\n#include cat ok.conf\n",
                             "cat ok.conf": b"y=1\n"})
    cfg = config.Loader(exec_includes=True).load_path(main)
    assert "include-repeated" not in _codes(cfg)


# -- Asterisk hangs: not a fatal error local to an include --------------------------------


@pytest.mark.parametrize("included", [b"x=1\n" + b";--" * 129 + b"\n", b"[a]\nx=1\n[a](+,a)\n"])
def test_hang_inside_include_does_not_load(tmp_path: Path, included: bytes) -> None:
    main = write_files(tmp_path, {"main.conf": b"[c]\n#include inc.conf\nafter=1\n",
                             "inc.conf": included})
    assert not config.read(main).loaded


def test_128_nested_comments_are_fine_129_are_not() -> None:
    ok = "[c]\n" + ";--\n" * 128 + "--;\n" * 128 + "z=1\n"
    cfg = config.parse(ok).config()
    assert cfg.loaded and categories(cfg) == [("c", [("z", "1")])]
    # '--;--;' is an open followed by a close: ';' then '--' opens first
    cfg = config.parse("[c]\n" + ";--" * 128 + "\n" + "--;" * 2 + "\n").config()
    assert not cfg.loaded
    assert "comment-nesting-limit" in _codes(cfg)


def test_include_path_longer_than_255_bytes_is_cut(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 200) / ("e" * 60)
    deep.mkdir(parents=True)
    (deep / "f.conf").write_bytes(b"deep=1\n")
    assert len(str(deep / "f.conf").encode()) > 255
    main = write_files(tmp_path, {"main.conf": f"[c]\n#include {deep / 'f.conf'}\n".encode()})
    assert not config.read(main).loaded


# -- semantics corners (correct today) -----------------------------------------------------


def test_templates_restrict_and_templates_of_templates() -> None:
    cfg = config.parse(
        "[t](!)\nx=1\n[t]\nn=1\n[t](+TEMPLATES=restrict)\ny=1\n[u](!,t)\nz=2\n[c](u)\n"
        "[u](+TEMPLATES=restrict)\nlate=1\n"
    ).config()
    assert cfg.loaded
    assert [(c.name, c.template, c.inherits) for c in cfg.categories] == [
        ("t", True, []), ("t", False, []), ("u", True, ["t"]), ("c", False, ["u"])]
    assert categories(cfg)[3] == ("c", [("x", "1"), ("y", "1"), ("z", "2")])
    assert not config.parse("[c]\nx=1\n[c](+TEMPLATES=restrict)\n").config().loaded
    assert not config.parse("[t](!)\n[t](+TEMPLATES=bogus)\n").config().loaded


def test_odd_names_and_empty_names() -> None:
    cfg = config.parse(
        "[a=b]\nx=1\n[a[b]\n[ s ]\n[]\ne=1\n[c](a=b,a[b)\n[](+)\nadded=1\n[d]()\n"
    ).config()
    assert cfg.loaded
    assert categories(cfg) == [
        ("a=b", [("x", "1"), ("added", "1")]), ("a[b", []), (" s ", []), ("", [("e", "1")]),
        ("c", [("x", "1")]), ("d", [("x", "1"), ("added", "1")])]


def test_variables_named_like_directives() -> None:
    cfg = config.parse("[c]\ninclude=1\n#include=2\n\\#include=3\nexec => 4\n"
                       "#tryinclude\n").config()
    assert cfg.loaded
    assert categories(cfg) == [("c", [("include", "1"), ("#include", "3"), ("exec", "4")])]
    assert _codes(cfg) == ["unknown-directive", "directive-needs-argument"]


# -- a small independent reference model of config.c, over bytes --------------------------


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


# -- performance ---------------------------------------------------------------------------


def test_section_read_with_many_append_lines_is_not_quadratic() -> None:
    n = 2500
    source = "[c]\n" + "".join(f"v{i}=1\n" for i in range(n)) + "".join(
        f"v{i}+=2\n" for i in range(n))
    doc = config.parse(source)
    assert doc.config().categories[0].variables[0].value == "12"
    with deadline(1.0):
        assert doc["c"]["v0"] == "12"


# -- exceptions outside the ConfigError hierarchy ------------------------------------------


@pytest.mark.parametrize("directive", ["#include", "#tryinclude"])
def test_glob_include_with_lone_surrogate_folder_does_not_raise(
    tmp_path: Path, directive: str
) -> None:
    cfg = config.parse(f"[c]\n{directive} \ud800/*.conf\nz=1\n").config(confdir=tmp_path)
    assert cfg.loaded == (directive == "#tryinclude")


def test_plain_include_with_lone_surrogate_is_missing(tmp_path: Path) -> None:
    cfg = config.parse("[c]\n#include \ud800.conf\n").config(confdir=tmp_path)
    assert not cfg.loaded
    assert _codes(cfg) == ["include-missing"]


def test_path_with_nul_byte_is_not_found(tmp_path: Path) -> None:
    path = str(tmp_path / "a\0b.conf")
    cfg = config.read(path)
    assert not cfg.loaded
    assert _codes(cfg) == ["file-not-found"]
    with pytest.raises(config.ConfigIOError):
        config.load(path)


# -- #exec diagnostics ---------------------------------------------------------------------


def test_exec_diagnostics_point_at_indented_directive() -> None:
    cfg = config.parse("[c]\n   #exec exit 1\n").config(exec_includes=True)
    assert [(d.code, d.line, d.column) for d in cfg.diagnostics] == [
        ("exec-status", 2, 4), ("exec-no-output", 2, 4)]


def test_exec_stderr_lines_end_at_lf_only() -> None:
    source = "[c]\n#exec sh -c \"printf 'a\\rb\\fc\\n' >&2\"\n"
    cfg = config.parse(source).config(exec_includes=True)
    stderr = [d.message for d in cfg.diagnostics if d.code == "exec-stderr"]
    assert len(stderr) == 1
    assert stderr[0].endswith("a\rb\x0cc")


# -- (+filter) splitting: ast_strsep's backslash rule --------------------------------------


def test_filter_backslash_after_escape_does_not_escape_separator() -> None:
    cfg = config.parse("[c]\nx=.&y\n[c](+x=\\.\\&y)\nz=1\n").config()
    assert not cfg.loaded
    assert "category-addition-missing" in _codes(cfg)


def test_filter_with_eight_nested_quotes_matches_like_empty_filter() -> None:
    cfg = config.parse("[c]\nx=1\n[c](+x=\"'\"'\"'\"'zzz)\nz=1\n").config()
    assert cfg.loaded
    assert categories(cfg) == [("c", [("x", "1"), ("z", "1")])]


# -- (+filter) regexes run in Asterisk's locale --------------------------------------------
# main/asterisk.c calls setlocale(LC_ALL, "C.UTF-8") at start-up, so regcomp/regexec read
# names and values as UTF-8 (checked with glibc 2.36's regcomp/regexec through ctypes).


@pytest.mark.parametrize(("value", "regex"), [
    ("\u00e9", "^[[:alpha:]]$"), ("\u00c9", "^[[:upper:]]$"), ("\u00e9t\u00e9", "^[[:lower:]]+$"),
])
def test_filter_posix_classes_are_unicode_in_c_utf8(value: str, regex: str) -> None:
    cfg = config.parse(f"[c]\nx={value}\n[c](+x={regex})\nz=1\n".encode()).config()
    assert cfg.loaded


def test_filter_dot_does_not_match_invalid_utf8_byte() -> None:
    cfg = config.parse(b"[c]\nx=\xff\n[c](+x=^.$)\nz=1\n").config()
    assert not cfg.loaded


def test_name_lookups_with_wrong_type_raise_type_error() -> None:
    doc = config.parse("[c]\nx=1\n")
    cfg = doc.config()
    section = doc["c"]
    for lookup in (cfg.category, cfg.categories_named, cfg.categories[0].get,
                   doc.sections_named, section.get, section.get_all, section.__getitem__):
        with pytest.raises(TypeError):
            lookup(1)  # type: ignore[arg-type]


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

"""``#include`` and ``#tryinclude``: which files are read, and
how their lines join the current load.

Covers the current category across includes, paths relative to confdir, quotes, globs and
``{a,b}`` braces (checked against glibc's glob when on Linux), missing and non-regular files,
block comments crossing file boundaries, fatal errors local to an included file, the include
depth limit and repeated includes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from pathlib import Path

import pytest

from pyst import config
from tests.config.helpers import categories, diagnostic_codes, write_file, write_files

# -- the current category and file names ---------------------------------------------------


def test_include_continues_the_current_category(tmp_path: Path) -> None:
    write_file(tmp_path, "inc.conf", "included = yes\n[fromcat]\nx = 1\n")
    write_file(tmp_path, "bare.conf", "bare = 1\n")
    main = write_file(
        tmp_path, "main.conf",
        "[first]\na = 1\n#include inc.conf\nafter = 2\n#INCLUDE \"bare.conf\"\n",
    )
    result = config.read(main)
    assert result.loaded
    assert [(c.name, c.items()) for c in result] == [
        ("first", [("a", "1"), ("included", "yes"), ("after", "2")]),
        ("fromcat", [("x", "1"), ("bare", "1")]),
    ]
    assert result.categories[0].variables[1].file == str(tmp_path / "inc.conf")


def test_include_after_nested_header_keeps_own_category(tmp_path: Path) -> None:
    main = write_files(tmp_path, {
        "main.conf": b"[first]\na=1\n#include inc.conf\nafter=2\n#include bare.conf\n",
        "inc.conf": b"[fromcat]\n",
        "bare.conf": b"bare=3\n",
    })
    assert categories(config.read(main)) == [
        ("first", [("a", "1"), ("after", "2")]), ("fromcat", [("bare", "3")])]


def test_include_paths_resolve_against_confdir(tmp_path: Path) -> None:
    write_file(tmp_path, "sibling.conf", "where = confdir\n")
    write_file(tmp_path, "sub/sibling.conf", "where = subdir\n")
    write_file(tmp_path, "sub/inner.conf", "#include sibling.conf\n")
    main = write_file(tmp_path, "main.conf", "[c]\n#include <sub/inner.conf>\n")
    assert [c.items() for c in config.read(main)] == [[("where", "confdir")]]


def test_include_relative_to_confdir_not_including_file(tmp_path: Path) -> None:
    main = write_files(tmp_path, {
        "main.conf": b"[c]\n#include inc/sub/nested.conf\n",
        "inc/sub/nested.conf": b"#include sibling.conf\n",
        "sibling.conf": b"top=1\n",
        "inc/sub/sibling.conf": b"wrong=1\n",
    })
    assert categories(config.read(main)) == [("c", [("top", "1")])]


def test_unbalanced_quote_stays_in_the_file_name(tmp_path: Path) -> None:
    write_file(tmp_path, "foo.conf", "a = 1\n")
    main = write_file(tmp_path, "main.conf", '[c]\n#include "foo.conf\n')
    result = config.read(main)
    assert not result.loaded
    assert "'\"foo.conf'" in result.diagnostics[0].message


def test_include_path_longer_than_255_bytes_is_cut(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 200) / ("e" * 60)
    deep.mkdir(parents=True)
    (deep / "f.conf").write_bytes(b"deep=1\n")
    assert len(str(deep / "f.conf").encode()) > 255
    main = write_files(tmp_path, {"main.conf": f"[c]\n#include {deep / 'f.conf'}\n".encode()})
    assert not config.read(main).loaded


def test_plain_include_with_lone_surrogate_is_missing(tmp_path: Path) -> None:
    cfg = config.parse("[c]\n#include \ud800.conf\n").config(confdir=tmp_path)
    assert not cfg.loaded
    assert diagnostic_codes(cfg) == ["include-missing"]


# -- missing and non-regular files ---------------------------------------------------------


def test_tryinclude_of_a_missing_file_is_silent(tmp_path: Path) -> None:
    main = write_file(tmp_path, "main.conf", "[c]\n#tryinclude nothing/*.conf\na = 1\n")
    result = config.read(main)
    assert result.loaded and result.diagnostics == []


def test_missing_include_is_fatal_tryinclude_is_not(tmp_path: Path) -> None:
    main = write_files(
        tmp_path, {"main.conf": b"[c]\n#tryinclude nope*.conf\na=1\n#include nope.conf\n"})
    cfg = config.read(main)
    assert not cfg.loaded
    assert categories(cfg) == [("c", [("a", "1")])]
    assert [d.code for d in cfg.diagnostics] == ["include-missing"]


def test_fifo_include_is_not_a_regular_file(tmp_path: Path) -> None:
    main = write_files(tmp_path, {"main.conf": b"[c]\n#tryinclude pipe.conf\nx=1\n"})
    os.mkfifo(tmp_path / "pipe.conf")
    cfg = config.read(main)
    assert cfg.loaded
    assert [d.code for d in cfg.diagnostics] == ["not-regular-file"]
    assert categories(cfg) == [("c", [("x", "1")])]


# -- globs and braces ----------------------------------------------------------------------


def test_include_globs_and_braces(tmp_path: Path) -> None:
    write_file(tmp_path, "d/b.conf", "b = 1\n")
    write_file(tmp_path, "d/a.conf", "a = 1\n")
    write_file(tmp_path, "x.conf", "x = 1\n")
    write_file(tmp_path, "y.conf", "y = 1\n")
    main = write_file(tmp_path, "main.conf", "[c]\n#include d/*.conf\n#include {y,x}.conf\n")
    assert [c.items() for c in config.read(main)] == [
        [("a", "1"), ("b", "1"), ("y", "1"), ("x", "1")]
    ]


def test_glob_include_carries_comment_depth(tmp_path: Path) -> None:
    main = write_files(tmp_path, {
        "main.conf": b"[m]\n#include g/*.conf\n",
        "g/a.conf": b"a=1\n;-- open\n",
        "g/b.conf": b"b=2\n",
    })
    assert categories(config.read(main)) == [("m", [("a", "1")])]


def test_glob_include_line_numbers_continue(tmp_path: Path) -> None:
    main = write_files(tmp_path, {
        "main.conf": b"[m]\n#include g/*.conf\n",
        "g/a.conf": b"a=1\nx\n",
        "g/b.conf": b"b=2\nnoeq\n",
    })
    cfg = config.read(main)
    assert [(d.code, Path(d.file).name, d.line) for d in cfg.diagnostics] == [
        ("no-equals", "a.conf", 2), ("no-equals", "b.conf", 4)]
    assert [v.line for v in cfg.categories[0].variables] == [1, 3]


def test_glob_include_second_file_bom_is_data(tmp_path: Path) -> None:
    main = write_files(tmp_path, {
        "main.conf": b"[m]\n#include g/*.conf\n",
        "g/a.conf": b"a=1\n",
        "g/b.conf": b"\xef\xbb\xbf[b]\nb=2\n",
    })
    assert categories(config.read(main)) == [("m", [("a", "1"), ("b", "2")])]


def test_glob_include_next_file_continues_previous_files_category(tmp_path: Path) -> None:
    main = write_files(tmp_path, {
        "main.conf": b"[m]\n#include g/*.conf\n",
        "g/a.conf": b"[x]\n#include sub.conf\n",
        "sub.conf": b"[y]\n",
        "g/b.conf": b"b=2\n",
    })
    assert categories(config.read(main)) == [("m", []), ("x", [("b", "2")]), ("y", [])]


@pytest.mark.parametrize("directive", ["#include", "#tryinclude"])
def test_glob_include_with_lone_surrogate_folder_does_not_raise(
    tmp_path: Path, directive: str
) -> None:
    cfg = config.parse(f"[c]\n{directive} \ud800/*.conf\nz=1\n").config(confdir=tmp_path)
    assert cfg.loaded == (directive == "#tryinclude")


def test_include_single_alternative_brace(tmp_path: Path) -> None:
    main = write_files(tmp_path, {"main.conf": b"[c]\n#include {inc}.conf\n", "inc.conf": b"y=2\n"})
    cfg = config.read(main)
    assert cfg.loaded
    assert categories(cfg) == [("c", [("y", "2")])]


def test_include_brace_alternatives_skip_missing(tmp_path: Path) -> None:
    main = write_files(tmp_path, {
        "main.conf": b"[c]\n#include {a,zz,b}.conf\n", "a.conf": b"a=1\n", "b.conf": b"b=2\n"})
    cfg = config.read(main)
    assert cfg.loaded
    assert categories(cfg) == [("c", [("a", "1"), ("b", "2")])]


def test_include_braces_still_expand_in_order(tmp_path: Path) -> None:
    for name in ("ab", "b", "ac"):
        (tmp_path / f"{name}.conf").write_text(f"[{name}]\n")
    text = '[c]\n#include "{a{c,b},b,{}}.conf"\n'
    cfg = config.parse(text, path=str(tmp_path / "main.conf")).config()
    assert [c.name for c in cfg] == ["c", "ac", "ab", "b"]


class _GlobT(ctypes.Structure):
    _fields_ = [
        ("pathc", ctypes.c_size_t),
        ("pathv", ctypes.POINTER(ctypes.c_char_p)),
        ("offs", ctypes.c_size_t),
        ("flags", ctypes.c_int),
        ("rest", ctypes.c_void_p * 8),
    ]


def _libc_glob(pattern: str) -> list[str]:
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    result = _GlobT()
    flags = (1 << 10) | (1 << 11)  # GLOB_BRACE | GLOB_NOMAGIC, as config.c asks
    if libc.glob(pattern.encode(), flags, None, ctypes.byref(result)) != 0:
        return []
    try:
        return [result.pathv[i].decode() for i in range(result.pathc)]
    finally:
        libc.globfree(ctypes.byref(result))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs glibc glob()")
@pytest.mark.parametrize(
    "pattern", ["x{}y.conf", "{}{a,b}.conf", "{a{c,b},b,{}}.conf", "{x,}y.conf", "{a,{b}}.conf"]
)
def test_include_braces_expand_as_glibc_glob(tmp_path: Path, pattern: str) -> None:
    from pyst.config._semantics.loader import _expand

    for name in ("xy", "x{}y", "b", "{}b", "ab", "ac", "y", ".conf"):
        (tmp_path / f"{name}.conf").write_text("")
    full = f"{tmp_path}/{pattern}"
    ours = [name for name in _expand(full) if os.path.exists(name)]
    assert ours == _libc_glob(full)


def test_include_brace_explosion_is_reported_not_expanded(tmp_path: Path) -> None:
    # Forty {a,b} groups stand for 2**40 names: glob() tries each, so Asterisk never
    # finishes; expanding them all used to hang the loader as well.
    (tmp_path / "a.conf").write_text("[x]\ny=1\n")
    text = "[c]\n#tryinclude " + "{a,b}" * 40 + ".conf\n"
    cfg = config.parse(text, path=str(tmp_path / "main.conf")).config()
    assert not cfg.loaded
    assert [d.code for d in cfg.diagnostics] == ["include-too-many-names"]


# -- block comments across files -----------------------------------------------------------


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
    assert diagnostic_codes(cfg) == ["unterminated-comment", "unterminated-comment"]


# -- fatal errors and the include depth ----------------------------------------------------


def test_fatal_error_inside_an_include_only_ends_that_file(tmp_path: Path) -> None:
    write_file(tmp_path, "broken.conf", "ok = 1\n[bad\nlost = 1\n")
    main = write_file(tmp_path, "main.conf", "[c]\n#include broken.conf\nafter = 1\n")
    result = config.read(main)
    assert result.loaded
    assert result.categories[0].items() == [("ok", "1"), ("after", "1")]
    assert [d.code for d in result.diagnostics] == ["no-closing-bracket"]


def test_fatal_error_inside_include_only_ends_that_file(tmp_path: Path) -> None:
    main = write_files(tmp_path, {
        "main.conf": b"[c]\n#include bad.conf\nafter=1\n",
        "bad.conf": b"in=1\n[broken\nlost=1\n",
    })
    cfg = config.read(main)
    assert cfg.loaded
    assert categories(cfg) == [("c", [("in", "1"), ("after", "1")])]
    assert [d.code for d in cfg.diagnostics] == ["no-closing-bracket"]


def test_include_level_is_not_given_back_after_fatal_includes(tmp_path: Path) -> None:
    files = {f"bad{i}.conf": b"[broken\n" for i in range(10)}
    files["good.conf"] = b"g=1\n"
    body = "".join(f"#include bad{i}.conf\n" for i in range(10))
    files["main.conf"] = ("[c]\n" + body + "#include good.conf\nafter=1\n").encode()
    cfg = config.read(write_files(tmp_path, files))
    assert not cfg.loaded
    assert categories(cfg) == [("c", [])]
    assert diagnostic_codes(cfg)[-2:] == ["include-depth", "include-missing"]
    # nine fatal includes leave exactly one level: the good include still works
    del files["bad9.conf"]
    files["main.conf"] = ("[c]\n" + body.replace("#include bad9.conf\n", "")
                          + "#include good.conf\nafter=1\n").encode()
    for leftover in tmp_path.iterdir():
        leftover.unlink()
    cfg = config.read(write_files(tmp_path, files))
    assert cfg.loaded
    assert categories(cfg) == [("c", [("g", "1"), ("after", "1")])]


@pytest.mark.parametrize("included", [b"x=1\n" + b";--" * 129 + b"\n", b"[a]\nx=1\n[a](+,a)\n"])
def test_hang_inside_include_does_not_load(tmp_path: Path, included: bytes) -> None:
    main = write_files(tmp_path, {"main.conf": b"[c]\n#include inc.conf\nafter=1\n",
                             "inc.conf": included})
    assert not config.read(main).loaded


def test_self_include_stops_at_the_depth_limit(tmp_path: Path) -> None:
    main = write_file(tmp_path, "self.conf", "[c]\n#include self.conf\n")
    result = config.read(main)
    assert result.loaded
    assert len(result.categories) == 11
    assert "include-depth" in [d.code for d in result.diagnostics]


def test_self_include_stops_at_depth_limit(tmp_path: Path) -> None:
    main = write_files(tmp_path, {"main.conf": b"[a]\n#include main.conf\nb=1\n"})
    cfg = config.read(main)
    assert cfg.loaded
    assert [len(c.variables) for c in cfg.categories] == [1] * 10 + [0]
    assert "include-depth" in [d.code for d in cfg.diagnostics]


# -- repeated includes ---------------------------------------------------------------------


def test_repeated_include_warns(tmp_path: Path) -> None:
    write_file(tmp_path, "inc.conf", "a = 1\n")
    main = write_file(tmp_path, "main.conf", "[c]\n#include inc.conf\n#include inc.conf\n")
    result = config.read(main)
    assert result.categories[0].items() == [("a", "1"), ("a", "1")]
    assert [d.code for d in result.diagnostics] == ["include-repeated"]


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

"""``(+filter)`` additions: which category a filtered addition
reaches.

Covers the filter terms and the ``TEMPLATES`` keyword, how ast_strsep splits and unquotes the
terms (checked against the C function when gcc is there), and what the POSIX regexes in a
filter match in Asterisk's C.UTF-8 locale.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyst import config
from tests.config.helpers import categories, diagnostic_codes, loaded, view

# -- filter terms --------------------------------------------------------------------------


def test_addition_filter_picks_the_matching_instance() -> None:
    source = (
        "[6001]\ntype = auth\n[6001]\ntype = endpoint\ntransport = udp\n"
        "[6001](+type=end.*&transport=udp)\ncallerid = x\n"
    )
    assert view(source) == [
        ("6001", [("type", "auth")]),
        ("6001", [("type", "endpoint"), ("transport", "udp"), ("callerid", "x")]),
    ]


def test_addition_filter_that_matches_nothing_is_fatal() -> None:
    result = loaded("[c]\ntype = aor\n[c](+type=endpoint)\n")
    assert not result.loaded
    assert [d.code for d in result.diagnostics] == ["category-addition-missing"]


def test_filter_terms_and_templates_keyword() -> None:
    cfg = loaded(
        "[o]\ntype=aor\n[o]\ntype=endpoint\ntransport=udp\n"
        "[o](+type=end.*&transport=udp)\nz=1\n[t](!)\n[t](+TEMPLATES=include)\nw=2\n"
    )
    assert cfg.loaded
    assert categories(cfg) == [
        ("o", [("type", "aor")]),
        ("o", [("type", "endpoint"), ("transport", "udp"), ("z", "1")]),
        ("t", [("w", "2")]),
    ]


def test_filter_lone_quote_is_empty_regex() -> None:
    cfg = loaded('[c]\nx=1\n[c](+x=")\ny=2\n')
    assert cfg.loaded
    assert categories(cfg) == [("c", [("x", "1"), ("y", "2")])]


def test_filter_backslash_after_escape_does_not_escape_separator() -> None:
    cfg = config.parse("[c]\nx=.&y\n[c](+x=\\.\\&y)\nz=1\n").config()
    assert not cfg.loaded
    assert "category-addition-missing" in diagnostic_codes(cfg)


def test_filter_with_eight_nested_quotes_matches_like_empty_filter() -> None:
    cfg = config.parse("[c]\nx=1\n[c](+x=\"'\"'\"'\"'zzz)\nz=1\n").config()
    assert cfg.loaded
    assert categories(cfg) == [("c", [("x", "1"), ("z", "1")])]


# -- splitting: ast_strsep's quotes and backslashes ----------------------------------------


_STRSEP_C = r"""
#include <stdio.h>
#include <string.h>
#include <stdint.h>
static char *skip(char *s) { while (*s && ((unsigned char)*s) < 33) s++; return s; }
static char *strip(char *s) {
    char *w; s = skip(s); w = s + strlen(s) - 1;
    while (w >= s && ((unsigned char)*w) < 33) *(w--) = '\0';
    return s;
}
static char *strip_quoted(char *s) {
    const char *b = "'\"", *q; char *e; s = strip(s);
    if ((q = strchr(b, *s)) && *q != '\0') { e = s + strlen(s) - 1;
        if (*e == *q) { s++; *e = '\0'; } }
    return s;
}
/* main/utils.c ast_strsep with AST_STRSEP_STRIP */
static char *ast_strsep(char **iss, const char sep) {
    char *st = *iss; char *is; int inquote = 0; int found = 0; char stack[8];
    if (!st || !*st) { *iss = NULL; return st; }
    memset(stack, 0, sizeof(stack));
    for (is = st; *is; is++) {
        if (*is == '\\') { if (*++is != '\0') { is++; } else { break; } }
        if (*is == '\'' || *is == '"') {
            if (*is == stack[inquote]) { stack[inquote--] = '\0'; }
            else { if (++inquote >= (int)sizeof(stack)) { return NULL; } stack[inquote] = *is; }
        }
        if (*is == sep && !inquote) { *is = '\0'; found = 1; *iss = is + 1; break; }
    }
    if (!found) { *iss = NULL; }
    return strip_quoted(st);
}
int main(int argc, char **argv) {
    static char buf[8192]; char *p = buf, *t;
    (void)argc; strcpy(buf, argv[1]);
    while ((t = ast_strsep(&p, argv[2][0]))) { fputs(t, stdout); fputc(0, stdout); }
    return 0;
}
"""


@pytest.fixture(scope="module")
def strsep_harness(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc is not installed")
    folder = tmp_path_factory.mktemp("strsep")
    (folder / "h.c").write_text(_STRSEP_C)
    binary = folder / "h"
    result = subprocess.run(
        [gcc, "-O0", "-o", str(binary), str(folder / "h.c")], capture_output=True, check=False
    )
    if result.returncode:
        pytest.skip("cannot compile the ast_strsep harness")
    return binary


def _c_strsep(binary: Path, text: str, separator: str) -> list[str]:

    out = subprocess.run(
        [str(binary), text, separator], capture_output=True, check=True
    ).stdout
    return [piece.decode() for piece in out.split(b"\0")[:-1]]


_STRSEP_CASES = [
    ("a,b\\,c,\"d,e\"", ","),
    ("a\\b\\,c", ","),
    ("'a,\"b',c", ","),
    ("\"\"\"\"\"\"\"\"\"x,y", ","),
    ("'''''''',z", ","),
    (" ' q ' , x ", ","),
    ("a\\", ","),
    ("\"", ","),
    ("x=1&y='2&3'&z", "&"),
    ("a=b=c", "="),
    (",,", ","),
]


@pytest.mark.parametrize(("text", "separator"), _STRSEP_CASES)
def test_strsep_agrees_with_the_c(strsep_harness: Path, text: str, separator: str) -> None:
    from pyst.config._semantics.loader import strsep_strip

    assert strsep_strip(text, separator) == _c_strsep(strsep_harness, text, separator)


@settings(max_examples=60, deadline=None)
@given(st.text(st.sampled_from([*"ab,\\'\" &="]), min_size=1, max_size=12))
def test_strsep_agrees_with_the_c_generated(strsep_harness: Path, text: str) -> None:
    from pyst.config._semantics.loader import strsep_strip

    assert strsep_strip(text, ",") == _c_strsep(strsep_harness, text, ",")


def test_strsep_backslash_skips_one_byte_of_a_multibyte_char() -> None:
    from pyst.config._semantics.loader import strsep_strip

    assert strsep_strip("\\é\\,b", ",") == ["\\é\\,b"]


def test_filter_with_backslash_before_multibyte_char_loads() -> None:
    cfg = config.parse("[a]\ny=é&z\n[a](+y=\\é\\&z)\nq=1\n").config()
    assert cfg.loaded
    assert cfg["a"].items() == [("y", "é&z"), ("q", "1")]


# -- the regexes of a filter ---------------------------------------------------------------


def test_addition_filters_accept_posix_classes() -> None:
    source = "[p]\ntype = aor\n[p]\ntype = endpoint2\n[p](+type=[[:alpha:]]+[[:digit:]])\nx = 1\n"
    assert view(source)[1] == ("p", [("type", "endpoint2"), ("x", "1")])


def test_filter_regex_double_star_is_valid_ere() -> None:
    cfg = loaded("[c]\nx=a\n[c](+x=a**)\ny=1\n")
    assert cfg.loaded
    assert categories(cfg) == [("c", [("x", "a"), ("y", "1")])]


def test_filter_regex_backslash_d_is_not_digit() -> None:
    cfg = loaded("[c]\nx=5\n[c](+x=\\d)\ny=1\n")
    assert not cfg.loaded


def test_filter_regex_bare_posix_class_is_a_bracket_set() -> None:
    cfg = loaded("[c]\nx=p\n[c](+x=[:alpha:])\ny=1\n")
    assert cfg.loaded


def test_filter_regex_huge_repeat_count_does_not_crash() -> None:
    cfg = loaded("[c]\nx=a\n[c](+x=a{99999999999})\ny=1\n")
    assert not cfg.loaded
    assert "bad-regex" in [d.code for d in cfg.diagnostics]


def test_filter_regex_lone_brace_is_invalid_ere() -> None:
    cfg = loaded("[c]\nx=a{\n[c](+x=a{)\ny=1\n")
    assert not cfg.loaded


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

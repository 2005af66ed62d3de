r"""The lexer: what of each physical line Asterisk's loader gets to see.

Covers the comment scanner (``;`` comments, ``\;`` escapes, ``;-- --;`` block comments on one
line and across lines, stray closes, the 128-level nesting limit, checked against a literal
transliteration of config.c's loop), line breaks (LF, CRLF, a lone CR, no final newline), the
byte-order mark, bytes that are not UTF-8, NUL bytes, and the 8190-byte line limit.
"""

from __future__ import annotations

import pytest
from hypothesis import given

from pyst import config
from pyst.config._syntax.lexer import BLANKS
from tests.config.helpers import FAST, TEXT, categories, diagnostic_codes, line_of, loaded, view

# -- comments and block comments -----------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ('a = "foo;bar"', '"foo'),  # quotes do not protect ';'
        ("a = x\\;y", "x;y"),  # \; is a literal ;
        ("a = x\\\\;y", "x\\;y"),  # \\; gives \; and no comment
        ("a = back\\slash", "back\\slash"),  # no other escapes
        ("a = 1 ;-- x --; tail", "1  tail"),  # same-line block comment is spliced out
        ("a = 1 ;--- plain", "1"),  # three dashes: a plain comment
        ("a = 1 # not a comment", "1 # not a comment"),
        ("a = 1 ;-- x ;-- y --; z --; tail", "1  tail"),  # nested on one line
        ("a = before\0after", "before"),  # everything after NUL is invisible
        ("a = b\rc", "b\rc"),  # an inner CR stays
    ],
)
def test_comment_removal(line: str, value: str) -> None:
    assert view(f"[c]\n{line}\n") == [("c", [("a", value)])]


def test_block_comment_can_split_a_name_from_its_operator() -> None:
    assert view("[c]\nd ;-- c --;= 4\n") == [("c", [("d", "4")])]


def test_escaped_backslash_semicolon_and_spliced_block_comment() -> None:
    cfg = loaded("[c]\na = x\\\\;y\nb = 1 ;-- x --; tail\nd ;-- c --;= 4\n")
    assert categories(cfg) == [("c", [("a", "x\\;y"), ("b", "1  tail"), ("d", "4")])]


def test_multiline_block_comment_hides_headers_and_directives() -> None:
    source = "[c]\na = 1 ;-- start\n[hidden]\n#include nowhere.conf\nb = 2\nend --; c = 3\nd = 4\n"
    assert view(source) == [("c", [("a", "1"), ("c", "3"), ("d", "4")])]


def test_open_and_close_marker_forms() -> None:
    # ";--;" opens a block (its last ';' does not close it).
    assert view("[c]\na = 1 ;--;\nb = 2\n--;\nc = 3\n") == [("c", [("a", "1"), ("c", "3")])]


def test_nested_block_comments_need_their_own_close() -> None:
    source = "[c]\n;-- outer\n;-- inner\n--;\nhidden = 1\n--;\nshown = 2\n"
    assert view(source) == [("c", [("shown", "2")])]


def test_unterminated_block_comment_warns_and_drops_the_rest() -> None:
    source = "[c]\na = 1\n;-- never closed\nb = 2\n"
    result = loaded(source)
    assert result.loaded
    assert [(c.name, c.items()) for c in result] == [("c", [("a", "1")])]
    assert [(d.code, d.line) for d in result.diagnostics] == [("unterminated-comment", 3)]


def test_stray_close_keeps_its_line_and_hides_everything_after() -> None:
    source = "[c]\na = x--;comment\nb = 2\n[d]\n"
    result = loaded(source)
    assert [(c.name, c.items()) for c in result] == [("c", [("a", "x--;comment")])]
    assert [d.code for d in result.diagnostics] == ["unterminated-comment"]


def test_stray_block_close_keeps_rest_of_line_and_hides_later_lines() -> None:
    cfg = loaded("[c]\na = x--;comment\nb = 2\n;--\nc = 3\n")
    assert categories(cfg) == [("c", [("a", "x--;comment"), ("c", "3")])]


def test_stray_close_is_undone_by_an_open() -> None:
    source = "[c]\na = x--;c\nhidden = 1\n;-- back to zero\nb = 2\n"
    assert view(source) == [("c", [("a", "x--;c"), ("b", "2")])]


def test_deep_nesting_limit_is_reported_not_hung() -> None:
    source = "[c]\n" + ";--\n" * 129 + "a = 1\n"
    result = loaded(source)
    assert not result.loaded
    assert "comment-nesting-limit" in [d.code for d in result.diagnostics]


def test_128_nested_comments_are_fine_129_are_not() -> None:
    ok = "[c]\n" + ";--\n" * 128 + "--;\n" * 128 + "z=1\n"
    cfg = config.parse(ok).config()
    assert cfg.loaded and categories(cfg) == [("c", [("z", "1")])]
    # '--;--;' is an open followed by a close: ';' then '--' opens first
    cfg = config.parse("[c]\n" + ";--" * 128 + "\n" + "--;" * 2 + "\n").config()
    assert not cfg.loaded
    assert "comment-nesting-limit" in diagnostic_codes(cfg)


def _c_string(buf: list[str], start: int) -> list[str]:
    end = buf.index("\0", start)
    return buf[start:end]


def _reference_effective(lines: list[str]) -> list[str]:
    """A literal transliteration of config.c's comment loop over a NUL-terminated buffer."""
    depth = 0
    results = []
    for line in lines:
        buf = [*line, "\0"]
        process: int | None = 0 if depth == 0 else None
        new = 0
        while True:
            text = _c_string(buf, new)
            if ";" not in text:
                break
            p = new + text.index(";")
            if p > new and buf[p - 1] == "\\":
                del buf[p - 1]
                new = p
            elif buf[p + 1] == "-" and buf[p + 2 : p + 3] == ["-"] and buf[p + 3 : p + 4] != ["-"]:
                if depth < 128:
                    buf[p] = "\0"
                    new = p + 3
                    depth += 1
                else:
                    new = p + 1  # where Asterisk would spin forever
            elif p >= new + 2 and buf[p - 2 : p] == ["-", "-"]:
                depth -= 1
                new = p + 1
                if depth == 0:
                    if process is not None:
                        old = process + len(_c_string(buf, process))
                        buf = buf[:old] + _c_string(buf, new) + ["\0"]
                        new = old
                    else:
                        process = new
            elif depth == 0:
                buf[p] = "\0"
                new = p
            else:
                new = p + 1
        kept = "" if process is None else "".join(_c_string(buf, process))
        nul = kept.find("\0")
        results.append((kept if nul < 0 else kept[:nul]).strip(BLANKS))
    return results


@FAST
@given(TEXT)
def test_lexer_agrees_with_the_c_loop(text: str) -> None:
    document = config.parse(text)
    physical = text.split("\n")
    if physical and physical[-1] == "":
        physical.pop()
    nodes = list(document.lines())
    assert len(nodes) == len(physical)
    if any(n.kind == "LONG" for n in nodes):
        return
    bodies = [line.removeprefix("\ufeff") if i == 0 else line for i, line in enumerate(physical)]
    assert [n.effective for n in nodes] == _reference_effective(bodies)


# -- line breaks, byte-order mark, encodings -----------------------------------------------


def test_crlf_values_come_out_clean() -> None:
    assert view(b"[c]\r\na = 1\r\nb => 2 ; x\r\n") == [("c", [("a", "1"), ("b", "2")])]


def test_lone_cr_is_not_a_line_break() -> None:
    assert view("[general]\rname = value\r") == [("general", [])]


def test_last_line_without_newline_is_read() -> None:
    assert view("[c]\na = 1") == [("c", [("a", "1")])]


def test_bom_is_skipped_on_line_one_only() -> None:
    assert view(b"\xef\xbb\xbf[c]\na = 1\n") == [("c", [("a", "1")])]
    result = loaded(b"[c]\n\xef\xbb\xbf[d]\n")
    assert [c.name for c in result] == ["c"]
    assert [d.code for d in result.diagnostics] == ["no-equals"]


def test_bom_on_comment_or_blank_first_line_is_not_comment_text() -> None:
    comment = line_of("\ufeff; hi\n[c]\n", 0)
    assert isinstance(comment, config.Comment)
    assert (comment.indent, comment.comment) == ("\ufeff", "; hi")
    blank = line_of(b"\xef\xbb\xbf\n[c]\n", 0)
    assert isinstance(blank, config.Blank)
    assert blank.comment == ""


def test_latin1_bytes_pass_through() -> None:
    result = loaded(b"[c]\nname = Jos\xe9\n")
    assert result.categories[0].items() == [("name", "Jos\udce9")]


def _codes_and_lines(source: str | bytes) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in loaded(source).diagnostics]


def test_indented_headers_and_directives_are_recognised() -> None:
    assert view("   [c]\n\t a = 1\n") == [("c", [("a", "1")])]
    assert _codes_and_lines("[c]\n   #bogus\n") == [("unknown-directive", 2)]


# -- the 8190-byte line limit and NUL bytes ------------------------------------------------


def test_line_length_limit_is_8190_bytes() -> None:
    ok = "a = " + "x" * (8190 - 4)
    too_long = "b = " + "y" * (8191 - 4)
    result = loaded(f"[c]\n{ok}\n{too_long}\nc = 3\n")
    assert [v.name for v in result.categories[0].variables] == ["a", "c"]
    assert [(d.code, d.line) for d in result.diagnostics] == [("line-too-long", 3)]


def test_long_line_limit_is_exact() -> None:
    ok = "[c]\na=" + "x" * (8190 - 2) + "\n"
    too_long = "[c]\na=" + "x" * (8191 - 2) + "\nb=1\n"
    assert categories(loaded(ok))[0][1][0][1] == "x" * 8188
    cfg = loaded(too_long)
    assert categories(cfg) == [("c", [("b", "1")])]
    assert [d.code for d in cfg.diagnostics] == ["line-too-long"]


def test_line_length_counts_bytes_not_characters() -> None:
    long_utf8 = "a = " + "é" * 4100  # 8204 bytes, 4104 characters
    result = loaded(f"[c]\n{long_utf8}\n")
    assert result.categories[0].variables == []
    assert [d.code for d in result.diagnostics] == ["line-too-long"]


def test_multibyte_line_with_late_nul_is_too_long() -> None:
    cfg = loaded("[c]\na=" + "\u00e9" * 4100 + "\0" + "\nb=1\n")
    assert categories(cfg) == [("c", [("b", "1")])]
    assert [d.code for d in cfg.diagnostics] == ["line-too-long"]


def test_a_comment_inside_a_long_line_does_not_count() -> None:
    long_line = ";--" + "x" * 9000
    assert view(f"[c]\n{long_line}\na = 1\n") == [("c", [("a", "1")])]


def test_long_line_comment_is_not_the_whole_line() -> None:
    line = line_of("[c]\na=" + "x" * 9000 + "\n")
    assert isinstance(line, config.LongLine)
    assert line.comment == ""


def test_nul_line_over_buffer_size_continues_as_next_line() -> None:
    source = b"[c]\na=1\x00" + b"x" * (8191 - 4) + b"b=2\n[d]\n"
    cfg = loaded(source)
    assert categories(cfg) == [("c", [("a", "1"), ("b", "2")]), ("d", [])]


def test_too_long_line_skip_stops_at_chunk_with_nul() -> None:
    source = b"[c]\na=" + b"x" * (8191 - 2) + b"\0" + b"y" * 8190 + b"b=2\n[d]\n"
    cfg = loaded(source)
    assert categories(cfg) == [("c", [("b", "2")]), ("d", [])]

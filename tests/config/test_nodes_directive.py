"""Line anatomy of directives (``#include``, ``#tryinclude``,
``#exec``).

Covers the directive word, argument, path and quote on odd lines, where the word ends, the
warnings for unknown or argument-less directives, and variables named like directives.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pyst import config
from pyst.config import Directive
from tests.config.helpers import categories, diagnostic_codes, line_of, loaded, write_files


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
        line = line_of("[c]\n" + source)
        assert isinstance(line, Directive)
        assert (line.word, line.directive, line.argument) == (word, directive, argument)
        assert (line.path, line.quote) == (path, quote)


def test_directive_word_ends_at_high_byte(tmp_path: Path) -> None:
    main = write_files(
        tmp_path, {"main.conf": b"[c]\n#include\xa0inc.conf\n", "inc.conf": b"y=2\n"}
    )
    cfg = config.read(main)
    assert cfg.loaded
    assert [(v.name, v.value) for v in cfg.categories[0].variables] == [("y", "2")]


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("# include x.conf", "unknown-directive"),
        ("#tryexec x", "unknown-directive"),
        ("#include", "directive-needs-argument"),
        ("#tryinclude   ", "directive-needs-argument"),
        ("#exec /bin/echo", "exec-disabled"),
        ("#exec", "exec-disabled"),
    ],
)
def test_directive_warnings(line: str, code: str) -> None:
    result = loaded(f"[c]\n{line}\na = 1\n")
    assert result.loaded
    assert [(d.code, d.line) for d in result.diagnostics] == [(code, 2)]


def test_variables_named_like_directives() -> None:
    cfg = config.parse("[c]\ninclude=1\n#include=2\n\\#include=3\nexec => 4\n"
                       "#tryinclude\n").config()
    assert cfg.loaded
    assert categories(cfg) == [("c", [("include", "1"), ("#include", "3"), ("exec", "4")])]
    assert diagnostic_codes(cfg) == ["unknown-directive", "directive-needs-argument"]

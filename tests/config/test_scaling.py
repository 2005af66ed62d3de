"""Large inputs stay fast: no quadratic or exponential cliffs in
parsing, loading, reading a section, regex filters or many edits.

(Each check runs under a generous deadline that only a cliff can hit.)
"""

from __future__ import annotations

from pyst import config
from tests.config.helpers import deadline


def test_many_sections_and_long_lines_parse_fast() -> None:
    source = "".join(f"[s{i}](t)\na=1\nb => 2 ; c\n" for i in range(3000))
    source = "[t](!)\nx=1\n" + source + "[z]\n" + ("v=" + "\\;" * 4000 + "\n") * 20
    with deadline(3.0):
        doc = config.parse(source)
        cfg = doc.config()
    assert len(cfg.categories) == 3002


def test_many_append_lines_are_not_quadratic() -> None:
    n = 3000
    source = "[c]\n" + "".join(f"v{i}=1\n" for i in range(n)) + "".join(
        f"v{i}+=2\n" for i in range(n))
    doc = config.parse(source)
    with deadline(1.0):
        cfg = doc.config()
    assert cfg.categories[0].variables[-1].value == "12"


def test_section_read_with_many_append_lines_is_not_quadratic() -> None:
    n = 2500
    source = "[c]\n" + "".join(f"v{i}=1\n" for i in range(n)) + "".join(
        f"v{i}+=2\n" for i in range(n))
    doc = config.parse(source)
    assert doc.config().categories[0].variables[0].value == "12"
    with deadline(1.0):
        assert doc["c"]["v0"] == "12"


def test_many_additions_are_fast() -> None:
    n = 3000
    source = "".join(f"[s{i}]\na=1\n" for i in range(n)) + "".join(
        f"[s{i}](+)\nb=1\n" for i in range(n))
    doc = config.parse(source)
    with deadline(0.5):
        cfg = doc.config()
    assert len(cfg.categories) == n


def test_filter_regex_has_no_catastrophic_backtracking() -> None:
    source = "[c]\nx=" + "a" * 40 + "\n[c](+x=" + "a*" * 8 + "b)\ny=1\n"
    doc = config.parse(source)
    with deadline(1.0):
        cfg = doc.config()
    assert not cfg.loaded


def test_provisioning_many_peers_is_not_quadratic() -> None:
    source = "[general]\ncontext=default\n\n[tpl](!)\ntype=friend\n\n" + "".join(
        f"[{6000 + i}](tpl)\nsecret = s{i}\n\n" for i in range(3000))
    doc = config.parse(source)
    with deadline(1.0):
        for i in range(200):
            peer = doc.add_section(str(9000 + i), parents=["tpl"])
            peer["secret"] = "x"
            peer["mailbox"] = f"{9000 + i}@default"
    assert doc.dumps().endswith("[9199](tpl)\nsecret = x\nmailbox = 9199@default\n")

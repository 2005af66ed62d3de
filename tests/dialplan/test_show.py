"""`dialplan show` parity: our text equals what Asterisk 22.10.1 printed, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyst.dialplan import Dialplan, load_dialplan, show, show_bytes, show_globals_bytes
from tests.dialplan.corpus import Case, bundled_cases, corpus_cases, load

BUNDLED = bundled_cases()
CORPUS = corpus_cases()


@pytest.mark.parametrize("case", BUNDLED, ids=[c.name for c in BUNDLED])
def test_bundled_show_matches_asterisk(case: Case, tmp_path: Path) -> None:
    assert show_bytes(load(case, tmp_path)) == case.show.read_bytes()


@pytest.mark.skipif(not CORPUS, reason="reference corpus ../shared not present")
def test_whole_corpus_show_matches_asterisk(tmp_path: Path) -> None:
    mismatched = []
    for index, case in enumerate(CORPUS):
        folder = tmp_path / str(index)
        folder.mkdir()
        if show_bytes(load(case, folder)) != case.show.read_bytes():
            mismatched.append(case.name)
    assert len(CORPUS) >= 200
    assert mismatched == []


def test_show_counts_and_context_order(tmp_path: Path) -> None:
    conf = tmp_path / "extensions.conf"
    conf.write_text("[first]\nexten => 1,1,NoOp\n[second]\nexten => 2,1,Answer()\n"
                    " same => n,Hangup\n")
    text = show(load_dialplan(conf))
    assert text.splitlines()[0] == "[ Context 'second' created by 'pbx_config' ]"
    assert text.endswith("-= 2 extensions (3 priorities) in 2 contexts. =-\n")
    assert "  '1' =>            1. NoOp()" in text


def test_show_of_a_file_asterisk_refuses(tmp_path: Path) -> None:
    conf = tmp_path / "extensions.conf"
    conf.write_text("exten => 1,1,NoOp\n[ctx]\nexten => 2,1,NoOp\n")
    dialplan = load_dialplan(conf)
    assert not dialplan.loaded
    assert show(dialplan) == "-= 0 extensions (0 priorities) in 0 contexts. =-\n"


def test_registrar_names_the_main_file_extensions_conf(tmp_path: Path) -> None:
    conf = tmp_path / "mine.conf"
    conf.write_text("[c]\nexten => 1,1,NoOp\n")
    assert "[extensions.conf:2]" in show(load_dialplan(conf))


def test_long_data_is_cut_like_snprintf(tmp_path: Path) -> None:
    conf = tmp_path / "extensions.conf"
    conf.write_text("[c]\nexten => 1,1,NoOp(" + "x" * 2000 + ")\n")
    row = show_bytes(load_dialplan(conf)).splitlines()[1]
    assert row.count(b"x") - b"[extensions.conf:2]".count(b"x") == 1023 - len(b"1. NoOp(")
    assert row.endswith(b" [extensions.conf:2]")


def test_non_utf8_bytes_are_kept(tmp_path: Path) -> None:
    conf = tmp_path / "extensions.conf"
    conf.write_bytes(b"[c]\nexten => 1,1,NoOp(Jos\xe9)\n")
    dialplan: Dialplan = load_dialplan(conf)
    assert b"NoOp(Jos\xe9)" in show_bytes(dialplan)


GLOBALS = [c for c in BUNDLED + CORPUS if c.show.with_name(c.name + ".globals.txt").exists()]


@pytest.mark.parametrize("case", GLOBALS, ids=[c.name for c in GLOBALS])
def test_globals_match_asterisk(case: Case, tmp_path: Path) -> None:
    recorded = case.show.with_name(case.name + ".globals.txt").read_bytes()
    assert show_globals_bytes(load(case, tmp_path)) == recorded


def test_show_of_an_extension_follows_includes_like_asterisk(tmp_path: Path) -> None:
    conf = tmp_path / "extensions.conf"
    conf.write_text("[a]\ninclude => b\nexten => 1,1,NoOp(a)\n[b]\ninclude => a\n"
                    "exten => 1,1,NoOp(b)\nexten => 2,1,NoOp(b2)\n")
    dialplan = load_dialplan(conf)
    # The top context is not on the include stack, so it shows up once more as included.
    assert show(dialplan, "1@a").splitlines() == [
        "[ Context 'a' created by 'pbx_config' ]",
        "  '1' =>            1. NoOp(a)                                    [extensions.conf:3]",
        "[ Included context 'b' created by 'pbx_config' ]",
        "  '1' =>            1. NoOp(b)                                    [extensions.conf:6]",
        "[ Included context 'a' created by 'pbx_config' ]",
        "  '1' =>            1. NoOp(a)                                    [extensions.conf:3]",
        "",
        "",
        "",
        "-= 3 extensions (3 priorities) in 3 contexts. =-",
    ]
    assert show(dialplan, "9@") == "There is no existence of '9' extension in all contexts\n"
    assert show(dialplan, "b").endswith("-= 2 extensions (2 priorities) in 1 context. =-\n")

"""Second adversarial round for pyst.config: the edit API on real sample files, the
``pyst-config`` command line, diagnostics and performance cliffs.

Tests marked ``xfail(strict=True, reason="BUG: ...")`` expose a real disagreement with
docs/config.md, /work/shared/asterisk/conf-syntax.md or Asterisk's main/config.c; the
others pin down behaviour that is correct today.  Nothing here repeats
tests/config/test_adversarial.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyst import config
from pyst.cli import main as cli_main
from pyst.config import ConfigEditError, ConfigSyntaxError
from tests.config.helpers import categories, deadline, write_files

SAMPLES = Path("/work/shared/corpus/asterisk-samples")

# -- helpers -------------------------------------------------------------------------------



def _meaning(cfg: config.Config) -> tuple[bool, list[object]]:
    return cfg.loaded, [
        (c.name, c.template, tuple(c.inherits), [(v.name, v.value, v.object) for v in c.variables])
        for c in cfg.categories
    ]





def _sample_files() -> list[Path]:
    names = ("sip.conf.sample", "extensions.conf.sample", "iax.conf.sample",
             "voicemail.conf.sample", "minivm.conf.sample", "users.conf.sample")
    found = [p for name in names for p in sorted(SAMPLES.glob(f"*/{name}"))]
    return found


# -- editing real sample files (correct today) ---------------------------------------------


@pytest.mark.skipif(not SAMPLES.exists(), reason="sample corpus not available")
def test_random_edits_on_samples_mean_what_the_tree_says() -> None:
    """After any edit (or refusal) the in-memory view equals a fresh parse of the output,
    and a refused edit leaves every byte as it was."""
    files = _sample_files()
    rng = random.Random(1234)
    values = ["x", "a;b", "v--", ">v", "1 2", "caf\udce9", "\\x", "=", "a\tb", ""]
    names = ["secret", "type", "context", "allow", "newkey", "a+", "#h", "[x", "x y", "exten"]
    for _ in range(60):
        data = rng.choice(files).read_bytes()
        doc = config.parse(data)
        if not doc.sections:
            continue
        section = rng.choice(doc.sections)
        op = rng.choice(["set", "add", "remove", "add_section", "remove_section"])
        try:
            if op == "set":
                section[rng.choice(names)] = rng.choice(values)
            elif op == "add":
                section.add(rng.choice(names), rng.choice(values),
                            operator=rng.choice([None, "=", "=>", "+="]))
            elif op == "remove":
                lines = section.assignments()
                if lines:
                    section.remove(rng.choice(lines).name)
            elif op == "add_section":
                doc.add_section("newsec", parents=rng.choice([[], [section.name]]),
                                after=rng.choice([None, section]))
            else:
                doc.remove_section(section)
        except ConfigEditError:
            assert doc.dumps() == data
            continue
        out = doc.dumps()
        assert _meaning(doc.config()) == _meaning(config.parse(out).config())


def test_set_in_crlf_tab_file_keeps_style() -> None:
    doc = config.parse(b"[a]\r\nx\t=\t1\r\n\r\n[b]\r\ny\t=\t2\r\n")
    doc["b"]["z"] = "3"
    doc.add_section("c", after=doc["a"])["w"] = "4"
    assert doc.dumps() == (
        b"[a]\r\nx\t=\t1\r\n\r\n[c]\r\nw\t=\t4\r\n\r\n[b]\r\ny\t=\t2\r\nz\t=\t3\r\n"
    )


def test_latin1_value_round_trips_through_set() -> None:
    doc = config.parse(b"[m]\nname = Jos\xe9 ; caf\xe9\n")
    doc["m"]["other"] = "M\udcfcller"
    doc["m"]["name"] = "Ren\udce9"
    assert doc.dumps() == b"[m]\nname = Ren\xe9 ; caf\xe9\nother = M\xfcller\n"
    assert categories(doc.config()) == [("m", [("name", "Ren\udce9"), ("other", "M\udcfcller")])]


def test_set_collapses_append_chain_only_for_its_own_variable() -> None:
    doc = config.parse("[c]\nallow = ulaw\nallow += ,alaw\ndisallow = all\n")
    doc["c"]["allow"] = "g722"
    assert doc.dumps() == "[c]\nallow = g722\ndisallow = all\n"


def test_remove_section_with_addition_after_is_refused_and_unchanged() -> None:
    source = "[a]\nx=1\n\n[b]\n\n[a](+)\ny=2\n"
    doc = config.parse(source)
    with pytest.raises(ConfigEditError):
        doc.remove_section(doc["a"])
    assert doc.dumps() == source


def test_add_section_at_end_inside_open_block_comment_refused_unchanged() -> None:
    source = "[a]\nx=1\n;-- open\n[b]\n"
    doc = config.parse(source)
    with pytest.raises(ConfigEditError):
        doc.add_section("n")
    assert doc.dumps() == source


def test_strict_parse_raises_with_location() -> None:
    with pytest.raises(ConfigSyntaxError) as info:
        config.parse("[c]\nok = 1\n  junk\n", strict=True)
    (diagnostic,) = info.value.diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("no-equals", 3, 3)
    assert "<string>:3:3" in str(info.value)


# -- editing: bugs -------------------------------------------------------------------------


def test_remove_section_inherited_from_in_included_file(tmp_path: Path) -> None:
    main = write_files(tmp_path, {
        "main.conf": b"[a]\nx=1\n\n[c]\n#include more.conf\n",
        "more.conf": b"[b](a)\n",
    })
    doc = config.load(main)
    before = categories(doc.config())
    assert [name for name, _ in before] == ["a", "c", "b"]
    try:
        doc.remove_section(doc["a"])
    except ConfigEditError:
        return
    after = doc.config()
    assert ("b", [("x", "1")]) in categories(after), categories(after)


def test_add_section_hijacks_inheritance_in_included_file(tmp_path: Path) -> None:
    main = write_files(tmp_path, {
        "main.conf": b"[s]\n\n[a]\nx=1\n\n[c]\n#include more.conf\n",
        "more.conf": b"[b](a)\n",
    })
    doc = config.load(main)
    assert categories(doc.config())[-1] == ("b", [("x", "1")])
    try:
        doc.add_section("a", after=doc["s"])
    except ConfigEditError:
        return
    assert categories(doc.config())[-1] == ("b", [("x", "1")])


def test_add_section_with_missing_parent_in_file_that_fails_later() -> None:
    source = "[a]\nx=1\n[b]\n[broken\n"
    doc = config.parse(source)
    with pytest.raises(ConfigEditError):
        doc.add_section("n", parents=["zzz"], after=doc["a"])
    assert doc.dumps() == source


def test_add_section_after_keeps_next_sections_comment_attached() -> None:
    doc = config.parse("[a]\nx=1\n\n; Bob phone\n[6001]\ny=2\n")
    doc.add_section("6003", after=doc["a"])
    assert doc.dumps() == "[a]\nx=1\n\n[6003]\n\n; Bob phone\n[6001]\ny=2\n"


def test_remove_first_section_keeps_bom() -> None:
    doc = config.parse(b"\xef\xbb\xbf[a]\nx=1\n[b]\ny=2\n")
    doc.remove_section(doc["a"])
    assert doc.dumps() == b"\xef\xbb\xbf[b]\ny=2\n"


def test_new_line_copies_nearest_same_name_style() -> None:
    doc = config.parse(
        "[general]\ncontext=default\n\n[6001]\ncontext = from-internal\n\n"
        "[6002]\ncontext = from-internal\n"
    )
    doc.add_section("6003")["context"] = "phones"
    assert doc.dumps().endswith("[6003]\ncontext = phones\n")


def test_section_reads_own_lines_config_reads_what_asterisk_does() -> None:
    # Documented contract: a Section reads its own lines; doc.config() is Asterisk's view.
    doc = config.parse("[t](!)\na=1\n[c](t)\na+=2\n")
    assert doc.config().category("c").get_all("a") == ["12"]  # type: ignore[union-attr]
    assert doc["c"]["a"] == "2"
    doc = config.parse("[a]\nx=1\n[a](+)\nx+=2\n")
    assert categories(doc.config()) == [("a", [("x", "12")])]
    assert doc.sections[1]["x"] == "2"


def test_remove_that_raises_leaves_document_unchanged() -> None:
    source = "[c]\na=1\nb=2\na=3 ;-- open\n--;\n"
    doc = config.parse(source)
    with pytest.raises(ConfigEditError):
        doc["c"].remove("a")
    assert doc.dumps() == source


def test_set_is_not_overridden_by_later_addition() -> None:
    doc = config.parse("[general]\nbindport=5060\n\n[general](+)\nbindport=5062\n")
    try:
        doc["general"]["bindport"] = "5061"
    except ConfigEditError:
        return
    general = doc.config().category("general")
    assert general is not None and general.get_all("bindport")[-1] == "5061"


def test_remove_section_keeps_next_sections_comment() -> None:
    doc = config.parse("[a]\nx=1\n\n; Bob phone\n[b]\ny=2\n")
    doc.remove_section(doc["a"])
    assert doc.dumps() == "; Bob phone\n[b]\ny=2\n"


def test_new_line_does_not_copy_leading_block_comment() -> None:
    doc = config.parse("[c]\n;-- note --; a = 1\n")
    doc["c"].add("b", "2")
    assert doc.dumps() == "[c]\n;-- note --; a = 1\nb = 2\n"


def test_add_after_line_closing_block_comment() -> None:
    doc = config.parse("[c]\n;-- old\nstuff --; a = 1\n")
    doc["c"].add("b", "2")
    assert categories(doc.config()) == [("c", [("a", "1"), ("b", "2")])]
    assert doc.dumps().startswith("[c]\n;-- old\nstuff --; a = 1\n")


def test_value_with_backslash_semicolon_can_be_written() -> None:
    assert categories(config.parse("[c]\na = x\\\\;y\n").config()) == [("c", [("a", "x\\;y")])]
    doc = config.parse("[c]\na = 1\n")
    doc["c"]["a"] = "x\\;y"
    assert categories(doc.config()) == [("c", [("a", "x\\;y")])]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_save_keeps_owner_and_group(tmp_path: Path) -> None:
    path = tmp_path / "sip.conf"
    path.write_bytes(b"[a]\nx=1\n")
    os.chown(path, 65534, 65534)
    path.chmod(0o640)
    doc = config.load(path)
    doc["a"]["x"] = "2"
    doc.save()
    info = path.stat()
    assert path.read_bytes() == b"[a]\nx=2\n"
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (65534, 65534, 0o640)


# -- command line --------------------------------------------------------------------------


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = cli_main(list(args))
    return status, capsys.readouterr().out


def test_cli_json_non_utf8_path_and_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = os.fsdecode(b"caf\xe9 x.conf")
    (tmp_path / name).write_bytes(b"[c]\nk = v\xff\n")
    folder = tmp_path / "dir.conf"
    folder.mkdir()
    status, out = _cli(capsys, "show", "--json", str(tmp_path / name), str(folder))
    assert status == 0
    first, second = (json.loads(line) for line in out.splitlines())
    assert set(first) == {"file", "asterisk", "loaded", "categories", "diagnostics"}
    assert first["file"].endswith("caf\udce9 x.conf")
    assert "\\udce9" in out and "\\udcff" in out
    assert first["categories"][0]["variables"][0]["value"] == "v\udcff"
    assert second["loaded"] is False
    status, _ = _cli(capsys, "check", str(folder))
    assert status == 1


def test_cli_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli_main(["show", "--json"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        cli_main(["frobnicate", "x"])
    assert info.value.code == 2
    capsys.readouterr()


def test_cli_check_strict_fails_on_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_files(tmp_path, {"main.conf": b"[c]\njunk\n"})
    assert _cli(capsys, "check", str(path))[0] == 0
    assert _cli(capsys, "check", "--strict", str(path))[0] == 1


def test_cli_check_strict_fails_on_error_inside_include(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_files(tmp_path, {
        "main.conf": b"[c]\n#include bad.conf\nafter=1\n",
        "bad.conf": b"in=1\n[broken\n",
    })
    status, out = _cli(capsys, "check", "--strict", str(path))
    assert "no closing ']'" in out
    assert status == 1


def test_read_character_device_is_not_loaded() -> None:
    cfg = config.read("/dev/null")
    assert not cfg.loaded


def test_read_fifo_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.conf"
    os.mkfifo(fifo)
    done = threading.Event()
    unblocked: list[bool] = []

    def unblock() -> None:
        # If the reader blocks in open(), give it EOF after a while so the test ends.
        deadline = time.monotonic() + 0.5
        while not done.is_set():
            if time.monotonic() > deadline:
                with contextlib.suppress(OSError):
                    os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
                    unblocked.append(True)
            time.sleep(0.02)

    helper = threading.Thread(target=unblock, daemon=True)
    helper.start()
    try:
        cfg = config.read(fifo)
    finally:
        done.set()
        helper.join()
    assert not unblocked, "config.read blocked on a FIFO"
    assert not cfg.loaded
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_exec_with_lone_surrogate_does_not_crash() -> None:
    doc = config.parse("[c]\n#exec echo \ud800\n")
    cfg = doc.config(exec_includes=True)
    assert cfg.categories[0].name == "c"


# -- diagnostics ---------------------------------------------------------------------------


def _diagnostics(tmp_path: Path, files: dict[str, bytes]) -> list[config.Diagnostic]:
    return config.read(write_files(tmp_path, files)).diagnostics


def test_diagnostic_columns_point_at_indented_lines(tmp_path: Path) -> None:
    found = _diagnostics(tmp_path, {"main.conf": (
        b"[c]\n  junk\n\t = 1\n   #foo\n  #include\n"
        b"  \\\x01=1\n"
    )})
    assert [(d.code, d.line, d.column) for d in found] == [
        ("no-equals", 2, 3), ("no-variable-name", 3, 3), ("unknown-directive", 4, 4),
        ("directive-needs-argument", 5, 3), ("invalid-escape", 6, 3),
    ]


def test_diagnostic_lines_with_bom_crlf_and_block_comments(tmp_path: Path) -> None:
    found = _diagnostics(tmp_path, {"main.conf": (
        b"\xef\xbb\xbf[c]\r\njunk\r\n;-- a\r\nb --; more\r\n"
    )})
    assert [(d.code, d.line, d.column) for d in found] == [
        ("no-equals", 2, 1), ("no-equals", 4, 7)]


def test_bad_regex_points_at_filter_header() -> None:
    cfg = config.parse("[c]\nx=1\n[c](+x=a{)\ny=1\n").config()
    bad = [d for d in cfg.diagnostics if d.code == "bad-regex"]
    assert bad and bad[0].line == 3


def test_include_depth_has_location(tmp_path: Path) -> None:
    main = write_files(tmp_path, {"main.conf": b"[a]\n#include main.conf\n"})
    found = [d for d in config.read(main).diagnostics if d.code == "include-depth"]
    assert found
    assert found[0].file.endswith("main.conf") and found[0].line == 2


def test_unterminated_comment_column_points_at_opening() -> None:
    cfg = config.parse("[c]\na = 1 ;-- never closed\nb = 2\n").config()
    (found,) = cfg.diagnostics
    assert (found.code, found.line, found.column) == ("unterminated-comment", 2, 7)


def test_inheritance_missing_column_points_at_name() -> None:
    cfg = config.parse("[t]\n[c](t,zz)\n").config()
    (found,) = cfg.diagnostics
    assert (found.code, found.line, found.column) == ("inheritance-missing", 2, 7)


def test_fifo_include_is_not_a_regular_file(tmp_path: Path) -> None:
    main = write_files(tmp_path, {"main.conf": b"[c]\n#tryinclude pipe.conf\nx=1\n"})
    os.mkfifo(tmp_path / "pipe.conf")
    cfg = config.read(main)
    assert cfg.loaded
    assert [d.code for d in cfg.diagnostics] == ["not-regular-file"]
    assert categories(cfg) == [("c", [("x", "1")])]


_MESSAGE_CASES = {
    "no-closing-bracket": b"[c]\n[abc\n",
    "no-closing-paren": b"[c]\n[a](b\n",
    "category-addition-missing": b"[c]\n[zz](+)\n",
    "inheritance-missing": b"[c]\n[d](zz)\n",
    "inheritance-loop": b"[a]\nx=1\n[a](+,a)\n",
    "no-category-context": b"x=1\n",
    "invalid-escape": b"[c]\n\\\x01=1\n",
    "include-missing": b"[c]\n#include nope.conf\n",
    "comment-nesting-limit": b"[c]\n" + b";--" * 129 + b"\n",
    "no-equals": b"[c]\njunk\n",
    "no-variable-name": b"[c]\n= 1\n",
    "unknown-directive": b"[c]\n#foo\n",
    "directive-needs-argument": b"[c]\n#include\n",
    "exec-disabled": b"[c]\n#exec ls\n",
    "include-repeated": b"[c]\n#include ok.conf\n#include ok.conf\n",
    "line-too-long": b"[c]\na=" + b"x" * 9000 + b"\n",
    "unterminated-comment": b"[c]\na=1 ;-- x\n",
    "not-regular-file": b"[c]\n#include sub\n",
    "bad-regex": b"[c]\nx=1\n[c](+x=a{)\n",
    "include-depth": b"[c]\n#include main.conf\n",
}


@pytest.mark.parametrize("code", list(_MESSAGE_CASES))
def test_diagnostic_fires_and_message_says_file_and_line(tmp_path: Path, code: str) -> None:
    (tmp_path / "sub").mkdir()
    main = write_files(tmp_path, {"main.conf": _MESSAGE_CASES[code], "ok.conf": b"x=1\n"})
    found = [d for d in config.read(main).diagnostics if d.code == code]
    assert found, code
    diagnostic = found[0]
    assert diagnostic.line >= 1 and diagnostic.column >= 1
    assert "main.conf" in diagnostic.message
    assert f"line {diagnostic.line}" in diagnostic.message


# -- performance ---------------------------------------------------------------------------


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


def test_filter_regex_has_no_catastrophic_backtracking() -> None:
    source = "[c]\nx=" + "a" * 40 + "\n[c](+x=" + "a*" * 8 + "b)\ny=1\n"
    doc = config.parse(source)
    with deadline(1.0):
        cfg = doc.config()
    assert not cfg.loaded


def test_many_additions_are_fast() -> None:
    n = 3000
    source = "".join(f"[s{i}]\na=1\n" for i in range(n)) + "".join(
        f"[s{i}](+)\nb=1\n" for i in range(n))
    doc = config.parse(source)
    with deadline(0.5):
        cfg = doc.config()
    assert len(cfg.categories) == n


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


# -- property: edits on generated files ----------------------------------------------------

_ATOMS = ["[a]", "[b]", "[a](+)", "[t](!)", "[c](t)", "a", "b", "=", "=>", "+=", " ", "\t",
          ";", ";--", "--;", "\\;", "x", "\r\n", "\n", "\n", "\ufeff"]


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(st.sampled_from(_ATOMS), min_size=1, max_size=30).map("".join),
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
    assert _meaning(doc.config()) == _meaning(config.parse(doc.dumps()).config())

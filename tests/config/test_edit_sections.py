"""``Document.add_section`` and ``Document.remove_section``.

Covers where a new section goes, refused names and parents, the BOM and missing final
newline, comments that belong to the next header, block comments, and refusals when another
category (also in an included file) inherits from or adds to the section.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pyst import config
from pyst.config import ConfigEditError
from tests.config.helpers import categories, include_pair, refused_or_kept, write_files

# -- add_section ---------------------------------------------------------------------------


def test_add_section_after_a_given_section() -> None:
    doc = config.parse("[a]\n\n[c]\n")
    doc.add_section("b", template=True, after=doc["a"])
    assert doc.dumps() == "[a]\n\n[b](!)\n\n[c]\n"
    assert [(c.name, c.template) for c in doc.config()] == [("a", False), ("b", True), ("c", False)]


def test_bad_section_names_are_refused() -> None:
    doc = config.parse("")
    for name in ("a]b", "x" * 80, "new\nline"):
        with pytest.raises(config.ConfigEditError):
            doc.add_section(name)
    with pytest.raises(config.ConfigEditError):
        doc.add_section("ok", parents=["a,b"])
    assert doc.dumps() == ""


def test_add_section_refuses_one_string_as_parents() -> None:
    # parents="office" used to be read as the parents o, f, f, i, c, e.
    doc = config.parse("[a]\nx=1\n")
    with pytest.raises(TypeError, match="list"):
        doc.add_section("n", parents="a")  # type: ignore[arg-type]
    assert doc.dumps() == "[a]\nx=1\n"


def test_add_section_keeps_missing_final_newline() -> None:
    doc = config.parse("[a]\nx=1")
    doc.add_section("b")
    assert not doc.dumps().endswith("\n")


def test_add_section_to_a_bom_only_file() -> None:
    doc = config.parse("\ufeff")
    doc.add_section("b")
    assert doc.text() == "\ufeff[b]\n"


def test_add_section_after_keeps_next_sections_comment_attached() -> None:
    doc = config.parse("[a]\nx=1\n\n; Bob phone\n[6001]\ny=2\n")
    doc.add_section("6003", after=doc["a"])
    assert doc.dumps() == "[a]\nx=1\n\n[6003]\n\n; Bob phone\n[6001]\ny=2\n"


def test_add_section_at_end_inside_open_block_comment_refused_unchanged() -> None:
    source = "[a]\nx=1\n;-- open\n[b]\n"
    doc = config.parse(source)
    with pytest.raises(ConfigEditError):
        doc.add_section("n")
    assert doc.dumps() == source


def test_add_section_with_missing_parent() -> None:
    doc = config.parse("[a]\nx=1\n")
    refused_or_kept(doc, lambda d: d.add_section("b", parents=["zzz"]), lambda cfg: (
        pytest.fail("file no longer loads") if not cfg.loaded else None))


def test_add_section_with_missing_parent_in_file_that_fails_later() -> None:
    source = "[a]\nx=1\n[b]\n[broken\n"
    doc = config.parse(source)
    with pytest.raises(ConfigEditError):
        doc.add_section("n", parents=["zzz"], after=doc["a"])
    assert doc.dumps() == source


def test_add_section_before_its_parent() -> None:
    doc = config.parse("[s]\n[a]\nx=1\n")
    refused_or_kept(doc, lambda d: d.add_section("b", parents=["a"], after=d["s"]),
                     lambda cfg: pytest.fail("file no longer loads") if not cfg.loaded else None)


def test_add_section_does_not_hijack_inheritance() -> None:
    doc = config.parse("[s]\n[a]\nx=1\n[b](a)\n")
    refused_or_kept(doc, lambda d: d.add_section("a", after=d["s"]), lambda cfg: (
        None if categories(cfg)[-1] == ("b", [("x", "1")]) else pytest.fail(repr(categories(cfg)))))


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


# -- remove_section ------------------------------------------------------------------------


def test_remove_section_takes_its_comments() -> None:
    source = "[a]\nx = 1\n\n; about b\n[b]\ny = 2\n\n[c]\n"
    doc = config.parse(source)
    doc.remove_section(doc["b"])
    assert doc.dumps() == "[a]\nx = 1\n\n[c]\n"


def test_remove_section_keeps_next_sections_comment() -> None:
    doc = config.parse("[a]\nx=1\n\n; Bob phone\n[b]\ny=2\n")
    doc.remove_section(doc["a"])
    assert doc.dumps() == "; Bob phone\n[b]\ny=2\n"


def test_remove_section_keeps_comments_with_the_next_header() -> None:
    doc = config.parse("[a]\nx=1\n;about b\n[b]\ny=2\n")
    doc.remove_section(doc.sections[0])
    assert doc.text() == ";about b\n[b]\ny=2\n"
    doc = config.parse("[a]\nx=1\n;about b\n[b]\ny=2\n")
    doc.remove_section(doc.sections[1])
    assert doc.text() == "[a]\nx=1\n"


def test_remove_first_section_keeps_bom() -> None:
    doc = config.parse(b"\xef\xbb\xbf[a]\nx=1\n[b]\ny=2\n")
    doc.remove_section(doc["a"])
    assert doc.dumps() == b"\xef\xbb\xbf[b]\ny=2\n"


def test_remove_last_section_keeps_the_bom() -> None:
    doc = config.parse("\ufeff[a]\nx=1\n")
    doc.remove_section(doc.sections[0])
    assert doc.text().startswith("\ufeff")


def test_remove_section_refuses_to_move_a_block_comment_boundary() -> None:
    source = "[a]\nx=1 ;-- open\n[b]\n--;\n[c]\n"
    doc = config.parse(source)
    with pytest.raises(config.ConfigEditError):
        doc.remove_section(doc.sections[-1])
    assert doc.text() == source


def test_remove_section_that_is_inherited_from() -> None:
    doc = config.parse("[a]\nx=1\n[b](a)\n")
    refused_or_kept(doc, lambda d: d.remove_section(d["a"]), lambda cfg: (
        pytest.fail("file no longer loads") if not cfg.loaded else None))


def test_remove_section_that_is_added_to() -> None:
    doc = config.parse("[a]\nx=1\n[a](+)\ny=2\n")
    refused_or_kept(doc, lambda d: d.remove_section(d["a"]), lambda cfg: (
        pytest.fail("file no longer loads") if not cfg.loaded else None))


def test_remove_section_with_addition_after_is_refused_and_unchanged() -> None:
    source = "[a]\nx=1\n\n[b]\n\n[a](+)\ny=2\n"
    doc = config.parse(source)
    with pytest.raises(ConfigEditError):
        doc.remove_section(doc["a"])
    assert doc.dumps() == source


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


def test_remove_section_refuses_when_an_included_file_inherits(tmp_path: Path) -> None:
    doc = include_pair(tmp_path, '[a]\nx=1\n#include "inc.conf"\n', "[c](a)\nz=1\n")
    with pytest.raises(config.ConfigEditError):
        doc.remove_section(doc.sections[0])


def test_remove_section_refuses_when_an_included_file_adds_to_it(tmp_path: Path) -> None:
    doc = include_pair(tmp_path, '[a]\nx=1\n[b]\n#include "inc.conf"\n', "[a](+)\nw=1\n")
    with pytest.raises(config.ConfigEditError):
        doc.remove_section(doc.sections[0])


# -- both ----------------------------------------------------------------------------------


def test_structural_edits_that_would_change_other_categories_are_refused() -> None:
    source = "[top]\n\n[a]\nx = 1\n\n[b](a)\n\n[a](+)\ny = 2\n"
    doc = config.parse(source)
    with pytest.raises(config.ConfigEditError):
        doc.remove_section(doc["a"])  # [b](a) and [a](+) need it
    with pytest.raises(config.ConfigEditError):
        doc.add_section("zzz", parents=["nope"])  # nothing to inherit from
    with pytest.raises(config.ConfigEditError):
        doc.add_section("A", after=doc["top"])  # [b](a) would copy from [A] instead
    assert doc.dumps() == source
    doc.remove_section(doc.sections[-1])  # an addition nobody depends on
    assert doc.dumps() == "[top]\n\n[a]\nx = 1\n\n[b](a)\n"
    doc.add_section("c", parents=["b"])
    doc.add_section("d", after=doc["top"])
    assert doc.dumps().startswith("[top]\n\n[d]\n\n[a]\n")
    assert [(c.name, c.items()) for c in doc.config()][-1] == ("c", [("x", "1")])


# -- placing, moving and the cases found by provisioning scripts -------------------------


def test_add_section_after_a_directive_without_a_final_newline() -> None:
    doc = config.parse(b"[a]\n#tryinclude nothere.conf")
    doc.add_section("b")
    assert doc.dumps() == b"[a]\n#tryinclude nothere.conf\n\n[b]"


def test_add_section_refuses_a_parent_name_asterisk_cannot_hold() -> None:
    doc = config.parse("[a]\n")
    with pytest.raises(ConfigEditError, match="79 bytes"):
        doc.add_section("b", parents=["p" * 80])


def test_add_section_inheriting_from_a_category_of_an_included_file(tmp_path: Path) -> None:
    doc = include_pair(tmp_path, '#include "inc.conf"\n[x]\n', "[phone](!)\ntype=friend\n")
    peer = doc.add_section("6002", parents=["phone"])
    peer["secret"] = "s"
    assert doc.config()["6002"].items() == [("type", "friend"), ("secret", "s")]


def test_add_section_before_another_goes_above_its_comment_block() -> None:
    doc = config.parse("[a]\n\n; the c peer\n[c]\n")
    doc.add_section("b", before=doc["c"])
    assert doc.dumps() == "[a]\n\n[b]\n\n; the c peer\n[c]\n"


def test_add_section_is_indented_like_the_headers_around_it() -> None:
    doc = config.parse("  [a]\n  x=1\n")
    doc.add_section("b")
    assert doc.dumps().endswith("  [b]\n")


def test_move_section_takes_what_it_owns() -> None:
    doc = config.parse("[a]\nx=1\n\n; about b\n[b]\ny=2\n\n[c]\nz=3\n")
    doc.move_section(doc["b"], after=doc["c"])
    assert doc.dumps() == "[a]\nx=1\n\n[c]\nz=3\n\n; about b\n[b]\ny=2\n"
    assert [c.name for c in doc.config()] == ["a", "c", "b"]


def test_move_section_refuses_to_put_a_parent_below_its_users() -> None:
    source = "[t](!)\nx=1\n[c](t)\n"
    doc = config.parse(source)
    with pytest.raises(ConfigEditError):
        doc.move_section(doc["t"], after=doc["c"])
    assert doc.dumps() == source


# -- a header's options ----------------------------------------------------------------


def test_set_options_changes_only_the_options() -> None:
    doc = config.parse("[t](!)\nx=1\n[u](!)\ny=2\n  [c](t) ; the peer\nz=3\n")
    doc.set_options(doc["c"], parents=["t", "u"])
    assert doc.dumps() == "[t](!)\nx=1\n[u](!)\ny=2\n  [c](t,u) ; the peer\nz=3\n"
    assert doc.config()["c"].items() == [("x", "1"), ("y", "2"), ("z", "3")]
    doc.set_options(doc["c"], template=True, parents=[])
    assert doc.dumps().endswith("  [c](!) ; the peer\nz=3\n")
    doc.set_options(doc["c"], template=False)
    assert doc.dumps().endswith("  [c] ; the peer\nz=3\n")


def test_set_options_refuses_a_parent_that_is_not_above() -> None:
    source = "[c]\nz=3\n[t](!)\nx=1\n"
    doc = config.parse(source)
    with pytest.raises(ConfigEditError):
        doc.set_options(doc["c"], parents=["t"])
    assert doc.dumps() == source


def _names(doc: config.Document) -> list[str]:
    return [section.name for section in doc]


def test_many_sections_added_at_one_place_keep_their_order() -> None:
    # Positions are ordinals with gaps; inserting again and again at one place runs out
    # of room and renumbers the sections around it.  Order checks must still hold.
    doc = config.parse("[t](!)\nx=1\n\n[end]\n")
    for i in range(70):
        doc.add_section(f"s{i}", parents=["t"], before=doc["end"])
    for i in range(70):
        doc.add_section(f"f{i}", before=doc.sections[0])  # again and again at the top
    expected = [f"f{i}" for i in range(70)][::-1] + ["t"] + [f"s{i}" for i in range(70)]
    assert _names(doc) == [*expected, "end"]
    with pytest.raises(ConfigEditError):
        doc.add_section("u", parents=["s40"], before=doc["s40"])  # its parent is below
    doc.add_section("u", parents=["s40"], after=doc["s40"])
    assert _names(doc).index("u") == _names(doc).index("s40") + 1
    assert doc.config()["u"].inherits == ["s40"]
    with pytest.raises(ConfigEditError):
        doc.remove_section(doc["s40"])  # u inherits from it


def test_a_rolled_back_group_of_inserts_leaves_the_indexes_as_they_were() -> None:
    doc = config.parse("[t](!)\nx=1\n\n[a](t)\n\n[end]\n")
    before = doc.dumps()
    with pytest.raises(RuntimeError), doc.transaction():
        for i in range(70):
            doc.add_section(f"s{i}", parents=["t"], before=doc["end"])
        doc.remove_section(doc["a"])
        doc.rename_section(doc["s3"], "renamed")
        raise RuntimeError
    assert doc.dumps() == before and _names(doc) == ["t", "a", "end"]
    assert doc.sections_named("s1") == [] and doc.sections_named("renamed") == []
    assert doc.section("a") is doc.sections[1] and doc["a"].document is doc
    with pytest.raises(ConfigEditError):
        doc.remove_section(doc["t"])  # a inherits from it, as before
    doc.add_section("v", parents=["a"], before=doc["end"])
    with pytest.raises(ConfigEditError):
        doc.add_section("w", parents=["v"], before=doc["v"])
    assert _names(doc) == ["t", "a", "v", "end"]


def test_removing_the_users_of_a_template_one_by_one() -> None:
    # The index finds each user among the template's referrers by position.
    doc = config.parse("[t](!)\nx=1\n\n" + "".join(f"[s{i}](t)\n\n" for i in range(50)))
    for i in range(0, 50, 2):
        doc.remove_section(doc[f"s{i}"])
    doc.rename_section(doc["s1"], "r1")
    with pytest.raises(ConfigEditError):
        doc.remove_section(doc["t"])
    for i in range(3, 50, 2):
        doc.remove_section(doc[f"s{i}"])
    assert _names(doc) == ["t", "r1"]
    with pytest.raises(ConfigEditError):
        doc.remove_section(doc["t"])  # r1 still inherits from it
    doc.remove_section(doc["r1"])
    doc.remove_section(doc["t"])
    assert _names(doc) == [] and doc.config().loaded


def test_move_section_to_the_end_of_a_file_without_a_final_newline() -> None:
    # The moved section's last line, not its header, ends the file without a newline.
    doc = config.parse("[a]\nx = 1\n[b]")
    doc.move_section(doc["a"], after=doc["b"])
    assert doc.dumps() == "[b]\n[a]\nx = 1"
    assert [type(line).__name__ for line in doc.lines()] == [
        type(line).__name__ for line in config.parse(doc.dumps()).lines()
    ]


def test_refused_move_to_the_end_of_a_file_without_a_final_newline_changes_nothing() -> None:
    source = "[a]\n[b]\n[a](+)"
    doc = config.parse(source)
    with pytest.raises(ConfigEditError):
        doc.move_section(doc["a"], after=doc.sections[-1])  # the (+) would lose its target
    assert doc.dumps() == source


def test_move_the_last_section_of_a_file_without_a_final_newline() -> None:
    # It ended the file: it gets a line ending where it goes, the line above it now
    # ends the file, and the blank line above it stays a separator, not a stray top line.
    doc = config.parse("[a]\n\n[b]\nx=1")
    doc.move_section(doc["b"], before=doc["a"])
    assert doc.dumps() == "[b]\nx=1\n\n[a]"
    assert [type(line).__name__ for line in doc.lines()] == [
        type(line).__name__ for line in config.parse(doc.dumps()).lines()
    ]


@pytest.mark.parametrize(
    ("source", "edit", "expected"),
    [
        ("\ufeff[a]\n[b]\n", lambda d: d.add_section("n", before=d["a"]), "\ufeff[n]\n[a]\n[b]\n"),
        ("\ufeff[a]\n\n[b]\n", lambda d: d.move_section(d["a"], after=d["b"]),
         "\ufeff[b]\n\n[a]\n"),
        ("\ufeff[a]\n\n[b]\n", lambda d: d.move_section(d["b"], before=d["a"]),
         "\ufeff[b]\n\n[a]\n"),
        ("\ufeff;c\n[a]\n\n[b]\n", lambda d: d.move_section(d["a"], after=d["b"]),
         "\ufeff[b]\n\n;c\n[a]\n"),
    ],
)
def test_the_byte_order_mark_stays_on_the_first_line(
    source: str, edit: Callable[[config.Document], object], expected: str
) -> None:
    # Asterisk skips a BOM only on the first line; elsewhere it is part of a name.
    doc = config.parse(source)
    edit(doc)
    assert doc.dumps().replace("\n\n", "\n") == expected.replace("\n\n", "\n")
    assert doc.dumps().count("\ufeff") == 1 and doc.dumps().startswith("\ufeff")


def test_moving_the_first_section_with_its_comments_keeps_the_bom_on_top() -> None:
    doc = config.parse("\ufeff; about a\n[a]\n[b]\n")
    doc.move_section(doc["a"], before=doc["b"])
    assert doc.dumps().startswith("\ufeff; about a\n") and doc.dumps().count("\ufeff") == 1


def test_remove_the_last_addition_of_a_file_without_a_final_newline() -> None:
    # The header above becomes the file's last line (a new node without its line
    # ending): the guard must still find the category the addition added to.
    doc = config.parse("[general]\n[general](+)\ny=2")
    doc.remove_section(doc.sections[-1])
    assert doc.dumps() == "[general]"
    assert categories(doc.config()) == [("general", [])]


@pytest.mark.parametrize("edit", ["add", "move"])
def test_a_new_or_moved_header_never_lands_inside_a_block_comment(edit: str) -> None:
    # The closing "--;" is a comment line right above [b]; the header goes below it.
    doc = config.parse("[a]\nx=1 ;-- opens\n--;\n[b]\n[c]\n")
    if edit == "add":
        doc.add_section("c2", after=doc["a"])
    else:
        doc.move_section(doc["c"], after=doc["a"])
    assert doc.dumps().startswith("[a]\nx=1 ;-- opens\n--;\n[c")
    assert [type(n).__name__ for n in doc.lines()] == [
        type(n).__name__ for n in config.parse(doc.dumps()).lines()
    ]


def test_move_section_refuses_when_its_lines_would_read_differently_there() -> None:
    # After the stray "--;" the nesting counter is -1: the lines above [hidden] are
    # comments only because of it; moved up, they would become headers.
    source = "[g1]\n[g3]\nx=x--;c\n[g4]\n;-- a block\n[hidden]\n--;\n"
    doc = config.parse(source)
    with pytest.raises(ConfigEditError):
        doc.move_section(doc["hidden"], after=doc["g1"])
    assert doc.dumps() == source

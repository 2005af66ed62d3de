"""The house style of new lines and sections: placed after the last assignment, copying
their neighbours, then the section, then the file (aligned columns, the file's majority or
its commented-out assignments), indented and separated like the sections around them, with
the file's newline style and final newline kept.
"""

from __future__ import annotations

from pyst import config
from tests.config.helpers import SIP


def test_new_line_copies_the_nearest_same_name_line_style() -> None:
    doc = config.parse(SIP)
    peer = doc.add_section("6002", parents=["friend"])
    peer["secret"] = "xyz"
    peer["mailbox"] = "6002"
    assert doc.dumps() == SIP + "\n[6002](friend)\n\tsecret\t=\txyz\n\tmailbox\t=\t6002\n"
    result = doc.config()
    assert result.category("6002") is not None
    assert result.categories[-1].items() == [
        ("type", "friend"), ("host", "dynamic"), ("secret", "xyz"), ("mailbox", "6002"),
    ]


def test_new_line_copies_nearest_same_name_style() -> None:
    doc = config.parse(
        "[general]\ncontext=default\n\n[6001]\ncontext = from-internal\n\n"
        "[6002]\ncontext = from-internal\n"
    )
    doc.add_section("6003")["context"] = "phones"
    assert doc.dumps().endswith("[6003]\ncontext = phones\n")


def test_new_line_does_not_copy_leading_block_comment() -> None:
    doc = config.parse("[c]\n;-- note --; a = 1\n")
    doc["c"].add("b", "2")
    assert doc.dumps() == "[c]\n;-- note --; a = 1\nb = 2\n"


def test_new_line_goes_after_the_last_assignment_not_after_trailing_comments() -> None:
    doc = config.parse("[a]\nx = 1\n\n; about b\n[b]\n")
    doc["a"]["y"] = "2"
    assert doc.dumps() == "[a]\nx = 1\ny = 2\n\n; about b\n[b]\n"


def test_file_newline_style_is_kept() -> None:
    doc = config.parse(b"[a]\r\nx = 1\r\n")
    doc["a"]["y"] = "2"
    doc.add_section("b")["z"] = "3"
    assert doc.dumps() == b"[a]\r\nx = 1\r\ny = 2\r\n\r\n[b]\r\nz = 3\r\n"


def test_set_in_crlf_tab_file_keeps_style() -> None:
    doc = config.parse(b"[a]\r\nx\t=\t1\r\n\r\n[b]\r\ny\t=\t2\r\n")
    doc["b"]["z"] = "3"
    doc.add_section("c", after=doc["a"])["w"] = "4"
    assert doc.dumps() == (
        b"[a]\r\nx\t=\t1\r\n\r\n[c]\r\nw\t=\t4\r\n\r\n[b]\r\ny\t=\t2\r\nz\t=\t3\r\n"
    )


def test_missing_final_newline_stays_missing() -> None:
    doc = config.parse("[a]\nx = 1")
    doc["a"]["y"] = "2"
    assert doc.dumps() == "[a]\nx = 1\ny = 2"


# -- aligned columns ---------------------------------------------------------------------
def test_new_line_pads_its_name_to_the_aligned_operator_column() -> None:
    doc = config.parse("[a]\nx      = 1\nlonger = 2\nmid    = 3\n")
    doc["a"]["yy"] = "4"
    doc["a"]["much_longer"] = "5"
    assert doc.dumps() == (
        "[a]\nx      = 1\nlonger = 2\nmid    = 3\nyy     = 4\nmuch_longer = 5\n"
    )
    assert doc.config().category("a").items()[-2:] == [("yy", "4"), ("much_longer", "5")]


def test_aligned_column_wins_over_a_same_name_line_elsewhere() -> None:
    doc = config.parse("[a]\nhost = x\n\n[b]\ntype     = peer\nsecret   = s\ncontext  = c\n")
    doc["b"]["host"] = "dynamic"
    assert doc.dumps().endswith("context  = c\nhost     = dynamic\n")


def test_aligned_operators_padded_with_tabs_keep_tabs() -> None:
    # Columns count tab stops of 8: both '=' are at column 16.
    doc = config.parse("[a]\nab\t\t= 1\nlongername\t= 2\n")
    doc["a"]["c"] = "3"
    doc["a"]["name_of_16_chars"] = "4"
    assert doc.dumps() == (
        "[a]\nab\t\t= 1\nlongername\t= 2\nc\t\t= 3\nname_of_16_chars\t= 4\n"
    )


def test_tab_aligned_column_off_a_tab_stop_is_reached_with_tabs_then_spaces() -> None:
    doc = config.parse("[a]\nab\t   = 1\nlongername = 2\n")
    doc["a"]["c"] = "3"
    assert doc.dumps().endswith("longername = 2\nc\t   = 3\n")


def test_aligned_values_after_the_operator_stay_aligned() -> None:
    doc = config.parse("[a]\nx =       1\nlong =    2\nlonger => 3\n")
    doc["a"]["mid"] = "4"
    assert doc.dumps().endswith("longer => 3\nmid =     4\n")


def test_new_section_lines_follow_the_alignment_of_the_section_they_copy() -> None:
    doc = config.parse("[a]\ntype   = peer\nsecret = s\n\n")
    section = doc.add_section("b")
    section["host"] = "dynamic"
    section["context"] = "c"
    assert doc.dumps().endswith("[b]\nhost   = dynamic\ncontext = c\n")


def test_names_of_one_width_are_no_evidence_of_alignment() -> None:
    doc = config.parse("[a]\nab = 1\ncd = 2\n")
    doc["a"]["x"] = "3"
    assert doc.dumps().endswith("cd = 2\nx = 3\n")


# -- the file's habits when the section has nothing to copy ----------------------------------
def test_new_line_uses_the_file_majority_when_nothing_near_has_an_assignment() -> None:
    empty = "".join(f"[e{i}]\n" for i in range(150))
    doc = config.parse("[general]\nk=v\nother=w\nx = y\n\n" + empty)
    doc["e149"]["new"] = "1"
    assert doc.dumps().endswith("[e149]\nnew=1\n")


def test_new_line_uses_commented_out_assignments_when_there_are_no_live_ones() -> None:
    doc = config.parse(
        "[general]\n;context=default\n;allowguest=no\n; bindport=5060\n"
        "; the port = 5060 by default\n; see the docs = here\n"
    )
    doc.add_section("office")["context"] = "phones"
    assert doc.dumps().endswith("[office]\ncontext=phones\n")
    assert doc.config().category("office").items() == [("context", "phones")]


# -- new sections ----------------------------------------------------------------------------
def test_new_section_is_indented_like_its_neighbours_at_the_insertion_point() -> None:
    doc = config.parse("  [a]\n  x = 1\n\n  [b]\n  y = 2\n\n[c]\nz = 1\n")
    doc.add_section("n", after=doc["a"])
    doc.add_section("m", after=doc["c"])
    doc.add_section("first", before=doc["a"])
    assert doc.dumps() == (
        "  [first]\n\n  [a]\n  x = 1\n\n  [n]\n\n  [b]\n  y = 2\n\n[c]\nz = 1\n\n[m]\n"
    )
    assert [c.name for c in doc.config().categories] == ["first", "a", "n", "b", "c", "m"]


def test_empty_new_sections_are_separated_like_the_file_separates_its_sections() -> None:
    doc = config.parse("[a]\nx = 1\n\n[b]\ny = 2\n")
    first = doc.add_section("c")
    doc.add_section("e")
    doc.add_section("d", after=first)
    assert doc.dumps() == "[a]\nx = 1\n\n[b]\ny = 2\n\n[c]\n\n[d]\n\n[e]\n"


def test_empty_new_sections_stay_joined_in_a_file_without_blank_lines() -> None:
    doc = config.parse("[a]\nx = 1\n[b]\ny = 2\n")
    doc.add_section("c")
    doc.add_section("e")
    assert doc.dumps() == "[a]\nx = 1\n[b]\ny = 2\n[c]\n[e]\n"


def test_a_section_with_its_own_column_does_not_take_a_neighbours_column() -> None:
    doc = config.parse("[a]\nx      = 1\nlonger = 2\n\n[b]\nab = 1\ncd = 2\n")
    doc["b"]["e"] = "3"
    assert doc.dumps().endswith("[b]\nab = 1\ncd = 2\ne = 3\n")


def test_a_same_name_line_from_an_aligned_section_brings_no_padding_to_an_unaligned_one() -> None:
    doc = config.parse("[a]\nhost   = x\nsecret = s\n\n[b]\ntype = peer\ncontext = c\n")
    doc["b"]["host"] = "dynamic"
    assert doc.dumps().endswith("[b]\ntype = peer\ncontext = c\nhost = dynamic\n")


def test_lines_that_meet_in_a_column_by_chance_are_not_aligned() -> None:
    doc = config.parse("[general]\nstatic=yes\nexten => 100,1,NoOp()\ninclude => ctx\n")
    doc["general"]["ab"] = "no"
    assert doc.dumps().endswith("include => ctx\nab = no\n")


def test_a_section_with_assignments_is_copied_before_a_same_name_line_elsewhere() -> None:
    doc = config.parse("[general]\ncallerid=none\n\n[ep1]\ntype = endpoint\ncontext = c\n")
    doc["ep1"]["callerid"] = "x"
    assert doc.dumps().endswith("context = c\ncallerid = x\n")


def test_a_line_placed_among_others_copies_its_neighbour_there() -> None:
    doc = config.parse("[a]\n\tx\t=\t1\n\ty\t=\t2\n\n; legacy\nold=1\n")
    doc["a"].add("z", "3", after="y")
    assert doc.dumps() == "[a]\n\tx\t=\t1\n\ty\t=\t2\n\tz\t=\t3\n\n; legacy\nold=1\n"


def test_new_sections_keep_the_column_of_the_aligned_sections_they_follow() -> None:
    doc = config.parse("[ep1]\ntype     = endpoint\ncontext  = c\ndisallow = all\n\n")
    for name in ("a1", "a2"):
        section = doc.add_section(name)
        section["type"] = "aor"
        section["max_contacts"] = "1"
        section["qualify"] = "60"
    assert doc.dumps().endswith(
        "[a2]\ntype     = aor\nmax_contacts = 1\nqualify  = 60\n"
    )


def test_a_line_with_an_empty_value_is_not_copied_for_the_spacing_after_the_operator() -> None:
    doc = config.parse("[a]\nx = 1\ny =\n")
    doc["a"]["z"] = "2"
    assert doc.dumps() == "[a]\nx = 1\ny =\nz = 2\n"


def test_one_value_padded_by_chance_does_not_make_a_value_column() -> None:
    doc = config.parse("[c]\nexten => 1,1,NoOp()\nsame =>  n,Hangup()\nexten => 2,1,NoOp()\n")
    doc["c"]["zz"] = "v"
    assert doc.dumps().endswith("exten => 2,1,NoOp()\nzz = v\n")


def test_tab_columns_count_from_the_start_of_the_line_indent_included() -> None:
    doc = config.parse("[a]\n\tab\t\t= 1\n\tlongername\t= 2\n")
    doc["a"]["c"] = "3"
    doc["a"]["name_of_14_chr"] = "4"
    assert doc.dumps() == (
        "[a]\n\tab\t\t= 1\n\tlongername\t= 2\n\tc\t\t= 3\n\tname_of_14_chr\t= 4\n"
    )


def test_a_file_that_shows_no_separation_gets_no_blank_line_after_an_empty_section() -> None:
    doc = config.parse("[a]\nx = 1\n[b]\n")
    doc.move_section(doc["a"], after=doc["b"])
    assert doc.dumps() == "[b]\n[a]\nx = 1\n"

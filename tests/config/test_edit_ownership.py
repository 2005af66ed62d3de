"""What an edit may take with it: a section or a key removes only what is its own.

The rule (docs/config.md, "What a removal takes"): a section owns its header, the
comment block directly above the header, and its lines up to its last line that is
neither a comment nor blank, with the comments between them.  Comment blocks after that
are documentation or commented-out examples and stay.  One run of blank lines that
separated the removed part goes with it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pyst import config
from pyst.config import Blank, Comment, ConfigEditError, Header

CORPUS = Path(__file__).parent / "data" / "corpus"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "asterisk-samples"


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def test_free_standing_documentation_after_a_section_stays() -> None:
    source = (
        "[general]\na=1\n\n; docs for the peers below\n\n; [example]\n; host=dynamic\n\n"
        "[peer1]\nx=1\n"
    )
    doc = config.parse(source)
    doc.remove_section(doc["general"])
    assert doc.dumps() == (
        "; docs for the peers below\n\n; [example]\n; host=dynamic\n\n[peer1]\nx=1\n"
    )


def test_commented_examples_after_the_last_section_stay() -> None:
    doc = config.parse("[a]\nx=1\n\n[b]\ny=2\n\n;[example]\n;y=3\n")
    doc.remove_section(doc["b"])
    assert doc.dumps() == "[a]\nx=1\n\n;[example]\n;y=3\n"


def test_the_comment_block_directly_above_the_header_goes_with_it() -> None:
    doc = config.parse("[a]\nx=1\n\n; the b peer\n[b]\ny=2\n\n[c]\nz=3\n")
    doc.remove_section(doc["b"])
    assert doc.dumps() == "[a]\nx=1\n\n[c]\nz=3\n"


def test_comments_between_own_lines_go_and_comments_above_the_next_header_stay() -> None:
    doc = config.parse("[a]\nx=1\n[b]\ny=2\n; about y2\ny2=3 ; same line\n;for c\n[c]\nz=3\n")
    doc.remove_section(doc["b"])
    assert doc.dumps() == "[a]\nx=1\n;for c\n[c]\nz=3\n"


def test_removing_the_last_section_takes_the_blank_lines_above_it() -> None:
    doc = config.parse("[a]\nx=1\n\n\n[b]\ny=2\n")
    doc.remove_section(doc["b"])
    assert doc.dumps() == "[a]\nx=1\n"


def test_a_file_without_a_final_newline_keeps_that_style() -> None:
    doc = config.parse("[a]\nx=1\n\n[b]\ny=2")
    doc.remove_section(doc["b"])
    assert doc.dumps() == "[a]\nx=1"
    doc = config.parse("[a]\n[b]\ny=2")
    doc.remove_section(doc["b"])
    assert doc.dumps() == "[a]"


def test_take_trailing_comments_is_the_explicit_old_behaviour() -> None:
    doc = config.parse("[a]\nx=1\n\n; examples\n;[b]\n\n[c]\nz=3\n")
    doc.remove_section(doc["a"], take_trailing_comments=True)
    assert doc.dumps() == "[c]\nz=3\n"


def test_sip_conf_sample_authentication_takes_its_own_lines_only() -> None:
    sample = CORPUS / "16.30.1" / "sip.conf.sample"
    if not sample.exists():
        pytest.skip("sip.conf.sample of 16.30.1 is not bundled")
    data = sample.read_bytes()
    doc = config.parse(data)
    section = doc["authentication"]
    own = [line for line in section.lines if not isinstance(line, (Comment, Blank))]
    doc.remove_section(section)
    removed = data.count(b"\n") - doc.dumps().count(b"\n")
    assert removed <= 1 + len(own) + 2  # header, own lines, a separating blank line


def test_a_refused_removal_changes_nothing() -> None:
    source = "[t](!)\na=1\n\n; docs\n\n[c](t)\nb=2\n"
    doc = config.parse(source)
    with pytest.raises(ConfigEditError):
        doc.remove_section(doc["t"])
    assert doc.dumps() == source


def _check_only_own_lines_removed(data: bytes, index: int) -> None:
    """Remove section ``index`` of ``data`` and check the rule on the lines that went."""
    doc = config.parse(data)
    section = doc.sections[index]
    holder = doc.sections[index - 1].lines if index else doc.preamble
    above = len(holder)
    while above and isinstance(holder[above - 1], Comment):
        above -= 1
    own_comments = {id(line) for line in holder[above:]}
    body = section.lines
    last = max((i for i, line in enumerate(body) if not isinstance(line, (Comment, Blank))),
               default=-1)
    own_comments.update(id(line) for line in body[: last + 1])
    # Blank lines: those among its own lines, and one separating run right below its
    # last own line or right above its comment block.
    separating = {id(line) for line in body[: last + 1] if isinstance(line, Blank)}
    below = last + 1
    while below < len(body) and isinstance(body[below], Blank):
        separating.add(id(body[below]))
        below += 1
    top = above
    while top and isinstance(holder[top - 1], Blank):
        top -= 1
        separating.add(id(holder[top]))
    header = section.header
    before = [line for line in doc.lines()]
    try:
        doc.remove_section(section)
    except ConfigEditError:
        assert doc.dumps() == data
        return
    after = list(doc.lines())
    kept = {id(line) for line in after}
    originals = {id(line) for line in before}
    for position, line in enumerate(after):
        if id(line) not in originals:
            # Rebuilt without its line ending (the file ends without one): the original
            # sits at the same position, since everything above the removal stays put.
            assert line.text == before[position].text
            kept.add(id(before[position]))
    removed = [line for line in before if id(line) not in kept]
    assert header in removed
    for line in removed:
        if line is header:
            continue
        allowed = separating if isinstance(line, Blank) else own_comments
        assert id(line) in allowed, (index, line)


def _samples(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*.sample") if path.is_file())


def test_removing_any_section_of_a_bundled_sample_takes_only_its_own_lines() -> None:
    samples = _samples(CORPUS)
    assert len(samples) > 100
    checked = 0
    for sample in samples:
        data = sample.read_bytes()
        count = len(config.parse(data).sections)
        # Every section of the small files; a spread of sections of the large ones.
        step = max(1, count // 20)
        for index in range(0, count, step):
            _check_only_own_lines_removed(data, index)
            checked += 1
    assert checked > 300


@pytest.mark.slow
def test_removing_any_section_of_every_sample_takes_only_its_own_lines() -> None:
    if not SHARED.is_dir():
        pytest.skip("reference corpus ../shared not present")
    for sample in _samples(SHARED):
        data = sample.read_bytes()
        for index in range(len(config.parse(data).sections)):
            _check_only_own_lines_removed(data, index)


def test_removing_a_key_takes_its_comment_block_not_a_free_standing_one() -> None:
    doc = config.parse("[a]\n; block about the docs\n\n; about b\nb=1 ; why\nc=2\n")
    doc["a"].remove("b")
    assert doc.dumps() == "[a]\n; block about the docs\n\nc=2\n"


def test_header_kind_is_kept_for_the_next_section() -> None:
    doc = config.parse("[a]\nx=1\n[b]\ny=2\n")
    doc.remove_section(doc["a"])
    assert isinstance(next(doc.lines()), Header)


def test_a_block_comment_opened_by_an_own_line_is_owned_up_to_where_it_closes() -> None:
    doc = config.parse("[a]\nx=1 ;-- opens\n--;\n[b]\n")
    doc.remove_section(doc["a"])
    assert doc.dumps() == "[b]\n"

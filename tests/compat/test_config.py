"""pyst.compat.config: pyst 0.x's Config objects built on pyst.config."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyst import config as new_config
from pyst.compat.config import Category, Config, Item, Line, ParseError

SAMPLE = (
    "; sip.conf\n"
    "[general]\n"
    "bindport = 5060 ; the usual port\n"
    "\n"
    "; phones\n"
    "[phone](!)\n"
    "type=friend\n"
    "#include extra.conf\n"
    "[100](phone)\n"
    "secret = a\\;b\n"
    "exten => 1,1,Answer()\n"
)


@pytest.fixture
def sample(tmp_path: Path) -> Config:
    path = tmp_path / "sip.conf"
    path.write_text(SAMPLE)
    return Config(str(path))


def test_categories_in_file_order(sample: Config) -> None:
    assert [c.name for c in sample.categories] == ["general", "phone", "100"]
    assert [[(i.name, i.value) for i in c.items] for c in sample.categories] == [
        [("bindport", "5060")],
        [("type", "friend")],
        [("secret", "a;b"), ("exten", "1,1,Answer()")],
    ]


def test_no_inheritance_is_applied(sample: Config) -> None:
    # 0.x reads the file as written: [100] does not get type=friend from its template.
    assert "type" not in [item.name for item in sample.categories[2].items]
    meaning = new_config.parse(SAMPLE.replace("#include", "#tryinclude")).config()
    assert meaning["100"].get("type") == "friend"


def test_lines_keep_every_line_with_its_number(sample: Config) -> None:
    assert len(sample.lines) == len(sample.raw_lines) == SAMPLE.count("\n")
    assert [line.number for line in sample.lines] == list(range(1, 12))
    kinds = [type(line).__name__ for line in sample.lines]
    assert kinds == [
        "Line",
        "Category",
        "Item",
        "Line",
        "Line",
        "Category",
        "Item",
        "Line",
        "Category",
        "Item",
        "Item",
    ]
    assert sample.raw_lines[0] == "; sip.conf\n"


def test_comments(sample: Config) -> None:
    general = sample.categories[0]
    bindport = general.items[0]
    assert bindport.comment == " the usual port"
    assert [str(line) for line in general.comments] == ["", "; phones"]
    assert sample.lines[0].comment == " sip.conf" and sample.lines[0].line == ""


def test_object_style_and_get_line(sample: Config) -> None:
    exten = sample.categories[2].items[1]
    assert exten.style == ">"
    assert exten.get_line() == "exten => 1,1,Answer()"
    secret = sample.categories[2].items[0]
    assert secret.get_line() == "secret = a\\;b"  # the ; stays a value, not a comment
    assert sample.categories[0].items[0].get_line() == "bindport = 5060\t; the usual port"
    assert sample.categories[0].get_line() == "[general]"
    assert str(sample.lines[7]) == "#include extra.conf"


def test_written_lines_read_back_the_same(sample: Config, tmp_path: Path) -> None:
    copy = tmp_path / "copy.conf"
    copy.write_text("\n".join(str(line) for line in sample.lines) + "\n")
    again = Config(str(copy))
    assert [[(i.name, i.value, i.style) for i in c.items] for c in again.categories] == [
        [(i.name, i.value, i.style) for i in c.items] for c in sample.categories
    ]


def test_constructors() -> None:
    category = Category(name="new")
    item = Item(name="context", value="default")
    category.append(item)
    category.insert(0, Item("allow = ulaw ; codec"))
    assert [i.name for i in category.items] == ["allow", "context"]
    assert category.items[0].comment == " codec"
    category.pop()
    category.remove(category.items[0])
    assert category.items == []
    assert Category("[x] ; c", 4).name == "x"
    assert Line("text ; note", 2).line == "text"
    with pytest.raises(ParseError):
        Category("[broken", 7)
    with pytest.raises(ValueError):
        Category()
    with pytest.raises(ValueError):
        Item()


@pytest.mark.parametrize(
    ("text", "number", "reason"),
    [
        ("[a]\nx=1\njunk here\n", 3, "Item must be in name = value pairs"),
        ("[a]\nb]\n", 2, "Category name missing '['"),
        ("[a\n", 1, "Missing '[' or ']' in category definition"),
    ],
)
def test_parse_errors_unpack_as_line_and_reason(
    tmp_path: Path, text: str, number: int, reason: str
) -> None:
    path = tmp_path / "bad.conf"
    path.write_text(text)
    with pytest.raises(ParseError) as raised:
        Config(str(path))
    line, message = raised.value
    assert (line, message) == (number, reason)


def test_missing_file_is_an_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        Config(str(tmp_path / "missing.conf"))


def test_bytes_that_are_not_utf8_survive(tmp_path: Path) -> None:
    path = tmp_path / "latin1.conf"
    path.write_bytes(b"[a]\nname = f\xe5tt\n")
    config = Config(str(path))
    value = config.categories[0].items[0].value
    assert value == "f\udce5tt"
    assert value.encode("utf-8", "surrogateescape") == b"f\xe5tt"


def test_block_comments_hide_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "block.conf"
    path.write_text("[a]\n;-- start\nnot = read\n--;\nreal = yes\n")
    config = Config(str(path))
    assert [(i.name, i.value) for i in config.categories[0].items] == [("real", "yes")]


def test_document_is_the_new_api(sample: Config) -> None:
    assert isinstance(sample.document, new_config.Document)
    assert sample.document.dumps() == SAMPLE

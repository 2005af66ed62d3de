"""UpdateConfig edits as Asterisk reads them (manager.c ``handle_updates`` modelled in
manager_c.py): values, objects (``>``), inherit and catfilter options, template categories,
line and header-count limits, blanks Asterisk would strip (leading or trailing), and values
read over AMI written back as the same bytes.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyst.manager import (
    Append,
    Decoder,
    DelCat,
    Delete,
    EmptyCat,
    Insert,
    NewCat,
    RenameCat,
    Update,
    UpdateConfig,
    config_from_response,
    encode_action,
)

from .conftest import wire
from .manager_c import (
    INBUF_MAX_LINE,
    asterisk_headers,
    manager_c_catfilter,
    manager_c_inherit,
    manager_c_update_edit,
)


def test_update_config_simple_edits_read_back_by_manager_c() -> None:
    data = wire(
        UpdateConfig(
            "x.conf",
            [
                NewCat("c", inherit=["tmpl"]),
                Append("c", "v", "a=b"),
                Update("c", "w", "1", object=True),
            ],
        )
    )
    assert manager_c_update_edit(data, 0)["inherit"] == ["tmpl"]
    assert manager_c_update_edit(data, 1)["value"] == "a=b"
    edit = manager_c_update_edit(data, 2)
    assert edit["object"] and edit["value"] == "1"


def test_newcat_multiple_templates_are_all_inherited() -> None:
    data = wire(UpdateConfig("x.conf", [NewCat("c", inherit=["t1", "t2"])]))
    assert manager_c_update_edit(data)["inherit"] == ["t1", "t2"]


def test_update_value_with_leading_blank_and_gt_is_not_object() -> None:
    try:
        data = wire(UpdateConfig("x.conf", [Update("c", "v", " >x")]))
    except ValueError:
        return  # refusing it is fine
    edit = manager_c_update_edit(data)
    assert (edit["object"], edit["value"]) == (False, " >x")


def test_insert_value_starting_with_gt_is_kept() -> None:
    try:
        data = wire(UpdateConfig("x.conf", [Insert("c", "v", ">x", line=0)]))
    except ValueError:
        return  # refusing it is fine
    assert manager_c_update_edit(data)["value"] == ">x"


def test_update_config_never_builds_an_action_asterisk_cannot_read() -> None:
    edits = [Append("c", f"v{i}", str(i)) for i in range(40)]
    try:
        data = wire(UpdateConfig("x.conf", edits))
    except ValueError:
        return
    assert len(asterisk_headers(data)) <= 128


def test_edit_of_category_with_leading_blank_is_not_silently_retargeted() -> None:
    try:
        data = wire(UpdateConfig("x.conf", [Append(" spaced cat ", "v", "1")]))
    except ValueError:
        return
    assert manager_c_update_edit(data)["cat"] == " spaced cat "


def test_update_config_value_longer_than_line_buffer_is_refused() -> None:
    with pytest.raises(ValueError):
        action = UpdateConfig("extensions.conf", [Update("general", "v", "z" * 1500)])
        encode_action(action.wire_headers("a2"))


def test_short_header_lines_fit_asterisk_line_buffer() -> None:
    action = UpdateConfig("extensions.conf", [Update("general", "v", "z" * 500)])
    data = encode_action(action.wire_headers("a3"))
    assert max(len(line) for line in data.split(b"\r\n")) <= INBUF_MAX_LINE


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.text(alphabet="abcXYZ09-_.()[] ", min_size=1, max_size=8).filter(
            lambda s: s == s.strip()
        ),
        min_size=1,
        max_size=4,
    ),
    st.booleans(),
    st.booleans(),
)
def test_newcat_inherit_options_read_back(
    templates: list[str], template: bool, dups: bool
) -> None:
    edit = NewCat("child", template=template, inherit=templates, allow_duplicates=dups)
    headers = dict(UpdateConfig("x.conf", [edit]).wire_headers("a4"))
    assert manager_c_inherit(headers["Options-000000"]) == templates


def test_edits_can_reach_template_categories() -> None:
    for edit_class in (Update, Append, Delete, EmptyCat, DelCat, RenameCat):
        names = {f.name for f in dataclasses.fields(edit_class)}
        assert names & {"options", "catfilter", "templates"}, edit_class.__name__


_ITEM = st.tuples(
    st.text(alphabet="abcXYZ09-_.()[]^$*", min_size=1, max_size=6),
    st.text(alphabet="abcXYZ09-_.()[]^$* ", max_size=6).filter(lambda s: s == s.strip()),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(_ITEM, max_size=3), st.booleans(), st.booleans())
def test_catfilter_reads_back(items: list[tuple[str, str]], templates: bool, ignore: bool) -> None:
    catfilter = ",".join(f"{n}={v}" for n, v in items) if items else None
    edit = DelCat("c", ignore_error=ignore, catfilter=catfilter, templates=templates)
    headers = dict(UpdateConfig("x.conf", [edit]).wire_headers("a"))
    expected = ([("TEMPLATES", "include")] if templates else []) + items
    options = headers.get("Options-000000")
    if not expected:
        assert options == ("ignoreerror" if ignore else None)
        return
    assert options is not None
    assert manager_c_catfilter(options) == expected
    assert ("ignoreerror" in options.split(",")) == ignore


def test_every_category_edit_but_newcat_takes_the_filter() -> None:
    edits = [
        Update("tmpl", "a", "1", templates=True),
        Append("tmpl", "a", "1", templates=True),
        Delete("tmpl", "a", templates=True),
        Insert("tmpl", "a", "1", 0, templates=True),
        EmptyCat("tmpl", templates=True),
        DelCat("tmpl", templates=True),
        RenameCat("tmpl", "tmpl2", templates=True),
    ]
    headers = UpdateConfig("x.conf", edits).wire_headers("a")
    options = [v for k, v in headers if k.startswith("Options-")]
    assert options == ['catfilter="TEMPLATES=include"'] * len(edits)
    assert not hasattr(NewCat("n"), "catfilter")
    # positional use is unchanged: the filter fields are keyword-only
    assert Update("general", "v", "1").value == "1"


@pytest.mark.parametrize(
    "catfilter", ["TEMPLATES", "a=b=c", " a=b", "a=b ", 'a="b"', "a='b'", "a=\\b", "=b", "a=b,"]
)
def test_unreadable_catfilters_are_refused(catfilter: str) -> None:
    with pytest.raises(ValueError):
        UpdateConfig("x.conf", [Update("c", "a", "1", catfilter=catfilter)])


def test_templates_flag_and_templates_item_conflict() -> None:
    with pytest.raises(ValueError):
        UpdateConfig("x.conf", [EmptyCat("c", templates=True, catfilter="TEMPLATES=restrict")])


def test_a_value_read_over_ami_is_written_back_as_the_same_bytes() -> None:
    [response] = Decoder(greeting=False).feed(
        b"Response: Success\r\nActionID: g\r\nCategory-000000: c\r\n"
        b"Line-000000-000000: body=f\xe5tt \xff\r\n\r\n"
    )
    [category] = config_from_response(response).categories  # type: ignore[arg-type]
    [variable] = category.variables
    data = wire(UpdateConfig("x.conf", [Update(category.name, variable.name, variable.value)]))
    assert b"\r\nValue-000000: f\xe5tt \xff\r\n" in data
    assert manager_c_update_edit(data)["value"] == "f\udce5tt \udcff"


@pytest.mark.parametrize(
    "edit",
    [
        Update("c", "v", "x "),
        Update("c", "v", "x\t", object=True),
        Update("c", "v ", "x"),
        Update("c", "v", "x", match="old "),
        Append("c", "v", "x "),
        Append("c", "v\t", "x"),
        Insert("c", "v", "x ", line=0),
        Delete("c", "v "),
        Delete("c", "v", match="old "),
    ],
)
def test_trailing_blanks_that_asterisk_would_strip_are_refused(edit: object) -> None:
    # config.c process_text_line() strips variable names and values when the saved file is
    # read back, and a Match is compared with those stripped values: refuse, as for leading
    # blanks, instead of losing them silently
    with pytest.raises(ValueError, match="ends with a blank"):
        UpdateConfig("x.conf", [edit])  # type: ignore[list-item]


def test_trailing_blanks_in_category_names_are_sent_as_given() -> None:
    # a category name keeps its blanks in the file ("[c ]") and when Asterisk reads it back
    edits = [NewCat("c "), RenameCat("c ", new_name="d "), Append("d ", "v", "x")]
    data = wire(UpdateConfig("x.conf", edits))
    assert [manager_c_update_edit(data, i)["cat"] for i in range(3)] == ["c ", "c ", "d "]
    assert b"Value-000001: d \r\n" in data

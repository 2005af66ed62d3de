"""Include trees: ``load_tree`` and :class:`Tree`, edits across ``#include``d files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pyst import config
from pyst.config import ConfigEditError, ConfigIOError
from tests.config.helpers import write_files


def _tree(tmp_path: Path, files: dict[str, str]) -> config.Tree:
    write_files(tmp_path, {name: text.encode() for name, text in files.items()})
    return config.load_tree(tmp_path / "pjsip.conf")


def test_a_category_of_an_included_file_is_found_and_edited_there(tmp_path: Path) -> None:
    tree = _tree(tmp_path, {
        "pjsip.conf": '[global]\ntype=global\n\n#include "users.conf"\n',
        "users.conf": "[6001]\ntype=endpoint\nmax_contacts = 1\n",
    })
    assert [d.path for d in tree.documents] == [
        str(tmp_path / "pjsip.conf"), str(tmp_path / "users.conf")
    ]
    tree["6001"]["max_contacts"] = "2"
    assert tree.document(tmp_path / "users.conf").dumps() == (
        b"[6001]\ntype=endpoint\nmax_contacts = 2\n"
    )
    assert tree.main.changed is False
    assert tree.config()["6001"].get("max_contacts") == "2"
    assert tree.save() == [str(tmp_path / "users.conf")]
    assert (tmp_path / "users.conf").read_bytes() == b"[6001]\ntype=endpoint\nmax_contacts = 2\n"


def test_a_parent_from_an_included_file_can_be_inherited(tmp_path: Path) -> None:
    tree = _tree(tmp_path, {
        "pjsip.conf": '#include "templates.conf"\n\n[6001](phone)\n',
        "templates.conf": "[phone](!)\ntype=endpoint\ncontext=office\n",
    })
    peer = tree.add_section("6002", parents=["phone"])
    peer["callerid"] = "Desk <6002>"
    assert peer.document is tree.main
    category = tree.config()["6002"]
    assert category.items() == [
        ("type", "endpoint"), ("context", "office"), ("callerid", "Desk <6002>")
    ]
    assert peer.category() is not None
    where = {v.name: (Path(v.file).name, v.line) for v in peer.category().variables}
    assert where["type"] == ("templates.conf", 2)
    assert where["callerid"] == ("pjsip.conf", 6)


def test_a_new_section_goes_to_the_named_file(tmp_path: Path) -> None:
    tree = _tree(tmp_path, {
        "pjsip.conf": '#include "users.conf"\n',
        "users.conf": "[6001]\ntype=endpoint\n",
    })
    tree.add_section("6002", file=tmp_path / "users.conf")["type"] = "endpoint"
    assert tree.document(tmp_path / "users.conf").text() == (
        "[6001]\ntype=endpoint\n\n[6002]\ntype=endpoint\n"
    )


def test_removing_a_template_an_included_file_uses_is_refused(tmp_path: Path) -> None:
    tree = _tree(tmp_path, {
        "pjsip.conf": '[phone](!)\ntype=endpoint\n#include "users.conf"\n',
        "users.conf": "[6001](phone)\n",
    })
    with pytest.raises(ConfigEditError):
        tree.remove_section(tree["phone"])
    assert not tree.changed


def test_a_transaction_spans_the_files(tmp_path: Path) -> None:
    tree = _tree(tmp_path, {
        "pjsip.conf": '[a]\nx=1\n#include "b.conf"\n',
        "b.conf": "[b]\ny=2\n",
    })
    with pytest.raises(RuntimeError), tree.transaction():
        tree["a"]["x"] = "9"
        tree["b"]["y"] = "9"
        raise RuntimeError
    assert not tree.changed and tree["b"]["y"] == "2"


def test_globs_read_every_matching_file_in_order(tmp_path: Path) -> None:
    tree = _tree(tmp_path, {
        "pjsip.conf": '#include "users.d/*.conf"\n[last]\n',
        "users.d/b.conf": "[b]\n",
        "users.d/a.conf": "[a]\n",
    })
    assert [s.name for s in tree.sections] == ["a", "b", "last"]
    assert [c.name for c in tree.config()] == ["a", "b", "last"]


def test_cycles_load_and_are_reported(tmp_path: Path) -> None:
    tree = _tree(tmp_path, {
        "pjsip.conf": '[a]\n#include "b.conf"\n',
        "b.conf": '[b]\n#include "pjsip.conf"\n',
    })
    assert len(tree.documents) == 2
    assert any(d.code == "include-depth" for d in tree.config().diagnostics)
    tree["b"]["x"] = "1"
    assert tree.document(tmp_path / "b.conf").text() == '[b]\n#include "pjsip.conf"\nx = 1\n'


def test_exec_is_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    tree = _tree(tmp_path, {"pjsip.conf": f"[a]\n#exec touch {marker}\n"})
    tree["a"]["x"] = "1"
    assert not marker.exists()
    assert len(tree.documents) == 1


def test_save_refuses_a_file_changed_on_disk_and_writes_nothing(tmp_path: Path) -> None:
    tree = _tree(tmp_path, {
        "pjsip.conf": '[a]\nx=1\n#include "b.conf"\n',
        "b.conf": "[b]\ny=2\n",
    })
    os.chmod(tmp_path / "b.conf", 0o640)
    tree["a"]["x"] = "2"
    tree["b"]["y"] = "3"
    (tmp_path / "b.conf").write_text("[b]\ny=changed\n")
    with pytest.raises(ConfigIOError, match="changed on disk"):
        tree.save()
    assert (tmp_path / "pjsip.conf").read_text() == '[a]\nx=1\n#include "b.conf"\n'


def test_diff_shows_the_pending_changes_of_each_file(tmp_path: Path) -> None:
    tree = _tree(tmp_path, {
        "pjsip.conf": '[a]\nx=1\n#include "b.conf"\n',
        "b.conf": "[b]\ny=2\n",
    })
    assert tree.diff() == ""
    tree["b"]["y"] = "3"
    diff = tree.diff()
    assert f"--- a/{tmp_path / 'b.conf'}" in diff and "-y=2\n+y=3\n" in diff
    assert "pjsip.conf" not in diff


def test_lines_after_an_include_stay_in_the_including_category(tmp_path: Path) -> None:
    tree = _tree(tmp_path, {
        "pjsip.conf": '[a]\n#include "b.conf"\nx=1\n',
        "b.conf": "[b]\ny=2\n",
    })
    assert tree["a"]["x"] == "1" and "x" not in tree["b"]
    tree["a"]["x"] = "5"
    assert tree.main.text() == '[a]\n#include "b.conf"\nx=5\n'


def test_lines_before_the_first_header_of_an_included_file_join_the_includer(
    tmp_path: Path,
) -> None:
    tree = _tree(tmp_path, {
        "pjsip.conf": '[a]\nx=1\n#include "b.conf"\n',
        "b.conf": "y=2\n[b]\n",
    })
    assert tree["a"]["y"] == "2"
    tree["a"]["y"] = "3"
    assert tree.document(tmp_path / "b.conf").text() == "y=3\n[b]\n"


def test_a_section_holding_an_include_is_not_removed(tmp_path: Path) -> None:
    tree = _tree(tmp_path, {"pjsip.conf": '[a]\n#include "b.conf"\n', "b.conf": "[b]\n"})
    with pytest.raises(ConfigEditError, match="include"):
        tree.remove_section(tree["a"])
    assert not tree.changed


def test_an_include_before_the_first_header_is_spliced_where_it_is(tmp_path: Path) -> None:
    # An #include in the main file's preamble (the usual place) reads its file before
    # every section of the main file; edits are checked on the categories they touch.
    tree = _tree(tmp_path, {
        "pjsip.conf": "; top\n#include templates.conf\n\n[t](+)\nextra=1\n\n[6001](t)\nsecret=a\n",
        "templates.conf": "[t]\ntype=endpoint\n",
    })
    assert [s.name for s in tree.sections] == ["t", "t", "6001"]
    assert tree["6001"].items() == [("type", "endpoint"), ("extra", "1"), ("secret", "a")]
    tree["6001"]["secret"] = "b"
    peer = tree.add_section("6002", parents=["t"])
    assert peer.items() == [("type", "endpoint"), ("extra", "1")]
    with pytest.raises(ConfigEditError):
        tree.remove_section(tree["t"])  # the parent of 6001 and 6002
    with pytest.raises(ConfigEditError):
        tree.remove_section(tree.sections_named("t")[1])  # 6001 and 6002 copy its extra
    view = tree.config()
    assert view["6001"].items() == [("type", "endpoint"), ("extra", "1"), ("secret", "b")]
    assert view["6002"].items() == [("type", "endpoint"), ("extra", "1")]
    assert tree.document(tmp_path / "templates.conf").changed is False


def test_an_addition_finds_the_category_an_include_at_the_top_created(tmp_path: Path) -> None:
    tree = _tree(tmp_path, {
        "pjsip.conf": "#include a.conf\n\n[a]\nx=main\n\n[a](+)\ny=1\n",
        "a.conf": "[a]\nx=inc\n",
    })
    first, second, addition = tree.sections_named("a")
    assert first.document is tree.document(tmp_path / "a.conf")
    assert first.items() == [("x", "inc"), ("y", "1")] and second.items() == [("x", "main")]
    addition["y"] = "2"
    second["x"] = "other"
    first["z"] = "3"
    view = tree.config()
    assert [c.items() for c in view.categories_named("a")] == [
        [("x", "inc"), ("z", "3"), ("y", "2")], [("x", "other")]
    ]
    assert [c.items() for c in view.categories_named("a")] == [
        tree.sections_named("a")[0].items(), tree.sections_named("a")[1].items()
    ]


def test_a_value_written_before_an_included_files_first_header_is_set_there(
    tmp_path: Path,
) -> None:
    tree = _tree(tmp_path, {
        "pjsip.conf": '[a]\nx=1\n#include "b.conf"\n',
        "b.conf": "y=2\ny+=5\n[b]\nz=1\n",
    })
    assert tree["a"]["y"] == "25"
    tree["a"]["y"] = "3"
    assert tree.document(tmp_path / "b.conf").text() == "y=3\n[b]\nz=1\n"
    assert tree.main.changed is False
    assert tree.config()["a"].items() == [("x", "1"), ("y", "3")]

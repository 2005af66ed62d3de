"""Reading a file as a chosen Asterisk: 18, 20, 22 (the default), 23 or master.

What is checked against what:

* ``data/version-cases``: files whose meaning differs between releases, with the GetConfig
  answers of a real Asterisk 22.10.1 and 20.20.1, and what master's source gives
  (``model-master``; no master Asterisk was run on them).  23.4.1 has master's config.c and
  18.26.4 has 22.10.1's ``ast_variable_update``, so those targets are compared with the same
  answers (from source).
* ``data/corpus``: sample configs with the answers of a real master; the 22.10.1 and 20.20.1
  answers for them are byte-identical (checked against ../shared when present), so the same
  files serve all three targets.
* ../shared (when present): all 444 samples against each release's own recordings (the
  GetConfig answers and the loader's log).
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyst import config
from pyst.cli._app import main
from pyst.cli._show import write_human
from tests.config.helpers import parse_getconfig, view_of

HERE = Path(__file__).parent
CASES = HERE / "data" / "version-cases"
BUNDLED = HERE / "data" / "corpus"
SHARED = HERE.parents[2] / "shared" / "corpus"

#: Target -> the suffix of the answer its view must equal, for each version case.
ANSWER_OF_TARGET = {
    "18": "getconfig-22",
    "20": "getconfig-20",
    "22": "getconfig-22",
    "23": "model-master",
    "master": "model-master",
}

CASE_FILES = sorted(CASES.glob("*.conf"))


def _answer(path: Path) -> tuple[bool, list[tuple[str, bool, list[str], list[tuple[str, str]]]]]:
    return parse_getconfig(path.read_bytes().decode("utf-8", "surrogateescape"))


def _samples(root: Path) -> list[Path]:
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and not p.name.endswith((".getconfig.txt", ".log", ".md"))
    )


# -- choosing the target -----------------------------------------------------------------


def test_default_is_asterisk_22() -> None:
    assert config.DEFAULT_ASTERISK.name == "22"
    view = config.parse("[g]\nk = 1\n").config()
    assert view.asterisk is config.ASTERISK_VERSIONS["22"]
    assert view.categories[0].asterisk.name == "22"


@pytest.mark.parametrize(
    ("value", "name"),
    [("22", "22"), (22, "22"), ("22.10.1", "22"), ("20.5.0", "20"), ("MASTER", "master"),
     ("23.0.0-rc1", "23"), (" 18 ", "18"), (None, "22")],
)
def test_asterisk_version_accepts_lines_and_releases(value: str | int | None, name: str) -> None:
    assert config.asterisk_version(value).name == name


@pytest.mark.parametrize("value", ["21", "17", "", "22.x", "latest", "22.10.1.7", 22.1, True])
def test_unknown_versions_are_refused_with_the_choices(value: object) -> None:
    with pytest.raises(config.UnknownAsteriskVersion, match="'18', '20', '22', '23', 'master'"
                       if not isinstance(value, (float, bool)) else "release line"):
        config.asterisk_version(value)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        config.Loader(asterisk=value)  # type: ignore[arg-type]
    with pytest.raises(config.ConfigError):
        config.read("unused.conf", asterisk=value)  # type: ignore[arg-type]


def test_every_entry_point_takes_the_target(tmp_path: Path) -> None:
    path = tmp_path / "a.conf"
    path.write_text("[g]\nk = 1\nk = 1\nk += 2\n")
    expected_22 = [("k", "1 2"), ("k", "1")]
    expected_master = [("k", "1"), ("k", "1 2")]
    assert config.read(path).categories[0].items() == expected_22
    assert config.read(path, asterisk="master").categories[0].items() == expected_master
    assert config.load(path).config(asterisk="23").categories[0].items() == expected_master
    loader = config.Loader(asterisk=config.ASTERISK_VERSIONS["20"])
    assert loader.load_path(path).categories[0].items() == expected_22
    assert loader.load_path(path).asterisk.name == "20"


# -- the version cases: real 22.10.1 / 20.20.1 answers, master's source ------------------


@pytest.mark.parametrize("target", list(ANSWER_OF_TARGET))
@pytest.mark.parametrize("case", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_version_case_matches_that_asterisk(case: Path, target: str) -> None:
    expected = _answer(case.with_name(f"{case.stem}.{ANSWER_OF_TARGET[target]}.txt"))
    view = config.parse(case.read_bytes(), path=str(case)).config(asterisk=target)
    assert view_of(view) == expected
    assert view.diagnostics == []  # no case logged anything in 22.10.1 or 20.20.1


def test_version_cases_are_all_there() -> None:
    assert len(CASE_FILES) == 28
    differing = [
        case.stem for case in CASE_FILES
        if _answer(case.with_name(f"{case.stem}.getconfig-22.txt"))
        != _answer(case.with_name(f"{case.stem}.model-master.txt"))
    ]
    assert len(differing) == 21  # the other seven are controls


def test_issue_examples() -> None:
    template = "[tpl](!)\ncodec=ulaw\n[peer](tpl)\ncodec=ulaw\ncodec += ,alaw\n"
    peer_22 = config.parse(template).config(asterisk="22")["peer"]
    peer_master = config.parse(template).config(asterisk="master")["peer"]
    assert peer_22.get_all("codec") == ["ulaw ,alaw", "ulaw"]
    assert peer_master.get_all("codec") == ["ulaw", "ulaw ,alaw"]
    case = "[g]\nk =\nK += a\nk += z\n"
    assert config.parse(case).config()["g"].items() == [("k", "z"), ("K", "a")]
    assert config.parse(case).config(asterisk="master")["g"].items() == [("k", ""), ("k", "z")]


# -- lookups: ast_variable_retrieve ------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "value"),
    [("18", "first"), ("20", "first"), ("22", "first"), ("23", "third"), ("master", "third")],
)
def test_get_returns_what_ast_variable_retrieve_returns(target: str, value: str) -> None:
    case = CASES / "vc_lookup_dup_keys.conf"
    view = config.read(case, asterisk=target)
    general = view["general"]
    assert general.get("K") == value
    assert view.retrieve("general", "k") == value
    assert (general.first("k"), general.last("k")) == ("first", "third")
    assert general.get_all("k") == ["first", "second", "third"]


def test_a_template_shadows_the_override_up_to_22() -> None:
    source = "[t](!)\ncontext = from-template\n[peer](t)\ncontext = override\n"
    assert config.parse(source).config()["peer"].get("context") == "from-template"
    assert config.parse(source).config(asterisk="master")["peer"].get("context") == "override"


def test_retrieve_finds_the_category_as_asterisk_does() -> None:
    source = "[c](!)\nx = tpl\n[c]\nx = 1\nx = 2\n[d]\nx = 3\n"
    view_22 = config.parse(source).config()
    view_master = config.parse(source).config(asterisk="master")
    # ast_category_get skips templates; NULL searches every category, templates too
    assert (view_22.retrieve("C", "x"), view_master.retrieve("c", "X")) == ("1", "2")
    assert (view_22.retrieve(None, "x"), view_master.retrieve(None, "x")) == ("tpl", "3")
    assert (view_22.retrieve("", "x"), view_master.retrieve("", "x")) == ("1", "2")
    assert view_22.retrieve("nope", "x", "dflt") == "dflt"
    assert view_22.retrieve("d", "nope") is None


def test_hand_made_categories_use_the_default() -> None:
    variables = [config.Variable("a", "1"), config.Variable("A", "2")]
    category = config.Category("c", variables=variables)
    assert category.get("a") == "1"
    assert category.get("b", "none") == "none" and category.last("b") is None


# -- other release differences ------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "text"),
    [("18", "'#include / tryinclude'"), ("20", "'#TRYinclude'"), ("master", "'#TRYinclude'")],
)
def test_directive_without_argument_is_logged_as_that_release_logs_it(
    target: str, text: str
) -> None:
    view = config.parse("[g]\n#TRYinclude\n").config(asterisk=target)
    (diagnostic,) = view.diagnostics
    assert diagnostic.code == "directive-needs-argument"
    assert text in diagnostic.message and diagnostic.line == 2


# -- command line --------------------------------------------------------------------------


def test_show_prints_the_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.conf"
    path.write_text("[g]\nk = 1\nk = 1\nk += 2\n")
    assert main(["show", "--json", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["asterisk"] == "22"
    assert [v["value"] for v in data["categories"][0]["variables"]] == ["1 2", "1"]
    assert main(["show", "--json", "--asterisk", "master", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["asterisk"] == "master"
    assert [v["value"] for v in data["categories"][0]["variables"]] == ["1", "1 2"]
    assert main(["show", "--asterisk", "20", str(path)]) == 0
    assert "(read as Asterisk 20)" in capsys.readouterr().out.splitlines()[0]


def test_check_takes_the_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.conf"
    path.write_text("[g]\n#include\n")
    assert main(["check", "--asterisk", "18", str(path)]) == 0
    assert "'#include / tryinclude'" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--asterisk", "21", str(path)])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_human_view_reads_back_the_same_under_its_target() -> None:
    source = "[t](!)\nk = 1\n[c](t)\nk = 1\nk += 2\n"
    for target in config.ASTERISK_VERSIONS:
        view = config.parse(source).config(asterisk=target)
        buffer = io.StringIO()
        write_human(view, buffer)
        again = config.parse(buffer.getvalue()).config(asterisk=target)
        assert [c.items() for c in again] == [c.items() for c in view]


# -- the sample corpus with each recorded release -----------------------------------------

BUNDLED_SAMPLES = _samples(BUNDLED)


@pytest.mark.parametrize("target", ["20", "master"])
@pytest.mark.parametrize(
    "sample", BUNDLED_SAMPLES, ids=[str(p.relative_to(BUNDLED)) for p in BUNDLED_SAMPLES]
)
def test_bundled_sample_matches_each_release(sample: Path, target: str) -> None:
    """Target 22 (the default) is checked by test_corpus.py on the same answers."""
    answer = BUNDLED / f"{sample.relative_to(BUNDLED)}.getconfig.txt"
    view = config.parse(sample.read_bytes(), path=str(sample)).config(asterisk=target)
    assert view_of(view) == _answer(answer)


_TIMESTAMP = re.compile(r"^\[[^]]*\] ([A-Z]+)\[\d+\]", re.MULTILINE)


@pytest.mark.skipif(not SHARED.is_dir(), reason="reference corpus ../shared not present")
def test_bundled_answers_are_the_22_and_20_answers_too() -> None:
    """Why the bundled master answers stand for 22.10.1 and 20.20.1 (and the logs, apart
    from timestamps and thread ids, too)."""
    for answer in sorted(BUNDLED.rglob("*.getconfig.txt")) + sorted(BUNDLED.rglob("*.log")):
        relative = answer.relative_to(BUNDLED)
        for release in ("22", "20"):
            theirs = (SHARED / f"asterisk-samples-expected-{release}" / relative).read_text(
                "utf-8", "surrogateescape"
            )
            ours = answer.read_text("utf-8", "surrogateescape")
            assert _TIMESTAMP.sub(r"\1", theirs) == _TIMESTAMP.sub(r"\1", ours), relative


@pytest.mark.skipif(not SHARED.is_dir(), reason="reference corpus ../shared not present")
@pytest.mark.parametrize(
    ("target", "recordings"),
    [("22", "asterisk-samples-expected-22"), ("20", "asterisk-samples-expected-20"),
     ("master", "asterisk-samples-expected"), ("23", "asterisk-samples-expected")],
)
def test_whole_shared_corpus_with_each_release(target: str, recordings: str) -> None:
    root = SHARED / "asterisk-samples"
    samples = _samples(root)
    assert len(samples) == 444
    failures = []
    logged_lines = 0
    for sample in samples:
        relative = sample.relative_to(root)
        view = config.parse(sample.read_bytes(), path=str(sample)).config(asterisk=target)
        if view_of(view) != _answer(SHARED / recordings / f"{relative}.getconfig.txt"):
            failures.append(str(relative))
        log = SHARED / recordings / f"{relative}.log"
        logged = _logged(log) if log.exists() else set()
        logged_lines += len(logged)
        ours = {(d.code, d.line) for d in view.diagnostics if d.code in _LOGGED_CODES.values()}
        if ours != logged:
            failures.append(f"{relative} (log)")
    assert failures == []
    assert logged_lines > 100


#: Start of the loader messages in the recorded logs, and our code for each.
_LOGGED_CODES = {
    "Unknown directive": "unknown-directive",
    "parse error: No category context": "no-category-context",
    "parse error: no closing ']'": "no-closing-bracket",
    "parse error: no closing ')'": "no-closing-paren",
    "No '=' (equal sign)": "no-equals",
    "No variable name": "no-variable-name",
    "Inheritance requested": "inheritance-missing",
    "Category addition requested": "category-addition-missing",
    "Invalid escape": "invalid-escape",
    "Unterminated comment": "unterminated-comment",
}
_LOG_LINE = re.compile(r"config\.c: (.*?)(?: at line| line|,? for line| in line) (\d+)")


def _logged(log: Path) -> set[tuple[str, int]]:
    found = set()
    for match in _LOG_LINE.finditer(log.read_text("utf-8", "surrogateescape")):
        message, number = match.groups()
        found |= {(code, int(number)) for start, code in _LOGGED_CODES.items()
                  if message.startswith(start)}
    return found


@pytest.mark.skipif(not SHARED.is_dir(), reason="reference corpus ../shared not present")
def test_shared_version_cases_are_the_bundled_ones() -> None:
    shared = SHARED / "version-cases"
    for path in sorted(shared.iterdir()):
        assert (CASES / path.name).read_bytes() == path.read_bytes(), path.name


# -- properties: each target against a transliteration of its release's C loops ----------
#
# The model below is written from main/config.c (process_text_line's "+=" branch,
# ast_variable_update and ast_variable_retrieve of 22.10.1 and of master), on the same
# small language the generator writes: headers with (!), (parent) and (+), and
# "name = value" / "name += value" lines.  ``last`` is the only thing that differs.

_BLANK_BYTES = "".join(chr(i) for i in range(33))


def _c_strip(text: str) -> str:
    """ast_strip / ast_str_trim_blanks + ast_skip_blanks: bytes < 33 off both ends."""
    return text.strip(_BLANK_BYTES)


def _c_fold(text: str) -> str:
    """strcasecmp's view of ASCII text."""
    return text.lower()


def _c_plus_equals(
    variables: list[tuple[str, str]], name: str, raw: str, last: bool
) -> None:
    """process_text_line, ``+=`` branch, then ast_variable_update(cat, replace->name,
    newvalue, replace->value, 0): the first match up to 22, the last one in 23+."""
    replace = None
    for var in variables:  # for (var = ast_category_first(*cat); var; var = var->next)
        if var[0] == name:  # if (!strcmp(var->name, cur))
            replace = var
    if replace is None:  # goto set_new_variable
        variables.append((name, _c_strip(raw)))
        return
    newvalue = _c_strip(replace[1] + raw)
    variable, match = replace
    chosen = None
    for index, cur in enumerate(variables):
        if _c_fold(cur[0]) != _c_fold(variable) or (match and _c_fold(cur[1]) != _c_fold(match)):
            continue
        chosen = index
        if not last:
            break  # <= 22: replace this one and return
    assert chosen is not None  # replace itself always matches
    variables[chosen] = (variable, newvalue)


def _c_retrieve(variables: list[tuple[str, str]], name: str, last: bool) -> str | None:
    """ast_variable_retrieve over one category: return the first match (<= 22) or keep
    looking and return the last (23+)."""
    match = None
    for var_name, value in variables:
        if _c_fold(name) != _c_fold(var_name):  # if (!strcasecmp(variable, v->name))
            continue
        if not last:
            return value
        match = value
    return match


#: Whether the release's ast_variable_update and ast_variable_retrieve loops keep going to
#: the last match (read in each tag's main/config.c; both changed together, in 23.0.0).
_LOOP_KEEPS_LAST = {"18": False, "20": False, "22": False, "23": True, "master": True}

_Header = tuple[str, str, str]  # (name, "!" or "", parent, or "+" for an addition, or "")
_Op = tuple[str, str, str, str]  # (name, "=" or "+=", value, spacing before the value)


def _c_load(sections: list[tuple[_Header, list[_Op]]], last: bool) -> tuple[bool, list[
    tuple[str, bool, list[tuple[str, str]]]
]]:
    """The categories the generated file loads to: (loaded, [(name, template, items)])."""
    categories: list[tuple[str, bool, list[tuple[str, str]]]] = []
    for (name, bang, other), ops in sections:
        if other == "+":
            found = next((c for c in categories if c[0] == name and not c[1]), None)
            if found is None:
                return False, categories  # Category addition requested ... does not exist
            current = found[2]
            if bang:
                index = categories.index(found)
                categories[index] = (found[0], True, found[2])
        else:
            current = []
            if other:
                parent = next(c for c in categories if c[0] == other)
                current.extend(parent[2])  # ast_category_inherit copies at header time
            categories.append((name, bool(bang), current))
        for var_name, operator, value, space in ops:
            if operator == "+=":
                _c_plus_equals(current, var_name, space + value if value else "", last)
            else:
                current.append((var_name, value))
    return True, categories


_VAR_NAMES = st.sampled_from(["k", "K", "a"])
_VALUES = st.sampled_from(["", "1", "x", "X", "1 2", ",y"])
_OPS = st.lists(
    st.tuples(_VAR_NAMES, st.sampled_from(["=", "+="]), _VALUES, st.sampled_from(["", " "])),
    max_size=6,
)


@st.composite
def _sections(draw: st.DrawFn, with_appends: bool) -> list[tuple[_Header, list[_Op]]]:
    sections: list[tuple[_Header, list[_Op]]] = []
    seen: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(["g", "t", "c"]))
        bang = draw(st.sampled_from(["", "!"]))
        other = draw(st.sampled_from(["", "+", *seen]))
        ops = draw(_OPS)
        if not with_appends:
            ops = [(n, "=", v, s) for n, _, v, s in ops]
        sections.append(((name, bang, other), ops))
        seen.append(name)
    return sections


def _render(sections: list[tuple[_Header, list[_Op]]]) -> str:
    lines = []
    for (name, bang, other), ops in sections:
        options = ",".join(part for part in (bang, other) if part)
        lines.append(f"[{name}]" + (f"({options})" if options else ""))
        lines.extend(f"{n} {op}{space}{value}" for n, op, value, space in ops)
    return "\n".join(lines) + "\n"


def _meaning(view: config.Config) -> tuple[bool, list[tuple[str, bool, list[tuple[str, str]]]]]:
    return view.loaded, [(c.name, c.template, c.items()) for c in view]


_PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[
    HealthCheck.too_slow
])


@_PROPERTY
@given(_sections(with_appends=False))
def test_without_appends_every_target_reads_the_same(
    sections: list[tuple[_Header, list[_Op]]],
) -> None:
    document = config.parse(_render(sections))
    views = {target: document.config(asterisk=target) for target in config.ASTERISK_VERSIONS}
    meanings = {target: _meaning(view) for target, view in views.items()}
    assert len(set(map(repr, meanings.values()))) == 1
    # a name that occurs once in a category reads the same everywhere
    for target, view in views.items():
        for index, category in enumerate(view):
            for name in ("k", "K", "a"):
                if len(category.get_all(name)) == 1:
                    assert category.get(name) == views["22"].categories[index].get(name), target


@_PROPERTY
@given(_sections(with_appends=True))
def test_each_target_matches_its_release_loop(
    sections: list[tuple[_Header, list[_Op]]],
) -> None:
    document = config.parse(_render(sections))
    for target, last in _LOOP_KEEPS_LAST.items():
        view = document.config(asterisk=target)
        loaded, expected = _c_load(sections, last)
        assert _meaning(view) == (loaded, expected), target
        for category, (_, _, variables) in zip(view, expected, strict=True):
            for name in ("k", "K", "a", "b"):
                assert category.get(name) == _c_retrieve(variables, name, last), (target, name)


# -- version_differences: the lint rule ----------------------------------------------------


@pytest.mark.parametrize("case", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_an_append_is_reported_exactly_where_22_and_master_differ(case: Path) -> None:
    differ = _answer(case.with_name(f"{case.stem}.getconfig-22.txt")) != _answer(
        case.with_name(f"{case.stem}.model-master.txt")
    )
    found = config.version_differences(case)
    appends = [d for d in found if d.code == "version-dependent-append"]
    assert bool(appends) == differ
    source_lines = case.read_text().splitlines()
    for diagnostic in appends:
        assert diagnostic.file == str(case) and diagnostic.severity is config.Severity.WARNING
        assert "+=" in source_lines[diagnostic.line - 1]
        assert "Asterisk 22" in diagnostic.message and "Asterisk master" in diagnostic.message


def test_repeated_keys_are_reported_on_the_line_23_reads() -> None:
    case = CASES / "vc_lookup_dup_keys.conf"
    assert config.version_differences(case, ("20", "23")) == []  # no module looks 'k' up
    found = config.version_differences(case, ("20", "23"), lookup_names=None)
    assert [(d.code, d.line) for d in found] == [("version-dependent-lookup", 4)]
    assert found == config.version_differences(case, ("20", "23"), lookup_names=["K"])
    assert "'first' in Asterisk 20 but 'third' in Asterisk 23" in found[0].message
    source = "[t](!)\ncontext = a\n[p](t)\ncontext = b\n[q](t)\nx = 1\n[r]\ny = 1\ny = 1\n"
    found = config.version_differences(config.parse(source, path="p.conf"))
    assert [(d.line, d.file) for d in found] == [(4, "p.conf")]
    assert "template" in found[0].message and "[p]" in found[0].message


def test_no_differences_within_one_rule(tmp_path: Path) -> None:
    path = tmp_path / "a.conf"
    path.write_text("[t](!)\nk = 1\n[c](t)\nk = 1\nk = 2\nk += 3\nk += 4\n")
    for targets in (("18", "20", "22"), ("23", "master"), ["master"], "master", 22):
        assert config.version_differences(path, targets, lookup_names=None) == []
    found = config.version_differences(path, ("22", "23"), lookup_names=None)
    assert {d.code for d in found} == {"version-dependent-lookup"}


def test_lookups_are_checked_for_names_modules_look_up() -> None:
    # pbx_config reads [general] with ast_variable_retrieve; codecs and dialplan are lists
    assert {"static", "writeprotect", "autofallthrough", "context"} <= config.RETRIEVED_NAMES
    assert not {"allow", "exten", "same", "include"} & config.RETRIEVED_NAMES
    source = "[general]\nstatic = yes\nSTATIC = no\n[p]\nallow = ulaw\nallow = alaw\n"
    found = config.version_differences(config.parse(source, path="e.conf"))
    assert [(d.line, d.code) for d in found] == [(3, "version-dependent-lookup")]
    assert "'yes' in Asterisk 22 but 'no' in Asterisk master" in found[0].message


def test_differences_inside_included_files(tmp_path: Path) -> None:
    (tmp_path / "inc.conf").write_text("k = 1\nk += 2\n")
    main_file = tmp_path / "main.conf"
    main_file.write_text("[g]\nk = 1\n#include inc.conf\nother = 1\nother = 2\n")
    found = config.version_differences(main_file, lookup_names=None)
    # 22 gives k = '1 2', '1' and master '1', '1 2': both look up '1 2'
    assert [(Path(d.file).name, d.line, d.code) for d in found] == [
        ("main.conf", 5, "version-dependent-lookup"),
        ("inc.conf", 2, "version-dependent-append"),
    ]


def test_version_differences_refuses_bad_input(tmp_path: Path) -> None:
    with pytest.raises(config.UnknownAsteriskVersion):
        config.version_differences(config.parse("[g]\n"), ("22", "24"))
    with pytest.raises(config.ConfigIOError):
        config.version_differences(tmp_path / "missing.conf")


@_PROPERTY
@given(_sections(with_appends=True))
def test_what_version_differences_misses_reads_alike(
    sections: list[tuple[_Header, list[_Op]]],
) -> None:
    document = config.parse(_render(sections), path="gen.conf")
    targets = tuple(config.ASTERISK_VERSIONS)
    found = config.version_differences(document, targets, lookup_names=None)
    views = [document.config(asterisk=target) for target in targets]
    meanings = {repr(_meaning(view)) for view in views}
    if not any(d.code == "version-dependent-append" for d in found):
        assert len(meanings) == 1
    lookups = [d.message for d in found if d.code == "version-dependent-lookup"]
    for index, category in enumerate(views[0]):
        if category.template:  # ast_variable_retrieve never finds a template by its name
            continue
        for name in ("k", "K", "a"):
            if len({view.categories[index].get(name) for view in views}) > 1:
                assert any(f"in [{category.name}] reads" in message for message in lookups)
    for diagnostic in found:
        assert diagnostic.code in ("version-dependent-append", "version-dependent-lookup")
        assert diagnostic.line >= 1 and diagnostic.file == "gen.conf"

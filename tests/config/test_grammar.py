"""The Lark grammar, the specification of the syntax, agrees with the hand-written code.

Covers that the shipped grammar is the project's grammar file; that Lark's parse of a
line (grammar part 2, ``grammar.parse_line``) names the same pieces as the node
properties, on the bundled corpus, on generated lines and on lines made of corpus words;
and that the split of a file into sections is Lark's parse of part 1 (``document``).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark import Token, Tree

from pyst import config
from pyst.config import Assignment, Directive, Header
from pyst.config._syntax.grammar import grammar_text, parse_document, parse_line
from pyst.config._syntax.lexer import BLANKS
from pyst.config._syntax.nodes import directive_argument
from tests.config.helpers import BUNDLED_CORPUS, PIECE_ATOMS, REPOSITORY


def test_shipped_grammar_is_the_project_grammar() -> None:
    assert grammar_text() == (REPOSITORY / "grammar" / "asterisk_conf.lark").read_text("utf-8")


def _tokens(tree: Tree[Token], kind: str) -> list[str]:
    return [str(t) for t in tree.scan_values(lambda v: isinstance(v, Token) and v.type == kind)]


def _check_header(line: config.Header) -> None:
    tree = parse_line(line)
    assert (tree is not None) == (line.closed and line.options_closed)
    if tree is None:
        return
    assert "".join(_tokens(tree, "CATNAME")) == line.raw_name
    options = next(tree.find_data("options"), None)
    if options is None:
        assert line.options_text is None
    else:
        texts = ["".join(str(t) for t in option.children) for option in options.children]
        assert texts == line.options
        kinds = [option.data for option in options.children]
        assert ("template" in kinds) == line.template
        assert ("addition" in kinds) == line.is_addition
        assert [t for t, k in zip(texts, kinds, strict=True) if k == "inherit"] == line.parents
    trailer = _tokens(tree, "TRAILER_AFTER_NAME") + _tokens(tree, "TRAILER_AFTER_OPTIONS")
    assert "".join(trailer) == line.trailer


def _check_assignment(line: config.Assignment) -> None:
    tree = parse_line(line)
    effective = line.effective
    valid_escape = effective[0] != "\\" or (len(effective) > 1 and 33 <= ord(effective[1]) < 128)
    assert (tree is not None) == valid_escape
    if tree is None:
        return
    escaped = _tokens(tree, "ESCAPED")
    name = (escaped[0][1:] if escaped else "") + "".join(
        _tokens(tree, "ESCAPED_REST") + _tokens(tree, "NAME")
    )
    value = "".join(_tokens(tree, "VALUE"))
    assert (name.strip(BLANKS), "".join(_tokens(tree, "OPERATOR")), value) == line.parts()


def _check_directive(line: config.Directive) -> None:
    tree = parse_line(line)
    assert tree is not None
    assert "".join(_tokens(tree, "WORD")) == line.word
    assert directive_argument("".join(_tokens(tree, "ARGUMENT"))) == line.argument


def _check(document: config.Document) -> int:
    checked = 0
    for line in document.lines():
        if isinstance(line, config.Header):
            _check_header(line)
        elif isinstance(line, config.Assignment):
            _check_assignment(line)
        elif isinstance(line, config.Directive):
            _check_directive(line)
        else:
            assert parse_line(line) is None
            continue
        checked += 1
    return checked


def test_grammar_agrees_with_fields_on_the_corpus() -> None:
    checked = 0
    for sample in sorted(BUNDLED_CORPUS.rglob("*.sample")):
        checked += _check(config.parse(sample.read_bytes()))
    assert checked > 3000


_LINE_TEXT = st.text(st.sampled_from([*"[]()!+,=>\\#&- \tab1\u00e9"]), min_size=1, max_size=20)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE_TEXT, max_size=10))
def test_grammar_agrees_with_fields_on_generated_lines(lines: list[str]) -> None:
    _check(config.parse("[c]\n" + "\n".join(lines) + "\n"))


def _vocabulary() -> list[str]:
    words: set[str] = set()
    for sample in sorted(BUNDLED_CORPUS.rglob("*.sample"))[:40]:
        words.update(w for w in sample.read_text("utf-8", "replace").split() if len(w) < 20)
    return [
        *sorted(words), *"[]()!+,=>\\#&;-\t \x7f\x01\"'", "--;", ";--", "\\;", "(+)",
        "(!)", "+=", "=>", "#include", "#exec", "\x80", "é",
    ]


_WORDS = _vocabulary()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(_WORDS), min_size=1, max_size=5).map("".join),
        min_size=1, max_size=4,
    )
)
def test_line_syntax_agrees_with_properties_on_corpus_words(lines: list[str]) -> None:
    _check(config.parse("[c]\n" + "\n".join(lines) + "\n"))


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from([*PIECE_ATOMS, "\x01", "\x80", "&", "t"]), max_size=25)
       .map("".join))
def test_syntax_tree_agrees_with_properties(source: str) -> None:
    for line in config.parse("[c]\n" + source).lines():
        tree = parse_line(line)
        if isinstance(line, Header):
            assert (tree is not None) == (line.closed and line.options_closed)
            if tree is not None:
                assert "".join(_tokens(tree, "CATNAME")) == line.raw_name
                trailer = _tokens(tree, "TRAILER_AFTER_NAME") + _tokens(
                    tree, "TRAILER_AFTER_OPTIONS")
                assert "".join(trailer) == line.trailer
        elif isinstance(line, Assignment):
            if tree is not None:
                assert "".join(_tokens(tree, "OPERATOR")) == line.operator
                assert "".join(_tokens(tree, "VALUE")).strip(
                    "".join(chr(c) for c in range(0x21))) == line.value
        elif isinstance(line, Directive):
            assert tree is not None
            assert "".join(_tokens(tree, "WORD")) == line.word
        else:
            assert tree is None


def _lark_split(text: str) -> list[tuple[str, list[str]]]:
    """Grammar part 1 run by Lark: ``[(header raw, [body raws])]``, preamble first."""
    from pyst.config._syntax.lines import LexNotes, lex

    tree = parse_document(lex(text, LexNotes()))
    result: list[tuple[str, list[str]]] = []
    for child in tree.children:
        assert isinstance(child, Tree)
        nodes = [token.value.raw for token in child.children if isinstance(token, Token)]
        if child.data == "preamble":
            result.append(("", nodes))
        else:
            result.append((nodes[0], nodes[1:]))
    return result


def _pyst_split(text: str) -> list[tuple[str, list[str]]]:
    doc = config.parse(text)
    return [("", [line.raw for line in doc.preamble])] + [
        (section.header.raw, [line.raw for line in section.lines]) for section in doc.sections
    ]


def test_section_split_is_the_grammars_document_rule_on_the_corpus() -> None:
    samples = sorted(BUNDLED_CORPUS.rglob("*.sample"))
    for sample in samples:
        text = sample.read_bytes().decode("utf-8", "surrogateescape")
        assert _pyst_split(text) == _lark_split(text), sample
    assert len(samples) > 100


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["[a]", "[b](!)", "x=1", ";c", "", "#include q", "txt",
                                 ";--", "--;", "[c](+)"]), max_size=15))
def test_section_split_is_the_grammars_document_rule_on_generated_files(
    lines: list[str],
) -> None:
    text = "\n".join(lines)
    assert _pyst_split(text) == _lark_split(text)

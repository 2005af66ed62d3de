"""Edits in the context's own style: examples, and properties over generated dialplans
(bytes outside the edit unchanged, the re-read dialplan equals the intended change, the
result round-trips exactly)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyst import config
from pyst.dialplan import HINT, DialplanEditError, DialplanEditor, build, snapshot
from pyst.dialplan._edit import Snapshot

APPS = ["Answer()", "Hangup", "NoOp(x)", "Dial(PJSIP/100,30)", "Playback(hello)",
        "Set(A=1)", "Wait(1)", "Verbose(1,hi there)"]


@dataclass
class _Generated:
    text: str
    contexts: list[str]


@st.composite
def dialplans(draw: st.DrawFn) -> _Generated:
    """A dialplan whose contexts each keep one style: same => n, n, or numbers."""
    count = draw(st.integers(1, 3))
    names = [f"ctx{i}" for i in range(count)]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [draw(st.sampled_from(["; generated", "[general]", "[globals]\nA=1"]))]
    for name in names:
        style = draw(st.sampled_from(["same", "next", "numbers"]))
        arrow = draw(st.sampled_from([" => ", "=>", " = "]))
        indent = draw(st.sampled_from(["", " ", "\t", "    "]))
        lines.append(f"[{name}]")
        extensions = draw(st.lists(st.sampled_from(["100", "101", "s", "_9X.", "200", "i"]),
                                   min_size=0, max_size=4, unique=True))
        for ext in extensions:
            if draw(st.booleans()):
                lines.append(draw(st.sampled_from(["; a comment", "", ";; two"])))
            steps = draw(st.lists(st.sampled_from(APPS), min_size=1, max_size=4))
            lines.append(f"exten{arrow}{ext},1,{steps[0]}")
            for number, step in enumerate(steps[1:], 2):
                comment = draw(st.sampled_from(["", " ; note"]))
                if style == "same":
                    lines.append(f"{indent}same{arrow}n,{step}{comment}")
                elif style == "next":
                    lines.append(f"exten{arrow}{ext},n,{step}{comment}")
                else:
                    lines.append(f"exten{arrow}{ext},{number},{step}{comment}")
        for include in draw(st.lists(st.sampled_from(names), max_size=2, unique=True)):
            if include != name:
                lines.append(f"include{arrow}{include}")
        if draw(st.booleans()):
            lines.append("")
    text = newline.join(lines) + (newline if draw(st.booleans()) else "")
    return _Generated(text, names)


def _view(text: str) -> Snapshot:
    return snapshot(build(config.parse(text, path="/nonexistent/extensions.conf").config(),
                          users=False))


def _context_span(text: str, context: str) -> tuple[int, int]:
    """Line indexes [start, end) of the first [context] section and what follows it up
    to the next header (the only place an edit of that context may touch)."""
    lines = text.splitlines(keepends=True)
    start = end = len(lines)
    for index, line in enumerate(lines):
        if line.strip() == f"[{context}]" and start == len(lines):
            start = index
        elif start < len(lines) and index > start and line.startswith("["):
            end = index
            break
    return start, end


def _only_inside(before: str, after: str, context: str) -> None:
    old = before.splitlines(keepends=True)
    new = after.splitlines(keepends=True)
    old_start, old_end = _context_span(before, context)
    new_start, new_end = _context_span(after, context)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        assert old_start <= i1 <= i2 <= max(old_end, old_start + 1) + 1, (tag, i1, i2)
        assert new_start <= j1 <= j2 <= max(new_end, new_start + 1) + 1, (tag, j1, j2)


def _edit(generated: _Generated, data: st.DataObject) -> tuple[str, str, Snapshot, str]:
    document = config.parse(generated.text, path="/nonexistent/extensions.conf")
    editor = DialplanEditor(document)
    before = snapshot(editor.dialplan)
    context = data.draw(st.sampled_from(generated.contexts))
    extensions = sorted(before[context][0])
    operations = ["add_extension", "add_include"]
    if extensions:
        operations += ["add_priority", "remove_priority", "remove_extension"]
    if before[context][1]:
        operations.append("remove_include")
    operation = data.draw(st.sampled_from(operations))
    try:
        return _apply(generated, data, document, editor, before, context, operation)
    except DialplanEditError:
        assert document.dumps() == generated.text
        raise


def _apply(generated: _Generated, data: st.DataObject, document: config.Document,
           editor: DialplanEditor, before: Snapshot, context: str,
           operation: str) -> tuple[str, str, Snapshot, str]:
    expected = {k: (dict(v[0]), v[1]) for k, v in before.items()}
    extensions = sorted(before[context][0])
    extensions_now, includes = expected[context]
    if operation == "add_extension":
        name = data.draw(st.sampled_from(["700", "_8XX", "h", "7-1"]).filter(
            lambda n: (n, None) not in extensions_now and (n.replace("-", ""), None)
            not in extensions_now))
        steps = data.draw(st.lists(st.sampled_from(APPS), min_size=1, max_size=3))
        editor.add_extension(context, name, steps)
        extensions_now[(name, None)] = tuple(
            (n, None, *_split(step)) for n, step in enumerate(steps, 1)
        )
    elif operation == "add_include":
        name = data.draw(st.sampled_from(["zzz", "ctx0", "ctx9"]).filter(
            lambda n: n.lower() not in [i.lower() for i in includes]))
        editor.add_include(context, name)
        expected[context] = (extensions_now, (*includes, name))
    elif operation == "remove_include":
        name = data.draw(st.sampled_from(includes))
        editor.remove_include(context, name)
        expected[context] = (extensions_now, tuple(i for i in includes if i != name))
    else:
        key = data.draw(st.sampled_from(extensions))
        priorities = extensions_now[key]
        numbers = [p[0] for p in priorities]
        if operation == "remove_extension":
            editor.remove_extension(context, key[0])
            del extensions_now[key]
        elif operation == "remove_priority":
            number = data.draw(st.sampled_from(numbers))
            editor.remove_priority(context, key[0], number)
            kept = tuple((n - 1 if n > number and number != HINT else n, *rest)
                         for n, *rest in priorities if n != number)
            if kept:
                extensions_now[key] = kept  # type: ignore[assignment]
            else:
                del extensions_now[key]
        else:
            after = data.draw(st.sampled_from(numbers))
            step = data.draw(st.sampled_from(APPS))
            editor.add_priority(context, key[0], step, after=after)
            shifted = [(n + 1 if n > after else n, *rest) for n, *rest in priorities]
            shifted.append((after + 1, None, *_split(step)))
            extensions_now[key] = tuple(sorted(shifted))  # type: ignore[arg-type]
    return generated.text, document.dumps(), expected, context


def _split(step: str) -> tuple[str, str]:
    head, _, tail = step.partition("(")
    return head, tail[: tail.rfind(")")]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dialplans(), st.data())
def test_edits_change_only_what_they_say(generated: _Generated, data: st.DataObject) -> None:
    before, after, expected, context = _edit(generated, data)
    assert _view(after) == expected
    _only_inside(before, after, context)
    assert config.parse(after).dumps() == after


@settings(max_examples=50, deadline=None)
@given(dialplans())
def test_add_context_appends_a_header(generated: _Generated) -> None:
    document = config.parse(generated.text, path="/nonexistent/extensions.conf")
    editor = DialplanEditor(document)
    editor.add_context("brand-new")
    after = document.dumps()
    assert after.startswith(generated.text.rstrip("\r\n"))
    assert "brand-new" in _view(after)


def test_styles_are_kept() -> None:
    document = config.parse(
        "[a]\nexten => 1,1,Answer()\n  same => n,Hangup()\n"
        "[b]\nexten=1,1,NoOp\nexten=1,2,NoOp\n"
        "[c]\nexten => 1,1,NoOp\nexten => 1,n,NoOp\n",
        path="/nonexistent/extensions.conf",
    )
    editor = DialplanEditor(document)
    editor.add_extension("a", "2", ["Answer", "Hangup"])
    editor.add_extension("b", "2", ["Answer", "Hangup"])
    editor.add_extension("c", "2", ["Answer", "Hangup"])
    assert document.dumps() == (
        "[a]\nexten => 1,1,Answer()\n  same => n,Hangup()\n"
        "exten => 2,1,Answer()\n  same => n,Hangup()\n"
        "[b]\nexten=1,1,NoOp\nexten=1,2,NoOp\nexten=2,1,Answer()\nexten=2,2,Hangup()\n"
        "[c]\nexten => 1,1,NoOp\nexten => 1,n,NoOp\nexten => 2,1,Answer()\n"
        "exten => 2,n,Hangup()\n"
    )


def test_renumbering_only_where_numbered() -> None:
    document = config.parse(
        "[a]\nexten => 1,1,A\nexten => 1,2,B\nexten => 1,3(end),C ; last\n"
        "[b]\nexten => 1,1,A\n same => n,B\n same => n(end),C\n",
        path="/nonexistent/extensions.conf",
    )
    editor = DialplanEditor(document)
    assert editor.add_priority("a", "1", "X(y)", after=1) == 2
    assert editor.add_priority("b", "1", "X(y)", after=1) == 2
    assert document.dumps() == (
        "[a]\nexten => 1,1,A\nexten => 1,2,X(y)\nexten => 1,3,B\nexten => 1,4(end),C ; last\n"
        "[b]\nexten => 1,1,A\n same => n,X(y)\n same => n,B\n same => n(end),C\n"
    )
    editor.remove_priority("a", "1", 1)
    editor.remove_priority("b", "1", 1)
    assert document.dumps() == (
        "[a]\nexten => 1,1,X(y)\nexten => 1,2,B\nexten => 1,3(end),C ; last\n"
        "[b]\nexten => 1,1,X(y)\n same => n,B\n same => n(end),C\n"
    )


def test_refused_edits_leave_the_document_alone() -> None:
    text = "[a]\nexten => 1,1,NoOp\n"
    document = config.parse(text, path="/nonexistent/extensions.conf")
    editor = DialplanEditor(document)
    with pytest.raises(DialplanEditError):
        editor.add_extension("a", "1", ["NoOp"])
    with pytest.raises(DialplanEditError):
        editor.add_extension("missing", "1", ["NoOp"])
    with pytest.raises(DialplanEditError):
        editor.add_extension("a", "2,3", ["NoOp"])
    with pytest.raises(DialplanEditError):
        editor.remove_priority("a", "1", 5)
    with pytest.raises(DialplanEditError):
        editor.add_extension("a", "2", ["NoOp(\n)"])
    assert document.dumps() == text


def test_semicolons_are_escaped() -> None:
    document = config.parse("[a]\n", path="/nonexistent/extensions.conf")
    editor = DialplanEditor(document)
    editor.add_extension("a", "1", [("Set", "X=a;b")])
    assert "Set(X=a\\;b)" in document.dumps()
    priority = editor.dialplan["a"].extensions[0].priorities[0]
    assert priority.data == "X=a;b"


def test_template_lines_are_refused() -> None:
    text = "[t](!)\nexten => 1,1,NoOp(t)\n[a](t)\nexten => 2,1,NoOp(a)\n"
    document = config.parse(text, path="/nonexistent/extensions.conf")
    editor = DialplanEditor(document)
    with pytest.raises(DialplanEditError, match="template"):
        editor.remove_extension("a", "1")
    editor.remove_extension("a", "2")
    assert document.dumps() == "[t](!)\nexten => 1,1,NoOp(t)\n[a](t)\n"


@st.composite
def mixed_dialplans(draw: st.DrawFn) -> _Generated:
    """Contexts mixing styles: interleaved extensions, labels, hints, relative priorities
    that cross extensions, comments and includes between lines."""
    names = [f"m{i}" for i in range(draw(st.integers(1, 2)))]
    lines: list[str] = []
    for name in names:
        lines.append(f"[{name}]")
        for _ in range(draw(st.integers(1, 8))):
            ext = draw(st.sampled_from(["1", "2", "3", "_4X"]))
            kind = draw(st.sampled_from(["num", "n", "same", "hint", "label", "comment",
                                         "include"]))
            app = draw(st.sampled_from(APPS))
            if kind == "num":
                lines.append(f"exten => {ext},{draw(st.integers(1, 5))},{app}")
            elif kind == "n":
                lines.append(f"exten => {ext},n,{app}")
            elif kind == "same":
                lines.append(f" same => n,{app}")
            elif kind == "hint":
                lines.append(f"exten => {ext},hint,PJSIP/{ext}")
            elif kind == "label":
                lines.append(f"exten => {ext},{draw(st.integers(1, 3))}(l{ext}),{app}")
            elif kind == "comment":
                lines.append("; note")
            else:
                lines.append(f"include => {draw(st.sampled_from(names))}")
    return _Generated("\n".join(lines) + "\n", names)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_dialplans(), st.data())
def test_edits_of_mixed_styles_are_exact_or_refused(
    generated: _Generated, data: st.DataObject
) -> None:
    try:
        before, after, expected, context = _edit(generated, data)
    except DialplanEditError:
        return  # refused: _transaction restored the document (checked below)
    assert _view(after) == expected
    _only_inside(before, after, context)
    assert config.parse(after).dumps() == after


def test_refusal_restores_every_byte() -> None:
    text = "[a]\nexten => 1,1,A\nexten => 2,n,B\nexten => 1,n,C\n"
    document = config.parse(text, path="/nonexistent/extensions.conf")
    editor = DialplanEditor(document)
    before = snapshot(editor.dialplan)
    try:
        editor.remove_priority("a", "1", 1)
    except DialplanEditError:
        assert document.dumps() == text
    else:
        assert snapshot(editor.dialplan) != before
        assert config.parse(document.dumps()).dumps() == document.dumps()

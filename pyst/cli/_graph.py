"""``pyst-config graph FILE``: the ``#include`` tree and who inherits from which template.

What people otherwise reconstruct by hand from a split-up configuration: which file
includes which (``#include``, ``#tryinclude``, and ``#exec`` -- shown, never run), which
category inherits from which (templates ``(!)`` marked), and where ``(+)`` additions add
to a category.  Printed as a tree for a terminal, or as Graphviz ``dot`` or Mermaid
source (``--format``) for docs and reviews.

Include paths resolve as Asterisk resolves them: relative to the config directory
(``--confdir``, default the main file's folder), with globs and ``{a,b}`` braces; a
category's parents and a ``(+)`` addition link to the first category of that name read
before them.
"""

from __future__ import annotations

import argparse
import glob
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

from pyst.cli._edit import USAGE_ERROR, error, example_epilog, help_formatter
from pyst.cli._output import write_bytes
from pyst.cli._target import fold
from pyst.config import ConfigIOError, Directive, Document, Header, Line, LongLine, load

MAX_DEPTH = 10  # Asterisk's include nesting limit


@dataclass
class FileNode:
    """One file of the include tree."""

    path: str
    shown: str
    directive: str = ""  # "" for the main file, else include / tryinclude / exec
    line: int = 0  # the directive's line in the including file
    note: str = ""  # "not found", "cycle", "not run", ...
    children: list[FileNode] = field(default_factory=list)


@dataclass
class CategoryNode:
    """One category (a header that is not a ``(+)`` addition)."""

    name: str
    template: bool
    parents: list[str]
    file: str
    line: int
    header: str
    additions: list[tuple[str, int, str]] = field(default_factory=list)
    children: list[int] = field(default_factory=list)
    parent_nodes: list[int] = field(default_factory=list)


@dataclass
class Graph:
    """The include tree and the categories in the order Asterisk reads them."""

    root: FileNode
    categories: list[CategoryNode] = field(default_factory=list)
    unresolved: list[tuple[str, int, str]] = field(default_factory=list)

    def category(self, name: str) -> int | None:
        """Index of the first category called ``name`` (case-insensitive)."""
        folded = fold(name)
        return next(
            (i for i, c in enumerate(self.categories) if fold(c.name) == folded), None
        )


def _numbered(document: Document) -> Iterator[tuple[int, Line]]:
    number = 1
    for line in document.lines():
        yield number, line
        number += len(line.logical_lines) if isinstance(line, LongLine) else 1


def _expand_braces(pattern: str) -> list[str]:
    """``a{b,c}d`` as ``[abd, acd]`` (nested groups too), as glob's GLOB_BRACE does."""
    start = pattern.find("{")
    if start < 0:
        return [pattern]
    depth = 0
    items: list[str] = []
    item_start = start + 1
    for index in range(start, len(pattern)):
        char = pattern[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                items.append(pattern[item_start:index])
                head, tail = pattern[:start], pattern[index + 1 :]
                return [e for item in items for e in _expand_braces(head + item + tail)]
        elif char == "," and depth == 1:
            items.append(pattern[item_start:index])
            item_start = index + 1
    return [pattern]  # unbalanced: taken literally


def resolve(argument: str, confdir: str) -> list[str]:
    """The files an ``#include`` argument names, in the order Asterisk reads them."""
    path = argument if os.path.isabs(argument) else os.path.join(confdir, argument)
    if not any(c in path for c in "*?[{"):
        return [path]
    found: list[str] = []
    for pattern in _expand_braces(path):
        matches = sorted(glob.glob(pattern))
        found.extend(matches if matches else [pattern])
    return found


def build_graph(path: str, confdir: str | None = None) -> Graph:
    """Walk ``path`` and what it includes; raise :class:`ConfigIOError` if ``path`` is
    unreadable."""
    base = confdir if confdir is not None else (os.path.dirname(path) or ".")
    document = load(path)
    graph = Graph(FileNode(path, _shown(path, base)))
    _walk(graph, document, graph.root, base, [os.path.realpath(path)])
    for index, category in enumerate(graph.categories):
        for parent in category.parents:
            found = graph.category(parent)
            if found is None or found >= index:
                graph.unresolved.append((category.file, category.line, parent))
                continue
            graph.categories[found].children.append(index)
            category.parent_nodes.append(found)
    return graph


def _shown(path: str, base: str) -> str:
    relative = os.path.relpath(path, base)
    return path if relative.startswith("..") else relative


def _walk(graph: Graph, document: Document, node: FileNode, base: str, stack: list[str]) -> None:
    for number, line in _numbered(document):
        if isinstance(line, Header) and line.closed:
            _header(graph, node, number, line)
        elif isinstance(line, Directive) and line.directive:
            _directive(graph, node, number, line, base, stack)


def _header(graph: Graph, node: FileNode, number: int, header: Header) -> None:
    options = header.options_text
    text = f"[{header.name}]" + ("" if options is None else f"({options})")
    if header.is_addition:
        found = graph.category(header.name)
        if found is not None:
            graph.categories[found].additions.append((node.shown, number, text))
        else:
            graph.unresolved.append((node.shown, number, f"(+) {header.name}"))
        return
    graph.categories.append(CategoryNode(
        header.name, header.template, [p.strip() for p in header.parents],
        node.shown, number, text,
    ))


def _directive(
    graph: Graph, node: FileNode, number: int, line: Directive, base: str, stack: list[str]
) -> None:
    if line.directive == "exec":
        command = line.path or line.argument
        node.children.append(FileNode(command, command, "exec", number, "not run"))
        return
    if line.directive not in ("include", "tryinclude") or not line.path:
        return
    for target in resolve(line.path, base):
        child = FileNode(target, _shown(target, base), line.directive, number)
        node.children.append(child)
        real = os.path.realpath(target)
        if real in stack:
            child.note = "cycle: already being read"
            continue
        if len(stack) > MAX_DEPTH:
            child.note = "too deep: Asterisk stops at 10 levels"
            continue
        try:
            document = load(target)
        except ConfigIOError:
            child.note = "not found" if line.directive == "include" else "optional, not found"
            continue
        _walk(graph, document, child, base, [*stack, real])


# -- output ----------------------------------------------------------------------------
def _file_label(node: FileNode) -> str:
    label = node.shown
    if node.directive:
        label = f"#{node.directive} {label}"
    if node.note:
        label += f" ({node.note})"
    return label


def _category_label(category: CategoryNode) -> str:
    return category.header if category.header else f"[{category.name}]"


def render_tree(graph: Graph) -> str:
    """The graph as indented trees: files, then categories by inheritance."""
    lines = ["includes:", graph.root.shown]

    def files(node: FileNode, prefix: str) -> None:
        for index, child in enumerate(node.children):
            last = index == len(node.children) - 1
            where = f"  line {child.line}"
            lines.append(prefix + ("└── " if last else "├── ") + _file_label(child) + where)
            files(child, prefix + ("    " if last else "│   "))

    files(graph.root, "")
    lines.append("")
    lines.append("categories:")

    def categories(index: int, prefix: str, connector: str, path: tuple[int, ...]) -> None:
        category = graph.categories[index]
        suffix = f"  {category.file}:{category.line}"
        if len(category.parent_nodes) > 1:
            names = ", ".join(graph.categories[p].name for p in category.parent_nodes)
            suffix += f"  (inherits {names})"
        lines.append(prefix + connector + _category_label(category) + suffix)
        below = prefix + ("" if not connector else ("    " if connector == "└── " else "│   "))
        items: list[tuple[str, Any]] = [("+", a) for a in category.additions]
        items += [("c", c) for c in category.children if c not in path]
        for position, (kind, item) in enumerate(items):
            last = position == len(items) - 1
            mark = "└── " if last else "├── "
            if kind == "+":
                file, line, text = item
                lines.append(below + mark + f"{text}  {file}:{line}")
            else:
                categories(item, below, mark, (*path, index))

    for index, category in enumerate(graph.categories):
        if not category.parent_nodes:
            categories(index, "", "", ())
    for file, line, what in graph.unresolved:
        lines.append(f"?? {file}:{line}: {what}: no category of that name above it")
    return "\n".join(lines) + "\n"


def _dot_quote(text: str) -> str:
    """``text`` as a quoted dot string; a line break becomes dot's ``\\n``."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n") + '"'


def _all_files(node: FileNode) -> Iterator[FileNode]:
    yield node
    for child in node.children:
        yield from _all_files(child)


def render_dot(graph: Graph) -> str:
    """The graph as Graphviz ``dot`` source: a cluster per file, include edges between
    files, inheritance edges from parent to child, ``(+)`` additions as notes."""
    out = ["digraph config {", "  rankdir=LR;", "  node [shape=box, fontname=monospace];"]
    nodes = list(_all_files(graph.root))
    ids = {id(n): f"f{i}" for i, n in enumerate(nodes)}
    by_file: dict[str, list[int]] = {}
    for index, category in enumerate(graph.categories):
        by_file.setdefault(category.file, []).append(index)
    for number, node in enumerate(nodes):
        out.append(f"  subgraph cluster_{number} {{")
        out.append(f"    label={_dot_quote(node.shown)};")
        out.append(f"    {ids[id(node)]} [shape=folder, label={_dot_quote(_file_label(node))}];")
        if node.directive != "exec" and not node.note:
            for index in by_file.pop(node.shown, []):
                category = graph.categories[index]
                style = ", style=dashed" if category.template else ""
                label = _dot_quote(f"{_category_label(category)}\n:{category.line}")
                out.append(f"    c{index} [label={label}{style}];")
                for position, (_, line, text) in enumerate(category.additions):
                    out.append(
                        f"    c{index}a{position} [shape=note, "
                        f"label={_dot_quote(text + ' :' + str(line))}];"
                    )
        out.append("  }")
    for node in nodes:
        for child in node.children:
            label = _dot_quote(f"#{child.directive} (line {child.line})")
            out.append(f"  {ids[id(node)]} -> {ids[id(child)]} [label={label}];")
    for index, category in enumerate(graph.categories):
        for heir in category.children:
            out.append(f"  c{index} -> c{heir} [label=inherits];")
        for position in range(len(category.additions)):
            out.append(f"  c{index}a{position} -> c{index} [style=dotted, label=\"(+)\"];")
    out.append("}")
    return "\n".join(out) + "\n"


def _mermaid_text(text: str) -> str:
    return '"' + text.replace('"', "#quot;") + '"'


def render_mermaid(graph: Graph) -> str:
    """The graph as a Mermaid flowchart: a subgraph per file, the same edges as dot."""
    out = ["flowchart LR"]
    nodes = list(_all_files(graph.root))
    ids = {id(n): f"f{i}" for i, n in enumerate(nodes)}
    by_file: dict[str, list[int]] = {}
    for index, category in enumerate(graph.categories):
        by_file.setdefault(category.file, []).append(index)
    templates = []
    for number, node in enumerate(nodes):
        out.append(f"  subgraph s{number}[{_mermaid_text(node.shown)}]")
        out.append(f"    {ids[id(node)]}[/{_mermaid_text(_file_label(node))}/]")
        if node.directive != "exec" and not node.note:
            for index in by_file.pop(node.shown, []):
                category = graph.categories[index]
                label = _mermaid_text(f"{_category_label(category)} :{category.line}")
                out.append(f"    c{index}[{label}]")
                if category.template:
                    templates.append(f"c{index}")
                for position, (_, line, text) in enumerate(category.additions):
                    out.append(f"    c{index}a{position}>{_mermaid_text(f'{text} :{line}')}]")
        out.append("  end")
    for node in nodes:
        for child in node.children:
            label = _mermaid_text(f"#{child.directive} (line {child.line})")
            out.append(f"  {ids[id(node)]} -->|{label}| {ids[id(child)]}")
    for index, category in enumerate(graph.categories):
        for heir in category.children:
            out.append(f"  c{index} -->|inherits| c{heir}")
        for position in range(len(category.additions)):
            out.append(f'  c{index}a{position} -.->|"(+)"| c{index}')
    if templates:
        out.append("  classDef template stroke-dasharray: 5 5")
        out.append(f"  class {','.join(templates)} template")
    return "\n".join(out) + "\n"


RENDERERS = {"tree": render_tree, "dot": render_dot, "mermaid": render_mermaid}


def register(commands: Any) -> None:
    """Add ``graph`` to the ``pyst-config`` subcommands."""
    command = commands.add_parser(
        "graph", help="draw the #include tree and template inheritance",
        description="Show which file includes which and which category inherits from "
        "which template ((+) additions marked): as a tree, or as Graphviz dot or Mermaid.",
        formatter_class=help_formatter(),
        epilog=example_epilog(
            "pyst-config graph /etc/asterisk/pjsip.conf",
            "pyst-config graph --format dot pjsip.conf | dot -Tsvg > pjsip.svg",
            "pyst-config graph --format mermaid sip.conf >> REVIEW.md",
        ),
    )
    command.add_argument("file", metavar="FILE")
    command.add_argument(
        "--format", choices=sorted(RENDERERS), default="tree",
        help="tree (default, for a terminal), dot (Graphviz) or mermaid",
    )
    command.add_argument(
        "--confdir", metavar="DIR",
        help="Asterisk's config directory, for relative #include paths "
        "(default: the file's folder)",
    )
    command.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Print the graph of ``args.file``."""
    try:
        graph = build_graph(args.file, args.confdir)
    except ConfigIOError as failure:
        error(str(failure))
        return USAGE_ERROR
    write_bytes(out, RENDERERS[args.format](graph))
    return 0

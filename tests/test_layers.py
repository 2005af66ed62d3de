"""The import layers of pyst: what may import what, and no import cycles.

Every ``import`` a module runs (at top level or inside a function; ``if TYPE_CHECKING:``
blocks are left out since they never run) is checked against the layer rules below, and
the graph of those imports must have no cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import pyst

PACKAGE = Path(pyst.__file__).resolve().parent

# Within pyst.config: exceptions, then syntax, then meaning, then editing.  A module of a layer may
# import its own layer and the layers listed for it, nothing above.
CONFIG_LAYERS = {
    "pyst.config._errors": set(),
    "pyst.config._syntax": {"pyst.config._errors", "pyst.config._syntax"},
    "pyst.config._semantics": {
        "pyst.config._errors", "pyst.config._syntax", "pyst.config._semantics",
    },
    "pyst.config._editing": {
        "pyst.config._syntax", "pyst.config._semantics", "pyst.config._errors",
        "pyst.config._editing",
    },
}

# Between packages: the libraries do not import the tools built on them.
FORBIDDEN = {
    "pyst.config": ("pyst.agi", "pyst.manager", "pyst.cli", "pyst.dialplan", "pyst.lint",
                    "pyst.compat"),
    "pyst.agi": ("pyst.cli", "pyst.dialplan", "pyst.lint", "pyst.compat"),
    "pyst.manager": ("pyst.cli", "pyst.dialplan", "pyst.lint", "pyst.compat"),
    "pyst.dialplan": ("pyst.cli", "pyst.lint", "pyst.compat"),
    "pyst.lint": ("pyst.cli", "pyst.compat"),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _runtime_imports(path: Path) -> set[str]:
    """The pyst modules ``path`` imports when it runs (``TYPE_CHECKING`` blocks left out)."""
    tree = ast.parse(path.read_text("utf-8"))
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                found.add(f"{base}.{alias.name}")
            found.add(base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return {name for name in found if name == "pyst" or name.startswith("pyst.")}


def _modules() -> dict[str, set[str]]:
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for imported in _runtime_imports(path):
            # ``from pkg import mod`` names a module or a name in pkg: keep what exists.
            while imported not in modules and "." in imported:
                imported = imported.rpartition(".")[0]
            if imported in modules and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


GRAPH = _modules()


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


@pytest.mark.parametrize("layer", sorted(CONFIG_LAYERS))
def test_config_layers_import_only_downwards(layer: str) -> None:
    allowed = CONFIG_LAYERS[layer]
    wrong = {
        (module, target)
        for module, targets in GRAPH.items() if _within(module, layer)
        for target in targets
        if _within(target, "pyst.config") and not any(_within(target, a) for a in allowed)
    }
    assert not wrong


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_libraries_do_not_import_the_tools_built_on_them(package: str) -> None:
    wrong = {
        (module, target)
        for module, targets in GRAPH.items() if _within(module, package)
        for target in targets
        if any(_within(target, forbidden) for forbidden in FORBIDDEN[package])
    }
    assert not wrong


def test_no_import_cycles() -> None:
    # A package's __init__ re-exports its modules; importing a module runs the
    # __init__ first but that is not a cycle of the modules themselves.
    graph = {
        name: {t for t in targets if not _within(name, t)} for name, targets in GRAPH.items()
    }
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                cycle = [*path[path.index(target) :], target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_the_layer_rules_see_the_imports() -> None:
    # The checks above would pass vacuously if the graph were empty.
    assert "pyst.config._syntax.nodes" in GRAPH["pyst.config._editing.section"]
    assert "pyst.config._syntax.parsed" in GRAPH["pyst.config._semantics.loader"]

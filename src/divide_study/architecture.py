"""The package's import graph: which module imports which, its circles, and the one direction of the layers.

Data flows one way — ``data`` → ``analysis`` → ``report`` — and so do imports: a layer may import the layers
before it, never one after it. The words of an edition (``language``: locale formats, labels, the data's words) and
the helpers every layer shares (``config``, ``errors``, ``i18n``) are below all three. Imports inside functions
count too: a late import is still a dependency.

Run ``uv run python -m divide_study.architecture`` to print the graph's circles and any import against the
direction; it exits non-zero when there is one (``tests/test_architecture.py`` runs the same check).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable
from pathlib import Path

PACKAGE = "divide_study"
SOURCE = Path(__file__).resolve().parent
# Each layer and the layers it may import (besides itself). The engine runs notebooks and publishes the report.
LAYERS = {
    "shared": set(),
    "language": {"shared"},
    "data": {"shared", "language"},
    "analysis": {"shared", "language", "data"},
    "report": {"shared", "language", "data", "analysis"},
    "engine": {"shared", "language", "data", "analysis", "report"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> str:
    """The layer of a module: its sub-package (``divide_study.analysis.panel`` -> ``analysis``); the catalogs
    (``i18n``) are the language's."""
    if module == f"{PACKAGE}.i18n":
        return "language"
    parts = module.split(".")
    if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS):
        return parts[1] if parts[1] in LAYERS else "shared"
    return "shared"


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The package's modules ``path`` imports, at its top or inside a function."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # Imports only for type checkers (``if TYPE_CHECKING:``) are not run, so they make no circle.
    typing_only = {
        id(child)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for statement in node.body
        for child in ast.walk(statement)
    }
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # a relative import: from the package, up one level for each dot past the first
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for imported in names:
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                found.add(imported)
    return found


def graph(source: Path = SOURCE) -> dict[str, set[str]]:
    """Module -> the package's modules it imports."""
    paths = sorted(source.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    return {module_name(p): imports_of(p, modules) for p in paths}


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm): each is an import circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def against_the_direction(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Every import of a later layer by an earlier one (``analysis`` importing ``report``, say)."""
    wrong = []
    for module, targets in sorted(edges.items()):
        for target in sorted(targets):
            source_layer, target_layer = layer(module), layer(target)
            if target_layer != source_layer and target_layer not in LAYERS[source_layer]:
                wrong.append((module, target))
    return wrong


def report(lines: Iterable[str] = ()) -> int:
    edges = graph()
    found, wrong = circles(edges), against_the_direction(edges)
    print(f"{len(edges)} modules, {sum(len(t) for t in edges.values())} imports")
    print(f"import circles: {len(found)}")
    for group in found:
        print("  {" + ", ".join(m.removeprefix(PACKAGE + ".") for m in group) + "}")
    print(f"imports against the direction data → analysis → report: {len(wrong)}")
    for module, target in wrong:
        print(f"  {module.removeprefix(PACKAGE + '.')} imports {target.removeprefix(PACKAGE + '.')}")
    return 1 if found or wrong else 0


if __name__ == "__main__":
    sys.exit(report())

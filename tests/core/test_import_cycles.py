"""No import cycle in trondocs/, computed from the source: every ``import`` statement counts,
at module level, inside functions (the lazy imports the CLI uses) and under TYPE_CHECKING
(a cycle hidden there is still two modules that each need the other — plan/checks.py and
plan/loader.py were one). Importing ``a.b.c`` also runs ``a/__init__.py`` and ``a/b/__init__.py``;
those implicit edges are left out, as every submodule would otherwise "cycle" with the package
that re-exports it."""

from __future__ import annotations

import ast
from pathlib import Path

import trondocs

PACKAGE = Path(trondocs.__file__).resolve().parent


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module → the trondocs modules it imports (``from a import b`` is ``a.b`` when that is a module)."""
    files = {_module_name(path, root): path for path in root.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from the module's own package
                    anchor = name.split(".") if is_package else name.split(".")[:-1]
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in files else base
                           for alias in node.names]
            graph[name].update(t for t in targets if t in files and t != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(graph[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_trondocs_has_no_import_cycle():
    graph = import_graph()
    assert len(graph) > 50 and graph["trondocs.cli"], "the graph was not read"
    assert cycles(graph) == []


def test_the_plan_loader_and_its_checks_do_not_import_each_other():
    graph = import_graph()
    assert "trondocs.plan.loader" not in graph["trondocs.plan.checks"]
    assert "trondocs.plan.loaded" in graph["trondocs.plan.checks"]
    assert not any("trondocs.plan.loader" in component for component in cycles(graph))


def test_the_cycle_finder_sees_lazy_and_type_checking_imports(tmp_path):
    package = tmp_path / "trondocs"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from trondocs import b\n")
    (package / "b.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                  "    from trondocs.a import f\n")
    (package / "c.py").write_text("from . import a\n")
    graph = import_graph(package)
    assert graph["trondocs.c"] == {"trondocs.a"}
    assert cycles(graph) == [["trondocs.a", "trondocs.b"]]


"""Every module imports, and the package's import graph has no cycle (each stage depends only
on the stages before it and on the shared pieces)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from tests.conftest import ROOT

SRC = ROOT / "src"
SKIP = {"sdgxl.lo_worker", "sdgxl.__main__"}  # LibreOffice's own Python (uno); the entry point runs the CLI


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted((SRC / "sdgxl").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(name: str, path: Path) -> set[str]:
    """Modules of the package that ``name`` imports, at the top or inside functions (imports
    only for type checking left out: they never run)."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child):
                for sub in child.orelse:
                    visit(sub)
                continue
            if isinstance(child, ast.Import):
                found.update(a.name for a in child.names if a.name in MODULES)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                for alias in child.names:
                    if f"{base}.{alias.name}" in MODULES:
                        found.add(f"{base}.{alias.name}")
                    elif base in MODULES:
                        found.add(base)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    found.discard(name)
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return out


def test_the_import_graph_has_no_cycle():
    graph = {name: _imports(name, path) for name, path in MODULES.items()}
    # a package's __init__ re-exports its modules; a module of the package importing a sibling
    # through the package is the same edge as importing the sibling
    assert sum(len(v) for v in graph.values()) > 100  # the graph was read
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_one():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("name", sorted(set(MODULES) - SKIP))
def test_every_module_imports(name):
    if name in ("sdgxl.console.xl", "sdgxl.xl"):
        pytest.importorskip("xlwings")
    importlib.import_module(name)


def test_the_readme_layout_names_every_part_of_the_package():
    """README's layout section names each top-level module and folder of src/sdgxl."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("Layout: `src/sdgxl/`"):readme.index("The tests follow the stages")]
    parts = sorted(p.name + ("/" if p.is_dir() else "") for p in (SRC / "sdgxl").iterdir()
                   if not p.name.startswith(("_", ".")) and p.name != "py.typed")
    missing = [p for p in parts if p not in layout and p.rstrip("/") + "/" not in layout]
    assert not missing, missing

"""vnkg as a package: no import circle in kg/, and a wheel that carries what an installed `kg` needs."""
from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kg"


def import_graph() -> dict[str, set[str]]:
    """Module -> the kg modules it imports, at the top or inside a function alike."""
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                graph[name] |= {a.name for a in node.names if a.name in modules}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parent + ([base] if base else []))
                for alias in node.names:
                    target = f"{base}.{alias.name}"
                    graph[name].add(target if target in modules else base)
        graph[name] &= set(modules)
        graph[name].discard(name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_circle_in_kg():
    assert cycles(import_graph()) == []


def test_the_per_article_step_imports_no_engine():
    graph = import_graph()
    engines = {"kg.builder", "kg.scale.local", "kg.scale.parallel", "kg.scale.spark"}
    assert not graph["kg.step"] & engines
    assert not graph["kg.report"] & (engines | {"kg.step"})


def test_kg_version_prints_the_package_version():
    import kg

    done = subprocess.run([sys.executable, "-m", "kg.cli", "--version"], capture_output=True, text=True, cwd=ROOT,
                          check=True)
    assert done.stdout.strip() == f"kg (vnkg) {kg.__version__}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(folder), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    (path,) = folder.glob("vnkg-*.whl")
    return zipfile.ZipFile(path)


def test_the_wheel_carries_the_ontology_the_queries_and_the_web_assets(wheel):
    from kg.resources import PACKAGE as KG
    from kg.resources import declared_assets, web_folders

    names = set(wheel.namelist())
    for folder in ("ontology", "queries"):
        shipped = {f"kg/{p.relative_to(ROOT).as_posix()}" for p in (ROOT / folder).rglob("*") if p.is_file()}
        assert shipped and shipped <= names, shipped - names
    assert web_folders(), "no web folder found"
    for web in web_folders():
        prefix = web.relative_to(KG.parent).as_posix()
        for path in declared_assets(web).values():
            assert f"{prefix}/{path}" in names
        assert f"{prefix}/package.json" in names
    assert not any("node_modules" in n and not any(n.endswith(p) for w in web_folders()
                                                   for p in declared_assets(w).values()) for n in names)

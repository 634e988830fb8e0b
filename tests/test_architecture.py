"""The import contract: which module may import which, read from the source (AST).

The package is moving to layers (STYLE.md 13-15). Until it gets there, today's
violations are written down here as allow-lists that may only shrink: a new private
import or a new module in an import circle fails, and so does an entry that is no
longer needed (remove it, and the list stays honest).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "facilitate"

# Import only the standard library and each other: everything else builds on them.
GROUND = {"facilitate.errors", "facilitate.formatting", "facilitate.i18n"}

# (importer, module, name): private names imported across modules today.
KNOWN_PRIVATE_IMPORTS = {
    ("facilitate.cohort", "facilitate.programme", "_fail"),
    ("facilitate.cohort", "facilitate.loader", "_problems"),
    ("facilitate.guide", "facilitate.schedule", "_label"),
    ("facilitate.guide", "facilitate.programme", "_parse_time"),
    ("facilitate.init", "facilitate.programme", "_parse_time"),
    ("facilitate.prepare", "facilitate.schedule", "_label"),
    ("facilitate.prepare", "facilitate.documents", "_for_everyone"),
    ("facilitate.prepare", "facilitate.documents", "_heading"),
    ("facilitate.prepare", "facilitate.documents", "_Texts"),
    ("facilitate.results", "facilitate.documents", "_heading"),
    ("facilitate.results", "facilitate.documents", "_Texts"),
    ("facilitate.sheets", "facilitate.documents", "_heading"),
    ("facilitate.sheets", "facilitate.documents", "_Texts"),
}

# The one import circle today (documents -> prepare -> status -> schedule -> documents,
# with results and handouts in it): no module may join it, and it may only shrink.
KNOWN_CIRCLE = {
    "facilitate.documents",
    "facilitate.handouts",
    "facilitate.prepare",
    "facilitate.results",
    "facilitate.schedule",
    "facilitate.status",
}


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.with_suffix("").relative_to(PACKAGE.parent).parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports() -> tuple[dict[str, set[str]], set[tuple[str, str, str]]]:
    """Every module's imports of the package (at the top or inside functions alike), and
    the private names it takes from another module."""
    known = modules()
    edges: dict[str, set[str]] = defaultdict(set)
    private: set[tuple[str, str, str]] = set()
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges[name].update(a.name for a in node.names if a.name in known)
                continue
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target not in known:
                continue
            for alias in node.names:
                if f"{target}.{alias.name}" in known:
                    edges[name].add(f"{target}.{alias.name}")
                    continue
                edges[name].add(target)
                dunder = alias.name.startswith("__") and alias.name.endswith("__")
                if alias.name.startswith("_") and not dunder and target != name:
                    private.add((name, target, alias.name))
    return edges, private


def circles(edges: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(component)

    for v in sorted(modules()):
        if v not in index:
            visit(v)
    return found


def test_no_module_imports_another_modules_private_names() -> None:
    _, private = imports()
    new = sorted(private - KNOWN_PRIVATE_IMPORTS)
    assert not new, (
        f"private names imported across modules: {new}; make the name public in the "
        "lowest module all its users can import"
    )
    gone = sorted(KNOWN_PRIVATE_IMPORTS - private)
    assert not gone, f"no longer imported: remove {gone} from KNOWN_PRIVATE_IMPORTS"


def test_import_circles_only_shrink() -> None:
    edges, _ = imports()
    found = circles(edges)
    assert len(found) <= 1, f"a new import circle: {found}"
    members = found[0] if found else set()
    assert members <= KNOWN_CIRCLE, f"joined the import circle: {sorted(members - KNOWN_CIRCLE)}"
    assert members == KNOWN_CIRCLE, (
        f"left the import circle: remove {sorted(KNOWN_CIRCLE - members)} from KNOWN_CIRCLE"
    )


def test_nothing_imports_the_command_line_layer() -> None:
    edges, _ = imports()
    importers = sorted(
        name
        for name, targets in edges.items()
        if name not in ("facilitate.__main__", "facilitate.cli")
        and any(t == "facilitate.cli" or t.startswith("facilitate.cli.") for t in targets)
    )
    assert importers == []


def test_the_ground_modules_import_nothing_else_of_facilitate() -> None:
    edges, _ = imports()
    for name in modules():
        if name in GROUND or name.startswith("facilitate.i18n."):
            outside = {
                t
                for t in edges.get(name, ())
                if t not in GROUND and not t.startswith("facilitate.i18n")
            }
            assert not outside, f"{name} imports {sorted(outside)}"

"""The shape of the package: every import arrow points one way, so each layer can be read and changed alone."""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import DEV

import gxtables

PACKAGE = Path(gxtables.__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The package's modules one module imports, wherever the import stands (at the top or inside a
    function: a late import is still an arrow), except under ``if TYPE_CHECKING`` (never run)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.update(a.name for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                found.add(base)
                found.update(f"{base}.{a.name}" for a in child.names)  # "from . import corpus"
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {m for m in found if m in modules and m != name}


def import_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {_module_name(p) for p in paths}
    return {_module_name(p): _imports(p, modules) for p in paths}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path that starts and ends at the same module, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (cycle := walk(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := walk(start)):
            return cycle
    return None


def test_the_graph_sees_late_and_relative_imports():
    graph = import_graph()
    assert "gxtables.pipeline" in graph["gxtables.corpus"]  # a top-level relative import
    assert "gxtables.view" in graph["gxtables.report"]  # an import inside a method
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_in_the_package():
    cycle = find_cycle(import_graph())
    assert cycle is None, " → ".join(cycle or [])


def test_the_record_layer_is_below_the_frames_that_use_it():
    graph = import_graph()
    for user in ("gxtables.report", "gxtables.corpus", "gxtables.export"):
        assert "gxtables.records" in graph[user]
    assert "gxtables.corpus" not in graph["gxtables.export"]


def test_no_module_leans_on_the_private_parser_of_re():
    for path in PACKAGE.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "re._parser" not in source and "re._constants" not in source and "sre_parse" not in source, path.name


# The layers of docs/algorithm.md, top first: a module imports only from its own layer or below.
LAYERS = [
    ["gxtables", "gxtables.__main__", "gxtables.cli", "gxtables.corpus", "gxtables.export", "gxtables.dask",
     "gxtables.priors", "gxtables.crossyear", "gxtables.documents.read"],
    ["gxtables.pipeline"],
    ["gxtables.report", "gxtables.records", "gxtables.view"],
    ["gxtables.locate", "gxtables.tokenize", "gxtables.align", "gxtables.solve", "gxtables.check", "gxtables.narrative",
     "gxtables.documents.grid"],
    ["gxtables.template", "gxtables.vocabulary", "gxtables.rates"],
    ["gxtables.normalize"],
    ["gxtables.documents", "gxtables.documents.model", "gxtables.documents.html", "gxtables.documents.docx",
     "gxtables.documents.pdf", "gxtables.documents.render", "gxtables.documents.sniff", "gxtables.documents.text",
     "gxtables.documents.numbering"],
    ["gxtables.numerals", "gxtables.io", "gxtables.paths"],
]


def test_every_import_points_down_the_layers():
    """New modules are placed here as they come (modules not listed yet are left to the cycle test)."""
    level = {m: i for i, layer in enumerate(LAYERS) for m in layer}
    graph = import_graph()
    assert set(level) <= set(graph), set(level) - set(graph)
    upward = [(m, dep) for m, deps in graph.items() if m in level for dep in deps if level.get(dep, len(LAYERS)) < level[m]]
    assert not upward, upward


# ---------------------------------------------------------------------------- no hidden global state
def test_nothing_in_the_package_switches_the_garbage_collector():
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom) for a in node.names}
        modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert "gc" not in names and "gc" not in modules, path.name


def test_parse_leaves_the_collector_as_it_found_it():
    import gc

    seen = []
    gc.callbacks.append(lambda phase, info: seen.append(phase))
    try:
        assert gc.isenabled()
        report = gxtables.parse((DEV / "g002.txt").read_text(encoding="utf-8"))
        assert gc.isenabled() and len(report.placed_cells) > 100
        assert "start" in seen  # the collector ran while the stages made their objects
    finally:
        gc.callbacks.pop()


def test_rule_instances_are_kept_by_value_and_bounded():
    from gxtables import check
    from gxtables.template import editions, load_edition

    shipped = editions()[-1]
    again = load_edition(PACKAGE / "editions" / f"{shipped.edition}.toml")  # equal, not the same objects
    rule = next(r for r in shipped.rules if r.kind == "sum")
    first = check._instances(rule, shipped.table(rule.table))
    twin = next(r for r in again.rules if r.id == rule.id)
    assert twin is not rule and twin == rule
    assert check._instances(twin, again.table(rule.table)) is first
    assert check._instances.cache_info().maxsize is not None

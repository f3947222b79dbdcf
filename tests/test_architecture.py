"""The import graph runs one way: every module sits on a floor and imports only from its own
floor or below, and no group of modules imports itself round in a cycle.

A plain-test stand-in for an import-linter contract.  The functional core (floors up to
``batch``) has no files, names or CLI; the shell (``catalog`` and up) wires it together.
Every module of ``src/thaad`` must be classified: a new module without a floor fails here.
"""

import ast
from pathlib import Path

import thaad

PACKAGE = Path(thaad.__file__).parent

# Lowest first.  A module belongs to the floor of the longest prefix that names it.
FLOORS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("thaad", "thaad.errors", "thaad.jsonio", "thaad.choices", "thaad.numeric", "thaad.stats",
              "thaad.extras", "thaad.data", "thaad.validate", "thaad.cost", "thaad.threads", "thaad._memory")),
    ("earth", ("thaad.geo", "thaad.geo_compiled", "thaad.atmosphere")),
    ("trajectory", ("thaad.trajectory",)),
    ("models", ("thaad.ballistics", "thaad.radar", "thaad.radar.detect_compiled", "thaad.interceptor", "thaad.population")),
    ("engagement", ("thaad.engagement", "thaad.engagement_compiled")),
    ("batch", ("thaad.footprint", "thaad.raid")),
    # --- shell: files, names, user input ---
    ("catalog", ("thaad.catalog", "thaad.network_catalog", "thaad.raid_data", "thaad.files", "thaad.output")),  # files in/out
    ("gis", ("thaad.gis",)),
    ("wiring", ("thaad.scenario", "thaad.assemble")),
    ("runs", ("thaad.report", "thaad.raid_assess", "thaad.sweep")),  # whole assessments: reports, raids, sweeps
    ("cli", ("thaad.cli", "thaad.__main__", "thaad.api", "thaad.explore", "thaad.precompile")),  # user interfaces
]
CORE_TOP = "batch"


def floor_of(module: str) -> int | None:
    best, best_len = None, -1
    for i, (_, prefixes) in enumerate(FLOORS):
        for p in prefixes:
            inside = module == p or (p != "thaad" and module.startswith(p + "."))  # the root package itself only
            if inside and len(p) > best_len:
                best, best_len = i, len(p)
    return best


def module_files() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The thaad modules a file imports (anywhere in it, function bodies included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If) and _is_type_checking(block.test)
                   for stmt in block.body for n in ast.walk(stmt)}
    out = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:  # `if TYPE_CHECKING:` imports never run
            continue
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in known else node.module
                     for a in node.names]
        else:
            continue
        for n in names:
            while n and n not in known:  # `import a.b.c` names module a.b.c (or its package)
                n = n.rpartition(".")[0]
            if n:
                out.add(n)
    return out


def _is_type_checking(test) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def import_graph() -> dict[str, set[str]]:
    files = module_files()
    known = set(files)
    return {m: imports_of(p, known) - {m} for m, p in files.items()}


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    bad = []
    for m, targets in graph.items():
        fm = floor_of(m)
        for t in targets:
            ft = floor_of(t)
            if fm is not None and ft is not None and ft > fm:
                bad.append(f"{m} ({FLOORS[fm][0]}) imports {t} ({FLOORS[ft][0]})")
    return sorted(bad)


def _ancestor(m: str, t: str) -> bool:
    """``t`` is a package containing ``m``: importing a submodule runs its package first anyway."""
    return m.startswith(t + ".")


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), ignoring a module's
    imports of its own enclosing packages (Python runs those before the module anyway)."""
    edges = {m: {t for t in ts if t in graph and not _ancestor(m, t)} for m, ts in graph.items()}
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_every_module_is_on_a_floor():
    unclassified = [m for m in module_files() if floor_of(m) is None]
    assert unclassified == []


def test_no_module_imports_a_floor_above_its_own():
    graph = import_graph()
    assert len(graph) > 30
    assert upward_imports(graph) == []


def test_the_import_graph_has_no_cycle():
    assert cycles(import_graph()) == []


def test_the_core_knows_no_shell_module():
    core = {i for i, (name, _) in enumerate(FLOORS) if i <= [n for n, _ in FLOORS].index(CORE_TOP)}
    graph = import_graph()
    shell_hits = [f"{m} imports {t}" for m, ts in graph.items() if floor_of(m) in core
                  for t in ts if floor_of(t) not in core]
    assert shell_hits == []


def test_the_checks_catch_an_upward_import_and_a_cycle(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from thaad.catalog import find_place\nimport thaad.radar.model\n")
    known = set(module_files())
    assert imports_of(bad, known) == {"thaad.catalog", "thaad.radar.model"}
    graph = {"thaad.geo": {"thaad.catalog"}, "thaad.catalog": {"thaad.geo"},
             "thaad.engagement": {"thaad.footprint"}, "thaad.footprint": {"thaad.engagement"}}
    assert upward_imports(graph) == ["thaad.engagement (engagement) imports thaad.footprint (batch)",
                                     "thaad.geo (earth) imports thaad.catalog (catalog)"]
    assert sorted(cycles(graph)) == [["thaad.catalog", "thaad.geo"], ["thaad.engagement", "thaad.footprint"]]
    assert floor_of("thaad.somewhere_new") is None

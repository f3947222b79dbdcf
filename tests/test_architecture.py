"""The functional core knows nothing of files, the catalogue or the CLI.

A plain-test stand-in for an import-linter contract: no module of the core may import a
shell module (catalogue, scenario, report, CLI, map data).
"""

import ast
from pathlib import Path

import thaad

PACKAGE = Path(thaad.__file__).parent
CORE = ["geo", "geo_compiled", "atmosphere", "numeric", "stats", "ballistics", "radar", "interceptor", "engagement",
        "footprint", "raid", "population"]
SHELL = ("thaad.catalog", "thaad.raid_data", "thaad.scenario", "thaad.report", "thaad.cli", "thaad.mapdata", "thaad.jsonio",
         "thaad.gis", "thaad.api", "thaad.extras")


def core_files():
    for name in CORE:
        module = PACKAGE / f"{name}.py"
        package = PACKAGE / name
        if module.exists():
            yield module
        if package.is_dir():
            yield from sorted(package.rglob("*.py"))


def imported_names(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_core_does_not_import_the_shell():
    files = list(core_files())
    assert any(f.name == "geo.py" for f in files)
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in files
        for name in imported_names(path)
        if name.startswith(SHELL)
    ]
    assert offenders == []


def test_architecture_check_catches_a_shell_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from thaad.catalog import places\n")
    assert any(n.startswith(SHELL) for n in imported_names(bad))

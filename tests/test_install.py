"""Packaging contract: ranges in pyproject.toml, a lock that satisfies them, extras that
refuse cleanly when absent."""

import re
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LOCK = ROOT / "requirements.lock"


def declared():
    proj = PYPROJECT["project"]
    reqs = [Requirement(r) for r in proj["dependencies"]]
    for extra in proj.get("optional-dependencies", {}).values():
        reqs += [Requirement(r) for r in extra]
    return reqs


def locked():
    pins = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if m:
            pins.setdefault(canonicalize_name(m.group(1)), []).append(m.group(2))
    return pins


def test_python_311_to_313_allowed():
    spec = SpecifierSet(PYPROJECT["project"]["requires-python"])
    assert all(v in spec for v in ("3.11.0", "3.12.5", "3.13.1"))
    assert "3.10.9" not in spec


def test_dependencies_are_ranges_not_pins():
    for req in declared():
        ops = {s.operator for s in req.specifier}
        assert "==" not in ops and "===" not in ops, f"{req} is pinned; use a range (the lock pins)"
        assert any(op in (">=", ">", "~=") for op in ops), f"{req} has no lower bound"
        assert any(op in ("<", "<=", "~=") for op in ops), f"{req} has no upper bound"


def test_lock_pins_every_declared_dependency_inside_its_range():
    """Fails when someone adds or narrows a dependency without `make lock`."""
    pins = locked()
    for req in declared():
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is declared but not in requirements.lock: run `make lock`"
        assert any(req.specifier.contains(v, prereleases=True) for v in pins[name]), \
            f"requirements.lock pins {req.name}=={pins[name]} outside {req.specifier}: run `make lock`"


def test_imported_third_party_modules_are_declared():
    """Every top-level third-party import in src/thaad is a declared dependency (or extra)."""
    import ast

    stdlib = set(sys.stdlib_module_names)
    module_to_dist = {"mpl_toolkits": "basemap-data", "yaml": "pyyaml", "PIL": "pillow", "skimage": "scikit-image",
                      "sklearn": "scikit-learn", "dateutil": "python-dateutil"}
    names = {canonicalize_name(r.name) for r in declared()}
    missing = set()
    for path in (ROOT / "src" / "thaad").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            mods = []
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                mods = [node.module]
            for mod in mods:
                top = mod.split(".")[0]
                if top in stdlib or top == "thaad":
                    continue
                if canonicalize_name(module_to_dist.get(top, top)) not in names:
                    missing.add(f"{top} ({path.relative_to(ROOT)})")
    assert not missing, f"imported but not declared in pyproject.toml: {sorted(missing)}"


def run_main(capsys, *argv):
    from thaad.cli import main

    with pytest.raises(SystemExit) as exc:
        main(list(argv))
    out = capsys.readouterr()
    return exc.value.code, out.out + out.err


def test_missing_dem_extra_is_a_clear_refusal(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "rasterio", None)  # import rasterio -> ImportError
    dem = tmp_path / "dem.tif"
    dem.write_bytes(b"x")
    code, text = run_main(capsys, "coverage", "--rcs-m2", "0.1", "--grid-km", "80", "--dem", str(dem))
    assert code == 2, text
    assert "thaad[dem]" in text and "Traceback" not in text
    code, text = run_main(capsys, "coverage", "--rcs-m2", "0.1", "--grid-km", "80", "--out", str(tmp_path / "c.tif"))
    assert code == 2, text
    assert "thaad[dem]" in text
    assert not (tmp_path / "c.tif").exists()

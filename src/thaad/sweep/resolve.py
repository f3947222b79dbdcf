"""A design case -> a fully resolved case (plain JSON) with a content hash.

The hash covers the resolved scenario (every field, defaults included), the estimate
overrides and the code/data version, in canonical JSON (sorted keys, shortest float repr):
two cases with the same values hash the same wherever and whenever they are built, and
any change to the model's code or catalogue data gives new hashes (no stale results).
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

import thaad
from thaad.sweep.paths import set_path

# Files whose change can change a number; the report, the CLI and the sweep's own
# orchestration cannot, so editing them keeps the cache.
_SKIP_DIRS = ("cli", "report", "sweep")
_SWEEP_MODEL_FILES = ("build.py", "estimates.py", "evaluate.py", "outputs.py")


@lru_cache(maxsize=1)
def code_version() -> str:
    """thaad's version plus a digest of the model's source and data files."""
    root = Path(thaad.__file__).parent
    h = hashlib.sha256(thaad.__version__.encode())
    files = [p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".toml")
             and "__pycache__" not in p.parts and p.relative_to(root).parts[0] not in _SKIP_DIRS]
    files += [root / "sweep" / n for n in _SWEEP_MODEL_FILES]
    for p in sorted(files):
        h.update(str(p.relative_to(root)).encode())
        h.update(p.read_bytes())
    return f"{thaad.__version__}+{h.hexdigest()[:16]}"


def canonical_json(obj) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=False, ensure_ascii=True)


def content_hash(scenario_json: dict, estimates: dict) -> str:
    doc = {"scenario": scenario_json, "estimates": dict(sorted(estimates.items())), "version": code_version()}
    return hashlib.sha256(canonical_json(doc).encode()).hexdigest()


class CaseProblem(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def resolve(sweep, case) -> dict:
    """The payload of ``case``: ``{"hash", "scenario", "estimates", "outputs"}`` (raises CaseProblem)."""
    from thaad.sweep.spec import validate_scenario

    data = copy.deepcopy(sweep.base_json)
    est = dict(sweep.base_estimates)
    for prm, path, v in zip(sweep.parameters, sweep.paths, case.values):
        if prm.field.startswith("estimate."):
            est[prm.field] = float(v)
        else:
            set_path(data, list(path), v, in_place=True)
    sc, errs = validate_scenario(data)
    if sc is None:
        raise CaseProblem(errs)
    resolved = sc.model_dump(mode="json")
    return {"hash": content_hash(resolved, est), "scenario": resolved, "estimates": est,
            "outputs": [asdict(o) for o in sweep.outputs]}

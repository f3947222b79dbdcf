"""Plain-JSON conversion shared by the CLI (``--json``), the map layers and the report.

Numpy scalars and arrays, dataclasses and pydantic models become JSON values; every
float goes through ``number`` (default: non-finite -> null, for strict JSON).
:func:`dumps` is the CLI's strict JSON; :func:`canonical_dumps` the report's byte-stable
form (sorted keys, floats rounded to ``SIGNIFICANT`` digits).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, is_dataclass

import numpy as np


def finite_or_none(x: float) -> float | None:
    return x if math.isfinite(x) else None


def to_jsonable(obj, number=finite_or_none):
    """A JSON-ready copy of ``obj``; floats are mapped through ``number``."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return to_jsonable(asdict(obj), number)
    if hasattr(obj, "model_dump"):
        return to_jsonable(obj.model_dump(mode="json"), number)
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v, number) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v, number) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist(), number)
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return number(float(obj))
    return obj


def dumps(obj, *, indent: int | None = 2) -> str:
    """Strict JSON text (no NaN) of ``obj``, keys in their order."""
    return json.dumps(to_jsonable(obj), indent=indent, allow_nan=False, sort_keys=False)


SIGNIFICANT = 6


def _round(x: float) -> float | None:
    if not math.isfinite(x):
        return None
    if x == 0.0:
        return 0.0
    r = float(f"{x:.{SIGNIFICANT}g}")
    return 0.0 if r == 0.0 else r  # no "-0.0"


def canonical(obj):
    """A JSON-ready copy of ``obj`` with every float rounded to ``SIGNIFICANT`` digits."""
    return to_jsonable(obj, _round)


def canonical_dumps(obj, *, indent: int | None = 1) -> str:
    """Byte-stable JSON text (sorted keys, rounded floats, strict: no NaN)."""
    return json.dumps(canonical(obj), indent=indent, sort_keys=True, allow_nan=False, ensure_ascii=False) + "\n"

"""Plain-JSON conversion shared by the CLI (``--json``) and the report (``report.json``).

Numpy scalars and arrays, dataclasses and pydantic models become JSON values; every
float goes through ``number`` (default: non-finite -> null, for strict JSON).
"""

from __future__ import annotations

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

"""Deterministic JSON: sorted keys, floats rounded to significant digits, NaN -> null."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, is_dataclass

import numpy as np

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
    if is_dataclass(obj) and not isinstance(obj, type):
        return canonical(asdict(obj))
    if hasattr(obj, "model_dump"):
        return canonical(obj.model_dump(mode="json"))
    if isinstance(obj, dict):
        return {str(k): canonical(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [canonical(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return canonical(obj.tolist())
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return _round(float(obj))
    return obj


def dumps(obj, *, indent: int | None = 1) -> str:
    """Byte-stable JSON text (sorted keys, rounded floats, strict: no NaN)."""
    return json.dumps(canonical(obj), indent=indent, sort_keys=True, allow_nan=False, ensure_ascii=False) + "\n"

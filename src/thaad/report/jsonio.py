"""Deterministic JSON: sorted keys, floats rounded to significant digits, NaN -> null."""

from __future__ import annotations

import json
import math

from thaad.jsonio import to_jsonable

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


def dumps(obj, *, indent: int | None = 1) -> str:
    """Byte-stable JSON text (sorted keys, rounded floats, strict: no NaN)."""
    return json.dumps(canonical(obj), indent=indent, sort_keys=True, allow_nan=False, ensure_ascii=False) + "\n"

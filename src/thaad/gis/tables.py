"""CSV tables (RFC 4180, UTF-8, header row) for spreadsheets and pandas."""

from __future__ import annotations

import csv
import math
from pathlib import Path


def _cell(v):
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return ""
    return v


def write_csv(path: str | Path, columns: list[str], rows: list[list]) -> None:
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(columns)
        w.writerows([[_cell(v) for v in row] for row in rows])

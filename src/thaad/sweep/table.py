"""The tidy results table: one row per case and output, written as Parquet and CSV.

Columns: ``case`` (design order), ``hash`` (content hash, 16 hex digits), ``role``
(baseline / oat / lhs / sobol-A / sobol-B / sobol-AB), ``param`` (oat: the varied
parameter's field; sobol-AB: the column from B), ``level``, ``point``, one column per
parameter (its value in this case, named by its field), ``output``, ``unit``, ``value``
(empty/null where the number does not exist, e.g. a place never visible).
Both files are written to a temporary name and renamed: never half-written.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq


def build_table(sweep, cases, hashes, results) -> pa.Table:
    """``results[hash] = {output: value}`` -> the tidy table (rows in case, then output order)."""
    params = sweep.parameters
    cols: dict[str, list] = {k: [] for k in ("case", "hash", "role", "param", "level", "point")}
    pcols = [p.field for p in params]
    for f in pcols:
        cols[f] = []
    cols.update({"output": [], "unit": [], "value": []})
    for case, h in zip(cases, hashes):
        outs = results[h]
        for o in sweep.outputs:
            cols["case"].append(case.index)
            cols["hash"].append(h[:16])
            cols["role"].append(case.role)
            cols["param"].append(params[case.param].field if case.param >= 0 else "")
            cols["level"].append(case.level)
            cols["point"].append(case.point)
            for f, v in zip(pcols, case.values):
                cols[f].append(v)
            cols["output"].append(o.name)
            cols["unit"].append(o.unit)
            cols["value"].append(outs.get(o.name))
    arrays = {}
    for k, v in cols.items():
        if k in pcols and any(isinstance(x, str) for x in v):
            v = [str(x) for x in v]
        elif k in pcols and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v):
            v = [float(x) for x in v]
        arrays[k] = pa.array(v, type=pa.float64() if k == "value" else None)
    return pa.table(arrays)


def write_table(table: pa.Table, folder: Path) -> list[Path]:
    """``results.parquet`` and ``results.csv`` in ``folder`` (atomic replace)."""
    out = []
    for name, writer in (("results.parquet", pq.write_table), ("results.csv", pacsv.write_csv)):
        path = folder / name
        tmp = folder / f".{name}.{os.getpid()}.tmp"
        writer(table, str(tmp))
        os.replace(tmp, path)
        out.append(path)
    return out


def read_table(path: str | Path) -> pa.Table:
    return pq.read_table(str(path))

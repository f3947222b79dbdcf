"""Everything a finished sweep writes next to its case cache: the table, sweep.json, the report."""

from __future__ import annotations

import json
import os
from pathlib import Path

from thaad.sweep.resolve import code_version
from thaad.sweep.table import build_table, write_table


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_outputs(sweep, res, out_dir, *, report: bool = True) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    table = build_table(sweep, res.cases, res.hashes, res.results)
    files = write_table(table, out)
    meta = {"schema": "thaad-sweep/1", "title": sweep.spec.title, "source": sweep.source, "code_version": code_version(),
            "sweep": sweep.spec.model_dump(mode="json"), "cases": len(res.cases), "unique_cases": res.n_unique,
            "outputs": [o.name for o in sweep.outputs]}
    _write_atomic(out / "sweep.json", json.dumps(meta, indent=2, sort_keys=True))
    files.append(out / "sweep.json")
    if report:
        from thaad.sweep.report import write_report

        files.append(write_report(sweep, table, out / "report.html"))
    return files

"""Sweep throughput: cases per second for a 1,000-case sweep, serial (one process) against
a Dask LocalCluster with 1 and with 2 worker processes, measured in the same run.

Each case is the cheap q1/q2 set (free-space range, covered area on a 100 km grid, lowest
visible altitude over two places, coverage lost to one shield) of a Latin-hypercube point
over boresight, warhead RCS and the terminal-mode reported range.  Every variant writes to
a fresh folder (no cache hits); times include starting and stopping the cluster, which is
also reported on its own.

Run:  PYTHONPATH=src python bench/bench_sweep.py [--cases 1000] [--workers 1 2 4 8]

The load average is printed: on a shared machine other processes take the cores the
workers were meant to have, and the cluster numbers say more about them than about Dask.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time

from thaad.sweep import spec
from thaad.sweep.run import run

SWEEP = """
title = "bench"
base = "seongju"
[fixed]
"bands" = false
"grids.coverage_km" = 100.0
[design]
one_at_a_time = false
space_filling = "lhs"
samples = {n}
seed = 7
[outputs]
names = ["q1.detection_range_km", "q1.covered_area_km2", "q1.lowest_alt_km", "q2.coverage_lost_pct"]
places = ["pyongyang", "beijing"]
[[parameters]]
field = "radar.boresight_deg"
low = 300.0
high = 359.0
[[parameters]]
field = "rcs.warhead_m2"
low = 0.005
high = 0.3
baseline = 0.03
scale = "log"
[[parameters]]
field = "estimate.radar.terminal.reported_range_km"
low = 400.0
high = 900.0
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="local-cluster sizes to time (default: 1 2)")
    args = ap.parse_args()
    sw = spec.parse_text(SWEEP.format(n=args.cases))
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        from distributed import LocalCluster

        t = time.perf_counter()
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40):
            pass
        startup = time.perf_counter() - t
        variants = [("serial", {"serial": True})] + [
            (f"local cluster, {n} worker{'s' if n > 1 else ''}", {"workers": n}) for n in args.workers]
        for name, kw in variants:
            t = time.perf_counter()
            res = run(sw, os.path.join(tmp, name.replace(" ", "_").replace(",", "")), **kw)
            dt = time.perf_counter() - t
            assert res.n_computed == args.cases
            rows[name] = {"seconds": round(dt, 2), "cases_per_s": round(args.cases / dt, 1)}
            print(f"{name:26s} {dt:7.2f} s   {args.cases / dt:7.1f} cases/s", flush=True)
    base = rows["serial"]["cases_per_s"]
    for r in rows.values():
        r["speedup_vs_serial"] = round(r["cases_per_s"] / base, 2)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"cluster start+stop (2 workers): {startup:.2f} s; cores: {os.cpu_count()}; load average {load:.1f}")
    print(json.dumps({"cases": args.cases, "cluster_startup_s": round(startup, 2), "runs": rows}, indent=1))


if __name__ == "__main__":
    main()

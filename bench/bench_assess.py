"""`thaad assess` speed: wall and CPU time per question of a scenario (default: the
built-in Seongju scenario with its Monte Carlo sample count), trajectories flown and
trajectories per second, peak memory and the machine's load, all in one run.

Each question runs as its own `thaad assess` (in this process, one after another, so the
first one also pays the imports and the loading of the compiled kernels from numba's
cache); the total is their sum.  Trajectories are counted at the integrator (every
flight of the aim solver's iterations and starting tables included).

    python bench/bench_assess.py [SCENARIO.toml] [--questions q1 q3] [--samples 200]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import tempfile
import time
from pathlib import Path


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?", default=None, help="scenario file (default: the built-in one)")
    ap.add_argument("--questions", nargs="*", default=None)
    ap.add_argument("--samples", type=int, default=None, help="override footprint_samples")
    args = ap.parse_args()

    from thaad import scenario as scenario_mod
    from thaad.ballistics import flight
    from thaad.cli import main as thaad_main

    name = args.scenario or f"built-in {scenario_mod.BUILTIN}"
    text = Path(args.scenario).read_text(encoding="utf-8") if args.scenario else scenario_mod.builtin_text()
    if args.samples is not None:
        text = re.sub(r"(?m)^footprint_samples\s*=\s*\d+", f"footprint_samples = {args.samples}", text)
    samples = int(re.search(r"(?m)^footprint_samples\s*=\s*(\d+)", text).group(1))
    questions = args.questions or re.findall(r'"(q\d)"', re.search(r"(?m)^questions\s*=\s*\[(.*)\]", text).group(1))

    counted = {"n": 0}
    run = flight._run

    def counting_run(prob, r0, *a, **k):
        counted["n"] += int(r0.shape[0])
        return run(prob, r0, *a, **k)

    flight._run = counting_run
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for q in questions:
            path = Path(tmp) / f"{q}.toml"
            path.write_text(re.sub(r"(?m)^questions\s*=.*$", f'questions = ["{q}"]', text), encoding="utf-8")
            counted["n"] = 0
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                thaad_main(["assess", str(path), "--out", str(Path(tmp) / f"out-{q}"), "--quiet"])
            except SystemExit as e:
                if e.code not in (0, None):
                    raise
            rows.append((q, time.perf_counter() - t0, time.process_time() - c0, counted["n"]))
    flight._run = run
    load = os.getloadavg()
    print(f"thaad assess {name}: {samples} Monte Carlo samples per footprint; {os.cpu_count()} cores, "
          f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min)")
    print(f"{'question':10s}{'wall s':>10s}{'CPU s':>10s}{'trajectories':>14s}{'traj/s (wall)':>15s}")
    for q, w, c, n in rows:
        print(f"{q:10s}{w:10.1f}{c:10.1f}{n:14,d}{n / w:15,.0f}")
    tw, tc, tn = (sum(r[i] for r in rows) for i in (1, 2, 3))
    print(f"{'total':10s}{tw:10.1f}{tc:10.1f}{tn:14,d}{tn / tw:15,.0f}")
    print(f"CPU / wall = {tc / tw:.2f} (2 cores fully used = 2.0; a loaded machine gives less)")
    print(f"peak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()

"""`thaad explore` redraw speed: server-side compute time of a coverage redraw at the
scenario's default grid, and of the interactive footprint.

Goal (issue 13): a coverage redraw within 1 s of a change on 2 cores, a footprint within a
few seconds.  Each request goes through the real app (Starlette test client: validation,
compute, JSON), for a sweep of boresights so nothing is cached between redraws; the
time reported is the app's own ``compute_ms`` and the full request wall time.  The
baseline in the same run is the report's q1 coverage section for the same scenario (what
`thaad assess` spends on the map the page redraws), so the ratio says how much lighter the
interactive path is.

Run:  python bench/bench_explore.py [--redraws 12] [--footprint]
"""

from __future__ import annotations

import argparse
import statistics
import time

from starlette.testclient import TestClient

from thaad import scenario
from thaad.explore import compute, create_app
from thaad.report.context import Context
from thaad.report.questions import q1_coverage


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--redraws", type=int, default=12)
    ap.add_argument("--footprint", action="store_true", help="also time one interactive footprint (slow: tens of seconds)")
    args = ap.parse_args()
    base = scenario.load(None)
    client = TestClient(create_app(base, "built-in"))
    state = client.get("/api/initial").json()["state"]
    client.post("/api/coverage", json=state)  # warm: catalogue, imports
    compute_ms, wall_ms = [], []
    for i in range(args.redraws):
        s = {**state, "radar": {**state["radar"], "boresight_deg": (200.0 + 13.0 * i) % 360.0},
             "mode": "forward-based" if i % 2 else "terminal",
             "sectors": [{"az_start_deg": 240.0, "az_end_deg": 300.0, "el_max_deg": 10.0}] if i % 3 == 0 else []}
        t0 = time.perf_counter()
        r = client.post("/api/coverage", json=s)
        wall_ms.append(1000.0 * (time.perf_counter() - t0))
        assert r.status_code == 200, r.text
        compute_ms.append(r.json()["compute_ms"])
    cells = r.json()["numbers"]["grid_cells"]
    sc = base.model_copy(update={"bands": False})
    t0 = time.perf_counter()
    q1_coverage(Context(sc, sc.seed))
    q1_ms = 1000.0 * (time.perf_counter() - t0)
    med = statistics.median(wall_ms)
    print(f"coverage redraw, default grid {base.grids.coverage_km:g} km ({cells} cells), {args.redraws} redraws:")
    print(f"  server compute  median {statistics.median(compute_ms):7.1f} ms   max {max(compute_ms):7.1f} ms")
    print(f"  request (wall)  median {med:7.1f} ms   max {max(wall_ms):7.1f} ms")
    print(f"  baseline: report q1 section (both modes, places, figure) {q1_ms:7.1f} ms  -> ratio {q1_ms / med:5.1f}x")
    print(f"  goal < 1000 ms per redraw: {'MET' if max(wall_ms) < 1000.0 else 'NOT MET'}")
    if args.footprint:
        s = {**state, "radar": {**state["radar"], "boresight_deg": 300.0}}
        for label in ("first (flies the trajectories)", "second (boresight changed)"):
            t0 = time.perf_counter()
            r = client.post("/api/footprint", json=s)
            assert r.status_code == 200, r.text
            n = r.json()["numbers"]
            print(f"footprint {label}: {1000.0 * (time.perf_counter() - t0):8.0f} ms wall, compute {r.json()['compute_ms']:8.0f} ms, "
                  f"{n['aim_points']} aim points at {compute.FOOTPRINT_KM:g} km, defended {n['defended_area_km2']} km^2")
            s = {**s, "radar": {**s["radar"], "boresight_deg": 330.0}}


if __name__ == "__main__":
    main()

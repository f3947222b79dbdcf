"""Footprint speed: aim points per second for a 100 x 100 grid, vectorised vs one at a time.

Vectorised: every aim point of the grid is aimed and flown in one ballistics call, seen by
the radar in one call and engaged in one call.  Baseline (same run, same models): the same
three steps for one aim point at a time, timed on a random subset and extrapolated.

With ``--samples S`` it then runs the Monte Carlo footprint (:func:`thaad.footprint.footprint`,
samples batched) on the same grid: ``n * n * (S + 1)`` aimed trajectories, timed, with
aimed trajectories per second, the time in aiming/flying, detection and the rest, and the
trajectories flown per aimed trajectory.  Issue 9's case: ``--n 100 --samples 99``
(1,000,000 aimed trajectories).  Peak memory and the machine's load are printed.

    PYTHONPATH=src python bench/bench_footprint.py [--n 100] [--subset 20] [--missile hwasong-7] [--from sunan]
                                                   [--samples 0]
"""

from __future__ import annotations

import argparse
import math
import threading
import time

import numpy as np

from thaad.cli.common import parse_point
from thaad import assemble as A
from thaad.engagement import engage
from thaad.footprint import aim_grid
from thaad.interceptor import flyout_fan


def _row(ts, i):
    """Trajectory ``i`` of a TrajectorySet as a set of one."""
    import dataclasses

    out = {}
    for f in dataclasses.fields(ts):
        v = getattr(ts, f.name)
        out[f.name] = v[i:i + 1] if isinstance(v, np.ndarray) else v
    return type(ts)(**out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100, help="grid side (n x n aim points)")
    ap.add_argument("--subset", type=int, default=20, help="aim points flown one at a time for the baseline")
    ap.add_argument("--missile", default="hwasong-7")
    ap.add_argument("--from", dest="launch", default="sunan")
    ap.add_argument("--extent-km", type=float, default=250.0)
    ap.add_argument("--samples", type=int, default=0, help="also run the Monte Carlo footprint with this many samples")
    args = ap.parse_args()

    bat = A.battery("seongju")
    launch = parse_point(args.launch, "from")
    spacing = 2 * args.extent_km * 1e3 / args.n
    grid = aim_grid(bat.radar_lat_rad, bat.radar_lon_rad, args.extent_km * 1e3, spacing)  # (n+1) x (n+1)
    lat, lon = grid.lat_rad[:args.n, :args.n].ravel(), grid.lon_rad[:args.n, :args.n].ravel()
    n = lat.size
    fly = A.fly_function(A.vehicle_band(args.missile))
    detect = A.detect_function(A.battery_radar("seongju"), A.rcs_m2())
    fan = flyout_fan(bat.interceptor)  # built once per configuration, outside both timings

    def one_pass(la, lo):
        ts = fly(launch.lat_rad, launch.lon_rad, la, lo, None)
        det, vis = detect(ts)
        return engage(ts, det, bat, fan=fan, visible=vis).shot_opportunities

    one_pass(lat[:4], lon[:4])  # warm caches (atmosphere tables, fan, imports)
    t0 = time.perf_counter()
    ts = fly(launch.lat_rad, launch.lon_rad, lat, lon, None)
    det, vis = detect(ts)
    shots = engage(ts, det, bat, fan=fan, visible=vis).shot_opportunities
    t_vec = time.perf_counter() - t0

    rng = np.random.default_rng(0)
    pick = rng.choice(n, size=min(args.subset, n), replace=False)
    t0 = time.perf_counter()
    single = [int(one_pass(lat[i:i + 1], lon[i:i + 1])[0]) for i in pick]
    t_one = (time.perf_counter() - t0) / len(pick)
    agree = np.mean(np.array(single) == shots[pick])
    # the same batch trajectories engaged one at a time: engage() alone must agree exactly
    same = [int(engage(_row(ts, i), det[i:i + 1], bat, fan=fan, visible=vis[i:i + 1]).shot_opportunities[0])
            for i in pick]
    agree_engage = np.mean(np.array(same) == shots[pick])

    vec_rate = n / t_vec
    one_rate = 1.0 / t_one
    print(f"footprint {args.n} x {args.n} = {n} aim points, {args.missile} from {launch.name} vs Seongju")
    print(f"  vectorised:        {t_vec:8.2f} s  {vec_rate:10.1f} aim points/s")
    print(f"  one at a time:     {t_one * n:8.2f} s  {one_rate:10.1f} aim points/s "
          f"(extrapolated from {len(pick)} points)")
    print(f"  ratio: {vec_rate / one_rate:.1f}x   ({np.mean(shots >= 1):.0%} of aim points defended)")
    print(f"  engage() on the batch's own trajectories, one at a time: shot counts agree on {agree_engage:.0%}")
    print(f"  full one-at-a-time pass agrees on {agree:.0%}: the remaining differences come from the aim solver, whose")
    print("  minimum-energy optimum is flat in loft, so a batch and a single solve may return different lofts (apogees)")
    print("  for the same target, both within the miss tolerance; engage() itself is deterministic per trajectory.")
    if args.samples:
        from thaad.footprint import AimGrid, footprint
        import thaad.ballistics.aim_flyer as aim_flyer

        sub = AimGrid(grid.lat_rad[:args.n, :args.n], grid.lon_rad[:args.n, :args.n],
                      grid.cell_area_m2[:args.n, :args.n], grid.spacing_m)
        # a fresh flight function (no nominal solution cached), timed and counted per stage
        spent = {"aim and fly": 0.0, "detect": 0.0}  # chunks run in threads (thaad.threads.in_order): thread time
        flown = [0]
        lock = threading.Lock()
        fly_mc = A.fly_function(A.vehicle_band(args.missile))
        real_fly = aim_flyer.fly

        def counted_fly(vehicle, lat, *a, **k):  # every trajectory the aim solver flies
            with lock:
                flown[0] += int(np.size(lat))
            return real_fly(vehicle, lat, *a, **k)

        def timed(name, fn):
            def wrapper(*a):
                t = time.perf_counter()
                try:
                    return fn(*a)
                finally:
                    with lock:
                        spent[name] += time.perf_counter() - t
            return wrapper

        aim_flyer.fly = counted_fly
        try:
            c0, t0 = time.process_time(), time.perf_counter()
            fp = footprint(launch.lat_rad, launch.lon_rad, sub, timed("aim and fly", fly_mc), timed("detect", detect),
                           bat, samples=args.samples, seed=1, uncertainty=A.uncertainty("seongju"))
            t_mc, c_mc = time.perf_counter() - t0, time.process_time() - c0
        finally:
            aim_flyer.fly = real_fly
        m = n * (args.samples + 1)
        lo, mid, hi = fp.band()["defended_area_km2"]
        print(f"  Monte Carlo: {args.samples} samples + nominal = {m:,} aimed trajectories in {t_mc:.1f} s wall"
              f" ({c_mc:.1f} s CPU) = {m / t_mc:,.0f} aimed trajectories/s (target: 1,000,000 in < 60 s on 2 cores)")
        print("  time in the calls, summed over the threads that ran chunks (they overlap): "
              + ", ".join(f"{k} {v:.1f} s" for k, v in spent.items())
              + f"; {flown[0] / m:.2f} flights per aimed trajectory (aim solver, starting tables and final flights)")
        print(f"  defended area 5th / 50th / 95th percentile: {lo:,.0f} / {mid:,.0f} / {hi:,.0f} km^2")
    import os
    import resource

    load = os.getloadavg()
    print(f"  load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} cores;"
          f" peak memory (max RSS) {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()

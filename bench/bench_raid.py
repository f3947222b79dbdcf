"""Raid speed: a 48-missile raid against the built-in Seongju battery, batched vs one at a time.

Batched: the raid's missiles are aimed and flown in one ballistics call per missile type,
seen by the radar in one call and their engagement windows computed in one call
(:func:`thaad.raid.windows`); the allocation then runs once.  Baseline (same run, same
models): aim, fly, detect and window one missile at a time, then the same allocation.  Both
must give the same allocation.

    PYTHONPATH=src python bench/bench_raid.py [--n 48]
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

from thaad import assemble as A
from thaad import catalog
from thaad.geo import geodesic_direct
from thaad.interceptor import flyout_fan
from thaad import raid_data
from thaad.raid import Doctrine, Windows, raid_objects, run, saturation_size, windows

TARGETS = ["daegu", "busan", "ulsan", "pohang", "daejeon", "gwangju", "pyeongtaek", "seongju"]
TYPES = [("kn-23", "sakkanmol"), ("scud-c", "wonsan")]


def aim_points(n):
    """n distinct aim points: the target cities in turn, each within 10 km of its centre."""
    rng = np.random.default_rng(1)
    out = []
    for i in range(n):
        p = catalog.find_place(TARGETS[i % len(TARGETS)])
        lat, lon, _ = geodesic_direct(math.radians(p.lat_deg), math.radians(p.lon_deg), rng.uniform(0, 2 * math.pi),
                                      10e3 * math.sqrt(rng.uniform()))
        out.append((float(lat), float(lon)))
    return out


def concat(parts: list[Windows]) -> Windows:
    j = max(w.t_s.shape[1] for w in parts)

    def pad(a, v):
        w = [(0, 0)] * (a.ndim - 1) + [(0, j - a.shape[-1])]
        return np.pad(a, w, mode="edge") if v is None else np.pad(a, w, constant_values=v)

    return Windows(np.concatenate([pad(w.t_s, np.inf) for w in parts]),
                   np.concatenate([pad(w.launch_max_s, None) for w in parts]),
                   np.concatenate([w.ready_s for w in parts]), np.concatenate([w.impact_s for w in parts]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=48, help="missiles in the raid (half KN-23, half Scud-C)")
    ap.add_argument("--subset", type=int, default=6, help="missiles flown one at a time for the baseline")
    args = ap.parse_args()
    bat = A.battery("seongju")
    pk = A.battery_pk("seongju")
    detect = A.detect_function(A.battery_radar("seongju"), A.rcs_m2())
    fan = flyout_fan(bat.interceptor)
    pts = aim_points(args.n)
    kinds = [TYPES[i % 2] for i in range(args.n)]
    flies = {m: A.fly_function(A.vehicle_band(m)) for m, _ in TYPES}
    limits = raid_data.raid_limits("seongju")  # the catalogue's nominal estimates
    doctrine = Doctrine("adaptive", 2)

    def batch(idx):
        parts, order = [], []
        for m, l in TYPES:
            sel = [i for i in idx if kinds[i][0] == m]
            if not sel:
                continue
            lp = catalog.find_place(l)
            ts = flies[m](math.radians(lp.lat_deg), math.radians(lp.lon_deg), np.array([pts[i][0] for i in sel]),
                          np.array([pts[i][1] for i in sel]), None)
            det, vis = detect(ts)
            parts.append(windows(ts, det, bat, fan=fan, visible=vis))
            order += sel
        win = concat(parts)
        pos = {m: k for k, m in enumerate(order)}
        rows = np.array([pos[i] for i in idx])  # row of each missile of idx in the concatenated windows
        return win, rows

    batch([0, 1])  # warm caches (atmosphere tables, fan, imports)
    t0, c0 = time.perf_counter(), time.process_time()
    win, rows = batch(list(range(args.n)))
    objs = raid_objects(rows, np.zeros(args.n))
    r = run(win, objs, bat, limits, doctrine, pk)
    t_vec, c_vec = time.perf_counter() - t0, time.process_time() - c0

    pick = np.random.default_rng(0).choice(args.n, size=min(args.subset, args.n), replace=False)
    t0, c0 = time.perf_counter(), time.process_time()
    single = [batch([int(i)])[0] for i in pick]
    t_one = (time.perf_counter() - t0) / len(pick) * args.n
    c_one = (time.process_time() - c0) / len(pick) * args.n
    last_b = np.max(win.last_launch_s()[rows[pick]], axis=1)
    last_1 = np.array([np.max(w.last_launch_s()[0]) for w in single])
    both = np.isfinite(last_b) & np.isfinite(last_1)
    agree = np.mean(np.isfinite(last_b) == np.isfinite(last_1))
    dt = float(np.max(np.abs(last_b[both] - last_1[both]))) if both.any() else 0.0
    t0 = time.perf_counter()
    sat = saturation_size(win, raid_objects(np.repeat(rows, 3), np.zeros(3 * args.n)), bat, limits, doctrine, pk)
    t_sat = time.perf_counter() - t0

    print(f"raid of {args.n} missiles (KN-23 from Sakkanmol, Scud-C from Wonsan, salvo) vs Seongju "
          f"({bat.n_launchers} x {bat.interceptors_per_launcher}, {limits.fire_channels} fire channels, "
          f"{limits.launch_interval_s:g} s launch interval, {doctrine.kind}, Pk {pk:g})")
    print(f"  batched:        {t_vec:8.2f} s  ({c_vec:.2f} s CPU)")
    print(f"  one at a time:  {t_one:8.2f} s  ({c_one:.2f} s CPU; extrapolated from {len(pick)} missiles)")
    print(f"  ratio: {t_one / t_vec:.1f}x wall, {c_one / c_vec:.1f}x CPU   engageable agrees on {agree:.0%} of the subset; latest launch time differs "
          f"by at most {dt:.1f} s")
    print(f"  engageable {int(r.engageable.sum())}/{args.n}, interceptors committed {r.interceptors_committed}, "
          f"expected used {r.interceptors_expected:.1f}, expected leakers {r.expected_leakers:.2f}")
    print(f"  saturation raid size (this make-up repeated): {sat}  ({t_sat:.2f} s)")


if __name__ == "__main__":
    main()

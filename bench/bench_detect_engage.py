"""Radar detection and engagement of a footprint batch: the NumPy reference path
(:func:`thaad.radar.detect_along` + :func:`thaad.engagement.engage` with ``compiled=False``)
against the compiled path (:func:`thaad.radar.detect.first_detection` + the compiled
``engage``), same batch, same run.

The batch is what :func:`thaad.footprint.footprint` flies: a grid of aim points around the
Seongju battery, Hwasong-7 from Sunan, aimed by ``assemble.fly_function`` with a
missile-parameter quantile drawn per trajectory, 2 s samples.

Run:  PYTHONPATH=src python bench/bench_detect_engage.py [--n 60] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import time

import numpy as np

from thaad import assemble as A
from thaad import catalog
from thaad.engagement import engage
from thaad.footprint import aim_grid
from thaad.radar.detect import detect_along, first_detection


def timed(fn, repeat):
    """Best of ``repeat`` runs: (result, wall s, CPU s of this process)."""
    best = None
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        w, c = time.perf_counter() - w0, time.process_time() - c0
        if best is None or w < best[1]:
            best = (out, w, c)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=60, help="aim grid is n x n points (500 km square)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    bat = A.battery("seongju")
    radar, rcs = A.battery_radar("seongju"), A.rcs_m2()
    p = catalog.find_place("sunan")
    lat0, lon0 = np.radians(p.lat_deg), np.radians(p.lon_deg)
    grid = aim_grid(bat.radar_lat_rad, bat.radar_lon_rad, 250e3, 500e3 / args.n)
    lat, lon = grid.lat_rad[:args.n, :args.n].ravel(), grid.lon_rad[:args.n, :args.n].ravel()
    u = np.random.default_rng(1).uniform(size=lat.size)
    fly = A.fly_function(A.vehicle_band("hwasong-7"))
    t0 = time.perf_counter()
    ts = fly(np.full(lat.size, lat0), np.full(lat.size, lon0), lat, lon, u)
    print(f"batch: {ts.n:,} aimed trajectories, {ts.t_s.shape[1]} samples max ({ts.n_samples.mean():.0f} mean), "
          f"flown in {time.perf_counter() - t0:.1f} s")

    sub = ts.take(slice(0, 64))  # compile or load the kernels outside the timing
    d, v = first_detection(sub, radar, rcs, compiled=True)
    engage(sub, d, bat, visible=v, compiled=True)

    def ref_detect():
        tr = detect_along(ts, radar, rcs)
        return tr.first_detection_time_s, tr.visible

    (d_ref, v_ref), w_dr, c_dr = timed(ref_detect, args.repeat)
    (d_fast, v_fast), w_df, c_df = timed(lambda: first_detection(ts, radar, rcs, compiled=True), args.repeat)
    e_ref, w_er, c_er = timed(lambda: engage(ts, d_ref, bat, visible=v_ref, compiled=False), args.repeat)
    e_fast, w_ef, c_ef = timed(lambda: engage(ts, d_fast, bat, visible=v_fast, compiled=True), args.repeat)

    us = 1e6 / ts.n
    print(f"detection  reference {w_dr:.3f} s wall ({c_dr * us:.1f} us CPU/trajectory), "
          f"compiled {w_df:.3f} s wall ({c_df * us:.1f} us CPU/trajectory): {w_dr / w_df:.1f}x wall, {c_dr / c_df:.1f}x CPU")
    print(f"engagement reference {w_er:.3f} s wall ({c_er * us:.1f} us CPU/trajectory), "
          f"compiled {w_ef:.3f} s wall ({c_ef * us:.1f} us CPU/trajectory): {w_er / w_ef:.1f}x wall, {c_er / c_ef:.1f}x CPU")
    tot_ref, tot_fast = w_dr + w_er, w_df + w_ef
    print(f"detection + engagement: {tot_ref:.3f} s -> {tot_fast:.3f} s = {tot_ref / tot_fast:.1f}x "
          f"({ts.n / tot_fast:,.0f} trajectories/s; target >= 5x and < 20 us CPU per trajectory for each)")
    both = np.isfinite(d_ref)
    same_nan = np.array_equal(np.isnan(d_ref), np.isnan(d_fast))
    dmax = float(np.max(np.abs(d_ref[both] - d_fast[both]))) if both.any() else 0.0
    print(f"agreement: first detection max |difference| {dmax:.2e} s (same undetected: {same_nan}), "
          f"visible samples differing {int((v_ref != v_fast).sum())} of {v_ref.size:,}, "
          f"shot counts identical for {np.mean(e_ref.shot_opportunities == e_fast.shot_opportunities):.4%} "
          f"(shots {np.bincount(e_ref.shot_opportunities).tolist()})")
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} cores;"
          f" peak memory (max RSS) {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()

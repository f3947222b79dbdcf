"""Coverage speed: cells per second for a 1,000 x 1,000 lat/lon grid (the compiled fused
grid kernel, on the available threads and on one) against the reference path (NumPy closed
form on PROJ's geodesic, every cell) and a straightforward per-cell Python baseline (scalar
geodesic + a bisection over altitude on the visibility margins) on a 2,000-cell subset, same run.

Run:  PYTHONPATH=src python bench/bench_coverage.py [--n 1000] [--subset 2000]
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import time

import numpy as np

from thaad import catalog
from thaad.radar import RadarSite, coverage_map, grid_around, lowest_visible_altitude
from thaad.radar.geometry import elevation_rad, line_of_sight_margin_m, slant_range_m


def baseline_cell(radar, lat, lon, r_det, geod, tol_m=1.0):
    """One cell, plain Python: scalar geodesic, then a bisection over altitude for the
    floor (line of sight and minimum elevation hold from some altitude up), then a check
    of the ceilings (slant range, maximum elevation) at that floor."""
    s = radar.site
    az12, _, dist = geod.inv(math.degrees(s.lon_rad), math.degrees(s.lat_rad), math.degrees(lon), math.degrees(lat))
    az = math.radians(az12) % (2 * math.pi)
    off = (az - radar.boresight_az_rad + math.pi) % (2 * math.pi) - math.pi
    if abs(off) > radar.az_half_width_rad:
        return math.nan
    kr = float(radar.k_radius_m(az))
    th = dist / kr
    a1 = kr + s.height_m

    def floor_ok(h):
        a2 = kr + h
        return float(line_of_sight_margin_m(th, a1, a2, kr)) >= 0 and float(elevation_rad(th, a1, a2)) >= radar.min_el_rad

    if floor_ok(0.0):
        h = 0.0
    else:
        lo, hi = 0.0, 1e7
        if not floor_ok(hi):
            return math.nan
        while hi - lo > tol_m:
            mid = 0.5 * (lo + hi)
            lo, hi = (lo, mid) if floor_ok(mid) else (mid, hi)
        h = hi
    a2 = kr + h
    if float(slant_range_m(th, a1, a2)) > r_det or float(elevation_rad(th, a1, a2)) > radar.max_el_rad:
        return math.nan
    return h


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000, help="grid is n x n cells")
    ap.add_argument("--subset", type=int, default=2000, help="cells for the per-cell baseline")
    ap.add_argument("--mode", default="terminal")
    ap.add_argument("--rcs-m2", type=float, default=0.1)
    ap.add_argument("--repeat", type=int, default=5, help="timed runs of the compiled map (median printed)")
    args = ap.parse_args()

    p = catalog.find_place("seongju")
    site = RadarSite(math.radians(p.lat_deg), math.radians(p.lon_deg), p.alt_m)
    radar = catalog.build_radar("tpy2", args.mode, site)
    r_det = float(radar.detection_range_m(args.rcs_m2))
    lat, lon = grid_around(site.lat_rad, site.lon_rad, r_det * 1.05, 50e3)  # box only
    lat = np.linspace(lat.min(), lat.max(), args.n)
    lon = np.linspace(lon.min(), lon.max(), args.n)

    coverage_map(radar, lat[:200], lon[:200], args.rcs_m2)  # warm: imports, compiled kernels from numba's cache
    from thaad import threads

    def timed(repeat):
        wall, cpu = [], []
        for _ in range(repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            cov = coverage_map(radar, lat, lon, args.rcs_m2)
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)  # all threads: the work, whatever the load
        return cov, np.array(wall), np.array(cpu)

    cov, t_all, cpu_all = timed(args.repeat)
    t_vec = float(np.median(t_all))
    keep, threads.cores = threads.cores, lambda: 1  # the same, on one thread
    _, t_one, _ = timed(max(1, args.repeat // 2))
    threads.cores = keep
    rss_fast = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cells = lat.size * lon.size
    rate_vec = cells / t_vec

    # the reference path, same run: NumPy closed form on PROJ's geodesic (Karney), every cell
    la, lo = np.meshgrid(lat, lon, indexing="ij")
    t0 = time.perf_counter()
    ref = lowest_visible_altitude(radar, la, lo, args.rcs_m2, compiled=False)
    t_np = time.perf_counter() - t0
    del la, lo
    diff = {k: float(np.nanmax(np.abs(getattr(cov.result, k) - getattr(ref, k))))
            for k in ("lowest_alt_m", "slant_range_m", "ground_range_m")}
    same_ref = (np.array_equal(np.isfinite(cov.lowest_alt_m), np.isfinite(ref.lowest_alt_m))
                and np.array_equal(cov.result.binding, ref.binding))

    rng = np.random.default_rng(0)
    iy = rng.integers(0, lat.size, args.subset)
    ix = rng.integers(0, lon.size, args.subset)
    geod = radar.earth.geod()
    t0 = time.perf_counter()
    base = np.array([baseline_cell(radar, lat[i], lon[j], r_det, geod) for i, j in zip(iy, ix)])
    t_base = time.perf_counter() - t0
    rate_base = args.subset / t_base

    vec = cov.lowest_alt_m[iy, ix]
    same_mask = np.array_equal(np.isfinite(vec), np.isfinite(base))
    both = np.isfinite(vec) & np.isfinite(base)
    err = float(np.max(np.abs(vec[both] - base[both]))) if both.any() else 0.0
    print(f"radar {radar.name} {radar.mode}, RCS {args.rcs_m2:g} m^2, R = {r_det / 1e3:.0f} km; "
          f"{cov.covered.sum()} of {cells} cells covered")
    print(f"compiled fused grid: {cells:,} cells in {t_vec:.3f} s (median of {t_all.size}; "
          f"{t_all.min():.3f}-{t_all.max():.3f} s) = {rate_vec:,.0f} cells/s on {threads.cores()} threads "
          f"(CPU time {np.median(cpu_all):.3f} s); one thread {np.median(t_one):.3f} s")
    print(f"NumPy + PROJ closed form (the reference path): {t_np:.2f} s; compiled is {t_np / t_vec:.1f}x faster;"
          f" same covered cells and labels = {same_ref}, max |difference| lowest altitude {diff['lowest_alt_m']:.2e} m,"
          f" slant range {diff['slant_range_m']:.2e} m, ground range {diff['ground_range_m']:.2e} m")
    print(f"per-cell Python baseline: {args.subset:,} cells in {t_base:.2f} s = {rate_base:,.0f} cells/s")
    print(f"agreement on the subset: same covered cells = {same_mask}, max |difference| = {err:.2f} m")
    print(f"speed-up (cells/s ratio): {rate_vec / rate_base:.0f}x; target: 1,000,000 cells in < 0.5 s")
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} cores;"
          f" peak memory (max RSS) {rss_fast:.0f} MB through the compiled maps,"
          f" {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB with the reference and baseline")


if __name__ == "__main__":
    main()

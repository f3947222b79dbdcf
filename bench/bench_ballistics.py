"""Benchmark: trajectories per second, 10,000 flown together by thaad.ballistics (the
compiled numba kernel, and the NumPy reference path) against scipy.integrate.solve_ivp one
trajectory at a time, all in the same run; peak memory and machine load printed.

Case: free flight from burnout states (speeds 2-6 km/s, flight-path angles 20-60 deg,
all azimuths) of a re-entry vehicle (beta = 5,000 kg/m2) over the rotating WGS84 Earth with
J2 gravity and drag in the standard atmosphere, to impact.  Both integrators use the same
method (Dormand-Prince 5(4)), the same rtol/atol and the same force model; the baseline is
timed on a sample and extrapolated; the compiled engine and the baseline each take the best
of three runs (timeit's convention: on a shared machine the slower runs time the neighbours).
Accuracy: range of both against a tight-tolerance
reference (solve_ivp DOP853, rtol 1e-12) on the sample.

Run: python bench/bench_ballistics.py [N] [SAMPLE]
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np
from scipy.integrate import solve_ivp

from thaad import atmosphere
from thaad.ballistics import FlightOptions, fly_burnout_state
from thaad.geo import WGS84, enu_basis, geodesic_inverse, geodetic_to_ecef, ecef_to_geodetic

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
SAMPLE = int(sys.argv[2]) if len(sys.argv) > 2 else 30
REPEAT = 3  # the compiled engine and the baseline are each timed REPEAT times, the best kept (timeit's convention)
BETA = 5000.0
RTOL, ATOL = 1e-8, 1e-3
LAT0, LON0 = math.radians(39.0), math.radians(125.7)


def cases(n, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.uniform(2000, 6000, n), np.radians(rng.uniform(20, 60, n)), np.radians(rng.uniform(0, 360, n)))


def initial_state(speed, el, az):
    r0 = geodetic_to_ecef(LAT0, LON0, 0.0)
    enu = np.array([speed * math.cos(el) * math.sin(az), speed * math.cos(el) * math.cos(az), speed * math.sin(el)])
    v0 = enu_basis(LAT0, LON0).T @ enu
    return np.concatenate([r0, v0])


def rhs_scalar(t, y):
    """One trajectory: J2 gravity, Coriolis + centrifugal, drag with beta (same model)."""
    x, yy, z, vx, vy, vz = y
    e = WGS84
    r2 = x * x + yy * yy + z * z
    r = math.sqrt(r2)
    k0 = -e.gm_m3_s2 / (r2 * r)
    k = 1.5 * e.j2 * e.a_m * e.a_m / r2
    zz = 5.0 * z * z / r2
    fxy, fz = k0 * (1 + k * (1 - zz)), k0 * (1 + k * (3 - zz))
    ax, ay, az = fxy * x, fxy * yy, fz * z
    w = e.omega_rad_s
    ax += 2 * w * vy + w * w * x
    ay += -2 * w * vx + w * w * yy
    s2 = (z / r) ** 2
    rs = e.a_m * e.b_m / math.sqrt(e.b_m**2 * (1 - s2) + e.a_m**2 * s2)
    rho = atmosphere.fast_density_and_sound(r - rs)[0]
    sp = math.sqrt(vx * vx + vy * vy + vz * vz)
    kd = 0.5 * float(rho) * sp / BETA
    return [vx, vy, vz, ax - kd * vx, ay - kd * vy, az - kd * vz]


def hit_ground(t, y):
    return ecef_to_geodetic(np.asarray(y[:3]))[2] if t > 1.0 else 1.0


hit_ground.terminal = True
hit_ground.direction = -1


def fly_one(speed, el, az, method="RK45", rtol=RTOL, atol=ATOL):
    sol = solve_ivp(rhs_scalar, (0, 5000), initial_state(speed, el, az), method=method, rtol=rtol, atol=atol,
                    events=hit_ground)
    y = sol.y_events[0][0]
    lat, lon, _ = ecef_to_geodetic(y[:3])
    return float(geodesic_inverse(LAT0, LON0, lat, lon)[0])


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    import os

    spd, el, az = cases(N)
    rates = {}
    for name, compiled in (("compiled", True), ("numpy", False)):
        opts = FlightOptions(sample_s=None, rtol=RTOL, atol=ATOL, compiled=compiled)
        fly_burnout_state(LAT0, LON0, 0.0, spd[:10], el[:10], az[:10], ballistic_coefficient_kg_m2=BETA, options=opts)
        best = np.inf
        for _ in range(REPEAT if compiled else 1):  # the NumPy path takes seconds: once
            t0 = time.perf_counter()
            ts = fly_burnout_state(LAT0, LON0, 0.0, spd, el, az, ballistic_coefficient_kg_m2=BETA, options=opts)
            best = min(best, time.perf_counter() - t0)
        rates[name] = (N / best, ts)
    rate_vec, ts = rates["compiled"]

    idx = np.linspace(0, N - 1, SAMPLE).astype(int)
    t_base = np.inf
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        base = np.array([fly_one(spd[i], el[i], az[i]) for i in idx])
        t_base = min(t_base, time.perf_counter() - t0)
    rate_base = SAMPLE / t_base

    ref = np.array([fly_one(spd[i], el[i], az[i], method="DOP853", rtol=1e-12, atol=1e-6) for i in idx])
    err_vec = np.abs(ts.range_m[idx] - ref)
    err_np = np.abs(rates["numpy"][1].range_m[idx] - ref)
    err_base = np.abs(base - ref)
    print(f"case: {N} RV free flights, WGS84 + J2 + rotation + drag (beta {BETA:.0f} kg/m2), rtol {RTOL:g}, atol {ATOL:g}")
    print(f"load average (1, 5, 15 min) during the run: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    print(f"compiled kernel (all {N} together, best of {REPEAT}): {N / rate_vec:8.3f} s  {rate_vec:10.1f} trajectories/s  ({ts.n_steps} steps)")
    print(f"NumPy reference path (all {N} together): {N / rates['numpy'][0]:8.2f} s  {rates['numpy'][0]:10.1f} trajectories/s")
    print(f"baseline (solve_ivp RK45, one at a time, {SAMPLE} sampled, best of {REPEAT}): {t_base:8.2f} s  {rate_base:10.1f} trajectories/s"
          f"  (extrapolated {N / rate_base:.0f} s for {N})")
    print(f"range error vs DOP853 rtol 1e-12 reference on the sample: compiled max {err_vec.max():.3f} m"
          f" (median {np.median(err_vec):.3f} m), NumPy max {err_np.max():.3f} m, baseline max {err_base.max():.3f} m"
          f" (median {np.median(err_base):.3f} m)")
    print(f"speed-up: compiled {rate_vec / rate_base:.0f}x solve_ivp (target >= 1000x); NumPy path"
          f" {rates['numpy'][0] / rate_base:.0f}x; compiled / NumPy {rate_vec / rates['numpy'][0]:.1f}x")
    print(f"peak memory (max RSS): {_peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()

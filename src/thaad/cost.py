"""Up-front cost estimates: refuse a request that cannot run before any work starts.

Pure arithmetic (no I/O).  The per-unit constants were measured on this project's reference
machine (2 shared cores) with the built-in scenario and ``thaad footprint`` (issue 15):

* footprint: ~95 KiB of peak memory per aim point (3,721 aim points: 440 MiB; 14,641:
  1.35 GiB, at load) and ~0.5 ms per aim point and Monte Carlo draw with the batched,
  compiled engine and warm-started draws (the built-in report's q3: 804 draws x 67 aim
  points in 22 s idle, about 0.4 ms; ``bench/bench_footprint.py``'s 1,000,000 in 134 s,
  0.13 ms; about twice that on a loaded machine);
* coverage: ~0.4 KiB and ~4 us per grid cell and radar configuration;
* the report's fixed costs (``BASE_S``, ``FOOTPRINT_RUN_S``, ``FLIGHT_GROUP_S``, ``BASE_BYTES``)
  from the question timings in ``run.json`` of the built-in scenario (38 s wall idle; q2, q4 and
  q5 with 63 flight groups in about 11 s; peak memory 450-740 MiB).

They are order-of-magnitude guides (a factor of ~3 either way), stated as such wherever
they are shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

BASE_S = 5.0                    # start-up, catalogue, figures and writing
FOOTPRINT_RUN_S = 1.5           # per footprint run: aiming tables, detection set-up
FLIGHT_GROUP_S = 0.2            # per aimed flight group of the report (q2 cost, q4, q5, raid)
FOOTPRINT_BYTES_PER_AIM_POINT = 95 * 1024
FOOTPRINT_S_PER_AIM_POINT = 0.0005
COVERAGE_BYTES_PER_CELL = 400
COVERAGE_S_PER_CELL = 4e-6
BASE_BYTES = 450 * 1024 * 1024  # interpreter, numpy/scipy/matplotlib, catalogue, compiled kernels

MAX_AIM_POINTS = 15_000        # ~1.4 GiB peak
MAX_COVERAGE_CELLS = 4_000_000  # ~1.5 GiB peak
MAX_RUN_S = 6 * 3600.0          # a scenario estimated above this is refused


def aim_points(extent_km: float, grid_km: float) -> int:
    """Aim points of :func:`thaad.footprint.aim_grid`: (2 round(extent/grid) + 1)^2."""
    n = 2 * int(round(extent_km / grid_km)) + 1
    return n * n


def coverage_cells(lat_min_deg: float, lat_max_deg: float, lon_min_deg: float, lon_max_deg: float,
                   step_km: float) -> int:
    """Cells of a lat/lon grid of ``step_km`` spacing (111.2 km per degree of latitude)."""
    km_per_deg = 111.195
    ny = int(math.ceil((lat_max_deg - lat_min_deg) * km_per_deg / step_km)) + 1
    mid = math.radians(0.5 * (lat_min_deg + lat_max_deg))
    nx = int(math.ceil((lon_max_deg - lon_min_deg) * km_per_deg * max(math.cos(mid), 0.05) / step_km)) + 1
    return ny * nx


def grid_for(limit_points: int, extent_km: float) -> float:
    """Coarsest-needed grid spacing so that ``aim_points(extent, grid) <= limit_points``."""
    n_half = max(int((math.isqrt(limit_points) - 1) // 2), 1)
    return math.ceil(extent_km / n_half * 10) / 10


def extent_for(limit_points: int, grid_km: float) -> float:
    n_half = max(int((math.isqrt(limit_points) - 1) // 2), 1)
    return math.floor(n_half * grid_km)


@dataclass(frozen=True)
class Estimate:
    """Rough run cost: seconds and peak bytes, with what dominates."""

    seconds: float
    peak_bytes: float
    parts: dict

    @property
    def peak_mib(self) -> float:
        """Peak memory including the fixed base (MiB)."""
        return (self.peak_bytes + BASE_BYTES) / 2**20

    def describe(self) -> str:
        return (f"about {_duration(self.seconds)} and {_size(self.peak_bytes + BASE_BYTES)} of memory "
                "(rough estimate, a factor of ~3 either way)")


BASE_BYTES = 450 * 2**20  # interpreter, numpy, matplotlib, catalogue, figures (built-in scenario: 442 MiB peak)


def _size(b: float) -> str:
    return f"{b / 2**20:,.0f} MiB" if b < 2**30 else f"{b / 2**30:.1f} GiB"


def _duration(s: float) -> str:
    if s < 90:
        return f"{s:.0f} s"
    if s < 5400:
        return f"{s / 60:.0f} min"
    return f"{s / 3600:.1f} h"


def footprint_estimate(n_aim_points: int, samples: int, n_runs: int = 1) -> Estimate:
    draws = (1 + samples) * n_runs
    return Estimate(draws * n_aim_points * FOOTPRINT_S_PER_AIM_POINT, n_aim_points * FOOTPRINT_BYTES_PER_AIM_POINT,
                    {"footprint_aim_points": n_aim_points, "footprint_draws": draws})


def coverage_estimate(n_cells: int, n_maps: int) -> Estimate:
    return Estimate(n_maps * n_cells * COVERAGE_S_PER_CELL, n_cells * COVERAGE_BYTES_PER_CELL,
                    {"coverage_cells": n_cells, "coverage_maps": n_maps})


def flights_estimate(groups: int) -> Estimate:
    return Estimate(groups * FLIGHT_GROUP_S, 0.0, {"flight_groups": groups})


def combine(*parts: Estimate, base_s: float = 0.0) -> Estimate:
    merged: dict = {}
    for p in parts:
        merged.update(p.parts)
    return Estimate(base_s + sum(p.seconds for p in parts), BASE_BYTES + max([p.peak_bytes for p in parts] + [0.0]), merged)

"""Defended footprints: which aim points a battery can protect against a missile class.

A grid of aim points around the battery is flown all at once (one call of the flight
function over every grid point), detected by the radar (one call), and engaged (one
vectorised call of :func:`thaad.engagement.engage`).  Each aim point is marked by its
number of shot opportunities; the *defended area* is the area of the grid cells whose
threats get at least ``min_shots`` opportunities, and the *expected defended area*
weights each cell by ``P(at least one kill) = 1 - (1 - Pk)^(n m)``.

The Monte Carlo option redraws, per sample and with a seeded generator: the launch
point (uniform in a disk around the nominal launch area), the battery's reaction times
(uniform in their low/high bands), the single-shot Pk (uniform in its band) and a
missile-parameter quantile ``u`` in [0, 1] that the flight function maps onto the
missile's low/nominal/high catalogue band.  The defended area then comes with
percentiles (default 5th/50th/95th).

The samples are batched: the draws come first (in the same order per sample as one at a
time), then all samples' aim points are flown as one problem in chunks of about
``chunk_pairs`` trajectories (one call of the flight function and one of the radar per
chunk), and each sample is engaged with its own battery draw.  The aim solver treats every
pair independently, so a sample's numbers do not depend on the chunk it is flown in.  The
first chunk runs in the calling thread, the others as whole tasks on the cores
(:func:`thaad.threads.in_order`: one chunk's Python steps overlap another's compiled
kernels), so ``fly`` and ``detect`` must be thread-safe after their first chunk.

The flight and detection functions are passed in, so this core module needs neither the
catalogue nor a particular radar: ``fly(launch_lat_rad, launch_lon_rad, target_lat_rad
(N,), target_lon_rad (N,), missile_u) -> TrajectorySet`` where the launch point and
``missile_u`` are scalars (the nominal pass; ``u`` None: nominal parameters) or arrays
(N,) (one per pair: a Monte Carlo chunk), and ``detect(trajectories) -> first detection
time (N,)`` (or ``(times, visible)``).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

from thaad.trajectory import TrajectorySet
from thaad.engagement import Battery, EngagementResult, engage
from thaad.geo import WGS84, Earth, gaussian_radius_m, geodesic_direct
from thaad.interceptor import flyout_fan
from thaad.threads import in_order

FlyFn = Callable[[float, float, np.ndarray, np.ndarray, "float | None"], TrajectorySet]
DetectFn = Callable[[TrajectorySet], "np.ndarray | tuple[np.ndarray, np.ndarray]"]


@dataclass(frozen=True)
class AimGrid:
    """A regular lat/lon grid of aim points (cell centres) with each cell's area."""

    lat_rad: np.ndarray  # (ny, nx)
    lon_rad: np.ndarray  # (ny, nx)
    cell_area_m2: np.ndarray  # (ny, nx)
    spacing_m: float

    @property
    def shape(self) -> tuple[int, int]:
        return self.lat_rad.shape


def aim_grid(center_lat_rad: float, center_lon_rad: float, half_width_m: float, spacing_m: float,
             earth: Earth = WGS84) -> AimGrid:
    """Square grid of side ``2 half_width_m`` about a centre, spaced ``spacing_m`` on the
    ground at the centre latitude; cell areas ``R_G^2 cos(lat) dlat dlon``."""
    from thaad.errors import InputError

    if not spacing_m > 0:
        raise InputError("spacing_m", f"aim-point spacing must be > 0 m, got {spacing_m!r}")
    if not half_width_m >= spacing_m:
        raise InputError("half_width_m", f"must be at least one spacing ({spacing_m:g} m), got {half_width_m!r}")
    n_half = int(round(half_width_m / spacing_m))
    r_g = float(gaussian_radius_m(center_lat_rad, earth))
    dlat = spacing_m / r_g
    dlon = spacing_m / (r_g * math.cos(center_lat_rad))
    k = np.arange(-n_half, n_half + 1)
    lat = center_lat_rad + k * dlat
    lon = center_lon_rad + k * dlon
    lon2, lat2 = np.meshgrid(lon, lat)
    area = (r_g**2) * np.cos(lat2) * dlat * dlon
    return AimGrid(lat2, lon2, area, float(spacing_m))


@dataclass(frozen=True)
class Uncertainty:
    """Parameter bands for the Monte Carlo (uniform draws).  ``None`` keeps the nominal."""

    launch_radius_m: float = 25e3
    firm_track_s: tuple[float, float] | None = None
    decision_s: tuple[float, float] | None = None
    launch_s: tuple[float, float] | None = None
    kill_assessment_s: tuple[float, float] | None = None
    pk: tuple[float, float] | None = None
    missile: bool = True  # draw a missile-parameter quantile u ~ U(0, 1)


@dataclass
class FootprintResult:
    grid: AimGrid
    shots: np.ndarray  # (ny, nx) nominal shot opportunities; -1 where the missile cannot reach
    p_kill: np.ndarray  # (ny, nx) nominal; NaN where not threatened
    threatened: np.ndarray  # (ny, nx) bool: the missile can be aimed there
    defended_area_km2: float
    expected_defended_area_km2: float
    threatened_area_km2: float
    min_shots: int
    pk: float
    point_shots: np.ndarray  # (P,) nominal shots at the extra points (-1 unreachable)
    samples_area_km2: np.ndarray = field(default_factory=lambda: np.zeros(0))
    samples_expected_area_km2: np.ndarray = field(default_factory=lambda: np.zeros(0))
    defended_probability: np.ndarray | None = None  # (ny, nx) fraction of samples defended
    point_defended_probability: np.ndarray | None = None  # (P,)
    samples_defended: np.ndarray | None = None  # (samples, ny, nx) bool: defended in each Monte Carlo sample
    samples_point_defended: np.ndarray | None = None  # (samples, P) bool: the extra points, each sample
    seed: int | None = None
    engagement: EngagementResult | None = field(default=None, repr=False)

    def band(self, percentiles=(5, 50, 95)) -> dict:
        """Defended-area percentiles over the Monte Carlo samples (nominal if none), with
        the sample count and each percentile's Monte Carlo standard error and 95 %
        order-statistic interval (:mod:`thaad.stats`)."""
        from thaad.stats import percentile_band

        n = int(self.samples_area_km2.size)
        a = self.samples_area_km2 if n else np.array([self.defended_area_km2])
        e = self.samples_expected_area_km2 if n else np.array([self.expected_defended_area_km2])
        ba, be = percentile_band(a, percentiles), percentile_band(e, percentiles)
        return {"percentiles": list(percentiles), "samples": n,
                "defended_area_km2": [x.value for x in ba],
                "defended_area_standard_error_km2": [x.standard_error if n else None for x in ba],
                "defended_area_ci95_km2": [[x.ci_low, x.ci_high] if n else None for x in ba],
                "expected_defended_area_km2": [x.value for x in be],
                "expected_defended_area_standard_error_km2": [x.standard_error if n else None for x in be]}


def _detect(detect: DetectFn, ts: TrajectorySet):
    out = detect(ts)
    if isinstance(out, tuple):
        return np.asarray(out[0], dtype=float), out[1]
    return np.asarray(out, dtype=float), None


def _evaluate(launch_lat, launch_lon, lat_t, lon_t, fly, detect, battery, missile_u, fan):
    ts = fly(launch_lat, launch_lon, lat_t, lon_t, missile_u)
    det, visible = _detect(detect, ts)
    res = engage(ts, det, battery, fan=fan, visible=visible)
    threatened = (ts.n_samples > 1) & np.isfinite(ts.impact_time_s)
    return res, threatened


def footprint(
    launch_lat_rad: float,
    launch_lon_rad: float,
    grid: AimGrid,
    fly: FlyFn,
    detect: DetectFn,
    battery: Battery,
    *,
    pk: float = 0.9,
    min_shots: int = 1,
    points_lat_rad=(),
    points_lon_rad=(),
    samples: int = 0,
    seed: int | None = 0,
    uncertainty: Uncertainty = Uncertainty(),
    progress: Callable[[int, int], None] | None = None,
    earth: Earth = WGS84,
    chunk_pairs: int = 4096,
) -> FootprintResult:
    """Defended footprint of ``battery`` against a missile launched from one point.

    The nominal case uses the nominal parameters (missile quantile ``None``); ``samples``
    Monte Carlo draws give the uncertainty band.  Extra ``points`` (e.g. cities) are flown
    with the grid and reported individually.
    """
    from thaad.errors import InputError

    if not 0.0 <= pk <= 1.0:
        raise InputError("pk", f"must be in [0, 1], got {pk}")
    if samples < 0:
        raise InputError("samples", "must be >= 0")
    if min_shots < 1:
        raise InputError("min_shots", "must be >= 1")
    ny, nx = grid.shape
    p_lat = np.atleast_1d(np.asarray(points_lat_rad, dtype=float))
    p_lon = np.atleast_1d(np.asarray(points_lon_rad, dtype=float))
    lat_t = np.concatenate([grid.lat_rad.ravel(), p_lat])
    lon_t = np.concatenate([grid.lon_rad.ravel(), p_lon])
    ncell = ny * nx
    area = grid.cell_area_m2.ravel() / 1e6
    fan = flyout_fan(battery.interceptor)

    def summarise(res, threatened, pk_s):
        shots = np.where(threatened, res.shot_opportunities, -1)
        pkill = np.where(threatened, res.p_kill(pk_s), np.nan)
        defended = shots[:ncell] >= min_shots
        return shots, pkill, float(np.sum(area[defended])), float(np.nansum(area * pkill[:ncell]))

    res, threatened = _evaluate(launch_lat_rad, launch_lon_rad, lat_t, lon_t, fly, detect, battery, None, fan)
    shots, pkill, a_nom, e_nom = summarise(res, threatened, pk)
    out = FootprintResult(
        grid=grid,
        shots=shots[:ncell].reshape(ny, nx),
        p_kill=pkill[:ncell].reshape(ny, nx),
        threatened=threatened[:ncell].reshape(ny, nx),
        defended_area_km2=a_nom,
        expected_defended_area_km2=e_nom,
        threatened_area_km2=float(np.sum(area[threatened[:ncell]])),
        min_shots=min_shots,
        pk=pk,
        point_shots=shots[ncell:],
        seed=seed,
        engagement=res,
    )
    if samples == 0:
        return out
    rng = np.random.default_rng(seed)
    draws = [_draw(rng, uncertainty, battery, pk, launch_lat_rad, launch_lon_rad, earth) for _ in range(samples)]
    areas, expected = np.zeros(samples), np.zeros(samples)
    count = np.zeros(lat_t.size)
    per_sample = np.zeros((samples, ncell), dtype=bool)
    per_point = np.zeros((samples, lat_t.size - ncell), dtype=bool)
    p_n = lat_t.size
    per_chunk = max(1, int(chunk_pairs) // max(p_n, 1))

    def run_chunk(start):  # one flight call, one radar call; each sample engaged with its own battery draw
        chunk = draws[start:start + per_chunk]
        k = len(chunk)
        mus = [d[4] for d in chunk]
        mu = None if all(m is None for m in mus) else np.repeat(np.asarray(mus, dtype=float), p_n)
        ts = fly(np.repeat([d[0] for d in chunk], p_n), np.repeat([d[1] for d in chunk], p_n),
                 np.tile(lat_t, k), np.tile(lon_t, k), mu)
        det, visible = _detect(detect, ts)
        threatened = (ts.n_samples > 1) & np.isfinite(ts.impact_time_s)
        out = []
        for j, (_, _, b, pk_s, _) in enumerate(chunk):
            sl = slice(j * p_n, (j + 1) * p_n)
            res_s = engage(ts.take(sl), det[sl], b, fan=fan, visible=None if visible is None else visible[sl])
            shots_s, _, area_s, expected_s = summarise(res_s, threatened[sl], pk_s)
            out.append((shots_s >= min_shots, area_s, expected_s))
        return start, out

    # the first chunk here (its kernels split over the cores; it solves the warm starts' anchors),
    # the others as whole tasks on the cores (thaad.threads.in_order): the same numbers either way
    starts = list(range(0, samples, per_chunk))
    first = [run_chunk(starts[0])]
    done = 0
    for start, results in itertools.chain(first, in_order(run_chunk, starts[1:])):
        for j, (ok, area_s, expected_s) in enumerate(results):
            s = start + j
            areas[s], expected[s] = area_s, expected_s
            count += ok
            per_sample[s] = ok[:ncell]
            per_point[s] = ok[ncell:]
        done += len(results)
        if progress is not None:
            progress(done, samples)
    out.samples_area_km2 = areas
    out.samples_expected_area_km2 = expected
    out.defended_probability = (count[:ncell] / samples).reshape(ny, nx)
    out.point_defended_probability = count[ncell:] / samples
    out.samples_defended = per_sample.reshape(samples, ny, nx)
    out.samples_point_defended = per_point
    return out


def _draw(rng, u: Uncertainty, battery: Battery, pk: float, launch_lat_rad, launch_lon_rad, earth: Earth):
    """One Monte Carlo draw: launch point (uniform in the disk), battery timings, Pk and the
    missile quantile, in this order (so batched and one-at-a-time runs draw the same)."""
    r = u.launch_radius_m * math.sqrt(rng.uniform())
    az = rng.uniform(0.0, 2.0 * math.pi)
    lat0, lon0, _ = geodesic_direct(launch_lat_rad, launch_lon_rad, az, r, earth)
    b = battery
    for name in ("firm_track_s", "decision_s", "launch_s", "kill_assessment_s"):
        band = getattr(u, name)
        if band is not None:
            b = replace(b, **{name: float(rng.uniform(*band))})
    pk_s = float(rng.uniform(*u.pk)) if u.pk is not None else pk
    mu = float(rng.uniform()) if u.missile else None
    return float(lat0), float(lon0), b, pk_s, mu

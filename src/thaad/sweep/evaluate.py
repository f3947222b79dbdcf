"""Evaluate one resolved case: its headline numbers, from the physics core.

``evaluate_case(payload)`` is what Dask ships to the workers: a plain function of a plain
JSON payload (the resolved scenario, the estimate overrides, the outputs) returning
``{output name: value or None}``.  ``None`` means "no such number" (a place never visible,
a threat group with no reachable pair), never a failed computation: failures raise.
"""

from __future__ import annotations

import math
import os

import numpy as np

from thaad import catalog
from thaad.sweep import build
from thaad.sweep.outputs import Output

TRACE_ENV = "THAAD_SWEEP_TRACE"  # a file: one line "hash pid" per case evaluated (tests count re-computations)


def coverage_axes_rad(sc) -> tuple[np.ndarray, np.ndarray]:
    """Cell-centre latitudes and longitudes (rad) of the scenario's coverage grid (as the report's q1)."""
    g = sc.grids
    km_per_deg = math.radians(1.0) * 6371.0088
    dlat = g.coverage_km / km_per_deg
    dlon = g.coverage_km / (km_per_deg * math.cos(math.radians(0.5 * (g.lat_min_deg + g.lat_max_deg))))
    lat = np.arange(g.lat_min_deg + dlat / 2, g.lat_max_deg, dlat)
    lon = np.arange(g.lon_min_deg + dlon / 2, g.lon_max_deg, dlon)
    return np.radians(lat), np.radians(lon)


def farthest_km(radar, rcs_m2: float, *, step_deg: float = 1.0, step_km: float = 5.0, max_km: float = 6000.0):
    """Farthest ground distance (km) at which a target of ``rcs_m2`` is detectable at some altitude,
    searched along radials across the face (the report's q1 search, at 1 deg instead of 0.5 deg),
    so the number does not depend on the coverage grid or its edges; None if nowhere."""
    from thaad.radar.coverage import farthest_detectable

    f = farthest_detectable(radar, rcs_m2, step_rad=math.radians(step_deg), step_m=step_km * 1e3, max_m=max_km * 1e3)
    return None if f is None else f.distance_m / 1e3


class _Case:
    """Memoised pieces of one case (a radar or coverage map is built once and used by many outputs)."""

    def __init__(self, sc, est):
        self.sc, self.est = sc, est
        self.memo: dict = {}

    def get(self, key, fn):
        if key not in self.memo:
            self.memo[key] = fn()
        return self.memo[key]

    def sectors(self, shield):
        if shield is None:
            return ()
        return tuple((s.az_start_deg, s.az_end_deg, s.el_max_deg) for s in self.sc.shields[shield].sectors)

    def radar(self, mode, shield=None):
        return self.get(("radar", mode, shield), lambda: build.radar(self.sc, mode, self.est, self.sectors(shield)))

    def coverage(self, mode, shield=None):
        from thaad.radar import coverage_map

        def fn():
            lat, lon = coverage_axes_rad(self.sc)
            return coverage_map(self.radar(mode, shield), lat, lon, build.rcs_m2(self.sc, "warhead"))

        return self.get(("coverage", mode, shield), fn)

    def area_km2(self, mode, shield=None) -> float:
        cov = self.coverage(mode, shield)
        return float(cov.cell_area_m2[cov.covered].sum()) / 1e6

    def engagement(self, threat_name):
        def fn():
            from thaad.engagement import engage
            from thaad.radar import detect_along

            th = next(t for t in self.sc.threats if t.name == threat_name)
            ts, ok = build.flown(th.missile, tuple(th.launch), tuple(th.targets or ["seongju"]), th.shape,
                                 th.apogee_km, self.sc.estimate_level)
            b, pk = self.get("battery", lambda: build.battery(self.sc, self.est))
            tr = detect_along(ts, self.radar(self.sc.radar.defence_mode), build.rcs_m2(self.sc, "warhead"))
            res = engage(ts, np.asarray(tr.first_detection_time_s, float), b, visible=np.asarray(tr.visible, bool))
            shots = np.where(ok, np.asarray(res.shot_opportunities), 0)
            return shots, ok

        return self.get(("engage", threat_name), fn)


_FLY_CACHE: dict = {}  # per worker process: flights do not depend on the radar or the battery


def defended_area_km2(c: _Case, threat_name: str) -> float:
    """Nominal defended area (km^2) of the battery against the threat group, mean over its launch
    areas: the report's q3 footprint (South Korean land aim points at ``grids.footprint_km``) at the
    nominal point (no Monte Carlo), with the case's radar, battery and estimate overrides."""
    import zlib

    from thaad import assemble as A
    from thaad import footprint as FP
    from thaad.radar import detect_along
    from thaad.report import views as P

    sc = c.sc
    th = next(t for t in sc.threats if t.name == threat_name)
    b, pk = c.get("battery", lambda: build.battery(sc, c.est))
    r, rcs = c.radar(sc.radar.defence_mode), build.rcs_m2(sc, "warhead")

    def detect_fn(ts):
        tr = detect_along(ts, r, rcs)
        return np.asarray(tr.first_detection_time_s, float), np.asarray(tr.visible, bool)

    apogee = None if th.apogee_km is None else th.apogee_km * 1e3
    fly_nominal = A.fly_function(A.vehicle_band(th.missile), th.shape, apogee, level=sc.estimate_level)

    def fly_fn(lat0, lon0, lat_t, lon_t, u):
        key = (th.missile, th.shape, th.apogee_km, sc.estimate_level, None if u is None else np.asarray(u, float).tobytes(),
               *(np.asarray(a, float).tobytes() for a in (lat0, lon0, lat_t, lon_t)))
        ts = _FLY_CACHE.get(key)
        if ts is None:  # kept in hand: footprint chunks may run in threads
            if len(_FLY_CACHE) > 256:
                _FLY_CACHE.clear()
            ts = _FLY_CACHE[key] = fly_nominal(lat0, lon0, lat_t, lon_t, u)
        return ts

    grid = A.region_aim_points(P.FOOTPRINT_LAND, sc.grids.footprint_km * 1e3).grid
    areas = []
    for name in th.launch:
        launch = catalog.find_place(name)
        seed = (sc.seed + zlib.crc32(f"{th.name}|{launch.key}".encode())) % 2**32
        # nominal only (samples=0): the sweep itself is the uncertainty study, and the nominal flights
        # are then the same in every case that changes only the radar or the battery (flown once per worker)
        res = FP.footprint(math.radians(launch.lat_deg), math.radians(launch.lon_deg), grid, fly_fn, detect_fn, b, pk=pk,
                           samples=0, seed=seed)
        areas.append(float(res.defended_area_km2))
    return float(np.mean(areas))


def _value(c: _Case, o: Output):
    fam = o.family
    if fam == "q1.detection_range_km":
        return float(c.radar(o.mode).detection_range_m(build.rcs_m2(c.sc, "warhead"))) / 1e3
    if fam == "q1.covered_area_km2":
        return c.area_km2(o.mode)
    if fam == "q1.farthest_km":
        return farthest_km(c.radar(o.mode), build.rcs_m2(c.sc, "warhead"))
    if fam == "q1.lowest_alt_km":
        from thaad.radar import lowest_visible_altitude

        p = catalog.find_place(o.place)
        res = lowest_visible_altitude(c.radar(o.mode), np.radians([p.lat_deg]), np.radians([p.lon_deg]),
                                      build.rcs_m2(c.sc, "warhead"))
        v = float(np.asarray(res.lowest_alt_m, float).ravel()[0])
        return v / 1e3 if math.isfinite(v) else None
    if fam == "q2.coverage_lost_pct":
        a0 = c.area_km2(o.mode)
        return None if a0 <= 0 else 100.0 * (a0 - c.area_km2(o.mode, o.shield)) / a0
    if fam in ("q3.engageable_share", "q4.engageable_share", "q3.shots_mean"):
        shots, ok = c.engagement(o.threat)
        if not ok.any():
            return None
        return float(np.mean(shots[ok] >= 1)) if fam.endswith("engageable_share") else float(np.mean(shots[ok]))
    if fam == "q3.defended_area_km2":
        return c.get(("footprint", o.threat), lambda: defended_area_km2(c, o.threat))
    raise ValueError(f"unknown output family {fam!r}")


def evaluate_case(payload: dict) -> dict[str, float | None]:
    """The named outputs of one resolved case (see the module docstring)."""
    from thaad.scenario import Scenario

    sc = Scenario.model_validate(payload["scenario"])
    c = _Case(sc, dict(payload.get("estimates", {})))
    out = {}
    for o in payload["outputs"]:
        o = Output(**o)
        v = _value(c, o)
        out[o.name] = None if v is None or not math.isfinite(v) else float(v)
    trace = os.environ.get(TRACE_ENV)
    if trace:
        with open(trace, "a", encoding="utf-8") as f:  # one short O_APPEND write per case
            f.write(f"{payload.get('hash', '?')} {os.getpid()}\n")
    return out


def evaluate_batch(payloads: list[dict]) -> list[tuple[str, dict]]:
    """Several cases in one task (fewer round trips for cheap cases): ``[(hash, outputs), ...]``."""
    return [(p["hash"], evaluate_case(p)) for p in payloads]

"""What the map shows for a validated scenario: coverage and the defended footprint.

Both go through the report's own adapters (:mod:`thaad.report.physics` and the q1/q3
helpers), so the numbers are the ones ``thaad assess`` would print for the saved scenario:
the same radar built from the catalogue at the scenario's estimate level, the same grid,
the same covered-area sum, the same footprint wiring.  The only difference is stated: the
interactive footprint uses a coarser aim-point grid and no Monte Carlo band
(:data:`FOOTPRINT_KM`, nominal estimates only), so that it returns in seconds.
"""

from __future__ import annotations

import time

import numpy as np

from thaad import catalog, geo
from thaad.report import physics as P
from thaad.report.context import Context
from thaad.report.questions import ALT_BANDS_KM, ALT_COLOURS, _covered_area_km2
from thaad.report.layers import filled_contour_features
from thaad.scenario import Scenario

from thaad.explore.farthest import farthest
from thaad.explore.state import View

FOOTPRINT_KM = 60.0  # interactive aim-point spacing (the report's default is 40 km)
COUNTRIES_IN_VIEW = ("CN", "KP")
BORESIGHT_LINE_KM = 1500.0
SECTOR_RADIUS_KM = 2500.0


def _r(x, nd=0):
    return None if x is None or not np.isfinite(x) else round(float(x), nd)


def _fan(lat_deg: float, lon_deg: float, az_deg, radius_km: float):
    g = geo.WGS84.geod()
    az = np.atleast_1d(np.asarray(az_deg, float))
    lon, lat, _ = g.fwd(np.full_like(az, lon_deg), np.full_like(az, lat_deg), az, np.full_like(az, radius_km * 1000.0))
    return np.asarray(lat), np.asarray(lon)


def decorations(site, sc: Scenario, view: View) -> list[dict]:
    """GeoJSON for the boresight line and the shield sectors (wedges from the site)."""
    feats = []
    az = sc.radar.boresight_deg
    d = np.linspace(0.0, BORESIGHT_LINE_KM, 40)
    g = geo.WGS84.geod()
    lon, lat, _ = g.fwd(np.full_like(d, site.lon_deg), np.full_like(d, site.lat_deg), np.full_like(d, az), d * 1000.0)
    feats.append({"type": "Feature", "properties": {"layer": "boresight", "name": f"boresight {az:g} deg"},
                  "geometry": {"type": "LineString", "coordinates": [[round(float(a), 4), round(float(b), 4)] for a, b in zip(lon, lat)]}})
    for i, (a0, a1, el) in enumerate(view.sectors):
        width = (a1 - a0) % 360.0
        lat_f, lon_f = _fan(site.lat_deg, site.lon_deg, a0 + np.linspace(0.0, width, 60), SECTOR_RADIUS_KM)
        ring = [[site.lon_deg, site.lat_deg]] + [[round(float(a), 4), round(float(b), 4)] for a, b in zip(lon_f, lat_f)]
        ring.append(ring[0])
        feats.append({"type": "Feature", "properties": {"layer": "sector", "index": i, "el_max_deg": el,
                                                        "name": f"sector {a0:g}-{a1:g} deg blanked up to {el:g} deg"},
                      "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return feats


def coverage(sc: Scenario, view: View) -> dict:
    """Lowest visible altitude map (GeoJSON bands) and the q1 numbers, for the view's mode."""
    t0 = time.perf_counter()
    ctx = Context(sc, sc.seed)
    lv = ctx.level
    site = ctx.site
    rcs = P.rcs_m2(ctx, "warhead", lv)
    cov = P.coverage(ctx, view.mode, rcs, lv, view.sectors)
    area = _covered_area_km2(cov)
    g = sc.grids
    far = farthest(P.radar(ctx, view.mode, lv, view.sectors), site.lat_deg, site.lon_deg, rcs,
                   (g.lat_min_deg, g.lat_max_deg, g.lon_min_deg, g.lon_max_deg))
    numbers = {
        "mode": view.mode, "level": lv, "rcs_m2": rcs,
        "detection_range_km": _r(cov.detection_range_km),
        "area_km2": _r(area, -2),
        "farthest_km": far["distance_km"], "farthest_azimuth_deg": far["azimuth_deg"],
        "farthest_beyond_map": far["beyond_map"],
        "grid_km": sc.grids.coverage_km, "grid_cells": int(cov.min_alt_km.size),
    }
    if view.sectors:
        free = P.coverage(ctx, view.mode, rcs, lv)
        a0 = _covered_area_km2(free)
        numbers["area_without_sectors_km2"] = _r(a0, -2)
        numbers["area_lost_pct"] = _r(100.0 * (a0 - area) / a0, 1) if a0 > 0 else None
    places = [p for p in catalog.places().values() if p.country in COUNTRIES_IN_VIEW]
    alt, binding = P.place_lowest(ctx, view.mode, rcs, lv, places, view.sectors)
    dist = P.distance_km(site.lat_deg, site.lon_deg, [p.lat_deg for p in places], [p.lon_deg for p in places])
    rows = [{"key": p.key, "name": p.name, "country": p.country, "kind": p.kind, "distance_km": _r(dist[i]),
             "lowest_alt_km": _r(alt[i], 1), "limited_by": binding[i]} for i, p in enumerate(places)]
    rows.sort(key=lambda r: (r["lowest_alt_km"] is None, r["lowest_alt_km"] or 0.0, r["distance_km"]))
    numbers["places_in_view"] = {c: sum(1 for r in rows if r["country"] == c and r["lowest_alt_km"] is not None)
                                 for c in COUNTRIES_IN_VIEW}
    numbers["places_total"] = {c: sum(1 for r in rows if r["country"] == c) for c in COUNTRIES_IN_VIEW}
    features = filled_contour_features(
        cov.lon_deg, cov.lat_deg, cov.min_alt_km, ALT_BANDS_KM,
        lambda lo, hi: {"layer": "coverage", "alt_min_km": lo, "alt_max_km": hi,
                        "colour": ALT_COLOURS[[b[0] for b in ALT_BANDS_KM].index(lo)],
                        "name": f"detectable from {lo:g}-{hi:g} km up"})
    return {"coverage": {"type": "FeatureCollection", "features": features},
            "decorations": {"type": "FeatureCollection", "features": decorations(site, sc, view)},
            "site": {"lat_deg": site.lat_deg, "lon_deg": site.lon_deg, "alt_m": site.alt_m, "name": site.name},
            "numbers": numbers, "places": rows,
            "compute_ms": round(1000.0 * (time.perf_counter() - t0), 1)}


def interactive(sc: Scenario, footprint_km: float = FOOTPRINT_KM) -> Scenario:
    """The scenario with the interactive footprint settings (coarser grid, nominal only).

    ``model_copy`` skips validation on purpose: 0 Monte Carlo samples (nominal only) is below
    the schema's minimum of 1, which is right for a file but too slow for a click.
    """
    grids = sc.grids.model_copy(update={"footprint_km": max(float(footprint_km), sc.grids.footprint_km),
                                        "footprint_samples": 0})
    return sc.model_copy(update={"grids": grids})


class FlightCache(dict):
    """Flown trajectories kept between footprint requests, keyed by missile, shape, launch
    point and aim points: turning or moving the radar re-runs only detection and
    engagement.  Bounded: cleared when it holds more than ``max_entries`` flight batches."""

    def __init__(self, max_entries: int = 24):
        super().__init__()
        self.max_entries = max_entries

    def __setitem__(self, key, value):
        if len(self) >= self.max_entries:
            self.clear()
        super().__setitem__(key, value)


def footprint(sc: Scenario, view: View, footprint_km: float = FOOTPRINT_KM, cache: FlightCache | None = None) -> dict:
    """Defended footprint of the battery against the view's threat from its launch area (nominal)."""
    t0 = time.perf_counter()
    threat = next(t for t in sc.threats if t.name == view.threat)
    launch = catalog.find_place(view.launch or threat.launch[0])
    sc_i = interactive(sc, footprint_km)
    ctx = Context(sc_i, sc.seed)
    reused = cache is not None and len(cache) > 0
    before = len(cache) if cache is not None else 0
    fp = P.footprint(ctx, threat, launch, ctx.level, fly_cache=cache)
    reused = reused and cache is not None and len(cache) == before
    shots = np.where(np.isfinite(fp.shots), fp.shots, np.nan)
    dlat = float(np.diff(fp.lat_deg).mean()) if fp.lat_deg.size > 1 else 0.5
    dlon = float(np.diff(fp.lon_deg).mean()) if fp.lon_deg.size > 1 else 0.5
    cells = []
    for i, la in enumerate(fp.lat_deg):
        for j, lo in enumerate(fp.lon_deg):
            s = shots[i, j]
            if not np.isfinite(s):
                continue
            ring = [[lo - dlon / 2, la - dlat / 2], [lo + dlon / 2, la - dlat / 2], [lo + dlon / 2, la + dlat / 2],
                    [lo - dlon / 2, la + dlat / 2], [lo - dlon / 2, la - dlat / 2]]
            cells.append({"type": "Feature", "properties": {"layer": "footprint", "shots": int(s), "defended": bool(s >= 1)},
                          "geometry": {"type": "Polygon", "coordinates": [[[round(a, 4), round(b, 4)] for a, b in ring]]}})
    nominal = fp.area_km2[1]
    return {"footprint": {"type": "FeatureCollection", "features": cells},
            "numbers": {"threat": threat.name, "missile": threat.missile, "launch": launch.name, "level": ctx.level,
                        "defended_area_km2": _r(nominal, -2), "aim_area_km2": _r(fp.aim_area_km2, -2),
                        "share_of_south_korea_pct": _r(100.0 * nominal / fp.aim_area_km2, 0) if fp.aim_area_km2 else None,
                        "threatened_area_km2": _r(fp.threatened_area_km2, -2),
                        "places_defended": {catalog.find_place(k).name: v for k, v in fp.places.items()},
                        "aim_points": len(cells), "footprint_km": sc_i.grids.footprint_km, "samples": 0,
                        "flights_reused": bool(reused)},
            "compute_ms": round(1000.0 * (time.perf_counter() - t0), 1)}


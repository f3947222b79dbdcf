"""thaad for notebooks: degrees and kilometres in, tidy pandas DataFrames out.

A thin layer over :mod:`thaad.assemble` (names -> objects) and the physics core, for
Jupyter and scripts.  Points are place names from the catalogue (``"seongju"``) or
``(lat_deg, lon_deg)`` / ``(lat_deg, lon_deg, alt_km)`` tuples; every column carries its
unit in its name (``alt_km``, ``t_s``); metadata (sources, levels, RCS) is in
``DataFrame.attrs``.

Example::

    from thaad import api
    traj = api.trajectory("hwasong-12", "sunan", "guam")        # t_s, lat_deg, lon_deg, alt_km, ...
    cov = api.coverage(mode="forward-based", target="warhead")  # one row per grid cell
    api.plot_coverage(cov)

Estimate levels are ``"low"``, ``"nominal"`` and ``"high"`` (low = less capable end of
every published band), as everywhere in thaad.
"""

from __future__ import annotations

import math
from typing import Sequence, Union

import numpy as np
import pandas as pd

from thaad import assemble as A
from thaad import catalog
from thaad.catalog import Point
from thaad.errors import InputError

PointLike = Union[str, Sequence[float], Point]

__all__ = ["point", "missiles", "places", "trajectory", "radar_range", "coverage", "coverage_grid", "plot_coverage",
           "scenario"]


def point(p: PointLike) -> Point:
    """A catalogue place name, or ``(lat_deg, lon_deg[, alt_km])``, as a :class:`Point`."""
    if isinstance(p, Point):
        return p
    if isinstance(p, str):
        return catalog.find_place(p).point()
    vals = [float(v) for v in p]
    if len(vals) not in (2, 3):
        raise InputError("point", f"expected a place name or (lat_deg, lon_deg[, alt_km]), got {p!r}")
    lat, lon = vals[0], vals[1]
    if not (-90 <= lat <= 90 and -180 <= lon <= 360):
        raise InputError("point", f"latitude must be in [-90, 90] and longitude in [-180, 360], got {p!r}")
    alt_m = vals[2] * 1e3 if len(vals) == 3 else 0.0
    name = f"{lat:.4f},{lon:.4f}"
    return Point(lat, lon, alt_m, name, name)


def scenario(path=None):
    """A scenario file (TOML) or, with no path, the built-in Seongju scenario."""
    from thaad import scenario as S

    return S.load(path)


def missiles() -> pd.DataFrame:
    """The missile catalogue: one row per missile with its published range band and source."""
    rows = []
    for m in catalog.missiles().values():
        lo, nom, hi = m.range_km.band
        rows.append({"key": m.key, "name": m.name, "category": m.category, "range_km": nom, "range_low_km": lo,
                     "range_high_km": hi, "payload_kg": m.payload_kg.nominal, "stages": len(m.stages),
                     "any_estimate": m.any_estimate, "source": m.range_km.source})
    return pd.DataFrame(rows)


def places(tag: str | None = None) -> pd.DataFrame:
    """Reference places (sites, cities, launch areas), optionally only those with ``tag``."""
    rows = [{"key": p.key, "name": p.name, "lat_deg": p.lat_deg, "lon_deg": p.lon_deg, "alt_km": p.alt_m / 1e3,
             "country": p.country, "tags": ",".join(p.tags), "source": p.source, "estimate": p.estimate}
            for p in catalog.places().values() if tag is None or tag in p.tags]
    return pd.DataFrame(rows)


def trajectory(missile: str, launch: PointLike, target: PointLike, *, shape: str = "min-energy",
               apogee_km: float | None = None, level: str = "nominal", sample_s: float = 2.0) -> pd.DataFrame:
    """One catalogue missile aimed from ``launch`` at ``target``: a row per sample with
    ``t_s, lat_deg, lon_deg, alt_km, ground_range_km, speed_km_s``.  ``attrs`` holds the
    summary (range, apogee, flight time, reachable)."""
    a, b = point(launch), point(target)
    vehicle = A.vehicle_band(missile).at(catalog.check_level(level))
    flight = A.fly(vehicle, a.lat_rad, a.lon_rad, b.lat_rad, b.lon_rad, shape,
                   None if apogee_km is None else apogee_km * 1e3, launch_alt_m=a.alt_m, sample_s=sample_s)
    ts = flight.ts
    if not bool(flight.reachable[0]):
        raise InputError("target", f"{catalog.find_missile(missile).name} cannot reach {b.name} on a {shape} "
                                   f"trajectory ({flight.reason[0] or 'no aim solution'})")
    n = int(ts.n_samples[0])
    lat = np.degrees(ts.lat_rad[0, :n])
    lon = np.degrees(ts.lon_rad[0, :n])
    from thaad import geo

    ground = geo.geodesic_inverse(a.lat_rad, a.lon_rad, ts.lat_rad[0, :n], ts.lon_rad[0, :n])[0] / 1e3
    speed = np.linalg.norm(ts.velocity_ecef_m_s[0, :n], axis=-1) / 1e3
    df = pd.DataFrame({"t_s": ts.t_s[0, :n], "lat_deg": lat, "lon_deg": (lon + 180) % 360 - 180,
                       "alt_km": ts.alt_m[0, :n] / 1e3, "ground_range_km": ground, "speed_km_s": speed})
    df.attrs.update({"missile": catalog.find_missile(missile).name, "launch": a.name, "target": b.name, "shape": shape,
                     "level": level, "flight_time_s": float(ts.impact_time_s[0]),
                     "apogee_km": float(ts.apogee_alt_m[0]) / 1e3, "range_km": float(ground[-1])})
    return df


def radar_range(rcs_m2: float, *, radar: str = "tpy2", mode: str = "terminal") -> pd.DataFrame:
    """Free-space detection range (radar equation) for a target RCS at each estimate level."""
    if not (isinstance(rcs_m2, (int, float)) and math.isfinite(rcs_m2) and rcs_m2 > 0):
        raise InputError("rcs_m2", f"must be a positive number, got {rcs_m2!r}")
    spec = catalog.find_radar(radar)
    key, _ = catalog.radar_mode(spec, mode)
    rows = [{"level": lv, "rcs_m2": float(rcs_m2),
             "detection_range_km": float(catalog.radar_equation(spec.key, key, lv).detection_range_m(rcs_m2)) / 1e3}
            for lv in catalog.LEVELS]
    df = pd.DataFrame(rows)
    df.attrs.update({"radar": spec.name, "mode": key})
    return df


def coverage(mode: str = "terminal", *, target: str = "warhead", rcs_m2: float | None = None, sc=None,
             level: str | None = None, grid_km: float | None = None) -> pd.DataFrame:
    """Lowest detectable altitude above each cell of the scenario's coverage grid (the
    report's question 1 map): one row per cell, ``lat_deg, lon_deg, lowest_alt_km`` (NaN:
    never detectable).  ``sc``: a scenario (default: built-in); ``target``: RCS preset
    ("warhead", "booster") unless ``rcs_m2`` is given; ``grid_km`` overrides the grid."""
    from thaad.radar import coverage_map

    sc = sc if sc is not None else scenario()
    lv = catalog.check_level(level or sc.estimate_level)
    rcs = float(rcs_m2) if rcs_m2 is not None else A.scenario_rcs_m2(sc, target, lv)
    r = A.scenario_radar(sc, mode, lv)
    lat, lon = _grid_axes(sc, grid_km)
    cov = coverage_map(r, np.radians(lat), np.radians(lon), rcs)
    low = np.asarray(cov.lowest_alt_m, float) / 1e3
    LON, LAT = np.meshgrid(lon, lat)
    df = pd.DataFrame({"lat_deg": LAT.ravel(), "lon_deg": LON.ravel(), "lowest_alt_km": low.ravel()})
    site = A.scenario_site(sc)
    df.attrs.update({"mode": mode, "rcs_m2": rcs, "target": None if rcs_m2 is not None else target, "level": lv,
                     "detection_range_km": float(cov.detection_range_m) / 1e3, "site": site.name,
                     "site_lat_deg": site.lat_deg, "site_lon_deg": site.lon_deg,
                     "box_deg": (sc.grids.lon_min_deg, sc.grids.lon_max_deg, sc.grids.lat_min_deg, sc.grids.lat_max_deg)})
    return df


def _grid_axes(sc, grid_km: float | None):
    """Cell-centre latitudes and longitudes (deg) of the scenario's coverage grid (the
    same construction as the report's)."""
    from thaad import geo

    g = sc.grids
    step = float(grid_km or g.coverage_km)
    if not (0.5 <= step <= 500):
        raise InputError("grid_km", f"must be in [0.5, 500], got {step:g}")
    km_per_deg = math.radians(1.0) * geo.MEAN_EARTH_RADIUS_M / 1000.0
    dlat = step / km_per_deg
    dlon = step / (km_per_deg * math.cos(math.radians(0.5 * (g.lat_min_deg + g.lat_max_deg))))
    return np.arange(g.lat_min_deg + dlat / 2, g.lat_max_deg, dlat), np.arange(g.lon_min_deg + dlon / 2, g.lon_max_deg, dlon)


def coverage_grid(df: pd.DataFrame):
    """``(lon_deg (nx,), lat_deg (ny,), lowest_alt_km (ny, nx))`` from a :func:`coverage` frame."""
    grid = df.pivot(index="lat_deg", columns="lon_deg", values="lowest_alt_km")
    return grid.columns.to_numpy(), grid.index.to_numpy(), grid.to_numpy()


def plot_coverage(df: pd.DataFrame, ax=None, *, outline: pd.DataFrame | None = None, title: str | None = None):
    """The report's question-1 map panel: filled contours of the lowest detectable altitude
    over coastlines and borders; ``outline``: a second coverage frame drawn as the edge of
    where it detects anything (the report uses the booster-sized target)."""
    import matplotlib.pyplot as plt

    from thaad.report.questions import ALT_BANDS_KM, ALT_COLOURS
    from thaad.mapdata import draw_basemap

    if ax is None:
        _, ax = plt.subplots(figsize=(6.2, 5.6))
    x0, x1, y0, y1 = df.attrs.get("box_deg", (df.lon_deg.min(), df.lon_deg.max(), df.lat_deg.min(), df.lat_deg.max()))
    draw_basemap(ax, x0, x1, y0, y1, resolution="i")
    lon, lat, z = coverage_grid(df)
    levels = [b[0] for b in ALT_BANDS_KM] + [ALT_BANDS_KM[-1][1]]
    cs = ax.contourf(lon, lat, z, levels=levels, colors=ALT_COLOURS, alpha=0.75, zorder=2)
    if outline is not None:
        olon, olat, oz = coverage_grid(outline)
        ax.contour(olon, olat, np.isfinite(oz).astype(float), levels=[0.5], colors=["#e07b00"], linewidths=1.4, zorder=3)
    if "site_lon_deg" in df.attrs:
        ax.plot(df.attrs["site_lon_deg"], df.attrs["site_lat_deg"], marker="^", color="red", ms=7, zorder=5)
    ax.set_title(title or f"{df.attrs.get('mode', '')} mode: RCS {df.attrs.get('rcs_m2', float('nan')):g} m^2", fontsize=10)
    ax.figure.colorbar(cs, ax=ax, shrink=0.8, label="lowest detectable altitude (km)")
    return ax

"""Map views and helpers the report's questions share: coverage panels, shield wedges, fans."""

from __future__ import annotations

import math

import numpy as np

from thaad.gis.layers import filled_contour_features
from thaad.report import figures as F
from thaad.report import views as P
from thaad.report.model import Figure, Raster


ALT_BANDS_KM = [(0.0, 50.0), (50.0, 100.0), (100.0, 200.0), (200.0, 400.0), (400.0, 1000.0), (1000.0, 5000.0)]
ALT_COLOURS = ["#08306b", "#2171b5", "#6baed6", "#c6dbef", "#fdd0a2", "#fdae6b"]


def rounded(x, nd=0):
    """``x`` rounded to ``nd`` decimals; None for a missing or non-finite value."""
    return None if x is None or not np.isfinite(x) else round(float(x), nd)


def sector_tuples(shield) -> list[tuple[float, float, float]]:
    return [(s.az_start_deg, s.az_end_deg, s.el_max_deg) for s in shield.sectors] if shield else []


def coverage_figure(ctx, covs: dict[str, P.Coverage], title_for, key: str, caption: str,
                     outline: dict[str, P.Coverage] | None = None, shields: dict | None = None) -> Figure:
    """One map panel per entry of ``covs``: lowest detectable altitude, filled contours."""
    g = ctx.scenario.grids
    n = len(covs)
    fig = F.new_figure(6.2 * min(n, 2), 5.6 * math.ceil(n / 2))
    site = ctx.site
    cmap = None
    for i, (name, cov) in enumerate(covs.items()):
        ax = fig.add_subplot(math.ceil(n / 2), min(n, 2), i + 1)
        F.map_axes(fig, g.lon_min_deg, g.lon_max_deg, g.lat_min_deg, g.lat_max_deg, ax=ax)
        levels = [b[0] for b in ALT_BANDS_KM] + [ALT_BANDS_KM[-1][1]]
        z = np.where(np.isfinite(cov.min_alt_km), cov.min_alt_km, np.nan)
        cmap = ax.contourf(cov.lon_deg, cov.lat_deg, z, levels=levels, colors=ALT_COLOURS, alpha=0.75, zorder=2)
        if outline and name in outline:
            o = outline[name]
            ax.contour(o.lon_deg, o.lat_deg, np.isfinite(o.min_alt_km).astype(float), levels=[0.5],
                       colors=[F.PALETTE["booster"]], linewidths=1.4, zorder=3)
        if shields and shields.get(name) is not None:
            draw_sectors(ax, site, sector_tuples(shields[name]), 2500.0)
        F.label_points(ax, [(site.lon_deg, site.lat_deg, ctx.site_label, F.PALETTE["site"], "^", 6)]
                       + [(p.lon_deg, p.lat_deg, p.name, "#333", "o", 2.5) for p in ctx.report_places()
                          if g.lon_min_deg <= p.lon_deg <= g.lon_max_deg and g.lat_min_deg <= p.lat_deg <= g.lat_max_deg])
        ax.set_title(title_for(name), fontsize=10)
    if cmap is not None:
        cb = fig.colorbar(cmap, ax=fig.axes, shrink=0.7, label="lowest detectable altitude (km)")
        cb.ax.tick_params(labelsize=8)
    return Figure(key, caption, fig)


def draw_sectors(ax, site, sectors, radius_km):
    for az0, az1, el in sectors:
        width = (az1 - az0) % 360.0
        az = az0 + np.linspace(0, width, 60)
        lat, lon = fan(site, az, radius_km)
        ax.fill(np.r_[site.lon_deg, lon, site.lon_deg], np.r_[site.lat_deg, lat, site.lat_deg],
                color=F.PALETTE["shield"], alpha=0.18 if el >= 90 else 0.1, hatch=None if el >= 90 else "//", zorder=4)
        ax.plot(np.r_[site.lon_deg, lon, site.lon_deg], np.r_[site.lat_deg, lat, site.lat_deg], color=F.PALETTE["shield"], lw=0.8, zorder=4)


def fan(site, az_deg, radius_km):
    g = P.geo.WGS84.geod()
    az = np.asarray(az_deg, float)
    lon, lat, _ = g.fwd(np.full_like(az, site.lon_deg), np.full_like(az, site.lat_deg), az, np.full_like(az, radius_km * 1000.0))
    return np.asarray(lat), np.asarray(lon)


def farthest_radial(ctx, mode: str, rcs: float, level: str) -> dict:
    """Farthest ground distance (km) at which an object of ``rcs`` is detectable at some
    altitude (:func:`thaad.radar.coverage.farthest_detectable`: radials every 0.5 deg, 5 km
    steps): it does not depend on the map grid, so no figure comes from a grid edge.
    ``beyond_map`` says whether that point lies outside the scenario's map box."""
    from thaad.radar.coverage import farthest_detectable

    g = ctx.scenario.grids
    f = farthest_detectable(P.radar(ctx, mode, level), rcs)
    if f is None:
        return {"distance_km": None, "azimuth_deg": None, "beyond_map": False}
    la, lo = math.degrees(f.lat_rad), math.degrees(f.lon_rad)
    inside = g.lat_min_deg <= la <= g.lat_max_deg and g.lon_min_deg <= lo <= g.lon_max_deg
    return {"distance_km": rounded(f.distance_m / 1e3), "azimuth_deg": rounded(math.degrees(f.azimuth_rad), 1),
            "lat_deg": round(la, 2), "lon_deg": round(lo, 2), "beyond_map": not inside}


def covered_area_km2(cov: P.Coverage) -> float:
    dlat = float(np.diff(cov.lat_deg).mean()) if cov.lat_deg.size > 1 else 0.0
    dlon = float(np.diff(cov.lon_deg).mean()) if cov.lon_deg.size > 1 else 0.0
    area = P.cell_area_km2(cov.lat_deg, dlat, dlon)[:, None] * np.ones_like(cov.min_alt_km)
    return float(area[np.isfinite(cov.min_alt_km)].sum())


def coverage_raster(cov: P.Coverage, key: str, description: str) -> Raster:
    slug = "".join(c if c.isalnum() or c == "-" else "-" for c in key.lower()).strip("-")
    return Raster(slug, f"lowest detectable altitude (km), {description}", cov.lon_deg, cov.lat_deg, cov.min_alt_km,
                  "lowest_detectable_alt_km")


def floor_change(base: P.Coverage, cov: P.Coverage) -> tuple[float, float]:
    """What a shield does to the floor: median rise (km) of the lowest detectable altitude
    over the cells still covered whose floor it raises, and the area (km^2) of those cells."""
    b, c = base.min_alt_km, cov.min_alt_km
    raised = np.isfinite(b) & np.isfinite(c) & (c > b + 1e-6)
    if not raised.any():
        return 0.0, 0.0
    dlat = float(np.diff(cov.lat_deg).mean()) if cov.lat_deg.size > 1 else 0.0
    dlon = float(np.diff(cov.lon_deg).mean()) if cov.lon_deg.size > 1 else 0.0
    area = P.cell_area_km2(cov.lat_deg, dlat, dlon)[:, None] * np.ones_like(c)
    return float(np.median((c - b)[raised])), float(area[raised].sum())


def coverage_features(cov: P.Coverage, props: dict) -> list[dict]:
    return filled_contour_features(cov.lon_deg, cov.lat_deg, cov.min_alt_km, ALT_BANDS_KM,
                                   lambda lo, hi: {**props, "layer": "coverage", "alt_min_km": lo, "alt_max_km": hi,
                                                   "name": f"{props.get('name', 'coverage')}: detectable from {lo:g}-{hi:g} km up"})


def unwrap(lon):
    lon = np.asarray(lon, float)
    return np.where(lon < 0, lon + 360.0, lon)



def breaks(lon, lat):
    """Insert NaN where a track jumps across the map edge (|dlon| > 180), so no line crosses the map."""
    lon = np.asarray(lon, float)
    lat = np.asarray(lat, float)
    jump = np.flatnonzero(np.abs(np.diff(lon)) > 180.0) + 1
    return np.insert(lon, jump, np.nan), np.insert(lat, jump, np.nan)

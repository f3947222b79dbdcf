"""Coverage-map outputs (shell): PNG map, GeoJSON contour bands, GeoTIFF raster."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from thaad.radar.coverage import CoverageMap
from thaad.radar.model import Radar

CONTOUR_LEVELS_KM = (0, 20, 40, 60, 100, 150, 200, 300, 500, 1000)


def _bands_km(cov: CoverageMap):
    top = np.nanmax(cov.lowest_alt_m) / 1e3 if cov.covered.any() else 1.0
    levels = [lv for lv in CONTOUR_LEVELS_KM if lv < top] + [max(top, 1.0) * 1.0001]
    return levels if len(levels) >= 2 else [0.0, 1.0]


def plot_coverage(ax, cov: CoverageMap, radar: Radar, *, places=None, title: str | None = None,
                  box=None, cmap: str = "viridis_r", colorbar: bool = True, resolution: str = "i",
                  levels_km=None):
    """Filled contours of the lowest detectable altitude over a basemap; returns the
    contour set.  ``places``: iterable of (name, lat_deg, lon_deg)."""
    from thaad.mapdata import draw_basemap

    lon = np.degrees(np.unwrap(cov.lon_rad))
    lat = np.degrees(cov.lat_rad)
    if box is None:
        box = (lon.min(), lon.max(), lat.min(), lat.max())
    draw_basemap(ax, *box, resolution=resolution)
    low_km = cov.lowest_alt_m / 1e3
    cs = None
    if cov.covered.any():
        levels = _bands_km(cov) if levels_km is None else list(levels_km)
        cs = ax.contourf(lon, lat, low_km, levels=levels, cmap=cmap, alpha=0.55, zorder=1.5, extend="neither")
        ax.contour(lon, lat, low_km, levels=cs.levels[1:-1], colors="k", linewidths=0.4, zorder=1.6)
        if colorbar:
            cb = ax.figure.colorbar(cs, ax=ax, shrink=0.8)
            cb.set_label("lowest detectable altitude (km)")
    s = radar.site
    ax.plot(math.degrees(s.lon_rad), math.degrees(s.lat_rad), marker="^", color="red", ms=7, zorder=5)
    for name, la, lo in places or ():
        if box[0] <= lo <= box[1] and box[2] <= la <= box[3]:
            ax.plot(lo, la, "o", color="black", ms=2.5, zorder=5)
            ax.annotate(name, (lo, la), xytext=(3, 2), textcoords="offset points", fontsize=6, zorder=6)
    if title:
        ax.set_title(title, fontsize=8)
    return cs


def write_png(path, radar: Radar, cov: CoverageMap, summary: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 7))
    places = [(p["name"], p["lat_deg"], p["lon_deg"]) for p in summary.get("places", []) if "report" in p.get("tags", [])]
    title = (f"{radar.name} {radar.mode} mode at {radar.site.name or 'site'}: lowest detectable altitude, "
             f"RCS {cov.rcs_m2:g} m$^2$ (R = {cov.detection_range_m / 1e3:.0f} km)\n{radar.terrain_model}, k = {radar.k_factor:.3g}")
    plot_coverage(ax, cov, radar, places=places, title=title)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    plt.close(fig)


def contour_bands_geojson(cov: CoverageMap, radar: Radar, summary: dict | None = None) -> dict:
    """GeoJSON FeatureCollection: one valid right-hand MultiPolygon per altitude band
    (contourpy filled contours of the lowest detectable altitude, repaired by shapely)
    + the site."""
    from thaad.gis.geometry import filled_contours, polygon_geometry, wrap_lon

    features = []
    lon = np.degrees(np.unwrap(cov.lon_rad))
    lat = np.degrees(cov.lat_rad)
    if cov.covered.any():
        levels = _bands_km(cov)
        for lo, hi in zip(levels[:-1], levels[1:]):
            geom = polygon_geometry(filled_contours(lon, lat, cov.lowest_alt_m / 1e3, lo, hi))
            if geom is None:
                continue
            features.append({"type": "Feature", "geometry": geom,
                             "properties": {"alt_min_km": lo, "alt_max_km": hi,
                                            "meaning": "lowest detectable altitude in [alt_min_km, alt_max_km)"}})
    s = radar.site
    features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [float(wrap_lon(math.degrees(s.lon_rad))), math.degrees(s.lat_rad)]},
                     "properties": {"name": s.name or "radar", "kind": "radar site"}})
    props = {k: v for k, v in (summary or {}).items() if k not in ("places", "area_by_band")}
    return {"type": "FeatureCollection", "properties": props, "features": features}


def write_geotiff(path, cov: CoverageMap, radar: Radar) -> None:
    """Two-band float32 GeoTIFF (EPSG:4326): lowest detectable altitude (m) and slant range
    (m), NaN where never detectable."""
    from thaad.gis.raster import write_geotiff as write

    write(path, np.degrees(np.unwrap(cov.lon_rad)), np.degrees(cov.lat_rad),
          {"lowest_detectable_alt_m": cov.lowest_alt_m, "slant_range_m": cov.slant_range_m},
          {"radar": radar.name, "mode": radar.mode, "rcs_m2": cov.rcs_m2, "terrain": radar.terrain_model,
           "k_factor": radar.k_factor})


def write_coverage(out, radar: Radar, cov: CoverageMap, summary: dict) -> None:
    from thaad.cli.common import dumps

    p = Path(out)
    suffix = p.suffix.lower()
    if suffix == ".png":
        write_png(p, radar, cov, summary)
    elif suffix in (".geojson", ".json"):
        p.write_text(dumps(contour_bands_geojson(cov, radar, summary), indent=None), encoding="utf-8")
    elif suffix in (".tif", ".tiff"):
        write_geotiff(p, cov, radar)
    else:  # pragma: no cover - checked by the CLI
        raise ValueError(suffix)


"""Footprint outputs: merged GeoJSON polygons per shot count, and the footprint map.

Used by ``thaad footprint --out`` and docs/make_footprint_figures.py; the report draws its
own q3 figure from the same results.
"""

from __future__ import annotations

import math

import numpy as np


def footprint_geojson(fp, battery, places, title: str = "") -> dict:
    """Defended ground as merged polygons, one MultiPolygon per shot-opportunity count
    (grid cells unioned along their edges by shapely, valid and right-hand), with P(kill)
    and, with --samples, the range of P(defended) over its cells; plus the battery and places."""
    from thaad.gis.geometry import cell_polygons, polygon_geometry

    g = fp.grid

    def corners(axis):
        axis = np.degrees(np.asarray(axis, float))
        if axis.size == 1:
            return np.array([axis[0] - 0.05, axis[0] + 0.05])
        mid = (axis[1:] + axis[:-1]) / 2
        return np.concatenate([[2 * axis[0] - mid[0]], mid, [2 * axis[-1] - mid[-1]]])

    lon_c, lat_c = np.meshgrid(corners(g.lon_rad[0, :]), corners(g.lat_rad[:, 0]))
    area = np.asarray(g.cell_area_m2, float)
    feats = []
    for shots in sorted({int(v) for v in np.unique(fp.shots[fp.shots >= 1])}):
        cells = fp.shots == shots
        geom = polygon_geometry(cell_polygons(lon_c, lat_c, cells))
        if geom is None:
            continue
        props = {"layer": "footprint", "shots": shots, "cells": int(cells.sum()),
                 "p_kill": round(float(np.nanmean(fp.p_kill[cells])), 4)}
        props["area_km2"] = round(float(area[cells].sum()) / 1e6, 1)
        if fp.defended_probability is not None:
            dp = fp.defended_probability[cells]
            props["defended_probability_min"] = round(float(np.nanmin(dp)), 4)
            props["defended_probability_max"] = round(float(np.nanmax(dp)), 4)
        feats.append({"type": "Feature", "geometry": geom, "properties": props})
    feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [
        math.degrees(battery.radar_lon_rad), math.degrees(battery.radar_lat_rad)]},
        "properties": {"name": battery.name, "kind": "battery"}})
    for p, shots in zip(places, fp.point_shots):
        feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [p.lon_deg, p.lat_deg]},
                      "properties": {"name": p.name, "shots": int(shots), "defended": bool(shots >= fp.min_shots)}})
    return {"type": "FeatureCollection", "name": title or "thaad footprint", "features": feats}


def plot_footprint(ax, fp, battery, places, *, launch=None, title: str = "", legend: bool = True):
    """Shot opportunities per aim point on a basemap (coastlines and borders)."""
    from matplotlib.colors import BoundaryNorm, ListedColormap

    g = fp.grid
    lat = np.degrees(g.lat_rad)
    lon = np.degrees(g.lon_rad)
    pad = 0.3
    lon_min, lon_max, lat_min, lat_max = lon.min() - pad, lon.max() + pad, lat.min() - pad, lat.max() + pad
    if launch is not None:
        lat_max = max(lat_max, launch.lat_deg + 0.3)
        lon_min = min(lon_min, launch.lon_deg - 0.3)
    from thaad.gis.mapdata import draw_basemap

    draw_basemap(ax, lon_min, lon_max, lat_min, lat_max)
    shots = np.where(fp.shots >= 1, np.minimum(fp.shots, 4), np.nan).astype(float)
    cmap = ListedColormap(["#fdd49e", "#fc8d59", "#d7301f", "#7f0000"])
    norm = BoundaryNorm([0.5, 1.5, 2.5, 3.5, 4.5], cmap.N)
    mesh = ax.pcolormesh(lon, lat, shots, cmap=cmap, norm=norm, alpha=0.75, shading="nearest", zorder=2)
    if fp.defended_probability is not None:
        cs = ax.contour(lon, lat, fp.defended_probability, levels=[0.05, 0.5, 0.95], colors=["#444444"] * 3,
                        linestyles=[":", "-", "--"], linewidths=0.9, zorder=3)
        ax.clabel(cs, fmt={0.05: "5%", 0.5: "50%", 0.95: "95%"}, fontsize=6)
    ring = np.linspace(0, 2 * np.pi, 181)
    from thaad.geo import geodesic_direct

    rlat, rlon, _ = geodesic_direct(battery.radar_lat_rad, battery.radar_lon_rad, ring,
                                    battery.interceptor.max_intercept_range_m)
    ax.plot(np.degrees(rlon), np.degrees(rlat), color="#1f4e79", lw=0.8, ls="--", zorder=3)
    ax.plot(math.degrees(battery.radar_lon_rad), math.degrees(battery.radar_lat_rad), marker="^", color="#1f4e79",
            ms=8, zorder=5)
    for p, s in zip(places, fp.point_shots):
        if p.kind == "site":
            continue
        ok = s >= fp.min_shots
        ax.plot(p.lon_deg, p.lat_deg, marker="o", ms=4, color="#1a9850" if ok else "#404040", zorder=5)
        ax.annotate(p.name.split(" (")[0], (p.lon_deg, p.lat_deg), xytext=(3, 3), textcoords="offset points",
                    fontsize=6, zorder=6)
    if launch is not None:
        ax.plot(launch.lon_deg, launch.lat_deg, marker="*", color="black", ms=10, zorder=5)
        ax.annotate(launch.name, (launch.lon_deg, launch.lat_deg), xytext=(4, -8), textcoords="offset points",
                    fontsize=7)
    ax.set_xlim(lon_min, lon_max)
    ax.set_ylim(lat_min, lat_max)
    if title:
        ax.set_title(title, fontsize=9)
    return mesh


def write_footprint_png(path, fp, battery, places, launch, title):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 6.5))
    mesh = plot_footprint(ax, fp, battery, places, launch=launch, title=title)
    cb = fig.colorbar(mesh, ax=ax, shrink=0.7, ticks=[1, 2, 3, 4])
    cb.ax.set_yticklabels(["1", "2", "3", "4+"])
    cb.set_label("shot opportunities (shoot-look-shoot)")
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    plt.close(fig)

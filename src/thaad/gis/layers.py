"""GIS layers: GeoJSON (RFC 7946) and KML (via simplekml) for QGIS and Google Earth.

Layers are plain GeoJSON feature dicts built by the report sections; every feature has a
``layer`` property (``coverage``, ``footprint``, ``trajectory``, ``site`` ...).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from thaad.gis.geometry import filled_contours, line_geometry, polygon_geometry, wrap_lon
from thaad.jsonio import to_jsonable
from thaad.jsonio import canonical

_COORD_DIGITS = 5  # ~1 m in latitude: plenty for km-scale maps, and byte-stable


def point_feature(lon_deg: float, lat_deg: float, props: dict) -> dict:
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "Point", "coordinates": [round(float(wrap_lon(lon_deg)), _COORD_DIGITS),
                                                          round(float(lat_deg), _COORD_DIGITS)]}}


def line_feature(lon_deg, lat_deg, alt_m, props: dict, t_s=None) -> dict:
    """A LineString (altitude in metres as the third coordinate when given), cut into a
    MultiLineString where it crosses the 180 deg meridian (RFC 7946 sec. 3.1.9).

    With sample times ``t_s`` (and altitude) the feature also keeps the samples under
    ``_track`` for time-stamped KML/CZML tracks; keys starting with ``_`` are not GeoJSON."""
    feat = {"type": "Feature", "properties": props, "geometry": line_geometry(lon_deg, lat_deg, alt_m)}
    if t_s is not None and alt_m is not None:
        t, lon, lat, alt = (np.asarray(a, float).ravel() for a in (t_s, lon_deg, lat_deg, alt_m))
        ok = np.isfinite(t) & np.isfinite(lon) & np.isfinite(lat) & np.isfinite(alt)
        feat["_track"] = {"t_s": t[ok], "lon_deg": wrap_lon(lon[ok]), "lat_deg": lat[ok], "alt_m": alt[ok]}
    return feat


def filled_contour_features(lon_deg, lat_deg, values, bands: list[tuple[float, float]], props_for) -> list[dict]:
    """Valid right-hand MultiPolygon features for ``lo <= values < hi`` per band (NaN cells
    excluded), from contourpy's filled contours repaired by shapely.

    ``lon_deg``/``lat_deg`` are 1-D grid axes, ``values`` is (n_lat, n_lon).
    ``props_for(lo, hi)`` returns the feature properties.
    """
    import contourpy

    gen = contourpy.contour_generator(np.asarray(lon_deg, float), np.asarray(lat_deg, float), np.asarray(values, float),
                                      fill_type=contourpy.FillType.OuterOffset)
    feats = []
    for lo, hi in bands:
        geom = polygon_geometry(filled_contours(lon_deg, lat_deg, values, lo, hi, generator=gen))
        if geom is not None:
            feats.append({"type": "Feature", "properties": props_for(lo, hi), "geometry": geom})
    return feats


def feature_collection(features: list[dict], name: str) -> dict:
    public = [{k: v for k, v in f.items() if not k.startswith("_")} for f in features]
    return {"type": "FeatureCollection", "name": name, "features": public}


def write_geojson(path: Path, features: list[dict], name: str) -> None:
    """Byte-stable GeoJSON: properties rounded like report.json, coordinates kept as built
    (already on the 1e-5 deg grid: rounding them to 6 significant digits, ~100 m in
    longitude, would fold polygon rings onto themselves and make them invalid)."""
    fc = feature_collection(features, name)
    fc["features"] = [{**f, "properties": canonical(f["properties"])} for f in fc["features"]]
    path.write_text(json.dumps(to_jsonable(fc), sort_keys=True, allow_nan=False, ensure_ascii=False) + "\n",
                    encoding="utf-8")


def write_kml(path: Path, features: list[dict], name: str) -> None:
    """KML of every layer (typed attributes, a folder and colour ramp per layer, gx:Track)."""
    from thaad.gis import kml

    kml.write_kml(path, features, name)

"""GIS layers: GeoJSON (RFC 7946) and KML (via simplekml) for QGIS and Google Earth.

Layers are plain GeoJSON feature dicts built by the report sections; every feature has a
``layer`` property (``coverage``, ``footprint``, ``trajectory``, ``site`` ...).
"""

from __future__ import annotations

from pathlib import Path

import contourpy
import numpy as np
import simplekml

from thaad.jsonio import canonical_dumps as dumps

_COORD_DIGITS = 5  # ~1 m in latitude: plenty for km-scale maps, and byte-stable


def _ring(xy: np.ndarray) -> list[list[float]]:
    pts = [[round(float(x), _COORD_DIGITS), round(float(y), _COORD_DIGITS)] for x, y in xy]
    if pts and pts[0] != pts[-1]:
        pts.append(pts[0])
    return pts


def point_feature(lon_deg: float, lat_deg: float, props: dict) -> dict:
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "Point", "coordinates": [round(lon_deg, _COORD_DIGITS), round(lat_deg, _COORD_DIGITS)]}}


def line_feature(lon_deg, lat_deg, alt_m, props: dict) -> dict:
    """A LineString (with altitude in metres as the third coordinate when given)."""
    lon = np.asarray(lon_deg, float)
    lat = np.asarray(lat_deg, float)
    ok = np.isfinite(lon) & np.isfinite(lat)
    if alt_m is None:
        coords = [[round(float(a), _COORD_DIGITS), round(float(b), _COORD_DIGITS)] for a, b in zip(lon[ok], lat[ok])]
    else:
        alt = np.asarray(alt_m, float)
        ok &= np.isfinite(alt)
        coords = [[round(float(a), _COORD_DIGITS), round(float(b), _COORD_DIGITS), round(float(c), 0)]
                  for a, b, c in zip(lon[ok], lat[ok], alt[ok])]
    return {"type": "Feature", "properties": props, "geometry": {"type": "LineString", "coordinates": coords}}


def filled_contour_features(lon_deg, lat_deg, values, bands: list[tuple[float, float]], props_for) -> list[dict]:
    """MultiPolygon features for ``lo <= values < hi`` per band (NaN cells excluded).

    ``lon_deg``/``lat_deg`` are 1-D grid axes, ``values`` is (n_lat, n_lon).
    ``props_for(lo, hi)`` returns the feature properties.
    """
    z = np.asarray(values, float)
    gen = contourpy.contour_generator(np.asarray(lon_deg, float), np.asarray(lat_deg, float), z,
                                      fill_type=contourpy.FillType.OuterOffset)
    feats = []
    for lo, hi in bands:
        points, offsets = gen.filled(lo, hi)
        polys = []
        for pts, offs in zip(points, offsets):
            rings = [_ring(pts[offs[i]:offs[i + 1]]) for i in range(len(offs) - 1)]
            rings = [r for r in rings if len(r) >= 4]
            if rings:
                polys.append(rings)
        if polys:
            feats.append({"type": "Feature", "properties": props_for(lo, hi),
                          "geometry": {"type": "MultiPolygon", "coordinates": polys}})
    return feats


def feature_collection(features: list[dict], name: str) -> dict:
    return {"type": "FeatureCollection", "name": name, "features": features}


def write_geojson(path: Path, features: list[dict], name: str) -> None:
    path.write_text(dumps(feature_collection(features, name), indent=None), encoding="utf-8")


_KML_COLOURS = {
    "coverage": simplekml.Color.changealphaint(90, simplekml.Color.blue),
    "footprint": simplekml.Color.changealphaint(110, simplekml.Color.green),
    "shield": simplekml.Color.changealphaint(90, simplekml.Color.gray),
}


def write_kml(path: Path, features: list[dict], name: str) -> None:
    """KML with one folder per layer; trajectories keep their altitude (absolute)."""
    kml = simplekml.Kml(name=name)
    folders: dict[str, simplekml.Folder] = {}
    for f in features:
        props = f["properties"]
        layer = str(props.get("layer", "other"))
        folder = folders.get(layer) or folders.setdefault(layer, kml.newfolder(name=layer))
        title = str(props.get("name", layer))
        desc = "\n".join(f"{k}: {v}" for k, v in sorted(props.items()) if k not in ("name",))
        geom = f["geometry"]
        if geom["type"] == "Point":
            p = folder.newpoint(name=title, coords=[tuple(geom["coordinates"])], description=desc)
        elif geom["type"] == "LineString":
            coords = [tuple(c) for c in geom["coordinates"]]
            p = folder.newlinestring(name=title, coords=coords, description=desc)
            if coords and len(coords[0]) == 3:
                p.altitudemode = simplekml.AltitudeMode.absolute
            p.style.linestyle.width = 2
            p.style.linestyle.color = simplekml.Color.red
        elif geom["type"] == "MultiPolygon":
            mg = folder.newmultigeometry(name=title, description=desc)
            for poly in geom["coordinates"]:
                pg = mg.newpolygon(outerboundaryis=[tuple(c) for c in poly[0]],
                                   innerboundaryis=[[tuple(c) for c in r] for r in poly[1:]])
                pg.tessellate = 1
            mg.style.polystyle.color = _KML_COLOURS.get(layer, simplekml.Color.changealphaint(90, simplekml.Color.orange))
            mg.style.linestyle.width = 1
        elif geom["type"] == "Polygon":
            p = folder.newpolygon(name=title, description=desc, outerboundaryis=[tuple(c) for c in geom["coordinates"][0]])
            p.style.polystyle.color = _KML_COLOURS.get(layer, simplekml.Color.changealphaint(90, simplekml.Color.orange))
    path.write_text(kml.kml(), encoding="utf-8")

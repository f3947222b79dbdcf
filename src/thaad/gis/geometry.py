"""Valid GeoJSON geometry (RFC 7946) from model arrays, via shapely, contourpy and antimeridian.

* Lines are cut at the 180 deg meridian (sec. 3.1.9) so that no segment jumps 360 deg in
  longitude; altitude, when given, is interpolated at the cut by GEOS.
* Polygons come from contourpy's filled contours (or from grid cells merged by shapely),
  are repaired with ``shapely.make_valid``, kept as polygons only, wound right-hand
  (exterior counter-clockwise, holes clockwise: sec. 3.1.6, ``shapely.orient_polygons``),
  and split at the antimeridian by ``antimeridian.fix_multi_polygon`` when they cross it.
* Coordinates are rounded to 1e-5 deg (~1 m) on a precision grid that keeps them valid.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import MultiLineString, MultiPolygon, Polygon, box, mapping

GRID_DEG = 1e-5  # ~1 m in latitude: plenty for km-scale maps, and byte-stable


def wrap_lon(lon_deg):
    """Longitude into [-180, 180)."""
    return (np.asarray(lon_deg, float) + 180.0) % 360.0 - 180.0


def _round(coords: np.ndarray) -> list:
    out = np.round(np.asarray(coords, float), 5)
    if out.shape[1] == 3:
        out[:, 2] = np.round(out[:, 2], 0)
    # drop repeated vertices the rounding may create
    keep = np.ones(len(out), bool)
    keep[1:] = np.any(out[1:] != out[:-1], axis=1)
    return out[keep].tolist()


def line_parts(lon_deg, lat_deg, alt_m=None) -> list[list]:
    """The line cut at the antimeridian: a list of coordinate lists (``[lon, lat(, alt)]``),
    in the order flown.  Non-finite samples are dropped."""
    lon = np.asarray(lon_deg, float).ravel()
    lat = np.asarray(lat_deg, float).ravel()
    cols = [lon, lat] + ([] if alt_m is None else [np.asarray(alt_m, float).ravel()])
    ok = np.all(np.isfinite(np.column_stack(cols)), axis=1)
    xyz = np.column_stack(cols)[ok]
    if len(xyz) < 2:
        return [_round(xyz)] if len(xyz) else []
    # continuous longitude, first point in [-180, 180)
    xyz[:, 0] = np.degrees(np.unwrap(np.radians(xyz[:, 0])))
    xyz[:, 0] += wrap_lon(xyz[0, 0]) - xyz[0, 0]
    lo, hi = xyz[:, 0].min(), xyz[:, 0].max()
    if lo >= -180.0 and hi <= 180.0:
        return [_round(xyz)]
    line = shapely.LineString(xyz)
    parts = []
    for k in range(int(np.floor((lo + 180) / 360)), int(np.floor((hi + 180) / 360)) + 1):
        clip = line.intersection(box(-180 + 360 * k, -90, 180 + 360 * k, 90))
        for piece in shapely.get_parts(clip):
            if piece.geom_type == "LineString" and len(piece.coords) >= 2:
                where = line.project(shapely.Point(piece.coords[0]))
                c = np.asarray(piece.coords, float)
                c[:, 0] -= 360 * k
                parts.append((where, c))
    return [_round(c) for _, c in sorted(parts, key=lambda p: p[0])]


def line_geometry(lon_deg, lat_deg, alt_m=None) -> dict:
    """GeoJSON LineString, or MultiLineString when the line crosses the antimeridian."""
    parts = line_parts(lon_deg, lat_deg, alt_m)
    if len(parts) == 1:
        return {"type": "LineString", "coordinates": parts[0]}
    return {"type": "MultiLineString", "coordinates": parts}


def clean_polygons(geom) -> MultiPolygon:
    """Valid, right-hand MultiPolygon (empty when nothing areal is left) on the 1e-5 deg grid."""
    geom = shapely.make_valid(geom)
    polys = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    if not polys:
        return MultiPolygon()
    geom = shapely.set_precision(shapely.union_all(polys), GRID_DEG)
    polys = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    return shapely.orient_polygons(MultiPolygon(polys), exterior_cw=False) if polys else MultiPolygon()


def polygon_geometry(geom) -> dict | None:
    """GeoJSON MultiPolygon of a shapely geometry: repaired, right-hand, longitudes in
    [-180, 180] and split at the antimeridian.  ``None`` when it has no area."""
    mp = clean_polygons(geom)
    if mp.is_empty:
        return None
    x0, _, x1, _ = mp.bounds
    if x1 > 180.0 or x0 < -180.0:  # unwrapped input: cut into [-180, 180] pieces
        pieces = []
        for k in range(int(np.floor((x0 + 180) / 360)), int(np.floor((x1 + 180) / 360)) + 1):
            part = mp.intersection(box(-180 + 360 * k, -90, 180 + 360 * k, 90))
            pieces.append(shapely.affinity.translate(part, -360 * k))
        mp = clean_polygons(shapely.union_all(pieces))
    elif x1 - x0 > 180.0:  # wrapped input that crosses the antimeridian
        import antimeridian

        mp = clean_polygons(antimeridian.fix_multi_polygon(mp))
    return {"type": "MultiPolygon",
            "coordinates": [[_round(np.asarray(r.coords)) for r in (p.exterior, *p.interiors)] for p in mp.geoms]}


def filled_contours(lon_deg, lat_deg, values, lo: float, hi: float, generator=None):
    """Shapely geometry of ``lo <= values < hi`` on a lon/lat grid (contourpy), unrepaired."""
    import contourpy

    gen = generator or contourpy.contour_generator(np.asarray(lon_deg, float), np.asarray(lat_deg, float),
                                                   np.asarray(values, float),
                                                   fill_type=contourpy.FillType.OuterOffset)
    points, offsets = gen.filled(lo, hi)
    polys = []
    for pts, offs in zip(points, offsets):
        rings = [pts[offs[i]:offs[i + 1]] for i in range(len(offs) - 1)]
        rings = [r for r in rings if len(r) >= 4]
        if rings:
            polys.append(Polygon(rings[0], rings[1:]))
    return MultiPolygon(polys) if polys else MultiPolygon()


def cell_polygons(lon_corner_deg, lat_corner_deg, mask) -> MultiPolygon:
    """Merge the grid cells where ``mask`` is true into polygons (``*_corner_deg`` are the
    (n+1, m+1) cell corners of an (n, m) mask), exactly along the cell edges."""
    lon_c = np.asarray(lon_corner_deg, float)
    lat_c = np.asarray(lat_corner_deg, float)
    iy, ix = np.nonzero(np.asarray(mask, bool))
    if iy.size == 0:
        return MultiPolygon()
    ring = np.stack([np.stack([lon_c[iy, ix], lat_c[iy, ix]], -1), np.stack([lon_c[iy, ix + 1], lat_c[iy, ix + 1]], -1),
                     np.stack([lon_c[iy + 1, ix + 1], lat_c[iy + 1, ix + 1]], -1),
                     np.stack([lon_c[iy + 1, ix], lat_c[iy + 1, ix]], -1)], axis=1)
    cells = shapely.polygons(ring)
    return clean_polygons(shapely.coverage_union_all(cells))


def is_valid_feature_collection(fc: dict) -> bool:  # pragma: no cover - used by tests/tools
    return all(shapely.is_valid(shapely.geometry.shape(f["geometry"])) for f in fc["features"])


__all__ = ["line_parts", "line_geometry", "polygon_geometry", "clean_polygons", "filled_contours", "cell_polygons",
           "wrap_lon", "MultiLineString", "mapping"]

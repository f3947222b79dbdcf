"""KML for Google Earth, QGIS and ArcGIS (via simplekml).

* One folder per layer (GDAL reads each as one layer, as the GeoJSON files). In area layers
  only the first alternative (e.g. terminal mode, warhead-sized) is visible at first.
* Attributes as typed ``ExtendedData``/``SchemaData`` (one ``Schema`` per layer, int /
  double / bool / string fields), so GIS tools keep the fields, not a text blob.
* A colour ramp per layer over its main numeric attribute (matplotlib colormaps).
* Trajectories with sample times become time-stamped ``gx:Track``s (absolute altitude);
  the times are time since launch on a nominal clock starting at :data:`NOMINAL_LAUNCH`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import simplekml

NOMINAL_LAUNCH = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)

#: layer -> (attribute the colour follows, matplotlib colormap, fill alpha 0-255)
RAMPS = {
    "coverage": ("alt_min_km", "viridis_r", 110),
    "footprint": ("shots", "Greens", 130),
    "trajectory": (None, "plasma", 255),
    "great-circle": (None, "cividis", 255),
    "shield": (None, "Greys", 90),
}
RADIO_LAYERS = ("coverage", "footprint")  # layers whose features are alternatives of one another


def _kml_type(v) -> str | None:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, np.integer)):
        return "int"
    if isinstance(v, (float, np.floating)):
        return "double"
    if isinstance(v, str):
        return "string"
    return None  # lists/dicts are left out of the schema


def _kml_value(v) -> str:
    if isinstance(v, bool):
        return "1" if v else "0"
    return str(v)


def _colour(layer: str, value: float, lo: float, hi: float, alpha: int) -> str:
    from matplotlib import colormaps

    cmap = colormaps[RAMPS.get(layer, (None, "tab10", 200))[1]]
    frac = 0.5 if hi <= lo else 0.15 + 0.8 * (value - lo) / (hi - lo)
    r, g, b, _ = cmap(float(np.clip(frac, 0.0, 1.0)))
    return simplekml.Color.rgb(int(r * 255), int(g * 255), int(b * 255), alpha)


def _schema_fields(features: list[dict]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for f in features:
        for k, v in f["properties"].items():
            t = _kml_type(v) if k != "name" else None  # the name is the placemark's <name>
            if t is None:
                continue
            if fields.get(k, t) != t:  # mixed int/float -> double; anything else -> string
                t = "double" if {fields[k], t} <= {"int", "double"} else "string"
            fields[k] = t
    return fields


def write_kml(path: Path, features: list[dict], name: str) -> None:
    """All layers in one KML document (see the module docstring)."""
    kml = simplekml.Kml(name=name)
    doc = kml.document
    by_layer: dict[str, list[dict]] = {}
    for f in features:
        by_layer.setdefault(str(f["properties"].get("layer", "other")), []).append(f)
    for layer, feats in by_layer.items():
        fields = _schema_fields(feats)
        schema = doc.newschema(name=f"thaad_{layer.replace('-', '_')}")
        # simplekml numbers ids ("2"), which is not a valid XML id and GDAL's LIBKML driver
        # then ignores the schema: give it a readable one (no public setter in simplekml).
        schema._id = schema.name
        for k, t in fields.items():
            schema.newsimplefield(name=k, type=t)
        folder = doc.newfolder(name=layer)
        key, _, alpha = RAMPS.get(layer, (None, "tab10", 200))
        values = [float(f["properties"].get(key, i)) if key else float(i) for i, f in enumerate(feats)]
        lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
        # Area layers hold several alternatives (mode x target size, shield variants):
        # only the first is shown at first, so they do not all draw on top of each other.
        first = str(feats[0]["properties"].get("name", "")) if feats else ""
        for i, f in enumerate(feats):
            visible = layer not in RADIO_LAYERS or str(f["properties"].get("name", "")) == first
            _placemark(folder, f, layer, schema.id, fields, _colour(layer, values[i], lo, hi, alpha), visible)
    path.write_text(kml.kml(), encoding="utf-8")


def _placemark(folder, f: dict, layer: str, schema_id: str, fields: dict, colour: str, visible: bool) -> None:
    props = f["properties"]
    title = str(props.get("name", layer))
    geom = f["geometry"]
    track = f.get("_track")
    if track is not None:
        p = folder.newgxtrack(name=title, altitudemode=simplekml.AltitudeMode.absolute)
        p.newwhen([(NOMINAL_LAUNCH + dt.timedelta(seconds=float(t))).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                   for t in track["t_s"]])
        p.newgxcoord([(float(a), float(b), float(c)) for a, b, c in zip(track["lon_deg"], track["lat_deg"], track["alt_m"])])
        p.style.linestyle.color = colour
        p.style.linestyle.width = 2
        p.style.iconstyle.scale = 0.6
        p.description = "Time is time since launch on a nominal clock starting at 2000-01-01 00:00 UTC."
    elif geom["type"] == "Point":
        p = folder.newpoint(name=title, coords=[tuple(geom["coordinates"])])
        p.style.iconstyle.color = colour
    elif geom["type"] in ("LineString", "MultiLineString"):
        lines = [geom["coordinates"]] if geom["type"] == "LineString" else geom["coordinates"]
        p = folder.newmultigeometry(name=title)
        for line in lines:
            ls = p.newlinestring(coords=[tuple(c) for c in line])
            ls.tessellate = 1
            if line and len(line[0]) == 3:
                ls.altitudemode = simplekml.AltitudeMode.absolute
        p.style.linestyle.width = 2
        p.style.linestyle.color = colour
    elif geom["type"] in ("Polygon", "MultiPolygon"):
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        p = folder.newmultigeometry(name=title)
        for poly in polys:
            pg = p.newpolygon(outerboundaryis=[tuple(c) for c in poly[0]],
                              innerboundaryis=[[tuple(c) for c in r] for r in poly[1:]])
            pg.tessellate = 1
        p.style.polystyle.color = colour
        p.style.linestyle.width = 1
        p.style.linestyle.color = simplekml.Color.changealphaint(200, colour)
    else:  # pragma: no cover - the report writes only the types above
        raise ValueError(geom["type"])
    p.visibility = int(visible)
    p.extendeddata.schemadata.schemaurl = schema_id  # simplekml adds the '#'

    for k, t in fields.items():
        if k in props and _kml_type(props[k]) is not None:
            p.extendeddata.schemadata.newsimpledata(k, _kml_value(props[k]))

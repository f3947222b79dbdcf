"""CZML for Cesium: the report's layers as one time-dynamic document.

Trajectories with sample times are moving points with a trail (``position`` sampled in
``cartographicDegrees`` against an epoch, altitude in metres); lines and polygons are
clamped to the ground; colours follow the KML ramps.  Format: the CZML guide,
https://github.com/AnalyticalGraphicsInc/czml-writer/wiki/CZML-Guide
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from thaad.gis.kml import NOMINAL_LAUNCH, RAMPS


def _rgba(layer: str, value: float, lo: float, hi: float) -> list[int]:
    from matplotlib import colormaps

    _, cmap, alpha = RAMPS.get(layer, (None, "tab10", 200))
    frac = 0.5 if hi <= lo else 0.15 + 0.8 * (value - lo) / (hi - lo)
    r, g, b, _ = colormaps[cmap](float(np.clip(frac, 0, 1)))
    return [int(r * 255), int(g * 255), int(b * 255), int(alpha if layer in ("coverage", "footprint", "shield") else 255)]


def czml_document(features: list[dict], name: str) -> list[dict]:
    epoch = NOMINAL_LAUNCH.strftime("%Y-%m-%dT%H:%M:%SZ")
    t_max = max((float(np.max(f["_track"]["t_s"])) for f in features if "_track" in f), default=0.0)
    end = NOMINAL_LAUNCH.timestamp() + max(t_max, 1.0)
    import datetime as dt

    end_iso = dt.datetime.fromtimestamp(end, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    doc = [{"id": "document", "name": name, "version": "1.0",
            "clock": {"interval": f"{epoch}/{end_iso}", "currentTime": epoch, "multiplier": 10}}]
    by_layer: dict[str, list[dict]] = {}
    for f in features:
        by_layer.setdefault(str(f["properties"].get("layer", "other")), []).append(f)
    for layer, feats in by_layer.items():
        doc.append({"id": f"layer/{layer}", "name": layer})
        key = RAMPS.get(layer, (None,))[0]
        values = [float(f["properties"].get(key, i)) if key else float(i) for i, f in enumerate(feats)]
        lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
        for i, f in enumerate(feats):
            doc += _packets(f, f"{layer}/{i}", f"layer/{layer}", _rgba(layer, values[i], lo, hi), epoch)
    return doc


def _packets(f: dict, pid: str, parent: str, rgba: list[int], epoch: str) -> list[dict]:
    props = f["properties"]
    base = {"id": pid, "parent": parent, "name": str(props.get("name", props.get("layer", ""))),
            "properties": {k: v for k, v in props.items() if isinstance(v, (str, int, float, bool))}}
    geom = f["geometry"]
    colour = {"rgba": rgba}
    if "_track" in f:
        tr = f["_track"]
        samples = np.column_stack([tr["t_s"], tr["lon_deg"], tr["lat_deg"], tr["alt_m"]]).round(5).ravel().tolist()
        return [{**base, "availability": _interval(epoch, float(tr["t_s"][0]), float(tr["t_s"][-1])),
                 "position": {"epoch": epoch, "cartographicDegrees": samples, "interpolationAlgorithm": "LAGRANGE",
                              "interpolationDegree": 1},
                 "point": {"pixelSize": 6, "color": colour},
                 "path": {"width": 2, "leadTime": 0, "trailTime": 1e5, "material": {"solidColor": {"color": colour}}}}]
    if geom["type"] == "Point":
        lon, lat = geom["coordinates"][:2]
        return [{**base, "position": {"cartographicDegrees": [lon, lat, 0.0]},
                 "point": {"pixelSize": 8, "color": colour, "heightReference": "CLAMP_TO_GROUND"}}]
    if geom["type"] in ("LineString", "MultiLineString"):
        lines = [geom["coordinates"]] if geom["type"] == "LineString" else geom["coordinates"]
        out = []
        for j, line in enumerate(lines):
            has_alt = len(line[0]) == 3
            flat = [v for c in line for v in ((c[0], c[1], c[2]) if has_alt else (c[0], c[1], 0.0))]
            out.append({**base, "id": f"{pid}/{j}", "polyline": {
                "positions": {"cartographicDegrees": flat}, "width": 2, "clampToGround": not has_alt,
                "arcType": "NONE" if has_alt else "GEODESIC", "material": {"solidColor": {"color": colour}}}})
        return out
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    out = []
    for j, poly in enumerate(polys):
        ring = lambda r: [v for c in r[:-1] for v in (c[0], c[1], 0.0)]  # noqa: E731 - CZML rings are open
        out.append({**base, "id": f"{pid}/{j}", "polygon": {
            "positions": {"cartographicDegrees": ring(poly[0])},
            "holes": {"cartographicDegrees": [ring(h) for h in poly[1:]]},
            "material": {"solidColor": {"color": colour}}, "outline": False, "height": 0}})
    return out


def _interval(epoch: str, t0: float, t1: float) -> str:
    import datetime as dt

    e = dt.datetime.strptime(epoch, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
    f = lambda t: (e + dt.timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # noqa: E731
    return f"{f(t0)}/{f(t1)}"


def write_czml(path: Path, features: list[dict], name: str) -> None:
    Path(path).write_text(json.dumps(czml_document(features, name), separators=(",", ":")), encoding="utf-8")

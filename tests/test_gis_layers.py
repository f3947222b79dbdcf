"""GIS layers load cleanly: GDAL (pyogrio) reads every layer of the report, shapely finds
every geometry valid and right-hand, no segment jumps more than 180 deg in longitude,
KML carries typed attributes and time-stamped tracks, CZML and CSV parse."""

import csv
import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import shapely

from thaad.gis.geometry import cell_polygons, line_geometry, line_parts, polygon_geometry

pyogrio = pytest.importorskip("pyogrio")
KML = {"k": "http://www.opengis.net/kml/2.2", "gx": "http://www.google.com/kml/ext/2.2"}


def _lines(geom: dict):
    t, c = geom["type"], geom["coordinates"]
    if t == "MultiPolygon":
        return [r for p in c for r in p]
    return {"LineString": [c], "MultiLineString": c, "Polygon": c}.get(t, [])


def max_lon_jump_deg(geom: dict) -> float:
    return max((float(np.max(np.abs(np.diff(np.asarray(line)[:, 0])))) for line in _lines(geom) if len(line) > 1),
               default=0.0)


def test_crossing_line_is_cut_at_the_antimeridian_with_altitude_interpolated():
    lon = np.array([170.0, 179.0, -179.0, -170.0])  # 179 -> -179 is a 2 deg step east
    geom = line_geometry(lon, [10.0, 12.0, 14.0, 16.0], [1000.0, 2000.0, 4000.0, 5000.0])
    assert geom["type"] == "MultiLineString" and len(geom["coordinates"]) == 2
    west, east = (np.asarray(p) for p in geom["coordinates"])
    assert west[-1][0] == 180.0 and east[0][0] == -180.0
    # the cut lies half way between the samples: lat 13, alt 3000 m
    assert west[-1][1] == pytest.approx(13.0) and west[-1][2] == pytest.approx(3000.0)
    assert max_lon_jump_deg(geom) < 180
    # a line that stays east of 180 (Guam-bound, unwrapped input) is one piece
    assert len(line_parts([125.7, 140.0, 144.8], [39.0, 25.0, 13.5])) == 1


def test_polygon_across_the_antimeridian_and_cells_merged():
    geom = polygon_geometry(shapely.box(175, 0, 185, 5))  # unwrapped: crosses 180
    assert geom["type"] == "MultiPolygon" and len(geom["coordinates"]) == 2
    shp = shapely.geometry.shape(geom)
    assert shapely.is_valid(shp) and shp.area == pytest.approx(50.0)
    assert max_lon_jump_deg(geom) < 180
    lon_c, lat_c = np.meshgrid(np.arange(4.0), np.arange(3.0))  # 2 x 3 cells
    merged = cell_polygons(lon_c, lat_c, np.array([[1, 1, 0], [1, 0, 1]], bool))
    assert merged.area == pytest.approx(4.0)
    assert len(merged.geoms) == 2  # the L of three cells, and the lone cell touching it at a corner only


@pytest.fixture(scope="module")
def layers(small_report):
    return small_report / "layers"


def test_every_geojson_layer_loads_in_gdal_valid_right_hand_and_unbroken(layers):
    files = sorted(layers.glob("*.geojson"))
    assert {"coverage.geojson", "great-circle.geojson", "trajectory.geojson", "site.geojson"} <= {p.name for p in files}
    n = 0
    for path in files:
        fc = json.loads(path.read_text())
        info = pyogrio.read_info(path)
        assert info["features"] == len(fc["features"]), path.name
        _, _, wkb, _ = pyogrio.raw.read(path)
        for f, g in zip(fc["features"], shapely.from_wkb(wkb)):
            assert shapely.is_valid(g), (path.name, shapely.is_valid_reason(g))
            assert max_lon_jump_deg(f["geometry"]) <= 180.0, (path.name, f["properties"].get("name"))
            for poly in (shapely.get_parts(g) if g.geom_type.endswith("Polygon") else []):
                assert poly.exterior.is_ccw and not any(r.is_ccw for r in poly.interiors), path.name
            n += 1
    assert n > 10


def test_kml_typed_extended_data_folders_and_tracks(layers, small_report):
    root = ET.parse(layers / "thaad.kml").getroot()
    schemas = {s.get("name"): {f.get("name"): f.get("type") for f in s.findall("k:SimpleField", KML)}
               for s in root.iter(f"{{{KML['k']}}}Schema")}
    assert schemas["thaad_coverage"]["alt_min_km"] in ("double", "int")
    top = [f.find("k:name", KML).text for f in root.find("k:Document", KML).findall("k:Folder", KML)]
    assert {"coverage", "trajectory", "great-circle", "site"} <= set(top)
    tracks = list(root.iter(f"{{{KML['gx']}}}Track"))
    assert tracks, "trajectories are gx:Track"
    for tr in tracks:
        whens = [w.text for w in tr.findall("k:when", KML)]
        coords = tr.findall("gx:coord", KML)
        assert len(whens) == len(coords) > 2 and whens == sorted(whens)
    # GDAL reads the typed fields back (LIBKML or KML driver)
    for layer in pyogrio.list_layers(layers / "thaad.kml")[:, 0]:
        pyogrio.read_info(layers / "thaad.kml", layer=layer)


def test_czml_and_csv_tables(layers, small_report):
    doc = json.loads((layers / "thaad.czml").read_text())
    assert doc[0]["id"] == "document" and "clock" in doc[0]
    moving = [p for p in doc if "position" in p and "epoch" in p["position"]]
    assert moving and all(len(p["position"]["cartographicDegrees"]) % 4 == 0 for p in moving)
    tables = sorted((small_report / "tables").glob("*.csv"))
    assert tables
    for path in tables:
        rows = list(csv.reader(path.open(encoding="utf-8")))
        assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows), path.name
    report = json.loads((small_report / "report.json").read_text())
    assert set(report["tables"]) == {f"tables/{p.name}" for p in tables}


def test_coverage_geotiffs_in_the_report(layers):
    rasterio = pytest.importorskip("rasterio")
    tifs = sorted(layers.glob("*.tif"))
    assert tifs
    with rasterio.open(tifs[0]) as ds:
        assert ds.crs.to_epsg() == 4326 and ds.count == 1
        band = ds.read(1)
        assert np.isfinite(band).any() and np.nanmin(band) >= 0


def test_written_geojson_keeps_fine_polygons_valid(tmp_path):
    """Coordinates are written as built (1e-5 deg), not rounded to 6 significant digits
    (~100 m at longitude 124), which folded the full report's finest coverage rings."""
    from thaad.jsonio import canonical_dumps as dumps
    from thaad.gis.layers import feature_collection, write_geojson

    ring = shapely.box(124.5900, 38.6700, 124.6000, 38.6800)
    hole = shapely.box(124.5903, 38.6703, 124.5997, 38.6797)  # 30 m inside the shell
    feats = [{"type": "Feature", "properties": {"layer": "t", "lo": 0.5},
              "geometry": polygon_geometry(ring.difference(hole))}]
    old = json.loads(dumps(feature_collection(feats, "t")))  # the report.json rounding
    assert not shapely.is_valid(shapely.geometry.shape(old["features"][0]["geometry"]))
    path = tmp_path / "t.geojson"
    write_geojson(path, feats, "t")
    _, _, wkb, _ = pyogrio.raw.read(path)
    assert all(shapely.is_valid(g) for g in shapely.from_wkb(wkb))
    assert json.loads(path.read_text())["features"][0]["properties"]["lo"] == 0.5

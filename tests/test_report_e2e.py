"""End to end: `thaad assess` on a small scenario, answers checked against the physics called directly."""

import json
import re
import xml.etree.ElementTree as ET

import numpy as np
import pyproj
import pytest

from conftest import SMALL_SCENARIO, run_assess
from thaad import catalog
from thaad import scenario as S

KM = 1.0


@pytest.fixture(scope="module")
def report(small_report):
    return json.loads((small_report / "report.json").read_text())


def test_report_folder_has_every_part(small_report, report):
    assert (small_report / "index.html").is_file()
    assert report["schema"] == "thaad-report/1"
    assert set(report["questions"]) == {"q1", "q2", "q3", "q4"}
    for q in report["questions"].values():
        assert q["status"] in ("answered", "partial", "missing")
        assert q["assumptions"], "every answer states its assumptions"
        # a question that is not fully answered must say what is missing
        assert (q["status"] == "answered") == (not q["missing"])
    html = (small_report / "index.html").read_text()
    for key in ("q1", "q2", "q3", "q4", "assumptions", "method"):
        assert f'id="{key}"' in html


def test_same_scenario_and_seed_give_byte_identical_report_json(small_report, tmp_path):
    r = run_assess(tmp_path / "again")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "again" / "report.json").read_bytes() == (small_report / "report.json").read_bytes()


def test_seed_option_is_recorded(tmp_path):
    r = run_assess(tmp_path / "seeded", "--seed", "11", "--json")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["seed"] == 11
    assert json.loads((tmp_path / "seeded" / "report.json").read_text())["seed"] == 11


def test_q4_closest_approach_matches_the_geodesic(report):
    """The table's closest approach of each great circle equals a direct pyproj computation."""
    sc = S.load(SMALL_SCENARIO)
    site = catalog.find_place("seongju")
    geod = pyproj.Geod(ellps="WGS84")
    numbers = report["questions"]["q4"]["numbers"]["great_circle"]
    n = 0
    for th in sc.threats_q4:
        for ln in th.launch:
            for tg in th.targets:
                a, b = catalog.find_place(ln), catalog.find_place(tg)
                pts = geod.npts(a.lon_deg, a.lat_deg, b.lon_deg, b.lat_deg, 3000)
                lon = np.array([p[0] for p in pts])
                lat = np.array([p[1] for p in pts])
                _, _, d = geod.inv(np.full_like(lon, site.lon_deg), np.full_like(lat, site.lat_deg), lon, lat)
                entry = numbers[f"{a.name} -> {b.name}"]
                assert entry["closest_approach_km"] == pytest.approx(d.min() / 1000, abs=5 * KM)
                _, _, rng = geod.inv(a.lon_deg, a.lat_deg, b.lon_deg, b.lat_deg)
                assert entry["range_km"] == pytest.approx(rng / 1000, abs=1 * KM)
                n += 1
    assert n == 3


def test_geojson_and_kml_layers_parse(small_report, report):
    layers = small_report / "layers"
    n_features = 0
    for path in sorted(layers.glob("*.geojson")):
        fc = json.loads(path.read_text())
        assert fc["type"] == "FeatureCollection" and fc["features"], path.name
        for f in fc["features"]:
            assert f["type"] == "Feature" and "layer" in f["properties"]
            coords = np.array(_flatten(f["geometry"]["coordinates"]), float).reshape(-1, len(_first(f["geometry"]["coordinates"])))
            assert np.all(np.abs(coords[:, 0]) <= 180) and np.all(np.abs(coords[:, 1]) <= 90)
        n_features += len(fc["features"])
    assert {"site.geojson", "great-circle.geojson"} <= {p.name for p in layers.glob("*.geojson")}
    kml = ET.parse(layers / "thaad.kml").getroot()
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    assert len(kml.findall(".//k:Placemark", ns)) == n_features
    assert set(report["layers"]) == {f"layers/{p.name}" for p in layers.iterdir()}


def _first(c):
    while isinstance(c[0], list):
        c = c[0]
    return c


def _flatten(c):
    if isinstance(c[0], (int, float)):
        return list(c)
    out = []
    for x in c:
        out.extend(_flatten(x))
    return out


def test_html_loads_nothing_from_the_network(small_report):
    html = (small_report / "index.html").read_text()
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?https?:", html, re.I)
    assert "<script" not in html.lower()
    imgs = re.findall(r'<img src="([^"]+)"', html)
    assert imgs and all(i.startswith("data:image/png;base64,") for i in imgs)

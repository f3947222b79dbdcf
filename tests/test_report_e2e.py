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
    """A second run (seed given on the command line, equal to the scenario's) writes the same bytes."""
    r = run_assess(tmp_path / "again", "--seed", "7", "--json")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["seed"] == 7 and summary["report_dir"] == str(tmp_path / "again")
    assert (tmp_path / "again" / "report.json").read_bytes() == (small_report / "report.json").read_bytes()


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


# --- answers against the physics modules, called directly ---------------------------------------


def _radar(mode, level, blanking=()):
    from thaad.radar import RadarSite

    sc = S.load(SMALL_SCENARIO)
    site = catalog.find_place(sc.site.place)
    rs = RadarSite(np.radians(site.lat_deg), np.radians(site.lon_deg), site.alt_m, name=site.name)
    return catalog.build_radar(sc.radar.radar, mode, rs, boresight_az_rad=np.radians(sc.radar.boresight_deg),
                               blanking=blanking, k_factor=sc.radar.k_factor, level=level,
                               min_el_rad=np.radians(sc.radar.min_elevation_deg))


def test_q1_detection_ranges_and_place_floors_match_the_radar_model(report):
    import thaad.radar as radar
    sc = S.load(SMALL_SCENARIO)
    q1 = report["questions"]["q1"]
    assert q1["status"] == "answered", q1["missing"]
    places = [catalog.find_place(n) for n in sc.report_places]
    lat = np.radians([p.lat_deg for p in places])
    lon = np.radians([p.lon_deg for p in places])
    for mode in sc.radar.modes:
        for kind in ("warhead", "booster"):
            for level in ("low", "nominal", "high"):
                rcs = catalog.rcs_presets()[kind].rcs_m2.at(level)
                r = _radar(mode, level)
                expected_km = radar.detection_range_m(r, rcs) / 1000
                got = q1["numbers"]["detection_range_km"][f"{mode}/{kind}"][level]
                assert got == pytest.approx(expected_km, abs=0.1 * KM)
                low = radar.lowest_visible_altitude(r, lat, lon, rcs).lowest_alt_m / 1000
                for p, alt in zip(places, low):
                    got = q1["numbers"]["places"][p.key][f"{mode}/{kind}"][level]
                    if np.isfinite(alt):
                        assert got == pytest.approx(alt, abs=0.1 * KM), (p.key, mode, kind, level)
                    else:
                        assert got is None, (p.key, mode, kind, level)


def test_q2_places_lost_match_the_radar_model_with_blanking(report):
    import thaad.radar as radar
    sc = S.load(SMALL_SCENARIO)
    q2 = report["questions"]["q2"]
    assert "coverage" in q2["numbers"], q2["missing"]  # the cost part also needs the flight model
    places = [catalog.find_place(n) for n in sc.report_places]
    lat = np.radians([p.lat_deg for p in places])
    lon = np.radians([p.lon_deg for p in places])
    rcs = catalog.rcs_presets()["warhead"].rcs_m2.nominal
    sh = sc.shields[0]
    blank = tuple(radar.BlankSector(np.radians(x.az_start_deg), np.radians(x.az_end_deg),
                                    None if x.el_max_deg >= 90 else np.radians(x.el_max_deg)) for x in sh.sectors)
    n_lost = 0
    for mode in sc.radar.modes:
        base = radar.lowest_visible_altitude(_radar(mode, "nominal"), lat, lon, rcs).lowest_alt_m
        shielded = radar.lowest_visible_altitude(_radar(mode, "nominal", blank), lat, lon, rcs).lowest_alt_m
        lost = [p.name for p, a, b in zip(places, base, shielded) if np.isfinite(a) and not np.isfinite(b)]
        assert q2["numbers"]["coverage"][mode][sh.name]["places_lost"] == lost
        n_lost += len(lost)
    assert n_lost > 0, "the western sector should hide at least one Chinese city from the radar"


def _engage_direct(missile, launch, targets, shape="min-energy", apogee_km=None):
    """Fly, detect and engage with the core modules directly (nominal estimates)."""
    from thaad.ballistics import FlightOptions, aim
    from thaad.engagement import engage
    from thaad.radar import detect_along

    veh = catalog.missile_vehicle(missile, "nominal")
    n = len(targets)
    ts, sol = aim(veh, np.full(n, np.radians(launch.lat_deg)), np.full(n, np.radians(launch.lon_deg)),
                  np.radians([t.lat_deg for t in targets]), np.radians([t.lon_deg for t in targets]), shape=shape,
                  apogee_m=None if apogee_km is None else np.full(n, apogee_km * 1e3), options=FlightOptions(sample_s=2.0))
    rcs = catalog.rcs_presets()["warhead"].rcs_m2.nominal
    tr = detect_along(ts, _radar("terminal", "nominal"), rcs)
    res = engage(ts, tr.first_detection_time_s, catalog.battery("seongju", "nominal"), visible=tr.visible)
    return ts, sol, res


def test_q3_defended_places_match_a_direct_engagement(report):
    sc = S.load(SMALL_SCENARIO)
    q3 = report["questions"]["q3"]
    assert q3["status"] == "answered", q3["missing"]
    th = sc.threats_q3[0]
    launch = catalog.find_place(th.launch[0])
    targets = [catalog.find_place(n) for n in th.targets]
    _, sol, res = _engage_direct(th.missile, launch, targets, th.shape, th.apogee_km)
    got = q3["numbers"]["footprints"][f"{th.name} from {launch.name}"]["places_defended"]
    for t, ok, shots in zip(targets, sol.reachable, res.shot_opportunities):
        assert got[t.key] == bool(ok and shots >= 1), t.key
    area = q3["numbers"]["footprints"][f"{th.name} from {launch.name}"]["area_km2"]
    assert 0 <= area["low"] <= area["nominal"] <= area["high"] <= q3["numbers"]["south_korea_land_km2"] * 1.001


def test_q4_verdicts_match_a_direct_engagement(report):
    sc = S.load(SMALL_SCENARIO)
    q4 = report["questions"]["q4"]
    assert q4["status"] == "answered", q4["missing"]
    site = catalog.find_place("seongju")
    geod = pyproj.Geod(ellps="WGS84")
    checked = 0
    for th in sc.threats_q4:
        launch = catalog.find_place(th.launch[0])
        targets = [catalog.find_place(n) for n in th.targets]
        ts, sol, res = _engage_direct(th.missile, launch, targets)
        for k, t in enumerate(targets):
            entry = q4["numbers"]["great_circle"][f"{launch.name} -> {t.name}"]
            assert entry["reachable"] == bool(sol.reachable[k])
            if not sol.reachable[k]:
                continue
            assert entry["engageable"] == bool(res.engageable[k])
            m = ts.valid[k]
            lon, lat = np.degrees(ts.lon_rad[k][m]), np.degrees(ts.lat_rad[k][m])
            _, _, d = geod.inv(np.full_like(lon, site.lon_deg), np.full_like(lat, site.lat_deg), lon, lat)
            assert entry["trajectory_closest_km"] == pytest.approx(d.min() / 1000, abs=2 * KM)
            checked += 1
    assert checked >= 1

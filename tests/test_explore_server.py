"""`thaad explore` server: the API through Starlette's test client, the CLI as a real process.

The coverage numbers are checked against the report's own q1 numbers for the same
scenario (same wiring), bad input against the exact line `thaad assess --check` prints.
"""

import os
import signal
import socket
import subprocess
import sys
import urllib.request

import pytest
from starlette.testclient import TestClient

from thaad import scenario
from thaad.cli import main
from thaad.explore import compute, create_app
from thaad.explore.state import MAX_BODY_BYTES, SHIELD_NAME


@pytest.fixture(scope="module")
def base():
    return scenario.load(None)


@pytest.fixture(scope="module")
def client(base):
    return TestClient(create_app(base, "built-in:seongju"), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def initial(client):
    r = client.get("/api/initial")
    assert r.status_code == 200
    return r.json()["state"]


def _with(state, **radar):
    s = {**state, "radar": {**state["radar"], **radar}}
    return s


def test_page_and_vendored_files_are_served(client):
    r = client.get("/")
    assert r.status_code == 200 and "leaflet.js" in r.text and "Content-Security-Policy" in r.text
    assert "http://" not in r.text and "https://" not in r.text  # nothing to fetch from elsewhere
    for path in ("/static/explore.js", "/static/explore.css", "/static/leaflet/leaflet.js", "/static/leaflet/leaflet.css",
                 "/static/leaflet/images/marker-icon.png"):
        assert client.get(path).status_code == 200, path
    js = client.get("/static/explore.js").text
    assert "http://" not in js and "https://" not in js
    base = client.get("/api/basemap").json()
    kinds = {f["properties"]["layer"] for f in base["features"]}
    assert kinds == {"coast", "border"} and len(base["features"]) > 100
    lon = [c[0] for f in base["features"] for c in f["geometry"]["coordinates"]]
    assert 90 < min(lon) and max(lon) < 155  # cut to the region, not whole continents


def test_coverage_numbers_are_the_reports(client, initial, base):
    from thaad.report.context import Context
    from thaad.report.questions import q1_coverage

    r = client.post("/api/coverage", json=initial)
    assert r.status_code == 200, r.text
    body = r.json()
    n = body["numbers"]
    sc = base.model_copy(update={"bands": False, "report_places": [],
                                 "radar": base.radar.model_copy(update={"modes": ["terminal"]})})
    q1 = q1_coverage(Context(sc, sc.seed)).numbers
    far = q1["farthest_covered"]["terminal/warhead"]
    assert n["area_km2"] == far["area_km2"] and n["farthest_km"] == far["distance_km"]
    assert n["detection_range_km"] == pytest.approx(q1["detection_range_km"]["terminal/warhead"]["nominal"], abs=1)
    pyongyang = next(p for p in body["places"] if p["key"] == "pyongyang")
    assert pyongyang["lowest_alt_km"] == q1["places"]["pyongyang"]["terminal/warhead"]["nominal"]
    bands = {f["properties"]["alt_min_km"] for f in body["coverage"]["features"]}
    assert 0.0 in bands and body["compute_ms"] > 0
    assert n["grid_cells"] > 5000 and n["grid_km"] == base.grids.coverage_km


def test_boresight_and_sectors_change_the_map(client, initial):
    a = client.post("/api/coverage", json=initial).json()
    b = client.post("/api/coverage", json=_with(initial, boresight_deg=250.0)).json()
    assert a["coverage"] != b["coverage"]
    line = next(f for f in b["decorations"]["features"] if f["properties"]["layer"] == "boresight")
    x0, y0 = line["geometry"]["coordinates"][0]
    x1, y1 = line["geometry"]["coordinates"][-1]
    assert x1 < x0 and y1 < y0  # 250 deg: west-south-west
    # a sector blanking the whole face (boresight +- 90 deg, every elevation) leaves nothing
    full = {**initial, "sectors": [{"az_start_deg": 240.0, "az_end_deg": 60.0, "el_max_deg": 90.0}]}
    c = client.post("/api/coverage", json=full).json()["numbers"]
    assert c["area_km2"] == 0 and c["area_lost_pct"] == 100.0
    assert c["area_without_sectors_km2"] == a["numbers"]["area_km2"]
    # a low screen only raises the floor: some area stays
    low = {**initial, "sectors": [{"az_start_deg": 240.0, "az_end_deg": 60.0, "el_max_deg": 10.0}]}
    d = client.post("/api/coverage", json=low).json()["numbers"]
    assert 0 < d["area_km2"] < a["numbers"]["area_km2"]


def _check_lines(tmp_path, text):
    """What `thaad assess --check` prints for a scenario file."""
    p = tmp_path / "bad.toml"
    p.write_text(text)
    r = subprocess.run([sys.executable, "-m", "thaad", "assess", "--check", str(p)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 3, r.stderr
    return [line.strip() for line in r.stderr.splitlines()[1:]]


def test_bad_values_get_the_clis_field_named_message(client, initial, tmp_path):
    bad = {**_with(initial, boresight_deg=400.0, min_elevation_deg=-5.0), "rcs": {"warhead_m2": 0.0}}
    r = client.post("/api/coverage", json=bad)
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert {e["field"] for e in errors} == {"radar.boresight_deg", "radar.min_elevation_deg", "rcs.warhead_m2"}
    text = scenario.builtin_text().replace("boresight_deg = 330.0", "boresight_deg = 400.0") \
        .replace("min_elevation_deg = 5.0", "min_elevation_deg = -5.0").replace("# warhead_m2 = 0.01", "warhead_m2 = 0.0")
    assert sorted(e["line"] for e in errors) == sorted(_check_lines(tmp_path, text))


@pytest.mark.parametrize("state, status, field", [
    ({"radar": {"boresight_deg": "west"}}, 422, "radar.boresight_deg"),
    ({"site": {"lat_deg": 95.0, "lon_deg": 128.0}}, 422, "site.lat_deg"),
    ({"site": {"place": "atlantis"}}, 422, "site.place"),
    ({"site": {"lat_deg": 36.0, "lon_deg": 128.0, "alt_m": 20000.0}}, 422, "site.alt_m"),
    ({"site": {"place": "seongju", "lat_deg": 36.0}}, 422, "site"),
    ({"sectors": [{"az_start_deg": 10.0, "az_end_deg": 10.0}]}, 422, "sectors[0]"),
    ({"sectors": [{"az_start_deg": 10.0, "az_end_deg": 20.0, "el_max_deg": 0.0}]}, 422, "sectors[0].el_max_deg"),
    ({"sectors": "all"}, 422, "sectors"),
    ({"sectors": [{"az_start_deg": 1.0, "az_end_deg": 2.0}] * 13}, 422, "sectors"),
    ({"mode": "sideways"}, 422, "mode"),
    ({"threat": "Scud-Z"}, 422, "threat"),
    ({"threat": "Scud-C", "launch": "atlantis"}, 422, "launch"),
    ({"radar": {"k_factor": 2.0}}, 422, "radar.k_factor"),
    ({"grids": {}}, 422, "grids"),
    ({"radar": []}, 422, "radar"),
])
def test_bad_state_is_named_and_the_server_lives(client, initial, state, status, field):
    for path in ("/api/coverage", "/api/scenario", "/api/footprint"):
        r = client.post(path, json={**initial, **state})
        assert r.status_code == status, (path, r.text)
        assert field in {e["field"] for e in r.json()["errors"]}, r.json()
    assert client.get("/api/initial").status_code == 200


@pytest.mark.parametrize("body, status", [
    (b"{not json", 400), (b"[1, 2]", 400), (b'"text"', 400), (b"", 400), (b"\xff\xfe", 400),
    (b'{"radar": {"boresight_deg": NaN}}', 400), (b'{"radar": {"boresight_deg": 1e999}}', 400),
    (b'{"radar": {"boresight_deg": Infinity}}', 400), (b" " * (MAX_BODY_BYTES + 1), 413),
])
def test_bad_json_is_refused_with_a_message(client, body, status):
    r = client.post("/api/coverage", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == status
    e = r.json()["errors"][0]
    assert e["field"] == "(request)" and e["line"].startswith("(request): ")
    assert client.get("/api/initial").status_code == 200


def test_an_internal_failure_is_a_500_message_not_a_dead_server(client, initial, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(compute, "coverage", boom)
    r = client.post("/api/coverage", json=initial)
    assert r.status_code == 500 and "simulated bug" in r.json()["errors"][0]["message"]
    monkeypatch.undo()
    assert client.post("/api/coverage", json=initial).status_code == 200


def test_saved_scenario_is_valid_and_holds_the_state(client, initial, tmp_path):
    state = {**_with(initial, boresight_deg=275.5), "site": {"lat_deg": 33.45, "lon_deg": 126.55}, "mode": "forward-based",
             "sectors": [{"az_start_deg": 240.0, "az_end_deg": 300.0, "el_max_deg": 10.0}],
             "threat": "KN-23", "launch": "wonsan", "rcs": {"warhead_m2": 0.05}}
    r = client.post("/api/scenario", json=state)
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    p = tmp_path / "whatif.toml"
    p.write_text(r.text)
    with pytest.raises(SystemExit) as ex:
        main(["assess", "--check", str(p), "--quiet"])
    assert ex.value.code == 0
    sc = scenario.load(p)
    assert sc.radar.boresight_deg == 275.5 and sc.site.lat_deg == 33.45 and sc.site.place is None
    assert sc.rcs.warhead_m2 == 0.05 and "forward-based" in sc.radar.modes
    assert sc.shields[0].name == SHIELD_NAME and sc.shields[0].sectors[0].el_max_deg == 10.0
    assert next(t for t in sc.threats if t.name == "KN-23").launch[0] == "wonsan"
    # the saved file, loaded back, draws the same map as the state did
    again = create_app(sc, str(p))
    with TestClient(again) as c2:
        s2 = c2.get("/api/initial").json()["state"]
        s2["sectors"], s2["mode"] = state["sectors"], "forward-based"
        n2 = c2.post("/api/coverage", json={**s2, "threat": None, "launch": None}).json()["numbers"]
    n1 = client.post("/api/coverage", json=state).json()["numbers"]
    assert n2["area_km2"] == n1["area_km2"]


def test_cli_serves_refuses_a_busy_port_and_stops_on_ctrl_c(capsys):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    try:
        with pytest.raises(SystemExit) as ex:
            main(["explore", "--no-browser", "--port", str(busy.getsockname()[1])])
        assert ex.value.code == 2
    finally:
        busy.close()
    assert "--port: cannot listen on 127.0.0.1" in capsys.readouterr().err
    p = subprocess.Popen([sys.executable, "-m", "thaad", "explore", "--no-browser", "--port", "0"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = p.stdout.readline()
        assert "http://127.0.0.1:" in line, line + p.stderr.read()
        url = line.split(" at ")[1].split()[0]
        with urllib.request.urlopen(url + "api/initial", timeout=30) as resp:
            assert resp.status == 200
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
        assert p.returncode == 0 and "Traceback" not in err and "stopped" in err
    finally:
        if p.poll() is None:
            p.kill()


def test_farthest_cut_is_the_chord_bound_and_keeps_the_reports_answer(base):
    import math

    from thaad.explore.farthest import R_MIN_M, max_ground_distance_m
    from thaad.explore.state import initial_state, to_scenario
    from thaad.report import physics as P
    from thaad.report.context import Context
    from thaad.report.questions import _farthest_radial

    # closed form: the chord of the cut-off arc on the R_MIN sphere is the detection range
    for r_det in (100e3, 1000e3, 5000e3):
        d = max_ground_distance_m(r_det)
        assert 2 * R_MIN_M * math.sin(d / (2 * R_MIN_M)) == pytest.approx(r_det, rel=1e-12)
        assert d > r_det
    assert max_ground_distance_m(20000e3) == 6000e3
    # the report's uncut search, forward-based mode turned west: same distance and azimuth
    st = initial_state(base)
    st["radar"]["boresight_deg"], st["mode"] = 250.0, "forward-based"
    sc, view = to_scenario(base, st)
    n = compute.coverage(sc, view)["numbers"]
    ctx = Context(sc, sc.seed)
    ref = _farthest_radial(ctx, "forward-based", P.rcs_m2(ctx, "warhead", "nominal"), "nominal")
    assert (n["farthest_km"], n["farthest_azimuth_deg"], n["farthest_beyond_map"]) == \
        (ref["distance_km"], ref["azimuth_deg"], ref["beyond_map"])


def test_footprint_follows_the_radar_and_reuses_flights(base, monkeypatch):
    """Facing the launch area the battery defends most of the aim points; facing away (the
    radar never sees the missile) it defends none. The second call only re-runs detection
    and engagement on the flights of the first. A coarse 120 km grid keeps the test short."""
    monkeypatch.setattr(compute, "FOOTPRINT_KM", 120.0)
    with TestClient(create_app(base, "built-in")) as c:
        st = c.get("/api/initial").json()["state"]
        toward = c.post("/api/footprint", json=_with(st, boresight_deg=330.0))
        assert toward.status_code == 200, toward.text
        away = c.post("/api/footprint", json=_with(st, boresight_deg=150.0))
    a, b = toward.json()["numbers"], away.json()["numbers"]
    assert a["footprint_km"] == 120.0 and a["aim_points"] >= 4 and a["samples"] == 0
    assert 0 < a["defended_area_km2"] <= a["threatened_area_km2"] <= a["aim_area_km2"]
    assert b["defended_area_km2"] == 0 and not any(b["places_defended"].values())
    assert b["flights_reused"] and not a["flights_reused"]
    assert b["threatened_area_km2"] == a["threatened_area_km2"]
    cells = toward.json()["footprint"]["features"]
    assert len(cells) == a["aim_points"] and any(f["properties"]["defended"] for f in cells)


def test_a_typed_site_with_the_places_height_is_the_place(client, initial):
    from thaad import catalog

    p = catalog.find_place("seongju")
    by_name = client.post("/api/coverage", json={**initial, "site": {"place": "seongju"}}).json()
    typed = client.post("/api/coverage", json={**initial, "site": {"lat_deg": p.lat_deg, "lon_deg": p.lon_deg, "alt_m": p.alt_m}}).json()
    sea = client.post("/api/coverage", json={**initial, "site": {"lat_deg": p.lat_deg, "lon_deg": p.lon_deg}}).json()
    assert typed["numbers"] == by_name["numbers"] and typed["site"]["alt_m"] == p.alt_m > 100
    assert sea["site"]["alt_m"] == 0.0
    # where the minimum elevation sets the floor, h_min = h_site + d tan(el) + d^2 / 2kR (+ antenna):
    # the same site at sea level lowers the floor by the site's height, place by place
    low = {r["key"]: r["lowest_alt_km"] for r in sea["places"]}
    bound = [r for r in by_name["places"] if r["limited_by"] == "min elevation" and r["lowest_alt_km"] is not None]
    assert len(bound) >= 3
    for r in bound:
        assert r["lowest_alt_km"] - low[r["key"]] == pytest.approx(p.alt_m / 1000.0, abs=0.11), r

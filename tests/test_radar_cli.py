"""CLI contract of the radar commands (subprocess, as a user runs them)."""

import json
import math
import subprocess
import sys

import pytest


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "thaad", *args], capture_output=True, text=True, timeout=120)


def test_visibility_json_contract_and_horizon_consistency():
    r = run_cli("visibility", "--from", "36.0513,128.2229,680", "--to", "39.9042,116.4074,100", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    for key in ("visible", "ground_range_km", "slant_range_km", "elevation_deg", "azimuth_deg", "min_visible_altitude_km"):
        assert key in out
    assert out["visible"] is True and 1100 < out["ground_range_km"] < 1140
    # a target just below the lowest visible altitude is not visible, just above it is
    low = out["min_visible_altitude_km"]
    below = json.loads(run_cli("visibility", "--from", "seongju", "--to", f"39.9042,116.4074,{low - 0.5}", "--json").stdout)
    above = json.loads(run_cli("visibility", "--from", "seongju", "--to", f"39.9042,116.4074,{low + 0.5}", "--json").stdout)
    assert not below["visible"] and above["visible"]
    flat = json.loads(run_cli("visibility", "--from", "seongju", "--to", "39.9042,116.4074,100", "--k-factor", "1",
                              "--earth", "spherical", "--json").stdout)
    assert flat["min_visible_altitude_km"] > low  # less refraction -> higher horizon floor


def test_radar_range_json_contract_and_fourth_root_scaling():
    a = json.loads(run_cli("radar-range", "--radar", "tpy2", "--mode", "terminal", "--rcs-m2", "0.01", "--json").stdout)
    b = json.loads(run_cli("radar-range", "--radar", "tpy2", "--mode", "terminal", "--rcs-m2", "0.16", "--json").stdout)
    assert a["detection_range_low_km"] < a["detection_range_km"] < a["detection_range_high_km"]
    assert b["detection_range_km"] == pytest.approx(2 * a["detection_range_km"], rel=1e-9)
    fb = json.loads(run_cli("radar-range", "--mode", "forward-based", "--rcs-m2", "0.1", "--json").stdout)
    assert fb["detection_range_km"] == pytest.approx(fb["reported_range_km"]["nominal"], rel=0.02)
    assert {"warhead", "booster"} <= set(fb["presets"])


def test_coverage_json_summary_and_outputs(tmp_path):
    geojson = tmp_path / "coverage.geojson"
    r = run_cli("coverage", "--radar", "tpy2", "--mode", "terminal", "--site", "seongju", "--boresight-deg", "330",
                "--rcs-m2", "0.1", "--blank", "250:300:10", "--grid-km", "25", "--json", "--out", str(geojson))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    for key in ("area_by_band", "farthest_point", "places", "covered_area_km2", "detection_range_km", "terrain"):
        assert key in out
    assert out["terrain"].startswith("smooth Earth")
    assert out["blanking"] == [{"az_start_deg": 250.0, "az_end_deg": 300.0, "el_max_deg": 10.0}]
    places = {p["key"]: p for p in out["places"]}
    assert places["pyongyang"]["lowest_visible_alt_km"] is not None
    assert places["beijing"]["lowest_visible_alt_km"] is None and places["beijing"]["limited_by"] == "detection range"
    assert out["farthest_point"]["ground_range_km"] <= out["detection_range_km"] * 1.01
    gj = json.loads(geojson.read_text())
    assert gj["type"] == "FeatureCollection" and any(f["geometry"]["type"] == "MultiPolygon" for f in gj["features"])
    tif = tmp_path / "coverage.tif"
    png = tmp_path / "map.png"
    assert run_cli("coverage", "--mode", "forward-based", "--rcs-m2", "0.03", "--grid-km", "50", "--out", str(tif)).returncode == 0
    cone = run_cli("coverage", "--mode", "terminal", "--rcs-m2", "0.03", "--grid-km", "50", "--face", "cone",
                   "--out", str(png), "--json")
    assert cone.returncode == 0, cone.stderr
    assert json.loads(cone.stdout)["face_model"] == "cone"
    import rasterio

    with rasterio.open(tif) as ds:
        assert ds.count == 2 and ds.crs.to_epsg() == 4326
    assert png.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("args,field", [
    (("radar-range", "--rcs-m2", "0"), "rcs-m2"),
    (("radar-range", "--rcs-m2", "-1"), "rcs-m2"),
    (("radar-range", "--mode", "sideways", "--rcs-m2", "1"), "mode"),
    (("coverage", "--rcs-m2", "1", "--blank", "10"), "blank"),
    (("coverage", "--rcs-m2", "1", "--blank", "10:20:x"), "blank"),
    (("coverage", "--rcs-m2", "1", "--blank", "40:40"), "blank"),
    (("coverage", "--rcs-m2", "1", "--blank", "10:400"), "blank AZ2"),
    (("coverage", "--rcs-m2", "1", "--out", "map.pdf"), "out"),
    (("visibility", "--from", "seongju", "--to", "95,10,100"), "latitude"),
])
def test_bad_input_exits_2_naming_the_field(args, field, capsys):
    """In-process through the real entry point (thaad.cli.main maps errors to exit codes)."""
    from thaad.cli import main

    with pytest.raises(SystemExit) as exc:
        main(list(args))
    err = capsys.readouterr().err
    assert exc.value.code == 2, err
    assert field in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_bad_input_exits_2_as_a_subprocess():
    for args, field in ((("coverage", "--rcs-m2", "0"), "rcs-m2"), (("coverage", "--rcs-m2", "1", "--blank", "5:x"), "blank")):
        r = run_cli(*args)
        assert r.returncode == 2 and field in r.stderr and "Traceback" not in r.stderr


def test_detect_json_contract_with_a_flown_missile():
    r = run_cli("detect", "--radar", "tpy2", "--mode", "terminal", "--site", "seongju", "--missile", "scud-c",
                "--from", "sakkanmol", "--to", "seongju", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["detected"] is True
    first = out["first_detection"]
    for key in ("t_s", "alt_km", "slant_range_km", "ground_range_km", "lat_deg", "lon_deg"):
        assert first[key] is not None
    assert 0 < first["t_s"] < out["trajectory"]["flight_time_s"]
    assert first["alt_km"] <= out["trajectory"]["apogee_km"] + 1e-6
    assert first["slant_range_km"] <= out["detection_range_km"] + 1e-3
    assert out["warning_time_s"] == pytest.approx(out["trajectory"]["flight_time_s"] - first["t_s"])
    assert out["track_duration_s"] > 0 and out["visible_intervals"]
    bad = run_cli("detect", "--missile", "scud-c", "--from", "sakkanmol", "--to", "seongju", "--rcs-m2", "-3")
    assert bad.returncode == 2 and "rcs-m2" in bad.stderr


def test_coverage_with_a_horizon_profile_says_so_and_raises_floors(tmp_path):
    h = tmp_path / "horizon.csv"
    h.write_text("azimuth_deg,elevation_deg\n0,8\n359,8\n")  # an 8-degree horizon all round
    r = run_cli("coverage", "--mode", "terminal", "--rcs-m2", "0.1", "--grid-km", "50", "--horizon", str(h), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["terrain"].startswith("horizon profile")
    pyongyang = {p["key"]: p for p in out["places"]}["pyongyang"]
    assert pyongyang["limited_by"] == "terrain" and pyongyang["lowest_visible_alt_km"] > 60.0

"""`thaad trajectory` CLI contract (run as a subprocess)."""

import json
import subprocess
import sys

import pytest

KEYS = {"range_km", "apogee_km", "flight_time_s", "burnout_speed_m_s", "burnout_altitude_km", "impact_speed_m_s",
        "launch_azimuth_deg", "impact", "samples"}
TEXTBOOK = ["--earth", "spherical", "--no-rotation", "--no-drag", "--no-j2"]


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "thaad", *args], capture_output=True, text=True, timeout=180)


def test_burnout_state_json_has_the_contract_keys_and_kepler_range(tmp_path):
    out = tmp_path / "track.geojson"
    r = run_cli("trajectory", "--burnout-speed", "3016.114", "--elevation-deg", "42.7517", "--from", "36,128",
                "--azimuth-deg", "90", *TEXTBOOK, "--json", "--out", str(out))
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert KEYS <= set(d)
    assert set(d["impact"]) >= {"lat_deg", "lon_deg"}
    assert set(d["samples"][0]) >= {"t_s", "lat_deg", "lon_deg", "alt_km", "speed_m_s"}
    assert d["range_km"] == pytest.approx(1000.0, abs=0.05)  # textbook min-energy pair
    assert d["apogee_km"] == pytest.approx(239.94, abs=0.05)
    gj = json.loads(out.read_text())
    assert gj["features"][0]["geometry"]["type"] == "LineString"


def test_aimed_burnout_state_min_energy_and_csv(tmp_path):
    out = tmp_path / "track.csv"
    r = run_cli("trajectory", "--burnout-speed", "5000", "--from", "36,128", "--to", "seongju", "--shape", "min-energy",
                "--json", "--out", str(out))
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["miss_km"] < 0.1
    assert out.read_text().splitlines()[0] == "t_s,lat_deg,lon_deg,alt_km,speed_m_s"


@pytest.mark.parametrize("args, field", [
    (["--burnout-speed", "-3", "--elevation-deg", "40", "--from", "36,128", "--azimuth-deg", "90"], "burnout-speed"),
    (["--burnout-speed", "3000", "--elevation-deg", "40", "--from", "95,128", "--azimuth-deg", "90"], "from latitude"),
    (["--burnout-speed", "1000", "--from", "36,128", "--to", "36,150"], "target"),
    (["--missile", "no-such-missile", "--from", "36,128", "--azimuth-deg", "90"], "missile"),
    (["--burnout-speed", "3000", "--elevation-deg", "40", "--from", "36,128"], "to"),
])
def test_bad_input_exits_2_with_one_line_naming_the_field(args, field):
    r = run_cli("trajectory", *args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and field in lines[0]
    assert "Traceback" not in r.stderr

"""The report's "check it yourself" commands reproduce the report's numbers exactly.

Runs the commands quoted in report.json for the small scenario (radar-range and coverage
for the first mode, every footprint command) and compares with the report's numbers.
"""

import json
import shlex
import subprocess
import sys

import pytest


@pytest.fixture(scope="module")
def report(small_report):
    return json.loads((small_report / "report.json").read_text())


def run_quoted(command: str) -> dict:
    argv = shlex.split(command)
    assert argv[0] == "thaad" and argv[-1] == "--json"
    r = subprocess.run([sys.executable, "-m", "thaad", *argv[1:]], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def _r(x, nd):
    return None if x is None else round(float(x), nd)


def test_q1_commands_reproduce_detection_range_and_place_floors(report):
    q1 = report["questions"]["q1"]
    mode = report["scenario"]["radar"]["modes"][0]
    cmds = [c for c in q1["commands"] if not c.startswith("#") and f"--mode {mode} " in c]
    rng = run_quoted(next(c for c in cmds if c.startswith("thaad radar-range")))
    assert _r(rng["detection_range_km"], 1) == q1["numbers"]["detection_range_km"][f"{mode}/warhead"]["nominal"]
    cov = run_quoted(next(c for c in cmds if c.startswith("thaad coverage")))
    by_key = {p["key"]: p for p in cov["places"]}
    checked = 0
    for key, entry in q1["numbers"]["places"].items():
        assert _r(by_key[key]["lowest_visible_alt_km"], 1) == entry[f"{mode}/warhead"]["nominal"], key
        checked += 1
    assert checked >= 3


def test_q3_footprint_commands_reproduce_areas_and_places(report):
    q3 = report["questions"]["q3"]
    cmds = [c for c in q3["commands"] if c.startswith("thaad footprint")]
    assert cmds and len(cmds) == len(q3["numbers"]["footprints"])
    assert not [c for c in q3["commands"] if c.startswith("#")], "the small scenario is expressible as options"
    for cmd, (key, numbers) in zip(cmds, q3["numbers"]["footprints"].items()):
        out = run_quoted(cmd)
        nominal = out["defended_area_km2"]
        p5, _, p95 = out["band"]["defended_area_km2"]
        assert numbers["area_km2"] == {"low": _r(min(p5, nominal), -2), "nominal": _r(nominal, -2),
                                       "high": _r(max(p95, nominal), -2)}, key
        assert numbers["threatened_area_km2"] == _r(out["threatened_area_km2"], -2)
        assert numbers["places_defended"] == {p["key"]: p["defended"] for p in out["places"]}
        assert numbers["places_defended_share_of_samples"] == {p["key"]: round(p["defended_probability"], 3)
                                                               for p in out["places"]}

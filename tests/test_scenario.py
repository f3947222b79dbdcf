"""Scenario schema: the built-in scenario and the template validate; every error is listed."""

import subprocess
import sys

import pytest

from thaad import scenario as S


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "thaad", *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def test_builtin_seongju_scenario_validates():
    sc = S.load(None)
    assert sc.site.resolve().name.startswith("Seongju")
    assert sc.questions == ["q1", "q2", "q3", "q4", "q5"]
    assert sc.threats_q3 and sc.threats_q4 and sc.threats_q5 and sc.shields


def test_template_validates_as_written(tmp_path):
    sc = S.parse_text(S.template_text(), "template")
    assert sc.title
    out = tmp_path / "my.toml"
    r = run_cli("scenario", "--template", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_text().lstrip().startswith("#")  # commented
    r = run_cli("assess", "--check", str(out))
    assert r.returncode == 0, r.stderr
    # printing works too, and --out refuses to overwrite without --force
    assert run_cli("scenario", "--template").stdout == out.read_text()
    assert run_cli("scenario", "--template", "--out", str(out)).returncode == 2


BAD = """
title = ""
seed = -1
estimate_level = "medium"
colour = "red"
questions = ["q1", "q9"]

[site]
place = "atlantis"

[radar]
boresight_deg = 400
k_factor = 0.5
modes = ["terminal", "sideways"]

[[launchers]]
lat_deg = 95
lon_deg = 128
count = 0

[rcs]
warhead_m2 = -0.1

[grids]
coverage_km = 1
"""

EXPECTED = {
    "title": "at least 1 character",
    "seed": "greater than or equal to 0",
    "estimate_level": "'low', 'nominal' or 'high'",
    "colour": "unknown key",
    "questions[1]": "'q1', 'q2', 'q3', 'q4' or 'q5'",
    "site.place": "unknown place 'atlantis'",
    "radar.boresight_deg": "less than 360",
    "radar.k_factor": "greater than or equal to 1",
    "radar.modes[1]": "'terminal' or 'forward-based'",
    "launchers[0].lat_deg": "less than or equal to 90",
    "launchers[0].count": "greater than or equal to 1",
    "rcs.warhead_m2": "greater than 0",
    "grids.coverage_km": "greater than or equal to 2",
}


def test_every_error_is_listed_field_by_field():
    with pytest.raises(S.ScenarioError) as exc:
        S.parse_text(BAD, "bad.toml")
    err = exc.value
    assert err.kind == "invalid"
    by_path = {line.split(": ", 1)[0]: line.split(": ", 1)[1] for line in err.problems}
    assert set(by_path) == set(EXPECTED), err.problems
    for path, fragment in EXPECTED.items():
        assert fragment in by_path[path], (path, by_path[path])


def test_cross_field_rules():
    base = S.template_text()
    # a lofted threat without an apogee, a q4 threat without targets, a place given twice
    text = base.replace('shape = "lofted"               # a 1,000+ km missile must be lofted to land in South Korea\napogee_km = 400.0',
                        'shape = "lofted"')
    with pytest.raises(S.ScenarioError) as exc:
        S.parse_text(text)
    assert any(p.startswith("threats[2]") and "needs apogee_km" in p for p in exc.value.problems)
    with pytest.raises(S.ScenarioError) as exc:
        S.parse_text(base.replace('[site]\nplace = "seongju"', '[site]\nplace = "seongju"\nlat_deg = 36.0'))
    assert any(p.startswith("site") and "not both" in p for p in exc.value.problems)
    with pytest.raises(S.ScenarioError) as exc:
        S.parse_text(base.replace('az_end_deg = 305.0', 'az_end_deg = 240.0'))
    assert any(p.startswith("shields[0].sectors[0]") and "empty" in p for p in exc.value.problems)


def test_question_needs_its_inputs():
    text = S.template_text().split("# --- Threats")[0]  # no threats at all
    with pytest.raises(S.ScenarioError) as exc:
        S.parse_text(text)
    msgs = " ".join(exc.value.problems)
    assert "q3 needs at least one [[threats]]" in msgs and "q4 needs at least one [[threats]]" in msgs


def test_check_exit_codes(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD)
    r = run_cli("assess", "--check", str(bad))
    assert r.returncode == 3
    assert "Traceback" not in r.stderr
    for path in EXPECTED:  # all of them on stderr, field by field
        assert f"  {path}: " in r.stderr
    # running (not checking) a bad scenario is bad input: exit 2, same list
    r = run_cli("assess", str(bad), "--out", str(tmp_path / "rep"))
    assert r.returncode == 2 and "seed: " in r.stderr
    assert not (tmp_path / "rep").exists()
    # unparseable TOML is a problem in the file: --check exits 3 (README), with the line number
    broken = tmp_path / "broken.toml"
    broken.write_text('title = "x"\nseed = 1\nquestions = [\n"q1",\n= 3\n')
    r = run_cli("assess", "--check", str(broken))
    assert r.returncode == 3 and "line 5" in r.stderr, r.stderr
    # missing file: exit 2
    r = run_cli("assess", "--check", str(tmp_path / "nope.toml"))
    assert r.returncode == 2 and "not found" in r.stderr


def test_check_json_lists_problems(tmp_path):
    import json

    bad = tmp_path / "bad.toml"
    bad.write_text(BAD)
    r = run_cli("assess", "--check", "--json", str(bad))
    assert r.returncode == 3
    out = json.loads(r.stdout)
    assert out["valid"] is False and len(out["problems"]) == len(EXPECTED)

"""Issue 15: the scenario schema is strict, hostile files are refused, --check runs every
check the run does and reports the run's cost."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from thaad import scenario as S

from hardening_helpers import run, strict_json

SMALL = (Path(__file__).parent / "data" / "small_scenario.toml").read_text(encoding="utf-8")


def problems(text: str) -> list[str]:
    with pytest.raises(S.ScenarioError) as exc:
        S.parse_text(text, "t.toml")
    return exc.value.problems


# --- strict types -------------------------------------------------------------------------
@pytest.mark.parametrize("old,new,field", [
    ("boresight_deg = 330.0", 'boresight_deg = "330"', "radar.boresight_deg"),
    ("footprint_samples = 2", 'footprint_samples = "5"', "grids.footprint_samples"),
    ("seed = 7", 'seed = "1"', "seed"),
    ("bands = true", "bands = 1", "bands"),
    ("footprint_samples = 2", "footprint_samples = 2.0", "grids.footprint_samples"),
])
def test_no_silent_coercion(old, new, field):
    assert SMALL.count(old) == 1
    ps = problems(SMALL.replace(old, new))
    assert any(p.startswith(field + ":") for p in ps), ps


def test_nan_gets_a_nan_message():
    ps = problems(SMALL.replace("boresight_deg = 330.0", "boresight_deg = nan"))
    assert any(p.startswith("radar.boresight_deg:") and "finite" in p for p in ps), ps
    ps = problems(SMALL.replace("[engagement]\npk = 0.8", "[engagement]\npk = 0.8\nfirm_track_s = nan"))
    assert any("finite" in p for p in ps) and not any("600" in p for p in ps), ps


def test_mode_case_insensitive_in_the_scenario_too():
    sc = S.parse_text(SMALL.replace('modes = ["terminal", "forward-based"]', 'modes = ["Terminal", "FORWARD-BASED"]'))
    assert sc.radar.modes == ["terminal", "forward-based"]


def test_utf8_bom_accepted(tmp_path):
    f = tmp_path / "bom.toml"
    f.write_bytes(b"\xef\xbb\xbf" + SMALL.encode("utf-8"))
    assert S.load(f).title == "Small test scenario"


# --- shield names: identity, not display name ----------------------------------------------
@pytest.mark.parametrize("name", ["no shield", "No  Shield", "none", "place_floor_km"])
def test_reserved_shield_names_refused(name):
    ps = problems(SMALL.replace('name = "Blank west"', f'name = "{name}"'))
    assert any(p.startswith("shields[0].name") and "reserved" in p for p in ps), ps


def test_duplicate_shield_names_refused():
    dup = SMALL.replace('[[launchers]]', '[[shields]]\nname = "blank WEST"\n  [[shields.sectors]]\n'
                        '  az_start_deg = 250.0\n  az_end_deg = 300.0\n\n[[launchers]]')
    ps = problems(dup)
    assert any("shield names must be unique" in p for p in ps), ps


def test_math_markup_in_shield_name_refused_by_check(tmp_path, capsys):
    f = tmp_path / "s.toml"
    f.write_text(SMALL.replace('name = "Blank west"', r'name = "$\\undefinedmacro$"'), encoding="utf-8")
    code, _, err = run(capsys, "assess", "--check", str(f))
    assert code == 3 and "shields[0].name" in err and "math markup" in err


def test_q2_keys_results_by_identity():
    """The q2 code keys by shield index; two shields with equal display names cannot collide
    (the schema also refuses them): checked on the q2 source, cheaply."""
    import inspect

    from thaad.report import q2_shield as questions

    src = inspect.getsource(questions.q2_shield) + inspect.getsource(questions._q2_cost)
    assert 'floor = {"no shield"' not in src and 'res["no shield"]' not in src
    assert "floor = {None:" in src and "res[None]" in src


# --- hostile files ---------------------------------------------------------------------------
def test_deep_nesting_is_refused_not_recursion_error(tmp_path, capsys):
    f = tmp_path / "deep.toml"
    f.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    code, _, err = run(capsys, "assess", "--check", str(f))
    assert code == 3 and "nested too deeply" in err and "internal error" not in err


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_refused(capsys):
    code, _, err = run(capsys, "assess", "--check", "/dev/zero")
    assert code == 2 and "not a regular file" in err


def test_huge_and_binary_files_refused(tmp_path, capsys):
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * (S.MAX_SCENARIO_BYTES + 10))
    code, _, err = run(capsys, "assess", "--check", str(big))
    assert code == 2 and "larger than" in err
    binary = tmp_path / "bin.toml"
    binary.write_bytes(bytes(range(256)) * 4)
    code, _, err = run(capsys, "assess", "--check", str(binary))
    assert code == 2 and "not UTF-8" in err


def test_binary_horizon_file_refused(tmp_path, capsys):
    f = tmp_path / "h.csv"
    f.write_bytes(b"\xff\xfe\x00\x81" * 100)
    code, _, err = run(capsys, "coverage", "--rcs-m2", "1", "--grid-km", "50", "--horizon", str(f))
    assert code == 2 and "horizon" in err and "internal error" not in err


def test_garbage_dem_refused(tmp_path, capsys):
    pytest.importorskip("rasterio")
    f = tmp_path / "dem.tif"
    f.write_bytes(b"II*\x00garbage" * 50)
    code, _, err = run(capsys, "coverage", "--rcs-m2", "1", "--grid-km", "50", "--dem", str(f))
    assert code == 2 and "dem" in err and "internal error" not in err


# --- --check runs every check the run does --------------------------------------------------
def test_unknown_radar_found_by_check(tmp_path, capsys):
    f = tmp_path / "s.toml"
    f.write_text(SMALL.replace('radar = "tpy2"', 'radar = "tpy3"'), encoding="utf-8")
    code, _, err = run(capsys, "assess", "--check", str(f))
    assert code == 3 and "radar.radar" in err and "tpy3" in err
    out = tmp_path / "rep"
    code, _, err = run(capsys, "assess", str(f), "--out", str(out), "--quiet")
    assert code == 2 and not out.exists()  # no empty figures/ and layers/ left behind


def test_whole_globe_fine_coverage_refused(tmp_path):
    text = (SMALL.replace("coverage_km = 100.0", "coverage_km = 2.0").replace("lat_min_deg = 30.0", "lat_min_deg = -90.0")
            .replace("lat_max_deg = 46.0", "lat_max_deg = 90.0").replace("lon_min_deg = 114.0", "lon_min_deg = -180.0")
            .replace("lon_max_deg = 134.0", "lon_max_deg = 180.0"))
    ps = problems(text)
    assert any(p.startswith("grids:") and "grid cells" in p and "coverage_km >=" in p for p in ps), ps


def test_hours_long_footprint_refused():
    # two footprints of ~15,000 aim points x 2,001 draws: 60 million aimed trajectories, hours
    text = (SMALL.replace("footprint_km = 100.0", "footprint_km = 3.0").replace("footprint_samples = 2", "footprint_samples = 2000")
            .replace('launch = ["wonsan"]', 'launch = ["wonsan", "sunan"]'))
    ps = problems(text)
    assert any("footprint_samples" in p and "limit" in p for p in ps), ps


def test_check_reports_estimated_run_time_and_memory(tmp_path, capsys):
    f = tmp_path / "s.toml"
    f.write_text(SMALL, encoding="utf-8")
    code, out, err = run(capsys, "assess", "--check", str(f), "--json")
    assert code == 0, err
    est = strict_json(out)["estimate"]
    assert est["run_s"] > 0 and est["peak_memory_mib"] > 0
    code, out, _ = run(capsys, "assess", "--check", str(f))
    assert "would take about" in out and "MiB" in out


@pytest.mark.parametrize("extra", [["--out", "x"], ["--seed", "3"], ["--pdf"]])
def test_check_with_run_options_refused(tmp_path, capsys, extra):
    code, _, err = run(capsys, "assess", "--check", *extra)
    assert code == 2 and "check" in err and extra[0] in err


def test_check_exit_codes_agree_with_readme(tmp_path, capsys):
    """README: --check exits 3 listing every problem; 2 only when the file cannot be read."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert "3 `--check` found problems in the file (TOML syntax" in readme
    dup = tmp_path / "dup.toml"
    dup.write_text('title = "again"\n' + SMALL, encoding="utf-8")
    code, _, err = run(capsys, "assess", "--check", str(dup))
    assert code == 3 and "TOML" in err
    code, _, err = run(capsys, "assess", "--check", str(tmp_path / "missing.toml"))
    assert code == 2 and "not found" in err

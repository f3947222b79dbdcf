"""The sweep file: the template runs as written, bad files list every problem (exit 2, nothing computed)."""

import json

import pyarrow.parquet as pq
import pytest

from sweep_helpers import run_cli, small_sweep
from thaad.sweep import spec
from thaad.sweep.template import TEMPLATE


def test_template_runs_as_written(tmp_path):
    r = run_cli("sweep", "--template")
    assert r.returncode == 0 and r.stdout == TEMPLATE
    f = tmp_path / "t.toml"
    f.write_text(r.stdout)
    out = tmp_path / "out"
    r = run_cli("sweep", f, "--out", out, "--workers", "0", "--quiet", "--json")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    sw = spec.parse_text(TEMPLATE)
    table = pq.read_table(out / "results.parquet").to_pydict()
    assert len(table["value"]) == summary["cases"] * len(sw.outputs)
    # 4 parameters: baseline + 2 x 4 one-at-a-time + 8 x (4 + 2) Saltelli cases
    assert summary["cases"] == 1 + 8 + 48
    assert (out / "report.html").read_text().count("data:image/png;base64,") == len(sw.outputs)
    assert "http://" not in (out / "report.html").read_text() and "https://" not in (out / "report.html").read_text()


BAD = """
title = "bad"
colour = "red"
[design]
space_filling = "sobol"
samples = 12
[outputs]
names = ["q1.detection_range_km", "q9.happiness"]
places = ["atlantis"]
[[parameters]]
field = "radar.boresight_deg"
low = 300.0
high = 400.0
[[parameters]]
field = "radar.no_such_field"
low = 1.0
high = 2.0
[[parameters]]
field = "estimate.radar.terminal.reported_range_km"
low = 1.0
high = 900.0
"""


def test_bad_sweep_lists_every_problem_and_computes_nothing(tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text(BAD)
    out = tmp_path / "out"
    r = run_cli("sweep", f, "--out", out)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert "colour: unknown key" in r.stderr
    assert "design: sobol needs samples to be a power of 2" in r.stderr
    assert not out.exists()
    # schema passes once the first-pass problems are fixed; then every base-scenario problem is listed
    f.write_text(BAD.replace('colour = "red"\n', "").replace("samples = 12", "samples = 8"))
    r = run_cli("sweep", f, "--out", out)
    assert r.returncode == 2
    for line in ("parameters[0].high: radar.boresight_deg: Input should be less than 360",
                 "parameters[1].field: no field 'no_such_field' at radar",
                 "parameters[2].low: must be in [10, 10000], got 1.0",
                 "outputs.names[1]: unknown output 'q9.happiness'",
                 "outputs.places[0]: unknown place 'atlantis'"):
        assert line in r.stderr, r.stderr
    assert not out.exists()


def test_unset_catalogue_field_needs_a_baseline():
    text = small_sweep().replace("baseline = 0.03\n", "")
    with pytest.raises(spec.SweepError) as err:
        spec.parse_text(text)
    assert any(p.startswith("parameters[1].baseline: the base scenario leaves rcs.warhead_m2 unset") for p in err.value.problems)


def test_check_counts_cases(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text(small_sweep(space="sobol", samples=4))
    r = run_cli("sweep", f, "--check", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["cases"] == 1 + 4 + 4 * (2 + 2)


def test_out_folder_with_other_files_is_refused(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text(small_sweep())
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    r = run_cli("sweep", f, "--out", out, "--workers", "0", "--quiet")
    assert r.returncode == 2 and "--out" in r.stderr
    assert (out / "thesis.tex").read_text() == "precious"

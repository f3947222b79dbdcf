"""Sweep pieces checked against closed forms: designs, Sobol indices, estimate overrides, cache reuse."""

import math

import numpy as np
import pytest

from sweep_helpers import small_sweep
from thaad.sweep import build, design, sensitivity, spec
from thaad.sweep.run import resolve_all, run


def test_saltelli_design_shape_and_ab_columns():
    sw = spec.parse_text(small_sweep(space="sobol", samples=8))
    cases = design.make_cases(sw.spec.design, sw.parameters, list(sw.baselines))
    assert len(cases) == 1 + 4 + 8 * (2 + 2)
    a = {c.point: c.values for c in cases if c.role == "sobol-A"}
    b = {c.point: c.values for c in cases if c.role == "sobol-B"}
    for c in cases:
        if c.role == "sobol-AB":  # A's row with column `param` taken from B's row
            expect = list(a[c.point])
            expect[c.param] = b[c.point][c.param]
            assert list(c.values) == expect


def test_latin_hypercube_is_stratified():
    sw = spec.parse_text(small_sweep(space="lhs", samples=10))
    cases = [c for c in design.make_cases(sw.spec.design, sw.parameters, list(sw.baselines)) if c.role == "lhs"]
    bore = np.array([c.values[0] for c in cases])
    strata = np.floor((bore - 300.0) / 50.0 * 10).astype(int)
    assert sorted(strata) == list(range(10))  # one case in each tenth of [300, 350]
    rcs = np.array([c.values[1] for c in cases])
    assert ((rcs >= 0.01) & (rcs <= 0.1)).all()


def test_sobol_indices_of_a_linear_model_match_closed_form():
    """y = 1 x1 + 2 x2 with independent uniform inputs: S_i = a_i^2 / sum(a^2) = 0.2, 0.8 (first = total)."""
    sw = spec.parse_text(small_sweep(space="sobol", samples=256))
    cases = design.make_cases(sw.spec.design, sw.parameters, list(sw.baselines))
    t = {k: [] for k in ("output", "role", "param", "level", "point", "value", "radar.boresight_deg", "rcs.warhead_m2")}
    for c in cases:
        x1 = (c.values[0] - 300.0) / 50.0
        x2 = (c.values[1] - 0.01) / 0.09
        t["output"].append("y")
        t["role"].append(c.role)
        t["param"].append(sw.parameters[c.param].field if c.param >= 0 else "")
        t["level"].append(c.level)
        t["point"].append(c.point)
        t["value"].append(1.0 * x1 + 2.0 * x2)
        t["radar.boresight_deg"].append(c.values[0])
        t["rcs.warhead_m2"].append(c.values[1])
    ind = sensitivity.sobol(t, sw.parameters, "y", 256)
    assert ind.first == pytest.approx([0.2, 0.8], abs=0.05)
    assert ind.total == pytest.approx([0.2, 0.8], abs=0.05)
    y0, bars = sensitivity.tornado(t, sw.parameters, "y")
    assert [b.param for b in bars] == ["rcs.warhead_m2", "radar.boresight_deg"]  # larger swing first
    assert bars[0].swing == pytest.approx(2.0) and bars[1].swing == pytest.approx(1.0)


def test_reported_range_override_scales_power_as_radar_equation():
    """R^4 proportional to P: overriding the terminal range at 0.1 m^2 to 800 km gives 800 km there and
    800 (0.03/0.1)^(1/4) km for a 0.03 m^2 target."""
    sw = spec.parse_text(small_sweep())
    sc = spec.validate_scenario(sw.base_json)[0]
    r = build.radar(sc, "terminal", {"estimate.radar.terminal.reported_range_km": 800.0})
    assert float(r.detection_range_m(0.1)) == pytest.approx(800e3, abs=1.0)
    assert float(r.detection_range_m(0.03)) == pytest.approx(800e3 * (0.3 ** 0.25), abs=1.0)
    r0 = build.radar(sc, "terminal", {})
    assert r.equation.average_power_w / r0.equation.average_power_w == pytest.approx(
        (800e3 / float(r0.detection_range_m(0.1))) ** 4, rel=1e-9)


def test_same_case_same_hash_and_new_values_compute_only_new_cases(tmp_path, monkeypatch):
    trace = tmp_path / "trace.txt"
    monkeypatch.setenv("THAAD_SWEEP_TRACE", str(trace))
    sw = spec.parse_text(small_sweep(rcs="values = [0.01, 0.03]"))
    cases, payloads = resolve_all(sw)
    assert [p["hash"] for p in payloads] == [p["hash"] for p in resolve_all(sw)[1]]  # stable
    first = run(sw, tmp_path, serial=True)
    assert (first.n_cached, first.n_computed) == (0, 4)  # baseline + boresight low/high + rcs 0.01
    sw2 = spec.parse_text(small_sweep(rcs="values = [0.01, 0.03, 0.1, 0.3]"))
    second = run(sw2, tmp_path, serial=True)
    assert (second.n_cached, second.n_computed) == (4, 2)
    lines = trace.read_text().split("\n")[:-1]
    assert len(lines) == 6 and len({ln.split()[0] for ln in lines}) == 6
    # detection range follows sigma^(1/4) between the cached and the new cases
    r = {p["estimates"].get("x", p["scenario"]["rcs"]["warhead_m2"]): second.results[p["hash"]]["q1.detection_range_km.terminal"]
         for p in resolve_all(sw2)[1] if p["scenario"]["radar"]["boresight_deg"] == 330.0}
    assert r[0.3] / r[0.03] == pytest.approx(10 ** 0.25, rel=1e-9)
    assert math.isfinite(r[0.01])


def test_farthest_detection_is_bounded_by_the_free_space_range():
    """Ground distance to the farthest detectable point: at most the free-space range (plus one 5 km
    step), and for the range-limited terminal mode within 5 % of it (the 5 deg floor costs a little)."""
    from thaad.sweep.evaluate import farthest_km

    sw = spec.parse_text(small_sweep())
    sc = spec.validate_scenario(sw.base_json)[0]
    for rcs in (0.01, 0.1):
        r = build.radar(sc, "terminal", {})
        r_km = float(r.detection_range_m(rcs)) / 1e3
        far = farthest_km(r, rcs)
        assert 0.95 * r_km <= far <= r_km + 5.0


def test_sobol_bootstrap_intervals_cover_the_closed_form():
    sw = spec.parse_text(small_sweep(space="sobol", samples=128))
    cases = design.make_cases(sw.spec.design, sw.parameters, list(sw.baselines))
    t = {k: [] for k in ("output", "role", "param", "level", "point", "value")}
    for c in cases:
        t["output"].append("y")
        t["role"].append(c.role)
        t["param"].append(sw.parameters[c.param].field if c.param >= 0 else "")
        t["level"].append(c.level)
        t["point"].append(c.point)
        t["value"].append((c.values[0] - 300.0) / 50.0 + 2.0 * (c.values[1] - 0.01) / 0.09)
    ind = sensitivity.sobol(t, sw.parameters, "y", 128)
    assert ind.first_ci is not None and ind.total_ci is not None
    for k, expect in enumerate((0.2, 0.8)):
        lo, hi = ind.total_ci[k]
        assert lo - 0.05 <= expect <= hi + 0.05


def test_categorical_site_parameter_moves_coverage_not_the_free_space_range(tmp_path):
    from thaad.sweep.outputs_files import write_outputs

    text = small_sweep(space="lhs", samples=4).replace(
        '[[parameters]]\nfield = "rcs.warhead_m2"\nlow = 0.01\nhigh = 0.1\nbaseline = 0.03\n',
        '[[parameters]]\nfield = "site.place"\nvalues = ["seongju", "pyeongtaek"]\n')
    sw = spec.parse_text(text)
    res = run(sw, tmp_path, serial=True)
    write_outputs(sw, res, tmp_path, report=False)
    import pyarrow.parquet as pq

    t = pq.read_table(tmp_path / "results.parquet").to_pydict()
    by_site = {}
    for site, out, v in zip(t["site.place"], t["output"], t["value"]):
        if out.startswith("q1.detection_range_km.terminal") or out.startswith("q1.covered_area_km2.terminal"):
            by_site.setdefault((site, out.split(".")[1]), set()).add(round(v, 6))
    assert by_site[("seongju", "detection_range_km")] == by_site[("pyeongtaek", "detection_range_km")]
    assert by_site[("seongju", "covered_area_km2")] != by_site[("pyeongtaek", "covered_area_km2")]

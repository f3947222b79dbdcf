"""'What matters most': a small built-in one-at-a-time sweep for ``thaad assess``.

For each question with cheap headline numbers (q1 radar reach, q2 shield cost), the
scenario's headline is recomputed with one assumption at a time moved to the ends of its
public range, the others held, and the assumptions are ranked by how far they move it.
Ranges come from the catalogue's sourced low/high bands where it has them (warhead RCS,
the radar's reported range); boresight, minimum elevation and refraction get stated
engineering ranges.  Runs in-process and serially (about a dozen cases of coverage maps;
the engagement questions, which need fresh flights, are left to ``thaad sweep``).
"""

from __future__ import annotations

from thaad import catalog
from thaad.sweep import outputs as O
from thaad.sweep.design import Case
from thaad.sweep.sensitivity import tornado
from thaad.sweep.spec import Design, Outputs, Parameter, Sweep, SweepFile


def _parameters(sc) -> list[tuple[Parameter, object]]:
    """``(parameter, baseline)`` pairs with the ranges explained in the module docstring."""
    lv = sc.estimate_level
    out = []
    w = catalog.rcs_presets()["warhead"].rcs_m2
    base_w = sc.rcs.warhead_m2 if sc.rcs.warhead_m2 is not None else w.at(lv)
    out.append((Parameter(field="rcs.warhead_m2", label="warhead RCS (m^2, catalogue band)", low=min(w.at("low"), base_w),
                          high=max(w.at("high"), base_w), scale="log"), base_w))
    mode = sc.radar.defence_mode
    q = catalog.find_radar(sc.radar.radar).mode[mode].reported_range_km
    from thaad.sweep import build

    base_r = build.estimate_value(f"estimate.radar.{mode}.reported_range_km", sc)
    out.append((Parameter(field=f"estimate.radar.{mode}.reported_range_km",
                          label=f"{mode}-mode reported range (km, catalogue band)",
                          low=min(q.at("low"), base_r), high=max(q.at("high"), base_r)), base_r))
    b = sc.radar.boresight_deg
    out.append((Parameter(field="radar.boresight_deg", label="boresight (deg, +/- 20)", low=max(b - 20.0, 0.0),
                          high=min(b + 20.0, 359.9)), b))
    el = sc.radar.min_elevation_deg if sc.radar.min_elevation_deg is not None else \
        catalog.find_radar(sc.radar.radar).face["min_el_deg"].nominal
    out.append((Parameter(field="radar.min_elevation_deg", label="minimum elevation (deg, +/- 3)", low=max(el - 3.0, -2.0),
                          high=min(el + 3.0, 60.0)), el))
    k = sc.radar.k_factor
    out.append((Parameter(field="radar.k_factor", label="refraction k (1 = none, 1.6 = strong super-refraction)",
                          low=min(1.0, k), high=max(1.6, k)), k))
    return out


QUESTION_OUTPUTS = {"q1": ["q1.farthest_km", "q1.covered_area_km2"], "q2": ["q2.coverage_lost_pct"]}


def what_matters(sc, questions=("q1", "q2")) -> dict[str, dict]:
    """``{question: {"columns", "rows", "caption"}}``: assumptions ranked by how much they move the headline."""
    from thaad.sweep.evaluate import evaluate_case
    from thaad.sweep.resolve import resolve

    qs = [q for q in questions if q in QUESTION_OUTPUTS and q in sc.questions and (q != "q2" or sc.shields)]
    if not qs:
        return {}
    pairs = _parameters(sc)
    params = [p for p, _ in pairs]
    baselines = [b for _, b in pairs]
    fams = [f for q in qs for f in QUESTION_OUTPUTS[q]]
    data = sc.model_dump(mode="json")
    data["bands"] = False
    outs = tuple(o for o in O.expand(fams, sc, []) if o.mode in (None, sc.radar.defence_mode))
    spec = SweepFile(title="what matters most", design=Design(one_at_a_time=True), outputs=Outputs(names=fams),
                     parameters=params)
    from thaad.sweep.paths import parse_path

    sweep = Sweep(spec, "built-in", data, {}, tuple(() if p.field.startswith("estimate.") else tuple(parse_path(p.field))
                                                   for p in params), tuple(baselines), outs)
    from thaad.sweep.design import one_at_a_time

    cases = [Case(0, tuple(baselines), "baseline")] + [Case(i + 1, v, "oat", param=k, level=lvl) for i, (v, k, lvl)
                                                        in enumerate(one_at_a_time(params, baselines))]
    t = {k: [] for k in ("role", "param", "level", "output", "value", *(p.field for p in params))}
    for c in cases:
        res = evaluate_case(resolve(sweep, c))
        for o in outs:
            t["role"].append(c.role)
            t["param"].append(params[c.param].field if c.param >= 0 else "")
            t["level"].append(c.level)
            t["output"].append(o.name)
            t["value"].append(res[o.name])
            for p, v in zip(params, c.values):
                t[p.field].append(v)
    tables = {}
    for q in qs:
        names = [o for o in outs if o.family in QUESTION_OUTPUTS[q]]
        ranked = {}
        for o in names:
            y0, bars = tornado(t, params, o.name)
            ranked[o.name] = (y0, {b.param: b for b in bars})
        first = names[0].name
        order = sorted(params, key=lambda p: -_swing(ranked[first][1].get(p.field)))
        cols = ["assumption", "range tried"] + [f"{o.name} ({o.unit}; baseline {_f(ranked[o.name][0])})" for o in names]
        rows = []
        for p in order:
            rng = f"{_f(p.low)} – {_f(p.high)}"
            row = [p.name, rng]
            for o in names:
                b = ranked[o.name][1].get(p.field)
                row.append("—" if b is None else f"{_f(b.y_low)} → {_f(b.y_high)}")
            rows.append(row)
        tables[q] = {"columns": cols, "rows": rows,
                     "caption": "What matters most: the headline with one assumption at a time at the ends of its range "
                                f"(others at baseline, {sc.radar.defence_mode} mode, {sc.estimate_level} estimates), "
                                f"ranked by how far it moves {first}. `thaad sweep` runs full sweeps with Sobol indices."}
    return tables


def _swing(b) -> float:
    if b is None:
        return 0.0
    s = b.swing
    return s if s == s and s != float("inf") else 1e300


def _f(x) -> str:
    if x is None:
        return "never"
    if isinstance(x, float):
        return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"
    return str(x)

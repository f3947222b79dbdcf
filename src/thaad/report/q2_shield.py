"""Question 2: what a "shield" (sector blanking, low screen) changes, and what it costs."""

from __future__ import annotations

import numpy as np

from thaad import catalog
from thaad.report import views as P
from thaad.report.maps import rounded, sector_tuples, coverage_figure, covered_area_km2, coverage_features, coverage_raster, floor_change
from thaad.report.model import Section, Table


def q2_shield(ctx) -> Section:
    sc = ctx.scenario
    s = Section("q2", "What does a \"shield\" change, and what does it cost?",
                "What does a shield (sector blanking or a low-elevation screen toward China) change, and what does it cost "
                "the defence against North Korea?")
    site = ctx.site
    for sh in sc.shields:
        secs = "; ".join(f"azimuth {x.az_start_deg:g}-{x.az_end_deg:g} deg clockwise"
                         + (" (whole sector)" if x.el_max_deg >= 90 else f" below {x.el_max_deg:g} deg elevation") for x in sh.sectors)
        s.assumptions.append(f"Shield '{sh.name}': {secs}. {sh.description}")
    s.assumptions += [
        "A blanked sector is treated as perfect: the radar neither transmits nor receives there; sidelobes are ignored.",
        f"The cost to the defence is measured on the North Korean threats of question 3 flown at the {ctx.level} estimates, "
        f"with the radar in {sc.radar.defence_mode} mode and a warhead-sized target.",
    ]
    # geometry that needs no physics module: which reference places lie inside each sector
    places = ctx.report_places()
    az = P.azimuth_deg(site.lat_deg, site.lon_deg, [p.lat_deg for p in places], [p.lon_deg for p in places])
    rows = []
    for i, p in enumerate(places):
        inside = [sh.name for sh in sc.shields if any(((az[i] - x.az_start_deg) % 360.0) <= x.width_deg for x in sh.sectors)]
        rows.append([p.name, p.country, float(round(az[i], 1)), ", ".join(inside) or "none"])
    s.tables.append(Table("q2-azimuths", "Azimuth of each reference place from the radar, and the shields whose sectors cover it",
                          ["place", "country", "azimuth (deg)", "inside the sector of"], rows))
    s.numbers["place_azimuth_deg"] = {p.key: round(float(az[i]), 2) for i, p in enumerate(places)}
    mode_rows, numbers, band_vals, floor_vals = [], {}, {}, {}
    modes = sc.radar.modes
    w = P.rcs_m2(ctx, "warhead", ctx.level)
    t = ctx.progress.task("q2: shield coverage", len(modes) * (1 + len(sc.shields)))
    for mode in modes:
        base = P.coverage(ctx, mode, w, ctx.level)
        t.advance()
        a0 = covered_area_km2(base)
        base_places = np.asarray(P.place_min_alt_km(ctx, mode, w, ctx.level, places), float)
        numbers[mode] = {"none": {"area_km2": rounded(a0, -2)}}
        # keyed by identity (None: no shield, i: the i-th shield), never by display name
        label = {None: "no shield", **{i: sh.name for i, sh in enumerate(sc.shields)}}
        floor = {None: base_places}
        covs = {None: base}
        if ctx.scenario.bands:
            for lv in ("low", "high"):
                wl = P.rcs_m2(ctx, "warhead", lv)
                c0 = P.coverage(ctx, mode, wl, lv)
                b0 = covered_area_km2(c0)
                for j, sh in enumerate(sc.shields):
                    c1 = P.coverage(ctx, mode, wl, lv, sector_tuples(sh))
                    b1 = covered_area_km2(c1)
                    band_vals.setdefault((mode, j), {})[lv] = 100.0 * (b0 - b1) / b0 if b0 else None
                    floor_vals.setdefault((mode, j), {})[lv] = floor_change(c0, c1)[0]
        for j, sh in enumerate(sc.shields):
            cov = P.coverage(ctx, mode, w, ctx.level, sector_tuples(sh))
            t.advance()
            a1 = covered_area_km2(cov)
            pl = np.asarray(P.place_min_alt_km(ctx, mode, w, ctx.level, places, sector_tuples(sh)), float)
            floor[j] = pl
            lost = [p.name for i, p in enumerate(places) if np.isfinite(base_places[i]) and not np.isfinite(pl[i])]
            rise, rise_area = floor_change(base, cov)
            floor_vals.setdefault((mode, j), {})["nominal"] = rise
            numbers[mode][sh.name] = {"area_km2": rounded(a1, -2), "area_lost_km2": rounded(a0 - a1, -2),
                                      "places_lost": lost, "floor_rise_median_km": rounded(rise, 1),
                                      "area_floor_raised_km2": rounded(rise_area, -2)}
            mode_rows.append([mode, sh.name, a0, a1, 100.0 * (a0 - a1) / a0 if a0 else None,
                              f"{rise:,.0f} km over {rise_area:,.0f} km^2" if rise_area else "none", ", ".join(lost) or "none"])
            band_vals.setdefault((mode, j), {})["nominal"] = mode_rows[-1][4]
            covs[j] = cov
            s.rasters.append(coverage_raster(cov, f"shield-{mode}-{sh.name}", f"{mode} mode with {sh.name}"))
            s.features += coverage_features(cov, {"name": f"{mode} with {sh.name}", "mode": mode, "shield": sh.name})
        if mode == modes[-1]:
            names = list(floor)
            s.tables.append(Table(
                "q2-places", f"Lowest altitude (km) at which a warhead-sized object is detectable above each place, "
                f"{mode} mode, without and with each shield ('—' = never)",
                ["place", "country"] + [label[n] for n in names],
                [[p.name, p.country] + [None if not np.isfinite(floor[n][i]) else round(float(floor[n][i]), 1) for n in names]
                 for i, p in enumerate(places)]))
            numbers[mode]["place_floor_km"] = {p.key: {label[n]: rounded(floor[n][i], 1) for n in names}
                                               for i, p in enumerate(places)}
            fig = coverage_figure(ctx, covs, lambda n: f"{mode} mode, {label[n]}", "q2-coverage",
                                   f"Warhead-sized object ({w:g} m^2), {mode} mode: coverage without a "
                                   "shield and with each shield variant (grey wedges: blanked sectors; hatched: low screen).",
                                   shields=dict(enumerate(sc.shields)))
            s.figures.append(fig)
    s.tables.append(Table("q2-area", "Covered area (any altitude) with and without each shield, and how much the shield "
                          "raises the lowest detectable altitude where it still sees (median rise, over the area whose floor "
                          "rises), warhead-sized object",
                          ["mode", "shield", "area without (km^2)", "area with (km^2)", "lost (%)", "floor raised",
                           "reference places no longer seen"], mode_rows))
    s.numbers["coverage"] = numbers
    rows_band = []
    for (m, n), vals in band_vals.items():
        rows_band.append({"label": f"coverage lost at any altitude, {m} mode, {label[n]}", "unit": "%",
                          **{lv: rounded(v, 1) for lv, v in vals.items()}})
        rows_band.append({"label": f"floor raised (median), {m} mode, {label[n]}", "unit": "km",
                          **{lv: rounded(v, 0) for lv, v in floor_vals.get((m, n), {}).items()}})
    s.band = {"rows": rows_band,
              "note": "Share of the covered area (warhead-sized target) that the shield removes at every altitude, and how "
                      "far it raises the lowest detectable altitude where the radar still sees: a low screen removes "
                      "little area but raises the floor. Radar parameters and target cross-section at each estimate level."}
    s.numbers["coverage_lost_percent"] = {f"{m}/{label[n]}": {lv: rounded(v, 1) for lv, v in vals.items()} for (m, n), vals in band_vals.items()}
    s.short_answer = "; ".join(
        f"{r[1]} removes {r[4]:.0f} % of the {r[0]}-mode coverage"
        + ("" if r[5] == "none" else f" and raises the lowest detectable altitude by a median {r[5]}")
        + f" (places lost: {r[6]})"
        for r in mode_rows if r[4] is not None) + "."
    _q2_cost(ctx, s)
    return s


def _q2_cost(ctx, s: Section) -> None:
    """Cost of each shield to the defence: detection and shots against the q3 threats' targets."""
    sc = ctx.scenario
    # keyed by identity (None: no shield, i: the i-th shield), never by display name
    variants = [(None, "no shield", None)] + [(i, sh.name, sh) for i, sh in enumerate(sc.shields)]
    numbers, rows = {}, []
    lost = {i: 0 for i in range(len(sc.shields))}
    lost_targets = {i: [] for i in range(len(sc.shields))}
    n_pairs = 0
    w = P.rcs_m2(ctx, "warhead", ctx.level)
    t = ctx.progress.task("q2: cost to the defence", len(sc.threats_q3) * len(variants))
    for th in sc.threats_q3:
        targets = [catalog.find_place(n) for n in th.targets] or [catalog.find_place("seongju")]
        launch = catalog.find_place(th.launch[0])
        flown = P.fly(ctx, th.missile, launch, targets, th.shape, th.apogee_km, ctx.level)
        res = {}
        for vkey, _, sh in variants:
            res[vkey] = (P.detect(ctx, flown, sc.radar.defence_mode, w, ctx.level, sector_tuples(sh)),
                          P.engage(ctx, flown, ctx.level, sector_tuples(sh)))
            t.advance()
        key = f"{th.name} from {launch.name}"
        numbers[key] = {}
        for i, p in enumerate(targets):
            if not flown.reachable[i]:
                continue
            n_pairs += 1
            row = [th.name, p.name]
            entry = {}
            for vkey, vname, _ in variants:
                det, eng = res[vkey]
                entry[vname] = {"first_detection_t_s": rounded(det.first_t_s[i], 1), "first_detection_alt_km": rounded(det.first_alt_km[i], 1),
                                "shots": int(eng.shots[i])}
                row.append(f"{int(eng.shots[i])}" + ("" if np.isfinite(det.first_t_s[i]) else " (not detected)")
                           + (f", seen at {det.first_t_s[i]:.0f} s" if np.isfinite(det.first_t_s[i]) else ""))
            base = int(res[None][1].shots[i])
            for j in lost:
                d = base - int(res[j][1].shots[i])
                lost[j] += max(d, 0)
                if d > 0:
                    lost_targets[j].append(f"{p.name} ({th.name})")
            numbers[key][p.key] = entry
            rows.append(row)
    s.tables.append(Table("q2-cost", f"Cost to the defence against North Korea ({sc.radar.defence_mode} mode): shot "
                          "opportunities per target, and when the radar first sees the missile (s after launch)",
                          ["threat", "target"] + [v for _, v, _ in variants], rows))
    s.numbers["cost"] = numbers
    names = [sh.name for sh in sc.shields]
    s.numbers["shots_lost"] = {names[k]: {"shots": v, "targets": lost_targets[k], "of_pairs": n_pairs} for k, v in lost.items()}
    cost = "; ".join(f"'{names[k]}' costs {v} shot opportunit{'y' if v == 1 else 'ies'} over {n_pairs} threat-target pairs"
                     + (f" ({', '.join(lost_targets[k])})" if lost_targets[k] else "") for k, v in lost.items())
    s.short_answer = (s.short_answer + " Against North Korea: " + cost + ".").strip()

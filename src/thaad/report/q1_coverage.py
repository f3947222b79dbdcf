"""Question 1: how far into China and North Korea the radar sees."""

from __future__ import annotations

import numpy as np

from thaad.report import views as P
from thaad.report.maps import rounded, coverage_figure, farthest_radial, covered_area_km2, coverage_features, coverage_raster
from thaad.report.model import Section, Table


def _rcs_text(ctx, kind: str) -> str:
    v = getattr(ctx.scenario.rcs, f"{kind}_m2")
    if v is not None:
        return f"{v:g} m^2"
    vals = [P.rcs_m2(ctx, kind, lv) for lv in ("low", "nominal", "high")]
    return f"{vals[1]:g} m^2 (band {vals[0]:g}-{vals[2]:g})"


def q1_coverage(ctx) -> Section:
    sc = ctx.scenario
    s = Section("q1", "How far into China and North Korea does the radar see?",
                f"How far into China and North Korea does the AN/TPY-2 at {ctx.site_label} see, in terminal and in forward-based "
                "mode, for warhead-sized and booster-sized targets? Above each reference place, from what altitude up "
                "is an object visible?")
    site = ctx.site
    kinds = ("warhead", "booster")
    s.assumptions += [
        f"Radar site {site.name} ({site.lat_deg:.4f} N, {site.lon_deg:.4f} E, {site.alt_m:.0f} m), face boresight "
        f"{sc.radar.boresight_deg:g} deg (scenario).",
        f"Line of sight over a smooth WGS84 Earth with refraction through an effective-radius factor k = {sc.radar.k_factor:.3g}; "
        "no terrain mask (mountains near the site would only reduce coverage at the lowest elevations).",
        "Minimum beam elevation "
        + (f"{sc.radar.min_elevation_deg:g} deg (scenario)." if sc.radar.min_elevation_deg is not None else "from the radar catalogue."),
        "Detection means the radar-equation signal-to-noise ratio reaches the catalogue's detection threshold in the "
        "mode's search or dwell; it says nothing about whether the radar is actually pointed or scheduled there.",
        "Band: 'low' combines the radar parameters that shorten the range with the smallest target cross-section, "
        "'high' the opposite; 'nominal' uses the central values.",
    ]
    rcs = {k: {lv: P.rcs_m2(ctx, k, lv) for lv in ctx.levels} for k in kinds}
    s.assumptions.insert(1, f"Target radar cross-sections: warhead-sized {_rcs_text(ctx, 'warhead')}, booster-sized "
                         f"{_rcs_text(ctx, 'booster')}; real cross-sections depend on aspect, shape and frequency.")
    # 1. detection range band per mode and RCS
    rows, ranges = [], {}
    t = ctx.progress.task("q1: detection ranges", len(sc.radar.modes) * len(kinds) * len(ctx.levels))
    for mode in sc.radar.modes:
        for k in kinds:
            vals = {}
            for lv in ctx.levels:
                vals[lv] = P.detection_range_km(ctx, mode, rcs[k][lv], lv)
                t.advance()
            ranges[f"{mode}/{k}"] = vals
            rows.append({"label": f"detection range, {mode} mode, {k}-sized target", "unit": "km",
                         **{lv: rounded(vals.get(lv)) for lv in ("low", "nominal", "high")}})
    s.band = {"rows": rows, "note": "Free-space radar-equation range; the Earth's curvature, the minimum elevation and "
                                    "the face limits then cut it down, as the map and the table below show."}
    s.numbers["detection_range_km"] = {key: {lv: rounded(v, 1) for lv, v in vals.items()} for key, vals in ranges.items()}
    # 2. coverage maps at the headline level
    lv0 = ctx.level
    covs, covs_b = {}, {}
    t = ctx.progress.task("q1: coverage maps", 2 * len(sc.radar.modes))
    for mode in sc.radar.modes:
        covs[mode] = P.coverage(ctx, mode, rcs["warhead"][lv0], lv0)
        t.advance()
        covs_b[mode] = P.coverage(ctx, mode, rcs["booster"][lv0], lv0)
        t.advance()
    s.figures.append(coverage_figure(
        ctx, covs, lambda m: f"{m} mode: warhead-sized target ({rcs['warhead'][lv0]:g} m^2)", "q1-coverage",
        f"Lowest altitude at which a warhead-sized object ({rcs['warhead'][lv0]:g} m^2) is detectable, for each radar "
        f"mode ({lv0} estimates). The orange line encloses where a booster-sized object ({rcs['booster'][lv0]:g} m^2) is "
        "detectable at some altitude. Uncoloured: never detectable (beyond the horizon and range, outside the face).",
        outline=covs_b))
    far = {}
    for mode in sc.radar.modes:
        for k, cov in (("warhead", covs[mode]), ("booster", covs_b[mode])):
            far[f"{mode}/{k}"] = {**farthest_radial(ctx, mode, rcs[k][lv0], lv0),
                                  "area_km2": rounded(covered_area_km2(cov), -2)}
            s.rasters.append(coverage_raster(cov, f"coverage-{mode}-{k}", f"{mode} mode, {k}-sized target"))
            s.features += coverage_features(cov, {"name": f"{mode} mode, {k}-sized", "mode": mode, "target": k,
                                                   "rcs_m2": rcs[k][lv0], "level": lv0})
    s.numbers["farthest_covered"] = far
    # 3. per-place lowest visible altitude, with the band
    places = ctx.report_places()
    per, why = {}, {}
    t = ctx.progress.task("q1: reference places", len(sc.radar.modes) * len(kinds) * len(ctx.levels))
    for mode in sc.radar.modes:
        for k in kinds:
            for lv in ctx.levels:
                alt, binding = P.place_lowest(ctx, mode, rcs[k][lv], lv, places)
                per[(mode, k, lv)] = alt
                if lv == lv0:
                    why[(mode, k)] = binding
                t.advance()
    dist = P.distance_km(site.lat_deg, site.lon_deg, [p.lat_deg for p in places], [p.lon_deg for p in places])
    table_rows, place_numbers = [], {}
    for i, p in enumerate(places):
        ctx.cite_place(p)
        row = [p.name, p.country, float(dist[i])]
        entry = {"distance_km": rounded(dist[i])}
        for mode in sc.radar.modes:
            for k in kinds:
                vals = {lv: per[(mode, k, lv)][i] for lv in ctx.levels}
                entry[f"{mode}/{k}"] = {lv: rounded(v, 1) for lv, v in vals.items()}
                entry[f"{mode}/{k}/limited_by"] = why[(mode, k)][i]
                row.append(_band_text(vals))
        row.append(why[(sc.radar.modes[-1], "warhead")][i])
        place_numbers[p.key] = entry
        table_rows.append(row)
    cols = (["place", "country", "distance (km)"] + [f"{m}, {k}" for m in sc.radar.modes for k in kinds]
            + [f"what limits it ({sc.radar.modes[-1]}, warhead, {lv0})"])
    s.tables.append(Table("q1-places", "Lowest altitude (km) above each place at which an object is detectable: "
                          "nominal (low–high); 'never' = not detectable at any altitude", cols, table_rows))
    s.numbers["places"] = place_numbers
    s.short_answer = _q1_answer(ctx, far, place_numbers, places, ranges)
    s.paragraphs += [
        "The radar sees an object when three things hold: the object is above the radar's horizon (the Earth curves away, "
        "so far objects must be high to be seen), it lies inside the radar face's field of view, and it is close enough "
        "for its echo to stand out from noise (the radar equation: detection range grows with the fourth root of the "
        "radar cross-section). The colours show, for each point, the lowest altitude where all three hold.",
        "Ballistic missiles fly high: a medium-range missile climbs to several hundred kilometres, so a place where the "
        "radar only sees above 300 km is still a place where it could follow many ballistic flights, but not aircraft "
        "or cruise missiles.",
    ]
    for mode in sc.radar.modes:
        s.commands += P.radar_commands(ctx, mode, rcs["warhead"][lv0])
    return s


def _band_text(vals: dict) -> str:
    """'nominal (low–high)' for a table cell; 'never' where nothing is detectable."""
    def f(v):
        return "never" if v is None or not np.isfinite(v) else f"{v:,.0f}"

    nom = vals.get("nominal", next(iter(vals.values())))
    lo, hi = vals.get("low"), vals.get("high")
    if lo is None and hi is None or f(lo) == f(nom) == f(hi):
        return f(nom)
    if "never" in (f(lo), f(hi)):  # say which estimate never sees it, not "never (never–103)"
        return f(nom) + " (" + "; ".join(f"{f(v)} at the {k} estimate" for k, v in (("low", lo), ("high", hi))
                                         if f(v) != f(nom)) + ")"
    return f"{f(nom)} ({f(lo)}–{f(hi)})"


def _q1_answer(ctx, far, place_numbers, places, ranges=None) -> str:
    parts = []
    lv = ctx.level
    for mode in ctx.scenario.radar.modes:
        fw = far.get(f"{mode}/warhead", {})
        fb = far.get(f"{mode}/booster", {})
        rw = (ranges or {}).get(f"{mode}/warhead", {}).get(lv)
        edge = lambda f: " (beyond the edge of the map)" if f.get("beyond_map") else ""  # noqa: E731
        seen = sorted(((place_numbers[p.key][f"{mode}/warhead"].get(lv), p.name) for p in places
                       if p.country == "CN" and place_numbers[p.key][f"{mode}/warhead"].get(lv) is not None))
        parts.append(
            f"In {mode} mode "
            + (f"the radar equation gives a free-space detection range of {rw:,.0f} km for a warhead-sized object, and "
               if rw is not None and np.isfinite(rw) else "")
            + f"the radar detects one over ground points up to about {fw.get('distance_km') or 0:,.0f} km from {ctx.site_label}"
            f"{edge(fw)} (ground distance: the slant range to a target at altitude is longer; a booster-sized object to "
            f"{fb.get('distance_km') or 0:,.0f} km{edge(fb)}); "
            + ("above " + ", ".join(f"{n} ({a:,.0f} km)" for a, n in seen)
               + " a warhead-sized object is visible from the altitude given up." if seen else
               "above none of the Chinese reference cities is a warhead-sized object visible at any altitude."))
    return " ".join(parts)

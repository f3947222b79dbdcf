"""The four questions of the assessment, one function each.

Each ``qN(ctx)`` takes the run context, calls the physics core through
:mod:`thaad.report.physics`, and returns a :class:`Section` with the text, a figure, a
low/nominal/high band, tables, the numbers for report.json and GeoJSON features.
Where a physics capability is missing from this build, the section says so and shows no
numbers that would need it.
"""

from __future__ import annotations

import math

import numpy as np

from thaad import catalog
from thaad.report import figures as F
from thaad.report import physics as P
from thaad.report.layers import filled_contour_features, line_feature
from thaad.report.model import Figure, Missing, Raster, Section, Table

ALT_BANDS_KM = [(0.0, 50.0), (50.0, 100.0), (100.0, 200.0), (200.0, 400.0), (400.0, 1000.0), (1000.0, 5000.0)]
ALT_COLOURS = ["#08306b", "#2171b5", "#6baed6", "#c6dbef", "#fdd0a2", "#fdae6b"]


def _r(x, nd=0):
    return None if x is None or not np.isfinite(x) else round(float(x), nd)


def _sectors(shield) -> list[tuple[float, float, float]]:
    return [(s.az_start_deg, s.az_end_deg, s.el_max_deg) for s in shield.sectors] if shield else []


def _coverage_figure(ctx, covs: dict[str, P.Coverage], title_for, key: str, caption: str,
                     outline: dict[str, P.Coverage] | None = None, shields: dict | None = None) -> Figure:
    """One map panel per entry of ``covs``: lowest detectable altitude, filled contours."""
    g = ctx.scenario.grids
    n = len(covs)
    fig = F.new_figure(6.2 * min(n, 2), 5.6 * math.ceil(n / 2))
    site = ctx.site
    cmap = None
    for i, (name, cov) in enumerate(covs.items()):
        ax = fig.add_subplot(math.ceil(n / 2), min(n, 2), i + 1)
        F.map_axes(fig, g.lon_min_deg, g.lon_max_deg, g.lat_min_deg, g.lat_max_deg, ax=ax)
        levels = [b[0] for b in ALT_BANDS_KM] + [ALT_BANDS_KM[-1][1]]
        z = np.where(np.isfinite(cov.min_alt_km), cov.min_alt_km, np.nan)
        cmap = ax.contourf(cov.lon_deg, cov.lat_deg, z, levels=levels, colors=ALT_COLOURS, alpha=0.75, zorder=2)
        if outline and name in outline:
            o = outline[name]
            ax.contour(o.lon_deg, o.lat_deg, np.isfinite(o.min_alt_km).astype(float), levels=[0.5],
                       colors=[F.PALETTE["booster"]], linewidths=1.4, zorder=3)
        if shields and shields.get(name) is not None:
            _draw_sectors(ax, site, _sectors(shields[name]), 2500.0)
        F.label_points(ax, [(site.lon_deg, site.lat_deg, "Seongju", F.PALETTE["site"], "^", 6)]
                       + [(p.lon_deg, p.lat_deg, p.name, "#333", "o", 2.5) for p in ctx.report_places()
                          if g.lon_min_deg <= p.lon_deg <= g.lon_max_deg and g.lat_min_deg <= p.lat_deg <= g.lat_max_deg])
        ax.set_title(title_for(name), fontsize=10)
    if cmap is not None:
        cb = fig.colorbar(cmap, ax=fig.axes, shrink=0.7, label="lowest detectable altitude (km)")
        cb.ax.tick_params(labelsize=8)
    return Figure(key, caption, fig)


def _draw_sectors(ax, site, sectors, radius_km):
    for az0, az1, el in sectors:
        width = (az1 - az0) % 360.0
        az = az0 + np.linspace(0, width, 60)
        lat, lon = _fan(site, az, radius_km)
        ax.fill(np.r_[site.lon_deg, lon, site.lon_deg], np.r_[site.lat_deg, lat, site.lat_deg],
                color=F.PALETTE["shield"], alpha=0.18 if el >= 90 else 0.1, hatch=None if el >= 90 else "//", zorder=4)
        ax.plot(np.r_[site.lon_deg, lon, site.lon_deg], np.r_[site.lat_deg, lat, site.lat_deg], color=F.PALETTE["shield"], lw=0.8, zorder=4)


def _fan(site, az_deg, radius_km):
    g = P.geo.WGS84.geod()
    az = np.asarray(az_deg, float)
    lon, lat, _ = g.fwd(np.full_like(az, site.lon_deg), np.full_like(az, site.lat_deg), az, np.full_like(az, radius_km * 1000.0))
    return np.asarray(lat), np.asarray(lon)


def _farthest_radial(ctx, mode: str, rcs: float, level: str) -> dict:
    """Farthest ground distance (km) at which an object of ``rcs`` is detectable at some
    altitude, searched along radials every 0.5 deg across the face, every 5 km out to
    6,000 km: it does not depend on the map grid, so no figure comes from a grid edge.
    ``beyond_map`` says whether that point lies outside the scenario's map box."""
    from thaad import geo
    from thaad.radar import lowest_visible_altitude

    r = P.radar(ctx, mode, level)
    site, g = ctx.site, ctx.scenario.grids
    half = min(math.degrees(r.az_half_width_rad), 180.0)
    az = np.radians((math.degrees(r.boresight_az_rad) + np.arange(-half, half + 1e-9, 0.5)) % 360.0)
    d = np.arange(5e3, 6000e3 + 1, 5e3)
    A, D = np.meshgrid(az, d, indexing="ij")
    lat, lon, _ = geo.geodesic_direct(math.radians(site.lat_deg), math.radians(site.lon_deg), A, D)
    seen = np.isfinite(lowest_visible_altitude(r, lat, lon, rcs).lowest_alt_m)
    if not seen.any():
        return {"distance_km": None, "azimuth_deg": None, "beyond_map": False}
    # Among equally far points (a range-limited edge is a circle), take the one nearest the
    # boresight: the face edge itself is a floating-point coin toss for a rounded azimuth.
    far = seen & (D == np.where(seen, D, -1.0).max())
    off = np.abs((A - r.boresight_az_rad + np.pi) % (2 * np.pi) - np.pi)
    i, j = np.unravel_index(np.argmin(np.where(far, off, np.inf)), D.shape)
    la, lo = math.degrees(lat[i, j]), math.degrees(lon[i, j])
    inside = g.lat_min_deg <= la <= g.lat_max_deg and g.lon_min_deg <= lo <= g.lon_max_deg
    return {"distance_km": _r(D[i, j] / 1e3), "azimuth_deg": _r(math.degrees(A[i, j]), 1), "lat_deg": round(la, 2),
            "lon_deg": round(lo, 2), "beyond_map": not inside}


def _covered_area_km2(cov: P.Coverage) -> float:
    dlat = float(np.diff(cov.lat_deg).mean()) if cov.lat_deg.size > 1 else 0.0
    dlon = float(np.diff(cov.lon_deg).mean()) if cov.lon_deg.size > 1 else 0.0
    area = P.cell_area_km2(cov.lat_deg, dlat, dlon)[:, None] * np.ones_like(cov.min_alt_km)
    return float(area[np.isfinite(cov.min_alt_km)].sum())


def _coverage_raster(cov: P.Coverage, key: str, description: str) -> Raster:
    slug = "".join(c if c.isalnum() or c == "-" else "-" for c in key.lower()).strip("-")
    return Raster(slug, f"lowest detectable altitude (km), {description}", cov.lon_deg, cov.lat_deg, cov.min_alt_km,
                  "lowest_detectable_alt_km")


def _floor_change(base: P.Coverage, cov: P.Coverage) -> tuple[float, float]:
    """What a shield does to the floor: median rise (km) of the lowest detectable altitude
    over the cells still covered whose floor it raises, and the area (km^2) of those cells."""
    b, c = base.min_alt_km, cov.min_alt_km
    raised = np.isfinite(b) & np.isfinite(c) & (c > b + 1e-6)
    if not raised.any():
        return 0.0, 0.0
    dlat = float(np.diff(cov.lat_deg).mean()) if cov.lat_deg.size > 1 else 0.0
    dlon = float(np.diff(cov.lon_deg).mean()) if cov.lon_deg.size > 1 else 0.0
    area = P.cell_area_km2(cov.lat_deg, dlat, dlon)[:, None] * np.ones_like(c)
    return float(np.median((c - b)[raised])), float(area[raised].sum())


def _coverage_features(cov: P.Coverage, props: dict) -> list[dict]:
    return filled_contour_features(cov.lon_deg, cov.lat_deg, cov.min_alt_km, ALT_BANDS_KM,
                                   lambda lo, hi: {**props, "layer": "coverage", "alt_min_km": lo, "alt_max_km": hi,
                                                   "name": f"{props.get('name', 'coverage')}: detectable from {lo:g}-{hi:g} km up"})


# ============================================================================================
# Q1: how far the radar sees
# ============================================================================================


def _rcs_text(ctx, kind: str) -> str:
    v = getattr(ctx.scenario.rcs, f"{kind}_m2")
    if v is not None:
        return f"{v:g} m^2"
    vals = [P.rcs_m2(ctx, kind, lv) for lv in ("low", "nominal", "high")]
    return f"{vals[1]:g} m^2 (band {vals[0]:g}-{vals[2]:g})"


def q1_coverage(ctx) -> Section:
    sc = ctx.scenario
    s = Section("q1", "How far into China and North Korea does the radar see?",
                "How far into China and North Korea does the AN/TPY-2 at Seongju see, in terminal and in forward-based "
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
    try:
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
                             **{lv: _r(vals.get(lv)) for lv in ("low", "nominal", "high")}})
        s.band = {"rows": rows, "note": "Free-space radar-equation range; the Earth's curvature, the minimum elevation and "
                                        "the face limits then cut it down, as the map and the table below show."}
        s.numbers["detection_range_km"] = {key: {lv: _r(v, 1) for lv, v in vals.items()} for key, vals in ranges.items()}
        # 2. coverage maps at the headline level
        lv0 = ctx.level
        covs, covs_b = {}, {}
        t = ctx.progress.task("q1: coverage maps", 2 * len(sc.radar.modes))
        for mode in sc.radar.modes:
            covs[mode] = P.coverage(ctx, mode, rcs["warhead"][lv0], lv0)
            t.advance()
            covs_b[mode] = P.coverage(ctx, mode, rcs["booster"][lv0], lv0)
            t.advance()
        s.figures.append(_coverage_figure(
            ctx, covs, lambda m: f"{m} mode: warhead-sized target ({rcs['warhead'][lv0]:g} m^2)", "q1-coverage",
            f"Lowest altitude at which a warhead-sized object ({rcs['warhead'][lv0]:g} m^2) is detectable, for each radar "
            f"mode ({lv0} estimates). The orange line encloses where a booster-sized object ({rcs['booster'][lv0]:g} m^2) is "
            "detectable at some altitude. Uncoloured: never detectable (beyond the horizon and range, outside the face).",
            outline=covs_b))
        far = {}
        for mode in sc.radar.modes:
            for k, cov in (("warhead", covs[mode]), ("booster", covs_b[mode])):
                far[f"{mode}/{k}"] = {**_farthest_radial(ctx, mode, rcs[k][lv0], lv0),
                                      "area_km2": _r(_covered_area_km2(cov), -2)}
                s.rasters.append(_coverage_raster(cov, f"coverage-{mode}-{k}", f"{mode} mode, {k}-sized target"))
                s.features += _coverage_features(cov, {"name": f"{mode} mode, {k}-sized", "mode": mode, "target": k,
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
            entry = {"distance_km": _r(dist[i])}
            for mode in sc.radar.modes:
                for k in kinds:
                    vals = {lv: per[(mode, k, lv)][i] for lv in ctx.levels}
                    entry[f"{mode}/{k}"] = {lv: _r(v, 1) for lv, v in vals.items()}
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
        site_arg = sc.site.place or f"{site.lat_deg},{site.lon_deg}"
        for mode in sc.radar.modes:
            s.commands.append(f"thaad radar-range --radar {sc.radar.radar} --mode {mode} --rcs-m2 {rcs['warhead'][lv0]:g} --json")
            s.commands.append(f"thaad coverage --radar {sc.radar.radar} --mode {mode} --site {site_arg} "
                              f"--boresight-deg {sc.radar.boresight_deg:g} --rcs-m2 {rcs['warhead'][lv0]:g} "
                              f"--grid-km {sc.grids.coverage_km:g} --json")
    except Missing as err:
        s.mark_missing(err)
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
            + f"the radar detects one over ground points up to about {fw.get('distance_km') or 0:,.0f} km from Seongju"
            f"{edge(fw)} (ground distance: the slant range to a target at altitude is longer; a booster-sized object to "
            f"{fb.get('distance_km') or 0:,.0f} km{edge(fb)}); "
            + ("above " + ", ".join(f"{n} ({a:,.0f} km)" for a, n in seen)
               + " a warhead-sized object is visible from the altitude given up." if seen else
               "above none of the Chinese reference cities is a warhead-sized object visible at any altitude."))
    return " ".join(parts)


# ============================================================================================
# Q2: what a shield changes and costs
# ============================================================================================


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
    try:
        mode_rows, numbers, band_vals, floor_vals = [], {}, {}, {}
        modes = sc.radar.modes
        w = P.rcs_m2(ctx, "warhead", ctx.level)
        t = ctx.progress.task("q2: shield coverage", len(modes) * (1 + len(sc.shields)))
        for mode in modes:
            base = P.coverage(ctx, mode, w, ctx.level)
            t.advance()
            a0 = _covered_area_km2(base)
            base_places = np.asarray(P.place_min_alt_km(ctx, mode, w, ctx.level, places), float)
            numbers[mode] = {"none": {"area_km2": _r(a0, -2)}}
            floor = {"no shield": base_places}
            covs = {"no shield": base}
            if ctx.scenario.bands:
                for lv in ("low", "high"):
                    wl = P.rcs_m2(ctx, "warhead", lv)
                    c0 = P.coverage(ctx, mode, wl, lv)
                    b0 = _covered_area_km2(c0)
                    for sh in sc.shields:
                        c1 = P.coverage(ctx, mode, wl, lv, _sectors(sh))
                        b1 = _covered_area_km2(c1)
                        band_vals.setdefault((mode, sh.name), {})[lv] = 100.0 * (b0 - b1) / b0 if b0 else None
                        floor_vals.setdefault((mode, sh.name), {})[lv] = _floor_change(c0, c1)[0]
            for sh in sc.shields:
                cov = P.coverage(ctx, mode, w, ctx.level, _sectors(sh))
                t.advance()
                a1 = _covered_area_km2(cov)
                pl = np.asarray(P.place_min_alt_km(ctx, mode, w, ctx.level, places, _sectors(sh)), float)
                floor[sh.name] = pl
                lost = [p.name for i, p in enumerate(places) if np.isfinite(base_places[i]) and not np.isfinite(pl[i])]
                rise, rise_area = _floor_change(base, cov)
                floor_vals.setdefault((mode, sh.name), {})["nominal"] = rise
                numbers[mode][sh.name] = {"area_km2": _r(a1, -2), "area_lost_km2": _r(a0 - a1, -2),
                                          "places_lost": lost, "floor_rise_median_km": _r(rise, 1),
                                          "area_floor_raised_km2": _r(rise_area, -2)}
                mode_rows.append([mode, sh.name, a0, a1, 100.0 * (a0 - a1) / a0 if a0 else None,
                                  f"{rise:,.0f} km over {rise_area:,.0f} km^2" if rise_area else "none", ", ".join(lost) or "none"])
                band_vals.setdefault((mode, sh.name), {})["nominal"] = mode_rows[-1][4]
                covs[sh.name] = cov
                s.rasters.append(_coverage_raster(cov, f"shield-{mode}-{sh.name}", f"{mode} mode with {sh.name}"))
                s.features += _coverage_features(cov, {"name": f"{mode} with {sh.name}", "mode": mode, "shield": sh.name})
            if mode == modes[-1]:
                names = list(floor)
                s.tables.append(Table(
                    "q2-places", f"Lowest altitude (km) at which a warhead-sized object is detectable above each place, "
                    f"{mode} mode, without and with each shield ('—' = never)",
                    ["place", "country"] + names,
                    [[p.name, p.country] + [None if not np.isfinite(floor[n][i]) else round(float(floor[n][i]), 1) for n in names]
                     for i, p in enumerate(places)]))
                numbers[mode]["place_floor_km"] = {p.key: {n: _r(floor[n][i], 1) for n in names} for i, p in enumerate(places)}
                fig = _coverage_figure(ctx, covs, lambda n: f"{mode} mode, {n}", "q2-coverage",
                                       f"Warhead-sized object ({w:g} m^2), {mode} mode: coverage without a "
                                       "shield and with each shield variant (grey wedges: blanked sectors; hatched: low screen).",
                                       shields={sh.name: sh for sh in sc.shields})
                s.figures.append(fig)
        s.tables.append(Table("q2-area", "Covered area (any altitude) with and without each shield, and how much the shield "
                              "raises the lowest detectable altitude where it still sees (median rise, over the area whose floor "
                              "rises), warhead-sized object",
                              ["mode", "shield", "area without (km^2)", "area with (km^2)", "lost (%)", "floor raised",
                               "reference places no longer seen"], mode_rows))
        s.numbers["coverage"] = numbers
        rows_band = []
        for (m, n), vals in band_vals.items():
            rows_band.append({"label": f"coverage lost at any altitude, {m} mode, {n}", "unit": "%",
                              **{lv: _r(v, 1) for lv, v in vals.items()}})
            rows_band.append({"label": f"floor raised (median), {m} mode, {n}", "unit": "km",
                              **{lv: _r(v, 0) for lv, v in floor_vals.get((m, n), {}).items()}})
        s.band = {"rows": rows_band,
                  "note": "Share of the covered area (warhead-sized target) that the shield removes at every altitude, and how "
                          "far it raises the lowest detectable altitude where the radar still sees: a low screen removes "
                          "little area but raises the floor. Radar parameters and target cross-section at each estimate level."}
        s.numbers["coverage_lost_percent"] = {f"{m}/{n}": {lv: _r(v, 1) for lv, v in vals.items()} for (m, n), vals in band_vals.items()}
        s.short_answer = "; ".join(
            f"{r[1]} removes {r[4]:.0f} % of the {r[0]}-mode coverage"
            + ("" if r[5] == "none" else f" and raises the lowest detectable altitude by a median {r[5]}")
            + f" (places lost: {r[6]})"
            for r in mode_rows if r[4] is not None) + "."
        _q2_cost(ctx, s)
    except Missing as err:
        s.mark_missing(err)
    return s


def _q2_cost(ctx, s: Section) -> None:
    """Cost of each shield to the defence: detection and shots against the q3 threats' targets."""
    sc = ctx.scenario
    variants = [("no shield", None)] + [(sh.name, sh) for sh in sc.shields]
    numbers, rows = {}, []
    lost = {sh.name: 0 for sh in sc.shields}
    lost_targets = {sh.name: [] for sh in sc.shields}
    n_pairs = 0
    w = P.rcs_m2(ctx, "warhead", ctx.level)
    t = ctx.progress.task("q2: cost to the defence", len(sc.threats_q3) * len(variants))
    for th in sc.threats_q3:
        targets = [catalog.find_place(n) for n in th.targets] or [catalog.find_place("seongju")]
        launch = catalog.find_place(th.launch[0])
        flown = P.fly(ctx, th.missile, launch, targets, th.shape, th.apogee_km, ctx.level)
        res = {}
        for vname, sh in variants:
            res[vname] = (P.detect(ctx, flown, sc.radar.defence_mode, w, ctx.level, _sectors(sh)),
                          P.engage(ctx, flown, ctx.level, _sectors(sh)))
            t.advance()
        key = f"{th.name} from {launch.name}"
        numbers[key] = {}
        for i, p in enumerate(targets):
            if not flown.reachable[i]:
                continue
            n_pairs += 1
            row = [th.name, p.name]
            entry = {}
            for vname, _ in variants:
                det, eng = res[vname]
                entry[vname] = {"first_detection_t_s": _r(det.first_t_s[i], 1), "first_detection_alt_km": _r(det.first_alt_km[i], 1),
                                "shots": int(eng.shots[i])}
                row.append(f"{int(eng.shots[i])}" + ("" if np.isfinite(det.first_t_s[i]) else " (not detected)")
                           + (f", seen at {det.first_t_s[i]:.0f} s" if np.isfinite(det.first_t_s[i]) else ""))
            base = int(res["no shield"][1].shots[i])
            for sh in sc.shields:
                d = base - int(res[sh.name][1].shots[i])
                lost[sh.name] += max(d, 0)
                if d > 0:
                    lost_targets[sh.name].append(f"{p.name} ({th.name})")
            numbers[key][p.key] = entry
            rows.append(row)
    s.tables.append(Table("q2-cost", f"Cost to the defence against North Korea ({sc.radar.defence_mode} mode): shot "
                          "opportunities per target, and when the radar first sees the missile (s after launch)",
                          ["threat", "target"] + [v for v, _ in variants], rows))
    s.numbers["cost"] = numbers
    s.numbers["shots_lost"] = {k: {"shots": v, "targets": lost_targets[k], "of_pairs": n_pairs} for k, v in lost.items()}
    cost = "; ".join(f"'{k}' costs {v} shot opportunit{'y' if v == 1 else 'ies'} over {n_pairs} threat-target pairs"
                     + (f" ({', '.join(lost_targets[k])})" if lost_targets[k] else "") for k, v in lost.items())
    s.short_answer = (s.short_answer + " Against North Korea: " + cost + ".").strip()


# ============================================================================================
# Q3: what the battery defends in South Korea
# ============================================================================================


def q3_footprints(ctx) -> Section:
    sc = ctx.scenario
    s = Section("q3", "Which parts of South Korea does the battery defend?",
                "Which parts of South Korea does the battery defend against each North Korean missile class from public "
                "launch areas, with how many shot opportunities, and with what uncertainty?")
    s.assumptions += [
        f"Battery: {sum(l.count for l in sc.launchers)} launchers with {sc.launchers[0].interceptors_each} interceptors each "
        f"at {', '.join(l.resolve().name for l in sc.launchers)}; radar in {sc.radar.defence_mode} mode; single-shot kill "
        "probability " + (f"Pk = {sc.engagement.pk:g} (scenario)" if sc.engagement.pk is not None else "from the catalogue")
        + "; " + ("shoot-look-shoot." if sc.engagement.shoot_look_shoot else "salvo firing."),
        f"Aim points every {sc.grids.footprint_km:g} km over South Korean land (GSHHG shoreline south of the NK-ROK border line); "
        "each is flown from the launch area on the threat's trajectory shape, detected by the radar (warhead-sized target) "
        "and engaged; a point is defended when the battery has at least one shot opportunity.",
        f"Uncertainty: {sc.grids.footprint_samples} Monte Carlo samples (seed {ctx.seed}) draw the launch point within 25 km "
        "of the launch area, the reaction times and Pk within their catalogue bands and the missile's parameters within "
        "its low-high range; the band is the 5th-95th percentile of the defended area (median-unbiased sample quantiles, "
        "Hyndman & Fan 1996), each with its Monte Carlo standard error from the distribution-free order-statistic 95 % "
        "interval (Hahn & Meeker 1991, sec. 5.2) divided by 3.92"
        + ("." if sc.grids.footprint_samples >= 100 else
           f"; with only {sc.grids.footprint_samples} samples the 5th and 95th percentiles are close to the smallest and "
           "largest sample and their errors are large."),
    ]
    for th in sc.threats_q3:
        s.assumptions.append(f"{th.name}: missile '{th.missile}', {th.shape} trajectory"
                             + (f" with apogee {th.apogee_km:g} km" if th.apogee_km else "")
                             + f", launched from {', '.join(catalog.find_place(n).name for n in th.launch)}."
                             + (f" {th.note}" if th.note else ""))
    try:
        results = []
        t = ctx.progress.task("q3: defended footprints", sum(len(th.launch) for th in sc.threats_q3))
        for th in sc.threats_q3:
            for lname in th.launch:
                launch = catalog.find_place(lname)
                ctx.cite_place(launch)
                fp = P.footprint(ctx, th, launch, ctx.level)
                results.append((th, launch, fp))
                t.advance()
        rows, band_rows, numbers, place_rows = [], [], {}, []
        aim_area = results[0][2].aim_area_km2 if results else 0.0
        for th, launch, fp in results:
            key = f"{th.name} from {launch.name}"
            lo, nom, hi = fp.area_km2
            band_rows.append({"label": f"defended area, {key}", "unit": "km^2", "low": _r(lo, -2), "nominal": _r(nom, -2),
                              "high": _r(hi, -2)})
            shots = fp.shots[np.isfinite(fp.shots)]
            se_lo, se_hi = fp.area_se_km2
            numbers[key] = {"area_km2": {"low": _r(lo, -2), "nominal": _r(nom, -2), "high": _r(hi, -2)},
                            "monte_carlo": {"samples": fp.samples,
                                            "low_standard_error_km2": None if se_lo is None else _r(se_lo, -1),
                                            "high_standard_error_km2": None if se_hi is None else _r(se_hi, -1)},
                            "share_of_south_korea": round(nom / fp.aim_area_km2, 3) if fp.aim_area_km2 else None,
                            "threatened_area_km2": _r(fp.threatened_area_km2, -2),
                            "max_shots": int(shots.max()) if shots.size else 0,
                            "places_defended": dict(sorted(fp.places.items())),
                            "places_defended_share_of_samples": {k: round(v, 3) for k, v in sorted(fp.places_fraction.items())}}
            for tgt in th.targets:
                p = catalog.find_place(tgt)
                ctx.cite_place(p)
                place_rows.append([key, p.name, fp.places.get(p.key), round(100 * fp.places_fraction.get(p.key, 0.0))])
            rows.append([key, nom, lo, hi, round(100 * nom / fp.aim_area_km2) if fp.aim_area_km2 else None,
                         int(shots.max()) if shots.size else 0])
            s.features += _footprint_features(fp, {"name": key, "threat": th.name, "launch": launch.name})
        se_text = "; ".join(f"{th.name} from {launch.name}: +/- {fp.area_se_km2[0]:,.0f} / {fp.area_se_km2[1]:,.0f} km^2"
                            for th, launch, fp in results if fp.area_se_km2[0] is not None)
        s.band = {"rows": band_rows, "note": f"low and high: 5th and 95th percentiles over {sc.grids.footprint_samples} Monte "
                  "Carlo samples per threat and launch area; Monte Carlo standard error of low / high: "
                  + (se_text or "none (no samples)") + "."}
        s.tables.append(Table("q3-areas", f"Defended area of South Korea (its land on this grid: {aim_area:,.0f} km^2)",
                              ["threat and launch area", "defended (km^2)", "low", "high", "share of South Korea (%)",
                               "most shot opportunities"], rows))
        s.tables.append(Table("q3-places", "Is the place defended? (nominal estimates; and in what share of the Monte Carlo samples)",
                              ["threat and launch area", "place", "defended", "share of samples (%)"], place_rows))
        s.numbers["footprints"] = numbers
        s.numbers["south_korea_land_km2"] = _r(aim_area, -2)
        s.figures.append(_footprint_figure(ctx, results))
        from thaad.report import q3_raid

        q3_raid.add_population(ctx, s, results)
        q3_raid.add_raid(ctx, s)
        q3_raid.add_shapes(ctx, s)
        if rows:
            best = max(rows, key=lambda r: r[1])
            worst = min(rows, key=lambda r: r[1])
            s.short_answer = (f"Against {best[0]} the battery defends about {best[1]:,.0f} km^2 ({best[4]} % of South Korea; "
                              f"band {best[2]:,.0f}-{best[3]:,.0f}); against {worst[0]} only about {worst[1]:,.0f} km^2 "
                              f"({worst[4]} %). Longer-range missiles come in steeper and faster, which shrinks the footprint.")
        s.paragraphs += [
            "A THAAD battery defends the ground under the missiles it can reach: the interceptor must meet the incoming "
            "warhead between about 40 and 150 km altitude and within about 200 km of its launcher, after the radar has "
            "detected and tracked it and the crew has decided to fire. The footprint is therefore a patch of ground around "
            "and mostly behind the battery as seen from the launch area; places far forward of it are flown over too low or "
            "too early.",
        ]
        for th in sc.threats_q3:
            s.commands.append(f"thaad footprint --battery {sc.engagement.battery} --missile {th.missile} --from {th.launch[0]} "
                              f"--grid-km {sc.grids.footprint_km:g} --samples {sc.grids.footprint_samples} --seed {ctx.seed} --json")
    except Missing as err:
        s.mark_missing(err)
    return s


def _footprint_features(fp: P.Footprint, props: dict) -> list[dict]:
    z = np.where(np.isfinite(fp.shots), fp.shots, np.nan)
    m = int(np.nanmax(z)) if np.isfinite(z).any() else 0
    bands = [(k - 0.5, k + 0.5) for k in range(1, m + 1)]
    return filled_contour_features(fp.lon_deg, fp.lat_deg, z, bands,
                                   lambda lo, hi: {**props, "layer": "footprint", "shots": int(round(lo + 0.5)),
                                                   "name": f"{props['name']}: {int(round(lo + 0.5))} shot(s)"})


def _footprint_figure(ctx, results) -> Figure:
    n = len(results)
    cols = min(n, 3)
    fig = F.new_figure(4.2 * cols, 4.6 * math.ceil(n / cols))
    box = (124.5, 130.2, 33.0, 40.2)
    vmax = max(1, max(int(np.nanmax(fp.shots)) if np.isfinite(fp.shots).any() else 0 for _, _, fp in results))
    from matplotlib.colors import BoundaryNorm, ListedColormap

    greens = F.plt.get_cmap("Greens")
    cmap = ListedColormap([greens(0.35 + 0.6 * k / max(vmax - 1, 1)) for k in range(vmax)])
    norm = BoundaryNorm(np.arange(0.5, vmax + 1.5), cmap.N)
    im = None
    for i, (th, launch, fp) in enumerate(results):
        ax = fig.add_subplot(math.ceil(n / cols), cols, i + 1)
        F.map_axes(fig, *box, ax=ax)
        z = np.ma.masked_where(~np.isfinite(fp.shots) | (fp.shots <= 0), fp.shots)
        im = ax.pcolormesh(fp.lon_deg, fp.lat_deg, z, cmap=cmap, norm=norm, shading="nearest", alpha=0.85, zorder=2)
        if fp.defended_fraction is not None and np.isfinite(fp.defended_fraction).any():
            ax.contour(fp.lon_deg, fp.lat_deg, np.nan_to_num(fp.defended_fraction), levels=[0.5], colors="k",
                       linewidths=0.8, zorder=3)
        F.label_point(ax, ctx.site.lon_deg, ctx.site.lat_deg, "Seongju", marker="^", size=6)
        if box[0] <= launch.lon_deg <= box[1] and box[2] <= launch.lat_deg <= box[3]:
            F.label_point(ax, launch.lon_deg, launch.lat_deg, "launch", color=F.PALETTE["kp"], marker="x", size=6, fontsize=7)
        for tgt in th.targets:
            p = catalog.find_place(tgt)
            ok = fp.places.get(p.key)
            F.label_point(ax, p.lon_deg, p.lat_deg, p.name, color="#1e8449" if ok else "#a93226", size=3, fontsize=6)
        ax.set_title(f"{th.name} from {launch.name}", fontsize=9)
    if im is not None:
        fig.colorbar(im, ax=fig.axes, shrink=0.6, label="shot opportunities", ticks=np.arange(1, vmax + 1))
    return Figure("q3-footprints", "Defended footprints: aim points where the battery has at least one shot opportunity "
                  "(shade: number of opportunities, nominal estimates; black line: defended in half of the Monte Carlo samples). "
                  "Green place names are defended, red are not.", fig)


# ============================================================================================
# Q4: launches toward the United States
# ============================================================================================


def q4_homeland(ctx) -> Section:
    sc = ctx.scenario
    s = Section("q4", "Can it engage missiles aimed at the United States?",
                "Can it engage missiles launched from China toward Guam, Alaska, Hawaii or the continental United States, "
                "or from North Korea toward them? Why or why not, in geometry a reader can follow.")
    site = ctx.site
    s.assumptions += [
        "A ballistic missile's ground track lies close to the great circle from launch point to target (the Earth's "
        "rotation bends it by a few per cent of the range); the interceptor can only reach objects within its maximum "
        "range of the launchers and inside its altitude band.",
    ]
    for th in sc.threats_q4:
        s.assumptions.append(f"{th.name}: missile '{th.missile}', {th.shape} trajectory." + (f" {th.note}" if th.note else ""))
    pairs = []
    for th in sc.threats_q4:
        for ln in th.launch:
            for tg in th.targets:
                pairs.append((th, catalog.find_place(ln), catalog.find_place(tg)))
    # Pure geometry, always available: closest approach of the great-circle path to the site
    geo_rows, numbers, tracks = [], {}, []
    for th, launch, target in pairs:
        ctx.cite_place(launch)
        ctx.cite_place(target)
        lat, lon = P.great_circle_track(launch.lat_deg, launch.lon_deg, target.lat_deg, target.lon_deg)
        d = P.distance_km(site.lat_deg, site.lon_deg, lat, lon)
        rng = float(P.distance_km(launch.lat_deg, launch.lon_deg, [target.lat_deg], [target.lon_deg])[0])
        i = int(np.argmin(d))
        frac = i / (len(d) - 1)
        key = f"{launch.name} -> {target.name}"
        numbers[key] = {"threat": th.name, "missile": th.missile, "range_km": _r(rng),
                        "closest_approach_km": _r(d[i]), "closest_approach_at_fraction_of_range": round(frac, 3)}
        geo_rows.append([th.name, launch.name, target.name, rng, float(d[i]), round(100 * frac)])
        tracks.append((th, launch, target, lat, lon))
        s.features.append(line_feature(lon, lat, None, {"layer": "great-circle", "name": key, "threat": th.name}))
    s.tables.append(Table("q4-geometry", "Closest approach of each launch-to-target great circle to Seongju",
                          ["threat", "from", "to", "range (km)", "closest approach to Seongju (km)", "where (% of range)"], geo_rows))
    s.numbers["great_circle"] = numbers
    env = None
    try:
        env_band = {lv: P.envelope(ctx, lv) for lv in ctx.levels}
        env = env_band[ctx.level] if ctx.level in env_band else next(iter(env_band.values()))
        s.band = {"rows": [{"label": "interceptor maximum range", "unit": "km", **{lv: _r(e.max_range_km) for lv, e in env_band.items()}},
                           {"label": "interceptor maximum intercept altitude", "unit": "km", **{lv: _r(e.max_alt_km) for lv, e in env_band.items()}},
                           {"label": "interceptor minimum intercept altitude", "unit": "km", **{lv: _r(e.min_alt_km) for lv, e in env_band.items()}}]}
        s.numbers["envelope"] = {lv: {"max_range_km": e.max_range_km, "min_alt_km": e.min_alt_km, "max_alt_km": e.max_alt_km}
                                 for lv, e in env_band.items()}
    except Missing as err:
        s.mark_missing(err)
    # Trajectories and engagement
    flown = []
    try:
        eng_rows = []
        groups: dict = {}  # one vectorised aim per (missile, shape): all its launch -> target pairs together
        for th, launch, target, _, _ in tracks:
            groups.setdefault((th.missile, th.shape, th.apogee_km), []).append((th, launch, target))
        t = ctx.progress.task("q4: flights toward the US", len(groups))
        for (missile, shape, apogee), members in groups.items():
            flown_all = P.fly(ctx, missile, [m[1] for m in members], [m[2] for m in members], shape, apogee, ctx.level)
            t.advance()
            try:
                eng = P.engage(ctx, flown_all, ctx.level)
            except Missing as err:
                s.mark_missing(err)
                eng = None
            trajs = flown_all.ts
            for k, (th, launch, target) in enumerate(members):
                key = f"{launch.name} -> {target.name}"
                numbers[key]["reachable"] = bool(flown_all.reachable[k])
                if not flown_all.reachable[k]:
                    eng_rows.append([th.name, launch.name, target.name, None, None, None, None, None,
                                     f"beyond the missile's modelled reach ({flown_all.reason[k] or 'no aim solution'})"])
                    continue
                flown.append((th, launch, target, trajs, k))
                lat = np.degrees(trajs.lat_rad[k])
                lon = np.degrees(trajs.lon_rad[k])
                alt = np.maximum(trajs.alt_m[k] / 1000.0, 0.0)
                ok = np.isfinite(trajs.alt_m[k])
                d = np.full(alt.shape, np.nan)
                d[ok] = P.distance_km(site.lat_deg, site.lon_deg, lat[ok], lon[ok])
                i = int(np.nanargmin(d))
                numbers[key].update({"trajectory_closest_km": _r(d[i]), "altitude_at_closest_km": _r(alt[i]),
                                     "apogee_km": _r(float(trajs.apogee_alt_m[k]) / 1000.0),
                                     "flight_time_s": _r(float(trajs.impact_time_s[k]))})
                s.features.append(line_feature(lon[ok], lat[ok], alt[ok] * 1000.0,
                                               {"layer": "trajectory", "name": key, "threat": th.name},
                                               t_s=trajs.t_s[k][ok]))
                inside_zone, why, d_band = None, "", None
                if env is not None:
                    band = ok & (alt >= env.min_alt_km) & (alt <= env.max_alt_km)
                    d_band = float(np.nanmin(np.where(band, d, np.nan))) if band.any() else None
                    inside_zone = bool(np.any(band & (d <= env.max_range_km)))
                    numbers[key]["closest_in_altitude_band_km"] = _r(d_band)
                    numbers[key]["enters_engagement_zone"] = inside_zone
                    if inside_zone:
                        why = "enters the engagement zone"
                    elif d_band is None:
                        why = f"never inside the {env.min_alt_km:g}-{env.max_alt_km:g} km altitude band"
                    else:
                        why = (f"while in the {env.min_alt_km:g}-{env.max_alt_km:g} km band it stays at least "
                               f"{d_band:,.0f} km from Seongju (reach {env.max_range_km:,.0f} km)")
                engageable = None
                if eng is not None:
                    engageable = bool(eng.engageable[k])
                    numbers[key]["engageable"] = engageable
                    numbers[key]["shots"] = int(eng.shots[k])
                    if inside_zone and not engageable:
                        why += "; but the timeline leaves no shot (detected or reacted too late)"
                eng_rows.append([th.name, launch.name, target.name, float(d[i]), float(alt[i]), d_band, inside_zone,
                                 engageable, why])
        s.tables.insert(0, Table("q4-engage", "Each flight: closest approach of the actual trajectory to Seongju, whether it "
                                 "enters the interceptor's engagement zone (range and altitude band), and whether the full "
                                 "engagement timeline (radar detection, reaction, flyout) gives a shot",
                                 ["threat", "from", "to", "closest to Seongju (km)", "altitude there (km)",
                                  "closest while in the altitude band (km)", "enters engagement zone", "engageable", "why"],
                                 eng_rows))
    except Missing as err:
        s.mark_missing(err)
    s.figures.append(_q4_map(ctx, tracks, env, flown))
    if flown:
        s.figures.append(_q4_profile(ctx, flown, env))
    close = [r for r in geo_rows if env is not None and r[4] <= env.max_range_km]
    if env is not None:
        keys = [f"{l.name} -> {tg.name}" for th, l, tg, _, _ in flown]
        n_zone = sum(1 for k in keys if numbers[k].get("enters_engagement_zone"))
        n_eng = sum(1 for k in keys if numbers[k].get("engageable"))
        in_band = [numbers[k].get("closest_in_altitude_band_km") for k in keys]
        in_band = [x for x in in_band if x is not None]
        over = [(numbers[k]["trajectory_closest_km"], numbers[k]["altitude_at_closest_km"], k) for k in keys
                if numbers[k].get("trajectory_closest_km") is not None and numbers[k]["trajectory_closest_km"] <= env.max_range_km]
        engaged_known = any("engageable" in numbers[k] for k in keys)
        text = ((("None" if n_eng == 0 else str(n_eng)) + f" of the {len(flown)} modelled flights can be engaged from Seongju"
                 if engaged_known else f"Of the {len(flown)} modelled flights, {n_zone} come within the interceptor's reach")
                if flown else
                f"Of {len(geo_rows)} launch-to-target paths, {len(close)} pass within the interceptor's "
                f"{env.max_range_km:,.0f} km reach of Seongju")
        if flown:
            text += (f" ({n_zone} enter the interceptor's {env.min_alt_km:g}-{env.max_alt_km:g} km altitude band within "
                     f"{env.max_range_km:,.0f} km of it)")
            if in_band:
                text += (f". While inside that altitude band the missiles stay at least {min(in_band):,.0f} km from Seongju, "
                         "because they are in it only just after launch and just before impact")
            if over:
                text += ("; the flights that do pass within reach are far too high: "
                         + ", ".join(f"{k} at {a:,.0f} km altitude, {d:,.0f} km away" for d, a, k in sorted(over)))
        s.short_answer = text + "."
    else:
        s.short_answer = (f"Geometry only: the closest any of the {len(geo_rows)} launch-to-target great circles comes to Seongju is "
                          f"{min(r[4] for r in geo_rows):,.0f} km." if geo_rows else "")
    s.paragraphs.append(
        "Missiles flying from China or North Korea toward the United States head north-east or east, away from the "
        "peninsula; the table gives how close each path comes to Seongju. A THAAD interceptor reaches only about a couple "
        "of hundred kilometres from its launcher, and only between its minimum and maximum intercept altitudes, so a path "
        "that stays farther away, or passes overhead far above the band, cannot be engaged from Seongju.")
    return s


def _unwrap(lon):
    lon = np.asarray(lon, float)
    return np.where(lon < 0, lon + 360.0, lon)


def _breaks(lon, lat):
    """Insert NaN where a track jumps across the map edge (|dlon| > 180), so no line crosses the map."""
    lon = np.asarray(lon, float)
    lat = np.asarray(lat, float)
    jump = np.flatnonzero(np.abs(np.diff(lon)) > 180.0) + 1
    return np.insert(lon, jump, np.nan), np.insert(lat, jump, np.nan)


def _world_coastlines(ax, box) -> None:
    """Coastlines in the 0-360 deg E frame of the routes map, each line broken where it
    jumps across the frame's seam (so nothing is drawn across the map)."""
    if not F.has_basemap():
        return
    from matplotlib.collections import LineCollection

    from thaad import mapdata

    pieces = []
    for line in mapdata.coastlines(-180.0, 180.0, box[2], box[3], resolution="l"):
        lon = np.mod(line[:, 0], 360.0)
        cut = np.flatnonzero(np.abs(np.diff(lon)) > 180.0) + 1
        for a, b in zip(np.r_[0, cut], np.r_[cut, len(lon)]):
            if b - a > 1:
                pieces.append(np.column_stack([lon[a:b], line[a:b, 1]]))
    ax.add_collection(LineCollection(pieces, colors="#888888", linewidths=0.4, zorder=1))


def _q4_map(ctx, tracks, env, flown=()) -> Figure:
    """Left: the whole routes (great circles, 0-360 E); right: the Korean end of the actual
    trajectories, thick where they are inside the interceptor's altitude band, with its reach."""
    fig = F.new_figure(12.0, 5.4)
    site = ctx.site
    lons = np.concatenate([_unwrap(t[4]) for t in tracks] + [[site.lon_deg]]) if tracks else np.array([site.lon_deg])
    lats = np.concatenate([t[3] for t in tracks] + [[site.lat_deg]]) if tracks else np.array([site.lat_deg])
    box = (max(0.0, lons.min() - 5), min(360.0, lons.max() + 5), max(-80.0, lats.min() - 5), min(88.0, lats.max() + 3))
    gs = fig.add_gridspec(1, 2, width_ratios=[1.6, 1.0])
    ax = fig.add_subplot(gs[0, 0])
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])
    ax.set_xlabel("longitude (deg E, 0-360)")
    ax.set_ylabel("latitude (deg N)")
    ax.grid(True, lw=0.3, alpha=0.5)
    colours = {"CN": F.PALETTE["cn"], "KP": F.PALETTE["kp"]}
    for th, launch, target, lat, lon in tracks:
        ax.plot(*_breaks(_unwrap(lon), lat), color=colours.get(launch.country, "#555"), lw=1.0, alpha=0.8)
        F.label_point(ax, _unwrap(target.lon_deg), target.lat_deg, target.name, size=3, fontsize=7)
    F.label_point(ax, site.lon_deg, site.lat_deg, "Seongju", marker="^", size=6)
    _world_coastlines(ax, box)
    ax.set_title("Routes (great circles): red from China, purple from North Korea", fontsize=9)
    zoom = (116.0, 140.0, 30.0, 46.0)
    ax.add_patch(F.plt.Rectangle((zoom[0], zoom[2]), zoom[1] - zoom[0], zoom[3] - zoom[2], fill=False, lw=0.8, ls="--"))
    az = fig.add_subplot(gs[0, 1])
    F.map_axes(fig, *zoom, ax=az)
    if flown:
        for th, launch, target, trajs, k in flown:
            lat = np.degrees(trajs.lat_rad[k])
            lon = np.degrees(trajs.lon_rad[k])
            alt = trajs.alt_m[k] / 1000.0
            c = colours.get(launch.country, "#555")
            az.plot(*_breaks(lon, lat), color=c, lw=0.8, alpha=0.7)
            if env is not None:
                inband = np.where((alt >= env.min_alt_km) & (alt <= env.max_alt_km), lat, np.nan)
                az.plot(*_breaks(lon, inband), color=c, lw=3.0, alpha=0.9, solid_capstyle="butt")
    else:
        for th, launch, target, lat, lon in tracks:
            az.plot(*_breaks(lon, lat), color=colours.get(launch.country, "#555"), lw=0.8, alpha=0.7)
    seen = set()
    for th, launch, target, lat, lon in tracks:
        if launch.key not in seen:
            seen.add(launch.key)
            F.label_point(az, launch.lon_deg, launch.lat_deg, launch.name, color=colours.get(launch.country, "#555"), size=3, fontsize=6)
    F.label_point(az, site.lon_deg, site.lat_deg, "Seongju", marker="^", size=6)
    if env is not None:
        lat_c, lon_c = _fan(site, np.linspace(0, 360, 181), env.max_range_km)
        az.fill(lon_c, lat_c, color="#1e8449", alpha=0.35, zorder=5, label=f"interceptor reach ({env.max_range_km:,.0f} km)")
        az.plot([], [], color="#555", lw=3, label=f"inside {env.min_alt_km:g}-{env.max_alt_km:g} km altitude")
        az.legend(loc="lower right", fontsize=7)
    az.set_title("Near Korea: " + ("ground tracks of the flown trajectories" if flown else "great circles"), fontsize=9)
    cap = ("Left: the routes from the launch areas to US targets (great circles; the Earth's rotation bends actual ground "
           "tracks slightly). Right: the Korean end; "
           + ("ground tracks of the modelled trajectories, drawn thick where the missile is inside the interceptor's altitude "
              "band, and the green disc that a THAAD interceptor can reach from Seongju. A flight is only engageable where a "
              "thick segment crosses the disc." if env is not None and flown else
              "the interceptor's reach is not drawn because the interceptor or flight model is not available in this build."))
    return Figure("q4-map", cap, fig)


def _q4_profile(ctx, flown, env) -> Figure:
    fig = F.new_figure(9.0, 4.8)
    ax = fig.add_subplot(1, 1, 1)
    ax.set_prop_cycle(color=[F.plt.get_cmap("tab20")(i % 20) for i in range(len(flown))])
    site = ctx.site
    for th, launch, target, trajs, k in flown:
        lat = np.degrees(trajs.lat_rad[k])
        lon = np.degrees(trajs.lon_rad[k])
        alt = trajs.alt_m[k] / 1000.0
        ok = np.isfinite(alt)
        d = P.distance_km(site.lat_deg, site.lon_deg, lat[ok], lon[ok])
        ax.plot(d, alt[ok], lw=1.2, label=f"{launch.name} -> {target.name}")
    if env is not None:
        ax.add_patch(F.plt.Rectangle((0, env.min_alt_km), env.max_range_km, env.max_alt_km - env.min_alt_km,
                                     color="#1e8449", alpha=0.3, label="THAAD engagement zone"))
    ax.set_xscale("symlog", linthresh=500)
    ax.set_xlabel("ground distance from Seongju (km)")
    ax.set_ylabel("altitude (km)")
    ax.legend(fontsize=7, ncol=2)
    ax.grid(True, lw=0.3)
    return Figure("q4-profile", "Each trajectory as altitude against its ground distance from Seongju. A flight can only be "
                  "engaged where its curve enters the green engagement zone.", fig)


def q5_tracking(ctx) -> Section:
    from thaad.report.q5_tracking import q5_tracking as q5

    return q5(ctx)


QUESTIONS = {"q1": q1_coverage, "q2": q2_shield, "q3": q3_footprints, "q4": q4_homeland, "q5": q5_tracking}

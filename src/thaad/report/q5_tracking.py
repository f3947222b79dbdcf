"""Question 5: can the radar see and track Chinese missiles, what does it add to the other
radars, what would turning or moving it change, and how do the public claims fare?

Assembles the section from :mod:`q5_flights` (timelines), :mod:`q5_sweep` (boresight
sweep, limits and screens) and :mod:`q5_claims` (claims table).
"""

from __future__ import annotations

import math

import numpy as np

from thaad import catalog
from thaad.report import figures as F
from thaad.report import q5_claims, q5_flights, q5_sweep
from thaad.report.model import Figure, Section, Table

OBJ_COLOURS = {"booster": "#bbbbbb", "bus": "#f0a04b", "warhead": "#1f4e9c"}
SHORT = {q5_flights.FBM: "Seongju FBM", q5_flights.TERM: "Seongju terminal", "shariki": "Shariki", "kyogamisaki": "Kyogamisaki",
         "cobra-dane": "Cobra Dane", "clear": "Clear", "beale": "Beale", "sbx": "SBX"}


def _r(x, nd=0):
    return None if x is None or not np.isfinite(x) else round(float(x), nd)


def timeline_figure(flights, net, level) -> Figure:
    """One bar per radar per flight: when each radar sees the booster, bus and warhead."""
    keys = [k for k, _ in net.stations[level]]
    idx = [i for i in range(len(flights.pairs)) if flights.reachable[i]]
    n_rows = len(idx) * (len(keys) + 1)
    fig = F.new_figure(10.0, max(4.0, 0.105 * n_rows + 1.2))
    ax = fig.add_subplot(1, 1, 1)
    y, yticks, ylabels = 0, [], []
    for i in idx:
        ax.text(0.005, y - 0.2, flights.labels[i], fontsize=7, weight="bold", va="bottom",
                transform=ax.get_yaxis_transform())
        y += 1
        for k in keys:
            for obj, col in OBJ_COLOURS.items():
                tr = net.track(level, k, obj)
                v = tr.visible[i]
                t = flights.ts.t_s[i]
                edges = np.flatnonzero(np.diff(np.r_[0, v.astype(int), 0]))
                spans = [(t[a], t[b - 1] - t[a]) for a, b in zip(edges[::2], edges[1::2]) if b - 1 > a]
                if spans:
                    ax.broken_barh(spans, (y - 0.35, 0.7), facecolors=col, edgecolor="none", alpha=0.95 if obj == "warhead" else 0.8)
            yticks.append(y)
            ylabels.append(SHORT.get(k, k))
            y += 1
        ax.plot([flights.ts.impact_time_s[i]] * 2, [y - len(keys) - 0.5, y - 0.5], color="#c0392b", lw=0.8)
    ax.set_yticks(yticks)
    ax.set_yticklabels(ylabels, fontsize=5.5)
    ax.set_ylim(y, -1)
    ax.set_xlabel("time after launch (s)")
    ax.grid(True, axis="x", lw=0.3)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Patch(color=col, label=obj) for obj, col in OBJ_COLOURS.items()]
    handles.append(Line2D([], [], color="#c0392b", lw=0.8, label="impact"))
    ax.legend(handles=handles, fontsize=7, loc="lower right")
    cap = ("When each radar sees each object of each modelled flight (bars: time after launch during which the object is "
           "detectable; grey booster, orange post-boost bus, blue warhead; red tick: impact). Radar cross-sections depend on "
           f"the viewing aspect; {level} estimates. Seongju is shown in forward-based (FBM) and in terminal mode.")
    return Figure("q5-timeline", cap, fig)


def _model_numbers(ctx, flights, net, rows, sw, limits) -> dict:
    """The quantities the claims map to (see data/claims.toml ``maps_to``)."""
    from thaad.radar import RadarSite, lowest_visible_altitude  # noqa: F401
    from thaad.report import physics as P

    lv = ctx.level
    ok = [r for r in rows if r["reachable"]]
    icbm = [r for r, i in zip(rows, flights.icbm) if i and r["reachable"]]
    cn = q5_sweep.country_area_km2("CN")
    sc_fbm = sw["areas"]
    bores = sw["boresights_deg"]
    i0 = int(np.argmin(np.abs((bores - ctx.scenario.radar.boresight_deg + 180) % 360 - 180)))
    m = {
        "n_flights": len(ok), "n_icbm": len(icbm),
        "cn_fraction_fbm_booster": float(sc_fbm[("scenario", "forward-based", "booster", "CN")][i0]) / cn,
        "cn_fraction_fbm_warhead": float(sc_fbm[("scenario", "forward-based", "warhead", "CN")][i0]) / cn,
        "cn_fraction_fbm_booster_best": float(sc_fbm[("scenario", "forward-based", "booster", "CN")].max()) / cn,
        "fbm_warhead_tracks": sum(1 for r in ok if (r["fbm_track_s"] or 0) > 0),
        "terminal_warhead_tracks": sum(1 for r in ok if (r["terminal_track_s"] or 0) > 0),
        "terminal_icbm_tracks": sum(1 for r in icbm if (r["terminal_track_s"] or 0) > 0),
        "terminal_icbm_max_track_s": max([r["terminal_track_s"] or 0 for r in icbm], default=0),
        "japan_icbm_tracks": sum(1 for r in icbm if (r["japan_track_s"] or 0) > 0),
        "lead_over_alaska_s": [r["lead_over_alaska_s"] for r in icbm if isinstance(r["lead_over_alaska_s"], (int, float))],
        "exclusive_over_japan_s": [r["exclusive_over_japan_s"] for r in ok if r["exclusive_over_japan_s"] is not None],
    }
    levels = ("low", "nominal", "high")
    band = lambda f: tuple(f(x) for x in levels)  # noqa: E731
    wr = {x: P.rcs_m2(ctx, "warhead", x) for x in levels}
    m["fbm_range_ref_km"] = band(lambda x: P.detection_range_km(ctx, "forward-based", 0.1, x))
    m["fbm_range_warhead_km"] = band(lambda x: P.detection_range_km(ctx, "forward-based", wr[x], x))
    m["terminal_range_warhead_km"] = band(lambda x: P.detection_range_km(ctx, "terminal", wr[x], x))
    m["terminal_range_ref_km"] = P.detection_range_km(ctx, "terminal", 0.1, lv)
    radar = q5_flights.seongju_station(ctx, "terminal", lv).faces[0]
    places = [catalog.find_place("beijing"), catalog.find_place("dalian")]
    low = lowest_visible_altitude(radar, np.radians([p.lat_deg for p in places]), np.radians([p.lon_deg for p in places]),
                                  P.rcs_m2(ctx, "booster", lv))
    m["terminal_booster_floor_beijing_km"], m["terminal_booster_floor_dalian_km"] = (_r(a / 1e3) for a in low.lowest_alt_m)
    # farthest Chinese cell where a booster is detectable (forward-based)
    la, lo, _ = q5_sweep._cells("CN")
    fb = q5_flights.seongju_station(ctx, "forward-based", lv).faces[0]
    lw = lowest_visible_altitude(fb, la, lo, P.rcs_m2(ctx, "booster", lv))
    seen = np.isfinite(lw.lowest_alt_m)
    m["cn_farthest_fbm_booster_km"] = float(lw.ground_range_m[seen].max() / 1e3) if seen.any() else 0.0
    q3 = ctx.cache.get("sections", {}).get("q3")
    if q3 is not None and q3.numbers.get("footprints"):
        m["q3_share"] = {k: v["share_of_south_korea"] for k, v in q3.numbers["footprints"].items()
                         if v.get("share_of_south_korea") is not None}
    ew = [r for r in ok if "east" in r["threat"].lower()]
    if ew:
        m["east_west"] = {"aspect_deg": ew[0]["fbm_aspect_deg"], "track_s": ew[0]["fbm_track_s"]}
    return m


def _fmt(x, unit=" s"):
    return "never" if x is None else (x if isinstance(x, str) else f"{x:,.0f}{unit}")


def q5_tracking(ctx) -> Section:
    sc = ctx.scenario
    s = Section("q5", "Can the radar see and track Chinese missiles, and what does it add?",
                "China's objection is not that THAAD could intercept its missiles but that its radar can see and track them "
                "and feed US homeland defence. For Chinese ICBM and IRBM launch areas, flown toward the United States and "
                "Guam: does the radar at Seongju detect the booster, the post-boost bus and the warhead, when, for how long, "
                "and what does it add to the other radars of the region? What would turning or moving it change, and how do "
                "the public claims of both sides compare with the model?")
    lv = ctx.level
    t = ctx.progress.task("q5: flights, radar network, sweep", 4)
    flights = q5_flights.fly(ctx)
    t.advance()
    net = q5_flights.network(ctx, flights)
    t.advance()
    rows = {x: q5_flights.seongju_vs_japan(ctx, flights, net, x) for x in ctx.levels}
    main = rows[lv]
    station_fn = lambda mode, place: q5_flights.seongju_station(ctx, mode, lv, site=place)  # noqa: E731
    sw = q5_sweep.sweep(ctx, station_fn)
    limits, limit_numbers = q5_sweep.limits_table(ctx, station_fn)
    t.advance()
    s.assumptions += [
        "Flights: each q5 threat of the scenario from every launch area to every target, minimum-energy unless stated; the "
        "missile stands for a class able to fly the route, not a claim about what is based where.",
        "Launch areas are approximate centres (town or silo-field centres from public sources, listed at the end).",
        "Radar cross-section depends on the aspect (nose-on, broadside, tail-on) and on the object (booster, bus, warhead) "
        "with bands from public estimates; radars in other bands (UHF, L) scale it by a band factor (estimate).",
        "Other radars: positions are public, their face directions mostly are not (estimates, listed at the end); each radar "
        "is assumed to be looking in its estimated direction all the time. No scheduling, cueing, clutter or jamming.",
        "Seongju is modelled in both modes; forward-based mode is a reconfiguration reported to take hours and is not the "
        "battery's stated configuration.",
        "Area of China and North Korea: map masks built from the shipped shorelines and border lines on a 0.2 deg grid "
        "(within a few per cent of the published areas).",
    ]
    # --- per-flight Seongju table (forward-based, warhead), with the band
    table_rows = []
    for i, r in enumerate(main):
        if not r["reachable"]:
            table_rows.append([r["flight"], None, "beyond the missile's modelled reach", None, None, None, None, None, None, None])
            continue
        band = {x: rows[x][i]["fbm_track_s"] for x in ctx.levels}
        mar = {x: rows[x][i]["exclusive_over_japan_s"] for x in ctx.levels}
        bt = lambda d: (f"{d.get(lv) or 0:,.0f}" + (f" ({d.get('low') or 0:,.0f}-{d.get('high') or 0:,.0f})"  # noqa: E731
                                                     if "low" in d else ""))
        table_rows.append([r["flight"], r["flight_time_s"], "yes" if (r["fbm_track_s"] or 0) > 0 else "no",
                           _fmt(r["fbm_first_s"]), r["fbm_phase"] or "-", bt(band),
                           f"{_fmt(r['fbm_range_km'], ' km')} / {_fmt(r['fbm_elevation_deg'], ' deg') if r['fbm_elevation_deg'] is not None else '-'}",
                           _fmt(r["fbm_aspect_deg"], " deg"), bt(mar), _fmt(r["lead_over_japan_s"])])
    s.tables.append(Table("q5-seongju", "Forward-based Seongju and a warhead (RCS by aspect): does it track it, from when, for how "
                          "long, and its margin over the two Japanese AN/TPY-2s (track time no Japanese radar has; lead of its "
                          f"first detection). Nominal ({lv}) with the low-high band in brackets",
                          ["flight", "flight time (s)", "Seongju track", "first seen (s after launch)", "phase",
                           "track (s)", "range / elevation at first", "aspect at first (180 = tail-on)",
                           "margin over Japan (s)", "lead over Japan (s)"], table_rows))
    # --- network table: who sees first, what Seongju adds
    net_rows = []
    for r in main:
        if r["reachable"]:
            net_rows.append([r["flight"], SHORT.get(r["first_radar"], r["first_radar"] or "none"), _fmt(r["terminal_track_s"]),
                             _fmt(r["japan_track_s"]), _fmt(r["exclusive_over_all_s"]), "yes" if r["seongju_only"] else "no",
                             _fmt(r["lead_over_alaska_s"])])
    s.tables.append(Table("q5-network", "The whole network, warhead: which radar sees it first, Seongju's track in terminal mode, "
                          "the best Japanese track, the warhead track time only forward-based Seongju has (no other radar sees it "
                          "then), whether Seongju is the only radar with a warhead track, and its lead over the Alaska radars",
                          ["flight", "first radar", "Seongju terminal track (s)", "best Japanese track (s)",
                           "Seongju-only track (s)", "only Seongju", "lead over Cobra Dane / Clear (s)"], net_rows))
    s.figures.append(timeline_figure(flights, net, lv))
    s.figures.append(q5_sweep.sweep_figure(ctx, sw))
    s.tables.append(limits)
    sweep_nums = q5_sweep.sweep_numbers(ctx, sw)
    s.tables.append(Table("q5-verify", "What an observer could check on site, and what is software only",
                          ["measure", "physically verifiable?", "what it does"], [
                              ["fixed face direction (trailer orientation)", "yes: visible on site and in imagery",
                               "sets which 120 deg sector is watched; turning it takes a crew, not a keystroke"],
                              ["low-elevation screen or berm", "yes: a structure that can be inspected",
                               "raises the lowest altitude seen in its sector; does not stop looking up"],
                              ["minimum beam elevation", "partly: the face tilt is visible, beam steering is electronic",
                               "raises the floor everywhere"],
                              ["sector blanking, scan limits, mode (terminal / forward-based)", "no: software settings",
                               "can be changed without anyone outside noticing; only procedures and trust verify them"]]))
    t.advance()
    m = _model_numbers(ctx, flights, net, main, sw, limit_numbers)
    claims_table, claims = q5_claims.claims_table(m)
    s.tables.append(claims_table)
    # --- numbers and the short answer
    s.numbers.update({"flights": {x: rows[x] for x in ctx.levels}, "sweep": sweep_nums, "limits": limit_numbers,
                      "claims": claims, "model": {k: v for k, v in m.items() if not isinstance(v, dict) or k == "q3_share"}})
    ok = [r for r in main if r["reachable"]]
    tracked = [r for r in ok if (r["fbm_track_s"] or 0) > 0]
    by_launch: dict = {}
    for r in ok:
        by_launch.setdefault(r["launch"], []).append(r)
    parts = []
    for key, rs in by_launch.items():
        best = max(rs, key=lambda r: r["fbm_track_s"] or 0)
        name = catalog.find_place(key).name.split(" (")[0]
        if (best["fbm_track_s"] or 0) > 0:
            parts.append(f"{name} {best['fbm_track_s']:,.0f} s (margin over Japan {best['exclusive_over_japan_s'] or 0:,.0f} s)")
        else:
            parts.append(f"{name}: no track")
    s.numbers["per_launch_area"] = {k: {"fbm_track_s": max(r["fbm_track_s"] or 0 for r in rs),
                                        "margin_over_japan_s": max(r["exclusive_over_japan_s"] or 0 for r in rs)}
                                    for k, rs in by_launch.items()}
    n_term = sum(1 for r in ok if (r["terminal_track_s"] or 0) > 0)
    fbm_sweep = sweep_nums.get("scenario/forward-based", {})
    moot = fbm_sweep.get("boresights_without_china_warhead_deg", [])
    kp_best, kp_tot = fbm_sweep.get("north_korea_warhead_km2_best_of_those") or 0.0, sweep_nums["north_korea_area_km2"]
    s.short_answer = (
        f"In terminal mode (the battery's configuration) Seongju tracks the warhead on {n_term} of {len(ok)} modelled Chinese "
        f"flights. In forward-based mode it would track the warhead on {len(tracked)} of {len(ok)} (warhead, RCS by aspect; "
        f"longest track per launch area: {'; '.join(parts)}). "
        f"It sees {100 * m['cn_fraction_fbm_booster']:.0f} % of China's area for booster-sized objects and "
        f"{100 * m['cn_fraction_fbm_warhead']:.0f} % for warhead-sized ones at its scenario boresight. "
        + (f"Turned to {min(moot):g}-{max(moot):g} deg it would see no warhead over China, but then "
           + (f"only {kp_best:,.0f} km^2 of North Korea's {kp_tot:,.0f} km^2" if kp_best else "nothing of North Korea either")
           + " (forward-based mode); the limits and screens table gives the cost of each milder measure." if moot else
           "No boresight removes China entirely from its forward-based view of warheads."))
    s.paragraphs += [
        "The radar mostly sees Chinese missiles bound for the United States from the side or from behind: they fly north-east, "
        "away from Seongju. Seen from behind, a warhead's cross-section is larger than nose-on, which is why aspect matters.",
        "Margins over the Japanese radars depend on their face directions, which are not public: the estimates assume they "
        "face North Korea. Cobra Dane, Clear and Beale see the same warheads much later, in mid-course, from thousands of km.",
        "The claims table sets each public claim beside the number it implies. Both sides are partly right: forward-based "
        "Seongju would see parts of Chinese flights no other radar of the region sees, but only in a configuration that takes "
        "hours to set up, and in terminal mode it sees little of China.",
    ]
    site_arg = sc.site.place or f"{ctx.site.lat_deg},{ctx.site.lon_deg}"
    for th in sc.threats_q5[:2]:
        s.commands.append(f"thaad network --missile {th.missile} --from {th.launch[0]} --to {th.targets[0]} --site {site_arg} "
                          f"--boresight-deg {sc.radar.boresight_deg:g} --mode forward-based --json")
    return s

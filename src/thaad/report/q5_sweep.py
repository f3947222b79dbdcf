"""Question 5, part 2: turning or moving the radar, limits and screens.

Area of China and of North Korea in which an object is detectable at some altitude, as a
function of the face boresight (0-360 deg, :func:`thaad.radar.sweep.boresight_sweep`),
for the scenario site and its alternative sites; and, at the scenario site and
boresight, what each limit or screen leaves of it.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from thaad import catalog
from thaad.report import figures as F
from thaad.report.countries import country_area_km2, country_grid
from thaad.report.model import Figure, Table

COUNTRIES = {"CN": "China", "KP": "North Korea"}
MODES = ("forward-based", "terminal")


def _cells(code):
    lat, lon, labels, area = country_grid()
    lon2, lat2 = np.meshgrid(lon, lat)
    m = labels == code
    return np.radians(lat2[m]), np.radians(lon2[m]), area[m]


def _all_cells():
    """Cells of every country of :data:`COUNTRIES` with a (P, K) weight: area in country k."""
    lat, lon, labels, area = country_grid()
    lon2, lat2 = np.meshgrid(lon, lat)
    m = np.isin(labels, list(COUNTRIES))
    w = np.stack([np.where(labels[m] == c, area[m], 0.0) for c in COUNTRIES], axis=-1)
    return np.radians(lat2[m]), np.radians(lon2[m]), w


def _rcs(ctx):
    from thaad.report import physics as P

    return {k: P.rcs_m2(ctx, k, ctx.level) for k in ("warhead", "booster")}


def sweep(ctx, station_fn) -> dict:
    """``{(site key, mode, kind, country): areas (B,) km^2}`` and the boresights (deg)."""
    from thaad.radar.sweep import boresight_sweep

    step = ctx.scenario.tracking.sweep_step_deg
    bores = np.arange(0.0, 360.0, step)
    sites = [("scenario", None)] + [(k, catalog.find_place(k)) for k in ctx.scenario.tracking.alternative_sites]
    rcs = _rcs(ctx)
    la, lo, w = _all_cells()
    out = {}
    for key, place in sites:
        for mode in MODES:
            radar = station_fn(mode, place).faces[0]
            for kind, sigma in rcs.items():
                a = boresight_sweep(radar, la, lo, w, sigma, np.radians(bores))
                for j, c in enumerate(COUNTRIES):
                    out[(key, mode, kind, c)] = a[:, j]
    return {"boresights_deg": bores, "areas": out, "sites": sites, "rcs": rcs}


def sweep_figure(ctx, sw) -> Figure:
    fig = F.new_figure(11.0, 4.4)
    bores = sw["boresights_deg"]
    styles = {"scenario": "-", **{k: ls for (k, _), ls in zip(sw["sites"][1:], ["--", ":", "-."])}}
    colours = {("CN", "warhead"): F.PALETTE["cn"], ("CN", "booster"): "#f1948a",
               ("KP", "warhead"): F.PALETTE["kp"], ("KP", "booster"): "#c39bd3"}
    for j, mode in enumerate(MODES):
        ax = fig.add_subplot(1, 2, j + 1)
        for (site, _), ls in zip(sw["sites"], styles.values()):
            for (c, kind), col in colours.items():
                a = sw["areas"][(site, mode, kind, c)] / 1e3
                lab = f"{COUNTRIES[c]}, {kind}-sized" if site == "scenario" else None
                ax.plot(np.r_[bores, 360.0], np.r_[a, a[:1]], ls=ls, color=col, lw=1.4 if site == "scenario" else 1.0, label=lab)
        ax.axvline(ctx.scenario.radar.boresight_deg, color="#333", lw=0.8)
        ax.annotate("scenario boresight", (ctx.scenario.radar.boresight_deg, ax.get_ylim()[1] * 0.95), fontsize=7,
                    ha="right", rotation=90, va="top")
        ax.set_xlim(0, 360)
        ax.set_xticks(range(0, 361, 45))
        ax.set_xlabel("face boresight azimuth (deg from north)")
        ax.set_ylabel("area seen at some altitude (1,000 km^2)")
        ax.set_title(f"{mode} mode", fontsize=10)
        ax.grid(True, lw=0.3)
        if j == 0:
            ax.legend(fontsize=7, loc="upper left")
    alt = ", ".join(f"{p.name} ({ls})" for (k, p), ls in zip(sw["sites"][1:], ["dashed", "dotted", "dash-dot"]))
    cap = ("Area of China (red) and North Korea (purple) over which a warhead-sized (dark) or booster-sized (light) object is "
           "detectable at some altitude, as the radar face is turned through 0-360 deg; solid: the scenario site"
           + (f"; {alt}" if alt else "") + ". The vertical line is the scenario boresight.")
    return Figure("q5-sweep", cap, fig)


def _variants(ctx):
    """(name, what changes, verifiable?, sectors, min_el_deg, half_width_deg)."""
    sc = ctx.scenario
    out = [("as deployed", "scenario radar", "-", (), None, None)]
    for sh in sc.shields:
        sectors = tuple((s.az_start_deg, s.az_end_deg, s.el_max_deg) for s in sh.sectors)
        low = all(s.el_max_deg < 90 for s in sh.sectors)
        out.append((sh.name, sh.description or "shield", "yes: a physical screen can be inspected on site" if low else
                    "no: sector blanking is software, invisible from outside", sectors, None, None))
    for el in (10.0, 20.0):
        out.append((f"minimum elevation {el:g} deg", f"beam kept {el:g} deg above the horizon",
                    "partly: the face tilt is visible, beam elevation is electronic (software)", (), el, None))
    out.append(("face limited to +/-30 deg", "electronic scan limited to +/-30 deg of the boresight",
                "no: scan limits are software; a fixed face direction is visible", (), None, 30.0))
    return out


def limits_table(ctx, station_fn) -> tuple[Table, dict]:
    from thaad import assemble as A
    from thaad.radar.sweep import boresight_sweep

    rcs = _rcs(ctx)
    la, lo, w = _all_cells()
    bore = math.radians(ctx.scenario.radar.boresight_deg)
    rows, numbers = [], {}
    for name, what, verify, sectors, min_el, half in _variants(ctx):
        entry = {}
        for mode in MODES:
            r = station_fn(mode, None).faces[0]
            blank = tuple(A.blank_sector(a0, a1, None if el >= 90 else el) for a0, a1, el in sectors)
            r = dataclasses.replace(r, blanking=blank,
                                    min_el_rad=r.min_el_rad if min_el is None else math.radians(min_el),
                                    az_half_width_rad=r.az_half_width_rad if half is None else math.radians(half))
            for kind, sigma in rcs.items():
                a = boresight_sweep(r, la, lo, w, sigma, [bore])[0]
                for j, c in enumerate(COUNTRIES):
                    entry[f"{mode}/{kind}/{c}"] = float(a[j])
        numbers[name] = {k: round(v, -2) for k, v in entry.items()}
        base = numbers.get("as deployed", numbers[name])
        kp0 = base["terminal/warhead/KP"]
        cost = 100.0 * (1 - entry["terminal/warhead/KP"] / kp0) if kp0 > 0 else 0.0
        rows.append([name, what, entry["forward-based/warhead/CN"], entry["forward-based/booster/CN"],
                     entry["terminal/booster/CN"], entry["terminal/warhead/KP"], round(cost), verify])
    table = Table("q5-limits", "At the scenario site and boresight: area of China (km^2) over which the radar detects an object "
                  "at some altitude, and what the change costs over North Korea (terminal mode, warhead-sized), per limit or screen",
                  ["variant", "what changes", "China, forward-based, warhead", "China, forward-based, booster",
                   "China, terminal, booster", "North Korea, terminal, warhead", "North Korea lost (%)", "verifiable on site?"],
                  rows)
    return table, numbers


def sweep_numbers(ctx, sw) -> dict:
    """Per site and mode: area at the scenario boresight, the maximum, and the boresights where
    no warhead-sized object over China is detectable (with what is then seen of North Korea)."""
    bores = sw["boresights_deg"]
    i0 = int(np.argmin(np.abs((bores - ctx.scenario.radar.boresight_deg + 180) % 360 - 180)))
    out = {"china_area_km2": round(country_area_km2("CN"), -3), "north_korea_area_km2": round(country_area_km2("KP"), -2)}
    for site, _ in sw["sites"]:
        for mode in MODES:
            a = {(k, c): sw["areas"][(site, mode, k, c)] for k in sw["rcs"] for c in COUNTRIES}
            clear = bores[a[("warhead", "CN")] <= 0]
            kp_best = float(np.max(a[("warhead", "KP")][a[("warhead", "CN")] <= 0])) if clear.size else None
            out[f"{site}/{mode}"] = {
                "at_scenario_boresight_km2": {f"{k}/{c}": round(float(v[i0]), -2) for (k, c), v in a.items()},
                "max_over_boresights_km2": {f"{k}/{c}": round(float(v.max()), -2) for (k, c), v in a.items()},
                "boresights_without_china_warhead_deg": [float(b) for b in clear],
                "north_korea_warhead_km2_best_of_those": None if kp_best is None else round(kp_best, -2),
                "north_korea_warhead_km2_max": round(float(a[("warhead", "KP")].max()), -2),
            }
    return out

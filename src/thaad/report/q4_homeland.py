"""Question 4: can the battery engage missiles aimed at the United States?"""

from __future__ import annotations

import numpy as np

from thaad import catalog
from thaad.gis.layers import line_feature
from thaad.report import figures as F
from thaad.report import views as P
from thaad.report.maps import rounded, fan, unwrap, breaks
from thaad.report.model import Figure, Section, Table


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
        numbers[key] = {"threat": th.name, "missile": th.missile, "range_km": rounded(rng),
                        "closest_approach_km": rounded(d[i]), "closest_approach_at_fraction_of_range": round(frac, 3)}
        geo_rows.append([th.name, launch.name, target.name, rng, float(d[i]), round(100 * frac)])
        tracks.append((th, launch, target, lat, lon))
        s.features.append(line_feature(lon, lat, None, {"layer": "great-circle", "name": key, "threat": th.name}))
    s.tables.append(Table("q4-geometry", f"Closest approach of each launch-to-target great circle to {ctx.site_label}",
                          ["threat", "from", "to", "range (km)", f"closest approach to {ctx.site_label} (km)", "where (% of range)"], geo_rows))
    s.numbers["great_circle"] = numbers
    env = None
    env_band = {lv: P.envelope(ctx, lv) for lv in ctx.levels}
    env = env_band[ctx.level] if ctx.level in env_band else next(iter(env_band.values()))
    s.band = {"rows": [{"label": "interceptor maximum range", "unit": "km", **{lv: rounded(e.max_range_km) for lv, e in env_band.items()}},
                       {"label": "interceptor maximum intercept altitude", "unit": "km", **{lv: rounded(e.max_alt_km) for lv, e in env_band.items()}},
                       {"label": "interceptor minimum intercept altitude", "unit": "km", **{lv: rounded(e.min_alt_km) for lv, e in env_band.items()}}]}
    s.numbers["envelope"] = {lv: {"max_range_km": e.max_range_km, "min_alt_km": e.min_alt_km, "max_alt_km": e.max_alt_km}
                             for lv, e in env_band.items()}
    # Trajectories and engagement
    flown = []
    eng_rows = []
    groups: dict = {}  # one vectorised aim per (missile, shape): all its launch -> target pairs together
    for th, launch, target, _, _ in tracks:
        groups.setdefault((th.missile, th.shape, th.apogee_km), []).append((th, launch, target))
    t = ctx.progress.task("q4: flights toward the US", len(groups))
    for (missile, shape, apogee), members in groups.items():
        flown_all = P.fly(ctx, missile, [m[1] for m in members], [m[2] for m in members], shape, apogee, ctx.level)
        t.advance()
        eng = P.engage(ctx, flown_all, ctx.level)
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
            numbers[key].update({"trajectory_closest_km": rounded(d[i]), "altitude_at_closest_km": rounded(alt[i]),
                                 "apogee_km": rounded(float(trajs.apogee_alt_m[k]) / 1000.0),
                                 "flight_time_s": rounded(float(trajs.impact_time_s[k]))})
            s.features.append(line_feature(lon[ok], lat[ok], alt[ok] * 1000.0,
                                           {"layer": "trajectory", "name": key, "threat": th.name},
                                           t_s=trajs.t_s[k][ok]))
            inside_zone, why, d_band = None, "", None
            if env is not None:
                band = ok & (alt >= env.min_alt_km) & (alt <= env.max_alt_km)
                d_band = float(np.nanmin(np.where(band, d, np.nan))) if band.any() else None
                inside_zone = bool(np.any(band & (d <= env.max_range_km)))
                numbers[key]["closest_in_altitude_band_km"] = rounded(d_band)
                numbers[key]["enters_engagement_zone"] = inside_zone
                if inside_zone:
                    why = "enters the engagement zone"
                elif d_band is None:
                    why = f"never inside the {env.min_alt_km:g}-{env.max_alt_km:g} km altitude band"
                else:
                    why = (f"while in the {env.min_alt_km:g}-{env.max_alt_km:g} km band it stays at least "
                           f"{d_band:,.0f} km from {ctx.site_label} (reach {env.max_range_km:,.0f} km)")
            engageable = None
            if eng is not None:
                engageable = bool(eng.engageable[k])
                numbers[key]["engageable"] = engageable
                numbers[key]["shots"] = int(eng.shots[k])
                if inside_zone and not engageable:
                    why += "; but the timeline leaves no shot (detected or reacted too late)"
            eng_rows.append([th.name, launch.name, target.name, float(d[i]), float(alt[i]), d_band, inside_zone,
                             engageable, why])
    s.tables.insert(0, Table("q4-engage", f"Each flight: closest approach of the actual trajectory to {ctx.site_label}, whether it "
                             "enters the interceptor's engagement zone (range and altitude band), and whether the full "
                             "engagement timeline (radar detection, reaction, flyout) gives a shot",
                             ["threat", "from", "to", f"closest to {ctx.site_label} (km)", "altitude there (km)",
                              "closest while in the altitude band (km)", "enters engagement zone", "engageable", "why"],
                             eng_rows))
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
        text = ((("None" if n_eng == 0 else str(n_eng)) + f" of the {len(flown)} modelled flights can be engaged from {ctx.site_label}"
                 if engaged_known else f"Of the {len(flown)} modelled flights, {n_zone} come within the interceptor's reach")
                if flown else
                f"Of {len(geo_rows)} launch-to-target paths, {len(close)} pass within the interceptor's "
                f"{env.max_range_km:,.0f} km reach of {ctx.site_label}")
        if flown:
            text += (f" ({n_zone} enter the interceptor's {env.min_alt_km:g}-{env.max_alt_km:g} km altitude band within "
                     f"{env.max_range_km:,.0f} km of it)")
            if in_band:
                text += (f". While inside that altitude band the missiles stay at least {min(in_band):,.0f} km from {ctx.site_label}, "
                         "because they are in it only just after launch and just before impact")
            if over:
                text += ("; the flights that do pass within reach are far too high: "
                         + ", ".join(f"{k} at {a:,.0f} km altitude, {d:,.0f} km away" for d, a, k in sorted(over)))
        s.short_answer = text + "."
    else:
        s.short_answer = (f"Geometry only: the closest any of the {len(geo_rows)} launch-to-target great circles comes to {ctx.site_label} is "
                          f"{min(r[4] for r in geo_rows):,.0f} km." if geo_rows else "")
    s.paragraphs.append(
        "Missiles flying from China or North Korea toward the United States head north-east or east, away from the "
        f"peninsula; the table gives how close each path comes to {ctx.site_label}. A THAAD interceptor reaches only about a couple "
        "of hundred kilometres from its launcher, and only between its minimum and maximum intercept altitudes, so a path "
        f"that stays farther away, or passes overhead far above the band, cannot be engaged from {ctx.site_label}.")
    return s




def _world_coastlines(ax, box) -> None:
    """Coastlines in the 0-360 deg E frame of the routes map, each line broken where it
    jumps across the frame's seam (so nothing is drawn across the map)."""
    from matplotlib.collections import LineCollection

    from thaad.gis import mapdata

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
    lons = np.concatenate([unwrap(t[4]) for t in tracks] + [[site.lon_deg]]) if tracks else np.array([site.lon_deg])
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
        ax.plot(*breaks(unwrap(lon), lat), color=colours.get(launch.country, "#555"), lw=1.0, alpha=0.8)
        F.label_point(ax, unwrap(target.lon_deg), target.lat_deg, target.name, size=3, fontsize=7)
    F.label_point(ax, site.lon_deg, site.lat_deg, ctx.site_label, marker="^", size=6)
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
            az.plot(*breaks(lon, lat), color=c, lw=0.8, alpha=0.7)
            if env is not None:
                inband = np.where((alt >= env.min_alt_km) & (alt <= env.max_alt_km), lat, np.nan)
                az.plot(*breaks(lon, inband), color=c, lw=3.0, alpha=0.9, solid_capstyle="butt")
    else:
        for th, launch, target, lat, lon in tracks:
            az.plot(*breaks(lon, lat), color=colours.get(launch.country, "#555"), lw=0.8, alpha=0.7)
    seen = set()
    for th, launch, target, lat, lon in tracks:
        if launch.key not in seen:
            seen.add(launch.key)
            F.label_point(az, launch.lon_deg, launch.lat_deg, launch.name, color=colours.get(launch.country, "#555"), size=3, fontsize=6)
    F.label_point(az, site.lon_deg, site.lat_deg, ctx.site_label, marker="^", size=6)
    if env is not None:
        lat_c, lon_c = fan(site, np.linspace(0, 360, 181), env.max_range_km)
        az.fill(lon_c, lat_c, color="#1e8449", alpha=0.35, zorder=5, label=f"interceptor reach ({env.max_range_km:,.0f} km)")
        az.plot([], [], color="#555", lw=3, label=f"inside {env.min_alt_km:g}-{env.max_alt_km:g} km altitude")
        az.legend(loc="lower right", fontsize=7)
    az.set_title("Near Korea: " + ("ground tracks of the flown trajectories" if flown else "great circles"), fontsize=9)
    cap = ("Left: the routes from the launch areas to US targets (great circles; the Earth's rotation bends actual ground "
           "tracks slightly). Right: the Korean end; "
           + ("ground tracks of the modelled trajectories, drawn thick where the missile is inside the interceptor's altitude "
              f"band, and the green disc that a THAAD interceptor can reach from {ctx.site_label}. A flight is only engageable where a "
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
    ax.set_xlabel(f"ground distance from {ctx.site_label} (km)")
    ax.set_ylabel("altitude (km)")
    ax.legend(fontsize=7, ncol=2)
    ax.grid(True, lw=0.3)
    return Figure("q4-profile", f"Each trajectory as altitude against its ground distance from {ctx.site_label}. A flight can only be "
                  "engaged where its curve enters the green engagement zone.", fig)

"""q3 additions: people defended (beside the Ministry's claim), THAAD vs Patriot, and the raid."""

from __future__ import annotations

import numpy as np

from thaad.report import figures as F
from thaad.report.model import Figure, Source, Table

MND_CLAIM = ("Deputy Defense Minister Ryu Je-seung (Yoo Jeh-seung), 13 July 2016, announcing the Seongju site: the battery "
             "will 'protect one-half to two-thirds of our citizens from North Korean nuclear and missile threats' "
             "(Defense News, Jung Sung-Ki, Jul 2016; CNN, Jul 2016). The ministry did not publish the threat, launch "
             "areas or interceptor assumptions behind it; its adviser described one simulation of a Nodong aimed at "
             "Pyeongtaek (Jang Young-geun, as reported Jul 2016).")


CITY_PROVINCE = {"seoul": "Seoul", "busan": "Busan", "daegu": "Daegu", "incheon": "Incheon", "gwangju": "Gwangju",
                 "daejeon": "Daejeon", "ulsan": "Ulsan"}


def _m(x):
    return round(float(x) / 1e6, 2)


def add_population(ctx, s, results) -> None:
    """Defended population per threat (THAAD band, Seoul metro apart, Patriot alone and both)."""
    from thaad import population as POP
    from thaad import raid_data

    pop = raid_data.population()
    ctx.sources["population: South Korea by municipality"] = Source(
        "population: South Korea by municipality", f"{pop.total:,.0f} people, {len(pop.name)} municipalities ({pop.year})",
        pop.source, False, "people of each municipality placed at its centroid")
    metro = pop.seoul_metro
    rows, numbers = [], {}
    shares = []
    for th, launch, fp in results:
        lon2, lat2 = np.meshgrid(np.radians(fp.lon_deg), np.radians(fp.lat_deg))
        aim = np.isfinite(fp.shots)
        if fp.defended_fraction is not None:
            aim = aim | np.isfinite(fp.defended_fraction)
        cells = np.flatnonzero(aim.ravel())
        idx = cells[POP.nearest_cell(np.radians(pop.lat_deg), np.radians(pop.lon_deg), lat2.ravel()[cells], lon2.ravel()[cells])]
        people = pop.population
        cities = {k: np.array([p == prov for p in pop.province]) for k, prov in CITY_PROVINCE.items()
                  if k in fp.places}  # a metropolitan city's people take the status of the city's own aim point

        def status(cell_mask, place_status):
            st = np.asarray(cell_mask, bool)[..., idx].copy()
            for k, rows_ in cities.items():
                v = place_status(k)
                if v is not None:
                    st[..., rows_] = np.asarray(v, bool)[..., None] if np.ndim(v) else bool(v)
            return st

        defended = np.nan_to_num(fp.shots.ravel(), nan=0.0) >= 1
        st = status(defended, lambda k: fp.places.get(k))
        nom = float(people @ st)
        nom_metro = float(people[metro] @ st[metro])
        lo = hi = nom
        if fp.samples_defended is not None and fp.samples_defended.shape[0]:
            sps = fp.samples_places or {}
            per_st = status(fp.samples_defended.reshape(fp.samples_defended.shape[0], -1), lambda k: sps.get(k))
            per = per_st @ people
            lo, hi = min(float(np.percentile(per, 5)), nom), max(float(np.percentile(per, 95)), nom)
        key = f"{th.name} from {launch.name}"
        row = {"thaad_nominal": _m(nom), "thaad_low": _m(lo), "thaad_high": _m(hi),
               "share_of_population": round(nom / pop.total, 3), "seoul_metro_defended": _m(nom_metro),
               "seoul_metro_population": _m(pop.population[metro].sum())}
        lt = ""
        if fp.lower_shots is not None:
            lp = fp.lower_places or {}
            low_st = status(np.nan_to_num(fp.lower_shots.ravel(), nan=0.0) >= 1, lambda k: lp.get(k))
            row["patriot_nominal"] = _m(people @ low_st)
            row["either_nominal"] = _m(people @ (low_st | st))
            row["both_nominal"] = _m(people @ (low_st & st))
            row["thaad_only_nominal"] = _m(people @ (st & ~low_st))
        numbers[key] = row
        shares.append((key, nom / pop.total, lo / pop.total, hi / pop.total))
        rows.append([key, row["thaad_nominal"], row["thaad_low"], row["thaad_high"], round(100 * nom / pop.total),
                     row["seoul_metro_defended"], row.get("patriot_nominal", lt), row.get("either_nominal", lt),
                     row.get("thaad_only_nominal", lt)])
    s.tables.append(Table("q3-population", f"People defended (millions; South Korea {pop.total / 1e6:.1f} M in {pop.year}, "
                          f"Seoul metropolitan area {pop.population[metro].sum() / 1e6:.1f} M)",
                          ["threat and launch area", "THAAD", "low", "high", "share (%)", "of it Seoul metro",
                           "Patriot alone", "THAAD or Patriot", "THAAD only (what it adds)"], rows,
                          note="Low/high: 5th/95th percentile over the footprint's Monte Carlo samples (with the nominal "
                               "inside). Patriot: USFK batteries at their reported bases, nominal estimates."))
    s.numbers["population"] = {"total": pop.total, "year": pop.year, "by_threat": numbers,
                               "mnd_claim_share": [0.5, 0.667]}
    s.assumptions.append(
        f"People: {pop.source}; each municipality's people are placed at its centroid and take the status of the "
        f"nearest aim point ({ctx.scenario.grids.footprint_km:g} km grid), except the people of a metropolitan city "
        "(Seoul, Busan, Daegu, Incheon, Gwangju, Daejeon, Ulsan) that the threat's places list flies exactly, who take "
        "that point's status; elsewhere the grid adds an uncertainty of about half a grid step beyond the band shown.")
    s.assumptions.append("Lower tier: Patriot PAC-3 MSE (envelope estimates in the sources list) at the publicly reported "
                         "USFK bases (Osan, Suwon, Camp Casey, Kunsan, Camp Carroll); the ROK Army's PAC-3 sites are not "
                         "public and are left out; cued by the THAAD radar's first detection, then tracked by its own radar.")
    if shares:
        best = max(shares, key=lambda x: x[1])
        worst = min(shares, key=lambda x: x[1])
        s.paragraphs.append(
            f"People, not only land. {MND_CLAIM} On this model the battery defends "
            f"{100 * best[1]:.0f} % of South Koreans against {best[0]} (band {100 * best[2]:.0f}-{100 * best[3]:.0f} %) "
            f"and {100 * worst[1]:.0f} % against {worst[0]} (band {100 * worst[2]:.0f}-{100 * worst[3]:.0f} %), "
            "against the Ministry's one-half to two-thirds. The difference is mostly the Seoul metropolitan area, "
            f"home to about half of the population and out of reach from {ctx.site_label} against these threats; the "
            "Ministry's figure holds only if the capital region is counted or if the threats come down steeply enough "
            "over it, which the model does not find for the missiles and launch areas shown.")


def add_shapes(ctx, s) -> None:
    """Min-energy vs depressed vs pull-up glide for one missile: land and people defended (nominal)."""
    import math

    from thaad import assemble as A
    from thaad import catalog, raid_data
    from thaad import population as POP
    from thaad.ballistics.pullup import pull_up_glide
    from thaad.engagement import engage
    from thaad.report import views as P

    sc = ctx.scenario
    rd = sc.raid
    if rd is None or rd.shape_study_missile is None:
        return
    level = ctx.level
    pts = A.region_aim_points(P.FOOTPRINT_LAND, sc.grids.footprint_km * 1e3)
    lat, lon, area = pts.grid.lat_rad[0], pts.grid.lon_rad[0], pts.grid.cell_area_m2[0] / 1e6
    launch = catalog.find_place(rd.shape_study_launch)
    b, pk = A.scenario_battery(sc, level)
    lower = raid_data.lower_tier(b, rd.lower_tier_key, level) if rd.lower_tier else None
    detect = A.detect_function(A.scenario_radar(sc, sc.radar.defence_mode, level), A.scenario_rcs_m2(sc, "warhead", level))
    vehicle = A.vehicle_band(rd.shape_study_missile).at(level)
    pop = raid_data.population()
    idx = POP.nearest_cell(np.radians(pop.lat_deg), np.radians(pop.lon_deg), lat, lon)
    ncell = lat.size
    cities = [catalog.places()[k] for k in CITY_PROVINCE if k in catalog.places()]
    city_rows = [np.array([p == CITY_PROVINCE[c.key] for p in pop.province]) for c in cities]
    for j, rows_ in enumerate(city_rows):  # a metropolitan city's people take its own aim point's status
        idx = np.where(rows_, ncell + j, idx)
    lat = np.concatenate([lat, np.radians([c.lat_deg for c in cities])])
    lon = np.concatenate([lon, np.radians([c.lon_deg for c in cities])])
    apo = rd.depressed_apogee_km
    rows, numbers, flown = [], {}, {}
    for label, shape, apogee in (("minimum energy", "min-energy", None), (f"depressed (apogee {apo:g} km)", "depressed", apo),
                                 (f"pull-up glide (apogee {apo:g} km, estimate)", "pull-up", apo)):
        base = "depressed" if shape == "pull-up" else shape
        if base not in flown:  # the pull-up glide reshapes the depressed flights: fly them once
            flown[base] = A.fly(vehicle, math.radians(launch.lat_deg), math.radians(launch.lon_deg), lat, lon, base,
                                None if apogee is None else apogee * 1e3)
        flight = flown[base]
        ts = pull_up_glide(flight.ts) if shape == "pull-up" else flight.ts
        det, vis = detect(ts)
        up = engage(ts, det, b, visible=vis).shot_opportunities >= 1
        up &= flight.reachable
        low = (engage(ts, det, lower).shot_opportunities >= 1) & flight.reachable if lower is not None else np.zeros_like(up)
        threatened = flight.reachable
        row = {"threatened_area_km2": round(float(area[threatened[:ncell]].sum()), -2),
               "thaad_area_km2": round(float(area[up[:ncell]].sum()), -2),
               "thaad_people_m": _m(POP.defended_population(pop.population, idx, up)),
               "patriot_people_m": _m(POP.defended_population(pop.population, idx, low)),
               "either_people_m": _m(POP.defended_population(pop.population, idx, up | low)),
               "threatened_people_m": _m(POP.defended_population(pop.population, idx, threatened))}
        numbers[label] = row
        rows.append([label, row["threatened_area_km2"], row["thaad_area_km2"], row["threatened_people_m"],
                     row["thaad_people_m"], row["patriot_people_m"], row["either_people_m"]])
    s.tables.append(Table("q3-shapes", f"Trajectory shape changes what the battery defends: {rd.shape_study_missile} from "
                          f"{launch.name} (nominal estimates; people in millions)",
                          ["trajectory", "land it can reach (km^2)", "THAAD defends (km^2)", "people it can reach",
                           "THAAD defends", "Patriot defends", "THAAD or Patriot"], rows,
                          note="Depressed and pull-up glide are estimates from public descriptions (apogee about 50 km: "
                               "ROK JCS on the 25 Jul 2019 KN-23 tests via CSIS Missile Threat; 'low-altitude gliding leap "
                               "type flight mode': KCNA 26 Mar 2021); the glide is a kinematic reshaping of the depressed "
                               "flight (same track and timing), not an aerodynamic model."))
    s.numbers["shapes"] = numbers
    s.paragraphs.append(
        "Depressed and manoeuvring threats. Flown on a depressed path with an apogee near 50 km, a KN-23 is above THAAD's "
        "40 km floor only briefly, near its apogee over North Korea or the border, so the upper tier loses most of what "
        "it defends against the same missile on its minimum-energy path. The pull-up glide changes nothing more in this "
        "model: it happens below THAAD's floor and inside Patriot's altitude band, and what makes it hard in reality, "
        "the manoeuvre spoiling the predicted intercept point, is not modelled. What remains is the lower tier's "
        "business: Patriot defends the ground around its batteries, a few tens of km each.")


def add_raid(ctx, s) -> None:
    """The scenario's raid: per-wave table, saturation by make-up, leakers against decoys."""
    from thaad import raid_assess, raid_data

    sc = ctx.scenario
    if sc.raid is None:
        return
    for name, q in raid_data.raid_quantities(sc.engagement.battery).items():
        ctx.cite(f"battery {sc.engagement.battery}: {name}", q)
    out = raid_assess.evaluate(sc, ctx.level)
    s.numbers["raid"] = out
    rows = [[w["name"], w["missiles"], w["engageable"], w["interceptors_committed"], w["interceptors_expected"],
             w["mean_p_kill"], w["expected_leakers"]] for w in out["waves"]]
    rows.append(["whole raid", out["missiles"], sum(w["engageable"] for w in out["waves"]), out["interceptors_committed"],
                 out["interceptors_expected"], None, out["expected_leakers"]])
    s.tables.append(Table("q3-raid", f"A raid of {out['missiles']} missiles launched together against the battery "
                          f"({out['doctrine']}, Pk {out['pk']:g}, {out['inventory']} interceptors, {out['fire_channels']} fire "
                          f"channels, {out['launch_interval_s']:g} s between launches)",
                          ["wave", "missiles", "engageable alone", "interceptors committed", "expected used",
                           "mean P(kill)", "expected leakers"], rows,
                          note="Committed: every planned interceptor (upper bound); expected: follow-up shots only after a "
                               "miss. Engageable alone: a window exists for the missile by itself."))
    s.tables.append(Table("q3-decoys", "Expected leakers of the same raid when each warhead comes with decoys the radar "
                          "cannot tell from it (a stated count, all engaged)",
                          ["decoys per warhead", "objects", "interceptors committed", "objects unengaged", "expected leakers"],
                          [[d["decoys_per_warhead"], d["objects"], d["interceptors_committed"], d["unengaged_objects"],
                            d["expected_leakers"]] for d in out["decoy_sweep"]]))
    s.figures.append(_saturation_figure(out))
    sat0 = [x for x in out["saturation"] if x["decoys_per_warhead"] == 0]
    txt = "; ".join(f"{x['make_up']}: {x['saturation_size'] or 'more than ' + str(x['tried_up_to'])}" for x in sat0)
    s.paragraphs.append(
        f"A raid. {out['missiles']} missiles launched together leave about {out['expected_leakers']:.0f} expected leakers: "
        f"the battery commits {out['interceptors_committed']} of its {out['inventory']} interceptors, because the fire "
        "channels and the launch rate, not the inventory, bind first when the missiles arrive within a minute or two. "
        f"The battery saturates (some missile gets no interceptor at all) at these raid sizes: {txt}. Decoys the radar "
        "cannot tell from the warhead are a stated count here, not a design: each one takes an interceptor and a fire "
        "channel like a warhead.")
    s.assumptions.append(
        "Raid: greedy allocation in passes (first interceptors for every object before any second one), shoot-look-shoot "
        "with the kill assessment from the catalogue, shoot-shoot when no look fits; fire channels, launch interval and "
        "reloads are project estimates (sources list); the missiles of a wave fly to their targets in turn.")
    s.commands.append("thaad raid --json")


def _saturation_figure(out) -> Figure:
    fig = F.new_figure(6.4, 3.4)
    ax = fig.add_subplot(1, 2, 1)
    labels = sorted({x["make_up"] for x in out["saturation"]})
    decs = sorted({x["decoys_per_warhead"] for x in out["saturation"]})
    width = 0.8 / max(len(decs), 1)
    for k, d in enumerate(decs):
        vals = [next((x["saturation_size"] or x["tried_up_to"] for x in out["saturation"]
                      if x["make_up"] == lab and x["decoys_per_warhead"] == d), 0) for lab in labels]
        ax.bar(np.arange(len(labels)) + k * width, vals, width, label=f"{d:g} decoys/warhead")
    ax.set_xticks(np.arange(len(labels)) + width * (len(decs) - 1) / 2)
    ax.set_xticklabels([lab.replace(" only", "") for lab in labels], fontsize=7, rotation=15)
    ax.set_ylabel("saturation raid size (missiles)")
    ax.legend(fontsize=7)
    ax2 = fig.add_subplot(1, 2, 2)
    d = out["decoy_sweep"]
    ax2.plot([x["decoys_per_warhead"] for x in d], [x["expected_leakers"] for x in d], "o-")
    ax2.set_xlabel("decoys per warhead")
    ax2.set_ylabel(f"expected leakers of {out['missiles']}")
    ax2.set_ylim(0, out["missiles"])
    return Figure("q3-saturation", "Left: raid size at which the battery saturates, by raid make-up, without and with "
                  "decoys. Right: expected leakers of the scenario's raid as decoys per warhead grow.", fig)

"""Question 3: which parts of South Korea the battery defends."""

from __future__ import annotations

import math

import numpy as np

from thaad import catalog
from thaad.gis.layers import filled_contour_features
from thaad.report import figures as F
from thaad.report import views as P
from thaad.report.maps import rounded
from thaad.report.model import Figure, Section, Table


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
        band_rows.append({"label": f"defended area, {key}", "unit": "km^2", "low": rounded(lo, -2), "nominal": rounded(nom, -2),
                          "high": rounded(hi, -2)})
        shots = fp.shots[np.isfinite(fp.shots)]
        se_lo, se_hi = fp.area_se_km2
        numbers[key] = {"area_km2": {"low": rounded(lo, -2), "nominal": rounded(nom, -2), "high": rounded(hi, -2)},
                        "monte_carlo": {"samples": fp.samples,
                                        "low_standard_error_km2": None if se_lo is None else rounded(se_lo, -1),
                                        "high_standard_error_km2": None if se_hi is None else rounded(se_hi, -1)},
                        "share_of_south_korea": round(nom / fp.aim_area_km2, 3) if fp.aim_area_km2 else None,
                        "threatened_area_km2": rounded(fp.threatened_area_km2, -2),
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
    s.numbers["south_korea_land_km2"] = rounded(aim_area, -2)
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
    for th, launch, _ in results:
        s.commands += P.footprint_command(ctx, th, launch)
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
        F.label_point(ax, ctx.site.lon_deg, ctx.site.lat_deg, ctx.site_label, marker="^", size=6)
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

"""The assessment report: runs the four questions and writes the report folder.

Output folder::

    index.html          self-contained page (inline CSS, figures as data URIs, no network)
    report.json         every number, deterministic (same scenario + seed -> same bytes)
    figures/*.png       the figures as files
    layers/*.geojson    coverage contours, footprints, trajectories (one file per layer)
    layers/thaad.kml    the same layers for Google Earth (typed attributes, gx:Track)
    layers/thaad.czml   the same layers for Cesium (time-dynamic trajectories)
    layers/*.tif        coverage rasters as GeoTIFF (needs the thaad[dem] extra)
    tables/*.csv        every table of the report
    run.json            run metadata (timings, versions): not deterministic by design

This is the shell: it may import everything, the physics core never imports it.
"""

from __future__ import annotations

import platform
import time
from dataclasses import asdict
from pathlib import Path

from thaad import __version__, catalog
from thaad.report import figures as F
from thaad.report import views as P
from thaad.report.context import Context, NullProgress, Progress
from thaad.report.html import render_page
from thaad.jsonio import canonical_dumps as dumps
from thaad.errors import InputError
from thaad.gis.layers import point_feature, write_geojson, write_kml
from thaad.report.model import Figure, Section
from thaad.report.maps import draw_sectors, fan
from thaad.report.questions import QUESTIONS
from thaad.scenario import Scenario

REPORT_SCHEMA = "thaad-report/1"


def build_report(scenario: Scenario, out_dir: str | Path, *, seed: int | None = None,
                 progress: Progress | None = None) -> dict:
    """Run every question of ``scenario`` and write the report folder; returns a summary dict."""
    t0 = time.perf_counter()
    out = Path(out_dir)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    (out / "layers").mkdir(parents=True, exist_ok=True)
    ctx = Context(scenario, scenario.seed if seed is None else int(seed), progress or NullProgress())
    ctx.cite_place(catalog.find_place(scenario.site.place) if scenario.site.place else _site_place(ctx))
    timings = {}
    sections: list[Section] = []
    for q in scenario.questions:
        tq = time.perf_counter()
        sections.append(QUESTIONS[q](ctx))
        ctx.cache.setdefault("sections", {})[q] = sections[-1]  # later questions may quote earlier numbers
        timings[q] = round(time.perf_counter() - tq, 2)
    tq = time.perf_counter()
    _add_what_matters(ctx, sections)
    timings["what_matters"] = round(time.perf_counter() - tq, 2)
    overview = _overview_figure(ctx)
    all_figs = [overview] + [f for s in sections for f in s.figures]
    images = {}
    for f in all_figs:
        png = F.png_bytes(f.fig)
        (out / "figures" / f"{f.key}.png").write_bytes(png)
        images[f.key] = F.data_uri(png)
        F.close(f.fig)
    features = _site_features(ctx) + [feat for s in sections for feat in s.features]
    layer_files = _write_layers(out / "layers", features, [r for s in sections for r in s.rasters])
    layer_files += _write_tables(out / "tables", sections)
    sources = sorted(ctx.sources.values(), key=lambda s: s.parameter)
    report = _report_json(ctx, sections, sources, layer_files)
    (out / "report.json").write_text(dumps(report), encoding="utf-8")
    files = [("index.html", "this page (opens offline)"), ("report.json", "every number in this report, machine-readable")]
    files += [(f"figures/{f.key}.png", f.caption[:80] + ("…" if len(f.caption) > 80 else "")) for f in all_figs]
    files += [(name, desc) for name, desc in layer_files]
    page = render_page(
        title=scenario.title, lede=scenario.description, findings=[(s.key, s.short_answer or _status_line(s)) for s in sections],
        overview=_overview_text(ctx), sections=sections, images=images, overview_figures=[overview],
        scenario_assumptions=_scenario_assumptions(ctx), sources=sources, method=_method_text(ctx), files=files,
        footer=(f"thaad {__version__} · scenario '{scenario.title}' · seed {ctx.seed} · estimate level {ctx.level}. "
                "An open model built from public sources, for analysis and teaching; not an official assessment."))
    (out / "index.html").write_text(page, encoding="utf-8")
    elapsed = time.perf_counter() - t0
    summary = {
        "report_dir": str(out),
        "index_html": str(out / "index.html"),
        "report_json": str(out / "report.json"),
        "questions": {s.key: {"status": s.status, "short_answer": s.short_answer, "missing": s.missing} for s in sections},
        "layers": [n for n, _ in layer_files if n.startswith("layers/") and not n.endswith("/")],
        "seed": ctx.seed,
        "elapsed_s": round(elapsed, 1),
    }
    run_meta = {"thaad_version": __version__, "python": platform.python_version(), "elapsed_s": round(elapsed, 2),
                "question_s": timings, "finished_unix": int(time.time())}
    (out / "run.json").write_text(dumps(run_meta), encoding="utf-8")
    return summary


def _add_what_matters(ctx, sections: list[Section]) -> None:
    """Append each answered question's 'what matters most' table (a small one-at-a-time sweep)."""
    from thaad.report.model import Table
    from thaad.sweep.matters import what_matters

    answered = tuple(s.key for s in sections if s.status != "missing")
    task = ctx.progress.task("what matters most", 1)
    tables = what_matters(ctx.scenario, answered)
    task.advance()
    for s in sections:
        t = tables.get(s.key)
        if t:
            s.tables.append(Table(f"{s.key}-what-matters", t["caption"], t["columns"], t["rows"]))
            s.numbers["what_matters"] = {"columns": t["columns"], "rows": t["rows"]}


def _site_place(ctx):
    site = ctx.site
    return catalog.Place(key="site", name=site.name, lat_deg=site.lat_deg, lon_deg=site.lon_deg, alt_m=site.alt_m,
                         country="--", kind="site", source="scenario file (user-supplied coordinates)", estimate=True)


def _status_line(s: Section) -> str:
    if s.missing:
        return "Not answered in this build: needs " + "; ".join(s.missing) + "."
    return ""


def _report_json(ctx, sections, sources, layer_files) -> dict:
    qs = {}
    for s in sections:
        qs[s.key] = {
            "title": s.title, "question": s.question, "status": s.status, "short_answer": s.short_answer,
            "assumptions": s.assumptions, "band": s.band, "numbers": s.numbers, "missing": s.missing,
            "tables": [{"key": t.key, "caption": t.caption, "columns": t.columns, "rows": t.rows} for t in s.tables],
            "figures": [{"key": f.key, "file": f"figures/{f.key}.png", "caption": f.caption} for f in s.figures],
            "commands": s.commands,
        }
    return {
        "schema": REPORT_SCHEMA,
        "thaad_version": __version__,
        "seed": ctx.seed,
        "estimate_level": ctx.level,
        "scenario": ctx.scenario.model_dump(mode="json"),
        "site": asdict(ctx.site),
        "questions": qs,
        "sources": [asdict(s) for s in sources],
        "layers": [n for n, _ in layer_files if n.startswith("layers/") and not n.endswith("/")],
        "tables": [n for n, _ in layer_files if n.startswith("tables/")],
    }


def _site_features(ctx) -> list[dict]:
    site = ctx.site
    feats = [point_feature(site.lon_deg, site.lat_deg, {"layer": "site", "name": site.name, "kind": "radar"})]
    for i, l in enumerate(ctx.scenario.launchers):
        p = l.resolve()
        feats.append(point_feature(p.lon_deg, p.lat_deg, {"layer": "site", "name": f"launchers {i + 1}: {p.name}",
                                                          "kind": "launchers", "count": l.count}))
    return feats


_LAYER_DESC = {
    "site": "radar and launcher positions",
    "coverage": "coverage contours: lowest detectable altitude bands (km)",
    "footprint": "defended footprints by number of shot opportunities",
    "trajectory": "trajectories (lon, lat, altitude in m)",
    "great-circle": "launch-to-target great circles (question 4)",
}


def _write_layers(folder: Path, features: list[dict], rasters=()) -> list[tuple[str, str]]:
    """GeoJSON per layer, KML and CZML of all layers, a GeoTIFF per raster; returns
    (path relative to the report folder, description) pairs."""
    from thaad.gis.czml import write_czml
    from thaad.gis.raster import write_geotiff

    by_layer: dict[str, list[dict]] = {}
    for f in features:
        by_layer.setdefault(f["properties"].get("layer", "other"), []).append(f)
    files = []
    for layer in sorted(by_layer):
        name = f"{layer}.geojson"
        write_geojson(folder / name, by_layer[layer], layer)
        files.append((f"layers/{name}", _LAYER_DESC.get(layer, layer) + " (GeoJSON, for QGIS)"))
    write_kml(folder / "thaad.kml", features, "thaad assessment layers")
    files.append(("layers/thaad.kml", "all layers for Google Earth (KML)"))
    write_czml(folder / "thaad.czml", features, "thaad assessment layers")
    files.append(("layers/thaad.czml", "all layers for Cesium (CZML, trajectories animated)"))
    try:
        for r in rasters:
            write_geotiff(folder / f"{r.key}.tif", r.lon_deg, r.lat_deg, {r.band: r.values}, {"description": r.description})
            files.append((f"layers/{r.key}.tif", r.description + " (GeoTIFF)"))
    except InputError:  # rasterio absent: the report says so instead of failing
        files.append(("layers/", "GeoTIFF rasters not written: install the thaad[dem] extra (rasterio)"))
    return files


def _write_tables(folder: Path, sections) -> list[tuple[str, str]]:
    from thaad.gis.tables import write_csv

    files = []
    for t in (t for s in sections for t in s.tables):
        folder.mkdir(parents=True, exist_ok=True)
        write_csv(folder / f"{t.key}.csv", t.columns, t.rows)
        files.append((f"tables/{t.key}.csv", t.caption[:80] + ("…" if len(t.caption) > 80 else "") + " (CSV)"))
    return files


def _overview_figure(ctx) -> Figure:
    sc = ctx.scenario
    g = sc.grids
    fig = F.new_figure(8.0, 6.0)
    ax, _ = F.map_axes(fig, g.lon_min_deg, g.lon_max_deg, g.lat_min_deg, g.lat_max_deg)
    site = ctx.site

    for sh_i, sh in enumerate(sc.shields):
        draw_sectors(ax, site, [(x.az_start_deg, x.az_end_deg, x.el_max_deg) for x in sh.sectors], 900.0 + 300 * sh_i)
    lat, lon = fan(site, [sc.radar.boresight_deg], 1200.0)
    ax.annotate("", xy=(lon[0], lat[0]), xytext=(site.lon_deg, site.lat_deg),
                arrowprops={"arrowstyle": "->", "color": F.PALETTE["terminal"], "lw": 1.5}, zorder=6)
    ax.annotate("boresight", (lon[0], lat[0]), fontsize=7, color=F.PALETTE["terminal"])
    items = [(site.lon_deg, site.lat_deg, f"{ctx.site_label} (radar + launchers)", "#111", "^", 7)]
    for p in ctx.report_places():
        if g.lon_min_deg <= p.lon_deg <= g.lon_max_deg and g.lat_min_deg <= p.lat_deg <= g.lat_max_deg:
            items.append((p.lon_deg, p.lat_deg, p.name, "#333", "o", 2.5))
    seen = set()
    for th in sc.threats:
        for n in th.launch:
            p = catalog.find_place(n)
            if p.key in seen or not (g.lon_min_deg <= p.lon_deg <= g.lon_max_deg and g.lat_min_deg <= p.lat_deg <= g.lat_max_deg):
                continue
            seen.add(p.key)
            items.append((p.lon_deg, p.lat_deg, p.name, F.PALETTE["kp"] if p.country == "KP" else F.PALETTE["cn"], "x", 5))
    F.label_points(ax, items, fontsize=6)
    ax.set_title("Scenario: radar boresight, shield sectors (grey), launch areas (x), reference places", fontsize=10)
    cap = (f"The scenario on a map: the radar at {ctx.site_label} and its face boresight, the shield variants of question 2 "
           "(grey wedges; hatched = low-elevation screen), publicly reported launch areas (crosses) and the reference places.")
    return Figure("overview", cap, fig)


def _overview_text(ctx) -> list[str]:
    sc = ctx.scenario
    site = ctx.site
    n_int = sum(l.count * l.interceptors_each for l in sc.launchers)
    return [
        f"A THAAD battery at {site.name} ({site.lat_deg:.4f} N, {site.lon_deg:.4f} E, {site.alt_m:.0f} m above sea level): "
        f"one AN/TPY-2 X-band radar and {sum(l.count for l in sc.launchers)} launchers with {n_int} interceptors. "
        "The radar can run in terminal mode (fire control for the battery's own interceptors) or forward-based mode "
        "(early warning far out); the two are configurations of the same radar, and a change is reported to take hours.",
        "Every number below comes from the physics model run on this scenario, with parameters from public sources "
        f"(listed at the end). Headline numbers use the '{ctx.level}' estimates; where sources disagree, a low/nominal/high "
        "band shows how much the answer moves.",
    ]


def _scenario_assumptions(ctx) -> list[str]:
    sc = ctx.scenario
    out = [
        f"Radar site: {ctx.site.name}; boresight {sc.radar.boresight_deg:g} deg; "
        f"modes mapped: {', '.join(sc.radar.modes)}; the battery fights in {sc.radar.defence_mode} mode.",
        f"Effective Earth-radius factor k = {sc.radar.k_factor:.4g} (standard refraction); smooth Earth, no terrain mask.",
        "Target radar cross-sections: " + (f"warhead {sc.rcs.warhead_m2:g} m^2" if sc.rcs.warhead_m2 else "warhead: catalogue preset")
        + ", " + (f"booster {sc.rcs.booster_m2:g} m^2." if sc.rcs.booster_m2 else "booster: catalogue preset."),
        ("Single-shot kill probability: " + (f"{sc.engagement.pk:g} (set in the scenario)" if sc.engagement.pk is not None else
         f"the catalogue's band for battery '{sc.engagement.battery}'") + "; no public statistic supports a precise value."),
        f"Grids: coverage {sc.grids.coverage_km:g} km, footprint {sc.grids.footprint_km:g} km with "
        f"{sc.grids.footprint_samples} Monte Carlo samples; seed {ctx.seed}.",
    ]
    return out


def _method_text(ctx) -> list[str]:
    return [
        "Radar: the radar range equation (search and track forms) calibrated to the publicly reported detection ranges of "
        "each mode; line of sight over the WGS84 ellipsoid with refraction through an effective Earth radius; array face "
        "limits and the minimum beam elevation; blanked sectors removed exactly.",
        "Threats: point-mass flight of many missiles at once (multi-stage boost, gravity turn, drag with a Mach-dependent "
        "coefficient, J2 gravity, rotating Earth), aimed at each target on the requested trajectory shape.",
        "Battery: interceptor flyout from public estimates (burnout speed, intercept altitude band, maximum range), reaction "
        "times, shot opportunities with shoot-look-shoot, and a Monte Carlo over the published parameter ranges for the footprints.",
        "Limits: no terrain, no clutter, no countermeasures or decoys, no radar scheduling or resource limits, no "
        "classified performance data. Public figures differ widely; the low/nominal/high bands are the honest answer, "
        "not the nominal number alone.",
    ]


__all__ = ["build_report", "REPORT_SCHEMA"]

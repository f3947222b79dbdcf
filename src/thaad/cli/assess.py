"""CLI command: ``thaad assess`` (INTERIM: flies the built-in North-Korea-to-Seongju
trajectory set and writes a small report; the assessment report replaces this module)."""

from __future__ import annotations

import html
import math
from pathlib import Path

import click
import numpy as np

from thaad import catalog
from thaad.ballistics import FlightOptions, aim
from thaad.cli.common import dumps, emit_json, json_option

# missiles that plausibly reach South Korea from North Korean launch areas
NK_MISSILES = ("scud-b", "scud-c", "scud-er", "hwasong-7", "kn-23")


def _fly_set(quiet: bool):
    launches = catalog.places_tagged("nk-launch")
    targets = [catalog.places()["seongju"]] + catalog.places_tagged("defended")
    names = [m for m in NK_MISSILES if m in catalog.missiles()] if hasattr(catalog, "missiles") else []
    opts = FlightOptions(sample_s=5.0)
    results = []
    for name in names:
        vehicle = catalog.missile_vehicle(name)
        pairs = [(lp, tp) for lp in launches for tp in targets]
        rad = np.radians
        ts, sol = aim(vehicle, rad([lp.lat_deg for lp, _ in pairs]), rad([lp.lon_deg for lp, _ in pairs]),
                      rad([tp.lat_deg for _, tp in pairs]), rad([tp.lon_deg for _, tp in pairs]),
                      launch_alt_m=np.array([lp.alt_m for lp, _ in pairs]),
                      target_alt_m=np.array([tp.alt_m for _, tp in pairs]), options=opts)
        for i, (lp, tp) in enumerate(pairs):
            n = int(ts.n_samples[i])
            results.append({
                "missile": vehicle.name, "from": lp.key, "to": tp.key, "reachable": bool(sol.reachable[i]),
                "range_km": ts.range_m[i] / 1e3, "target_range_km": sol.target_range_m[i] / 1e3,
                "apogee_km": ts.apogee_alt_m[i] / 1e3, "flight_time_s": ts.impact_time_s[i],
                "burnout_speed_m_s": ts.burnout_speed_m_s[i], "impact_speed_m_s": ts.impact_speed_m_s[i],
                "miss_km": sol.miss_m[i] / 1e3,
                "_lon": np.degrees(ts.lon_rad[i, :n]), "_lat": np.degrees(ts.lat_rad[i, :n]),
                "_alt": ts.alt_m[i, :n] / 1e3, "_t": ts.t_s[i, :n],
            })
        if not quiet:
            click.echo(f"  {vehicle.name}: {int(sol.reachable.sum())}/{len(pairs)} launch-target pairs reachable", err=True)
    return results


def _figure(results, path: Path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 5.5))
    colours = {}
    for r in results:
        if not r["reachable"]:
            continue
        c = colours.setdefault(r["missile"], f"C{len(colours)}")
        ax1.plot(r["_lon"], r["_lat"], color=c, lw=0.7)
        ax2.plot(r["_t"], r["_alt"], color=c, lw=0.7)
    for name, c in colours.items():
        ax2.plot([], [], color=c, label=name)
    s = catalog.places()["seongju"]
    ax1.plot(s.lon_deg, s.lat_deg, "k^", ms=8, label="Seongju THAAD")
    ax1.set_xlabel("longitude (deg)"), ax1.set_ylabel("latitude (deg)"), ax1.set_aspect(1 / math.cos(math.radians(37)))
    ax1.set_title("Ground tracks (minimum-energy)"), ax1.legend(loc="lower right", fontsize=8), ax1.grid(alpha=0.3)
    ax2.set_xlabel("time since launch (s)"), ax2.set_ylabel("altitude (km)"), ax2.set_title("Altitude")
    ax2.legend(fontsize=8), ax2.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


@click.command("assess")
@click.argument("scenario", required=False)
@click.option("--out", "out_dir", default="report", show_default=True, help="Report folder.")
@json_option
@click.option("--quiet", is_flag=True, help="No progress messages.")
def assess_command(scenario, out_dir, as_json, quiet):
    """Write the assessment report (interim: North Korea -> Seongju trajectory set)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if not quiet:
        click.echo("thaad assess: flying North Korean missiles toward Seongju and South Korean places ...", err=True)
    results = _fly_set(quiet)
    public = [{k: v for k, v in r.items() if not k.startswith("_")} for r in results]
    report = {"title": "thaad interim assessment: North Korea to Seongju trajectories",
              "scenario": scenario or "built-in seongju", "trajectories": public}
    (out / "report.json").write_text(dumps(report))
    _figure(results, out / "trajectories.png")
    def cell(r, key):
        return f"{r[key]:.0f}" if r["reachable"] and r[key] is not None else ""

    rows = "".join(
        f"<tr><td>{html.escape(r['missile'])}</td><td>{r['from']}</td><td>{r['to']}</td><td>{r['reachable']}</td>"
        f"<td>{r['target_range_km']:.0f}</td><td>{cell(r, 'apogee_km')}</td><td>{cell(r, 'flight_time_s')}</td></tr>"
        for r in public
    )
    (out / "index.html").write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>thaad assessment</title></head><body>"
        f"<h1>{html.escape(report['title'])}</h1><p>Interim report: minimum-energy trajectories of catalogue "
        "missiles from public North Korean launch areas to Seongju and South Korean places.</p>"
        "<img src='trajectories.png' alt='trajectories' style='max-width:100%'>"
        "<table border='1'><tr><th>missile</th><th>from</th><th>to</th><th>reachable</th><th>range km</th>"
        f"<th>apogee km</th><th>flight s</th></tr>{rows}</table></body></html>"
    )
    index = out / "index.html"
    if as_json:
        emit_json({"report": str(index), "report_json": str(out / "report.json"), "trajectories": len(public),
                   "reachable": sum(r["reachable"] for r in public)})
    else:
        click.echo(str(index))


COMMANDS = [assess_command]

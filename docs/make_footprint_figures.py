"""Make docs/figures/footprint_seongju.png: Seongju's defended footprints against North
Korean missile classes from public launch areas, with Monte Carlo bands.

    PYTHONPATH=src python docs/make_footprint_figures.py [--grid-km 10] [--samples 8] [--seed 1]

Also writes docs/figures/footprint_seongju.json with the numbers quoted in the README.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from thaad import catalog  # noqa: E402
from thaad.cli.common import dumps, parse_point  # noqa: E402
from thaad.cli.engagement import run_footprint  # noqa: E402
from thaad.gis.footprint import plot_footprint  # noqa: E402

# (missile, launch area): North Korean classes that can reach South Korea, from launch
# areas named in public reporting (places tagged nk-launch).
CASES = [
    ("scud-b", "sakkanmol"),
    ("scud-c", "wonsan"),
    ("kn-23", "sinpo"),
    ("hwasong-7", "sunan"),
]


def fan_figure(path: Path) -> None:
    """The THAAD flyout fan: shortest time of flight to each (ground range, altitude) cell."""
    import numpy as np

    from thaad.interceptor import flyout_fan

    ic = catalog.interceptor("thaad")
    fan = flyout_fan(ic)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    s_km, h_km = fan.range_m / 1e3, fan.alt_m / 1e3
    kin = np.ma.masked_invalid(fan.kinematic_tof_s.T)
    ax.contourf(s_km, h_km, kin, levels=np.arange(0, 201, 10), cmap="Greys", alpha=0.35)
    cs = ax.contour(s_km, h_km, np.ma.masked_invalid(fan.tof_s.T), levels=[30, 45, 60, 75, 90, 105, 120],
                    cmap="viridis")
    ax.clabel(cs, fmt="%d s", fontsize=7)
    rays = fan.rays
    for i in range(0, rays["range_m"].shape[0], 20):
        ax.plot(rays["range_m"][i] / 1e3, rays["alt_m"][i] / 1e3, color="#888888", lw=0.5)
    ax.axhspan(ic.min_intercept_alt_m / 1e3, ic.max_intercept_alt_m / 1e3, xmax=ic.max_intercept_range_m / 250e3,
               fill=False, ec="#d7301f", lw=1.2, ls="--")
    ax.set_xlim(0, 250)
    ax.set_ylim(0, 200)
    ax.set_xlabel("ground range from the launcher (km)")
    ax.set_ylabel("altitude (km)")
    ax.set_title("THAAD flyout fan (public estimates): time of flight to intercept, s\n"
                 "grey: kinematic reach; dashed box: 40-150 km, 200 km engagement limits; lines: launch elevations",
                 fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--grid-km", type=float, default=10.0)
    ap.add_argument("--extent-km", type=float, default=300.0)
    ap.add_argument("--samples", type=int, default=8)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=str(Path(__file__).parent / "figures" / "footprint_seongju.png"))
    ap.add_argument("--fan-only", action="store_true", help="only the flyout-fan figure")
    args = ap.parse_args()

    fan_path = Path(args.out).with_name("flyout_fan.png")
    fan_figure(fan_path)
    print(f"wrote {fan_path}")
    if args.fan_only:
        return
    fig, axes = plt.subplots(2, 2, figsize=(11, 11))
    summary = {"grid_km": args.grid_km, "extent_km": args.extent_km, "samples": args.samples, "seed": args.seed,
               "cases": []}
    mesh = None
    for ax, (missile, area) in zip(axes.ravel(), CASES):
        t0 = time.perf_counter()
        launch = parse_point(area, "from")
        fp, bat, places = run_footprint("seongju", missile, launch, grid_km=args.grid_km, extent_km=args.extent_km,
                                        samples=args.samples, seed=args.seed)
        name = catalog.find_missile(missile).name
        lo, mid, hi = fp.band()["defended_area_km2"]
        mesh = plot_footprint(ax, fp, bat, places, launch=launch,
                              title=f"{name} from {launch.name}\ndefended {fp.defended_area_km2:,.0f} km$^2$ "
                                    f"(5-95%: {lo:,.0f}-{hi:,.0f})")
        summary["cases"].append({
            "missile": name, "launch": launch.name,
            "defended_area_km2": fp.defended_area_km2,
            "expected_defended_area_km2": fp.expected_defended_area_km2,
            "threatened_area_km2": fp.threatened_area_km2,
            "band": fp.band(),
            "max_shots": int(fp.shots.max()),
            "places": {p.key: {"shots": int(s), "defended_probability": float(q)}
                       for p, s, q in zip(places, fp.point_shots, fp.point_defended_probability)},
            "seconds": time.perf_counter() - t0,
        })
        print(f"{name:12s} from {launch.name:28s} defended {fp.defended_area_km2:9,.0f} km^2 "
              f"(5/50/95%: {lo:,.0f}/{mid:,.0f}/{hi:,.0f}); {time.perf_counter() - t0:.1f} s", flush=True)
    cb = fig.colorbar(mesh, ax=axes, shrink=0.5, ticks=[1, 2, 3, 4])
    cb.ax.set_yticklabels(["1", "2", "3", "4+"])
    cb.set_label("shot opportunities per aim point (shoot-look-shoot, nominal parameters)")
    fig.suptitle("Seongju THAAD battery: ground defended against North Korean missiles (minimum-energy "
                 "trajectories)\ncontours: share of Monte Carlo samples defended (5 / 50 / 95 %); dashed ring: "
                 "200 km intercept range", fontsize=10)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    out.with_suffix(".json").write_text(dumps(summary) + "\n", encoding="utf-8")
    print(f"wrote {out} and {out.with_suffix('.json')}")


if __name__ == "__main__":
    main()

"""Figures and tables for the README "Ballistic model" section.

* docs/figures/range_apogee.png: range versus apogee at full energy for the catalogue
  missiles (loft swept from depressed to lofted; dot: minimum-energy = maximum range),
  with the published lofted test flights of Hwasong-12/14/15 for comparison.
* prints the calibration table (published range vs model maximum range) and the lofted
  test-flight comparison as Markdown.

Run: PYTHONPATH=src python docs/make_ballistics_figures.py
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from thaad import catalog  # noqa: E402
from thaad.ballistics import FlightOptions, aim, fly, max_range_loft  # noqa: E402
from thaad.geo import geodesic_direct  # noqa: E402

OUT = Path(__file__).parent / "figures"
LAT, LON = np.radians(40.0), np.radians(127.0)


def test_flights():
    """Published lofted test flights from the catalogue: (key, name, date, km, km, s or None)."""
    return [(k, e.name, str(f.date), f.downrange_km, f.apogee_km, f.flight_time_s)
            for k, e in sorted(catalog.missiles().items()) for f in e.test_flights
            if f.downrange_km is not None and f.apogee_km is not None]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    opts = FlightOptions(sample_s=None)
    fig, ax = plt.subplots(figsize=(9, 6.5))
    rows = []
    for i, (key, entry) in enumerate(sorted(catalog.missiles().items(), key=lambda kv: kv[1].range_km.nominal)):
        v = catalog.missile_vehicle(key)
        p_opt = float(max_range_loft(v, LAT, LON, 0.0, options=opts)[0])
        lofts = np.concatenate([np.linspace(p_opt - np.radians(20), p_opt, 6), np.linspace(p_opt, np.radians(85), 14)[1:]])
        ts = fly(v, LAT, LON, 0.0, lofts, options=opts)
        ok = np.isfinite(ts.range_m)
        c = plt.cm.tab20(i % 20)
        ax.plot(ts.range_m[ok] / 1e3, ts.apogee_alt_m[ok] / 1e3, "-", color=c, lw=1.2, label=entry.name)
        best = fly(v, LAT, LON, 0.0, p_opt, options=opts)
        ax.plot(best.range_m / 1e3, best.apogee_alt_m / 1e3, "o", color=c, ms=5)
        rng = best.range_m[0] / 1e3
        rows.append((entry.name, entry.range_km.nominal, rng, 100 * (rng / entry.range_km.nominal - 1),
                     best.apogee_alt_m[0] / 1e3, best.burnout_speed_m_s[0], v.payload_kg))
        for k2, _, _, r, a, _ in test_flights():
            if k2 == key:
                ax.plot(r, a, "*", color=c, ms=13, mec="k")
    ax.set_xscale("log"), ax.set_yscale("log")
    ax.set_xlabel("ground range (km)"), ax.set_ylabel("apogee (km)")
    ax.set_title("Full-energy trajectories of the catalogue missiles (loft swept)\n"
                 "dot: minimum-energy (maximum range); star: published lofted test flight")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=7, ncol=2, loc="upper left")
    fig.tight_layout()
    fig.savefig(OUT / "range_apogee.png", dpi=110)
    print(f"wrote {OUT / 'range_apogee.png'}\n")
    print("| missile | published range km | model max range km | difference | apogee km | burnout speed m/s | payload kg |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r[0]} | {r[1]:.0f} | {r[2]:.0f} | {r[3]:+.1f} % | {r[4]:.0f} | {r[5]:.0f} | {r[6]:.0f} |")
    print("\n| test flight | published range / apogee / time | model (lofted, apogee given) |")
    print("|---|---|---|")
    from thaad.errors import UnreachableError

    for key, name, date, r, a, secs in test_flights():
        tlat, tlon, _ = geodesic_direct(np.radians(39.0), np.radians(125.7), np.radians(90.0), r * 1e3)
        note = ""
        try:
            ts, sol = aim(catalog.missile_vehicle(key), np.radians(39.0), np.radians(125.7), float(tlat), float(tlon),
                          shape="lofted", apogee_m=a * 1e3)
        except UnreachableError:
            note = " with the catalogue's 'high' level (nominal payload cannot reach this apogee)"
            ts, sol = aim(catalog.missile_vehicle(key, "high"), np.radians(39.0), np.radians(125.7), float(tlat),
                          float(tlon), shape="lofted", apogee_m=a * 1e3)
        model = (f"{ts.range_m[0] / 1e3:.0f} km / {ts.apogee_alt_m[0] / 1e3:.0f} km / "
                 f"{ts.impact_time_s[0] / 60:.1f} min (burn fraction {sol.energy_fraction[0]:.2f}){note}")
        pub = f"{r:.0f} km / {a:.0f} km / {'n/a' if secs is None else f'{secs / 60:.1f} min'}"
        print(f"| {name} {date} | {pub} | {model} |")


if __name__ == "__main__":
    main()

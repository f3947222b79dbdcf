"""Radar figures for the README: Seongju AN/TPY-2 coverage in terminal and forward-based
mode (lowest detectable altitude of a warhead-sized target; dashed: edge of coverage for
a booster-sized target).

Run:  PYTHONPATH=src python docs/make_radar_figures.py  ->  docs/figures/coverage_seongju.png
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from thaad import assemble as A  # noqa: E402
from thaad import catalog  # noqa: E402
from thaad.radar import coverage_map  # noqa: E402
from thaad.radar_outputs import plot_coverage  # noqa: E402

OUT = Path(__file__).parent / "figures" / "coverage_seongju.png"
BOX = (111.0, 137.0, 29.0, 48.0)  # lon_min, lon_max, lat_min, lat_max
STEP_DEG = 0.1
LEVELS_KM = (0, 20, 40, 60, 80, 100, 125, 150, 175, 200)


def main(out: Path = OUT) -> Path:
    p = catalog.find_place("seongju")
    site = A.radar_site(p.point())
    warhead = A.rcs_m2("warhead")
    booster = A.rcs_m2("booster")
    lat = np.radians(np.arange(BOX[2], BOX[3] + 1e-9, STEP_DEG))
    lon = np.radians(np.arange(BOX[0], BOX[1] + 1e-9, STEP_DEG))
    places = [(q.name.split(" (")[0], q.lat_deg, q.lon_deg) for q in catalog.places_tagged("report")]
    fig, axes = plt.subplots(1, 2, figsize=(13, 6.2))
    for ax, mode in zip(axes, ("terminal", "forward-based")):
        radar = A.radar("tpy2", mode, site)
        cov = coverage_map(radar, lat, lon, warhead)
        big = coverage_map(radar, lat, lon, booster)
        title = (f"AN/TPY-2 {mode} mode, Seongju (boresight {math.degrees(radar.boresight_az_rad):.0f} deg, +/-"
                 f"{math.degrees(radar.az_half_width_rad):.0f} deg, min el {math.degrees(radar.min_el_rad):.0f} deg)\n"
                 f"warhead {warhead:g} m$^2$: R = {cov.detection_range_m / 1e3:.0f} km (filled); "
                 f"booster {booster:g} m$^2$: R = {big.detection_range_m / 1e3:.0f} km (dashed edge)")
        plot_coverage(ax, cov, radar, places=places, title=title, box=BOX, levels_km=LEVELS_KM)
        ax.contour(np.degrees(lon), np.degrees(lat), big.covered.astype(float), levels=[0.5], colors="#333333",
                   linestyles="--", linewidths=0.9, zorder=1.7)
    fig.suptitle("Lowest altitude at which a target is detectable (km above the ellipsoid); smooth Earth, k = 4/3, "
                 "nominal catalogue parameters (reported ranges taken to refer to 0.1 m$^2$)", fontsize=9)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


if __name__ == "__main__":
    print(main())

"""Shot opportunities of the Seongju battery against North Korean missile classes aimed at
South Korean places (minimum-energy trajectories, nominal parameters).

    PYTHONPATH=src python docs/make_engagement_table.py   # prints a Markdown table, writes JSON

Writes docs/figures/engagement_nk.json (numbers quoted in the README).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from thaad import catalog
from thaad.cli.common import dumps
from thaad import assemble as A
from thaad.engagement import engage

CASES = [  # (missile, launch area from places tagged nk-launch, shape, apogee km)
    ("scud-b", "sakkanmol", "min-energy", None),
    ("scud-c", "wonsan", "min-energy", None),
    ("kn-23", "sinpo", "min-energy", None),
    ("scud-er", "sunan", "min-energy", None),
    ("hwasong-7", "sunan", "min-energy", None),
]
TARGETS = ["seongju", "daegu", "busan", "ulsan", "gwangju", "daejeon", "pyeongtaek", "seoul"]


def main():
    bat = A.battery("seongju")
    pk = A.battery_pk("seongju")
    detect = A.detect_function(A.battery_radar("seongju"), A.rcs_m2())
    targets = [catalog.find_place(k) for k in TARGETS]
    rows = []
    for missile, area, shape, apogee_km in CASES:
        launch = catalog.find_place(area)
        label = catalog.find_missile(missile).name + ("" if apogee_km is None else f", {shape} {apogee_km:.0f} km")
        ts = A.fly_function(A.vehicle_band(missile), shape, None if apogee_km is None else apogee_km * 1e3)(np.radians(launch.lat_deg), np.radians(launch.lon_deg),
                               np.radians([t.lat_deg for t in targets]), np.radians([t.lon_deg for t in targets]), None)
        det, vis = detect(ts)
        res = engage(ts, det, bat, visible=vis)
        for j, t in enumerate(targets):
            reach = bool(ts.n_samples[j] > 0)
            rows.append({
                "missile": label, "shape": shape, "launch": launch.name, "target": t.name,
                "reachable": reach, "range_km": ts.range_m[j] / 1e3, "apogee_km": ts.apogee_alt_m[j] / 1e3,
                "detected_t_s": det[j], "shots": int(res.shot_opportunities[j]) if reach else None,
                "first_intercept_alt_km": res.first_intercept_alt_m[j] / 1e3,
                "p_kill": float(res.p_kill(pk)[j]) if reach else None,
            })
    out = Path(__file__).parent / "figures" / "engagement_nk.json"
    out.write_text(dumps({"battery": bat.name, "pk": pk, "rows": rows}) + "\n", encoding="utf-8")
    header = "| missile (launch area) | apogee km | " + " | ".join(t.name.split(" (")[0] for t in targets) + " |"
    print(header)
    print("|" + "---|" * (len(targets) + 2))
    for label in dict.fromkeys(r["missile"] for r in rows):
        sub = [r for r in rows if r["missile"] == label]
        apo = [r["apogee_km"] for r in sub if r["reachable"]]
        cells = ["out of reach" if not r["reachable"] else str(r["shots"]) for r in sub]
        span = f"{min(apo):.0f}-{max(apo):.0f}" if apo else "-"
        print(f"| {sub[0]['missile']} ({sub[0]['launch'].split(' (')[0]}) | {span} | " + " | ".join(cells) + " |")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

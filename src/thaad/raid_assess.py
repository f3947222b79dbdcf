"""The scenario's raid, evaluated: names become objects here, then :mod:`thaad.raid` runs.

Shell module used by ``thaad raid`` and the report (q3).  Each wave's missiles are aimed
at their targets in one ballistics call, seen by the radar in one call and windowed in one
call; the allocation, the saturation size by raid make-up and the decoy sweep reuse those
windows (no more flights).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from thaad import assemble as A
from thaad import catalog, raid_data
from thaad import raid as R


def _battery(sc, level):
    b, pk = A.scenario_battery(sc, level)
    launcher_site = tuple(i for i, l in enumerate(sc.launchers) for _ in range(l.count))
    return b, pk, launcher_site


def _detector(sc, level):
    return A.detect_function(A.scenario_radar(sc, sc.radar.defence_mode, level), A.scenario_rcs_m2(sc, "warhead", level))


def _concat(parts: list[R.Windows]) -> R.Windows:
    j = max(w.t_s.shape[1] for w in parts)

    def pad(a, inf):
        width = [(0, 0)] * (a.ndim - 1) + [(0, j - a.shape[-1])]
        return np.pad(a, width, constant_values=np.inf) if inf else np.pad(a, width, mode="edge")

    return R.Windows(np.concatenate([pad(w.t_s, True) for w in parts]),
                     np.concatenate([pad(w.launch_max_s, False) for w in parts]),
                     np.concatenate([w.ready_s for w in parts]), np.concatenate([w.impact_s for w in parts]))


def flown_windows(sc, level: str, battery, detect):
    """Windows of every (wave, target) trajectory: one aim call per wave."""
    parts, rows, first = [], [], 0
    for w in sc.raid.waves:
        launch = catalog.find_place(w.launch)
        targets = [catalog.find_place(t) for t in w.targets]
        n = len(targets)
        flight = A.fly(A.vehicle_band(w.missile).at(level), math.radians(launch.lat_deg), math.radians(launch.lon_deg),
                       np.radians([t.lat_deg for t in targets]), np.radians([t.lon_deg for t in targets]), w.shape,
                       None if w.apogee_km is None else w.apogee_km * 1e3)
        det, vis = detect(flight.ts)
        parts.append(R.windows(flight.ts, np.where(flight.reachable, det, np.nan), battery, visible=vis))
        rows.append(first + np.arange(n))
        first += n
    return _concat(parts), rows


def _objects(sc, rows, decoys=None, scale: int = 1, waves=None, interleave: bool = False):
    """Raid objects of the scenario's waves (``scale`` copies of the make-up, in turn);
    ``interleave`` orders the warheads so that any first n of them mix the waves in proportion."""
    g, a, d, key = [], [], [], []
    for rep in range(scale):
        for wi, w in enumerate(sc.raid.waves):
            if waves is not None and wi not in waves:
                continue
            k = np.arange(w.count)
            g.append(rows[wi][k % len(rows[wi])])
            a.append(w.start_s + k * w.interval_s)
            dec = w.decoys if decoys is None else decoys
            d.append(R.credible_decoys(w.count, dec, w.p_undiscriminated if decoys is None else 1.0))
            key.append(rep + (k + 0.5) / w.count)
    g, a, d, key = (np.concatenate(x) for x in (g, a, d, key))
    order = np.argsort(key, kind="stable") if interleave else np.arange(g.size)
    return R.raid_objects(g[order], a[order], d[order])


def evaluate(sc, level: str = "nominal") -> dict:
    """The raid at one estimate level: per-wave results, saturation by make-up, decoy sweep."""
    rd = sc.raid
    b, pk, lsite = _battery(sc, level)
    limits = replace(raid_data.raid_limits(sc.engagement.battery, level, fire_channels=rd.fire_channels,
                                           launch_interval_s=rd.launch_interval_s, reload_s=rd.reload_s,
                                           reload_rounds=rd.reload_rounds), launcher_site=lsite)
    doctrine = R.Doctrine(rd.doctrine, rd.max_shots)
    win, rows = flown_windows(sc, level, b, _detector(sc, level))
    objs = _objects(sc, rows)
    res = R.run(win, objs, b, limits, doctrine, pk)
    waves, start = [], 0
    for w in sc.raid.waves:
        sel = slice(start, start + w.count)
        start += w.count
        wsel = (objs.warhead_index >= sel.start) & (objs.warhead_index < sel.stop)
        waves.append({"name": w.name, "missile": w.missile, "launch": w.launch, "missiles": w.count,
                      "objects": int(wsel.sum()), "engageable": int(np.sum(res.engageable & wsel & ~objs.is_decoy)),
                      "interceptors_committed": int(res.shots[wsel].sum()),
                      "interceptors_expected": round(float(res.object_expected_interceptors[wsel].sum()), 2),
                      "mean_p_kill": round(float(res.warhead_p_kill[sel].mean()), 3),
                      "expected_leakers": round(float(np.sum(1 - res.warhead_p_kill[sel])), 2)})
    per_missile = [{"wave": sc.raid.waves[int(np.searchsorted(np.cumsum([w.count for w in sc.raid.waves]), i, side="right"))].name,
                    "shots": int(res.warhead_shots[i]), "p_kill": round(float(res.warhead_p_kill[i]), 3)}
                   for i in range(res.warhead_p_kill.size)]
    n_max = rd.saturation_max
    total = sum(w.count for w in rd.waves)
    makeups = [(f"{w.name} only", [i]) for i, w in enumerate(rd.waves)] + ([("all waves together", None)] if len(rd.waves) > 1 else [])
    saturation = []
    for label, sel in makeups:
        per = sum(w.count for i, w in enumerate(rd.waves) if sel is None or i in sel)
        scale = max(1, math.ceil(n_max / per))
        for dec in sorted({0.0, *rd.decoy_sweep[-1:]}):
            o = _objects(sc, rows, decoys=dec, scale=scale, waves=sel, interleave=True)
            o = o.first(n_max)
            n_sat = R.saturation_size(win, o, b, limits, doctrine, pk)
            saturation.append({"make_up": label, "decoys_per_warhead": dec, "saturation_size": n_sat,
                               "tried_up_to": int(o.warhead_index.max()) + 1})
    sweep = []
    for dec in rd.decoy_sweep:
        r = R.run(win, _objects(sc, rows, decoys=dec), b, limits, doctrine, pk)
        sweep.append({"decoys_per_warhead": dec, "objects": int(r.shots.size), "expected_leakers": round(r.expected_leakers, 2),
                      "interceptors_committed": r.interceptors_committed, "unengaged_objects": r.unengaged})
    return {
        "level": level, "missiles": total, "objects": int(res.shots.size), "pk": pk, "doctrine": rd.doctrine,
        "inventory": res.inventory, "fire_channels": limits.fire_channels, "launch_interval_s": limits.launch_interval_s,
        "reload_s": limits.reload_s, "reload_rounds": limits.reload_rounds,
        "interceptors_committed": res.interceptors_committed,
        "interceptors_expected": round(res.interceptors_expected, 2),
        "expected_leakers": round(res.expected_leakers, 2), "unengaged_objects": res.unengaged,
        "saturated": res.saturated, "waves": waves, "per_missile": per_missile, "saturation": saturation,
        "decoy_sweep": sweep,
    }

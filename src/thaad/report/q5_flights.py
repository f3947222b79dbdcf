"""Question 5, part 1: Chinese flights watched by Seongju and the other radars of the network.

Flies the scenario's q5 threats once (one vectorised aim per missile), then computes for
every station (Seongju in forward-based and in terminal mode, and the network radars of
``[tracking]``) and every object (booster, post-boost bus, warhead) the detection
timeline (:mod:`thaad.radar.network`), at each estimate level of the band.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from thaad import catalog
from thaad import network_catalog as nc
from thaad.report.model import Source

FBM, TERM = "seongju-fbm", "seongju-terminal"
JAPAN = ("shariki", "kyogamisaki")
ALASKA = ("cobra-dane", "clear")


@dataclass
class Flights:
    """The q5 flights: ``pairs[i] = (threat, launch place, target place)``; trajectories ``ts``."""

    pairs: list
    ts: object  # TrajectorySet (rows in the order of ``pairs``)
    icbm: np.ndarray  # (N,) bool
    reachable: np.ndarray  # (N,) bool
    labels: list[str]


@dataclass
class Network:
    """Stations ``[(key, Station)]``, objects, and tracks ``{(station name, object): StationTrack}`` per level."""

    stations: dict  # level -> [(key, Station)]
    objects: dict  # level -> [TrackedObject]
    tracks: dict  # level -> {(station name, object name): StationTrack}

    def track(self, level: str, key: str, obj: str):
        name = dict(self.stations[level])[key].name
        return self.tracks[level][(name, obj)]


def _stack(sets):
    """Concatenate TrajectorySets along N (padding T with NaN)."""
    from dataclasses import fields, replace

    if len(sets) == 1:
        return sets[0]
    t_max = max(s.t_s.shape[1] for s in sets)
    out = {}
    for f in fields(sets[0]):
        vals = [getattr(s, f.name) for s in sets]
        if f.name in ("earth", "n_steps") or vals[0] is None or any(v is None for v in vals):
            out[f.name] = vals[0] if f.name == "earth" else (sum(vals) if f.name == "n_steps" else None)
            continue
        arrs = []
        for v in vals:
            v = np.asarray(v)
            if v.ndim >= 2 and v.shape[1] != t_max and f.name not in ("burnout_position_ecef_m", "burnout_velocity_ecef_m_s"):
                pad = [(0, 0), (0, t_max - v.shape[1])] + [(0, 0)] * (v.ndim - 2)
                v = np.pad(v.astype(float), pad, constant_values=np.nan)
            arrs.append(v)
        out[f.name] = np.concatenate(arrs, axis=0)
    out["n_samples"] = out["n_samples"].astype(int)
    return replace(sets[0], **out)


def fly(ctx, sample_s: float = 2.0) -> Flights:
    """Aim and fly every (launch, target) pair of the q5 threats, one call per missile."""
    from thaad.report import physics as P

    groups: dict = {}
    for th in ctx.scenario.threats_q5:
        for ln in th.launch:
            for tg in th.targets:
                groups.setdefault((th.missile, th.shape, th.apogee_km), []).append(
                    (th, catalog.find_place(ln), catalog.find_place(tg)))
    pairs, sets, icbm, ok = [], [], [], []
    for (missile, shape, apogee), members in groups.items():
        flight = P.fly(ctx, missile, [m[1] for m in members], [m[2] for m in members], shape, apogee, ctx.level,
                       sample_s=sample_s)
        for m in members:
            ctx.cite_place(m[1])
            ctx.cite_place(m[2])
        pairs += members
        sets.append(flight.ts)
        icbm += [catalog.find_missile(missile).category == "ICBM"] * len(members)
        ok += list(np.asarray(flight.reachable, bool))
    ts = _stack(sets)
    labels = [f"{l.name.split(' (')[0]} -> {t.name.split(' (')[0]} ({catalog.find_missile(th.missile).name})"
              for th, l, t in pairs]
    return Flights(pairs, ts, np.asarray(icbm, bool), np.asarray(ok, bool), labels)


def seongju_station(ctx, mode: str, level: str, *, site=None, boresight_deg=None):
    """The scenario's radar (site, boresight, k, minimum elevation) as a one-face Station;
    ``site`` a catalogue place to move it there."""
    from thaad import assemble as A

    sc = ctx.scenario
    p = ctx.site if site is None else site.point()
    return A.radar_station(sc.radar.radar, mode, p, level, label=f"Seongju ({mode})" if site is None else f"{p.name} ({mode})",
                           boresight_deg=sc.radar.boresight_deg if boresight_deg is None else boresight_deg,
                           k_factor=sc.radar.k_factor, min_el_deg=sc.radar.min_elevation_deg,
                           antenna_height_m=sc.site.antenna_height_m)


def network(ctx, flights: Flights) -> Network:
    """Tracks of every station and object at every level of the band."""
    from thaad import assemble as A
    from thaad.radar.network import network_tracks

    for key in ctx.scenario.tracking.network:
        e = nc.find_station(key)
        for name, q in e.quantities().items():
            ctx.cite(f"network radar {e.name}: {name}", q)
        ctx.sources[f"network radar {e.name}: site"] = Source(f"network radar {e.name}: site",
                                                              f"{e.site.lat_deg:.3f}, {e.site.lon_deg:.3f}",
                                                              e.site.source, e.site.estimate)
    for k, e in nc.aspect_entries().items():
        for part in ("nose_m2", "broadside_m2", "tail_m2"):
            ctx.cite(f"RCS by aspect, {e.name}: {part}", getattr(e, part))
    ctx.cite("post-boost vehicle time after burnout (s)", nc.post_boost_s())
    st, ob, tr, looks = {}, {}, {}, {}
    for lv in ctx.levels:
        stations = [(FBM, seongju_station(ctx, "forward-based", lv)), (TERM, seongju_station(ctx, "terminal", lv))]
        stations += [(k, A.network_station(k, lv, k_factor=ctx.scenario.radar.k_factor)) for k in ctx.scenario.tracking.network]
        objs = A.tracked_objects(flights.ts, flights.icbm, lv)
        st[lv], ob[lv] = stations, objs
        tr[lv] = network_tracks(flights.ts, [s for _, s in stations], objs, looks=looks)
    return Network(st, ob, tr)


def _r(x, nd=0):
    return None if x is None or not np.isfinite(x) else round(float(x), nd)


def seongju_vs_japan(ctx, flights: Flights, net: Network, level: str) -> list[dict]:
    """Per flight, forward-based Seongju and a warhead: track, time, margin over the Japanese radars."""
    from thaad.radar.network import added_by

    keys = [k for k, _ in net.stations[level]]
    japan = [k for k in JAPAN if k in keys]
    alaska = [k for k in ALASKA if k in keys]
    own = net.track(level, FBM, "warhead")
    term = net.track(level, TERM, "warhead")
    jp = [net.track(level, k, "warhead") for k in japan]
    others = [net.track(level, k, "warhead") for k in keys if k not in (FBM, TERM)]
    add_jp = added_by(flights.ts, own, jp)
    add_all = added_by(flights.ts, own, others)
    ak = [net.track(level, k, "warhead") for k in alaska]
    rows = []
    for i, (th, l, t) in enumerate(flights.pairs):
        jp_first = min([x.first_time_s[i] for x in jp if x.detected[i]], default=np.nan)
        ak_first = min([x.first_time_s[i] for x in ak if x.detected[i]], default=np.nan)
        firsts = [(net.track(level, k, "warhead").first_time_s[i], k) for k in keys]
        seen = sorted((t_, k) for t_, k in firsts if np.isfinite(t_))
        rows.append({
            "flight": flights.labels[i], "threat": th.name, "launch": l.key, "target": t.key,
            "reachable": bool(flights.reachable[i]), "flight_time_s": _r(flights.ts.impact_time_s[i]),
            "fbm_track_s": _r(own.track_s[i]), "fbm_first_s": _r(own.first_time_s[i]), "fbm_phase": str(own.first_phase[i]) or None,
            "fbm_range_km": _r(own.first_range_m[i] / 1e3), "fbm_elevation_deg": _r(np.degrees(own.first_elevation_rad[i]), 1),
            "fbm_aspect_deg": _r(np.degrees(own.first_aspect_rad[i])),
            "terminal_track_s": _r(term.track_s[i]),
            "japan_track_s": _r(max([x.track_s[i] for x in jp], default=0.0)),
            "japan_first_s": _r(jp_first),
            "margin_track_over_japan_s": _r(own.track_s[i] - max([x.track_s[i] for x in jp], default=0.0)),
            "exclusive_over_japan_s": _r(add_jp.exclusive_track_s[i]),
            "lead_over_japan_s": None if not own.detected[i] else ("only Seongju" if not np.isfinite(jp_first) else _r(jp_first - own.first_time_s[i])),
            "alaska_first_s": _r(ak_first),
            "lead_over_alaska_s": None if not (own.detected[i] and np.isfinite(ak_first)) else _r(ak_first - own.first_time_s[i]),
            "first_radar": seen[0][1] if seen else None,
            "exclusive_over_all_s": _r(add_all.exclusive_track_s[i]),
            "seongju_only": bool(add_all.only_one[i]),
        })
    return rows

"""CLI command ``thaad network``: one flight watched by several radars, per-radar timeline."""

from __future__ import annotations

import math

import click
import numpy as np

from thaad import catalog
from thaad import network_catalog as nc
from thaad.cli.names import MISSILE, PLACE_OR_POINT
from thaad.cli.common import LEVEL_CHOICE, SHAPE_CHOICE
from thaad.cli.common import emit_json, json_option, parse_point
from thaad.cli.params import MODE, Num
from thaad.errors import InputError, require_range

SEONGJU = "seongju"


def _names(text: str | None) -> list[str]:
    if text is None or text.strip().lower() == "all":
        return [SEONGJU] + list(nc.stations())
    names = [t.strip() for t in text.split(",") if t.strip()]
    if not names:
        raise InputError("radars", "give a comma-separated list of radars, or 'all'")
    return names


def build_stations(names, level, *, site="seongju", mode="forward-based", boresight_deg=None, k_factor=4.0 / 3.0):
    """``[(key, Station)]``: 'seongju' is the catalogue's AN/TPY-2 at ``site`` in ``mode``;
    other names come from the network catalogue."""
    from thaad import assemble as A

    out = []
    for n in names:
        if catalog._norm(n) == SEONGJU:
            p = parse_point(site, "site")
            bore = None if boresight_deg is None else require_range("boresight-deg", boresight_deg, -360, 360) % 360
            out.append((SEONGJU, A.radar_station("tpy2", mode, p, level, boresight_deg=bore, k_factor=k_factor)))
        else:
            e = nc.find_station(n)
            out.append((e.key, A.network_station(e.key, level, k_factor=k_factor)))
    keys = [k for k, _ in out]
    if len(set(keys)) != len(keys):
        raise InputError("radars", f"a radar is listed twice: {', '.join(keys)}")
    return out


def _f(x, scale=1.0, nd=1):
    return None if x is None or not np.isfinite(x) else round(float(x) * scale, nd)


def timeline_rows(ts, i, stations, tracks, objects) -> list[dict]:
    rows = []
    for key, st in stations:
        for o in objects:
            tr = tracks[(st.name, o.name)]
            rows.append({
                "radar": key, "name": st.name, "object": o.name, "detected": bool(tr.detected[i]),
                "first_t_s": _f(tr.first_time_s[i]), "last_t_s": _f(tr.last_time_s[i]), "track_s": _f(tr.track_s[i]),
                "phase_at_first": str(tr.first_phase[i]) or None,
                "alt_at_first_km": _f(tr.first_alt_m[i], 1e-3), "range_at_first_km": _f(tr.first_range_m[i], 1e-3),
                "elevation_at_first_deg": _f(tr.first_elevation_rad[i], 180 / math.pi, 2),
                "aspect_at_first_deg": _f(tr.first_aspect_rad[i], 180 / math.pi),
                "warning_s": _f(ts.impact_time_s[i] - tr.first_time_s[i]),
            })
    return rows


def seongju_added(ts, i, stations, tracks, objects) -> dict:
    from thaad.radar.network import added_by

    names = dict(stations)
    if SEONGJU not in names:
        return {}
    own = names[SEONGJU].name
    others = [st.name for k, st in stations if k != SEONGJU]
    out = {}
    for o in objects:
        a = added_by(ts, tracks[(own, o.name)], [tracks[(n, o.name)] for n in others])
        firsts = [(tracks[(st.name, o.name)].first_time_s[i], k) for k, st in stations]
        seen = [(t, k) for t, k in firsts if np.isfinite(t)]
        out[o.name] = {"first": min(seen)[1] if seen else None,
                       "seongju_lead_s": None if not np.isfinite(a.lead_s[i]) else _f(a.lead_s[i]),
                       "seongju_only": bool(a.only_one[i]),
                       "seongju_exclusive_track_s": _f(a.exclusive_track_s[i])}
    return out


@click.command("network")
@click.option("--missile", type=MISSILE, required=True, help="Missile from the catalogue (`thaad missiles`).")
@click.option("--from", "from_", type=PLACE_OR_POINT, required=True, help="Launch point LAT,LON[,ALT] or a place.")
@click.option("--to", "to", type=PLACE_OR_POINT, required=True,
              help="Target LAT,LON[,ALT] or a place (the missile is aimed at it).")
@click.option("--shape", type=SHAPE_CHOICE, default="min-energy", show_default=True)
@click.option("--apogee-km", type=Num(1.0, 1e5, low_open=True), default=None, help="Apogee for lofted/depressed shapes (km).")
@click.option("--radars", default="all", show_default=True,
              help="Comma-separated radars: seongju, " + ", ".join(nc.stations()) + "; or 'all'.")
@click.option("--mode", type=MODE, default="forward-based", show_default=True, help="Seongju's mode: terminal | forward-based.")
@click.option("--site", default="seongju", show_default=True, help="Where the Seongju radar stands (place or LAT,LON[,ALT_M]).")
@click.option("--boresight-deg", type=Num(-360.0, 360.0), default=None, help="Seongju's boresight (deg); default from the catalogue.")
@click.option("--objects", default="booster,bus,warhead", show_default=True, help="Comma-separated: booster, bus, warhead.")
@click.option("--level", type=LEVEL_CHOICE, default="nominal", show_default=True,
              help="Estimate level of radar performance and target RCS (low = least detectable).")
@click.option("--sample-s", type=Num(0.1, 30.0), default=2.0, show_default=True, help="Trajectory sampling interval (s).")
@json_option
def network_command(missile, from_, to, shape, apogee_km, radars, mode, site, boresight_deg, objects, level, sample_s, as_json):
    """One flight watched by several radars: per radar and object (booster, post-boost bus,
    warhead), first detection after launch, flight phase, range, elevation and aspect there,
    and track time; then who sees it first and what Seongju adds.

    RCS depends on the aspect (nose-on, broadside, tail-on; `src/thaad/data/network.toml`).

    \b
    Examples:
      thaad network --missile hwasong-12 --from sunan --to guam
      thaad network --missile df-21 --from 36.4,117.0 --to seongju --radars seongju --json
    """
    from thaad import assemble as A
    from thaad.radar.network import network_tracks

    require_range("sample-s", sample_s, 0.1, 30)
    kinds = [k.strip() for k in objects.split(",") if k.strip()]
    for k in kinds:
        if k not in nc.OBJECTS:
            raise InputError("objects", f"unknown object {k!r}; choose from {', '.join(nc.OBJECTS)}")
    stations = build_stations(_names(radars), level, site=site, mode=mode, boresight_deg=boresight_deg)
    entry = catalog.find_missile(missile)
    vehicle = A.vehicle_band(entry.key).at(level)
    src, tgt = parse_point(from_, "from"), parse_point(to, "to")
    if (apogee_km is None) != (shape == "min-energy"):
        raise InputError("apogee-km", "is required for --shape lofted or depressed, and only applies to them")
    apogee = None if apogee_km is None else require_range("apogee-km", apogee_km, 1, 1e5, low_open=True) * 1e3
    flight = A.fly(vehicle, src.lat_rad, src.lon_rad, tgt.lat_rad, tgt.lon_rad, shape, apogee, launch_alt_m=src.alt_m,
                   sample_s=sample_s)
    ts = flight.ts
    if not bool(flight.reachable[0]):
        raise InputError("to", f"{entry.name} cannot reach {tgt.name} from {src.name} ({flight.reason[0]})")
    objs = A.tracked_objects(ts, entry.category == "ICBM", level, kinds)
    tracks = network_tracks(ts, [st for _, st in stations], objs)
    rows = timeline_rows(ts, 0, stations, tracks, objs)
    out = {"missile": entry.name, "from": src.name, "to": tgt.name, "shape": shape, "level": level, "seongju_mode": mode,
           "flight": {"range_km": _f(ts.range_m[0], 1e-3, 0), "apogee_km": _f(ts.apogee_alt_m[0], 1e-3, 0),
                      "burnout_s": _f(ts.burnout_time_s[0]), "flight_time_s": _f(ts.impact_time_s[0])},
           "timeline": rows, "seongju_adds": seongju_added(ts, 0, stations, tracks, objs),
           "assumptions": ["RCS from aspect (nose, broadside, tail) at X band; radars in other bands scale it by their rcs_factor",
                           "each radar's face, elevation limits and range; no scheduling, cueing or clutter",
                           "warhead present from burnout; bus only for ICBMs, for the catalogue's post-boost time"]}
    if as_json:
        emit_json(out)
        return
    fl = out["flight"]
    click.echo(f"{entry.name} {src.name} -> {tgt.name} ({shape}): range {fl['range_km']:,.0f} km, apogee "
               f"{fl['apogee_km']:,.0f} km, burnout {fl['burnout_s']:.0f} s, impact {fl['flight_time_s']:.0f} s")
    click.echo(f"{'radar':14s} {'object':8s} {'first (s)':>9s} {'phase':9s} {'alt km':>7s} {'range km':>8s} "
               f"{'el deg':>6s} {'aspect':>6s} {'track s':>7s}")
    for r in rows:
        if not r["detected"]:
            click.echo(f"{r['radar']:14s} {r['object']:8s} {'never':>9s}")
            continue
        click.echo(f"{r['radar']:14s} {r['object']:8s} {r['first_t_s']:9.0f} {r['phase_at_first']:9s} "
                   f"{r['alt_at_first_km']:7.0f} {r['range_at_first_km']:8.0f} {r['elevation_at_first_deg']:6.1f} "
                   f"{r['aspect_at_first_deg']:6.0f} {r['track_s']:7.0f}")
    for o, a in out["seongju_adds"].items():
        lead = a["seongju_lead_s"]
        seen = any(r["detected"] for r in rows if r["radar"] == SEONGJU and r["object"] == o)
        lead_txt = ("Seongju never sees it" if not seen else "only Seongju sees it" if lead is None
                    else f"Seongju lead {lead:+.0f} s over the first other radar")
        click.echo(f"{o}: first seen by {a['first'] or 'none'}; {lead_txt}; Seongju-only track "
                   f"{a['seongju_exclusive_track_s'] or 0:.0f} s")


COMMANDS = [network_command]

"""CLI commands: ``thaad engage``, ``thaad footprint``, ``thaad batteries``.

Objects come from :mod:`thaad.assemble`; :func:`run_footprint` (also used by
docs/make_footprint_figures.py) wires one footprint run from the command's options.
"""

from __future__ import annotations

import math

import click
import numpy as np

from thaad import assemble as A
from thaad import catalog
from thaad import validate
from thaad.cli.names import MISSILE, PLACE_OR_POINT, RADAR  # noqa: F401
from thaad.cli.progress import progress_for, quiet_option_help
from thaad.cli.common import LEVEL_CHOICE, SHAPE_CHOICE
from thaad.cli.common import (boresight_option, check_radar_angles, dumps, emit_json, json_option, min_el_option,
                              parse_point)
from thaad.cli.params import PK, RCS, SEED, Int, Num
from thaad.errors import InputError, require_range
from thaad.gis.footprint import footprint_geojson, write_footprint_png
from thaad.gis.regions import REGIONS



# --- Shell helpers -------------------------------------------------------------------------
def run_footprint(battery_key: str, missile: str, launch, *, grid_km: float = 10.0, extent_km: float = 300.0,
                  shape: str = "min-energy", apogee_km: float | None = None, pk: float | None = None,
                  samples: int = 0, seed: int = 0, rcs_m2: float | None = None, level: str = "nominal",
                  boresight_deg: float | None = None, min_el_deg: float | None = None, places=None,
                  aim: A.AimPoints | None = None, progress=None):
    """Footprint of a catalogue battery against a catalogue missile from ``launch`` (a Point).

    ``aim``: the aim points (default: a square of half-width ``extent_km`` about the battery);
    with a land mask only its cells are flown and the result is spread back onto the square.
    ``places`` (default: places tagged "defended" plus the battery site) are flown with the
    grid.  Returns ``(FootprintResult, battery, places)``.
    """
    from dataclasses import replace

    from thaad.footprint import footprint

    bat = A.battery(battery_key, level)
    pk_ = A.battery_pk(battery_key, level) if pk is None else pk
    rcs = A.rcs_m2(A.DEFAULT_RCS, level) if rcs_m2 is None else rcs_m2
    if places is None:
        places = [catalog.find_place(A.battery_entry(battery_key).site.key)] + catalog.places_tagged("defended")
    radar = A.battery_radar(battery_key, level, boresight_deg=boresight_deg, min_el_deg=min_el_deg)
    if aim is None:
        aim = A.aim_points(A.battery_entry(battery_key).site, extent_km * 1e3, grid_km * 1e3)
    fp = footprint(
        launch.lat_rad, launch.lon_rad, aim.grid,
        A.fly_function(A.vehicle_band(missile), shape, None if apogee_km is None else apogee_km * 1e3, level=level),
        A.detect_function(radar, rcs), bat, pk=pk_,
        points_lat_rad=[math.radians(p.lat_deg) for p in places],
        points_lon_rad=[math.radians(p.lon_deg) for p in places],
        samples=samples, seed=seed, uncertainty=A.uncertainty(battery_key, fixed=() if pk is None else ("pk",)),
        progress=progress,
    )
    if aim.grid is not aim.full:  # masked: back onto the square for maps and GeoJSON
        dp = fp.defended_probability
        fp = replace(fp, grid=aim.full, shots=aim.on_full(fp.shots, -1).astype(int), p_kill=aim.on_full(fp.p_kill),
                     threatened=aim.on_full(fp.threatened, 0).astype(bool),
                     defended_probability=None if dp is None else aim.on_full(dp))
    return fp, bat, places


# --- Output helpers ------------------------------------------------------------------------
EVENT_WORDS = {
    "launch": "threat launch", "burnout": "threat burnout", "apogee": "threat apogee", "impact": "threat impact",
    "detection": "radar first detection", "firm-track": "firm track", "decision": "launch decision",
    "earliest-launch": "earliest interceptor launch", "shot-launch": "interceptor launch",
    "kill-assessment": "kill assessment", "window-closes": "latest possible intercept (engagement window closes)",
}


def event_text(e) -> str:
    """A timeline event in words (the ``event`` strings of ``thaad engage --json``)."""
    if e.kind == "intercept":
        return f"shot {e.shot}: intercept at {e.alt_m / 1e3:.0f} km altitude, {e.range_m / 1e3:.0f} km from the launcher"
    words = EVENT_WORDS[e.kind]
    return words if e.shot is None else f"shot {e.shot}: {words}"



def _point_km(t, alt, rng) -> dict:
    return {"t_s": t, "alt_km": alt / 1e3, "ground_range_km": rng / 1e3}


# --- Commands ------------------------------------------------------------------------------
battery_option = click.option("--battery", "battery_key", default="seongju", show_default=True,
                              help="Battery configuration (see `thaad batteries`).")
missile_option = click.option("--missile", type=MISSILE, required=True, help="Missile name (see `thaad missiles`).")
shape_option = click.option("--shape", type=SHAPE_CHOICE, default="min-energy", show_default=True,
                            help="Trajectory shape of the threat.")
apogee_option = click.option("--apogee-km", type=Num(0.0, 10000.0, low_open=True), default=None, help="Apogee for lofted/depressed shapes (km).")
pk_option = click.option("--pk", type=PK, default=None,
                         help="Single-shot kill probability (0-1] (default: the battery's catalogue estimate).")
level_option = click.option("--level", type=LEVEL_CHOICE, default="nominal",
                            show_default=True, help="Estimate level for the battery and radar parameters.")
rcs_option = click.option("--rcs-m2", type=RCS, default=None,
                          help="Target radar cross-section (m^2); default: the catalogue's warhead preset.")


def _check_common(pk, rcs_m2, shape, apogee_km):
    if pk is not None:
        validate.pk("pk", pk)
    if rcs_m2 is not None:
        validate.rcs_m2("rcs-m2", rcs_m2)
    if shape in ("lofted", "depressed") and apogee_km is None:
        raise InputError("apogee-km", f"is required for the {shape} shape")
    if shape == "min-energy" and apogee_km is not None:
        raise InputError("apogee-km", "only applies to --shape lofted or depressed (min-energy fixes the apogee)")
    if apogee_km is not None:
        require_range("apogee-km", apogee_km, 0, 10000, low_open=True)


@click.command("engage")
@battery_option
@missile_option
@click.option("--from", "from_", type=PLACE_OR_POINT, required=True, help="Launch point: LAT,LON[,ALT] (ALT with its unit: 680m, 120km; bare = metres) or a place name.")
@click.option("--to", "to", type=PLACE_OR_POINT, required=True, help="Target: LAT,LON[,ALT] (ALT with its unit: 680m, 120km; bare = metres) or a place name.")
@shape_option
@apogee_option
@pk_option
@rcs_option
@level_option
@boresight_option
@min_el_option
@json_option
def engage_command(battery_key, missile, from_, to, shape, apogee_km, pk, rcs_m2, level, boresight_deg, min_el_deg,
                   as_json):
    """Engagement timeline of one threat: detection, launches, intercept window, shots, P(kill).

    The threat is flown with the ballistics model, seen by the battery's radar (first
    detection and visible samples) and engaged with shoot-look-shoot inside the interceptor's
    flyout fan and engagement altitude band.

    \b
    Examples:
      thaad engage --missile scud-c --from wonsan --to busan
      thaad engage --missile hwasong-7 --from sunan --to daegu --shape lofted --json
    """
    _check_common(pk, rcs_m2, shape, apogee_km)
    check_radar_angles(boresight_deg, min_el_deg)
    launch = parse_point(from_, "from")
    target = parse_point(to, "to")
    bat = A.battery(battery_key, level)
    pk = A.battery_pk(battery_key, level) if pk is None else pk
    vehicle = A.vehicle_band(missile).at(level)

    from thaad.engagement import engage

    flight = A.fly(vehicle, launch.lat_rad, launch.lon_rad, target.lat_rad, target.lon_rad, shape,
                   None if apogee_km is None else apogee_km * 1e3, launch_alt_m=launch.alt_m,
                   target_alt_m=target.alt_m)
    ts = flight.ts
    rcs = A.rcs_m2(A.DEFAULT_RCS, level) if rcs_m2 is None else rcs_m2
    radar = A.battery_radar(battery_key, level, boresight_deg=boresight_deg, min_el_deg=min_el_deg)
    det, visible = A.detect_function(radar, rcs)(ts)
    res = engage(ts, det, bat, visible=visible)
    n = int(res.shot_opportunities[0])
    out = {
        "battery": bat.name,
        "missile": catalog.find_missile(missile).name,
        "from": {"name": launch.name, "lat_deg": launch.lat_deg, "lon_deg": launch.lon_deg},
        "to": {"name": target.name, "lat_deg": target.lat_deg, "lon_deg": target.lon_deg},
        "shape": shape,
        "engageable": bool(n >= 1),
        "shot_opportunities": n,
        "shots_per_opportunity": bat.shots_per_opportunity,
        "first_intercept": _point_km(res.first_intercept_time_s[0], res.first_intercept_alt_m[0],
                                     res.first_intercept_range_m[0]),
        "last_intercept": _point_km(res.last_intercept_time_s[0], res.last_intercept_alt_m[0],
                                    res.last_intercept_range_m[0]),
        "pk": pk,
        "p_kill": float(res.p_kill(pk)[0]),
        "interceptors_expected": float(res.expected_interceptors(pk)[0]),
        "detection_time_s": res.detection_time_s[0],
        "reaction_s": bat.reaction_s,
        "closest_ground_range_km": res.closest_range_m[0] / 1e3,
        "threat": {"range_km": ts.range_m[0] / 1e3, "apogee_km": ts.apogee_alt_m[0] / 1e3,
                   "flight_time_s": ts.impact_time_s[0]},
        "shots": [{"launch_t_s": res.shot_launch_time_s[0, k], **_point_km(
            res.shot_intercept_time_s[0, k], res.shot_intercept_alt_m[0, k], res.shot_intercept_range_m[0, k])}
            for k in range(n)],
        "timeline": [{"t_s": e.t_s, "event": event_text(e)} for e in res.timeline(0, ts)],
        "rcs_m2": rcs,
        "level": level,
    }
    if as_json:
        emit_json(out)
        return
    click.echo(f"{out['missile']} {launch.name} -> {target.name} ({out['threat']['range_km']:.0f} km, apogee "
               f"{out['threat']['apogee_km']:.0f} km) vs {bat.name}")
    for e in out["timeline"]:
        click.echo(f"  t = {e['t_s']:7.1f} s  {e['event']}")
    if n:
        click.echo(f"engageable: {n} shot opportunit{'y' if n == 1 else 'ies'}; P(kill) = {out['p_kill']:.3f} "
                   f"at Pk = {pk:.2f}")
    else:
        why = ("never detected" if not math.isfinite(out["detection_time_s"])
               else f"never inside the engagement volume in time (closest {out['closest_ground_range_km']:.0f} km)")
        click.echo(f"not engageable: {why}")


def check_footprint_size(grid_km: float, extent_km: float) -> int:
    """Refuse a grid too large to fly, before any work (each aim point is a full trajectory)."""
    from thaad import cost

    n = cost.aim_points(extent_km, grid_km)
    if n > cost.MAX_AIM_POINTS:
        mem = cost.footprint_estimate(n, 0).peak_bytes / 2**30
        raise InputError("grid-km", f"{grid_km:g} km over a {extent_km:g} km half-width gives {n:,} aim points "
                                    f"(limit {cost.MAX_AIM_POINTS:,}; about {mem:.1f} GiB of memory); use "
                                    f"--grid-km {cost.grid_for(cost.MAX_AIM_POINTS, extent_km):g} or more, or "
                                    f"--extent-km {cost.extent_for(cost.MAX_AIM_POINTS, grid_km):g} or less")
    return n


@click.command("footprint")
@battery_option
@missile_option
@click.option("--from", "from_", type=PLACE_OR_POINT, required=True, help="Launch point: LAT,LON[,ALT] (ALT with its unit: 680m, 120km; bare = metres) or a place name.")
@shape_option
@apogee_option
@click.option("--grid-km", type=Num(0.5, 200.0), default=10.0, show_default=True, help="Aim-point spacing (km).")
@click.option("--extent-km", type=Num(1.0, 2000.0), default=300.0, show_default=True,
              help="Half-width of the aim-point square around the battery (or --centre) (km).")
@click.option("--centre", default=None, help="Centre of the aim-point square: LAT,LON or a place (default: the battery).")
@click.option("--land", type=click.Choice(sorted(REGIONS)), default=None,
              help="Fly only the aim points on this land region (a map mask).")
@click.option("--place", "place_names", multiple=True,
              help="Place whose defence is reported (repeatable; default: the battery site and the defended places).")
@click.option("--samples", type=Int(0, 1000), default=0, show_default=True, help="Monte Carlo samples for the band.")
@click.option("--seed", type=SEED, default=0, show_default=True, help="Random seed for the Monte Carlo.")
@pk_option
@rcs_option
@level_option
@boresight_option
@min_el_option
@click.option("--out", "out_path", type=click.Path(dir_okay=False), default=None,
              help="Write a map (.png) or the defended ground as merged polygons (.geojson).")
@json_option
@click.option("--quiet", "-q", is_flag=True, help=quiet_option_help)
def footprint_command(battery_key, missile, from_, shape, apogee_km, grid_km, extent_km, centre, land, place_names,
                      samples, seed, pk, rcs_m2, level, boresight_deg, min_el_deg, out_path, as_json, quiet):
    """Ground the battery defends against a missile from a launch point, with its band.

    Every aim point of the grid is flown at once, detected and engaged; a point is defended
    when its threat gets at least one shot opportunity.  --samples N redraws launch point,
    reaction times, Pk and missile parameters within their catalogue bands (seeded).

    \b
    Examples:
      thaad footprint --missile scud-c --from wonsan --out footprint.geojson
      thaad footprint --missile hwasong-7 --from sunan --samples 20 --seed 1 --json
    """
    _check_common(pk, rcs_m2, shape, apogee_km)
    check_radar_angles(boresight_deg, min_el_deg)
    require_range("grid-km", grid_km, 0.5, 200)
    require_range("extent-km", extent_km, grid_km, 2000)
    require_range("samples", samples, 0, 1000)
    if out_path is not None:
        from thaad import output

        output.check_file_target(out_path, "out", (".png", ".geojson", ".json"))  # before any work
    check_footprint_size(grid_km, extent_km)
    catalog.find_missile(missile)
    catalog.find_battery(battery_key)
    launch = parse_point(from_, "from")
    if launch.alt_m != 0.0:
        raise InputError("from", "the footprint flies every threat from the ground: give LAT,LON or a place, "
                                 f"not an altitude (got {from_!r})")
    centre_pt = A.battery_entry(battery_key).site if centre is None else parse_point(centre, "centre")
    aim = A.aim_points(centre_pt, extent_km * 1e3, grid_km * 1e3, land)
    if aim.grid.lat_rad.size == 0:
        raise InputError("land", f"no aim point of the grid lies on {land}")
    places = [catalog.find_place(n) for n in place_names] or None
    with progress_for(quiet) as prog:
        main_pass = prog.task(f"footprint: {aim.grid.lat_rad.size} aim points", 1)
        mc = prog.callback("footprint: Monte Carlo samples", samples) if samples else None
        fp, bat, places = run_footprint(battery_key, missile, launch, grid_km=grid_km, extent_km=extent_km,
                                        shape=shape, apogee_km=apogee_km, pk=pk, samples=samples, seed=seed,
                                        rcs_m2=rcs_m2, level=level, boresight_deg=boresight_deg,
                                        min_el_deg=min_el_deg, places=places, aim=aim, progress=mc)
        main_pass.advance()
    band = fp.band()
    name = catalog.find_missile(missile).name
    out = {
        "battery": bat.name,
        "missile": name,
        "from": {"name": launch.name, "lat_deg": launch.lat_deg, "lon_deg": launch.lon_deg},
        "shape": shape,
        "grid_km": grid_km,
        "extent_km": extent_km,
        "aim_points": int(aim.grid.lat_rad.size),
        "centre": {"name": centre_pt.name, "lat_deg": centre_pt.lat_deg, "lon_deg": centre_pt.lon_deg},
        "land": land,
        "pk": fp.pk,
        "defended_area_km2": fp.defended_area_km2,
        "expected_defended_area_km2": fp.expected_defended_area_km2,
        "threatened_area_km2": fp.threatened_area_km2,
        "samples": samples,
        "seed": seed,
        "band": band,
        "places": [
            {"key": p.key, "name": p.name, "lat_deg": p.lat_deg, "lon_deg": p.lon_deg,
             "defended": bool(s >= fp.min_shots), "shot_opportunities": int(s) if s >= 0 else None,
             "reachable_by_missile": bool(s >= 0),
             "defended_probability": None if fp.point_defended_probability is None else float(
                 fp.point_defended_probability[i])}
            for i, (p, s) in enumerate(zip(places, fp.point_shots))
        ],
        "level": level,
    }
    if out_path is not None:
        title = f"{bat.name}:\ndefended footprint vs {name} from {launch.name}"
        from thaad import output

        with output.atomic_file(out_path, "out") as tmp:
            if out_path.lower().endswith(".png"):
                write_footprint_png(tmp, fp, bat, places, launch, title)
            else:
                tmp.write_text(dumps(footprint_geojson(fp, bat, places, title), indent=None), encoding="utf-8")
        out["out"] = out_path
    if as_json:
        emit_json(out)
        return
    lo, mid, hi = band["defended_area_km2"]
    click.echo(f"{name} from {launch.name} vs {bat.name}: defended area {fp.defended_area_km2:,.0f} km^2 "
               f"(expected {fp.expected_defended_area_km2:,.0f} km^2 at Pk {fp.pk:.2f})")
    if samples:
        click.echo(f"  band over {samples} samples (seed {seed}): 5% {lo:,.0f} / 50% {mid:,.0f} / 95% {hi:,.0f} km^2")
    for row in out["places"]:
        state = ("defended" if row["defended"] else "not defended") if row["reachable_by_missile"] else "out of reach"
        click.echo(f"  {row['name']:32s} {state}")
    if out_path:
        click.echo(f"wrote {out_path}")


@click.command("batteries")
@json_option
def batteries_command(as_json):
    """List the battery configurations and interceptors with their public sources.

    \b
    Examples:
      thaad batteries
      thaad batteries --json
    """
    bats = catalog.battery_entries()
    ints = catalog.interceptor_entries()

    def qdump(q):
        return {k: v.model_dump() for k, v in q.items()}

    rows = []
    for key, e in bats.items():
        b = catalog.battery(key)
        rows.append({"key": key, "name": e["name"], "site": e["site"], "radar": e["radar"],
                     "radar_mode": e["radar_mode"], "interceptor": e["interceptor"], "inventory": b.inventory,
                     "inventory_band": [catalog.battery(key, "low").inventory, catalog.battery(key, "high").inventory],
                     "reaction_s": b.reaction_s, "quantities": qdump(e["quantities"]),
                     "default": key == "seongju"})
    if as_json:
        emit_json({"batteries": rows, "interceptors": [
            {"key": k, "name": v["name"], "description": v["description"], "quantities": qdump(v["quantities"])}
            for k, v in ints.items()]})
        return
    for r in rows:
        click.echo(f"{r['key']}{' (default)' if r['default'] else ''}: {r['name']}; site {r['site']}, radar "
                   f"{r['radar']} ({r['radar_mode']}), {r['inventory']} interceptors "
                   f"(band {r['inventory_band'][0]}-{r['inventory_band'][1]})")
        for name, q in bats[r["key"]]["quantities"].items():
            band = f" [{q.at('low'):g}-{q.at('high'):g}]" if (q.low is not None or q.high is not None) else ""
            click.echo(f"  {name:28s} {q.nominal:g}{band}{' (estimate)' if q.estimate else ''}  {q.source}")
    for k, v in ints.items():
        click.echo(f"interceptor {k}: {v['name']}")
        for name, q in v["quantities"].items():
            band = f" [{q.at('low'):g}-{q.at('high'):g}]" if (q.low is not None or q.high is not None) else ""
            click.echo(f"  {name:28s} {q.nominal:g}{band}{' (estimate)' if q.estimate else ''}  {q.source}")


COMMANDS = [engage_command, footprint_command, batteries_command]

"""CLI command: ``thaad trajectory`` (one ballistic trajectory, aimed or flown on a heading).

Units at this edge only: degrees, km; the core works in SI.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import click
import numpy as np

from thaad.ballistics import (
    FlightOptions,
    aim,
    aim_burnout_state,
    fly,
    fly_burnout_state,
    max_range_loft,
)
from thaad.cli.names import MISSILE, PLACE_OR_POINT, RADAR  # noqa: F401
from thaad.cli.common import LEVEL_CHOICE, SHAPE_CHOICE
from thaad.cli.common import dumps, emit_json, json_option, parse_point
from thaad.cli.params import Num
from thaad.errors import InputError, require_range
from thaad.geo import earth_by_name, geodesic_inverse


def load_vehicle(name: str, level: str = "nominal"):
    """Catalogue missile -> Vehicle (the catalogue is the shell's business)."""
    from thaad import catalog

    if not hasattr(catalog, "missile_vehicle"):
        raise InputError("missile", "the missile catalogue is not available in this build")
    return catalog.missile_vehicle(name, level)


def trajectory_summary(ts, i: int = 0, every: int = 1) -> dict:
    """JSON-ready summary of trajectory ``i`` of a TrajectorySet (km/deg at the edge)."""
    n = int(ts.n_samples[i])
    sel = list(range(0, n, every))
    if sel and sel[-1] != n - 1:
        sel.append(n - 1)
    speed = ts.speed_m_s[i]
    samples = [
        {
            "t_s": ts.t_s[i, j],
            "lat_deg": math.degrees(ts.lat_rad[i, j]),
            "lon_deg": math.degrees(ts.lon_rad[i, j]),
            "alt_km": ts.alt_m[i, j] / 1e3,
            "speed_m_s": speed[j],
        }
        for j in sel
    ]
    return {
        "range_km": ts.range_m[i] / 1e3,
        "apogee_km": ts.apogee_alt_m[i] / 1e3,
        "apogee_time_s": ts.apogee_time_s[i],
        "flight_time_s": ts.impact_time_s[i],
        "burnout_time_s": ts.burnout_time_s[i],
        "burnout_speed_m_s": ts.burnout_speed_m_s[i],
        "burnout_altitude_km": ts.burnout_alt_m[i] / 1e3,
        "burnout_flight_path_deg": None if ts.burnout_fpa_rad is None else math.degrees(ts.burnout_fpa_rad[i]),
        "impact_speed_m_s": ts.impact_speed_m_s[i],
        "launch_azimuth_deg": math.degrees(ts.launch_azimuth_rad[i]) % 360.0,
        "launch": {"lat_deg": math.degrees(ts.launch_lat_rad[i]), "lon_deg": math.degrees(ts.launch_lon_rad[i])},
        "impact": {"lat_deg": math.degrees(ts.impact_lat_rad[i]), "lon_deg": math.degrees(ts.impact_lon_rad[i])},
        "samples": samples,
    }


def write_track(path: str, summary: dict, properties: dict) -> None:
    """Write samples as CSV or GeoJSON (chosen by the file extension)."""
    from thaad import output

    p = output.check_file_target(path, "out", TRACK_SUFFIXES)
    ext = p.suffix.lower()
    rows = summary["samples"]
    if ext == ".csv":
        with output.atomic_file(p, "out") as tmp, tmp.open("w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["t_s", "lat_deg", "lon_deg", "alt_km", "speed_m_s"])
            for r in rows:
                w.writerow([f"{r['t_s']:.3f}", f"{r['lat_deg']:.6f}", f"{r['lon_deg']:.6f}", f"{r['alt_km']:.4f}", f"{r['speed_m_s']:.2f}"])
        return
    from thaad.gis.geometry import line_geometry, wrap_lon

    line = line_geometry([r["lon_deg"] for r in rows], [r["lat_deg"] for r in rows], [r["alt_km"] * 1e3 for r in rows])
    props = {k: v for k, v in summary.items() if k not in ("samples",)}
    props.update(properties)
    fc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": line, "properties": props},
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(wrap_lon(summary["impact"]["lon_deg"])),
                                                                       summary["impact"]["lat_deg"]]},
                "properties": {"kind": "impact"},
            },
        ],
    }
    output.write_text(p, dumps(fc), "out")


TRACK_SUFFIXES = (".csv", ".geojson", ".json")


# Finest output sampling: 0.01 s is far below the integrator's useful resolution and gives
# 360,000 samples per hour of flight (~ 40 MiB of arrays, ~ 150 MiB as JSON); finer requests
# asked for GiB-TiB before (issue 15) and are refused up front.
MIN_SAMPLE_S = 0.01


def check_sample_s(sample_s: float) -> float:
    if not (MIN_SAMPLE_S <= sample_s <= 600.0):
        per_hour = 3600.0 / sample_s if sample_s > 0 else float("inf")
        raise InputError("sample-s", f"must be in [{MIN_SAMPLE_S:g}, 600] s, got {sample_s:g}"
                         + (f" ({per_hour:,.0f} samples per hour of flight); use --sample-s {MIN_SAMPLE_S:g} or more"
                            if sample_s < MIN_SAMPLE_S else ""))
    return sample_s


@click.command("trajectory")
@click.option("--missile", type=MISSILE, default=None, help="Catalogue missile (see `thaad missiles`).")
@click.option("--level", type=LEVEL_CHOICE, default="nominal", show_default=True,
              help="Catalogue estimate level for the missile's parameters.")
@click.option("--burnout-speed", "burnout_speed", type=Num(0.0, 11000.0, low_open=True), default=None,
              help="Instantaneous burnout at the launch point: Earth-relative speed, m/s.")
@click.option("--elevation-deg", type=Num(0.0, 90.0, low_open=True), default=None, help="Burnout flight-path elevation, degrees.")
@click.option("--from", "from_", type=PLACE_OR_POINT, required=True, help="Launch point: LAT,LON[,ALT] (ALT with its unit: 680m, 120km; bare = metres) or a place name.")
@click.option("--to", "to", type=PLACE_OR_POINT, default=None, help="Target (the trajectory is aimed): LAT,LON[,ALT] (ALT with its unit: 680m, 120km; bare = metres) or a place name.")
@click.option("--shape", type=SHAPE_CHOICE, default=None,
              help="Aimed trajectory shape (default min-energy). With --burnout-speed and --elevation-deg but no "
                   "--shape, the given burnout state is flown toward --to.")
@click.option("--apogee-km", type=Num(0.0, 50000.0, low_open=True), default=None, help="Apogee for lofted/depressed shapes, km.")
@click.option("--azimuth-deg", type=Num(-360.0, 360.0), default=None, help="Launch azimuth (from north, clockwise) instead of --to.")
@click.option("--loft-deg", type=Num(-30.0, 90.0), default=None,
              help="With --missile and --azimuth-deg: programmed burnout pitch, degrees (default: the maximum-range loft).")
@click.option("--earth", type=click.Choice(["wgs84", "spherical"]), default="wgs84", show_default=True)
@click.option("--no-rotation", is_flag=True, help="Non-rotating Earth.")
@click.option("--no-drag", is_flag=True, help="Vacuum flight.")
@click.option("--no-j2", is_flag=True, help="Point-mass gravity only.")
@click.option("--sample-s", type=Num(), default=2.0, show_default=True, help="Output sampling interval, s.")
@json_option
@click.option("--out", default=None, help="Write the track: FILE.csv or FILE.geojson.")
def trajectory_command(missile, level, burnout_speed, elevation_deg, from_, to, shape, apogee_km, azimuth_deg,
                       loft_deg, earth, no_rotation, no_drag, no_j2, sample_s, as_json, out):
    """Fly one ballistic trajectory: a catalogue missile or an instantaneous burnout state.

    \b
    Examples:
      thaad trajectory --missile hwasong-7 --from sunan --to seongju --json
      thaad trajectory --missile scud-b --from 39.0,125.7 --azimuth-deg 160
      thaad trajectory --burnout-speed 3000 --elevation-deg 42.75 --from 36,128 --azimuth-deg 90 \\
          --earth spherical --no-rotation --no-drag --no-j2
    """
    if (missile is None) == (burnout_speed is None):
        raise InputError("missile", "give either --missile NAME or --burnout-speed M_S (with --elevation-deg)")
    if (to is None) == (azimuth_deg is None):
        raise InputError("to", "give either --to LAT,LON|PLACE or --azimuth-deg DEG")
    check_sample_s(sample_s)
    if out:
        from thaad import output

        output.check_file_target(out, "out", TRACK_SUFFIXES)  # before any work
    opts = FlightOptions(earth=earth_by_name(earth), rotation=not no_rotation, drag=not no_drag, j2=not no_j2,
                         sample_s=sample_s)
    src = parse_point(from_, "from")
    tgt = parse_point(to, "to") if to is not None else None
    apogee_m = None
    if apogee_km is not None:
        require_range("apogee-km", apogee_km, 0.0, 50000.0, low_open=True)
        apogee_m = apogee_km * 1e3
        if shape is None or shape == "min-energy":
            raise InputError("apogee-km", "only applies to --shape lofted or depressed")
    if azimuth_deg is not None:
        require_range("azimuth-deg", azimuth_deg, -360.0, 360.0)
        if shape is not None:
            raise InputError("shape", "needs --to (with --azimuth-deg the trajectory is not aimed)")
    info: dict = {"model": {"earth": earth, "rotation": not no_rotation, "drag": not no_drag, "j2": not no_j2}}
    if burnout_speed is not None:
        require_range("burnout-speed", burnout_speed, 0.0, 11000.0, low_open=True)
        if elevation_deg is not None:
            require_range("elevation-deg", elevation_deg, 0.0, 90.0, low_open=True)
        info["start"] = "burnout state"
        if tgt is None or (shape is None and elevation_deg is not None):
            if elevation_deg is None:
                raise InputError("elevation-deg", "is required with --burnout-speed and --azimuth-deg")
            if tgt is not None:
                az = geodesic_inverse(src.lat_rad, src.lon_rad, tgt.lat_rad, tgt.lon_rad, opts.earth)[1]
            else:
                az = math.radians(azimuth_deg)
            ts = fly_burnout_state(src.lat_rad, src.lon_rad, src.alt_m, burnout_speed, math.radians(elevation_deg),
                                   az, impact_alt_m=tgt.alt_m if tgt else 0.0, options=opts)
        else:
            shape = shape or "min-energy"
            ts, sol = aim_burnout_state(burnout_speed, src.lat_rad, src.lon_rad, tgt.lat_rad, tgt.lon_rad,
                                        launch_alt_m=src.alt_m, target_alt_m=tgt.alt_m, shape=shape,
                                        apogee_m=apogee_m, options=opts)
            info["shape"] = shape
            info["elevation_deg"] = math.degrees(sol.loft_rad[0])
            info["miss_km"] = sol.miss_m[0] / 1e3
    else:
        vehicle = load_vehicle(missile, level)
        info["missile"] = vehicle.name
        info["level"] = level
        if elevation_deg is not None:
            raise InputError("elevation-deg", "only applies to --burnout-speed (use --loft-deg with --missile)")
        if tgt is not None:
            if loft_deg is not None:
                raise InputError("loft-deg", "only applies with --azimuth-deg (aimed trajectories solve the loft)")
            shape = shape or "min-energy"
            ts, sol = aim(vehicle, src.lat_rad, src.lon_rad, tgt.lat_rad, tgt.lon_rad, launch_alt_m=src.alt_m,
                          target_alt_m=tgt.alt_m, shape=shape, apogee_m=apogee_m, options=opts)
            info["shape"] = shape
            info["loft_deg"] = math.degrees(sol.loft_rad[0])
            info["burn_fraction"] = sol.energy_fraction[0]
            info["miss_km"] = sol.miss_m[0] / 1e3
        else:
            az = math.radians(azimuth_deg)
            if loft_deg is not None:
                require_range("loft-deg", loft_deg, -30.0, 90.0)
                loft = math.radians(loft_deg)
            else:
                loft = float(max_range_loft(vehicle, src.lat_rad, src.lon_rad, az, launch_alt_m=src.alt_m,
                                            options=opts)[0])
            info["loft_deg"] = math.degrees(loft)
            ts = fly(vehicle, src.lat_rad, src.lon_rad, az, loft, launch_alt_m=src.alt_m, options=opts)
    if not np.isfinite(ts.impact_time_s[0]):
        raise InputError("trajectory", "no impact within the simulated time (orbital or escaping trajectory)")
    summary = trajectory_summary(ts, 0)
    if tgt is not None:
        summary["target"] = {"lat_deg": tgt.lat_deg, "lon_deg": tgt.lon_deg, "name": tgt.name}
    summary.update(info)
    if out:
        write_track(out, summary, {"name": info.get("missile", "burnout state")})
    if as_json:
        emit_json(summary)
        return
    click.echo(f"{info.get('missile', 'burnout state')}: range {summary['range_km']:.1f} km, apogee "
               f"{summary['apogee_km']:.1f} km, flight time {summary['flight_time_s']:.1f} s")
    click.echo(f"  burnout {summary['burnout_speed_m_s']:.0f} m/s at {summary['burnout_altitude_km']:.1f} km, "
               f"impact {summary['impact_speed_m_s']:.0f} m/s at {summary['impact']['lat_deg']:.4f},"
               f"{summary['impact']['lon_deg']:.4f}, launch azimuth {summary['launch_azimuth_deg']:.2f} deg")
    if out:
        click.echo(f"  track written to {out}")


COMMANDS = [trajectory_command]

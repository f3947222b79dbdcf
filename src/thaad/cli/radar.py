"""CLI commands of the radar model: visibility, radar-range, coverage, detect."""

from __future__ import annotations

import math
from pathlib import Path

import click
import numpy as np

from thaad import assemble as A
from thaad import catalog, geo
from thaad.cli.names import MISSILE, PLACE_OR_POINT, RADAR  # noqa: F401
from thaad.cli.common import LEVEL_CHOICE, SHAPE_CHOICE
from thaad.cli.common import boresight_option, check_radar_angles, emit_json, json_option, parse_point
from thaad.cli.params import MODE, RCS, Num
from thaad.errors import InputError, require_range
from thaad.radar import (
    BlankSector,
    Radar,
    RadarSite,
    coverage_map,
    grid_around,
    lowest_visible_altitude,
)
from thaad.radar import geometry as rg
from thaad.radar.model import look_from_geodetic, margins, visibility_from_margins

MODE_CHOICE = click.Choice(["terminal", "forward-based"], case_sensitive=False)  # the AN/TPY-2's modes
MAX_CELLS = 4_000_000


# --- parsing helpers ----------------------------------------------------------------------
def parse_blank(text: str) -> BlankSector:
    """``AZ1:AZ2[:EL_MAX]`` in degrees: blank azimuths AZ1 -> AZ2 (clockwise, may wrap
    through north) below EL_MAX (all elevations when omitted)."""
    parts = [p.strip() for p in str(text).split(":")]
    if len(parts) not in (2, 3) or any(p == "" for p in parts):
        raise InputError("blank", f"expected AZ1:AZ2[:EL_MAX] in degrees, got {text!r}")
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        raise InputError("blank", f"expected numbers AZ1:AZ2[:EL_MAX], got {text!r}") from None
    az1 = require_range("blank AZ1 (deg)", nums[0], -360, 360)
    az2 = require_range("blank AZ2 (deg)", nums[1], -360, 360)
    el = None if len(nums) == 2 else require_range("blank EL_MAX (deg)", nums[2], -90, 90)
    if math.isclose((az2 - az1) % 360.0, 0.0, abs_tol=1e-9):
        raise InputError("blank", f"azimuth sector {text!r} has zero width (AZ1 == AZ2)")
    return BlankSector(math.radians(az1 % 360), math.radians(az2 % 360), None if el is None else math.radians(el))


def parse_rcs(value) -> float:
    return require_range("rcs-m2", value, 0, 1e6, low_open=True)


def site_from_text(text: str) -> RadarSite:
    p = parse_point(text, "site")
    return RadarSite(p.lat_rad, p.lon_rad, p.alt_m, name=p.name)


def horizon_option_value(horizon: str | None, dem: str | None, site: RadarSite, k: float):
    if horizon and dem:
        raise InputError("horizon", "give either --horizon CSV or --dem GeoTIFF, not both")
    from thaad.gis import terrain

    if horizon:
        return terrain.read_horizon_csv(horizon)
    if dem:
        return terrain.horizon_from_dem(dem, site, k)
    return None


def deg(x: float) -> float:
    return round(math.degrees(x), 9)


def blank_json(b: BlankSector) -> dict:
    return {"az_start_deg": deg(b.az_start_rad), "az_end_deg": deg(b.az_end_rad),
            "el_max_deg": None if b.el_max_rad is None else deg(b.el_max_rad)}


def radar_json(radar: Radar, level: str) -> dict:
    s = radar.site
    return {
        "radar": radar.name, "mode": radar.mode, "level": level,
        "site": {"name": s.name, "lat_deg": math.degrees(s.lat_rad), "lon_deg": math.degrees(s.lon_rad),
                 "alt_m": s.alt_m, "antenna_height_m": s.antenna_height_m},
        "boresight_deg": deg(radar.boresight_az_rad) % 360,
        "az_half_width_deg": deg(radar.az_half_width_rad),
        "min_el_deg": deg(radar.min_el_rad), "max_el_deg": deg(radar.max_el_rad),
        "k_factor": radar.k_factor, "blanking": [blank_json(b) for b in radar.blanking],
        "face_model": radar.face_model,
        "face_tilt_deg": deg(radar.face_tilt_rad) if radar.face_model == "cone" else None,
        "terrain": radar.terrain_model,
    }


common_radar_options = [
    click.option("--radar", "radar_name", type=RADAR, default="tpy2", show_default=True, help="Radar from the catalogue."),
    click.option("--mode", type=MODE_CHOICE, default="terminal", show_default=True, help="Radar mode."),
    click.option("--level", type=LEVEL_CHOICE, default="nominal", show_default=True,
                 help="Estimate level of the radar parameters (low = shortest range)."),
    click.option("--face", "face_model", type=click.Choice(["box", "cone"]), default="box", show_default=True,
                 help="Face field of view: azimuth/elevation box, or scan cone around the tilted face normal."),
]


def add_options(options):
    def deco(f):
        for o in reversed(options):
            f = o(f)
        return f
    return deco


def build_cli_radar(radar_name, mode, level, site, boresight_deg, blank, k_factor, min_el_deg=None,
                    horizon=None, dem=None, face_model="box") -> Radar:
    require_range("k-factor", k_factor, 0.1, 100)
    sectors = tuple(parse_blank(b) for b in blank)
    check_radar_angles(boresight_deg, min_el_deg)
    hp = horizon_option_value(horizon, dem, site, k_factor)
    return A.radar(radar_name, mode, site, level, boresight_deg=boresight_deg, sectors=sectors, k_factor=k_factor,
                   min_el_deg=min_el_deg, horizon=hp, face_model=face_model)


# --- thaad visibility ---------------------------------------------------------------------
@click.command("visibility")
@click.option("--from", "from_", type=PLACE_OR_POINT, required=True, help="Radar/observer: LAT,LON[,ALT] (ALT with its unit: 680m, 120km; bare = metres) or a place name.")
@click.option("--to", "to", type=PLACE_OR_POINT, required=True,
              help="Target LAT,LON,ALT with its unit (39.0,125.7,120km) or a place; a bare ALT here is km "
                   "(kept from earlier versions; a note on stderr says so).")
@click.option("--k-factor", type=Num(0.1, 100.0), default=4.0 / 3.0, show_default=True, help="Effective Earth radius factor.")
@click.option("--earth", type=click.Choice(["wgs84", "spherical"]), default="wgs84", show_default=True)
@click.option("--min-el-deg", type=Num(), default=0.0, show_default=True, help="Minimum elevation counted as visible.")
@json_option
def visibility_command(from_, to, k_factor, earth, min_el_deg, as_json):
    """Line of sight from a point to a target over the refracting (k-factor) Earth.

    Pure geometry, no radar equation: visible when the straight ray on the Earth of radius
    k R clears the horizon and the apparent elevation is at least --min-el-deg.

    \b
    Examples:
      thaad visibility --from seongju --to 39.9042,116.4074,100km
      thaad visibility --from 36.05,128.22,680m --to pyongyang --json
    """
    require_range("k-factor", k_factor, 0.1, 100)
    require_range("min-el-deg", min_el_deg, -90, 89)
    e = geo.earth_by_name(earth)
    a = parse_point(from_, "from")
    b = parse_point(to, "to", alt_unit="km")
    if len(str(to).split(",")) == 3 and not str(to).strip().lower().endswith("m"):
        click.echo(f"thaad: note: --to altitude read as {b.alt_m / 1e3:g} km; write the unit (e.g. "
                   f"{str(to).strip()}km) to be explicit", err=True)
    site = RadarSite(a.lat_rad, a.lon_rad, a.alt_m, name=a.name)
    radar = Radar(site, None, az_half_width_rad=math.pi, min_el_rad=math.radians(min_el_deg),
                  max_el_rad=math.radians(90.0), k_factor=k_factor, earth=e)
    look = look_from_geodetic(radar, b.lat_rad, b.lon_rad, b.alt_m)
    m = margins(radar, look)
    visible = bool(visibility_from_margins(m))
    low = lowest_visible_altitude(radar, b.lat_rad, b.lon_rad, min_alt_m=-1e4)
    horizon = rg.radar_horizon_m(site.height_m, b.alt_m, float(look.k_radius_m))
    out = {
        "visible": visible,
        "ground_range_km": float(look.ground_range_m) / 1e3,
        "slant_range_km": float(look.slant_range_m) / 1e3,
        "elevation_deg": math.degrees(float(look.elevation_rad)),
        "azimuth_deg": math.degrees(float(look.azimuth_rad)),
        "min_visible_altitude_km": max(float(low.lowest_alt_m), 0.0) / 1e3 if np.isfinite(low.lowest_alt_m) else None,
        "line_of_sight_margin_km": float(m["line_of_sight_m"]) / 1e3,
        "radio_horizon_km": float(horizon) / 1e3,
        "limited_by": str(low.binding),
        "k_factor": k_factor, "earth": e.name, "min_el_deg": min_el_deg,
        "from": {"lat_deg": a.lat_deg, "lon_deg": a.lon_deg, "alt_m": a.alt_m},
        "to": {"lat_deg": b.lat_deg, "lon_deg": b.lon_deg, "alt_km": b.alt_m / 1e3},
    }
    if as_json:
        emit_json(out)
        return
    v = "VISIBLE" if visible else "not visible"
    click.echo(f"{v}: ground {out['ground_range_km']:.1f} km, slant {out['slant_range_km']:.1f} km, "
               f"az {out['azimuth_deg']:.1f} deg, el {out['elevation_deg']:.2f} deg (k = {k_factor:.4g}, {e.name})")
    mva = out["min_visible_altitude_km"]
    click.echo(f"lowest visible altitude above the target point: {'never' if mva is None else f'{mva:.2f} km'}")


# --- thaad radar-range --------------------------------------------------------------------
@click.command("radar-range")
@click.option("--radar", "radar_name", type=RADAR, default="tpy2", show_default=True, help="Radar from the catalogue.")
@click.option("--mode", type=MODE_CHOICE, default="terminal", show_default=True, help="Radar mode.")
@click.option("--rcs-m2", type=RCS, required=True, help="Target radar cross-section (m^2), > 0.")
@json_option
def radar_range_command(radar_name, mode, rcs_m2, as_json):
    """Detection range from the radar equation for a target RCS, with the low/high band.

    \b
    Examples:
      thaad radar-range --rcs-m2 0.1
      thaad radar-range --mode forward-based --rcs-m2 0.01 --json
    """
    rcs = parse_rcs(rcs_m2)
    spec = catalog.find_radar(radar_name)
    mode_key, m = catalog.radar_mode(spec, mode)
    eqs = {lvl: catalog.radar_equation(spec.key, mode_key, lvl) for lvl in ("low", "nominal", "high")}
    ranges = {lvl: float(eq.detection_range_m(rcs)) / 1e3 for lvl, eq in eqs.items()}
    presets = {}
    for key, p in catalog.rcs_presets().items():
        presets[key] = {"name": p.name, "rcs_m2": p.rcs_m2.band,
                        "detection_range_km": [float(eqs["nominal"].detection_range_m(v)) / 1e3 for v in p.rcs_m2.band],
                        "source": p.rcs_m2.source, "estimate": p.rcs_m2.estimate}
    nom = eqs["nominal"]
    out = {
        "radar": spec.name, "mode": mode_key, "form": m.form, "rcs_m2": rcs,
        "detection_range_km": ranges["nominal"],
        "detection_range_low_km": ranges["low"],
        "detection_range_high_km": ranges["high"],
        "reported_range_km": m.reported_range_km.model_dump(),
        "reference_rcs_m2": m.reference_rcs_m2.model_dump(),
        "equation": {
            "average_power_w": nom.average_power_w, "aperture_area_m2": nom.aperture_area_m2,
            "aperture_efficiency": nom.aperture_efficiency, "frequency_ghz": nom.frequency_hz / 1e9,
            "gain_db": 10 * math.log10(nom.gain), "system_noise_temp_k": nom.system_noise_temp_k,
            "losses_db": nom.losses_db, "snr_threshold_db": nom.snr_threshold_db,
            "dwell_time_s": nom.dwell_time_s if m.form == "dwell" else None,
            "frame_time_s": nom.frame_time_s if m.form == "search" else None,
            "search_solid_angle_sr": nom.search_solid_angle_sr if m.form == "search" else None,
        },
        "presets": presets,
        "scaling": "R proportional to RCS^(1/4) and to average power^(1/4)",
    }
    if as_json:
        emit_json(out)
        return
    click.echo(f"{spec.name} {mode_key} mode ({m.form} form), RCS {rcs:g} m^2: detection range "
               f"{ranges['nominal']:.0f} km (low {ranges['low']:.0f}, high {ranges['high']:.0f})")
    click.echo(f"reported: {m.reported_range_km.nominal:g} km, taken to refer to "
               f"{m.reference_rcs_m2.nominal:g} m^2 (assumption: the sources do not state the RCS)")


# --- thaad coverage -----------------------------------------------------------------------
def place_rows(radar: Radar, rcs: float) -> list[dict]:
    rows = [p for p in catalog.places().values() if p.kind != "site"]
    lat = np.radians([p.lat_deg for p in rows])
    lon = np.radians([p.lon_deg for p in rows])
    res = lowest_visible_altitude(radar, lat, lon, rcs)
    out = []
    for i, p in enumerate(rows):
        low = res.lowest_alt_m[i]
        out.append({
            "key": p.key, "name": p.name, "country": p.country, "tags": p.tags,
            "lat_deg": p.lat_deg, "lon_deg": p.lon_deg,
            "ground_range_km": res.ground_range_m[i] / 1e3,
            "azimuth_deg": math.degrees(res.azimuth_rad[i]),
            "lowest_visible_alt_km": low / 1e3 if np.isfinite(low) else None,
            "slant_range_km": res.slant_range_m[i] / 1e3 if np.isfinite(low) else None,
            "highest_visible_alt_km": res.highest_alt_m[i] / 1e3 if np.isfinite(low) else None,
            "limited_by": str(res.binding[i]),
        })
    return out


def coverage_summary(radar: Radar, cov, step_km: float, level: str) -> dict:
    far = cov.farthest()
    bands = [{"alt_min_km": r["alt_min_m"] / 1e3, "alt_max_km": r["alt_max_m"] / 1e3 if np.isfinite(r["alt_max_m"]) else None,
              "area_km2": r["area_m2"] / 1e6, "cumulative_area_km2": r["cumulative_area_m2"] / 1e6}
             for r in cov.area_by_band()]
    return {
        **radar_json(radar, level),
        "rcs_m2": cov.rcs_m2,
        "detection_range_km": cov.detection_range_m / 1e3,
        "grid": {"step_km": step_km, "ny": int(cov.lat_rad.size), "nx": int(cov.lon_rad.size),
                 "lat_min_deg": math.degrees(cov.lat_rad.min()), "lat_max_deg": math.degrees(cov.lat_rad.max()),
                 "lon_min_deg": math.degrees(cov.lon_rad.min()), "lon_max_deg": math.degrees(cov.lon_rad.max())},
        "covered_area_km2": cov.area_below_m2(np.inf) / 1e6,
        "area_by_band": bands,
        "farthest_point": None if far is None else {
            "lat_deg": math.degrees(far["lat_rad"]), "lon_deg": math.degrees(far["lon_rad"]),
            "ground_range_km": far["ground_range_m"] / 1e3, "azimuth_deg": math.degrees(far["azimuth_rad"]),
            "lowest_alt_km": far["lowest_alt_m"] / 1e3, "slant_range_km": far["slant_range_m"] / 1e3},
        "places": place_rows(radar, cov.rcs_m2),
        "assumptions": [
            f"refraction: effective Earth radius k = {radar.k_factor:.4g} x WGS84 radius of curvature",
            f"terrain: {radar.terrain_model}",
            "detection: radar equation at the stated RCS, constant aspect; no clutter, jamming or resource limits",
            "altitudes are above the WGS84 ellipsoid; the site height is treated as ellipsoidal",
        ],
    }


@click.command("coverage")
@add_options(common_radar_options)
@click.option("--site", type=PLACE_OR_POINT, default="seongju", show_default=True,
              help="Radar site: LAT,LON[,ALT] (ALT with its unit: 680m, 120km; bare = metres) or a place name.")
@boresight_option
@click.option("--rcs-m2", type=RCS, required=True, help="Target radar cross-section (m^2), > 0.")
@click.option("--blank", multiple=True, metavar="AZ1:AZ2[:EL_MAX]",
              help="Blank azimuths AZ1->AZ2 (clockwise, deg) below EL_MAX (deg; all elevations if omitted). Repeatable.")
@click.option("--grid-km", type=Num(), default=10.0, show_default=True, help="Grid spacing (km).")
@click.option("--extent-km", type=Num(), default=None, help="Half-size of the grid (km); default: detection range.")
@click.option("--k-factor", type=Num(0.1, 100.0), default=4.0 / 3.0, show_default=True)
@click.option("--min-el-deg", type=Num(), default=None, help="Override the minimum elevation (deg).")
@click.option("--max-alt-km", type=Num(), default=None, help="Ignore targets above this altitude (km).")
@click.option("--horizon", type=click.Path(dir_okay=False), default=None, help="Terrain horizon CSV (azimuth_deg,elevation_deg).")
@click.option("--dem", type=click.Path(dir_okay=False), default=None, help="GeoTIFF DEM (EPSG:4326) for a terrain mask (needs rasterio).")
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write map.png, coverage.geojson or coverage.tif.")
@json_option
def coverage_command(radar_name, mode, level, face_model, site, boresight_deg, rcs_m2, blank, grid_km, extent_km, k_factor,
                     min_el_deg, max_alt_km, horizon, dem, out, as_json):
    """Lowest detectable altitude above every cell of a lat/lon grid around the radar.

    Smooth Earth by default (say --horizon/--dem for a terrain mask).  --json prints the
    area covered per altitude band, the farthest covered point, and for each reference
    place the lowest altitude at which a target above it is detectable.

    \b
    Examples:
      thaad coverage --rcs-m2 0.1 --out coverage.geojson
      thaad coverage --mode forward-based --rcs-m2 0.03 --grid-km 25 --out map.png
      thaad coverage --rcs-m2 0.1 --blank 250:300:10 --json
    """
    rcs = parse_rcs(rcs_m2)
    require_range("grid-km", grid_km, 0.5, 500)
    s = site_from_text(site)
    radar = build_cli_radar(radar_name, mode, level, s, boresight_deg, blank, k_factor, min_el_deg, horizon, dem,
                            face_model)
    r_det = float(radar.detection_range_m(rcs))
    extent = min(r_det * 1.03 + 2 * grid_km * 1e3, 6000e3) if extent_km is None else require_range("extent-km", extent_km, 10, 10000) * 1e3
    max_alt = np.inf if max_alt_km is None else require_range("max-alt-km", max_alt_km, 0, 1e5, low_open=True) * 1e3
    if out:
        from thaad import output

        output.check_file_target(out, "out", (".png", ".geojson", ".json", ".tif", ".tiff"))  # before any work
    lat, lon = grid_around(radar.site.lat_rad, radar.site.lon_rad, extent, grid_km * 1e3, radar.earth)
    if lat.size * lon.size > MAX_CELLS:
        raise InputError("grid-km", f"{grid_km:g} km over a {extent / 1e3:.0f} km half-extent gives "
                                    f"{lat.size * lon.size:,} cells (> {MAX_CELLS:,}); use a coarser grid or --extent-km")
    cov = coverage_map(radar, lat, lon, rcs, max_alt_m=max_alt)
    summary = coverage_summary(radar, cov, grid_km, level)
    if out:
        from thaad import output
        from thaad.gis import coverage as radar_outputs

        with output.atomic_file(out, "out") as tmp:
            radar_outputs.write_coverage(tmp, radar, cov, summary)
        summary["out"] = str(out)
    if as_json:
        emit_json(summary)
        return
    click.echo(f"{radar.name} {radar.mode} ({level}), RCS {rcs:g} m^2: detection range {r_det / 1e3:.0f} km; "
               f"covered {summary['covered_area_km2']:.0f} km^2 ({radar.terrain_model})")
    far = summary["farthest_point"]
    if far:
        click.echo(f"farthest covered point: {far['lat_deg']:.2f}, {far['lon_deg']:.2f} at {far['ground_range_km']:.0f} km "
                   f"(az {far['azimuth_deg']:.0f} deg), lowest altitude {far['lowest_alt_km']:.0f} km")
    for p in summary["places"]:
        if "report" in p["tags"]:
            low = p["lowest_visible_alt_km"]
            click.echo(f"  {p['name']:28s} {p['ground_range_km']:7.0f} km  "
                       f"{'not detectable (' + p['limited_by'] + ')' if low is None else f'from {low:.0f} km altitude'}")
    if out:
        click.echo(f"wrote {out}")


# --- thaad detect -------------------------------------------------------------------------
@click.command("detect")
@add_options(common_radar_options)
@click.option("--site", type=PLACE_OR_POINT, default="seongju", show_default=True,
              help="Radar site: LAT,LON[,ALT] (ALT with its unit: 680m, 120km; bare = metres) or a place name.")
@boresight_option
@click.option("--blank", multiple=True, metavar="AZ1:AZ2[:EL_MAX]", help="Blanked sector (see `thaad coverage`). Repeatable.")
@click.option("--k-factor", type=Num(0.1, 100.0), default=4.0 / 3.0, show_default=True)
@click.option("--missile", type=MISSILE, required=True, help="Missile from the catalogue (`thaad missiles`).")
@click.option("--from", "from_", type=PLACE_OR_POINT, required=True, help="Launch point: LAT,LON[,ALT] (ALT with its unit: 680m, 120km; bare = metres) or a place name.")
@click.option("--to", "to", type=PLACE_OR_POINT, required=True, help="Target (the missile is aimed at it): LAT,LON[,ALT] (ALT with its unit: 680m, 120km; bare = metres) or a place name.")
@click.option("--shape", type=SHAPE_CHOICE, default="min-energy", show_default=True)
@click.option("--apogee-km", type=Num(), default=None, help="Apogee for lofted/depressed shapes (km).")
@click.option("--rcs-m2", type=RCS, default=None, help="Target RCS (m^2); default: the catalogue's warhead preset.")
@click.option("--sample-s", type=Num(), default=1.0, show_default=True, help="Trajectory sampling interval (s).")
@json_option
def detect_command(radar_name, mode, level, face_model, site, boresight_deg, blank, k_factor, missile, from_, to, shape,
                   apogee_km, rcs_m2, sample_s, as_json):
    """First radar detection along a missile trajectory (flown with the ballistics model).

    The missile is aimed from --from at --to; the radar sees a sample when it is inside
    the radio horizon, the face, above the minimum elevation, outside blanked sectors and
    within the detection range for the RCS.  Times are from launch; the first detection is
    interpolated between samples.

    \b
    Examples:
      thaad detect --missile hwasong-12 --from sunan --to guam
      thaad detect --missile scud-c --from wonsan --to busan --rcs-m2 0.05 --json
    """
    from thaad.ballistics import FlightOptions, aim

    rcs = A.rcs_m2(A.DEFAULT_RCS, level) if rcs_m2 is None else parse_rcs(rcs_m2)
    require_range("sample-s", sample_s, 0.05, 60)
    s = site_from_text(site)
    radar = build_cli_radar(radar_name, mode, level, s, boresight_deg, blank, k_factor, face_model=face_model)
    vehicle = A.vehicle_band(missile).at(level)
    src = parse_point(from_, "from")
    tgt = parse_point(to, "to")
    if apogee_km is not None and shape == "min-energy":
        raise InputError("apogee-km", "only applies to --shape lofted or depressed (min-energy fixes the apogee)")
    if apogee_km is None and shape != "min-energy":
        raise InputError("apogee-km", f"is required for --shape {shape}")
    apogee = None if apogee_km is None else require_range("apogee-km", apogee_km, 1, 1e5, low_open=True) * 1e3
    ts, _ = aim(vehicle, src.lat_rad, src.lon_rad, tgt.lat_rad, tgt.lon_rad, launch_alt_m=src.alt_m,
                target_alt_m=tgt.alt_m, shape=shape, apogee_m=apogee, options=FlightOptions(sample_s=sample_s))
    from thaad.radar import detect_along

    tr = detect_along(ts, radar, rcs)
    detected = bool(tr.detected[0])
    first = None
    if detected:
        look = look_from_geodetic(radar, tr.first_detection_lat_rad[0], tr.first_detection_lon_rad[0],
                                  tr.first_detection_alt_m[0])
        first = {"t_s": float(tr.first_detection_time_s[0]), "alt_km": float(tr.first_detection_alt_m[0]) / 1e3,
                 "slant_range_km": float(tr.first_detection_range_m[0]) / 1e3,
                 "ground_range_km": float(look.ground_range_m) / 1e3,
                 "lat_deg": math.degrees(tr.first_detection_lat_rad[0]), "lon_deg": math.degrees(tr.first_detection_lon_rad[0]),
                 "azimuth_deg": math.degrees(float(look.azimuth_rad)), "elevation_deg": math.degrees(float(look.elevation_rad))}
    impact_t = float(ts.impact_time_s[0])
    out = {
        **radar_json(radar, level),
        "missile": missile, "shape": shape, "rcs_m2": rcs,
        "detection_range_km": float(radar.detection_range_m(rcs)) / 1e3,
        "detected": detected,
        "first_detection": first,
        "last_detection_t_s": float(tr.last_detection_time_s[0]),
        "track_duration_s": float(tr.track_duration_s[0]),
        "visible_intervals": [{"start_s": float(a), "end_s": float(b)} for a, b in tr.intervals[0]],
        "warning_time_s": impact_t - first["t_s"] if first else None,
        "trajectory": {"range_km": float(ts.range_m[0]) / 1e3, "apogee_km": float(ts.apogee_alt_m[0]) / 1e3,
                       "flight_time_s": impact_t, "burnout_time_s": float(ts.burnout_time_s[0]),
                       "impact": {"lat_deg": math.degrees(ts.impact_lat_rad[0]), "lon_deg": math.degrees(ts.impact_lon_rad[0])},
                       "from": {"lat_deg": src.lat_deg, "lon_deg": src.lon_deg}, "to": {"lat_deg": tgt.lat_deg, "lon_deg": tgt.lon_deg}},
        "sample_s": sample_s,
    }
    if as_json:
        emit_json(out)
        return
    click.echo(f"{missile} {shape}: range {out['trajectory']['range_km']:.0f} km, apogee "
               f"{out['trajectory']['apogee_km']:.0f} km, flight {impact_t:.0f} s")
    if first:
        click.echo(f"{radar.name} {radar.mode} first detects it at t = {first['t_s']:.0f} s, altitude "
                   f"{first['alt_km']:.0f} km, slant range {first['slant_range_km']:.0f} km; tracked "
                   f"{out['track_duration_s']:.0f} s; {out['warning_time_s']:.0f} s before impact")
    else:
        click.echo(f"{radar.name} {radar.mode} never detects it (RCS {rcs:g} m^2)")


COMMANDS = [visibility_command, radar_range_command, coverage_command, detect_command]

"""Adapters between the report and the physics core.

Each function calls one core module and returns plain arrays in report units (km, deg).
Where this build lacks the module, the function raises :class:`Missing` and the report
says so for the question concerned: no numbers are invented here.  Pure geometry the
report needs (great-circle tracks, grid cell areas) is computed here with ``thaad.geo``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import numpy as np

from thaad import geo
from thaad.report.model import Missing


def _module(name: str, what: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        raise Missing(f"{what} (module {name})", "not in this build") from None


# --- result types the report works with ---------------------------------------------------


@dataclass
class Coverage:
    lon_deg: np.ndarray  # (nx,)
    lat_deg: np.ndarray  # (ny,)
    min_alt_km: np.ndarray  # (ny, nx), NaN where never detectable
    detection_range_km: float


@dataclass
class Detection:
    first_t_s: np.ndarray  # (N,) NaN: never detected
    first_alt_km: np.ndarray
    first_range_km: np.ndarray
    track_s: np.ndarray  # (N,) total visible time


@dataclass
class Engagement:
    engageable: np.ndarray  # (N,) bool
    shots: np.ndarray  # (N,) int shot opportunities
    p_kill: np.ndarray  # (N,)
    first_alt_km: np.ndarray
    first_range_km: np.ndarray


@dataclass
class Footprint:
    lon_deg: np.ndarray  # (nx,)
    lat_deg: np.ndarray  # (ny,)
    shots: np.ndarray  # (ny, nx) shot opportunities at the nominal level (NaN: not an aim point)
    defended_fraction: np.ndarray  # (ny, nx) share of Monte Carlo samples defended
    area_km2: tuple[float, float, float]  # low, nominal, high
    places: dict[str, bool]


@dataclass
class Envelope:
    min_alt_km: float
    max_alt_km: float
    max_range_km: float


# --- radar ----------------------------------------------------------------------------------


def detection_range_km(ctx, mode: str, rcs_m2: float, level: str) -> float:
    _module("thaad.radar", "radar model")
    raise Missing("radar model (thaad.radar)", "detection range adapter not wired yet")


def coverage(ctx, mode: str, rcs_m2: float, level: str, sectors=()) -> Coverage:
    _module("thaad.radar", "radar coverage")
    raise Missing("radar coverage (thaad.radar)", "coverage adapter not wired yet")


def place_min_alt_km(ctx, mode: str, rcs_m2: float, level: str, places, sectors=()) -> np.ndarray:
    _module("thaad.radar", "radar coverage")
    raise Missing("radar coverage (thaad.radar)", "place visibility adapter not wired yet")


def detect(ctx, trajectories, mode: str, rcs_m2: float, level: str, sectors=()) -> Detection:
    _module("thaad.radar", "detection along trajectories")
    raise Missing("detection along trajectories (thaad.radar)", "adapter not wired yet")


# --- ballistics -------------------------------------------------------------------------------


def fly(ctx, missile: str, launch, targets, shape: str, apogee_km: float | None, level: str):
    """Aim and fly ``missile`` from one launch point to each target: a TrajectorySet."""
    _module("thaad.ballistics.aim", "ballistic aiming")
    raise Missing("ballistic flight and aiming (thaad.ballistics)", "adapter not wired yet")


# --- interceptor / engagement / footprint ------------------------------------------------------


def battery(ctx, level: str):
    """The scenario's battery at an estimate level: ``(Battery, pk)``.

    The catalogue entry (``[engagement] battery``) at ``level``, with the scenario's
    launchers, radar mode/boresight and any overridden reaction times or Pk.
    """
    _module("thaad.engagement", "engagement model")
    from dataclasses import replace

    from thaad import catalog

    sc = ctx.scenario
    key = sc.engagement.battery
    b = catalog.battery(key, level, interceptor_level=level)
    entry = catalog.battery_entries()[key]
    ctx.cite_tree(f"battery {key}", entry["quantities"])
    ctx.cite_tree(f"interceptor {entry['interceptor']}", catalog.interceptor_entries()[entry["interceptor"]]["quantities"])
    sites = []
    for l in sc.launchers:
        p = l.resolve()
        sites.append((np.radians(p.lat_deg), np.radians(p.lon_deg), p.alt_m))
    site = ctx.site
    over = {k: getattr(sc.engagement, k) for k in ("firm_track_s", "decision_s", "launch_s", "kill_assessment_s")
            if getattr(sc.engagement, k) is not None}
    b = replace(b, radar_lat_rad=float(np.radians(site.lat_deg)), radar_lon_rad=float(np.radians(site.lon_deg)),
                radar_alt_m=float(site.alt_m), launcher_sites=tuple((float(a), float(o), float(h)) for a, o, h in sites),
                n_launchers=sum(l.count for l in sc.launchers), interceptors_per_launcher=sc.launchers[0].interceptors_each,
                radar_mode=sc.radar.defence_mode, radar_boresight_rad=float(np.radians(sc.radar.boresight_deg)), **over)
    pk = sc.engagement.pk if sc.engagement.pk is not None else catalog.battery_pk(key).at(level)
    return b, float(pk)


def envelope(ctx, level: str) -> Envelope:
    """The interceptor's engagement envelope (catalogue values at ``level``)."""
    b, _ = battery(ctx, level)
    ic = b.interceptor
    return Envelope(ic.min_intercept_alt_m / 1000.0, ic.max_intercept_alt_m / 1000.0, ic.max_intercept_range_m / 1000.0)


def engage(ctx, trajectories, level: str, sectors=()) -> Engagement:
    _module("thaad.engagement", "engagement model")
    raise Missing("engagement timeline (thaad.engagement)", "adapter not wired yet")


def footprint(ctx, threat, launch, level: str) -> Footprint:
    _module("thaad.footprint", "defended footprint")
    raise Missing("defended footprint (thaad.footprint)", "adapter not wired yet")


# --- geometry the report computes itself --------------------------------------------------------


def great_circle_track(lat1_deg, lon1_deg, lat2_deg, lon2_deg, n: int = 361):
    """Points along the WGS84 geodesic from 1 to 2 (deg); a missile's ground track is close to it."""
    g = geo.WGS84.geod()
    inner = g.npts(lon1_deg, lat1_deg, lon2_deg, lat2_deg, n - 2)
    lon = np.array([lon1_deg] + [p[0] for p in inner] + [lon2_deg])
    lat = np.array([lat1_deg] + [p[1] for p in inner] + [lat2_deg])
    return lat, lon


def distance_km(lat0_deg, lon0_deg, lat_deg, lon_deg) -> np.ndarray:
    """Geodesic ground distance (km) from one point to many (WGS84)."""
    lat = np.asarray(lat_deg, float)
    lon = np.asarray(lon_deg, float)
    d = geo.ground_range_m(np.radians(np.full_like(lat, lat0_deg)), np.radians(np.full_like(lon, lon0_deg)),
                           np.radians(lat), np.radians(lon))
    return np.asarray(d) / 1000.0


def azimuth_deg(lat0_deg, lon0_deg, lat_deg, lon_deg) -> np.ndarray:
    g = geo.WGS84.geod()
    lat = np.atleast_1d(np.asarray(lat_deg, float))
    lon = np.atleast_1d(np.asarray(lon_deg, float))
    az, _, _ = g.inv(np.full_like(lon, lon0_deg), np.full_like(lat, lat0_deg), lon, lat)
    return np.mod(az, 360.0)


def cell_area_km2(lat_deg: np.ndarray, dlat_deg: float, dlon_deg: float) -> np.ndarray:
    """Area of lat/lon grid cells on the mean-radius sphere (km^2); enough for map areas."""
    r = geo.MEAN_EARTH_RADIUS_M / 1000.0
    return (r * np.radians(dlat_deg)) * (r * np.radians(dlon_deg) * np.cos(np.radians(lat_deg)))

"""Adapters between the report and the physics core.

Each function calls one core module and returns plain arrays in report units (km, deg).
Where this build lacks the module, the function raises :class:`Missing` and the report
says so for the question concerned: no numbers are invented here.  Pure geometry the
report needs (great-circle tracks, grid cell areas) is computed here with ``thaad.geo``.
"""

from __future__ import annotations

import importlib
import math
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
    defended_fraction: np.ndarray  # (ny, nx) share of Monte Carlo samples defended (NaN: not an aim point)
    area_km2: tuple[float, float, float]  # low (5th percentile), nominal, high (95th percentile)
    places: dict[str, bool]
    places_fraction: dict[str, float]  # share of Monte Carlo samples in which the place is defended
    aim_area_km2: float  # area of all aim points (South Korean land when the mask is available)
    threatened_area_km2: float  # area the missile can reach
    masked: bool  # True when aim points are restricted to South Korean land
    samples_defended: np.ndarray | None = None  # (samples, ny, nx) bool, each Monte Carlo sample
    lower_shots: np.ndarray | None = None  # (ny, nx) lower-tier (Patriot) shot opportunities, nominal


@dataclass
class Envelope:
    min_alt_km: float
    max_alt_km: float
    max_range_km: float


# --- radar ----------------------------------------------------------------------------------


def rcs_m2(ctx, kind: str, level: str) -> float:
    """Target RCS for ``kind`` ("warhead"/"booster"): the scenario's value, else the catalogue preset at ``level``."""
    v = getattr(ctx.scenario.rcs, f"{kind}_m2")
    if v is not None:
        return float(v)
    _module("thaad.radar", "radar model")
    from thaad import catalog

    preset = catalog.rcs_presets()[kind]
    ctx.cite(f"RCS preset: {preset.name}", preset.rcs_m2)
    return float(preset.rcs_m2.at(level))


def radar(ctx, mode: str, level: str, sectors=()):
    """The scenario's radar (catalogue entry at ``level``) with the given blanked sectors."""
    _module("thaad.radar", "radar model")
    from thaad import catalog
    from thaad.radar import BlankSector, RadarSite

    sc = ctx.scenario
    key = (mode, level, tuple(sectors))
    cache = ctx.cache.setdefault("radar", {})
    if key in cache:
        return cache[key]
    site = ctx.site
    rs = RadarSite(math.radians(site.lat_deg), math.radians(site.lon_deg), site.alt_m,
                   antenna_height_m=sc.site.antenna_height_m or 0.0, name=site.name)
    blank = tuple(BlankSector(math.radians(a0), math.radians(a1), None if el >= 90 else math.radians(el))
                  for a0, a1, el in sectors)
    min_el = None if sc.radar.min_elevation_deg is None else math.radians(sc.radar.min_elevation_deg)
    r = catalog.build_radar(sc.radar.radar, mode, rs, boresight_az_rad=math.radians(sc.radar.boresight_deg), blanking=blank,
                            k_factor=sc.radar.k_factor, level=level, min_el_rad=min_el)
    spec = catalog.find_radar(sc.radar.radar)
    for group in ("hardware", "face"):
        for name, q in getattr(spec, group).items():
            if group == "face" and ((name == "boresight_az_deg") or (name == "min_el_deg" and min_el is not None)
                                    or (name == "antenna_height_m" and sc.site.antenna_height_m)):
                continue  # set by the scenario instead
            ctx.cite(f"radar {spec.name}: {name}", q)
    _, m = catalog.radar_mode(spec, mode)
    for name in type(m).model_fields:
        q = getattr(m, name)
        if hasattr(q, "nominal"):
            ctx.cite(f"radar {spec.name}, {mode} mode: {name}", q)
    cache[key] = r
    return r


def detection_range_km(ctx, mode: str, rcs: float, level: str) -> float:
    """Free-space detection range (radar equation) for a target of ``rcs`` m^2."""
    from thaad.radar import detection_range_m

    return float(detection_range_m(radar(ctx, mode, level), rcs)) / 1000.0


def coverage_axes(ctx) -> tuple[np.ndarray, np.ndarray]:
    """Cell-centre latitudes and longitudes (deg) of the scenario's coverage grid."""
    g = ctx.scenario.grids
    km_per_deg = math.radians(1.0) * geo.MEAN_EARTH_RADIUS_M / 1000.0
    dlat = g.coverage_km / km_per_deg
    dlon = g.coverage_km / (km_per_deg * math.cos(math.radians(0.5 * (g.lat_min_deg + g.lat_max_deg))))
    lat = np.arange(g.lat_min_deg + dlat / 2, g.lat_max_deg, dlat)
    lon = np.arange(g.lon_min_deg + dlon / 2, g.lon_max_deg, dlon)
    return lat, lon


def coverage(ctx, mode: str, rcs: float, level: str, sectors=()) -> Coverage:
    """Lowest detectable altitude over the scenario's grid (one vectorised call)."""
    from thaad.radar import coverage_map

    r = radar(ctx, mode, level, sectors)
    lat, lon = coverage_axes(ctx)
    cov = coverage_map(r, np.radians(lat), np.radians(lon), rcs)
    return Coverage(lon, lat, np.asarray(cov.lowest_alt_m, float) / 1000.0, float(cov.detection_range_m) / 1000.0)


def place_lowest(ctx, mode: str, rcs: float, level: str, places, sectors=()):
    """Lowest detectable altitude (km, NaN: never) above each place, and what sets it."""
    from thaad.radar import lowest_visible_altitude

    r = radar(ctx, mode, level, sectors)
    res = lowest_visible_altitude(r, np.radians([p.lat_deg for p in places]), np.radians([p.lon_deg for p in places]), rcs)
    return np.asarray(res.lowest_alt_m, float) / 1000.0, [str(b) for b in np.atleast_1d(res.binding)]


def place_min_alt_km(ctx, mode: str, rcs: float, level: str, places, sectors=()) -> np.ndarray:
    return place_lowest(ctx, mode, rcs, level, places, sectors)[0]


def detector(ctx, mode: str, rcs: float, level: str, sectors=()):
    """A function ``TrajectorySet -> (first detection time (N,), visible (N, T))`` for the scenario's radar."""
    _module("thaad.radar", "detection along trajectories")
    from thaad.radar import detect_along

    r = radar(ctx, mode, level, sectors)

    def fn(ts):
        tr = detect_along(ts, r, rcs)
        return np.asarray(tr.first_detection_time_s, float), np.asarray(tr.visible, bool)

    return fn


def detect(ctx, flown, mode: str, rcs_m2: float, level: str, sectors=()) -> Detection:
    """First detection of each flown trajectory (time, altitude, slant range) and total track time."""
    fn = detector(ctx, mode, rcs_m2, level, sectors)
    t, visible = fn(flown.ts)
    ts = flown.ts
    t = np.where(flown.reachable, np.asarray(t, float), np.nan)
    alt = np.full(ts.n, np.nan)
    rng = np.full(ts.n, np.nan)
    track = np.zeros(ts.n)
    site = ctx.site
    for i in range(ts.n):
        if not np.isfinite(t[i]):
            continue
        j = int(np.nanargmin(np.abs(ts.t_s[i] - t[i])))
        alt[i] = ts.alt_m[i, j] / 1000.0
        rng[i] = float(distance_km(site.lat_deg, site.lon_deg, [np.degrees(ts.lat_rad[i, j])], [np.degrees(ts.lon_rad[i, j])])[0])
        if visible is not None:
            v = np.asarray(visible[i], bool)
            dt = np.diff(ts.t_s[i], append=np.nan)
            track[i] = float(np.nansum(np.where(v, dt, 0.0)))
    return Detection(t, alt, rng, track)


# --- ballistics -------------------------------------------------------------------------------


@dataclass
class Flown:
    """Trajectories aimed at targets; ``reachable`` False where the aim solver found no solution."""

    ts: object  # TrajectorySet
    reachable: np.ndarray  # (N,) bool
    reason: np.ndarray  # (N,) str


def vehicle(ctx, missile: str, u: float | str | None):
    """The catalogue missile as a flight-model Vehicle.

    ``u`` is an estimate level ("low"/"nominal"/"high") or a quantile in [0, 1] that maps
    linearly onto the catalogue band (0 = low, 0.5 = nominal, 1 = high), used by the Monte Carlo.
    """
    from dataclasses import fields, replace

    from thaad import catalog

    entry = catalog.find_missile(missile)
    for name, q in entry.quantities().items():
        ctx.cite(f"missile {entry.name}: {name}", q)
    if u is None or isinstance(u, str):
        return catalog.missile_vehicle(entry, u or "nominal")
    u = float(min(max(u, 0.0), 1.0))
    a, b, w = ("low", "nominal", 2 * u) if u <= 0.5 else ("nominal", "high", 2 * u - 1)
    va, vb = catalog.missile_vehicle(entry, a), catalog.missile_vehicle(entry, b)

    def mix(x, y):
        out = {}
        for f in fields(x):
            xa, xb = getattr(x, f.name), getattr(y, f.name)
            if isinstance(xa, float) and isinstance(xb, float):
                out[f.name] = (1 - w) * xa + w * xb
        return replace(x, **out)

    stages = tuple(mix(sa, sb) for sa, sb in zip(va.stages, vb.stages))
    return replace(mix(va, vb), stages=stages)


def _aim(ctx, veh, launch_lat_rad, launch_lon_rad, target_lat_rad, target_lon_rad, shape, apogee_km, sample_s):
    from dataclasses import replace

    from thaad.ballistics import FlightOptions, aim

    tl = np.atleast_1d(np.asarray(target_lat_rad, float))
    to = np.atleast_1d(np.asarray(target_lon_rad, float))
    ll = np.broadcast_to(np.asarray(launch_lat_rad, float), tl.shape).copy()
    lo = np.broadcast_to(np.asarray(launch_lon_rad, float), to.shape).copy()
    ts, sol = aim(veh, ll, lo, tl, to, shape=shape,
                  apogee_m=None if apogee_km is None else np.full_like(tl, apogee_km * 1000.0),
                  options=FlightOptions(sample_s=sample_s))
    ok = np.asarray(sol.reachable, bool)
    if not ok.all():  # an unreachable aim point is not threatened: no impact there
        ts = replace(ts, impact_time_s=np.where(ok, ts.impact_time_s, np.nan))
    return ts, ok, np.asarray(sol.reason)


def fly(ctx, missile: str, launch, targets, shape: str, apogee_km: float | None, level: str, *, sample_s: float = 2.0) -> Flown:
    """Aim and fly ``missile`` from the launch place(s) to each target place (one vectorised call).

    ``launch`` is one place, or a list of places as long as ``targets`` (pair i: launch[i] -> targets[i]).
    """
    _module("thaad.ballistics.aim", "ballistic flight and aiming")
    veh = vehicle(ctx, missile, level)
    launches = launch if isinstance(launch, (list, tuple)) else [launch] * len(targets)
    ts, ok, reason = _aim(ctx, veh, np.radians([p.lat_deg for p in launches]), np.radians([p.lon_deg for p in launches]),
                          np.radians([t.lat_deg for t in targets]), np.radians([t.lon_deg for t in targets]),
                          shape, apogee_km, sample_s)
    return Flown(ts, ok, reason)


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


def engage(ctx, flown, level: str, sectors=()) -> Engagement:
    """Engagement of each flown trajectory by the scenario's battery (radar detection included)."""
    _module("thaad.engagement", "engagement model")
    from thaad.engagement import engage as engage_core

    sc = ctx.scenario
    b, pk = battery(ctx, level)
    t, visible = detector(ctx, sc.radar.defence_mode, rcs_m2(ctx, "warhead", level), level, sectors)(flown.ts)
    res = engage_core(flown.ts, np.asarray(t, float), b, visible=visible)
    ok = np.asarray(res.engageable, bool) & flown.reachable
    return Engagement(ok, np.where(ok, res.shot_opportunities, 0).astype(int), np.where(ok, res.p_kill(pk), 0.0),
                      res.first_intercept_alt_m / 1000.0, res.first_intercept_range_m / 1000.0)


FOOTPRINT_CENTRE_DEG = (36.0, 127.8)  # centre of South Korea's mainland (approx.)
FOOTPRINT_HALF_WIDTH_KM = 260.0  # covers the mainland from Seoul to Busan and Gwangju


def footprint(ctx, threat, launch, level: str) -> Footprint:
    """Defended footprint of the scenario's battery against ``threat`` launched from ``launch``."""
    _module("thaad.footprint", "defended footprint")
    _module("thaad.ballistics.aim", "ballistic flight and aiming")
    import zlib

    from thaad import catalog
    from thaad import footprint as FP

    sc = ctx.scenario
    b, pk = battery(ctx, level)
    detect_fn = detector(ctx, sc.radar.defence_mode, rcs_m2(ctx, "warhead", level), level)
    cache: dict = {}
    nominal: dict = {}

    def fly_fn(lat0, lon0, lat_t, lon_t, u):
        key = level if u is None else round(float(u), 6)
        veh = cache.get(key) or cache.setdefault(key, vehicle(ctx, threat.missile, key))
        ts, _, _ = _aim(ctx, veh, lat0, lon0, lat_t, lon_t, threat.shape, threat.apogee_km, 2.0)
        if u is None:
            nominal.setdefault("ts", ts)
        return ts

    full = FP.aim_grid(np.radians(FOOTPRINT_CENTRE_DEG[0]), np.radians(FOOTPRINT_CENTRE_DEG[1]),
                       FOOTPRINT_HALF_WIDTH_KM * 1000.0, sc.grids.footprint_km * 1000.0)
    from thaad.report import regions

    masked = regions.available()
    keep = (regions.south_korea_mask(np.degrees(full.lat_rad), np.degrees(full.lon_rad)) if masked
            else np.ones(full.shape, bool))
    # only the kept aim points are flown: a (1, n) "grid" of them
    grid = FP.AimGrid(full.lat_rad[keep][None, :], full.lon_rad[keep][None, :], full.cell_area_m2[keep][None, :],
                      full.spacing_m)
    places = [catalog.find_place(n) for n in threat.targets]
    q = catalog.battery_entries()[sc.engagement.battery]["quantities"]

    def band(name):
        if getattr(sc.engagement, name, None) is not None or name not in q:
            return None
        return (q[name].at("low"), q[name].at("high"))

    pk_q = catalog.battery_pk(sc.engagement.battery)
    unc = FP.Uncertainty(firm_track_s=band("firm_track_s"), decision_s=band("decision_s"), launch_s=band("launch_s"),
                         kill_assessment_s=band("kill_assessment_s"),
                         pk=None if sc.engagement.pk is not None else (pk_q.at("low"), pk_q.at("high")))
    seed = (ctx.seed + zlib.crc32(f"{threat.name}|{launch.key}".encode())) % 2**32
    res = FP.footprint(np.radians(launch.lat_deg), np.radians(launch.lon_deg), grid, fly_fn, detect_fn, b, pk=pk,
                       points_lat_rad=np.radians([p.lat_deg for p in places]),
                       points_lon_rad=np.radians([p.lon_deg for p in places]),
                       samples=sc.grids.footprint_samples, seed=seed, uncertainty=unc)
    shots = np.full(full.shape, np.nan)
    shots[keep] = np.where(res.threatened[0], res.shots[0], np.nan)
    frac = np.full(full.shape, np.nan)
    if res.defended_probability is not None:
        frac[keep] = res.defended_probability[0]
    bd = res.band((5, 50, 95))["defended_area_km2"]
    area = (min(bd[0], res.defended_area_km2), res.defended_area_km2, max(bd[2], res.defended_area_km2))
    defended = {p.key: bool(s_ >= 1) for p, s_ in zip(places, res.point_shots)}
    pf = res.point_defended_probability
    fractions = {p.key: (float(pf[i]) if pf is not None else float(defended[p.key])) for i, p in enumerate(places)}
    per_sample = None
    if res.samples_defended is not None:
        per_sample = np.zeros((res.samples_defended.shape[0],) + full.shape, bool)
        per_sample[:, keep] = res.samples_defended[:, 0, :]
    lower = None
    if "ts" in nominal and getattr(sc, "raid", None) is not None and sc.raid.lower_tier:
        lower = _lower_tier_shots(ctx, nominal["ts"], detect_fn, b, level, int(keep.sum()))
        lower_full = np.full(full.shape, np.nan)
        lower_full[keep] = np.where(res.threatened[0], lower, np.nan)
        lower = lower_full
    return Footprint(np.degrees(full.lon_rad[0, :]), np.degrees(full.lat_rad[:, 0]), shots, frac, area, defended, fractions,
                     float(full.cell_area_m2[keep].sum()) / 1e6, res.threatened_area_km2, masked, per_sample, lower)


def _lower_tier_shots(ctx, ts, detect_fn, upper, level, ncell):
    """Shot opportunities of the lower tier on the nominal flights: cued by the upper tier's first
    detection, then tracked by its own radar inside its envelope (no visibility mask)."""
    from thaad import raid_data
    from thaad.engagement import engage as engage_core

    lower = raid_data.lower_tier(upper, ctx.scenario.raid.lower_tier_key, level)
    e = raid_data.lower_tier_entries()[ctx.scenario.raid.lower_tier_key]
    ctx.cite_tree(f"interceptor {e['interceptor']}", catalog_interceptor_quantities(e["interceptor"]))
    det, _ = detect_fn(ts)
    res = engage_core(ts, np.asarray(det, float), lower)
    return res.shot_opportunities[:ncell]


def catalog_interceptor_quantities(key):
    from thaad import catalog

    return catalog.interceptor_entries()[key]["quantities"]


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

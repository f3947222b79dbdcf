"""What the report's questions see of the core: scenario objects from :mod:`thaad.assemble`,
results in report units (km, deg), the sources cited, and the CLI commands that reproduce
the numbers.  Pure geometry the report needs (great-circle tracks, cell areas) is computed
here with ``thaad.geo``."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from thaad import assemble as A
from thaad import catalog, geo


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
    samples: int  # Monte Carlo samples behind the band
    area_se_km2: tuple[float | None, float | None]  # Monte Carlo standard error of the 5th and 95th percentiles
    places: dict[str, bool]
    places_fraction: dict[str, float]  # share of Monte Carlo samples in which the place is defended
    aim_area_km2: float  # area of all aim points (South Korean land when the mask is available)
    threatened_area_km2: float  # area the missile can reach
    masked: bool  # True when aim points are restricted to South Korean land
    samples_defended: np.ndarray | None = None  # (samples, ny, nx) bool, each Monte Carlo sample
    lower_shots: np.ndarray | None = None  # (ny, nx) lower-tier (Patriot) shot opportunities, nominal
    samples_places: dict | None = None  # place key -> (samples,) bool, defended in each Monte Carlo sample
    lower_places: dict | None = None  # place key -> lower tier has a shot (nominal)


@dataclass
class Envelope:
    min_alt_km: float
    max_alt_km: float
    max_range_km: float


# --- radar ----------------------------------------------------------------------------------


def rcs_m2(ctx, kind: str, level: str) -> float:
    """Target RCS for ``kind`` ("warhead"/"booster"): the scenario's value, else the catalogue preset at ``level``."""
    if getattr(ctx.scenario.rcs, f"{kind}_m2") is None:
        preset = catalog.rcs_presets()[kind]
        ctx.cite(f"RCS preset: {preset.name}", preset.rcs_m2)
    return A.scenario_rcs_m2(ctx.scenario, kind, level)


def radar(ctx, mode: str, level: str, sectors=()):
    """The scenario's radar (catalogue entry at ``level``) with the given blanked sectors."""
    sc = ctx.scenario
    key = (mode, level, tuple(sectors))
    cache = ctx.cache.setdefault("radar", {})
    if key in cache:
        return cache[key]
    r = A.scenario_radar(sc, mode, level, tuple(A.blank_sector(a0, a1, el) for a0, a1, el in sectors))
    spec = catalog.find_radar(sc.radar.radar)
    for group in ("hardware", "face"):
        for name, q in getattr(spec, group).items():
            if group == "face" and ((name == "boresight_az_deg") or (name == "min_el_deg" and sc.radar.min_elevation_deg is not None)
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
    return A.detect_function(radar(ctx, mode, level, sectors), rcs)


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


def vehicle_band(ctx, missile: str) -> A.VehicleBand:
    """The catalogue missile's vehicle band (its sources cited)."""
    entry = catalog.find_missile(missile)
    for name, q in entry.quantities().items():
        ctx.cite(f"missile {entry.name}: {name}", q)
    return A.vehicle_band(entry.key)


def fly(ctx, missile: str, launch, targets, shape: str, apogee_km: float | None, level: str, *,
        sample_s: float = 2.0) -> A.Flight:
    """Aim and fly ``missile`` from the launch place(s) to each target place (one vectorised call).

    ``launch`` is one place, or a list of places as long as ``targets`` (pair i: launch[i] -> targets[i]).
    """
    veh = vehicle_band(ctx, missile).at(level)
    launches = launch if isinstance(launch, (list, tuple)) else [launch] * len(targets)
    return A.fly(veh, np.radians([p.lat_deg for p in launches]), np.radians([p.lon_deg for p in launches]),
                 np.radians([t.lat_deg for t in targets]), np.radians([t.lon_deg for t in targets]),
                 shape, None if apogee_km is None else apogee_km * 1000.0, sample_s=sample_s)


# --- interceptor / engagement / footprint ------------------------------------------------------


def battery(ctx, level: str):
    """The scenario's battery at an estimate level: ``(Battery, pk)`` (sources cited)."""
    key = ctx.scenario.engagement.battery
    entry = catalog.find_battery(key)
    ctx.cite_tree(f"battery {key}", entry["quantities"])
    ctx.cite_tree(f"interceptor {entry['interceptor']}", catalog.interceptor_entries()[entry["interceptor"]]["quantities"])
    return A.scenario_battery(ctx.scenario, level)


def envelope(ctx, level: str) -> Envelope:
    """The interceptor's engagement envelope (catalogue values at ``level``)."""
    b, _ = battery(ctx, level)
    ic = b.interceptor
    return Envelope(ic.min_intercept_alt_m / 1000.0, ic.max_intercept_alt_m / 1000.0, ic.max_intercept_range_m / 1000.0)


def engage(ctx, flown, level: str, sectors=()) -> Engagement:
    """Engagement of each flown trajectory by the scenario's battery (radar detection included)."""
    from thaad.engagement import engage as engage_core

    sc = ctx.scenario
    b, pk = battery(ctx, level)
    t, visible = detector(ctx, sc.radar.defence_mode, rcs_m2(ctx, "warhead", level), level, sectors)(flown.ts)
    res = engage_core(flown.ts, np.asarray(t, float), b, visible=visible)
    ok = np.asarray(res.engageable, bool) & flown.reachable
    return Engagement(ok, np.where(ok, res.shot_opportunities, 0).astype(int), np.where(ok, res.p_kill(pk), 0.0),
                      res.first_intercept_alt_m / 1000.0, res.first_intercept_range_m / 1000.0)


FOOTPRINT_LAND = "south-korea"  # the aim points of question 3: South Korean land


def footprint_seed(ctx, threat, launch) -> int:
    """The Monte Carlo seed of one footprint: the run's seed offset by threat and launch area."""
    import zlib

    return (ctx.seed + zlib.crc32(f"{threat.name}|{launch.key}".encode())) % 2**32


def _num(x: float) -> str:
    """A number as the shortest text that reads back to the same float."""
    return f"{x:g}" if float(f"{x:g}") == x else repr(float(x))


def radar_commands(ctx, mode: str, rcs: float) -> list[str]:
    """``thaad radar-range`` (reproduces the detection range) and ``thaad coverage``
    (reproduces the lowest detectable altitude above each place; its map grid is its own)."""
    sc = ctx.scenario
    site = ctx.site
    level = "" if ctx.level == "nominal" else f" --level {ctx.level}"
    site_arg = sc.site.place or f"{_num(site.lat_deg)},{_num(site.lon_deg)},{_num(site.alt_m)}"
    cov = (f"thaad coverage --radar {sc.radar.radar} --mode {mode}{level} --site {site_arg} "
           f"--boresight-deg {_num(sc.radar.boresight_deg)} --rcs-m2 {_num(rcs)} --grid-km {_num(sc.grids.coverage_km)}")
    if sc.radar.min_elevation_deg is not None:
        cov += f" --min-el-deg {_num(sc.radar.min_elevation_deg)}"
    if abs(sc.radar.k_factor - 4.0 / 3.0) > 1e-12:
        cov += f" --k-factor {_num(sc.radar.k_factor)}"
    out = [f"thaad radar-range --radar {sc.radar.radar} --mode {mode} --rcs-m2 {_num(rcs)} --json", cov + " --json"]
    if sc.site.antenna_height_m:
        out.append("# not expressible as an option, so the coverage command's numbers differ: the antenna height")
    return out


def footprint_command(ctx, threat, launch) -> list[str]:
    """The ``thaad footprint`` command that reproduces :func:`footprint` for one threat and
    launch area, and a warning line for each scenario setting the command cannot express."""
    from thaad.gis.regions import find_region

    sc = ctx.scenario
    region = find_region(FOOTPRINT_LAND)
    args = [f"thaad footprint --battery {sc.engagement.battery} --missile {threat.missile} --from {launch.key}"]
    if threat.shape != "min-energy":
        args.append(f"--shape {threat.shape}" + (f" --apogee-km {_num(threat.apogee_km)}" if threat.apogee_km else ""))
    args.append(f"--centre {_num(region.centre_lat_deg)},{_num(region.centre_lon_deg)} "
                f"--extent-km {_num(region.half_width_km)} --land {FOOTPRINT_LAND} --grid-km {_num(sc.grids.footprint_km)}")
    args += [f"--place {t}" for t in threat.targets]
    args.append(f"--samples {sc.grids.footprint_samples} --seed {footprint_seed(ctx, threat, launch)}")
    if sc.engagement.pk is not None:
        args.append(f"--pk {_num(sc.engagement.pk)}")
    if sc.rcs.warhead_m2 is not None:
        args.append(f"--rcs-m2 {_num(sc.rcs.warhead_m2)}")
    if ctx.level != "nominal":
        args.append(f"--level {ctx.level}")
    args.append(f"--boresight-deg {_num(sc.radar.boresight_deg)}")
    if sc.radar.min_elevation_deg is not None:
        args.append(f"--min-el-deg {_num(sc.radar.min_elevation_deg)}")
    args.append("--json")
    return [" ".join(args)] + [f"# not expressible as an option, so this command's numbers differ: {w}"
                               for w in _footprint_command_gaps(sc)]


def _footprint_command_gaps(sc) -> list[str]:
    entry = A.battery_entry(sc.engagement.battery)
    b = A.battery(sc.engagement.battery)
    gaps = []
    if sc.site.resolve().key != entry.site.key:
        gaps.append(f"the radar site ({sc.site.resolve().name}, not {entry.site.name})")
    if sc.radar.radar != entry.radar or sc.radar.defence_mode != entry.radar_mode:
        gaps.append(f"radar {sc.radar.radar} in {sc.radar.defence_mode} mode")
    if abs(sc.radar.k_factor - 4.0 / 3.0) > 1e-12 or sc.site.antenna_height_m:
        gaps.append("the refraction k-factor or antenna height")
    groups = [(l.resolve().key, l.count, l.interceptors_each) for l in sc.launchers]
    if groups != [(entry.site.key, b.n_launchers, b.interceptors_per_launcher)]:
        gaps.append("the launchers")
    gaps += [name for name in A.REACTION_TIMES if getattr(sc.engagement, name) is not None]
    return gaps


def footprint(ctx, threat, launch, level: str, *, fly_cache: dict | None = None) -> Footprint:
    """Defended footprint of the scenario's battery against ``threat`` launched from ``launch``.

    ``fly_cache``: a dict kept by the caller across calls (``thaad explore``) to reuse flown
    trajectories when only the radar or the battery changed; flights do not depend on them.
    """
    from thaad import footprint as FP

    sc = ctx.scenario
    b, pk = battery(ctx, level)
    detect_fn = detector(ctx, sc.radar.defence_mode, rcs_m2(ctx, "warhead", level), level)
    fly_nominal = A.fly_function(vehicle_band(ctx, threat.missile), threat.shape,
                                 None if threat.apogee_km is None else threat.apogee_km * 1000.0, level=level)
    nominal: dict = {}

    def fly_fn(lat0, lon0, lat_t, lon_t, u):
        if fly_cache is None:
            ts = fly_nominal(lat0, lon0, lat_t, lon_t, u)
        else:
            key = (threat.missile, threat.shape, threat.apogee_km, level, None if u is None else np.asarray(u, float).tobytes(),
                   *(np.asarray(a, float).tobytes() for a in (lat0, lon0, lat_t, lon_t)))
            ts = fly_cache.get(key)
            if ts is None:  # kept in hand: Monte Carlo chunks run in threads, and a full cache clears itself
                ts = fly_cache[key] = fly_nominal(lat0, lon0, lat_t, lon_t, u)
        if u is None:
            nominal.setdefault("ts", ts)  # the nominal flights, for the lower tier
        return ts

    pts = A.region_aim_points(FOOTPRINT_LAND, sc.grids.footprint_km * 1000.0)
    full, keep = pts.full, pts.keep
    places = [catalog.find_place(n) for n in threat.targets]
    res = FP.footprint(np.radians(launch.lat_deg), np.radians(launch.lon_deg), pts.grid, fly_fn, detect_fn, b, pk=pk,
                       points_lat_rad=np.radians([p.lat_deg for p in places]),
                       points_lon_rad=np.radians([p.lon_deg for p in places]),
                       samples=sc.grids.footprint_samples, seed=footprint_seed(ctx, threat, launch),
                       uncertainty=A.scenario_uncertainty(sc))
    shots = pts.on_full(np.where(res.threatened, res.shots, np.nan))
    frac = pts.on_full(res.defended_probability) if res.defended_probability is not None else np.full(full.shape, np.nan)
    band = res.band((5, 50, 95))
    bd, se = band["defended_area_km2"], band["defended_area_standard_error_km2"]
    area = (min(bd[0], res.defended_area_km2), res.defended_area_km2, max(bd[2], res.defended_area_km2))
    defended = {p.key: bool(s_ >= 1) for p, s_ in zip(places, res.point_shots)}
    pf = res.point_defended_probability
    fractions = {p.key: (float(pf[i]) if pf is not None else float(defended[p.key])) for i, p in enumerate(places)}
    per_sample = None
    if res.samples_defended is not None:
        per_sample = np.zeros((res.samples_defended.shape[0],) + full.shape, bool)
        per_sample[:, keep] = res.samples_defended[:, 0, :]
    lower = lower_pts = None
    if "ts" in nominal and getattr(sc, "raid", None) is not None and sc.raid.lower_tier:
        n_keep = int(keep.sum())
        all_shots = _lower_tier_shots(ctx, nominal["ts"], detect_fn, b, level)
        lower_full = np.full(full.shape, np.nan)
        lower_full[keep] = np.where(res.threatened[0], all_shots[:n_keep], np.nan)
        lower, lower_pts = lower_full, all_shots[n_keep:]
    sp = None
    if res.samples_point_defended is not None:
        sp = {p.key: res.samples_point_defended[:, i] for i, p in enumerate(places)}
    lower_places = None
    if lower_pts is not None:
        lower_places = {p.key: bool(lower_pts[i] >= 1) for i, p in enumerate(places)}
    return Footprint(np.degrees(full.lon_rad[0, :]), np.degrees(full.lat_rad[:, 0]), shots, frac, area, band["samples"],
                     (se[0], se[2]), defended, fractions, float(full.cell_area_m2[keep].sum()) / 1e6,
                     res.threatened_area_km2, True, per_sample, lower, sp, lower_places)


def _lower_tier_shots(ctx, ts, detect_fn, upper, level):
    """Shot opportunities of the lower tier on the nominal flights: cued by the upper tier's first
    detection, then tracked by its own radar inside its envelope (no visibility mask)."""
    from thaad import raid_data
    from thaad.engagement import engage as engage_core

    lower = raid_data.lower_tier(upper, ctx.scenario.raid.lower_tier_key, level)
    e = raid_data.lower_tier_entries()[ctx.scenario.raid.lower_tier_key]
    ctx.cite_tree(f"interceptor {e['interceptor']}", catalog_interceptor_quantities(e["interceptor"]))
    det, _ = detect_fn(ts)
    res = engage_core(ts, np.asarray(det, float), lower)
    return res.shot_opportunities


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

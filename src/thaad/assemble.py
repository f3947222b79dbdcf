"""Where names become objects: the one wiring layer between the catalogue and the core.

Catalogue names (missile, radar, battery, RCS preset), estimate levels and scenario
fields are resolved here, once, into the functional core's objects: a :class:`VehicleBand`
(the missile at any quantile of its catalogue band), a :class:`~thaad.radar.Radar` at its
site, an :class:`~thaad.engagement.Battery` with its Pk, the Monte Carlo
:class:`~thaad.footprint.Uncertainty`, and the ``fly`` / ``detect`` functions that
:func:`thaad.footprint.footprint` calls.  The CLI, the report, ``bench/`` and ``docs/``
all build their objects here; the core never sees a name.

Estimate levels follow the catalogue's rule (:mod:`thaad.catalog`): ``low`` is the end
of every band that makes the item less capable, ``high`` the more capable end.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, fields, replace
from typing import Iterable

import numpy as np

from thaad import catalog
from thaad.trajectory import TrajectorySet
from thaad.ballistics.vehicle import Vehicle
from thaad.catalog import Level, Point
from thaad.engagement import Battery
from thaad.errors import InputError
from thaad.footprint import AimGrid, DetectFn, FlyFn, Uncertainty, aim_grid
from thaad.radar import BlankSector, Radar, RadarSite, detect_along

DEFAULT_RCS = "warhead"
REACTION_TIMES = ("firm_track_s", "decision_s", "launch_s", "kill_assessment_s")


# --- missiles -----------------------------------------------------------------------------
@dataclass(frozen=True)
class VehicleBand:
    """A missile's flight-model vehicles at the three catalogue levels."""

    low: Vehicle
    nominal: Vehicle
    high: Vehicle

    def at(self, u: float | str) -> Vehicle:
        """The vehicle at an estimate level, or at quantile ``u`` in [0, 1] of the band:
        linear from ``low`` (0) through ``nominal`` (0.5) to ``high`` (1), field by field."""
        if isinstance(u, str):
            return getattr(self, catalog.check_level(u))
        u = float(min(max(u, 0.0), 1.0))
        a, b, w = (self.low, self.nominal, 2 * u) if u <= 0.5 else (self.nominal, self.high, 2 * u - 1)
        stages = tuple(_mix(sa, sb, w) for sa, sb in zip(a.stages, b.stages))
        return replace(_mix(a, b, w), stages=stages)


def _mix(x, y, w: float):
    """``(1 - w) x + w y`` for every float field of two dataclasses of one type."""
    out = {}
    for f in fields(x):
        xa, xb = getattr(x, f.name), getattr(y, f.name)
        if isinstance(xa, float) and isinstance(xb, float):
            out[f.name] = (1 - w) * xa + w * xb
    return replace(x, **out)


def vehicle_band(missile: str) -> VehicleBand:
    """The catalogue missile (key, name or alias) as a :class:`VehicleBand`."""
    entry = catalog.find_missile(missile)
    return VehicleBand(*(catalog.missile_vehicle(entry, lv) for lv in catalog.LEVELS))


@dataclass(frozen=True)
class Flight:
    """Trajectories aimed at targets; where the aim solver found no solution the row has
    no samples and a NaN impact time (``reachable`` False, ``reason`` says why)."""

    ts: TrajectorySet
    reachable: np.ndarray  # (N,) bool
    reason: np.ndarray  # (N,) str
    solution: object = None  # the aim solver's AimSolution (controls; a warm start for nearby pairs)


def fly(vehicle: Vehicle, launch_lat_rad, launch_lon_rad, target_lat_rad, target_lon_rad, shape: str = "min-energy",
        apogee_m: float | None = None, *, launch_alt_m: float = 0.0, target_alt_m: float = 0.0,
        sample_s: float = 2.0, start=None) -> Flight:
    """Aim and fly ``vehicle`` from each launch point to each target (one vectorised call;
    a single launch point is broadcast to every target).  ``start``: the aim solver's warm
    start (:class:`thaad.ballistics.AimStart`), if any."""
    from thaad.ballistics import FlightOptions, aim

    tl = np.atleast_1d(np.asarray(target_lat_rad, float))
    to = np.atleast_1d(np.asarray(target_lon_rad, float))
    ll = np.broadcast_to(np.asarray(launch_lat_rad, float), tl.shape).copy()
    lo = np.broadcast_to(np.asarray(launch_lon_rad, float), to.shape).copy()
    ts, sol = aim(vehicle, ll, lo, tl, to, launch_alt_m=launch_alt_m, target_alt_m=target_alt_m, shape=shape,
                  apogee_m=None if apogee_m is None else np.full_like(tl, apogee_m),
                  options=FlightOptions(sample_s=sample_s), start=start)
    ok = np.asarray(sol.reachable, bool)
    if not ok.all():  # an unreachable aim point is not threatened: no impact there
        ts = replace(ts, n_samples=np.where(ok, ts.n_samples, 0), impact_time_s=np.where(ok, ts.impact_time_s, np.nan))
    return Flight(ts, ok, np.asarray(sol.reason), sol)


def fly_function(band: VehicleBand, shape: str = "min-energy", apogee_m: float | None = None, *,
                 level: Level = "nominal", sample_s: float = 2.0) -> FlyFn:
    """``fly(lat0, lon0, target_lat (N,), target_lon (N,), u) -> TrajectorySet`` for
    :func:`thaad.footprint.footprint`: the band's vehicle at quantile ``u`` (``None``: at
    ``level``), aimed at every target at once; unreachable targets get no samples.  With
    arrays ``lat0``, ``lon0``, ``u`` (N,) (a batched Monte Carlo chunk) every pair flies its
    own draw (a :class:`~thaad.ballistics.Fleet`); the aim solver's starting tables then come
    from anchor vehicles every 0.25 of the band, interpolated between the two around ``u``.

    The draws start from the solutions of their target for the band's anchor vehicles
    (:mod:`thaad.ballistics.aim_warm`: the last nominal solution and four more, solved once
    per target when the first draws come), interpolated at ``u``, one predicted step ahead
    for the moved launch point (:class:`~thaad.ballistics.AimStart`)."""
    catalog.check_level(level)
    nominal: dict = {}  # the last nominal solution and its anchors: warm starts for the draws
    lock = threading.Lock()  # draws may come from several threads (thaad.footprint): anchors solved once

    def anchors():
        from thaad.ballistics.aim_warm import solve_anchors

        with lock:
            if "anchors" not in nominal:
                nominal["anchors"] = solve_anchors(band.at, nominal["sol"], nominal["lat_t"], nominal["lon_t"],
                                                   shape=shape, apogee_m=apogee_m)
            return nominal["anchors"]

    def fly_fn(lat0, lon0, lat_t, lon_t, u):
        from thaad.ballistics import Fleet

        if u is None:
            flight = fly(band.at(level), lat0, lon0, lat_t, lon_t, shape, apogee_m, sample_s=sample_s)
            nominal.clear()
            nominal.update(sol=flight.solution, lat_t=np.ravel(lat_t), lon_t=np.ravel(lon_t),
                           rows={(float(a), float(o)): i for i, (a, o) in
                                 enumerate(zip(np.ravel(lat_t), np.ravel(lon_t)))})
            return flight.ts
        veh = Fleet.from_quantiles(band.at, u, table_step=0.25)
        start = _warm_start(nominal, lat0, lon0, lat_t, lon_t, u, anchors)
        return fly(veh, lat0, lon0, lat_t, lon_t, shape, apogee_m, sample_s=sample_s, start=start).ts

    return fly_fn


def _warm_start(nominal: dict, lat0, lon0, lat_t, lon_t, u, anchors):
    """Warm starts of draws of quantile ``u`` at targets the nominal solution solved
    (:func:`thaad.ballistics.aim_warm.start_at` of ``anchors()``); other targets start cold."""
    from thaad.ballistics.aim_warm import start_at

    if not nominal:
        return None
    rows = np.array([nominal["rows"].get((float(a), float(o)), -1) for a, o in zip(np.ravel(lat_t), np.ravel(lon_t))])
    known = rows >= 0
    known[known] = np.asarray(nominal["sol"].reachable, bool)[rows[known]]  # only solved targets seed
    if not known.any():
        return None
    lat0, lon0 = (np.broadcast_to(np.asarray(x, dtype=float), known.shape) for x in (lat0, lon0))
    return start_at(anchors(), np.where(known, rows, 0), u, lat0, lon0).masked(known)


def rcs_m2(kind: str = DEFAULT_RCS, level: Level = "nominal") -> float:
    """Target RCS of a catalogue preset ("warhead", "booster", ...) at an estimate level."""
    presets = catalog.rcs_presets()
    if kind not in presets:
        raise InputError("rcs", f"unknown RCS preset {kind!r}; known: {', '.join(sorted(presets))}")
    return float(presets[kind].rcs_m2.at(level))


def blank_sector(az_start_deg: float, az_end_deg: float, el_max_deg: float | None = None) -> BlankSector:
    """A blanked sector from degrees; ``el_max_deg`` None or >= 90: all elevations."""
    el = None if el_max_deg is None or el_max_deg >= 90 else math.radians(el_max_deg)
    return BlankSector(math.radians(az_start_deg % 360), math.radians(az_end_deg % 360), el)


def radar_site(site: Point, antenna_height_m: float | None = None) -> RadarSite:
    """A radar site at a point (antenna height None/0: the catalogue radar's own)."""
    return RadarSite(site.lat_rad, site.lon_rad, site.alt_m, antenna_height_m=antenna_height_m or 0.0, name=site.name)


def radar(name: str, mode: str | None, site: Point | RadarSite, level: Level = "nominal", *,
          boresight_deg: float | None = None, sectors: Iterable[BlankSector] = (), k_factor: float = 4.0 / 3.0,
          min_el_deg: float | None = None, antenna_height_m: float | None = None, horizon=None,
          face_model: str = "box") -> Radar:
    """A catalogue radar in one mode at a site, at an estimate level.  ``None`` for the
    boresight, minimum elevation or antenna height takes the catalogue's value."""
    rsite = site if isinstance(site, RadarSite) else radar_site(site, antenna_height_m)
    return catalog.build_radar(
        name, mode, rsite, level=level, blanking=tuple(sectors), k_factor=k_factor, horizon=horizon,
        boresight_az_rad=None if boresight_deg is None else math.radians(boresight_deg % 360),
        min_el_rad=None if min_el_deg is None else math.radians(min_el_deg), face_model=face_model)


def detect_function(radar_: Radar, rcs: float) -> DetectFn:
    """``detect(trajectories) -> (first detection time (N,), visible (N, T))``
    (:func:`thaad.radar.detect.first_detection`: compiled for big batches)."""
    from thaad.radar.detect import first_detection

    def detect(ts):
        return first_detection(ts, radar_, rcs)

    return detect


# --- batteries ----------------------------------------------------------------------------
@dataclass(frozen=True)
class BatteryEntry:
    """A catalogue battery's names resolved: its site, radar and mode."""

    key: str
    name: str
    site: Point
    radar: str
    radar_mode: str


def battery_entry(key: str) -> BatteryEntry:
    e = catalog.find_battery(key)
    return BatteryEntry(e["key"], e["name"], catalog.find_place(e["site"]).point(), e["radar"], e["radar_mode"])


def battery_radar(key: str, level: Level = "nominal", **options) -> Radar:
    """The catalogue battery's radar, in its mode, at its site (``options``: see :func:`radar`)."""
    e = battery_entry(key)
    return radar(e.radar, e.radar_mode, e.site, level, **options)


def battery(key: str, level: Level = "nominal", *, launchers: Iterable[tuple[Point, int, int]] | None = None,
            site: Point | None = None, **overrides) -> Battery:
    """A catalogue battery at an estimate level (battery and interceptor quantities).

    ``site``: the radar site (default: the catalogue's); ``launchers``: ``(point, count,
    interceptors each)`` groups (default: the catalogue's launchers at the radar site);
    ``overrides``: Battery fields set directly (reaction times ...), ``None`` values ignored.
    """
    b = catalog.battery(key, level, interceptor_level=level)
    if site is not None:
        b = replace(b, radar_lat_rad=site.lat_rad, radar_lon_rad=site.lon_rad, radar_alt_m=float(site.alt_m),
                    launcher_sites=((site.lat_rad, site.lon_rad, float(site.alt_m)),))
    if launchers is not None:
        groups = list(launchers)
        b = replace(b, launcher_sites=tuple((p.lat_rad, p.lon_rad, float(p.alt_m)) for p, _, _ in groups),
                    n_launchers=sum(n for _, n, _ in groups), interceptors_per_launcher=groups[0][2])
    over = {k: v for k, v in overrides.items() if v is not None}
    return replace(b, **over) if over else b


def battery_pk(key: str, level: Level = "nominal") -> float:
    """The battery's single-shot kill probability at an estimate level."""
    return float(catalog.battery_pk(key).at(level))


def uncertainty(key: str, *, fixed: Iterable[str] = (), launch_radius_m: float = 25e3) -> Uncertainty:
    """Monte Carlo bands (uniform low-high) of a catalogue battery's reaction times and Pk;
    names in ``fixed`` (set by the user) are not drawn."""
    q = catalog.find_battery(key)["quantities"]
    fixed = set(fixed)

    def band(name):
        return None if name in fixed or name not in q else (q[name].at("low"), q[name].at("high"))

    return Uncertainty(launch_radius_m=launch_radius_m, pk=band("pk"), missile=True,
                       **{name: band(name) for name in REACTION_TIMES})


# --- aim points ---------------------------------------------------------------------------
@dataclass(frozen=True)
class AimPoints:
    """The aim points a footprint flies: ``grid`` (a (1, n) row of the kept cells when a
    land mask applies), the ``full`` square grid and the ``keep`` mask over it."""

    grid: AimGrid
    full: AimGrid
    keep: np.ndarray  # (ny, nx) bool

    def on_full(self, values: np.ndarray, fill=np.nan) -> np.ndarray:
        """Values over ``grid`` spread back onto the full square (``fill`` elsewhere)."""
        out = np.full(self.full.shape, fill, dtype=float)
        out[self.keep] = np.asarray(values, float).ravel()
        return out


def aim_points(centre: Point, half_width_m: float, spacing_m: float, land: str | None = None) -> AimPoints:
    """A square of aim points about ``centre``; with ``land`` (a region of
    :data:`thaad.gis.regions.REGIONS`) only its land cells are kept and flown."""
    full = aim_grid(centre.lat_rad, centre.lon_rad, half_width_m, spacing_m)
    if land is None:
        return AimPoints(full, full, np.ones(full.shape, bool))
    from thaad.gis.regions import find_region

    keep = np.asarray(find_region(land).mask(np.degrees(full.lat_rad), np.degrees(full.lon_rad)), bool)
    grid = AimGrid(full.lat_rad[keep][None, :], full.lon_rad[keep][None, :], full.cell_area_m2[keep][None, :],
                   full.spacing_m)
    return AimPoints(grid, full, keep)


def region_aim_points(land: str, spacing_m: float) -> AimPoints:
    """The land cells of a named region on its own covering square."""
    from thaad.gis.regions import find_region

    r = find_region(land)
    return aim_points(Point(r.centre_lat_deg, r.centre_lon_deg, 0.0, r.name), r.half_width_km * 1e3, spacing_m, land)


# --- scenarios ----------------------------------------------------------------------------
def scenario_site(sc) -> Point:
    return sc.site.resolve()


def scenario_rcs_m2(sc, kind: str, level: Level) -> float:
    """The scenario's target RCS for ``kind`` ("warhead"/"booster"), else the catalogue preset."""
    v = getattr(sc.rcs, f"{kind}_m2")
    return float(v) if v is not None else rcs_m2(kind, level)


def scenario_sectors(sectors) -> tuple[BlankSector, ...]:
    """Scenario sectors (``az_start_deg``, ``az_end_deg``, ``el_max_deg``) as blanked sectors."""
    return tuple(blank_sector(s.az_start_deg, s.az_end_deg, s.el_max_deg) for s in sectors)


def scenario_radar(sc, mode: str, level: Level, sectors: Iterable[BlankSector] = ()) -> Radar:
    """The scenario's radar in ``mode`` at its site, boresight, refraction and elevation limit."""
    return radar(sc.radar.radar, mode, scenario_site(sc), level, boresight_deg=sc.radar.boresight_deg,
                 sectors=sectors, k_factor=sc.radar.k_factor, min_el_deg=sc.radar.min_elevation_deg,
                 antenna_height_m=sc.site.antenna_height_m)


def scenario_battery(sc, level: Level) -> tuple[Battery, float]:
    """The scenario's battery at an estimate level and its single-shot Pk: the catalogue
    entry with the scenario's site, launchers and any reaction times or Pk it sets."""
    e = sc.engagement
    b = battery(e.battery, level, site=scenario_site(sc),
                launchers=[(l.resolve(), l.count, l.interceptors_each) for l in sc.launchers],
                **{k: getattr(e, k) for k in REACTION_TIMES})
    pk = e.pk if e.pk is not None else battery_pk(e.battery, level)
    return b, float(pk)


def scenario_uncertainty(sc) -> Uncertainty:
    """Monte Carlo bands of the scenario's battery; what the scenario sets is not drawn."""
    e = sc.engagement
    fixed = [k for k in (*REACTION_TIMES, "pk") if getattr(e, k) is not None]
    return uncertainty(e.battery, fixed=fixed)


# --- the sensor network (question 5, `thaad network`) --------------------------------------
def network_station(key: str, level: Level = "nominal", *, k_factor: float = 4.0 / 3.0):
    """A radar station of the network catalogue (data/network.toml) as a core ``Station``."""
    from thaad import network_catalog

    return network_catalog.build_station(key, level, k_factor=k_factor)


def radar_station(name: str, mode: str | None, site: Point | RadarSite, level: Level = "nominal", *,
                  label: str | None = None, **radar_options):
    """A catalogue radar at a site (see :func:`radar`) as a one-face ``Station``."""
    from thaad.radar.network import Station

    r = radar(name, mode, site, level, **radar_options)
    return Station(label or f"{r.name} {r.site.name} ({r.mode})", (r,))


def tracked_objects(ts: TrajectorySet, has_bus, level: Level = "nominal", kinds=("booster", "bus", "warhead")):
    """Booster, post-boost bus and warhead on each trajectory, RCS by aspect at ``level``."""
    from thaad import network_catalog

    return network_catalog.tracked_objects(ts, has_bus, level, kinds)

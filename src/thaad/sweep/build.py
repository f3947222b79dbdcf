"""Scenario values and catalogue names -> the core objects one case needs, once.

This is the sweep's only contact with the catalogue; when ``thaad.assemble`` (issue 8)
offers the same objects, these functions become thin calls to it.  Estimate overrides
(:mod:`thaad.sweep.estimates`) are applied here, to the objects, never to the catalogue.
"""

from __future__ import annotations

import dataclasses
import math
from functools import lru_cache

import numpy as np

from thaad import catalog
from thaad.sweep import estimates as E

try:  # the one wiring layer (issue 8); until it lands, the same objects are built here from the catalogue
    from thaad import assemble as A
except ImportError:  # pragma: no cover - only before assemble lands
    A = None


def radar(sc, mode: str, est: dict[str, float], sectors=()):
    """The scenario's radar in ``mode`` at the scenario's estimate level, with blanked ``sectors``
    (``(az_start_deg, az_end_deg, el_max_deg)``) and any reported-range override."""
    if A is not None:
        r = A.scenario_radar(sc, mode, sc.estimate_level, tuple(A.blank_sector(a0, a1, el) for a0, a1, el in sectors))
        return _range_override(sc, mode, r, est)
    from thaad.radar import BlankSector, RadarSite

    site = sc.site.resolve()
    rs = RadarSite(math.radians(site.lat_deg), math.radians(site.lon_deg), site.alt_m,
                   antenna_height_m=sc.site.antenna_height_m or 0.0, name=site.name)
    blank = tuple(BlankSector(math.radians(a0), math.radians(a1), None if el >= 90 else math.radians(el))
                  for a0, a1, el in sectors)
    min_el = None if sc.radar.min_elevation_deg is None else math.radians(sc.radar.min_elevation_deg)
    r = catalog.build_radar(sc.radar.radar, mode, rs, boresight_az_rad=math.radians(sc.radar.boresight_deg),
                            blanking=blank, k_factor=sc.radar.k_factor, level=sc.estimate_level, min_el_rad=min_el)
    return _range_override(sc, mode, r, est)


def _range_override(sc, mode, r, est):
    """Scale the mode's average power so the range at the reference RCS is the overridden one."""
    want_km = est.get(f"estimate.radar.{mode}.reported_range_km")
    if want_km is not None:
        eq = r.equation
        ref = _reference_rcs(sc, mode)
        scale = (want_km * 1e3 / float(eq.detection_range_m(ref))) ** 4  # R^4 proportional to power
        r = dataclasses.replace(r, equation=eq.scaled(average_power_w=eq.average_power_w * scale))
    return r


def _reference_rcs(sc, mode: str) -> float:
    spec = catalog.find_radar(sc.radar.radar)
    return float(spec.mode[mode].reference_rcs_m2.nominal)


def rcs_m2(sc, kind: str) -> float:
    """Target RCS (``warhead``/``booster``): the scenario's value, else the catalogue preset at its level."""
    v = getattr(sc.rcs, f"{kind}_m2")
    return float(v) if v is not None else float(catalog.rcs_presets()[kind].rcs_m2.at(sc.estimate_level))


def battery(sc, est: dict[str, float]):
    """``(Battery, pk)``: the catalogue battery at the scenario's level with its launchers, radar and overrides."""
    if A is not None:
        b, pk = A.scenario_battery(sc, sc.estimate_level)
        return _interceptor_override(b, est), pk
    level = sc.estimate_level
    key = sc.engagement.battery
    b = catalog.battery(key, level, interceptor_level=level)
    site = sc.site.resolve()
    sites = tuple((math.radians(p.lat_deg), math.radians(p.lon_deg), float(p.alt_m))
                  for p in (lc.resolve() for lc in sc.launchers))
    over = {k: getattr(sc.engagement, k) for k in ("firm_track_s", "decision_s", "launch_s", "kill_assessment_s")
            if getattr(sc.engagement, k) is not None}
    b = dataclasses.replace(
        b, radar_lat_rad=math.radians(site.lat_deg), radar_lon_rad=math.radians(site.lon_deg), radar_alt_m=float(site.alt_m),
        launcher_sites=sites, n_launchers=sum(lc.count for lc in sc.launchers),
        interceptors_per_launcher=sc.launchers[0].interceptors_each, **over)
    pk = sc.engagement.pk if sc.engagement.pk is not None else catalog.battery_pk(key).at(level)
    return _interceptor_override(b, est), float(pk)


def _interceptor_override(b, est):
    ic_over = {}
    for name, (_, field, factor) in E.INTERCEPTOR.items():
        v = est.get(f"estimate.interceptor.{name}")
        if v is not None:
            ic_over[field] = v * factor
    return dataclasses.replace(b, interceptor=dataclasses.replace(b.interceptor, **ic_over)) if ic_over else b


def estimate_value(name: str, sc) -> float:
    """The value estimate ``name`` has in the model for scenario ``sc`` (its baseline)."""
    m = E.RADAR_RANGE.fullmatch(name)
    if m:
        r = radar(sc, m.group(1), {})
        return float(r.equation.detection_range_m(_reference_rcs(sc, m.group(1)))) / 1e3
    short = name.split(".", 2)[2]
    _, field, factor = E.INTERCEPTOR[short]
    b, _ = battery(sc, {})
    return float(getattr(b.interceptor, field)) / factor


@lru_cache(maxsize=64)
def flown(missile: str, launch: tuple[str, ...], targets: tuple[str, ...], shape: str, apogee_km: float | None,
          level: str):
    """Trajectories from each launch place to each target (all pairs, one vectorised aim), cached per process.

    Radar and battery parameters do not change a missile's flight, so a sweep over them flies
    each threat once per worker.  Returns ``(TrajectorySet, reachable (N,))``.
    """
    from thaad.ballistics import FlightOptions, aim

    veh = catalog.missile_vehicle(catalog.find_missile(missile), level)
    pairs = [(catalog.find_place(a), catalog.find_place(t)) for a in launch for t in targets]
    lat0 = np.radians([a.lat_deg for a, _ in pairs])
    lon0 = np.radians([a.lon_deg for a, _ in pairs])
    lat1 = np.radians([t.lat_deg for _, t in pairs])
    lon1 = np.radians([t.lon_deg for _, t in pairs])
    ts, sol = aim(veh, lat0, lon0, lat1, lon1, shape=shape,
                  apogee_m=None if apogee_km is None else np.full_like(lat1, apogee_km * 1e3),
                  options=FlightOptions(sample_s=2.0))
    return ts, np.asarray(sol.reachable, bool)

"""Several radars watching the same flights: per-station, per-object detection timelines.

A *station* is one radar site with one or more fixed faces (each a :class:`Radar`); it
sees a sample when any face does.  A *tracked object* (booster, post-boost bus, warhead)
rides on the trajectory during a time window after launch, with a radar cross-section
that depends on the aspect angle (the angle between the object's velocity and the line
from the object to the radar: 0 = nose-on, pi = tail-on).  Everything is batched over the
N trajectories of a :class:`TrajectorySet`.

Physics: detection per sample from :func:`thaad.radar.detect_along` (horizon on the
k-Earth, face, elevation limits, blanking, radar equation).  Radars known only by a
reported range use :class:`ReferenceRange`: at fixed power-aperture and dwell the radar
equation gives :math:`R \\propto \\sigma^{1/4}` (Skolnik, *Introduction to Radar
Systems*, 3rd ed., eq. 2.1), so :math:`R(\\sigma) = R_{ref}(f\\sigma/\\sigma_{ref})^{1/4}`
with :math:`f` the band's RCS factor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from thaad import geo
from thaad.ballistics.trajectory import TrajectorySet
from thaad.errors import InputError, require_range
from thaad.radar.detect import detect_along
from thaad.radar.model import Radar, look_from_geodetic

NEVER_RCS_M2 = 1e-30  # RCS outside an object's time window: below any detection threshold
PHASES = ("boost", "ascent", "descent", "re-entry")
REENTRY_ALT_M = 100e3  # below this, after apogee, the flight is in re-entry


@dataclass(frozen=True)
class ReferenceRange:
    """Detection performance as a reported range at a reference target:
    :math:`R(\\sigma) = R_{ref}(f\\sigma/\\sigma_{ref})^{1/4}`."""

    range_m: float
    reference_rcs_m2: float
    rcs_factor: float = 1.0

    def __post_init__(self):
        require_range("reference range (m)", self.range_m, 0, 1e8, low_open=True)
        require_range("reference RCS (m^2)", self.reference_rcs_m2, 0, 1e6, low_open=True)
        require_range("RCS factor", self.rcs_factor, 0, 1e3, low_open=True)

    def detection_range_m(self, rcs_m2):
        rcs = np.asarray(rcs_m2, dtype=float)
        if np.any(~(rcs > 0)):
            raise InputError("rcs_m2", "radar cross-section must be > 0 m^2")
        return self.range_m * (self.rcs_factor * rcs / self.reference_rcs_m2) ** 0.25


@dataclass(frozen=True)
class AspectRcs:
    """RCS (m^2) nose-on, broadside and tail-on; ``log(sigma)`` is linear in the aspect
    angle between these three (a smooth stand-in for the lobed pattern of a real body)."""

    nose_m2: float
    broadside_m2: float
    tail_m2: float

    def __post_init__(self):
        for n in ("nose_m2", "broadside_m2", "tail_m2"):
            require_range(f"RCS {n}", getattr(self, n), 0, 1e6, low_open=True)

    def rcs_m2(self, aspect_rad):
        a = np.clip(np.asarray(aspect_rad, dtype=float), 0.0, math.pi)
        logs = np.log([self.nose_m2, self.broadside_m2, self.tail_m2])
        return np.exp(np.interp(a, [0.0, 0.5 * math.pi, math.pi], logs))


@dataclass(frozen=True)
class Station:
    """A radar site with one or more fixed faces (each a :class:`Radar` at the same site)."""

    name: str
    faces: tuple[Radar, ...]

    def __post_init__(self):
        if not self.faces:
            raise InputError("station", f"{self.name!r} needs at least one face")
        object.__setattr__(self, "faces", tuple(self.faces))


@dataclass(frozen=True)
class TrackedObject:
    """An object riding on each trajectory from ``start_s`` to ``end_s`` after launch ((N,) or scalar)."""

    name: str
    rcs: AspectRcs
    start_s: np.ndarray | float = 0.0
    end_s: np.ndarray | float = np.inf


@dataclass(frozen=True)
class StationTrack:
    """What one station sees of one object on N trajectories (first detection interpolated)."""

    visible: np.ndarray  # (N, T) any face sees the sample
    first_time_s: np.ndarray  # (N,) NaN: never
    last_time_s: np.ndarray  # (N,)
    track_s: np.ndarray  # (N,) time inside visible runs
    first_range_m: np.ndarray  # (N,) slant range at first detection
    first_alt_m: np.ndarray
    first_elevation_rad: np.ndarray
    first_aspect_rad: np.ndarray  # aspect at the first visible sample
    first_phase: np.ndarray  # (N,) str: boost / ascent / descent / re-entry, "" if never
    rcs_m2: np.ndarray  # (N, T) RCS along the flight seen from this station (first face)

    @property
    def detected(self) -> np.ndarray:
        return np.isfinite(self.first_time_s)


def aspect_angle_rad(site_ecef_m, position_ecef_m, velocity_ecef_m_s):
    """Angle between the velocity and the direction from the object to the radar
    (0 nose-on: flying at the radar; pi tail-on: flying away)."""
    to_radar = np.asarray(site_ecef_m, float) - np.asarray(position_ecef_m, float)
    v = np.asarray(velocity_ecef_m_s, float)
    with np.errstate(invalid="ignore", divide="ignore"):
            c = np.sum(to_radar * v, axis=-1) / (np.linalg.norm(to_radar, axis=-1) * np.linalg.norm(v, axis=-1))
    return np.arccos(np.clip(c, -1.0, 1.0))


def flight_phase(ts: TrajectorySet, t_s) -> np.ndarray:
    """Phase index (into :data:`PHASES`) at times ``t_s`` (N,) of each trajectory."""
    t = np.asarray(t_s, float)
    rows = np.arange(ts.n)
    t_safe = np.where(np.isfinite(ts.t_s), ts.t_s, np.inf)
    k = np.clip(np.sum(t_safe <= np.where(np.isfinite(t), t, -np.inf)[:, None], axis=1) - 1, 0, ts.t_s.shape[1] - 1)
    alt = ts.alt_m[rows, k]
    return np.where(t < ts.burnout_time_s, 0, np.where(t < ts.apogee_time_s, 1, np.where(alt > REENTRY_ALT_M, 2, 3)))


def _site_ecef(radar: Radar):
    s = radar.site
    return np.asarray(geo.geodetic_to_ecef(s.lat_rad, s.lon_rad, s.height_m, radar.earth), float).reshape(3)


def _look_key(radar: Radar):
    s = radar.site
    return (s.lat_rad, s.lon_rad, s.height_m, radar.k_factor, radar.earth.name)


def station_track(ts: TrajectorySet, station: Station, obj: TrackedObject, *, looks: dict | None = None) -> StationTrack:
    """Detection of ``obj`` on every trajectory by any face of ``station``.  ``looks``
    caches the sample geometry per site (shared by faces, objects and estimate levels)."""
    n, t = ts.t_s.shape
    looks = {} if looks is None else looks
    for face in station.faces:
        if _look_key(face) not in looks:
            looks[_look_key(face)] = look_from_geodetic(face, ts.lat_rad, ts.lon_rad, ts.alt_m)
    start = np.broadcast_to(np.asarray(obj.start_s, float), (n,))[:, None]
    end = np.broadcast_to(np.asarray(obj.end_s, float), (n,))[:, None]
    exists = (ts.t_s >= start) & (ts.t_s <= end)
    face0 = station.faces[0]
    aspect = aspect_angle_rad(_site_ecef(face0), ts.position_ecef_m, ts.velocity_ecef_m_s)
    rcs = np.where(exists & np.isfinite(aspect), obj.rcs.rcs_m2(np.where(np.isfinite(aspect), aspect, 0.0)), NEVER_RCS_M2)
    results = [detect_along(ts, face, rcs, look=looks[_look_key(face)]) for face in station.faces]
    vis = np.logical_or.reduce([r.visible for r in results])
    firsts = np.stack([r.first_detection_time_s for r in results])
    best = np.argmin(np.where(np.isfinite(firsts), firsts, np.inf), axis=0)
    rows = np.arange(n)
    pick = lambda name: np.stack([getattr(r, name) for r in results])[best, rows]  # noqa: E731
    first_t = firsts[best, rows]
    lat, lon, alt = pick("first_detection_lat_rad"), pick("first_detection_lon_rad"), pick("first_detection_alt_m")
    ok = np.isfinite(first_t)
    look = look_from_geodetic(face0, np.where(ok, lat, face0.site.lat_rad), np.where(ok, lon, face0.site.lon_rad),
                              np.where(ok, alt, 1e5))
    idx = np.argmax(vis, axis=1)
    phase = flight_phase(ts, first_t)
    # track time from the union of the faces' visible samples (runs of samples, as detect_along)
    pad = np.zeros((n, 1), dtype=bool)
    edges = np.diff(np.concatenate([pad, vis, pad], axis=1).astype(np.int8), axis=1)
    r_rows, r_cols = np.nonzero(edges == 1)
    f_rows, f_cols = np.nonzero(edges == -1)
    t_safe = np.where(np.isfinite(ts.t_s), ts.t_s, 0.0)
    track = np.bincount(r_rows, weights=t_safe[f_rows, f_cols - 1] - t_safe[r_rows, r_cols], minlength=n)
    last = np.where(vis.any(axis=1), t_safe[rows, t - 1 - np.argmax(vis[:, ::-1], axis=1)], np.nan)
    return StationTrack(
        visible=vis, first_time_s=first_t, last_time_s=last, track_s=np.where(vis.any(axis=1), track, 0.0),
        first_range_m=pick("first_detection_range_m"), first_alt_m=alt,
        first_elevation_rad=np.where(ok, look.elevation_rad, np.nan),
        first_aspect_rad=np.where(ok, aspect[rows, idx], np.nan),
        first_phase=np.where(ok, np.asarray(PHASES, dtype=object)[phase], ""),
        rcs_m2=rcs,
    )


def network_tracks(ts: TrajectorySet, stations, objects, *, looks: dict | None = None) -> dict[tuple[str, str], StationTrack]:
    """``{(station name, object name): StationTrack}`` for every station and object
    (pass the same ``looks`` dict to reuse the geometry across calls on the same ``ts``)."""
    looks = {} if looks is None else looks
    return {(s.name, o.name): station_track(ts, s, o, looks=looks) for s in stations for o in objects}


@dataclass(frozen=True)
class Added:
    """What one station adds to the others, per trajectory."""

    lead_s: np.ndarray  # (N,) others' first detection minus this station's (+inf: only this one sees it; NaN: it never does)
    exclusive_track_s: np.ndarray  # (N,) time this station sees the object while none of the others does
    only_one: np.ndarray  # (N,) bool: this station has a track and none of the others has


def added_by(ts: TrajectorySet, own: StationTrack, others) -> Added:
    """Lead time and exclusive track time of ``own`` over the union of ``others``."""
    others = list(others)
    n, t = ts.t_s.shape
    other_vis = np.logical_or.reduce([o.visible for o in others]) if others else np.zeros((n, t), bool)
    other_first = np.min(np.stack([np.where(o.detected, o.first_time_s, np.inf) for o in others]), axis=0) if others \
        else np.full(n, np.inf)
    lead = np.where(own.detected, other_first - np.where(own.detected, own.first_time_s, 0.0), np.nan)
    dt = np.diff(np.where(np.isfinite(ts.t_s), ts.t_s, np.nan), axis=1)
    both = own.visible[:, :-1] & own.visible[:, 1:]
    excl = np.nansum(np.where(both & ~(other_vis[:, :-1] & other_vis[:, 1:]), dt, 0.0), axis=1)
    has_other = np.zeros(n, bool)
    for o in others:
        has_other |= o.track_s > 0
    return Added(lead, excl, (own.track_s > 0) & ~has_other)

"""Engagement timelines of a THAAD battery against many threats at once.

For each threat trajectory (a :class:`~thaad.trajectory.TrajectorySet` row)
and its first radar detection time, the battery's timeline is::

    detection --firm track--> track --decision--> fire --launch--> interceptor away
    ... flyout (time of flight from the flyout fan) ... intercept --kill assessment-->
    re-engagement decision --launch--> second interceptor ...  (shoot-look-shoot)

An intercept at threat sample ``j`` (time ``t_j``, ground range ``s_j`` from a launcher,
altitude ``h_j``) needs a launch at ``L_j = t_j - tof(s_j, h_j)``, where ``tof`` is the
shortest flyout time from :mod:`thaad.interceptor` (NaN outside the engagement altitude
band, the maximum intercept range and the kinematic reach).  It is feasible when
``L_j >= t_ready``, the earliest time the battery can launch.  Shot ``k`` takes the
earliest feasible intercept; the battery can fire shot ``k+1`` only after the kill
assessment of shot ``k`` (``t_ready = t_intercept + kill assessment + decision + launch``).
The number of shots found this way is the number of *shot opportunities*.  With ``n``
opportunities of ``m`` interceptors each and an independent single-shot kill probability
``Pk``, the probability that at least one intercept succeeds is ``1 - (1 - Pk)^(n m)``.

Assumptions (stated in the README): the threat is a single re-entry vehicle on a
ballistic path (no decoys, no manoeuvre); fire control may use any sample where the radar
has the threat (from first detection on, or the ``visible`` mask if given); interceptors
are independent; Earth rotation is neglected during the interceptor's flight; ground
range from the launcher is measured on the Gaussian sphere at the launcher (error
< 0.5 % within 300 km).

Everything is vectorised over threats (and chunked to bound memory).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from thaad.trajectory import TrajectorySet
from thaad.geo import WGS84, Earth, gaussian_radius_m
from thaad.interceptor import FlyoutFan, Interceptor, flyout_fan


@dataclass(frozen=True)
class Battery:
    """A THAAD battery: radar, launchers, interceptors and reaction times (SI units).

    ``launcher_sites`` holds (lat_rad, lon_rad, alt_m) of each distinct launcher position
    (launchers at one site share it); ``n_launchers`` counts launcher vehicles.
    """

    name: str
    radar_lat_rad: float
    radar_lon_rad: float
    radar_alt_m: float
    launcher_sites: tuple[tuple[float, float, float], ...]
    n_launchers: int = 6
    interceptors_per_launcher: int = 8
    interceptor: Interceptor = Interceptor()
    firm_track_s: float = 10.0  # first detection -> firm (fire-control quality) track
    decision_s: float = 10.0  # firm track -> launch order (threat evaluation, weapon assignment)
    launch_s: float = 5.0  # launch order -> interceptor away
    kill_assessment_s: float = 10.0  # intercept -> kill assessment done (look before next shoot)
    shots_per_opportunity: int = 1  # interceptors fired together at each opportunity

    def __post_init__(self):
        from thaad.errors import InputError

        for name in ("firm_track_s", "decision_s", "launch_s", "kill_assessment_s"):
            v = getattr(self, name)
            if not (math.isfinite(v) and v >= 0):
                raise InputError(f"battery.{name}", f"must be a finite time >= 0 s, got {v!r}")
        if self.n_launchers < 1 or self.interceptors_per_launcher < 1:
            raise InputError("battery.n_launchers", "need at least one launcher with at least one interceptor")
        if self.shots_per_opportunity < 1:
            raise InputError("battery.shots_per_opportunity", "must be >= 1")
        if not self.launcher_sites:
            raise InputError("battery.launcher_sites", "need at least one launcher site")

    @property
    def inventory(self) -> int:
        return self.n_launchers * self.interceptors_per_launcher

    @property
    def reaction_s(self) -> float:
        """First detection to first interceptor away."""
        return self.firm_track_s + self.decision_s + self.launch_s

    @property
    def relook_s(self) -> float:
        """Intercept to the next interceptor away (shoot-look-shoot)."""
        return self.kill_assessment_s + self.decision_s + self.launch_s


@dataclass
class EngagementResult:
    """Per-threat engagement summary (arrays over N threats; K = max shots considered).

    Times are seconds since the threat's launch; NaN where there is no such event.
    ``shot_*`` arrays are (N, K); ``first_*``/``last_*`` describe the earliest and the
    latest feasible intercept point (the window the battery can use).
    """

    detection_time_s: np.ndarray
    first_launch_time_s: np.ndarray  # earliest interceptor away (detection + reaction)
    shot_opportunities: np.ndarray  # (N,) int
    shot_launch_time_s: np.ndarray
    shot_intercept_time_s: np.ndarray
    shot_intercept_alt_m: np.ndarray
    shot_intercept_range_m: np.ndarray  # ground range from the launcher that fires
    first_intercept_time_s: np.ndarray
    first_intercept_alt_m: np.ndarray
    first_intercept_range_m: np.ndarray
    last_intercept_time_s: np.ndarray
    last_intercept_alt_m: np.ndarray
    last_intercept_range_m: np.ndarray
    closest_range_m: np.ndarray  # closest ground range of the threat to a launcher
    in_band_time_s: np.ndarray  # time the threat spends inside the engagement volume
    shots_per_opportunity: int = 1
    battery: Battery | None = field(default=None, repr=False)

    @property
    def n(self) -> int:
        return int(self.shot_opportunities.shape[0])

    @property
    def engageable(self) -> np.ndarray:
        return self.shot_opportunities >= 1

    def p_kill(self, pk, shots_per_opportunity: int | None = None) -> np.ndarray:
        """Probability that at least one intercept succeeds: ``1 - (1 - Pk)^(n m)``."""
        m = self.shots_per_opportunity if shots_per_opportunity is None else shots_per_opportunity
        pk = np.asarray(pk, dtype=float)
        return 1.0 - (1.0 - pk) ** (self.shot_opportunities * m)

    def expected_interceptors(self, pk) -> np.ndarray:
        """Expected interceptors used with shoot-look-shoot: shot k+1 is fired only if all
        earlier ones missed, ``m * sum_{k<n} (1 - Pk)^(m k)``."""
        m = self.shots_per_opportunity
        q = (1.0 - np.asarray(pk, dtype=float)) ** m
        n = self.shot_opportunities
        with np.errstate(divide="ignore", invalid="ignore"):
            geo = np.where(q < 1.0, (1.0 - q**n) / (1.0 - np.where(q < 1.0, q, 0.0)), n)
        return m * geo

    def timeline(self, i: int, trajectories: TrajectorySet | None = None) -> list[Event]:
        """Events of threat ``i`` in time order (only those that happen: finite times)."""
        ev: list[Event] = []
        if trajectories is not None:
            ev += [Event(0.0, EventKind.LAUNCH), Event(float(trajectories.burnout_time_s[i]), EventKind.BURNOUT),
                   Event(float(trajectories.apogee_time_s[i]), EventKind.APOGEE),
                   Event(float(trajectories.impact_time_s[i]), EventKind.IMPACT)]
        det = float(self.detection_time_s[i])
        ev.append(Event(det, EventKind.DETECTION))
        b = self.battery
        if b is not None and math.isfinite(det):
            ev.append(Event(det + b.firm_track_s, EventKind.FIRM_TRACK))
            ev.append(Event(det + b.firm_track_s + b.decision_s, EventKind.DECISION))
        ev.append(Event(float(self.first_launch_time_s[i]), EventKind.EARLIEST_LAUNCH))
        for k in range(int(self.shot_opportunities[i])):
            t_hit = float(self.shot_intercept_time_s[i, k])
            ev.append(Event(float(self.shot_launch_time_s[i, k]), EventKind.SHOT_LAUNCH, k + 1))
            ev.append(Event(t_hit, EventKind.INTERCEPT, k + 1, float(self.shot_intercept_alt_m[i, k]),
                            float(self.shot_intercept_range_m[i, k])))
            if b is not None:
                ev.append(Event(t_hit + b.kill_assessment_s, EventKind.KILL_ASSESSMENT, k + 1))
        ev.append(Event(float(self.last_intercept_time_s[i]), EventKind.WINDOW_CLOSES))
        return sorted((e for e in ev if math.isfinite(e.t_s)), key=lambda e: e.t_s)


class EventKind(StrEnum):
    """What happens at a timeline event."""

    LAUNCH = "launch"
    BURNOUT = "burnout"
    APOGEE = "apogee"
    IMPACT = "impact"
    DETECTION = "detection"
    FIRM_TRACK = "firm-track"
    DECISION = "decision"
    EARLIEST_LAUNCH = "earliest-launch"
    SHOT_LAUNCH = "shot-launch"
    INTERCEPT = "intercept"
    KILL_ASSESSMENT = "kill-assessment"
    WINDOW_CLOSES = "window-closes"


@dataclass(frozen=True)
class Event:
    """One timeline event (SI): time since threat launch; for shots, the shot number and,
    for an intercept, its altitude and ground range from the launcher."""

    t_s: float
    kind: EventKind
    shot: int | None = None
    alt_m: float | None = None
    range_m: float | None = None


def ground_range_from_m(site_lat_rad, site_lon_rad, lat_rad, lon_rad, earth: Earth = WGS84) -> np.ndarray:
    """Ground range from a site on its Gaussian sphere: ``R_G * angle between normals``.

    The angle between ellipsoid normals (haversine form) times the Gaussian radius
    ``sqrt(M N)`` at the site; within a few hundred km this agrees with the ellipsoidal
    geodesic to < 0.5 %, and exactly with the great circle on a spherical Earth.
    """
    lat = np.asarray(lat_rad, dtype=float)
    dlon = np.asarray(lon_rad, dtype=float) - site_lon_rad
    hav = np.sin(0.5 * (lat - site_lat_rad)) ** 2 + math.cos(site_lat_rad) * np.cos(lat) * np.sin(0.5 * dlon) ** 2
    ang = 2.0 * np.arcsin(np.sqrt(np.clip(hav, 0.0, 1.0)))
    return float(gaussian_radius_m(site_lat_rad, earth)) * ang


def _upsample(a: np.ndarray, m: int) -> np.ndarray:
    """Linear interpolation of (N, T) rows onto m sub-steps per interval -> (N, (T-1) m + 1)."""
    if m <= 1:
        return a
    w = np.arange(m) / m
    mid = (a[:, :-1, None] * (1.0 - w) + a[:, 1:, None] * w).reshape(a.shape[0], -1)
    return np.concatenate([mid, a[:, -1:]], axis=1)


COMPILED_MIN_SAMPLES = 20_000  # batches at least this large (trajectories x samples) use the compiled kernel


def _engage_compiled(ts: TrajectorySet, det, first_launch, battery: Battery, fan: FlyoutFan, visible, k_max: int,
                     max_step_s: float, chunk: int) -> EngagementResult:
    from thaad.engagement_compiled import engage_arrays

    fin = np.isfinite(fan.tof_s).any(axis=1)
    s_hi = ((np.nonzero(fin)[0].max() + 0.5) * fan.cell_m + 1.0) if fin.any() else 0.0
    sites = []
    for lat0, lon0, alt0 in battery.launcher_sites:
        r_g = float(gaussian_radius_m(lat0, ts.earth))
        sites.append((lat0, lon0, alt0, math.cos(lat0), r_g, math.sin(min(0.5 * s_hi / r_g, 0.5 * math.pi)) ** 2))
    shots, res, one = engage_arrays(ts.t_s, ts.lat_rad, ts.lon_rad, ts.alt_m, ts.n_samples, visible, chunk, max_step_s,
                                    first_launch, np.asarray(sites, dtype=float), fan.tof_s, fan.cell_m, battery.relook_s,
                                    k_max)
    return EngagementResult(
        detection_time_s=det, first_launch_time_s=first_launch, shot_opportunities=shots.astype(int),
        shot_launch_time_s=res[:, 0], shot_intercept_time_s=res[:, 1], shot_intercept_alt_m=res[:, 2],
        shot_intercept_range_m=res[:, 3], first_intercept_time_s=one[:, 0], first_intercept_alt_m=one[:, 1],
        first_intercept_range_m=one[:, 2], last_intercept_time_s=one[:, 3], last_intercept_alt_m=one[:, 4],
        last_intercept_range_m=one[:, 5], closest_range_m=one[:, 6], in_band_time_s=one[:, 7],
        shots_per_opportunity=battery.shots_per_opportunity, battery=battery)


def engage(
    trajectories: TrajectorySet,
    detection_time_s,
    battery: Battery,
    *,
    fan: FlyoutFan | None = None,
    visible: np.ndarray | None = None,
    max_shots: int = 8,
    max_step_s: float = 1.0,
    chunk: int = 1024,
    compiled: bool | None = None,
) -> EngagementResult:
    """Shot opportunities and intercept windows of ``battery`` against every trajectory.

    ``detection_time_s`` (N,) is the first radar detection (NaN: never detected).
    ``visible`` (N, T), if given, limits intercepts to samples where the radar holds the
    threat.  Threat samples further apart than ``max_step_s`` are linearly refined (the
    refinement factor is set per ``chunk`` of trajectories by its largest step).
    ``compiled`` None: the numba kernel (:mod:`thaad.engagement_compiled`, same arithmetic)
    for batches of at least ``COMPILED_MIN_SAMPLES`` samples; False: the NumPy path below.
    """
    from thaad.errors import InputError

    n = trajectories.n
    det = np.broadcast_to(np.asarray(detection_time_s, dtype=float), (n,)).copy()
    if visible is not None and np.shape(visible) != trajectories.t_s.shape:
        raise InputError("visible", f"must have shape {trajectories.t_s.shape}, got {np.shape(visible)}")
    if max_shots < 1:
        raise InputError("max_shots", "must be >= 1")
    fan = flyout_fan(battery.interceptor) if fan is None else fan
    k_max = int(max_shots)
    res = {name: np.full((n, k_max), np.nan) for name in ("launch", "t", "alt", "rng")}
    one = {name: np.full(n, np.nan) for name in
           ("ft", "fa", "fr", "lt", "la", "lr", "closest", "inband")}
    shots = np.zeros(n, dtype=int)
    first_launch = det + battery.reaction_s
    relook = battery.relook_s
    if compiled is None:
        from thaad.geo import _numba_available

        compiled = trajectories.t_s.size >= COMPILED_MIN_SAMPLES and _numba_available()
    if compiled:
        return _engage_compiled(trajectories, det, first_launch, battery, fan, visible, k_max, max_step_s, chunk)
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        sl = slice(lo, hi)
        valid = trajectories.valid[sl]
        t = np.where(valid, trajectories.t_s[sl], np.nan)
        alt = np.where(valid, trajectories.alt_m[sl], np.nan)
        lat = trajectories.lat_rad[sl]
        lon = trajectories.lon_rad[sl]
        vis = None if visible is None else np.asarray(visible[sl], dtype=float)
        # largest sample step among valid samples; a chunk of unreachable threats has none
        steps = np.diff(t, axis=1) if t.shape[1] > 1 else np.zeros((0,))
        steps = steps[np.isfinite(steps)]
        dt_max = float(steps.max()) if steps.size else 0.0
        m = int(min(20, max(1, math.ceil(dt_max / max_step_s)))) if np.isfinite(dt_max) else 1
        t_f = _upsample(t, m)
        best_launch = np.full(t_f.shape, -np.inf)
        best_rng = np.full(t_f.shape, np.nan)
        alt_f = None
        closest = np.full(hi - lo, np.inf)
        for lat0, lon0, alt0 in battery.launcher_sites:
            s = np.where(valid, ground_range_from_m(lat0, lon0, lat, lon, trajectories.earth), np.nan)
            closest = np.fmin(closest, np.nanmin(np.where(np.isfinite(s), s, np.inf), axis=1))
            s_f = _upsample(s, m)
            h_f = _upsample(alt - alt0, m)
            if alt_f is None:
                alt_f = _upsample(alt, m)
            tof = fan.time_of_flight(s_f, h_f)
            launch = t_f - tof
            if vis is not None:
                seen = _upsample(vis, m) >= 0.999
                launch = np.where(seen, launch, np.nan)
            better = np.nan_to_num(launch, nan=-np.inf) > best_launch
            best_launch = np.where(better, launch, best_launch)
            best_rng = np.where(better, s_f, best_rng)
        rows = np.arange(hi - lo)
        ready = first_launch[sl].copy()
        one["closest"][sl] = np.where(np.isfinite(closest), closest, np.nan)
        in_band = np.isfinite(best_launch)
        dt_f = np.diff(t_f, axis=1)
        one["inband"][sl] = np.nansum(np.where(in_band[:, 1:] & in_band[:, :-1], dt_f, 0.0), axis=1)
        with np.errstate(invalid="ignore"):
            feas0 = best_launch >= ready[:, None]
        has = feas0.any(axis=1)
        j_first = np.argmax(feas0, axis=1)
        j_last = feas0.shape[1] - 1 - np.argmax(feas0[:, ::-1], axis=1)
        for key, j in (("f", j_first), ("l", j_last)):
            one[key + "t"][sl] = np.where(has, t_f[rows, j], np.nan)
            one[key + "a"][sl] = np.where(has, alt_f[rows, j], np.nan)
            one[key + "r"][sl] = np.where(has, best_rng[rows, j], np.nan)
        active = has.copy()
        for k in range(k_max):
            if not active.any():
                break
            with np.errstate(invalid="ignore"):
                feas = (best_launch >= ready[:, None]) & active[:, None]
            ok = feas.any(axis=1)
            j = np.argmax(feas, axis=1)
            res["launch"][lo:hi, k] = np.where(ok, best_launch[rows, j], np.nan)
            res["t"][lo:hi, k] = np.where(ok, t_f[rows, j], np.nan)
            res["alt"][lo:hi, k] = np.where(ok, alt_f[rows, j], np.nan)
            res["rng"][lo:hi, k] = np.where(ok, best_rng[rows, j], np.nan)
            shots[sl] += ok
            ready = np.where(ok, t_f[rows, j] + relook, ready)
            active = ok
    return EngagementResult(
        detection_time_s=det,
        first_launch_time_s=first_launch,
        shot_opportunities=shots,
        shot_launch_time_s=res["launch"],
        shot_intercept_time_s=res["t"],
        shot_intercept_alt_m=res["alt"],
        shot_intercept_range_m=res["rng"],
        first_intercept_time_s=one["ft"],
        first_intercept_alt_m=one["fa"],
        first_intercept_range_m=one["fr"],
        last_intercept_time_s=one["lt"],
        last_intercept_alt_m=one["la"],
        last_intercept_range_m=one["lr"],
        closest_range_m=one["closest"],
        in_band_time_s=one["inband"],
        shots_per_opportunity=battery.shots_per_opportunity,
        battery=battery,
    )


@dataclass
class SalvoResult:
    """Inventory use when several threats arrive together (first come, first served)."""

    shots_fired: np.ndarray  # (N,) opportunities actually used (limited by inventory)
    interceptors_allocated: np.ndarray  # (N,) interceptors committed (upper bound on use)
    p_kill: np.ndarray  # (N,) with the allocated shots
    interceptors_used_max: int
    interceptors_used_expected: float  # shoot-look-shoot: later shots only after a miss
    expected_leakers: float  # sum over threats of (1 - p_kill)
    inventory: int
    remaining_max: int


def salvo(result: EngagementResult, pk: float, inventory: int | None = None) -> SalvoResult:
    """Allocate a finite inventory to a raid, shot by shot in launch-time order.

    Every planned shot is counted as fired (upper bound); the expected use discounts shots
    that are not needed because an earlier one killed the threat.  Launch-rate and fire-
    channel limits are not modelled.
    """
    from thaad.errors import InputError

    inv = (result.battery.inventory if result.battery is not None else 0) if inventory is None else int(inventory)
    if inv < 0:
        raise InputError("inventory", "must be >= 0")
    if not 0.0 <= pk <= 1.0:
        raise InputError("pk", f"must be in [0, 1], got {pk}")
    m = result.shots_per_opportunity
    times = result.shot_launch_time_s
    ii, kk = np.nonzero(np.isfinite(times))
    order = np.argsort(times[ii, kk], kind="stable")
    fired = np.zeros(result.n, dtype=int)
    left = inv
    for idx in order:  # shots in time order: a short loop over at most N*K events
        if left < m:
            break
        i = ii[idx]
        if kk[idx] == fired[i]:  # shots of one threat are used in sequence
            fired[i] += 1
            left -= m
    q = (1.0 - pk) ** m
    p_kill = 1.0 - q**fired
    expected = float(np.sum(m * np.where(q < 1.0, (1.0 - q**fired) / (1.0 - q) if q < 1.0 else fired, fired)))
    return SalvoResult(
        shots_fired=fired,
        interceptors_allocated=fired * m,
        p_kill=p_kill,
        interceptors_used_max=int(fired.sum() * m),
        interceptors_used_expected=expected,
        expected_leakers=float(np.sum(1.0 - p_kill)),
        inventory=inv,
        remaining_max=int(left),
    )

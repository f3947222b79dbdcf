"""Point-mass flight of N missiles at once in the rotating Earth-fixed (ECEF) frame.

Equations of motion (Earth-relative position ``r`` and velocity ``v`` in ECEF,
Earth angular velocity ``w``; Zipfel, "Modeling and Simulation of Aerospace Vehicle
Dynamics", 2nd ed., sec. 8.2; Vallado, "Fundamentals of Astrodynamics", 4th ed., eq. 8-31):

.. math:: \\ddot r = g(r) + \\frac{T\\,\\hat u - \\tfrac12 \\rho |v| v\\, C_D(M) A}{m}
          - 2\\,\\omega\\times v - \\omega\\times(\\omega\\times r)

* gravity: point mass + J2 (Vallado eq. 8-30, J2 from NIMA TR8350.2);
* thrust: ``T = mdot g0 Isp_vac - p(h) A_exit`` (Sutton & Biblarz, "Rocket Propulsion
  Elements", 8th ed., eq. 2-14), stage by stage, mass falls linearly within a stage;
* steering ``u``: vertical rise, then either a programmed pitch (thrust elevation above the
  local horizon decreasing linearly in time to the burnout pitch angle, in the launch
  plane) or a pitch-over kick followed by a gravity turn (thrust along the Earth-relative
  velocity);
* drag: ``C_D(M)`` of a slender finned missile body during boost; after burnout a constant
  ballistic coefficient ``beta = m / (C_D A)`` of what re-enters (the separated RV, or the
  whole spent missile when the warhead does not separate, e.g. a tumbling Scud body);
* atmosphere co-rotates with the Earth (wind-free).

Integration: Dormand-Prince 5(4) (the RK45 of ``scipy.integrate.solve_ivp``) with one
step size **per trajectory**; steps are clipped so that staging, thrust cut-off and the end
of the vertical rise fall on step boundaries (the right-hand side is smooth inside every
step).  Apogee and impact are located inside the step by Illinois regula falsi on the
quintic Hermite curve of the step.  Two engines run the same algorithm: the compiled
kernel (:mod:`thaad.ballistics._compiled`, numba, trajectories in parallel; used when
numba is installed) and the NumPy reference (:mod:`thaad.ballistics.stepper`, all
trajectories advanced together as arrays).  Forces: :mod:`thaad.ballistics.forces`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from thaad.ballistics.forces import CD_BODY, CD_MACH, Problem, drag_acceleration, gravity_j2  # noqa: F401 (public)
from thaad.ballistics.stepper import integrate, resample
from thaad.choices import Pitch
from thaad.trajectory import TrajectorySet
from thaad.ballistics.vehicle import Fleet, Vehicle
from thaad.errors import InputError
from thaad.geo import WGS84, Earth, ecef_to_geodetic, enu_basis, geodesic_inverse, geodetic_to_ecef


@dataclass(frozen=True)
class FlightOptions:
    """Model switches and numerical settings (SI).  ``pitch`` is a :class:`Pitch` (its
    value strings are accepted and checked: anything else raises :class:`InputError`);
    ``compiled``: None uses the compiled kernel when numba is installed, True requires it,
    False forces the NumPy reference path."""

    earth: Earth = WGS84
    rotation: bool = True
    drag: bool = True
    j2: bool = True  # ignored on a spherical Earth (J2 = 0 there)
    pitch: Pitch = Pitch.LINEAR
    vertical_rise_s: float = 5.0
    kick_duration_s: float = 5.0
    pressure_thrust: bool = True  # subtract p(h) * A_exit when stages give an exit area
    rtol: float = 1e-8
    atol: float = 1e-3  # m and m/s
    max_step_s: float = 30.0
    first_step_s: float = 0.5
    max_time_s: float = 4.0 * 3600.0
    sample_s: float | None = 2.0  # output sampling; None: launch/burnout/apogee/impact only
    cd_mach: tuple = field(default=tuple(CD_MACH))
    cd_body: tuple = field(default=tuple(CD_BODY))
    compiled: bool | None = None

    def __post_init__(self):
        try:
            object.__setattr__(self, "pitch", Pitch(self.pitch))
        except ValueError:
            raise InputError("pitch", f"must be one of {', '.join(p.value for p in Pitch)}, got {self.pitch!r}") from None


def _use_compiled(opts: FlightOptions) -> bool:
    if opts.compiled is False:
        return False
    try:
        import numba  # noqa: F401
    except ImportError:
        if opts.compiled:
            raise
        return False
    return True


def _run(prob: Problem, r0, v0, impact_alt, opts: FlightOptions, end_hint_s=None) -> dict:
    """Integrate with the compiled kernel where available, else the NumPy reference."""
    if _use_compiled(opts):
        from thaad.ballistics._compiled import run_compiled

        return run_compiled(prob, r0, v0, impact_alt, opts, end_hint_s)
    return integrate(prob, r0, v0, impact_alt, opts)


def _events_numpy(out, launch_lat, launch_lon, launch_alt, opts: FlightOptions, r0, v0, points: bool):
    """Burnout speed and flight-path angle, geodetic events, impact speed, range and (with
    ``points``) the launch/burnout/apogee/impact points in time order, with NumPy (the
    reference path; :mod:`thaad.ballistics._summary` computes the same in one compiled pass)."""
    earth = opts.earth
    n = launch_lat.size
    w_vec = np.array([0.0, 0.0, earth.omega_rad_s if opts.rotation else 0.0])
    bo_vi = out["bo_v"] + np.cross(w_vec, out["bo_r"])
    bo_speed = np.linalg.norm(bo_vi, axis=-1)
    bo_rad = np.linalg.norm(out["bo_r"], axis=-1)
    bo_fpa = np.arcsin(np.clip(np.einsum("ij,ij->i", out["bo_r"], bo_vi) / (bo_rad * bo_speed), -1, 1))
    # burnout, apogee and impact points converted together (one call)
    ev_lat, ev_lon, ev_alt = ecef_to_geodetic(np.stack([out["bo_r"], out["ap_r"], out["im_r"]], axis=1), earth)
    im_speed = np.linalg.norm(out["im_v"], axis=-1)
    ok = np.isfinite(ev_lat[:, 2])
    rng = np.full(n, np.nan)
    if ok.any():
        rng[ok] = geodesic_inverse(launch_lat[ok], launch_lon[ok], ev_lat[ok, 2], ev_lon[ok, 2], earth, compiled=True)[0]
    if not points:
        return bo_speed, bo_fpa, (ev_lat, ev_lon, ev_alt), im_speed, rng, None
    # summaries only: launch, burnout, apogee, impact (their geodetic coordinates known)
    t_s = np.stack([np.zeros(n), out["bo_t"], out["ap_t"], out["im_t"]], axis=1)
    pos = np.stack([r0, out["bo_r"], out["ap_r"], out["im_r"]], axis=1)
    vel = np.stack([v0, out["bo_v"], out["ap_v"], out["im_v"]], axis=1)
    geodetic = [np.concatenate([x0[:, None], ev], axis=1)
                for x0, ev in ((launch_lat, ev_lat), (np.arctan2(np.sin(launch_lon), np.cos(launch_lon)), ev_lon),
                               (launch_alt, ev_alt))]
    order = np.argsort(np.where(np.isfinite(t_s), t_s, np.inf), axis=1, kind="stable")
    t_s = np.take_along_axis(t_s, order, axis=1)
    pos = np.take_along_axis(pos, order[..., None], axis=1)
    vel = np.take_along_axis(vel, order[..., None], axis=1)
    geodetic = [np.take_along_axis(g, order, axis=1) for g in geodetic]
    n_out = np.isfinite(t_s).sum(axis=1)
    return bo_speed, bo_fpa, (ev_lat, ev_lon, ev_alt), im_speed, rng, (t_s, pos, vel, n_out, geodetic)


def _events_compiled(raw, launch_lat, launch_lon, launch_alt, opts: FlightOptions, r0, v0, points: bool):
    """:func:`_events_numpy` in one compiled pass over the kernel's raw ``(n, 23)`` result."""
    from thaad.ballistics._summary import summarize
    from thaad.threads import in_threads

    earth = opts.earth
    n = raw.shape[0]
    ev, scal, ok = np.empty((3, n, 3)), np.empty((4, n)), np.empty(n, dtype=np.bool_)
    m, k = (n, 4) if points else (1, 1)
    pts = (np.empty((m, k)), np.empty((m, k, 3)), np.empty((m, k, 3)), np.empty((3, m, k)), np.empty(m, np.int64))
    f = np.ascontiguousarray
    args = (raw, f(r0, dtype=float), f(v0, dtype=float), f(launch_lat, dtype=float), f(launch_lon, dtype=float),
            f(launch_alt, dtype=float), earth.omega_rad_s if opts.rotation else 0.0, earth.a_m, earth.f, earth.e2,
            bool(earth.is_spherical), points, ev, scal, ok, *pts)
    in_threads(lambda lo, hi: summarize(lo, hi, *args), n, min_rows=1024)
    bad = ~ok
    if bad.any():  # Vincenty did not converge (nearly antipodal): PROJ
        scal[3, bad] = geodesic_inverse(launch_lat[bad], launch_lon[bad], ev[0, bad, 2], ev[1, bad, 2], earth,
                                        compiled=False)[0]
    t_s, pos, vel, lla, n_out = pts
    return scal[0], scal[1], tuple(ev), scal[2], scal[3], (t_s, pos, vel, n_out, list(lla)) if points else None


def _build(out, launch_lat, launch_lon, launch_alt, azimuth, impact_alt, opts: FlightOptions, r0, v0) -> TrajectorySet:
    earth = opts.earth
    n = launch_lat.size
    points = "t_s" not in out and opts.sample_s is None
    events = _events_compiled if "raw" in out else _events_numpy
    bo_speed, bo_fpa, (ev_lat, ev_lon, ev_alt), im_speed, rng, pts = events(
        out.get("raw", out), launch_lat, launch_lon, launch_alt, opts, r0, v0, points)
    bo_alt, ap_alt, im_lat, im_lon = ev_alt[:, 0], ev_alt[:, 1], ev_lat[:, 2], ev_lon[:, 2]
    geodetic = None
    if "t_s" in out:  # sampled (and converted to geodetic) by the compiled kernel
        t_s, pos, vel, n_out = out["t_s"], out["pos"], out["vel"], out["n_out"]
        geodetic = [out["lat"], out["lon"], out["alt"]]
    elif opts.sample_s is not None:
        t_s, pos, vel, n_out = resample(out["hist"], n, out["im_t"], opts.sample_s)
    else:  # summaries only: launch, burnout, apogee, impact in time order
        t_s, pos, vel, n_out, geodetic = pts
    lat, lon, alt = ecef_to_geodetic(pos, earth) if geodetic is None else geodetic
    return TrajectorySet(
        t_s=t_s, position_ecef_m=pos, velocity_ecef_m_s=vel, lat_rad=lat, lon_rad=lon, alt_m=alt,
        n_samples=n_out.astype(int), launch_lat_rad=launch_lat, launch_lon_rad=launch_lon,
        launch_azimuth_rad=azimuth, burnout_time_s=out["bo_t"], burnout_alt_m=bo_alt,
        burnout_speed_m_s=bo_speed, apogee_time_s=out["ap_t"], apogee_alt_m=ap_alt,
        impact_time_s=out["im_t"], impact_lat_rad=im_lat, impact_lon_rad=im_lon,
        impact_speed_m_s=im_speed, range_m=rng, earth=earth,
        burnout_position_ecef_m=out["bo_r"], burnout_velocity_ecef_m_s=out["bo_v"],
        burnout_fpa_rad=bo_fpa, impact_alt_m=impact_alt, n_steps=out["n_steps"],
    )


def _b(x, n):
    return np.broadcast_to(np.asarray(x, dtype=float), (n,)).copy()


def _n_of(*xs):
    return int(np.broadcast(*[np.asarray(x) for x in xs]).size)


def _plane_normal(lat, lon, azimuth, r0):
    enu = enu_basis(lat, lon)
    d0 = np.sin(azimuth)[:, None] * enu[:, 0, :] + np.cos(azimuth)[:, None] * enu[:, 1, :]
    nrm = np.cross(r0, d0)
    return nrm / np.linalg.norm(nrm, axis=-1)[:, None]


def fly(
    vehicle: Vehicle | Fleet,
    launch_lat_rad,
    launch_lon_rad,
    azimuth_rad,
    loft_rad,
    *,
    launch_alt_m=0.0,
    burn_fraction=1.0,
    impact_alt_m=0.0,
    options: FlightOptions = FlightOptions(),
    end_time_hint_s=None,
) -> TrajectorySet:
    """Fly N missiles from lift-off to impact, all together: one ``vehicle`` for all, or a
    :class:`Fleet` (a vehicle per trajectory, e.g. Monte Carlo draws of its parameters).

    Parameters broadcast to shape ``(N,)``: launch point (rad, m), launch azimuth (rad from
    north), ``loft_rad`` (the programmed thrust pitch above the horizon at burnout for
    ``Pitch.LINEAR``, or the pitch-over kick angle for ``Pitch.GRAVITY_TURN``),
    ``burn_fraction`` in (0, 1] (thrust termination at that fraction of the total burn
    time: energy control), ``impact_alt_m`` (height of the impact surface, e.g. the
    target's).  ``end_time_hint_s`` (N,), optional: the expected flight times (e.g. of an
    unsampled flight with the same controls), so that sampled output is written in one
    pass of the compiled kernel (a wrong hint costs time, never accuracy).
    """
    n = _n_of(launch_lat_rad, launch_lon_rad, azimuth_rad, loft_rad, launch_alt_m, burn_fraction, impact_alt_m)
    lat, lon, az = _b(launch_lat_rad, n), _b(launch_lon_rad, n), _b(azimuth_rad, n)
    loft, alt0, frac, imp = _b(loft_rad, n), _b(launch_alt_m, n), _b(burn_fraction, n), _b(impact_alt_m, n)
    earth = options.earth
    r0 = geodetic_to_ecef(lat, lon, alt0, earth)
    v0 = np.zeros((n, 3))
    fleet = Fleet.of(vehicle, n)
    t_cut = np.clip(frac, 1e-6, 1.0) * fleet.column(lambda v: v.total_burn_time_s)
    beta = fleet.column(lambda v: v.rv_ballistic_coefficient_kg_m2)
    prob = Problem(n, fleet, t_cut, loft, _plane_normal(lat, lon, az, r0), beta, options)
    out = _run(prob, r0, v0, imp, options, end_time_hint_s)
    return _build(out, lat, lon, alt0, az, imp, options, r0, v0)


def fly_burnout_state(
    lat_rad,
    lon_rad,
    alt_m,
    speed_m_s,
    elevation_rad,
    azimuth_rad,
    *,
    ballistic_coefficient_kg_m2=np.inf,
    impact_alt_m=0.0,
    options: FlightOptions = FlightOptions(),
) -> TrajectorySet:
    """Free flight from an instantaneous burnout state (textbook cases).

    ``speed_m_s`` is the Earth-relative speed at the burnout point, ``elevation_rad`` the
    flight-path angle above the local (ellipsoid-normal) horizon, ``azimuth_rad`` the
    heading from north.  Time 0 is burnout.  Drag (if ``options.drag``) uses the constant
    ``ballistic_coefficient_kg_m2`` (infinite: vacuum).
    """
    n = _n_of(lat_rad, lon_rad, alt_m, speed_m_s, elevation_rad, azimuth_rad, impact_alt_m)
    lat, lon, alt = _b(lat_rad, n), _b(lon_rad, n), _b(alt_m, n)
    spd, el, az, imp = _b(speed_m_s, n), _b(elevation_rad, n), _b(azimuth_rad, n), _b(impact_alt_m, n)
    earth = options.earth
    if _use_compiled(options):  # the same numbers in one compiled pass
        from thaad.ballistics._kernel_setup import burnout_starts

        r0, v0, plane_n = burnout_starts(lat, lon, alt, spd, el, az, earth)
    else:
        r0 = geodetic_to_ecef(lat, lon, alt, earth)
        enu = np.stack([spd * np.cos(el) * np.sin(az), spd * np.cos(el) * np.cos(az), spd * np.sin(el)], axis=-1)
        v0 = np.einsum("nji,nj->ni", enu_basis(lat, lon), enu)
        plane_n = _plane_normal(lat, lon, az, r0)
    beta = _b(ballistic_coefficient_kg_m2, n)
    prob = Problem(n, None, np.zeros(n), np.zeros(n), plane_n, beta, options)
    out = _run(prob, r0, v0, imp, options)
    return _build(out, lat, lon, alt, az, imp, options, r0, v0)

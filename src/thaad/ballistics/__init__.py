"""Ballistic-missile flight: powered flight, free flight and re-entry of N missiles at once.

Public API (SI in and out: radians, metres, seconds; arrays broadcast to shape ``(N,)``;
every call flies all N trajectories together, vectorised)::

    from thaad.ballistics import (FlightOptions, Vehicle, Stage, TrajectorySet, AimSolution,
                                  fly, fly_burnout_state, aim, aim_burnout_state)

    opts = FlightOptions(earth=WGS84, rotation=True, drag=True, j2=True,
                         sample_s=2.0)          # sample_s=None: summaries only (fast)

    # 1. fly with given controls
    ts = fly(vehicle, launch_lat_rad, launch_lon_rad, azimuth_rad, loft_rad,
             launch_alt_m=0.0, burn_fraction=1.0, impact_alt_m=0.0, options=opts)
    #    loft_rad: programmed thrust pitch above the horizon at burnout (opts.pitch=
    #    Pitch.LINEAR, default; about 20-35 deg is the maximum-range loft for most missiles)
    #    or the pitch-over kick (Pitch.GRAVITY_TURN); burn_fraction: thrust termination.
    #    vehicle: one Vehicle, or a Fleet (a vehicle per trajectory: Monte Carlo draws).
    #    opts.compiled: None = the numba kernel when installed (same answers as the NumPy
    #    reference path, compiled=False, to ~1e-4 m; tests/test_ballistics_compiled.py).

    # 2. textbook start: instantaneous burnout at a point
    ts = fly_burnout_state(lat_rad, lon_rad, alt_m, speed_m_s, elevation_rad, azimuth_rad,
                           ballistic_coefficient_kg_m2=np.inf, impact_alt_m=0.0, options=opts)

    # 3. aim at targets: shape "min-energy" | "lofted" | "depressed" (apogee_m optional)
    ts, sol = aim(vehicle, launch_lat_rad, launch_lon_rad, target_lat_rad, target_lon_rad,
                  launch_alt_m=0.0, target_alt_m=0.0, shape="min-energy", apogee_m=None,
                  options=opts, tol_m=100.0)
    #    scalars -> raises thaad.errors.UnreachableError when out of reach;
    #    arrays  -> sol.reachable (N,) bool mask (+ sol.reason), trajectories still returned.
    ts, sol = aim_burnout_state(speed_m_s, launch..., target..., shape=..., options=opts)

    # the result: TrajectorySet (see trajectory.py): t_s (N,T), position_ecef_m (N,T,3),
    # velocity_ecef_m_s, lat_rad/lon_rad/alt_m (N,T), n_samples, burnout_*, apogee_*,
    # impact_*, range_m (N,), plus burnout_fpa_rad, burnout_position_ecef_m ...

Vehicles come from ``thaad.catalog.missile_vehicle(name, level)`` (shell) or are built
directly with :class:`Vehicle` / :class:`Stage`.  Closed forms for checks live in
:mod:`thaad.ballistics.kepler`.
"""

from thaad.ballistics.aim import SHAPES, AimSolution, AimStart, aim, aim_burnout_state, aim_residuals, max_range_loft
from thaad.ballistics.flight import FlightOptions, Pitch, drag_acceleration, fly, fly_burnout_state, gravity_j2
from thaad.trajectory import TrajectorySet
from thaad.ballistics.vehicle import Fleet, Stage, Vehicle

__all__ = [
    "SHAPES",
    "AimSolution",
    "AimStart",
    "FlightOptions",
    "Fleet",
    "Pitch",
    "Stage",
    "TrajectorySet",
    "Vehicle",
    "aim",
    "aim_burnout_state",
    "aim_residuals",
    "drag_acceleration",
    "fly",
    "fly_burnout_state",
    "gravity_j2",
    "max_range_loft",
]

"""Synthetic threats for engagement tests: Kepler arcs on a spherical, non-rotating Earth.

The arcs are built independently of the ballistics module: the burnout speed for a
given range angle ``Phi`` and flight-path angle ``gamma`` comes from the conic equation
(Regan & Anandakrishnan, *Dynamics of Atmospheric Re-Entry* (1993), eq. 3.23)::

    nu = v^2 R / GM = (1 - cos Phi) / (cos gamma (cos gamma - cos(gamma + Phi)))

(minimum energy: ``gamma = pi/4 - Phi/4``), and the arc is sampled by a vectorised RK4
two-body integration in the plane of fire.
"""

from __future__ import annotations

import math

import numpy as np

from thaad.trajectory import TrajectorySet
from thaad.geo import SPHERICAL, look_angles

R = SPHERICAL.a_m
GM = SPHERICAL.gm_m3_s2


def _unit(lat, lon):
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)


def kepler_arcs(launch_lat_deg, launch_lon_deg, target_lat_deg, target_lon_deg, gamma_deg=None, dt_s=1.0):
    """N Kepler arcs (broadcast inputs) from launch to target points on the sphere.

    ``gamma_deg`` None means minimum energy.  Returns a TrajectorySet on ``SPHERICAL``.
    """
    la0, lo0, la1, lo1 = (np.radians(np.atleast_1d(np.asarray(a, dtype=float)))
                          for a in (launch_lat_deg, launch_lon_deg, target_lat_deg, target_lon_deg))
    la0, lo0, la1, lo1 = np.broadcast_arrays(la0, lo0, la1, lo1)
    n = la0.size
    e1 = _unit(la0, lo0)
    u1 = _unit(la1, lo1)
    phi = np.arccos(np.clip(np.sum(e1 * u1, axis=-1), -1, 1))
    e2 = u1 - np.cos(phi)[:, None] * e1
    e2 /= np.linalg.norm(e2, axis=-1, keepdims=True)
    gamma = np.pi / 4 - phi / 4 if gamma_deg is None else np.radians(np.broadcast_to(gamma_deg, (n,)).astype(float))
    nu = (1 - np.cos(phi)) / (np.cos(gamma) * (np.cos(gamma) - np.cos(gamma + phi)))
    v0 = np.sqrt(nu * GM / R)
    # planar state: a along e1 (radial at launch), b along e2 (downrange)
    st = np.stack([np.full(n, R), np.zeros(n), v0 * np.sin(gamma), v0 * np.cos(gamma)])

    def f(s):
        r3 = np.hypot(s[0], s[1]) ** 3
        return np.stack([s[2], s[3], -GM * s[0] / r3, -GM * s[1] / r3])

    states = [st]
    t_max = 4 * 3600.0
    for _ in range(int(t_max / dt_s)):
        k1 = f(st)
        k2 = f(st + 0.5 * dt_s * k1)
        k3 = f(st + 0.5 * dt_s * k2)
        k4 = f(st + dt_s * k3)
        st = st + dt_s / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        states.append(st)
        if np.all(np.hypot(st[0], st[1]) < R):
            break
    S = np.stack(states, axis=-1)  # (4, N, T)
    T = S.shape[-1]
    r = np.hypot(S[0], S[1])
    below = (r < R) & (np.arange(T) > 0)
    n_samples = np.where(below.any(axis=1), np.argmax(below, axis=1), T)  # first sample under ground excluded
    valid = np.arange(T)[None, :] < n_samples[:, None]
    pos = S[0][..., None] * e1[:, None, :] + S[1][..., None] * e2[:, None, :]
    vel = S[2][..., None] * e1[:, None, :] + S[3][..., None] * e2[:, None, :]
    t = np.broadcast_to(np.arange(T) * dt_s, (n, T)).astype(float)
    nanm = np.where(valid, 1.0, np.nan)
    lat = np.arcsin(pos[..., 2] / r) * nanm
    lon = np.arctan2(pos[..., 1], pos[..., 0]) * nanm
    alt = (r - R) * nanm
    pos = pos * nanm[..., None]
    vel = vel * nanm[..., None]
    t = t * nanm
    ia = np.nanargmax(alt, axis=1)
    rows = np.arange(n)
    last = n_samples - 1
    return TrajectorySet(
        t_s=t, position_ecef_m=pos, velocity_ecef_m_s=vel, lat_rad=lat, lon_rad=lon, alt_m=alt,
        n_samples=n_samples, launch_lat_rad=la0, launch_lon_rad=lo0,
        launch_azimuth_rad=np.zeros(n), burnout_time_s=np.zeros(n), burnout_alt_m=np.zeros(n),
        burnout_speed_m_s=v0, apogee_time_s=t[rows, ia], apogee_alt_m=alt[rows, ia],
        impact_time_s=t[rows, last], impact_lat_rad=lat[rows, last], impact_lon_rad=lon[rows, last],
        impact_speed_m_s=np.linalg.norm(vel[rows, last], axis=-1), range_m=R * phi, earth=SPHERICAL,
    )


def simple_detection(ts: TrajectorySet, radar_lat_deg, radar_lon_deg, range_m=800e3, min_el_deg=5.0):
    """First time a threat is within ``range_m`` slant range and above ``min_el_deg``."""
    az, el, rng = look_angles(math.radians(radar_lat_deg), math.radians(radar_lon_deg), 0.0,
                              ts.position_ecef_m, ts.earth)
    seen = (rng <= range_m) & (el >= math.radians(min_el_deg)) & ts.valid
    return np.where(seen.any(axis=1), ts.t_s[np.arange(ts.n), np.argmax(seen, axis=1)], np.nan)

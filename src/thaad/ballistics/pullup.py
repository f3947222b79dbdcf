"""A "pull-up glide" re-entry shape (KN-23 class), as a kinematic estimate.

Public descriptions only: the KN-23 flies a depressed trajectory with an apogee of about
50 km (ROK JCS on the 25 Jul 2019 tests, via CSIS Missile Threat), then a "low-altitude
gliding leap type flight mode" (KCNA, 26 Mar 2021) in which it "descends at an altitude of
25 to 30 miles" with evasive manoeuvres (Kim Se-il, as quoted by UPI, 26 Mar 2021).  This
module does not model aerodynamics or guidance.  It reshapes an already aimed depressed
ballistic trajectory (same ground track and timing) so that after apogee the altitude
follows the ballistic descent down to ``pullup_alt_m``, then a shallow glide that loses
height linearly with ground distance down to ``glide_end_alt_m`` at ``dive_range_m`` before
impact, then a straight dive to the target.  It is an estimate of *where in altitude* such
a missile spends its time, which is what decides which interceptor tier can reach it.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from thaad.ballistics.trajectory import TrajectorySet
from thaad.geo import geodetic_to_ecef, ground_range_m


def pull_up_glide(ts: TrajectorySet, *, pullup_alt_m: float = 30e3, glide_end_alt_m: float = 20e3,
                  dive_range_m: float = 20e3) -> TrajectorySet:
    """Reshape every trajectory's descent into the pull-up glide profile (see the module docstring)."""
    from thaad.errors import InputError

    if not (0 < glide_end_alt_m <= pullup_alt_m) or dive_range_m <= 0:
        raise InputError("pullup", "need 0 < glide_end_alt_m <= pullup_alt_m and dive_range_m > 0")
    valid = ts.valid
    alt = ts.alt_m.copy()
    rows = np.arange(ts.n)
    last = np.maximum(ts.n_samples - 1, 0)
    to_go = np.where(valid, ground_range_m(ts.lat_rad, ts.lon_rad, ts.lat_rad[rows, last][:, None],
                                           ts.lon_rad[rows, last][:, None], ts.earth), np.nan)
    after_apogee = ts.t_s >= ts.apogee_time_s[:, None]
    below = after_apogee & valid & (alt <= pullup_alt_m)
    has = below.any(axis=1)
    j0 = np.argmax(below, axis=1)
    s0 = np.where(has, to_go[rows, j0], np.nan)  # ground range to go at the pull-up
    span = np.maximum(s0 - dive_range_m, 1.0)
    glide = glide_end_alt_m + (pullup_alt_m - glide_end_alt_m) * np.clip((to_go - dive_range_m) / span[:, None], 0, 1)
    dive = glide_end_alt_m * np.clip(to_go / dive_range_m, 0, 1)
    shaped = np.where(to_go > dive_range_m, glide, dive)
    target_alt = np.where(valid, alt[rows, last][:, None], 0.0) if ts.impact_alt_m is None else ts.impact_alt_m[:, None]
    shaped = np.maximum(shaped, target_alt)
    apply = below | (after_apogee & valid & has[:, None] & (np.arange(alt.shape[1])[None, :] >= j0[:, None]))
    alt = np.where(apply, shaped, alt)
    pos = geodetic_to_ecef(ts.lat_rad, ts.lon_rad, alt, ts.earth)
    dt = np.gradient(np.where(valid, ts.t_s, np.nan), axis=1)[..., None]
    vel = np.gradient(pos, axis=1) / np.where(dt > 0, dt, np.nan)
    vel = np.where(valid[..., None], vel, np.nan)
    return replace(ts, alt_m=alt, position_ecef_m=pos, velocity_ecef_m_s=vel,
                   impact_speed_m_s=np.linalg.norm(vel[rows, last], axis=-1))

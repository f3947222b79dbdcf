"""Turning the radar: area seen as a function of the face boresight, for all boresights at once.

With the azimuth-box face model the face limit depends on azimuth only, so the area seen
for any boresight is the area detectable by an all-round radar (closed form,
:func:`thaad.radar.lowest_visible_altitude`) restricted to the azimuths within the face
half-width of that boresight.  One closed-form evaluation serves every boresight.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from thaad.errors import InputError
from thaad.radar.geometry import wrap_pi
from thaad.radar.model import Radar, lowest_visible_altitude


def boresight_sweep(radar: Radar, lat_rad, lon_rad, weight, rcs_m2, boresights_rad, *, max_alt_m: float = np.inf):
    """Weighted sum (e.g. area in m^2) of the points detectable at some altitude, per boresight.

    ``lat_rad``, ``lon_rad``: points (P,) (cell centres); ``weight``: (P,) or (P, K) (e.g.
    cell area per country); ``boresights_rad``: (B,).  Returns (B,) or (B, K).  The radar's own boresight is ignored; its
    face half-width, elevation limits, blanking and range apply.
    """
    if radar.face_model != "box":
        raise InputError("face model", "the boresight sweep needs the azimuth-box face model")
    lat, lon = (np.asarray(a, dtype=float).ravel() for a in np.broadcast_arrays(lat_rad, lon_rad))
    w = np.asarray(weight, dtype=float)
    w = w.ravel() if w.shape == np.shape(lat_rad) else w.reshape(lat.size, -1)
    allround = dataclasses.replace(radar, az_half_width_rad=math.pi)
    low = lowest_visible_altitude(allround, lat, lon, rcs_m2, max_alt_m=max_alt_m)
    seen = np.isfinite(low.lowest_alt_m)
    b = np.atleast_1d(np.asarray(boresights_rad, dtype=float))
    inside = np.abs(wrap_pi(low.azimuth_rad[None, :] - b[:, None])) <= radar.az_half_width_rad
    return (inside & seen[None, :]) @ w

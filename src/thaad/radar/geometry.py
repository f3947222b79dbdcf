"""Line of sight over the effective-radius Earth (4/3-Earth refraction model), closed forms.

Standard refraction model (Blake, *Radar Range-Performance Analysis* (1980) ch. 6;
Skolnik, *Introduction to Radar Systems* 3rd ed. sec. 8.2; ITU-R P.834): radio rays in a
standard atmosphere bend with the Earth; replacing the Earth's radius :math:`R` by
:math:`kR` (:math:`k = 4/3`) makes them straight.  A target at height :math:`h_2` above a
point at ground distance :math:`d` from a radar at height :math:`h_1` sits at central angle
:math:`\\theta = d/(kR)`, radii :math:`a_i = kR + h_i`:

.. math::
    \\rho^2 = a_1^2 + a_2^2 - 2a_1a_2\\cos\\theta, \\qquad
    \\tan\\epsilon = \\frac{a_2\\cos\\theta - a_1}{a_2\\sin\\theta}

(:math:`\\rho`: slant range, :math:`\\epsilon`: apparent elevation).  The straight ray
grazes the sphere at the radio horizon, ground distance
:math:`d_h = kR[\\arccos(kR/a_1) + \\arccos(kR/a_2)] \\approx \\sqrt{2kRh_1} + \\sqrt{2kRh_2}`.

``R`` is the WGS84 normal-section radius of curvature at the radar in the azimuth of the
path (Euler's formula, :func:`thaad.geo.radius_of_curvature_m`); ground distance is the
WGS84 geodesic.  All functions broadcast over NumPy arrays and return NaN/inf rather
than raise where geometry has no answer.
"""

from __future__ import annotations

import numpy as np

HALF_PI = 0.5 * np.pi


def central_angle(ground_range_m, k_radius_m):
    return np.asarray(ground_range_m, dtype=float) / k_radius_m


def slant_range_m(theta, a1, a2):
    """Straight-line range on the effective Earth (law of cosines)."""
    r2 = a1 * a1 + a2 * a2 - 2.0 * a1 * a2 * np.cos(theta)
    return np.sqrt(np.maximum(r2, 0.0))


def elevation_rad(theta, a1, a2):
    """Apparent elevation of the target above the radar's local horizontal."""
    return np.arctan2(a2 * np.cos(theta) - a1, a2 * np.sin(theta))


def horizon_angle(k_radius_m, a):
    """Central angle from a point at radius ``a`` to its horizon on the sphere ``kR``."""
    return np.arccos(np.clip(k_radius_m / np.maximum(a, 1e-9), -1.0, 1.0))


def line_of_sight_margin_m(theta, a1, a2, k_radius_m):
    """Ground distance (m) by which the target lies inside the radio horizon (> 0: visible).

    .. math:: kR[\\arccos(kR/a_1) + \\arccos(kR/a_2)] - kR\\theta
    """
    return k_radius_m * (horizon_angle(k_radius_m, a1) + horizon_angle(k_radius_m, a2) - theta)


def radar_horizon_m(h1_m, h2_m, k_radius_m):
    """Exact ground distance to the radio horizon for antenna height h1 and target height h2."""
    return k_radius_m * (horizon_angle(k_radius_m, k_radius_m + np.asarray(h1_m, float))
                         + horizon_angle(k_radius_m, k_radius_m + np.asarray(h2_m, float)))


def radar_horizon_approx_m(h1_m, h2_m, k_radius_m):
    """Textbook approximation :math:`\\sqrt{2kRh_1} + \\sqrt{2kRh_2}` (h << kR)."""
    return np.sqrt(2 * k_radius_m * np.asarray(h1_m, float)) + np.sqrt(2 * k_radius_m * np.asarray(h2_m, float))


# --- Heights at which a constraint starts/stops holding above a ground point -------------
def height_at_elevation_m(theta, a1, k_radius_m, elevation):
    """Height above the sphere where a ray leaving the radar at ``elevation`` reaches
    central angle ``theta``: :math:`a_2 = a_1\\cos\\epsilon/\\cos(\\epsilon + \\theta)`.

    Elevation seen from the radar grows monotonically with target height at fixed
    ``theta``, tending to :math:`\\pi/2 - \\theta`; returns +inf where the ray never gets
    there (``elevation + theta >= pi/2``).
    """
    e = np.asarray(elevation, dtype=float)
    c = np.cos(e + theta)
    with np.errstate(divide="ignore", invalid="ignore"):
        a2 = a1 * np.cos(e) / c
    return np.where((e + theta < HALF_PI) & (c > 0), a2 - k_radius_m, np.inf)


def height_for_line_of_sight_m(theta, a1, k_radius_m):
    """Lowest height above the sphere with a clear line of sight (0 inside the radar's
    own horizon; +inf beyond a quarter turn)."""
    phi = theta - horizon_angle(k_radius_m, a1)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = k_radius_m / np.cos(phi) - k_radius_m
    return np.where(phi <= 0, -np.inf, np.where(phi < HALF_PI, h, np.inf))


def height_band_for_range_m(theta, a1, k_radius_m, max_range_m):
    """Heights ``(low, high)`` above the sphere with slant range <= ``max_range_m``
    (roots of :math:`a_2^2 - 2a_1\\cos\\theta\\,a_2 + a_1^2 - R^2 = 0`); NaN where none."""
    disc = max_range_m * max_range_m - (a1 * np.sin(theta)) ** 2
    root = np.sqrt(np.where(disc >= 0, disc, np.nan))
    mid = a1 * np.cos(theta)
    return mid - root - k_radius_m, mid + root - k_radius_m


def wrap_pi(angle):
    """Wrap to (-pi, pi]."""
    return np.pi - np.mod(np.pi - np.asarray(angle, dtype=float), 2 * np.pi)

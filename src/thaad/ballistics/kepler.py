"""Closed-form vacuum free flight over a spherical, non-rotating Earth (Kepler conics).

Used as the textbook reference in the tests and by the aim solver (the minimum-energy
burnout flight-path angle).  All inputs are SI arrays that broadcast together.

Notation (Wheelon, "Free flight of a ballistic missile", ARS Journal 29, 1959;
Bate, Mueller & White, "Fundamentals of Astrodynamics", 1971, ch. 6):
``nu = r v^2 / mu``; ``p = r nu cos^2 gamma``; ``e^2 = 1 + nu (nu - 2) cos^2 gamma``.
"""

from __future__ import annotations

import numpy as np

from thaad.geo import WGS84_GM_M3_S2

TWO_PI = 2.0 * np.pi


def _conic(r_b, v_b, gamma, mu):
    nu = r_b * v_b * v_b / mu
    c2 = np.cos(gamma) ** 2
    p = r_b * nu * c2
    e = np.sqrt(np.maximum(1.0 + nu * (nu - 2.0) * c2, 0.0))
    theta_b = np.arctan2(nu * np.sin(gamma) * np.cos(gamma), nu * c2 - 1.0)  # true anomaly at burnout
    return nu, p, e, np.mod(theta_b, TWO_PI)


def range_angle(r_b, v_b, gamma, r_i=None, mu=WGS84_GM_M3_S2):
    """Central angle from burnout (radius ``r_b``, speed ``v_b``, flight-path angle ``gamma``)
    to the descending crossing of radius ``r_i`` (default ``r_b``); NaN if never reached.

    .. math:: \\psi = \\theta_i - \\theta_b,\\quad e\\cos\\theta_i = p / r_i - 1,\\; \\sin\\theta_i < 0
    """
    r_i = r_b if r_i is None else r_i
    _, p, e, theta_b = _conic(r_b, v_b, gamma, mu)
    c = (p / r_i - 1.0) / np.where(e > 0, e, np.nan)
    theta_i = TWO_PI - np.arccos(np.where(np.abs(c) <= 1.0, c, np.nan))
    return theta_i - theta_b


def time_of_flight(r_b, v_b, gamma, r_i=None, mu=WGS84_GM_M3_S2):
    """Time from burnout to the descending crossing of radius ``r_i`` (Kepler's equation)."""
    r_i = r_b if r_i is None else r_i
    _, p, e, theta_b = _conic(r_b, v_b, gamma, mu)
    theta_i = theta_b + range_angle(r_b, v_b, gamma, r_i, mu)
    a = p / (1.0 - e * e)
    n = np.sqrt(mu / a**3)

    def mean_anomaly(theta):
        ecc = 2.0 * np.arctan2(np.sqrt(1.0 - e) * np.sin(theta / 2.0), np.sqrt(1.0 + e) * np.cos(theta / 2.0))
        ecc = np.mod(ecc, TWO_PI)
        return ecc - e * np.sin(ecc)

    m_b, m_i = mean_anomaly(theta_b), mean_anomaly(theta_i)
    return np.mod(m_i - m_b, TWO_PI) / n


def apogee_radius(r_b, v_b, gamma, mu=WGS84_GM_M3_S2):
    """Apoapsis radius ``p / (1 - e)`` (reached in flight when ``gamma > 0``)."""
    _, p, e, _ = _conic(r_b, v_b, gamma, mu)
    return p / (1.0 - e)


def min_energy(range_angle_rad, r=None, mu=WGS84_GM_M3_S2):
    """Minimum-energy burnout speed and flight-path angle for a range angle, burnout and
    impact on the same sphere of radius ``r``:

    .. math:: v^2 = \\frac{\\mu}{r}\\,\\frac{2\\sin(\\psi/2)}{1 + \\sin(\\psi/2)},\\qquad
              \\gamma^* = \\frac{\\pi - \\psi}{4}

    (Bate, Mueller & White 1971, eqs. 6.2-14 and 6.2-16).  Returns ``(v_m_s, gamma_rad)``.
    """
    from thaad.geo import MEAN_EARTH_RADIUS_M

    r = MEAN_EARTH_RADIUS_M if r is None else r
    s = np.sin(np.asarray(range_angle_rad, dtype=float) / 2.0)
    return np.sqrt(mu / r * 2.0 * s / (1.0 + s)), (np.pi - np.asarray(range_angle_rad)) / 4.0


def optimal_gamma(r_b, v_b, r_i=None, mu=WGS84_GM_M3_S2):
    """Flight-path angle that maximises the range angle from burnout (``r_b``, ``v_b``) to
    the descending crossing of radius ``r_i`` (default ``r_b``); NaN where ``r_i`` is out of
    reach (or the speed is parabolic).

    Closed form: for a given energy (semi-major axis ``a = 1 / (2/r_b - v_b^2/mu)``) the
    farthest point on the sphere ``r_i`` is reached by the orbit whose empty focus lies on
    the chord ``c`` from burnout to impact, so ``2a = s = (r_b + r_i + c)/2`` (Lambert's
    minimum-energy transfer; Bate, Mueller & White 1971, sec. 5.3 and eq. 6.2-16).  By the
    reflection property the velocity bisects the angle between the directions to the two
    foci, so ``gamma* = alpha / 2`` with ``alpha`` the angle of the triangle (Earth's centre,
    burnout, impact) at burnout: ``cos alpha = (r_b^2 + c^2 - r_i^2) / (2 r_b c)``.  For
    ``r_i = r_b`` this is ``(pi - psi)/4``, i.e. ``cos 2 gamma* = nu / (2 - nu)``.
    """
    r_b, v_b = np.broadcast_arrays(np.asarray(r_b, dtype=float), np.asarray(v_b, dtype=float))
    r_i = r_b if r_i is None else np.broadcast_to(np.asarray(r_i, dtype=float), r_b.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv_a = 2.0 / r_b - v_b * v_b / mu
        c = 4.0 / inv_a - r_b - r_i  # chord of the minimum-energy transfer
        ok = (inv_a > 0) & (c >= np.abs(r_b - r_i)) & (c > 0)
        cos_alpha = (r_b * r_b + c * c - r_i * r_i) / (2.0 * r_b * c)
        return np.where(ok, 0.5 * np.arccos(np.clip(cos_alpha, -1.0, 1.0)), np.nan)

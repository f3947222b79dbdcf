"""Standard atmosphere from the ground to 1,000 km: density, pressure, temperature, speed of sound.

* Up to the top of the ``ambiance`` package (81.02 km geometric, 80 km geopotential) the
  values are ambiance's ICAO 1993 standard atmosphere, identical to the US Standard
  Atmosphere 1976 (USSA-1976) below 86 km.
* From 81.02 km to 86 km the last USSA-1976 / ICAO layer (lapse rate -2.0 K/km in
  geopotential height) is continued analytically from ambiance's own top values, so the
  junction is continuous by construction:

  .. math:: T = T_t + L (H - H_t),\\qquad p = p_t (T / T_t)^{-g_0 M_0 / (R^* L)}

* From 86 km to 1,000 km: USSA-1976 kinetic temperature from its defining formulas
  (isothermal to 91 km, elliptical 91-110 km, +12 K/km to 120 km, exponential approach to
  1,000 K above; USSA-1976 eqs. 23-31), and pressure and density by a cubic spline in
  log-space through the USSA-1976 tabulated values (NOAA/NASA/USAF, "U.S. Standard
  Atmosphere, 1976", Table I), first node replaced by the analytic 86 km value so the
  curve is continuous.  Above 1,000 km the density and pressure continue the last
  exponential scale height (negligible for ballistic flight).

All functions take heights above the ellipsoid in metres (any array shape) and return
arrays of the same shape.  Below -5 km the values are held at -5 km.

For the integrator, :func:`lookup` returns cached tables (10 m steps to 200 km, coarser
above) for fast ``np.interp`` of log-density and speed of sound.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from ambiance import CONST, Atmosphere
from scipy.interpolate import CubicSpline

# --- USSA-1976 upper atmosphere (Table I, geometric altitude) ---------------------------
# z [m], pressure [Pa], density [kg/m^3]
_USSA76_UPPER = np.array(
    [
        (86e3, 3.7338e-1, 6.958e-06),
        (90e3, 1.8359e-1, 3.416e-06),
        (100e3, 3.2011e-2, 5.604e-07),
        (110e3, 7.1042e-3, 9.708e-08),
        (115e3, 4.0096e-3, 4.289e-08),
        (120e3, 2.5382e-3, 2.222e-08),
        (130e3, 1.2505e-3, 8.152e-09),
        (150e3, 4.5422e-4, 2.076e-09),
        (175e3, 1.7936e-4, 6.339e-10),
        (200e3, 8.4736e-5, 2.541e-10),
        (250e3, 2.4767e-5, 6.073e-11),
        (300e3, 8.7704e-6, 1.916e-11),
        (400e3, 1.4518e-6, 2.803e-12),
        (500e3, 3.0236e-7, 5.215e-13),
        (600e3, 8.2130e-8, 1.137e-13),
        (700e3, 3.1908e-8, 3.070e-14),
        (800e3, 1.7036e-8, 1.136e-14),
        (900e3, 1.0873e-8, 5.759e-15),
        (1000e3, 7.5138e-9, 3.561e-15),
    ]
)
USSA76_TABLE_I = _USSA76_UPPER  # public: used by the tests
R0_USSA76_M = 6356766.0  # USSA-1976 effective Earth radius for geopotential height
H_TOP_M = float(CONST.h_max)  # ambiance's top, geometric (81.02 km)
H_BOTTOM_M = float(CONST.h_min)  # ambiance's bottom (-5.004 km)
Z86_M = 86e3
Z_MAX_M = 1000e3
GAMMA_AIR = 1.4  # ratio of specific heats used for the speed of sound (USSA-1976 eq. 50)


def _geopotential_m(z_m):
    return R0_USSA76_M * z_m / (R0_USSA76_M + z_m)


def _upper_temperature_k(z_m):
    """USSA-1976 kinetic temperature above 86 km (eqs. 25-31)."""
    z = np.asarray(z_m, dtype=float)
    t = np.full_like(z, 186.8673)
    ell = (z >= 91e3) & (z < 110e3)
    t = np.where(ell, 263.1905 - 76.3232 * np.sqrt(np.clip(1 - ((z - 91e3) / -19942.9) ** 2, 0, 1)), t)
    lin = (z >= 110e3) & (z < 120e3)
    t = np.where(lin, 240.0 + 12e-3 * (z - 110e3), t)
    xi = (z - 120e3) * (R0_USSA76_M + 120e3) / (R0_USSA76_M + z)
    t = np.where(z >= 120e3, 1000.0 - 640.0 * np.exp(-0.01875e-3 * xi), t)
    return t


# USSA-1976 Table 8: molecular-weight ratio M/M0 from 80 to 86 km (kinetic T = T_M * M/M0)
_M_RATIO_Z = np.arange(80e3, 86e3 + 1, 500.0)
_M_RATIO = np.array([1.0, 0.999996, 0.999989, 0.999971, 0.999941, 0.999909, 0.999870, 0.999829,
                     0.999786, 0.999741, 0.999694, 0.999641, 0.999579])


def _mesosphere_extension(z_m):
    """Continue ambiance's top layer (L = -2 K/km geopotential) analytically to 86 km.

    Returns the kinetic temperature (molecular-scale temperature times M/M0), pressure and
    density (which uses the molecular-scale temperature, USSA-1976 eq. 42)."""
    top = Atmosphere(H_TOP_M)
    t_t, p_t = float(top.temperature[0]), float(top.pressure[0])
    h_t = _geopotential_m(H_TOP_M)
    lapse = -2.0e-3
    t = t_t + lapse * (_geopotential_m(np.asarray(z_m, dtype=float)) - h_t)
    p = p_t * (t / t_t) ** (-CONST.g_0 * CONST.M_0 / (CONST.R_star * lapse))
    rho = p / (CONST.R * t)
    return t * np.interp(z_m, _M_RATIO_Z, _M_RATIO), p, rho


@lru_cache(maxsize=1)
def _upper_splines():
    z = _USSA76_UPPER[:, 0].copy()
    lp = np.log(_USSA76_UPPER[:, 1])
    lr = np.log(_USSA76_UPPER[:, 2])
    _, p86, r86 = _mesosphere_extension(Z86_M)
    lp[0], lr[0] = np.log(p86), np.log(r86)
    return CubicSpline(z, lp), CubicSpline(z, lr)


def properties(alt_m):
    """(density_kg_m3, pressure_pa, temperature_k, speed_of_sound_m_s) at geometric heights."""
    z = np.clip(np.asarray(alt_m, dtype=float), H_BOTTOM_M, None)
    shape = z.shape
    z = z.ravel()
    rho, p, t = np.empty_like(z), np.empty_like(z), np.empty_like(z)
    low = z <= H_TOP_M
    if low.any():
        a = Atmosphere(z[low])
        rho[low], p[low], t[low] = a.density, a.pressure, a.temperature
    mid = (z > H_TOP_M) & (z <= Z86_M)
    if mid.any():
        t[mid], p[mid], rho[mid] = _mesosphere_extension(z[mid])
    up = z > Z86_M
    if up.any():
        sp, sr = _upper_splines()
        zz = z[up]
        inside = np.minimum(zz, Z_MAX_M)
        lp, lr = sp(inside), sr(inside)
        beyond = zz - inside  # exponential continuation with the 1,000 km scale heights
        lp = lp + sp(Z_MAX_M, 1) * beyond
        lr = lr + sr(Z_MAX_M, 1) * beyond
        p[up], rho[up], t[up] = np.exp(lp), np.exp(lr), _upper_temperature_k(inside)
    a_snd = np.sqrt(GAMMA_AIR * p / rho)  # uses the molecular-scale temperature p / (rho R)
    return tuple(x.reshape(shape) for x in (rho, p, t, a_snd))


def density_kg_m3(alt_m):
    """Mass density at geometric height ``alt_m``."""
    return properties(alt_m)[0]


def pressure_pa(alt_m):
    return properties(alt_m)[1]


def temperature_k(alt_m):
    """Kinetic temperature (USSA-1976 molecular-scale temperature below 86 km)."""
    return properties(alt_m)[2]


def speed_of_sound_m_s(alt_m):
    """sqrt(gamma p / rho): the USSA-1976 definition (eq. 50) below 86 km, its continuation above."""
    return properties(alt_m)[3]


LOOKUP_STEP_M = 20.0
LOOKUP_TOP_M = 1500e3


@lru_cache(maxsize=1)
def lookup():
    """Cached uniform tables for the integrator: ``(z0, dz, log_density, d_log_density,
    sound, d_sound)``: 20 m spacing from -5 km to 1,500 km; linear interpolation of
    ``log density`` on this grid reproduces :func:`properties` to better than 1e-4 relative.
    """
    z = np.arange(H_BOTTOM_M, LOOKUP_TOP_M + LOOKUP_STEP_M, LOOKUP_STEP_M)
    rho, _, _, a = properties(z)
    lr = np.log(rho)
    return z[0], LOOKUP_STEP_M, lr, np.append(np.diff(lr), 0.0), a, np.append(np.diff(a), 0.0)


def fast_log_density(alt_m):
    """Natural log of the density by uniform-table interpolation (for hot loops); above
    1,500 km the last scale height continues."""
    z0, dz, lr, dlr, _, _ = lookup()
    x = (np.asarray(alt_m, dtype=float) - z0) / dz
    np.clip(x, 0.0, lr.size - 1.000001, out=x)
    i = x.astype(np.intp)
    return lr[i] + (x - i) * dlr[i]


def fast_density_and_sound(alt_m):
    """Density and speed of sound by uniform-table interpolation (for hot loops)."""
    z0, dz, lr, dlr, a, da = lookup()
    h = np.asarray(alt_m, dtype=float)
    x = np.clip((h - z0) / dz, 0.0, lr.size - 1.000001)
    i = x.astype(np.intp)
    f = x - i
    rho = np.exp(lr[i] + f * dlr[i])
    rho = np.where(h > LOOKUP_TOP_M, 0.0, rho)
    return rho, a[i] + f * da[i]

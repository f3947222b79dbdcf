"""Compiled geodesy for large batches (numba, cached; row blocks on threads, :mod:`thaad.threads`).

* ECEF -> geodetic: the same two Bowring steps as :func:`thaad.geo.ecef_to_geodetic`, per point
  (:func:`geodetic`, inlined into other kernels) and over arrays (:func:`to_geodetic`).
* Geodesic inverse: Vincenty's iteration on the ellipsoid (T. Vincenty, "Direct and inverse solutions of geodesics on
the ellipsoid with application of nested equations", Survey Review 23 (176), 1975).

Vincenty agrees with Karney's algorithm (PROJ, used by :func:`thaad.geo.geodesic_inverse`
for small batches) to well under a millimetre, but fails to converge for nearly antipodal
points: those are flagged and the caller re-computes them with PROJ.  Why hand-written:
PROJ's ``Geod.inv`` costs about 1 microsecond per point in one thread, which dominated the
coverage map (1,000,000 cells) and the radar look angles of Monte Carlo trajectories.
Imports numba: import this module lazily.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True, inline="always")
def vincenty_lambda(L, lam, su1, cu1, su2, cu2, f):
    """Vincenty's iteration for the longitude ``lam`` on the auxiliary sphere, from ``lam``
    (``L``, the longitude difference, for a cold start; a nearby solution for a warm one),
    reduced latitudes' sines and cosines ``su1, cu1, su2, cu2``.  Returns ``(converged,
    lam, sin_s, cos_s, sigma, cos2a, cos2sm, sin lam, cos lam)``; ``sin_s == 0``:
    coincident points."""
    return vincenty_lambda_sc(L, lam, math.sin(lam), math.cos(lam), su1, cu1, su2, cu2, f)


@njit(cache=True, inline="always")
def vincenty_lambda_sc(L, lam, sin_lam, cos_lam, su1, cu1, su2, cu2, f):
    """:func:`vincenty_lambda` given the sine and cosine of the starting ``lam`` (for a
    caller that has them for less than two calls: a grid's columns share ``sin L, cos L``)."""
    sin_s = cos_s = sigma = cos2a = cos2sm = 0.0
    sl, cl = sin_lam, cos_lam
    conv = False
    for it in range(200):
        if it > 0:
            sl, cl = math.sin(lam), math.cos(lam)
        t1 = cu2 * sl
        t2 = cu1 * su2 - su1 * cu2 * cl
        sin_s = math.sqrt(t1 * t1 + t2 * t2)
        if sin_s == 0.0:  # coincident points
            conv = True
            break
        cos_s = su1 * su2 + cu1 * cu2 * cl
        sigma = math.atan2(sin_s, cos_s)
        sin_a = cu1 * cu2 * sl / sin_s
        cos2a = 1.0 - sin_a * sin_a
        cos2sm = cos_s - 2.0 * su1 * su2 / cos2a if cos2a != 0.0 else 0.0
        c = f / 16.0 * cos2a * (4.0 + f * (4.0 - 3.0 * cos2a))
        lam_prev = lam
        lam = L + (1.0 - c) * f * sin_a * (sigma + c * sin_s * (cos2sm + c * cos_s * (-1.0 + 2.0 * cos2sm * cos2sm)))
        if abs(lam - lam_prev) < 1e-13:
            conv = True
            break
    return conv, lam, sin_s, cos_s, sigma, cos2a, cos2sm, sl, cl


@njit(cache=True, inline="always")
def vincenty_distance(a, b, sin_s, cos_s, sigma, cos2a, cos2sm):
    """Geodesic length from a converged :func:`vincenty_lambda` (Vincenty 1975, eqs. 3-6, 19)."""
    usq = cos2a * (a * a - b * b) / (b * b)
    aa = 1.0 + usq / 16384.0 * (4096.0 + usq * (-768.0 + usq * (320.0 - 175.0 * usq)))
    bb = usq / 1024.0 * (256.0 + usq * (-128.0 + usq * (74.0 - 47.0 * usq)))
    ds = bb * sin_s * (cos2sm + bb / 4.0 * (cos_s * (-1.0 + 2.0 * cos2sm * cos2sm)
                                            - bb / 6.0 * cos2sm * (-3.0 + 4.0 * sin_s * sin_s)
                                            * (-3.0 + 4.0 * cos2sm * cos2sm)))
    return b * aa * (sigma - ds)


@njit(cache=True, nogil=True)
def _inverse(lo, hi, lat1, lon1, lat2, lon2, a, f, dist, az1, az2, ok):
    b = a * (1.0 - f)
    for i in range(lo, hi):
        L = lon2[i] - lon1[i]
        L = (L + math.pi) % (2.0 * math.pi) - math.pi
        u1 = math.atan((1.0 - f) * math.tan(lat1[i]))
        u2 = math.atan((1.0 - f) * math.tan(lat2[i]))
        su1, cu1, su2, cu2 = math.sin(u1), math.cos(u1), math.sin(u2), math.cos(u2)
        conv, lam, sin_s, cos_s, sigma, cos2a, cos2sm, sl, cl = vincenty_lambda(L, L, su1, cu1, su2, cu2, f)
        ok[i] = conv
        if not conv:
            dist[i] = np.nan
            az1[i] = np.nan
            az2[i] = np.nan
            continue
        if sin_s == 0.0:
            dist[i] = 0.0
            az1[i] = 0.0
            az2[i] = math.pi
            continue
        dist[i] = vincenty_distance(a, b, sin_s, cos_s, sigma, cos2a, cos2sm)
        fwd1 = math.atan2(cu2 * sl, cu1 * su2 - su1 * cu2 * cl)
        fwd2 = math.atan2(cu1 * sl, -su1 * cu2 + cu1 * su2 * cl)
        az1[i] = fwd1 % (2.0 * math.pi)
        az2[i] = (fwd2 + math.pi) % (2.0 * math.pi)  # back azimuth: from point 2 toward point 1
    return 0


def inverse(lat1_rad, lon1_rad, lat2_rad, lon2_rad, a_m: float, f: float):
    """Flat float arrays of equal length -> ``(distance_m, azimuth1_rad, back_azimuth2_rad,
    converged)``; not converged (nearly antipodal): NaN."""
    arrs = [np.ascontiguousarray(x, dtype=float) for x in (lat1_rad, lon1_rad, lat2_rad, lon2_rad)]
    n = arrs[0].size
    dist, az1, az2 = np.empty(n), np.empty(n), np.empty(n)
    ok = np.empty(n, dtype=np.bool_)
    from thaad.threads import in_threads

    in_threads(lambda lo, hi: _inverse(lo, hi, *arrs, float(a_m), float(f), dist, az1, az2, ok), n, min_rows=4096)
    return dist, az1, az2, ok


SQRT3 = math.sqrt(3.0)
TAN_PI_12 = 2.0 - SQRT3  # tan(15 deg)


@njit(cache=True, inline="always", error_model="numpy")
def atan2(y, x):
    """``math.atan2`` to 1e-15 rad without a call to the C library, so that loops over samples
    vectorise (libm's ``atan2`` took two thirds of the geodetic conversion of every flight
    sample).  The ratio of the smaller to the larger magnitude ``t`` in [0, 1]; above
    tan(15 deg) ``atan t = pi/6 + atan((sqrt(3) t - 1) / (t + sqrt(3)))`` (Abramowitz &
    Stegun 4.4.34 with ``tan(pi/6) = 1/sqrt(3)``) brings it under 0.268, where the Taylor
    series to ``u^23`` is exact to 2e-16; then the octant.  ``(0, 0)`` gives 0 and the sign
    of a zero ``y`` is not kept (``atan2(-0.0, -1)`` is pi, not -pi); NaN gives NaN."""
    ax, ay = abs(x), abs(y)
    swap = ay > ax
    num = ax if swap else ay
    den = ay if swap else ax
    t = 0.0 if den == 0.0 else num / den  # (NaN in, NaN out)
    big = t > TAN_PI_12
    u = (t * SQRT3 - 1.0) / (t + SQRT3) if big else t
    u2 = u * u
    q = -1.0 / 23.0
    q = q * u2 + 1.0 / 21.0
    q = q * u2 - 1.0 / 19.0
    q = q * u2 + 1.0 / 17.0
    q = q * u2 - 1.0 / 15.0
    q = q * u2 + 1.0 / 13.0
    q = q * u2 - 1.0 / 11.0
    q = q * u2 + 1.0 / 9.0
    q = q * u2 - 1.0 / 7.0
    q = q * u2 + 1.0 / 5.0
    q = q * u2 - 1.0 / 3.0
    r = u + u * u2 * q
    if big:
        r += math.pi / 6.0
    if swap:
        r = 0.5 * math.pi - r
    if x < 0.0:
        r = math.pi - r
    return -r if y < 0.0 else r


@njit(cache=True, inline="always", error_model="numpy")
def geodetic(x, y, z, a, b, e2, sph):
    """ECEF -> (lat, lon, height): the two Bowring steps of :func:`thaad.geo.ecef_to_geodetic`
    (B. R. Bowring, "Transformation from spatial to geographical coordinates", Survey Review
    23(181), 1976) without their sines and cosines: the parametric latitude ``u`` and the
    latitude enter only through ``(sin, cos)`` pairs, taken by normalising the vectors whose
    ratio is their tangent (``tan u = (b / a) tan(lat)``); one :func:`atan2` for the latitude, one
    for the longitude.  Latitude to ~1e-15 rad and height to round-off at any ballistic height
    (tested against the NumPy path); no call into the C library, so loops over points
    vectorise: ~19 ns a point in such a loop, Heikkinen's closed form (which it replaced) took
    ~140.  ``sph``: a sphere of radius ``a``."""
    r2 = x * x + y * y
    p = math.sqrt(r2)
    lon = atan2(y, x)
    if sph:
        return atan2(z, p), lon, math.sqrt(r2 + z * z) - a
    ep2 = e2 / (1.0 - e2)
    su, cu = a * z, b * p  # tan u = a z / (b p): Bowring's starting guess
    iu = 1.0 / math.sqrt(su * su + cu * cu)
    su, cu = su * iu, cu * iu
    nn = z + ep2 * b * su * su * su  # first step: tan(lat) = nn / dd
    dd = p - e2 * a * cu * cu * cu
    su, cu = b * nn, a * dd  # tan u = (b / a) tan(lat)
    iu = 1.0 / math.sqrt(su * su + cu * cu)
    su, cu = su * iu, cu * iu
    nn = z + ep2 * b * su * su * su  # second step
    dd = p - e2 * a * cu * cu * cu
    iq = 1.0 / math.sqrt(nn * nn + dd * dd)
    sl, cl = nn * iq, dd * iq
    return atan2(nn, dd), lon, p * cl + z * sl - a * math.sqrt(1.0 - e2 * sl * sl)


@njit(cache=True, nogil=True)
def _to_geodetic(lo, hi, x, y, z, a, b, e2, lat, lon, alt):
    for i in range(lo, hi):
        lat[i], lon[i], alt[i] = geodetic(x[i], y[i], z[i], a, b, e2, False)
    return 0


def to_geodetic(x, y, z, a_m: float, b_m: float, e2: float):
    """Flat ECEF coordinates (ellipsoidal Earth) -> flat ``(lat_rad, lon_rad, alt_m)``."""
    x, y, z = (np.ascontiguousarray(v, dtype=float) for v in (x, y, z))
    lat, lon, alt = np.empty(x.size), np.empty(x.size), np.empty(x.size)
    from thaad.threads import in_threads

    in_threads(lambda lo, hi: _to_geodetic(lo, hi, x, y, z, float(a_m), float(b_m), float(e2), lat, lon, alt),
               x.size, min_rows=4096)
    return lat, lon, alt

"""Compiled per-cell kernels of :func:`thaad.radar.model.lowest_visible_altitude` for the
common radar (box face, no terrain horizon; blanked sectors allowed): the same floors and
ceilings, in the same order, in one pass over the cells (numba, cached, row blocks on
threads) instead of some thirty full-array NumPy passes.  The NumPy function stays the
reference; the tests check that both agree.  Imports numba: import lazily.

* :func:`cells`: flat cells whose geodesic (ground range, azimuth) is already known.
* :func:`grid`: a whole latitude x longitude grid (coverage maps) in one fused pass: the
  geodesic from the site, the effective Earth radius and the closed form per cell, with no
  per-cell temporaries.  Why hand-written rather than PROJ + NumPy (the reference path):
  PROJ's ``Geod.inv`` costs about 1 microsecond per cell in one thread, and a fused pass
  can reuse what the cells of a grid share: the reduced latitude of a row, and Vincenty's
  solution of the neighbouring cells as the starting point of the next (see :func:`_grid`).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from thaad.geo_compiled import vincenty_distance, vincenty_lambda_sc

HALF_PI = 0.5 * math.pi
TWO_PI = 2.0 * math.pi


@njit(cache=True, inline="always")
def _h_at_el(theta, cos_th, sin_th, a1, kr, e):
    """Height where the ray leaving at elevation ``e`` reaches ``theta``
    (:func:`thaad.radar.geometry.height_at_elevation_m`), ``cos(e + theta)`` by the angle sum
    from the cell's ``cos_th, sin_th`` (the cosine of the constant ``e`` is hoisted out of
    the loop by the compiler)."""
    if e + theta < HALF_PI:  # tested first: nothing to compute for a 90 deg elevation limit
        ce = math.cos(e)
        c = ce * cos_th - math.sin(e) * sin_th
        if c > 0:
            return a1 * ce / c - kr
    return math.inf


@njit(cache=True, inline="always")
def _mod_2pi(x):
    """``x % (2 pi)`` (Python's floor modulo, bit for bit; for a -0.0 only the sign of the
    zero may differ) without the ``fmod`` call where ``|x| < 4 pi``: subtracting or adding
    2 pi there is what ``fmod`` and the sign fix-up compute (exact by Sterbenz's lemma above
    2 pi, one rounding below 0 in both)."""
    if x >= 0.0:
        if x < TWO_PI:
            return x
        if x < 2.0 * TWO_PI:
            return x - TWO_PI
    elif x >= -TWO_PI:
        return x + TWO_PI
    return x % TWO_PI


@njit(cache=True, inline="always")
def _in_face(z, half_w, bore):
    """Azimuth ``z`` within ``half_w`` of the boresight (:func:`thaad.radar.model.face_azimuth_margin` >= 0)."""
    if half_w >= math.pi:
        return True
    d = math.pi - _mod_2pi(math.pi - (z - bore))
    return half_w - abs(d) >= 0


@njit(cache=True, inline="always")
def _cell(th, a, k, z, gr, min_alt, min_el, max_el, max_alt, r_det, half_w, bore, b_start, b_width, b_elmax):
    """One cell: floors (0 altitude floor, 1 line of sight, 2 min elevation, 3 + j blank j
    with an elevation limit, then range (near)) and ceilings (0 altitude ceiling, 1 elevation
    limit, 2 detection range); status 0 ok, 1 face azimuth, 2 blanked, 3 never (ceiling).
    Returns ``(lowest, slant range, ceiling, elevation, floor code, ceiling code, status)``."""
    sin_th, cos_th = math.sin(th), math.cos(th)
    # floors, first maximum wins (as numpy.argmax)
    best, code = min_alt, 0
    # line of sight (geometry.height_for_line_of_sight_m): phi = theta - g past the radar's
    # horizon angle g, cos g = k / a; 0 < theta, g < pi, so phi <= 0 iff cos theta >= cos g,
    # and cos phi by the angle difference (no acos, no second cosine)
    ratio = min(max(k / max(a, 1e-9), -1.0), 1.0)
    if cos_th >= ratio:
        h = -math.inf
    else:
        c = cos_th * ratio + sin_th * math.sqrt((1.0 - ratio) * (1.0 + ratio))
        h = k / c - k if c > 0 else math.inf
    if h > best:
        best, code = h, 1
    h = _h_at_el(th, cos_th, sin_th, a, k, min_el)
    if h > best:
        best, code = h, 2
    blanked = False
    q = 3
    for j in range(b_start.size):
        inside = _mod_2pi(z - b_start[j]) <= b_width[j]
        if math.isnan(b_elmax[j]):
            if inside:
                blanked = True
        else:
            h = _h_at_el(th, cos_th, sin_th, a, k, b_elmax[j]) if inside else -math.inf
            if h > best:
                best, code = h, q
            q += 1
    r_lo = r_hi = math.nan
    if not math.isnan(r_det):
        disc = r_det * r_det - (a * sin_th) ** 2
        if disc >= 0:
            root = math.sqrt(disc)
            mid = a * cos_th
            r_lo, r_hi = mid - root - k, mid + root - k
        h = math.inf if math.isnan(r_lo) else r_lo
        if h > best:
            best, code = h, q
    # ceilings, first minimum wins
    ceil, ccode = max_alt, 0
    h = _h_at_el(th, cos_th, sin_th, a, k, max_el)
    if h < ceil:
        ceil, ccode = h, 1
    if not math.isnan(r_det):
        h = -math.inf if math.isnan(r_hi) else r_hi
        if h < ceil:
            ceil, ccode = h, 2
    face_ok = _in_face(z, half_w, bore)
    ok = face_ok and not blanked and math.isfinite(best) and best <= ceil and math.isfinite(gr)
    status = 0 if ok else (1 if not face_ok else (2 if blanked else 3))
    if not ok:
        return math.nan, math.nan, math.nan, math.nan, code, ccode, status
    a2 = k + best
    srange = math.sqrt(max(a * a + a2 * a2 - 2.0 * a * a2 * cos_th, 0.0))
    elev = math.atan2(a2 * cos_th - a, a2 * sin_th)
    return best, srange, ceil, elev, code, ccode, status


@njit(cache=True, nogil=True)
def _cells(lo, hi, theta, a1, kr, az, gr, min_alt, min_el, max_el, max_alt, r_det, half_w, bore, b_start, b_width, b_elmax,
           lowest, srange, ceil_out, elev, f_code, c_code, status):
    for i in range(lo, hi):
        (lowest[i], srange[i], ceil_out[i], elev[i], f_code[i], c_code[i],
         status[i]) = _cell(theta[i], a1[i], kr[i], az[i], gr[i], min_alt, min_el, max_el, max_alt, r_det, half_w, bore,
                            b_start, b_width, b_elmax)
    return 0


def _sectors(sectors):
    sec = np.asarray(sectors, dtype=float).reshape(-1, 3)
    return tuple(np.ascontiguousarray(sec[:, k]) for k in range(3))


def cells(theta, a1, kr, az, gr, *, min_alt, min_el, max_el, max_alt, r_det, half_w, bore, sectors):
    """Flat arrays -> (lowest, slant range, ceiling, elevation, floor code, ceiling code,
    status); ``sectors``: ``(start, width, el_max or NaN)`` per blanked sector."""
    f = lambda x: np.ascontiguousarray(x, dtype=float).ravel()  # noqa: E731
    theta, a1, kr, az, gr = f(theta), f(a1), f(kr), f(az), f(gr)
    n = theta.size
    out = [np.empty(n) for _ in range(4)] + [np.empty(n, np.int64) for _ in range(3)]
    from thaad.threads import in_threads

    args = (theta, a1, kr, az, gr, float(min_alt), float(min_el), float(max_el), float(max_alt), float(r_det),
            float(half_w), float(bore), *_sectors(sectors), *out)
    in_threads(lambda lo, hi: _cells(lo, hi, *args), n, min_rows=4096)
    return out


# --- Whole grids: geodesic + closed form fused -----------------------------------------------
N_CEILINGS = 3  # altitude ceiling, elevation limit, detection range (labels: floors, ceilings, face, blanked)
MAX_WARM_OFFSET = 0.02  # rad; |lambda - L| <= f pi ~ 0.011 on WGS84: a prediction beyond is discarded


@njit(cache=True, nogil=True)
def _grid(r0, r1, lat, lon, lon0, su1, cu1, a_m, f, spherical, m_site, n_site, kfac, h_site, min_alt, min_el, max_el,
          max_alt, r_det, half_w, bore, b_start, b_width, b_elmax, nf,
          lowest, srange, ceil_out, elev, gr_out, az_out, label, conv_out):
    """Rows ``r0:r1`` of the grid ``lat (ny,) x lon (nx,)``: per cell the geodesic from the
    site (Vincenty's inverse, as :func:`thaad.geo_compiled._inverse`), the effective radius
    ``kfac / (cos^2 az / M + sin^2 az / N)`` (Euler, as :meth:`Radar.k_radius_m`) and
    :func:`_cell`.  ``label``: index into floors + ceilings + (face azimuth, blanked) as in
    :func:`thaad.radar.model._lowest_compiled`; ``conv_out`` False where Vincenty did not
    converge (nearly antipodal: the caller redoes those cells with PROJ).

    What the cells of a grid share, used here and nowhere approximated: a row's reduced
    latitude (one ``atan``/``sin``/``cos`` per row, not per cell), and the smoothness of
    Vincenty's longitude on the auxiliary sphere along a row: ``lambda - L`` of the next
    cell, extrapolated (quadratic) from the three before, starts the iteration within about
    1e-13 rad of its fixed point, so one step usually meets the same 1e-13 rad convergence
    test as a cold start (which takes about five).  Both stop at that test, so the results
    agree to about 1e-13 rad (under a micrometre of ground range)."""
    b = a_m * (1.0 - f)
    nx = lon.size
    lon_diff, sin_l, cos_l = np.empty(nx), np.empty(nx), np.empty(nx)  # L per column, in [-pi, pi)
    for j in range(nx):
        lon_diff[j] = (lon[j] - lon0 + math.pi) % TWO_PI - math.pi
        sin_l[j], cos_l[j] = math.sin(lon_diff[j]), math.cos(lon_diff[j])
    for i in range(r0, r1):
        u2 = math.atan((1.0 - f) * math.tan(lat[i]))
        su2, cu2 = math.sin(u2), math.cos(u2)
        d1 = d2 = d3 = 0.0
        n_warm = 0  # converged neighbours just before this cell (on this row, small steps of L)
        L_prev = 0.0
        for j in range(nx):
            L = lon_diff[j]
            if n_warm > 0 and abs(L - L_prev) > 0.1:
                n_warm = 0
            if n_warm >= 3:
                d = 3.0 * d1 - 3.0 * d2 + d3
            elif n_warm == 2:
                d = 2.0 * d1 - d2
            elif n_warm == 1:
                d = d1
            else:
                d = 0.0
            if abs(d) > MAX_WARM_OFFSET:
                d = 0.0
            # sin, cos of the start L + d by the angle sum; |d| <= 0.02: these series are
            # exact to below 1e-19 (first terms left out: d^9 / 9!, d^8 / 8!)
            dd = d * d
            sd = d * (1.0 - dd / 6.0 * (1.0 - dd / 20.0 * (1.0 - dd / 42.0)))
            cd = 1.0 - dd / 2.0 * (1.0 - dd / 12.0 * (1.0 - dd / 30.0))
            conv, lam, sin_s, cos_s, sigma, cos2a, cos2sm, sl, cl = vincenty_lambda_sc(
                L, L + d, sin_l[j] * cd + cos_l[j] * sd, cos_l[j] * cd - sin_l[j] * sd, su1, cu1, su2, cu2, f)
            conv_out[i, j] = conv
            L_prev = L
            if not conv or not math.isfinite(lam):
                n_warm = 0
                lowest[i, j] = srange[i, j] = ceil_out[i, j] = elev[i, j] = math.nan
                gr_out[i, j] = az_out[i, j] = math.nan
                label[i, j] = 0
                continue
            d3, d2, d1 = d2, d1, lam - L
            n_warm += 1
            if sin_s == 0.0:  # the site's own cell
                dist, az, t1, t2 = 0.0, 0.0, 0.0, 1.0
            else:
                dist = vincenty_distance(a_m, b, sin_s, cos_s, sigma, cos2a, cos2sm)
                t1 = cu2 * sl  # (t1, t2) ~ (sin az, cos az)
                t2 = cu1 * su2 - su1 * cu2 * cl
                az = _mod_2pi(math.atan2(t1, t2))
            gr_out[i, j], az_out[i, j] = dist, az
            if not _in_face(az, half_w, bore):  # what _cell would say, without its floors and ceilings
                lowest[i, j] = srange[i, j] = ceil_out[i, j] = elev[i, j] = math.nan
                label[i, j] = nf + N_CEILINGS
                continue
            if spherical:
                kr = kfac * a_m
            else:  # k / (cos^2 az / M + sin^2 az / N), one division
                kr = kfac * (t1 * t1 + t2 * t2) / (t2 * t2 / m_site + t1 * t1 / n_site)
            lo_, sr, ce, el, fcode, ccode, status = _cell(dist / kr, kr + h_site, kr, az, dist, min_alt, min_el, max_el,
                                                          max_alt, r_det, half_w, bore, b_start, b_width, b_elmax)
            lowest[i, j], srange[i, j], ceil_out[i, j], elev[i, j] = lo_, sr, ce, el
            if status == 0:
                label[i, j] = fcode
            elif status == 1:
                label[i, j] = nf + N_CEILINGS
            elif status == 2:
                label[i, j] = nf + N_CEILINGS + 1
            else:
                label[i, j] = nf + ccode
    return 0


def grid(lat_rad, lon_rad, *, site_lat, site_lon, a_m, f, spherical, m_site, n_site, k_factor, site_height_m, min_alt,
         min_el, max_el, max_alt, r_det, half_w, bore, sectors, n_floors):
    """Grid ``lat (ny,) x lon (nx,)`` (finite radians) -> arrays ``(ny, nx)``: ``(lowest,
    slant range, ceiling, elevation, ground range, azimuth, label index (int8), converged)``;
    ``m_site``, ``n_site``: meridian and prime-vertical radii of curvature at the site;
    ``sectors`` and ``n_floors`` as for :func:`cells` and the label list."""
    lat = np.ascontiguousarray(lat_rad, dtype=float).ravel()
    lon = np.ascontiguousarray(lon_rad, dtype=float).ravel()
    ny, nx = lat.size, lon.size
    out = [np.empty((ny, nx)) for _ in range(6)] + [np.empty((ny, nx), np.int8), np.empty((ny, nx), np.bool_)]
    u1 = math.atan((1.0 - f) * math.tan(site_lat))
    from thaad.threads import in_threads

    args = (lat, lon, float(site_lon), math.sin(u1), math.cos(u1), float(a_m), float(f), bool(spherical), float(m_site),
            float(n_site), float(k_factor), float(site_height_m), float(min_alt), float(min_el), float(max_el),
            float(max_alt), float(r_det), float(half_w), float(bore), *_sectors(sectors), int(n_floors), *out)
    # rows cost alike; a few blocks per thread keep both cores busy when one is shared
    in_threads(lambda r0, r1: _grid(r0, r1, *args), ny, min_rows=max(1, 4096 // max(nx, 1)), blocks_per_thread=4)
    return out

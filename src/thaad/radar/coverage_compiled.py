"""Compiled per-cell kernel of :func:`thaad.radar.model.lowest_visible_altitude` for the
common radar (box face, no terrain horizon; blanked sectors allowed): the same floors and
ceilings, in the same order, in one pass over the cells (numba, cached, row blocks on threads) instead
of some thirty full-array NumPy passes.  The NumPy function stays the reference; the tests
check that both agree.  Imports numba: import lazily.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

HALF_PI = 0.5 * math.pi
TWO_PI = 2.0 * math.pi


@njit(cache=True, inline="always")
def _h_at_el(theta, a1, kr, e):
    c = math.cos(e + theta)
    if e + theta < HALF_PI and c > 0:
        return a1 * math.cos(e) / c - kr
    return math.inf


@njit(cache=True, nogil=True)
def _cells(lo, hi, theta, a1, kr, az, gr, min_alt, min_el, max_el, max_alt, r_det, half_w, bore, b_start, b_width, b_elmax,
           lowest, srange, ceil_out, elev, f_code, c_code, status):
    """Per cell: floors (0 altitude floor, 1 line of sight, 2 min elevation, 3 + j blank j
    with an elevation limit, then range (near)) and ceilings (0 altitude ceiling, 1 elevation
    limit, 2 detection range); status 0 ok, 1 face azimuth, 2 blanked, 3 never (ceiling)."""
    nb = b_start.size
    for i in range(lo, hi):
        th, a, k, z = theta[i], a1[i], kr[i], az[i]
        # floors, first maximum wins (as numpy.argmax)
        best, code = min_alt, 0
        ratio = min(max(k / max(a, 1e-9), -1.0), 1.0)
        phi = th - math.acos(ratio)
        if phi <= 0:
            h = -math.inf
        elif phi < HALF_PI:
            h = k / math.cos(phi) - k
        else:
            h = math.inf
        if h > best:
            best, code = h, 1
        h = _h_at_el(th, a, k, min_el)
        if h > best:
            best, code = h, 2
        blanked = False
        q = 3
        for j in range(nb):
            inside = ((z - b_start[j]) % TWO_PI) <= b_width[j]
            if math.isnan(b_elmax[j]):
                if inside:
                    blanked = True
            else:
                h = _h_at_el(th, a, k, b_elmax[j]) if inside else -math.inf
                if h > best:
                    best, code = h, q
                q += 1
        lo = hi = math.nan
        if not math.isnan(r_det):
            disc = r_det * r_det - (a * math.sin(th)) ** 2
            if disc >= 0:
                root = math.sqrt(disc)
                mid = a * math.cos(th)
                lo, hi = mid - root - k, mid + root - k
            h = math.inf if math.isnan(lo) else lo
            if h > best:
                best, code = h, q
        # ceilings, first minimum wins
        ceil, ccode = max_alt, 0
        h = _h_at_el(th, a, k, max_el)
        if h < ceil:
            ceil, ccode = h, 1
        if not math.isnan(r_det):
            h = -math.inf if math.isnan(hi) else hi
            if h < ceil:
                ceil, ccode = h, 2
        if half_w >= math.pi:
            face_ok = True
        else:
            d = z - bore
            d = math.pi - ((math.pi - d) % TWO_PI)
            face_ok = half_w - abs(d) >= 0
        ok = face_ok and not blanked and math.isfinite(best) and best <= ceil and math.isfinite(gr[i])
        f_code[i], c_code[i] = code, ccode
        status[i] = 0 if ok else (1 if not face_ok else (2 if blanked else 3))
        if ok:
            lowest[i] = best
            ceil_out[i] = ceil
            a2 = k + best
            srange[i] = math.sqrt(max(a * a + a2 * a2 - 2.0 * a * a2 * math.cos(th), 0.0))
            elev[i] = math.atan2(a2 * math.cos(th) - a, a2 * math.sin(th))
        else:
            lowest[i] = srange[i] = ceil_out[i] = elev[i] = math.nan
    return 0


def cells(theta, a1, kr, az, gr, *, min_alt, min_el, max_el, max_alt, r_det, half_w, bore, sectors):
    """Flat arrays -> (lowest, slant range, ceiling, elevation, floor code, ceiling code,
    status); ``sectors``: ``(start, width, el_max or NaN)`` per blanked sector."""
    f = lambda x: np.ascontiguousarray(x, dtype=float).ravel()  # noqa: E731
    theta, a1, kr, az, gr = f(theta), f(a1), f(kr), f(az), f(gr)
    n = theta.size
    sec = np.asarray(sectors, dtype=float).reshape(-1, 3)
    out = [np.empty(n) for _ in range(4)] + [np.empty(n, np.int64) for _ in range(3)]
    from thaad.threads import in_threads

    args = (theta, a1, kr, az, gr, float(min_alt), float(min_el), float(max_el), float(max_alt), float(r_det),
            float(half_w), float(bore), np.ascontiguousarray(sec[:, 0]), np.ascontiguousarray(sec[:, 1]),
            np.ascontiguousarray(sec[:, 2]), *out)
    in_threads(lambda lo, hi: _cells(lo, hi, *args), n, min_rows=4096)
    return out

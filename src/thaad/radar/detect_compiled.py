"""Compiled first detection along trajectories (numba, cached, parallel over trajectories):
the visible mask and the refined first-detection time of :func:`thaad.radar.detect.detect_along`
without its intervals, angles and margin arrays.

Per sample the margins are those of :mod:`thaad.radar.model` (k-Earth line of sight,
elevation limits, face, blanked sectors, detection range; no terrain horizon), with the
site-to-sample geodesic by Vincenty's iteration (as :mod:`thaad.geo_compiled`, started
from the previous sample's solution).  Why hand-written: the NumPy path builds a dozen
(N, T) arrays and solves every geodesic; footprints need 10^6 trajectories.

Skipping with a guarantee: after an exact evaluation at ECEF position ``p`` every margin
is Lipschitz in the position, so inside a ball around ``p`` no margin can change sign:
range (distance on the k-Earth picture) by at most ``L |dp|``, elevation by at most
``asin(L |dp| / rho)``, azimuth by at most ``asin(L |dp| / m)`` with ``m`` a lower bound of
the reduced length ``R sin(d / R)`` at ground distance ``d``; ``L = 1.05 max(1, 1/k)``
bounds the k-Earth picture's displacement per metre of real displacement (height is
1-Lipschitz, ground distance too by the triangle inequality, and the tangential scale
``(kR + h) R / (kR (R + h))`` is <= max(1, 1/k); 5 % for the ellipsoid's radii).  Samples inside the
ball keep the evaluated visibility; the next sample outside it is evaluated exactly.
The line-of-sight margin is not Lipschitz near the ground, but with a minimum elevation
> 0 and an antenna above the ellipsoid it is implied by the elevation margin (a ray
above the local horizontal never meets the k-sphere), so it never decides a skip; other
radars (and samples whose ECEF position disagrees with their latitude, longitude and
altitude by more than 1 m) are evaluated at every sample.  Where Vincenty does not
converge (nearly antipodal) the trajectory is flagged for the NumPy path.

Imports numba: import lazily.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from thaad.geo_compiled import vincenty_distance, vincenty_lambda
from thaad.threads import in_threads

TWO_PI = 2.0 * math.pi
HALF_PI = 0.5 * math.pi
NM = 6  # margins: line of sight, min elevation, max elevation, face, blanking, range


@njit(cache=True, nogil=True, error_model="numpy", no_cpython_wrapper=True)
def _eval(lat, lon, alt, p, lam0, m, ang, full):
    """Margins ``m[0:6]`` of one sample; returns the converged longitude ``lam`` of
    Vincenty's auxiliary sphere (NaN: not converged).  ``ang`` receives (rho, el, az,
    ground distance, ECEF mismatch in m).  ``p``: see :func:`_params`."""
    a, f, su1, cu1, lon1, e2, w_m, w_n = p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]
    k, a1o, min_el, max_el, bore, hw, cone, tilt = p[8], p[9], p[10], p[11], p[12], p[13], p[14], p[15]
    b = a * (1.0 - f)
    sphi, cphi = math.sin(lat), math.cos(lat)
    q = math.sqrt(cphi * cphi + (1.0 - f) * (1.0 - f) * sphi * sphi)
    su2, cu2 = (1.0 - f) * sphi / q, cphi / q
    L = (lon - lon1 + math.pi) % TWO_PI - math.pi
    conv, lam, sin_s, cos_s, sigma, cos2a, cos2sm, sl, cl = vincenty_lambda(L, L + lam0, su1, cu1, su2, cu2, f)
    if not conv:
        return math.nan
    if sin_s == 0.0:
        dist, ca, sa, az = 0.0, 1.0, 0.0, 0.0
    else:
        dist = vincenty_distance(a, b, sin_s, cos_s, sigma, cos2a, cos2sm)
        y, x = cu2 * sl, cu1 * su2 - su1 * cu2 * cl
        az = math.atan2(y, x) % TWO_PI
        h = math.sqrt(x * x + y * y)
        ca, sa = x / h, y / h
    # k-Earth geometry (thaad.radar.geometry), radius of curvature in the azimuth (Euler)
    kr = k / (ca * ca * w_m + sa * sa * w_n)
    th = dist / kr
    a1, a2 = kr + a1o, kr + alt
    ct, st = math.cos(th), math.sin(th)
    rho = math.sqrt(max(a1 * a1 + a2 * a2 - 2.0 * a1 * a2 * ct, 0.0))
    el = math.atan2(a2 * ct - a1, a2 * st)
    # line of sight: implied by the elevation margin where the kernel skips (see module docstring)
    m[0] = math.inf if not full else kr * (math.acos(min(max(kr / max(a1, 1e-9), -1.0), 1.0))
                 + math.acos(min(max(kr / max(a2, 1e-9), -1.0), 1.0)) - th)
    m[1] = el - min_el
    m[2] = max_el - el
    if cone > 0.0:
        cb = math.sin(el) * math.sin(tilt) + math.cos(el) * math.cos(tilt) * math.cos(az - bore)
        m[3] = hw - math.acos(min(max(cb, -1.0), 1.0))
    elif hw >= math.pi:
        m[3] = math.inf
    else:
        m[3] = hw - abs(math.pi - (math.pi - (az - bore)) % TWO_PI)
    nb = int(p[17])
    mb = math.inf
    for s in range(nb):
        start, width, elmax = p[18 + 3 * s], p[19 + 3 * s], p[20 + 3 * s]
        into = (az - start) % TWO_PI
        if into <= width:
            v = -min(into, width - into) if math.isnan(elmax) else el - elmax
        else:
            v = min(into - width, TWO_PI - into)
        mb = min(mb, v)
    m[4] = mb
    m[5] = p[16] - rho  # p[16]: detection range of this trajectory
    # ECEF of (lat, lon, alt) for the consistency check of the skipping
    nn = a / math.sqrt(1.0 - e2 * sphi * sphi)
    ang[0], ang[1], ang[2], ang[3] = rho, el, az, dist
    ang[5], ang[6], ang[7] = (nn + alt) * cphi * math.cos(lon), (nn + alt) * cphi * math.sin(lon), (nn * (1.0 - e2) + alt) * sphi
    return lam - L


@njit(cache=True, nogil=True, error_model="numpy", no_cpython_wrapper=True)
def _radius(m, ang, p, vis):
    """Radius (m) of the ball around the sample in which no deciding margin changes sign."""
    lip, r_lo, r_hi = p[p.size - 3], p[p.size - 2], p[p.size - 1]
    if lip <= 0.0:
        return 0.0
    rho, el, az, d = ang[0], ang[1], ang[2], ang[3]
    red = r_lo * math.sin(d / r_hi) if d < HALF_PI * r_hi else 0.0  # reduced length, lower bound
    for i in range(NM):
        if math.isnan(m[i]):
            return 0.0
    # visible: the smallest ball in which every margin but the (implied) line of sight keeps
    # its sign; not visible: the largest ball in which one negative margin stays negative
    r_el1 = rho * math.sin(min(abs(m[1]), HALF_PI))
    r_el2 = rho * math.sin(min(abs(m[2]), HALF_PI))
    if p[14] > 0.0:  # cone face: direction change <= d(el) + d(az)
        r_face = min(rho, red) * math.sin(min(0.5 * abs(m[3]), HALF_PI))
    else:
        r_face = red * math.sin(min(abs(m[3]), HALF_PI))
    r_rng = abs(m[5])
    if vis:
        out = min(min(r_el1, r_el2), min(r_face, r_rng))
    else:
        out = 0.0
        if m[1] < 0.0:
            out = max(out, r_el1)
        if m[2] < 0.0:
            out = max(out, r_el2)
        if m[3] < 0.0:
            out = max(out, r_face)
        if m[5] < 0.0:
            out = max(out, r_rng)
    nb = int(p[17])
    for s in range(nb):  # blanked sectors
        start, width, elmax = p[18 + 3 * s], p[19 + 3 * s], p[20 + 3 * s]
        into = (az - start) % TWO_PI
        depth = red * math.sin(min(min(into, width - into), HALF_PI))
        if into > width:  # outside: stays outside while the azimuth moves less than the gap
            if vis:
                out = min(out, red * math.sin(min(min(into - width, TWO_PI - into), HALF_PI)))
        elif math.isnan(elmax):  # inside a fully blanked sector (never visible)
            out = max(out, depth)
        elif vis:  # inside, above its elevation limit: stays above it, in or out
            out = min(out, rho * math.sin(min(el - elmax, HALF_PI)))
        elif el < elmax:  # inside, below its limit: blanked while inside and below
            out = max(out, min(depth, rho * math.sin(min(elmax - el, HALF_PI))))
    return out / lip


@njit(cache=True, nogil=True, error_model="numpy")
def _detect(t, lat, lon, alt, pos, nsamp, r_det, p0, vis, first_t, status):
    """Per trajectory: fill ``vis`` and the (refined) first detection time (NaN if never);
    ``status`` 1 where Vincenty did not converge.  One function and one call site of
    :func:`_eval` (compile time): the refinement steps back to ``first - 1`` and then
    resumes the scan."""
    mc, mp, ang = np.empty(NM), np.empty(NM), np.empty(8)
    p = p0.copy()
    check = p[p.size - 3] > 0.0
    T = t.shape[1]
    for i in range(t.shape[0]):
        p[16] = r_det[i]
        first = -1
        first_time = math.nan
        c1 = c2 = 0.0  # Vincenty's lam - L at the last two evaluated samples j1 > j2: the start
        j1 = j2 = -1  # for the next one, extrapolated linearly (~3.3 instead of ~4 iterations)
        r2 = -1.0
        px = py = pz = 0.0
        v0 = False
        failed = False
        back = -1  # >= 0: the scan resumes after this index once ``first - 1`` is evaluated
        j = 0
        while j < T:
            if back < 0:
                if j >= nsamp[i] or not math.isfinite(t[i, j]):
                    vis[i, j] = False
                    j += 1
                    continue
                if r2 >= 0.0:
                    dx, dy, dz = pos[i, j, 0] - px, pos[i, j, 1] - py, pos[i, j, 2] - pz
                    if dx * dx + dy * dy + dz * dz < r2:
                        vis[i, j] = v0
                        j += 1
                        continue
            lam0 = c1 if j2 < 0 else c1 + (c1 - c2) * (j - j1) / (j1 - j2)
            lam = _eval(lat[i, j], lon[i, j], alt[i, j], p, lam0, mc, ang, (not check) or first < 0 or back >= 0)
            if math.isnan(lam):
                failed = True
                break
            if j > j1:
                c2, j2, c1, j1 = c1, j1, lam, j
            if back >= 0:  # margins at first - 1: the step at which the last failing margin crosses zero
                frac = 0.0
                for k in range(NM):
                    a, b = mc[k], mp[k]
                    fk = a / (a - b) if (a < 0.0 and b >= 0.0 and math.isfinite(a) and math.isfinite(b)) else 0.0
                    frac = max(frac, fk if math.isfinite(fk) else 1.0)
                frac = min(max(frac, 0.0), 1.0)
                t1, t0 = t[i, first], t[i, j]
                first_time = t1 + (frac - 1.0) * (t1 - t0) if frac > 0.0 else t1
                j = back + 1
                back = -1
                continue
            v = True
            for k in range(NM):
                v = v and mc[k] >= 0.0
            vis[i, j] = v
            r2 = -1.0
            if check:
                px, py, pz = pos[i, j, 0], pos[i, j, 1], pos[i, j, 2]
                if (ang[5] - px) ** 2 + (ang[6] - py) ** 2 + (ang[7] - pz) ** 2 <= 1.0:  # ECEF agrees to 1 m
                    rr = _radius(mc, ang, p, v) - 1.0
                    r2 = rr * rr if rr > 0.0 else -1.0
                v0 = v
            if v and first < 0:
                first = j
                first_time = t[i, j]
                for k in range(NM):
                    mp[k] = mc[k]
                if j > 0 and math.isfinite(t[i, j - 1]):
                    back = j
                    j -= 1
                    continue
            j += 1
        status[i] = 1 if failed else 0
        first_t[i] = math.nan if failed else first_time
    return 0


def params(radar, skip: bool) -> np.ndarray:
    """Flat parameter vector of a radar for the kernel (see :func:`_eval`)."""
    e = radar.earth
    s = radar.site
    e2 = e.f * (2.0 - e.f)
    sl = math.sin(s.lat_rad)
    w2 = 1.0 - e2 * sl * sl
    n_ = e.a_m / math.sqrt(w2)
    m_ = e.a_m * (1.0 - e2) / w2**1.5
    u1 = math.atan((1.0 - e.f) * math.tan(s.lat_rad))
    cone = 1.0 if radar.face_model == "cone" else 0.0
    head = [e.a_m, e.f, math.sin(u1), math.cos(u1), s.lon_rad, e2, 1.0 / m_, 1.0 / n_, radar.k_factor, s.height_m,
            radar.min_el_rad, radar.max_el_rad, radar.boresight_az_rad, radar.az_half_width_rad, cone,
            radar.face_tilt_rad, 0.0, float(len(radar.blanking))]
    for b in radar.blanking:
        head += [b.az_start_rad, b.width_rad, math.nan if b.el_max_rad is None else b.el_max_rad]
    ok = skip and radar.min_el_rad > 0.0 and s.height_m >= 0.0 and radar.horizon is None
    lip = 1.05 * max(1.0, 1.0 / radar.k_factor) if ok else 0.0
    b_ = e.a_m * (1.0 - e.f)
    head += [lip, 0.97 * b_ * b_ / e.a_m, e.a_m * e.a_m / b_]  # Lipschitz factor, radii of curvature min / max
    return np.asarray(head, dtype=float)


def first_detection(t_s, lat_rad, lon_rad, alt_m, position_ecef_m, n_samples, r_det_m, radar, *, skip: bool = True):
    """``(visible (N, T) bool, first detection time (N,), needs_reference (N,) bool)``; rows are
    shared out to threads (the kernel releases the GIL)."""
    n, t = t_s.shape
    c = lambda a: np.ascontiguousarray(a, dtype=float)  # noqa: E731
    vis = np.empty((n, t), dtype=np.bool_)
    first = np.empty(n)
    status = np.empty(n, dtype=np.int8)
    t_s, lat_rad, lon_rad, alt_m, pos = c(t_s), c(lat_rad), c(lon_rad), c(alt_m), c(position_ecef_m)
    nsamp = np.ascontiguousarray(n_samples, dtype=np.int64)
    r_det = np.broadcast_to(c(r_det_m), (n,)).copy()
    p = params(radar, skip)

    def part(lo, hi):
        _detect(t_s[lo:hi], lat_rad[lo:hi], lon_rad[lo:hi], alt_m[lo:hi], pos[lo:hi], nsamp[lo:hi], r_det[lo:hi], p,
                vis[lo:hi], first[lo:hi], status[lo:hi])

    in_threads(part, n)
    return vis, first, status.astype(bool)

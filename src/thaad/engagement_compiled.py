"""Compiled engagement timelines (numba, cached): :func:`thaad.engagement.engage` walking each
trajectory's samples once instead of building (N, (T-1) m + 1) upsampled arrays per launcher.

The same arithmetic in the same order (linear refinement ``a0 (1 - w) + a1 w`` with
``w = k / m``, ground range on the launcher's Gaussian sphere, nearest-cell flyout lookup,
strictly better launch time wins across launchers), so the same shot opportunities and
times.  Work is skipped only where it provably changes nothing: a refinement interval whose
altitudes lie outside the flyout table's altitude rows, whose radar view is lost, or whose
ground ranges are beyond the table (a lower bound of the haversine from
``sin x >= x - x^3 / 6`` and ``cos lat >= cos lat0 - |dlat|``) is never looked up, and the
closest approach skips samples whose lower bound cannot beat the best so far.  Shots are
found in one forward pass: after a shot at refined point ``q`` no earlier point can be
feasible, since its launch time ``t_q' - tof <= t_q`` is below ``t_q + relook``.

Why hand-written: the NumPy path costs ~100 us per trajectory (mostly the upsampling),
footprints need 10^6 trajectories.  Imports numba: import lazily.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from thaad.threads import in_threads


@njit(cache=True, nogil=True, error_model="numpy", no_cpython_wrapper=True)
def _up(a0, a1, w):
    return a0 * (1.0 - w) + a1 * w


@njit(cache=True, nogil=True, error_model="numpy", no_cpython_wrapper=True)
def _hav_low(lat, lon, lat0, lon0, c0):
    """Lower bound of :func:`_hav` without trigonometry."""
    dl = abs(lat - lat0)
    x = 0.5 * dl
    dn = abs(lon - lon0)
    if dn > 2.0 * math.pi:
        dn = dn % (2.0 * math.pi)
    y = 0.5 * min(dn, 2.0 * math.pi - dn)
    sx = max(x - x * x * x / 6.0, 0.0)
    sy = max(y - y * y * y / 6.0, 0.0)
    return (sx * sx + c0 * max(c0 - dl, 0.0) * sy * sy) * (1.0 - 1e-9)


@njit(cache=True, nogil=True, error_model="numpy", no_cpython_wrapper=True)
def _hav(lat, lon, lat0, lon0, c0):
    """Haversine of the angle between the normals (as :func:`thaad.engagement.ground_range_from_m`).
    Helpers take scalars: array arguments cost reference counting on every call."""
    h = math.sin(0.5 * (lat - lat0)) ** 2 + c0 * math.cos(lat) * math.sin(0.5 * (lon - lon0)) ** 2
    return min(max(h, 0.0), 1.0)


@njit(cache=True, nogil=True, error_model="numpy", no_cpython_wrapper=True)
def _fill(tv, av, vis, use_vis, lat, lon, nv, m, site, table, cell, h_lo, h_hi, best, brng, sb, hb, win):
    """Best launch time over this launcher at every refined point (m refined points per interval)."""
    T = tv.size
    Q = (T - 1) * m + 1 if m > 1 else T
    alt0 = site[2]  # win: [first, last + 1) of the points given a launch time
    for q0 in range(0, Q, m):  # interval j = q0 / m (or point j when m == 1)
        j = q0 // m
        last = j == T - 1
        j1 = j if last or m == 1 else j + 1
        if not (math.isfinite(tv[j]) and math.isfinite(tv[j1]) and math.isfinite(av[j]) and math.isfinite(av[j1])):
            continue
        v0 = 1.0 if (not use_vis or vis[j]) else 0.0
        v1 = 1.0 if (not use_vis or vis[j1]) else 0.0
        if v0 < 1.0:
            continue
        kn = 1 if (last or m == 1 or v1 < 1.0) else m  # refined points that can be seen
        j1e = j if kn == 1 else j1
        h0, h1 = av[j] - alt0, av[j1] - alt0
        if max(h0, h1 if kn > 1 else h0) < h_lo or min(h0, h1 if kn > 1 else h0) > h_hi:
            continue
        hl = _hav_low(lat[j], lon[j], site[0], site[1], site[3])
        if kn > 1:
            hl = min(hl, _hav_low(lat[j1], lon[j1], site[0], site[1], site[3]))
        if hl > site[5]:
            continue
        for jj in (j, j1e):  # ground ranges, computed once per sample
            if sb[jj] < 0.0:
                hb[jj] = _hav(lat[jj], lon[jj], site[0], site[1], site[3])
                sb[jj] = site[4] * (2.0 * math.asin(math.sqrt(hb[jj])))
        s0, s1 = sb[j], sb[j1e]
        for k in range(kn):
            w = k / m if m > 1 else 0.0
            if m == 1 or last:
                s_f, h_f, t_f, seen = s0, h0, tv[j], True
            else:
                s_f, h_f, t_f = _up(s0, s1, w), _up(h0, h1, w), _up(tv[j], tv[j1], w)
                seen = (not use_vis) or _up(v0, v1, w) >= 0.999
            ii, kk = np.rint(s_f / cell), np.rint(h_f / cell)  # nearest cell (as FlyoutFan.time_of_flight)
            ok = ii >= 0.0 and kk >= 0.0 and ii < table.shape[0] and kk < table.shape[1]
            launch = t_f - table[int(ii), int(kk)] if ok else math.nan
            if seen and launch > best[q0 + k]:
                best[q0 + k] = launch
                brng[q0 + k] = s_f
                win[0] = min(win[0], q0 + k)
                win[1] = max(win[1], q0 + k + 1)
    return Q


@njit(cache=True, nogil=True, error_model="numpy", no_cpython_wrapper=True)
def _jw(q, m, Q, T):
    """Refined point ``q`` -> (sample j, weight w of sample j + 1)."""
    if m == 1:
        return q, 0.0
    if q == Q - 1:
        return T - 1, 0.0
    return q // m, (q % m) / m


@njit(cache=True, nogil=True, error_model="numpy")
def _engage(t, lat, lon, alt, nsamp, vis, use_vis, chunk, max_step, first_launch, sites, table, cell, h_lo, h_hi,
            relook, shots, res, one):
    n, T = t.shape
    kmax = res.shape[2]  # res (N, 4, K), one (N, 8)
    best = np.empty((T - 1) * 20 + 1)
    brng = np.empty(best.size)
    sb, hb, tv, av = np.empty(T), np.empty(T), np.empty(T), np.empty(T)
    win = np.empty(2, dtype=np.int64)
    m = 1
    for i in range(n):
        if i % chunk == 0:  # refinement of this chunk: its largest finite step (as engagement._refinement)
            dt_max, found = -math.inf, False
            for r in range(i, min(i + chunk, n)):
                for j in range(min(nsamp[r], T) - 1):
                    d = t[r, j + 1] - t[r, j]
                    if math.isfinite(d):
                        dt_max, found = max(dt_max, d), True
            dt_max = dt_max if found else 0.0
            x = dt_max / max_step
            m = 20 if x > 20.0 else max(1, int(math.ceil(x)))
        nv = nsamp[i]
        for j in range(T):
            tv[j] = t[i, j] if j < nv else math.nan
            av[j] = alt[i, j] if j < nv else math.nan
        Q = (T - 1) * m + 1 if m > 1 else T
        best[:Q] = -math.inf
        brng[:Q] = math.nan
        closest = math.inf
        win[0], win[1] = Q, 0
        for si in range(sites.shape[0]):
            site = sites[si]
            sb[:] = -1.0
            _fill(tv, av, vis[i], use_vis, lat[i], lon[i], nv, m, site, table, cell, h_lo, h_hi, best, brng, sb, hb, win)
            # closest approach: the computed ranges, the sample of least lower bound, then
            # only the samples whose lower bound can beat the best so far
            hbest, c, jlow, low = math.inf, math.inf, -1, math.inf
            for j in range(min(nv, T)):
                if sb[j] >= 0.0:
                    if sb[j] < c:
                        c, hbest = sb[j], hb[j]
                else:
                    hl = _hav_low(lat[i, j], lon[i, j], site[0], site[1], site[3])
                    hb[j] = hl
                    if hl < low:
                        jlow, low = j, hl
            if jlow >= 0 and low < hbest:
                for j in range(-1, min(nv, T)):
                    jj = jlow if j < 0 else j
                    if sb[jj] < 0.0 and hb[jj] < hbest:
                        h = _hav(lat[i, jj], lon[i, jj], site[0], site[1], site[3])
                        sb[jj] = site[4] * (2.0 * math.asin(math.sqrt(h)))
                        if sb[jj] < c:
                            c, hbest = sb[jj], h
            closest = min(closest, c)
        # one forward pass: in-band time, first/last feasible point, shots
        fl = first_launch[i]
        ready = fl
        k = 0
        inband = 0.0
        jf = jl = -1
        prev_in = False
        t_prev = 0.0
        for q in range(win[0], win[1]):  # outside, no point has a launch time
            b = best[q]
            now_in = b > -math.inf
            if now_in:
                j, w = _jw(q, m, Q, T)
                t_q = tv[j] if w == 0.0 else _up(tv[j], tv[j + 1], w)
                if prev_in:
                    inband += t_q - t_prev
                t_prev = t_q
            prev_in = now_in
            if b >= fl:
                jl = q
                if jf < 0:
                    jf = q
            while k < kmax and b >= ready:
                j, w = _jw(q, m, Q, T)
                tq = tv[j] if w == 0.0 else _up(tv[j], tv[j + 1], w)
                aq = av[j] if w == 0.0 else _up(av[j], av[j + 1], w)
                res[i, 0, k], res[i, 1, k], res[i, 2, k], res[i, 3, k] = b, tq, aq, brng[q]
                k += 1
                ready = tq + relook
        shots[i] = k
        for slot, qq in ((0, jf), (3, jl)):
            if qq >= 0:
                j, w = _jw(qq, m, Q, T)
                tq = tv[j] if w == 0.0 else _up(tv[j], tv[j + 1], w)
                aq = av[j] if w == 0.0 else _up(av[j], av[j + 1], w)
                one[i, slot], one[i, slot + 1], one[i, slot + 2] = tq, aq, brng[qq]
        one[i, 6] = closest if closest < math.inf else math.nan
        one[i, 7] = inband
    return 0


def engage_arrays(t_s, lat_rad, lon_rad, alt_m, n_samples, visible, chunk, max_step_s, first_launch_s, sites, table,
                  cell_m, relook_s, max_shots):
    """``(shots (N,), res (N, 4, K): launch, intercept time, altitude, range; one (N, 8): first
    t/alt/range, last t/alt/range, closest range, in-band time)``; ``sites`` (S, 6): lat, lon,
    alt, cos lat, Gaussian radius, haversine of the table's farthest range.  Samples are
    refined per ``chunk`` of rows by its largest step over ``max_step_s``; whole chunks are
    shared out to threads (the kernel releases the GIL)."""
    n, t = t_s.shape
    c = lambda a: np.ascontiguousarray(a, dtype=float)  # noqa: E731
    fin = np.isfinite(table)
    kk = np.nonzero(fin.any(axis=0))[0]
    h_lo = (kk.min() - 0.5) * cell_m - 1.0 if kk.size else math.inf
    h_hi = (kk.max() + 0.5) * cell_m + 1.0 if kk.size else -math.inf
    shots = np.zeros(n, dtype=np.int64)
    res = np.full((n, 4, int(max_shots)), np.nan)
    one = np.full((n, 8), np.nan)
    use_vis = visible is not None
    vis = np.ascontiguousarray(visible, dtype=np.bool_) if use_vis else np.ones((n, 1), dtype=np.bool_)
    t_s, lat_rad, lon_rad, alt_m, fl = c(t_s), c(lat_rad), c(lon_rad), c(alt_m), c(first_launch_s)
    nsamp = np.ascontiguousarray(n_samples, dtype=np.int64)
    sites, table = c(sites), c(table)
    chunk = max(1, int(chunk))

    def part(lo, hi):
        lo, hi = lo - lo % chunk, (hi - hi % chunk if hi < n else n)  # whole chunks
        if hi > lo:
            _engage(t_s[lo:hi], lat_rad[lo:hi], lon_rad[lo:hi], alt_m[lo:hi], nsamp[lo:hi], vis[lo:hi], use_vis, chunk,
                    float(max_step_s), fl[lo:hi], sites, table, float(cell_m), h_lo, h_hi, float(relook_s), shots[lo:hi],
                    res[lo:hi], one[lo:hi])

    in_threads(part, n)
    return shots, res, one

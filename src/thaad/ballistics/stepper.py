"""Dormand-Prince 5(4) integration of N trajectories together (the NumPy reference path).

One step size **per trajectory**, all trajectories advanced together as ``(N, 3)`` arrays
(the RK45 tableau of ``scipy.integrate.solve_ivp``, Dormand & Prince 1980); steps are
clipped so that staging, thrust cut-off and the end of the vertical rise fall on step
boundaries.  Apogee and impact are located inside the step by Illinois regula falsi on
the quintic Hermite curve of the step.  :mod:`thaad.ballistics._compiled` runs the same
algorithm per trajectory; this module is the reference the tests compare it with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from thaad.ballistics.forces import Problem, approx_alt, approx_alt_and_up
from thaad.numeric import illinois_root

if TYPE_CHECKING:
    from thaad.ballistics.flight import FlightOptions

# Dormand & Prince (1980) RK5(4)7M tableau, as in scipy.integrate._ivp.rk.RK45.
_C = np.array([0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1])
_A = [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
    [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
]
_B = np.array([35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0])
_E = np.array([-71 / 57600, 0, 71 / 16695, -71 / 1920, 17253 / 339200, -22 / 525, 1 / 40])



def _hermite(s, dt, r0, v0, r1, v1, a0=None, a1=None):
    """Hermite interpolation inside a step of length ``dt`` at fraction ``s``: quintic when
    the end accelerations ``a0``, ``a1`` are given (error O(dt^6)), cubic otherwise.
    Returns position and velocity."""
    s_ = s[:, None]
    h = dt[:, None]
    if a0 is None:
        h00, h10, h01, h11 = 2 * s_**3 - 3 * s_**2 + 1, s_**3 - 2 * s_**2 + s_, -2 * s_**3 + 3 * s_**2, s_**3 - s_**2
        pos = h00 * r0 + h10 * h * v0 + h01 * r1 + h11 * h * v1
        d00, d10, d01, d11 = 6 * s_**2 - 6 * s_, 3 * s_**2 - 4 * s_ + 1, -6 * s_**2 + 6 * s_, 3 * s_**2 - 2 * s_
        vel = (d00 * r0 + d01 * r1) / h + d10 * v0 + d11 * v1
        return pos, vel
    s2, s3, s4, s5 = s_**2, s_**3, s_**4, s_**5
    q0 = 1 - 10 * s3 + 15 * s4 - 6 * s5
    q1 = s_ - 6 * s3 + 8 * s4 - 3 * s5
    q2 = 0.5 * s2 - 1.5 * s3 + 1.5 * s4 - 0.5 * s5
    q3 = 0.5 * s3 - s4 + 0.5 * s5
    q4 = -4 * s3 + 7 * s4 - 3 * s5
    q5 = 10 * s3 - 15 * s4 + 6 * s5
    pos = q0 * r0 + q5 * r1 + h * (q1 * v0 + q4 * v1) + h * h * (q2 * a0 + q3 * a1)
    d0 = -30 * s2 + 60 * s3 - 30 * s4
    d1 = 1 - 18 * s2 + 32 * s3 - 15 * s4
    d2 = s_ - 4.5 * s2 + 6 * s3 - 2.5 * s4
    d3 = 1.5 * s2 - 4 * s3 + 2.5 * s4
    d4 = -12 * s2 + 28 * s3 - 15 * s4
    vel = d0 * (r0 - r1) / h + d1 * v0 + d4 * v1 + h * (d2 * a0 + d3 * a1)
    return pos, vel


def _vertical_speed(seg, s, earth):
    """Rate of climb (along the ellipsoid normal) on the Hermite curve at fractions ``s``."""
    pos, vel = _hermite(s, *seg)
    _, up = approx_alt_and_up(pos, earth)
    return np.einsum("ij,ij->i", up, vel)


def integrate(prob: Problem, r0, v0, impact_alt, opts: FlightOptions):
    """Advance all trajectories until impact (or ``max_time_s``); returns a dict of results."""
    n = r0.shape[0]
    earth = opts.earth
    t = np.zeros(n)
    r, v = r0.copy(), v0.copy()
    h = np.full(n, opts.first_step_s)
    active = np.ones(n, dtype=bool)
    out = {
        "bo_t": np.full(n, np.nan), "bo_r": np.full((n, 3), np.nan), "bo_v": np.full((n, 3), np.nan),
        "ap_t": np.full(n, np.nan), "ap_r": np.full((n, 3), np.nan), "ap_v": np.full((n, 3), np.nan),
        "im_t": np.full(n, np.nan), "im_r": np.full((n, 3), np.nan), "im_v": np.full((n, 3), np.nan),
    }
    burnt = prob.t_cut <= 0.0
    out["bo_t"][burnt], out["bo_r"][burnt], out["bo_v"][burnt] = 0.0, r[burnt], v[burnt]
    alt0, up0 = approx_alt_and_up(r, earth)
    vr = np.einsum("ij,ij->i", up0, v)
    rising = vr > 0
    record = opts.sample_s is not None
    hist = [(np.arange(n), t.copy(), r.copy(), v.copy(), np.zeros((n, 3)), np.zeros((n, 3)))] if record else None
    nbreak = np.zeros(n, dtype=int)
    fsal, fsal_ok = np.zeros((n, 3)), np.zeros(n, dtype=bool)
    n_steps = 0
    while active.any():
        idx = np.flatnonzero(active)
        sub = prob.subset(idx)
        ti, ri, vi, hi = t[idx], r[idx], v[idx], h[idx]
        nb = np.minimum(nbreak[idx], sub.breaks.shape[1] - 1)
        next_break = sub.breaks[np.arange(idx.size), nb]
        next_break = np.where(nbreak[idx] < sub.breaks.shape[1], next_break, np.inf)
        hi = np.minimum(np.minimum(hi, opts.max_step_s), opts.max_time_s + 1.0 - ti)
        clipped = next_break - ti <= hi * (1 + 1e-12)
        hi = np.where(clipped, next_break - ti, hi)
        flags = sub.frozen_flags(ti)
        # first stage: reuse the last stage of the previous step (FSAL) where the phase
        # did not change, evaluate the rest
        need = ~fsal_ok[idx]
        if need.all():
            a_first = sub.accel(ti, ri, vi, flags)
        else:
            a_first = fsal[idx]
            if need.any():
                w = np.flatnonzero(need)
                a_first[w] = sub.subset(w).accel(ti[w], ri[w], vi[w], {k: x[w] for k, x in flags.items()})
        kr, kv = [vi], [a_first]
        for s in range(1, 7):
            rs = ri + hi[:, None] * sum(_A[s][j] * kr[j] for j in range(s))
            vs = vi + hi[:, None] * sum(_A[s][j] * kv[j] for j in range(s))
            kr.append(vs)
            kv.append(sub.accel(ti + _C[s] * hi, rs, vs, flags))
        r_new = ri + hi[:, None] * sum(_B[j] * kr[j] for j in range(6))
        v_new = vi + hi[:, None] * sum(_B[j] * kv[j] for j in range(6))
        er = hi[:, None] * sum(_E[j] * kr[j] for j in range(7))
        ev = hi[:, None] * sum(_E[j] * kv[j] for j in range(7))
        sr = opts.atol + opts.rtol * np.maximum(np.abs(ri), np.abs(r_new))
        sv = opts.atol + opts.rtol * np.maximum(np.abs(vi), np.abs(v_new))
        err = np.sqrt((np.sum((er / sr) ** 2, axis=1) + np.sum((ev / sv) ** 2, axis=1)) / 6.0)
        ok = err <= 1.0
        fac = np.where(err > 0, 0.9 * np.maximum(err, 1e-10) ** -0.2, 10.0)
        h_prop = h[idx]
        h_next = np.where(ok, hi * np.clip(fac, 0.2, 10.0), hi * np.clip(fac, 0.2, 1.0))
        h_next = np.where(ok & clipped, np.maximum(h_next, h_prop), h_next)
        n_steps += 1
        # accepted steps only from here
        acc = idx[ok]
        t_old, r_old, v_old, dt = ti[ok], ri[ok], vi[ok], hi[ok]
        a_old, a_new = kv[0][ok], kv[6][ok]
        t_new = np.where(clipped[ok], next_break[ok], t_old + dt)
        t[acc], r[acc], v[acc] = t_new, r_new[ok], v_new[ok]
        h[idx] = h_next
        nbreak[acc] += clipped[ok]
        fsal[idx] = np.where(ok[:, None], kv[6], kv[0])
        fsal_ok[idx] = ~(ok & clipped)
        # burnout event (exact: cut-off falls on a step boundary)
        sub_ok = sub.t_cut[ok]
        bo = np.isnan(out["bo_t"][acc]) & (t_new >= sub_ok - 1e-9)
        if bo.any():
            j = acc[bo]
            out["bo_t"][j], out["bo_r"][j], out["bo_v"][j] = t[j], r[j], v[j]
        # apogee and impact events
        alt_new, up_new = approx_alt_and_up(r[acc], earth)
        vr_new = np.einsum("ij,ij->i", up_new, v[acc])
        coasting = t_new >= sub_ok - 1e-9
        ap = rising[acc] & (vr_new <= 0) & coasting
        if ap.any():
            j = acc[ap]
            seg = (dt[ap], r_old[ap], v_old[ap], r[j], v[j], a_old[ap], a_new[ap])
            s_best = illinois_root(lambda x: _vertical_speed(seg, x, earth), j.size)
            p_, v_ = _hermite(s_best, dt[ap], r_old[ap], v_old[ap], r[j], v[j], a_old[ap], a_new[ap])
            out["ap_t"][j] = t_old[ap] + s_best * dt[ap]
            out["ap_r"][j], out["ap_v"][j] = p_, v_
        rising[acc] = np.where(coasting, vr_new > 0, rising[acc] | (vr_new > 0))
        im = (alt_new <= impact_alt[acc]) & (vr_new < 0) & (t_new > 1.0)
        if im.any():
            j = acc[im]
            seg = (dt[im], r_old[im], v_old[im], r[j], v[j], a_old[im], a_new[im])
            target = impact_alt[j]
            s_imp = illinois_root(lambda x: approx_alt(_hermite(x, *seg)[0], earth) - target, j.size)
            p_, v_ = _hermite(s_imp, dt[im], r_old[im], v_old[im], r[j], v[j], a_old[im], a_new[im])
            out["im_t"][j] = t_old[im] + s_imp * dt[im]
            out["im_r"][j], out["im_v"][j] = p_, v_
            sub_im = sub.subset(np.flatnonzero(ok)[im])
            a_new[im] = sub_im.accel(out["im_t"][j], p_, v_, sub_im.frozen_flags(t_old[im]))
            # a trajectory that never reached apogee (hit while climbing) gets none
            t[j], r[j], v[j] = out["im_t"][j], p_, v_
            active[j] = False
        timeout = t[acc] >= opts.max_time_s
        active[acc[timeout]] = False
        if record and acc.size:
            keep = active[acc] | (im if im.any() else np.zeros(acc.size, bool))
            a0k, a1k = a_old[keep].copy(), a_new[keep].copy()
            hist.append((acc[keep], t[acc][keep].copy(), r[acc][keep].copy(), v[acc][keep].copy(), a0k, a1k))
    out["n_steps"] = n_steps
    out["hist"] = hist
    return out


def resample(hist, n, im_t, sample_s):
    """Uniform samples every ``sample_s`` (plus the impact point) by Hermite interpolation."""
    ids = np.concatenate([hh[0] for hh in hist])
    ts = np.concatenate([hh[1] for hh in hist])
    rs = np.concatenate([hh[2] for hh in hist])
    vs = np.concatenate([hh[3] for hh in hist])
    a0s = np.concatenate([hh[4] for hh in hist])
    a1s = np.concatenate([hh[5] for hh in hist])
    order = np.lexsort((ts, ids))
    ids, ts, rs, vs, a0s, a1s = ids[order], ts[order], rs[order], vs[order], a0s[order], a1s[order]
    counts = np.bincount(ids, minlength=n)
    start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    t_end = ts[start + counts - 1]
    n_uni = np.floor(np.where(np.isfinite(t_end), t_end, 0.0) / sample_s - 1e-9).astype(int) + 1
    n_out = n_uni + 1
    T = int(n_out.max())
    t_out = np.full((n, T), np.nan)
    grid = np.arange(T)[None, :] * sample_s
    valid_uni = np.arange(T)[None, :] < n_uni[:, None]
    t_out = np.where(valid_uni, grid, np.nan)
    rows = np.arange(n)
    t_out[rows, n_uni] = t_end
    valid = np.arange(T)[None, :] < n_out[:, None]
    # locate each output time within its trajectory's steps: offset trick for one searchsorted
    big = (np.nanmax(ts) + 10.0) * 2.0
    key = ts + ids * big
    q = np.where(valid, t_out, 0.0) + rows[:, None] * big
    pos = np.searchsorted(key, q.ravel(), side="right") - 1
    pos = np.clip(pos, start.repeat(T), (start + counts - 2).clip(min=start).repeat(T))
    t0, t1 = ts[pos], ts[np.minimum(pos + 1, ts.size - 1)]
    same = (pos + 1 >= (start + counts).repeat(T)) | (t1 <= t0)
    dt = np.where(same, 1.0, t1 - t0)
    sfrac = np.where(same, 0.0, (q.ravel() - rows.repeat(T) * big - t0) / dt)
    sfrac = np.clip(sfrac, 0.0, 1.0)
    nxt = np.where(same, pos, np.minimum(pos + 1, ts.size - 1))
    p_, v_ = _hermite(sfrac, dt, rs[pos], vs[pos], rs[nxt], vs[nxt], a0s[nxt], a1s[nxt])
    p_ = p_.reshape(n, T, 3)
    v_ = v_.reshape(n, T, 3)
    p_[~valid] = np.nan
    v_[~valid] = np.nan
    return t_out, p_, v_, n_out

"""Iterations of the aim solver, all pairs of a batch at once.

* :func:`newton`: Newton (chord) iteration on (azimuth, loft[, energy]) with the impact
  point's east/north offsets from the target [and a shape condition] as residuals, so the
  Coriolis drift and the azimuth-range coupling of long lofted flights on a rotating Earth
  are solved together; forward-difference Jacobians are refreshed only where a step stalls.
* :func:`bracket_branch`: full energy, the loft on one branch of the range-versus-loft
  curve by Illinois regula falsi (:mod:`thaad.numeric`), the azimuth corrected as it goes.
* :func:`newton_gamma_only`: full energy, the loft whose burnout angle is the
  minimum-energy angle (secant).
"""

from __future__ import annotations

import numpy as np

from thaad.ballistics.aim_flyer import Controls, Flyer, Keeper, Solved, subset_ts
from thaad.trajectory import TrajectorySet
from thaad.numeric import illinois_point, illinois_update


def gamma_resid(fl: Flyer):
    """Shape residual of the minimum-energy condition, in units of its 0.05 deg tolerance."""
    tol = np.radians(0.05)

    def fn(todo, ts, f):
        return fl.gamma_residual(todo, ts, f) / tol, tol

    return fn


def apogee_resid(apogee, tol_m):
    """Shape residual of a given apogee, in units of ``tol_m``."""
    def fn(todo, ts, f):
        return (ts.apogee_alt_m - apogee[todo]) / tol_m, tol_m

    return fn


MAX_STEP_AZ, MAX_STEP_P, MAX_STEP_F = np.radians(20), np.radians(15), 0.25  # largest control change per step


def chord_step(jac, y):
    """Newton (chord) steps ``-J^-1 y`` for (N, k, k) Jacobians and (N, k) residuals
    (non-finite residuals count as 0); ``good`` (N,): the Jacobian was finite and
    non-singular and the step finite.  Steps are 0 where not ``good``."""
    m, k = y.shape
    rhs = np.where(np.isfinite(y), y, 0.0)
    with np.errstate(all="ignore"):
        good = np.all(np.isfinite(jac.reshape(m, -1)), axis=1) & (np.abs(np.linalg.det(np.where(np.isfinite(jac), jac, 0.0))) > 0)
        step = -np.linalg.solve(np.where(good[:, None, None], jac, np.eye(k)[None]), rhs[..., None])[..., 0]
    good &= np.all(np.isfinite(step), axis=1)
    return np.where(good[:, None], step, 0.0), good


def stepped(fl: Flyer, az, p, f, step_az, step_p, step_f):
    """Controls after a step, each step limited (``MAX_STEP_*``), loft and energy kept in
    the flyer's bounds."""
    return (az + np.clip(step_az, -MAX_STEP_AZ, MAX_STEP_AZ),
            np.clip(p + np.clip(step_p, -MAX_STEP_P, MAX_STEP_P), fl.p_lo, fl.p_hi),
            np.clip(f + np.clip(step_f, -MAX_STEP_F, MAX_STEP_F), fl.f_lo, 1.0))


NEAR_M = 3000.0  # a pair whose last miss was below this flies its next flight sampled (it will likely converge)


def newton(fl: Flyer, start: Controls, resid_fn, tol_m, max_iter, vary_f=True, jac0=None,
           keep: Keeper | None = None, first_hint=None, shape_tol: float = 1.0) -> Solved:
    """Newton (chord) iteration on (azimuth, loft[, energy]) for the impact point (east and
    north offsets from the target) [and a second residual, normalised by its tolerance].

    The azimuth is part of the system because on a rotating Earth the impact point moves
    with it in a strongly coupled way for long (lofted) flights.  Forward-difference
    Jacobians are computed at the first iteration and then only for pairs whose residual
    did not at least halve (one flight per pair and iteration otherwise).  Where the
    energy is pinned at full and more is wanted, the loft solves the second residual and
    the azimuth is turned toward the target (an out-of-reach target ends there).
    ``jac0`` (N, k, k): a starting Jacobian per pair (e.g. that of a nearby solved pair: the
    chord iteration then starts without finite differences); NaN rows are computed.
    ``keep``: pairs close to converging (last miss under ``NEAR_M``, shape residual under 5
    tolerances) fly with the caller's sampling, and those that converge on that flight are
    kept there (their final trajectory, not flown again).  ``first_hint`` (N,): expected
    flight times of a predicted start (with ``jac0``): those pairs fly their first flight
    sampled too (it is their final trajectory if it lands).  ``shape_tol``: the second
    residual's tolerance (1: its own unit).
    """
    c0 = start.copy()
    az, p, f = c0.az, c0.p, c0.f
    n = az.size
    k_dim = 3 if vary_f else 2
    conv = np.zeros(n, dtype=bool)
    gave_up = np.zeros(n, dtype=bool)
    miss = np.full(n, np.inf)
    jac = np.full((n, k_dim, k_dim), np.nan) if jac0 is None else np.array(jac0, dtype=float)
    t_imp = np.full(n, np.nan)
    if first_hint is not None and keep is not None:
        # a hint only sizes the sampled arrays: a margin, so that a flight a little longer than
        # predicted is not flown again
        t_imp = np.where(np.isfinite(jac[:, 0, 0]), 1.05 * np.asarray(first_hint, dtype=float) + 10.0, np.nan)
    s_last = np.full(n, np.inf)
    prev = np.full(n, np.inf)
    lam = np.ones(n)
    d_az = np.radians(0.2)
    it = 0
    for it in range(1, max_iter + 1):
        todo = np.flatnonzero(~conv & ~gave_up)
        if todo.size == 0:
            break
        fresh = ~np.isfinite(jac[todo, 0, 0])
        fr = todo[fresh]
        dp = np.where(p[fr] + np.radians(0.5) > fl.p_hi, -np.radians(0.5), np.radians(0.5))
        df = np.where(f[fr] + 0.01 > 1.0, -0.01, 0.01)
        m, k = todo.size, fr.size
        near = np.zeros(m, dtype=bool)
        if keep is not None:
            close = (miss[todo] < NEAR_M) & (np.abs(s_last[todo]) < 5.0)
            near = ~fresh & (close | (it == 1)) & np.isfinite(t_imp[todo])
        far = todo[~near]
        ii = [far, fr, fr] + ([fr] if vary_f else [])
        aa = [az[far], az[fr] + d_az, az[fr]] + ([az[fr]] if vary_f else [])
        pp = [p[far], p[fr], p[fr] + dp] + ([p[fr]] if vary_f else [])
        ff = [f[far], f[fr], f[fr]] + ([f[fr] + df] if vary_f else [])
        m_far = far.size
        if near.any():
            tn = todo[near]
            ts_near = fl.fly(tn, az[tn], p[tn], f[tn], final=True, end_hint_s=t_imp[tn])
            parts = [(np.flatnonzero(near), ts_near)]
            if m_far + k:
                ts = fl.fly(np.concatenate(ii), np.concatenate(aa), np.concatenate(pp), np.concatenate(ff))
                parts.append((np.flatnonzero(~near), subset_ts(ts, slice(0, m_far))))
                ts = subset_ts(ts, slice(m_far, None))  # the finite-difference flights follow from 0
            b = TrajectorySet.from_rows(m, parts, samples=False)
            m_off = 0
        else:
            ts = fl.fly(np.concatenate(ii), np.concatenate(aa), np.concatenate(pp), np.concatenate(ff))
            b = subset_ts(ts, slice(0, m))
            m_off = m
        r0, daz_naive, mis = fl.misses(todo, b)
        e0, n0 = fl.impact_offset(todo, b)
        s0 = resid_fn(todo, b, f[todo])[0] if resid_fn is not None else np.zeros(m)
        miss[todo] = mis
        t_imp[todo] = b.impact_time_s
        y0 = np.stack([e0, n0, s0][:k_dim], axis=1)
        if k:
            cols = []
            steps = [np.full(k, d_az), dp] + ([df] if vary_f else [])
            for c in range(k_dim):
                tc = subset_ts(ts, slice(m_off + c * k, m_off + (c + 1) * k))
                ec, nc = fl.impact_offset(fr, tc)
                fc = f[fr] + (df if (vary_f and c == 2) else 0.0)
                sc = resid_fn(fr, tc, fc)[0] if resid_fn is not None else np.zeros(k)
                yc = np.stack([ec, nc, sc][:k_dim], axis=1)
                cols.append((yc - y0[fresh]) / steps[c][:, None])
            jac[fr] = np.stack(cols, axis=2)
        good2 = np.abs(s0) <= shape_tol
        s_last[todo] = s0
        done = (mis <= tol_m) & good2
        conv[todo[done]] = True
        if near.any():  # converged on a sampled flight: that is the final trajectory
            kept = done[near]
            keep.add(todo[near][kept], ts_near, np.flatnonzero(kept), ts_rows=todo[near])
        # full energy, loft already optimal and still short: out of reach, stop iterating
        stuck = (f[todo] >= 1.0 - 1e-12) & good2 & (r0 < -tol_m) & (it > 2) & vary_f
        gave_up[todo[stuck]] = True
        done = done | stuck
        norm = np.nan_to_num(mis / tol_m + np.abs(s0), nan=np.inf, posinf=np.inf)
        slow = (norm > 0.5 * prev[todo]) & ~fresh
        # damping: halve the step while the residual does not fall (kinks such as staging
        # make range versus energy piecewise smooth), grow it back when it does
        worse = norm > 0.9 * prev[todo]
        lam[todo] = np.where(worse, np.maximum(lam[todo] * 0.5, 1.0 / 64), np.minimum(lam[todo] * 2.0, 1.0))
        prev[todo] = norm
        jt = jac[todo]
        step, good = chord_step(jt, y0)
        bad = ~good | ~np.all(np.isfinite(y0), axis=1)
        step = np.where(bad[:, None], 0.0, step)
        step_az, step_p = step[:, 0], step[:, 1]
        step_f = step[:, 2] if vary_f else np.zeros(m)
        # fall-backs: no impact -> less energy; otherwise naive azimuth turn toward the target
        if vary_f:
            step_f = np.where(bad & ~np.isfinite(r0), -0.1, step_f)
        step_az = np.where(bad, daz_naive, step_az)
        if vary_f:  # energy pinned at full: loft solves the second residual, azimuth turns
            pinned = (f[todo] >= 1.0 - 1e-12) & (step_f > 0)
            j_sp = jt[:, 2, 1] if k_dim == 3 else np.ones(m)
            with np.errstate(all="ignore"):
                alt_p = np.nan_to_num(-s0 / j_sp)
            step_p = np.where(pinned, alt_p, step_p)
            step_az = np.where(pinned, daz_naive, step_az)
            step_f = np.where(pinned, 0.0, step_f)
        step_az, step_p, step_f = (x * lam[todo] for x in (step_az, step_p, step_f))
        upd = ~done
        t_u = todo[upd]
        az[t_u], p[t_u], f[t_u] = stepped(fl, az[t_u], p[t_u], f[t_u], step_az[upd], step_p[upd], step_f[upd])
        jac[todo[(slow | bad) & ~done]] = np.nan  # refresh the Jacobian where the chord step stalled (converged pairs keep theirs: warm starts)
    return Solved(Controls(az, p, f), conv, miss, it, jacobian=jac, impact_time=t_imp)


def bracket_branch(fl: Flyer, az, p_a, p_b, tol_m, max_iter) -> Solved:
    """Full energy; find p in [p_a, p_b] (range(p_a) >= R >= range(p_b) expected) by
    Illinois regula falsi on the range excess, correcting the azimuth as it goes.
    ``bracketed``: pairs whose target lies between the two ends."""
    n = az.size
    idx = np.arange(n)
    f = np.ones(n)
    ts = fl.fly(np.concatenate([idx, idx]), np.concatenate([az, az]), np.concatenate([p_a, p_b]), np.ones(2 * n))
    ra, daz, _ = fl.misses(idx, subset_ts(ts, slice(0, n)))
    rb, _, _ = fl.misses(idx, subset_ts(ts, slice(n, 2 * n)))
    az = az + daz
    ra = np.where(np.isfinite(ra), ra, 1e9)
    rb = np.where(np.isfinite(rb), rb, 1e9)
    ok = (ra >= 0) & (rb <= 0)
    a, b = p_a.copy(), p_b.copy()
    conv = np.zeros(n, dtype=bool)
    miss = np.full(n, np.inf)
    p = 0.5 * (a + b)
    side = np.zeros(n)
    it = 0
    for it in range(1, max_iter + 1):
        todo = np.flatnonzero(ok & ~conv)
        if todo.size == 0:
            break
        pc = illinois_point(a[todo], b[todo], ra[todo], rb[todo])
        p[todo] = pc
        ts = fl.fly(todo, az[todo], pc, f[todo])
        rc, daz, mis = fl.misses(todo, ts)
        rc = np.where(np.isfinite(rc), rc, 1e9)
        miss[todo] = mis
        az[todo] += daz
        conv[todo[mis <= tol_m]] = True
        a[todo], b[todo], ra[todo], rb[todo], side[todo] = illinois_update(a[todo], b[todo], ra[todo], rb[todo],
                                                                         side[todo], pc, rc)
    return Solved(Controls(az, p, f), conv & ok, miss, it, bracketed=ok)


def newton_gamma_only(fl: Flyer, az, p, tol, max_iter, steer=True) -> Solved:
    """Full energy: loft such that the burnout angle is the Kepler optimum (secant in p)."""
    n = az.size
    f = np.ones(n)
    dp = np.radians(0.5)
    conv = np.zeros(n, dtype=bool)
    it = 0
    for it in range(1, max_iter + 1):
        todo = np.flatnonzero(~conv)
        if todo.size == 0:
            break
        ii = np.concatenate([todo, todo])
        ts = fl.fly(ii, np.concatenate([az[todo], az[todo]]), np.concatenate([p[todo], p[todo] + dp]), np.ones(2 * todo.size))
        m = todo.size
        g0 = fl.gamma_residual(todo, subset_ts(ts, slice(0, m)), f[todo])
        g1 = fl.gamma_residual(todo, subset_ts(ts, slice(m, 2 * m)), f[todo])
        _, daz, _ = fl.misses(todo, subset_ts(ts, slice(0, m)))
        done = np.abs(g0) <= tol
        conv[todo[done]] = True
        with np.errstate(all="ignore"):
            step = np.nan_to_num(np.clip(-g0 * dp / (g1 - g0), -np.radians(10), np.radians(10)))
        p[todo] = np.where(done, p[todo], np.clip(p[todo] + step, fl.p_lo, fl.p_hi))
        if steer:
            az[todo] = az[todo] + daz
    return Solved(Controls(az, p, f), conv, np.full(n, np.nan), it)

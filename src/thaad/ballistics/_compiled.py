"""Compiled flight kernel: the integrator of :mod:`thaad.ballistics.flight`, a few
trajectories in flight at once per thread (``LANES``), ranges of trajectories on parallel
threads (numba ``nogil``, cached to disk).

It is the same method, step for step, as the NumPy reference in ``flight._integrate``:
Dormand-Prince 5(4) with one step size per trajectory, steps clipped at staging, thrust
cut-off and the end of the vertical rise, FSAL reuse, apogee and impact located by
Illinois regula falsi on the quintic Hermite curve of the step.  The equations of motion
are those of ``forces.Problem.accel`` (:mod:`thaad.ballistics._kernel_forces`: J2 gravity,
Coriolis and centrifugal terms, drag with the tabulated atmosphere, thrust with the
pressure correction, the linear-pitch or gravity-turn programme).  The NumPy path stays
the reference; ``tests/test_ballistics_compiled.py`` checks that both agree.

Every function of the kernel is compiled without numba's reference counting (``_nrt=False``:
they allocate nothing): with it, each array handed to an inlined function cost an atomic
increment and decrement per call, about half the kernel's time; and with NumPy's error
model (``error_model="numpy"``): no zero-division test and branch at every division (the
kernel's divisors are non-zero or guarded).  This module imports numba
at import time: import it lazily (only when flying).
Why hand-written: the per-step cost of NumPy on arrays of a few dozen trajectories is
call overhead, not arithmetic (issue 9's profile); scipy's ``solve_ivp`` is per
trajectory and slower still.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from numba import njit

from thaad.geo_compiled import geodetic

from thaad.ballistics._kernel_forces import (P_A, P_ATOL, P_B, P_DRAG, P_E2, P_FIRST, P_GAMMA, P_GM, P_GT,
                                             P_J2, P_KD, P_MAXSTEP, P_MAXT, P_PRESS, P_RTOL, P_SPH, P_TOP, P_TV,
                                             P_W, alt_up, coast, powered)
from thaad.ballistics._kernel_step import (C1, C2, C3, C4, C5, _e, _herm, _illinois, _s1, _s2, _s3, _s4, _s5,
                                           _s6)

N_OUT = 23  # columns of ``out`` in :func:`integrate`


@njit(cache=True, _nrt=False, error_model="numpy")
def _stage_of(t, s_end, i):
    ns = s_end.shape[1]
    k = 0
    for q in range(ns):
        if s_end[i, q] <= t:
            k += 1
    return min(k, ns - 1)


LANES = 2  # trajectories advanced together by one thread, stage by stage (see integrate; 3 or 4: no faster)
# lane state columns: floats (ls) and integers (li)
F_T, F_H, F_KB, F_TLAST, F_HS, F_NEXT, F_R, F_V, F_FS, F_RN, F_VN = 0, 1, 2, 3, 4, 5, 6, 9, 12, 15, 18
N_LS = 21
I_IDX, I_NB, I_FSOK, I_RISE, I_BO, I_NIT, I_NS, I_CLIP, I_PW, I_K, I_VERT, I_KICK = range(12)
N_LI = 12


@njit(cache=True, inline="always", _nrt=False, error_model="numpy")
def _row(x, l, j):
    return (x[l, j, 0], x[l, j, 1], x[l, j, 2])


@njit(cache=True, inline="always", _nrt=False, error_model="numpy")
def _vec(ls, l, c):
    return (ls[l, c], ls[l, c + 1], ls[l, c + 2])


@njit(cache=True, nogil=True, _nrt=False, error_model="numpy")
def integrate(lo, hi_i, r0, v0, impact_alt, t_cut, loft, pn, beta, breaks, veh, s_end, s_start, m_start, mdot,
              thrust, exit_a, area, p, cdm, cdv, atm, rd, sample_s, n_t, out, t_out, pos_out, vel_out, lla_out, n_out,
              ls, li, kr, kv):
    """Fly trajectories ``lo`` to ``hi_i - 1`` to impact (releases the GIL: threads run
    ranges in parallel).  ``out`` (n, N_OUT): burnout t, r, v; apogee t, r, v; impact t, r,
    v; last recorded time; loop iterations.  With ``sample_s > 0`` also fills ``t_out (n,
    n_t)``, ``pos_out``/``vel_out (n, n_t, 3)``, their geodetic latitude, longitude and
    height ``lla_out (3, n, n_t)`` and ``n_out (n,)`` as ``flight._resample``
    does (uniform samples plus the impact point; a flight longer than ``n_t`` allows gets
    ``n_out = -1``).

    ``LANES`` trajectories are in flight at once (scratch ``ls (LANES, N_LS)``, ``li
    (LANES, N_LI)``, ``kr``/``kv (LANES, 7, 3)``): each step computes stage ``s`` of every
    lane before stage ``s + 1``, so that the processor overlaps the evaluations of different
    trajectories (one trajectory's stages form a chain of dependent divisions, square roots
    and table look-ups); a lane that lands takes the next trajectory of the range.  Every
    trajectory takes exactly the steps it takes alone (the same numbers: one lane's ~17%
    slower per coasting step).  One right-hand-side site: the inlined :func:`coast` or
    :func:`powered`."""
    nb = breaks.shape[1]
    gm, j2k, w = p[P_GM], 1.5 * p[P_J2] * p[P_A] * p[P_A], p[P_W]
    sph, a, b = p[P_SPH] != 0.0, p[P_A], p[P_B]
    ab2 = a * a - b * b
    ez = 1.0 if sph else 1.0 / (1.0 - p[P_E2])  # the ellipsoid normal is along (x, y, z ez)
    z0, dz = atm[0, 0], 1.0 / atm[0, 1]
    umax = atm.shape[1] - 1.000001
    top = p[P_TOP]
    rtol, atol, maxstep, maxt = p[P_RTOL], p[P_ATOL], p[P_MAXSTEP], p[P_MAXT]
    tv, kd_t = p[P_TV], p[P_KD]
    ap_kind, im_kind = np.int64(0), np.int64(1)  # not literals: numba compiles _illinois once, not per literal
    nxt = lo
    for l in range(LANES):
        li[l, I_IDX] = -1
    while True:
        # begin a step in every lane (a free lane first takes the next trajectory)
        active = 0
        for l in range(LANES):
            if li[l, I_IDX] < 0 and nxt < hi_i:
                i = nxt
                nxt += 1
                li[l, I_IDX] = i
                ls[l, F_KB] = 0.5 / beta[i] if (p[P_DRAG] != 0.0 and beta[i] > 0.0) else 0.0
                for c in range(3):
                    ls[l, F_R + c] = r0[i, c]
                    ls[l, F_V + c] = v0[i, c]
                    ls[l, F_FS + c] = 0.0
                ls[l, F_T] = 0.0
                ls[l, F_H] = p[P_FIRST]
                ls[l, F_TLAST] = 0.0
                li[l, I_NB] = 0
                li[l, I_FSOK] = 0
                for c in range(N_OUT):
                    out[i, c] = np.nan
                li[l, I_BO] = t_cut[i] <= 0.0
                if t_cut[i] <= 0.0:
                    out[i, 0] = 0.0
                    for c in range(3):
                        out[i, 1 + c] = r0[i, c]
                        out[i, 4 + c] = v0[i, c]
                li[l, I_RISE] = r0[i, 0] * v0[i, 0] + r0[i, 1] * v0[i, 1] + r0[i, 2] * ez * v0[i, 2] > 0
                li[l, I_NIT] = 0
                li[l, I_NS] = 0  # uniform samples written
                if sample_s > 0:
                    t_out[i, 0] = 0.0
                    for c in range(3):
                        pos_out[i, 0, c] = r0[i, c]
                        vel_out[i, 0, c] = v0[i, c]
                    li[l, I_NS] = 1
            i = li[l, I_IDX]
            if i < 0:
                continue
            active += 1
            t, h, nbreak = ls[l, F_T], ls[l, F_H], li[l, I_NB]
            next_break = breaks[i, min(nbreak, nb - 1)] if nbreak < nb else np.inf
            hs = min(min(h, maxstep), maxt + 1.0 - t)
            clipped = next_break - t <= hs * (1 + 1e-12)
            if clipped:
                hs = next_break - t
            vertical = t < tv - 1e-9
            ls[l, F_HS], ls[l, F_NEXT] = hs, next_break
            li[l, I_CLIP], li[l, I_PW], li[l, I_VERT] = clipped, t < t_cut[i] - 1e-9, vertical
            li[l, I_K] = _stage_of(t + 1e-9, s_end, i) if veh else 0
            li[l, I_KICK] = (not vertical) and (t < tv + kd_t - 1e-9)
            for c in range(3):
                kr[l, 0, c] = ls[l, F_V + c]
                kv[l, 0, c] = ls[l, F_FS + c]
        if active == 0:
            break
        # the Dormand-Prince stages, lane after lane within a stage, one right-hand side written once
        # (stage 0 reused from the last step where it can: FSAL); the position stages' slopes are the
        # velocity stages
        for s in range(7):
            for l in range(LANES):
                i = li[l, I_IDX]
                if i < 0 or (s == 0 and li[l, I_FSOK] != 0):
                    continue
                t, hs = ls[l, F_T], ls[l, F_HS]
                r, v = _vec(ls, l, F_R), _vec(ls, l, F_V)
                if s == 0:
                    ts, R, V = t, r, v
                elif s == 1:
                    ts, R, V = t + C1 * hs, _s1(r, hs, v), _s1(v, hs, _row(kv, l, 0))
                elif s == 2:
                    ts, R, V = t + C2 * hs, _s2(r, hs, v, _row(kr, l, 1)), _s2(v, hs, _row(kv, l, 0), _row(kv, l, 1))
                elif s == 3:
                    ts = t + C3 * hs
                    R = _s3(r, hs, v, _row(kr, l, 1), _row(kr, l, 2))
                    V = _s3(v, hs, _row(kv, l, 0), _row(kv, l, 1), _row(kv, l, 2))
                elif s == 4:
                    ts = t + C4 * hs
                    R = _s4(r, hs, v, _row(kr, l, 1), _row(kr, l, 2), _row(kr, l, 3))
                    V = _s4(v, hs, _row(kv, l, 0), _row(kv, l, 1), _row(kv, l, 2), _row(kv, l, 3))
                elif s == 5:
                    ts = t + C5 * hs
                    R = _s5(r, hs, v, _row(kr, l, 1), _row(kr, l, 2), _row(kr, l, 3), _row(kr, l, 4))
                    V = _s5(v, hs, _row(kv, l, 0), _row(kv, l, 1), _row(kv, l, 2), _row(kv, l, 3), _row(kv, l, 4))
                else:  # the 5th-order solution (B = A[6])
                    ts = t + hs
                    R = _s6(r, hs, v, _row(kr, l, 2), _row(kr, l, 3), _row(kr, l, 4), _row(kr, l, 5))
                    V = _s6(v, hs, _row(kv, l, 0), _row(kv, l, 2), _row(kv, l, 3), _row(kv, l, 4), _row(kv, l, 5))
                if li[l, I_PW] != 0:
                    acc = powered(ts, R[0], R[1], R[2], V[0], V[1], V[2], i, li[l, I_K], li[l, I_VERT] != 0,
                                  li[l, I_KICK] != 0, p, t_cut, loft, pn, m_start, s_start, mdot, thrust, exit_a, area,
                                  cdm, cdv, atm)
                else:
                    acc = coast(R[0], R[1], R[2], V[0], V[1], V[2], gm, j2k, w, sph, a, b, ab2, ls[l, F_KB], z0, dz,
                                umax, top, rd)
                for c in range(3):
                    kv[l, s, c] = acc[c]
                    kr[l, s, c] = V[c]
                    if s == 6:
                        ls[l, F_RN + c] = R[c]
                        ls[l, F_VN + c] = V[c]
        # end the step in every lane: error, step size, events, output
        for l in range(LANES):
            i = li[l, I_IDX]
            if i < 0:
                continue
            t, hs, h, next_break = ls[l, F_T], ls[l, F_HS], ls[l, F_H], ls[l, F_NEXT]
            clipped, pw = li[l, I_CLIP] != 0, li[l, I_PW] != 0
            r, v, rn, vn = _vec(ls, l, F_R), _vec(ls, l, F_V), _vec(ls, l, F_RN), _vec(ls, l, F_VN)
            a0, a6 = _row(kv, l, 0), _row(kv, l, 6)
            err = 0.0
            for c in range(3):
                scr = atol + rtol * max(abs(r[c]), abs(rn[c]))
                scv = atol + rtol * max(abs(v[c]), abs(vn[c]))
                er = _e(v, _row(kr, l, 2), _row(kr, l, 3), _row(kr, l, 4), _row(kr, l, 5), vn, c)
                ev = _e(a0, _row(kv, l, 2), _row(kv, l, 3), _row(kv, l, 4), _row(kv, l, 5), a6, c)
                err += (hs * er / scr) ** 2 + (hs * ev / scv) ** 2
            err = math.sqrt(err / 6.0)
            ok = err <= 1.0
            fac = 0.9 * max(err, 1e-10) ** -0.2 if err > 0 else 10.0
            h_prop = h
            if ok:
                h = hs * min(max(fac, 0.2), 10.0)
                if clipped:
                    h = max(h, h_prop)
            else:
                h = hs * min(max(fac, 0.2), 1.0)
            ls[l, F_H] = h
            li[l, I_NIT] += 1
            if not ok:
                for c in range(3):
                    ls[l, F_FS + c] = a0[c]
                li[l, I_FSOK] = 1
                continue
            for c in range(3):
                ls[l, F_FS + c] = a6[c]
            li[l, I_FSOK] = not clipped
            t_old = t
            dt = hs
            ro, vo, ao, an = r, v, a0, a6
            r, v = rn, vn
            t = next_break if clipped else t_old + dt
            if clipped:
                li[l, I_NB] += 1
            tc, imp = t_cut[i], impact_alt[i]
            if li[l, I_BO] == 0 and t >= tc - 1e-9:
                li[l, I_BO] = 1
                out[i, 0] = t
                for c in range(3):
                    out[i, 1 + c] = r[c]
                    out[i, 4 + c] = v[c]
            # the sign of the rate of climb along the ellipsoid normal; the height only near the ground
            # (|r| above a + imp + 1 m: higher than imp, the ellipsoid being inside the sphere of radius a)
            vr_new = r[0] * v[0] + r[1] * v[1] + r[2] * ez * v[2]
            coasting = t >= tc - 1e-9
            if li[l, I_RISE] != 0 and vr_new <= 0 and coasting:
                sb = _illinois(ap_kind, dt, ro, vo, r, v, ao, an, 0.0, p)
                out[i, 7] = t_old + sb * dt
                for c in range(3):
                    out[i, 8 + c], out[i, 11 + c] = _herm(sb, dt, ro, vo, r, v, ao, an, c)
            if coasting:
                li[l, I_RISE] = vr_new > 0
            else:
                li[l, I_RISE] = li[l, I_RISE] != 0 or vr_new > 0
            impact = (vr_new < 0 and t > 1.0 and r[0] * r[0] + r[1] * r[1] + r[2] * r[2] <= (a + imp + 1.0) ** 2
                      and alt_up(r[0], r[1], r[2], p)[0] <= imp)
            if impact:
                si = _illinois(im_kind, dt, ro, vo, r, v, ao, an, imp, p)
                ti = t_old + si * dt
                ix, vix = _herm(si, dt, ro, vo, r, v, ao, an, 0)
                iy, viy = _herm(si, dt, ro, vo, r, v, ao, an, 1)
                iz, viz = _herm(si, dt, ro, vo, r, v, ao, an, 2)
                r, v = (ix, iy, iz), (vix, viy, viz)
                if sample_s > 0:  # the end acceleration of the shortened step (Hermite samples)
                    if pw:
                        an = powered(ti, r[0], r[1], r[2], v[0], v[1], v[2], i, li[l, I_K], li[l, I_VERT] != 0,
                                     li[l, I_KICK] != 0, p, t_cut, loft, pn, m_start, s_start, mdot, thrust, exit_a,
                                     area, cdm, cdv, atm)
                    else:
                        an = coast(r[0], r[1], r[2], v[0], v[1], v[2], gm, j2k, w, sph, a, b, ab2, ls[l, F_KB], z0, dz,
                                   umax, top, rd)
                out[i, 14] = ti
                for c in range(3):
                    out[i, 15 + c] = r[c]
                    out[i, 18 + c] = v[c]
                t = ti
            for c in range(3):
                ls[l, F_R + c] = r[c]
                ls[l, F_V + c] = v[c]
            ls[l, F_T] = t
            timeout = t >= maxt
            n_s = li[l, I_NS]
            overflow = False
            if impact or not timeout:  # a recorded step: [t_old, t]
                ls[l, F_TLAST] = t
                if sample_s > 0:
                    dts = t - t_old
                    while n_s * sample_s < t:
                        if n_s >= n_t - 1:
                            overflow = True
                            break
                        sf = (n_s * sample_s - t_old) / dts if dts > 0 else 0.0
                        sf = min(max(sf, 0.0), 1.0)
                        t_out[i, n_s] = n_s * sample_s
                        for c in range(3):
                            pos_out[i, n_s, c], vel_out[i, n_s, c] = _herm(sf, dts, ro, vo, r, v, ao, an, c)
                        n_s += 1
                    li[l, I_NS] = n_s
            if not (impact or timeout or overflow):
                continue
            # this trajectory is done: the lane is free
            li[l, I_IDX] = -1
            t_last = ls[l, F_TLAST]
            out[i, 21] = t_last
            out[i, 22] = li[l, I_NIT]
            if sample_s > 0:
                if overflow:
                    n_out[i] = -1
                    continue
                n_uni = int(math.floor(t_last / sample_s - 1e-9)) + 1
                n_uni = min(n_uni, n_s)
                t_out[i, n_uni] = t_last
                for c in range(3):
                    pos_out[i, n_uni, c] = r[c]
                    vel_out[i, n_uni, c] = v[c]
                for q in range(n_uni + 1):
                    lla_out[0, i, q], lla_out[1, i, q], lla_out[2, i, q] = geodetic(
                        pos_out[i, q, 0], pos_out[i, q, 1], pos_out[i, q, 2], a, b, p[P_E2], sph)
                for q in range(n_uni + 1, n_t):
                    t_out[i, q] = np.nan
                    for c in range(3):
                        pos_out[i, q, c] = np.nan
                        vel_out[i, q, c] = np.nan
                        lla_out[c, i, q] = np.nan
                n_out[i] = n_uni + 1
    return 0


def _params(prob, opts) -> np.ndarray:
    from thaad import atmosphere

    e = opts.earth
    p = np.zeros(19)
    p[P_GM], p[P_J2], p[P_A], p[P_B], p[P_E2] = e.gm_m3_s2, (e.j2 if opts.j2 else 0.0), e.a_m, e.b_m, e.e2
    p[P_SPH], p[P_W], p[P_DRAG], p[P_GT] = float(e.is_spherical), prob.w, float(opts.drag), float(prob.gravity_turn)
    p[P_TV], p[P_KD], p[P_PRESS] = opts.vertical_rise_s, opts.kick_duration_s, float(opts.pressure_thrust)
    p[P_RTOL], p[P_ATOL], p[P_MAXSTEP], p[P_FIRST], p[P_MAXT] = (opts.rtol, opts.atol, opts.max_step_s,
                                                                 opts.first_step_s, opts.max_time_s)
    p[P_GAMMA], p[P_TOP] = atmosphere.GAMMA_AIR, atmosphere.LOOKUP_TOP_M
    return p


@lru_cache(maxsize=1)
def _atmosphere_table() -> np.ndarray:
    from thaad import atmosphere

    z0, dz, lr, dlr, a, da = atmosphere.lookup()
    atm = np.zeros((6, lr.size))
    atm[0, 0], atm[0, 1] = z0, dz
    atm[1], atm[2], atm[3], atm[4], atm[5] = lr, dlr, a, da, np.exp(lr)
    return atm


@lru_cache(maxsize=1)
def _density_pairs() -> np.ndarray:
    """``(n, 2)``: density and the step of its logarithm per grid point, side by side (coast's table)."""
    atm = _atmosphere_table()
    return np.ascontiguousarray(np.stack([atm[5], atm[2]], axis=1))


def _in_parallel(args, n: int) -> None:
    """Run :func:`integrate` over ``n`` trajectories in contiguous ranges on the cores
    (:func:`thaad.threads.in_threads`; the kernel releases the GIL), four ranges per thread
    for balance.  Written by hand rather than with ``prange``: a ``parallel=True`` kernel of
    this size takes numba tens of seconds to compile, and the first ``make demo`` pays that."""
    from thaad.threads import in_threads

    def part(lo, hi):  # each range its own lane scratch
        integrate(lo, hi, *args, np.empty((LANES, N_LS)), np.empty((LANES, N_LI), np.int64), np.empty((LANES, 7, 3)),
                  np.empty((LANES, 7, 3)))

    in_threads(part, n, min_rows=16, blocks_per_thread=4)


def _sampled_pass(args, n: int, ds: float, n_t: int, out):
    """One pass of :func:`integrate` writing samples every ``ds`` into arrays ``n_t`` wide:
    ``(t_s, pos, vel, lat/lon/height, n_out)``."""
    arrays = (np.empty((n, n_t)), np.empty((n, n_t, 3)), np.empty((n, n_t, 3)), np.empty((3, n, n_t)),
              np.empty(n, np.int64))
    _in_parallel((*args, ds, n_t, out, *arrays), n)
    return arrays


def run_compiled(prob, r0, v0, impact_alt, opts, end_hint_s=None) -> dict:
    """Fly a :class:`thaad.ballistics.forces.Problem` with the compiled kernel; returns the
    same dictionary as :func:`thaad.ballistics.stepper.integrate`, plus the sampled
    trajectories when ``opts.sample_s`` is set.  Sampled output needs each flight's end to
    size its arrays: from ``end_hint_s`` (N,) when given (e.g. the impact times of an
    unsampled flight with the same controls; one pass), else from a first unsampled pass;
    a flight that outruns its hint is flown again the second way."""
    n = r0.shape[0]
    f = np.ascontiguousarray
    veh = prob.vehicle is not None
    if veh:
        st = [f(getattr(prob, k), dtype=float) for k in ("stage_end", "stage_start", "m_start", "mdot", "thrust_vac",
                                                          "exit_area")]
        area = f(prob.area, dtype=float)
    else:
        st = [np.zeros((n, 1)) for _ in range(6)]
        area = np.zeros(n)
    args = (f(r0, dtype=float), f(v0, dtype=float), f(impact_alt, dtype=float), f(prob.t_cut, dtype=float),
            f(prob.loft, dtype=float), f(prob.plane_n, dtype=float), f(prob.beta, dtype=float),
            f(prob.breaks, dtype=float), veh, *st, area, _params(prob, opts), f(prob.cd_m, dtype=float),
            f(prob.cd_v, dtype=float), _atmosphere_table(), _density_pairs())
    out = np.empty((n, N_OUT))
    ds = None if opts.sample_s is None or not n else float(opts.sample_s)
    hint = None if end_hint_s is None else np.asarray(end_hint_s, dtype=float)
    if ds is not None and hint is not None and np.isfinite(hint).all():
        sampled = _sampled_pass(args, n, ds, int(np.max(np.floor(hint / ds))) + 4, out)
        if (sampled[-1] < 0).any():  # outran the hint: fly everything the two-pass way
            return run_compiled(prob, r0, v0, impact_alt, opts)
    else:
        _in_parallel((*args, 0.0, 1, out, np.empty((1, 1)), np.empty((1, 1, 3)), np.empty((1, 1, 3)),
                      np.empty((3, 1, 1)), np.empty(1, np.int64)), n)
        sampled = None
        if ds is not None:
            n_t = int(np.max(np.floor(out[:, 21] / ds - 1e-9))) + 2
            sampled = _sampled_pass(args, n, ds, n_t, np.empty((n, N_OUT)))
    res = {"bo_t": out[:, 0], "bo_r": out[:, 1:4], "bo_v": out[:, 4:7], "ap_t": out[:, 7], "ap_r": out[:, 8:11],
           "ap_v": out[:, 11:14], "im_t": out[:, 14], "im_r": out[:, 15:18], "im_v": out[:, 18:21],
           "n_steps": int(np.max(out[:, 22])) if n else 0, "hist": None, "raw": out}
    if sampled is not None:
        t_s, pos, vel, lla, n_out = sampled
        # the arrays as written (C-contiguous: the radar and engagement kernels take them without a copy); a
        # hinted pass leaves a few NaN columns past the longest flight, which the set's padding allows
        res.update(t_s=t_s, pos=pos, vel=vel, lat=lla[0], lon=lla[1], alt=lla[2], n_out=n_out)
    return res

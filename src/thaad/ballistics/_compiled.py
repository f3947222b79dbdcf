"""Compiled flight kernel: the integrator of :mod:`thaad.ballistics.flight`, ``LANES``
trajectories in flight at once per thread with each stage of all of them computed together
in SIMD loops (:mod:`thaad.ballistics._kernel_lanes`), one kernel per core, the threads
taking trajectories from one shared queue (numba ``nogil``, cached to disk).

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
from numba.core import cgutils, types
from numba.extending import intrinsic

from thaad.geo_compiled import geodetic

from thaad.ballistics._kernel_forces import (P_A, P_ATOL, P_B, P_DRAG, P_E2, P_FIRST, P_GAMMA, P_GM, P_GT,
                                             P_J2, P_KD, P_MAXSTEP, P_MAXT, P_PRESS, P_RTOL, P_SPH, P_TOP, P_TV,
                                             P_W, alt_up, coast_call, powered, powered_call)
from thaad.ballistics._kernel_lanes import coast_lanes, stage_state, step_control
from thaad.ballistics._kernel_step import C1, C2, C3, C4, C5, _herm_pos, _herm_vel, _illinois

N_OUT = 23  # columns of ``out`` in :func:`integrate`


@njit(cache=True, _nrt=False, error_model="numpy")
def _stage_of(t, s_end, i):
    ns = s_end.shape[1]
    k = 0
    for q in range(ns):
        if s_end[i, q] <= t:
            k += 1
    return min(k, ns - 1)


LANES = 32  # trajectories in flight at once per thread (see integrate; the lane loops run 4 per SIMD instruction;
# 32 rather than 16: the loops' fixed costs, about 10%)
# lane state rows: floats (ls) and integers (li), one column per lane
F_T, F_H, F_KB, F_TLAST, F_HS, F_NEXT, F_ERR = range(7)
N_LS = 7
I_IDX, I_NB, I_FSOK, I_RISE, I_BO, I_NIT, I_NS, I_CLIP, I_PW, I_K, I_VERT, I_KICK = range(12)
N_LI = 12


@njit(cache=True, inline="always", _nrt=False, error_model="numpy")
def _col(x, l, c):
    """``(x[c, l], x[c + 1, l], x[c + 2, l])``."""
    return (x[c, l], x[c + 1, l], x[c + 2, l])


@njit(cache=True, inline="always", _nrt=False, error_model="numpy")
def _kcol(K, j, l, c):
    return (K[j, c, l], K[j, c + 1, l], K[j, c + 2, l])


@intrinsic
def _take(typingctx, queue):
    """``queue[0] += 1`` atomically (a ``lock xadd``), returning the value before: the next
    trajectory to fly, for the thread that asked (numba has no atomics of its own on the CPU)."""
    if isinstance(queue, types.Array) and queue.dtype == types.int64:
        def codegen(context, builder, sig, args):
            ary = context.make_array(sig.args[0])(context, builder, args[0])
            ptr = cgutils.get_item_pointer(context, builder, sig.args[0], ary, [context.get_constant(types.intp, 0)])
            return builder.atomic_rmw("add", ptr, context.get_constant(types.int64, 1), "monotonic")

        return types.int64(queue), codegen


@njit(cache=True, nogil=True, _nrt=False, error_model="numpy")
def integrate(queue, hi_i, r0, v0, impact_alt, t_cut, loft, pn, beta, breaks, veh, s_end, s_start, m_start, mdot,
              thrust, exit_a, area, p, cdm, cdv, atm, rd, sample_s, n_t, out, t_out, pos_out, vel_out, lla_out, n_out,
              ls, li, Y, YN, S, K, W, G):
    """Fly trajectories ``queue[0]`` to ``hi_i - 1`` to impact, taking them one at a time from
    the queue ``queue`` (``(1,)`` int64, advanced atomically: threads running this kernel on
    the same queue share the trajectories as they free up; the kernel releases the GIL).
    ``out`` (n, N_OUT): burnout t, r, v; apogee t, r, v; impact t, r,
    v; last recorded time; loop iterations.  With ``sample_s > 0`` also fills ``t_out (n,
    n_t)``, ``pos_out``/``vel_out (n, n_t, 3)``, their geodetic latitude, longitude and
    height ``lla_out (3, n, n_t)`` and ``n_out (n,)`` as ``flight._resample``
    does (uniform samples plus the impact point; a flight longer than ``n_t`` allows gets
    ``n_out = -1``); ``G (3, n_t)``: scratch for a trajectory's sample positions, coordinate
    by coordinate (the geodetic conversion then vectorises).

    ``L`` trajectories (lanes) are in flight at once: scratch ``ls (N_LS, L)``, ``li (N_LI,
    L)``, states ``Y``/``YN``/``S (6, L)``, stage slopes ``K (7, 6, L)``, ``W (4, L)``
    (:mod:`thaad.ballistics._kernel_lanes`).  Each step computes stage ``s`` of every lane
    before stage ``s + 1``, the free-flight right-hand side of all lanes in SIMD loops
    (powered lanes then overwritten one by one with :func:`powered`); the step's start
    and end (error, step size, events, output) are per lane.  A lane that lands takes the
    next trajectory of the range; a free lane keeps its last state (harmless numbers in the
    vector loops).  Every trajectory takes exactly the steps it takes alone, with the same
    numbers."""
    nl = Y.shape[1]
    nb = breaks.shape[1]
    gm, j2k, w = p[P_GM], 1.5 * p[P_J2] * p[P_A] * p[P_A], p[P_W]
    sph, a, b = p[P_SPH] != 0.0, p[P_A], p[P_B]
    ep2 = (a * a - b * b) / (b * b)  # the second eccentricity squared
    ez = 1.0 if sph else 1.0 / (1.0 - p[P_E2])  # the ellipsoid normal is along (x, y, z ez)
    z0, dz = atm[0, 0], 1.0 / atm[0, 1]
    umax = atm.shape[1] - 1.000001
    top = p[P_TOP]
    rtol, atol, maxstep, maxt = p[P_RTOL], p[P_ATOL], p[P_MAXSTEP], p[P_MAXT]
    tv, kd_t = p[P_TV], p[P_KD]
    ap_kind, im_kind = np.int64(0), np.int64(1)  # not literals: numba compiles _illinois once, not per literal
    hs_l, kb_l, err_l = ls[F_HS], ls[F_KB], ls[F_ERR]
    more = True  # trajectories left in the queue
    i = 0
    for l in range(nl):  # free lanes: a harmless state (2 Earth radii out, at rest, no drag)
        li[I_IDX, l] = -1
        li[I_PW, l] = 0
        hs_l[l], kb_l[l] = 0.0, 0.0
        for c in range(6):
            Y[c, l] = 2.0 * a if c == 0 else 0.0
            for j in range(7):
                K[j, c, l] = 0.0
    while True:
        # begin a step in every lane (a free lane first takes the next trajectory)
        active = 0
        any_pw = False
        for l in range(nl):
            if li[I_IDX, l] < 0 and more:
                i = _take(queue)
                more = i < hi_i
            if li[I_IDX, l] < 0 and more:
                li[I_IDX, l] = i
                kb_l[l] = 0.5 / beta[i] if (p[P_DRAG] != 0.0 and beta[i] > 0.0) else 0.0
                for c in range(3):
                    Y[c, l] = r0[i, c]
                    Y[3 + c, l] = v0[i, c]
                ls[F_T, l] = 0.0
                ls[F_H, l] = p[P_FIRST]
                ls[F_TLAST, l] = 0.0
                li[I_NB, l] = 0
                li[I_FSOK, l] = 0
                for c in range(N_OUT):
                    out[i, c] = np.nan
                li[I_BO, l] = t_cut[i] <= 0.0
                if t_cut[i] <= 0.0:
                    out[i, 0] = 0.0
                    for c in range(3):
                        out[i, 1 + c] = r0[i, c]
                        out[i, 4 + c] = v0[i, c]
                li[I_RISE, l] = r0[i, 0] * v0[i, 0] + r0[i, 1] * v0[i, 1] + r0[i, 2] * ez * v0[i, 2] > 0
                li[I_NIT, l] = 0
                li[I_NS, l] = 0  # uniform samples written
                if sample_s > 0:
                    t_out[i, 0] = 0.0
                    for c in range(3):
                        pos_out[i, 0, c] = r0[i, c]
                        vel_out[i, 0, c] = v0[i, c]
                    li[I_NS, l] = 1
            i = li[I_IDX, l]
            if i < 0:
                hs_l[l] = 0.0
                li[I_PW, l] = 0
                continue
            active += 1
            t, h, nbreak = ls[F_T, l], ls[F_H, l], li[I_NB, l]
            next_break = breaks[i, min(nbreak, nb - 1)] if nbreak < nb else np.inf
            hs = min(min(h, maxstep), maxt + 1.0 - t)
            clipped = next_break - t <= hs * (1 + 1e-12)
            if clipped:
                hs = next_break - t
            vertical = t < tv - 1e-9
            pw = t < t_cut[i] - 1e-9
            any_pw = any_pw or pw
            hs_l[l], ls[F_NEXT, l] = hs, next_break
            li[I_CLIP, l], li[I_PW, l], li[I_VERT, l] = clipped, pw, vertical
            li[I_K, l] = _stage_of(t + 1e-9, s_end, i) if veh else 0
            li[I_KICK, l] = (not vertical) and (t < tv + kd_t - 1e-9)
            if li[I_FSOK, l] == 0:  # stage 0 (else reused from the last step: FSAL)
                for c in range(3):
                    K[0, c, l] = Y[3 + c, l]
                if pw:
                    acc = powered_call(t, Y[0, l], Y[1, l], Y[2, l], Y[3, l], Y[4, l], Y[5, l], i, li[I_K, l], vertical,
                                  li[I_KICK, l] != 0, p, t_cut, loft, pn, m_start, s_start, mdot, thrust, exit_a,
                                  area, cdm, cdv, atm)
                else:
                    acc = coast_call(Y[0, l], Y[1, l], Y[2, l], Y[3, l], Y[4, l], Y[5, l], gm, j2k, w, sph, a, ep2,
                                kb_l[l], z0, dz, umax, top, rd)
                for c in range(3):
                    K[0, 3 + c, l] = acc[c]
        if active == 0:
            break
        # stages 1 to 6 of every lane together: the free-flight right-hand side in SIMD loops, then
        # the powered lanes' one by one (stage 6 is the 5th-order solution, into YN)
        for s in range(1, 7):
            dst = YN if s == 6 else S
            stage_state(s, Y, K, hs_l, dst)
            coast_lanes(s, dst, K, W, kb_l, gm, j2k, w, sph, a, ep2, z0, dz, umax, top, rd)
            if any_pw:
                cs = C1 if s == 1 else C2 if s == 2 else C3 if s == 3 else C4 if s == 4 else C5 if s == 5 else 1.0
                for l in range(nl):
                    if li[I_PW, l] == 0:
                        continue
                    acc = powered(ls[F_T, l] + cs * hs_l[l], dst[0, l], dst[1, l], dst[2, l], dst[3, l], dst[4, l],
                                  dst[5, l], li[I_IDX, l], li[I_K, l], li[I_VERT, l] != 0, li[I_KICK, l] != 0, p, t_cut,
                                  loft, pn, m_start, s_start, mdot, thrust, exit_a, area, cdm, cdv, atm)
                    for c in range(3):
                        K[s, 3 + c, l] = acc[c]
        step_control(Y, YN, K, hs_l, ls[F_H], li[I_CLIP], atol, rtol, err_l)
        # end the step in every lane: events, output
        for l in range(nl):
            i = li[I_IDX, l]
            if i < 0:
                continue
            t, hs, next_break = ls[F_T, l], hs_l[l], ls[F_NEXT, l]
            clipped, pw = li[I_CLIP, l] != 0, li[I_PW, l] != 0
            ok = err_l[l] <= 1.0  # (the next step, ls[F_H], set by step_control)
            li[I_NIT, l] += 1
            if not ok:  # the same start again: stage 0 kept
                li[I_FSOK, l] = 1
                continue
            ro, vo, ao = _col(Y, l, 0), _col(Y, l, 3), _kcol(K, 0, l, 3)
            r, v, an = _col(YN, l, 0), _col(YN, l, 3), _kcol(K, 6, l, 3)
            for c in range(6):
                K[0, c, l] = K[6, c, l]
            li[I_FSOK, l] = not clipped
            t_old = t
            dt = hs
            t = next_break if clipped else t_old + dt
            if clipped:
                li[I_NB, l] += 1
            tc, imp = t_cut[i], impact_alt[i]
            if li[I_BO, l] == 0 and t >= tc - 1e-9:
                li[I_BO, l] = 1
                out[i, 0] = t
                for c in range(3):
                    out[i, 1 + c] = r[c]
                    out[i, 4 + c] = v[c]
            # the sign of the rate of climb along the ellipsoid normal; the height only near the ground
            # (|r| above a + imp + 1 m: higher than imp, the ellipsoid being inside the sphere of radius a)
            vr_new = r[0] * v[0] + r[1] * v[1] + r[2] * ez * v[2]
            coasting = t >= tc - 1e-9
            if li[I_RISE, l] != 0 and vr_new <= 0 and coasting:
                sb = _illinois(ap_kind, dt, ro, vo, r, v, ao, an, 0.0, p)
                out[i, 7] = t_old + sb * dt
                pa, va = _herm_pos(sb, dt, ro, vo, r, v, ao, an), _herm_vel(sb, dt, ro, vo, r, v, ao, an)
                for c in range(3):
                    out[i, 8 + c], out[i, 11 + c] = pa[c], va[c]
            if coasting:
                li[I_RISE, l] = vr_new > 0
            else:
                li[I_RISE, l] = li[I_RISE, l] != 0 or vr_new > 0
            impact = (vr_new < 0 and t > 1.0 and r[0] * r[0] + r[1] * r[1] + r[2] * r[2] <= (a + imp + 1.0) ** 2
                      and alt_up(r[0], r[1], r[2], p)[0] <= imp)
            if impact:
                si = _illinois(im_kind, dt, ro, vo, r, v, ao, an, imp, p)
                ti = t_old + si * dt
                r, v = _herm_pos(si, dt, ro, vo, r, v, ao, an), _herm_vel(si, dt, ro, vo, r, v, ao, an)
                if sample_s > 0:  # the end acceleration of the shortened step (Hermite samples)
                    if pw:
                        an = powered_call(ti, r[0], r[1], r[2], v[0], v[1], v[2], i, li[I_K, l], li[I_VERT, l] != 0,
                                     li[I_KICK, l] != 0, p, t_cut, loft, pn, m_start, s_start, mdot, thrust, exit_a,
                                     area, cdm, cdv, atm)
                    else:
                        an = coast_call(r[0], r[1], r[2], v[0], v[1], v[2], gm, j2k, w, sph, a, ep2, kb_l[l], z0, dz,
                                   umax, top, rd)
                out[i, 14] = ti
                for c in range(3):
                    out[i, 15 + c] = r[c]
                    out[i, 18 + c] = v[c]
                t = ti
            for c in range(3):
                Y[c, l] = r[c]
                Y[3 + c, l] = v[c]
            ls[F_T, l] = t
            timeout = t >= maxt
            n_s = li[I_NS, l]
            overflow = False
            if impact or not timeout:  # a recorded step: [t_old, t]
                ls[F_TLAST, l] = t
                if sample_s > 0:
                    dts = t - t_old
                    while n_s * sample_s < t:
                        if n_s >= n_t - 1:
                            overflow = True
                            break
                        sf = (n_s * sample_s - t_old) / dts if dts > 0 else 0.0
                        sf = min(max(sf, 0.0), 1.0)
                        t_out[i, n_s] = n_s * sample_s
                        ps = _herm_pos(sf, dts, ro, vo, r, v, ao, an)
                        vs = _herm_vel(sf, dts, ro, vo, r, v, ao, an)
                        for c in range(3):
                            pos_out[i, n_s, c], vel_out[i, n_s, c] = ps[c], vs[c]
                        n_s += 1
                    li[I_NS, l] = n_s
            if not (impact or timeout or overflow):
                continue
            # this trajectory is done: the lane is free
            li[I_IDX, l] = -1
            t_last = ls[F_TLAST, l]
            out[i, 21] = t_last
            out[i, 22] = li[I_NIT, l]
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
                # geodetic coordinates of the samples in one tight loop over contiguous copies: vectorised
                # (geo_compiled.geodetic calls no libm; strided reads would keep it scalar, ~4x slower)
                e2_ = p[P_E2]
                for q in range(n_uni + 1):
                    G[0, q], G[1, q], G[2, q] = pos_out[i, q, 0], pos_out[i, q, 1], pos_out[i, q, 2]
                for q in range(n_uni + 1):
                    lla_out[0, i, q], lla_out[1, i, q], lla_out[2, i, q] = geodetic(G[0, q], G[1, q], G[2, q], a, b, e2_,
                                                                                    sph)
                for q in range(n_uni + 1, n_t):
                    t_out[i, q] = np.nan
                    for c in range(3):
                        pos_out[i, q, c] = np.nan
                        vel_out[i, q, c] = np.nan
                        lla_out[c, i, q] = np.nan
                n_out[i] = n_uni + 1
    return 0


def _lane_scratch(lanes: int = LANES):
    """Scratch of one :func:`integrate` call: ``ls, li, Y, YN, S, K, W``."""
    return (np.empty((N_LS, lanes)), np.empty((N_LI, lanes), np.int64), np.empty((6, lanes)), np.empty((6, lanes)),
            np.empty((6, lanes)), np.empty((7, 6, lanes)), np.empty((4, lanes)))


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
    """Run :func:`integrate` over ``n`` trajectories on the cores (:func:`thaad.threads.in_threads`;
    the kernel releases the GIL): one kernel per thread, all taking trajectories from one
    queue, so that the threads finish together and each thread's lanes drain once.  Written
    by hand rather than with ``prange``: a ``parallel=True`` kernel of this size takes numba
    tens of seconds to compile, and the first ``make demo`` pays that."""
    from thaad.threads import in_threads

    queue = np.zeros(1, np.int64)
    width = args[-5].shape[1]  # samples per trajectory (t_out's)

    def part(lo, hi):  # the rows are the queue's to hand out; each thread its own lane scratch and sample rows
        integrate(queue, n, *args, *_lane_scratch(), np.empty((3, width)))

    in_threads(part, n, min_rows=LANES, blocks_per_thread=1)


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

"""Compiled flight kernel: the integrator of :mod:`thaad.ballistics.flight`, one trajectory
per loop iteration, ranges of trajectories on parallel threads (numba ``nogil``, cached to
disk).

It is the same method, step for step, as the NumPy reference in ``flight._integrate``:
Dormand-Prince 5(4) with one step size per trajectory, steps clipped at staging, thrust
cut-off and the end of the vertical rise, FSAL reuse, apogee and impact located by
Illinois regula falsi on the quintic Hermite curve of the step.  The equations of motion
are those of ``forces.Problem.accel`` (:mod:`thaad.ballistics._kernel_forces`: J2 gravity,
Coriolis and centrifugal terms, drag with the tabulated atmosphere, thrust with the
pressure correction, the linear-pitch or gravity-turn programme).  The NumPy path stays
the reference; ``tests/test_ballistics_compiled.py`` checks that both agree.

This module imports numba at import time: import it lazily (only when flying).
Why hand-written: the per-step cost of NumPy on arrays of a few dozen trajectories is
call overhead, not arithmetic (issue 9's profile); scipy's ``solve_ivp`` is per
trajectory and slower still.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from numba import njit

from thaad.ballistics._kernel_forces import (P_A, P_ATOL, P_B, P_DRAG, P_E2, P_FIRST, P_GAMMA, P_GM, P_GT,
                                             P_J2, P_KD, P_MAXSTEP, P_MAXT, P_PRESS, P_RTOL, P_SPH, P_TOP, P_TV,
                                             P_W, alt, alt_up, coast, powered)

N_OUT = 23  # columns of ``out`` in :func:`integrate`


def _tableau():
    from thaad.ballistics.stepper import _A, _B, _C, _E

    am = np.zeros((7, 7))
    for s, row in enumerate(_A):
        am[s, :len(row)] = row
    return am, np.asarray(_B, float), np.asarray(_C, float), np.asarray(_E, float)


_AM, _BV, _CV, _EV = _tableau()  # Dormand-Prince tableau, the same numbers as the NumPy path


@njit(cache=True, inline="always")
def _herm(s, dt, r0, v0, r1, v1, a0, a1, c):
    """Quintic Hermite position and velocity component ``c`` at fraction ``s`` of a step."""
    s2, s3, s4, s5 = s * s, s * s * s, s ** 4, s ** 5
    q0 = 1 - 10 * s3 + 15 * s4 - 6 * s5
    q1 = s - 6 * s3 + 8 * s4 - 3 * s5
    q2 = 0.5 * s2 - 1.5 * s3 + 1.5 * s4 - 0.5 * s5
    q3 = 0.5 * s3 - s4 + 0.5 * s5
    q4 = -4 * s3 + 7 * s4 - 3 * s5
    q5 = 10 * s3 - 15 * s4 + 6 * s5
    pos = q0 * r0[c] + q5 * r1[c] + dt * (q1 * v0[c] + q4 * v1[c]) + dt * dt * (q2 * a0[c] + q3 * a1[c])
    d0 = -30 * s2 + 60 * s3 - 30 * s4
    d1 = 1 - 18 * s2 + 32 * s3 - 15 * s4
    d2 = s - 4.5 * s2 + 6 * s3 - 2.5 * s4
    d3 = 1.5 * s2 - 4 * s3 + 2.5 * s4
    d4 = -12 * s2 + 28 * s3 - 15 * s4
    vel = d0 * (r0[c] - r1[c]) / dt + d1 * v0[c] + d4 * v1[c] + dt * (d2 * a0[c] + d3 * a1[c])
    return pos, vel


@njit(cache=True, inline="always")
def _event_fun(kind, s, dt, r0, v0, r1, v1, a0, a1, target, p):
    x, vx = _herm(s, dt, r0, v0, r1, v1, a0, a1, 0)
    y, vy = _herm(s, dt, r0, v0, r1, v1, a0, a1, 1)
    z, vz = _herm(s, dt, r0, v0, r1, v1, a0, a1, 2)
    if kind == 0:  # rate of climb along the ellipsoid normal
        _, ux, uy, uz = alt_up(x, y, z, p)
        return ux * vx + uy * vy + uz * vz
    return alt(x, y, z, p) - target


@njit(cache=True)
def _illinois(kind, dt, r0, v0, r1, v1, a0, a1, target, p):
    """Root in [0, 1] (positive at 0): Illinois regula falsi, 10 iterations (flight._illinois)."""
    a, b = 0.0, 1.0
    fa = _event_fun(kind, a, dt, r0, v0, r1, v1, a0, a1, target, p)
    fb = _event_fun(kind, b, dt, r0, v0, r1, v1, a0, a1, target, p)
    side = 0
    for _ in range(10):
        den = fa - fb
        c = a + fa * (b - a) / den if den != 0 else 0.5 * (a + b)
        c = min(max(c, min(a, b)), max(a, b))
        fc = _event_fun(kind, c, dt, r0, v0, r1, v1, a0, a1, target, p)
        if fc > 0:
            if side == 1:
                fb = 0.5 * fb
            a, fa = c, fc
            side = 1
        else:
            if side == -1:
                fa = 0.5 * fa
            b, fb = c, fc
            side = -1
    den = fa - fb
    c = a + fa * (b - a) / den if den != 0 else 0.5 * (a + b)
    return min(max(c, 0.0), 1.0)


@njit(cache=True)
def _stage_of(t, s_end, i):
    ns = s_end.shape[1]
    k = 0
    for q in range(ns):
        if s_end[i, q] <= t:
            k += 1
    return min(k, ns - 1)


@njit(cache=True, inline="always")
def _geodetic(x, y, z, a, b, e2, sph):
    """ECEF -> (lat, lon, height): Heikkinen's exact closed form (M. Heikkinen, "Geschlossene
    Formeln zur Berechnung raeumlicher geodaetischer Koordinaten aus rechtwinkligen
    Koordinaten", Z. Vermess. 107, 1982; as given by J. Zhu, IEEE Trans. AES 30(3), 1994):
    no iteration, the same numbers as ``geo.ecef_to_geodetic`` to round-off (tested)."""
    r2 = x * x + y * y
    r = math.sqrt(r2)
    lon = math.atan2(y, x)
    if sph:
        rn = math.sqrt(r2 + z * z)
        return math.atan2(z, r), lon, rn - a
    a2, b2 = a * a, b * b
    ff = 54.0 * b2 * z * z
    g = r2 + (1.0 - e2) * z * z - e2 * (a2 - b2)
    c = e2 * e2 * ff * r2 / (g * g * g)
    sc = (1.0 + c + math.sqrt(c * c + 2.0 * c)) ** (1.0 / 3.0)
    k = sc + 1.0 / sc + 1.0
    pp = ff / (3.0 * k * k * g * g)
    q = math.sqrt(1.0 + 2.0 * e2 * e2 * pp)
    r0 = -(pp * e2 * r) / (1.0 + q) + math.sqrt(max(0.5 * a2 * (1.0 + 1.0 / q) - pp * (1.0 - e2) * z * z / (q * (1.0 + q))
                                                    - 0.5 * pp * r2, 0.0))
    t = r - e2 * r0
    u = math.sqrt(t * t + z * z)
    v = math.sqrt(t * t + (1.0 - e2) * z * z)
    z0 = b2 * z / (a * v)
    return math.atan2(z + (e2 / (1.0 - e2)) * z0, r), lon, u * (1.0 - b2 / (a * v))


@njit(cache=True, nogil=True)
def integrate(lo, hi_i, r0, v0, impact_alt, t_cut, loft, pn, beta, breaks, veh, s_end, s_start, m_start, mdot,
              thrust, exit_a, area, p, cdm, cdv, atm, sample_s, n_t, out, t_out, pos_out, vel_out, lla_out, n_out):
    """Fly trajectories ``lo`` to ``hi_i - 1`` to impact (releases the GIL: threads run
    ranges in parallel).  ``out`` (n, N_OUT): burnout t, r, v; apogee t, r, v; impact t, r,
    v; last recorded time; loop iterations.  With ``sample_s > 0`` also fills ``t_out (n,
    n_t)``, ``pos_out``/``vel_out (n, n_t, 3)``, their geodetic latitude, longitude and
    height ``lla_out (3, n, n_t)`` and ``n_out (n,)`` as ``flight._resample``
    does (uniform samples plus the impact point; a flight longer than ``n_t`` allows gets
    ``n_out = -1``).  Coasting steps evaluate the inlined :func:`coast`, powered steps
    call :func:`powered`."""
    nb = breaks.shape[1]
    gm, j2k, w = p[P_GM], 1.5 * p[P_J2] * p[P_A] * p[P_A], p[P_W]
    sph, a, b = p[P_SPH] != 0.0, p[P_A], p[P_B]
    ab2 = a * a - b * b
    z0, dz = atm[0, 0], 1.0 / atm[0, 1]
    umax = atm.shape[1] - 1.000001
    top = p[P_TOP]
    rho0, dlr = atm[5], atm[2]
    rtol, atol, maxstep, maxt = p[P_RTOL], p[P_ATOL], p[P_MAXSTEP], p[P_MAXT]
    tv, kd_t = p[P_TV], p[P_KD]
    kinds = np.array([0, 1])  # apogee, impact: read from an array so numba compiles _illinois once, not per literal
    kr = np.empty((7, 3))
    kv = np.empty((7, 3))
    r = np.empty(3)
    v = np.empty(3)
    ro = np.empty(3)
    vo = np.empty(3)
    rn = np.empty(3)
    vn = np.empty(3)
    ao = np.empty(3)
    an = np.empty(3)
    fsal = np.zeros(3)
    rs = np.empty(3)
    vs = np.empty(3)
    for i in range(lo, hi_i):
        kb = 0.5 / beta[i] if (p[P_DRAG] != 0.0 and beta[i] > 0.0) else 0.0
        for c in range(3):
            r[c] = r0[i, c]
            v[c] = v0[i, c]
        t = 0.0
        h = p[P_FIRST]
        nbreak = 0
        fsal_ok = False
        for c in range(N_OUT):
            out[i, c] = np.nan
        if t_cut[i] <= 0.0:
            out[i, 0] = 0.0
            for c in range(3):
                out[i, 1 + c] = r[c]
                out[i, 4 + c] = v[c]
        _, ux, uy, uz = alt_up(r[0], r[1], r[2], p)
        rising = ux * v[0] + uy * v[1] + uz * v[2] > 0
        n_iter = 0
        t_last = 0.0
        n_s = 0  # uniform samples written
        overflow = False
        if sample_s > 0:
            t_out[i, 0] = 0.0
            for c in range(3):
                pos_out[i, 0, c] = r[c]
                vel_out[i, 0, c] = v[c]
            n_s = 1
        while True:
            next_break = breaks[i, min(nbreak, nb - 1)] if nbreak < nb else np.inf
            hs = min(min(h, maxstep), maxt + 1.0 - t)
            clipped = next_break - t <= hs * (1 + 1e-12)
            if clipped:
                hs = next_break - t
            pw = t < t_cut[i] - 1e-9
            k = _stage_of(t + 1e-9, s_end, i) if veh else 0
            vertical = t < tv - 1e-9
            kick = (not vertical) and (t < tv + kd_t - 1e-9)
            for c in range(3):
                kr[0, c] = v[c]
            if fsal_ok:
                kv[0, 0], kv[0, 1], kv[0, 2] = fsal[0], fsal[1], fsal[2]
            # stages 0 (unless reused: FSAL) to 6 of the step
            for s in range(0 if not fsal_ok else 1, 7):
                if s == 0:
                    for c in range(3):
                        rs[c] = r[c]
                        vs[c] = v[c]
                else:
                    for c in range(3):
                        sr = 0.0
                        sv = 0.0
                        for j in range(s):
                            sr += _AM[s, j] * kr[j, c]
                            sv += _AM[s, j] * kv[j, c]
                        rs[c] = r[c] + hs * sr
                        vs[c] = v[c] + hs * sv
                        kr[s, c] = vs[c]
                if pw:
                    ax, ay, az = powered(t + _CV[s] * hs, rs[0], rs[1], rs[2], vs[0], vs[1], vs[2], i, k, vertical,
                                         kick, p, t_cut, loft, pn, m_start, s_start, mdot, thrust, exit_a, area, cdm,
                                         cdv, atm)
                else:
                    ax, ay, az = coast(rs[0], rs[1], rs[2], vs[0], vs[1], vs[2], gm, j2k, w, sph, a, b, ab2, kb, z0,
                                       dz, umax, top, rho0, dlr)
                kv[s, 0], kv[s, 1], kv[s, 2] = ax, ay, az
            err = 0.0
            for c in range(3):
                sr = 0.0
                sv = 0.0
                er = 0.0
                ev = 0.0
                for j in range(6):
                    sr += _BV[j] * kr[j, c]
                    sv += _BV[j] * kv[j, c]
                for j in range(7):
                    er += _EV[j] * kr[j, c]
                    ev += _EV[j] * kv[j, c]
                rn[c] = r[c] + hs * sr
                vn[c] = v[c] + hs * sv
                scr = atol + rtol * max(abs(r[c]), abs(rn[c]))
                scv = atol + rtol * max(abs(v[c]), abs(vn[c]))
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
            n_iter += 1
            if not ok:
                fsal[0], fsal[1], fsal[2] = kv[0, 0], kv[0, 1], kv[0, 2]
                fsal_ok = True
                continue
            fsal[0], fsal[1], fsal[2] = kv[6, 0], kv[6, 1], kv[6, 2]
            fsal_ok = not clipped
            t_old = t
            dt = hs
            for c in range(3):
                ro[c] = r[c]
                vo[c] = v[c]
                ao[c] = kv[0, c]
                an[c] = kv[6, c]
                r[c] = rn[c]
                v[c] = vn[c]
            t = next_break if clipped else t_old + dt
            if clipped:
                nbreak += 1
            if math.isnan(out[i, 0]) and t >= t_cut[i] - 1e-9:
                out[i, 0] = t
                for c in range(3):
                    out[i, 1 + c] = r[c]
                    out[i, 4 + c] = v[c]
            alt_new, ux, uy, uz = alt_up(r[0], r[1], r[2], p)
            vr_new = ux * v[0] + uy * v[1] + uz * v[2]
            coasting = t >= t_cut[i] - 1e-9
            if rising and vr_new <= 0 and coasting:
                sb = _illinois(kinds[0], dt, ro, vo, r, v, ao, an, 0.0, p)
                out[i, 7] = t_old + sb * dt
                for c in range(3):
                    out[i, 8 + c], out[i, 11 + c] = _herm(sb, dt, ro, vo, r, v, ao, an, c)
            if coasting:
                rising = vr_new > 0
            else:
                rising = rising or vr_new > 0
            impact = alt_new <= impact_alt[i] and vr_new < 0 and t > 1.0
            if impact:
                si = _illinois(kinds[1], dt, ro, vo, r, v, ao, an, impact_alt[i], p)
                ti = t_old + si * dt
                for c in range(3):
                    rs[c], vs[c] = _herm(si, dt, ro, vo, r, v, ao, an, c)
                if sample_s > 0:  # the end acceleration of the shortened step (Hermite samples)
                    if pw:
                        ax, ay, az = powered(ti, rs[0], rs[1], rs[2], vs[0], vs[1], vs[2], i, k, vertical, kick, p,
                                             t_cut, loft, pn, m_start, s_start, mdot, thrust, exit_a, area, cdm, cdv,
                                             atm)
                    else:
                        ax, ay, az = coast(rs[0], rs[1], rs[2], vs[0], vs[1], vs[2], gm, j2k, w, sph, a, b, ab2, kb,
                                           z0, dz, umax, top, rho0, dlr)
                    an[0], an[1], an[2] = ax, ay, az
                out[i, 14] = ti
                for c in range(3):
                    out[i, 15 + c] = rs[c]
                    out[i, 18 + c] = vs[c]
                    r[c] = rs[c]
                    v[c] = vs[c]
                t = ti
            timeout = t >= maxt
            if impact or not timeout:  # a recorded step: [t_old, t]
                t_last = t
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
            if impact or timeout or overflow:
                break
        out[i, 21] = t_last
        out[i, 22] = n_iter
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
                lla_out[0, i, q], lla_out[1, i, q], lla_out[2, i, q] = _geodetic(
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


def _in_parallel(args, n: int) -> None:
    """Run :func:`integrate` over ``n`` trajectories in contiguous ranges on the cores
    (:func:`thaad.threads.in_threads`; the kernel releases the GIL), four ranges per thread
    for balance.  Written by hand rather than with ``prange``: a ``parallel=True`` kernel of
    this size takes numba tens of seconds to compile, and the first ``make demo`` pays that."""
    from thaad.threads import in_threads

    in_threads(lambda lo, hi: integrate(lo, hi, *args), n, min_rows=16, blocks_per_thread=4)


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
            f(prob.cd_v, dtype=float), _atmosphere_table())
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
            sampled = _sampled_pass(args, n, ds, int(np.max(np.floor(out[:, 21] / ds - 1e-9))) + 2, np.empty((n, N_OUT)))
    res = {"bo_t": out[:, 0], "bo_r": out[:, 1:4], "bo_v": out[:, 4:7], "ap_t": out[:, 7], "ap_r": out[:, 8:11],
           "ap_v": out[:, 11:14], "im_t": out[:, 14], "im_r": out[:, 15:18], "im_v": out[:, 18:21],
           "n_steps": int(np.max(out[:, 22])) if n else 0, "hist": None}
    if sampled is not None:
        t_s, pos, vel, lla, n_out = sampled
        # arrays one column wider than the longest flight (as the two-pass path gives)
        n_t = int(n_out.max()) if n else 1
        res.update(t_s=t_s[:, :n_t], pos=pos[:, :n_t], vel=vel[:, :n_t], lat=lla[0, :, :n_t], lon=lla[1, :, :n_t],
                   alt=lla[2, :, :n_t], n_out=n_out)
    return res

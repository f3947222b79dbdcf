"""Compiled right-hand sides of the flight kernel (numba): the equations of
``forces.Problem.accel``, per trajectory, on scalars.

* :func:`coast`: free flight (the hot path: every trajectory after burnout, every
  burnout-state start): point-mass + J2 gravity (Vallado eq. 8-30), Coriolis and
  centrifugal terms, drag ``-rho |v| v / (2 beta)`` with the tabulated atmosphere.  It takes
  scalars and the density table only and is inlined into the stepper, so an evaluation
  costs arithmetic, not a function call.
* :func:`powered`: thrust along the pitch programme with the pressure correction (Sutton
  & Biblarz eq. 2-14), drag with ``C_D(M)``, mass falling linearly within a stage; inlined
  too (the stepper has one right-hand-side call site, so compile time stays put; as a call
  its ~100 words of array arguments cost ~10% of a powered flight).

Compiled without numba's reference counting (``_nrt=False``, as the whole kernel: see
:mod:`thaad.ballistics._compiled`).  This module imports numba at import time: import it
lazily (only when flying).
"""

from __future__ import annotations

import math

from numba import njit

# parameter vector layout (see _compiled._params)
P_GM, P_J2, P_A, P_B, P_E2, P_SPH, P_W, P_DRAG, P_GT, P_TV, P_KD, P_PRESS, P_RTOL, P_ATOL, P_MAXSTEP, \
    P_FIRST, P_MAXT, P_GAMMA, P_TOP = range(19)


@njit(cache=True, inline="always", _nrt=False, error_model="numpy")
def alt_up(x, y, z, p):
    """Height above the ellipsoid along the geocentric radius and the ellipsoid normal."""
    rn = math.sqrt(x * x + y * y + z * z)
    if p[P_SPH] != 0.0:
        return rn - p[P_A], x / rn, y / rn, z / rn
    a, b = p[P_A], p[P_B]
    s2 = (z / rn) ** 2
    rs = a * b / math.sqrt(b * b * (1.0 - s2) + a * a * s2)
    ux, uy, uz = x, y, z / (1.0 - p[P_E2])
    un = math.sqrt(ux * ux + uy * uy + uz * uz)
    return rn - rs, ux / un, uy / un, uz / un


@njit(cache=True, inline="always", _nrt=False, error_model="numpy")
def alt(x, y, z, p):
    """Height above the ellipsoid along the geocentric radius (as ``forces.approx_alt``)."""
    r2 = x * x + y * y + z * z
    rn = math.sqrt(r2)
    if p[P_SPH] != 0.0:
        return rn - p[P_A]
    a, b = p[P_A], p[P_B]
    s2 = z * z / r2
    return rn - a * b / math.sqrt(b * b + (a * a - b * b) * s2)


# 1 / sqrt(1 + x) = sum_k C_k x^k (binomial series): the ellipsoid's geocentric radius a / sqrt(1 + e'^2 sin^2)
# for x = e'^2 sin^2(geocentric latitude) <= e'^2 = 0.0067 (WGS84); after x^6 the terms are below 1.3e-16
# relative (1e-9 m)
G1, G2, G3, G4, G5, G6 = -1 / 2, 3 / 8, -5 / 16, 35 / 128, -63 / 256, 231 / 1024


@njit(cache=True, inline="always", _nrt=False, error_model="numpy")
def ellipsoid_radius(a, ep2, s2):
    """Geocentric radius of the ellipsoid ``a b / sqrt(b^2 + (a^2 - b^2) s2)`` at ``s2`` the
    squared sine of the geocentric latitude, ``ep2 = (a^2 - b^2) / b^2`` (the second
    eccentricity squared), by the binomial series: multiplications only, where the closed
    form takes a square root and a division (the free-flight right-hand side's drag height:
    the divider was its bottleneck)."""
    x = ep2 * s2
    return a * (1.0 + x * (G1 + x * (G2 + x * (G3 + x * (G4 + x * (G5 + x * G6))))))


@njit(cache=True, inline="always", _nrt=False, error_model="numpy")
def gravity(x, y, z, vx, vy, vz, gm, j2k, w):
    """Point-mass + J2 gravity (Vallado eq. 8-30) with the Coriolis and centrifugal terms,
    ``(ax, ay, az)``, and ``|r|``, ``1 / |r|^2`` (for the height): one square root and one
    division.  ``j2k = 1.5 J2 a^2`` (0: no J2), ``w`` Earth rate (0: no rotation)."""
    r2 = x * x + y * y + z * z
    irn = 1.0 / math.sqrt(r2)
    ir2 = irn * irn
    k0 = -gm * ir2 * irn
    kk = j2k * ir2
    zz = 5.0 * z * z * ir2
    fxy = k0 * (1.0 + kk * (1.0 - zz))
    return (fxy * x + 2.0 * w * vy + w * w * x, fxy * y - 2.0 * w * vx + w * w * y, k0 * (1.0 + kk * (3.0 - zz)) * z,
            r2 * irn, ir2)


@njit(cache=True, inline="always", _nrt=False, error_model="numpy")
def exp_small(q):
    """``exp(q)`` for the density table's in-cell offsets, ``|q| <= 20 m / scale height < 0.005``,
    by its Taylor series to ``q^4`` (error < q^5/120 < 3e-14)."""
    return 1.0 + q * (1.0 + q * (0.5 + q * (1.0 / 6.0 + q * (1.0 / 24.0))))


@njit(cache=True, inline="always", _nrt=False, error_model="numpy")
def coast(x, y, z, vx, vy, vz, gm, j2k, w, sph, a, ep2, kb, z0, dz, umax, top, rd):
    """Free-flight acceleration.  ``j2k = 1.5 J2 a^2`` (0: no J2), ``w`` Earth rate (0: no
    rotation), ``ep2 = (a^2 - b^2) / b^2``, ``kb = 1 / (2 beta)`` (0: no drag); the density is
    ``rho_j exp(f dlr_j)`` on the uniform grid ``z0 + j / dz`` (``dz``: the grid's inverse
    spacing; ``rd[j] = (rho_j, dlr_j)``, the density and the step of its logarithm side by
    side: one cache line per look-up; no air above ``top``), the same numbers as
    ``atmosphere.fast_log_density``."""
    ax, ay, az, rn, ir2 = gravity(x, y, z, vx, vy, vz, gm, j2k, w)
    if kb != 0.0:
        h = rn - a if sph else rn - ellipsoid_radius(a, ep2, z * z * ir2)
        if h <= top:
            u = min(max((h - z0) * dz, 0.0), umax)
            j = int(u)
            kd = kb * rd[j, 0] * exp_small((u - j) * rd[j, 1]) * math.sqrt(vx * vx + vy * vy + vz * vz)
            ax -= kd * vx
            ay -= kd * vy
            az -= kd * vz
    return ax, ay, az


@njit(cache=True, inline="always", _nrt=False, error_model="numpy")
def powered(t, x, y, z, vx, vy, vz, i, k, vertical, kick, p, t_cut, loft, pn, m_start, s_start, mdot, thrust,
            exit_a, area, cdm, cdv, atm):
    """Acceleration of trajectory ``i`` in stage ``k`` under thrust (``forces.Problem.accel``
    with ``powered`` set; the density as in :func:`coast`)."""
    a_, b_ = p[P_A], p[P_B]
    sph = p[P_SPH] != 0.0
    # gravity, Coriolis and centrifugal terms: those of free flight (no drag there: kb = 0)
    ax, ay, az = coast(x, y, z, vx, vy, vz, p[P_GM], 1.5 * p[P_J2] * a_ * a_, p[P_W], sph, a_, 0.0, 0.0, 0.0, 1.0, 0.0,
                       0.0, atm)
    # height and ellipsoid normal (alt_up), sharing |r|
    r2 = x * x + y * y + z * z
    ir2 = 1.0 / r2
    rn = math.sqrt(r2)
    irn = 1.0 / rn
    if sph:
        h = rn - a_
        upx, upy, upz = x * irn, y * irn, z * irn
    else:
        s2 = z * z * ir2
        h = rn - a_ * b_ / math.sqrt(b_ * b_ * (1.0 - s2) + a_ * a_ * s2)
        uz_ = z / (1.0 - p[P_E2])
        iun = 1.0 / math.sqrt(x * x + y * y + uz_ * uz_)
        upx, upy, upz = x * iun, y * iun, uz_ * iun
    z0, dz = atm[0, 0], atm[0, 1]
    u = min(max((h - z0) / dz, 0.0), atm.shape[1] - 1.000001)
    j = int(u)
    f = u - j
    rho = 0.0 if h > p[P_TOP] else atm[5, j] * exp_small(f * atm[2, j])
    snd = atm[3, j] + f * atm[4, j]
    speed = math.sqrt(vx * vx + vy * vy + vz * vz)
    im = 1.0 / (m_start[i, k] - mdot[i, k] * (t - s_start[i, k]))
    if p[P_DRAG] != 0.0:
        mach = speed / snd
        nc = cdm.size
        if mach <= cdm[0]:
            cd = cdv[0]
        elif mach >= cdm[nc - 1]:
            cd = cdv[nc - 1]
        else:
            qq = 1
            while cdm[qq] < mach:
                qq += 1
            cd = cdv[qq - 1] + (cdv[qq] - cdv[qq - 1]) * (mach - cdm[qq - 1]) / (cdm[qq] - cdm[qq - 1])
        body = 0.5 * rho * speed * cd * area[i] * im
        ax -= body * vx
        ay -= body * vy
        az -= body * vz
    th = thrust[i, k]
    if p[P_PRESS] != 0.0:
        th = max(th - rho * snd * snd / p[P_GAMMA] * exit_a[i, k], 0.0)
    if vertical:
        ux, uy, uz = upx, upy, upz
    else:
        hx = pn[i, 1] * upz - pn[i, 2] * upy
        hy = pn[i, 2] * upx - pn[i, 0] * upz
        hz = pn[i, 0] * upy - pn[i, 1] * upx
        ihn = 1.0 / math.sqrt(hx * hx + hy * hy + hz * hz)
        hx, hy, hz = hx * ihn, hy * ihn, hz * ihn
        tv = p[P_TV]
        if p[P_GT] != 0.0:
            if not kick:
                isp = 1.0 / max(speed, 1e-9)
                ux, uy, uz = vx * isp, vy * isp, vz * isp
            else:
                fr = min(max((t - tv) / p[P_KD], 0.0), 1.0)
                th_ = math.pi / 2 - loft[i] * fr
                c, s = math.cos(th_), math.sin(th_)
                ux, uy, uz = c * hx + s * upx, c * hy + s * upy, c * hz + s * upz
        else:
            span = max(t_cut[i] - tv, 1e-9)
            fr = min(max((t - tv) / span, 0.0), 1.0)
            th_ = math.pi / 2 - (math.pi / 2 - loft[i]) * fr
            c, s = math.cos(th_), math.sin(th_)
            ux, uy, uz = c * hx + s * upx, c * hy + s * upy, c * hz + s * upz
    g = th * im
    return ax + g * ux, ay + g * uy, az + g * uz


# Called, not inlined: the kernel's rare scalar sites (a trajectory's first stage, stage 0 after a break,
# the end of a step cut at impact) share one compiled copy each; inlining every site doubled the
# kernel's compile time.
@njit(cache=True, _nrt=False, error_model="numpy")
def coast_call(x, y, z, vx, vy, vz, gm, j2k, w, sph, a, ep2, kb, z0, dz, umax, top, rd):
    """:func:`coast` as a function call."""
    return coast(x, y, z, vx, vy, vz, gm, j2k, w, sph, a, ep2, kb, z0, dz, umax, top, rd)


@njit(cache=True, _nrt=False, error_model="numpy")
def powered_call(t, x, y, z, vx, vy, vz, i, k, vertical, kick, p, t_cut, loft, pn, m_start, s_start, mdot, thrust,
                 exit_a, area, cdm, cdv, atm):
    """:func:`powered` as a function call."""
    return powered(t, x, y, z, vx, vy, vz, i, k, vertical, kick, p, t_cut, loft, pn, m_start, s_start, mdot, thrust,
                   exit_a, area, cdm, cdv, atm)

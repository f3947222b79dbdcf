"""The Dormand-Prince stages of the compiled flight kernel over a row of trajectories at
once (lanes), written as loops over the lanes that the compiler turns into SIMD
instructions (numba/LLVM's loop vectoriser: 4 doubles per instruction with AVX2).

A trajectory's stages form a chain of dependent divisions, square roots and table
look-ups; the kernel's time was the latency of that chain, not arithmetic.  Advancing
several trajectories through the same stage together, in vector registers, does the
work of several chains for the time of about one.  The arithmetic per lane is that of
the scalar :func:`thaad.ballistics._kernel_forces.coast` and of the stage sums of
:mod:`thaad.ballistics._kernel_step`, operation for operation (no reassociation), so
every trajectory gets the same numbers as alone.

Arrays over lanes (last axis ``l``, contiguous): ``Y (6, L)`` the state (r, v) at the step
start, ``K (7, 6, L)`` the stage slopes (velocity, acceleration), ``S (6, L)`` a stage
state, ``hs (L,)`` the step, ``kb (L,)`` ``1 / (2 beta)``, ``W (4, L)`` scratch of the
density look-up (kept in a loop of its own: a gather, which stops the vectoriser).
Imports numba: import this module lazily.
"""

from __future__ import annotations

import math

from numba import njit

from thaad.ballistics._kernel_forces import ellipsoid_radius, exp_small, gravity
from thaad.ballistics._kernel_step import (A10, A20, A21, A30, A31, A32, A40, A41, A42, A43, A50, A51, A52, A53, A54,
                                           A60, A62, A63, A64, A65, E0, E2, E3, E4, E5, E6, inv_fifth_root)

_J = dict(cache=True, inline="always", _nrt=False, error_model="numpy")


@njit(**_J)
def stage_state(s, Y, K, hs, S):
    """``S = Y + hs * sum_j A[s][j] K[j]`` for stage ``s`` in 1..6, summed in the order of
    ``_kernel_step._s1`` ... ``_s6`` (stage 6: the 5th-order solution)."""
    nc, nl = Y.shape  # (a runtime row count: the compiler does not copy the loop six times)
    if s == 1:
        for c in range(nc):
            for l in range(nl):
                S[c, l] = Y[c, l] + hs[l] * (A10 * K[0, c, l])
    elif s == 2:
        for c in range(nc):
            for l in range(nl):
                S[c, l] = Y[c, l] + hs[l] * (A20 * K[0, c, l] + A21 * K[1, c, l])
    elif s == 3:
        for c in range(nc):
            for l in range(nl):
                S[c, l] = Y[c, l] + hs[l] * (A30 * K[0, c, l] + A31 * K[1, c, l] + A32 * K[2, c, l])
    elif s == 4:
        for c in range(nc):
            for l in range(nl):
                S[c, l] = Y[c, l] + hs[l] * (A40 * K[0, c, l] + A41 * K[1, c, l] + A42 * K[2, c, l] + A43 * K[3, c, l])
    elif s == 5:
        for c in range(nc):
            for l in range(nl):
                S[c, l] = Y[c, l] + hs[l] * (A50 * K[0, c, l] + A51 * K[1, c, l] + A52 * K[2, c, l]
                                             + A53 * K[3, c, l] + A54 * K[4, c, l])
    else:
        for c in range(nc):
            for l in range(nl):
                S[c, l] = Y[c, l] + hs[l] * (A60 * K[0, c, l] + A62 * K[2, c, l] + A63 * K[3, c, l]
                                             + A64 * K[4, c, l] + A65 * K[5, c, l])


@njit(**_J)
def coast_lanes(s, S, K, W, kb, gm, j2k, w, sph, a, ep2, z0, dz, umax, top, rd):
    """``K[s] = (v, coast acceleration)`` at the stage states ``S`` of every lane: the
    arithmetic of :func:`thaad.ballistics._kernel_forces.coast` (its inlined :func:`gravity`
    and :func:`exp_small`), in three loops (the
    density look-up, a gather, in a scalar one between two vector ones)."""
    nl = S.shape[1]
    for l in range(nl):
        x, y, z, vx, vy, vz = S[0, l], S[1, l], S[2, l], S[3, l], S[4, l], S[5, l]
        ax, ay, az, rn, ir2 = gravity(x, y, z, vx, vy, vz, gm, j2k, w)
        K[s, 0, l] = vx
        K[s, 1, l] = vy
        K[s, 2, l] = vz
        K[s, 3, l] = ax
        K[s, 4, l] = ay
        K[s, 5, l] = az
        h = rn - a if sph else rn - ellipsoid_radius(a, ep2, z * z * ir2)
        W[0, l] = min(max((h - z0) * dz, 0.0), umax)
        # no drag (kd = 0 below) above the table or without a ballistic coefficient
        W[1, l] = math.sqrt(vx * vx + vy * vy + vz * vz) if (h <= top) & (kb[l] != 0.0) else 0.0
    for l in range(nl):
        u = W[0, l]
        j = int(u)
        W[2, l] = rd[j, 0]
        W[3, l] = (u - j) * rd[j, 1]
    for l in range(nl):
        kd = kb[l] * W[2, l] * exp_small(W[3, l]) * W[1, l]
        K[s, 3, l] -= kd * S[3, l]
        K[s, 4, l] -= kd * S[4, l]
        K[s, 5, l] -= kd * S[5, l]


@njit(**_J)
def step_control(Y, YN, K, hs, H, clip, atol, rtol, err):
    """Per lane: ``err``, the RMS of the scaled Dormand-Prince error estimate (``sum_j E_j
    K[j]`` times ``hs`` over ``atol + rtol max(|y|, |y_new|)``, summed in the order of the
    scalar kernel), and ``H``, the next step: ``hs`` times ``0.9 err^-0.2`` within [0.2, 10]
    (within [0.2, 1] after a rejection; after an accepted step clipped at a break, not below
    the step proposed before it, ``H`` on entry)."""
    nl = Y.shape[1]
    for l in range(nl):
        e2 = 0.0
        for c in range(3):
            scr = atol + rtol * max(abs(Y[c, l]), abs(YN[c, l]))
            scv = atol + rtol * max(abs(Y[c + 3, l]), abs(YN[c + 3, l]))
            er = (E0 * K[0, c, l] + E2 * K[2, c, l] + E3 * K[3, c, l] + E4 * K[4, c, l] + E5 * K[5, c, l]
                  + E6 * K[6, c, l])
            ev = (E0 * K[0, c + 3, l] + E2 * K[2, c + 3, l] + E3 * K[3, c + 3, l] + E4 * K[4, c + 3, l]
                  + E5 * K[5, c + 3, l] + E6 * K[6, c + 3, l])
            e2 += (hs[l] * er / scr) ** 2 + (hs[l] * ev / scv) ** 2
        er_ = math.sqrt(e2 / 6.0)
        err[l] = er_
        fac = 0.9 * inv_fifth_root(max(er_, 1e-10))  # (err = 0: 90, capped at 10 as the scalar kernel's 10)
        ok = 1.0 if er_ <= 1.0 else 0.0
        hn = hs[l] * min(max(fac, 0.2), 1.0 + 9.0 * ok)
        H[l] = max(hn, H[l] * ok * min(clip[l], 1))  # hn >= 0; clip is 0 or 1

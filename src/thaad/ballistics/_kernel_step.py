"""The Dormand-Prince step and the event location of the compiled flight kernel
(:mod:`thaad.ballistics._compiled`), on scalars and 3-tuples (numba; compiled without
reference counting and with NumPy's error model, as the whole kernel).

* Stage states ``y + h sum_j A[s][j] k_j`` and the error estimate, with the tableau of the
  NumPy path (``stepper``: Dormand & Prince 1980, the RK45 of ``solve_ivp``), summed in its
  order, so the same numbers.
* The quintic Hermite curve of a step and Illinois regula falsi on it, for apogee (zero
  rate of climb along the ellipsoid normal) and impact (height of the impact surface).

Imports numba: import this module lazily.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from numba.core import types
from numba.extending import intrinsic

from thaad.ballistics._kernel_forces import P_E2, P_SPH, alt


def _tableau():
    """The Dormand-Prince tableau of the NumPy path (``stepper``) as plain floats (numba
    freezes module-level floats into the compiled code as constants)."""
    from thaad.ballistics.stepper import _A, _B, _C, _E

    assert list(_B[:6]) == list(_A[6]) and _B[6] == 0.0 and _A[6][1] == 0.0 and _E[1] == 0.0  # FSAL; zero terms dropped
    return [[float(x) for x in row] for row in _A], [float(x) for x in _C], [float(x) for x in _E]


_AT, _CT, _ET = _tableau()
(A10,), (A20, A21), (A30, A31, A32), (A40, A41, A42, A43), (A50, A51, A52, A53, A54) = _AT[1:6]
A60, _, A62, A63, A64, A65 = _AT[6]
C1, C2, C3, C4, C5 = _CT[1:6]
E0, _, E2, E3, E4, E5, E6 = _ET


# Stage states y + h * sum_j A[s][j] k_j of the Dormand-Prince step, on 3-tuples, summed in
# the order of the NumPy path (so the same numbers); the zero coefficients are left out.
@njit(cache=True, _nrt=False, error_model="numpy")
def _s1(y, h, k0):
    return (y[0] + h * (A10 * k0[0]), y[1] + h * (A10 * k0[1]), y[2] + h * (A10 * k0[2]))


@njit(cache=True, _nrt=False, error_model="numpy")
def _s2(y, h, k0, k1):
    return (y[0] + h * (A20 * k0[0] + A21 * k1[0]), y[1] + h * (A20 * k0[1] + A21 * k1[1]),
            y[2] + h * (A20 * k0[2] + A21 * k1[2]))


@njit(cache=True, _nrt=False, error_model="numpy")
def _s3(y, h, k0, k1, k2):
    return (y[0] + h * (A30 * k0[0] + A31 * k1[0] + A32 * k2[0]), y[1] + h * (A30 * k0[1] + A31 * k1[1] + A32 * k2[1]),
            y[2] + h * (A30 * k0[2] + A31 * k1[2] + A32 * k2[2]))


@njit(cache=True, _nrt=False, error_model="numpy")
def _s4(y, h, k0, k1, k2, k3):
    return (y[0] + h * (A40 * k0[0] + A41 * k1[0] + A42 * k2[0] + A43 * k3[0]),
            y[1] + h * (A40 * k0[1] + A41 * k1[1] + A42 * k2[1] + A43 * k3[1]),
            y[2] + h * (A40 * k0[2] + A41 * k1[2] + A42 * k2[2] + A43 * k3[2]))


@njit(cache=True, _nrt=False, error_model="numpy")
def _s5(y, h, k0, k1, k2, k3, k4):
    return (y[0] + h * (A50 * k0[0] + A51 * k1[0] + A52 * k2[0] + A53 * k3[0] + A54 * k4[0]),
            y[1] + h * (A50 * k0[1] + A51 * k1[1] + A52 * k2[1] + A53 * k3[1] + A54 * k4[1]),
            y[2] + h * (A50 * k0[2] + A51 * k1[2] + A52 * k2[2] + A53 * k3[2] + A54 * k4[2]))


@njit(cache=True, _nrt=False, error_model="numpy")
def _s6(y, h, k0, k2, k3, k4, k5):  # also the 5th-order solution (B = A[6], FSAL)
    return (y[0] + h * (A60 * k0[0] + A62 * k2[0] + A63 * k3[0] + A64 * k4[0] + A65 * k5[0]),
            y[1] + h * (A60 * k0[1] + A62 * k2[1] + A63 * k3[1] + A64 * k4[1] + A65 * k5[1]),
            y[2] + h * (A60 * k0[2] + A62 * k2[2] + A63 * k3[2] + A64 * k4[2] + A65 * k5[2]))


@njit(cache=True, _nrt=False, error_model="numpy")
def _e(k0, k2, k3, k4, k5, k6, c):
    """Component ``c`` of the error estimate sum_j E_j k_j (before the factor h)."""
    return E0 * k0[c] + E2 * k2[c] + E3 * k3[c] + E4 * k4[c] + E5 * k5[c] + E6 * k6[c]


@intrinsic
def _bits(typingctx, x):
    """The IEEE-754 bits of a float64 as an int64 (a bit cast)."""
    if x == types.float64:
        return types.int64(types.float64), lambda ctx, builder, sig, args: builder.bitcast(args[0],
                                                                                       ctx.get_value_type(types.int64))


@intrinsic
def _float(typingctx, x):
    """The float64 of IEEE-754 bits (the inverse of :func:`_bits`)."""
    if x == types.int64:
        return types.float64(types.int64), lambda ctx, builder, sig, args: builder.bitcast(args[0],
                                                                                       ctx.get_value_type(types.float64))


# x**-0.2 on [1, 2): least-squares quartic (max error 4e-5), the start of the Newton steps below
R0, R1, R2 = 1.3780094710805402, -0.6411310584810371, 0.3612294846197275
R3, R4 = -0.11253350969694835, 0.014386353076275896
T1m, T2m, T4m = 2.0 ** -0.2 - 1.0, 2.0 ** -0.4 - 1.0, 2.0 ** -0.8 - 1.0  # 2^(-j/5) - 1


@njit(cache=True, inline="always", _nrt=False, error_model="numpy")
def inv_fifth_root(x):
    """``x ** -0.2`` for a normal positive ``x`` (the step-size factor of the error control),
    to a few units in the last place: ``x = m 2^(5q + k)`` with ``m`` in [1, 2), ``m^-0.2``
    from a quartic and two Newton steps on ``y^-5 = m`` (error 4e-5 -> 5e-9 -> below
    round-off), times the constant ``2^(-k/5)`` and the power of two ``2^-q``.  Written by
    hand, branch-free, so that the step control of all lanes runs as SIMD instructions
    (``pow`` is a libm call per lane)."""
    bits = _bits(x)
    m = _float((bits & 0x000FFFFFFFFFFFFF) | 0x3FF0000000000000)
    e = float((bits >> 52) - 1023)
    q = math.floor(e * 0.2)  # exact for |e| < 2^40: 0.2 rounds up, so 5k * 0.2 does not fall below k
    k = e - 5.0 * q  # 0 to 4: 2^(-k/5) as the product over its binary digits (no branches)
    k2 = math.floor(k * 0.5)
    k4 = math.floor(k * 0.25)
    sc = (1.0 + (k - 2.0 * k2) * T1m) * (1.0 + (k2 - 2.0 * k4) * T2m) * (1.0 + k4 * T4m)
    y = R0 + m * (R1 + m * (R2 + m * (R3 + m * R4)))
    y2 = y * y
    y = y + y * (1.0 - m * (y2 * y2 * y)) * 0.2
    y2 = y * y
    y = y + y * (1.0 - m * (y2 * y2 * y)) * 0.2
    return y * sc * _float((1023 - np.int64(q)) << 52)


@njit(cache=True, inline="always", _nrt=False, error_model="numpy")
def _herm_pos(s, dt, r0, v0, r1, v1, a0, a1):
    """Quintic Hermite position at fraction ``s`` of a step of length ``dt`` from the end
    states and accelerations (the coefficients computed once for the three components; the
    NumPy path's ``stepper._hermite``)."""
    s2, s3, s4, s5 = s * s, s * s * s, s ** 4, s ** 5
    q0 = 1 - 10 * s3 + 15 * s4 - 6 * s5
    q1 = s - 6 * s3 + 8 * s4 - 3 * s5
    q2 = 0.5 * s2 - 1.5 * s3 + 1.5 * s4 - 0.5 * s5
    q3 = 0.5 * s3 - s4 + 0.5 * s5
    q4 = -4 * s3 + 7 * s4 - 3 * s5
    q5 = 10 * s3 - 15 * s4 + 6 * s5
    dd = dt * dt
    return (q0 * r0[0] + q5 * r1[0] + dt * (q1 * v0[0] + q4 * v1[0]) + dd * (q2 * a0[0] + q3 * a1[0]),
            q0 * r0[1] + q5 * r1[1] + dt * (q1 * v0[1] + q4 * v1[1]) + dd * (q2 * a0[1] + q3 * a1[1]),
            q0 * r0[2] + q5 * r1[2] + dt * (q1 * v0[2] + q4 * v1[2]) + dd * (q2 * a0[2] + q3 * a1[2]))


@njit(cache=True, inline="always", _nrt=False, error_model="numpy")
def _herm_vel(s, dt, r0, v0, r1, v1, a0, a1):
    """Quintic Hermite velocity at fraction ``s`` of a step (the derivative of :func:`_herm_pos`)."""
    s2, s3, s4 = s * s, s * s * s, s ** 4
    d0 = -30 * s2 + 60 * s3 - 30 * s4
    d1 = 1 - 18 * s2 + 32 * s3 - 15 * s4
    d2 = s - 4.5 * s2 + 6 * s3 - 2.5 * s4
    d3 = 1.5 * s2 - 4 * s3 + 2.5 * s4
    d4 = -12 * s2 + 28 * s3 - 15 * s4
    return (d0 * (r0[0] - r1[0]) / dt + d1 * v0[0] + d4 * v1[0] + dt * (d2 * a0[0] + d3 * a1[0]),
            d0 * (r0[1] - r1[1]) / dt + d1 * v0[1] + d4 * v1[1] + dt * (d2 * a0[1] + d3 * a1[1]),
            d0 * (r0[2] - r1[2]) / dt + d1 * v0[2] + d4 * v1[2] + dt * (d2 * a0[2] + d3 * a1[2]))


@njit(cache=True, inline="always", _nrt=False, error_model="numpy")
def _event_at(kind, r, v, target, ez, p):
    """The event function at a state: for apogee (kind 0) the rate of climb along the
    ellipsoid normal times the normal's length (the same zero, no square root), for impact
    the height above ``target``."""
    if kind == 0:
        return r[0] * v[0] + r[1] * v[1] + r[2] * ez * v[2]
    return alt(r[0], r[1], r[2], p) - target


@njit(cache=True, inline="always", _nrt=False, error_model="numpy")
def _event_fun(kind, s, dt, r0, v0, r1, v1, a0, a1, target, ez, p):
    pos = _herm_pos(s, dt, r0, v0, r1, v1, a0, a1)
    if kind == 0:
        return _event_at(kind, pos, _herm_vel(s, dt, r0, v0, r1, v1, a0, a1), target, ez, p)
    return _event_at(kind, pos, pos, target, ez, p)


@njit(cache=True, _nrt=False, error_model="numpy")
def _illinois(kind, dt, r0, v0, r1, v1, a0, a1, target, p):
    """Root in [0, 1] (positive at 0): Illinois regula falsi (``numeric.illinois_root``), at
    most 10 iterations, fewer once the trial point moves less than 1e-12 of the step (the
    event function is nearly linear over a step: four or five evaluations reach round-off)."""
    ez = 1.0 if p[P_SPH] != 0.0 else 1.0 / (1.0 - p[P_E2])
    a, b = 0.0, 1.0
    fa = _event_at(kind, r0, v0, target, ez, p)  # the Hermite curve's ends are the step's ends
    fb = _event_at(kind, r1, v1, target, ez, p)
    side = 0
    c_last = -1.0
    for _ in range(10):
        den = fa - fb
        c = a + fa * (b - a) / den if den != 0 else 0.5 * (a + b)
        c = min(max(c, min(a, b)), max(a, b))
        if abs(c - c_last) < 1e-12:  # converged: the next evaluation would not move it
            return min(max(c, 0.0), 1.0)
        fc = _event_fun(kind, c, dt, r0, v0, r1, v1, a0, a1, target, ez, p)
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
        c_last = c
    den = fa - fb
    c = a + fa * (b - a) / den if den != 0 else 0.5 * (a + b)
    return min(max(c, 0.0), 1.0)

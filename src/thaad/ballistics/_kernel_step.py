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

from numba import njit

from thaad.ballistics._kernel_forces import alt, alt_up


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


@njit(cache=True, _nrt=False, error_model="numpy")
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


@njit(cache=True, inline="always", _nrt=False, error_model="numpy")
def _event_fun(kind, s, dt, r0, v0, r1, v1, a0, a1, target, p):
    x, vx = _herm(s, dt, r0, v0, r1, v1, a0, a1, 0)
    y, vy = _herm(s, dt, r0, v0, r1, v1, a0, a1, 1)
    z, vz = _herm(s, dt, r0, v0, r1, v1, a0, a1, 2)
    if kind == 0:  # rate of climb along the ellipsoid normal
        _, ux, uy, uz = alt_up(x, y, z, p)
        return ux * vx + uy * vy + uz * vz
    return alt(x, y, z, p) - target


@njit(cache=True, _nrt=False, error_model="numpy")
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

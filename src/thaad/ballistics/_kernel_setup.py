"""Start states of burnout-state flights in one compiled pass (numba, cached; row blocks on
threads): what ``flight.fly_burnout_state`` computes with NumPy for the reference path
(``geo.geodetic_to_ecef``, the ENU basis, the launch-plane normal), per row without
temporaries.  For 10,000 flights the NumPy version's dozens of array passes cost a tenth of
the compiled flight itself.
Imports numba: import this module lazily.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True, nogil=True, error_model="numpy")
def _starts(lo, hi, lat, lon, alt, spd, el, az, a, e2, r0, v0, pn):
    sl = cl = so = co = nn = 0.0
    for i in range(lo, hi):
        if i == lo or lat[i] != lat[i - 1] or lon[i] != lon[i - 1]:  # (one launch point for many: once)
            sl, cl, so, co = math.sin(lat[i]), math.cos(lat[i]), math.sin(lon[i]), math.cos(lon[i])
            nn = a / math.sqrt(1.0 - e2 * sl * sl)  # geodetic -> ECEF: NIMA TR8350.2 eq. 4-14, as geo.geodetic_to_ecef
        x, y, z = (nn + alt[i]) * cl * co, (nn + alt[i]) * cl * so, (nn * (1.0 - e2) + alt[i]) * sl
        r0[i, 0], r0[i, 1], r0[i, 2] = x, y, z
        # east, north, up (geo.enu_basis)
        ex, ey = -so, co
        nx, ny, nz = -sl * co, -sl * so, cl
        ux, uy, uz = cl * co, cl * so, sl
        sa, ca, se, ce = math.sin(az[i]), math.cos(az[i]), math.sin(el[i]), math.cos(el[i])
        ve, vn, vu = spd[i] * ce * sa, spd[i] * ce * ca, spd[i] * se
        v0[i, 0] = ex * ve + nx * vn + ux * vu
        v0[i, 1] = ey * ve + ny * vn + uy * vu
        v0[i, 2] = nz * vn + uz * vu
        # the launch plane's normal: r0 x (the horizontal heading) (flight._plane_normal)
        dx, dy, dz = sa * ex + ca * nx, sa * ey + ca * ny, ca * nz
        px, py, pz = y * dz - z * dy, z * dx - x * dz, x * dy - y * dx
        q = math.sqrt(px * px + py * py + pz * pz)
        pn[i, 0], pn[i, 1], pn[i, 2] = px / q, py / q, pz / q
    return 0


def burnout_starts(lat, lon, alt, spd, el, az, earth):
    """ECEF position and Earth-relative velocity ``(n, 3)`` of burnout states given by
    geodetic point, speed, flight-path angle above the local horizon and azimuth, and the
    unit normal of each launch plane ``(n, 3)``."""
    from thaad.threads import in_threads

    n = lat.size
    r0, v0, pn = np.empty((n, 3)), np.empty((n, 3)), np.empty((n, 3))
    f = np.ascontiguousarray
    args = (*(f(x, dtype=float) for x in (lat, lon, alt, spd, el, az)), float(earth.a_m), float(earth.e2), r0, v0, pn)
    in_threads(lambda lo, hi: _starts(lo, hi, *args), n, min_rows=2048)
    return r0, v0, pn

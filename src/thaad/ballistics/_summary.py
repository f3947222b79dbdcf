"""Compiled summaries of flown trajectories (numba, cached; row blocks on threads): what
``flight._build`` derives from the kernel's burnout, apogee and impact states, in one pass
per trajectory instead of a dozen NumPy passes over temporaries (for 10,000 flights those
cost more than flying them).

Per trajectory: the inertial burnout speed and flight-path angle, the geodetic coordinates
of the three events (Bowring's two steps, :func:`thaad.geo_compiled.geodetic`), the
impact speed, the geodesic range launch -> impact (Vincenty, :mod:`thaad.geo_compiled`;
not converged, nearly antipodal: flagged, the caller asks PROJ) and, for summary-only
output, the four points launch, burnout, apogee, impact ordered by time (undefined events
last), as the NumPy fallback in ``flight._build`` orders them.
Imports numba: import this module lazily.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from thaad.geo_compiled import geodetic, vincenty_distance, vincenty_lambda


@njit(cache=True, nogil=True)
def summarize(lo, hi, out, r0, v0, lat0, lon0, alt0, w, a, f, e2, sph, with_points, ev, scal, ok, t_s, pos, vel, lla,
              n_out):
    """Rows ``lo`` to ``hi - 1``.  ``out``: the kernel's (n, 23) result; ``w`` the Earth
    rate (0: no rotation).  Fills ``ev (3, n, 3)`` (lat, lon, alt of burnout, apogee,
    impact), ``scal (4, n)`` (burnout speed and flight-path angle, impact speed, range),
    ``ok (n,)`` (range known or undefined: not a failed Vincenty iteration) and, with
    ``with_points``, ``t_s (n, 4)``, ``pos``/``vel (n, 4, 3)``, ``lla (3, n, 4)``, ``n_out``."""
    b = a * (1.0 - f)
    key = np.empty(4)
    order = np.empty(4, np.int64)
    su1 = cu1 = 0.0
    for i in range(lo, hi):
        bx, by, bz = out[i, 1], out[i, 2], out[i, 3]
        vx, vy, vz = out[i, 4] - w * by, out[i, 5] + w * bx, out[i, 6]  # + w x r: inertial
        spd = math.sqrt(vx * vx + vy * vy + vz * vz)
        rad = math.sqrt(bx * bx + by * by + bz * bz)
        scal[0, i] = spd
        scal[1, i] = math.asin(min(max((bx * vx + by * vy + bz * vz) / (rad * spd), -1.0), 1.0))
        scal[2, i] = math.sqrt(out[i, 18] ** 2 + out[i, 19] ** 2 + out[i, 20] ** 2)
        for e in range(3):
            c = 1 + 7 * e  # burnout r at 1, apogee at 8, impact at 15
            if e == 0 and out[i, 0] == 0.0 and bx == r0[i, 0] and by == r0[i, 1] and bz == r0[i, 2]:
                # burnout at the start (burnout-state flights): the launch point
                lon_ = math.atan2(math.sin(lon0[i]), math.cos(lon0[i]))
                ev[0, i, 0], ev[1, i, 0], ev[2, i, 0] = lat0[i], lon_, alt0[i]
            else:
                ev[0, i, e], ev[1, i, e], ev[2, i, e] = geodetic(out[i, c], out[i, c + 1], out[i, c + 2], a, b, e2, sph)
        la2, lo2 = ev[0, i, 2], ev[1, i, 2]
        scal[3, i] = np.nan
        ok[i] = True
        if math.isfinite(la2):
            L = lo2 - lon0[i]
            L = (L + math.pi) % (2.0 * math.pi) - math.pi
            # reduced latitudes, tan u = (1 - f) tan(lat), as sine and cosine (no atan, sin, cos; the
            # launch point's once for a run of equal latitudes)
            if i == lo or lat0[i] != lat0[i - 1]:
                t1 = (1.0 - f) * math.tan(lat0[i])
                cu1 = 1.0 / math.sqrt(1.0 + t1 * t1)
                su1 = t1 * cu1
            t2 = (1.0 - f) * math.tan(la2)
            cu2 = 1.0 / math.sqrt(1.0 + t2 * t2)
            su2 = t2 * cu2
            conv, _, sin_s, cos_s, sigma, cos2a, cos2sm, _, _ = vincenty_lambda(L, L, su1, cu1, su2, cu2, f)
            ok[i] = conv
            if conv:
                scal[3, i] = 0.0 if sin_s == 0.0 else vincenty_distance(a, b, sin_s, cos_s, sigma, cos2a, cos2sm)
        if not with_points:
            continue
        for q in range(4):  # stable insertion sort of launch, burnout, apogee, impact by time (NaN last)
            tq = 0.0 if q == 0 else out[i, 7 * q - 7]
            key[q] = tq if math.isfinite(tq) else np.inf
            order[q] = q
            j = q
            while j > 0 and key[order[j - 1]] > key[q]:
                order[j] = order[j - 1]
                j -= 1
            order[j] = q
        n_ok = 0
        for j in range(4):
            q = order[j]
            if q == 0:
                t_s[i, j] = 0.0
                for c in range(3):
                    pos[i, j, c] = r0[i, c]
                    vel[i, j, c] = v0[i, c]
                lla[0, i, j] = lat0[i]
                lla[1, i, j] = math.atan2(math.sin(lon0[i]), math.cos(lon0[i]))
                lla[2, i, j] = alt0[i]
            else:
                c0 = 7 * q - 7
                t_s[i, j] = out[i, c0]
                for c in range(3):
                    pos[i, j, c] = out[i, c0 + 1 + c]
                    vel[i, j, c] = out[i, c0 + 4 + c]
                    lla[c, i, j] = ev[c, i, q - 1]
            n_ok += math.isfinite(t_s[i, j])
        n_out[i] = n_ok
    return 0

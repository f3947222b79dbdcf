"""Compile the numba kernels of a footprint run and cache them on disk, so that a later
process (``thaad assess``, ``thaad footprint``) loads them instead of compiling them:
``python -m thaad.precompile``.

numba compiles one function at a time under a global lock, so a single process pays every
compile in turn (about 35 s on 2 cores for a report).  ``make demo`` runs this module next
to ``thaad assess``: the report compiles the coverage kernels of its first question while
this process compiles the flight, detection and engagement kernels it needs next, on the
other core.  Nothing is written but numba's own cache.
"""

from __future__ import annotations

import numpy as np


def main() -> None:
    from thaad import assemble as A
    from thaad.engagement import engage
    from thaad.interceptor import flyout_fan

    bat = A.battery("seongju")
    lat0, lon0 = np.radians(39.0), np.radians(125.7)  # a small aimed batch from near Pyongyang
    tlat = bat.radar_lat_rad + np.linspace(-0.02, 0.02, 3)
    tlon = np.full(3, bat.radar_lon_rad)
    ts = A.fly_function(A.vehicle_band("hwasong-7"))(lat0, lon0, tlat, tlon, None)
    from thaad.radar.detect import first_detection

    det, visible = first_detection(ts, A.battery_radar("seongju"), A.rcs_m2(), compiled=True)
    engage(ts, det, bat, fan=flyout_fan(bat.interceptor), visible=visible, compiled=True)


if __name__ == "__main__":
    main()

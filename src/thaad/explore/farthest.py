"""Farthest covered point for the explore page: the report's radial search
(:func:`thaad.radar.coverage.farthest_detectable`, cut at the chord bound of the free-space
range, so fast enough for a redraw), with the shield sectors applied and the map box given."""

from __future__ import annotations

import math

from thaad.radar.coverage import CHORD_BOUND_RADIUS_M as R_MIN_M  # noqa: F401  (re-exported for tests)
from thaad.radar.coverage import farthest_detectable, max_ground_distance_m  # noqa: F401


def farthest(radar, site_lat_deg: float, site_lon_deg: float, rcs_m2: float, box) -> dict:
    """Farthest detectable ground distance (km) and its azimuth; ``box`` = (lat_min, lat_max, lon_min, lon_max)."""
    f = farthest_detectable(radar, rcs_m2)
    if f is None:
        return {"distance_km": None, "azimuth_deg": None, "beyond_map": False}
    la, lo = math.degrees(f.lat_rad), math.degrees(f.lon_rad)
    lat_min, lat_max, lon_min, lon_max = box
    inside = lat_min <= la <= lat_max and lon_min <= lo <= lon_max
    return {"distance_km": round(f.distance_m / 1e3), "azimuth_deg": round(math.degrees(f.azimuth_rad), 1),
            "beyond_map": not inside}

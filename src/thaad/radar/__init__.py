"""The AN/TPY-2-class radar model: radar range equation, line of sight over the
effective-radius (k = 4/3) WGS84 Earth, array-face limits, minimum elevation, sector
blanking (the "shield"), an optional terrain horizon mask, coverage maps and detection
along trajectories.

Public API (stable; engagement, footprint and report build on it)::

    RadarSite(lat_rad, lon_rad, alt_m, antenna_height_m=0)
    RadarEquation(form="dwell"|"search", average_power_w, aperture_area_m2, ...)
    Radar(site, equation, boresight_az_rad, az_half_width_rad, min_el_rad, max_el_rad,
          k_factor, blanking=(BlankSector(...),), horizon=HorizonProfile | None)
    detection_range_m(radar, rcs_m2)
    visibility(radar, position_ecef_m (..., 3), rcs_m2) -> bool (...)
    line_of_sight_margin(radar, position_ecef_m) -> metres, > 0 when visible
    lowest_visible_altitude(radar, lat_rad, lon_rad, rcs_m2) -> LowestAltitude
    coverage_map(radar, lat_rad (ny,), lon_rad (nx,), rcs_m2) -> CoverageMap
    detect_along(trajectories, radar, rcs_m2) -> TrackResult
"""

from thaad.radar.coverage import CoverageMap, coverage_map, grid_around
from thaad.radar.detect import TrackResult, detect_along
from thaad.radar.equation import RadarEquation, antenna_gain, search_solid_angle_sr, wavelength_m
from thaad.radar.geometry import radar_horizon_approx_m, radar_horizon_m
from thaad.radar.model import (
    BlankSector,
    HorizonProfile,
    Look,
    LowestAltitude,
    Radar,
    RadarConfig,
    RadarSite,
    detection_range_m,
    line_of_sight_margin,
    look_from_ecef,
    look_from_geodetic,
    lowest_visible_altitude,
    margins,
    visibility,
)

__all__ = [
    "BlankSector", "CoverageMap", "HorizonProfile", "Look", "LowestAltitude", "Radar", "RadarConfig",
    "RadarEquation", "RadarSite", "TrackResult", "antenna_gain", "coverage_map", "detect_along",
    "detection_range_m", "grid_around", "line_of_sight_margin", "look_from_ecef", "look_from_geodetic",
    "lowest_visible_altitude", "margins", "radar_horizon_approx_m", "radar_horizon_m",
    "search_solid_angle_sr", "visibility", "wavelength_m",
]

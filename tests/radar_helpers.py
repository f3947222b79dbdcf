"""Shared helpers for the radar tests: synthetic trajectories and simple radars."""

import math

import numpy as np

from thaad import geo
from thaad.trajectory import TrajectorySet
from thaad.radar import Radar, RadarEquation, RadarSite

KM = 1e3
SEONGJU = RadarSite(math.radians(36.0513), math.radians(128.2229), 680.0, antenna_height_m=4.0, name="Seongju")


def simple_equation(**kw) -> RadarEquation:
    args = dict(form="dwell", average_power_w=67e3, aperture_area_m2=9.2, aperture_efficiency=0.8,
                frequency_hz=9.5e9, system_noise_temp_k=500.0, losses_db=6.0, snr_threshold_db=13.2,
                dwell_time_s=0.1)
    args.update(kw)
    return RadarEquation(**args)


def simple_radar(**kw) -> Radar:
    args = dict(site=SEONGJU, equation=simple_equation(), boresight_az_rad=math.radians(330.0))
    args.update(kw)
    return Radar(**args)


def trajectory_set(t_s, lat_rad, lon_rad, alt_m, earth=geo.WGS84) -> TrajectorySet:
    """A TrajectorySet (N, T) from geodetic samples (NaN-padded rows allowed)."""
    t = np.atleast_2d(np.asarray(t_s, float))
    lat = np.atleast_2d(np.asarray(lat_rad, float))
    lon = np.atleast_2d(np.asarray(lon_rad, float))
    alt = np.atleast_2d(np.asarray(alt_m, float))
    pos = geo.geodetic_to_ecef(lat, lon, alt, earth)
    vel = np.gradient(pos, axis=1) if t.shape[1] > 1 else np.zeros_like(pos)
    n_samples = np.isfinite(t).sum(axis=1)
    nan = np.full(t.shape[0], np.nan)
    return TrajectorySet(
        t_s=t, position_ecef_m=pos, velocity_ecef_m_s=vel, lat_rad=lat, lon_rad=lon, alt_m=alt,
        n_samples=n_samples, launch_lat_rad=lat[:, 0], launch_lon_rad=lon[:, 0], launch_azimuth_rad=nan,
        burnout_time_s=nan, burnout_alt_m=nan, burnout_speed_m_s=nan, apogee_time_s=nan,
        apogee_alt_m=np.nanmax(alt, axis=1), impact_time_s=nan, impact_lat_rad=nan, impact_lon_rad=nan,
        impact_speed_m_s=nan, range_m=nan, earth=earth)

"""Network timelines checked against geometry computed from the trajectory and the site alone."""

import dataclasses
import math

import numpy as np
import pytest

from synthetic import kepler_arcs
from thaad import geo
from thaad.radar import Radar, RadarSite, lowest_visible_altitude
from thaad.radar.network import (AspectRcs, ReferenceRange, Station, TrackedObject, added_by, aspect_angle_rad,
                                 station_track)
from thaad.radar.sweep import boresight_sweep

SECOND = 1.0
SEONGJU = (36.0513, 128.2229)


def _radar(lat, lon, boresight_deg, range_m, min_el_deg=5.0, half_deg=60.0, name="r"):
    site = RadarSite(math.radians(lat), math.radians(lon), 0.0, name=name)
    return Radar(site, ReferenceRange(range_m, 1.0), boresight_az_rad=math.radians(boresight_deg),
                 az_half_width_rad=math.radians(half_deg), min_el_rad=math.radians(min_el_deg),
                 k_factor=1.0, earth=geo.SPHERICAL, name=name)


def _independent_first_last(ts, lat, lon, min_el_deg, range_m):
    """Horizon crossing from ECEF vectors only: elevation above the site's local horizontal
    on the sphere and straight-line distance, on a 0.01 s resampling of the trajectory."""
    r_site = geo.SPHERICAL.a_m * np.array([math.cos(math.radians(lat)) * math.cos(math.radians(lon)),
                                           math.cos(math.radians(lat)) * math.sin(math.radians(lon)),
                                           math.sin(math.radians(lat))])
    up = r_site / np.linalg.norm(r_site)
    n = int(ts.n_samples[0])
    t = ts.t_s[0, :n]
    tf = np.arange(t[0], t[-1], 0.01)
    p = np.stack([np.interp(tf, t, ts.position_ecef_m[0, :n, k]) for k in range(3)], axis=-1)
    d = p - r_site
    dist = np.linalg.norm(d, axis=-1)
    el = np.degrees(np.arcsin(d @ up / dist))
    ok = (el >= min_el_deg) & (dist <= range_m)
    return tf[np.argmax(ok)], tf[len(ok) - 1 - np.argmax(ok[::-1])]


def test_first_detection_matches_independent_horizon_crossing():
    # A 3,000 km arc from north-east China flying south-east over Korea toward Japan's south.
    ts = kepler_arcs(41.7, 125.9, 25.0, 145.0, dt_s=2.0)
    radar = _radar(*SEONGJU, 330.0, 1.5e6, half_deg=180.0)
    st = station_track(ts, Station("seongju", (radar,)), TrackedObject("warhead", AspectRcs(1.0, 1.0, 1.0)))
    t_first, t_last = _independent_first_last(ts, *SEONGJU, 5.0, 1.5e6)
    assert st.detected[0]
    assert abs(st.first_time_s[0] - t_first) < 0.5 * SECOND
    assert abs(st.last_time_s[0] - t_last) < 2.0 * SECOND  # last visible sample (2 s sampling)
    assert st.first_elevation_rad[0] == pytest.approx(math.radians(5.0), abs=math.radians(0.05)) or \
        st.first_range_m[0] == pytest.approx(1.5e6, rel=1e-3)


def test_aspect_rcs_and_object_window_change_the_timeline():
    ts = kepler_arcs(41.7, 125.9, 25.0, 145.0, dt_s=2.0)
    radar = _radar(*SEONGJU, 330.0, 1.0e6, half_deg=180.0)
    st_all = station_track(ts, Station("s", (radar,)), TrackedObject("w", AspectRcs(1.0, 1.0, 1.0)))
    late = st_all.first_time_s[0] + 100.0
    st_late = station_track(ts, Station("s", (radar,)), TrackedObject("w", AspectRcs(1.0, 1.0, 1.0), start_s=late))
    assert st_late.first_time_s[0] == pytest.approx(late, abs=2.0)
    # a smaller cross-section shortens the range by the fourth root: 16x smaller -> half the range
    st_small = station_track(ts, Station("s", (radar,)), TrackedObject("w", AspectRcs(1 / 16, 1 / 16, 1 / 16)))
    t_first, _ = _independent_first_last(ts, *SEONGJU, 5.0, 0.5e6)
    assert st_small.first_time_s[0] == pytest.approx(t_first, abs=0.5)


def test_aspect_angle_nose_on_and_tail_on():
    site = np.zeros(3)
    pos = np.array([[1000.0, 0, 0], [1000.0, 0, 0], [0, 1000.0, 0]])
    vel = np.array([[-1.0, 0, 0], [1.0, 0, 0], [1.0, 0, 0]])
    a = aspect_angle_rad(site, pos, vel)
    assert a == pytest.approx([0.0, math.pi, math.pi / 2])
    rcs = AspectRcs(0.01, 1.0, 0.1)
    assert rcs.rcs_m2(a) == pytest.approx([0.01, 0.1, 1.0])
    assert rcs.rcs_m2(math.pi / 4) == pytest.approx(0.1)  # halfway in log between 0.01 and 1


def test_two_faces_see_the_union_and_added_time_counts_exclusive_samples():
    ts = kepler_arcs(41.7, 125.9, 25.0, 145.0, dt_s=2.0)
    west = _radar(*SEONGJU, 0.0, 3e6, half_deg=60.0)
    east = dataclasses.replace(west, boresight_az_rad=math.radians(120.0))
    obj = TrackedObject("w", AspectRcs(1.0, 1.0, 1.0))
    both = station_track(ts, Station("two", (west, east)), obj)
    w = station_track(ts, Station("w", (west,)), obj)
    e = station_track(ts, Station("e", (east,)), obj)
    assert np.array_equal(both.visible, w.visible | e.visible)
    assert w.detected[0] and e.detected[0]
    assert both.first_time_s[0] == pytest.approx(min(w.first_time_s[0], e.first_time_s[0]))
    assert both.track_s[0] > max(w.track_s[0], e.track_s[0])
    add = added_by(ts, both, [w])
    excl_samples = (both.visible & ~w.visible)[0]
    assert add.exclusive_track_s[0] >= 2.0 * (excl_samples.sum() - 2)
    assert add.lead_s[0] == pytest.approx(w.first_time_s[0] - both.first_time_s[0])


def test_boresight_sweep_matches_masking_by_hand():
    radar = _radar(*SEONGJU, 0.0, 1.2e6, half_deg=60.0)
    lat, lon = np.meshgrid(np.radians(np.arange(28, 46, 1.0)), np.radians(np.arange(116, 142, 1.0)), indexing="ij")
    w = np.ones_like(lat)
    areas = boresight_sweep(radar, lat, lon, w, 0.1, np.radians([0.0, 90.0, 330.0]))
    for b, area in zip([0.0, 90.0, 330.0], areas):
        r = dataclasses.replace(radar, boresight_az_rad=math.radians(b))
        low = lowest_visible_altitude(r, lat, lon, 0.1)
        assert area == np.isfinite(low.lowest_alt_m).sum()


def test_forward_based_seongju_warhead_timeline_matches_independent_geometry():
    """Must-show: the catalogue's forward-based AN/TPY-2 at Seongju and a warhead-sized
    target; first and last detection against horizon, face and range from ECEF vectors."""
    from thaad import catalog

    ts = kepler_arcs(41.7, 125.9, 13.6, 144.9, dt_s=2.0)  # Tonghua -> Guam, minimum energy
    site = RadarSite(math.radians(SEONGJU[0]), math.radians(SEONGJU[1]), 0.0, name="Seongju")
    radar = catalog.build_radar("tpy2", "forward-based", site, boresight_az_rad=math.radians(330.0), k_factor=1.0,
                                earth=geo.SPHERICAL)
    rcs = catalog.rcs_presets()["warhead"].rcs_m2.nominal
    st = station_track(ts, Station("seongju", (radar,)), TrackedObject("warhead", AspectRcs(rcs, rcs, rcs)))
    r_det = float(radar.detection_range_m(rcs))
    h = radar.site.height_m
    lat, lon = map(math.radians, SEONGJU)
    up = np.array([math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)])
    east = np.array([-math.sin(lon), math.cos(lon), 0.0])
    north = np.cross(up, east)
    r_site = (geo.SPHERICAL.a_m + h) * up
    n = int(ts.n_samples[0])
    t = ts.t_s[0, :n]
    tf = np.arange(t[0], t[-1], 0.01)
    p = np.stack([np.interp(tf, t, ts.position_ecef_m[0, :n, k]) for k in range(3)], axis=-1)
    d = p - r_site
    dist = np.linalg.norm(d, axis=-1)
    el = np.degrees(np.arcsin(d @ up / dist))
    az = np.degrees(np.arctan2(d @ east, d @ north))
    off = (az - 330.0 + 180.0) % 360.0 - 180.0
    ok = (el >= 5.0) & (dist <= r_det) & (np.abs(off) <= 60.0)
    assert ok.any() and st.detected[0]
    assert st.first_time_s[0] == pytest.approx(tf[np.argmax(ok)], abs=0.5)
    assert st.last_time_s[0] == pytest.approx(tf[len(ok) - 1 - np.argmax(ok[::-1])], abs=2.0)
    assert st.track_s[0] == pytest.approx(ok.sum() * 0.01, abs=4.0)

"""detect_along on synthetic TrajectorySets (vertical climbs, straight passes, Kepler arcs)."""

import math

import numpy as np
import pytest

from thaad import geo
from thaad.radar import BlankSector, detect_along, lowest_visible_altitude
from radar_helpers import SEONGJU, simple_radar, trajectory_set

METRE = 1.0


def vertical_climbs(points_deg, top_m=600e3, rate_m_s=1000.0, dt_s=1.0):
    t = np.arange(0, top_m / rate_m_s + dt_s / 2, dt_s)
    n = len(points_deg)
    lat = np.radians([[p[0]] * t.size for p in points_deg])
    lon = np.radians([[p[1]] * t.size for p in points_deg])
    return trajectory_set(np.tile(t, (n, 1)), lat, lon, np.tile(t * rate_m_s, (n, 1)))


def test_first_detection_of_vertical_climb_is_the_lowest_visible_altitude():
    pts = [(39.04, 125.76), (41.81, 123.43), (37.57, 126.98), (39.90, 116.41)]  # Pyongyang, Shenyang, Seoul, Beijing
    radar = simple_radar()
    ts = vertical_climbs(pts, rate_m_s=1000.0, dt_s=0.5)  # 500 m altitude resolution
    res = detect_along(ts, radar, 0.03)
    low = lowest_visible_altitude(radar, np.radians([p[0] for p in pts]), np.radians([p[1] for p in pts]), 0.03)
    seen = np.isfinite(low.lowest_alt_m)
    np.testing.assert_array_equal(res.detected, seen)
    assert seen[:3].all() and not seen[3]  # Beijing is beyond R(0.03 m^2) in this radar
    # refined to where the binding margin crosses zero: well inside the 500 m sample step
    np.testing.assert_allclose(res.first_detection_alt_m[seen], low.lowest_alt_m[seen], atol=1 * METRE)
    raw = detect_along(ts, radar, 0.03, refine=False)
    err = raw.first_detection_alt_m[seen] - low.lowest_alt_m[seen]
    assert np.all((err >= -1e-6) & (err <= 500 * METRE + 1e-6))
    assert np.all(res.first_detection_range_m[seen] <= radar.detection_range_m(0.03) + 1 * METRE)


def test_rcs_per_trajectory_and_smaller_rcs_detects_later():
    radar = simple_radar()
    ts = vertical_climbs([(41.81, 123.43)] * 3, top_m=1500e3)  # above Shenyang, 762 km away
    res = detect_along(ts, radar, np.array([1.0, 0.1, 0.01]))
    # entry is set by the 5-degree floor for all three; the top of the column by range
    assert np.all(np.diff(res.first_detection_time_s) >= 0)
    assert res.last_detection_time_s[0] > res.last_detection_time_s[1] > res.last_detection_time_s[2]
    assert np.all(np.diff(res.track_duration_s) < 0)


def test_visible_intervals_of_a_pass_through_a_blanked_sector():
    """A target at constant altitude crossing azimuths 300 -> 340 deg at 400 km ground range:
    blanking 315..325 deg splits the track into two intervals."""
    az = np.radians(np.linspace(300.05, 340.05, 401))  # no sample exactly on an edge
    lat, lon, _ = geo.geodesic_direct(SEONGJU.lat_rad, SEONGJU.lon_rad, az, 400e3)
    t = np.arange(az.size, dtype=float)
    ts = trajectory_set(t[None], lat[None], lon[None], np.full((1, az.size), 200e3))
    radar = simple_radar(blanking=(BlankSector(math.radians(315), math.radians(325)),))
    res = detect_along(ts, radar, 1.0)
    iv = res.intervals[0]
    assert iv.shape == (2, 2)
    az_deg = np.degrees(az)
    assert az_deg[int(iv[0, 1])] < 315 <= az_deg[int(iv[0, 1]) + 1]
    assert az_deg[int(iv[1, 0]) - 1] <= 325 < az_deg[int(iv[1, 0])]
    assert res.track_duration_s[0] == pytest.approx((iv[:, 1] - iv[:, 0]).sum())
    assert res.first_detection_time_s[0] == 0.0 and res.last_detection_time_s[0] == t[-1]


def kepler_arcs(n=4, samples=400):
    """Ballistic ellipses in a plane through the radar site (spherical, non-rotating Earth,
    vacuum), from the Kepler conic: r(f) = p / (1 + e cos f), time from Kepler's equation."""
    mu, r0 = geo.SPHERICAL.gm_m3_s2, geo.SPHERICAL.a_m
    rows = []
    for i in range(n):
        ra = r0 + 300e3 + 150e3 * i  # apogee radius
        half_angle = math.radians(4.0 + 1.5 * i)  # range angle / 2
        # conic symmetric about apogee, through r0 at +/- half_angle from apogee
        # solve for e from r(pi) = ra and r(pi - half_angle) = r0 with p = ra (1 - e)
        from scipy.optimize import brentq

        e = brentq(lambda e: ra * (1 - e) / (1 + e * math.cos(math.pi - half_angle)) - r0, 1e-6, 0.999)
        p = ra * (1 - e)
        a = p / (1 - e * e)
        f = np.linspace(math.pi - half_angle, math.pi + half_angle, samples)
        r = p / (1 + e * np.cos(f))
        E = 2 * np.arctan(np.sqrt((1 - e) / (1 + e)) * np.tan(f / 2))
        E = np.unwrap(np.where(E < 0, E + 2 * math.pi, E))
        tt = math.sqrt(a**3 / mu) * (E - e * np.sin(E))
        rows.append((tt - tt[0], (f - math.pi) + half_angle, r - r0))
    t = np.array([x[0] for x in rows])
    ang = np.array([x[1] for x in rows])
    alt = np.array([x[2] for x in rows])
    # lay the arcs out from Pyongyang towards Seongju (great circle)
    d0, az0, _ = geo.geodesic_inverse(math.radians(39.04), math.radians(125.76), SEONGJU.lat_rad, SEONGJU.lon_rad,
                                      geo.SPHERICAL)
    lat, lon, _ = geo.geodesic_direct(math.radians(39.04), math.radians(125.76), az0, ang * geo.SPHERICAL.a_m,
                                      geo.SPHERICAL)
    return trajectory_set(t, lat, lon, alt, geo.SPHERICAL)


def test_kepler_arcs_towards_the_radar_are_detected_and_tracked():
    ts = kepler_arcs()
    radar = simple_radar(earth=geo.SPHERICAL)
    res = detect_along(ts, radar, 0.03)
    assert res.detected.all()
    assert np.all(res.first_detection_range_m <= radar.detection_range_m(0.03) + 1 * METRE)
    # detection begins above the site's 5-degree floor and the track lasts a real time
    assert np.all(res.first_detection_alt_m > 0) and np.all(res.track_duration_s > 60.0)
    # each sample's visibility equals the per-sample margins (consistency of the API)
    assert res.visible.shape == ts.t_s.shape
    np.testing.assert_array_equal(res.visible, np.all([m >= 0 for m in res.margins.values()], axis=0) & ts.valid)


def test_padded_samples_are_never_visible():
    ts = vertical_climbs([(39.04, 125.76), (39.04, 125.76)])
    t = ts.t_s.copy()
    t[1, 300:] = np.nan
    lat, lon, alt = ts.lat_rad.copy(), ts.lon_rad.copy(), ts.alt_m.copy()
    lat[1, 300:] = lon[1, 300:] = alt[1, 300:] = np.nan
    res = detect_along(trajectory_set(t, lat, lon, alt), simple_radar(), 1.0)
    assert not res.visible[1, 300:].any()
    assert res.last_detection_time_s[1] <= t[1, 299]


def test_real_flights_visibility_equals_the_coverage_column():
    """Flights from the ballistics model: a sample is visible exactly when its altitude lies
    in the detectable column [lowest, highest] above its ground point (coverage and
    detect_along agree), and the first detection sits on the column's floor or later."""
    from thaad import catalog
    from thaad.ballistics import FlightOptions, aim

    vehicle = catalog.missile_vehicle("scud-c")
    launch = [catalog.find_place(k) for k in ("sakkanmol", "wonsan", "pyongyang")]
    tgt = catalog.find_place("seongju")
    ts, sol = aim(vehicle, np.radians([p.lat_deg for p in launch]), np.radians([p.lon_deg for p in launch]),
                  np.full(3, math.radians(tgt.lat_deg)), np.full(3, math.radians(tgt.lon_deg)),
                  options=FlightOptions(sample_s=2.0))
    assert np.all(sol.reachable)
    radar = simple_radar()
    res = detect_along(ts, radar, 0.03)
    assert res.detected.all()
    col = lowest_visible_altitude(radar, ts.lat_rad, ts.lon_rad, 0.03)
    inside = (ts.alt_m >= col.lowest_alt_m) & (ts.alt_m <= col.highest_alt_m)
    margin = np.minimum(np.abs(ts.alt_m - col.lowest_alt_m), np.abs(ts.alt_m - col.highest_alt_m))
    clear = ts.valid & ~(margin < 1 * METRE)
    np.testing.assert_array_equal(res.visible[clear], inside[clear])
    # warning time: detection before impact, not before launch
    assert np.all((res.first_detection_time_s > 0) & (res.first_detection_time_s < ts.impact_time_s))

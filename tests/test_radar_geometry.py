"""Line of sight on the effective-radius Earth, face limits and blanking, against closed forms."""

import math

import numpy as np
import pytest

from thaad import geo
from thaad.radar import BlankSector, HorizonProfile, Radar, RadarSite, lowest_visible_altitude, visibility
from thaad.radar import geometry as g
from thaad.radar.model import look_from_geodetic, margins
from radar_helpers import KM, SEONGJU, simple_radar

METRE = 1.0
R_SPH = geo.SPHERICAL.a_m


def test_radar_horizon_textbook_rule_of_thumb():
    # 4/3 Earth: d_km ~= 4.12 sqrt(h_m) (Skolnik 3rd ed. eq. 8.4); 10 m mast -> ~13 km
    kr = 4 / 3 * 6371e3
    assert g.radar_horizon_approx_m(10.0, 0.0, kr) == pytest.approx(4.122e3 * math.sqrt(10.0), rel=1e-3)
    assert g.radar_horizon_m(10.0, 0.0, kr) == pytest.approx(13.03e3, abs=20 * METRE)


@pytest.mark.parametrize("h1,h2", [(10.0, 0.0), (684.0, 10e3), (684.0, 100e3), (2e3, 30e3)])
def test_exact_horizon_agrees_with_sqrt_2kRh_for_low_heights(h1, h2):
    kr = 4 / 3 * R_SPH
    exact = g.radar_horizon_m(h1, h2, kr)
    approx = g.radar_horizon_approx_m(h1, h2, kr)
    # the approximation drops terms of relative order h/kR
    assert exact == pytest.approx(approx, rel=2 * max(h1, h2) / kr + 1e-12)


@pytest.mark.parametrize("k", [1.0, 4 / 3, 2.0])
@pytest.mark.parametrize("h1,h2", [(684.0, 50e3), (10.0, 300e3), (5e3, 1e3)])
def test_exact_horizon_matches_brute_force_chord_clearance(k, h1, h2):
    """Independent check: sample the straight chord on the k-sphere and find the largest
    ground distance at which it clears the surface (bisection)."""
    kr = k * R_SPH

    def clears(d):
        th = d / kr
        p1 = np.array([0.0, kr + h1])
        p2 = (kr + h2) * np.array([math.sin(th), math.cos(th)])
        s = np.linspace(0, 1, 20001)[:, None]
        return np.min(np.linalg.norm(p1 + s * (p2 - p1), axis=1)) >= kr

    lo, hi = 0.0, 5000e3
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if clears(mid) else (lo, mid)
    assert g.radar_horizon_m(h1, h2, kr) == pytest.approx(lo, abs=50 * METRE)


def geometry_radar(**kw):
    args = dict(site=RadarSite(math.radians(36.0), math.radians(128.0), 700.0), equation=None,
                az_half_width_rad=math.pi, min_el_rad=math.radians(-10.0), max_el_rad=math.radians(90.0))
    args.update(kw)
    return Radar(**args)


def test_k1_spherical_geometry_equals_true_look_angles():
    """With k = 1 on a spherical Earth the model is exact geometry: compare with geo.look_angles."""
    radar = geometry_radar(k_factor=1.0, earth=geo.SPHERICAL)
    rng = np.random.default_rng(1)
    lat = np.radians(36.0 + rng.uniform(-15, 15, 200))
    lon = np.radians(128.0 + rng.uniform(-20, 20, 200))
    alt = rng.uniform(0, 1500e3, 200)
    look = look_from_geodetic(radar, lat, lon, alt)
    az, el, rng_m = geo.look_angles(radar.site.lat_rad, radar.site.lon_rad, radar.site.height_m,
                                    geo.geodetic_to_ecef(lat, lon, alt, geo.SPHERICAL), geo.SPHERICAL)
    np.testing.assert_allclose(look.slant_range_m, rng_m, atol=1e-3 * METRE * 10)
    np.testing.assert_allclose(look.elevation_rad, el, atol=1e-9)
    np.testing.assert_allclose(np.cos(look.azimuth_rad - az), 1.0, atol=1e-12)


def test_k1_wgs84_geometry_close_to_true_look_angles():
    """On WGS84 the local-curvature sphere is an approximation: within 0.05 deg and 0.2 %."""
    radar = geometry_radar(k_factor=1.0)
    rng = np.random.default_rng(2)
    lat = np.radians(36.0 + rng.uniform(-10, 10, 200))
    lon = np.radians(128.0 + rng.uniform(-12, 12, 200))
    alt = rng.uniform(10e3, 1000e3, 200)
    look = look_from_geodetic(radar, lat, lon, alt)
    _, el, rng_m = geo.look_angles(radar.site.lat_rad, radar.site.lon_rad, radar.site.height_m,
                                   geo.geodetic_to_ecef(lat, lon, alt))
    np.testing.assert_allclose(look.elevation_rad, el, atol=math.radians(0.05))
    np.testing.assert_allclose(look.slant_range_m, rng_m, rtol=2e-3)


def test_lowest_visible_altitude_matches_horizon_closed_form_inverse():
    """Where line of sight binds (min elevation -10 deg), the lowest visible altitude h2 at
    ground distance d solves d = kR[acos(kR/a1) + acos(kR/a2)]."""
    radar = geometry_radar(earth=geo.SPHERICAL)
    kr = 4 / 3 * R_SPH
    d = np.array([150e3, 300e3, 600e3, 1200e3])
    lat2, lon2, _ = geo.geodesic_direct(radar.site.lat_rad, radar.site.lon_rad, math.radians(300.0), d, geo.SPHERICAL)
    res = lowest_visible_altitude(radar, lat2, lon2)
    assert list(res.binding) == ["line of sight"] * 4
    np.testing.assert_allclose(g.radar_horizon_m(radar.site.height_m, res.lowest_alt_m, kr), d, atol=1 * METRE)


def test_min_elevation_floor_is_the_ray_height_at_that_elevation():
    radar = geometry_radar(earth=geo.SPHERICAL, min_el_rad=math.radians(5.0))
    kr = 4 / 3 * R_SPH
    d = np.array([100e3, 400e3, 800e3])
    lat2, lon2, _ = geo.geodesic_direct(radar.site.lat_rad, radar.site.lon_rad, 0.0, d, geo.SPHERICAL)
    res = lowest_visible_altitude(radar, lat2, lon2)
    # the target at that altitude is seen at exactly 5 deg elevation
    look = look_from_geodetic(radar, lat2, lon2, res.lowest_alt_m)
    np.testing.assert_allclose(np.degrees(look.elevation_rad), 5.0, atol=1e-9)
    # second-order check: h ~ h1 + d tan(el) + d^2 / (2 kR cos^2 el), to 1.5 % out to 800 km
    approx = d * math.tan(math.radians(5)) + d**2 / (2 * kr * math.cos(math.radians(5)) ** 2) + radar.site.height_m
    np.testing.assert_allclose(res.lowest_alt_m, approx, rtol=1.5e-2)


def ring(radius_m=300e3, alt_m=150e3, step_deg=0.25):
    az = np.radians(np.arange(0, 360, step_deg))
    lat, lon, _ = geo.geodesic_direct(SEONGJU.lat_rad, SEONGJU.lon_rad, az, radius_m)
    return np.degrees(az), geo.geodetic_to_ecef(lat, lon, np.full_like(lat, alt_m))


def az_in(az_deg, start, end):
    return np.mod(az_deg - start, 360) <= np.mod(end - start, 360)


def away_from_edges(az_deg, edges, tol=0.3):
    d = np.min([np.abs((az_deg - e + 180) % 360 - 180) for e in edges], axis=0)
    return d > tol


def test_face_limits_keep_exactly_boresight_plus_minus_half_width_through_north():
    radar = simple_radar(boresight_az_rad=math.radians(350.0), az_half_width_rad=math.radians(60.0))
    az, pos = ring()
    vis = visibility(radar, pos, 1.0)
    expect = az_in(az, 290, 50)  # wraps through north
    ok = away_from_edges(az, [290, 50])
    np.testing.assert_array_equal(vis[ok], expect[ok])


@pytest.mark.parametrize("start,end", [(300.0, 320.0), (340.0, 20.0)])
def test_full_blanking_removes_exactly_the_sector_including_wrap_through_north(start, end):
    sector = BlankSector(math.radians(start), math.radians(end))
    base = simple_radar(boresight_az_rad=math.radians(330.0))
    radar = simple_radar(boresight_az_rad=math.radians(330.0), blanking=(sector,))
    az, pos = ring()
    before, after = visibility(base, pos, 1.0), visibility(radar, pos, 1.0)
    ok = away_from_edges(az, [start, end, 270, 30])
    removed = before & ~after
    np.testing.assert_array_equal(removed[ok], (before & az_in(az, start, end))[ok])
    assert not np.any(~before & after)  # blanking never adds coverage


def test_elevation_limited_blanking_removes_only_below_el_max():
    radar = simple_radar(blanking=(BlankSector(math.radians(280.0), math.radians(300.0), math.radians(20.0)),))
    az, low = ring(300e3, 60e3)  # ~10 deg elevation
    _, high = ring(300e3, 250e3)  # ~38 deg elevation
    in_sector = az_in(az, 280, 300) & away_from_edges(az, [280, 300])
    assert not visibility(radar, low, 1.0)[in_sector].any()
    assert visibility(radar, high, 1.0)[in_sector].all()
    m = margins(radar, look_from_geodetic(radar, *geo.ecef_to_geodetic(high)), 1.0)
    assert np.all(m["blanking_rad"][in_sector] > 0)


def test_horizon_profile_masks_low_elevations_in_its_azimuths():
    profile = HorizonProfile(np.radians([0, 299, 300, 320, 321, 359]), np.radians([0, 0, 12, 12, 0, 0]), "test")
    radar = simple_radar(horizon=profile)
    az, pos = ring(300e3, 60e3)  # ~10 deg elevation: hidden behind a 12 deg ridge
    vis, base = visibility(radar, pos, 1.0), visibility(simple_radar(), pos, 1.0)
    sel = az_in(az, 300, 320)
    assert not vis[sel].any() and base[sel].all()
    np.testing.assert_array_equal(vis[~az_in(az, 298, 322)], base[~az_in(az, 298, 322)])


def test_visibility_broadcasts_over_trajectory_shapes():
    radar = simple_radar()
    _, pos = ring()
    pos3 = pos.reshape(30, 48, 3)
    assert visibility(radar, pos3, 0.1).shape == (30, 48)
    assert visibility(radar, pos3, np.full((30, 48), 0.1)).shape == (30, 48)


def test_cone_face_reaches_the_zenith_and_narrows_at_the_horizon():
    """Tilted planar face: the scan cone (half-angle 60 deg about a normal 30 deg up) sees
    overhead targets behind the box's azimuth edge, but not the horizon at +/-60 deg."""
    from thaad.radar.model import face_margin, off_boresight_angle

    cone = simple_radar(face_model="cone", face_tilt_rad=math.radians(30.0))
    box = simple_radar()
    az = np.radians([330.0 + 70.0, 330.0, 330.0 + 59.0])
    el = np.radians([80.0, 30.0, 0.0])
    np.testing.assert_allclose(np.degrees(off_boresight_angle(cone, az[1], el[1])), 0.0, atol=1e-9)
    assert list(face_margin(cone, az, el) >= 0) == [True, True, False]
    assert list(face_margin(box, az, el) >= 0) == [False, True, True]
    # spherical law of cosines check of the cone edge at the horizon: cos(off) = cos(t) cos(da)
    da = math.acos(math.cos(math.radians(60)) / math.cos(math.radians(30)))
    np.testing.assert_allclose(face_margin(cone, math.radians(330) + da, 0.0), 0.0, atol=1e-12)

"""geo: round trips, look angles and geodesics against closed forms and published values."""

import numpy as np
import pytest

from thaad import geo

MM = 1e-3
METRE = 1.0


def test_geodetic_ecef_round_trip_wgs84():
    rng = np.random.default_rng(1)
    lat = rng.uniform(-np.pi / 2 + 1e-6, np.pi / 2 - 1e-6, 500)
    lon = rng.uniform(-np.pi, np.pi, 500)
    alt = rng.uniform(-500, 5e6, 500)
    p = geo.geodetic_to_ecef(lat, lon, alt)
    lat2, lon2, alt2 = geo.ecef_to_geodetic(p)
    assert np.max(np.abs(alt2 - alt)) < 1 * MM
    assert np.max(np.abs(lat2 - lat)) < 1e-10
    assert np.max(np.abs(geo.geodetic_altitude_m(p) - alt)) < 1 * MM


def test_equator_and_pole_radii_are_the_wgs84_axes():
    p = geo.geodetic_to_ecef(np.array([0.0, np.pi / 2]), 0.0, 0.0)
    assert p[0, 0] == pytest.approx(geo.WGS84_A_M, abs=MM)
    assert p[1, 2] == pytest.approx(geo.WGS84.b_m, abs=MM)
    assert geo.WGS84.b_m == pytest.approx(6356752.3142, abs=1 * MM)  # NIMA TR8350.2 Table 3.3


def test_spherical_round_trip_is_closed_form():
    p = geo.geodetic_to_ecef(0.3, 1.2, 1000.0, geo.SPHERICAL)
    assert np.linalg.norm(p) == pytest.approx(geo.MEAN_EARTH_RADIUS_M + 1000.0, abs=MM)
    lat, lon, alt = geo.ecef_to_geodetic(p, geo.SPHERICAL)
    assert (lat, lon, alt) == pytest.approx((0.3, 1.2, 1000.0), abs=1e-9)


def test_look_angles_zenith_and_horizon():
    lat, lon = np.radians(36.0), np.radians(128.0)
    up = geo.geodetic_to_ecef(lat, lon, 100e3)
    az, el, rng = geo.look_angles(lat, lon, 0.0, up)
    assert np.degrees(el) == pytest.approx(90.0, abs=1e-6)
    assert rng == pytest.approx(100e3, abs=MM)
    east = geo.geodetic_to_ecef(lat, lon, 0.0) + geo.enu_to_ecef_vector([1000.0, 0, 0], lat, lon)
    az, el, _ = geo.look_angles(lat, lon, 0.0, east)
    assert np.degrees(az) == pytest.approx(90.0, abs=1e-9)
    assert np.degrees(el) == pytest.approx(0.0, abs=1e-6)


def test_geodesic_matches_spherical_great_circle():
    lat1, lon1, lat2, lon2 = np.radians([39.04, 125.76, 36.05, 128.22])
    d, az1, _ = geo.geodesic_inverse(lat1, lon1, lat2, lon2, geo.SPHERICAL)
    central = np.arccos(np.sin(lat1) * np.sin(lat2) + np.cos(lat1) * np.cos(lat2) * np.cos(lon2 - lon1))
    assert d == pytest.approx(geo.MEAN_EARTH_RADIUS_M * central, abs=1 * METRE)
    lat3, lon3, _ = geo.geodesic_direct(lat1, lon1, az1, d, geo.SPHERICAL)
    assert (lat3, lon3) == pytest.approx((lat2, lon2), abs=1e-9)


def test_geodesic_one_degree_of_meridian_at_equator():
    # Length of 1 degree of latitude at the equator on WGS84: 110,574.4 m (Bowditch, Table 7)
    d, _, _ = geo.geodesic_inverse(np.radians(-0.5), 0.0, np.radians(0.5), 0.0)
    assert d == pytest.approx(110574.4, abs=2 * METRE)


def test_geo_broadcasts_over_trailing_vector_axis():
    lat = np.zeros((4, 5))
    p = geo.geodetic_to_ecef(lat, lat, lat)
    assert p.shape == (4, 5, 3)
    assert geo.ecef_to_geodetic(p)[2].shape == (4, 5)


def test_ecef_to_geodetic_agrees_with_proj():
    import pyproj

    to_geodetic = pyproj.Transformer.from_crs(4978, 4979, always_xy=True)
    rng = np.random.default_rng(2)
    lat = rng.uniform(-1.5, 1.5, 200)
    lon = rng.uniform(-3, 3, 200)
    alt = rng.uniform(0, 1e5, 200)
    p = geo.geodetic_to_ecef(lat, lon, alt)
    lon_p, lat_p, h_p = to_geodetic.transform(p[:, 0], p[:, 1], p[:, 2], radians=True)
    lat2, lon2, h2 = geo.ecef_to_geodetic(p)
    assert np.max(np.abs(h2 - h_p)) < 1 * MM
    assert np.max(np.abs(lat2 - lat_p)) < 1e-10


def test_compiled_geodetic_matches_numpy_path_at_any_height():
    """The compiled conversion (Bowring's two steps without trigonometry, used by the flight
    kernel for every sample) gives the NumPy path's latitude to 1e-14 rad (0.06 mm) and height
    to 1e-6 m, from 2 km below the ellipsoid to 3,000 km up, poles and equator included."""
    pytest.importorskip("numba")
    from thaad.geo_compiled import to_geodetic

    rng = np.random.default_rng(5)
    n = 50_000
    lat = np.arcsin(rng.uniform(-1, 1, n))
    lat[:4] = [np.pi / 2, -np.pi / 2, 0.0, np.pi / 2 - 1e-9]
    lon = rng.uniform(-np.pi, np.pi, n)
    alt = rng.uniform(-2e3, 3e6, n)
    p = geo.geodetic_to_ecef(lat, lon, alt)
    la, lo, h = to_geodetic(p[:, 0], p[:, 1], p[:, 2], geo.WGS84.a_m, geo.WGS84.b_m, geo.WGS84.e2)
    ref = geo.ecef_to_geodetic(p[:100])  # the NumPy path (under COMPILED_GEODESY_MIN)
    assert np.max(np.abs(la - lat)) < 1e-14 and np.max(np.abs(h - alt)) < 1e-6
    assert np.max(np.abs(np.angle(np.exp(1j * (lo - lon))))) < 1e-14
    assert np.max(np.abs(la[:100] - ref[0])) < 1e-14 and np.max(np.abs(h[:100] - ref[2])) < 1e-6


def test_compiled_atan2_matches_the_c_library():
    """geo_compiled.atan2 (no libm call, so sample loops vectorise) against math.atan2: 2e-15
    rad over a million random directions of all magnitudes, and the axes and diagonals."""
    pytest.importorskip("numba")
    from numba import njit

    from thaad.geo_compiled import atan2

    @njit
    def many(y, x, out):
        for i in range(y.size):
            out[i] = atan2(y[i], x[i])

    rng = np.random.default_rng(3)
    y = rng.normal(size=1_000_000) * 10.0 ** rng.uniform(-8, 8, 1_000_000)
    x = rng.normal(size=1_000_000) * 10.0 ** rng.uniform(-8, 8, 1_000_000)
    edge = [(0.0, 1.0), (1.0, 0.0), (0.0, -1.0), (-1.0, 0.0), (1.0, 1.0), (-1.0, -1.0), (1.0, -1.0), (0.0, 0.0),
            (2.0 - 3.0 ** 0.5, 1.0), (1.0, 2.0 - 3.0 ** 0.5), (1e-300, -1.0), (6.4e6, 6.3e6)]
    y = np.concatenate([y, [e[0] for e in edge]])
    x = np.concatenate([x, [e[1] for e in edge]])
    out = np.empty(y.size)
    many(y, x, out)
    assert np.max(np.abs(out - np.arctan2(y, x))) < 2e-15
    many(np.array([np.nan, 1.0, np.nan]), np.array([1.0, np.nan, np.nan]), out[:3])
    assert np.isnan(out[:3]).all()


def test_compiled_geodesic_inverse_matches_proj():
    """Large batches use the compiled Vincenty inverse: same distances as PROJ (Karney) to
    1 mm and azimuths to 1e-8 rad, nearly antipodal pairs handed back to PROJ."""
    pytest.importorskip("numba")
    from thaad import geo

    rng = np.random.default_rng(11)
    n = geo.COMPILED_GEODESY_MIN
    la1, lo1 = np.radians(rng.uniform(-89, 89, n)), np.radians(rng.uniform(-180, 180, n))
    la2, lo2 = np.radians(rng.uniform(-89, 89, n)), np.radians(rng.uniform(-180, 180, n))
    la2[:5], lo2[:5] = -la1[:5], lo1[:5] + np.pi - 1e-7  # nearly antipodal
    la2[5:10], lo2[5:10] = la1[5:10], lo1[5:10]  # coincident
    d, a1, a2 = geo.geodesic_inverse(la1, lo1, la2, lo2)
    args = [np.degrees(x) for x in (lo1, la1, lo2, la2)]
    ref_a1, ref_a2, ref_d = geo.WGS84.geod().inv(*args)
    np.testing.assert_allclose(d, ref_d, atol=1e-3, rtol=0)
    far = ref_d > 1.0
    wrap = lambda x: (x + np.pi) % (2 * np.pi) - np.pi  # noqa: E731
    assert np.max(np.abs(wrap(a1 - np.radians(ref_a1)))[far]) < 1e-8
    assert np.max(np.abs(wrap(a2 - np.radians(ref_a2)))[far]) < 1e-8

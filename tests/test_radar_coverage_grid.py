"""The fused grid kernel of coverage maps (geodesic + effective radius + closed form in one
compiled pass, Vincenty warm-started from the neighbouring cells) against the reference
path: NumPy closed form on PROJ's geodesic (Karney), cell by cell."""

import math

import numpy as np
import pytest

from thaad import geo
from thaad.radar import BlankSector, RadarSite, coverage_map, grid_around, lowest_visible_altitude
from thaad.radar import coverage as coverage_module
from radar_helpers import SEONGJU, simple_radar

pytest.importorskip("numba")

MM = 1e-3  # metre
# Vincenty (1e-13 rad convergence) vs Karney: well under a millimetre of ground range; the
# slant range at the floor is sqrt(a1^2 + a2^2 - 2 a1 a2 cos theta) of radii ~8.5e6 m: its
# rounding alone is ~1e-5 m near the radar, so 1 mm is a bound that still fails on any slip.
ANGLE = 1e-9  # rad (6 mm at 6,000 km)


def reference(radar, lat, lon, rcs, max_alt_m):
    la, lo = np.meshgrid(lat, lon, indexing="ij")
    return lowest_visible_altitude(radar, la, lo, rcs, max_alt_m=max_alt_m, compiled=False)


def assert_same(fast, ref):
    for name in ("lowest_alt_m", "slant_range_m", "highest_alt_m", "ground_range_m"):
        a, b = getattr(fast, name), getattr(ref, name)
        np.testing.assert_array_equal(np.isnan(a), np.isnan(b), err_msg=name)
        np.testing.assert_allclose(a, b, atol=1 * MM, rtol=0, err_msg=name)
    np.testing.assert_allclose(fast.elevation_rad, ref.elevation_rad, atol=ANGLE, rtol=0)
    d_az = (fast.azimuth_rad - ref.azimuth_rad + math.pi) % (2 * math.pi) - math.pi
    assert np.nanmax(np.abs(d_az)) < ANGLE
    np.testing.assert_array_equal(fast.binding, ref.binding)


def fused_map(radar, lat, lon, rcs, max_alt_m=np.inf):
    assert coverage_module._fused_grid_applies(radar, lat, lon), "the grid must take the fused kernel"
    return coverage_map(radar, lat, lon, rcs, max_alt_m=max_alt_m)


@pytest.mark.parametrize("earth, shuffled", [(geo.WGS84, False), (geo.SPHERICAL, False), (geo.WGS84, True)],
                         ids=["wgs84", "sphere", "wgs84-unordered-longitudes"])
def test_fused_grid_matches_numpy_and_proj_cell_by_cell(earth, shuffled):
    """A partly blanked sector (elevation limit), a fully blanked one, the face edges, the
    detection range, an elevation limit and an altitude ceiling: the same numbers and the
    same binding labels as the reference; also where the longitudes are in no order (the
    warm start from the row's neighbours then starts far off and must still converge)."""
    radar = simple_radar(blanking=(BlankSector(math.radians(280), math.radians(300), math.radians(15)),
                                   BlankSector(math.radians(340), math.radians(350))),
                         max_el_rad=math.radians(70.0), earth=earth)
    lat = SEONGJU.lat_rad + np.radians(np.linspace(-14, 14, 150))
    lon = SEONGJU.lon_rad + np.radians(np.linspace(-17, 17, 151))
    if shuffled:
        lon = np.random.default_rng(5).permutation(lon)
    cov = fused_map(radar, lat, lon, 0.05, max_alt_m=900e3)
    ref = reference(radar, lat, lon, 0.05, 900e3)
    assert_same(cov.result, ref)
    assert set(np.unique(cov.result.binding)) >= {"min elevation", "blank 1", "face azimuth", "blanked",
                                                  "detection range"}


def test_fused_grid_across_the_antimeridian_and_at_the_pole():
    """Grids whose longitudes wrap (L jumps from +pi to -pi along a row) and a polar cap
    (rows of one latitude over all longitudes): the warm start must not carry across."""
    site = RadarSite(math.radians(71.0), math.radians(178.5), 50.0, name="near the antimeridian")
    radar = simple_radar(site=site, az_half_width_rad=math.pi)
    lat, lon = grid_around(site.lat_rad, site.lon_rad, 2500e3, 30e3)
    assert lat.max() > math.radians(89.0) and np.ptp(lon) > math.pi  # polar cap, all longitudes
    lat, lon = lat[::2], lon
    assert_same(fused_map(radar, lat, lon, 1.0).result, reference(radar, lat, lon, 1.0, np.inf))


def test_fused_grid_nearly_antipodal_cells_fall_back_to_proj():
    """Around the antipode Vincenty's iteration does not converge: those cells are redone
    on PROJ's geodesic; ground range and azimuth agree with it (nothing is covered there)."""
    radar = simple_radar(az_half_width_rad=math.pi)
    lat = -SEONGJU.lat_rad + np.radians(np.linspace(-0.5, 0.5, 141))
    lon = SEONGJU.lon_rad - math.pi + np.radians(np.linspace(-0.5, 0.5, 143))
    from thaad.radar.coverage_compiled import grid  # noqa: F401  (the fused kernel is there)

    cov = fused_map(radar, lat, lon, 1.0)
    ref = reference(radar, lat, lon, 1.0, np.inf)
    np.testing.assert_allclose(cov.result.ground_range_m, ref.ground_range_m, atol=1 * MM, rtol=0)
    assert np.all(cov.result.ground_range_m > 19_900e3)
    np.testing.assert_array_equal(cov.result.binding, ref.binding)
    assert not cov.covered.any()

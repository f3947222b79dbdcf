"""Coverage maps: closed form vs brute-force search, monotonic in RCS, blanking."""

import math

import numpy as np
import pytest

from thaad import geo
from thaad.radar import BlankSector, coverage_map, grid_around, lowest_visible_altitude, visibility
from radar_helpers import SEONGJU, simple_radar

METRE = 1.0


@pytest.fixture(scope="module")
def grid():
    return grid_around(SEONGJU.lat_rad, SEONGJU.lon_rad, 1600e3, 40e3)


@pytest.mark.parametrize("face_model", ["box", "cone"])
def test_closed_form_lowest_altitude_matches_bisection_on_visibility(face_model):
    """Independent path: bisection over altitude using visibility() on ECEF positions."""
    radar = simple_radar(blanking=(BlankSector(math.radians(280), math.radians(300), math.radians(15)),),
                         face_model=face_model, face_tilt_rad=math.radians(30.0))
    rng = np.random.default_rng(3)
    lat = SEONGJU.lat_rad + np.radians(rng.uniform(-9, 9, 400))
    lon = SEONGJU.lon_rad + np.radians(rng.uniform(-11, 11, 400))
    rcs = 0.05
    res = lowest_visible_altitude(radar, lat, lon, rcs)

    def vis(alt):
        return visibility(radar, geo.geodetic_to_ecef(lat, lon, alt), rcs)

    # scan a coarse column for the first visible altitude, then bisect below it
    alts = np.arange(0.0, 1500e3, 2e3)
    seen = np.stack([vis(np.full_like(lat, a)) for a in alts])
    any_seen = seen.any(axis=0)
    np.testing.assert_array_equal(any_seen, np.isfinite(res.lowest_alt_m))
    first = alts[np.argmax(seen, axis=0)]
    lo, hi = np.maximum(first - 2e3, 0.0), first.copy()
    lo = np.where(vis(lo), lo - 1.0, lo)  # already visible at the lower end (e.g. altitude 0)
    for _ in range(30):
        mid = 0.5 * (lo + hi)
        v = vis(mid)
        hi, lo = np.where(v, mid, hi), np.where(v, lo, mid)
    np.testing.assert_allclose(np.maximum(hi, 0)[any_seen], res.lowest_alt_m[any_seen], atol=1 * METRE)


def test_coverage_shrinks_monotonically_as_rcs_falls():
    radar = simple_radar()
    lat, lon = grid_around(SEONGJU.lat_rad, SEONGJU.lon_rad, 3000e3, 50e3)  # holds R(1 m^2) = 2,670 km
    maps = [coverage_map(radar, lat, lon, rcs) for rcs in (1.0, 0.3, 0.1, 0.01, 0.001)]
    areas = [m.area_below_m2(np.inf) for m in maps]
    assert all(a > b for a, b in zip(areas, areas[1:])), areas
    for big, small in zip(maps, maps[1:]):
        assert not np.any(small.covered & ~big.covered)  # nested
        both = small.covered
        assert np.all(small.lowest_alt_m[both] >= big.lowest_alt_m[both] - 1e-6)


def test_blanking_only_removes_coverage_and_only_in_its_sector(grid):
    lat, lon = grid
    base = coverage_map(simple_radar(), lat, lon, 1.0)
    shield = coverage_map(simple_radar(blanking=(BlankSector(math.radians(270), math.radians(300)),)), lat, lon, 1.0)
    lost = base.covered & ~shield.covered
    assert not np.any(shield.covered & ~base.covered)
    az = np.degrees(base.result.azimuth_rad[lost])
    assert lost.any() and np.all((az >= 270 - 1e-9) & (az <= 300 + 1e-9))
    same = shield.covered
    np.testing.assert_array_equal(shield.lowest_alt_m[same], base.lowest_alt_m[same])


def test_coverage_summary_quantities(grid):
    lat, lon = grid
    cov = coverage_map(simple_radar(), lat, lon, 0.1)
    bands = cov.area_by_band()
    assert sum(b["area_m2"] for b in bands) == pytest.approx(cov.area_below_m2(np.inf), rel=1e-9)
    far = cov.farthest()
    assert far["ground_range_m"] <= cov.detection_range_m * 1.01
    assert far["slant_range_m"] <= cov.detection_range_m + 1 * METRE
    # grid cell areas add up to the box area on the sphere
    r = geo.WGS84.mean_radius_m
    box = r * r * (np.ptp(np.unwrap(lon)) + abs(lon[1] - lon[0])) * (
        math.sin(lat.max() + abs(lat[1] - lat[0]) / 2) - math.sin(lat.min() - abs(lat[1] - lat[0]) / 2))
    assert cov.cell_area_m2.sum() == pytest.approx(box, rel=1e-6)
    # the slant range at the lowest altitude never exceeds the detection range
    assert np.nanmax(cov.slant_range_m) <= cov.detection_range_m + 1 * METRE


@pytest.mark.parametrize("rcs", [0.05, None])
def test_compiled_coverage_kernel_matches_the_numpy_path(rcs):
    """Large grids of a box-face radar use the compiled per-cell kernel: the same lowest
    altitudes (to 1 mm), slant ranges, ceilings, elevations and binding labels as NumPy."""
    pytest.importorskip("numba")
    radar = simple_radar(blanking=(BlankSector(math.radians(280), math.radians(300), math.radians(15)),
                                   BlankSector(math.radians(100), math.radians(120))))
    lat = SEONGJU.lat_rad + np.radians(np.linspace(-14, 14, 150))
    lon = SEONGJU.lon_rad + np.radians(np.linspace(-17, 17, 150))
    la, lo = np.meshgrid(lat, lon, indexing="ij")
    assert la.size >= geo.COMPILED_GEODESY_MIN
    fast = lowest_visible_altitude(radar, la, lo, rcs, max_alt_m=900e3, compiled=True)
    ref = lowest_visible_altitude(radar, la, lo, rcs, max_alt_m=900e3)
    for name in ("lowest_alt_m", "slant_range_m", "highest_alt_m", "ground_range_m"):
        np.testing.assert_allclose(getattr(fast, name), getattr(ref, name), atol=1e-3, rtol=0, err_msg=name)
    np.testing.assert_allclose(fast.elevation_rad, ref.elevation_rad, atol=1e-10, rtol=0)
    np.testing.assert_array_equal(fast.binding, ref.binding)
    assert np.isfinite(fast.lowest_alt_m).any() and (~np.isfinite(fast.lowest_alt_m)).any()

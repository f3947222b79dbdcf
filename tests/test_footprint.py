"""Defended footprints on a coarse grid with synthetic Kepler threats."""

import math

import numpy as np
import pytest
from synthetic import kepler_arcs, simple_detection

from thaad.engagement import Battery
from thaad.errors import InputError
from thaad.footprint import Uncertainty, aim_grid, footprint
from thaad.interceptor import Interceptor

SEONGJU = (36.0513, 128.2229)
WONSAN = (math.radians(39.17), math.radians(127.48))
KM = 1000.0


def fly(lat0, lon0, lat_t, lon_t, u):
    """Minimum-energy arcs; the missile quantile u tilts the flight-path angle by +-3 deg.
    Launch point and u: scalars or one per target (a batched Monte Carlo chunk)."""
    ts0 = kepler_arcs(np.degrees(lat0), np.degrees(lon0), np.degrees(lat_t), np.degrees(lon_t), dt_s=2.0)
    if u is None:
        return ts0
    gamma = np.pi / 4 - (ts0.range_m / 6371008.8) / 4 + np.radians(6.0 * (np.asarray(u) - 0.5))
    return kepler_arcs(np.degrees(lat0), np.degrees(lon0), np.degrees(lat_t), np.degrees(lon_t),
                       gamma_deg=np.degrees(gamma), dt_s=2.0)


def detect(ts):
    return simple_detection(ts, *SEONGJU)


def battery(**kw):
    lat, lon = (math.radians(a) for a in SEONGJU)
    return Battery("test", lat, lon, 680.0, ((lat, lon, 680.0),), **kw)


@pytest.fixture(scope="module")
def grid():
    return aim_grid(math.radians(SEONGJU[0]), math.radians(SEONGJU[1]), 250 * KM, 50 * KM)


def test_aim_grid_cells_tile_the_square(grid):
    assert grid.shape == (11, 11)
    side = 11 * 50 * KM
    assert abs(grid.cell_area_m2.sum() - side * side) < 0.01 * side * side


def test_battery_site_is_defended_and_area_is_positive(grid):
    lat, lon = (math.radians(a) for a in SEONGJU)
    fp = footprint(*WONSAN, grid, fly, detect, battery(), points_lat_rad=[lat], points_lon_rad=[lon])
    assert fp.point_shots[0] >= 1
    assert 0 < fp.defended_area_km2 <= fp.threatened_area_km2
    assert fp.expected_defended_area_km2 <= fp.defended_area_km2 + 1e-9
    assert fp.shots[5, 5] >= 1  # the centre cell is the site itself


@pytest.mark.parametrize("change", [{"max_intercept_alt_m": 80e3}, {"max_intercept_range_m": 100e3},
                                    {"min_intercept_alt_m": 70e3}])
def test_defended_area_shrinks_when_the_engagement_volume_shrinks(grid, change):
    base = footprint(*WONSAN, grid, fly, detect, battery())
    small = footprint(*WONSAN, grid, fly, detect, battery(interceptor=Interceptor(**change)))
    assert small.defended_area_km2 < base.defended_area_km2
    assert np.all(small.shots <= base.shots)


def test_monte_carlo_band_is_ordered_and_reproducible(grid):
    unc = Uncertainty(launch_radius_m=30e3, firm_track_s=(5.0, 30.0), decision_s=(5.0, 30.0),
                      pk=(0.6, 0.95), missile=True)
    a = footprint(*WONSAN, grid, fly, detect, battery(), samples=4, seed=7, uncertainty=unc)
    b = footprint(*WONSAN, grid, fly, detect, battery(), samples=4, seed=7, uncertainty=unc)
    assert np.array_equal(a.samples_area_km2, b.samples_area_km2)
    lo, mid, hi = a.band()["defended_area_km2"]
    assert lo <= mid <= hi
    assert np.all((a.defended_probability >= 0) & (a.defended_probability <= 1))
    c = footprint(*WONSAN, grid, fly, detect, battery(), samples=4, seed=8, uncertainty=unc)
    assert not np.array_equal(a.samples_area_km2, c.samples_area_km2)
    # batched Monte Carlo: one sample per chunk or all in one chunk, the same samples
    one = footprint(*WONSAN, grid, fly, detect, battery(), samples=4, seed=7, uncertainty=unc, chunk_pairs=1)
    np.testing.assert_allclose(one.samples_area_km2, a.samples_area_km2, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(one.defended_probability, a.defended_probability)
    band = a.band()
    assert band["samples"] == 4 and len(band["defended_area_standard_error_km2"]) == 3


def test_bad_footprint_input_names_the_field(grid):
    with pytest.raises(InputError) as err:
        footprint(*WONSAN, grid, fly, detect, battery(), pk=1.2)
    assert err.value.field == "pk"
    with pytest.raises(InputError) as err:
        aim_grid(0.6, 2.2, 100e3, 0.0)
    assert err.value.field == "grid_km"


def test_cli_footprint_json_reports_area_band_and_places(tmp_path):
    import json
    import subprocess
    import sys

    geo = tmp_path / "fp.geojson"
    r = subprocess.run([sys.executable, "-m", "thaad", "footprint", "--missile", "scud-c", "--from", "wonsan",
                        "--grid-km", "60", "--extent-km", "180", "--samples", "2", "--seed", "3", "--json",
                        "--out", str(geo)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["defended_area_km2"] > 0
    lo, mid, hi = out["band"]["defended_area_km2"]
    assert lo <= mid <= hi
    seongju = next(p for p in out["places"] if p["key"] == "seongju")
    assert seongju["defended"] is True
    assert {"defended", "defended_probability", "shot_opportunities"} <= set(seongju)
    feats = json.loads(geo.read_text())["features"]
    areas = [f for f in feats if f["geometry"]["type"] == "MultiPolygon"]
    assert areas and all(f["properties"]["shots"] >= 1 for f in areas)
    # merged polygons: one feature per shot count, their areas add up to the defended area
    assert len({f["properties"]["shots"] for f in areas}) == len(areas)
    assert sum(f["properties"]["area_km2"] for f in areas) == pytest.approx(out["defended_area_km2"], rel=0.01)

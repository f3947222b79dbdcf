"""Terrain masks (horizon CSV, DEM-derived horizon) and the GSHHG map reader."""

import math

import numpy as np
import pytest

from thaad import geo, mapdata, terrain
from thaad.errors import InputError
from thaad.radar import lowest_visible_altitude
from radar_helpers import SEONGJU, simple_radar


def test_horizon_csv_round_trip_and_errors(tmp_path):
    p = tmp_path / "h.csv"
    p.write_text("azimuth_deg,elevation_deg\n# a ridge to the west\n0,0.5\n270,3\n300,1.5\n")
    prof = terrain.read_horizon_csv(p)
    assert np.degrees(prof.elevation_at(math.radians(285))) == pytest.approx(2.25)
    assert np.degrees(prof.elevation_at(math.radians(135))) == pytest.approx(0.5 + (3 - 0.5) * 135 / 270)
    bad = tmp_path / "bad.csv"
    bad.write_text("0,0\n10,95\n")
    with pytest.raises(InputError, match="horizon elevation_deg"):
        terrain.read_horizon_csv(bad)
    with pytest.raises(InputError, match="no such file"):
        terrain.read_horizon_csv(tmp_path / "missing.csv")


def test_dem_horizon_sees_a_ridge_and_raises_the_floor(tmp_path):
    rasterio = pytest.importorskip("rasterio")
    from rasterio.transform import from_origin

    # 1 km high N-S ridge 20 km west of the site, flat (0 m) elsewhere; 0.005 deg pixels
    lon0, lat0, px = 127.5, 36.6, 0.005
    ny, nx = 240, 200
    lon = lon0 + (np.arange(nx) + 0.5) * px
    z = np.zeros((ny, nx), np.float32)
    ridge_lon = math.degrees(SEONGJU.lon_rad) - 20e3 / (111.3e3 * math.cos(SEONGJU.lat_rad))
    z[:, np.abs(lon - ridge_lon) < 0.01] = 1000.0
    path = tmp_path / "dem.tif"
    with rasterio.open(path, "w", driver="GTiff", width=nx, height=ny, count=1, dtype="float32", crs="EPSG:4326",
                       transform=from_origin(lon0, lat0, px, px)) as ds:
        ds.write(z, 1)
    prof = terrain.horizon_from_dem(path, SEONGJU, n_azimuths=360, max_distance_m=60e3)
    west = math.degrees(prof.elevation_at(math.radians(270)))
    east = math.degrees(prof.elevation_at(math.radians(90)))
    # ridge: (1000 - 684) m at 20 km, minus curvature d^2/2kR ~ 24 m -> ~0.84 deg
    assert west == pytest.approx(math.degrees(math.atan((1000 - 684 - 20e3**2 / (2 * 4 / 3 * 6.37e6)) / 20e3)), abs=0.05)
    assert east < 0
    radar = simple_radar(min_el_rad=0.0, horizon=prof, boresight_az_rad=math.radians(270))
    plain = simple_radar(min_el_rad=0.0, boresight_az_rad=math.radians(270))
    lat, lon2, _ = geo.geodesic_direct(SEONGJU.lat_rad, SEONGJU.lon_rad, math.radians(270), 200e3)
    masked, smooth = (lowest_visible_altitude(r, lat, lon2, 1.0).lowest_alt_m for r in (radar, plain))
    assert masked > smooth + 1000.0


def test_gshhg_reader_finds_korea_and_china_borders():
    coast = mapdata.coastlines(124, 131, 33, 39, resolution="l")
    assert len(coast) > 5
    pts = np.concatenate(coast)
    assert ((pts[:, 0] > 126) & (pts[:, 0] < 130) & (pts[:, 1] > 34) & (pts[:, 1] < 38.5)).sum() > 50
    b = np.concatenate(mapdata.borders(115, 135, 35, 45, resolution="l"))
    # the China-North Korea border runs along the Yalu near 40 N, 124.4 E
    assert np.min(np.hypot(b[:, 0] - 124.4, b[:, 1] - 40.1)) < 0.3


def test_draw_basemap_runs_offline():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    mapdata.draw_basemap(ax, 115, 135, 30, 45, resolution="c")
    assert ax.get_xlim() == (115, 135)
    plt.close(fig)


def test_contour_polygons_are_valid_right_hand_with_holes():
    """A ring of high values around a low centre: one band polygon with a hole, exterior
    counter-clockwise and hole clockwise (RFC 7946 sec. 3.1.6), valid for GEOS."""
    import shapely

    from thaad.gis.geometry import filled_contours, polygon_geometry

    x = np.linspace(-2, 2, 41)
    X, Y = np.meshgrid(x, x)
    r = np.hypot(X, Y)
    geom = polygon_geometry(filled_contours(x, x, r, 0.5, 1.5))  # annulus 0.5 <= r < 1.5
    assert geom["type"] == "MultiPolygon" and len(geom["coordinates"]) == 1
    poly = shapely.geometry.shape(geom).geoms[0]
    assert shapely.is_valid(poly) and len(poly.interiors) == 1
    assert poly.exterior.is_ccw and not poly.interiors[0].is_ccw
    # annulus area pi (1.5^2 - 0.5^2) to within the 0.1-grid discretisation
    assert poly.area == pytest.approx(np.pi * (1.5**2 - 0.5**2), rel=0.03)
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])  # self-intersecting input is repaired
    fixed = shapely.geometry.shape(polygon_geometry(bowtie))
    assert shapely.is_valid(fixed) and fixed.area == pytest.approx(0.5)

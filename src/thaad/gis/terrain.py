"""Terrain masks for the radar (shell: reads files).

* A horizon profile CSV with columns ``azimuth_deg,elevation_deg`` (header optional,
  ``#`` comments allowed): the elevation of the terrain horizon seen from the radar.
* A GeoTIFF DEM (needs the optional ``rasterio`` package): the horizon profile is derived
  by marching along geodesics from the site and taking the largest apparent elevation of
  the terrain on the k-Earth (same geometry as :mod:`thaad.radar.geometry`).

The default everywhere is a smooth Earth, and outputs say which model was used.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np

from thaad import geo, validate
from thaad.errors import InputError
from thaad.extras import require
from thaad.radar import geometry as g
from thaad.radar.model import HorizonProfile, RadarSite


MAX_HORIZON_BYTES = 16 * 2**20  # a profile at 0.01 deg steps is ~0.5 MiB


def read_horizon_csv(path: str | Path) -> HorizonProfile:
    """Read ``azimuth_deg,elevation_deg`` rows into a :class:`HorizonProfile`."""
    from thaad import files

    p = Path(path)
    text = files.read_text_limited(p, "horizon", MAX_HORIZON_BYTES, "horizon CSV")
    az, el = [], []
    for lineno, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        if not row or row[0].strip().startswith("#"):
            continue
        if len(row) < 2:
            raise InputError("horizon", f"{p.name}:{lineno}: expected azimuth_deg,elevation_deg")
        try:
            a = validate.parse_number("azimuth_deg", row[0])
            e = validate.parse_number("elevation_deg", row[1])
        except InputError as err:
            if lineno == 1:  # header
                continue
            raise InputError("horizon", f"{p.name}:{lineno}: {err.field} {err.message}") from None
        if not (-90 <= e <= 90):
            raise InputError("horizon elevation_deg", f"{p.name}:{lineno}: must be in [-90, 90], got {e:g}")
        az.append(math.radians(a))
        el.append(math.radians(e))
    if not az:
        raise InputError("horizon", f"{p.name}: no azimuth_deg,elevation_deg rows")
    return HorizonProfile(np.array(az), np.array(el), source=f"horizon profile {p.name}")


def write_horizon_csv(profile: HorizonProfile, path: str | Path) -> None:
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        fh.write("azimuth_deg,elevation_deg\n")
        for a, e in zip(np.degrees(profile.azimuth_rad), np.degrees(profile.elevation_rad)):
            fh.write(f"{a:.4f},{e:.5f}\n")


def horizon_from_heights(site: RadarSite, sample_height_m, k_factor: float = 4.0 / 3.0, *,
                         n_azimuths: int = 720, max_distance_m: float = 150e3, step_m: float = 250.0,
                         earth: geo.Earth = geo.WGS84, source: str = "terrain") -> HorizonProfile:
    """Horizon profile from a terrain-height function ``sample_height_m(lat_rad, lon_rad)``
    (heights above the ellipsoid, NaN outside the data): for each azimuth the largest
    apparent elevation of the terrain along the geodesic, on the k-Earth."""
    az = np.linspace(0.0, 2 * np.pi, n_azimuths, endpoint=False)
    dist = np.arange(step_m, max_distance_m + step_m / 2, step_m)
    A, D = np.meshgrid(az, dist, indexing="ij")
    lat, lon, _ = geo.geodesic_direct(site.lat_rad, site.lon_rad, A, D, earth)
    h = np.asarray(sample_height_m(lat, lon), dtype=float)
    kr = k_factor * geo.radius_of_curvature_m(site.lat_rad, A, earth)
    el = g.elevation_rad(D / kr, kr + site.height_m, kr + np.where(np.isfinite(h), h, -1e4))
    horizon = np.max(el, axis=1)
    return HorizonProfile(az, np.maximum(horizon, -np.pi / 2 + 1e-9), source=source)


MAX_DEM_PIXELS = 100_000_000  # 0.8 GB as float64


def horizon_from_dem(path: str | Path, site: RadarSite, k_factor: float = 4.0 / 3.0, **kw) -> HorizonProfile:
    """Horizon profile from a GeoTIFF DEM in geographic coordinates (EPSG:4326, heights in
    metres; treated as heights above the ellipsoid: the geoid offset, ~25 m in Korea, is
    ignored).  Needs ``rasterio``."""
    rasterio = require("rasterio", "dem", "reading a GeoTIFF DEM (or pass a horizon CSV with --horizon)")
    p = Path(path)
    if not p.is_file():
        raise InputError("dem", f"no such file: {str(p)!r}")
    if not p.is_file():
        raise InputError("dem", f"{str(p)!r} is not a regular file")
    try:
        with rasterio.open(p) as ds:
            if ds.crs is not None and ds.crs.to_epsg() not in (4326, None):
                raise InputError("dem", f"DEM must be in geographic lat/lon (EPSG:4326), got {ds.crs}")
            if ds.width * ds.height > MAX_DEM_PIXELS:
                raise InputError("dem", f"{ds.width} x {ds.height} pixels is more than {MAX_DEM_PIXELS:,}; "
                                        "crop the DEM to the radar's surroundings")
            band = ds.read(1, masked=True).astype(float).filled(np.nan)
            inv = ~ds.transform  # pixel <- (lon, lat): col = a x + b y + c, row = d x + e y + f
    except rasterio.errors.RasterioError as err:
        raise InputError("dem", f"{str(p)!r} is not a readable GeoTIFF: {str(err).splitlines()[0][:200]}") from None

    def sample(lat, lon):
        x, y = np.degrees(lon), np.degrees(lat)
        col = inv.a * x + inv.b * y + inv.c
        row = inv.d * x + inv.e * y + inv.f
        col = np.floor(col).astype(int)
        row = np.floor(row).astype(int)
        ok = (row >= 0) & (row < band.shape[0]) & (col >= 0) & (col < band.shape[1])
        out = np.full(np.shape(lat), np.nan)
        out[ok] = band[row[ok], col[ok]]
        return out

    return horizon_from_heights(site, sample, k_factor, source=f"DEM {p.name}", **kw)

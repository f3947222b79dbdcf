"""Coverage maps: the lowest altitude at which a target of a given RCS is detectable above
every cell of a latitude/longitude grid, all cells at once (closed form per cell, see
:func:`thaad.radar.model.lowest_visible_altitude`)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from thaad import geo
from thaad.errors import require_range
from thaad.radar.model import LowestAltitude, Radar, kernel_terms, lowest_visible_altitude

DEFAULT_BANDS_M = (0.0, 10e3, 20e3, 40e3, 60e3, 100e3, 150e3, 200e3, 300e3, 500e3, 1000e3, np.inf)


@dataclass(frozen=True)
class CoverageMap:
    lat_rad: np.ndarray  # (ny,) cell centres
    lon_rad: np.ndarray  # (nx,)
    rcs_m2: float
    detection_range_m: float
    result: LowestAltitude  # arrays (ny, nx)
    cell_area_m2: np.ndarray  # (ny, nx)

    @property
    def lowest_alt_m(self) -> np.ndarray:
        return self.result.lowest_alt_m

    @property
    def slant_range_m(self) -> np.ndarray:
        return self.result.slant_range_m

    @property
    def covered(self) -> np.ndarray:
        return np.isfinite(self.result.lowest_alt_m)

    def area_below_m2(self, alt_m: float) -> float:
        """Ground area (m^2) above which a target at ``alt_m`` or lower is detectable."""
        return float(self.cell_area_m2[self.covered & (self.lowest_alt_m <= alt_m)].sum())

    def area_by_band(self, bands_m=DEFAULT_BANDS_M) -> list[dict]:
        """Area whose lowest detectable altitude falls in each band [lo, hi)."""
        low = self.lowest_alt_m
        rows = []
        for lo, hi in zip(bands_m[:-1], bands_m[1:]):
            sel = self.covered & (low >= lo) & (low < hi)
            rows.append({"alt_min_m": lo, "alt_max_m": hi, "area_m2": float(self.cell_area_m2[sel].sum()),
                         "cumulative_area_m2": self.area_below_m2(hi if math.isfinite(hi) else np.inf)})
        return rows

    def farthest(self) -> dict | None:
        """The covered cell farthest (ground range) from the radar."""
        if not self.covered.any():
            return None
        gr = np.where(self.covered, self.result.ground_range_m, -1.0)
        iy, ix = np.unravel_index(np.argmax(gr), gr.shape)
        return {"lat_rad": float(self.lat_rad[iy]), "lon_rad": float(self.lon_rad[ix]),
                "ground_range_m": float(gr[iy, ix]), "azimuth_rad": float(self.result.azimuth_rad[iy, ix]),
                "lowest_alt_m": float(self.lowest_alt_m[iy, ix]), "slant_range_m": float(self.slant_range_m[iy, ix])}


def grid_around(lat0_rad: float, lon0_rad: float, half_extent_m: float, step_m: float, earth: geo.Earth = geo.WGS84):
    """Regular lat/lon grid of about ``step_m`` spacing covering +/- ``half_extent_m``
    around a point (cell centres).

    Where the box would reach past 89 deg of latitude it becomes a polar cap instead: latitudes
    from the equatorward edge to the pole, all longitudes, spaced for ``step_m`` at the
    equatorward edge (a box cut at 89 deg lost almost all of a polar radar's coverage)."""
    require_range("grid step (km)", step_m / 1e3, 0.01, 1000)
    require_range("grid extent (km)", half_extent_m / 1e3, 1, 20000)
    r = earth.mean_radius_m
    dlat = step_m / r
    half = half_extent_m / r
    if abs(lat0_rad) + half > math.radians(89.0):
        sign = 1.0 if lat0_rad >= 0 else -1.0
        edge = max(abs(lat0_rad) - half, -math.pi / 2)  # equatorward edge (toward the far pole if beyond)
        lo, hi = edge, math.pi / 2
        ny = max(int(math.ceil((hi - lo) / dlat)), 1)
        lat_abs = lo + (np.arange(ny) + 0.5) * ((hi - lo) / ny)
        lat = np.sort(sign * lat_abs)
        widest = max(math.cos(lo) if lo > 0 else 1.0, 1e-3)
        nx = max(int(math.ceil(2 * math.pi * r * widest / step_m)), 8)
        lon = -math.pi + (np.arange(nx) + 0.5) * (2 * math.pi / nx)
        return lat, lon
    half_lat = half
    coslat = max(math.cos(lat0_rad), 1e-3)
    dlon = step_m / (r * coslat)
    half_lon = min(half_extent_m / (r * max(math.cos(abs(lat0_rad) + half_lat), 0.05)), math.pi)
    ny = max(int(round(2 * half_lat / dlat)), 1)
    nx = max(int(round(2 * half_lon / dlon)), 1)
    lat = lat0_rad + (np.arange(ny) - (ny - 1) / 2) * (2 * half_lat / ny)
    lon = lon0_rad + (np.arange(nx) - (nx - 1) / 2) * (2 * half_lon / nx)
    return lat, np.mod(lon + math.pi, 2 * math.pi) - math.pi


def cell_areas_m2(lat_rad: np.ndarray, lon_rad: np.ndarray, earth: geo.Earth = geo.WGS84) -> np.ndarray:
    """Areas of the grid cells on the authalic-ish sphere (mean radius): R^2 dlon dsin(lat)."""
    r = earth.mean_radius_m
    lat = np.asarray(lat_rad, float)
    lon = np.asarray(lon_rad, float)
    dlat = np.abs(np.gradient(lat)) if lat.size > 1 else np.array([math.radians(1.0)])
    dlon = np.abs(np.gradient(np.unwrap(lon))) if lon.size > 1 else np.array([math.radians(1.0)])
    top = np.clip(lat + dlat / 2, -math.pi / 2, math.pi / 2)
    bot = np.clip(lat - dlat / 2, -math.pi / 2, math.pi / 2)
    return r * r * (np.sin(top) - np.sin(bot))[:, None] * dlon[None, :]


def coverage_map(radar: Radar, lat_rad, lon_rad, rcs_m2: float, *, max_alt_m: float = np.inf) -> CoverageMap:
    """Lowest detectable altitude and its slant range for every cell of the grid
    ``lat_rad (ny,) x lon_rad (nx,)`` (NaN where never detectable)."""
    lat = np.asarray(lat_rad, float)
    lon = np.asarray(lon_rad, float)
    if _fused_grid_applies(radar, lat, lon):
        res = _lowest_on_grid(radar, lat, lon, rcs_m2, max_alt_m)
    else:
        la, lo = np.meshgrid(lat, lon, indexing="ij")
        res = lowest_visible_altitude(radar, la, lo, rcs_m2, max_alt_m=max_alt_m, compiled=True)
    return CoverageMap(lat, lon, float(rcs_m2), float(radar.detection_range_m(rcs_m2)), res,
                       cell_areas_m2(lat, lon, radar.earth))


def _fused_grid_applies(radar: Radar, lat: np.ndarray, lon: np.ndarray) -> bool:
    """The fused grid kernel serves what :func:`lowest_visible_altitude`'s compiled kernel
    serves (large grids of a box-face radar without terrain horizon), on finite 1-D axes."""
    return (radar.face_model == "box" and radar.horizon is None and lat.ndim == 1 and lon.ndim == 1
            and lat.size * lon.size >= geo.COMPILED_GEODESY_MIN and bool(np.isfinite(lat).all())
            and bool(np.isfinite(lon).all()) and geo._numba_available())


def _lowest_on_grid(radar: Radar, lat: np.ndarray, lon: np.ndarray, rcs_m2, max_alt_m, min_alt_m=0.0) -> LowestAltitude:
    """:func:`lowest_visible_altitude` on the grid ``lat x lon`` in one compiled pass
    (:func:`thaad.radar.coverage_compiled.grid`: geodesic, effective radius and closed form
    fused); cells where Vincenty's iteration does not converge (nearly antipodal) are redone
    by the NumPy + PROJ reference path."""
    from thaad.radar.coverage_compiled import grid

    e, s = radar.earth, radar.site
    sectors, r_det, labels, nf = kernel_terms(radar, rcs_m2)
    w2 = 1.0 - e.e2 * math.sin(s.lat_rad) ** 2  # radii of curvature at the site, as geo.radius_of_curvature_m
    lowest, srange, ceil, elev, gr, az, label, conv = grid(
        lat, lon, site_lat=s.lat_rad, site_lon=s.lon_rad, a_m=e.a_m, f=e.f, spherical=e.is_spherical,
        m_site=e.a_m * (1.0 - e.e2) / w2**1.5, n_site=e.a_m / math.sqrt(w2), k_factor=radar.k_factor,
        site_height_m=s.height_m, min_alt=min_alt_m, min_el=radar.min_el_rad, max_el=radar.max_el_rad,
        max_alt=max_alt_m, r_det=r_det, half_w=radar.az_half_width_rad, bore=radar.boresight_az_rad,
        sectors=sectors, n_floors=nf)
    binding = labels[label]
    if not conv.all():
        iy, ix = np.nonzero(~conv)
        ref = lowest_visible_altitude(radar, lat[iy], lon[ix], rcs_m2, max_alt_m=max_alt_m, min_alt_m=min_alt_m)
        for arr, v in ((lowest, ref.lowest_alt_m), (srange, ref.slant_range_m), (ceil, ref.highest_alt_m),
                       (elev, ref.elevation_rad), (gr, ref.ground_range_m), (az, ref.azimuth_rad), (binding, ref.binding)):
            arr[iy, ix] = v
    return LowestAltitude(lowest, srange, ceil, gr, az, elev, binding)


# --- Farthest detectable ground point, searched along radials (no map grid) -------------------
CHORD_BOUND_RADIUS_M = 6.30e6  # below WGS84's smallest radius of curvature (6,335,439 m): a safe cut


@dataclass(frozen=True)
class FarthestPoint:
    """The farthest ground point above which a target is detectable at some altitude."""

    distance_m: float
    azimuth_rad: float
    lat_rad: float
    lon_rad: float


def max_ground_distance_m(detection_range_m: float, max_m: float = 6000e3) -> float:
    """Ground distance beyond which no point at or above the surface is within ``detection_range_m``.

    Two points at radii a1, a2 >= R a ground angle theta apart are at least
    2 R sin(theta / 2) apart (s^2 = (a1 - a2)^2 + 2 a1 a2 (1 - cos theta) >= 2 R^2 (1 - cos theta)),
    so with R below the Earth's smallest radius of curvature the bound D = 2 R asin(r / 2R) is safe.
    """
    x = detection_range_m / (2.0 * CHORD_BOUND_RADIUS_M)
    return max_m if x >= 1.0 else min(max_m, 2.0 * CHORD_BOUND_RADIUS_M * math.asin(x))


def farthest_detectable(radar: Radar, rcs_m2: float, *, step_rad: float = math.radians(0.5),
                        step_m: float = 5e3, max_m: float = 6000e3) -> FarthestPoint | None:
    """Farthest ground distance at which a target of ``rcs_m2`` is detectable at some altitude,
    searched along radials across the face every ``step_rad`` and every ``step_m`` out to the
    chord bound of the free-space range: it does not depend on any map grid. Ties (a
    range-limited edge is a circle) go to the radial nearest the boresight, away from the face
    edge. ``None`` where nothing is detectable."""
    half = min(radar.az_half_width_rad, math.pi)
    n = int(math.floor(2 * half / step_rad + 1e-9)) + 1
    az = (radar.boresight_az_rad - half + step_rad * np.arange(n)) % (2 * math.pi)
    d_max = max_ground_distance_m(float(radar.detection_range_m(rcs_m2)), max_m)
    d = np.arange(step_m, min(max_m, d_max + step_m) + 1.0, step_m)
    A, D = np.meshgrid(az, d, indexing="ij")
    lat, lon, _ = geo.geodesic_direct(radar.site.lat_rad, radar.site.lon_rad, A, D, radar.earth)
    seen = np.isfinite(lowest_visible_altitude(radar, lat, lon, rcs_m2).lowest_alt_m)
    if not seen.any():
        return None
    far = seen & (D == D[seen].max())
    off = np.abs((A - radar.boresight_az_rad + math.pi) % (2 * math.pi) - math.pi)
    i, j = np.unravel_index(np.argmin(np.where(far, off, np.inf)), D.shape)
    return FarthestPoint(float(D[i, j]), float(A[i, j]), float(lat[i, j]), float(lon[i, j]))

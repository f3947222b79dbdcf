"""Geodesy on a WGS84 (or spherical) Earth: geodetic <-> ECEF <-> local ENU, look angles,
geodesics and Earth rotation.

Conventions (follow them everywhere in thaad):

* SI inside: metres, seconds, radians.  Degrees/km only at the CLI/catalogue edge.
* Vectors carry x, y, z on the **last** axis: shape ``(..., 3)``, so one helper serves a
  single point ``(3,)``, N points ``(N, 3)`` or N trajectories of T samples ``(N, T, 3)``.
* ECEF is Earth-centred, Earth-fixed (rotating) Cartesian; ENU is local east-north-up.

Geodesics use PROJ (Karney's algorithm) through ``pyproj``; ECEF <-> geodetic uses the
closed forms of NIMA TR8350.2 and Bowring (1976), cross-checked against PROJ in the tests.

References: NIMA TR8350.2 (WGS84); Karney, "Algorithms for geodesics", J. Geodesy 87 (2013).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyproj

# --- Constants -------------------------------------------------------------------------
WGS84_A_M = 6378137.0  # semi-major axis, NIMA TR8350.2 Table 3.1
WGS84_F = 1.0 / 298.257223563  # flattening, NIMA TR8350.2 Table 3.1
WGS84_GM_M3_S2 = 3.986004418e14  # NIMA TR8350.2 Table 3.1
WGS84_J2 = 1.08262982131e-3  # -C20 * sqrt(5), NIMA TR8350.2 (EGM96 C20 = -0.484166774985e-3)
EARTH_ROTATION_RAD_S = 7.292115e-5  # NIMA TR8350.2 Table 3.1
MEAN_EARTH_RADIUS_M = 6371008.8  # IUGG mean radius R1 = (2a + b) / 3, Moritz (2000)


@dataclass(frozen=True)
class Earth:
    """An Earth model: shape, gravity and rotation.

    ``spherical`` is the textbook Earth (radius ``MEAN_EARTH_RADIUS_M``, no J2); rotation
    is switched off separately by the callers (``rotation=False``), not here.
    """

    name: str
    a_m: float
    f: float
    gm_m3_s2: float
    j2: float
    omega_rad_s: float

    @property
    def b_m(self) -> float:
        return self.a_m * (1.0 - self.f)

    @property
    def e2(self) -> float:
        """First eccentricity squared."""
        return self.f * (2.0 - self.f)

    @property
    def is_spherical(self) -> bool:
        return self.f == 0.0

    @property
    def mean_radius_m(self) -> float:
        return (2.0 * self.a_m + self.b_m) / 3.0

    def geod(self) -> pyproj.Geod:
        return _geod(self.a_m, self.b_m)


WGS84 = Earth("wgs84", WGS84_A_M, WGS84_F, WGS84_GM_M3_S2, WGS84_J2, EARTH_ROTATION_RAD_S)
SPHERICAL = Earth("spherical", MEAN_EARTH_RADIUS_M, 0.0, WGS84_GM_M3_S2, 0.0, EARTH_ROTATION_RAD_S)
EARTHS = {"wgs84": WGS84, "spherical": SPHERICAL}


def earth_by_name(name: str) -> Earth:
    from thaad.errors import InputError

    try:
        return EARTHS[name]
    except KeyError:
        raise InputError("earth", f"must be one of {sorted(EARTHS)}, got {name!r}") from None


@lru_cache(maxsize=8)
def _geod(a_m: float, b_m: float) -> pyproj.Geod:
    return pyproj.Geod(a=a_m, b=b_m)


# --- Geodetic <-> ECEF ------------------------------------------------------------------
def geodetic_to_ecef(lat_rad, lon_rad, alt_m, earth: Earth = WGS84) -> np.ndarray:
    """Geodetic latitude, longitude, height above the ellipsoid -> ECEF position ``(..., 3)``.

    .. math:: x = (N + h)\\cos\\phi\\cos\\lambda,\\; y = (N + h)\\cos\\phi\\sin\\lambda,\\;
              z = (N(1 - e^2) + h)\\sin\\phi,\\quad N = a / \\sqrt{1 - e^2\\sin^2\\phi}

    (NIMA TR8350.2 eq. 4-14.)
    """
    lat = np.asarray(lat_rad, dtype=float)
    lon = np.asarray(lon_rad, dtype=float)
    h = np.asarray(alt_m, dtype=float)
    sl, cl = np.sin(lat), np.cos(lat)
    n = earth.a_m / np.sqrt(1.0 - earth.e2 * sl * sl)
    x = (n + h) * cl * np.cos(lon)
    y = (n + h) * cl * np.sin(lon)
    z = (n * (1.0 - earth.e2) + h) * sl
    return np.stack(np.broadcast_arrays(x, y, z), axis=-1)


COMPILED_GEODESY_MIN = 20_000  # batches at least this large use the compiled kernels (thaad.geo_compiled)


def _numba_available() -> bool:
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def ecef_to_geodetic(position_m, earth: Earth = WGS84):
    """ECEF position ``(..., 3)`` -> (lat_rad, lon_rad, alt_m), each of shape ``(...)``.

    Bowring's closed form (two steps from the parametric-latitude guess), then
    ``h = p cos(phi) + z sin(phi) - a^2 / N``; sub-millimetre up to 10,000 km height,
    better than PROJ's own inverse at ballistic altitudes (checked in the tests).
    Bowring, "Transformation from spatial to geographical coordinates",
    Survey Review 23(181), 1976.
    """
    p_ = np.asarray(position_m, dtype=float)
    x, y, z = p_[..., 0], p_[..., 1], p_[..., 2]
    if not earth.is_spherical and x.size >= COMPILED_GEODESY_MIN and _numba_available():
        from thaad.geo_compiled import to_geodetic  # same two Bowring steps, compiled

        lat, lon, alt = to_geodetic(x.ravel(), y.ravel(), z.ravel(), earth.a_m, earth.b_m, earth.e2)
        return lat.reshape(x.shape), lon.reshape(x.shape), alt.reshape(x.shape)
    lon = np.arctan2(y, x)
    if earth.is_spherical:
        r = np.sqrt(x * x + y * y + z * z)
        return np.arcsin(np.clip(z / r, -1, 1)), lon, r - earth.a_m
    a, b, e2 = earth.a_m, earth.b_m, earth.e2
    ep2 = e2 / (1 - e2)
    p = np.hypot(x, y)
    u = np.arctan2(z * a, p * b)
    for _ in range(2):  # the second Bowring step brings latitude to ~1e-15 rad at any height
        lat = np.arctan2(z + ep2 * b * np.sin(u) ** 3, p - e2 * a * np.cos(u) ** 3)
        u = np.arctan2((1 - earth.f) * np.sin(lat), np.cos(lat))
    sl, cl = np.sin(lat), np.cos(lat)
    n = a / np.sqrt(1 - e2 * sl * sl)
    return lat, lon, p * cl + z * sl - a * a / n


def geodetic_altitude_m(position_m, earth: Earth = WGS84) -> np.ndarray:
    """Height above the ellipsoid for ECEF positions ``(..., 3)``."""
    return ecef_to_geodetic(position_m, earth)[2]


# --- Local frames -----------------------------------------------------------------------
def enu_basis(lat_rad, lon_rad) -> np.ndarray:
    """Rows are the unit east, north, up vectors in ECEF: shape ``(..., 3, 3)``."""
    lat = np.asarray(lat_rad, dtype=float)
    lon = np.asarray(lon_rad, dtype=float)
    sl, cl, so, co = np.sin(lat), np.cos(lat), np.sin(lon), np.cos(lon)
    z = np.zeros_like(sl * so)
    east = np.stack(np.broadcast_arrays(-so, co, z), axis=-1)
    north = np.stack(np.broadcast_arrays(-sl * co, -sl * so, cl), axis=-1)
    up = np.stack(np.broadcast_arrays(cl * co, cl * so, sl), axis=-1)
    return np.stack([east, north, up], axis=-2)


def ecef_to_enu(position_m, origin_lat_rad, origin_lon_rad, origin_alt_m, earth: Earth = WGS84):
    """ECEF positions ``(..., 3)`` -> ENU coordinates ``(..., 3)`` about a geodetic origin."""
    origin = geodetic_to_ecef(origin_lat_rad, origin_lon_rad, origin_alt_m, earth)
    basis = enu_basis(origin_lat_rad, origin_lon_rad)
    d = np.asarray(position_m, dtype=float) - origin
    return np.einsum("...ij,...j->...i", basis, d)


def enu_to_ecef_vector(enu, lat_rad, lon_rad) -> np.ndarray:
    """Rotate an ENU vector ``(..., 3)`` at (lat, lon) into ECEF axes."""
    basis = enu_basis(lat_rad, lon_rad)
    return np.einsum("...ji,...j->...i", basis, np.asarray(enu, dtype=float))


def look_angles(observer_lat_rad, observer_lon_rad, observer_alt_m, target_ecef_m, earth: Earth = WGS84):
    """Azimuth (from north, clockwise), elevation (above the ellipsoid-normal horizon) and
    slant range from an observer to ECEF targets.  Returns ``(az_rad, el_rad, range_m)``.
    """
    enu = ecef_to_enu(target_ecef_m, observer_lat_rad, observer_lon_rad, observer_alt_m, earth)
    e, n, u = enu[..., 0], enu[..., 1], enu[..., 2]
    rng = np.sqrt(e * e + n * n + u * u)
    az = np.mod(np.arctan2(e, n), 2 * np.pi)
    el = np.arcsin(np.clip(u / np.where(rng > 0, rng, 1.0), -1, 1))
    return az, el, rng


# --- Geodesics --------------------------------------------------------------------------
def geodesic_inverse(lat1_rad, lon1_rad, lat2_rad, lon2_rad, earth: Earth = WGS84, *, compiled: bool | None = None):
    """Shortest path on the ellipsoid: ``(distance_m, azimuth1_rad, azimuth2_rad)``.

    Karney's algorithm via PROJ; azimuths from north, clockwise, in [0, 2 pi); azimuth2 is
    the back azimuth (from point 2 toward point 1).  Batches of ``COMPILED_GEODESY_MIN``
    points or more (unless ``compiled=False``; ``compiled=True``: any batch) use Vincenty's
    iteration compiled with numba (:mod:`thaad.geo_compiled`; the same answers to well
    under a millimetre), with
    PROJ for the nearly antipodal points where Vincenty does not converge.
    """
    shape = np.broadcast(lat1_rad, lon1_rad, lat2_rad, lon2_rad).shape
    size = int(np.prod(shape))
    if compiled is not False and (size >= COMPILED_GEODESY_MIN or (compiled and size >= 64)) and _numba_available():
        from thaad.geo_compiled import inverse

        flat = [np.broadcast_to(np.asarray(a, dtype=float), shape).ravel() for a in (lat1_rad, lon1_rad, lat2_rad, lon2_rad)]
        dist, az1, az2, ok = inverse(*flat, earth.a_m, earth.f)
        bad = ~ok & np.isfinite(flat[0]) & np.isfinite(flat[1]) & np.isfinite(flat[2]) & np.isfinite(flat[3])
        if bad.any():
            d_, a1_, a2_ = geodesic_inverse(*(x[bad] for x in flat), earth=earth)
            dist[bad], az1[bad], az2[bad] = d_, a1_, a2_
        return dist.reshape(shape), az1.reshape(shape), az2.reshape(shape)
    args = [np.broadcast_to(np.degrees(a), shape).ravel() for a in (lon1_rad, lat1_rad, lon2_rad, lat2_rad)]
    az1, az2, dist = earth.geod().inv(*args)
    conv = lambda v: np.asarray(v, dtype=float).reshape(shape)  # noqa: E731
    return conv(dist), np.mod(np.radians(conv(az1)), 2 * np.pi), np.mod(np.radians(conv(az2)), 2 * np.pi)


def geodesic_direct(lat_rad, lon_rad, azimuth_rad, distance_m, earth: Earth = WGS84):
    """Point reached along a geodesic: ``(lat_rad, lon_rad, back_azimuth_rad)``."""
    shape = np.broadcast(lat_rad, lon_rad, azimuth_rad, distance_m).shape
    lon_d = np.broadcast_to(np.degrees(lon_rad), shape).ravel()
    lat_d = np.broadcast_to(np.degrees(lat_rad), shape).ravel()
    az_d = np.broadcast_to(np.degrees(azimuth_rad), shape).ravel()
    dist = np.broadcast_to(np.asarray(distance_m, dtype=float), shape).ravel()
    lon2, lat2, baz = earth.geod().fwd(lon_d, lat_d, az_d, dist)
    conv = lambda v: np.radians(np.asarray(v, dtype=float).reshape(shape))  # noqa: E731
    return conv(lat2), conv(lon2), np.mod(conv(baz), 2 * np.pi)


def ground_range_m(lat1_rad, lon1_rad, lat2_rad, lon2_rad, earth: Earth = WGS84) -> np.ndarray:
    """Geodesic distance along the surface."""
    return geodesic_inverse(lat1_rad, lon1_rad, lat2_rad, lon2_rad, earth)[0]


# --- Curvature and rotation -------------------------------------------------------------
def radius_of_curvature_m(lat_rad, azimuth_rad, earth: Earth = WGS84) -> np.ndarray:
    """Normal-section radius of curvature in the direction ``azimuth`` (Euler's formula).

    .. math:: 1/R_\\alpha = \\cos^2\\alpha / M + \\sin^2\\alpha / N
    """
    sl = np.sin(np.asarray(lat_rad, dtype=float))
    w2 = 1.0 - earth.e2 * sl * sl
    n = earth.a_m / np.sqrt(w2)
    m = earth.a_m * (1.0 - earth.e2) / w2**1.5
    ca, sa = np.cos(azimuth_rad), np.sin(azimuth_rad)
    return 1.0 / (ca * ca / m + sa * sa / n)


def gaussian_radius_m(lat_rad, earth: Earth = WGS84) -> np.ndarray:
    """Gaussian mean radius sqrt(M N) at a latitude."""
    sl = np.sin(np.asarray(lat_rad, dtype=float))
    w2 = 1.0 - earth.e2 * sl * sl
    return earth.a_m * np.sqrt(1.0 - earth.e2) / w2


def earth_rotation_vector(earth: Earth = WGS84, rotation: bool = True) -> np.ndarray:
    """Angular velocity of the Earth in ECEF, rad/s (zero when ``rotation`` is off)."""
    return np.array([0.0, 0.0, earth.omega_rad_s if rotation else 0.0])

"""A radar at a site: face limits, minimum elevation, blanking ("shield"), terrain mask, and
the detection range from the radar equation, combined into signed visibility margins.

Every constraint is a *signed margin*, positive when it is satisfied, so the same
functions draw coverage maps and detect targets along trajectories:

========================  =============================================================
margin                    positive when
========================  =============================================================
``line_of_sight_m``       the target is inside the radio horizon on the k-Earth
``min_elevation_rad``     apparent elevation >= the radar's minimum elevation
``max_elevation_rad``     apparent elevation <= the face's upper elevation limit
``face_azimuth_rad``      the azimuth is within +/- half-width of the face boresight
``blanking_rad``          the direction is outside every blanked sector
``terrain_rad``           the target is above the horizon profile (terrain mask)
``range_m``               slant range <= detection range for the target's RCS
========================  =============================================================
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from thaad import geo
from thaad.errors import InputError, require_range
from thaad.radar import geometry as g
from thaad.radar.equation import RadarEquation

TWO_PI = 2.0 * math.pi
HALF_PI_ = 0.5 * math.pi


@dataclass(frozen=True)
class RadarSite:
    """Radar location: geodetic latitude/longitude (rad) and ground height above the
    ellipsoid (m); ``antenna_height_m`` is added for the phase centre."""

    lat_rad: float
    lon_rad: float
    alt_m: float = 0.0
    antenna_height_m: float = 0.0
    name: str = ""

    def __post_init__(self):
        require_range("site latitude", math.degrees(self.lat_rad), -90, 90)
        require_range("site longitude", math.degrees(self.lon_rad), -180, 180)
        require_range("site altitude (m)", self.alt_m, -500, 1e5)
        require_range("antenna height (m)", self.antenna_height_m, 0, 1e4)

    @property
    def height_m(self) -> float:
        """Antenna phase-centre height above the ellipsoid."""
        return self.alt_m + self.antenna_height_m


@dataclass(frozen=True)
class BlankSector:
    """Azimuth sector ``az_start -> az_end`` (clockwise, may wrap through north) in which
    the radar does not look below ``el_max_rad`` (``None``: at any elevation)."""

    az_start_rad: float
    az_end_rad: float
    el_max_rad: float | None = None

    def __post_init__(self):
        for name, v in (("blank azimuth start", self.az_start_rad), ("blank azimuth end", self.az_end_rad)):
            require_range(f"{name} (deg)", math.degrees(v), -360, 360)
        if math.isclose(math.fmod(self.az_end_rad - self.az_start_rad, TWO_PI), 0.0, abs_tol=1e-12):
            raise InputError("blank", "azimuth sector has zero width (AZ1 == AZ2)")
        if self.el_max_rad is not None:
            require_range("blank max elevation (deg)", math.degrees(self.el_max_rad), -90, 90)

    @property
    def width_rad(self) -> float:
        return float(np.mod(self.az_end_rad - self.az_start_rad, TWO_PI))

    def contains_azimuth(self, az_rad):
        return np.mod(np.asarray(az_rad) - self.az_start_rad, TWO_PI) <= self.width_rad

    def margin(self, az_rad, el_rad):
        """> 0 outside the blanked region: angular distance to the sector's nearest edge
        outside it; inside it, elevation above ``el_max`` (or minus the depth into the
        sector when the whole sector is blanked)."""
        into = np.mod(np.asarray(az_rad) - self.az_start_rad, TWO_PI)
        inside = into <= self.width_rad
        outside_dist = np.minimum(into - self.width_rad, TWO_PI - into)
        if self.el_max_rad is None:
            inside_margin = -np.minimum(into, self.width_rad - into)
        else:
            inside_margin = np.asarray(el_rad) - self.el_max_rad
        return np.where(inside, inside_margin, outside_dist)


@dataclass(frozen=True)
class HorizonProfile:
    """Terrain mask: horizon elevation (rad) as a function of azimuth (rad), interpolated
    linearly and periodically.  The default radar has none (smooth Earth)."""

    azimuth_rad: np.ndarray
    elevation_rad: np.ndarray
    source: str = ""

    def __post_init__(self):
        az = np.asarray(self.azimuth_rad, dtype=float)
        el = np.asarray(self.elevation_rad, dtype=float)
        if az.ndim != 1 or az.shape != el.shape or az.size < 2:
            raise InputError("horizon", "needs matching 1-D azimuth and elevation columns, at least 2 rows")
        if not (np.all(np.isfinite(az)) and np.all(np.isfinite(el))):
            raise InputError("horizon", "azimuth and elevation must be finite numbers")
        if np.any(np.abs(el) > math.pi / 2):
            raise InputError("horizon elevation_deg", "must be in [-90, 90]")
        order = np.argsort(np.mod(az, TWO_PI))
        object.__setattr__(self, "azimuth_rad", np.mod(az, TWO_PI)[order])
        object.__setattr__(self, "elevation_rad", el[order])

    def elevation_at(self, az_rad):
        return np.interp(np.mod(az_rad, TWO_PI), self.azimuth_rad, self.elevation_rad, period=TWO_PI)


@dataclass(frozen=True)
class Radar:
    """One radar in one operating mode at one site (SI units, angles in radians)."""

    site: RadarSite
    equation: RadarEquation | None = None  # None: geometry only (no detection range)
    boresight_az_rad: float = 0.0
    az_half_width_rad: float = math.radians(60.0)
    min_el_rad: float = math.radians(5.0)
    max_el_rad: float = math.radians(90.0)
    k_factor: float = 4.0 / 3.0
    blanking: tuple[BlankSector, ...] = ()
    horizon: HorizonProfile | None = None
    earth: geo.Earth = geo.WGS84
    name: str = ""
    mode: str = ""
    notes: tuple[str, ...] = field(default=())
    face_model: str = "box"  # "box": azimuth/elevation box; "cone": scan cone of a tilted planar face
    face_tilt_rad: float = math.radians(20.0)  # elevation of the face normal ("cone" only)

    def __post_init__(self):
        require_range("boresight azimuth (deg)", math.degrees(self.boresight_az_rad), -360, 360)
        require_range("azimuth half-width (deg)", math.degrees(self.az_half_width_rad), 0, 180, low_open=True)
        require_range("min elevation (deg)", math.degrees(self.min_el_rad), -90, 90)
        require_range("max elevation (deg)", math.degrees(self.max_el_rad), -90, 90)
        if self.max_el_rad <= self.min_el_rad:
            raise InputError("max elevation", "must be greater than the minimum elevation")
        require_range("k-factor", self.k_factor, 0.1, 100)
        if self.face_model not in ("box", "cone"):
            raise InputError("face model", f"must be 'box' or 'cone', got {self.face_model!r}")
        require_range("face tilt (deg)", math.degrees(self.face_tilt_rad), 0, 90)
        object.__setattr__(self, "blanking", tuple(self.blanking))

    @property
    def terrain_model(self) -> str:
        return "smooth Earth (no terrain mask)" if self.horizon is None else f"horizon profile: {self.horizon.source}"

    def detection_range_m(self, rcs_m2):
        if self.equation is None:
            raise InputError("radar", "this radar has no radar equation (geometry only); cannot use an RCS")
        return self.equation.detection_range_m(rcs_m2)

    def k_radius_m(self, azimuth_rad):
        """Effective Earth radius kR in the direction ``azimuth`` from the site."""
        if self.earth.is_spherical:
            return self.k_factor * self.earth.a_m * np.ones_like(np.asarray(azimuth_rad, dtype=float))
        return self.k_factor * geo.radius_of_curvature_m(self.site.lat_rad, azimuth_rad, self.earth)


RadarConfig = Radar  # alias used in the wording


# --- Geometry of points relative to the radar ---------------------------------------------
@dataclass(frozen=True)
class Look:
    """Where points are as seen by the radar on the k-Earth (arrays of one shape)."""

    ground_range_m: np.ndarray
    azimuth_rad: np.ndarray
    alt_m: np.ndarray
    theta: np.ndarray
    a1: np.ndarray
    a2: np.ndarray
    k_radius_m: np.ndarray

    @property
    def elevation_rad(self):
        return g.elevation_rad(self.theta, self.a1, self.a2)

    @property
    def slant_range_m(self):
        return g.slant_range_m(self.theta, self.a1, self.a2)


def look_from_geodetic(radar: Radar, lat_rad, lon_rad, alt_m, *, compiled: bool | None = None) -> Look:
    lat, lon, alt = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (lat_rad, lon_rad, alt_m)))
    bad = ~(np.isfinite(lat) & np.isfinite(lon))
    s = radar.site
    dist, az, _ = geo.geodesic_inverse(s.lat_rad, s.lon_rad, np.where(bad, s.lat_rad, lat),
                                       np.where(bad, s.lon_rad, lon), radar.earth, compiled=compiled)
    dist = np.where(bad, np.nan, dist)
    kr = radar.k_radius_m(az)
    theta = dist / kr
    return Look(dist, az, alt, theta, kr + s.height_m, kr + alt, kr)


def look_from_ecef(radar: Radar, position_ecef_m) -> Look:
    lat, lon, alt = geo.ecef_to_geodetic(position_ecef_m, radar.earth)
    return look_from_geodetic(radar, lat, lon, alt)


def margins(radar: Radar, look: Look, rcs_m2=None) -> dict[str, np.ndarray]:
    """All signed visibility margins (see module docstring) for the points of ``look``."""
    el = look.elevation_rad
    az = look.azimuth_rad
    out = {
        "line_of_sight_m": g.line_of_sight_margin_m(look.theta, look.a1, look.a2, look.k_radius_m),
        "min_elevation_rad": el - radar.min_el_rad,
        "max_elevation_rad": radar.max_el_rad - el,
        "face_azimuth_rad": face_margin(radar, az, el),
        "blanking_rad": blanking_margin(radar, az, el),
    }
    if radar.horizon is not None:
        out["terrain_rad"] = el - radar.horizon.elevation_at(az)
    if rcs_m2 is not None:
        out["range_m"] = radar.detection_range_m(rcs_m2) - look.slant_range_m
    return out


def line_of_sight_margin(radar: Radar, position_ecef_m):
    """Ground distance (m) inside the k-Earth radio horizon; positive when visible."""
    look = look_from_ecef(radar, position_ecef_m)
    return g.line_of_sight_margin_m(look.theta, look.a1, look.a2, look.k_radius_m)


def off_boresight_angle(radar: Radar, az_rad, el_rad):
    """Angle between the direction (az, el) and the face normal (boresight azimuth, tilt)."""
    c = (np.sin(el_rad) * math.sin(radar.face_tilt_rad)
         + np.cos(el_rad) * math.cos(radar.face_tilt_rad) * np.cos(np.asarray(az_rad) - radar.boresight_az_rad))
    return np.arccos(np.clip(c, -1.0, 1.0))


def face_margin(radar: Radar, az_rad, el_rad):
    """Face field-of-view margin (rad, > 0 inside): the azimuth box
    ``|az - boresight| <= half-width`` or, for ``face_model="cone"``, the scan cone
    ``angle(direction, normal) <= half-width`` around a normal tilted up by ``face_tilt``."""
    if radar.face_model == "cone":
        return radar.az_half_width_rad - off_boresight_angle(radar, az_rad, el_rad)
    return face_azimuth_margin(radar, az_rad) + 0.0 * np.asarray(el_rad)


def face_elevation_window(radar: Radar, az_rad):
    """For the cone face: elevations ``(low, high)`` inside the cone at each azimuth
    (NaN where none).  ``sin e sin t + cos e cos t cos da >= cos h`` is
    ``R cos(e - phi) >= cos h`` with ``R cos phi = cos t cos da``, ``R sin phi = sin t``."""
    t = radar.face_tilt_rad
    a = math.sin(t)
    b = math.cos(t) * np.cos(np.asarray(az_rad) - radar.boresight_az_rad)
    r = np.hypot(a, b)
    phi = np.arctan2(a, b)
    ratio = math.cos(radar.az_half_width_rad) / np.where(r > 0, r, np.inf)
    half = np.arccos(np.where(ratio <= 1, np.clip(ratio, -1, 1), np.nan))
    return phi - half, phi + half


def face_azimuth_margin(radar: Radar, az_rad):
    if radar.az_half_width_rad >= math.pi:
        return np.full(np.shape(az_rad), np.inf)
    return radar.az_half_width_rad - np.abs(g.wrap_pi(np.asarray(az_rad) - radar.boresight_az_rad))


def blanking_margin(radar: Radar, az_rad, el_rad):
    m = np.full(np.broadcast(az_rad, el_rad).shape, np.inf)
    for sector in radar.blanking:
        m = np.minimum(m, sector.margin(az_rad, el_rad))
    return m


def visibility_from_margins(m: dict[str, np.ndarray]) -> np.ndarray:
    vis = None
    for v in m.values():
        ok = np.asarray(v) >= 0  # NaN -> False
        vis = ok if vis is None else vis & ok
    return vis


def visibility(radar: Radar, position_ecef_m, rcs_m2=None) -> np.ndarray:
    """Boolean array ``(...)`` for ECEF positions ``(..., 3)``: every margin >= 0.

    ``rcs_m2=None`` checks geometry only (line of sight, face, elevation, blanking,
    terrain); with an RCS (scalar or broadcastable to ``(...)``) the slant range must also
    be within the detection range.
    """
    look = look_from_ecef(radar, position_ecef_m)
    return visibility_from_margins(margins(radar, look, rcs_m2))


def detection_range_m(radar: Radar | RadarEquation, rcs_m2):
    """Detection range (m) of the radar (or radar equation) for targets of ``rcs_m2``."""
    return radar.detection_range_m(rcs_m2)


# --- Lowest visible altitude above ground points (closed form, vectorised) ----------------
LIMITS = ("visible", "face azimuth", "blanked", "detection range", "elevation limit", "altitude ceiling")


@dataclass(frozen=True)
class LowestAltitude:
    """Per-point result of :func:`lowest_visible_altitude`; arrays of one shape."""

    lowest_alt_m: np.ndarray  # NaN where never detectable
    slant_range_m: np.ndarray  # slant range at the lowest detectable altitude (NaN if never)
    highest_alt_m: np.ndarray  # top of the detectable column (range/elevation/ceiling limited)
    ground_range_m: np.ndarray
    azimuth_rad: np.ndarray
    elevation_rad: np.ndarray  # apparent elevation at the lowest detectable altitude
    binding: np.ndarray  # str: what sets the floor ("line of sight", "min elevation", ...) or why never


def lowest_visible_altitude(radar: Radar, lat_rad, lon_rad, rcs_m2=None, *, max_alt_m: float = np.inf,
                            min_alt_m: float = 0.0, compiled: bool = False) -> LowestAltitude:
    """Lowest altitude above the ellipsoid at which a target above each ground point is
    visible (and, with ``rcs_m2``, detectable), in closed form for all points at once.

    Along the vertical above a point the elevation seen by the radar and the slant range
    grow monotonically with height (k-Earth geometry), so every constraint is a bound:

    * floor: ``max(min_alt, h_LOS, h(el = min_el), h(el = terrain horizon(az)),
      h(el = blank EL_MAX) inside a partly blanked sector, lower range root)``;
    * ceiling: ``min(max_alt, h(el = max_el), upper range root)``;
    * face azimuth and fully blanked sectors are height-independent masks.

    The point is detectable iff floor <= ceiling; the lowest altitude is the floor.

    ``compiled=True`` (coverage maps): large grids use the compiled geodesic and, for a
    box-face radar without terrain horizon, the compiled per-cell kernel; the same numbers
    except at knife edges (a cell exactly on a face-edge azimuth), so searches that must
    agree with point checks keep the default.
    """
    lat, lon = np.broadcast_arrays(np.asarray(lat_rad, dtype=float), np.asarray(lon_rad, dtype=float))
    look = look_from_geodetic(radar, lat, lon, np.zeros_like(lat), compiled=compiled)
    if (compiled and radar.face_model == "box" and radar.horizon is None and lat.size >= geo.COMPILED_GEODESY_MIN
            and geo._numba_available()):
        return _lowest_compiled(radar, look, rcs_m2, max_alt_m, min_alt_m)
    theta, a1, kr, az = look.theta, look.a1, look.k_radius_m, look.azimuth_rad
    h_ref = kr  # heights below are above the k-sphere == above the ellipsoid

    floors = {
        "altitude floor": np.full(lat.shape, float(min_alt_m)),
        "line of sight": g.height_for_line_of_sight_m(theta, a1, kr),
        "min elevation": g.height_at_elevation_m(theta, a1, kr, radar.min_el_rad),
    }
    if radar.horizon is not None:
        floors["terrain"] = g.height_at_elevation_m(theta, a1, kr, radar.horizon.elevation_at(az))
    face_ok = face_azimuth_margin(radar, az) >= 0 if radar.face_model == "box" else np.ones(lat.shape, dtype=bool)
    extra_ceilings = {}
    if radar.face_model == "cone":
        el_lo, el_hi = face_elevation_window(radar, az)
        face_ok = np.isfinite(el_lo)
        el_lo = np.where(face_ok, el_lo, 0.0)
        el_hi = np.where(face_ok, el_hi, 0.0)
        floors["face cone"] = np.where(el_lo > -HALF_PI_, g.height_at_elevation_m(theta, a1, kr, np.maximum(el_lo, -HALF_PI_ + 1e-9)), -np.inf)
        extra_ceilings["face cone"] = np.where(el_hi < HALF_PI_, g.height_at_elevation_m(theta, a1, kr, np.minimum(el_hi, HALF_PI_)), np.inf)
    blanked = np.zeros(lat.shape, dtype=bool)
    for i, sector in enumerate(radar.blanking):
        inside = sector.contains_azimuth(az)
        if sector.el_max_rad is None:
            blanked |= inside
        else:
            h = g.height_at_elevation_m(theta, a1, kr, sector.el_max_rad)
            floors[f"blank {i + 1}"] = np.where(inside, h, -np.inf)
    ceilings = {
        "altitude ceiling": np.full(lat.shape, float(max_alt_m)),
        "elevation limit": g.height_at_elevation_m(theta, a1, kr, radar.max_el_rad),
        **extra_ceilings,
    }
    if rcs_m2 is not None:
        r_det = radar.detection_range_m(rcs_m2)
        lo, hi = g.height_band_for_range_m(theta, a1, kr, r_det)
        floors["range (near)"] = np.where(np.isnan(lo), np.inf, lo)
        ceilings["detection range"] = np.where(np.isnan(hi), -np.inf, hi)

    fnames = list(floors)
    fstack = np.stack([np.broadcast_to(floors[k], lat.shape) for k in fnames])
    floor = fstack.max(axis=0)
    floor_arg = fstack.argmax(axis=0)
    cnames = list(ceilings)
    cstack = np.stack([np.broadcast_to(ceilings[k], lat.shape) for k in cnames])
    ceil = cstack.min(axis=0)
    ceil_arg = cstack.argmin(axis=0)

    ok = face_ok & ~blanked & np.isfinite(floor) & (floor <= ceil) & np.isfinite(look.ground_range_m)
    lowest = np.where(ok, floor, np.nan)
    a2 = h_ref + np.where(ok, floor, 0.0)
    srange = np.where(ok, g.slant_range_m(theta, a1, a2), np.nan)
    elev = np.where(ok, g.elevation_rad(theta, a1, a2), np.nan)

    binding = np.asarray(fnames, dtype=object)[floor_arg]
    never = np.asarray(cnames, dtype=object)[ceil_arg]
    never = np.where(never == "altitude ceiling", "altitude ceiling", never)
    face_label = "face azimuth" if radar.face_model == "box" else "face cone"
    binding = np.where(ok, binding, np.where(~face_ok, face_label, np.where(blanked, "blanked", never)))
    return LowestAltitude(lowest, srange, np.where(ok, ceil, np.nan), look.ground_range_m, az, elev, binding)


def kernel_terms(radar: Radar, rcs_m2):
    """What the compiled kernels (:mod:`thaad.radar.coverage_compiled`) take besides the
    cells: blanked sectors ``(start, width, el_max or NaN)``, the detection range (NaN
    without an RCS), the labels their codes index (floors, ceilings, face azimuth, blanked)
    and the number of floors."""
    sectors = [(s.az_start_rad, s.width_rad, np.nan if s.el_max_rad is None else s.el_max_rad) for s in radar.blanking]
    fnames = ["altitude floor", "line of sight", "min elevation"]
    fnames += [f"blank {i + 1}" for i, s in enumerate(radar.blanking) if s.el_max_rad is not None]
    r_det = np.nan
    if rcs_m2 is not None:
        r_det = float(radar.detection_range_m(rcs_m2))
        fnames.append("range (near)")
    cnames = ["altitude ceiling", "elevation limit", "detection range"]
    labels = np.asarray(fnames + cnames + ["face azimuth", "blanked"], dtype=object)
    return sectors, r_det, labels, len(fnames)


def _lowest_compiled(radar: Radar, look: Look, rcs_m2, max_alt_m, min_alt_m) -> LowestAltitude:
    """:func:`lowest_visible_altitude` for large grids of a box-face radar without a terrain
    horizon, by the compiled per-cell kernel (:mod:`thaad.radar.coverage_compiled`): the same
    floors and ceilings in the same order, so the same numbers and labels."""
    from thaad.radar.coverage_compiled import cells

    shape = look.theta.shape
    sectors, r_det, labels, nf = kernel_terms(radar, rcs_m2)
    lowest, srange, ceil, elev, fcode, ccode, status = cells(
        look.theta, look.a1, look.k_radius_m, look.azimuth_rad, look.ground_range_m, min_alt=min_alt_m,
        min_el=radar.min_el_rad, max_el=radar.max_el_rad, max_alt=max_alt_m, r_det=r_det,
        half_w=radar.az_half_width_rad, bore=radar.boresight_az_rad, sectors=sectors)
    nc = len(labels) - nf - 2
    which = np.where(status == 0, fcode, np.where(status == 1, nf + nc, np.where(status == 2, nf + nc + 1, nf + ccode)))
    r = lambda x: x.reshape(shape)  # noqa: E731
    return LowestAltitude(r(lowest), r(srange), r(ceil), look.ground_range_m, look.azimuth_rad, r(elev),
                          r(labels[which]))

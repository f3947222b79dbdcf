"""THAAD interceptor flyout and its reachable set (the "flyout fan").

The interceptor is a point mass with a single-stage solid booster: constant mass flow
for ``burn_time_s``, thrust along a fixed attitude (the launch elevation) in the plane of
fire, then a ballistic coast of the kill vehicle (KV).  Gravity is the central field of a
spherical, non-rotating Earth (or uniform gravity over a flat Earth for textbook checks);
drag is ``D = 1/2 rho v^2 Cd A`` with the standard atmosphere.

The *flyout fan* flies a fan of launch elevations at once (one vectorised RK4 run) and
tabulates, on a (ground range, altitude) grid about the launcher, the shortest time of
flight to each cell.  The reachable set ``t`` seconds after launch is the set of cells
whose time of flight is <= ``t``.  The KV's divert capability widens the fan by a
margin: a cell counts as reached at the time the nominal fan first comes within
``divert_margin_m`` of it (a grey-scale erosion of the time-of-flight map).  Cells outside
the engagement altitude band or beyond the maximum intercept range are removed.

The fan is azimuth-independent (Earth rotation is neglected during the <= 200 s flyout:
the Coriolis displacement, ~ omega v t^2, is a few km at most, comparable to the divert
margin) and is computed once per configuration and cached.

References: rocket equation and constant-attitude boost, e.g. Wiesel, *Spaceflight
Dynamics* (1997) ch. 8; Zarchan, *Tactical and Strategic Missile Guidance* (2012) ch. 12
(flyout fans / interceptor reachability).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from scipy import ndimage

from thaad.atmosphere import fast_density_and_sound
from thaad.geo import MEAN_EARTH_RADIUS_M, WGS84_GM_M3_S2

G0_M_S2 = 9.80665  # standard gravity, CGPM 1901
KM = 1000.0


def density_kg_m3(alt_m):
    """Air density of the US Standard Atmosphere 1976 (thaad.atmosphere's cached table)."""
    return fast_density_and_sound(alt_m)[0]


@dataclass(frozen=True)
class Interceptor:
    """Public-estimate description of an interceptor (SI units).

    ``burnout_speed_m_s`` is reached at ``reference_elevation_rad`` with drag and gravity:
    the booster's effective exhaust speed is calibrated to it (see :func:`calibrate_exhaust_speed`).
    """

    name: str = "THAAD"
    launch_mass_kg: float = 900.0
    burnout_mass_kg: float = 250.0
    burn_time_s: float = 17.0
    burnout_speed_m_s: float = 2800.0
    diameter_m: float = 0.34
    drag_coefficient: float = 0.3
    min_intercept_alt_m: float = 40e3
    max_intercept_alt_m: float = 150e3
    max_intercept_range_m: float = 200e3
    divert_margin_m: float = 2e3
    min_elevation_rad: float = math.radians(10.0)
    max_elevation_rad: float = math.radians(90.0)
    reference_elevation_rad: float = math.radians(45.0)
    max_flight_time_s: float = 200.0

    def __post_init__(self):
        from thaad.errors import InputError

        checks = [
            ("launch_mass_kg", self.launch_mass_kg > self.burnout_mass_kg > 0, "need launch mass > burnout mass > 0"),
            ("burn_time_s", self.burn_time_s > 0, "must be > 0"),
            ("burnout_speed_m_s", 0 < self.burnout_speed_m_s < 8000, "must be in (0, 8000) m/s"),
            ("diameter_m", self.diameter_m > 0, "must be > 0"),
            ("drag_coefficient", self.drag_coefficient >= 0, "must be >= 0"),
            ("min_intercept_alt_m", 0 <= self.min_intercept_alt_m < self.max_intercept_alt_m,
             "need 0 <= min intercept altitude < max intercept altitude"),
            ("max_intercept_range_m", self.max_intercept_range_m > 0, "must be > 0"),
            ("divert_margin_m", self.divert_margin_m >= 0, "must be >= 0"),
            ("min_elevation_rad", 0 < self.min_elevation_rad < self.max_elevation_rad <= math.pi / 2,
             "need 0 < min elevation < max elevation <= 90 deg"),
            ("max_flight_time_s", self.max_flight_time_s > self.burn_time_s, "must exceed the burn time"),
        ]
        for name, ok, msg in checks:
            if not ok:
                raise InputError(f"interceptor.{name}", msg)

    @property
    def area_m2(self) -> float:
        return math.pi * self.diameter_m**2 / 4.0

    @property
    def mass_flow_kg_s(self) -> float:
        return (self.launch_mass_kg - self.burnout_mass_kg) / self.burn_time_s


# --- Equations of motion ------------------------------------------------------------------
@dataclass(frozen=True)
class FlyoutOptions:
    """Physics switches for textbook checks: ``flat`` = uniform gravity over a flat Earth."""

    drag: bool = True
    flat: bool = False
    earth_radius_m: float = MEAN_EARTH_RADIUS_M
    gm_m3_s2: float = WGS84_GM_M3_S2


def _range_alt(x, z, opt: FlyoutOptions):
    """Ground range (along the surface) and altitude of planar positions."""
    if opt.flat:
        return x, z
    r = np.hypot(x, z)
    return opt.earth_radius_m * np.arctan2(x, z), r - opt.earth_radius_m


def _derivative(t, state, burning: bool, direction, ic: Interceptor, u_m_s: float, opt: FlyoutOptions):
    """d/dt (x, z, vx, vz) for K rays; launcher at (0, R) (or (0, 0) when flat)."""
    x, z, vx, vz = state
    mass = ic.launch_mass_kg - ic.mass_flow_kg_s * min(t, ic.burn_time_s)
    thrust_acc = (ic.mass_flow_kg_s * u_m_s / mass) if burning else 0.0
    ax = thrust_acc * direction[0]
    az = thrust_acc * direction[1]
    if opt.flat:
        az = az - G0_M_S2
        alt = z
    else:
        r = np.hypot(x, z)
        g = opt.gm_m3_s2 / r**3
        ax = ax - g * x
        az = az - g * z
        alt = r - opt.earth_radius_m
    if opt.drag and ic.drag_coefficient > 0:
        v = np.hypot(vx, vz)
        k = 0.5 * density_kg_m3(np.maximum(alt, 0.0)) * ic.drag_coefficient * ic.area_m2 / mass * v
        ax = ax - k * vx
        az = az - k * vz
    return np.stack([vx, vz, ax, az])


def _time_grid(ic: Interceptor, dt_s: float) -> np.ndarray:
    """Step boundaries that land exactly on burnout (no thrust discontinuity inside a step)."""
    n_burn = max(1, math.ceil(ic.burn_time_s / dt_s))
    t_burn = np.linspace(0.0, ic.burn_time_s, n_burn + 1)
    n_coast = max(1, math.ceil((ic.max_flight_time_s - ic.burn_time_s) / dt_s))
    t_coast = np.linspace(ic.burn_time_s, ic.max_flight_time_s, n_coast + 1)[1:]
    return np.concatenate([t_burn, t_coast])


def fly_rays(ic: Interceptor, elevation_rad, *, u_m_s: float | None = None, dt_s: float = 0.2,
             options: FlyoutOptions = FlyoutOptions()):
    """Fly K interceptors launched at the given elevations, all at once (fixed-step RK4).

    Returns a dict of arrays: ``t_s (T,)``, ``x_m, z_m, vx_m_s, vz_m_s, range_m, alt_m``
    ``(K, T)`` (NaN after a ray returns to the ground), ``burnout_index`` and the exhaust
    speed used.  Thrust acts along the launch elevation (constant attitude) during the burn.
    """
    el = np.atleast_1d(np.asarray(elevation_rad, dtype=float))
    if u_m_s is None:
        u_m_s = calibrate_exhaust_speed(ic, options)
    t = _time_grid(ic, dt_s)
    direction = (np.cos(el), np.sin(el))
    r0 = 0.0 if options.flat else options.earth_radius_m
    state = np.stack([np.zeros_like(el), np.full_like(el, r0), np.zeros_like(el), np.zeros_like(el)])
    out = np.empty((len(t), 4, el.size))
    out[0] = state
    for j in range(len(t) - 1):
        t0, h = t[j], t[j + 1] - t[j]
        burning = t0 < ic.burn_time_s - 1e-9  # the grid puts burnout on a step boundary

        def f(tt, s):
            return _derivative(tt, s, burning, direction, ic, u_m_s, options)

        k1 = f(t0, state)
        k2 = f(t0 + 0.5 * h, state + 0.5 * h * k1)
        k3 = f(t0 + 0.5 * h, state + 0.5 * h * k2)
        k4 = f(t0 + h, state + h * k3)
        state = state + (h / 6.0) * (k1 + 2 * k2 + 2 * k3 + k4)
        out[j + 1] = state
    x, z, vx, vz = (out[:, i, :].T for i in range(4))
    rng, alt = _range_alt(x, z, options)
    below = np.maximum.accumulate((alt < -1.0) & (np.arange(len(t)) > 0)[None, :], axis=1)
    for arr in (x, z, vx, vz, rng, alt):
        arr[below] = np.nan
    ib = int(np.searchsorted(t, ic.burn_time_s - 1e-9))
    return {"t_s": t, "elevation_rad": el, "x_m": x, "z_m": z, "vx_m_s": vx, "vz_m_s": vz,
            "range_m": rng, "alt_m": alt, "burnout_index": ib, "exhaust_speed_m_s": float(u_m_s)}


def calibrate_exhaust_speed(ic: Interceptor, options: FlyoutOptions = FlyoutOptions()) -> float:
    """Effective exhaust speed that gives ``burnout_speed_m_s`` at the reference elevation.

    Ideal (Tsiolkovsky) delta-v is ``u ln(m0/mb)``; gravity and drag losses are nearly
    independent of ``u``, so the fixed point ``u = (v_bo + losses) / ln(m0/mb)`` converges
    in a few iterations.
    """
    return _calibrate(ic, options)


@lru_cache(maxsize=64)
def _calibrate(ic: Interceptor, options: FlyoutOptions) -> float:
    log_mr = math.log(ic.launch_mass_kg / ic.burnout_mass_kg)
    u = ic.burnout_speed_m_s / log_mr
    probe = Interceptor(**{**ic.__dict__, "max_flight_time_s": ic.burn_time_s + 1.0})
    for _ in range(4):
        rays = fly_rays(probe, [ic.reference_elevation_rad], u_m_s=u, dt_s=0.1, options=options)
        ib = rays["burnout_index"]
        v = float(np.hypot(rays["vx_m_s"][0, ib], rays["vz_m_s"][0, ib]))
        loss = u * log_mr - v
        u = (ic.burnout_speed_m_s + loss) / log_mr
    return float(u)


# --- The fan --------------------------------------------------------------------------------
@dataclass(frozen=True)
class FlyoutFan:
    """Shortest time of flight to each (ground range, altitude) cell about the launcher.

    ``tof_s[i, k]`` is for ground range ``i * cell_m`` and altitude ``k * cell_m`` (cell
    centres), NaN where the interceptor cannot intercept (outside the kinematic reach, the
    engagement altitude band or the maximum intercept range).  ``kinematic_tof_s`` is the
    same map before the divert margin and the band/range limits.
    """

    interceptor: Interceptor
    cell_m: float
    tof_s: np.ndarray
    kinematic_tof_s: np.ndarray
    rays: dict = field(repr=False, compare=False)

    @property
    def range_m(self) -> np.ndarray:
        return np.arange(self.tof_s.shape[0]) * self.cell_m

    @property
    def alt_m(self) -> np.ndarray:
        return np.arange(self.tof_s.shape[1]) * self.cell_m

    def time_of_flight(self, ground_range_m, alt_m, *, kinematic: bool = False) -> np.ndarray:
        """Shortest flight time to reach points (any shape; NaN where unreachable)."""
        table = self.kinematic_tof_s if kinematic else self.tof_s
        s = np.asarray(ground_range_m, dtype=float)
        h = np.asarray(alt_m, dtype=float)
        i = np.rint(s / self.cell_m)
        k = np.rint(h / self.cell_m)
        ok = np.isfinite(i) & np.isfinite(k) & (i >= 0) & (k >= 0) & (i < table.shape[0]) & (k < table.shape[1])
        ii = np.where(ok, i, 0).astype(np.intp)
        kk = np.where(ok, k, 0).astype(np.intp)
        return np.where(ok, table[ii, kk], np.nan)

    def reachable(self, t_s: float) -> np.ndarray:
        """Boolean (range, altitude) mask of cells that can be intercepted ``t_s`` after launch."""
        with np.errstate(invalid="ignore"):
            return self.tof_s <= t_s

    def reachable_extent(self, t_s: float) -> dict:
        """Farthest ground range and altitude band of the reachable set ``t_s`` after launch."""
        m = self.reachable(t_s)
        if not m.any():
            return {"max_range_m": np.nan, "min_alt_m": np.nan, "max_alt_m": np.nan}
        i, k = np.nonzero(m)
        return {"max_range_m": float(i.max() * self.cell_m), "min_alt_m": float(k.min() * self.cell_m),
                "max_alt_m": float(k.max() * self.cell_m)}


def flyout_fan(ic: Interceptor, *, cell_m: float = 1000.0, n_elevations: int = 161,
               options: FlyoutOptions = FlyoutOptions()) -> FlyoutFan:
    """The flyout fan of an interceptor configuration, computed once and cached."""
    return _fan(ic, float(cell_m), int(n_elevations), options)


@lru_cache(maxsize=32)
def _fan(ic: Interceptor, cell_m: float, n_elevations: int, options: FlyoutOptions) -> FlyoutFan:
    el = np.linspace(ic.min_elevation_rad, ic.max_elevation_rad, n_elevations)
    rays = fly_rays(ic, el, options=options)
    s, h, t = rays["range_m"], rays["alt_m"], rays["t_s"]
    n_s = int(math.ceil((ic.max_intercept_range_m + ic.divert_margin_m) / cell_m)) + 2
    n_h = int(math.ceil((ic.max_intercept_alt_m + ic.divert_margin_m) / cell_m)) + 2
    # only the part of the fan inside the table matters: drop samples beyond it
    inside = (s <= (n_s + 1) * cell_m) & (h <= (n_h + 1) * cell_m)
    last = int(np.max(np.nonzero(inside.any(axis=0))[0])) + 2 if inside.any() else 2
    s = np.where(inside, s, np.nan)[:, :last]
    h = np.where(inside, h, np.nan)[:, :last]
    t = t[:last]
    # Densify between neighbouring rays (linear in elevation) so that no cell is skipped.
    step_m = np.nanmax(np.hypot(np.diff(s, axis=0), np.diff(h, axis=0)), initial=0.0)
    sub = int(min(16, max(1, math.ceil(2.0 * step_m / cell_m))))
    # (the original samples are kept separately: 0 * NaN of a neighbour must not erase them)
    w = (np.arange(1, sub) / sub)[:, None, None]
    s_all = np.concatenate([s, (s[:-1][None] * (1 - w) + s[1:][None] * w).reshape(-1, s.shape[1])])
    h_all = np.concatenate([h, (h[:-1][None] * (1 - w) + h[1:][None] * w).reshape(-1, h.shape[1])])
    # Likewise densify in time where a step covers more than half a cell.
    v_max = np.nanmax(np.hypot(np.diff(s, axis=1), np.diff(h, axis=1)) / np.diff(t)[None, :])
    tsub = int(min(8, max(1, math.ceil(2.0 * v_max * np.max(np.diff(t)) / cell_m))))
    if tsub > 1:
        wt = np.arange(tsub) / tsub
        mid = wt > 0

        def dens(a):
            out = a[:, :-1, None] * (1 - wt) + a[:, 1:, None] * wt
            out[:, :, ~mid] = a[:, :-1, None]
            return np.concatenate([out.reshape(a.shape[0], -1), a[:, -1:]], axis=1)

        s_all, h_all = dens(s_all), dens(h_all)
        t_all = np.concatenate([(t[:-1, None] * (1 - wt) + t[1:, None] * wt).ravel(), t[-1:]])
    else:
        t_all = t
    # time-major order: the first hit of a cell in this order is its shortest time of flight
    i = np.rint(s_all.T / cell_m).ravel()
    k = np.rint(h_all.T / cell_m).ravel()
    tt = np.repeat(t_all, s_all.shape[0])
    ok = np.isfinite(i) & np.isfinite(k) & (i >= 0) & (k >= 0) & (i < n_s) & (k < n_h)
    flat_index = (i[ok] * n_h + k[ok]).astype(np.intp)
    cells, first = np.unique(flat_index, return_index=True)
    tof = np.full(n_s * n_h, np.inf)
    tof[cells] = tt[ok][first]
    tof = tof.reshape(n_s, n_h)
    kinematic = np.where(np.isfinite(tof), tof, np.nan)
    radius = int(math.floor(ic.divert_margin_m / cell_m))
    if radius >= 1:
        yy, xx = np.mgrid[-radius:radius + 1, -radius:radius + 1]
        disk = (xx * xx + yy * yy) <= radius * radius
        tof = ndimage.minimum_filter(tof, footprint=disk, mode="constant", cval=np.inf)
    rr = (np.arange(n_s) * cell_m)[:, None]
    hh = (np.arange(n_h) * cell_m)[None, :]
    inside = (rr <= ic.max_intercept_range_m) & (hh >= ic.min_intercept_alt_m) & (hh <= ic.max_intercept_alt_m)
    tof = np.where(inside & np.isfinite(tof), tof, np.nan)
    return FlyoutFan(ic, cell_m, tof, kinematic, rays)

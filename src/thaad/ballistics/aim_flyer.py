"""The aim solver's view of a batch: launch -> target pairs, their controls, and a flyer that
flies chosen controls for chosen pairs (summary output) and measures the miss.

Controls per trajectory: launch azimuth ``az``; loft ``p`` (programmed burnout pitch for a
missile, burnout flight-path elevation for a burnout-state start); energy ``f`` in (0, 1]
(thrust cut-off at ``f`` times the burn time, or ``f`` times the given burnout speed).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from thaad.ballistics import kepler
from thaad.ballistics.flight import FlightOptions, Pitch, fly, fly_burnout_state
from thaad.trajectory import TrajectorySet
from thaad.ballistics.vehicle import Fleet
from thaad.geo import geodesic_inverse, geodetic_to_ecef


def _take(obj, idx):
    """The same frozen dataclass with every (N,) array field restricted to ``idx``."""
    return replace(obj, **{k: v[idx] for k, v in obj.__dict__.items() if isinstance(v, np.ndarray)})


@dataclass(frozen=True)
class Pairs:
    """Launch -> target pairs, arrays (N,) in SI (radians, metres); ``speed`` (m/s) and
    ``beta`` (kg/m^2) only for burnout-state starts."""

    lat: np.ndarray
    lon: np.ndarray
    alt: np.ndarray
    tlat: np.ndarray
    tlon: np.ndarray
    talt: np.ndarray
    speed: np.ndarray | None = None
    beta: np.ndarray | None = None

    def take(self, idx) -> Pairs:
        return _take(self, idx)


@dataclass(frozen=True)
class Controls:
    """Azimuth (rad), loft (rad) and energy fraction per pair, arrays (N,)."""

    az: np.ndarray
    p: np.ndarray
    f: np.ndarray

    def copy(self) -> Controls:
        return Controls(self.az.copy(), self.p.copy(), self.f.copy())


@dataclass(frozen=True)
class Solved:
    """Result of one solver stage: controls, convergence and miss per pair, iterations
    used; ``reason`` (why not reachable), ``max_range``, ``bracketed`` and the
    minimum-energy stage's controls where a stage sets them."""

    controls: Controls
    conv: np.ndarray
    miss: np.ndarray
    iterations: int
    reason: np.ndarray | None = None
    max_range: np.ndarray | None = None
    bracketed: np.ndarray | None = None
    min_energy: Controls | None = None
    jacobian: np.ndarray | None = None  # (N, k, k) last Jacobian of a Newton stage (NaN: none)
    final_jacobian: np.ndarray | None = None  # (N, 3, 3) that of the final shape's stage (apogee given)
    impact_time: np.ndarray | None = None  # (N,) impact time of each pair's last flight (s)


class Keeper:
    """Sampled flights of pairs that converged on them (``add(rows, ts, sel)``: trajectories
    ``sel`` of ``ts`` are rows ``rows``), kept so that the solver's final trajectories need
    not be flown again; nothing is copied until the final set is assembled."""

    def __init__(self):
        self.parts: list[tuple[np.ndarray, TrajectorySet, np.ndarray | None]] = []
        self.base: tuple[TrajectorySet, np.ndarray] | None = None  # a flight of every pair, in order

    def add(self, rows, ts: TrajectorySet, sel=None, ts_rows=None) -> None:
        """``ts_rows``: the pair of each of ``ts``'s trajectories (if known): a flight of
        all the pairs in order becomes the base the final set is assembled in, in place."""
        if len(rows):
            self.parts.append((np.asarray(rows, dtype=np.intp), ts, None if sel is None else np.asarray(sel, np.intp)))
            if ts_rows is not None and self.base is None:
                self.base = (ts, np.asarray(ts_rows, dtype=np.intp))

    def assemble(self, n: int, extra=()) -> TrajectorySet:
        """The final set of ``n`` pairs from the kept flights and ``extra`` parts ``(rows,
        ts)``: in the base flight's arrays when there is one for all ``n`` pairs with room
        for the others' samples (no copy of the whole set), else assembled anew."""
        parts = list(self.parts) + [(np.asarray(r, dtype=np.intp), t, None) for r, t in extra]
        if self.base is not None:
            base, ts_rows = self.base
            width = base.t_s.shape[1]
            if (base.n == n and np.array_equal(ts_rows, np.arange(n))
                    and all(t.t_s.shape[1] <= width for _, t, _ in parts if t is not base)):
                out = base
                for rows, t, sel in parts:
                    if t is not base:
                        out = out.put_rows(rows, t, sel)
                return out
        if len(parts) == 1 and parts[0][0].size == n and (parts[0][2] is None or parts[0][2].size == parts[0][1].n):
            return parts[0][1]
        return TrajectorySet.from_rows(n, parts)

    def rows(self) -> np.ndarray:
        return np.concatenate([r for r, *_ in self.parts]) if self.parts else np.zeros(0, dtype=np.intp)


def wrap(a):
    return (a + np.pi) % (2 * np.pi) - np.pi


def subset_ts(ts: TrajectorySet, sl) -> TrajectorySet:
    n = ts.range_m.shape[0]
    return replace(ts, **{k: v[sl] for k, v in ts.__dict__.items()
                          if isinstance(v, np.ndarray) and v.ndim >= 1 and v.shape[0] == n})


def interp_rows(x, xs, table, rows):
    """``np.interp(x[i], xs, table[rows[i]])`` for every i at once (xs uniform, clamped)."""
    m = xs.size
    u = np.clip((np.asarray(x, dtype=float) - xs[0]) / (xs[1] - xs[0]), 0.0, m - 1.0)
    i0 = np.clip(np.floor(u).astype(int), 0, m - 2)
    w = u - i0
    return table[rows, i0] * (1.0 - w) + table[rows, i0 + 1] * w


class Flyer:
    """Flies controls for a subset of pairs with summary output only (``final``: with the
    caller's sampling) and measures misses; holds the minimum-energy drag-offset table."""

    def __init__(self, vehicle: Fleet | None, pairs: Pairs, options: FlightOptions):
        self.vehicle, self.pairs, self.options = vehicle, pairs, options
        self.fast = FlightOptions(**{**options.__dict__, "sample_s": None})
        self.target_r = np.linalg.norm(geodetic_to_ecef(pairs.tlat, pairs.tlon, pairs.talt, options.earth), axis=-1)
        self._to_target = None  # (distance m, azimuth rad) launch -> target per pair, once (to_target)
        # drag-offset table (G, m) over energies (m,); each pair's two groups (N, 2) and weight of the second (N,)
        self.offset, self.offset_f, self.offset_row, self.offset_w = None, None, None, None
        self.drag_offset = options.drag and (vehicle is not None or bool(np.isfinite(pairs.beta).any()))
        self.loft_reversed = vehicle is not None and options.pitch is Pitch.GRAVITY_TURN  # larger kick: flatter
        if self.loft_reversed:
            self.p_lo, self.p_hi, self.f_lo = np.radians(0.2), np.radians(85.0), 0.05
        elif vehicle is not None:
            self.p_lo, self.p_hi, self.f_lo = np.radians(-30.0), np.radians(88.0), 0.05
        else:
            self.p_lo, self.p_hi, self.f_lo = np.radians(0.2), np.radians(89.8), 0.02

    # short names for the pair arrays
    lat = property(lambda self: self.pairs.lat)
    lon = property(lambda self: self.pairs.lon)
    tlat = property(lambda self: self.pairs.tlat)
    tlon = property(lambda self: self.pairs.tlon)

    def subset(self, idx) -> Flyer:
        """The same flyer restricted to pairs ``idx`` (re-indexed from 0)."""
        sub = object.__new__(Flyer)
        sub.__dict__.update(self.__dict__)
        sub.pairs = self.pairs.take(idx)
        sub.target_r = self.target_r[idx]
        if self._to_target is not None:
            sub._to_target = tuple(x[idx] for x in self._to_target)
        if self.offset_row is not None:
            sub.offset_row, sub.offset_w = self.offset_row[idx], self.offset_w[idx]
        if self.vehicle is not None:
            sub.vehicle = self.vehicle.take(idx)
        return sub

    def fly(self, idx, az, p, f, final=False, end_hint_s=None) -> TrajectorySet:
        opts = self.options if final else self.fast
        q = self.pairs
        if self.vehicle is not None:
            return fly(self.vehicle.take(idx), q.lat[idx], q.lon[idx], az, p, launch_alt_m=q.alt[idx],
                       burn_fraction=f, impact_alt_m=q.talt[idx], options=opts, end_time_hint_s=end_hint_s)
        return fly_burnout_state(q.lat[idx], q.lon[idx], q.alt[idx], f * q.speed[idx], p, az,
                                 ballistic_coefficient_kg_m2=q.beta[idx], impact_alt_m=q.talt[idx], options=opts)

    def to_target(self):
        """``(distance m, azimuth rad)`` of every pair's target from its launch point (the
        geodesic, solved once per flyer)."""
        if self._to_target is None:
            # the solver's many geodesics: compiled Vincenty for any batch (sub-mm from PROJ's Karney)
            d, az, _ = geodesic_inverse(self.lat, self.lon, self.tlat, self.tlon, self.options.earth, compiled=True)
            self._to_target = (d, az)
        return self._to_target

    def misses(self, idx, ts: TrajectorySet):
        """(downrange excess m, azimuth error rad, miss distance m) for flights of pairs idx."""
        e = self.options.earth
        lat, lon = self.lat[idx], self.lon[idx]
        d_t, az_t = (x[idx] for x in self.to_target())
        ok = np.isfinite(ts.impact_lat_rad)
        il = np.where(ok, ts.impact_lat_rad, lat)
        io = np.where(ok, ts.impact_lon_rad, lon)
        d_i, az_i, _ = geodesic_inverse(lat, lon, il, io, e, compiled=True)
        miss = geodesic_inverse(il, io, self.tlat[idx], self.tlon[idx], e, compiled=True)[0]
        dr = np.where(ok, d_i - d_t, np.inf)
        daz = np.where(ok & (d_i > 1.0), wrap(az_t - az_i), 0.0)
        return dr, daz, np.where(ok, miss, np.inf)

    def impact_offset(self, idx, ts: TrajectorySet):
        """Impact point relative to the target: (east, north) metres on the target's
        tangent plane (geodesic distance and azimuth); NaN where there was no impact."""
        ok = np.isfinite(ts.impact_lat_rad)
        il = np.where(ok, ts.impact_lat_rad, self.tlat[idx])
        io = np.where(ok, ts.impact_lon_rad, self.tlon[idx])
        d, az, _ = geodesic_inverse(self.tlat[idx], self.tlon[idx], il, io, self.options.earth, compiled=True)
        return np.where(ok, d * np.sin(az), np.nan), np.where(ok, d * np.cos(az), np.nan)

    def gamma_residual(self, idx, ts: TrajectorySet, f):
        """Burnout flight-path angle minus the minimum-energy angle (Kepler optimum plus the
        drag offset found by :func:`thaad.ballistics.aim_table.initial_guess`)."""
        r_b = np.linalg.norm(ts.burnout_position_ecef_m, axis=-1)
        g_opt = kepler.optimal_gamma(r_b, ts.burnout_speed_m_s, self.target_r[idx], self.options.earth.gm_m3_s2)
        off = 0.0
        if f is not None and self.offset is not None:
            rows, w = self.offset_row[idx], self.offset_w[idx]  # (M, 4): blended table groups
            off = sum(w[:, c] * interp_rows(f, self.offset_f, self.offset, rows[:, c]) for c in range(rows.shape[1]))
        return ts.burnout_fpa_rad - g_opt - off

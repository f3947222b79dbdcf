"""The result of a ballistic flight computation: N trajectories sampled in time.

This is the contract between ``ballistics`` (which produces it) and ``radar``,
``engagement`` and ``footprint`` (which consume it).  Keep field names stable.

Shapes: N trajectories, T samples each (padded).  Sample ``j`` of trajectory ``i`` is
valid for ``j < n_samples[i]``; padded entries hold NaN.  Positions and velocities are
Earth-fixed (ECEF, rotating frame, velocity relative to the ground), xyz on the last axis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from thaad.geo import WGS84, Earth


@dataclass(frozen=True)
class TrajectorySet:
    t_s: np.ndarray  # (N, T) time since launch, NaN past the end
    position_ecef_m: np.ndarray  # (N, T, 3)
    velocity_ecef_m_s: np.ndarray  # (N, T, 3) Earth-relative velocity
    lat_rad: np.ndarray  # (N, T) geodetic latitude
    lon_rad: np.ndarray  # (N, T)
    alt_m: np.ndarray  # (N, T) height above the ellipsoid
    n_samples: np.ndarray  # (N,) int, number of valid samples
    launch_lat_rad: np.ndarray  # (N,)
    launch_lon_rad: np.ndarray  # (N,)
    launch_azimuth_rad: np.ndarray  # (N,) initial heading, from north clockwise
    burnout_time_s: np.ndarray  # (N,)
    burnout_alt_m: np.ndarray  # (N,)
    burnout_speed_m_s: np.ndarray  # (N,) inertial speed at burnout
    apogee_time_s: np.ndarray  # (N,)
    apogee_alt_m: np.ndarray  # (N,)
    impact_time_s: np.ndarray  # (N,) flight time to the ground (alt = target altitude)
    impact_lat_rad: np.ndarray  # (N,)
    impact_lon_rad: np.ndarray  # (N,)
    impact_speed_m_s: np.ndarray  # (N,) Earth-relative speed at impact
    range_m: np.ndarray  # (N,) geodesic ground range launch -> impact
    earth: Earth = WGS84
    # --- added by the flight model (optional for other producers) ---
    burnout_position_ecef_m: np.ndarray | None = None  # (N, 3)
    burnout_velocity_ecef_m_s: np.ndarray | None = None  # (N, 3) Earth-relative
    burnout_fpa_rad: np.ndarray | None = None  # (N,) inertial flight-path angle (geocentric)
    impact_alt_m: np.ndarray | None = None  # (N,) height of the impact surface used
    n_steps: int = 0  # integrator steps taken (diagnostics)

    @property
    def n(self) -> int:
        return int(self.t_s.shape[0])

    @property
    def valid(self) -> np.ndarray:
        """(N, T) boolean mask of real (not padded) samples."""
        return np.arange(self.t_s.shape[1])[None, :] < self.n_samples[:, None]

    @property
    def speed_m_s(self) -> np.ndarray:
        """(N, T) Earth-relative speed."""
        return np.linalg.norm(self.velocity_ecef_m_s, axis=-1)

    def take(self, idx) -> "TrajectorySet":
        """The trajectories ``idx`` (index array or slice) as a set of their own."""
        from dataclasses import replace

        n = self.t_s.shape[0]
        return replace(self, **{k: v[idx] for k, v in self.__dict__.items()
                                if isinstance(v, np.ndarray) and v.ndim >= 1 and v.shape[0] == n})

    SAMPLED = ("t_s", "position_ecef_m", "velocity_ecef_m_s", "lat_rad", "lon_rad", "alt_m")

    def put_rows(self, rows, other: "TrajectorySet", sel=None) -> "TrajectorySet":
        """Overwrite trajectories ``rows`` of this set, in place, with ``other``'s (its
        ``sel``; ``None``: all), padded with NaN; ``other`` may not have more samples per
        trajectory than this set has room for.  Returns this set (``n_steps`` updated)."""
        from dataclasses import replace

        rows = np.asarray(rows, dtype=np.intp)
        n, width = self.n, self.t_s.shape[1]
        for name, v in self.__dict__.items():
            if not (isinstance(v, np.ndarray) and v.ndim >= 1 and v.shape[0] == n):
                continue
            x = getattr(other, name)
            x = x if sel is None else x[sel]
            if name in self.SAMPLED:
                w = x.shape[1]
                if w > width:
                    raise ValueError(f"{w} samples do not fit in {width}")
                v[rows, :w] = x
                v[rows, w:] = np.nan
            else:
                v[rows] = x
        return replace(self, n_steps=max(self.n_steps, other.n_steps))

    @staticmethod
    def from_rows(n: int, parts, samples: bool = True) -> "TrajectorySet":
        """One set of ``n`` trajectories from ``parts``: ``(rows, TrajectorySet)`` pairs, or
        ``(rows, TrajectorySet, sel)`` (its trajectories ``sel`` only; ``None``: all), that
        together cover every row once (e.g. trajectories flown in different calls); sample
        arrays are padded with NaN to the longest part (``samples`` False: summaries only,
        one NaN sample per row)."""
        parts = [(np.asarray(p[0], dtype=np.intp), p[1], p[2] if len(p) > 2 else None) for p in parts]
        first = parts[0][1]
        t_max = max(int(ts.n_samples.max(initial=1) if sel is None else ts.n_samples[sel].max(initial=1))
                    for _, ts, sel in parts) if samples else 1
        t_max = min(t_max, max(ts.t_s.shape[1] for _, ts, _ in parts))
        sampled = TrajectorySet.SAMPLED
        out = {}
        for name, v in first.__dict__.items():
            if not (isinstance(v, np.ndarray) and v.ndim >= 1 and v.shape[0] == first.n):
                continue
            shape = (n, t_max) + v.shape[2:] if name in sampled else (n,) + v.shape[1:]
            if v.dtype.kind in "iub":
                arr = np.zeros(shape, dtype=v.dtype)
            elif name in sampled and samples:  # every row written below: its samples, then NaN padding
                arr = np.empty(shape, dtype=v.dtype)
            else:
                arr = np.full(shape, np.nan, dtype=v.dtype)
            for rows, ts, sel in parts:
                x = getattr(ts, name)
                if name in sampled:
                    if samples:
                        w = min(x.shape[1], t_max)
                        arr[rows, :w] = x[:, :w] if sel is None else x[sel, :w]
                        if w < t_max:
                            arr[rows, w:] = np.nan
                else:
                    arr[rows] = x if sel is None else x[sel]
            out[name] = arr
        from dataclasses import replace

        if not samples:
            out["n_samples"] = np.zeros(n, dtype=out["n_samples"].dtype)
        return replace(first, n_steps=max(ts.n_steps for _, ts, _ in parts), **out)

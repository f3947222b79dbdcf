"""Detection along trajectories: which samples of N trajectories the radar sees, first
detection (time, altitude, range), visible intervals and track duration, all at once."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from thaad.trajectory import TrajectorySet
from thaad.radar.model import Radar, look_from_geodetic, margins, visibility_from_margins


@dataclass(frozen=True)
class TrackResult:
    """Radar view of N trajectories of T samples (padded samples are never visible)."""

    visible: np.ndarray  # (N, T) bool
    slant_range_m: np.ndarray  # (N, T)
    elevation_rad: np.ndarray  # (N, T) apparent (k-Earth) elevation
    azimuth_rad: np.ndarray  # (N, T)
    first_detection_time_s: np.ndarray  # (N,) NaN if never
    first_detection_alt_m: np.ndarray  # (N,)
    first_detection_range_m: np.ndarray  # (N,) slant range at first detection
    first_detection_lat_rad: np.ndarray  # (N,)
    first_detection_lon_rad: np.ndarray  # (N,)
    last_detection_time_s: np.ndarray  # (N,)
    track_duration_s: np.ndarray  # (N,) total time inside visible intervals
    intervals: tuple  # N arrays (k_i, 2) of [start_s, end_s] (sample times)
    margins: dict  # name -> (N, T) signed margins (see thaad.radar.model)

    @property
    def detected(self) -> np.ndarray:
        return np.isfinite(self.first_detection_time_s)


def _first_true(mask: np.ndarray) -> np.ndarray:
    """Index of the first True per row, -1 where none."""
    idx = np.argmax(mask, axis=1)
    return np.where(mask.any(axis=1), idx, -1)


def _take(a: np.ndarray, idx: np.ndarray) -> np.ndarray:
    rows = np.arange(a.shape[0])
    out = a[rows, np.maximum(idx, 0)].astype(float)
    return np.where(idx >= 0, out, np.nan)


def _refine_first(first: np.ndarray, m: dict, valid: np.ndarray):
    """Fraction ``f`` in (0, 1] of the step from sample ``first - 1`` to ``first`` at which
    the last failing margin crosses zero (linear interpolation of each margin); 0 where the
    first visible sample is the first sample or the step straddles padding."""
    n = first.size
    rows = np.arange(n)
    ok = (first > 0)
    prev = np.where(ok, first - 1, 0)
    cur = np.maximum(first, 0)
    ok &= valid[rows, prev]
    frac = np.zeros(n)
    for v in m.values():
        a = np.asarray(v, dtype=float)[rows, prev]
        b = np.asarray(v, dtype=float)[rows, cur]
        with np.errstate(divide="ignore", invalid="ignore"):
            f = np.where((a < 0) & (b >= 0) & np.isfinite(a) & np.isfinite(b), a / (a - b), 0.0)
        frac = np.maximum(frac, np.where(np.isfinite(f), f, 1.0))
    return np.where(ok, np.clip(frac, 0.0, 1.0), 0.0), prev


def _interp(a: np.ndarray, first: np.ndarray, prev: np.ndarray, frac: np.ndarray) -> np.ndarray:
    rows = np.arange(a.shape[0])
    x1 = a[rows, np.maximum(first, 0)].astype(float)
    x0 = a[rows, prev].astype(float)
    out = np.where(frac > 0, x1 + (frac - 1.0) * (x1 - x0), x1)
    return np.where(first >= 0, out, np.nan)


def detect_along(trajectories: TrajectorySet, radar: Radar, rcs_m2=0.01, *, refine: bool = True, look=None) -> TrackResult:
    """Radar visibility of every sample of every trajectory.

    ``rcs_m2`` is a scalar, per-trajectory ``(N,)`` or per-sample ``(N, T)`` RCS.
    ``visible`` and the intervals are per sample; with ``refine`` the first detection
    (time, altitude, range, position) is interpolated to where the last failing margin
    crosses zero between the last unseen and the first seen sample (linear in each
    margin), otherwise it is the first visible sample.  ``look`` may pass the samples'
    :class:`~thaad.radar.model.Look` from this radar's site when several radars at one
    site (or several objects) share it.
    """
    ts = trajectories
    n, t = ts.t_s.shape
    rcs = np.asarray(rcs_m2, dtype=float)
    if rcs.ndim == 1:
        rcs = rcs[:, None]
    if look is None:
        look = look_from_geodetic(radar, ts.lat_rad, ts.lon_rad, ts.alt_m)
    m = margins(radar, look, np.broadcast_to(rcs, (n, t)))
    valid = ts.valid & np.isfinite(ts.t_s)
    vis = visibility_from_margins(m) & valid

    first = _first_true(vis)
    last = np.where(vis.any(axis=1), t - 1 - np.argmax(vis[:, ::-1], axis=1), -1)
    rng = look.slant_range_m

    # Visible intervals from rising/falling edges, vectorised over all rows.
    pad = np.zeros((n, 1), dtype=bool)
    edges = np.diff(np.concatenate([pad, vis, pad], axis=1).astype(np.int8), axis=1)
    r_rows, r_cols = np.nonzero(edges == 1)  # start sample
    f_rows, f_cols = np.nonzero(edges == -1)  # one past the end sample
    t_safe = np.where(np.isfinite(ts.t_s), ts.t_s, 0.0)
    starts = t_safe[r_rows, r_cols]
    ends = t_safe[f_rows, f_cols - 1]
    durations = np.bincount(r_rows, weights=ends - starts, minlength=n)
    split = np.searchsorted(r_rows, np.arange(1, n))
    intervals = tuple(np.stack(p, axis=-1) if len(p[0]) else np.zeros((0, 2))
                      for p in zip(np.split(starts, split), np.split(ends, split)))

    if refine:
        frac, prev = _refine_first(first, m, valid)
    else:
        frac, prev = np.zeros(n), np.maximum(first, 0)
    lon_unwrapped = np.unwrap(np.where(np.isfinite(ts.lon_rad), ts.lon_rad, 0.0), axis=1)
    return TrackResult(
        visible=vis,
        slant_range_m=rng,
        elevation_rad=look.elevation_rad,
        azimuth_rad=look.azimuth_rad,
        first_detection_time_s=_interp(ts.t_s, first, prev, frac),
        first_detection_alt_m=_interp(ts.alt_m, first, prev, frac),
        first_detection_range_m=_interp(rng, first, prev, frac),
        first_detection_lat_rad=_interp(ts.lat_rad, first, prev, frac),
        first_detection_lon_rad=np.mod(_interp(lon_unwrapped, first, prev, frac) + np.pi, 2 * np.pi) - np.pi,
        last_detection_time_s=_take(ts.t_s, last),
        track_duration_s=np.where(vis.any(axis=1), durations, 0.0),
        intervals=intervals,
        margins=m,
    )


COMPILED_MIN_SAMPLES = 20_000  # batches at least this large (trajectories x samples) use the compiled kernel


def first_detection(trajectories: TrajectorySet, radar: Radar, rcs_m2=0.01, *, compiled: bool | None = None,
                    skip: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """``(first detection time (N,) s, visible (N, T) bool)``: the two numbers of
    :func:`detect_along` that footprints and engagements use, for big batches.

    ``compiled`` None: the numba kernel (:mod:`thaad.radar.detect_compiled`) for batches of
    at least ``COMPILED_MIN_SAMPLES`` samples, a radar without terrain horizon and a scalar
    or per-trajectory RCS; otherwise (or False) :func:`detect_along`.  Both give the same
    visible samples except at margin ties (a margin within ~1e-9 of zero) and the same
    first detection to ~1e-9 s; ``skip=False`` evaluates every sample instead of skipping
    those that provably keep their visibility (see the kernel's docstring).
    """
    ts = trajectories
    n, t = ts.t_s.shape
    rcs = np.asarray(rcs_m2, dtype=float)
    usable = radar.horizon is None and rcs.ndim <= 1 and (rcs.ndim == 0 or rcs.shape == (n,))
    if compiled is None:
        from thaad.geo import _numba_available

        compiled = usable and n * t >= COMPILED_MIN_SAMPLES and _numba_available()
    if not (compiled and usable):
        tr = detect_along(ts, radar, rcs_m2)
        return np.asarray(tr.first_detection_time_s, dtype=float), np.asarray(tr.visible, dtype=bool)
    from thaad.radar.detect_compiled import first_detection as kernel

    r_det = np.broadcast_to(np.asarray(radar.detection_range_m(rcs), dtype=float), (n,))
    vis, first, redo = kernel(ts.t_s, ts.lat_rad, ts.lon_rad, ts.alt_m, ts.position_ecef_m, ts.n_samples, r_det,
                              radar, skip=skip)
    if redo.any():  # Vincenty did not converge (nearly antipodal): the NumPy/PROJ path for those
        idx = np.nonzero(redo)[0]
        tr = detect_along(ts.take(idx), radar, rcs[idx] if rcs.ndim else rcs_m2)
        first[idx], vis[idx] = tr.first_detection_time_s, tr.visible
    return first, vis

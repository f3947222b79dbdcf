"""Warm starts for Monte Carlo draws of a missile band: the aim solutions of the band's
anchor vehicles, interpolated at each draw's quantile.

A band's vehicle at quantile ``u`` is linear in its parameters on each half, ``[0, 0.5]``
and ``[0.5, 1]`` (``assemble.VehicleBand.at``), so every control of a solved target is a
smooth function of ``u`` on each half.  The solutions at the anchors ``0, 0.25, 0.5, 0.75,
1`` (the nominal one and four more, solved once per target from the nominal launch point)
give each draw its controls by the quadratic through the three anchors of its half, its
Jacobian from the nearest anchor and its expected flight time; the aim solver then adds
the launch point's move (:class:`~thaad.ballistics.aim.AimStart`).  Most draws land
within the tolerance on their first flight (``bench/bench_footprint.py`` prints how many
flights an aimed trajectory takes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from thaad.ballistics.aim import AimSolution, AimStart, aim
from thaad.ballistics.aim_flyer import Controls, wrap
from thaad.ballistics.flight import FlightOptions
from thaad.ballistics.vehicle import Fleet
from thaad.geo import geodesic_inverse

ANCHORS = (0.0, 0.25, 0.5, 0.75, 1.0)  # the band's quantiles solved per target; halves of three
# anchors are solved tighter than the draws' tolerances (100 m, 0.05 deg), so that their
# interpolation lands draws within those on the first flight
TIGHT_M, TIGHT_SHAPE = 10.0, 0.1


@dataclass(frozen=True)
class Anchors:
    """Aim solutions of the same targets from the same launch points, one per anchor
    quantile in :data:`ANCHORS` (unsolved targets: ``reachable`` False)."""

    solutions: tuple[AimSolution, ...]
    launch_lat_rad: np.ndarray  # (N,) the launch points solved from (the nominal solution's)
    launch_lon_rad: np.ndarray
    target_lat_rad: np.ndarray
    target_lon_rad: np.ndarray
    cache: dict = field(default_factory=dict, compare=False, repr=False)

    def values(self, rows=slice(None)):
        """Per anchor (K, N, 7): the minimum-energy stage's azimuth offset from the target's
        bearing, loft, energy, the final shape's three, the flight time; and ``ok`` (K, N)."""
        sols = self.solutions
        bearing = geodesic_inverse(self.launch_lat_rad[rows], self.launch_lon_rad[rows],
                                   self.target_lat_rad[rows], self.target_lon_rad[rows])[1]
        out = []
        for s in sols:
            me = s.min_energy or Controls(s.azimuth_rad, s.loft_rad, s.energy_fraction)
            out.append(np.stack([wrap(me.az[rows] - bearing), me.p[rows], me.f[rows], wrap(s.azimuth_rad[rows] - bearing),
                                 s.loft_rad[rows], s.energy_fraction[rows], s.impact_time_s[rows]], axis=-1))
        ok = np.stack([np.asarray(s.reachable, bool)[rows] for s in sols])
        return np.stack(out), ok


def solve_anchors(at, nominal: AimSolution, target_lat_rad, target_lon_rad, *, shape: str,
                  apogee_m=None, options: FlightOptions = FlightOptions(sample_s=None)) -> Anchors:
    """Solve the targets of ``nominal`` (reachable ones only) for the band's vehicles
    ``at(u)`` at every anchor (the nominal one's too, tighter), all in one call, each started
    from the nominal solution and its Jacobian, to :data:`TIGHT_M` and :data:`TIGHT_SHAPE`."""
    reach = np.flatnonzero(np.asarray(nominal.reachable, bool))
    k, m = len(ANCHORS), reach.size
    sols = {}
    if m:
        rows = np.tile(reach, k)
        vehicle = Fleet.from_quantiles(at, np.repeat(ANCHORS, m), table_step=0.25)
        apo = None if apogee_m is None else np.full(rows.size, float(apogee_m))
        _, sol = aim(vehicle, nominal.launch_lat_rad[rows], nominal.launch_lon_rad[rows], np.asarray(target_lat_rad)[rows],
                     np.asarray(target_lon_rad)[rows], shape=shape, apogee_m=apo, options=options,
                     start=nominal.start(rows), tol_m=TIGHT_M, shape_tol=TIGHT_SHAPE, max_iter=10)
        n = nominal.reachable.size
        for j, a in enumerate(ANCHORS):
            sols[a] = _scatter(sol, slice(j * m, (j + 1) * m), reach, n)
    return Anchors(tuple(sols.get(a, _none(nominal)) for a in ANCHORS), nominal.launch_lat_rad, nominal.launch_lon_rad,
                   np.asarray(target_lat_rad, dtype=float), np.asarray(target_lon_rad, dtype=float))


def _scatter(sol: AimSolution, part, rows, n) -> AimSolution:
    """Rows ``part`` of a solution, placed at ``rows`` of ``n`` (others: unsolved)."""
    def put(x, fill=np.nan):
        if x is None:
            return None
        x = np.asarray(x)
        out = np.full((n,) + x.shape[1:], fill, dtype=x.dtype if x.dtype != object else object)
        out[rows] = x[part]
        return out

    me = None if sol.min_energy is None else Controls(*(put(x) for x in (sol.min_energy.az, sol.min_energy.p,
                                                                          sol.min_energy.f)))
    return AimSolution(sol.shape, put(sol.azimuth_rad), put(sol.loft_rad), put(sol.energy_fraction),
                       put(sol.reachable, False), put(sol.miss_m), put(sol.target_range_m), put(sol.max_range_m),
                       sol.iterations, put(sol.reason, ""), me, put(sol.min_energy_jacobian), put(sol.final_jacobian),
                       put(sol.launch_lat_rad), put(sol.launch_lon_rad), put(sol.impact_time_s))


def _none(like: AimSolution) -> AimSolution:
    return _scatter(like, slice(0, 0), np.zeros(0, dtype=int), like.reachable.size)


def _weights(u):
    """Anchor indices (M, 3) of each ``u``'s half and the quadratic Lagrange weights (M, 3)."""
    u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
    j0 = np.where(u <= 0.5, 0, 2)
    s = (u - np.asarray(ANCHORS)[j0]) / 0.25  # in [0, 2]
    w = np.stack([0.5 * (s - 1.0) * (s - 2.0), -s * (s - 2.0), 0.5 * s * (s - 1.0)], axis=1)
    return j0[:, None] + np.arange(3)[None, :], w


def _blend(v, ok, u):
    """Anchor values ``v`` (K, M, C) at quantiles ``u`` (M,): the quadratic through the three
    anchors of ``u``'s half where all three are ``ok`` (K, M), else the nearest ``ok`` anchor's
    value; also that anchor's index and whether any anchor is ``ok``."""
    idx, w = _weights(u)
    cols = np.arange(u.size)
    full = ok[idx.T, cols].all(axis=0)
    dist = np.where(ok, np.abs(np.asarray(ANCHORS)[:, None] - u[None, :]), np.inf)
    near = np.argmin(dist, axis=0)
    with np.errstate(invalid="ignore"):
        quad = np.einsum("mk,kmc->mc", w, v[idx.T, cols])
    return np.where(full[:, None], quad, v[near, cols]), near, np.isfinite(dist.min(axis=0))


def _virtual(anchors: Anchors, rows, lat0, lon0):
    """Anchor values (K, M, 7) and ``ok`` at the *virtual targets* of draws launched from
    ``lat0, lon0`` at targets ``rows``: the points at the same distance and bearing from the
    anchors' (single) launch point as each target from the draw's launch point, where the
    same controls fly the same flight relative to the local vertical and north.  Linear
    interpolation over the solved targets in (distance, bearing) (scipy's Delaunay-based
    ``LinearNDInterpolator``); ``None`` where the anchors have several launch points."""
    from scipy.interpolate import LinearNDInterpolator

    lat_l, lon_l = anchors.launch_lat_rad, anchors.launch_lon_rad
    solved = np.flatnonzero(np.isfinite(lat_l) & np.isfinite(lon_l))
    if solved.size < 8 or np.ptp(lat_l[solved]) > 1e-12 or np.ptp(lon_l[solved]) > 1e-12:
        return None
    if "interp" not in anchors.cache:
        d, b, _ = geodesic_inverse(lat_l[solved], lon_l[solved], anchors.target_lat_rad[solved],
                                   anchors.target_lon_rad[solved])
        v, ok = anchors.values(solved)
        vals = np.where(ok[..., None], v, np.nan).transpose(1, 0, 2).reshape(solved.size, -1)
        scale = float(np.mean(d))  # bearing as arc length: an isotropic metric for the triangulation
        try:
            anchors.cache["interp"] = (LinearNDInterpolator(np.stack([d, b * scale], axis=1), vals), scale,
                                       lat_l[solved[0]], lon_l[solved[0]], v.shape[0])
        except Exception:  # degenerate set of targets (e.g. all on one line): no triangulation
            anchors.cache["interp"] = None
    if anchors.cache["interp"] is None:
        return None
    fn, scale, la, lo, k = anchors.cache["interp"]
    d_q, b_q, _ = geodesic_inverse(lat0, lon0, anchors.target_lat_rad[rows], anchors.target_lon_rad[rows])
    # bearings unwrapped near the targets' own (so the interpolation does not cross +-pi)
    b_t = geodesic_inverse(la, lo, anchors.target_lat_rad[rows], anchors.target_lon_rad[rows])[1]
    b_q = b_t + wrap(b_q - b_t)
    v = fn(np.stack([d_q, b_q * scale], axis=1)).reshape(rows.size, k, -1).transpose(1, 0, 2)
    return v, np.all(np.isfinite(v), axis=-1), b_q


def start_at(anchors: Anchors, rows, u, lat0, lon0) -> AimStart:
    """Warm start for draws of quantile ``u`` (M,) launched from ``lat0, lon0`` (M,) at
    targets ``rows`` (M,) of the anchors' solutions.  Controls and flight time: those of the
    virtual target (:func:`_virtual`), else the target's own (with the aim solver's
    predicted step for the moved launch point), each interpolated in ``u`` (quadratic in
    its half; where an anchor of the half is unsolved, the nearest solved anchor's).
    Jacobians: the nearest anchor's at the target.  Rows no anchor solved start cold."""
    rows = np.asarray(rows, dtype=np.intp)
    u = np.broadcast_to(np.asarray(u, dtype=float), rows.shape)
    lat0 = np.broadcast_to(np.asarray(lat0, dtype=float), rows.shape)
    lon0 = np.broadcast_to(np.asarray(lon0, dtype=float), rows.shape)
    sols = anchors.solutions
    v_rows, ok_rows = anchors.values(rows)
    val, near, any_ok = _blend(v_rows, ok_rows, u)
    launch_lat, launch_lon = anchors.launch_lat_rad[rows], anchors.launch_lon_rad[rows]
    bearing = geodesic_inverse(launch_lat, launch_lon, anchors.target_lat_rad[rows], anchors.target_lon_rad[rows])[1]
    virt = _virtual(anchors, rows, lat0, lon0)
    if virt is not None:
        v_v, ok_v, b_v = virt
        use = np.all(ok_v == ok_rows, axis=0) & any_ok  # the same anchors solved there
        val = np.where(use[:, None], _blend(v_v, ok_v, u)[0], val)
        bearing = np.where(use, b_v, bearing)
    else:
        use = np.zeros(rows.size, dtype=bool)
    cols = np.arange(rows.size)

    def of_nearest(get):
        vals = [get(s) for s in sols]
        return None if any(x is None for x in vals) else np.stack([x[rows] for x in vals])[near, cols]

    me = Controls(bearing + val[:, 0], val[:, 1], val[:, 2])
    final = Controls(bearing + val[:, 3], val[:, 4], val[:, 5])
    st = AimStart(me, final, of_nearest(lambda s: s.min_energy_jacobian), launch_lat, launch_lon,
                  final_jacobian=of_nearest(lambda s: s.final_jacobian), moved=use,
                  impact_time_s=np.where(use, val[:, 6], np.nan))  # the others' first flight: too far to keep
    return st.masked(any_ok)

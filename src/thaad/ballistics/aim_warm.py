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

import threading
from dataclasses import dataclass, field, fields, replace

import numpy as np

from thaad.ballistics.aim import AimSolution, AimStart, aim
from thaad.ballistics.aim_flyer import Controls, wrap
from thaad.ballistics.flight import FlightOptions
from thaad.ballistics.vehicle import Fleet
from thaad.geo import geodesic_inverse

_INTERP_LOCK = threading.Lock()  # Monte Carlo chunks run in threads (thaad.footprint)

ANCHORS = (0.0, 0.25, 0.5, 0.75, 1.0)  # the band's quantiles solved per target; halves of three
# anchors are solved to half the draws' tolerances (100 m, 0.05 deg): on the built-in
# footprint (100 x 100 aim points, Hwasong-7 from Sunan) 10 m / 0.1 and the draws'
# own tolerances landed fewer draws on their first flight, 10 m / 0.1 with 1.6x the flights
TIGHT_M, TIGHT_SHAPE = 50.0, 0.5


@dataclass(frozen=True)
class Anchors:
    """Aim solutions of the same targets from the same launch points, one per anchor
    quantile in :data:`ANCHORS` (unsolved targets: ``reachable`` False)."""

    solutions: tuple[AimSolution, ...]
    launch_lat_rad: np.ndarray  # (N,) the launch points solved from (the nominal solution's)
    launch_lon_rad: np.ndarray
    target_lat_rad: np.ndarray
    target_lon_rad: np.ndarray
    response: np.ndarray | None = None  # (N, 2, 3) :func:`launch_response` of the middle anchor (NaN: none)
    cache: dict = field(default_factory=dict, compare=False, repr=False)

    def geometry(self):
        """Distance (m) and bearing (rad) of every target from its launch point, (N,) each
        (computed once)."""
        if "geometry" not in self.cache:
            d, b, _ = geodesic_inverse(self.launch_lat_rad, self.launch_lon_rad, self.target_lat_rad,
                                       self.target_lon_rad, compiled=True)
            self.cache["geometry"] = (d, b)
        return self.cache["geometry"]

    def values(self, rows=slice(None)):
        """Per anchor (K, N, 7): the minimum-energy stage's azimuth offset from the target's
        bearing, loft, energy, the final shape's three, the flight time; and ``ok`` (K, N)."""
        sols = self.solutions
        bearing = self.geometry()[1][rows]
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
    ``at(u)`` at every anchor (the nominal one's too, tighter), to :data:`TIGHT_M` and
    :data:`TIGHT_SHAPE`, in two calls: the middle three started from the nominal solution
    and its Jacobian, then the ends from the line through their half's two solutions."""
    reach = np.flatnonzero(np.asarray(nominal.reachable, bool))
    m, n = reach.size, nominal.reachable.size
    lat_t, lon_t = np.asarray(target_lat_rad, dtype=float), np.asarray(target_lon_rad, dtype=float)
    sols: dict = {}

    def solve(us, start):
        rows = np.tile(reach, len(us))
        vehicle = Fleet.from_quantiles(at, np.repeat(us, m), table_step=0.25)
        apo = None if apogee_m is None else np.full(rows.size, float(apogee_m))
        _, sol = aim(vehicle, nominal.launch_lat_rad[rows], nominal.launch_lon_rad[rows], lat_t[rows], lon_t[rows],
                     shape=shape, apogee_m=apo, options=options, start=start, tol_m=TIGHT_M, shape_tol=TIGHT_SHAPE,
                     max_iter=10)
        for j, a in enumerate(us):
            sols[a] = _scatter(sol, slice(j * m, (j + 1) * m), reach, n)

    response = np.full((n, 2, 3), np.nan)
    if m:
        solve((0.5, 0.25, 0.75), nominal.start(np.tile(reach, 3)))
        solve((0.0, 1.0), _concat([_extrapolated(sols[a], sols[b], reach) for a, b in ((0.25, 0.5), (0.75, 0.5))]))
        mid = np.flatnonzero(sols[0.5].reachable)
        if mid.size:
            response[mid] = launch_response(at(0.5), sols[0.5], lat_t, lon_t, mid, options)
    return Anchors(tuple(sols.get(a, _none(nominal)) for a in ANCHORS), nominal.launch_lat_rad, nominal.launch_lon_rad,
                   lat_t, lon_t, response)


LAUNCH_STEP_M = 25e3  # launch-point shift of the response flights (the size of a launch area)


def launch_response(vehicle, solution: AimSolution, target_lat_rad, target_lon_rad, rows,
                    options: FlightOptions = FlightOptions(sample_s=None)):
    """How far the equivalence behind the virtual targets is off (Earth rotation, the
    ellipsoid): the aim solver's residuals (impact east and north in m, the minimum-energy
    condition in its tolerances) per metre of launch shift north and east, (M, 2, 3), of
    the minimum-energy controls of ``solution`` at ``rows`` flown by ``vehicle`` from points
    :data:`LAUNCH_STEP_M` north and east of their launch points, each measured from where
    the equivalence puts its impact (the target's distance and bearing from the shifted
    point), less the residual from the launch point itself.  Three flights per row."""
    from thaad.ballistics.aim_flyer import Flyer, Pairs
    from thaad.ballistics.aim_newton import gamma_resid
    from thaad.geo import geodesic_direct

    rows = np.asarray(rows, dtype=np.intp)
    m = rows.size
    c = solution.min_energy or Controls(solution.azimuth_rad, solution.loft_rad, solution.energy_fraction)
    lat, lon = solution.launch_lat_rad[rows], solution.launch_lon_rad[rows]
    tlat, tlon = np.asarray(target_lat_rad, dtype=float)[rows], np.asarray(target_lon_rad, dtype=float)[rows]
    dist, bearing, _ = geodesic_inverse(lat, lon, tlat, tlon, compiled=True)
    lat3, lon3 = [lat], [lon]
    for az in (0.0, 0.5 * np.pi):  # north, east
        la, lo, _ = geodesic_direct(lat, lon, np.full(m, az), np.full(m, LAUNCH_STEP_M))
        lat3.append(la)
        lon3.append(lo)
    lat3, lon3 = np.concatenate(lat3), np.concatenate(lon3)
    tl3, to3, _ = geodesic_direct(lat3, lon3, np.tile(bearing, 3), np.tile(dist, 3))  # the equivalence's targets
    z3 = np.zeros(3 * m)
    fl = Flyer(Fleet.of(vehicle, 3 * m), Pairs(lat3, lon3, z3, tl3, to3, z3), options)
    idx = np.arange(3 * m)
    ts = fl.fly(idx, np.tile(c.az[rows], 3), np.tile(c.p[rows], 3), np.tile(c.f[rows], 3))
    e, no = fl.impact_offset(idx, ts)
    g = gamma_resid(fl)(idx, ts, None)[0]  # no drag offset: it cancels between the three (same energy and group)
    res = np.stack([e, no, g], axis=1).reshape(3, m, 3)
    return np.stack([res[1] - res[0], res[2] - res[0]], axis=1) / LAUNCH_STEP_M


def _extrapolated(near: AimSolution, far: AimSolution, rows) -> AimStart:
    """Start one anchor step beyond ``near`` away from ``far``: controls ``2 near - far``
    (both stages), ``near``'s Jacobians; rows either did not solve start cold."""
    a, b = near.start(rows), far.start(rows)
    line = lambda x, y: Controls(2.0 * x.az - y.az, 2.0 * x.p - y.p, 2.0 * x.f - y.f)  # noqa: E731
    ok = np.asarray(near.reachable, bool)[rows] & np.asarray(far.reachable, bool)[rows]
    return replace(a, min_energy=line(a.min_energy, b.min_energy), final=line(a.final, b.final)).masked(ok)


def _concat(starts) -> AimStart:
    """Warm starts of several row sets, one after the other."""
    def cat(xs):
        if any(x is None for x in xs):
            return None
        if isinstance(xs[0], Controls):
            return Controls(*(np.concatenate([getattr(x, c) for x in xs]) for c in ("az", "p", "f")))
        return np.concatenate(xs)

    return AimStart(**{f.name: cat([getattr(s, f.name) for s in starts]) for f in fields(AimStart)})


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
    """Anchor indices (M, 3) of each ``u``'s half, the quadratic Lagrange weights (M, 3) and
    the piecewise-linear ones (M, 3)."""
    u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
    j0 = np.where(u <= 0.5, 0, 2)
    s = (u - np.asarray(ANCHORS)[j0]) / 0.25  # in [0, 2]
    quad = np.stack([0.5 * (s - 1.0) * (s - 2.0), -s * (s - 2.0), 0.5 * s * (s - 1.0)], axis=1)
    lin = np.stack([np.clip(1.0 - s, 0.0, 1.0), 1.0 - np.abs(s - 1.0), np.clip(s - 1.0, 0.0, 1.0)], axis=1)
    return j0[:, None] + np.arange(3)[None, :], quad, lin


LOFT_COLS = (1, 4)  # value columns interpolated piecewise linearly in u (see _blend)


def _blend(v, ok, u, linear=()):
    """Anchor values ``v`` (K, M, C) at quantiles ``u`` (M,): the quadratic through the three
    anchors of ``u``'s half where all three are ``ok`` (K, M), else the nearest ``ok`` anchor's
    value; also that anchor's index and whether any anchor is ``ok``.  Columns ``linear``
    are interpolated linearly between the two anchors around ``u`` instead, for the lofts
    (:data:`LOFT_COLS`): a draw's minimum-energy condition takes its drag offset linearly between the
    table vehicles at these same anchors (``Fleet.from_quantiles``), so the loft that meets
    it has kinks there, while the range, flat in loft at the optimum, follows the energy
    smoothly."""
    idx, w_quad, w_lin = _weights(u)
    cols = np.arange(u.size)
    full = ok[idx.T, cols].all(axis=0)
    dist = np.where(ok, np.abs(np.asarray(ANCHORS)[:, None] - u[None, :]), np.inf)
    near = np.argmin(dist, axis=0)
    vv = v[idx.T, cols]  # (3, M, C)
    with np.errstate(invalid="ignore"):
        out = np.einsum("mk,kmc->mc", w_quad, vv)
        lin = np.einsum("mk,kmc->mc", w_lin, vv)
    out[:, list(linear)] = lin[:, list(linear)]
    return np.where(full[:, None], out, v[near, cols]), near, np.isfinite(dist.min(axis=0))


def _virtual(anchors: Anchors, rows, lat0, lon0):
    """Anchor values (K, M, 7) and ``ok`` at the *virtual targets* of draws launched from
    ``lat0, lon0`` at targets ``rows``: the points at the same distance and bearing from the
    anchors' (single) launch point as each target from the draw's launch point, where the
    same controls fly the same flight relative to the local vertical and north.  Linear
    interpolation over the solved targets in (distance, bearing) (scipy's Delaunay-based
    ``LinearNDInterpolator``); ``None`` where the anchors have several launch points."""
    lat_l, lon_l = anchors.launch_lat_rad, anchors.launch_lon_rad
    solved = np.flatnonzero(np.isfinite(lat_l) & np.isfinite(lon_l))
    if solved.size < 8 or np.ptp(lat_l[solved]) > 1e-12 or np.ptp(lon_l[solved]) > 1e-12:
        return None
    with _INTERP_LOCK:  # built once; scipy's interpolators are not documented thread-safe
        if "interp" not in anchors.cache:
            anchors.cache["interp"] = _interpolator(anchors, solved)
        fitted = anchors.cache["interp"]
    if fitted is None:
        return None
    fn, scale, k = fitted
    d_q, b_q, _ = geodesic_inverse(lat0, lon0, anchors.target_lat_rad[rows], anchors.target_lon_rad[rows], compiled=True)
    # bearings unwrapped near the targets' own (so the interpolation does not cross +-pi)
    b_t = anchors.geometry()[1][rows]
    b_q = b_t + wrap(b_q - b_t)
    with _INTERP_LOCK:
        v = fn(np.stack([d_q, b_q * scale], axis=1))
    v = v.reshape(rows.size, k, -1).transpose(1, 0, 2)
    return v, np.all(np.isfinite(v), axis=-1), b_q


def _interpolator(anchors: Anchors, solved):
    """``(LinearNDInterpolator of the anchors' values over (distance, bearing as arc), the arc
    scale, K)``, or None for a degenerate set of targets (e.g. all on one line)."""
    from scipy.interpolate import LinearNDInterpolator

    d, b = (x[solved] for x in anchors.geometry())
    v, ok = anchors.values(solved)
    vals = np.where(ok[..., None], v, np.nan).transpose(1, 0, 2).reshape(solved.size, -1)
    scale = float(np.mean(d))  # bearing as arc length: an isotropic metric for the triangulation
    try:
        return LinearNDInterpolator(np.stack([d, b * scale], axis=1), vals), scale, v.shape[0]
    except Exception:  # no triangulation
        return None


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
    val, near, any_ok = _blend(v_rows, ok_rows, u, LOFT_COLS)
    launch_lat, launch_lon = anchors.launch_lat_rad[rows], anchors.launch_lon_rad[rows]
    bearing = anchors.geometry()[1][rows]
    virt = _virtual(anchors, rows, lat0, lon0)
    if virt is not None:
        v_v, ok_v, b_v = virt
        use = np.all(ok_v == ok_rows, axis=0) & any_ok  # the same anchors solved there
        val = np.where(use[:, None], _blend(v_v, ok_v, u, LOFT_COLS)[0], val)
        bearing = np.where(use, b_v, bearing)
    else:
        use = np.zeros(rows.size, dtype=bool)
    cols = np.arange(rows.size)

    def of_nearest(get):
        vals = [get(s) for s in sols]
        return None if any(x is None for x in vals) else np.stack([x[rows] for x in vals])[near, cols]

    residual = None
    if anchors.response is not None and use.any():  # the equivalence's error, linear in the launch shift
        d, az, _ = geodesic_inverse(launch_lat, launch_lon, lat0, lon0, compiled=True)
        shift = np.stack([d * np.cos(az), d * np.sin(az)], axis=1)  # north, east (m)
        residual = np.einsum("mk,mkc->mc", shift, anchors.response[rows])
        residual = np.where(use[:, None] & np.isfinite(residual), residual, np.nan)
    me = Controls(bearing + val[:, 0], val[:, 1], val[:, 2])
    final = Controls(bearing + val[:, 3], val[:, 4], val[:, 5])
    st = AimStart(me, final, of_nearest(lambda s: s.min_energy_jacobian), launch_lat, launch_lon,
                  residual=residual, final_jacobian=of_nearest(lambda s: s.final_jacobian), moved=use,
                  impact_time_s=val[:, 6])
    return st.masked(any_ok)

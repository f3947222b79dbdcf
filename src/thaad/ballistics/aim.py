"""Aiming: launch azimuth, loft and energy so that N missiles land on N targets, together.

Controls per trajectory: the launch azimuth; a *loft* parameter ``p`` (programmed burnout
pitch for a missile, flight-path elevation for a burnout-state start); an *energy*
parameter ``f`` in (0, 1] (thrust termination at ``f`` times the total burn time for a
missile, ``f`` times the given speed for a burnout-state start).

Shapes (each solved for all pairs at once by vectorised iterations; every iteration flies
all trajectories together through :mod:`thaad.ballistics.flight`):

* ``min-energy``: the least energy that reaches the target: the burnout (inertial)
  flight-path angle equals the vacuum Kepler optimum for the burnout radius and speed and
  the target radius (:func:`thaad.ballistics.kepler.optimal_gamma`), and the energy is cut
  back until the range matches.  With drag, the Kepler angle is offset by the difference
  found, per launch-geometry group, between it and the true maximum-range loft (golden section;
  the table is cached per vehicle and geometry, :mod:`thaad.ballistics.aim_table`),
  so that min-energy is the maximum-range trajectory of its energy.
* ``lofted`` / ``depressed`` with ``apogee_m``: impact point and apogee both matched
  (started from the minimum-energy solution); lofted above, depressed below its apogee.
* ``lofted`` / ``depressed`` without ``apogee_m``: full energy, loft solved on the high or
  the low branch of the range-versus-loft curve (Illinois regula falsi in a bracket, then
  the azimuth/loft Newton where needed).

The solver is a Newton (chord) iteration on (azimuth, loft[, energy]) with the impact
point's east/north offsets from the target [and the shape condition] as residuals, so the
Coriolis drift and the azimuth-range coupling of long lofted flights on a rotating Earth
are solved together; forward-difference Jacobians are refreshed only where a step stalls.
A pair is ``reachable`` when the final impact lies within ``tol_m`` of the target.

Modules: :mod:`~thaad.ballistics.aim_flyer` (pairs, controls, the flyer),
:mod:`~thaad.ballistics.aim_table` (cached starting tables),
:mod:`~thaad.ballistics.aim_newton` (the iterations); this module chains them per shape.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from thaad.ballistics.aim_flyer import Controls, Flyer, Keeper, Pairs, Solved
from thaad.ballistics.aim_newton import (apogee_resid, bracket_branch, chord_step, gamma_resid, newton,
                                        newton_gamma_only, stepped)
from thaad.ballistics.aim_table import initial_guess
from thaad.ballistics.flight import FlightOptions
from thaad.ballistics.vehicle import Fleet, Vehicle
from thaad.choices import SHAPES
from thaad.errors import InputError, UnreachableError
from thaad.geo import geodesic_direct, geodesic_inverse
from thaad.trajectory import TrajectorySet
from thaad.numeric import golden_section_max


@dataclass(frozen=True)
class AimSolution:
    shape: str
    azimuth_rad: np.ndarray  # (N,) launch azimuth from north
    loft_rad: np.ndarray  # (N,) programmed burnout pitch (missile) or burnout elevation
    energy_fraction: np.ndarray  # (N,) burn fraction (missile) or speed fraction (burnout state)
    reachable: np.ndarray  # (N,) bool
    miss_m: np.ndarray  # (N,) distance impact -> target
    target_range_m: np.ndarray  # (N,) geodesic launch -> target
    max_range_m: np.ndarray  # (N,) full-energy minimum-energy range (NaN if not computed)
    iterations: int
    reason: np.ndarray  # (N,) '' or why not reachable
    min_energy: Controls | None = None  # (N,) controls of the minimum-energy stage (the start of the other shapes)
    min_energy_jacobian: np.ndarray | None = None  # (N, 3, 3) its last Jacobian (impact east/north, shape residual)
    final_jacobian: np.ndarray | None = None  # (N, 3, 3) the final stage's, for a given apogee
    launch_lat_rad: np.ndarray | None = None  # (N,) the launch points solved for
    launch_lon_rad: np.ndarray | None = None
    impact_time_s: np.ndarray | None = None  # (N,) flight time of the final trajectory

    def start(self, idx=slice(None)) -> "AimStart":
        """Warm start for pairs close to these (other Monte Carlo draws of the same targets)."""
        final = Controls(self.azimuth_rad[idx], self.loft_rad[idx], self.energy_fraction[idx])
        me = final if self.min_energy is None else Controls(*(x[idx] for x in (self.min_energy.az, self.min_energy.p,
                                                                                self.min_energy.f)))
        pick = (lambda x: None if x is None else x[idx])  # noqa: E731
        return AimStart(me, final, pick(self.min_energy_jacobian), pick(self.launch_lat_rad),
                        pick(self.launch_lon_rad), final_jacobian=pick(self.final_jacobian),
                        impact_time_s=pick(self.impact_time_s))


@dataclass(frozen=True)
class AimStart:
    """Starting controls per pair for the minimum-energy stage and for the final shape
    (e.g. the nominal solution of the same target, for its Monte Carlo draws); NaN rows
    start cold (starting table).  With the minimum-energy stage's ``jacobian`` and the
    launch point it was solved from, the stage starts as a chord iteration with that
    Jacobian, one step ahead: the same controls fly the same flight relative to the local
    vertical and north, so from a moved launch point the impact keeps its distance and
    azimuth; its offset ``d`` from the target predicts the residual and the step ``-J^-1 d``;
    ``residual`` adds what else is known to move it (e.g. another vehicle: from
    :func:`aim_residuals` of the solution with the band's end vehicles, interpolated)."""

    min_energy: Controls
    final: Controls
    jacobian: np.ndarray | None = None  # (N, 3, 3); NaN rows: none
    launch_lat_rad: np.ndarray | None = None  # (N,)
    launch_lon_rad: np.ndarray | None = None
    residual: np.ndarray | None = None  # (N, 3) expected residual at the start from other causes (other vehicle)
    final_jacobian: np.ndarray | None = None  # (N, 3, 3) the final stage's (apogee given): its start likewise
    impact_time_s: np.ndarray | None = None  # (N,) expected flight time: the first flight is then the final one if it lands
    moved: np.ndarray | None = None  # (N,) bool: rows whose controls are for this launch point already (no step for the move)

    def from_elsewhere(self):
        """``(known, elsewhere)`` (N,) bool: rows whose launch point is given, and those of
        them whose controls were solved from another launch point (not ``moved``)."""
        known = np.isfinite(self.launch_lat_rad) & np.isfinite(self.launch_lon_rad)
        return known, known if self.moved is None else known & ~np.asarray(self.moved, bool)

    def masked(self, keep) -> "AimStart":
        """The same start with the rows not in ``keep`` (N,) bool made cold (NaN)."""
        keep = np.asarray(keep, bool)
        nan = lambda x: None if x is None else np.where(keep.reshape((-1,) + (1,) * (np.ndim(x) - 1)), x, np.nan)  # noqa: E731
        ctl = lambda c: type(c)(*(nan(x) for x in (c.az, c.p, c.f)))  # noqa: E731
        return replace(self, min_energy=ctl(self.min_energy), final=ctl(self.final), jacobian=nan(self.jacobian),
                       residual=nan(self.residual), final_jacobian=nan(self.final_jacobian),
                       impact_time_s=nan(self.impact_time_s))  # moved: kept (NaN rows start cold anyway)


def _predicted(fl: Flyer, c: Controls, start: AimStart, final: bool = False):
    """Controls one chord step ahead of a warm start solved from other launch points, and
    the starting Jacobian (see :class:`AimStart`; ``final``: of the final shape's stage)."""
    jac = np.asarray(start.final_jacobian if final else start.jacobian, dtype=float)
    if start.launch_lat_rad is None:
        return c, jac
    e = fl.options.earth
    # the same controls from the moved launch point: the same flight relative to the local
    # vertical and north, so the impact keeps its distance and azimuth from the launch point
    # (rows solved for this launch point already, ``moved``: no offset)
    y = np.zeros((fl.lat.size, 3))
    ok, todo = start.from_elsewhere()
    if todo.any():
        dist, az_i, _ = geodesic_inverse(start.launch_lat_rad[todo], start.launch_lon_rad[todo], fl.tlat[todo],
                                         fl.tlon[todo], e, compiled=True)
        lat_i, lon_i, _ = geodesic_direct(fl.lat[todo], fl.lon[todo], az_i, dist, e)
        d, b, _ = geodesic_inverse(fl.tlat[todo], fl.tlon[todo], lat_i, lon_i, e, compiled=True)
        y[todo, 0], y[todo, 1] = d * np.sin(b), d * np.cos(b)
    y[~ok] = np.nan  # no launch point given: no step (as before: the geodesics were NaN there)
    if start.residual is not None and not final:
        y = y + np.where(np.isfinite(start.residual), start.residual, 0.0)
    step, _ = chord_step(jac, y)
    az, p, f = stepped(fl, c.az, c.p, c.f, step[:, 0], step[:, 1], step[:, 2])
    return Controls(az, p, f), jac


def _as1d(*xs):
    n = int(np.broadcast(*[np.asarray(x) for x in xs]).size)
    return n, [np.broadcast_to(np.asarray(x, dtype=float), (n,)).copy() for x in xs]


def _reasons(conv, text):
    return np.where(conv, "", text).astype(object)


def _seeded(cold: Controls, warm: Controls | None) -> Controls:
    if warm is None:
        return cold
    ok = np.isfinite(warm.az) & np.isfinite(warm.p) & np.isfinite(warm.f)
    return Controls(*(np.where(ok, w, c) for w, c in ((warm.az, cold.az), (warm.p, cold.p), (warm.f, cold.f))))


def _solve(fl: Flyer, shape: str, apogee, tol_m, max_iter, start: AimStart | None = None,
           keep: Keeper | None = None, shape_tol: float = 1.0) -> Solved:
    if shape not in SHAPES:
        raise InputError("shape", f"must be one of {', '.join(SHAPES)}, got {shape!r}")
    n = fl.lat.size
    d_t, az0 = fl.to_target()
    # min-energy first (also the start and the branch point of the other shapes); the
    # starting table is always built: it also holds the drag offset of the condition.
    # Warm starts from other launch points (Monte Carlo draws of a launch area) take the
    # tables of those points: the offset varies with the launch point by far less than
    # the tolerance of the condition, and a draw then flies no tables of its own.
    launch = None
    if start is not None and start.launch_lat_rad is not None:
        known, other = start.from_elsewhere()
        lat_k = np.where(known, start.launch_lat_rad, fl.lat)
        lon_k = np.where(known, start.launch_lon_rad, fl.lon)
        az_k = az0.copy()  # rows solved for this launch point already (moved): the group of its own bearing
        if other.any():
            az_k[other] = geodesic_inverse(lat_k[other], lon_k[other], fl.tlat[other], fl.tlon[other], fl.options.earth,
                                           compiled=True)[1]
        launch = (lat_k, lon_k, az_k)
    p0, f0 = initial_guess(fl, d_t, az0 if launch is None else launch[2], None if launch is None else launch[:2])
    c0, jac0 = _seeded(Controls(az0.copy(), p0, f0), None if start is None else start.min_energy), None
    if start is not None and start.jacobian is not None:
        c0, jac0 = _predicted(fl, c0, start)
    hint = None if start is None else start.impact_time_s
    me = newton(fl, c0, gamma_resid(fl), tol_m, max_iter, jac0=jac0, keep=keep if shape == "min-energy" else None,
                first_hint=hint if shape == "min-energy" else None, shape_tol=shape_tol)
    reason = _reasons(me.conv, "no minimum-energy solution found")
    beyond = (~me.conv) & (me.controls.f >= 1.0 - 1e-9)
    reason[beyond] = "beyond maximum range"
    max_range = np.full(n, np.nan)
    if shape == "min-energy":
        return replace(me, reason=reason, max_range=max_range, min_energy=me.controls, jacobian=me.jacobian)
    c = me.controls
    if apogee is not None:
        me_ap = fl.fly(np.arange(n), c.az, c.p, c.f).apogee_alt_m
        c1, jac1 = _seeded(c, None if start is None else start.final), None
        if start is not None and start.final_jacobian is not None:
            c1, jac1 = _predicted(fl, c1, start, final=True)
        sh = newton(fl, c1, apogee_resid(apogee, max(tol_m, 100.0)), tol_m, max_iter, jac0=jac1, keep=keep,
                    first_hint=hint, shape_tol=shape_tol)
        wrong = (apogee < me_ap) if shape == "lofted" else (apogee > me_ap)
        reason = _reasons(sh.conv, "apogee and range not reachable together")
        reason[wrong & sh.conv] = f"apogee is on the wrong side of the minimum-energy apogee for a {shape} shape"
        conv = sh.conv & ~wrong
        reason[beyond & ~conv] = "beyond maximum range"
        return replace(sh, conv=conv, iterations=me.iterations + sh.iterations, reason=reason, max_range=max_range,
                       min_energy=me.controls, jacobian=me.jacobian, final_jacobian=sh.jacobian)
    # full energy: branch point = min-energy loft at full energy
    br = newton_gamma_only(fl, c.az.copy(), c.p.copy(), tol=np.radians(0.05), max_iter=max_iter)
    high = fl.p_lo if fl.loft_reversed else fl.p_hi
    low = fl.p_hi if fl.loft_reversed else fl.p_lo
    pb = np.full(n, high if shape == "lofted" else low)
    fb = bracket_branch(fl, br.controls.az, br.controls.p, pb, tol_m, max_iter)
    az, p, f = fb.controls.az, fb.controls.p, fb.controls.f
    conv, miss, it = fb.conv.copy(), fb.miss.copy(), fb.iterations
    polish = np.flatnonzero(fb.bracketed & ~conv)
    if polish.size:  # long lofted flights: solve azimuth and loft together
        po = newton(fl.subset(polish), Controls(az[polish], p[polish], f[polish]), None, tol_m, max_iter, vary_f=False)
        az[polish], p[polish], conv[polish], miss[polish] = po.controls.az, po.controls.p, po.conv, po.miss
        it += po.iterations
    reason = _reasons(conv, f"no {shape} full-energy solution")
    reason[beyond] = "beyond maximum range"
    reason[~fb.bracketed & ~beyond] = f"target outside the {shape} branch at full energy"
    return Solved(Controls(az, p, f), conv, miss, me.iterations + br.iterations + it, reason, max_range,
                  min_energy=me.controls, jacobian=me.jacobian)


def _finish(fl: Flyer, shape: str, sol: Solved, d_t, scalar: bool, tol_m: float, keep: Keeper | None = None):
    n = d_t.size
    c = sol.controls
    keep = Keeper() if keep is None else keep
    rest = np.flatnonzero(~np.isin(np.arange(n), keep.rows()))  # the final trajectories not flown yet
    extra = []
    if rest.size or not keep.parts:
        hint = None if sol.impact_time is None else sol.impact_time[rest]
        extra.append((rest, fl.fly(rest, c.az[rest], c.p[rest], c.f[rest], final=True, end_hint_s=hint)))
    ts = keep.assemble(n, extra)
    _, _, miss_final = fl.misses(np.arange(n), ts)
    reach = sol.conv & (miss_final <= 2.0 * tol_m)
    out = AimSolution(shape=shape, azimuth_rad=np.mod(c.az, 2 * np.pi), loft_rad=c.p, energy_fraction=c.f,
                      reachable=reach, miss_m=miss_final, target_range_m=d_t, max_range_m=sol.max_range,
                      iterations=sol.iterations, reason=np.asarray(sol.reason, dtype=object), min_energy=sol.min_energy,
                      min_energy_jacobian=sol.jacobian, launch_lat_rad=fl.lat, launch_lon_rad=fl.lon,
                      final_jacobian=sol.final_jacobian, impact_time_s=ts.impact_time_s)
    if scalar and not reach[0]:
        why = sol.reason[0] or "no solution"
        raise UnreachableError("target", f"out of reach ({why}): target at {d_t[0] / 1e3:.0f} km")
    return ts, out


def _aim(vehicle, pairs: Pairs, shape, apogee_m, options, tol_m, max_iter, scalar, start=None, shape_tol=1.0):
    n = pairs.lat.size
    apo = None if apogee_m is None else np.broadcast_to(np.asarray(apogee_m, dtype=float), (n,)).copy()
    fl = Flyer(vehicle, pairs, options)
    d_t = fl.to_target()[0]
    keep = Keeper()  # converged solver flights are the final trajectories (sampled as asked), not flown again
    return _finish(fl, shape, _solve(fl, shape, apo, tol_m, max_iter, start, keep, shape_tol), d_t, scalar, tol_m, keep)


def aim_residuals(vehicle: Vehicle | Fleet, solution: AimSolution, launch_lat_rad, launch_lon_rad, target_lat_rad,
                  target_lon_rad, *, launch_alt_m=0.0, target_alt_m=0.0,
                  options: FlightOptions = FlightOptions()) -> np.ndarray:
    """Residuals ``(N, 3)`` of the aim solver's minimum-energy stage (impact east and north of
    the target in m, and the minimum-energy condition in units of its 0.05 deg tolerance)
    when ``vehicle`` flies the minimum-energy controls of ``solution`` (solved for other
    vehicles from these pairs): the response of the solution to the vehicle, from which
    warm starts of Monte Carlo draws predict their first step (:class:`AimStart`)."""
    n, (lat, lon, tlat, tlon, alt, talt) = _as1d(launch_lat_rad, launch_lon_rad, target_lat_rad, target_lon_rad,
                                                  launch_alt_m, target_alt_m)
    fl = Flyer(Fleet.of(vehicle, n), Pairs(lat, lon, alt, tlat, tlon, talt), replace(options, sample_s=None))
    d_t, az0, _ = geodesic_inverse(lat, lon, tlat, tlon, options.earth, compiled=True)
    initial_guess(fl, d_t, az0)  # the drag offsets of the minimum-energy condition (cached tables)
    c = solution.min_energy or Controls(solution.azimuth_rad, solution.loft_rad, solution.energy_fraction)
    idx = np.arange(n)
    ts = fl.fly(idx, c.az, c.p, c.f)
    e, no = fl.impact_offset(idx, ts)
    return np.stack([e, no, gamma_resid(fl)(idx, ts, c.f)[0]], axis=1)


def aim(
    vehicle: Vehicle | Fleet,
    launch_lat_rad,
    launch_lon_rad,
    target_lat_rad,
    target_lon_rad,
    *,
    launch_alt_m=0.0,
    target_alt_m=0.0,
    shape: str = "min-energy",
    apogee_m=None,
    options: FlightOptions = FlightOptions(),
    tol_m: float = 100.0,
    max_iter: int = 25,
    start: AimStart | None = None,
    shape_tol: float = 1.0,
):
    """Aim N missiles at N targets: returns ``(TrajectorySet, AimSolution)``.  ``vehicle``:
    one for all pairs, or a :class:`Fleet` (a vehicle per pair, e.g. Monte Carlo draws).
    ``start``: warm start per pair (``AimSolution.start()`` of a nearby solution, e.g. the
    nominal one of the same target for its Monte Carlo draws); the solution then converges
    to the same tolerances in fewer iterations, from another starting point.
    ``shape_tol``: the shape condition's tolerance as a fraction of its default (0.05 deg
    of the minimum-energy angle; ``max(tol_m, 100 m)`` of a given apogee).

    All-scalar inputs form the single-target API: an out-of-reach target raises
    :class:`thaad.errors.UnreachableError`.  With arrays, out-of-reach pairs are flagged
    in ``AimSolution.reachable`` (their trajectories are still returned).
    """
    scalar = all(np.ndim(x) == 0 for x in (launch_lat_rad, launch_lon_rad, target_lat_rad, target_lon_rad, launch_alt_m, target_alt_m))
    n, (lat, lon, tlat, tlon, alt, talt) = _as1d(launch_lat_rad, launch_lon_rad, target_lat_rad, target_lon_rad, launch_alt_m, target_alt_m)
    return _aim(Fleet.of(vehicle, n), Pairs(lat, lon, alt, tlat, tlon, talt), shape, apogee_m, options, tol_m, max_iter,
                scalar, start, shape_tol)


def aim_burnout_state(
    speed_m_s,
    launch_lat_rad,
    launch_lon_rad,
    target_lat_rad,
    target_lon_rad,
    *,
    launch_alt_m=0.0,
    target_alt_m=0.0,
    shape: str = "min-energy",
    apogee_m=None,
    ballistic_coefficient_kg_m2=np.inf,
    options: FlightOptions = FlightOptions(),
    tol_m: float = 100.0,
    max_iter: int = 25,
):
    """Aim instantaneous-burnout starts (at the launch point) with at most ``speed_m_s``:
    solves elevation, azimuth and (for ``min-energy`` or a given apogee) the speed."""
    scalar = all(np.ndim(x) == 0 for x in (speed_m_s, launch_lat_rad, launch_lon_rad, target_lat_rad, target_lon_rad))
    n, (spd, lat, lon, tlat, tlon, alt, talt, beta) = _as1d(
        speed_m_s, launch_lat_rad, launch_lon_rad, target_lat_rad, target_lon_rad, launch_alt_m, target_alt_m,
        ballistic_coefficient_kg_m2)
    return _aim(None, Pairs(lat, lon, alt, tlat, tlon, talt, spd, beta), shape, apogee_m, options, tol_m, max_iter,
                scalar)


def max_range_loft(vehicle: Vehicle, launch_lat_rad, launch_lon_rad, azimuth_rad, *, launch_alt_m=0.0,
                   impact_alt_m=0.0, options: FlightOptions = FlightOptions(), iterations: int = 18):
    """Full-energy loft of maximum range (golden-section search over the loft, all N
    launches together) along ``azimuth_rad``; shape ``(N,)``."""
    n, (lat, lon, az, alt, ialt) = _as1d(launch_lat_rad, launch_lon_rad, azimuth_rad, launch_alt_m, impact_alt_m)
    fl = Flyer(Fleet.of(vehicle, n), Pairs(lat, lon, alt, lat, lon, ialt), options)
    idx = np.concatenate([np.arange(n), np.arange(n)])

    def ranges(x1, x2):
        r = fl.fly(idx, np.concatenate([az, az]), np.concatenate([x1, x2]), np.ones(2 * n)).range_m
        return r[:n], r[n:]

    return golden_section_max(ranges, np.full(n, fl.p_lo), np.full(n, fl.p_hi), iterations)

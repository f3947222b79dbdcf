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
  found, per launch-geometry group, between it and the true maximum-range loft (golden section),
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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from thaad.ballistics import kepler
from thaad.ballistics.flight import FlightOptions, Pitch, fly, fly_burnout_state
from thaad.ballistics.trajectory import TrajectorySet
from thaad.ballistics.vehicle import Fleet, Vehicle
from thaad.errors import InputError, UnreachableError
from thaad.geo import geodesic_inverse, geodetic_to_ecef

SHAPES = ("min-energy", "lofted", "depressed")


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


def _wrap(a):
    return (a + np.pi) % (2 * np.pi) - np.pi


class _Flyer:
    """Flies (az, p, f) for a subset of pairs with summary output only."""

    def __init__(self, vehicle, speed, beta, lat, lon, alt, tlat, tlon, talt, options):
        self.vehicle, self.speed, self.beta = vehicle, speed, beta
        self.lat, self.lon, self.alt = lat, lon, alt
        self.tlat, self.tlon, self.talt = tlat, tlon, talt
        self.options = options
        self.fast = FlightOptions(**{**options.__dict__, "sample_s": None})
        self.target_r = np.linalg.norm(geodetic_to_ecef(tlat, tlon, talt, options.earth), axis=-1)
        self.offset, self.offset_f, self.offset_row = None, None, None  # (G, m) table, (m,), (N,) group
        self.drag_offset = options.drag and (vehicle is not None or bool(np.isfinite(beta).any()))
        self.loft_reversed = vehicle is not None and options.pitch is Pitch.GRAVITY_TURN  # larger kick: flatter
        if self.loft_reversed:
            self.p_lo, self.p_hi = np.radians(0.2), np.radians(85.0)
            self.f_lo = 0.05
        elif vehicle is not None:
            self.p_lo, self.p_hi = np.radians(-30.0), np.radians(88.0)
            self.f_lo = 0.05
        else:
            self.p_lo, self.p_hi = np.radians(0.2), np.radians(89.8)
            self.f_lo = 0.02

    def subset(self, idx):
        """The same flyer restricted to pairs ``idx`` (re-indexed from 0)."""
        sub = object.__new__(_Flyer)
        sub.__dict__.update(self.__dict__)
        for name in ("speed", "beta", "lat", "lon", "alt", "tlat", "tlon", "talt", "target_r", "offset_row"):
            v = getattr(self, name)
            if isinstance(v, np.ndarray):
                setattr(sub, name, v[idx])
        if self.vehicle is not None:
            sub.vehicle = self.vehicle.take(idx)
        return sub

    def fly(self, idx, az, p, f, final=False):
        opts = self.options if final else self.fast
        if self.vehicle is not None:
            return fly(self.vehicle.take(idx), self.lat[idx], self.lon[idx], az, p, launch_alt_m=self.alt[idx],
                       burn_fraction=f, impact_alt_m=self.talt[idx], options=opts)
        return fly_burnout_state(self.lat[idx], self.lon[idx], self.alt[idx], f * self.speed[idx], p, az,
                                 ballistic_coefficient_kg_m2=self.beta[idx], impact_alt_m=self.talt[idx], options=opts)

    def misses(self, idx, ts: TrajectorySet):
        """(downrange excess m, azimuth error rad, miss distance m) for flights of pairs idx."""
        e = self.options.earth
        d_t, az_t, _ = geodesic_inverse(self.lat[idx], self.lon[idx], self.tlat[idx], self.tlon[idx], e)
        ok = np.isfinite(ts.impact_lat_rad)
        il = np.where(ok, ts.impact_lat_rad, self.lat[idx])
        io = np.where(ok, ts.impact_lon_rad, self.lon[idx])
        d_i, az_i, _ = geodesic_inverse(self.lat[idx], self.lon[idx], il, io, e)
        miss = geodesic_inverse(il, io, self.tlat[idx], self.tlon[idx], e)[0]
        dr = np.where(ok, d_i - d_t, np.inf)
        daz = np.where(ok & (d_i > 1.0), _wrap(az_t - az_i), 0.0)
        return dr, daz, np.where(ok, miss, np.inf)

    def gamma_residual(self, idx, ts: TrajectorySet, f):
        """Burnout flight-path angle minus the minimum-energy angle (Kepler optimum plus the
        drag offset found by :func:`_initial_guess`)."""
        r_b = np.linalg.norm(ts.burnout_position_ecef_m, axis=-1)
        g_opt = kepler.optimal_gamma(r_b, ts.burnout_speed_m_s, self.target_r[idx], self.options.earth.gm_m3_s2)
        off = 0.0 if f is None or self.offset is None else _interp_rows(f, self.offset_f, self.offset, self.offset_row[idx])
        return ts.burnout_fpa_rad - g_opt - off


def _interp_rows(x, xs, table, rows):
    """``np.interp(x[i], xs, table[rows[i]])`` for every i at once (xs uniform, clamped)."""
    m = xs.size
    u = np.clip((np.asarray(x, dtype=float) - xs[0]) / (xs[1] - xs[0]), 0.0, m - 1.0)
    i0 = np.clip(np.floor(u).astype(int), 0, m - 2)
    w = u - i0
    return table[rows, i0] * (1.0 - w) + table[rows, i0 + 1] * w


def _take(ts: TrajectorySet, sl):
    return {
        "range": ts.range_m[sl], "apogee": ts.apogee_alt_m[sl], "lat": ts.impact_lat_rad[sl],
        "lon": ts.impact_lon_rad[sl], "fpa": ts.burnout_fpa_rad[sl],
    }


def _subset_ts(ts: TrajectorySet, sl) -> TrajectorySet:
    fields = {}
    for k, v in ts.__dict__.items():
        if isinstance(v, np.ndarray) and v.ndim >= 1 and v.shape[0] == ts.range_m.shape[0]:
            fields[k] = v[sl]
        else:
            fields[k] = v
    return TrajectorySet(**fields)


def _impact_offset(fl: _Flyer, idx, ts: TrajectorySet):
    """Impact point relative to the target: (east, north) metres on the target's tangent
    plane (geodesic distance and azimuth); NaN where there was no impact."""
    e = fl.options.earth
    ok = np.isfinite(ts.impact_lat_rad)
    il = np.where(ok, ts.impact_lat_rad, fl.tlat[idx])
    io = np.where(ok, ts.impact_lon_rad, fl.tlon[idx])
    d, az, _ = geodesic_inverse(fl.tlat[idx], fl.tlon[idx], il, io, e)
    east, north = d * np.sin(az), d * np.cos(az)
    return np.where(ok, east, np.nan), np.where(ok, north, np.nan)


def _newton2(fl: _Flyer, az, p, f, resid_fn, tol_m, max_iter, vary_f=True):
    """Newton (chord) iteration on (azimuth, loft[, energy]) for the impact point (east and
    north offsets from the target) [and a second residual, normalised by its tolerance].

    The azimuth is part of the system because on a rotating Earth the impact point moves
    with it in a strongly coupled way for long (lofted) flights.  Forward-difference
    Jacobians are computed at the first iteration and then only for pairs whose residual
    did not at least halve (one flight per pair and iteration otherwise).  Where the
    energy is pinned at full and more is wanted, the loft solves the second residual and
    the azimuth is turned toward the target (an out-of-reach target ends there).
    Returns az, p, f, converged, miss, iterations."""
    n = az.size
    k_dim = 3 if vary_f else 2
    conv = np.zeros(n, dtype=bool)
    gave_up = np.zeros(n, dtype=bool)
    miss = np.full(n, np.inf)
    jac = np.full((n, k_dim, k_dim), np.nan)
    prev = np.full(n, np.inf)
    lam = np.ones(n)
    d_az = np.radians(0.2)
    it = 0
    for it in range(1, max_iter + 1):
        todo = np.flatnonzero(~conv & ~gave_up)
        if todo.size == 0:
            break
        fresh = ~np.isfinite(jac[todo, 0, 0])
        fr = todo[fresh]
        dp = np.where(p[fr] + np.radians(0.5) > fl.p_hi, -np.radians(0.5), np.radians(0.5))
        df = np.where(f[fr] + 0.01 > 1.0, -0.01, 0.01)
        m, k = todo.size, fr.size
        ii = [todo, fr, fr] + ([fr] if vary_f else [])
        aa = [az[todo], az[fr] + d_az, az[fr]] + ([az[fr]] if vary_f else [])
        pp = [p[todo], p[fr], p[fr] + dp] + ([p[fr]] if vary_f else [])
        ff = [f[todo], f[fr], f[fr]] + ([f[fr] + df] if vary_f else [])
        ts = fl.fly(np.concatenate(ii), np.concatenate(aa), np.concatenate(pp), np.concatenate(ff))
        b = _subset_ts(ts, slice(0, m))
        r0, daz_naive, mis = fl.misses(todo, b)
        e0, n0 = _impact_offset(fl, todo, b)
        s0 = resid_fn(todo, b, f[todo])[0] if resid_fn is not None else np.zeros(m)
        miss[todo] = mis
        y0 = np.stack([e0, n0, s0][:k_dim], axis=1)
        if k:
            cols = []
            steps = [np.full(k, d_az), dp] + ([df] if vary_f else [])
            for c in range(k_dim):
                tc = _subset_ts(ts, slice(m + c * k, m + (c + 1) * k))
                ec, nc = _impact_offset(fl, fr, tc)
                fc = f[fr] + (df if (vary_f and c == 2) else 0.0)
                sc = resid_fn(fr, tc, fc)[0] if resid_fn is not None else np.zeros(k)
                yc = np.stack([ec, nc, sc][:k_dim], axis=1)
                cols.append((yc - y0[fresh]) / steps[c][:, None])
            jac[fr] = np.stack(cols, axis=2)
        good2 = np.abs(s0) <= 1.0
        done = (mis <= tol_m) & good2
        conv[todo[done]] = True
        # full energy, loft already optimal and still short: out of reach, stop iterating
        stuck = (f[todo] >= 1.0 - 1e-12) & good2 & (r0 < -tol_m) & (it > 2) & vary_f
        gave_up[todo[stuck]] = True
        done = done | stuck
        norm = np.nan_to_num(mis / tol_m + np.abs(s0), nan=np.inf, posinf=np.inf)
        slow = (norm > 0.5 * prev[todo]) & ~fresh
        # damping: halve the step while the residual does not fall (kinks such as staging
        # make range versus energy piecewise smooth), grow it back when it does
        worse = norm > 0.9 * prev[todo]
        lam[todo] = np.where(worse, np.maximum(lam[todo] * 0.5, 1.0 / 64), np.minimum(lam[todo] * 2.0, 1.0))
        prev[todo] = norm
        jt = jac[todo]
        rhs = np.where(np.isfinite(y0), y0, 0.0)
        with np.errstate(all="ignore"):
            good_j = np.all(np.isfinite(jt.reshape(m, -1)), axis=1) & (np.abs(np.linalg.det(np.where(np.isfinite(jt), jt, 0.0))) > 0)
            jt_safe = np.where(good_j[:, None, None], jt, np.eye(k_dim)[None])
            step = -np.linalg.solve(jt_safe, rhs[..., None])[..., 0]
        bad = ~good_j | ~np.all(np.isfinite(step), axis=1) | ~np.all(np.isfinite(y0), axis=1)
        step = np.where(bad[:, None], 0.0, np.nan_to_num(step))
        step_az, step_p = step[:, 0], step[:, 1]
        step_f = step[:, 2] if vary_f else np.zeros(m)
        # fall-backs: no impact -> less energy; otherwise naive azimuth turn toward the target
        if vary_f:
            step_f = np.where(bad & ~np.isfinite(r0), -0.1, step_f)
        step_az = np.where(bad, daz_naive, step_az)
        if vary_f:  # energy pinned at full: loft solves the second residual, azimuth turns
            pinned = (f[todo] >= 1.0 - 1e-12) & (step_f > 0)
            j_sp = jt[:, 2, 1] if k_dim == 3 else np.ones(m)
            with np.errstate(all="ignore"):
                alt_p = np.nan_to_num(-s0 / j_sp)
            step_p = np.where(pinned, alt_p, step_p)
            step_az = np.where(pinned, daz_naive, step_az)
            step_f = np.where(pinned, 0.0, step_f)
        step_az, step_p, step_f = (x * lam[todo] for x in (step_az, step_p, step_f))
        step_az = np.clip(step_az, -np.radians(20), np.radians(20))
        step_p = np.clip(step_p, -np.radians(15), np.radians(15))
        step_f = np.clip(step_f, -0.25, 0.25)
        upd = ~done
        t_u = todo[upd]
        az[t_u] = az[t_u] + step_az[upd]
        p[t_u] = np.clip(p[t_u] + step_p[upd], fl.p_lo, fl.p_hi)
        f[t_u] = np.clip(f[t_u] + step_f[upd], fl.f_lo, 1.0)
        jac[todo[slow | bad]] = np.nan  # refresh the Jacobian where the chord step stalled
    return az, p, f, conv, miss, it


def _gamma_resid(fl):
    tol = np.radians(0.05)

    def fn(todo, ts, f):
        return fl.gamma_residual(todo, ts, f) / tol, tol

    return fn


def _apogee_resid(apogee, tol_m):
    def fn(todo, ts, f):
        return (ts.apogee_alt_m - apogee[todo]) / tol_m, tol_m

    return fn


def _bracket_branch(fl: _Flyer, az, p_a, p_b, tol_m, max_iter):
    """Full energy; find p in [p_a, p_b] (range(p_a) >= R >= range(p_b) expected) by
    Illinois regula falsi on the range excess, correcting the azimuth as it goes."""
    n = az.size
    idx = np.arange(n)
    f = np.ones(n)
    ts = fl.fly(np.concatenate([idx, idx]), np.concatenate([az, az]), np.concatenate([p_a, p_b]), np.ones(2 * n))
    ra, daz, _ = fl.misses(idx, _subset_ts(ts, slice(0, n)))
    rb, _, _ = fl.misses(idx, _subset_ts(ts, slice(n, 2 * n)))
    az = az + daz
    ra = np.where(np.isfinite(ra), ra, 1e9)
    rb = np.where(np.isfinite(rb), rb, 1e9)
    ok = (ra >= 0) & (rb <= 0)
    a, b = p_a.copy(), p_b.copy()
    conv = np.zeros(n, dtype=bool)
    miss = np.full(n, np.inf)
    p = 0.5 * (a + b)
    side = np.zeros(n)
    it = 0
    for it in range(1, max_iter + 1):
        todo = np.flatnonzero(ok & ~conv)
        if todo.size == 0:
            break
        with np.errstate(all="ignore"):
            pc = (a[todo] * rb[todo] - b[todo] * ra[todo]) / (rb[todo] - ra[todo])
        pc = np.where(np.isfinite(pc), pc, 0.5 * (a[todo] + b[todo]))
        p[todo] = pc
        ts = fl.fly(todo, az[todo], pc, f[todo])
        rc, daz, mis = fl.misses(todo, ts)
        rc = np.where(np.isfinite(rc), rc, 1e9)
        miss[todo] = mis
        az[todo] += daz
        done = mis <= tol_m
        conv[todo[done]] = True
        left = rc >= 0  # root between c and b
        a_new = np.where(left, pc, a[todo])
        b_new = np.where(left, b[todo], pc)
        ra_new = np.where(left, rc, ra[todo])
        rb_new = np.where(left, rb[todo], rc)
        # Illinois: halve the stale end's residual when the same side is kept twice
        s_new = np.where(left, 1.0, -1.0)
        stale_b = left & (side[todo] == 1.0)
        stale_a = ~left & (side[todo] == -1.0)
        rb_new = np.where(stale_b, 0.5 * rb_new, rb_new)
        ra_new = np.where(stale_a, 0.5 * ra_new, ra_new)
        a[todo], b[todo], ra[todo], rb[todo], side[todo] = a_new, b_new, ra_new, rb_new, s_new
    return az, p, f, conv & ok, miss, it, ok


def _as1d(*xs):
    n = int(np.broadcast(*[np.asarray(x) for x in xs]).size)
    return n, [np.broadcast_to(np.asarray(x, dtype=float), (n,)).copy() for x in xs]


def _solve(fl: _Flyer, n, shape, apogee, tol_m, max_iter):
    if shape not in SHAPES:
        raise InputError("shape", f"must be one of {', '.join(SHAPES)}, got {shape!r}")
    e = fl.options.earth
    d_t, az0, _ = geodesic_inverse(fl.lat, fl.lon, fl.tlat, fl.tlon, e)
    # min-energy first (also the start and the branch point of the other shapes)
    p0, f0 = _initial_guess(fl, d_t, az0)
    az, p, f, conv, miss, it = _newton2(fl, az0.copy(), p0, f0, _gamma_resid(fl), tol_m, max_iter)
    reason = np.where(conv, "", "no minimum-energy solution found").astype(object)
    beyond = (~conv) & (f >= 1.0 - 1e-9)
    reason[beyond] = "beyond maximum range"
    max_range = np.full(n, np.nan)
    if shape == "min-energy":
        return az, p, f, conv, miss, it, reason, max_range
    if apogee is not None:
        me_ap = fl.fly(np.arange(n), az, p, f).apogee_alt_m
        az2, p2, f2, conv2, miss2, it2 = _newton2(fl, az.copy(), p.copy(), f.copy(), _apogee_resid(apogee, max(tol_m, 100.0)), tol_m, max_iter)
        wrong = (apogee < me_ap) if shape == "lofted" else (apogee > me_ap)
        reason = np.where(conv2, "", "apogee and range not reachable together").astype(object)
        reason[wrong & conv2] = f"apogee is on the wrong side of the minimum-energy apogee for a {shape} shape"
        conv2 = conv2 & ~wrong
        reason[beyond & ~conv2] = "beyond maximum range"
        return az2, p2, f2, conv2, miss2, it + it2, reason, max_range
    # full energy: branch point = min-energy loft at full energy
    idx = np.arange(n)
    pf, ff = p.copy(), np.ones(n)
    azf, pf, ff, conv_f, _, it2 = _newton_gamma_only(fl, az.copy(), pf, tol=np.radians(0.05), max_iter=max_iter)
    high = fl.p_lo if fl.loft_reversed else fl.p_hi
    low = fl.p_hi if fl.loft_reversed else fl.p_lo
    pa, pb = pf, np.full(n, high if shape == "lofted" else low)
    az3, p3, f3, conv3, miss3, it3, ok3 = _bracket_branch(fl, azf, pa, pb, tol_m, max_iter)
    polish = np.flatnonzero(ok3 & ~conv3)
    if polish.size:  # long lofted flights: solve azimuth and loft together
        sub = _Flyer.subset(fl, polish)
        a4, p4, _, c4, m4, it4 = _newton2(sub, az3[polish], p3[polish], f3[polish], None, tol_m, max_iter, vary_f=False)
        az3[polish], p3[polish], conv3[polish], miss3[polish] = a4, p4, c4, m4
        it3 += it4
    reason = np.where(conv3, "", f"no {shape} full-energy solution").astype(object)
    reason[beyond] = "beyond maximum range"
    reason[~ok3 & ~beyond] = f"target outside the {shape} branch at full energy"
    del idx
    return az3, p3, f3, conv3, miss3, it + it2 + it3, reason, max_range


def _newton_gamma_only(fl: _Flyer, az, p, tol, max_iter, steer=True):
    """Full energy: loft such that the burnout angle is the Kepler optimum (secant in p)."""
    n = az.size
    idx = np.arange(n)
    f = np.ones(n)
    dp = np.radians(0.5)
    conv = np.zeros(n, dtype=bool)
    it = 0
    for it in range(1, max_iter + 1):
        todo = np.flatnonzero(~conv)
        if todo.size == 0:
            break
        ii = np.concatenate([todo, todo])
        ts = fl.fly(ii, np.concatenate([az[todo], az[todo]]), np.concatenate([p[todo], p[todo] + dp]), np.ones(2 * todo.size))
        m = todo.size
        g0 = fl.gamma_residual(todo, _subset_ts(ts, slice(0, m)), f[todo])
        g1 = fl.gamma_residual(todo, _subset_ts(ts, slice(m, 2 * m)), f[todo])
        _, daz, _ = fl.misses(todo, _subset_ts(ts, slice(0, m)))
        done = np.abs(g0) <= tol
        conv[todo[done]] = True
        with np.errstate(all="ignore"):
            step = np.nan_to_num(np.clip(-g0 * dp / (g1 - g0), -np.radians(10), np.radians(10)))
        p[todo] = np.where(done, p[todo], np.clip(p[todo] + step, fl.p_lo, fl.p_hi))
        if steer:
            az[todo] = az[todo] + daz
    del idx
    return az, p, f, conv, None, it


def _table_groups(fl: _Flyer, az0):
    """Group the pairs by rounded launch geometry, so that each group's starting table is
    flown for the group's rounded key, never for whichever pair happens to come first:
    a pair's solution then does not depend on the batch it is solved in.

    Key: launch latitude/longitude to 0.25 deg, azimuth to 10 deg, launch and target
    heights to 100 m, and (burnout-state starts) speed to 1 m/s and beta to 1 kg/m^2.
    Returns the representative flyer (one pair per group, targets at the launch point)
    and the group index of each pair.
    """
    lat_q = np.round(np.degrees(fl.lat) / 0.25) * 0.25
    lon_q = np.round(np.degrees(fl.lon) / 0.25) * 0.25
    az_q = np.mod(np.round(np.degrees(az0) / 10.0) * 10.0, 360.0)
    alt_q = np.round(fl.alt / 100.0) * 100.0
    talt_q = np.round(fl.talt / 100.0) * 100.0
    cols = [lat_q, lon_q, az_q, alt_q, talt_q]
    if fl.vehicle is not None:
        cols.append(fl.vehicle.index.astype(float))  # one table per distinct vehicle
    else:
        cols += [np.round(fl.speed), np.where(np.isfinite(fl.beta), np.round(fl.beta), 1e300)]
    keys, rows = np.unique(np.stack(cols, axis=1), axis=0, return_inverse=True)
    rows = rows.reshape(-1)
    lat_r, lon_r = np.radians(keys[:, 0]), np.radians(keys[:, 1])
    speed = beta = fleet = None
    if fl.vehicle is None:
        speed, beta = keys[:, 5], np.where(keys[:, 6] >= 1e300, np.inf, keys[:, 6])
    else:
        fleet = Fleet(fl.vehicle.vehicles, keys[:, 5].astype(np.intp))
    rep = _Flyer(fleet, speed, beta, lat_r, lon_r, keys[:, 3], lat_r, lon_r, keys[:, 4], fl.options)
    return rep, np.radians(keys[:, 2]), rows


def _initial_guess(fl: _Flyer, d_t, az0):
    """Starting energy and loft from a small table flown per launch-geometry group
    (:func:`_table_groups`), and the drag correction of the minimum-energy condition.

    For energies ``f`` on a grid, a golden-section search over the loft finds the true
    maximum-range loft (with drag, rotation, J2 as configured).  In vacuum this is the
    Kepler optimum; with drag the burnout angle of the true optimum differs from it by a
    few degrees, and that offset (interpolated in ``f``) is added to the minimum-energy
    condition so that "min-energy" is the maximum-range trajectory for its energy.
    """
    rep, az_rep, rows = _table_groups(fl, az0)
    g_n, m = az_rep.size, 9
    fs = np.linspace(max(fl.f_lo, 0.1), 1.0, m)
    grp = np.repeat(np.arange(g_n), m)  # (G*m,) group of each table entry
    f_all = np.tile(fs, g_n)
    az = az_rep[grp]
    a, b = np.full(g_n * m, fl.p_lo), np.full(g_n * m, fl.p_hi)
    g = 0.5 * (np.sqrt(5.0) - 1.0)
    k = g_n * m
    for _ in range(12):
        x1, x2 = b - g * (b - a), a + g * (b - a)
        ts = rep.fly(np.concatenate([grp, grp]), np.concatenate([az, az]), np.concatenate([x1, x2]), np.concatenate([f_all, f_all]))
        r = np.nan_to_num(ts.range_m, nan=-1.0)
        left = r[:k] > r[k:]
        b = np.where(left, x2, b)
        a = np.where(left, a, x1)
    ps = 0.5 * (a + b)
    ts = rep.fly(grp, az, ps, f_all)
    if fl.drag_offset:
        fl.offset_f = fs
        fl.offset = np.nan_to_num(rep.gamma_residual(grp, ts, None)).reshape(g_n, m)
        fl.offset_row = rows
    rng = np.where(np.isfinite(ts.range_m), ts.range_m, 0.0).reshape(g_n, m)
    rng = np.maximum.accumulate(rng, axis=1) + np.arange(m) * 1e-3
    ps = ps.reshape(g_n, m)
    p0, f0 = np.empty_like(d_t), np.empty_like(d_t)
    for j in range(g_n):  # a handful of groups, each one table lookup
        sel = rows == j
        f0[sel] = np.interp(d_t[sel], rng[j], fs)
        p0[sel] = np.interp(d_t[sel], rng[j], ps[j])
    return p0, f0


def _finish(fl, n, shape, az, p, f, conv, it, reason, max_range, d_t, scalar, tol_m, field="target"):
    ts = fl.fly(np.arange(n), az, p, f, final=True)
    _, _, miss_final = fl.misses(np.arange(n), ts)
    reach = conv & (miss_final <= 2.0 * tol_m)
    sol = AimSolution(shape=shape, azimuth_rad=np.mod(az, 2 * np.pi), loft_rad=p, energy_fraction=f, reachable=reach,
                      miss_m=miss_final, target_range_m=d_t, max_range_m=max_range, iterations=it,
                      reason=np.asarray(reason, dtype=object))
    if scalar and not reach[0]:
        why = reason[0] or "no solution"
        raise UnreachableError(field, f"out of reach ({why}): target at {d_t[0] / 1e3:.0f} km")
    return ts, sol


def aim(
    vehicle: Vehicle,
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
):
    """Aim N missiles of one vehicle at N targets: returns ``(TrajectorySet, AimSolution)``.

    All-scalar inputs form the single-target API: an out-of-reach target raises
    :class:`thaad.errors.UnreachableError`.  With arrays, out-of-reach pairs are flagged
    in ``AimSolution.reachable`` (their trajectories are still returned).
    """
    scalar = all(np.ndim(x) == 0 for x in (launch_lat_rad, launch_lon_rad, target_lat_rad, target_lon_rad, launch_alt_m, target_alt_m))
    n, (lat, lon, tlat, tlon, alt, talt) = _as1d(launch_lat_rad, launch_lon_rad, target_lat_rad, target_lon_rad, launch_alt_m, target_alt_m)
    apo = None if apogee_m is None else np.broadcast_to(np.asarray(apogee_m, dtype=float), (n,)).copy()
    fl = _Flyer(Fleet.of(vehicle, n), None, None, lat, lon, alt, tlat, tlon, talt, options)
    d_t = geodesic_inverse(lat, lon, tlat, tlon, options.earth)[0]
    az, p, f, conv, miss, it, reason, max_range = _solve(fl, n, shape, apo, tol_m, max_iter)
    return _finish(fl, n, shape, az, p, f, conv, it, reason, max_range, d_t, scalar, tol_m)


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
    apo = None if apogee_m is None else np.broadcast_to(np.asarray(apogee_m, dtype=float), (n,)).copy()
    fl = _Flyer(None, spd, beta, lat, lon, alt, tlat, tlon, talt, options)
    d_t = geodesic_inverse(lat, lon, tlat, tlon, options.earth)[0]
    az, p, f, conv, miss, it, reason, max_range = _solve(fl, n, shape, apo, tol_m, max_iter)
    return _finish(fl, n, shape, az, p, f, conv, it, reason, max_range, d_t, scalar, tol_m)


def max_range_loft(vehicle: Vehicle, launch_lat_rad, launch_lon_rad, azimuth_rad, *, launch_alt_m=0.0,
                   impact_alt_m=0.0, options: FlightOptions = FlightOptions(), iterations: int = 18):
    """Full-energy loft of maximum range (golden-section search over the loft, all N
    launches together) along ``azimuth_rad``; shape ``(N,)``."""
    n, (lat, lon, az, alt, ialt) = _as1d(launch_lat_rad, launch_lon_rad, azimuth_rad, launch_alt_m, impact_alt_m)
    fl = _Flyer(Fleet.of(vehicle, n), None, None, lat, lon, alt, lat, lon, ialt, options)
    idx = np.arange(n)
    a, b = np.full(n, fl.p_lo), np.full(n, fl.p_hi)
    g = 0.5 * (np.sqrt(5.0) - 1.0)
    for _ in range(iterations):
        x1, x2 = b - g * (b - a), a + g * (b - a)
        ts = fl.fly(np.concatenate([idx, idx]), np.concatenate([az, az]), np.concatenate([x1, x2]), np.ones(2 * n))
        r = np.nan_to_num(ts.range_m, nan=-1.0)
        left = r[:n] > r[n:]
        b = np.where(left, x2, b)
        a = np.where(left, a, x1)
    return 0.5 * (a + b)

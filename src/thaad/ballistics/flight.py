"""Point-mass flight of N missiles at once in the rotating Earth-fixed (ECEF) frame.

Equations of motion (Earth-relative position ``r`` and velocity ``v`` in ECEF,
Earth angular velocity ``w``; Zipfel, "Modeling and Simulation of Aerospace Vehicle
Dynamics", 2nd ed., sec. 8.2; Vallado, "Fundamentals of Astrodynamics", 4th ed., eq. 8-31):

.. math:: \\ddot r = g(r) + \\frac{T\\,\\hat u - \\tfrac12 \\rho |v| v\\, C_D(M) A}{m}
          - 2\\,\\omega\\times v - \\omega\\times(\\omega\\times r)

* gravity: point mass + J2 (Vallado eq. 8-30, J2 from NIMA TR8350.2);
* thrust: ``T = mdot g0 Isp_vac - p(h) A_exit`` (Sutton & Biblarz, "Rocket Propulsion
  Elements", 8th ed., eq. 2-14), stage by stage, mass falls linearly within a stage;
* steering ``u``: vertical rise, then either a programmed pitch (thrust elevation above the
  local horizon decreasing linearly in time to the burnout pitch angle, in the launch
  plane) or a pitch-over kick followed by a gravity turn (thrust along the Earth-relative
  velocity);
* drag: ``C_D(M)`` of a slender finned missile body during boost; after burnout a constant
  ballistic coefficient ``beta = m / (C_D A)`` of what re-enters (the separated RV, or the
  whole spent missile when the warhead does not separate, e.g. a tumbling Scud body);
* atmosphere co-rotates with the Earth (wind-free).

Integration: Dormand-Prince 5(4) (the RK45 of ``scipy.integrate.solve_ivp``) with one
step size **per trajectory**, all trajectories advanced together as ``(N, 3)`` arrays;
steps are clipped so that staging, thrust cut-off and the end of the vertical rise fall on
step boundaries (the right-hand side is smooth inside every step).  Apogee and impact are
located inside the step by cubic Hermite interpolation and bisection (not to the step).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from thaad import atmosphere
from thaad.trajectory import TrajectorySet
from thaad.ballistics.vehicle import G0_M_S2, Vehicle
from thaad.geo import WGS84, Earth, ecef_to_geodetic, enu_basis, geodesic_inverse, geodetic_to_ecef

# Zero-lift drag coefficient of a slender finned missile body versus Mach number: the
# shape of the V-2 curve (Sutton & Biblarz, Rocket Propulsion Elements, 8th ed., Fig. 4-2,
# angle of attack 0), digitised approximately; the Scud family shares the V-2 layout.
CD_MACH = np.array([0.0, 0.6, 0.8, 0.9, 1.0, 1.1, 1.2, 1.5, 2.0, 3.0, 4.0, 5.0, 10.0, 30.0])
CD_BODY = np.array([0.15, 0.15, 0.16, 0.20, 0.32, 0.38, 0.39, 0.36, 0.31, 0.25, 0.22, 0.20, 0.19, 0.19])

# Dormand & Prince (1980) RK5(4)7M tableau, as in scipy.integrate._ivp.rk.RK45.
_C = np.array([0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1])
_A = [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
    [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
]
_B = np.array([35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0])
_E = np.array([-71 / 57600, 0, 71 / 16695, -71 / 1920, 17253 / 339200, -22 / 525, 1 / 40])


@dataclass(frozen=True)
class FlightOptions:
    """Model switches and numerical settings (SI)."""

    earth: Earth = WGS84
    rotation: bool = True
    drag: bool = True
    j2: bool = True  # ignored on a spherical Earth (J2 = 0 there)
    pitch: str = "linear"  # "linear" (programmed burnout pitch) or "gravity-turn" (kick)
    vertical_rise_s: float = 5.0
    kick_duration_s: float = 5.0
    pressure_thrust: bool = True  # subtract p(h) * A_exit when stages give an exit area
    rtol: float = 1e-8
    atol: float = 1e-3  # m and m/s
    max_step_s: float = 30.0
    first_step_s: float = 0.5
    max_time_s: float = 4.0 * 3600.0
    sample_s: float | None = 2.0  # output sampling; None: launch/burnout/apogee/impact only
    cd_mach: tuple = field(default=tuple(CD_MACH))
    cd_body: tuple = field(default=tuple(CD_BODY))


def drag_acceleration(v_rel_m_s, density_kg_m3, cd, area_over_mass_m2_kg):
    """``-rho |v| v Cd A / (2 m)`` for velocities ``(..., 3)``."""
    speed = np.linalg.norm(v_rel_m_s, axis=-1)
    k = 0.5 * density_kg_m3 * speed * cd * area_over_mass_m2_kg
    return -k[..., None] * v_rel_m_s


def gravity_j2(r, earth: Earth, j2: bool = True):
    """Point-mass + J2 gravitational acceleration at ECEF positions ``(n, 3)``."""
    x, y, z = r[:, 0], r[:, 1], r[:, 2]
    r2 = x * x + y * y + z * z
    rn = np.sqrt(r2)
    k0 = -earth.gm_m3_s2 / (r2 * rn)
    if j2 and earth.j2 != 0.0:
        k = 1.5 * earth.j2 * earth.a_m * earth.a_m / r2
        zz = 5.0 * z * z / r2
        fxy = k0 * (1.0 + k * (1.0 - zz))
        fz = k0 * (1.0 + k * (3.0 - zz))
        return np.stack([fxy * x, fxy * y, fz * z], axis=-1)
    return k0[:, None] * r


def _approx_alt(r, earth: Earth):
    """Height above the ellipsoid along the geocentric radius (for drag densities)."""
    r2 = np.einsum("ij,ij->i", r, r)
    rn = np.sqrt(r2)
    if earth.is_spherical:
        return rn - earth.a_m
    a, b = earth.a_m, earth.b_m
    s2 = r[:, 2] * r[:, 2] / r2
    return rn - a * b / np.sqrt(b * b + (a * a - b * b) * s2)


def _approx_alt_and_up(r, earth: Earth):
    """Fast height above the ellipsoid (radial approximation, sub-metre below 1,000 km
    for ballistic purposes) and the ellipsoid normal direction."""
    x, y, z = r[:, 0], r[:, 1], r[:, 2]
    rn = np.sqrt(x * x + y * y + z * z)
    if earth.is_spherical:
        return rn - earth.a_m, r / rn[:, None]
    a, b = earth.a_m, earth.b_m
    s2 = (z / rn) ** 2
    rs = a * b / np.sqrt(b * b * (1.0 - s2) + a * a * s2)
    up = np.stack([x, y, z / (1.0 - earth.e2)], axis=-1)
    up /= np.linalg.norm(up, axis=-1)[:, None]
    return rn - rs, up


class _Problem:
    """Per-trajectory constants of one flight (arrays over the active set)."""

    def __init__(self, n, vehicle: Vehicle | None, t_cut, loft, plane_n, beta, opts: FlightOptions):
        self.opts = opts
        self.earth = opts.earth
        self.vehicle = vehicle
        self.t_cut = t_cut  # (n,) thrust cut-off (burnout) time; 0 for burnout-state starts
        self.loft = loft  # (n,) programmed burnout pitch, or kick angle
        self.plane_n = plane_n  # (n, 3) normal of the launch plane (ECEF)
        self.beta = beta  # (n,) RV ballistic coefficient (inf: no drag)
        self.w = opts.earth.omega_rad_s if opts.rotation else 0.0
        self.cd_m = np.asarray(opts.cd_mach)
        self.cd_v = np.asarray(opts.cd_body)
        if vehicle is not None:
            st = vehicle.stages
            self.stage_end = np.cumsum([s.burn_time_s for s in st])
            self.stage_start = self.stage_end - np.array([s.burn_time_s for s in st])
            above = np.array([sum(s2.gross_mass_kg for s2 in st[k + 1 :]) for k in range(len(st))])
            self.m_start = np.array([s.gross_mass_kg for s in st]) + above + vehicle.payload_kg
            self.mdot = np.array([s.mass_flow_kg_s for s in st])
            self.thrust_vac = np.array([s.thrust_vac_n for s in st])
            self.exit_area = np.array([s.exit_area_m2 for s in st])
            self.area = np.pi * vehicle.diameter_m**2 / 4.0
            self.separates = vehicle.separates
            self.m_cut = self.mass(np.minimum(t_cut, self.stage_end[-1] - 1e-9), self.stage_of(t_cut - 1e-9))
            ends = [np.full(n, opts.vertical_rise_s)]
            if opts.pitch == "gravity-turn":
                ends.append(np.full(n, opts.vertical_rise_s + opts.kick_duration_s))
            ends += [np.full(n, e) for e in self.stage_end]
            ends = np.stack(ends, axis=1)
            ends = np.where(ends < t_cut[:, None], ends, np.inf)
            self.breaks = np.sort(np.concatenate([ends, t_cut[:, None]], axis=1), axis=1)
        else:
            self.breaks = np.full((n, 1), np.inf)

    def stage_of(self, t):
        return np.clip(np.searchsorted(self.stage_end, t, side="right"), 0, len(self.stage_end) - 1)

    def mass(self, t, k):
        return self.m_start[k] - self.mdot[k] * (t - self.stage_start[k])

    def subset(self, idx):
        p = object.__new__(_Problem)
        p.__dict__.update(self.__dict__)
        for name in ("t_cut", "loft", "plane_n", "beta", "breaks", "m_cut"):
            if hasattr(self, name):
                setattr(p, name, getattr(self, name)[idx])
        return p

    def frozen_flags(self, t):
        """Phase flags for a step starting at ``t`` (constant within the step)."""
        powered = t < self.t_cut - 1e-9
        flags = {"powered": powered}
        if self.vehicle is not None:
            flags["stage"] = self.stage_of(t + 1e-9)
            flags["vertical"] = t < self.opts.vertical_rise_s - 1e-9
            if self.opts.pitch == "gravity-turn":
                flags["kick"] = ~flags["vertical"] & (t < self.opts.vertical_rise_s + self.opts.kick_duration_s - 1e-9)
        return flags

    def accel(self, t, r, v, flags):
        opts, earth = self.opts, self.earth
        a = gravity_j2(r, earth, opts.j2)
        w = self.w
        if w != 0.0:
            a[:, 0] += 2.0 * w * v[:, 1] + w * w * r[:, 0]
            a[:, 1] += -2.0 * w * v[:, 0] + w * w * r[:, 1]
        if self.vehicle is None:
            if opts.drag:
                alt = _approx_alt(r, earth)
                kd = 0.5 * np.exp(atmosphere.fast_log_density(alt)) * np.sqrt(np.einsum("ij,ij->i", v, v)) / self.beta
                a -= kd[:, None] * v
            return a
        alt, up = _approx_alt_and_up(r, earth)
        rho, snd = atmosphere.fast_density_and_sound(alt)
        speed = np.sqrt(np.einsum("ij,ij->i", v, v))
        powered = flags["powered"]
        k = flags["stage"]
        m = np.where(powered, self.mass(t, k), self.m_cut)
        if opts.drag:
            cd = np.interp(speed / snd, self.cd_m, self.cd_v)
            body = 0.5 * rho * speed * cd * self.area / m
            # after burnout: what re-enters (the RV, or the spent missile if it does not
            # separate) flies with its ballistic coefficient beta = m / (Cd A)
            body = np.where(powered, body, 0.5 * rho * speed / self.beta)
            a -= body[:, None] * v
        if powered.any():
            thrust = self.thrust_vac[k]
            if opts.pressure_thrust:
                p_atm = rho * snd * snd / atmosphere.GAMMA_AIR
                thrust = np.maximum(thrust - p_atm * self.exit_area[k], 0.0)
            # steering direction
            horiz = np.cross(self.plane_n, up)
            horiz /= np.linalg.norm(horiz, axis=-1)[:, None]
            tv = self.opts.vertical_rise_s
            if opts.pitch == "gravity-turn":
                frac = np.clip((t - tv) / self.opts.kick_duration_s, 0.0, 1.0)
                theta = np.pi / 2 - self.loft * frac
                prog = np.cos(theta)[:, None] * horiz + np.sin(theta)[:, None] * up
                vhat = v / np.maximum(speed, 1e-9)[:, None]
                use_v = ~flags["vertical"] & ~flags["kick"]
                u = np.where(use_v[:, None], vhat, prog)
            else:
                span = np.maximum(self.t_cut - tv, 1e-9)
                frac = np.clip((t - tv) / span, 0.0, 1.0)
                theta = np.pi / 2 - (np.pi / 2 - self.loft) * frac
                u = np.cos(theta)[:, None] * horiz + np.sin(theta)[:, None] * up
            u = np.where(flags["vertical"][:, None], up, u)
            a += np.where(powered, thrust / m, 0.0)[:, None] * u
        return a


def _hermite(s, dt, r0, v0, r1, v1, a0=None, a1=None):
    """Hermite interpolation inside a step of length ``dt`` at fraction ``s``: quintic when
    the end accelerations ``a0``, ``a1`` are given (error O(dt^6)), cubic otherwise.
    Returns position and velocity."""
    s_ = s[:, None]
    h = dt[:, None]
    if a0 is None:
        h00, h10, h01, h11 = 2 * s_**3 - 3 * s_**2 + 1, s_**3 - 2 * s_**2 + s_, -2 * s_**3 + 3 * s_**2, s_**3 - s_**2
        pos = h00 * r0 + h10 * h * v0 + h01 * r1 + h11 * h * v1
        d00, d10, d01, d11 = 6 * s_**2 - 6 * s_, 3 * s_**2 - 4 * s_ + 1, -6 * s_**2 + 6 * s_, 3 * s_**2 - 2 * s_
        vel = (d00 * r0 + d01 * r1) / h + d10 * v0 + d11 * v1
        return pos, vel
    s2, s3, s4, s5 = s_**2, s_**3, s_**4, s_**5
    q0 = 1 - 10 * s3 + 15 * s4 - 6 * s5
    q1 = s_ - 6 * s3 + 8 * s4 - 3 * s5
    q2 = 0.5 * s2 - 1.5 * s3 + 1.5 * s4 - 0.5 * s5
    q3 = 0.5 * s3 - s4 + 0.5 * s5
    q4 = -4 * s3 + 7 * s4 - 3 * s5
    q5 = 10 * s3 - 15 * s4 + 6 * s5
    pos = q0 * r0 + q5 * r1 + h * (q1 * v0 + q4 * v1) + h * h * (q2 * a0 + q3 * a1)
    d0 = -30 * s2 + 60 * s3 - 30 * s4
    d1 = 1 - 18 * s2 + 32 * s3 - 15 * s4
    d2 = s_ - 4.5 * s2 + 6 * s3 - 2.5 * s4
    d3 = 1.5 * s2 - 4 * s3 + 2.5 * s4
    d4 = -12 * s2 + 28 * s3 - 15 * s4
    vel = d0 * (r0 - r1) / h + d1 * v0 + d4 * v1 + h * (d2 * a0 + d3 * a1)
    return pos, vel


def _vertical_speed(seg, s, earth):
    """Rate of climb (along the ellipsoid normal) on the Hermite curve at fractions ``s``."""
    pos, vel = _hermite(s, *seg)
    _, up = _approx_alt_and_up(pos, earth)
    return np.einsum("ij,ij->i", up, vel)


def _illinois(fun, m, iterations: int = 10):
    """Root in [0, 1] of ``fun`` (positive at 0, not positive at 1) for m problems at once:
    Illinois regula falsi (superlinear; 10 iterations reach ~1e-10 on these smooth curves)."""
    a, b = np.zeros(m), np.ones(m)
    fa, fb = fun(a), fun(b)
    side = np.zeros(m)
    for _ in range(iterations):
        den = fa - fb
        c = np.where(den != 0, a + fa * (b - a) / np.where(den != 0, den, 1.0), 0.5 * (a + b))
        c = np.clip(c, np.minimum(a, b), np.maximum(a, b))
        fc = fun(c)
        left = fc > 0  # root in [c, b]
        fb = np.where(left & (side == 1), 0.5 * fb, fb)
        fa = np.where(~left & (side == -1), 0.5 * fa, fa)
        a, fa = np.where(left, c, a), np.where(left, fc, fa)
        b, fb = np.where(left, b, c), np.where(left, fb, fc)
        side = np.where(left, 1, -1)
    den = fa - fb
    return np.clip(np.where(den != 0, a + fa * (b - a) / np.where(den != 0, den, 1.0), 0.5 * (a + b)), 0.0, 1.0)


def _grid_alt(seg, s_grid, earth):
    """Geodetic altitude on the Hermite curve of each step at fractions ``s_grid`` (m, K)."""
    m, k = s_grid.shape
    rep = [np.repeat(x, k, axis=0) for x in seg]
    pos, _ = _hermite(s_grid.ravel(), *rep)
    return ecef_to_geodetic(pos, earth)[2].reshape(m, k)


def _integrate(prob: _Problem, r0, v0, impact_alt, opts: FlightOptions):
    """Advance all trajectories until impact (or ``max_time_s``); returns a dict of results."""
    n = r0.shape[0]
    earth = opts.earth
    t = np.zeros(n)
    r, v = r0.copy(), v0.copy()
    h = np.full(n, opts.first_step_s)
    active = np.ones(n, dtype=bool)
    out = {
        "bo_t": np.full(n, np.nan), "bo_r": np.full((n, 3), np.nan), "bo_v": np.full((n, 3), np.nan),
        "ap_t": np.full(n, np.nan), "ap_r": np.full((n, 3), np.nan), "ap_v": np.full((n, 3), np.nan),
        "im_t": np.full(n, np.nan), "im_r": np.full((n, 3), np.nan), "im_v": np.full((n, 3), np.nan),
    }
    burnt = prob.t_cut <= 0.0
    out["bo_t"][burnt], out["bo_r"][burnt], out["bo_v"][burnt] = 0.0, r[burnt], v[burnt]
    alt0, up0 = _approx_alt_and_up(r, earth)
    vr = np.einsum("ij,ij->i", up0, v)
    rising = vr > 0
    record = opts.sample_s is not None
    hist = [(np.arange(n), t.copy(), r.copy(), v.copy(), np.zeros((n, 3)), np.zeros((n, 3)))] if record else None
    nbreak = np.zeros(n, dtype=int)
    fsal, fsal_ok = np.zeros((n, 3)), np.zeros(n, dtype=bool)
    n_steps = 0
    while active.any():
        idx = np.flatnonzero(active)
        sub = prob.subset(idx)
        ti, ri, vi, hi = t[idx], r[idx], v[idx], h[idx]
        nb = np.minimum(nbreak[idx], sub.breaks.shape[1] - 1)
        next_break = sub.breaks[np.arange(idx.size), nb]
        next_break = np.where(nbreak[idx] < sub.breaks.shape[1], next_break, np.inf)
        hi = np.minimum(np.minimum(hi, opts.max_step_s), opts.max_time_s + 1.0 - ti)
        clipped = next_break - ti <= hi * (1 + 1e-12)
        hi = np.where(clipped, next_break - ti, hi)
        flags = sub.frozen_flags(ti)
        # first stage: reuse the last stage of the previous step (FSAL) where the phase
        # did not change, evaluate the rest
        need = ~fsal_ok[idx]
        if need.all():
            a_first = sub.accel(ti, ri, vi, flags)
        else:
            a_first = fsal[idx]
            if need.any():
                w = np.flatnonzero(need)
                a_first[w] = sub.subset(w).accel(ti[w], ri[w], vi[w], {k: x[w] for k, x in flags.items()})
        kr, kv = [vi], [a_first]
        for s in range(1, 7):
            rs = ri + hi[:, None] * sum(_A[s][j] * kr[j] for j in range(s))
            vs = vi + hi[:, None] * sum(_A[s][j] * kv[j] for j in range(s))
            kr.append(vs)
            kv.append(sub.accel(ti + _C[s] * hi, rs, vs, flags))
        r_new = ri + hi[:, None] * sum(_B[j] * kr[j] for j in range(6))
        v_new = vi + hi[:, None] * sum(_B[j] * kv[j] for j in range(6))
        er = hi[:, None] * sum(_E[j] * kr[j] for j in range(7))
        ev = hi[:, None] * sum(_E[j] * kv[j] for j in range(7))
        sr = opts.atol + opts.rtol * np.maximum(np.abs(ri), np.abs(r_new))
        sv = opts.atol + opts.rtol * np.maximum(np.abs(vi), np.abs(v_new))
        err = np.sqrt((np.sum((er / sr) ** 2, axis=1) + np.sum((ev / sv) ** 2, axis=1)) / 6.0)
        ok = err <= 1.0
        fac = np.where(err > 0, 0.9 * np.maximum(err, 1e-10) ** -0.2, 10.0)
        h_prop = h[idx]
        h_next = np.where(ok, hi * np.clip(fac, 0.2, 10.0), hi * np.clip(fac, 0.2, 1.0))
        h_next = np.where(ok & clipped, np.maximum(h_next, h_prop), h_next)
        n_steps += 1
        # accepted steps only from here
        acc = idx[ok]
        t_old, r_old, v_old, dt = ti[ok], ri[ok], vi[ok], hi[ok]
        a_old, a_new = kv[0][ok], kv[6][ok]
        t_new = np.where(clipped[ok], next_break[ok], t_old + dt)
        t[acc], r[acc], v[acc] = t_new, r_new[ok], v_new[ok]
        h[idx] = h_next
        nbreak[acc] += clipped[ok]
        fsal[idx] = np.where(ok[:, None], kv[6], kv[0])
        fsal_ok[idx] = ~(ok & clipped)
        # burnout event (exact: cut-off falls on a step boundary)
        sub_ok = sub.t_cut[ok]
        bo = np.isnan(out["bo_t"][acc]) & (t_new >= sub_ok - 1e-9)
        if bo.any():
            j = acc[bo]
            out["bo_t"][j], out["bo_r"][j], out["bo_v"][j] = t[j], r[j], v[j]
        # apogee and impact events
        alt_new, up_new = _approx_alt_and_up(r[acc], earth)
        vr_new = np.einsum("ij,ij->i", up_new, v[acc])
        coasting = t_new >= sub_ok - 1e-9
        ap = rising[acc] & (vr_new <= 0) & coasting
        if ap.any():
            j = acc[ap]
            seg = (dt[ap], r_old[ap], v_old[ap], r[j], v[j], a_old[ap], a_new[ap])
            s_best = _illinois(lambda x: _vertical_speed(seg, x, earth), j.size)
            p_, v_ = _hermite(s_best, dt[ap], r_old[ap], v_old[ap], r[j], v[j], a_old[ap], a_new[ap])
            out["ap_t"][j] = t_old[ap] + s_best * dt[ap]
            out["ap_r"][j], out["ap_v"][j] = p_, v_
        rising[acc] = np.where(coasting, vr_new > 0, rising[acc] | (vr_new > 0))
        im = (alt_new <= impact_alt[acc]) & (vr_new < 0) & (t_new > 1.0)
        if im.any():
            j = acc[im]
            seg = (dt[im], r_old[im], v_old[im], r[j], v[j], a_old[im], a_new[im])
            target = impact_alt[j]
            s_imp = _illinois(lambda x: _approx_alt(_hermite(x, *seg)[0], earth) - target, j.size)
            p_, v_ = _hermite(s_imp, dt[im], r_old[im], v_old[im], r[j], v[j], a_old[im], a_new[im])
            out["im_t"][j] = t_old[im] + s_imp * dt[im]
            out["im_r"][j], out["im_v"][j] = p_, v_
            sub_im = sub.subset(np.flatnonzero(ok)[im])
            a_new[im] = sub_im.accel(out["im_t"][j], p_, v_, sub_im.frozen_flags(t_old[im]))
            # a trajectory that never reached apogee (hit while climbing) gets none
            t[j], r[j], v[j] = out["im_t"][j], p_, v_
            active[j] = False
        timeout = t[acc] >= opts.max_time_s
        active[acc[timeout]] = False
        if record and acc.size:
            keep = active[acc] | (im if im.any() else np.zeros(acc.size, bool))
            a0k, a1k = a_old[keep].copy(), a_new[keep].copy()
            hist.append((acc[keep], t[acc][keep].copy(), r[acc][keep].copy(), v[acc][keep].copy(), a0k, a1k))
    out["n_steps"] = n_steps
    out["hist"] = hist
    return out


def _resample(hist, n, im_t, sample_s):
    """Uniform samples every ``sample_s`` (plus the impact point) by Hermite interpolation."""
    ids = np.concatenate([hh[0] for hh in hist])
    ts = np.concatenate([hh[1] for hh in hist])
    rs = np.concatenate([hh[2] for hh in hist])
    vs = np.concatenate([hh[3] for hh in hist])
    a0s = np.concatenate([hh[4] for hh in hist])
    a1s = np.concatenate([hh[5] for hh in hist])
    order = np.lexsort((ts, ids))
    ids, ts, rs, vs, a0s, a1s = ids[order], ts[order], rs[order], vs[order], a0s[order], a1s[order]
    counts = np.bincount(ids, minlength=n)
    start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    t_end = ts[start + counts - 1]
    n_uni = np.floor(np.where(np.isfinite(t_end), t_end, 0.0) / sample_s - 1e-9).astype(int) + 1
    n_out = n_uni + 1
    T = int(n_out.max())
    t_out = np.full((n, T), np.nan)
    grid = np.arange(T)[None, :] * sample_s
    valid_uni = np.arange(T)[None, :] < n_uni[:, None]
    t_out = np.where(valid_uni, grid, np.nan)
    rows = np.arange(n)
    t_out[rows, n_uni] = t_end
    valid = np.arange(T)[None, :] < n_out[:, None]
    # locate each output time within its trajectory's steps: offset trick for one searchsorted
    big = (np.nanmax(ts) + 10.0) * 2.0
    key = ts + ids * big
    q = np.where(valid, t_out, 0.0) + rows[:, None] * big
    pos = np.searchsorted(key, q.ravel(), side="right") - 1
    pos = np.clip(pos, start.repeat(T), (start + counts - 2).clip(min=start).repeat(T))
    t0, t1 = ts[pos], ts[np.minimum(pos + 1, ts.size - 1)]
    same = (pos + 1 >= (start + counts).repeat(T)) | (t1 <= t0)
    dt = np.where(same, 1.0, t1 - t0)
    sfrac = np.where(same, 0.0, (q.ravel() - rows.repeat(T) * big - t0) / dt)
    sfrac = np.clip(sfrac, 0.0, 1.0)
    nxt = np.where(same, pos, np.minimum(pos + 1, ts.size - 1))
    p_, v_ = _hermite(sfrac, dt, rs[pos], vs[pos], rs[nxt], vs[nxt], a0s[nxt], a1s[nxt])
    p_ = p_.reshape(n, T, 3)
    v_ = v_.reshape(n, T, 3)
    p_[~valid] = np.nan
    v_[~valid] = np.nan
    return t_out, p_, v_, n_out


def _build(prob, out, launch_lat, launch_lon, azimuth, impact_alt, opts: FlightOptions, r0, v0) -> TrajectorySet:
    earth = opts.earth
    n = launch_lat.size
    w_vec = np.array([0.0, 0.0, earth.omega_rad_s if opts.rotation else 0.0])
    bo_vi = out["bo_v"] + np.cross(w_vec, out["bo_r"])
    bo_speed = np.linalg.norm(bo_vi, axis=-1)
    bo_rad = np.linalg.norm(out["bo_r"], axis=-1)
    bo_fpa = np.arcsin(np.clip(np.einsum("ij,ij->i", out["bo_r"], bo_vi) / (bo_rad * bo_speed), -1, 1))
    bo_alt = ecef_to_geodetic(out["bo_r"], earth)[2]
    ap_alt = ecef_to_geodetic(out["ap_r"], earth)[2]
    im_lat, im_lon, _ = ecef_to_geodetic(out["im_r"], earth)
    im_speed = np.linalg.norm(out["im_v"], axis=-1)
    ok = np.isfinite(im_lat)
    rng = np.full(n, np.nan)
    if ok.any():
        rng[ok] = geodesic_inverse(launch_lat[ok], launch_lon[ok], im_lat[ok], im_lon[ok], earth)[0]
    if opts.sample_s is not None:
        t_s, pos, vel, n_out = _resample(out["hist"], n, out["im_t"], opts.sample_s)
    else:  # summaries only: launch, burnout, apogee, impact
        t_s = np.stack([np.zeros(n), out["bo_t"], out["ap_t"], out["im_t"]], axis=1)
        pos = np.stack([r0, out["bo_r"], out["ap_r"], out["im_r"]], axis=1)
        vel = np.stack([v0, out["bo_v"], out["ap_v"], out["im_v"]], axis=1)
        order = np.argsort(np.where(np.isfinite(t_s), t_s, np.inf), axis=1, kind="stable")
        t_s = np.take_along_axis(t_s, order, axis=1)
        pos = np.take_along_axis(pos, order[..., None], axis=1)
        vel = np.take_along_axis(vel, order[..., None], axis=1)
        n_out = np.isfinite(t_s).sum(axis=1)
    lat, lon, alt = ecef_to_geodetic(pos, earth)
    return TrajectorySet(
        t_s=t_s, position_ecef_m=pos, velocity_ecef_m_s=vel, lat_rad=lat, lon_rad=lon, alt_m=alt,
        n_samples=n_out.astype(int), launch_lat_rad=launch_lat, launch_lon_rad=launch_lon,
        launch_azimuth_rad=azimuth, burnout_time_s=out["bo_t"], burnout_alt_m=bo_alt,
        burnout_speed_m_s=bo_speed, apogee_time_s=out["ap_t"], apogee_alt_m=ap_alt,
        impact_time_s=out["im_t"], impact_lat_rad=im_lat, impact_lon_rad=im_lon,
        impact_speed_m_s=im_speed, range_m=rng, earth=earth,
        burnout_position_ecef_m=out["bo_r"], burnout_velocity_ecef_m_s=out["bo_v"],
        burnout_fpa_rad=bo_fpa, impact_alt_m=impact_alt, n_steps=out["n_steps"],
    )


def _b(x, n):
    return np.broadcast_to(np.asarray(x, dtype=float), (n,)).copy()


def _n_of(*xs):
    return int(np.broadcast(*[np.asarray(x) for x in xs]).size)


def _plane_normal(lat, lon, azimuth, r0):
    enu = enu_basis(lat, lon)
    d0 = np.sin(azimuth)[:, None] * enu[:, 0, :] + np.cos(azimuth)[:, None] * enu[:, 1, :]
    nrm = np.cross(r0, d0)
    return nrm / np.linalg.norm(nrm, axis=-1)[:, None]


def fly(
    vehicle: Vehicle,
    launch_lat_rad,
    launch_lon_rad,
    azimuth_rad,
    loft_rad,
    *,
    launch_alt_m=0.0,
    burn_fraction=1.0,
    impact_alt_m=0.0,
    options: FlightOptions = FlightOptions(),
) -> TrajectorySet:
    """Fly N missiles of one ``vehicle`` from lift-off to impact, all together.

    Parameters broadcast to shape ``(N,)``: launch point (rad, m), launch azimuth (rad from
    north), ``loft_rad`` (the programmed thrust pitch above the horizon at burnout for
    ``options.pitch == "linear"``, or the pitch-over kick angle for ``"gravity-turn"``),
    ``burn_fraction`` in (0, 1] (thrust termination at that fraction of the total burn
    time: energy control), ``impact_alt_m`` (height of the impact surface, e.g. the
    target's).
    """
    n = _n_of(launch_lat_rad, launch_lon_rad, azimuth_rad, loft_rad, launch_alt_m, burn_fraction, impact_alt_m)
    lat, lon, az = _b(launch_lat_rad, n), _b(launch_lon_rad, n), _b(azimuth_rad, n)
    loft, alt0, frac, imp = _b(loft_rad, n), _b(launch_alt_m, n), _b(burn_fraction, n), _b(impact_alt_m, n)
    earth = options.earth
    r0 = geodetic_to_ecef(lat, lon, alt0, earth)
    v0 = np.zeros((n, 3))
    t_cut = np.clip(frac, 1e-6, 1.0) * vehicle.total_burn_time_s
    beta = np.full(n, vehicle.rv_ballistic_coefficient_kg_m2)
    prob = _Problem(n, vehicle, t_cut, loft, _plane_normal(lat, lon, az, r0), beta, options)
    out = _integrate(prob, r0, v0, imp, options)
    return _build(prob, out, lat, lon, az, imp, options, r0, v0)


def fly_burnout_state(
    lat_rad,
    lon_rad,
    alt_m,
    speed_m_s,
    elevation_rad,
    azimuth_rad,
    *,
    ballistic_coefficient_kg_m2=np.inf,
    impact_alt_m=0.0,
    options: FlightOptions = FlightOptions(),
) -> TrajectorySet:
    """Free flight from an instantaneous burnout state (textbook cases).

    ``speed_m_s`` is the Earth-relative speed at the burnout point, ``elevation_rad`` the
    flight-path angle above the local (ellipsoid-normal) horizon, ``azimuth_rad`` the
    heading from north.  Time 0 is burnout.  Drag (if ``options.drag``) uses the constant
    ``ballistic_coefficient_kg_m2`` (infinite: vacuum).
    """
    n = _n_of(lat_rad, lon_rad, alt_m, speed_m_s, elevation_rad, azimuth_rad, impact_alt_m)
    lat, lon, alt = _b(lat_rad, n), _b(lon_rad, n), _b(alt_m, n)
    spd, el, az, imp = _b(speed_m_s, n), _b(elevation_rad, n), _b(azimuth_rad, n), _b(impact_alt_m, n)
    earth = options.earth
    r0 = geodetic_to_ecef(lat, lon, alt, earth)
    enu = np.stack([spd * np.cos(el) * np.sin(az), spd * np.cos(el) * np.cos(az), spd * np.sin(el)], axis=-1)
    basis = enu_basis(lat, lon)
    v0 = np.einsum("nji,nj->ni", basis, enu)
    beta = _b(ballistic_coefficient_kg_m2, n)
    prob = _Problem(n, None, np.zeros(n), np.zeros(n), _plane_normal(lat, lon, az, r0), beta, options)
    out = _integrate(prob, r0, v0, imp, options)
    return _build(prob, out, lat, lon, az, imp, options, r0, v0)


def with_options(options: FlightOptions, **changes) -> FlightOptions:
    return replace(options, **changes)

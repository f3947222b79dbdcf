"""Equations of motion of the flight model: forces on N missiles at once (NumPy reference).

Earth-relative position ``r`` and velocity ``v`` in the rotating Earth-fixed frame (see
:mod:`thaad.ballistics.flight` for the equation and its sources): point-mass + J2 gravity
(Vallado eq. 8-30), Coriolis and centrifugal terms, thrust ``mdot g0 Isp - p(h) A_exit``
(Sutton & Biblarz eq. 2-14) along the pitch programme, and drag with ``C_D(M)`` during boost
or the re-entering body's ballistic coefficient after burnout.  The compiled kernel
(:mod:`thaad.ballistics._compiled`) implements the same equations per trajectory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from thaad import atmosphere
from thaad.ballistics.vehicle import Fleet
from thaad.geo import Earth

if TYPE_CHECKING:
    from thaad.ballistics.flight import FlightOptions

# Zero-lift drag coefficient of a slender finned missile body versus Mach number: the
# shape of the V-2 curve (Sutton & Biblarz, Rocket Propulsion Elements, 8th ed., Fig. 4-2,
# angle of attack 0), digitised approximately; the Scud family shares the V-2 layout.
CD_MACH = np.array([0.0, 0.6, 0.8, 0.9, 1.0, 1.1, 1.2, 1.5, 2.0, 3.0, 4.0, 5.0, 10.0, 30.0])
CD_BODY = np.array([0.15, 0.15, 0.16, 0.20, 0.32, 0.38, 0.39, 0.36, 0.31, 0.25, 0.22, 0.20, 0.19, 0.19])


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


def approx_alt(r, earth: Earth):
    """Height above the ellipsoid along the geocentric radius (for drag densities)."""
    r2 = np.einsum("ij,ij->i", r, r)
    rn = np.sqrt(r2)
    if earth.is_spherical:
        return rn - earth.a_m
    a, b = earth.a_m, earth.b_m
    s2 = r[:, 2] * r[:, 2] / r2
    return rn - a * b / np.sqrt(b * b + (a * a - b * b) * s2)


def approx_alt_and_up(r, earth: Earth):
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


class Problem:
    """Per-trajectory constants of one flight (arrays over the active set): the vehicle's
    stages as ``(n, S)`` arrays (one row per trajectory, so a batch may mix vehicles of
    the same stage count), cut-off time, loft, launch plane and ballistic coefficient."""

    ROWS = ("t_cut", "loft", "plane_n", "beta", "breaks", "m_cut", "stage_end", "stage_start", "m_start", "mdot",
            "thrust_vac", "exit_area", "area")

    def __init__(self, n, fleet: Fleet | None, t_cut, loft, plane_n, beta, opts: FlightOptions):
        from thaad.ballistics.flight import Pitch

        self.opts = opts
        self.earth = opts.earth
        self.vehicle = fleet
        self.gravity_turn = Pitch(opts.pitch) is Pitch.GRAVITY_TURN
        self.t_cut = t_cut  # (n,) thrust cut-off (burnout) time; 0 for burnout-state starts
        self.loft = loft  # (n,) programmed burnout pitch, or kick angle
        self.plane_n = plane_n  # (n, 3) normal of the launch plane (ECEF)
        self.beta = beta  # (n,) RV ballistic coefficient (inf: no drag)
        self.w = opts.earth.omega_rad_s if opts.rotation else 0.0
        self.cd_m = np.asarray(opts.cd_mach)
        self.cd_v = np.asarray(opts.cd_body)
        if fleet is not None:
            burn = fleet.column(lambda v: [s.burn_time_s for s in v.stages])
            self.stage_end = np.cumsum(burn, axis=1)
            self.stage_start = self.stage_end - burn
            self.m_start = fleet.column(lambda v: [s.gross_mass_kg + sum(s2.gross_mass_kg for s2 in v.stages[k + 1:])
                                                   + v.payload_kg for k, s in enumerate(v.stages)])
            self.mdot = fleet.column(lambda v: [s.mass_flow_kg_s for s in v.stages])
            self.thrust_vac = fleet.column(lambda v: [s.thrust_vac_n for s in v.stages])
            self.exit_area = fleet.column(lambda v: [s.exit_area_m2 for s in v.stages])
            self.area = fleet.column(lambda v: np.pi * v.diameter_m**2 / 4.0)
            self.m_cut = self.mass(np.minimum(t_cut, self.stage_end[:, -1] - 1e-9), self.stage_of(t_cut - 1e-9))
            ends = [np.full(n, opts.vertical_rise_s)]
            if self.gravity_turn:
                ends.append(np.full(n, opts.vertical_rise_s + opts.kick_duration_s))
            ends = np.concatenate([np.stack(ends, axis=1), self.stage_end], axis=1)
            ends = np.where(ends < t_cut[:, None], ends, np.inf)
            self.breaks = np.sort(np.concatenate([ends, t_cut[:, None]], axis=1), axis=1)
        else:
            self.breaks = np.full((n, 1), np.inf)

    def stage_of(self, t):
        k = np.sum(self.stage_end <= np.asarray(t)[:, None], axis=1)
        return np.clip(k, 0, self.stage_end.shape[1] - 1)

    def mass(self, t, k):
        rows = np.arange(k.size)
        return self.m_start[rows, k] - self.mdot[rows, k] * (t - self.stage_start[rows, k])

    def subset(self, idx):
        p = object.__new__(Problem)
        p.__dict__.update(self.__dict__)
        for name in self.ROWS:
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
            if self.gravity_turn:
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
                alt = approx_alt(r, earth)
                kd = 0.5 * np.exp(atmosphere.fast_log_density(alt)) * np.sqrt(np.einsum("ij,ij->i", v, v)) / self.beta
                a -= kd[:, None] * v
            return a
        alt, up = approx_alt_and_up(r, earth)
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
            rows = np.arange(k.size)
            thrust = self.thrust_vac[rows, k]
            if opts.pressure_thrust:
                p_atm = rho * snd * snd / atmosphere.GAMMA_AIR
                thrust = np.maximum(thrust - p_atm * self.exit_area[rows, k], 0.0)
            # steering direction
            horiz = np.cross(self.plane_n, up)
            horiz /= np.linalg.norm(horiz, axis=-1)[:, None]
            tv = self.opts.vertical_rise_s
            if self.gravity_turn:
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

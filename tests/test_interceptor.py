"""Interceptor flyout and flyout fan: closed-form checks and reachable-set properties."""

import math

import numpy as np
import pytest

from thaad.errors import InputError
from thaad.interceptor import (
    G0_M_S2,
    FlyoutOptions,
    Interceptor,
    calibrate_exhaust_speed,
    fly_rays,
    flyout_fan,
)

METRE = 1.0
SECOND = 1.0
KM = 1000.0
VACUUM_FLAT = FlyoutOptions(drag=False, flat=True)
VACUUM_SPHERE = FlyoutOptions(drag=False, flat=False)


def _closed_form_flat(ic, u, el, t):
    """Constant-attitude rocket + projectile in uniform gravity (no drag).

    Boost: v(t) = -u ln(1 - k t) d - g t z,  x(t) = u [(1/k - t) ln(1 - k t) + t] d - g t^2 / 2 z,
    with k = mdot / m0 (Tsiolkovsky with constant mass flow); then a parabola.
    """
    k = ic.mass_flow_kg_s / ic.launch_mass_kg
    tb = ic.burn_time_s
    d = np.array([math.cos(el), math.sin(el)])

    def boost(tt):
        pos = u * ((1 / k - tt) * math.log(1 - k * tt) + tt) * d - np.array([0, 0.5 * G0_M_S2 * tt * tt])
        vel = -u * math.log(1 - k * tt) * d - np.array([0, G0_M_S2 * tt])
        return pos, vel

    if t <= tb:
        return boost(t)[0]
    p, v = boost(tb)
    dt = t - tb
    return p + v * dt - np.array([0, 0.5 * G0_M_S2 * dt * dt])


@pytest.mark.parametrize("el_deg", [20.0, 45.0, 70.0, 90.0])
def test_flat_vacuum_ray_matches_rocket_and_projectile_closed_form(el_deg):
    ic = Interceptor(max_flight_time_s=120.0)
    u = 2650.0
    rays = fly_rays(ic, [math.radians(el_deg)], u_m_s=u, options=VACUUM_FLAT)
    for t in (5.0, ic.burn_time_s, 40.0, 100.0):
        j = int(np.argmin(np.abs(rays["t_s"] - t)))
        expected = _closed_form_flat(ic, u, math.radians(el_deg), rays["t_s"][j])
        got = np.array([rays["x_m"][0, j], rays["z_m"][0, j]])
        assert np.all(np.abs(got - expected) < 2 * METRE), (t, got, expected)


def test_spherical_vacuum_coast_conserves_energy_and_angular_momentum():
    ic = Interceptor(max_flight_time_s=300.0)
    rays = fly_rays(ic, np.radians([30.0, 60.0, 85.0]), options=VACUUM_SPHERE)
    ib = rays["burnout_index"]
    x, z, vx, vz = (rays[k][:, ib:] for k in ("x_m", "z_m", "vx_m_s", "vz_m_s"))
    gm = VACUUM_SPHERE.gm_m3_s2
    energy = 0.5 * (vx**2 + vz**2) - gm / np.hypot(x, z)
    h = x * vz - z * vx
    ok = np.isfinite(energy)
    e0 = energy[:, :1]
    assert np.nanmax(np.abs(energy - e0)[ok]) < 1.0  # J/kg, of ~6e7
    assert np.nanmax(np.abs(h - h[:, :1])[ok] / np.abs(h[:, :1]).repeat(h.shape[1], 1)[ok]) < 1e-9


def test_vertical_vacuum_apogee_matches_energy_closed_form():
    ic = Interceptor(max_flight_time_s=400.0)
    rays = fly_rays(ic, [math.pi / 2], options=VACUUM_SPHERE)
    ib = rays["burnout_index"]
    r_b = math.hypot(rays["x_m"][0, ib], rays["z_m"][0, ib])
    v_b = math.hypot(rays["vx_m_s"][0, ib], rays["vz_m_s"][0, ib])
    gm, re = VACUUM_SPHERE.gm_m3_s2, VACUUM_SPHERE.earth_radius_m
    r_max = 1.0 / (1.0 / r_b - v_b * v_b / (2 * gm))  # v^2/2 - GM/r_b = -GM/r_max
    assert abs(np.nanmax(rays["alt_m"][0]) - (r_max - re)) < 5 * METRE


def test_burnout_speed_is_calibrated_and_specific_impulse_plausible():
    ic = Interceptor()
    u = calibrate_exhaust_speed(ic)
    rays = fly_rays(ic, [ic.reference_elevation_rad], u_m_s=u)
    ib = rays["burnout_index"]
    v = math.hypot(rays["vx_m_s"][0, ib], rays["vz_m_s"][0, ib])
    assert abs(v - ic.burnout_speed_m_s) < 2.0  # m/s
    assert 230.0 < u / G0_M_S2 < 300.0  # solid-propellant specific impulse, s
    # drag costs speed: a low-elevation ray (dense air) burns out slower than a steep one
    fan = flyout_fan(ic)
    vb = np.hypot(fan.rays["vx_m_s"][:, ib], fan.rays["vz_m_s"][:, ib])
    assert vb[0] < vb[-1]


def test_fan_respects_altitude_band_and_maximum_range():
    ic = Interceptor()
    fan = flyout_fan(ic)
    s, h = np.meshgrid(fan.range_m, fan.alt_m, indexing="ij")
    finite = np.isfinite(fan.tof_s)
    assert finite.any()
    assert np.all(h[finite] >= ic.min_intercept_alt_m)
    assert np.all(h[finite] <= ic.max_intercept_alt_m)
    assert np.all(s[finite] <= ic.max_intercept_range_m)
    # the whole published box (40-150 km altitude, up to 200 km) is kinematically reachable
    assert np.isfinite(fan.time_of_flight(200 * KM, 40 * KM))
    assert np.isfinite(fan.time_of_flight(150 * KM, 150 * KM))
    assert np.isnan(fan.time_of_flight(100 * KM, 30 * KM))
    assert np.isnan(fan.time_of_flight(100 * KM, 160 * KM))
    assert np.isnan(fan.time_of_flight(210 * KM, 80 * KM))


def test_fan_time_of_flight_is_the_earliest_ray_passage():
    ic = Interceptor(divert_margin_m=0.0)
    fan = flyout_fan(ic)
    s, h, t = fan.rays["range_m"], fan.rays["alt_m"], fan.rays["t_s"]
    tof = fan.time_of_flight(s, h, kinematic=True)
    ok = np.isfinite(s) & np.isfinite(tof)
    # reached no later than a ray gets there (plus the time to cross half a cell)
    late = tof[ok] - np.broadcast_to(t, s.shape)[ok]
    assert np.max(late) < 0.5 * SECOND
    # no point is reached before the straight-line distance / burnout speed allows
    dist = np.hypot(fan.range_m[:, None], fan.alt_m[None, :])
    fin = np.isfinite(fan.kinematic_tof_s)
    assert np.all(fan.kinematic_tof_s[fin] * ic.burnout_speed_m_s * 1.05 >= dist[fin] - fan.cell_m)


def test_reachable_set_grows_with_time():
    fan = flyout_fan(Interceptor())
    prev = fan.reachable(0.0)
    assert not prev.any()
    for t in (30.0, 60.0, 90.0, 120.0, 200.0):
        cur = fan.reachable(t)
        assert np.all(cur >= prev)
        assert cur.sum() > prev.sum() or t >= 120.0
        prev = cur


def test_divert_margin_widens_the_fan():
    narrow = flyout_fan(Interceptor(divert_margin_m=0.0))
    wide = flyout_fan(Interceptor(divert_margin_m=5e3))
    s, h = np.meshgrid(narrow.range_m, narrow.alt_m, indexing="ij")
    t_narrow, t_wide = narrow.tof_s, wide.time_of_flight(s, h)
    both = np.isfinite(t_narrow) & np.isfinite(t_wide)
    assert np.all(np.isfinite(t_wide)[np.isfinite(t_narrow)])
    assert np.all(t_wide[both] <= t_narrow[both])
    assert np.mean(t_narrow[both] - t_wide[both]) > 0.5 * SECOND


def test_fan_is_computed_once_per_configuration():
    ic = Interceptor()
    assert flyout_fan(ic) is flyout_fan(Interceptor())
    assert flyout_fan(ic) is not flyout_fan(Interceptor(max_intercept_alt_m=100e3))


@pytest.mark.parametrize(
    "kwargs, field",
    [({"burn_time_s": -1.0}, "burn_time_s"), ({"burnout_mass_kg": 1000.0}, "launch_mass_kg"),
     ({"min_intercept_alt_m": 200e3}, "min_intercept_alt_m"), ({"divert_margin_m": -1.0}, "divert_margin_m")],
)
def test_bad_interceptor_parameters_name_the_field(kwargs, field):
    with pytest.raises(InputError) as err:
        Interceptor(**kwargs)
    assert field in err.value.field


def test_flat_vacuum_fan_time_to_overhead_points_matches_vertical_closed_form():
    """The fastest way to a point straight overhead is the vertical shot: the fan's time of
    flight there equals the closed-form time of the vertical rocket + projectile."""
    ic = Interceptor(divert_margin_m=0.0)
    u = calibrate_exhaust_speed(ic, VACUUM_FLAT)
    fan = flyout_fan(ic, options=VACUUM_FLAT)
    k = ic.mass_flow_kg_s / ic.launch_mass_kg
    tb = ic.burn_time_s
    z_b = u * ((1 / k - tb) * math.log(1 - k * tb) + tb) - 0.5 * G0_M_S2 * tb * tb
    v_b = -u * math.log(1 - k * tb) - G0_M_S2 * tb
    for h in (50 * KM, 100 * KM, 140 * KM):
        dt = (v_b - math.sqrt(v_b * v_b - 2 * G0_M_S2 * (h - z_b))) / G0_M_S2  # first root of z(t) = h
        expected = tb + dt
        got = float(fan.time_of_flight(0.0, h, kinematic=True))
        assert abs(got - expected) < 0.5 * SECOND, (h, got, expected)

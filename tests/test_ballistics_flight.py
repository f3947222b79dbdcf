"""Flight model against closed forms and conservation laws."""

import numpy as np
import pytest

from thaad.ballistics import FlightOptions, Stage, Vehicle, fly, fly_burnout_state
from thaad.ballistics import kepler
from thaad.ballistics.vehicle import G0_M_S2
from thaad.geo import SPHERICAL, WGS84, MEAN_EARTH_RADIUS_M

METRE = 1.0
KM = 1000.0
PERCENT = 1e-2
DEG = np.pi / 180

VACUUM_SPHERE = FlightOptions(earth=SPHERICAL, rotation=False, drag=False, j2=False)
LAT, LON = 36.0 * DEG, 128.0 * DEG

# A Scud-B-like single stage (public figures rounded: 5.9 t, 3.7 t propellant, 62 s burn)
SCUD_LIKE = Vehicle("scud-like", (Stage(4915.0, 3700.0, 240.0, 62.0),), 985.0, 0.88, separates=False,
                    rv_ballistic_coefficient_kg_m2=3000.0)


@pytest.mark.parametrize("speed, gamma_deg", [(1700.0, 44.0), (3000.0, 42.75), (4900.0, 30.0), (7200.0, 22.5), (6000.0, 60.0)])
def test_vacuum_free_flight_matches_kepler_conic(speed, gamma_deg):
    g = gamma_deg * DEG
    ts = fly_burnout_state(LAT, LON, 0.0, speed, g, 70 * DEG, options=VACUUM_SPHERE)
    r = MEAN_EARTH_RADIUS_M
    rng = kepler.range_angle(r, speed, g) * r
    apo = kepler.apogee_radius(r, speed, g) - r
    tof = kepler.time_of_flight(r, speed, g)
    assert ts.range_m[0] == pytest.approx(rng, rel=0.1 * PERCENT, abs=0)
    assert ts.apogee_alt_m[0] == pytest.approx(apo, rel=0.1 * PERCENT)
    assert ts.impact_time_s[0] == pytest.approx(tof, rel=0.1 * PERCENT)
    # in fact the integrator is far better than the 0.1 % asked for
    assert abs(ts.range_m[0] - rng) < 5 * METRE
    assert abs(ts.apogee_alt_m[0] - apo) < 1 * METRE


def test_textbook_min_energy_speeds_give_textbook_ranges():
    # Burnout at the surface, min-energy angle: 1.7 km/s -> 300 km, 3.0 -> 1,000 km,
    # 4.9 -> 3,000 km, 7.2 -> 10,000 km (e.g. Wright, Physics & Society 2016; BMW 1971)
    for v, rng_km in [(1700, 300), (3000, 1000), (4900, 3000), (7200, 10000)]:
        psi = rng_km * KM / MEAN_EARTH_RADIUS_M
        _, g = kepler.min_energy(psi)
        ts = fly_burnout_state(LAT, LON, 0.0, v, g, 90 * DEG, options=VACUUM_SPHERE)
        assert ts.range_m[0] == pytest.approx(rng_km * KM, rel=3 * PERCENT)


def _inertial(ts, i, w):
    n = ts.n_samples[i]
    t = ts.t_s[i, :n]
    r, v = ts.position_ecef_m[i, :n], ts.velocity_ecef_m_s[i, :n]
    v_i = v + np.cross([0, 0, w], r)
    c, s = np.cos(w * t), np.sin(w * t)
    rot = lambda x: np.stack([c * x[:, 0] - s * x[:, 1], s * x[:, 0] + c * x[:, 1], x[:, 2]], axis=-1)  # noqa: E731
    return rot(r), rot(v_i)


def test_energy_and_angular_momentum_conserved_in_vacuum_on_rotating_earth():
    opts = FlightOptions(earth=WGS84, rotation=True, drag=False, j2=False, sample_s=5.0)
    ts = fly_burnout_state(LAT, LON, 0.0, [3000.0, 6500.0], [40 * DEG, 30 * DEG], [80 * DEG, 300 * DEG], options=opts)
    for i in range(2):
        r, v = _inertial(ts, i, WGS84.omega_rad_s)
        energy = 0.5 * np.sum(v * v, axis=1) - WGS84.gm_m3_s2 / np.linalg.norm(r, axis=1)
        h = np.cross(r, v)
        assert np.ptp(energy) / abs(energy[0]) < 1e-8
        assert np.max(np.linalg.norm(h - h[0], axis=1)) / np.linalg.norm(h[0]) < 1e-8


def test_drag_shortens_range():
    on = FlightOptions()
    off = FlightOptions(drag=False)
    for opts_pair in [(on, off)]:
        a = fly(SCUD_LIKE, LAT, LON, 90 * DEG, 25 * DEG, options=opts_pair[0])
        b = fly(SCUD_LIKE, LAT, LON, 90 * DEG, 25 * DEG, options=opts_pair[1])
        assert a.range_m[0] < b.range_m[0] - 20 * KM
    ra = fly_burnout_state(LAT, LON, 0.0, 3000.0, 40 * DEG, 0.0, ballistic_coefficient_kg_m2=2000.0, options=on)
    rb = fly_burnout_state(LAT, LON, 0.0, 3000.0, 40 * DEG, 0.0, options=on)
    assert ra.range_m[0] < rb.range_m[0]
    assert ra.impact_speed_m_s[0] < rb.impact_speed_m_s[0] - 500.0


def test_eastward_launch_goes_further_than_westward_with_rotation():
    rot = FlightOptions(drag=False)
    ts = fly_burnout_state(0.0, 0.0, 0.0, 4000.0, 40 * DEG, [90 * DEG, 270 * DEG], options=rot)
    assert ts.range_m[0] > ts.range_m[1] + 50 * KM
    still = FlightOptions(drag=False, rotation=False, j2=False, earth=SPHERICAL)
    ts = fly_burnout_state(0.0, 0.0, 0.0, 4000.0, 40 * DEG, [90 * DEG, 270 * DEG], options=still)
    assert ts.range_m[0] == pytest.approx(ts.range_m[1], abs=1 * METRE)


def test_vertical_burn_matches_rocket_equation():
    # vertical rise for the whole burn, vacuum, non-rotating: v = g0 Isp ln(m0/m1) - g t
    opts = FlightOptions(earth=SPHERICAL, rotation=False, drag=False, j2=False, vertical_rise_s=1e6)
    ts = fly(SCUD_LIKE, LAT, LON, 0.0, 45 * DEG, options=opts)
    st = SCUD_LIKE.stages[0]
    m0 = SCUD_LIKE.launch_mass_kg
    g = WGS84.gm_m3_s2 / MEAN_EARTH_RADIUS_M**2
    ideal = G0_M_S2 * st.isp_s * np.log(m0 / (m0 - st.propellant_mass_kg)) - g * st.burn_time_s
    assert ts.burnout_time_s[0] == pytest.approx(st.burn_time_s, abs=1e-6)
    assert ts.burnout_speed_m_s[0] == pytest.approx(ideal, rel=0.5 * PERCENT)
    assert ts.range_m[0] < 1 * KM


def test_events_are_refined_inside_the_step():
    ts = fly(SCUD_LIKE, LAT, LON, [0.0, 90 * DEG], [20 * DEG, 40 * DEG], impact_alt_m=[0.0, 500.0], options=FlightOptions(sample_s=1.0))
    for i in range(2):
        n = ts.n_samples[i]
        assert ts.alt_m[i, n - 1] == pytest.approx(ts.impact_alt_m[i], abs=0.5 * METRE)
        assert ts.t_s[i, n - 1] == pytest.approx(ts.impact_time_s[i])
        assert ts.apogee_alt_m[i] >= np.nanmax(ts.alt_m[i]) - 0.5 * METRE
        assert np.all(np.isnan(ts.t_s[i, n:]))


def test_batch_flight_equals_one_at_a_time():
    az = np.array([10.0, 100.0, 200.0]) * DEG
    loft = np.array([15.0, 30.0, 50.0]) * DEG
    batch = fly(SCUD_LIKE, LAT, LON, az, loft, options=FlightOptions(sample_s=None))
    for i in range(3):
        one = fly(SCUD_LIKE, LAT, LON, az[i], loft[i], options=FlightOptions(sample_s=None))
        assert batch.range_m[i] == pytest.approx(one.range_m[0], abs=1 * METRE)
        assert batch.apogee_alt_m[i] == pytest.approx(one.apogee_alt_m[0], abs=1 * METRE)


def test_two_stage_vehicle_stages_and_separates():
    two = Vehicle("two-stage", (Stage(14000.0, 12000.0, 270.0, 80.0), Stage(4000.0, 3400.0, 290.0, 70.0)), 700.0, 1.4)
    ts = fly(two, LAT, LON, 90 * DEG, [20 * DEG, 30 * DEG], burn_fraction=[1.0, 0.5])
    assert ts.burnout_time_s[0] == pytest.approx(150.0, abs=1e-6)
    assert ts.burnout_time_s[1] == pytest.approx(75.0, abs=1e-6)
    assert ts.range_m[0] > 2 * ts.range_m[1]


def test_nozzle_exit_pressure_correction_lowers_thrust_in_the_atmosphere():
    # T = mdot g0 Isp_vac - p(h) A_exit: at sea level 101 kPa x 0.1 m2 = 10 kN less thrust
    # (Sutton & Biblarz eq. 2-14); in vacuum (same vehicle flown with no atmosphere below it
    # is not possible) the loss is bounded by the sea-level value times the burn time
    opts = FlightOptions(drag=False, sample_s=None)
    st = SCUD_LIKE.stages[0]
    with_exit = Vehicle("x", (Stage(st.gross_mass_kg, st.propellant_mass_kg, st.isp_s, st.burn_time_s, 0.1),),
                        SCUD_LIKE.payload_kg, SCUD_LIKE.diameter_m, separates=False)
    a = fly(SCUD_LIKE, LAT, LON, 0.0, 30 * DEG, options=opts)
    b = fly(with_exit, LAT, LON, 0.0, 30 * DEG, options=opts)
    loss = a.burnout_speed_m_s[0] - b.burnout_speed_m_s[0]
    max_loss = 101325.0 * 0.1 * st.burn_time_s / (SCUD_LIKE.launch_mass_kg - st.propellant_mass_kg)
    assert 0 < loss < max_loss


def test_j2_switch_changes_long_range_flights_slightly():
    on = fly_burnout_state(LAT, LON, 0.0, 7000.0, 25 * DEG, 0.0, options=FlightOptions(drag=False))
    off = fly_burnout_state(LAT, LON, 0.0, 7000.0, 25 * DEG, 0.0, options=FlightOptions(drag=False, j2=False))
    diff = abs(on.range_m[0] - off.range_m[0])
    assert 0.5 * KM < diff < 1 * PERCENT * on.range_m[0]  # about 1.3 km over 8,900 km


def test_optimal_gamma_closed_form_maximises_the_kepler_range_angle():
    """The closed-form maximum-range flight-path angle (empty focus on the chord) against a
    dense search of ``range_angle`` for burnout above, at and below the impact radius."""
    r_e = 6_371_000.0
    rng = np.random.default_rng(7)
    n = 200
    r_b = r_e + rng.uniform(0.0, 400e3, n)
    r_i = r_e + rng.uniform(-2e3, 3e3, n)
    v_b = rng.uniform(1500.0, 7000.0, n)
    g = kepler.optimal_gamma(r_b, v_b, r_i)
    grid = np.linspace(1e-4, np.pi / 2 - 1e-4, 200_001)  # 8e-6 rad spacing
    for k in range(0, n, 20):
        psi = kepler.range_angle(r_b[k], v_b[k], grid, r_i[k])
        best = grid[np.nanargmax(psi)]
        assert g[k] == pytest.approx(best, abs=2e-5)  # rad
        # and the range it gives is the maximum to 1e-9 rad (6 mm on the ground)
        assert kepler.range_angle(r_b[k], v_b[k], g[k], r_i[k]) >= np.nanmax(psi) - 1e-9
    # equal radii: cos 2 gamma* = nu / (2 - nu) (Bate, Mueller & White eq. 6.2-16)
    nu = r_b * v_b**2 / 3.986004418e14
    np.testing.assert_allclose(kepler.optimal_gamma(r_b, v_b), 0.5 * np.arccos(nu / (2 - nu)), atol=1e-12)
    # out of reach: the impact radius is above anything this energy reaches
    assert np.isnan(kepler.optimal_gamma(r_e, 1000.0, r_e + 500e3))

"""Aim solver: lands on the target for every shape; min-energy matches the closed form."""

import numpy as np
import pytest

from thaad.ballistics import FlightOptions, Stage, Vehicle, aim, aim_burnout_state, fly, kepler
from thaad.errors import UnreachableError
from thaad.geo import SPHERICAL, MEAN_EARTH_RADIUS_M, geodesic_direct, geodesic_inverse

METRE = 1.0
KM = 1000.0
DEG = np.pi / 180
PERCENT = 1e-2
TOL = 100 * METRE  # aim tolerance (the solver's default)

VACUUM_SPHERE = FlightOptions(earth=SPHERICAL, rotation=False, drag=False, j2=False)
SCUD_LIKE = Vehicle("scud-like", (Stage(4915.0, 3700.0, 240.0, 62.0),), 985.0, 0.88, separates=False,
                    rv_ballistic_coefficient_kg_m2=3000.0)
LAT, LON = 39.0 * DEG, 125.7 * DEG  # near Pyongyang


def _target(distance_m, azimuth_deg=150.0, earth=None):
    kw = {} if earth is None else {"earth": earth}
    lat, lon, _ = geodesic_direct(LAT, LON, azimuth_deg * DEG, distance_m, **kw)
    return float(lat), float(lon)


@pytest.mark.parametrize("range_km", [300, 1000, 3000, 10000])
def test_min_energy_aim_matches_closed_form_speed_and_angle(range_km):
    tlat, tlon = _target(range_km * KM, earth=SPHERICAL)
    ts, sol = aim_burnout_state(8000.0, LAT, LON, tlat, tlon, options=VACUUM_SPHERE, tol_m=10 * METRE)
    v, gamma = kepler.min_energy(range_km * KM / MEAN_EARTH_RADIUS_M)
    assert sol.reachable[0]
    assert sol.energy_fraction[0] * 8000.0 == pytest.approx(v, rel=0.01 * PERCENT)
    assert sol.loft_rad[0] == pytest.approx(gamma, abs=0.01 * DEG)
    assert sol.miss_m[0] < 20 * METRE


def test_textbook_speed_range_pairs():
    # 1.7 km/s -> 300 km, 3.0 -> 1,000 km, 4.9 -> 3,000 km, 7.2 -> 10,000 km (min-energy)
    for v, rng in [(1.7, 300), (3.0, 1000), (4.9, 3000), (7.2, 10000)]:
        psi = rng * KM / MEAN_EARTH_RADIUS_M
        assert kepler.min_energy(psi)[0] == pytest.approx(v * KM, rel=2 * PERCENT)


SHAPE_CASES = [("min-energy", None), ("lofted", None), ("depressed", None), ("lofted", 120.0), ("depressed", 60.0)]


@pytest.fixture(scope="module")
def shaped():
    """All five shapes aimed at one target 250 km away (flown once for the module)."""
    tlat, tlon = _target(250 * KM)
    return tlat, tlon, {case: aim(SCUD_LIKE, LAT, LON, tlat, tlon, shape=case[0],
                                  apogee_m=None if case[1] is None else case[1] * KM) for case in SHAPE_CASES}


@pytest.mark.parametrize("case", SHAPE_CASES)
def test_aim_lands_on_target_for_every_shape(shaped, case):
    tlat, tlon, results = shaped
    ts, sol = results[case]
    assert sol.reachable[0], sol.reason
    assert sol.miss_m[0] < TOL
    d = geodesic_inverse(ts.impact_lat_rad[0], ts.impact_lon_rad[0], tlat, tlon)[0]
    assert d < TOL
    if case[1] is not None:
        assert ts.apogee_alt_m[0] == pytest.approx(case[1] * KM, abs=0.2 * KM)


def test_lofted_above_min_energy_above_depressed(shaped):
    results = shaped[2]
    apo = {s: results[(s, None)][0].apogee_alt_m[0] for s in ("lofted", "min-energy", "depressed")}
    assert apo["lofted"] > apo["min-energy"] > apo["depressed"]
    # and the min-energy trajectory needs the least energy of the three
    energy = {s: results[(s, None)][1].energy_fraction[0] for s in ("lofted", "min-energy", "depressed")}
    assert energy["min-energy"] < energy["lofted"] == energy["depressed"] == 1.0


def test_min_energy_at_full_energy_is_the_maximum_range():
    tlat, tlon = _target(2000 * KM)  # far beyond reach: the solver ends at full energy, best loft
    _, sol = aim(SCUD_LIKE, np.array([LAT]), np.array([LON]), np.array([tlat]), np.array([tlon]))
    assert not sol.reachable[0] and sol.reason[0] == "beyond maximum range"
    assert sol.energy_fraction[0] == 1.0
    p = sol.loft_rad[0] + np.array([0.0, -6.0, 6.0]) * DEG
    ts = fly(SCUD_LIKE, LAT, LON, sol.azimuth_rad[0], p, options=FlightOptions(sample_s=None))
    # the Kepler-optimal burnout angle is within 0.5 % of the true maximum over the loft
    assert ts.range_m[0] >= ts.range_m[1:].max() * (1 - 0.5 * PERCENT)


def test_out_of_reach_raises_for_one_target_and_masks_for_batches():
    tlat, tlon = _target(900 * KM)
    with pytest.raises(UnreachableError) as err:
        aim(SCUD_LIKE, LAT, LON, tlat, tlon)
    assert err.value.field == "target"
    near = _target(200 * KM)
    lats = np.array([near[0], tlat])
    lons = np.array([near[1], tlon])
    ts, sol = aim(SCUD_LIKE, LAT, LON, lats, lons)
    assert sol.reachable.tolist() == [True, False]
    assert sol.miss_m[0] < TOL


def test_batch_aim_with_rotation_lands_all_pairs():
    az = np.linspace(0, 330, 12)
    lat, lon, _ = geodesic_direct(LAT, LON, az * DEG, np.linspace(120, 300, 12) * KM)
    ts, sol = aim(SCUD_LIKE, LAT, LON, lat, lon)
    assert sol.reachable.all()
    assert sol.miss_m.max() < TOL
    # Earth rotation: the launch azimuth differs from the geodesic azimuth (Coriolis drift)
    geo_az = geodesic_inverse(LAT, LON, lat, lon)[1]
    dev = np.abs((sol.azimuth_rad - geo_az + np.pi) % (2 * np.pi) - np.pi)
    assert dev.max() > 0.05 * DEG


def test_gravity_turn_pitch_programme_aims_too():
    opts = FlightOptions(pitch="gravity-turn")
    tlat, tlon = _target(200 * KM)
    ts, sol = aim(SCUD_LIKE, LAT, LON, tlat, tlon, options=opts)
    assert sol.miss_m[0] < TOL
    ts_l, sol_l = aim(SCUD_LIKE, LAT, LON, tlat, tlon, shape="lofted", options=opts)
    assert sol_l.miss_m[0] < TOL
    assert ts_l.apogee_alt_m[0] > ts.apogee_alt_m[0]
    assert sol_l.loft_rad[0] < sol.loft_rad[0]  # a smaller kick lofts the gravity turn


def test_aim_solution_does_not_depend_on_the_batch():
    """A pair's solution is the same alone and inside a batch of other directions
    (the starting table and the drag offset belong to the pair's launch geometry)."""
    lat0, lon0 = np.radians(39.2), np.radians(125.7)
    az = np.radians([150.0, 80.0, 200.0, 120.0])
    dist = np.array([280.0, 150.0, 220.0, 250.0]) * KM
    tlat, tlon, _ = geodesic_direct(lat0, lon0, az, dist)
    _, batch = aim(SCUD_LIKE, lat0, lon0, tlat, tlon)
    _, alone = aim(SCUD_LIKE, lat0, lon0, tlat[:1], tlon[:1])
    _, swapped = aim(SCUD_LIKE, lat0, lon0, tlat[::-1], tlon[::-1])
    assert batch.reachable.all()
    assert batch.loft_rad[0] == pytest.approx(alone.loft_rad[0], abs=0.05 * DEG)
    assert batch.loft_rad == pytest.approx(swapped.loft_rad[::-1], abs=0.05 * DEG)
    assert batch.energy_fraction == pytest.approx(swapped.energy_fraction[::-1], abs=1e-3)


def test_predicted_warm_start_lands_with_fewer_flights(monkeypatch):
    """A Monte Carlo draw (launch moved 15 km, another vehicle) started from the nominal
    solution one predicted step ahead (its Jacobian, the launch shift and the response to
    the vehicle from aim_residuals) lands on every target within the tolerance, close to
    where a cold solve lands, flying fewer trajectories."""
    from dataclasses import replace

    import thaad.ballistics.aim_flyer as aim_flyer
    from thaad.ballistics import Fleet, aim_residuals

    flown = []
    real_fly = aim_flyer.fly
    monkeypatch.setattr(aim_flyer, "fly", lambda v, lat, *a, **k: flown.append(np.size(lat)) or real_fly(v, lat, *a, **k))

    tl = np.array([_target(d * KM, az) for d, az in ((200, 150), (240, 120), (260, 170), (220, 140))])
    sol0 = aim(SCUD_LIKE, LAT, LON, tl[:, 0], tl[:, 1])[1]
    assert sol0.reachable.all() and sol0.min_energy_jacobian is not None
    own = aim_residuals(SCUD_LIKE, sol0, LAT, LON, tl[:, 0], tl[:, 1])
    assert np.all(np.hypot(own[:, 0], own[:, 1]) <= TOL) and np.all(np.abs(own[:, 2]) <= 1.0)  # it solved these
    other = replace(SCUD_LIKE, payload_kg=900.0, stages=(replace(SCUD_LIKE.stages[0], isp_s=247.0),))
    lat1, lon1, _ = geodesic_direct(LAT, LON, 40 * DEG, 15 * KM)
    n = len(tl)
    aim(Fleet.of(other, n), np.full(n, lat1), np.full(n, lon1), tl[:, 0], tl[:, 1])  # its starting tables, cached
    flown.clear()
    cold_ts, cold = aim(Fleet.of(other, n), np.full(n, lat1), np.full(n, lon1), tl[:, 0], tl[:, 1])
    n_cold = sum(flown)
    resp = aim_residuals(other, sol0, LAT, LON, tl[:, 0], tl[:, 1])
    assert np.all(np.hypot(resp[:, 0], resp[:, 1]) > 5 * KM)  # the other vehicle flies well beyond
    start = replace(sol0.start(), residual=resp)
    flown.clear()
    warm_ts, warm = aim(Fleet.of(other, n), np.full(n, lat1), np.full(n, lon1), tl[:, 0], tl[:, 1], start=start)
    n_warm = sum(flown)
    assert warm.reachable.all() and np.all(warm.miss_m <= TOL)
    assert n_warm <= 0.6 * n_cold, (n_warm, n_cold)  # 16 vs 28 when written  # tables cached: both count solver and final flights only
    gap = geodesic_inverse(warm_ts.impact_lat_rad, warm_ts.impact_lon_rad, cold_ts.impact_lat_rad,
                           cold_ts.impact_lon_rad)[0]
    assert np.all(gap <= 2 * TOL)


def test_final_trajectories_kept_from_the_solver_equal_a_fresh_flight():
    """Pairs that converge on a sampled solver flight keep it as their final trajectory:
    sample for sample the same as flying the solution's controls again."""
    tl = np.array([_target(d * KM, az) for d, az in ((150, 100), (200, 150), (240, 170), (180, 130), (230, 90))])
    opts = FlightOptions(sample_s=2.0)
    ts, sol = aim(SCUD_LIKE, LAT, LON, tl[:, 0], tl[:, 1], options=opts)
    assert sol.reachable.all()
    again = fly(SCUD_LIKE, LAT, LON, sol.azimuth_rad, sol.loft_rad, burn_fraction=sol.energy_fraction, options=opts)
    np.testing.assert_array_equal(ts.n_samples, again.n_samples)
    np.testing.assert_allclose(ts.position_ecef_m, again.position_ecef_m, atol=1e-6, rtol=0)  # m
    np.testing.assert_allclose(ts.t_s, again.t_s, atol=1e-9, rtol=0)
    np.testing.assert_allclose(ts.impact_time_s, again.impact_time_s, atol=1e-9, rtol=0)

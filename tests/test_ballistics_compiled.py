"""The compiled flight kernel (numba) against the NumPy reference path: same algorithm,
so the same trajectories to round-off.  Stated tolerance: 0.5 m in position and range,
1 ms in event times, 1 mm/s in speeds (observed: about 1e-4 m and 1e-6 s)."""

import numpy as np
import pytest

from thaad.ballistics import FlightOptions, Fleet, Pitch, Stage, Vehicle, fly, fly_burnout_state
from thaad.errors import InputError

pytest.importorskip("numba")  # an optional accelerator: without it the NumPy path is the only one

LAT, LON = np.radians(39.0), np.radians(125.7)
TWO_STAGE = Vehicle("two-stage test", (Stage(20000.0, 16000.0, 250.0, 70.0, 0.3), Stage(6000.0, 4800.0, 290.0, 60.0, 0.2)),
                    payload_kg=750.0, diameter_m=1.3, rv_ballistic_coefficient_kg_m2=4000.0)
ONE_STAGE = Vehicle("one-stage test", (Stage(14000.0, 11500.0, 240.0, 100.0, 0.25),), payload_kg=1000.0, diameter_m=1.0,
                    separates=False, rv_ballistic_coefficient_kg_m2=2500.0)
OTHER_TWO = Vehicle("other two-stage", (Stage(15000.0, 12500.0, 245.0, 80.0, 0.0), Stage(5000.0, 4000.0, 300.0, 50.0, 0.1)),
                    payload_kg=600.0, diameter_m=1.1, rv_ballistic_coefficient_kg_m2=6000.0)
TIMES = ("burnout_time_s", "apogee_time_s", "impact_time_s")
LENGTHS = ("range_m", "apogee_alt_m", "burnout_alt_m")
SPEEDS = ("burnout_speed_m_s", "impact_speed_m_s")


def _agree(a, b, sampled=False):
    for k in TIMES:
        np.testing.assert_allclose(getattr(b, k), getattr(a, k), atol=1e-3, rtol=0, err_msg=k)
    for k in LENGTHS:
        np.testing.assert_allclose(getattr(b, k), getattr(a, k), atol=0.5, rtol=0, err_msg=k)
    for k in SPEEDS:
        np.testing.assert_allclose(getattr(b, k), getattr(a, k), atol=1e-3, rtol=0, err_msg=k)
    np.testing.assert_allclose(b.burnout_fpa_rad, a.burnout_fpa_rad, atol=1e-9, rtol=0)
    for k in ("impact_lat_rad", "impact_lon_rad"):
        np.testing.assert_allclose(getattr(b, k), getattr(a, k), atol=1e-7, rtol=0, err_msg=k)  # 0.6 m
    if not sampled:  # summaries: launch, burnout, apogee, impact in time order (undefined last), both engines
        np.testing.assert_array_equal(b.n_samples, a.n_samples)
        np.testing.assert_allclose(b.t_s, a.t_s, atol=1e-3, rtol=0)
        np.testing.assert_allclose(b.position_ecef_m, a.position_ecef_m, atol=0.5, rtol=0)
        np.testing.assert_allclose(b.velocity_ecef_m_s, a.velocity_ecef_m_s, atol=1e-3, rtol=0)
        for got, ref in ((b.lat_rad, a.lat_rad), (b.lon_rad, a.lon_rad)):
            np.testing.assert_allclose(got, ref, atol=1e-7, rtol=0)
        np.testing.assert_allclose(b.alt_m, a.alt_m, atol=0.5, rtol=0)
    if sampled:
        np.testing.assert_array_equal(b.n_samples, a.n_samples)
        np.testing.assert_allclose(b.t_s, a.t_s, atol=1e-3, rtol=0)
        np.testing.assert_allclose(b.position_ecef_m, a.position_ecef_m, atol=0.5, rtol=0)
        np.testing.assert_allclose(b.velocity_ecef_m_s, a.velocity_ecef_m_s, atol=1e-3, rtol=0)
        # the kernel converts its samples to geodetic itself (Bowring's two steps, without trigonometry)
        np.testing.assert_allclose(b.lat_rad, a.lat_rad, atol=1e-7, rtol=0)  # 0.6 m
        np.testing.assert_allclose(b.lon_rad, a.lon_rad, atol=1e-7, rtol=0)
        np.testing.assert_allclose(b.alt_m, a.alt_m, atol=0.5, rtol=0)
        from thaad.geo import ecef_to_geodetic

        for got, ref in zip((b.lat_rad, b.lon_rad, b.alt_m), ecef_to_geodetic(b.position_ecef_m, b.earth)):
            np.testing.assert_allclose(got, ref, atol=1e-12 if got is not b.alt_m else 1e-6, rtol=0)  # rad, m


def _both(fn, **kw):
    opts = kw.pop("options", FlightOptions())
    a = fn(**kw, options=FlightOptions(**{**opts.__dict__, "compiled": False}))
    b = fn(**kw, options=FlightOptions(**{**opts.__dict__, "compiled": True}))
    return a, b


@pytest.mark.parametrize("pitch", [Pitch.LINEAR, Pitch.GRAVITY_TURN])
@pytest.mark.parametrize("sample_s", [None, 2.0])
def test_powered_flights_agree(pitch, sample_s):
    rng = np.random.default_rng(3)
    n = 24
    az = rng.uniform(0, 2 * np.pi, n)
    loft = np.radians(rng.uniform(5, 60, n) if pitch is Pitch.GRAVITY_TURN else rng.uniform(10, 70, n))
    frac = rng.uniform(0.3, 1.0, n)  # thrust cut-off inside either stage
    fleet = Fleet((TWO_STAGE, TWO_STAGE), rng.integers(0, 2, n))
    a, b = _both(lambda **k: fly(fleet, LAT, LON, az, loft, burn_fraction=frac, impact_alt_m=300.0, **k),
                 options=FlightOptions(pitch=pitch, sample_s=sample_s))
    assert np.isfinite(a.impact_time_s).all()
    _agree(a, b, sampled=sample_s is not None)


def test_burnout_state_flights_agree_with_and_without_drag():
    rng = np.random.default_rng(4)
    n = 30
    spd, el, az = rng.uniform(2000, 6000, n), np.radians(rng.uniform(15, 70, n)), rng.uniform(0, 2 * np.pi, n)
    beta = np.where(np.arange(n) % 3 == 0, np.inf, 5000.0)
    for drag in (True, False):
        a, b = _both(lambda **k: fly_burnout_state(LAT, LON, 0.0, spd, el, az, ballistic_coefficient_kg_m2=beta, **k),
                     options=FlightOptions(drag=drag, sample_s=2.0))
        _agree(a, b, sampled=True)


def test_compiled_start_states_are_the_numpy_ones():
    """fly_burnout_state's compiled start states (position, velocity, launch-plane normal)
    against the NumPy formulas, at launch points that repeat (reused trigonometry) and change."""
    from thaad.ballistics._kernel_setup import burnout_starts
    from thaad.ballistics.flight import _plane_normal
    from thaad.geo import WGS84, enu_basis, geodetic_to_ecef

    rng = np.random.default_rng(7)
    n = 40
    lat, lon = np.repeat(rng.uniform(-1.5, 1.5, n // 4), 4), np.repeat(rng.uniform(-7.0, 7.0, n // 4), 4)
    alt, spd = rng.uniform(-100.0, 1e5, n), rng.uniform(0.0, 7000.0, n)
    el, az = rng.uniform(-0.5, 1.5, n), rng.uniform(-7.0, 7.0, n)
    r0, v0, pn = burnout_starts(lat, lon, alt, spd, el, az, WGS84)
    enu = np.stack([spd * np.cos(el) * np.sin(az), spd * np.cos(el) * np.cos(az), spd * np.sin(el)], axis=-1)
    ref_r0 = geodetic_to_ecef(lat, lon, alt, WGS84)
    np.testing.assert_allclose(r0, ref_r0, atol=1e-8, rtol=0)  # m
    np.testing.assert_allclose(v0, np.einsum("nji,nj->ni", enu_basis(lat, lon), enu), atol=1e-10, rtol=0)  # m/s
    np.testing.assert_allclose(pn, _plane_normal(lat, lon, az, ref_r0), atol=1e-14, rtol=0)


def test_summaries_order_the_points_in_time_with_missing_events_last():
    """Summary-only output (no sampling): a flight starting downward from 120 km has no
    apogee; its points are launch, burnout (the same instant), impact, then an undefined
    one, in both engines."""
    el = np.radians([-20.0, 30.0, -45.0])
    a, b = _both(lambda **k: fly_burnout_state(LAT, LON, 120e3, 3000.0, el, 1.0, ballistic_coefficient_kg_m2=5000.0, **k),
                 options=FlightOptions(sample_s=None))
    _agree(a, b)
    np.testing.assert_array_equal(b.n_samples, [3, 4, 3])
    assert np.isnan(b.apogee_time_s[[0, 2]]).all() and np.isnan(b.t_s[[0, 2], 3]).all()
    np.testing.assert_allclose(b.alt_m[:, 0], 120e3, atol=1e-6)
    np.testing.assert_allclose(b.t_s[[0, 2], 2], b.impact_time_s[[0, 2]], atol=0)


def test_a_fleet_flies_each_trajectory_with_its_own_vehicle():
    """A mixed batch gives, per trajectory, what that vehicle gives alone (both engines)."""
    idx = np.array([0, 1, 1, 0])
    az, loft = np.radians([10.0, 80.0, 200.0, 300.0]), np.radians([40.0, 35.0, 30.0, 45.0])
    fleet = Fleet((TWO_STAGE, OTHER_TWO), idx)
    for compiled in (False, True):
        opts = FlightOptions(sample_s=None, compiled=compiled)
        mixed = fly(fleet, LAT, LON, az, loft, options=opts)
        for k, veh in enumerate((TWO_STAGE, OTHER_TWO)):
            sel = idx == k
            alone = fly(veh, LAT, LON, az[sel], loft[sel], options=opts)
            np.testing.assert_allclose(mixed.range_m[sel], alone.range_m, atol=1e-6, rtol=0)
            np.testing.assert_allclose(mixed.impact_time_s[sel], alone.impact_time_s, atol=1e-9, rtol=0)
    with pytest.raises(ValueError, match="same number of stages"):
        Fleet((TWO_STAGE, ONE_STAGE), idx)


def test_pitch_programme_is_checked_at_the_edge():
    """A typo no longer flies the linear programme silently (issue 8)."""
    with pytest.raises(InputError, match="pitch"):
        FlightOptions(pitch="gravity_turn")
    assert FlightOptions(pitch="gravity-turn").pitch is Pitch.GRAVITY_TURN
    lin = fly(ONE_STAGE, LAT, LON, 0.5, np.radians(20.0), options=FlightOptions(sample_s=None))
    gt = fly(ONE_STAGE, LAT, LON, 0.5, np.radians(20.0), options=FlightOptions(sample_s=None, pitch="gravity-turn"))
    assert abs(lin.range_m[0] - gt.range_m[0]) > 10e3  # the two programmes really differ


def test_monte_carlo_fleet_with_table_anchors_aims_like_own_tables():
    """Draws of a band sharing the starting tables of anchor vehicles (every 0.25 of the
    band, drag offset interpolated) land on target; an anchor draw is solved exactly as
    with its own table; others stay within 0.6 deg of loft of their own-table solution."""
    from thaad.ballistics import aim

    def at(u):  # a band: stage masses and Isp grow with u
        s = lambda st: Stage(st.gross_mass_kg * (0.9 + 0.2 * u), st.propellant_mass_kg * (0.9 + 0.2 * u),  # noqa: E731
                             st.isp_s * (0.97 + 0.06 * u), st.burn_time_s, st.exit_area_m2)
        return Vehicle(f"band {u:.3f}", tuple(s(st) for st in TWO_STAGE.stages), TWO_STAGE.payload_kg,
                       TWO_STAGE.diameter_m, rv_ballistic_coefficient_kg_m2=TWO_STAGE.rv_ballistic_coefficient_kg_m2)

    u = np.array([0.5, 0.5, 0.3, 0.8])
    tlat = LAT + np.radians([-2.0, -3.0, -2.5, -3.5])
    tlon = LON + np.radians([1.0, 2.0, 0.5, 1.5])
    opts = FlightOptions(sample_s=None)
    _, own = aim(Fleet.from_quantiles(at, u), LAT, LON, tlat, tlon, options=opts)
    _, anc = aim(Fleet.from_quantiles(at, u, table_step=0.25), LAT, LON, tlat, tlon, options=opts)
    assert own.reachable.all() and anc.reachable.all()
    np.testing.assert_allclose(anc.loft_rad[:2], own.loft_rad[:2], atol=1e-12)
    assert np.max(np.abs(np.degrees(anc.loft_rad - own.loft_rad))) < 0.6


def test_warm_start_reaches_the_same_targets_in_fewer_iterations():
    """Seeded with the solution of a launch point 10 km away (as Monte Carlo draws are seeded
    with the nominal solution), the aim solver lands within tolerance of the same targets
    as a cold start, with fewer iterations (lofted shape with a given apogee)."""
    from thaad.ballistics import aim

    tlat = LAT + np.radians([-3.0, -3.5, -4.0])
    tlon = LON + np.radians([1.0, 2.0, 1.5])
    opts = FlightOptions(sample_s=None)
    kw = dict(shape="lofted", apogee_m=np.full(3, 300e3), options=opts)
    _, near = aim(TWO_STAGE, LAT, LON, tlat, tlon, **kw)
    lat1 = LAT + 10e3 / 6.37e6
    cold_ts, cold = aim(TWO_STAGE, lat1, LON, tlat, tlon, **kw)
    warm_ts, warm = aim(TWO_STAGE, lat1, LON, tlat, tlon, start=near.start(), **kw)
    assert near.reachable.all() and cold.reachable.all() and warm.reachable.all()
    assert np.all(warm.miss_m <= 200.0)
    np.testing.assert_allclose(warm_ts.apogee_alt_m, cold_ts.apogee_alt_m, atol=300.0)  # both within the 100 m x 3 tolerance
    assert warm.iterations < cold.iterations


def _impact_times(n):
    rng = np.random.default_rng(5)
    ts = fly_burnout_state(LAT, LON, 0.0, rng.uniform(2000, 5000, n), np.radians(rng.uniform(20, 60, n)),
                           rng.uniform(0, 2 * np.pi, n), ballistic_coefficient_kg_m2=5000.0,
                           options=FlightOptions(sample_s=None, compiled=True))
    return ts.impact_time_s


def test_the_thread_pool_survives_fork():
    """A forked child (multiprocessing's default on Linux before 3.14) flies on its own
    thread pool: the parent's threads do not exist there, and reusing its pool would hang."""
    import multiprocessing

    parent = _impact_times(200)  # the pool exists in this process now
    with multiprocessing.get_context("fork").Pool(1) as pool:
        child = pool.apply_async(_impact_times, (200,)).get(timeout=120)
    np.testing.assert_array_equal(child, parent)


def test_threads_sharing_the_queue_fly_each_trajectory_as_one_thread_does(monkeypatch):
    """The compiled kernel's threads take trajectories from one shared queue, in whatever
    order they free up; every trajectory's numbers are still those of one thread flying
    them all (lanes do not interact)."""
    rng = np.random.default_rng(11)
    n = 300
    spd, el, az = rng.uniform(2000, 6000, n), np.radians(rng.uniform(15, 70, n)), rng.uniform(0, 2 * np.pi, n)
    opts = FlightOptions(sample_s=5.0, compiled=True)

    def flown():
        ts = fly_burnout_state(LAT, LON, 0.0, spd, el, az, ballistic_coefficient_kg_m2=5000.0, options=opts)
        return ts.impact_time_s, ts.range_m, ts.apogee_alt_m, ts.position_ecef_m

    monkeypatch.setenv("NUMBA_NUM_THREADS", "1")
    one = flown()
    monkeypatch.setenv("NUMBA_NUM_THREADS", "2")  # (not more: the process keeps its pool, which other tests count)
    for got, ref in zip(flown(), one):
        np.testing.assert_array_equal(got, ref)

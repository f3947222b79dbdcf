"""Engagement timelines against synthetic Kepler threats with known geometry."""

import math

import numpy as np
import pytest
from synthetic import kepler_arcs, simple_detection

from thaad import catalog
from thaad.engagement import Battery, engage, ground_range_from_m, salvo
from thaad.errors import InputError
from thaad.geo import SPHERICAL, WGS84, geodesic_inverse
from thaad.interceptor import Interceptor

SEONGJU = (36.0513, 128.2229)
KM = 1000.0
SECOND = 1.0


def battery(**kw) -> Battery:
    lat, lon = (math.radians(a) for a in SEONGJU)
    return Battery("test", lat, lon, 680.0, ((lat, lon, 680.0),), **kw)


NK_LAUNCH = [(39.17, 127.48), (38.57, 126.30), (40.03, 128.17), (39.22, 125.67)]  # Wonsan, Sakkanmol, Sinpo, Sunan
SK_TARGETS = [SEONGJU, (35.18, 129.08), (35.87, 128.60), (36.35, 127.38), (37.57, 126.98), (35.16, 126.85)]


@pytest.fixture(scope="module")
def raid():
    la, lo, ta, to = zip(*[(a[0], a[1], b[0], b[1]) for a in NK_LAUNCH for b in SK_TARGETS])
    ts = kepler_arcs(la, lo, ta, to)
    return ts, simple_detection(ts, *SEONGJU)


def test_ground_range_matches_geodesic_within_half_percent():
    lat0, lon0 = (math.radians(a) for a in SEONGJU)
    lat = np.radians([39.17, 35.18, 37.57, 33.5])
    lon = np.radians([127.48, 129.08, 126.98, 126.5])
    got = ground_range_from_m(lat0, lon0, lat, lon)
    ref = geodesic_inverse(lat0, lon0, lat, lon, WGS84)[0]
    assert np.all(np.abs(got - ref) < 0.005 * ref)
    sph = ground_range_from_m(lat0, lon0, lat, lon, SPHERICAL)
    assert np.allclose(sph, geodesic_inverse(lat0, lon0, lat, lon, SPHERICAL)[0], rtol=1e-9)


def test_threat_aimed_at_battery_from_a_few_hundred_km_is_engageable():
    ts = kepler_arcs(39.17, 127.48, *SEONGJU)  # Wonsan -> Seongju, ~350 km, apogee ~90 km
    assert 300 * KM < ts.range_m[0] < 400 * KM
    b = battery()
    r = engage(ts, simple_detection(ts, *SEONGJU), b)
    assert r.shot_opportunities[0] >= 1
    ic = b.interceptor
    k = r.shot_opportunities[0]
    alts = r.shot_intercept_alt_m[0, :k]
    assert np.all((alts >= ic.min_intercept_alt_m - 1 * KM) & (alts <= ic.max_intercept_alt_m + 1 * KM))
    assert np.all(r.shot_intercept_range_m[0, :k] <= ic.max_intercept_range_m + 1 * KM)
    assert r.first_intercept_time_s[0] <= r.last_intercept_time_s[0] < ts.impact_time_s[0]
    assert r.last_intercept_alt_m[0] < r.first_intercept_alt_m[0]  # window closes on the way down
    events = [e["event"] for e in r.timeline(0, ts)]
    assert events[0] == "threat launch" and events[-1] == "threat impact"
    assert any("shot 1: intercept" in e for e in events)


def test_threat_that_stays_below_the_engagement_band_is_not_engageable():
    ts = kepler_arcs(36.95, 128.2229, *SEONGJU)  # 100 km, minimum energy: apogee ~25 km < 40 km
    assert ts.apogee_alt_m[0] < 40 * KM
    r = engage(ts, np.array([0.0]), battery())  # even with instant detection
    assert r.shot_opportunities[0] == 0
    assert r.in_band_time_s[0] == 0.0
    assert np.isnan(r.first_intercept_time_s[0])


def test_threat_that_stays_out_of_range_is_not_engageable():
    ts = kepler_arcs(39.90, 116.41, 31.23, 121.47)  # Beijing -> Shanghai, never near Seongju
    r = engage(ts, np.array([0.0]), battery())
    assert r.closest_range_m[0] > 500 * KM
    assert r.shot_opportunities[0] == 0


def test_missile_from_deep_inside_china_to_continental_us_is_not_engageable():
    launch = catalog.places_tagged("cn-launch")
    targets = [p for p in catalog.places_tagged("us-target") if p.key in ("seattle", "los-angeles", "washington")]
    inland = [p for p in launch if p.lon_deg < 110.0]  # deep inside China (Yumen, Hami, Ordos)
    assert len(inland) >= 2 and targets
    la, lo, ta, to = zip(*[(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg) for a in inland for b in targets])
    ts = kepler_arcs(la, lo, ta, to, dt_s=5.0)
    assert np.all(ts.range_m > 9000 * KM)
    r = engage(ts, np.zeros(ts.n), battery(firm_track_s=0, decision_s=0, launch_s=0))  # ideal sensor
    assert np.all(r.shot_opportunities == 0)
    assert np.all(r.closest_range_m > 1000 * KM)


@pytest.mark.parametrize("shots_per_opportunity", [1, 2])
def test_shot_opportunities_never_increase_when_reaction_time_grows(raid, shots_per_opportunity):
    ts, det = raid
    previous = None
    for reaction in (0.0, 5.0, 15.0, 30.0, 60.0, 90.0, 150.0, 240.0, 400.0):
        b = battery(firm_track_s=reaction / 2, decision_s=reaction / 4, launch_s=reaction / 4,
                    shots_per_opportunity=shots_per_opportunity)
        shots = engage(ts, det, b).shot_opportunities
        if previous is not None:
            assert np.all(shots <= previous), reaction
        previous = shots
    assert np.all(previous == 0)  # 400 s after detection these arcs have landed


def test_raid_from_north_korea_is_mostly_engageable_with_shoot_look_shoot(raid):
    ts, det = raid
    b = battery()
    r = engage(ts, det, b)
    assert r.engageable.mean() > 0.5
    for i in range(ts.n):
        k = r.shot_opportunities[i]
        for j in range(1, k):  # the next launch waits for the kill assessment of the previous shot
            assert r.shot_launch_time_s[i, j] >= r.shot_intercept_time_s[i, j - 1] + b.relook_s - 1e-9
            assert r.shot_intercept_time_s[i, j] > r.shot_intercept_time_s[i, j - 1]
        if k:
            assert r.shot_launch_time_s[i, 0] >= r.first_launch_time_s[i] - 1e-9


def test_vectorised_engagement_equals_one_threat_at_a_time(raid):
    ts, det = raid
    b = battery()
    together = engage(ts, det, b, chunk=5)
    for i in (0, 3, 7, 12, 20):
        one = kepler_arcs(*[[v] for v in (
            NK_LAUNCH[i // len(SK_TARGETS)][0], NK_LAUNCH[i // len(SK_TARGETS)][1],
            SK_TARGETS[i % len(SK_TARGETS)][0], SK_TARGETS[i % len(SK_TARGETS)][1])])
        r1 = engage(one, det[i:i + 1], b)
        assert r1.shot_opportunities[0] == together.shot_opportunities[i]
        assert np.allclose(r1.shot_intercept_time_s[0], together.shot_intercept_time_s[i], equal_nan=True)


def test_undetected_or_unseen_threats_are_not_engaged(raid):
    ts, det = raid
    b = battery()
    r = engage(ts, np.full(ts.n, np.nan), b)
    assert np.all(r.shot_opportunities == 0)
    r = engage(ts, det, b, visible=np.zeros(ts.t_s.shape, dtype=bool))
    assert np.all(r.shot_opportunities == 0)


def test_probability_of_kill_is_one_minus_miss_to_the_number_of_shots(raid):
    ts, det = raid
    r = engage(ts, det, battery(shots_per_opportunity=2))
    n = r.shot_opportunities
    assert np.allclose(r.p_kill(0.8), 1 - 0.2 ** (2 * n))
    assert np.allclose(r.p_kill(0.8, shots_per_opportunity=1), 1 - 0.2**n)
    # shoot-look-shoot: expected use is below the maximum and at least one salvo if engaged
    e = r.expected_interceptors(0.8)
    assert np.all(e <= 2 * n + 1e-12) and np.all(e[n > 0] >= 2)


def test_salvo_is_limited_by_inventory(raid):
    ts, det = raid
    r = engage(ts, det, battery())
    demand = int(r.shot_opportunities.sum())
    assert demand > 10
    big = salvo(r, 0.9, inventory=demand + 5)
    assert big.interceptors_used_max == demand and big.remaining_max == 5
    assert np.array_equal(big.shots_fired, r.shot_opportunities)
    small = salvo(r, 0.9, inventory=10)
    assert small.interceptors_used_max == 10 and small.remaining_max == 0
    assert small.expected_leakers > big.expected_leakers
    assert small.interceptors_used_expected <= small.interceptors_used_max
    with pytest.raises(InputError):
        salvo(r, 1.5)


def test_bad_battery_parameters_name_the_field():
    with pytest.raises(InputError) as err:
        battery(decision_s=-1.0)
    assert err.value.field == "battery.decision_s"
    with pytest.raises(InputError):
        battery(interceptor=Interceptor(), n_launchers=0)


def test_catalogue_seongju_battery_matches_public_figures():
    nominal = catalog.battery("seongju")
    assert nominal.n_launchers == 6 and nominal.inventory == 48  # MND, Jul 2016
    assert catalog.battery("seongju", "high").inventory == 72  # USCC 2016: 48-72
    ic = nominal.interceptor
    assert ic.max_intercept_alt_m == 150e3 and ic.max_intercept_range_m == 200e3  # USCC 2016
    assert abs(ic.burnout_speed_m_s - 2800.0) < 1e-9
    for entries in (catalog.battery_entries(), catalog.interceptor_entries()):
        for entry in entries.values():
            assert entry["quantities"]
            for q in entry["quantities"].values():
                assert len(q.source) > 10
    with pytest.raises(InputError) as err:
        catalog.battery("atlantis")
    assert err.value.field == "battery"


def run_cli(*args):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "thaad", *args], capture_output=True, text=True, timeout=300)


def test_cli_batteries_lists_seongju_with_sources():
    import json

    r = run_cli("batteries", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    seongju = next(b for b in data["batteries"] if b["key"] == "seongju")
    assert seongju["default"] and seongju["inventory"] == 48 and seongju["inventory_band"] == [48, 72]
    assert all(q["source"] for q in seongju["quantities"].values())
    assert data["interceptors"][0]["quantities"]["max_intercept_range_km"]["nominal"] == 200


@pytest.mark.parametrize("args, field", [
    (["engage", "--missile", "scud-b", "--from", "wonsan", "--to", "seongju", "--pk", "1.5"], "pk"),
    (["engage", "--battery", "atlantis", "--missile", "scud-b", "--from", "wonsan", "--to", "seongju"], "battery"),
    (["engage", "--missile", "no-such", "--from", "wonsan", "--to", "seongju"], "missile"),
    (["engage", "--missile", "scud-b", "--from", "95,10", "--to", "seongju"], "from latitude"),
    (["footprint", "--missile", "scud-b", "--from", "wonsan", "--grid-km", "0"], "grid-km"),
    (["footprint", "--missile", "scud-b", "--from", "wonsan", "--out", "map.txt"], "out"),
])
def test_cli_bad_input_exits_2_with_one_clear_line(args, field):
    r = run_cli(*args)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert field in r.stderr and len(r.stderr.strip().splitlines()) == 1


# --- Real flights (ballistics model + AN/TPY-2 model from the catalogues) -------------------
def _radar_detect():
    from thaad import assemble as A

    return A.detect_function(A.battery_radar("seongju"), A.rcs_m2())


def test_real_flights_from_north_korea_at_the_battery_are_engageable():
    from thaad.ballistics import aim

    b = catalog.battery("seongju")
    seongju = catalog.find_place("seongju")
    cases = [("scud-c", "wonsan"), ("hwasong-7", "sunan")]
    for missile, area in cases:
        p = catalog.find_place(area)
        ts, sol = aim(catalog.missile_vehicle(missile), *np.radians([[p.lat_deg], [p.lon_deg],
                                                                      [seongju.lat_deg], [seongju.lon_deg]]))
        assert sol.reachable[0]
        det, visible = _radar_detect()(ts)
        r = engage(ts, det, b, visible=visible)
        assert np.isfinite(det[0]), missile
        assert r.shot_opportunities[0] >= 1, missile
        assert b.interceptor.min_intercept_alt_m - 1 * KM <= r.first_intercept_alt_m[0] <= 151 * KM


def test_real_flights_from_deep_inside_china_to_continental_us_are_not_engageable():
    from thaad.ballistics import FlightOptions, aim

    launch = [p for p in catalog.places_tagged("cn-launch") if p.lon_deg < 110.0]
    targets = [catalog.find_place(k) for k in ("seattle", "washington")]
    la, lo, ta, to = np.radians(list(zip(*[(a.lat_deg, a.lon_deg, t.lat_deg, t.lon_deg)
                                           for a in launch for t in targets])))
    ts, sol = aim(catalog.missile_vehicle("df-41"), la, lo, ta, to, options=FlightOptions(sample_s=10.0))
    assert sol.reachable.sum() >= 4
    det, visible = _radar_detect()(ts)
    assert np.all(np.isnan(det))  # never seen by the Seongju radar in terminal mode
    ideal = catalog.battery("seongju", "low")
    r = engage(ts, np.zeros(ts.n), ideal)  # even if detected at launch
    assert np.all(r.shot_opportunities == 0)
    assert np.all(r.closest_range_m[sol.reachable] > 1000 * KM)


def test_cli_engage_json_contract():
    import json

    r = run_cli("engage", "--battery", "seongju", "--missile", "scud-c", "--from", "wonsan", "--to", "seongju",
                "--pk", "0.8", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    for key in ("engageable", "shot_opportunities", "first_intercept", "last_intercept", "p_kill", "timeline"):
        assert key in out
    assert out["engageable"] and out["shot_opportunities"] >= 1
    assert set(out["first_intercept"]) == {"t_s", "alt_km", "ground_range_km"}
    assert out["p_kill"] == pytest.approx(1 - 0.2 ** out["shot_opportunities"])
    times = [e["t_s"] for e in out["timeline"]]
    assert times == sorted(times) and out["timeline"][-1]["event"] == "threat impact"

"""The missile catalogue: schema, sources, physical sanity and closed-form range checks.

Closed forms used (vacuum, non-rotating spherical Earth, burnout at the surface):

* minimum-energy range angle psi for burnout speed v, with nu = v^2 R / mu:
  ``sin(psi / 2) = nu / (2 - nu)`` (Wheelon, "Free flight of a ballistic missile",
  ARS Journal 29, 1959; Regan & Anandakrishnan, "Dynamics of Atmospheric Re-Entry",
  AIAA 1993, ch. 3);
* the Kepler ellipse through two surface points psi apart with apogee altitude h: its
  eccentricity ``e = (r_a - R) / (r_a - R cos(psi/2))``, semi-latus rectum
  ``p = r_a (1 - e)``, burnout speed from the vis-viva equation and flight time from
  Kepler's equation (Bate, Mueller & White, "Fundamentals of Astrodynamics", 1971, ch. 6).
"""

from __future__ import annotations

import math

import pytest

from thaad import catalog
from thaad.ballistics.vehicle import G0_M_S2, Vehicle
from thaad.errors import InputError

MU_M3_S2 = 3.986004418e14  # WGS84 gravitational parameter (NIMA TR8350.2)
R_M = 6_371_008.8  # IUGG mean Earth radius
KM = 1000.0

REQUIRED = [
    "Scud-B",
    "Scud-C",
    "Hwasong-7",
    "Hwasong-10",
    "Hwasong-12",
    "Hwasong-14",
    "Hwasong-15",
    "KN-23",
    "DF-15",
    "DF-21",
    "DF-26",
]
EXTRA = ["Scud-ER", "Hwasong-17", "Hwasong-18", "Pukguksong-2", "DF-31AG", "DF-41"]

ALL = sorted(catalog.missiles())

# Where the sum of stage gross masses + payload may differ from the published launch mass
# by more than 15 % (documented exceptions): none at present.
ROLLUP_EXCEPTIONS: dict[str, str] = {}


def min_energy_range_m(v_m_s: float) -> float:
    """Minimum-energy ground range for burnout speed ``v`` (Wheelon 1959)."""
    nu = v_m_s**2 * R_M / MU_M3_S2
    if nu >= 1.0:
        return math.inf
    return 2.0 * R_M * math.asin(nu / (2.0 - nu))


def min_energy_speed_m_s(range_m: float) -> float:
    """Inverse of :func:`min_energy_range_m`: ``nu = 2 s / (1 + s)``, ``s = sin(psi/2)``."""
    s = math.sin(range_m / R_M / 2.0)
    return math.sqrt(2.0 * s / (1.0 + s) * MU_M3_S2 / R_M)


def ideal_delta_v_m_s(v: Vehicle) -> float:
    """Tsiolkovsky: sum over stages of g0 Isp ln(m0/mf), upper stages + payload riding along."""
    dv, mass = 0.0, v.launch_mass_kg
    for s in v.stages:
        dv += G0_M_S2 * s.isp_s * math.log(mass / (mass - s.propellant_mass_kg))
        mass -= s.gross_mass_kg
    return dv


def loss_allowance_m_s(v: Vehicle) -> float:
    """Standard gravity + drag loss budget for the closed-form check (a rule of thumb).

    Gravity loss is the integral of g sin(gamma) over the burn: with a steep first stage
    (mean sin(gamma) ~ 0.7) and flatter upper stages (~0.35); plus ~150 m/s of drag.
    """
    first, upper = v.stages[0].burn_time_s, sum(s.burn_time_s for s in v.stages[1:])
    return G0_M_S2 * (0.7 * first + 0.35 * upper) + 150.0


def closed_form_range_m(v: Vehicle) -> float:
    return min_energy_range_m(ideal_delta_v_m_s(v) - loss_allowance_m_s(v))


def lofted_flight_kepler(downrange_m: float, apogee_m: float) -> tuple[float, float]:
    """(burnout speed, vacuum flight time) of the surface-to-surface Kepler arc."""
    psi = downrange_m / R_M
    c = math.cos(psi / 2.0)
    r_a = R_M + apogee_m
    e = (r_a - R_M) / (r_a - R_M * c)
    a = r_a * (1.0 - e) / (1.0 - e * e)
    v = math.sqrt(MU_M3_S2 * (2.0 / R_M - 1.0 / a))
    theta1 = math.pi - psi / 2.0  # true anomaly at burnout (apogee at pi)
    big_e = 2.0 * math.atan(math.sqrt((1.0 - e) / (1.0 + e)) * math.tan(theta1 / 2.0))
    mean = big_e - e * math.sin(big_e)
    t = 2.0 * (math.pi - mean) / math.sqrt(MU_M3_S2 / a**3)
    return v, t


# --- the closed forms themselves ------------------------------------------------------------


def test_min_energy_speed_matches_textbook_values():
    # REFERENCE.md textbook relations: 1.7 km/s for 300 km ... 7.2 km/s for 10,000 km
    for range_km, speed_km_s in [(300, 1.7), (1000, 3.0), (3000, 4.9), (10000, 7.2)]:
        assert min_energy_speed_m_s(range_km * KM) == pytest.approx(speed_km_s * KM, abs=0.05 * KM)
        assert min_energy_range_m(min_energy_speed_m_s(range_km * KM)) == pytest.approx(range_km * KM, abs=1.0)


def test_kepler_arc_reduces_to_min_energy_when_apogee_is_min_energy():
    # the min-energy ellipse for psi has flight-path angle 45 deg - psi/4; its apogee:
    psi = 3000 * KM / R_M
    v = min_energy_speed_m_s(3000 * KM)
    gamma = math.pi / 4 - psi / 4
    nu = v**2 * R_M / MU_M3_S2
    e = math.sqrt(1 + nu * (nu - 2) * math.cos(gamma) ** 2)
    p = R_M * nu * math.cos(gamma) ** 2
    apogee = p / (1 - e) - R_M
    v_back, _ = lofted_flight_kepler(3000 * KM, apogee)
    assert v_back == pytest.approx(v, abs=0.5)


# --- schema and sources ---------------------------------------------------------------------


def test_every_entry_validates_and_required_missiles_are_present():
    table = catalog.missiles()
    assert len(table) >= len(REQUIRED)
    for name in REQUIRED + EXTRA:
        entry = catalog.find_missile(name)
        assert entry.name == name


@pytest.mark.parametrize("key", ALL)
def test_every_quantity_has_a_source_and_honest_estimate_flag(key):
    entry = catalog.missiles()[key]
    quantities = entry.quantities()
    assert len(quantities) == 6 + 4 * len(entry.stages)
    for field, q in quantities.items():
        assert q.source.strip(), f"{key}.{field} has no source"
        if q.source.lower().startswith("estimate") or "launch_mass_kg - payload_kg" in q.source:
            assert q.estimate, f"{key}.{field} is derived but not flagged estimate=true"
    for flight in entry.test_flights:
        assert flight.source.strip()


def test_find_missile_matches_key_name_and_alias_ignoring_case_and_punctuation():
    assert catalog.find_missile("hwasong-7").key == "hwasong-7"
    assert catalog.find_missile("NODONG").key == "hwasong-7"
    assert catalog.find_missile("Rodong 1").key == "hwasong-7"
    assert catalog.find_missile("css_5").key == "df-21"
    assert catalog.find_missile("Hwasong 15").key == "hwasong-15"
    assert catalog.find_missile("musudan").key == "hwasong-10"


def test_unknown_missile_is_an_input_error_naming_the_field():
    with pytest.raises(InputError) as err:
        catalog.find_missile("Taepodong-9")
    assert err.value.field == "missile"
    assert "thaad missiles" in err.value.message


def test_aliases_are_unambiguous():
    seen: dict[str, str] = {}
    for key, entry in catalog.missiles().items():
        for label in {entry.key, entry.name, *entry.aliases}:
            norm = catalog._norm(label)
            assert seen.setdefault(norm, key) == key, f"{label!r} names both {seen[norm]} and {key}"


def test_schema_rejects_typos_and_impossible_stages():
    good = catalog.missiles()["scud-b"].model_dump()
    bad = dict(good, rangee_km=good["range_km"])
    with pytest.raises(ValueError):
        catalog.MissileEntry(**bad)
    stage = dict(good["stage"][0])
    stage["propellant_mass_kg"] = dict(stage["propellant_mass_kg"], nominal=6000, low=None, high=None)
    with pytest.raises(ValueError):
        catalog.StageEntry(**stage)


# --- physical sanity ------------------------------------------------------------------------


@pytest.mark.parametrize("key", ALL)
def test_stages_are_physical(key):
    entry = catalog.missiles()[key]
    solid = entry.propellant.startswith("solid")
    for level in catalog.LEVELS:
        v = catalog.missile_vehicle(entry, level)
        for s in v.stages:
            assert 0 < s.propellant_mass_kg < s.gross_mass_kg
            assert 0.6 <= s.propellant_mass_kg / s.gross_mass_kg <= 0.95
            assert (230 <= s.isp_s <= 300) if solid else (220 <= s.isp_s <= 330)
            assert 10 <= s.burn_time_s <= 400
        # the first stage must lift the whole missile off briskly
        assert v.stages[0].thrust_vac_n / (G0_M_S2 * v.launch_mass_kg) >= 1.3
        assert 0 < v.payload_kg < v.launch_mass_kg
        assert 0.3 <= v.diameter_m <= 3.5
        assert 1000 <= v.rv_ballistic_coefficient_kg_m2 <= 20000


@pytest.mark.parametrize("key", ALL)
def test_mass_rollup_matches_published_launch_mass(key):
    entry = catalog.missiles()[key]
    v = catalog.missile_vehicle(entry)
    if key in ROLLUP_EXCEPTIONS:
        pytest.skip(ROLLUP_EXCEPTIONS[key])
    assert v.launch_mass_kg == pytest.approx(entry.launch_mass_kg.nominal, rel=0.15)


@pytest.mark.parametrize("key", ALL)
def test_rocket_equation_burnout_speed_matches_published_range(key):
    """Ideal delta-v minus a standard loss budget vs the minimum-energy burnout speed of the
    published range (Wheelon 1959).  Compared as speeds (within 15 %), which stays well
    conditioned for ICBMs where the range grows without bound near orbital speed; for
    missiles below ICBM class the ranges themselves must agree within 0.7-1.4."""
    entry = catalog.missiles()[key]
    v = catalog.missile_vehicle(entry)
    speed = ideal_delta_v_m_s(v) - loss_allowance_m_s(v)
    needed = min_energy_speed_m_s(entry.range_km.nominal * KM)
    assert speed == pytest.approx(needed, rel=0.15), f"{key}: {speed:.0f} m/s vs {needed:.0f} m/s"
    if entry.category != "ICBM":
        modelled = min_energy_range_m(speed) / KM
        assert 0.7 * entry.range_km.nominal <= modelled <= 1.4 * entry.range_km.nominal, (
            f"{key}: closed-form {modelled:.0f} km vs published {entry.range_km.nominal:.0f} km"
        )


@pytest.mark.parametrize("key", ALL)
def test_low_and_high_levels_bracket_the_nominal_range(key):
    ranges = [closed_form_range_m(catalog.missile_vehicle(key, level)) for level in catalog.LEVELS]
    assert ranges[0] <= ranges[1] <= ranges[2]


def test_missile_vehicle_rejects_an_unknown_level():
    with pytest.raises(InputError):
        catalog.missile_vehicle("scud-b", "median")


def test_missile_vehicle_carries_the_catalogue_values():
    entry = catalog.find_missile("DF-26")
    v = catalog.missile_vehicle("df26")
    assert v.name == "DF-26"
    assert len(v.stages) == 2
    assert v.payload_kg == entry.payload_kg.nominal
    assert v.diameter_m == entry.diameter_m.nominal
    assert v.separates is True
    assert v.stages[1].isp_s == entry.stages[1].isp_s.nominal
    assert catalog.missile_vehicle("scud-b").separates is False


# --- published test flights -----------------------------------------------------------------

PUBLISHED_TESTS = [
    # (missile, date, downrange km, apogee km, flight time s) as published by KCNA/ROK/Japan
    ("Hwasong-12", "2017-05-14", 787, 2111.5, 1800),
    ("Hwasong-14", "2017-07-28", 998, 3724.9, 2832),
    ("Hwasong-15", "2017-11-29", 950, 4475, 3180),
]


@pytest.mark.parametrize("name,date,downrange,apogee,time", PUBLISHED_TESTS)
def test_published_lofted_tests_are_catalogued(name, date, downrange, apogee, time):
    flights = {str(f.date): f for f in catalog.find_missile(name).test_flights}
    f = flights[date]
    assert (f.downrange_km, f.apogee_km, f.flight_time_s) == (downrange, apogee, time)


FLIGHTS = [(k, f) for k in ALL for f in catalog.missiles()[k].test_flights]


@pytest.mark.parametrize("key,flight", FLIGHTS, ids=[f"{k}-{f.date}" for k, f in FLIGHTS])
def test_test_flight_time_is_consistent_with_its_kepler_arc(key, flight):
    """The vacuum Kepler arc through (downrange, apogee) takes a little less time than the
    published flight (powered ascent and the atmosphere add some) (Bate, Mueller & White)."""
    if flight.flight_time_s is None:
        pytest.skip("flight time not published")
    _, t = lofted_flight_kepler(flight.downrange_km * KM, flight.apogee_km * KM)
    assert 0.8 * flight.flight_time_s <= t <= 1.0 * flight.flight_time_s


@pytest.mark.parametrize("key,flight", FLIGHTS, ids=[f"{k}-{f.date}" for k, f in FLIGHTS])
def test_test_flight_energy_implies_the_published_range_band(key, flight):
    """Analysts' method (e.g. Wright, UCS 2017): the burnout speed of the lofted arc, flown
    on a minimum-energy trajectory instead, gives the range.  That speed must lie between the
    minimum-energy speeds of the catalogue's low and high published ranges (7 % / 5 % margins:
    burnout altitude and Earth rotation are neglected).  Compared as speeds, since the range
    diverges near orbital speed."""
    entry = catalog.missiles()[key]
    v, _ = lofted_flight_kepler(flight.downrange_km * KM, flight.apogee_km * KM)
    low, _, high = entry.range_km.band
    assert 0.93 * min_energy_speed_m_s(low * KM) <= v <= 1.05 * min_energy_speed_m_s(high * KM)


# --- the `thaad missiles` listing -----------------------------------------------------------


def _run_cli(*args):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "thaad", *args], capture_output=True, text=True, timeout=120)


def test_missiles_json_lists_every_missile_with_sources():
    import json

    r = _run_cli("missiles", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)["missiles"]
    assert {m["key"] for m in rows} == set(catalog.missiles())
    for m in rows:
        assert m["range_km"]["source"] and "estimate" in m["range_km"]
        assert all(s["isp_s"]["source"] for s in m["stages"])


def test_missiles_unknown_name_exits_2_with_one_line():
    r = _run_cli("missiles", "Taepodong-9")
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "missile" in r.stderr
    assert "Traceback" not in r.stderr

"""Question 5 on a one-flight scenario: tables, figures, claims, numbers checked against the core."""

import math

import numpy as np
import pytest

from thaad import catalog
from thaad import scenario as S
from thaad.report.context import Context

SCENARIO = """
title = "q5 test"
seed = 3
bands = false
questions = ["q5"]
[site]
place = "seongju"
[radar]
boresight_deg = 330.0
min_elevation_deg = 5.0
[[launchers]]
place = "seongju"
[tracking]
network = ["shariki", "kyogamisaki"]
alternative_sites = ["pohang"]
sweep_step_deg = 30.0
[[threats]]
name = "IRBM to Guam"
question = "q5"
missile = "df-26"
launch = ["tonghua"]
targets = ["guam"]
"""


@pytest.fixture(scope="module")
def section():
    from thaad.report.q5_tracking import q5_tracking

    return q5_tracking(Context(S.parse_text(SCENARIO), 3))


def test_q5_has_timeline_sweep_and_at_least_ten_sourced_claims(section):
    assert {f.key for f in section.figures} == {"q5-timeline", "q5-sweep"}
    claims = next(t for t in section.tables if t.key == "q5-claims")
    assert len(claims.rows) >= 10
    for who, where, text, side, model, verdict, conditions in claims.rows:
        assert who and where and text and conditions
        assert side in ("concern", "reassurance")
        assert model and verdict
    assert {"concern", "reassurance"} == {r[3] for r in claims.rows}  # both sides
    computed = [r for r in claims.rows if r[5] != "not checked"]
    assert len(computed) >= 10


def test_q5_states_track_time_and_margin_per_launch_area(section):
    per = section.numbers["per_launch_area"]
    assert set(per) == {"tonghua"}
    row = section.numbers["flights"]["nominal"][0]
    assert row["reachable"]
    assert per["tonghua"]["fbm_track_s"] == row["fbm_track_s"]
    assert row["fbm_track_s"] > 0 and row["fbm_first_s"] < row["flight_time_s"]
    assert row["exclusive_over_japan_s"] <= row["fbm_track_s"] + 1e-9
    assert "Tonghua" in section.short_answer


def test_q5_sweep_at_scenario_boresight_matches_direct_coverage(section):
    from thaad.radar import lowest_visible_altitude
    from thaad.report.countries import country_grid
    from thaad.report.q5_flights import seongju_station

    sc = S.parse_text(SCENARIO)
    ctx = Context(sc, 3)
    lat, lon, labels, area = country_grid()
    lon2, lat2 = np.meshgrid(lon, lat)
    m = labels == "CN"
    radar = seongju_station(ctx, "forward-based", "nominal").faces[0]
    booster = catalog.rcs_presets()["booster"].rcs_m2.nominal
    low = lowest_visible_altitude(radar, np.radians(lat2[m]), np.radians(lon2[m]), booster)
    direct = float(area[m][np.isfinite(low.lowest_alt_m)].sum())
    got = section.numbers["sweep"]["scenario/forward-based"]["at_scenario_boresight_km2"]["booster/CN"]
    assert got == pytest.approx(direct, abs=100.0)
    assert 0 < got < section.numbers["sweep"]["china_area_km2"]


def test_country_masks_match_published_areas():
    """China 9,596,960 km^2 and North Korea 120,538 km^2 (CIA World Factbook, total area)."""
    from thaad.report.countries import country_area_km2

    assert country_area_km2("CN") == pytest.approx(9_596_960, rel=0.04)
    assert country_area_km2("KP") == pytest.approx(120_538, rel=0.08)

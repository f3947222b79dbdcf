"""q3 engagement outputs of a sweep behave as the timeline says they must."""

from pathlib import Path

from thaad.sweep import spec
from thaad.sweep.run import run

SMALL_SCENARIO = Path(__file__).parent / "data" / "small_scenario.toml"

SWEEP = f"""
title = "engagement"
base = "{SMALL_SCENARIO}"
[fixed]
"bands" = false
[outputs]
names = ["q3.engageable_share", "q3.shots_mean", "q3.defended_area_km2"]
[[parameters]]
field = "engagement.decision_s"
values = [10.0, 600.0]
baseline = 10.0
[[parameters]]
field = "estimate.interceptor.max_intercept_range_km"
low = 1.0
high = 300.0
"""


def test_engageability_vanishes_when_the_timeline_or_the_reach_cannot_close(tmp_path):
    sw = spec.parse_text(SWEEP)
    res = run(sw, tmp_path, serial=True)
    by_case = {}
    for c, h in zip(res.cases, res.hashes):
        by_case[(c.role, c.param, c.level)] = res.results[h]
    base = by_case[("baseline", -1, "")]
    assert 0 < base["q3.engageable_share.scud-c"] <= 1  # Scud-C from Wonsan: Daegu and Busan are defended
    # a 600 s decision is longer than a Scud-C's whole flight (about 5-7 min): no interceptor can be away in time
    assert by_case[("oat", 0, "values[1]")]["q3.engageable_share.scud-c"] == 0
    # a 1 km interceptor reach cannot meet a missile coming down on cities 50-200 km from the launchers
    assert by_case[("oat", 1, "low")]["q3.engageable_share.scud-c"] == 0
    for outs in res.results.values():
        assert outs["q3.shots_mean.scud-c"] >= outs["q3.engageable_share.scud-c"]
    # the defended area: positive at baseline, no larger than South Korea's land, none when nothing can be engaged
    assert 0 < base["q3.defended_area_km2.scud-c"] < 100_000 * 1.01
    assert by_case[("oat", 0, "values[1]")]["q3.defended_area_km2.scud-c"] == 0
    assert by_case[("oat", 1, "low")]["q3.defended_area_km2.scud-c"] == 0

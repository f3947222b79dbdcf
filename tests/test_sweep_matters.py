"""`thaad assess` gains a 'what matters most' table per question (q1, q2) from a small one-at-a-time sweep."""

import json

from thaad import scenario as S
from thaad.sweep.build import radar, rcs_m2
from thaad.sweep.matters import what_matters


def test_report_has_what_matters_tables(small_report):
    rep = json.loads((small_report / "report.json").read_text())
    for q in ("q1", "q2"):
        keys = [t["key"] for t in rep["questions"][q]["tables"]]
        assert f"{q}-what-matters" in keys
    assert "What matters most" in (small_report / "index.html").read_text()


def test_what_matters_ranks_by_swing_and_matches_the_radar_equation(tmp_path):
    sc = S.load(None)
    tables = what_matters(sc, ("q1",))
    t = tables["q1"]
    assert t["rows"][0][0].startswith("warhead RCS")  # range-limited in terminal mode: RCS moves the reach most

    def nums(cell):
        a, b = cell.split(" → ")
        return float(a.replace(",", "")), float(b.replace(",", ""))

    swings = [abs(nums(r[2])[1] - nums(r[2])[0]) for r in t["rows"]]
    assert swings == sorted(swings, reverse=True)
    # the farthest covered cell cannot be farther than the free-space detection range at that RCS
    hi_rcs = float(t["rows"][0][1].split(" – ")[1])
    r = radar(sc, sc.radar.defence_mode, {})
    assert nums(t["rows"][0][2])[1] <= float(r.detection_range_m(hi_rcs)) / 1e3 + 1.0
    assert rcs_m2(sc, "warhead") > 0

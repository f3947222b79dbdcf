"""Report fixes: no number from a grid edge, band notation, the floor a screen raises, labels apart."""

import json
import math
import re

import numpy as np
import pytest

from conftest import SMALL_SCENARIO
from thaad import assemble as A
from thaad import geo
from thaad import scenario as S
from thaad.radar import lowest_visible_altitude


@pytest.fixture(scope="module")
def report(small_report):
    return json.loads((small_report / "report.json").read_text())


def test_farthest_detection_is_found_beyond_the_map_grid(report):
    """Each farthest point is detectable and the point 10 km further out along its azimuth
    is not (checked with the radar directly, no grid); points off the map say so."""
    sc = S.load(SMALL_SCENARIO)
    g = sc.grids
    site = A.scenario_site(sc)
    far = report["questions"]["q1"]["numbers"]["farthest_covered"]
    for key, f in far.items():
        mode, kind = key.split("/")
        radar = A.scenario_radar(sc, mode, "nominal")
        rcs = A.scenario_rcs_m2(sc, kind, "nominal")
        az = math.radians(f["azimuth_deg"])
        d = np.array([f["distance_km"], f["distance_km"] + 10.0]) * 1e3
        lat, lon, _ = geo.geodesic_direct(site.lat_rad, site.lon_rad, az, d)
        low = lowest_visible_altitude(radar, lat, lon, rcs).lowest_alt_m
        assert np.isfinite(low[0]) and not np.isfinite(low[1]), key
        inside = g.lat_min_deg <= f["lat_deg"] <= g.lat_max_deg and g.lon_min_deg <= f["lon_deg"] <= g.lon_max_deg
        assert f["beyond_map"] == (not inside)
    assert any(f["beyond_map"] for f in far.values())  # the booster reaches past the small map
    assert "beyond the edge of the map" in report["questions"]["q1"]["short_answer"]


def test_q1_states_free_space_range_and_ground_distance(report):
    q1 = report["questions"]["q1"]
    rng = q1["numbers"]["detection_range_km"]["terminal/warhead"]["nominal"]
    ground = q1["numbers"]["farthest_covered"]["terminal/warhead"]["distance_km"]
    assert ground < rng
    assert f"{rng:,.0f} km" in q1["short_answer"] and f"{ground:,.0f} km" in q1["short_answer"]


def test_band_cells_never_read_never_of_never(report):
    for t in report["questions"]["q1"]["tables"]:
        for row in t["rows"]:
            for cell in row:
                assert not re.search(r"never \(never", str(cell))


def test_q2_band_shows_the_floor_change_of_each_shield(report):
    labels = [r["label"] for r in report["questions"]["q2"]["band"]["rows"]]
    sc = S.load(SMALL_SCENARIO)
    for sh in sc.shields:
        assert any(l.startswith("floor raised") and sh.name in l for l in labels)
        assert any(l.startswith("coverage lost") and sh.name in l for l in labels)


def test_floor_change_of_a_low_screen():
    from thaad.report import questions as Q
    from thaad.report.physics import Coverage

    lat, lon = np.array([36.0, 36.5]), np.array([120.0, 121.0])
    base = Coverage(lon, lat, np.array([[50.0, 80.0], [np.nan, 100.0]]), 500.0)
    screened = Coverage(lon, lat, np.array([[50.0, 120.0], [np.nan, 160.0]]), 500.0)
    rise, area = Q._floor_change(base, screened)
    assert rise == pytest.approx(50.0)  # median of 40 and 60 km
    assert area > 0


def test_labels_at_one_point_do_not_overlap():
    from thaad.report import figures as F

    fig = F.new_figure(4, 3)
    ax = fig.add_subplot(1, 1, 1)
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    F.label_points(ax, [(5, 5, "Pyongyang", "#000", "o", 3), (5.05, 5.05, "Sunan airport", "#000", "o", 3)])
    boxes = [t.get_window_extent(fig.canvas.get_renderer()) for t in ax.texts]
    assert len(boxes) == 2 and not boxes[0].overlaps(boxes[1])

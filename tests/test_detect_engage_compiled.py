"""The compiled detection and engagement kernels agree with the NumPy reference paths on a
realistic batch: real flights (ballistics model, WGS84, 2 s samples) from North Korea
toward the Seongju battery, seen by the catalogue AN/TPY-2 and by variants that exercise
the cone face and blanked sectors.

Tolerances in physical units: first detection within 1e-6 s (the kernels solve the same
geodesic, to ~1e-13 rad), visible samples identical except where a margin is within
1 mm / 1e-9 rad of zero (a tie), shot counts identical, times within 1e-6 s and ranges
within 1e-3 m."""

import math
from dataclasses import replace

import numpy as np
import pytest

pytest.importorskip("numba")

from thaad import assemble as A  # noqa: E402
from thaad import catalog  # noqa: E402
from thaad.engagement import engage  # noqa: E402
from thaad.radar import BlankSector  # noqa: E402
from thaad.radar.detect import detect_along, first_detection  # noqa: E402


@pytest.fixture(scope="module")
def flights():
    """~300 flights: two missiles, launch azimuths fanned +/- 12 deg about the battery's
    bearing, five lofts and three burn fractions (short, medium, full range)."""
    from thaad.ballistics import FlightOptions, fly
    from thaad.geo import geodesic_inverse

    s = catalog.find_place("seongju")
    out = []
    for missile, area in (("hwasong-7", "sunan"), ("scud-c", "wonsan")):
        p = catalog.find_place(area)
        _, az0, _ = geodesic_inverse(*np.radians([p.lat_deg, p.lon_deg, s.lat_deg, s.lon_deg]))
        az, loft, frac = np.meshgrid(az0 + np.radians(np.linspace(-12, 12, 10)), np.radians([20, 30, 40, 50, 60]),
                                     [0.8, 0.9, 1.0])
        out.append(fly(catalog.missile_vehicle(missile), math.radians(p.lat_deg), math.radians(p.lon_deg), az.ravel(),
                       loft.ravel(), burn_fraction=frac.ravel(), options=FlightOptions(sample_s=2.0)))
    return out


def _radars():
    base = A.battery_radar("seongju")
    yield "catalogue", base
    bore = base.boresight_az_rad
    yield "cone face, blanked sectors", replace(base, face_model="cone", blanking=(
        BlankSector(bore - 0.3, bore - 0.1, math.radians(20.0)), BlankSector(bore + 0.2, bore + 0.25)))


def _ties(radar, ts, rcs):
    tr = detect_along(ts, radar, rcs)
    tie = np.zeros(ts.t_s.shape, dtype=bool)
    for name, m in tr.margins.items():
        tol = 1e-3 if name.endswith("_m") else 1e-9
        tie |= np.abs(np.asarray(m)) < tol
    return tr, tie


@pytest.mark.parametrize("which", [0, 1])
def test_compiled_first_detection_agrees_with_detect_along(flights, which):
    rcs = A.rcs_m2()
    for ts in flights:
        for name, radar in _radars():
            tr, tie = _ties(radar, ts, rcs)
            if which:  # per-trajectory RCS, every sample evaluated
                rcs_n = np.linspace(0.5, 2.0, ts.n) * rcs
                tr, tie = _ties(radar, ts, rcs_n)
                first, vis = first_detection(ts, radar, rcs_n, compiled=True, skip=False)
            else:
                first, vis = first_detection(ts, radar, rcs, compiled=True)
            ref = tr.first_detection_time_s
            assert np.isfinite(ref).sum() >= ts.n // 3, name  # the batch is realistic: most are seen
            assert np.array_equal(np.isnan(first), np.isnan(ref)), name
            assert np.nanmax(np.abs(first - ref)) < 1e-6, name
            assert np.array_equal(vis[~tie], tr.visible[~tie]), name
            assert (~vis).sum() > 0 and vis.sum() > 0


def test_skipping_changes_nothing(flights):
    radar, rcs = A.battery_radar("seongju"), A.rcs_m2()
    for ts in flights:
        f1, v1 = first_detection(ts, radar, rcs, compiled=True, skip=True)
        f0, v0 = first_detection(ts, radar, rcs, compiled=True, skip=False)
        assert np.array_equal(v1, v0)
        assert np.nanmax(np.abs(f1 - f0)) < 1e-6


def test_compiled_engagement_agrees_with_numpy_engagement(flights):
    radar, rcs = A.battery_radar("seongju"), A.rcs_m2()
    b = catalog.battery("seongju")
    far = replace(b, launcher_sites=b.launcher_sites + ((b.radar_lat_rad + 0.01, b.radar_lon_rad - 0.02, 120.0),))
    # > 1,000 rows: blocks of whole chunks go to threads; rows 650-700 sampled every 3.2 s (time
    # stretched: arithmetic only), so the refinement differs between chunks
    big = flights[0].take(np.tile(np.arange(flights[0].n), 8))
    big = replace(big, t_s=big.t_s * np.where((np.arange(big.n) >= 650) & (np.arange(big.n) <= 700), 1.6, 1.0)[:, None])
    for ts in (*flights, big):
        det, vis = first_detection(ts, radar, rcs, compiled=True)
        for bat, visible, step, chunk in ((b, vis, 1.0, 1024), (far, None, 1.0, 100), (b, vis, 2.5, 7), (b, vis, 0.7, 333)):
            fast = engage(ts, det, bat, visible=visible, max_step_s=step, chunk=chunk, compiled=True)
            ref = engage(ts, det, bat, visible=visible, max_step_s=step, chunk=chunk, compiled=False)
            assert np.array_equal(fast.shot_opportunities, ref.shot_opportunities)
            assert ref.shot_opportunities.sum() > 0
            for field, tol in (("shot_launch_time_s", 1e-6), ("shot_intercept_time_s", 1e-6),
                               ("shot_intercept_alt_m", 1e-3), ("shot_intercept_range_m", 1e-3),
                               ("first_intercept_time_s", 1e-6), ("last_intercept_time_s", 1e-6),
                               ("first_intercept_range_m", 1e-3), ("last_intercept_alt_m", 1e-3),
                               ("closest_range_m", 1e-3), ("in_band_time_s", 1e-6)):
                a, r = getattr(fast, field), getattr(ref, field)
                assert np.array_equal(np.isnan(a), np.isnan(r)), field
                assert np.all(np.abs(a - r)[np.isfinite(r)] <= tol), field

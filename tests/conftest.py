"""Shared fixtures: the small assessment report, built once per test session."""

import subprocess
import sys
from pathlib import Path

import pytest

SMALL_SCENARIO = Path(__file__).parent / "data" / "small_scenario.toml"


def run_assess(out_dir, *extra):
    return subprocess.run([sys.executable, "-m", "thaad", "assess", str(SMALL_SCENARIO), "--out", str(out_dir), "--quiet", *extra],
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def small_report(tmp_path_factory):
    """Folder of the report written by `thaad assess` on the small scenario."""
    out = tmp_path_factory.mktemp("report") / "small"
    r = run_assess(out)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="session", autouse=True)
def compiled_kernels():
    """Compile (or load from numba's on-disk cache) the numba kernels once, first: on a fresh
    checkout the first compilation takes seconds, which must not land inside a test that
    times a web page's redraw.  Without numba the NumPy paths run and this does nothing."""
    try:
        import numba  # noqa: F401
    except ImportError:
        return
    import numpy as np

    from thaad.ballistics import FlightOptions, Stage, Vehicle, fly, fly_burnout_state
    from thaad.geo_compiled import inverse, to_geodetic
    from thaad.radar.coverage_compiled import cells

    v = Vehicle("warm-up", (Stage(1000.0, 800.0, 250.0, 30.0),), payload_kg=100.0, diameter_m=0.5)
    for sample_s in (None, 2.0):
        fly(v, 0.6, 2.2, 0.0, 0.6, options=FlightOptions(sample_s=sample_s, compiled=True))
    fly_burnout_state(0.6, 2.2, 0.0, 2000.0, 0.7, 0.0, options=FlightOptions(sample_s=None, compiled=True))
    one = np.array([0.6])
    inverse(one, one, one + 0.01, one, 6378137.0, 1 / 298.257223563)
    to_geodetic(np.array([6378137.0]), np.array([0.0]), np.array([0.0]), 6378137.0, 6356752.314245, 0.00669437999014)
    cells(one, np.array([6.4e6]), np.array([6.39e6]), one, one, min_alt=0.0, min_el=0.1, max_el=1.5, max_alt=np.inf,
          r_det=1e6, half_w=1.0, bore=0.0, sectors=[(0.0, 0.1, np.nan)])
    from thaad import assemble as A
    from thaad.engagement import engage
    from thaad.radar.detect import first_detection

    ts = fly(v, 0.68, 2.23, 2.3, 0.6, options=FlightOptions(sample_s=2.0, compiled=True))
    det, vis = first_detection(ts, A.battery_radar("seongju"), 0.1, compiled=True)
    engage(ts, det, A.battery("seongju"), visible=vis, compiled=True)

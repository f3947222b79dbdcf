"""The notebook API: degrees and kilometres, tidy DataFrames, the same physics as the
CLI and the report; the example notebook runs end to end."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from thaad import api
from thaad.errors import InputError

ROOT = Path(__file__).resolve().parents[1]


def test_trajectory_frame_matches_the_cli():
    df = api.trajectory("scud-c", "wonsan", (35.1796, 129.0756))  # Busan as degrees
    assert list(df.columns) == ["t_s", "lat_deg", "lon_deg", "alt_km", "ground_range_km", "speed_km_s"]
    assert df.t_s.is_monotonic_increasing and df.alt_km.iloc[0] == pytest.approx(0.0, abs=0.01)
    r = subprocess.run([sys.executable, "-m", "thaad", "trajectory", "--missile", "scud-c", "--from", "wonsan",
                        "--to", "35.1796,129.0756", "--json"], capture_output=True, text=True, timeout=300)
    cli = json.loads(r.stdout)
    assert df.attrs["range_km"] == pytest.approx(cli["range_km"], rel=1e-3)
    assert df.attrs["apogee_km"] == pytest.approx(cli["apogee_km"], rel=1e-3)
    assert df.alt_km.max() == pytest.approx(cli["apogee_km"], abs=2.0)  # sampled every 2 s near apogee


def test_points_in_degrees_and_km():
    p = api.point((36.0, 128.0, 0.68))
    assert p.alt_m == pytest.approx(680.0) and p.lat_rad == pytest.approx(np.radians(36.0))
    assert api.point("seongju").name.startswith("Seongju")
    with pytest.raises(InputError):
        api.point((95.0, 128.0))


def test_radar_range_band_follows_the_radar_equation():
    df = api.radar_range(0.1)
    assert list(df.level) == ["low", "nominal", "high"] and df.detection_range_km.is_monotonic_increasing
    # R ~ sigma^(1/4): 16x the RCS doubles the range
    assert api.radar_range(1.6).detection_range_km.iloc[1] / df.detection_range_km.iloc[1] == pytest.approx(2.0, rel=1e-6)


def test_coverage_equals_the_reports_q1_physics():
    from thaad.report import physics as P
    from thaad.report.context import Context

    sc = api.scenario()
    df = api.coverage("terminal", sc=sc, grid_km=100.0)
    assert set(df.columns) == {"lat_deg", "lon_deg", "lowest_alt_km"} and df.lowest_alt_km.notna().any()
    sc100 = sc.model_copy(update={"grids": sc.grids.model_copy(update={"coverage_km": 100.0})})
    ref = P.coverage(Context(sc100, sc.seed), "terminal", df.attrs["rcs_m2"], df.attrs["level"])
    lon, lat, z = api.coverage_grid(df)
    np.testing.assert_allclose(lon, ref.lon_deg)
    np.testing.assert_allclose(lat, ref.lat_deg)
    np.testing.assert_allclose(z, ref.min_alt_km, equal_nan=True)


def test_catalogue_frames():
    m = api.missiles()
    assert {"hwasong-12", "scud-b"} <= set(m.key) and (m.range_low_km <= m.range_high_km).all()
    p = api.places("nk-launch")
    assert len(p) > 0 and p.lat_deg.between(37, 43).all()
    assert isinstance(p, pd.DataFrame)


def test_example_notebook_runs(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(ROOT / "examples" / "q1_coverage.ipynb", as_version=4)
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the Q1 figure is drawn"

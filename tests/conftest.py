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

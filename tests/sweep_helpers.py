"""Small sweep files for the sweep tests (cheap q1/q2 outputs on a coarse grid)."""

import subprocess
import sys

SMALL = """
title = "small test sweep"
base = "seongju"
[fixed]
"bands" = false
"grids.coverage_km" = {grid_km}
[design]
one_at_a_time = true
space_filling = "{space}"
samples = {samples}
seed = 3
[outputs]
names = ["q1.detection_range_km", "q1.covered_area_km2", "q2.coverage_lost_pct"]
[[parameters]]
field = "radar.boresight_deg"
low = 300.0
high = 350.0
[[parameters]]
field = "rcs.warhead_m2"
{rcs}
baseline = 0.03
"""


def small_sweep(grid_km=100.0, space="none", samples=4, rcs="low = 0.01\nhigh = 0.1"):
    return SMALL.format(grid_km=grid_km, space=space, samples=samples, rcs=rcs)


def run_cli(*args, env=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "thaad", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=env)

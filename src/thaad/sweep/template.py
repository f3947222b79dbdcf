"""The commented starting sweep file printed by ``thaad sweep --template`` (it runs as written)."""

TEMPLATE = '''\
# thaad sensitivity sweep: a starting file written by `thaad sweep --template`.
# Run it with
#     thaad sweep this_file.toml --out my_sweep
# (add --scheduler tcp://HOST:8786 to use an existing Dask cluster). Results are cached by
# a content hash of each case in my_sweep/cases/: re-running after adding values computes
# only the new cases, and a killed sweep resumes where it stopped.
# Every key is documented below; unknown keys are errors.

title = "Which assumption moves the radar's reach and the battery's engagements?"
base = "seongju"        # the base scenario: a built-in name or a scenario file (`thaad scenario --template`)

# Scenario fields set in every case (dotted paths, as in the scenario file). Coarse grids
# and no low/high bands keep each case cheap: the sweep itself is the uncertainty study.
[fixed]
"bands" = false
"grids.coverage_km" = 60.0

# The design: one-at-a-time (baseline, then each parameter alone at low and high) gives
# the tornado charts; space_filling = "sobol" (Saltelli design, samples = N, a power of 2,
# giving N x (parameters + 2) cases) gives Sobol sensitivity indices, "lhs" a Latin
# hypercube of `samples` cases with rank correlations; "none" for neither.
[design]
one_at_a_time = true
space_filling = "sobol"
samples = 8
seed = 1

# The headline numbers to record, by question :
#   q1.detection_range_km  q1.covered_area_km2  q1.farthest_km  q1.lowest_alt_km (needs places)
#   q2.coverage_lost_pct (per shield)  q3.engageable_share  q3.shots_mean  q3.defended_area_km2
#   q4.engageable_share
[outputs]
names = ["q1.detection_range_km", "q1.covered_area_km2", "q1.lowest_alt_km", "q2.coverage_lost_pct"]
# q3/q4 outputs fly every threat group of the base scenario once per worker (tens of
# seconds each), then reuse the trajectories for every case:
# names = [..., "q3.engageable_share", "q3.shots_mean", "q3.defended_area_km2", "q4.engageable_share"]
places = ["beijing", "pyongyang"]

# The parameters: a scenario field (dotted path; list entries as [i], e.g.
# shields[0].sectors[0].az_end_deg) or a catalogue estimate (estimate.radar.<mode>.reported_range_km,
# estimate.interceptor.max_intercept_range_km, ...). Numbers take low and high (scale =
# "log" for quantities spanning decades); names take a list of values. baseline defaults
# to the base scenario's value and must be given where the scenario leaves the field to
# the catalogue.
[[parameters]]
field = "radar.boresight_deg"
label = "radar boresight (deg)"
low = 300.0
high = 359.0

[[parameters]]
field = "rcs.warhead_m2"
label = "warhead RCS (m^2)"
low = 0.005
high = 0.3
baseline = 0.03         # the catalogue's nominal warhead preset
scale = "log"

[[parameters]]
field = "estimate.radar.terminal.reported_range_km"
label = "terminal-mode range at 0.1 m^2 (km)"
low = 400.0
high = 900.0

[[parameters]]
field = "engagement.decision_s"
label = "decision time (s)"
low = 5.0
high = 30.0
baseline = 10.0         # the catalogue's nominal (batteries.toml)
'''

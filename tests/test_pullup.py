"""The pull-up glide shape: a reshaped descent, same track and timing (kinematic estimate)."""

import numpy as np
import pytest
from synthetic import kepler_arcs

from thaad.ballistics.pullup import pull_up_glide
from thaad.errors import InputError

KM = 1000.0


def test_pull_up_glide_stays_low_after_the_pull_up_and_keeps_track_and_timing():
    ts = kepler_arcs([39.17, 38.57], [127.48, 126.30], [35.87, 36.35], [128.60, 127.38])
    p = pull_up_glide(ts, pullup_alt_m=30 * KM, glide_end_alt_m=20 * KM, dive_range_m=20 * KM)
    v = ts.valid
    assert np.array_equal(p.lat_rad[v], ts.lat_rad[v]) and np.array_equal(p.t_s[v], ts.t_s[v])
    before = v & (ts.t_s <= ts.apogee_time_s[:, None])
    assert np.array_equal(p.alt_m[before], ts.alt_m[before])  # the climb and apogee are untouched
    after = v & (ts.t_s > ts.apogee_time_s[:, None]) & (ts.alt_m < 30 * KM)
    assert np.all(p.alt_m[after] <= 30 * KM + 1e-6)
    glide = after & (p.alt_m >= 20 * KM)
    assert glide.any() and np.all(p.alt_m[glide] >= ts.alt_m[glide] - 1e-6)  # the glide holds it up
    last = ts.n_samples - 1
    rows = np.arange(ts.n)
    assert np.all(p.alt_m[rows, last] < 1 * KM)  # still lands on the target
    seen_glide = v & (p.alt_m > ts.alt_m + 1 * KM)
    assert seen_glide.any()


def test_pull_up_parameters_are_checked():
    ts = kepler_arcs([39.17], [127.48], [35.87], [128.60])
    with pytest.raises(InputError):
        pull_up_glide(ts, pullup_alt_m=10 * KM, glide_end_alt_m=20 * KM)

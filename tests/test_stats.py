"""Percentiles and their Monte Carlo error against known distributions (closed forms)."""

import numpy as np
import pytest
from scipy.stats import expon, norm

from thaad.stats import order_statistic_ranks, percentile_band, percentile_intervals

REPS, N = 4000, 200


@pytest.mark.parametrize("dist", [norm(loc=10.0, scale=2.0), expon(scale=3.0)], ids=["normal", "exponential"])
@pytest.mark.parametrize("p", [5, 50, 95])
def test_percentile_estimates_and_their_error(dist, p):
    rng = np.random.default_rng(7)
    x = dist.rvs(size=(REPS, N), random_state=rng)
    value, lo, hi, se = (a[:, 0] for a in percentile_intervals(x, [p]))
    true = dist.ppf(p / 100.0)
    # the estimator's bias (order 1/n in the tails) is small against its standard error
    asym = np.sqrt(p / 100 * (1 - p / 100) / N) / dist.pdf(true)  # asymptotic SE of a sample quantile
    assert abs(value.mean() - true) < 0.25 * asym
    # its spread over repetitions is the asymptotic standard error (within 15 %)
    assert value.std() == pytest.approx(asym, rel=0.15)
    # the quoted standard error estimates that spread (median within 25 %)
    assert np.median(se) == pytest.approx(value.std(), rel=0.25)
    # the 95 % interval covers the true quantile 93-99 % of the time (binomial ranks are conservative)
    cover = np.mean((lo <= true) & (true <= hi))
    assert 0.93 <= cover <= 0.99


def test_order_statistic_ranks_closed_form():
    """n = 200, median: ranks 86 and 115 (1-based, 95 %; normal approximation 100 -/+ 1.96 * 7.07)."""
    lo, hi = order_statistic_ranks(200, 0.5)
    assert (lo + 1, hi + 1) in {(86, 115), (86, 114), (87, 115)}
    assert order_statistic_ranks(5, 0.05) == (0, 1)  # 5 samples: the 5th percentile is barely bounded


def test_percentile_band_reports_sample_count():
    band = percentile_band(np.arange(1.0, 201.0))
    assert [b.percentile for b in band] == [5, 50, 95]
    assert all(b.n == 200 and b.ci_low <= b.value <= b.ci_high for b in band)
    assert band[1].value == pytest.approx(100.5)
    assert band[0].value == pytest.approx(0.05 * 200 + (1 + 0.05) / 3)  # type 8: rank n p + (p + 1) / 3
    with pytest.raises(ValueError):
        percentile_band([])

"""Percentiles of Monte Carlo samples with their Monte Carlo error.

A percentile estimated from ``n`` samples is itself uncertain.  The distribution-free
confidence interval of the ``p``-quantile uses order statistics: the number of samples
below the true quantile is Binomial(n, p), so with ``l = B^{-1}(a/2; n, p)`` and
``u = B^{-1}(1 - a/2; n, p) + 1`` the interval ``[X_(l), X_(u)]`` covers the true
quantile with probability at least about ``1 - a`` (Hahn & Meeker, "Statistical
Intervals", Wiley 1991, sec. 5.2; Conover, "Practical Nonparametric Statistics", 3rd ed.,
sec. 3.2).  The standard error quoted is the half-width of that interval divided by the
normal quantile ``z(1 - a/2)``; for large ``n`` it tends to the asymptotic
``sqrt(p (1 - p) / n) / f(x_p)`` without needing the density ``f``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PercentileEstimate:
    """The ``percentile`` (0-100) of ``n`` samples: value, confidence interval and
    Monte Carlo standard error (same unit as the samples)."""

    percentile: float
    value: float
    ci_low: float
    ci_high: float
    standard_error: float
    n: int
    confidence: float

    def as_dict(self) -> dict:
        return {"percentile": self.percentile, "value": self.value, "ci_low": self.ci_low, "ci_high": self.ci_high,
                "standard_error": self.standard_error, "samples": self.n, "confidence": self.confidence}


def order_statistic_ranks(n: int, p: float, confidence: float = 0.95) -> tuple[int, int]:
    """0-based ranks ``(l, u)`` of the sorted samples bounding the ``p``-quantile (p in
    [0, 1]) at ``confidence``; clipped to the sample."""
    from scipy.stats import binom  # scipy is a dependency; imported here to keep start-up light

    a = 1.0 - confidence
    lo = int(binom.ppf(a / 2.0, n, p))  # 1-based rank l, as a 0-based index: l - 1 ... see below
    hi = int(binom.ppf(1.0 - a / 2.0, n, p)) + 1
    # ranks are 1-based in the textbooks: X_(l) is sorted[l - 1]
    return max(lo - 1, 0), min(hi - 1, n - 1)


def percentile_intervals(samples, percentiles, confidence: float = 0.95):
    """Vectorised core: ``samples (..., n)`` -> ``(value, ci_low, ci_high, se)`` arrays of
    shape ``(..., len(percentiles))``.  The value is the approximately median-unbiased
    sample quantile (Hyndman & Fan, Am. Stat. 50, 1996, definition 8): with 200 samples
    NumPy's default linear rule puts the 5th percentile at the 5.5th, a bias of about a
    fifth of its standard error."""
    from scipy.stats import norm

    x = np.sort(np.asarray(samples, dtype=float), axis=-1)
    n = x.shape[-1]
    pct = np.atleast_1d(np.asarray(percentiles, dtype=float))
    value = np.moveaxis(np.percentile(x, pct, axis=-1, method="median_unbiased"), 0, -1)
    ranks = np.array([order_statistic_ranks(n, q / 100.0, confidence) for q in pct])
    lo, hi = x[..., ranks[:, 0]], x[..., ranks[:, 1]]
    se = (hi - lo) / (2.0 * norm.ppf(0.5 + confidence / 2.0))
    return value, lo, hi, se


def percentile_band(samples, percentiles=(5, 50, 95), confidence: float = 0.95) -> list[PercentileEstimate]:
    """Each percentile of the 1-d ``samples`` with its order-statistic confidence interval
    and Monte Carlo standard error."""
    x = np.asarray(samples, dtype=float).ravel()
    if x.size == 0:
        raise ValueError("no samples")
    value, lo, hi, se = percentile_intervals(x, percentiles, confidence)
    return [PercentileEstimate(float(q), float(v), float(a), float(b), float(s), int(x.size), confidence)
            for q, v, a, b, s in zip(np.atleast_1d(percentiles), value, lo, hi, se)]

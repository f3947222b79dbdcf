"""Sensitivity measures from a sweep's tidy table (pure numpy/scipy, no I/O).

* Tornado (one-at-a-time): for each parameter, the output at its low and high value with
  the others at baseline; bars sorted by swing |y(high) - y(low)|.
* Sobol indices (Saltelli design): ``scipy.stats.sobol_indices`` on the precomputed
  f(A), f(B), f(AB_i): first-order S1 (Saltelli 2010) and total ST (Jansen 1999), with
  bootstrap confidence intervals.  (SALib offers the same estimators but would add pandas
  and more to the install for what scipy already does.)
* Latin hypercube: Spearman rank correlation of each parameter with the output
  (``scipy.stats.spearmanr``), a screening measure that, unlike Sobol indices, needs no
  special design; it detects monotone effects only.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np


@dataclass
class Bar:
    param: str
    label: str
    y_low: float | None  # output at the parameter's low end (or its smallest-output value)
    y_high: float | None
    x_low: object
    x_high: object

    @property
    def swing(self) -> float:
        if self.y_low is None or self.y_high is None:
            return math.inf if (self.y_low is None) != (self.y_high is None) else 0.0
        return abs(self.y_high - self.y_low)


def _rows(t: dict, output: str):
    return [i for i, o in enumerate(t["output"]) if o == output]


def tornado(t: dict, params, output: str) -> tuple[float | None, list[Bar]]:
    """``(baseline value, bars sorted by swing)`` for ``output`` from the one-at-a-time cases of table ``t``."""
    rows = _rows(t, output)
    base = [t["value"][i] for i in rows if t["role"][i] == "baseline"]
    y0 = base[0] if base else None
    bars = []
    for p in params:
        sel = [i for i in rows if t["role"][i] == "oat" and t["param"][i] == p.field]
        if not sel:
            continue
        if p.values is None:
            lo = next((i for i in sel if t["level"][i] == "low"), None)
            hi = next((i for i in sel if t["level"][i] == "high"), None)
            bars.append(Bar(p.field, p.name, None if lo is None else t["value"][lo], None if hi is None else t["value"][hi],
                            None if lo is None else t[p.field][lo], None if hi is None else t[p.field][hi]))
        else:  # categorical: the values giving the smallest and largest output
            pts = [(t["value"][i], t[p.field][i]) for i in sel if t["value"][i] is not None]
            if not pts:
                bars.append(Bar(p.field, p.name, None, None, None, None))
                continue
            lo, hi = min(pts, key=lambda a: a[0]), max(pts, key=lambda a: a[0])
            bars.append(Bar(p.field, p.name, lo[0], hi[0], lo[1], hi[1]))
    bars.sort(key=lambda b: -b.swing if math.isfinite(b.swing) else -1e300)
    return y0, bars


@dataclass
class Indices:
    method: str  # "sobol" or "spearman"
    n: int  # base samples (sobol) or cases (lhs)
    first: list[float]
    total: list[float] | None
    first_ci: list[tuple[float, float]] | None
    total_ci: list[tuple[float, float]] | None
    note: str = ""


def sobol(t: dict, params, output: str, n: int, *, seed: int = 0) -> Indices | None:
    """Sobol indices of ``output`` from the Saltelli-design cases of table ``t`` (None without them)."""
    from scipy.stats import sobol_indices

    rows = _rows(t, output)
    d = len(params)
    fa, fb, fab = np.full(n, np.nan), np.full(n, np.nan), np.full((d, n), np.nan)
    index = {p.field: k for k, p in enumerate(params)}
    seen = 0
    for i in rows:
        role, j, v = t["role"][i], t["point"][i], t["value"][i]
        v = np.nan if v is None else v
        if role == "sobol-A":
            fa[j] = v
        elif role == "sobol-B":
            fb[j] = v
        elif role == "sobol-AB":
            fab[index[t["param"][i]], j] = v
        else:
            continue
        seen += 1
    if seen == 0:
        return None
    if not (np.isfinite(fa).all() and np.isfinite(fb).all() and np.isfinite(fab).all()):
        return Indices("sobol", n, [math.nan] * d, None, None, None,
                       "not computed: the output does not exist in some cases (e.g. a place never visible)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = sobol_indices(func={"f_A": fa[None, :], "f_B": fb[None, :], "f_AB": fab[:, None, :]}, n=n)
        first, total = np.atleast_1d(res.first_order), np.atleast_1d(res.total_order)
        try:
            ci = res.bootstrap(confidence_level=0.9, n_resamples=199)
            fo, to = ci.first_order.confidence_interval, ci.total_order.confidence_interval
            f_ci = list(zip(np.ravel(fo.low), np.ravel(fo.high)))
            t_ci = list(zip(np.ravel(to.low), np.ravel(to.high)))
        except (ValueError, FloatingPointError):  # degenerate resamples (e.g. a constant output): no interval
            f_ci = t_ci = None
    return Indices("sobol", n, [float(x) for x in first], [float(x) for x in total],
                   None if f_ci is None else [(float(a), float(b)) for a, b in f_ci],
                   None if t_ci is None else [(float(a), float(b)) for a, b in t_ci],
                   f"Saltelli design, N = {n} base samples ({n * (d + 2)} cases); 90 % bootstrap intervals"
                   + ("; with so few samples the indices are rough (estimates outside 0-1 are sampling noise)"
                      if n < 64 else ""))


def spearman(t: dict, params, output: str) -> Indices | None:
    """Spearman rank correlation of each parameter with ``output`` over the Latin-hypercube cases."""
    from scipy.stats import spearmanr

    rows = [i for i in _rows(t, output) if t["role"][i] == "lhs"]
    if not rows:
        return None
    y = np.array([np.nan if t["value"][i] is None else t["value"][i] for i in rows], float)
    if not np.isfinite(y).all():
        return Indices("spearman", len(rows), [math.nan] * len(params), None, None, None,
                       "not computed: the output does not exist in some cases")
    out = []
    for p in params:
        x = [t[p.field][i] for i in rows]
        if p.values is not None:
            x = [p.values.index(v) if v in p.values else p.values.index(type(p.values[0])(v)) for v in x]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = spearmanr(np.asarray(x, float), y).statistic
        out.append(float(r) if np.isfinite(r) else 0.0)
    return Indices("spearman", len(rows), out, None, None, None,
                   f"Latin hypercube, {len(rows)} cases; Spearman rank correlation (monotone effects only)")

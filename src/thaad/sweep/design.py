"""Designs: which parameter values each case takes.

* one-at-a-time: the baseline, then each parameter alone at its low and high value (or
  each of its listed values) with the others at baseline: the tornado chart's cases.
* Latin hypercube (``scipy.stats.qmc.LatinHypercube``): ``samples`` space-filling cases.
* Sobol (Saltelli 2010 design): a scrambled Sobol sequence of dimension 2d split into the
  matrices A and B (N rows each) plus the d matrices AB_i (A with column i from B): the
  N (d + 2) cases from which ``scipy.stats.sobol_indices`` estimates first-order and total
  indices (Saltelli et al., Comput. Phys. Commun. 181 (2010) 259-270).

Unit-cube samples u in [0, 1) map to values: linear or logarithmic between low and high,
the nearest integer for integer fields, and the floor(u n)-th entry for a list of values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import qmc


@dataclass(frozen=True)
class Case:
    """One design point: ``values`` (one per parameter) and where it sits in the design."""

    index: int
    values: tuple
    role: str  # "baseline", "oat", "lhs", "sobol-A", "sobol-B", "sobol-AB"
    param: int = -1  # oat: the varied parameter; sobol-AB: the column taken from B
    point: int = -1  # lhs / sobol: row in the sample
    level: str = ""  # oat: "low", "high" or "values[j]"


def from_unit(u: float, prm, baseline):
    """Map u in [0, 1) to a parameter value (see the module docstring)."""
    if prm.values is not None:
        return prm.values[min(int(u * len(prm.values)), len(prm.values) - 1)]
    if prm.scale == "log":
        v = math.exp(math.log(prm.low) + u * (math.log(prm.high) - math.log(prm.low)))
    else:
        v = prm.low + u * (prm.high - prm.low)
    return typed(v, baseline)


def typed(v, baseline):
    """Integer fields take integers (a float low/high on an int field is rounded)."""
    if isinstance(baseline, int) and not isinstance(baseline, bool) and isinstance(v, float):
        return int(round(v))
    return v


def one_at_a_time(params, baselines) -> list[tuple[tuple, int, str]]:
    rows = []
    for i, prm in enumerate(params):
        if prm.values is not None:
            levels = [(f"values[{j}]", v) for j, v in enumerate(prm.values) if v != baselines[i]]
        else:
            levels = [("low", typed(prm.low, baselines[i])), ("high", typed(prm.high, baselines[i]))]
        for name, v in levels:
            vals = list(baselines)
            vals[i] = v
            rows.append((tuple(vals), i, name))
    return rows


def make_cases(design, params, baselines) -> list[Case]:
    """Every case of ``design`` in a fixed order (same file -> same cases, same order)."""
    d = len(params)
    cases: list[Case] = []

    def add(values, role, **kw):
        cases.append(Case(len(cases), tuple(values), role, **kw))

    if design.one_at_a_time:
        add(baselines, "baseline")
        for vals, i, level in one_at_a_time(params, baselines):
            add(vals, "oat", param=i, level=level)
    if design.space_filling == "lhs":
        u = _engine(qmc.LatinHypercube, d, design.seed).random(design.samples)
        for j, row in enumerate(u):
            add([from_unit(x, p, b) for x, p, b in zip(row, params, baselines)], "lhs", point=j)
    elif design.space_filling == "sobol":
        a, b = sobol_matrices(d, design.samples, design.seed)
        for j in range(design.samples):
            add([from_unit(x, p, bl) for x, p, bl in zip(a[j], params, baselines)], "sobol-A", point=j)
        for j in range(design.samples):
            add([from_unit(x, p, bl) for x, p, bl in zip(b[j], params, baselines)], "sobol-B", point=j)
        for i in range(d):
            ab = a.copy()
            ab[:, i] = b[:, i]
            for j in range(design.samples):
                add([from_unit(x, p, bl) for x, p, bl in zip(ab[j], params, baselines)], "sobol-AB", param=i, point=j)
    return cases


def sobol_matrices(d: int, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The A and B matrices (n, d) of the Saltelli design from one 2d-dimensional scrambled Sobol sequence."""
    s = _engine(qmc.Sobol, 2 * d, seed, scramble=True).random_base2(int(round(math.log2(n))))
    return s[:, :d], s[:, d:]


def _engine(cls, d: int, seed: int, **kw):
    """A seeded qmc engine (``rng=`` from SciPy 1.15, ``seed=`` before)."""
    try:
        return cls(d=d, rng=np.random.default_rng(seed), **kw)
    except TypeError:
        return cls(d=d, seed=np.random.default_rng(seed), **kw)


def case_count(design, d: int, values_lists) -> int:
    n = 0
    if design.one_at_a_time:
        n += 1 + sum(2 if v is None else len(v) - 1 for v in values_lists)
    if design.space_filling == "lhs":
        n += design.samples
    elif design.space_filling == "sobol":
        n += design.samples * (d + 2)
    return n

"""Row blocks of a batch on the available cores, for compiled kernels that release the GIL
(numba ``nogil=True``): threads share the arrays, so no copies and no pickling; cheaper to
compile than numba's ``parallel=True``."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np


def in_threads(part, n: int, min_rows: int = 512) -> None:
    """Run ``part(lo, hi)`` over row blocks of ``range(n)`` on the available cores."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    k = max(1, min(cores, n // min_rows))
    if k == 1:
        part(0, n)
        return
    edges = np.linspace(0, n, k + 1).astype(int)
    with ThreadPoolExecutor(k) as pool:
        list(pool.map(part, edges[:-1], edges[1:]))

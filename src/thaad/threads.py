"""Row blocks of a batch on the available cores, for compiled kernels that release the GIL
(numba ``nogil=True``): threads share the arrays, so no copies and no pickling; cheaper to
compile than numba's ``parallel=True``.

One thread pool per process, made on first use and made again in a forked child (a pool's
threads do not survive ``fork``: submitting to the parent's pool would wait forever).  The
number of threads is the number of cores this process may use, or ``NUMBA_NUM_THREADS``
when set.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from thaad import _memory  # noqa: F401  (how big arrays get their memory: tuned on first use, see there)

_POOL: dict = {}  # pid -> ThreadPoolExecutor
_LOCK = threading.Lock()
_PREFIX = "thaad-pool"


def cores() -> int:
    """Threads to use: ``NUMBA_NUM_THREADS`` if set, else the cores available to this process."""
    env = os.environ.get("NUMBA_NUM_THREADS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _pool(threads: int) -> ThreadPoolExecutor:
    pid = os.getpid()
    with _LOCK:
        pool = _POOL.get(pid)
        if pool is None or pool._max_workers < threads:
            _POOL.clear()  # a parent's pool (after fork) is unusable here
            pool = _POOL[pid] = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=_PREFIX)
        return pool


def in_threads(part, n: int, min_rows: int = 512, blocks_per_thread: int = 1) -> None:
    """Run ``part(lo, hi)`` over row blocks of ``range(n)`` on the available cores: blocks
    of at least ``min_rows`` rows, ``blocks_per_thread`` per thread (more blocks balance
    rows of unequal cost)."""
    k_threads = cores()
    k = max(1, min(k_threads * max(1, blocks_per_thread), n // max(1, min_rows)))
    if k == 1 or k_threads == 1 or _in_pool():  # a pool thread (see in_order) runs its kernels itself
        part(0, n)
        return
    edges = np.linspace(0, n, k + 1).astype(int)
    jobs = [_pool(k_threads).submit(part, int(lo), int(hi)) for lo, hi in zip(edges[:-1], edges[1:])]
    for job in jobs:
        job.result()


def _in_pool() -> bool:
    return threading.current_thread().name.startswith(_PREFIX)


def in_order(fn, items):
    """``fn(item)`` for each item, on the available cores, the results yielded in the items'
    order: whole tasks in parallel (e.g. Monte Carlo chunks), each running its compiled
    kernels in its own thread (:func:`in_threads` does not split again inside a task), so that
    one task's Python steps overlap another's kernels.  ``fn`` must be thread-safe.  Tasks
    are handed out as threads free up (at most one waiting per thread), so only a few
    tasks' intermediate arrays exist at once."""
    items = list(items)
    k_threads = cores()
    if k_threads == 1 or len(items) < 2 or _in_pool():
        for item in items:
            yield fn(item)
        return
    pool = _pool(k_threads)
    ahead = 2 * k_threads
    jobs = [pool.submit(fn, item) for item in items[:ahead]]
    for i in range(len(items)):
        if i + ahead < len(items):
            jobs.append(pool.submit(fn, items[i + ahead]))
        yield jobs[i].result()
        jobs[i] = None  # its result is the caller's now

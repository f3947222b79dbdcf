"""Run a sweep: resolve every case, skip the cached ones, compute the rest (serially or on
Dask), store each result as it arrives, then write the table and the report.

Dask: by default a ``distributed.LocalCluster`` with one single-threaded worker process per
core (the physics is numpy-bound and holds the GIL between calls, so processes, not
threads, scale); ``scheduler="tcp://host:port"`` uses an existing cluster instead, with no
other change.  Cases are shipped in small batches (one task per batch) so that cheap
cases are not dominated by per-task overhead, while a killed sweep loses at most the
batches in flight: each finished case is in the cache the moment its batch returns.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from thaad.sweep.cache import Cache
from thaad.sweep.design import make_cases
from thaad.sweep.evaluate import evaluate_batch
from thaad.sweep.resolve import CaseProblem, resolve
from thaad.sweep.spec import SweepError


@dataclass
class RunResult:
    cases: list
    hashes: list[str]
    results: dict[str, dict]
    n_unique: int
    n_cached: int
    n_computed: int
    elapsed_s: float
    workers: int
    files: list[Path] = field(default_factory=list)


class _NullProgress:
    def start(self, total: int, cached: int) -> None: ...
    def advance(self, n: int) -> None: ...
    def stop(self) -> None: ...


def resolve_all(sweep) -> tuple[list, list[dict]]:
    """Every case and its payload; raises SweepError listing the invalid combinations (nothing computed)."""
    cases = make_cases(sweep.spec.design, sweep.parameters, list(sweep.baselines))
    payloads, problems = [], []
    for c in cases:
        try:
            payloads.append(resolve(sweep, c))
        except CaseProblem as err:
            vals = ", ".join(f"{p.field}={v!r}" for p, v in zip(sweep.parameters, c.values))
            problems += [f"design: case {c.index} ({vals}): {e}" for e in err.problems]
    if problems:
        more = len(problems) - 20
        raise SweepError(sweep.source, problems[:20] + ([f"design: ... and {more} more"] if more > 0 else []))
    return cases, payloads


def run(sweep, out_dir: str | Path, *, scheduler: str | None = None, workers: int | None = None,
        serial: bool = False, batch: int | None = None, progress=None) -> RunResult:
    t0 = time.perf_counter()
    cache = Cache(out_dir)
    progress = progress or _NullProgress()
    cases, payloads = resolve_all(sweep)
    names = [o.name for o in sweep.outputs]
    unique: dict[str, dict] = {}
    for p in payloads:
        unique.setdefault(p["hash"], p)
    results: dict[str, dict] = {}
    todo = []
    for h, p in unique.items():
        got = cache.get(h)
        if got is not None and all(n in got for n in names):
            results[h] = got
        else:
            todo.append(p)
    n_cached = len(results)
    progress.start(len(unique), n_cached)
    n_workers = 0
    try:
        if todo and (serial or (workers == 0 and scheduler is None)):
            for p in todo:
                for h, outs in evaluate_batch([p]):
                    cache.put(h, outs)
                    results[h] = cache.get(h)
                progress.advance(1)
        elif todo:
            n_workers = _run_dask(todo, cache, results, scheduler, workers, batch, progress)
    finally:
        progress.stop()
    return RunResult(cases, [p["hash"] for p in payloads], results, len(unique), n_cached, len(todo),
                     time.perf_counter() - t0, n_workers)


def _run_dask(todo, cache, results, scheduler, workers, batch, progress) -> int:
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        import warnings

        n = workers or os.cpu_count() or 1
        with warnings.catch_warnings():  # the scheduler's HTTP port falls back to a free one: nothing to act on
            warnings.filterwarnings("ignore", message="Port .* is already in use")
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                                   silence_logs=40)
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout=30)
        except (OSError, TimeoutError, ValueError) as err:
            from thaad.errors import InputError

            raise InputError("--scheduler", f"cannot reach a Dask scheduler at {scheduler!r} ({err})") from None
    try:
        n_workers = max(len(client.nthreads()), 1)
        size = batch or max(1, min(8, math.ceil(len(todo) / (4 * n_workers))))
        batches = [todo[i:i + size] for i in range(0, len(todo), size)]
        futures = [client.submit(evaluate_batch, b, pure=False) for b in batches]
        for fut in as_completed(futures):
            for h, outs in fut.result():
                cache.put(h, outs)
                results[h] = cache.get(h)
                progress.advance(1)
            fut.release()
        return n_workers
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

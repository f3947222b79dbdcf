"""thaad.threads: row blocks of one kernel call, and whole tasks, on the cores."""

import threading
import time

import pytest

from thaad import threads


def test_in_order_runs_tasks_in_threads_and_yields_in_order(monkeypatch):
    monkeypatch.setenv("NUMBA_NUM_THREADS", "2")
    seen = {}

    def task(i):
        time.sleep(0.02 * ((7 * i) % 5))  # finishing out of order
        parts = []
        threads.in_threads(lambda lo, hi: parts.append((lo, hi, threading.get_ident())), 10_000, min_rows=1)
        seen[i] = (threading.get_ident(), parts)
        return i * i

    assert list(threads.in_order(task, range(12))) == [i * i for i in range(12)]
    idents = {ident for ident, _ in seen.values()}
    assert len(idents) == 2 and threading.get_ident() not in idents
    # inside a task the kernel's rows are not split again: one block, in the task's own thread
    assert all(parts == [(0, 10_000, ident)] for ident, parts in seen.values())


def test_in_threads_splits_rows_outside_tasks(monkeypatch):
    monkeypatch.setenv("NUMBA_NUM_THREADS", "2")
    parts = []
    threads.in_threads(lambda lo, hi: parts.append((lo, hi)), 10_000, min_rows=1)
    assert sorted(parts) == [(0, 5000), (5000, 10_000)]


def test_in_order_passes_a_task_error_on(monkeypatch):
    monkeypatch.setenv("NUMBA_NUM_THREADS", "2")

    def task(i):
        if i == 3:
            raise ValueError("bad task")
        return i

    with pytest.raises(ValueError, match="bad task"):
        list(threads.in_order(task, range(6)))

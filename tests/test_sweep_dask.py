"""Dask for real: a scheduler and two worker processes on localhost; kill and resume.

Must show (issue 12): the table from an existing cluster (``--scheduler``) equals the local
run's; a sweep killed part-way resumes with no finished case computed again and none lost.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sweep_helpers import run_cli, small_sweep

DASK = Path(sys.executable).with_name("dask")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _trace(path: Path) -> list[tuple[str, str]]:
    if not path.exists():
        return []
    return [tuple(line.split()) for line in path.read_text().splitlines() if line.strip()]


@pytest.fixture
def cluster(tmp_path):
    """A real `dask scheduler` and two `dask worker` processes on 127.0.0.1; yields (address, worker trace file)."""
    port = _free_port()
    addr = f"tcp://127.0.0.1:{port}"
    trace = tmp_path / "worker-trace.txt"
    env = {**os.environ, "THAAD_SWEEP_TRACE": str(trace)}
    procs = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)]
    try:
        for i in range(2):
            procs.append(subprocess.Popen([str(DASK), "worker", addr, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                                           "--name", f"w{i}", "--local-directory", str(tmp_path / f"w{i}")],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env))
        from distributed import Client

        with Client(addr, timeout=60) as c:
            c.wait_for_workers(2, timeout=120)
        yield addr, trace
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in reversed(procs):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def test_existing_cluster_table_equals_local_run(tmp_path, cluster):
    addr, trace = cluster
    f = tmp_path / "s.toml"
    f.write_text(small_sweep(space="sobol", samples=4))
    local = run_cli("sweep", f, "--out", tmp_path / "local", "--workers", "1", "--quiet", "--no-report")
    assert local.returncode == 0, local.stderr
    remote = run_cli("sweep", f, "--out", tmp_path / "remote", "--scheduler", addr, "--quiet", "--no-report", "--json")
    assert remote.returncode == 0, remote.stderr
    a = pq.read_table(tmp_path / "local" / "results.parquet")
    b = pq.read_table(tmp_path / "remote" / "results.parquet")
    assert a.num_rows == 21 * 8  # 21 cases x 8 outputs (2 modes x (range, area, 2 shields))
    assert a.equals(b)
    # the cluster's two worker processes (not this process, not the CLI) computed every case, once
    lines = _trace(trace)
    assert sorted(h for h, _ in lines) == sorted(set(h for h, _ in lines))
    assert len(lines) == 21
    assert len({pid for _, pid in lines}) == 2


def test_killed_sweep_resumes_without_recomputing_or_losing_cases(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text(small_sweep(grid_km=15.0, space="lhs", samples=24))  # ~0.1-0.5 s per case
    out = tmp_path / "out"
    env1 = {**os.environ, "THAAD_SWEEP_TRACE": str(tmp_path / "run1.txt")}
    cmd = [sys.executable, "-m", "thaad", "sweep", str(f), "--out", str(out), "--workers", "0", "--quiet", "--no-report"]
    p = subprocess.Popen(cmd, env=env1, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cases = out / "cases"
    t0 = time.time()
    while time.time() - t0 < 240 and (not cases.is_dir() or len(list(cases.glob("*.json"))) < 6):
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL)
    p.wait()
    done = {q.stem for q in cases.glob("*.json")}
    assert 6 <= len(done) < 29, "the sweep should have been killed part-way"
    assert not (out / "results.parquet").exists()
    run1 = {h for h, _ in _trace(tmp_path / "run1.txt")}
    assert done <= run1
    env2 = {**os.environ, "THAAD_SWEEP_TRACE": str(tmp_path / "run2.txt")}
    r = subprocess.run(cmd + ["--json"], env=env2, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    run2 = [h for h, _ in _trace(tmp_path / "run2.txt")]
    assert not set(run2) & done  # no finished case computed again
    assert len(run2) == len(set(run2))
    table = pq.read_table(out / "results.parquet").to_pydict()
    hashes = set(table["hash"])
    assert len(hashes) == 29  # 1 + 4 one-at-a-time + 24 Latin-hypercube cases: none lost
    assert {h[:16] for h in done | set(run2)} == hashes
    assert all(v is not None for v in table["value"])

"""Issue 15: one output policy for every command that writes files.

--out FILE: parents created, bad targets refused before any work, written atomically (full
disk: a message and no partial file).  assess --out DIR: built aside and moved into place,
a foreign non-empty folder refused unless --force, stale files removed, user files kept.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from thaad import output

from hardening_helpers import run

TRAJ = ["trajectory", "--burnout-speed", "2000", "--elevation-deg", "45", "--from", "36,128", "--azimuth-deg", "90",
        "--earth", "spherical", "--no-rotation", "--no-drag", "--no-j2", "--sample-s", "10"]


def _refused_before_work(capsys, *argv):
    code, out, err = run(capsys, *argv)
    assert code == 2, (code, err)
    assert err.startswith("thaad: error: out:") and "internal error" not in err, err
    return err


def test_out_is_a_directory(tmp_path, capsys):
    d = tmp_path / "d.csv"
    d.mkdir()
    err = _refused_before_work(capsys, *TRAJ, "--out", str(d))
    assert "is a folder" in err


def test_out_under_a_regular_file(tmp_path, capsys):
    f = tmp_path / "afile"
    f.write_text("mine")
    err = _refused_before_work(capsys, *TRAJ, "--out", str(f / "t.csv"))
    assert "not a folder" in err
    assert f.read_text() == "mine"
    err = _refused_before_work(capsys, "coverage", "--rcs-m2", "1", "--grid-km", "50", "--out", str(f / "cov.png"))
    err = _refused_before_work(capsys, "footprint", "--missile", "scud-b", "--from", "yumen", "--out", str(f / "fp.geojson"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_out_into_read_only_folder(tmp_path, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        err = _refused_before_work(capsys, *TRAJ, "--out", str(ro / "t.csv"))
        assert "permission denied" in err
    finally:
        ro.chmod(0o700)


def test_missing_parents_are_created(tmp_path, capsys, monkeypatch):
    """Decided once for every command: missing parent folders are created (mkdir -p)."""
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *TRAJ, "--out", "nope/sub/t.csv")
    assert code == 0, err
    assert Path("nope/sub/t.csv").read_text().startswith("t_s,lat_deg")
    code, _, err = run(capsys, "coverage", "--rcs-m2", "1", "--grid-km", "100", "--out", "with space/cov.geojson")
    assert code == 0, err
    json.loads(Path("with space/cov.geojson").read_text())
    assert sorted(p.name for p in Path("with space").iterdir()) == ["cov.geojson"]  # no temp left


def test_full_disk_leaves_no_partial_file(tmp_path, capsys, monkeypatch):
    target = tmp_path / "t.csv"
    target.write_text("previous complete file")
    real_replace = os.replace

    def full(src, dst):  # the write "succeeds" partially, then the move hits a full disk
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.os, "replace", full)
    code, _, err = run(capsys, *TRAJ, "--out", str(target))
    monkeypatch.setattr(output.os, "replace", real_replace)
    assert code == 2 and "no space left" in err and "internal error" not in err, err
    assert target.read_text() == "previous complete file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]


def test_full_disk_while_writing(tmp_path):
    with pytest.raises(output.OutputError, match="no space left"):
        with output.atomic_file(tmp_path / "x.json") as tmp:
            tmp.write_text("{half")
            raise OSError(errno.ENOSPC, "No space left on device")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_stdout_on_a_full_device():
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "thaad", "places", "--json"], stdout=full, stderr=subprocess.PIPE,
                           text=True, timeout=120)
    assert r.returncode == 2 and "stdout" in r.stderr and "No space left" in r.stderr
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr


def test_closed_pipe_is_quiet():
    p = subprocess.Popen([sys.executable, "-m", "thaad", "missiles", "--json"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    p.stdout.read(10)
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait(timeout=120) == 0
    assert "Traceback" not in err and "Exception ignored" not in err, err


# --- report folders (publishing logic, without running the assessment) ---------------------
def _fake_report(tmp: Path, seed: int, pdf: bool = False) -> None:
    (tmp / "figures").mkdir()
    (tmp / "figures" / "a.png").write_bytes(b"png")
    (tmp / "report.json").write_text(json.dumps({"seed": seed}))
    (tmp / "run.json").write_text(json.dumps({"thaad_version": "test"}))
    if pdf:
        (tmp / "report.pdf").write_bytes(b"%PDF")
    (tmp / "index.html").write_text(f"<html>seed {seed}</html>")


def test_foreign_folder_refused_unless_force(tmp_path):
    out = tmp_path / "rep"
    out.mkdir()
    (out / "index.html").write_text("my own page")
    (out / "notes.txt").write_text("mine")
    with pytest.raises(output.OutputError, match="--force"):
        output.check_report_dir(out)
    with output.report_dir(out, force=True) as tmp:
        _fake_report(tmp, 1)
    assert (out / "notes.txt").read_text() == "mine"  # unrelated files kept
    assert "seed 1" in (out / "index.html").read_text()


def test_current_folder_is_foreign(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    Path("thesis.tex").write_text("mine")
    code, _, err = run(capsys, "assess", "--quiet", "--out", ".")
    assert code == 2 and "--force" in err
    assert sorted(os.listdir(".")) == ["thesis.tex"]


def test_rerun_replaces_own_report_and_removes_stale_files(tmp_path):
    out = tmp_path / "rep"
    with output.report_dir(out) as tmp:
        _fake_report(tmp, 1, pdf=True)
    (out / "notes.txt").write_text("user note")
    with output.report_dir(out) as tmp:  # thaad's own folder: no --force needed
        _fake_report(tmp, 2)
    assert not (out / "report.pdf").exists()  # stale file of the old report removed
    assert (out / "notes.txt").read_text() == "user note"
    assert json.loads((out / "report.json").read_text())["seed"] == 2
    assert "report.json" in json.loads((out / "run.json").read_text())["files"]
    assert [p.name for p in tmp_path.iterdir()] == ["rep"]  # no temp folders left


def test_interrupted_run_leaves_the_old_report_whole(tmp_path):
    out = tmp_path / "rep"
    with output.report_dir(out) as tmp:
        _fake_report(tmp, 1)
    with pytest.raises(KeyboardInterrupt):
        with output.report_dir(out) as tmp:
            (tmp / "report.json").write_text(json.dumps({"seed": 2}))
            raise KeyboardInterrupt  # Ctrl-C during the write
    assert json.loads((out / "report.json").read_text())["seed"] == 1
    assert "seed 1" in (out / "index.html").read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["rep"]


def test_interrupted_publish_never_looks_complete(tmp_path, monkeypatch):
    """If the move into place is cut short, index.html (what makes it look complete) is absent."""
    out = tmp_path / "rep"
    with output.report_dir(out) as tmp:
        _fake_report(tmp, 1)
    real_rename = os.rename
    calls = {"n": 0}

    def flaky(src, dst):
        calls["n"] += 1
        if Path(src).parent.name.startswith(".rep.thaad-tmp-") and calls["n"] > 7:
            raise KeyboardInterrupt
        return real_rename(src, dst)

    monkeypatch.setattr(output.os, "rename", flaky)
    with pytest.raises(KeyboardInterrupt):
        with output.report_dir(out) as tmp:
            _fake_report(tmp, 2)
    assert not (out / "index.html").exists()


def test_real_report_is_published_whole(small_report):
    """The small assessment (built once per session): thaad's run.json lists what it wrote,
    and no temporary folder is left beside the report."""
    meta = json.loads((small_report / "run.json").read_text())
    assert {"index.html", "report.json", "figures", "layers"} <= set(meta["files"])
    assert [p.name for p in small_report.parent.iterdir()] == [small_report.name]


def test_permission_denied_at_write_time(tmp_path, capsys, monkeypatch):
    """Read-only folder seen only when writing (e.g. as root on a read-only mount): exit 2, no file."""
    def denied(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(output.tempfile, "mkstemp", denied)
    for argv in ([*TRAJ, "--out", str(tmp_path / "t.csv")],
                 ["coverage", "--rcs-m2", "1", "--grid-km", "100", "--out", str(tmp_path / "c.png")]):
        code, _, err = run(capsys, *argv)
        assert code == 2 and "permission denied" in err and "internal error" not in err, err
    assert list(tmp_path.iterdir()) == []

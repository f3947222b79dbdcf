"""One output policy for every command that writes files (shell: does I/O).

* ``--out FILE``: missing parent folders are created (like ``mkdir -p``); a folder at FILE,
  a regular file where a folder is needed, or a folder we cannot write into is refused
  (:class:`OutputError`, exit 2) *before* any computation (:func:`check_file_target`).
  The file is written to a temporary file beside it and moved into place
  (:func:`atomic_file`), so it is either complete or absent: a full disk, a kill or
  Ctrl-C never leaves half a file.  An existing FILE is replaced: the user named it.
* ``assess --out DIR`` (:func:`check_report_dir`, :func:`report_dir`): the report is built
  in a hidden temporary folder beside DIR and moved into place at the end.  A non-empty
  DIR that thaad did not write (no thaad ``run.json``) is refused unless ``force``; even
  then only thaad's own entries are replaced and every other file is kept.  Entries of an
  older report that the new one does not have (``report.pdf``) are removed, and
  ``index.html`` is moved in last, so an interrupted run never leaves a report that looks
  complete.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from thaad.errors import InputError

# entries a thaad report folder may hold (also those of older versions)
REPORT_ENTRIES = ("index.html", "report.json", "run.json", "report.pdf", "figures", "layers")


class OutputError(InputError):
    """An output that cannot be written (bad path, no permission, disk full): exit 2."""


def _reason(err: OSError) -> str:
    if err.errno == errno.ENOSPC:
        return "no space left on the device"
    if err.errno == errno.EDQUOT:
        return "disk quota exceeded"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if err.errno == errno.EROFS:
        return "read-only file system"
    return err.strerror or str(err)


def _existing_ancestor(p: Path) -> Path:
    a = p
    while not a.exists() and a != a.parent:
        if a.is_symlink():  # a dangling link: do not create through it
            return a
        a = a.parent
    return a


def _check_parent(p: Path, field: str) -> None:
    parent = p.parent if str(p.parent) else Path(".")
    anc = _existing_ancestor(parent.absolute())
    if not anc.is_dir():
        raise OutputError(field, f"cannot create {str(p)!r}: {str(anc)!r} is not a folder")
    if not os.access(anc, os.W_OK | os.X_OK):
        raise OutputError(field, f"cannot write into {str(anc)!r}: permission denied")


def check_file_target(path, field: str = "out", suffixes: tuple[str, ...] | None = None) -> Path:
    """Refuse an unusable ``--out FILE`` before any work; returns it as a Path."""
    p = Path(path)
    if suffixes is not None and p.suffix.lower() not in suffixes:
        raise OutputError(field, f"must end in {', '.join(suffixes)}, got {str(path)!r}")
    if p.is_dir():
        raise OutputError(field, f"{str(p)!r} is a folder; give a file name, e.g. {str(p / ('out' + (suffixes or ('',))[0]))!r}")
    if p.exists() and not p.is_file():
        raise OutputError(field, f"{str(p)!r} exists and is not a regular file")
    _check_parent(p, field)
    return p


def _mkdir(folder: Path, field: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(field, f"cannot create folder {str(folder)!r}: a file of that name exists") from None
    except NotADirectoryError:
        raise OutputError(field, f"cannot create folder {str(folder)!r}: part of the path is a file") from None
    except OSError as err:
        raise OutputError(field, f"cannot create folder {str(folder)!r}: {_reason(err)}") from None


@contextmanager
def atomic_file(path, field: str = "out"):
    """Yield a temporary path beside ``path`` (same suffix); on success move it into place.

    Any OSError while writing becomes :class:`OutputError` naming the file and the reason;
    the temporary file is always removed, and ``path`` is untouched unless complete."""
    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    _mkdir(folder, field)
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{p.stem}.", suffix=f".part{p.suffix}")
        os.close(fd)
    except OSError as err:
        raise OutputError(field, f"cannot write {str(p)!r}: {_reason(err)}") from None
    tmp = Path(tmp)
    try:
        yield tmp
        os.replace(tmp, p)
    except OSError as err:
        raise OutputError(field, f"cannot write {str(p)!r}: {_reason(err)}; nothing was written") from None
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path, text: str, field: str = "out") -> None:
    with atomic_file(path, field) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes(path, data: bytes, field: str = "out") -> None:
    with atomic_file(path, field) as tmp:
        tmp.write_bytes(data)


# --- report folders ------------------------------------------------------------------------


def written_by_thaad(folder: Path) -> bool:
    """A folder holding a ``run.json`` that thaad wrote (it records ``thaad_version``)."""
    try:
        meta = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(meta, dict) and "thaad_version" in meta


def _owned_entries(folder: Path) -> set[str]:
    try:
        meta = json.loads((folder / "run.json").read_text(encoding="utf-8"))
        files = meta.get("files") if isinstance(meta, dict) else None
    except (OSError, ValueError):
        files = None
    names = set(REPORT_ENTRIES)
    if isinstance(files, list):
        names |= {f for f in files if isinstance(f, str) and "/" not in f and f not in ("", ".", "..")}
    return names


def check_report_dir(out, force: bool = False, field: str = "out") -> Path:
    """Refuse an unusable report folder before any work."""
    p = Path(out)
    if p.exists() and not p.is_dir():
        raise OutputError(field, f"{str(p)!r} is a file, not a folder")
    if p.is_dir():
        entries = [e for e in p.iterdir()]
        if entries and not force and not written_by_thaad(p):
            raise OutputError(field, f"{str(p)!r} is not empty and was not written by thaad (no thaad run.json); "
                                     "choose a new folder, or pass --force to write the report files into it "
                                     "(files of other names are kept)")
        if not os.access(p, os.W_OK | os.X_OK):
            raise OutputError(field, f"cannot write into {str(p)!r}: permission denied")
    _check_parent(p, field)
    return p


@contextmanager
def report_dir(out, force: bool = False, field: str = "out"):
    """Yield a fresh temporary folder beside ``out``; on success publish it as ``out``.

    See the module docstring for what is replaced and kept."""
    out = check_report_dir(out, force, field)
    parent = out.absolute().parent
    _mkdir(parent, field)
    try:
        tmp = Path(tempfile.mkdtemp(dir=parent, prefix=f".{out.name or 'report'}.thaad-tmp-"))
    except OSError as err:
        raise OutputError(field, f"cannot write into {str(parent)!r}: {_reason(err)}") from None
    try:
        yield tmp
        _publish(tmp, out, force, field)
    except OSError as err:
        raise OutputError(field, f"cannot write the report to {str(out)!r}: {_reason(err)}; "
                                 "no new report was published") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _record_files(tmp: Path) -> None:
    run = tmp / "run.json"
    try:
        meta = json.loads(run.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    meta["files"] = sorted(e.name for e in tmp.iterdir())
    run.write_text(json.dumps(meta, indent=2), encoding="utf-8")


def _publish(tmp: Path, out: Path, force: bool, field: str) -> None:
    _record_files(tmp)
    if not out.exists():
        os.rename(tmp, out)
        tmp.mkdir()  # so the caller's cleanup has something to remove
        return
    check_report_dir(out, force, field)  # again: the folder may have changed during the run
    if not any(out.iterdir()):
        out.rmdir()
        os.rename(tmp, out)
        tmp.mkdir()
        return
    new = {e.name for e in tmp.iterdir()}
    old = _owned_entries(out) if written_by_thaad(out) else set()
    trash = Path(tempfile.mkdtemp(dir=out.absolute().parent, prefix=f".{out.name}.thaad-old-"))
    try:
        # 1. the old index.html first: from here until step 3 the folder does not look complete
        for name in ["index.html"] + sorted((old | new) - {"index.html"}):
            target = out / name
            if target.exists() or target.is_symlink():
                os.rename(target, trash / name)
        # 2. the new entries, index.html last
        for name in sorted(new - {"index.html"}) + (["index.html"] if "index.html" in new else []):
            os.rename(tmp / name, out / name)
    finally:
        shutil.rmtree(trash, ignore_errors=True)

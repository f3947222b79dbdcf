"""Results cache: one small JSON file per resolved case, named by its content hash.

``<out>/cases/<hash>.json`` holds ``{"hash", "outputs": {name: value}}``.  Files are
written to a temporary name in the same folder and renamed into place (``os.replace`` is
atomic on POSIX and Windows), so a sweep killed at any moment leaves each case either
complete or absent: never half-written.  Leftover temporary files are ignored.  No fsync
(it cost more than the physics of a cheap case): a killed process loses nothing the kernel
has, and after a power cut a damaged file fails to parse or to match its hash and the case
is simply computed again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


class Cache:
    def __init__(self, folder: str | Path):
        self.dir = Path(folder) / "cases"
        self.dir.mkdir(parents=True, exist_ok=True)

    def path(self, h: str) -> Path:
        return self.dir / f"{h}.json"

    def get(self, h: str) -> dict | None:
        """The stored outputs of case ``h`` (``{name: value}``) or None."""
        try:
            rec = json.loads(self.path(h).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        return rec.get("outputs") if isinstance(rec, dict) and rec.get("hash") == h else None

    def put(self, h: str, outputs: dict) -> None:
        """Store (merge into) case ``h``'s outputs atomically."""
        merged = dict(self.get(h) or {})
        merged.update(outputs)
        tmp = self.dir / f".{h}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump({"hash": h, "outputs": merged}, f, sort_keys=True, allow_nan=False)
        os.replace(tmp, self.path(h))

    def hashes(self) -> set[str]:
        return {p.stem for p in self.dir.glob("*.json")}

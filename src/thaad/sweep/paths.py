"""Dotted field paths into a scenario: ``radar.boresight_deg``, ``shields[0].sectors[1].az_end_deg``.

A path is a list of keys (str) and list indices (int).  ``get_path``/``set_path`` work on the
plain JSON form of a scenario (``Scenario.model_dump(mode="json")``), so the result can be
validated again by the scenario schema with every problem reported.
"""

from __future__ import annotations

import copy
import re

_TOKEN = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)((?:\[\d+\])*)")


def parse_path(text: str) -> list[str | int]:
    """``'a.b[0].c'`` -> ``['a', 'b', 0, 'c']``; raises ValueError for a malformed path."""
    if not isinstance(text, str) or not text:
        raise ValueError("empty field path")
    out: list[str | int] = []
    for part in text.split("."):
        m = _TOKEN.fullmatch(part)
        if m is None:
            raise ValueError(f"malformed field path {text!r} (expected names joined by dots, e.g. radar.boresight_deg, "
                             "with [i] for list entries)")
        out.append(m.group(1))
        out.extend(int(i) for i in re.findall(r"\[(\d+)\]", m.group(2)))
    return out


def get_path(data, path: list[str | int]):
    """The value at ``path``; raises KeyError naming the first missing step."""
    cur = data
    for i, key in enumerate(path):
        if isinstance(key, int):
            if not isinstance(cur, list) or key >= len(cur):
                raise KeyError(f"no entry [{key}] at {format_path(path[:i]) or '(top)'}")
            cur = cur[key]
        else:
            if not isinstance(cur, dict) or key not in cur:
                raise KeyError(f"no field {key!r} at {format_path(path[:i]) or '(top)'}")
            cur = cur[key]
    return cur


def set_path(data, path: list[str | int], value, *, in_place: bool = False):
    """A deep copy of ``data`` (``in_place``: ``data`` itself) with ``path`` set to ``value`` (the path must exist)."""
    get_path(data, path)  # raises KeyError if the path does not exist
    out = data if in_place else copy.deepcopy(data)
    cur = out
    for key in path[:-1]:
        cur = cur[key]
    cur[path[-1]] = value
    return out


def format_path(path: list[str | int]) -> str:
    s = ""
    for key in path:
        s += f"[{key}]" if isinstance(key, int) else (("." if s else "") + key)
    return s


def flatten(table: dict, prefix: str = "") -> dict[str, object]:
    """Nested TOML tables -> dotted keys (``{'grids': {'coverage_km': 50}}`` -> ``{'grids.coverage_km': 50}``)."""
    out: dict[str, object] = {}
    for k, v in table.items():
        key = f"{prefix}.{k}" if prefix else str(k)
        if isinstance(v, dict):
            out.update(flatten(v, key))
        else:
            out[key] = v
    return out

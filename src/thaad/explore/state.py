"""The page's state -> a validated scenario (the only gate between the browser and the physics).

The page sends a small JSON object with the scenario fields it lets the user change::

    {"site": {"place": "seongju"} | {"lat_deg": .., "lon_deg": ..},
     "radar": {"boresight_deg": 330, "min_elevation_deg": 5},
     "rcs": {"warhead_m2": 0.01 | null},
     "sectors": [{"az_start_deg": .., "az_end_deg": .., "el_max_deg": ..}, ...],
     "mode": "terminal", "threat": "Scud-C", "launch": "sakkanmol"}

It is merged into the base scenario (the file given to ``thaad explore``, or the built-in
one) and the result is validated by :class:`thaad.scenario.Scenario` itself, so a bad value
gets exactly the ``path.field: message`` line that ``thaad assess --check`` prints for the
same value in a file.  Each problem also names the page field it belongs to.

Where the state lands in the scenario:

* the typed shield sectors become the first ``[[shields]]`` entry (``SHIELD_NAME``): the map
  shows the coverage with them, and ``thaad assess`` answers q2 for them;
* the picked mode is added to ``radar.modes`` if missing (q1 maps every listed mode);
* the picked launch area is put first in the picked threat's ``launch`` list.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from thaad import scenario as scenario_mod
from thaad.scenario import Scenario

SHIELD_NAME = "Sectors from thaad explore"
MAX_BODY_BYTES = 64_000
MAX_SECTORS = 12
STATE_KEYS = ("site", "radar", "rcs", "sectors", "mode", "threat", "launch")
RADAR_KEYS = ("boresight_deg", "min_elevation_deg")
RCS_KEYS = ("warhead_m2",)
SITE_KEYS = ("place", "lat_deg", "lon_deg", "alt_m")


@dataclass
class Problem:
    """One bad value: ``field`` is the page field, ``line`` the CLI's ``path: message`` line."""

    field: str
    message: str
    line: str


class StateError(Exception):
    """The page state did not validate; ``problems`` lists every bad value."""

    def __init__(self, problems: list[Problem], status: int = 422):
        self.problems = problems
        self.status = status
        super().__init__("; ".join(p.line for p in problems))

    def as_json(self) -> dict:
        return {"errors": [p.__dict__ for p in self.problems]}


@dataclass
class View:
    """What the page shows that is not a scenario field: which mode and which threat/launch pair."""

    mode: str
    threat: str | None
    launch: str | None
    sectors: list[tuple[float, float, float]] = field(default_factory=list)


def _reject(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _finite(text: str) -> float:
    v = float(text)
    if not math.isfinite(v):
        raise ValueError(f"{text} is too large for a number")
    return v


def parse_body(body: bytes) -> dict:
    """Request bytes -> the state dict; refuses oversized bodies, bad JSON, NaN/Infinity, non-objects."""
    if len(body) > MAX_BODY_BYTES:
        raise StateError([Problem("(request)", f"body too large ({len(body)} bytes, at most {MAX_BODY_BYTES})",
                                  f"(request): body too large ({len(body)} bytes, at most {MAX_BODY_BYTES})")], 413)
    try:
        data = json.loads(body.decode("utf-8"), parse_constant=_reject, parse_float=_finite)
    except (UnicodeDecodeError, ValueError) as err:
        msg = f"not valid JSON: {err}"
        raise StateError([Problem("(request)", msg, f"(request): {msg}")], 400) from None
    if not isinstance(data, dict):
        msg = f"expected a JSON object, got {type(data).__name__}"
        raise StateError([Problem("(request)", msg, f"(request): {msg}")], 400)
    return data


def initial_state(base: Scenario) -> dict:
    """The page's starting state, read from the base scenario."""
    site = base.site
    q3 = base.threats_q3 or base.threats
    return {
        "site": {"place": site.place} if site.place else {"lat_deg": site.lat_deg, "lon_deg": site.lon_deg},
        "radar": {"boresight_deg": base.radar.boresight_deg, "min_elevation_deg": base.radar.min_elevation_deg},
        "rcs": {"warhead_m2": base.rcs.warhead_m2},
        "sectors": [],
        "mode": base.radar.defence_mode,
        "threat": q3[0].name if q3 else None,
        "launch": q3[0].launch[0] if q3 else None,
    }


def _problem(field_: str, message: str, path: str | None = None) -> Problem:
    return Problem(field_, message, f"{path or field_}: {message}")


def _check_keys(obj, allowed, where: str, problems: list[Problem]) -> dict:
    if obj is None:
        return {}
    if not isinstance(obj, dict):
        problems.append(_problem(where, f"expected an object, got {type(obj).__name__}"))
        return {}
    for k in obj:
        if k not in allowed:
            problems.append(_problem(f"{where}.{k}" if where else str(k),
                                     f"unknown key; the page sends only {', '.join(allowed)}"))
    return {k: v for k, v in obj.items() if k in allowed}


def _page_field(path: str, threat_index: int | None, has_shield: bool) -> str:
    """Scenario error path -> the page field it belongs to."""
    if has_shield and path.startswith("shields[0].sectors"):
        return path.replace("shields[0].", "", 1)
    if path.startswith("radar.modes"):
        return "mode"
    if threat_index is not None:
        m = re.match(rf"threats\[{threat_index}\]\.?(\w*)", path)
        if m:
            return "launch" if m.group(1) == "launch" else "threat"
    if path.startswith("site"):
        return path if path in ("site.place", "site.lat_deg", "site.lon_deg", "site.alt_m") else "site"
    return path


def merge(base: Scenario, state: dict) -> tuple[dict, View, int | None]:
    """Base scenario + page state -> (scenario dict, view, index of the picked threat).

    Raises :class:`StateError` for keys the page never sends and for a threat the scenario lacks.
    """
    problems: list[Problem] = []
    state = _check_keys(state, STATE_KEYS, "", problems)
    d = base.model_dump(mode="json", exclude_none=True)
    if "site" in state:
        site = _check_keys(state["site"], SITE_KEYS, "site", problems)
        keep = {k: v for k, v in d["site"].items() if k in ("antenna_height_m",)}
        d["site"] = {**{k: v for k, v in site.items() if v is not None}, **keep}
    for key, allowed in (("radar", RADAR_KEYS), ("rcs", RCS_KEYS)):
        if key in state:
            part = _check_keys(state[key], allowed, key, problems)
            for k, v in part.items():
                if v is None:
                    d[key].pop(k, None)
                else:
                    d[key][k] = v
    sectors = state.get("sectors") or []
    if not isinstance(sectors, list):
        problems.append(_problem("sectors", f"expected a list, got {type(sectors).__name__}"))
        sectors = []
    if len(sectors) > MAX_SECTORS:
        problems.append(_problem("sectors", f"at most {MAX_SECTORS} sectors, got {len(sectors)}"))
        sectors = []
    if sectors:
        d["shields"] = [{"name": SHIELD_NAME, "description": "Sectors typed in thaad explore (blanked up to el_max_deg).",
                         "sectors": sectors}] + [sh for sh in d.get("shields", []) if sh.get("name") != SHIELD_NAME]
        # (a scenario saved from explore already holds that shield: replace it, shield names are unique)
    mode = state.get("mode") or base.radar.defence_mode
    if isinstance(mode, str) and mode not in d["radar"]["modes"]:
        d["radar"]["modes"] = d["radar"]["modes"] + [mode]
    elif not isinstance(mode, str):
        d["radar"]["modes"] = d["radar"]["modes"] + [mode]  # let the schema name the bad value
    threat, launch, ti = state.get("threat"), state.get("launch"), None
    if threat is not None:
        names = [t["name"] for t in d.get("threats", [])]
        if threat not in names:
            problems.append(_problem("threat", f"unknown threat {threat!r}; this scenario has: {', '.join(names) or 'none'}"))
        else:
            ti = names.index(threat)
            if launch is not None:
                lst = [x for x in d["threats"][ti]["launch"] if x != launch]
                d["threats"][ti]["launch"] = [launch] + lst
    if problems:
        raise StateError(problems)
    view = View(mode=mode, threat=threat, launch=launch if threat is not None else None)
    return d, view, ti


def to_scenario(base: Scenario, state: dict) -> tuple[Scenario, View]:
    """Validate the page state against the scenario schema; every problem names its page field."""
    d, view, ti = merge(base, state)
    has_shield = bool(d.get("shields")) and d["shields"][0]["name"] == SHIELD_NAME
    try:
        sc = Scenario.model_validate(d)
    except ValidationError as err:
        problems = []
        for line in scenario_mod.format_errors(err):
            path, _, msg = line.partition(": ")
            problems.append(Problem(_page_field(path, ti, has_shield), msg, line))
        raise StateError(problems) from None
    if has_shield:
        view.sectors = [(s.az_start_deg, s.az_end_deg, s.el_max_deg) for s in sc.shields[0].sectors]
    return sc, view

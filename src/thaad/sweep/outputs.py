"""The headline numbers a sweep can record, by question (names are stable: they are table keys).

A sweep lists output *families*; each expands to one named number per radar mode, place,
shield or threat group of the base scenario, e.g. ``q1.detection_range_km`` ->
``q1.detection_range_km.terminal`` and ``q1.detection_range_km.forward-based``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    name: str
    unit: str
    over: str  # "mode", "mode+place", "mode+shield", "q3", "q4"
    meaning: str


FAMILIES: dict[str, Family] = {f.name: f for f in (
    Family("q1.detection_range_km", "km", "mode", "free-space detection range of a warhead-sized target (radar equation)"),
    Family("q1.covered_area_km2", "km^2", "mode", "area of the coverage grid where a warhead-sized target is detectable at some altitude"),
    Family("q1.farthest_km", "km", "mode", "farthest ground distance at which a warhead-sized target is detectable (radials, 1 deg x 5 km)"),
    Family("q1.lowest_alt_km", "km", "mode+place", "lowest altitude above the place at which a warhead-sized target is detectable (empty: never)"),
    Family("q2.coverage_lost_pct", "%", "mode+shield", "share of the covered area (warhead-sized) that the shield removes"),
    Family("q3.engageable_share", "1", "q3", "share of the group's launch-target pairs with at least one shot opportunity"),
    Family("q3.shots_mean", "shots", "q3", "mean shot opportunities over the group's launch-target pairs"),
    Family("q3.defended_area_km2", "km^2", "q3", "nominal defended area of South Korean land (the report's footprint, "
           "no Monte Carlo; mean over the group's launch areas; a coarse grids.footprint_km keeps it cheap)"),
    Family("q4.engageable_share", "1", "q4", "share of the group's launch-target pairs the battery can engage"),
)}


def slug(text: str) -> str:
    """A table-safe name: ``'Hwasong-7 (Nodong)'`` -> ``'hwasong-7-nodong'``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class Output:
    """One named headline number: ``family`` evaluated for ``mode``/``place``/``shield``/``threat``."""

    name: str
    family: str
    unit: str
    mode: str | None = None
    place: str | None = None
    shield: int | None = None  # index into scenario.shields
    threat: str | None = None  # threat group name


def expand(families: list[str], scenario, places: list[str]) -> list[Output]:
    """Every named output of ``families`` for ``scenario`` (its modes, shields, threats) and ``places``."""
    out: list[Output] = []
    modes = list(scenario.radar.modes)
    for fam_name in families:
        fam = FAMILIES[fam_name]
        if fam.over == "mode":
            out += [Output(f"{fam.name}.{m}", fam.name, fam.unit, mode=m) for m in modes]
        elif fam.over == "mode+place":
            out += [Output(f"{fam.name}.{m}.{slug(p)}", fam.name, fam.unit, mode=m, place=p) for m in modes for p in places]
        elif fam.over == "mode+shield":
            out += [Output(f"{fam.name}.{m}.{slug(sh.name)}", fam.name, fam.unit, mode=m, shield=i)
                    for m in modes for i, sh in enumerate(scenario.shields)]
        else:
            out += [Output(f"{fam.name}.{slug(t.name)}", fam.name, fam.unit, threat=t.name)
                    for t in scenario.threats if t.question == fam.over]
    return out


def check_family(name: str, scenario, places: list[str]) -> str | None:
    """None if family ``name`` can be evaluated on ``scenario``, else why not."""
    fam = FAMILIES.get(name)
    if fam is None:
        return f"unknown output {name!r}; known: {', '.join(FAMILIES)}"
    if fam.over == "mode+place" and not places:
        return f"{name} needs outputs.places (a list of places from `thaad places`)"
    if fam.over == "mode+shield" and not scenario.shields:
        return f"{name} needs at least one [[shields]] entry in the base scenario"
    if fam.over in ("q3", "q4") and not any(t.question == fam.over for t in scenario.threats):
        return f"{name} needs at least one {fam.over} threat group in the base scenario"
    return None

"""What every report section gets: the scenario, resolved places, levels, progress."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from thaad import catalog
from thaad.catalog import LEVELS
from thaad.report.model import Source
from thaad.scenario import Point, Scenario


class Task(Protocol):
    def advance(self, n: int = 1) -> None: ...


class Progress(Protocol):
    def task(self, description: str, total: int) -> Task: ...


class _NullTask:
    def advance(self, n: int = 1) -> None:
        pass


class NullProgress:
    def task(self, description: str, total: int) -> Task:
        return _NullTask()


@dataclass
class Context:
    scenario: Scenario
    seed: int
    progress: Progress = field(default_factory=NullProgress)
    sources: dict[str, Source] = field(default_factory=dict)
    cache: dict = field(default_factory=dict)

    @property
    def site(self) -> Point:
        return self.scenario.site.resolve()

    @property
    def site_label(self) -> str:
        """Short name of the radar site for labels and sentences: the place's name for a
        catalogue place ("Seongju"), else "the site (37.00 N, 127.00 E)"; never a name the
        scenario did not give."""
        sc_site = self.scenario.site
        if sc_site.place is not None:
            name = catalog.find_place(sc_site.place).name.split(" (")[0]
            return re.sub(r"\s+(THAAD\s+)?site$", "", name) or name  # "Seongju THAAD site" -> "Seongju"
        p = self.site
        return f"the site ({abs(p.lat_deg):.2f} {'N' if p.lat_deg >= 0 else 'S'}, {abs(p.lon_deg):.2f} {'E' if p.lon_deg >= 0 else 'W'})"

    @property
    def level(self) -> str:
        return self.scenario.estimate_level

    @property
    def levels(self) -> tuple[str, ...]:
        """The levels to compute: all three for a band, else the headline level only."""
        return LEVELS if self.scenario.bands else (self.level,)

    def report_places(self) -> list[catalog.Place]:
        names = self.scenario.report_places
        if names:
            return [catalog.find_place(n) for n in names]
        return catalog.places_tagged("report")

    def cite(self, parameter: str, quantity) -> None:
        """Record a catalogue Quantity (or anything with nominal/low/high/source/estimate)."""
        lo, hi = getattr(quantity, "low", None), getattr(quantity, "high", None)
        nom = getattr(quantity, "nominal", None)
        value = _g(nom) if lo is None and hi is None else f"{_g(nom)} ({_g(lo if lo is not None else nom)}–{_g(hi if hi is not None else nom)})"
        self.sources[parameter] = Source(parameter, value, str(getattr(quantity, "source", "")),
                                         bool(getattr(quantity, "estimate", True)), str(getattr(quantity, "note", "") or ""))

    def cite_place(self, place) -> None:
        self.sources[f"place: {place.name}"] = Source(f"place: {place.name}", f"{place.lat_deg:.4f}, {place.lon_deg:.4f}",
                                                       place.source, place.estimate, place.note)

    def cite_tree(self, prefix: str, tree) -> None:
        """Cite every sourced quantity found in a nested catalogue entry (dicts/models)."""
        if hasattr(tree, "model_dump") and hasattr(tree, "source") and hasattr(tree, "nominal"):
            self.cite(prefix, tree)
            return
        if isinstance(tree, dict) and "source" in tree and "nominal" in tree:
            self.cite(prefix, catalog.Quantity(**{k: v for k, v in tree.items() if k in catalog.Quantity.model_fields}))
            return
        items = tree.items() if isinstance(tree, dict) else (
            ((k, getattr(tree, k)) for k in type(tree).model_fields) if hasattr(tree, "model_dump") else ())
        for k, v in items:
            if isinstance(v, (dict,)) or hasattr(v, "model_dump"):
                self.cite_tree(f"{prefix}.{k}", v)


def _g(x) -> str:
    if x is None:
        return "—"
    if isinstance(x, float) and x.is_integer():
        return f"{x:,.0f}"
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)

"""Catalogue data for raids and people: raid limits, the lower tier and census population.

Shell module (reads ``data/batteries.toml`` and ``data/population_kr_2010.csv``); the
core (:mod:`thaad.raid`, :mod:`thaad.population`) gets the objects it builds.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from thaad import catalog

SEOUL_METRO = ("Seoul", "Incheon", "Gyeonggi")
POPULATION_FILE = "population_kr_2010.csv"
POPULATION_SOURCE = ("Statistics Korea, 2010 Population and Housing Census, total population by si/gun/gu "
                     "(KOSIS DT_1IN0001, via github.com/southkorea/southkorea-population, CC BY 3.0); municipality "
                     "centroids from the KOSTAT 2013 census boundaries (github.com/southkorea/southkorea-maps)")


@dataclass(frozen=True)
class Population:
    name: tuple[str, ...]
    province: tuple[str, ...]
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    population: np.ndarray
    year: int = 2010
    source: str = POPULATION_SOURCE

    @property
    def total(self) -> float:
        return float(self.population.sum())

    @property
    def seoul_metro(self) -> np.ndarray:
        return np.array([p in SEOUL_METRO for p in self.province])


@lru_cache(maxsize=1)
def population() -> Population:
    """South Korea's 251 municipalities (2010 census) with their centroids."""
    text = catalog.data_text(POPULATION_FILE)
    rows = list(csv.DictReader(io.StringIO("".join(l + "\n" for l in text.splitlines() if not l.startswith("#")))))
    return Population(tuple(r["name"] for r in rows), tuple(r["province"] for r in rows),
                      np.array([float(r["lat_deg"]) for r in rows]), np.array([float(r["lon_deg"]) for r in rows]),
                      np.array([float(r["population"]) for r in rows]))


def raid_limits(battery_key: str = "seongju", level: str = "nominal", **overrides):
    """:class:`thaad.raid.RaidLimits` from the battery's catalogue quantities at ``level``."""
    from thaad.raid import RaidLimits

    q = catalog.battery_entries()[battery_key]["quantities"]
    vals = {"fire_channels": int(round(q["fire_channels"].at(level))),
            "launch_interval_s": float(q["launch_interval_s"].at(level)),
            "reload_s": float(q["reload_s"].at(level)),
            "reload_rounds": int(round(q["reload_rounds"].at(level)))}
    vals.update({k: v for k, v in overrides.items() if v is not None})
    return RaidLimits(**vals)


def raid_quantities(battery_key: str = "seongju") -> dict:
    q = catalog.battery_entries()[battery_key]["quantities"]
    return {k: q[k] for k in ("fire_channels", "launch_interval_s", "reload_s", "reload_rounds")}


@lru_cache(maxsize=1)
def lower_tier_entries() -> dict:
    return catalog.load_toml("batteries.toml").get("lower_tier", {})


def lower_tier(template, key: str = "usfk-patriot", level: str = "nominal"):
    """The lower tier as one :class:`~thaad.engagement.Battery` whose launcher sites are all
    its batteries (an aim point is defended if any of them has a shot), with the upper
    battery's reaction times (``template``) and the lower tier's interceptor."""
    e = lower_tier_entries()[key]
    sites = tuple((math.radians(s["lat_deg"]), math.radians(s["lon_deg"]), float(s.get("alt_m", 0.0)))
                  for s in e["sites"])
    return replace(template, name=e["name"], launcher_sites=sites, n_launchers=len(sites) * 4,
                   interceptors_per_launcher=4, interceptor=catalog.interceptor(e["interceptor"], level))

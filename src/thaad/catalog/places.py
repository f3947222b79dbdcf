"""Reference places (``data/places.toml``): sites, cities and publicly reported launch areas."""

from __future__ import annotations

import dataclasses
import math
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from thaad.catalog.quantity import load_toml, lookup, name_index


class Place(BaseModel):
    """A named reference place: a site, city or publicly reported launch area."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    name: str
    lat_deg: float = Field(ge=-90, le=90)
    lon_deg: float = Field(ge=-180, le=180)
    alt_m: float = 0.0
    country: str
    kind: Literal["site", "city", "base", "launch-area", "target"]
    tags: list[str] = []
    source: str = Field(min_length=3)
    estimate: bool
    note: str = ""

    def point(self) -> "Point":
        """The place as a named geodetic :class:`Point`."""
        return Point(self.lat_deg, self.lon_deg, self.alt_m, self.name, self.key)


@dataclasses.dataclass(frozen=True)
class Point:
    """A geodetic point named by the user: a place from places.toml or LAT,LON[,ALT]
    (degrees and metres at the edge; ``key`` is the place key, or the coordinates)."""

    lat_deg: float
    lon_deg: float
    alt_m: float
    name: str
    key: str = ""

    @property
    def lat_rad(self) -> float:
        return math.radians(self.lat_deg)

    @property
    def lon_rad(self) -> float:
        return math.radians(self.lon_deg)


@lru_cache(maxsize=1)
def places() -> dict[str, Place]:
    """All reference places, keyed by their short key (``seongju``, ``beijing`` ...)."""
    raw = load_toml("places.toml")["place"]
    return {key: Place(key=key, **value) for key, value in raw.items()}


@lru_cache(maxsize=1)
def _index() -> dict[str, Place]:
    return name_index(places().values(), lambda p: (p.key, p.name))


def find_place(name: str) -> Place:
    """Look a place up by key or name, ignoring case, spaces and punctuation."""
    return lookup(_index(), name, "place", "see `thaad places` for the list")


def places_tagged(tag: str) -> list[Place]:
    return [p for p in places().values() if tag in p.tags]

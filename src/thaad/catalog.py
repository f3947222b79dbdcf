"""The catalogue: sourced public parameters, kept as TOML data under ``thaad/data``.

Every number that is not a physical constant comes from here and carries its public
``source`` and whether it is an ``estimate``.  Where sources disagree a quantity carries
``low``/``nominal``/``high``.

A sourced quantity in TOML::

    [missile.scud-b.range_km]
    nominal = 300
    low = 280              # optional
    high = 320             # optional
    source = "CSIS Missile Threat, 'Scud-B' (2021)"
    estimate = false
    note = "..."           # optional

This module is part of the shell: it reads files; the physics core never imports it.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from thaad.errors import InputError

Level = Literal["low", "nominal", "high"]
LEVELS: tuple[Level, ...] = ("low", "nominal", "high")


class Quantity(BaseModel):
    """A catalogue value with its public source and low/nominal/high band."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    nominal: float
    low: float | None = None
    high: float | None = None
    source: str = Field(min_length=3)
    estimate: bool
    note: str = ""

    @model_validator(mode="after")
    def _ordered(self):
        lo = self.nominal if self.low is None else self.low
        hi = self.nominal if self.high is None else self.high
        if not lo <= self.nominal <= hi:
            raise ValueError(f"need low <= nominal <= high, got {lo}, {self.nominal}, {hi}")
        return self

    def at(self, level: Level = "nominal") -> float:
        """The value at an estimate level; a missing bound falls back to ``nominal``."""
        v = getattr(self, level)
        return self.nominal if v is None else float(v)

    @property
    def band(self) -> tuple[float, float, float]:
        return self.at("low"), self.nominal, self.at("high")


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


def data_text(filename: str) -> str:
    """Text of a packaged data file (``thaad/data/<filename>``)."""
    return resources.files("thaad.data").joinpath(filename).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def load_toml(filename: str) -> dict:
    """Parsed packaged TOML data file (cached)."""
    return tomllib.loads(data_text(filename))


@lru_cache(maxsize=1)
def places() -> dict[str, Place]:
    """All reference places, keyed by their short key (``seongju``, ``beijing`` ...)."""
    raw = load_toml("places.toml")["place"]
    return {key: Place(key=key, **value) for key, value in raw.items()}


def _norm(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def find_place(name: str) -> Place:
    """Look a place up by key or name, ignoring case, spaces and punctuation."""
    wanted = _norm(name)
    for place in places().values():
        if wanted in (_norm(place.key), _norm(place.name)):
            return place
    raise InputError("place", f"unknown place {name!r}; see `thaad places` for the list")


def places_tagged(tag: str) -> list[Place]:
    return [p for p in places().values() if tag in p.tags]

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


# --- Missile catalogue --------------------------------------------------------------------
#
# ``data/missiles.toml``: one ``[missile.<key>]`` table per missile, its stages bottom to top
# as ``[[missile.<key>.stage]]`` and published lofted test flights as
# ``[[missile.<key>.test_flight]]``.  Every number is a :class:`Quantity`.

import datetime as _dt  # noqa: E402  (kept with the section that uses it)

MissileCategory = Literal["SRBM", "MRBM", "IRBM", "ICBM"]

# For ``missile_vehicle(level=...)``: which end of each quantity's band SHORTENS the range.
# "low" (pessimistic, shorter range) takes this end, "high" takes the other one.
_SHORT_RANGE_END: dict[str, Literal["low", "high"]] = {
    "gross_mass_kg": "high",  # more structure for the same propellant
    "propellant_mass_kg": "low",
    "isp_s": "low",
    "burn_time_s": "high",  # same propellant burnt more slowly: more gravity loss
    "payload_kg": "high",
    "diameter_m": "high",  # more boost drag
    "rv_ballistic_coefficient_kg_m2": "low",  # more re-entry drag
}


def _pick(quantity: Quantity, field: str, level: Level) -> float:
    """Value of ``quantity`` at a range level (see :func:`missile_vehicle`)."""
    if level == "nominal":
        return quantity.nominal
    short_end = _SHORT_RANGE_END[field]
    long_end = "high" if short_end == "low" else "low"
    return quantity.at(short_end if level == "low" else long_end)


class StageEntry(BaseModel):
    """One propulsive stage as catalogued: loaded mass, propellant, vacuum Isp, burn time."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = ""
    gross_mass_kg: Quantity  # loaded stage alone (no upper stages, no payload)
    propellant_mass_kg: Quantity
    isp_s: Quantity  # vacuum specific impulse
    burn_time_s: Quantity
    note: str = ""

    @model_validator(mode="after")
    def _propellant_below_gross(self):
        # every level mixes band ends, so the largest propellant must fit the smallest stage
        if not self.propellant_mass_kg.at("high") < self.gross_mass_kg.at("low"):
            raise ValueError("propellant_mass_kg (up to its high end) must be below gross_mass_kg (down to its low end)")
        return self


class TestFlight(BaseModel):
    """A published (usually lofted) test flight: a validation case for the aiming solver."""

    __test__ = False  # not a pytest class, despite the name
    model_config = ConfigDict(extra="forbid", frozen=True)

    date: _dt.date
    downrange_km: float = Field(gt=0)
    apogee_km: float = Field(gt=0)
    flight_time_s: float | None = Field(default=None, gt=0)
    source: str = Field(min_length=3)
    note: str = ""


class MissileEntry(BaseModel):
    """A catalogued ballistic missile with sourced quantities (see ``data/missiles.toml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    name: str
    aliases: list[str] = []
    operators: list[str]
    category: MissileCategory
    propellant: str
    separates: bool
    notes: str = ""
    range_km: Quantity
    payload_kg: Quantity
    launch_mass_kg: Quantity
    length_m: Quantity
    diameter_m: Quantity
    rv_ballistic_coefficient_kg_m2: Quantity
    stage: list[StageEntry] = Field(min_length=1)
    test_flight: list[TestFlight] = []

    @property
    def stages(self) -> list[StageEntry]:
        return self.stage

    @property
    def test_flights(self) -> list[TestFlight]:
        return self.test_flight

    def quantities(self) -> dict[str, Quantity]:
        """Every sourced quantity, keyed ``field`` or ``stage[i].field`` (for listings and checks)."""
        out = {name: getattr(self, name) for name, f in type(self).model_fields.items() if f.annotation is Quantity}
        for i, st in enumerate(self.stage):
            for name, f in type(st).model_fields.items():
                if f.annotation is Quantity:
                    out[f"stage[{i}].{name}"] = getattr(st, name)
        return out

    @property
    def any_estimate(self) -> bool:
        return any(q.estimate for q in self.quantities().values())


@lru_cache(maxsize=1)
def missiles() -> dict[str, MissileEntry]:
    """The missile catalogue, keyed by short key (``scud-b``, ``hwasong-15`` ...), cached."""
    raw = load_toml("missiles.toml")["missile"]
    return {key: MissileEntry(key=key, **value) for key, value in raw.items()}


def find_missile(name: str) -> MissileEntry:
    """Look a missile up by key, name or alias, ignoring case, spaces and punctuation."""
    if isinstance(name, MissileEntry):
        return name
    wanted = _norm(str(name))
    if wanted:
        for entry in missiles().values():
            if wanted in {_norm(entry.key), _norm(entry.name), *(_norm(a) for a in entry.aliases)}:
                return entry
    raise InputError("missile", f"unknown missile {name!r}; see `thaad missiles`")


def missile_vehicle(name_or_entry: str | MissileEntry, level: Level = "nominal"):
    """The flight-model :class:`thaad.ballistics.vehicle.Vehicle` of a catalogued missile.

    ``level`` picks one consistent end of every quantity's low/nominal/high band:
    ``"nominal"`` the nominal values; ``"low"`` the SHORTER-range end of each band, each
    quantity taken in the direction that shortens the range with the others held fixed (less
    propellant and Isp, more stage structure, more payload, longer burn, larger diameter,
    lower re-entry ballistic coefficient); ``"high"`` the longer-range end.  Quantities
    without a band give their nominal value at every level.
    """
    from thaad.ballistics.vehicle import Stage, Vehicle

    if level not in LEVELS:
        raise InputError("level", f"must be one of {', '.join(LEVELS)}, got {level!r}")
    entry = find_missile(name_or_entry)
    stages = tuple(
        Stage(
            gross_mass_kg=_pick(s.gross_mass_kg, "gross_mass_kg", level),
            propellant_mass_kg=_pick(s.propellant_mass_kg, "propellant_mass_kg", level),
            isp_s=_pick(s.isp_s, "isp_s", level),
            burn_time_s=_pick(s.burn_time_s, "burn_time_s", level),
        )
        for s in entry.stage
    )
    return Vehicle(
        name=entry.name,
        stages=stages,
        payload_kg=_pick(entry.payload_kg, "payload_kg", level),
        diameter_m=_pick(entry.diameter_m, "diameter_m", level),
        separates=entry.separates,
        rv_ballistic_coefficient_kg_m2=_pick(
            entry.rv_ballistic_coefficient_kg_m2, "rv_ballistic_coefficient_kg_m2", level
        ),
        notes=entry.notes,
        stage_names=tuple(s.name for s in entry.stage),
    )

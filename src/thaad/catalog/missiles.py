"""The missile catalogue (``data/missiles.toml``).

One ``[missile.<key>]`` table per missile, its stages bottom to top as
``[[missile.<key>.stage]]`` and published lofted test flights as
``[[missile.<key>.test_flight]]``.  Every number is a :class:`Quantity`.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from thaad.catalog.quantity import Level, Quantity, at_level, check_level, load_toml, lookup, name_index

MissileCategory = Literal["SRBM", "MRBM", "IRBM", "ICBM"]

# Capability direction (see thaad.catalog.quantity.at_level): +1 where a larger value
# lengthens the range with the others held fixed, -1 where it shortens it.
MISSILE_DIRECTION = {
    "gross_mass_kg": -1,  # more structure for the same propellant
    "propellant_mass_kg": +1,
    "isp_s": +1,
    "burn_time_s": -1,  # same propellant burnt more slowly: more gravity loss
    "payload_kg": -1,
    "diameter_m": -1,  # more boost drag
    "rv_ballistic_coefficient_kg_m2": +1,  # less re-entry drag
}


def _pick(quantity: Quantity, field: str, level: Level) -> float:
    return at_level(quantity, level, MISSILE_DIRECTION[field])


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

    date: datetime.date
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


def find_missile(name: str | MissileEntry) -> MissileEntry:
    """Look a missile up by key, name or alias, ignoring case, spaces and punctuation."""
    if isinstance(name, MissileEntry):
        return name
    return lookup(_index(), str(name), "missile", "see `thaad missiles`")


@lru_cache(maxsize=1)
def _index() -> dict[str, MissileEntry]:
    return name_index(missiles().values(), lambda e: (e.key, e.name, *e.aliases))


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

    level = check_level(level)
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



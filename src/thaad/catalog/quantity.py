"""A sourced catalogue value, the level rule, the packaged data files and the one name lookup."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Callable, Iterable, Mapping, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from thaad.choices import LEVELS, Level, parse
from thaad.errors import InputError

T = TypeVar("T")


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

    def at(self, end: Level = Level.NOMINAL) -> float:
        """The literal value at one end of the band; a missing bound falls back to ``nominal``.
        (An estimate *level* of an item goes through :func:`at_level` and its directions.)"""
        v = getattr(self, end)
        return self.nominal if v is None else float(v)

    @property
    def band(self) -> tuple[float, float, float]:
        return self.at("low"), self.nominal, self.at("high")

    @property
    def has_band(self) -> bool:
        return self.low is not None or self.high is not None


def check_level(level) -> Level:
    """``level`` as a :class:`Level`, else an InputError naming the allowed ones."""
    return parse(Level, level, "level")


def at_level(quantity: Quantity, level: Level, direction: int) -> float:
    """The value of ``quantity`` at an estimate level under the catalogue's one rule:
    ``low`` takes the end of the band that makes the item LESS capable, ``high`` the more
    capable end.  ``direction`` is +1 where a larger value makes the item more capable
    (longer range, more launchers, higher Pk) and -1 where a smaller one does (longer
    reaction time, more drag, higher minimum intercept altitude)."""
    level = check_level(level)
    if level == Level.NOMINAL:
        return quantity.nominal
    want_high = (level == Level.HIGH) == (direction > 0)
    return quantity.at("high" if want_high else "low")


def data_text(filename: str) -> str:
    """Text of a packaged data file (``thaad/data/<filename>``)."""
    return resources.files("thaad.data").joinpath(filename).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def load_toml(filename: str) -> dict:
    """Parsed packaged TOML data file (cached)."""
    return tomllib.loads(data_text(filename))


def norm_name(name: str) -> str:
    """A name folded for lookup: lower case, letters and digits only."""
    return "".join(ch for ch in str(name).lower() if ch.isalnum())


def name_index(entries: Iterable[T], names: Callable[[T], Iterable[str]]) -> dict[str, T]:
    """Folded name -> entry for every name of every entry (first in file order wins); build
    it once per catalogue (cached by the caller): sweeps look names up thousands of times."""
    index: dict[str, T] = {}
    for entry in entries:
        for n in names(entry):
            if norm_name(n):
                index.setdefault(norm_name(n), entry)
    return index


def lookup(index: Mapping[str, T], name: str, field: str, hint: str) -> T:
    """The entry named ``name`` (ignoring case, spaces and punctuation) in a
    :func:`name_index`; else an InputError ``unknown <field> 'name'; <hint>``."""
    entry = index.get(norm_name(name))
    if entry is None:
        raise InputError(field, f"unknown {field} {name!r}; {hint}")
    return entry


def sourced_table(table: Mapping, where: str) -> dict[str, Quantity]:
    """The sourced quantities (sub-tables) of a raw TOML table, each validated."""
    out = {}
    for key, value in table.items():
        if isinstance(value, dict):
            try:
                out[key] = Quantity(**value)
            except Exception as err:  # pydantic validation: name the entry
                raise InputError(f"{where}.{key}", str(err).splitlines()[0]) from None
    return out


__all__ = ["LEVELS", "Level", "Quantity", "at_level", "check_level", "data_text", "load_toml", "lookup", "name_index", "norm_name",
           "sourced_table"]

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


# --- Radars (thaad.radar) ---------------------------------------------------------------
class RadarMode(BaseModel):
    """One operating mode: which radar-equation form and its mode-specific quantities."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    form: Literal["dwell", "search"]
    description: str
    reported_range_km: Quantity
    reference_rcs_m2: Quantity
    dwell_time_s: Quantity | None = None
    frame_time_s: Quantity | None = None
    search_el_low_deg: Quantity | None = None
    search_el_high_deg: Quantity | None = None

    @model_validator(mode="after")
    def _form_fields(self):
        need = ("dwell_time_s",) if self.form == "dwell" else ("frame_time_s", "search_el_low_deg", "search_el_high_deg")
        missing = [n for n in need if getattr(self, n) is None]
        if missing:
            raise ValueError(f"form {self.form!r} needs {missing}")
        return self


class RadarSpec(BaseModel):
    """A catalogued radar: sourced hardware, face limits and operating modes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    name: str
    description: str
    default_mode: str
    hardware: dict[str, Quantity]
    face: dict[str, Quantity]
    mode: dict[str, RadarMode]


# +1: a larger value lengthens the detection range; -1: shortens it (for the low/high band).
_RANGE_DIRECTION = {
    "module_average_power_w": +1, "tr_modules": +1, "aperture_area_m2": +1, "aperture_efficiency": +1,
    "frequency_ghz": +1, "system_noise_temp_k": -1, "losses_db": -1, "snr_threshold_db": -1,
    "dwell_time_s": +1, "frame_time_s": +1, "search_el_low_deg": +1, "search_el_high_deg": -1,
}


def _level_value(name: str, q: Quantity, level: Level) -> float:
    """Value of a quantity at a *range* level: 'low' = the end that shortens the range."""
    if level == "nominal":
        return q.nominal
    direction = _RANGE_DIRECTION.get(name, +1)
    want_high = (level == "high") == (direction > 0)
    return q.at("high" if want_high else "low")


@lru_cache(maxsize=1)
def radars() -> dict[str, RadarSpec]:
    raw = load_toml("radars.toml")["radar"]
    return {key: RadarSpec(key=key, **value) for key, value in raw.items()}


def find_radar(name: str) -> RadarSpec:
    wanted = _norm(name)
    for spec in radars().values():
        if wanted in (_norm(spec.key), _norm(spec.name), _norm(spec.name.replace("AN/", ""))):
            return spec
    raise InputError("radar", f"unknown radar {name!r}; known: {sorted(radars())}")


def radar_mode(spec: RadarSpec, mode: str | None) -> tuple[str, RadarMode]:
    key = spec.default_mode if mode is None else mode
    if key not in spec.mode:
        raise InputError("mode", f"unknown mode {key!r} for {spec.name}; choose one of {sorted(spec.mode)}")
    return key, spec.mode[key]


def radar_equation(name: str, mode: str | None = None, level: Level = "nominal"):
    """The :class:`thaad.radar.RadarEquation` of a catalogued radar mode at an estimate level."""
    import math

    from thaad.radar.equation import RadarEquation, search_solid_angle_sr

    if level not in LEVELS:
        raise InputError("level", f"must be one of {LEVELS}, got {level!r}")
    spec = find_radar(name)
    _, m = radar_mode(spec, mode)
    hw = {k: _level_value(k, q, level) for k, q in spec.hardware.items()}
    common = dict(
        average_power_w=hw["module_average_power_w"] * hw["tr_modules"],
        aperture_area_m2=hw["aperture_area_m2"],
        aperture_efficiency=hw["aperture_efficiency"],
        frequency_hz=hw["frequency_ghz"] * 1e9,
        system_noise_temp_k=hw["system_noise_temp_k"],
        losses_db=hw["losses_db"],
        snr_threshold_db=hw["snr_threshold_db"],
    )
    if m.form == "dwell":
        return RadarEquation(form="dwell", dwell_time_s=_level_value("dwell_time_s", m.dwell_time_s, level), **common)
    half = _level_value("az_half_width_deg", spec.face["az_half_width_deg"], "nominal")
    omega = search_solid_angle_sr(math.radians(2 * half),
                                  math.radians(_level_value("search_el_low_deg", m.search_el_low_deg, level)),
                                  math.radians(_level_value("search_el_high_deg", m.search_el_high_deg, level)))
    return RadarEquation(form="search", frame_time_s=_level_value("frame_time_s", m.frame_time_s, level),
                         search_solid_angle_sr=omega, **common)


def build_radar(name: str, mode: str | None, site, *, boresight_az_rad: float | None = None,
                blanking=(), k_factor: float = 4.0 / 3.0, level: Level = "nominal", horizon=None,
                min_el_rad: float | None = None, earth=None):
    """A :class:`thaad.radar.Radar` from the catalogue at ``site`` (a ``RadarSite`` whose
    ``antenna_height_m`` is 0 gets the catalogue's antenna height)."""
    import dataclasses
    import math

    from thaad import geo
    from thaad.radar.model import Radar

    spec = find_radar(name)
    mode_key, _ = radar_mode(spec, mode)
    face = spec.face
    if site.antenna_height_m == 0.0:
        site = dataclasses.replace(site, antenna_height_m=face["antenna_height_m"].nominal)
    bore = math.radians(face["boresight_az_deg"].nominal) if boresight_az_rad is None else boresight_az_rad
    return Radar(
        site=site,
        equation=radar_equation(spec.key, mode_key, level),
        boresight_az_rad=bore,
        az_half_width_rad=math.radians(face["az_half_width_deg"].nominal),
        min_el_rad=math.radians(face["min_el_deg"].nominal) if min_el_rad is None else min_el_rad,
        max_el_rad=math.radians(face["max_el_deg"].nominal),
        k_factor=k_factor,
        blanking=tuple(blanking),
        horizon=horizon,
        earth=geo.WGS84 if earth is None else earth,
        name=spec.name,
        mode=mode_key,
    )


class RcsPreset(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    name: str
    rcs_m2: Quantity


@lru_cache(maxsize=1)
def rcs_presets() -> dict[str, RcsPreset]:
    """Target RCS presets (warhead, booster, calibration reference) with sources."""
    raw = load_toml("radars.toml")["rcs"]
    return {key: RcsPreset(key=key, **value) for key, value in raw.items()}

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

import dataclasses
import math
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


@lru_cache(maxsize=1)
def _place_index() -> dict[str, Place]:
    """Normalised key and name -> place (first in file order wins), built once: scenario
    validation looks places up thousands of times in a sweep."""
    index: dict[str, Place] = {}
    for place in places().values():
        for n in (_norm(place.key), _norm(place.name)):
            index.setdefault(n, place)
    return index


def find_place(name: str) -> Place:
    """Look a place up by key or name, ignoring case, spaces and punctuation."""
    place = _place_index().get(_norm(name))
    if place is not None:
        return place
    raise InputError("place", f"unknown place {name!r}; see `thaad places` for the list")


def places_tagged(tag: str) -> list[Place]:
    return [p for p in places().values() if tag in p.tags]


# --- Interceptors and batteries (engagement) -----------------------------------------------
def _sourced_table(table: dict, where: str) -> dict[str, Quantity]:
    out = {}
    for key, value in table.items():
        if isinstance(value, dict):
            try:
                out[key] = Quantity(**value)
            except Exception as err:  # pydantic validation: name the entry
                raise InputError(f"{where}.{key}", str(err).splitlines()[0]) from None
    return out


@lru_cache(maxsize=1)
def interceptor_entries() -> dict[str, dict]:
    """Raw interceptor entries of batteries.toml with their sourced quantities."""
    raw = load_toml("batteries.toml")["interceptor"]
    return {k: {"name": v.get("name", k), "description": v.get("description", ""),
                "quantities": _sourced_table(v, f"interceptor.{k}")} for k, v in raw.items()}


@lru_cache(maxsize=1)
def battery_entries() -> dict[str, dict]:
    """Raw battery entries of batteries.toml: name, site, radar, mode and sourced quantities."""
    raw = load_toml("batteries.toml")["battery"]
    out = {}
    for k, v in raw.items():
        out[k] = {"key": k, "name": v.get("name", k), "site": v["site"], "radar": v.get("radar", "tpy2"),
                  "radar_mode": v.get("radar_mode", "terminal"), "interceptor": v.get("interceptor", "thaad"),
                  "quantities": _sourced_table(v, f"battery.{k}")}
    return out


def _entry(entries: dict, key: str, field: str) -> dict:
    wanted = _norm(key)
    for k, v in entries.items():
        if wanted in (_norm(k), _norm(v["name"])):
            return v
    raise InputError(field, f"unknown {field} {key!r}; known: {', '.join(sorted(entries))}")


def find_battery(name: str) -> dict:
    """A battery entry (``key``, ``name``, ``site``, ``radar``, ``radar_mode``, ``interceptor``,
    ``quantities``) by key or name, ignoring case, spaces and punctuation."""
    return _entry(battery_entries(), name, "battery")


def check_level(level: str) -> Level:
    """``level`` if it is an estimate level, else an InputError naming the allowed ones."""
    if level not in LEVELS:
        raise InputError("level", f"must be one of {', '.join(LEVELS)}, got {level!r}")
    return level


def interceptor(key: str = "thaad", level: Level = "nominal"):
    """An :class:`thaad.interceptor.Interceptor` from the catalogue at an estimate level."""
    from thaad.interceptor import Interceptor

    e = _entry(interceptor_entries(), key, "interceptor")
    q = e["quantities"]
    return Interceptor(
        name=e["name"],
        launch_mass_kg=q["launch_mass_kg"].at(level),
        burnout_mass_kg=q["burnout_mass_kg"].at(level),
        burn_time_s=q["burn_time_s"].at(level),
        burnout_speed_m_s=q["burnout_speed_m_s"].at(level),
        diameter_m=q["diameter_m"].at(level),
        drag_coefficient=q["drag_coefficient"].at(level),
        min_intercept_alt_m=q["min_intercept_alt_km"].at(level) * 1e3,
        max_intercept_alt_m=q["max_intercept_alt_km"].at(level) * 1e3,
        max_intercept_range_m=q["max_intercept_range_km"].at(level) * 1e3,
        divert_margin_m=q["divert_margin_km"].at(level) * 1e3,
    )


def battery(key: str = "seongju", level: Level = "nominal", *, interceptor_level: Level = "nominal"):
    """A :class:`thaad.engagement.Battery` from the catalogue (site from places.toml).

    ``level`` picks the low/nominal/high value of every battery quantity literally (e.g.
    "low" = fewest launchers and the shortest reaction times).
    """
    import math

    from thaad.engagement import Battery

    e = _entry(battery_entries(), key, "battery")
    q = e["quantities"]
    site = find_place(e["site"])
    lat, lon = math.radians(site.lat_deg), math.radians(site.lon_deg)
    return Battery(
        name=e["name"],
        radar_lat_rad=lat,
        radar_lon_rad=lon,
        radar_alt_m=site.alt_m,
        launcher_sites=((lat, lon, site.alt_m),),
        n_launchers=int(round(q["n_launchers"].at(level))),
        interceptors_per_launcher=int(round(q["interceptors_per_launcher"].at(level))),
        interceptor=interceptor(e["interceptor"], interceptor_level),
        firm_track_s=q["firm_track_s"].at(level),
        decision_s=q["decision_s"].at(level),
        launch_s=q["launch_s"].at(level),
        kill_assessment_s=q["kill_assessment_s"].at(level),
        shots_per_opportunity=int(round(q["shots_per_opportunity"].at(level))),
    )


def battery_pk(key: str = "seongju") -> Quantity:
    """The single-shot kill probability estimate of a battery's interceptor."""
    return _entry(battery_entries(), key, "battery")["quantities"]["pk"]

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


@lru_cache(maxsize=1)
def _missile_index() -> dict[str, MissileEntry]:
    """Normalised key, name and aliases -> entry (first in file order wins), built once."""
    index: dict[str, MissileEntry] = {}
    for entry in missiles().values():
        for n in (_norm(entry.key), _norm(entry.name), *(_norm(a) for a in entry.aliases)):
            if n:
                index.setdefault(n, entry)
    return index


def find_missile(name: str) -> MissileEntry:
    """Look a missile up by key, name or alias, ignoring case, spaces and punctuation."""
    if isinstance(name, MissileEntry):
        return name
    entry = _missile_index().get(_norm(str(name))) if name else None
    if entry is not None:
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
                min_el_rad: float | None = None, earth=None, face_model: str = "box"):
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
        face_model=face_model,
        face_tilt_rad=math.radians(face["tilt_deg"].nominal) if "tilt_deg" in face else math.radians(20.0),
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

"""Assessment scenarios: a validated TOML description of what ``thaad assess`` runs.

A scenario names the radar site, the radar modes and boresight, the "shield" variants
(blanking sectors or low-elevation screens), the launchers, the threats (missile, launch
areas, targets, trajectory shape), the grids, the estimate level, the target radar
cross-sections, the single-shot kill probability, the random seed, and which of the four
report questions to answer.  The built-in Seongju scenario is
``thaad/data/scenarios/seongju.toml``; ``thaad scenario --template`` prints it.

Validation is strict (unknown keys are errors) and complete: :func:`validate_text`
returns *every* problem as ``path.to.field: message`` lines, never only the first.

This module is part of the shell (it reads files); the physics core never imports it.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, ValidationError, field_validator, model_validator

from thaad import catalog
from thaad.catalog import Point
from thaad import choices
from thaad import cost, validate
from thaad.errors import InputError

Question = Literal["q1", "q2", "q3", "q4", "q5"]


def _mode_any_case(v):
    """Radar modes are case-insensitive everywhere (CLI and scenario): one validator."""
    if isinstance(v, str):
        try:
            return validate.mode("mode", v)
        except InputError:
            return v  # let the Literal report the allowed values
    return v


Mode = Annotated[choices.RadarMode, Strict(False), BeforeValidator(_mode_any_case)]
# the named choices (thaad.choices) accept their strings from TOML even in the strict models
Level = Annotated[choices.Level, Strict(False)]
Shape = Annotated[choices.Shape, Strict(False)]

BUILTIN = "seongju"

# strict: a scenario is a record of an analysis, so "330" is not 330 and 1 is not true;
# allow_inf_nan=False: NaN gets "finite number", not a misleading range message.
_STRICT = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

# display names that the q2 results use for the unshielded baseline or as keys of their own
RESERVED_SHIELD_NAMES = ("no shield", "none", "place_floor_km", "baseline")


def _display_name(v):
    try:
        return validate.name("name", v)
    except InputError as err:
        raise ValueError(err.message) from None


def _check_place(name: str) -> str:
    """A place key or name from places.toml (raises ValueError for pydantic to collect)."""
    try:
        catalog.find_place(name)
    except InputError:
        raise ValueError(f"unknown place {name!r}; `thaad places` lists the known ones") from None
    return name


PlaceName = Annotated[str, Field(min_length=1)]


class Location(BaseModel):
    """A point given either as a place from places.toml or as latitude/longitude (degrees)."""

    model_config = _STRICT

    place: str | None = Field(None, description="place key or name from places.toml")
    lat_deg: float | None = Field(None, ge=-90, le=90)
    lon_deg: float | None = Field(None, ge=-180, le=180)
    alt_m: float | None = Field(None, ge=-500, le=9000, description="height above the ellipsoid")

    @field_validator("place")
    @classmethod
    def _known_place(cls, v):
        return None if v is None else _check_place(v)

    @model_validator(mode="after")
    def _one_way(self):
        has_ll = self.lat_deg is not None or self.lon_deg is not None
        if self.place is not None and has_ll:
            raise ValueError("give either place or lat_deg/lon_deg, not both")
        if self.place is None and (self.lat_deg is None or self.lon_deg is None):
            raise ValueError("give place, or both lat_deg and lon_deg")
        return self

    def resolve(self) -> "Point":
        if self.place is not None:
            p = catalog.find_place(self.place)
            alt = p.alt_m if self.alt_m is None else self.alt_m
            return Point(p.lat_deg, p.lon_deg, alt, p.name, p.key)
        name = f"{self.lat_deg:.4f},{self.lon_deg:.4f}"
        return Point(float(self.lat_deg), float(self.lon_deg), float(self.alt_m or 0.0), name, name)


class Site(Location):
    """The radar site."""

    antenna_height_m: float | None = Field(None, ge=0, le=200, description="array centre above the site ground; default: the catalogue's")


class Radar(BaseModel):
    model_config = _STRICT

    radar: str = Field("tpy2", min_length=1, description="radar key in the catalogue")
    modes: list[Mode] = Field(default_factory=lambda: list(choices.RadarMode), min_length=1)
    defence_mode: Mode = Field(choices.RadarMode.TERMINAL, description="mode used for the engagement questions (q2-q4)")
    boresight_deg: float = Field(ge=0, lt=360, description="face boresight azimuth, from north clockwise")
    k_factor: float = Field(4.0 / 3.0, ge=1.0, le=4.0, description="effective Earth-radius factor (refraction)")
    min_elevation_deg: float | None = Field(None, ge=-2, le=60, description="lowest beam elevation; default from the catalogue")

    @field_validator("radar")
    @classmethod
    def _known_radar(cls, v):
        try:
            catalog.find_radar(v)
        except InputError as err:
            raise ValueError(err.message) from None
        return v

    @model_validator(mode="after")
    def _modes_exist(self):
        try:
            spec = catalog.find_radar(self.radar)
        except InputError:
            return self  # reported by _known_radar
        missing = [m for m in dict.fromkeys([*self.modes, self.defence_mode]) if m not in spec.mode]
        if missing:
            raise ValueError(f"radar {self.radar!r} has no mode {', '.join(missing)}; it has {', '.join(sorted(spec.mode))}")
        return self

    @field_validator("modes")
    @classmethod
    def _unique_modes(cls, v):
        if len(set(v)) != len(v):
            raise ValueError("modes must not repeat")
        return v


class Sector(BaseModel):
    """An azimuth sector (clockwise from ``az_start_deg`` to ``az_end_deg``) blanked up to ``el_max_deg``."""

    model_config = _STRICT

    az_start_deg: float = Field(ge=0, le=360)
    az_end_deg: float = Field(ge=0, le=360)
    el_max_deg: float = Field(90.0, gt=0, le=90, description="90: the whole sector is blanked; a few degrees: a low-elevation screen")

    @model_validator(mode="after")
    def _nonempty(self):
        if self.az_start_deg % 360 == self.az_end_deg % 360:
            raise ValueError("az_start_deg and az_end_deg are equal: the sector is empty or the whole circle")
        return self

    @property
    def width_deg(self) -> float:
        return (self.az_end_deg - self.az_start_deg) % 360.0


class Shield(BaseModel):
    """One "shield" variant: a set of blanked sectors compared against no blanking (q2)."""

    model_config = _STRICT

    name: str = Field(min_length=1, max_length=60)
    description: str = ""
    sectors: list[Sector] = Field(min_length=1)

    @field_validator("name")
    @classmethod
    def _name(cls, v):
        v = _display_name(v)
        if any(validate.same_name(v, r) for r in RESERVED_SHIELD_NAMES):
            raise ValueError(f"{v!r} is reserved for the unshielded baseline; choose another name")
        return v


class Launcher(Location):
    count: int = Field(6, ge=1, le=24)
    interceptors_each: int = Field(8, ge=1, le=16)


class Engagement(BaseModel):
    """The battery: catalogue entry plus the scenario's overrides (None: the catalogue value)."""

    model_config = _STRICT

    battery: str = Field("seongju", min_length=1, description="battery key in batteries.toml (interceptor, reaction times, Pk)")
    pk: float | None = Field(None, gt=0, le=1, description="single-shot kill probability; default: the catalogue's estimate band")
    shoot_look_shoot: bool = True
    firm_track_s: float | None = Field(None, ge=0, le=600, description="first detection to firm track")
    decision_s: float | None = Field(None, ge=0, le=600, description="firm track to launch order")
    launch_s: float | None = Field(None, ge=0, le=600, description="launch order to interceptor away")
    kill_assessment_s: float | None = Field(None, ge=0, le=600, description="intercept to kill assessment (shoot-look-shoot)")

    @field_validator("battery")
    @classmethod
    def _known_battery(cls, v):
        known = catalog.battery_entries()
        if v not in known:
            raise ValueError(f"unknown battery {v!r}; known: {', '.join(sorted(known))}")
        return v


class Rcs(BaseModel):
    """Target radar cross-sections (m^2) used for the 'warhead-sized' and 'booster-sized' cases."""

    model_config = _STRICT

    warhead_m2: float | None = Field(None, gt=0, le=100, description="default: the catalogue's warhead preset and its band")
    booster_m2: float | None = Field(None, gt=0, le=1000, description="default: the catalogue's booster preset and its band")


class Threat(BaseModel):
    """A threat group: one missile flown from each launch area toward each target."""

    model_config = _STRICT

    name: str = Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9][A-Za-z0-9 _.,()/-]*$")
    question: Literal["q3", "q4", "q5"]
    missile: str = Field(min_length=1, description="missile key from `thaad missiles`")
    launch: list[PlaceName] = Field(min_length=1)
    targets: list[PlaceName] = Field(default_factory=list, description="places; for q3 the defended places checked")
    shape: Shape = choices.Shape.MIN_ENERGY
    apogee_km: float | None = Field(None, gt=20, le=6000)
    note: str = Field("", description="why this threat, or what stands in for what; shown in the report")

    @field_validator("launch", "targets")
    @classmethod
    def _places(cls, v):
        errors = []
        for name in v:
            try:
                _check_place(name)
            except ValueError as err:
                errors.append(str(err))
        if errors:
            raise ValueError("; ".join(errors))
        return v

    @field_validator("missile")
    @classmethod
    def _known_missile(cls, v):
        try:
            catalog.find_missile(v)
        except InputError:
            raise ValueError(f"unknown missile {v!r}; known: {', '.join(sorted(catalog.missiles()))}") from None
        return v

    @model_validator(mode="after")
    def _shape_apogee(self):
        if self.shape in ("lofted", "depressed") and self.apogee_km is None:
            raise ValueError(f"shape {self.shape!r} needs apogee_km")
        if self.question in ("q4", "q5") and not self.targets:
            raise ValueError(f"{self.question} threats need at least one target")
        return self


class Tracking(BaseModel):
    """Question 5: the other radars of the network, alternative sites, the boresight sweep."""

    model_config = _STRICT

    network: list[str] = Field(default_factory=lambda: ["shariki", "kyogamisaki", "cobra-dane", "clear", "beale", "sbx"],
                               description="radar stations from the network catalogue (src/thaad/data/network.toml)")
    alternative_sites: list[PlaceName] = Field(default_factory=list, description="other places for the radar (sweep)")
    sweep_step_deg: float = Field(15.0, ge=1, le=90, description="boresight step of the 0-360 deg sweep")

    @field_validator("network")
    @classmethod
    def _known_stations(cls, v):
        from thaad import network_catalog

        bad = [n for n in v if n not in network_catalog.stations()]
        if bad:
            raise ValueError(f"unknown network radar(s) {', '.join(map(repr, bad))}; known: {', '.join(network_catalog.stations())}")
        if len(set(v)) != len(v):
            raise ValueError("network radars must not repeat")
        return v

    @field_validator("alternative_sites")
    @classmethod
    def _sites(cls, v):
        return Threat._places(v)

class RaidWave(BaseModel):
    """Missiles of one type from one launch area, launched ``interval_s`` apart from ``start_s``,
    aimed at ``targets`` in turn; each warhead comes with ``decoys`` objects the radar cannot
    tell from it with probability ``p_undiscriminated`` (a stated assumption, a count only)."""

    model_config = _STRICT

    name: str = Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9][A-Za-z0-9 _.,()/-]*$")
    missile: str = Field(min_length=1, description="missile key from `thaad missiles`")
    launch: PlaceName
    targets: list[PlaceName] = Field(min_length=1)
    count: int = Field(ge=1, le=200, description="missiles in this wave")
    start_s: float = Field(0.0, ge=0, le=3600, description="launch time of the first missile in the raid")
    interval_s: float = Field(0.0, ge=0, le=600, description="time between launches (0: a salvo)")
    shape: Shape = choices.Shape.MIN_ENERGY
    apogee_km: float | None = Field(None, gt=20, le=6000)
    decoys: float = Field(0.0, ge=0, le=20, description="objects per warhead the radar may not tell from it")
    p_undiscriminated: float = Field(1.0, ge=0, le=1, description="probability that a decoy is not discriminated")

    @field_validator("launch")
    @classmethod
    def _launch_place(cls, v):
        return _check_place(v)

    @field_validator("targets")
    @classmethod
    def _target_places(cls, v):
        return Threat._places(v)

    @field_validator("missile")
    @classmethod
    def _known_missile(cls, v):
        return Threat._known_missile(v)

    @model_validator(mode="after")
    def _shape_apogee(self):
        if self.shape in ("lofted", "depressed") and self.apogee_km is None:
            raise ValueError(f"shape {self.shape!r} needs apogee_km")
        return self


class Raid(BaseModel):
    """A raid against the battery (``thaad raid``; the report's q3 raid table)."""

    model_config = _STRICT

    doctrine: Literal["shoot-look-shoot", "shoot-shoot", "adaptive"] = Field(
        "adaptive", description="adaptive: shoot-look-shoot, shoot-shoot when no look fits before the window closes")
    max_shots: int = Field(2, ge=1, le=8, description="interceptors per object at most")
    fire_channels: int | None = Field(None, ge=1, le=200, description="default: the battery catalogue's estimate")
    launch_interval_s: float | None = Field(None, ge=0, le=120, description="default: the catalogue's estimate")
    reload_s: float | None = Field(None, gt=0, le=86400, description="default: the catalogue's estimate")
    reload_rounds: int | None = Field(None, ge=0, le=500, description="spare interceptors; default: the catalogue's")
    decoy_sweep: list[float] = Field(default_factory=lambda: [0.0, 1.0, 2.0, 4.0], max_length=8,
                                     description="decoys per warhead tried for the leakers-vs-decoys table")
    saturation_max: int = Field(96, ge=2, le=400, description="largest raid size tried for the saturation size")
    lower_tier: bool = Field(True, description="add the Patriot lower tier (q3 population table)")
    lower_tier_key: str = Field("usfk-patriot", min_length=1, description="lower-tier entry in batteries.toml")
    waves: list[RaidWave] = Field(min_length=1, max_length=20)
    shape_study_missile: str | None = Field("kn-23", description="missile whose trajectory shapes q3 compares; none: skip")
    shape_study_launch: PlaceName = "sakkanmol"
    depressed_apogee_km: float = Field(50.0, gt=20, le=200, description="apogee of the depressed shape (estimate)")

    @field_validator("shape_study_missile")
    @classmethod
    def _study_missile(cls, v):
        return None if v is None else Threat._known_missile(v)

    @field_validator("shape_study_launch")
    @classmethod
    def _study_launch(cls, v):
        return _check_place(v)

    @field_validator("decoy_sweep")
    @classmethod
    def _decoys(cls, v):
        if any(not 0 <= d <= 20 for d in v):
            raise ValueError("decoy counts must be in 0-20")
        return v

    @model_validator(mode="after")
    def _names(self):
        names = [w.name for w in self.waves]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"wave names must be unique, repeated: {', '.join(dup)}")
        if sum(w.count for w in self.waves) > 400:
            raise ValueError("a raid has at most 400 missiles in all")
        return self


class Grids(BaseModel):
    model_config = _STRICT

    coverage_km: float = Field(25.0, ge=2, le=500, description="coverage grid spacing")
    lat_min_deg: float = Field(28.0, ge=-90, le=90)
    lat_max_deg: float = Field(47.0, ge=-90, le=90)
    lon_min_deg: float = Field(110.0, ge=-180, le=180)
    lon_max_deg: float = Field(136.0, ge=-180, le=180)
    footprint_km: float = Field(40.0, ge=2, le=500, description="footprint aim-point grid spacing")
    footprint_samples: int = Field(8, ge=1, le=2000, description="Monte Carlo samples for the footprint band")

    @model_validator(mode="after")
    def _box(self):
        if self.lat_min_deg >= self.lat_max_deg:
            raise ValueError("lat_min_deg must be below lat_max_deg")
        if self.lon_min_deg >= self.lon_max_deg:
            raise ValueError("lon_min_deg must be below lon_max_deg")
        n = cost.coverage_cells(self.lat_min_deg, self.lat_max_deg, self.lon_min_deg, self.lon_max_deg, self.coverage_km)
        if n > cost.MAX_COVERAGE_CELLS:
            km = self.coverage_km * math.sqrt(n / cost.MAX_COVERAGE_CELLS)
            raise ValueError(f"coverage_km = {self.coverage_km:g} over this lat/lon box gives {n:,} grid cells (limit "
                             f"{cost.MAX_COVERAGE_CELLS:,}, about {cost.coverage_estimate(n, 1).peak_bytes / 2**30:.1f} GiB "
                             f"per map); use coverage_km >= {math.ceil(km * 10) / 10:g} or a smaller box")
        n = footprint_aim_points(self.footprint_km)
        if n > cost.MAX_AIM_POINTS:
            raise ValueError(f"footprint_km = {self.footprint_km:g} gives about {n:,} aim points over South Korea (limit "
                             f"{cost.MAX_AIM_POINTS:,}); use footprint_km >= {_footprint_km_for(cost.MAX_AIM_POINTS):g}")
        return self


class Scenario(BaseModel):
    """A complete assessment scenario (see the module docstring)."""

    model_config = _STRICT

    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    seed: int = Field(ge=0, le=2**32 - 1)
    estimate_level: Level = choices.Level.NOMINAL
    bands: bool = Field(True, description="also compute the low and high estimates")
    questions: list[Question] = Field(default_factory=lambda: ["q1", "q2", "q3", "q4"], min_length=1)
    report_places: list[PlaceName] = Field(default_factory=list, description="places in the q1 table; empty: places tagged 'report'")
    site: Site
    radar: Radar
    shields: list[Shield] = Field(default_factory=list)
    launchers: list[Launcher] = Field(min_length=1)
    engagement: Engagement = Field(default_factory=Engagement)
    rcs: Rcs = Field(default_factory=Rcs)
    threats: list[Threat] = Field(default_factory=list)
    grids: Grids = Field(default_factory=Grids)
    tracking: Tracking = Field(default_factory=Tracking)
    raid: Raid | None = Field(None, description="a raid against the battery (`thaad raid`, q3 raid table)")

    @field_validator("questions")
    @classmethod
    def _unique_questions(cls, v):
        if len(set(v)) != len(v):
            raise ValueError("questions must not repeat")
        return sorted(v)

    @field_validator("report_places")
    @classmethod
    def _report_places(cls, v):
        return Threat._places(v)

    @model_validator(mode="after")
    def _cross(self):
        problems = []
        if "q2" in self.questions and not self.shields:
            problems.append("questions: q2 needs at least one [[shields]] entry")
        for q in ("q3", "q4", "q5"):
            if q in self.questions and not any(t.question == q for t in self.threats):
                problems.append(f"questions: {q} needs at least one [[threats]] entry with question = {q!r}")
        for what, items in (("threat", self.threats), ("shield", self.shields)):
            names = [" ".join(x.name.casefold().split()) for x in items]
            dup = sorted({x.name for x, n in zip(items, names) if names.count(n) > 1})
            if dup:
                problems.append(f"{what}s: {what} names must be unique (ignoring case and spacing), repeated: {', '.join(dup)}")
        if not problems:
            est = estimate(self)
            if est.seconds > cost.MAX_RUN_S:
                problems.append(f"grids: this scenario would take {est.describe()}, more than the "
                                f"{cost.MAX_RUN_S / 3600:g} h limit; lower grids.footprint_samples "
                                f"({self.grids.footprint_samples}) or coarsen grids.footprint_km / grids.coverage_km")
        if problems:
            raise ValueError(PROBLEM_SEP.join(problems))
        return self

    @property
    def threats_q3(self) -> list[Threat]:
        return [t for t in self.threats if t.question == "q3"]

    @property
    def threats_q4(self) -> list[Threat]:
        return [t for t in self.threats if t.question == "q4"]

    @property
    def threats_q5(self) -> list[Threat]:
        return [t for t in self.threats if t.question == "q5"]


# --- cost estimate (what --check reports) -----------------------------------------------------

FOOTPRINT_HALF_WIDTH_KM = 260.0  # as thaad.gis.regions REGIONS["south-korea"]: the q3 aim-point square around South Korea
LAND_FRACTION = 0.4  # share of that square's aim points on South Korean land (flown)


def footprint_aim_points(footprint_km: float) -> int:
    return int(cost.aim_points(FOOTPRINT_HALF_WIDTH_KM, footprint_km) * LAND_FRACTION)


def _footprint_km_for(limit: int) -> float:
    return cost.grid_for(int(limit / LAND_FRACTION), FOOTPRINT_HALF_WIDTH_KM)


def estimate(sc: "Scenario") -> cost.Estimate:
    """Rough run time and peak memory of ``thaad assess`` on this scenario (constants: :mod:`thaad.cost`)."""
    g = sc.grids
    levels = 3 if sc.bands else 1
    maps = 0
    if "q1" in sc.questions:
        maps += len(sc.radar.modes) * 2 * levels
    if "q2" in sc.questions:
        maps += len(sc.radar.modes) * (1 + len(sc.shields)) * levels
    cells = cost.coverage_cells(g.lat_min_deg, g.lat_max_deg, g.lon_min_deg, g.lon_max_deg, g.coverage_km)
    parts = [cost.coverage_estimate(cells, maps)]
    q3 = sc.threats_q3 if "q3" in sc.questions else []
    runs = sum(len(t.launch) for t in q3)
    if runs:
        parts.append(cost.footprint_estimate(footprint_aim_points(g.footprint_km), g.footprint_samples, runs))
    flights = 0
    if "q2" in sc.questions:
        flights += len(sc.threats_q3) * (1 + len(sc.shields))
    for q, threats in (("q4", sc.threats_q4), ("q5", sc.threats_q5)):
        if q in sc.questions:
            flights += sum(len(t.launch) * max(len(t.targets), 1) for t in threats)
    if sc.raid is not None and "q3" in sc.questions:
        flights += 2 * sum(len(w.targets) for w in sc.raid.waves)  # raid waves and the saturation search
    parts.append(cost.flights_estimate(flights))
    return cost.combine(*parts, base_s=cost.BASE_S + cost.FOOTPRINT_RUN_S * runs)


# --- the missile list (from the catalogue once it exists) ----------------------------------


def known_missiles() -> set[str] | None:
    """Lower-case missile keys in the catalogue, or None when no catalogue loader exists."""
    loader = getattr(catalog, "missiles", None)
    if loader is None:
        return None
    try:
        return {str(k).lower() for k in loader()}
    except Exception:  # noqa: BLE001 - a broken catalogue is reported by its own tests
        return None


def _missile_known(name: str) -> bool:
    finder = getattr(catalog, "find_missile", None)
    if finder is None:
        known = known_missiles()
        return known is None or name.lower() in known
    try:
        finder(name)
    except InputError:
        return False
    return True


# --- loading and validation ----------------------------------------------------------------


class ScenarioError(Exception):
    """A scenario file that could not be read (``kind='read'``: missing, not a regular file, too
    large, not UTF-8) or whose content is wrong (``kind='invalid'``: TOML syntax, duplicate
    keys, schema).  ``assess --check`` exits 3 for 'invalid' and 2 for 'read'."""

    def __init__(self, kind: Literal["read", "invalid"], source: str, problems: list[str]):
        self.kind = kind
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _loc(loc: tuple) -> str:
    """``('shields', 0, 'name')`` -> ``shields[0].name``; odd keys quoted as TOML does (``site.":"``)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            key = str(part)
            out += ("." if out else "") + (key if _BARE_KEY.fullmatch(key) else json.dumps(key))
    return out or "(scenario)"


def format_errors(err: ValidationError) -> list[str]:
    """Every pydantic error as ``path.to.field: message`` (list indices as ``[i]``)."""
    lines = []
    for e in err.errors(include_url=False):
        msg = e["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        if e["type"] == "extra_forbidden":
            msg = "unknown key (not part of the scenario schema; check the spelling)"
        if not e["loc"] and PROBLEM_SEP in msg or not e["loc"] and msg.split(":")[0] in _TOP_FIELDS:
            lines += msg.split(PROBLEM_SEP)  # cross-field problems already name their field
        else:
            lines.append(f"{_loc(tuple(e['loc']))}: {msg}")
    return lines


PROBLEM_SEP = "\n"
_TOP_FIELDS = ("questions", "threats", "shields", "grids")


MAX_SCENARIO_BYTES = 1 << 20  # 1 MiB: the built-in scenario is ~6 kB


def parse_text(text: str, source: str = "<scenario>") -> Scenario:
    """Parse and validate TOML text; raises :class:`ScenarioError` with every problem.

    A leading UTF-8 byte-order mark (written by some Windows editors) is ignored."""
    text = text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError("invalid", source, [f"not valid TOML: {err}"]) from None
    except RecursionError:
        raise ScenarioError("invalid", source, ["nested too deeply to be a scenario (arrays or tables inside each other)"]) from None
    return validate_data(data, source)


def validate_data(data, source: str = "<scenario>") -> Scenario:
    """Validate parsed TOML data (a dict); raises :class:`ScenarioError` with every problem."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as err:
        raise ScenarioError("invalid", source, format_errors(err)) from None
    except RecursionError:
        raise ScenarioError("invalid", source, ["nested too deeply to be a scenario"]) from None


def read_text_limited(path: str | Path, limit: int = MAX_SCENARIO_BYTES) -> str:
    """UTF-8 text of a regular file of at most ``limit`` bytes; ScenarioError('read') otherwise
    (devices such as ``/dev/zero``, pipes and folders are refused, never read)."""
    from thaad import files

    try:
        return files.read_text_limited(path, "scenario", limit, "scenario")
    except InputError as err:
        msg = err.message.removeprefix(f"{str(Path(path))!r}").lstrip(": ").strip()
        raise ScenarioError("read", str(Path(path)), [msg]) from None


def load(path: str | Path | None) -> Scenario:
    """Load a scenario file (``None``: the built-in Seongju scenario)."""
    if path is None:
        return parse_text(builtin_text(), f"built-in:{BUILTIN}")
    return parse_text(read_text_limited(path), str(Path(path)))


def builtin_text(name: str = BUILTIN) -> str:
    return resources.files("thaad.data").joinpath("scenarios", f"{name}.toml").read_text(encoding="utf-8")


TEMPLATE_HEADER = """\
# thaad assessment scenario: a starting file written by `thaad scenario --template`.
# It is the built-in Seongju scenario; edit it, check it with
#     thaad assess --check this_file.toml
# and run it with
#     thaad assess this_file.toml --out my_report
# Every key is documented below; unknown keys are errors.

"""


def template_text() -> str:
    """A commented starting scenario that validates as written."""
    text = builtin_text()
    lines = text.splitlines(keepends=True)
    # drop the built-in file's own header comment block, keep everything from the first key
    i = 0
    while i < len(lines) and (lines[i].startswith("#") or not lines[i].strip()):
        i += 1
    return TEMPLATE_HEADER + "".join(lines[i:])

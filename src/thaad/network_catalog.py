"""The sensor-network catalogue (``data/network.toml``) and the public claims
(``data/claims.toml``): sourced entries and their translation into core objects.

Shell module: reads packaged data; the core receives :class:`thaad.radar.network.Station`,
:class:`~thaad.radar.network.AspectRcs` and SI numbers.
"""

from __future__ import annotations

import difflib
import math
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from thaad import catalog
from thaad.catalog import LEVELS, Level, Quantity
from thaad.errors import InputError

# For the "low" estimate take the end that shortens detection: +1 larger is better, -1 smaller is better.
_DIRECTION = {"reported_range_km": +1, "reference_rcs_m2": -1, "rcs_factor": +1, "min_el_deg": -1,
              "az_half_width_deg": +1}


class SiteEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    lat_deg: float = Field(ge=-90, le=90)
    lon_deg: float = Field(ge=-180, le=180)
    alt_m: float = 0.0
    source: str = Field(min_length=3)
    estimate: bool


class StationEntry(BaseModel):
    """A radar station of the network with its sourced site, faces and performance."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    key: str
    name: str
    band: Literal["X", "L", "UHF", "S"]
    site: SiteEntry
    boresight_deg: Quantity
    az_half_width_deg: Quantity
    min_el_deg: Quantity
    equation: str | None = None  # "radar/mode" of radars.toml
    reported_range_km: Quantity | None = None
    reference_rcs_m2: Quantity | None = None
    rcs_factor: Quantity | None = None

    def quantities(self) -> dict[str, Quantity]:
        return {k: getattr(self, k) for k in ("boresight_deg", "az_half_width_deg", "min_el_deg", "reported_range_km",
                                              "reference_rcs_m2", "rcs_factor") if getattr(self, k) is not None}


class AspectEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    key: str
    name: str
    nose_m2: Quantity
    broadside_m2: Quantity
    tail_m2: Quantity


class Claim(BaseModel):
    """A public claim: who, where, the words, and the model quantity it maps to."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    key: str
    who: str = Field(min_length=3)
    where: str = Field(min_length=3)
    text: str = Field(min_length=3)
    quote: bool
    side: Literal["concern", "reassurance"]
    maps_to: str = Field(min_length=1)
    conditions: str = Field(min_length=3)


def _pick(name: str, q: Quantity, level: Level) -> float:
    if level == "nominal":
        return q.nominal
    better_high = _DIRECTION.get(name, +1) > 0
    return q.at("high" if (level == "high") == better_high else "low")


@lru_cache(maxsize=1)
def stations() -> dict[str, StationEntry]:
    raw = catalog.load_toml("network.toml")["station"]
    return {k: StationEntry(key=k, **v) for k, v in raw.items()}


@lru_cache(maxsize=1)
def aspect_entries() -> dict[str, AspectEntry]:
    raw = catalog.load_toml("network.toml")["rcs_aspect"]
    return {k: AspectEntry(key=k, **v) for k, v in raw.items()}


def post_boost_s() -> Quantity:
    return Quantity(**catalog.load_toml("network.toml")["post_boost_s"])


@lru_cache(maxsize=1)
def claims() -> dict[str, Claim]:
    raw = catalog.load_toml("claims.toml")["claim"]
    return {k: Claim(key=k, **v) for k, v in raw.items()}


def find_station(name: str) -> StationEntry:
    """A station by key or name (case, spaces and punctuation ignored), with a did-you-mean hint."""
    wanted = catalog._norm(name)
    for s in stations().values():
        if wanted in (catalog._norm(s.key), catalog._norm(s.name)):
            return s
    close = difflib.get_close_matches(name.lower(), list(stations()), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise InputError("radar", f"unknown network radar {name!r}{hint} Known: {', '.join(stations())}")


def aspect_rcs(kind: str, level: Level = "nominal"):
    """The core :class:`AspectRcs` of ``kind`` (warhead / bus / booster) at a *size* level
    (low = the smallest cross-sections)."""
    from thaad.radar.network import AspectRcs

    if kind not in aspect_entries():
        raise InputError("object", f"unknown object {kind!r}; choose one of {', '.join(aspect_entries())}")
    if level not in LEVELS:
        raise InputError("level", f"must be one of {LEVELS}, got {level!r}")
    e = aspect_entries()[kind]
    return AspectRcs(e.nose_m2.at(level), e.broadside_m2.at(level), e.tail_m2.at(level))


def build_station(entry: StationEntry | str, level: Level = "nominal", *, k_factor: float = 4.0 / 3.0):
    """The core :class:`Station` of a catalogue entry at an estimate level."""
    from thaad import geo
    from thaad.radar import Radar, RadarSite
    from thaad.radar.network import ReferenceRange, Station

    e = find_station(entry) if isinstance(entry, str) else entry
    if level not in LEVELS:
        raise InputError("level", f"must be one of {LEVELS}, got {level!r}")
    site = RadarSite(math.radians(e.site.lat_deg), math.radians(e.site.lon_deg), e.site.alt_m, 0.0, name=e.name)
    if e.equation:
        radar_key, mode = e.equation.split("/", 1)
        equation = catalog.radar_equation(radar_key, mode, level)
    else:
        equation = ReferenceRange(_pick("reported_range_km", e.reported_range_km, level) * 1e3,
                                  _pick("reference_rcs_m2", e.reference_rcs_m2, level),
                                  _pick("rcs_factor", e.rcs_factor, level) if e.rcs_factor else 1.0)
    face = Radar(site, equation, boresight_az_rad=math.radians(e.boresight_deg.nominal % 360.0),
                 az_half_width_rad=math.radians(_pick("az_half_width_deg", e.az_half_width_deg, level)),
                 min_el_rad=math.radians(_pick("min_el_deg", e.min_el_deg, level)), k_factor=k_factor,
                 earth=geo.WGS84, name=e.name, mode="early warning" if not e.equation else e.equation.split("/")[1])
    return Station(e.name, (face,))


OBJECTS = ("booster", "bus", "warhead")


def tracked_objects(ts, has_bus, level: Level = "nominal", kinds=OBJECTS):
    """Booster (launch to burnout), post-boost bus (burnout to burnout + the catalogue's
    post-boost time, only where ``has_bus``) and warhead (burnout to impact) on each
    trajectory of ``ts``, with aspect-dependent RCS at ``level``."""
    import numpy as np

    from thaad.radar.network import TrackedObject

    bo = np.asarray(ts.burnout_time_s, float)
    pb = _pick("post_boost", post_boost_s(), level)
    bus_end = np.where(np.broadcast_to(np.asarray(has_bus, bool), bo.shape), bo + pb, -1.0)
    windows = {"booster": (0.0, bo), "bus": (bo, bus_end), "warhead": (bo, np.inf)}
    out = []
    for k in kinds:
        if k not in windows:
            raise InputError("object", f"unknown object {k!r}; choose from {', '.join(OBJECTS)}")
        out.append(TrackedObject(k, aspect_rcs(k, level), *windows[k]))
    return out

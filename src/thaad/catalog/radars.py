"""Radars (``data/radars.toml``): sourced hardware, face limits, operating modes, RCS presets.

A radar's estimate level follows the catalogue's rule: "low" takes every quantity at the
end of its band that shortens the detection range (:data:`RADAR_DIRECTION`).  RCS presets
are target sizes, not capabilities: their "low" is simply the smaller cross-section.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from thaad.catalog.quantity import Level, Quantity, at_level, check_level, load_toml, lookup, name_index
from thaad.errors import InputError

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
RADAR_DIRECTION = {
    "module_average_power_w": +1, "tr_modules": +1, "aperture_area_m2": +1, "aperture_efficiency": +1,
    "frequency_ghz": +1, "system_noise_temp_k": -1, "losses_db": -1, "snr_threshold_db": -1,
    "dwell_time_s": +1, "frame_time_s": +1, "search_el_low_deg": +1, "search_el_high_deg": -1,
}


def _level_value(name: str, q: Quantity, level: Level) -> float:
    """Value of a quantity at a *range* level: 'low' = the end that shortens the range."""
    return at_level(q, level, RADAR_DIRECTION.get(name, +1))


@lru_cache(maxsize=1)
def radars() -> dict[str, RadarSpec]:
    raw = load_toml("radars.toml")["radar"]
    return {key: RadarSpec(key=key, **value) for key, value in raw.items()}


def find_radar(name: str) -> RadarSpec:
    index = name_index(radars().values(), lambda s: (s.key, s.name, s.name.replace("AN/", "")))
    return lookup(index, name, "radar", f"known: {sorted(radars())}")


def radar_mode(spec: RadarSpec, mode: str | None) -> tuple[str, RadarMode]:
    key = spec.default_mode if mode is None else mode
    if key not in spec.mode:
        raise InputError("mode", f"unknown mode {key!r} for {spec.name}; choose one of {sorted(spec.mode)}")
    return key, spec.mode[key]


def radar_equation(name: str, mode: str | None = None, level: Level = "nominal"):
    """The :class:`thaad.radar.RadarEquation` of a catalogued radar mode at an estimate level."""
    import math

    from thaad.radar.equation import RadarEquation, search_solid_angle_sr

    level = check_level(level)
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

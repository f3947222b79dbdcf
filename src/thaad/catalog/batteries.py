"""Interceptors and batteries (``data/batteries.toml``) as core objects at an estimate level."""

from __future__ import annotations

import math
from functools import lru_cache

from thaad.catalog.places import find_place
from thaad.catalog.quantity import Level, Quantity, at_level, load_toml, lookup, name_index, sourced_table

# Capability direction of each quantity (see thaad.catalog.quantity.at_level): +1 where a
# larger value makes the interceptor or battery more capable, -1 where a smaller one does.
INTERCEPTOR_DIRECTION = {
    "launch_mass_kg": +1, "burnout_mass_kg": +1,  # heavier kill vehicle: less drag deceleration in the coast
    "burn_time_s": -1, "burnout_speed_m_s": +1, "diameter_m": -1, "drag_coefficient": -1,
    "min_intercept_alt_km": -1, "max_intercept_alt_km": +1, "max_intercept_range_km": +1, "divert_margin_km": +1,
}
BATTERY_DIRECTION = {
    "n_launchers": +1, "interceptors_per_launcher": +1, "shots_per_opportunity": +1, "pk": +1,
    "firm_track_s": -1, "decision_s": -1, "launch_s": -1, "kill_assessment_s": -1,
    "fire_channels": +1, "launch_interval_s": -1, "reload_s": -1, "reload_rounds": +1,  # raid limits
}


@lru_cache(maxsize=1)
def interceptor_entries() -> dict[str, dict]:
    """Raw interceptor entries of batteries.toml with their sourced quantities."""
    raw = load_toml("batteries.toml")["interceptor"]
    return {k: {"key": k, "name": v.get("name", k), "description": v.get("description", ""),
                "quantities": sourced_table(v, f"interceptor.{k}")} for k, v in raw.items()}


@lru_cache(maxsize=1)
def battery_entries() -> dict[str, dict]:
    """Raw battery entries of batteries.toml: name, site, radar, mode and sourced quantities."""
    raw = load_toml("batteries.toml")["battery"]
    return {k: {"key": k, "name": v.get("name", k), "site": v["site"], "radar": v.get("radar", "tpy2"),
                "radar_mode": v.get("radar_mode", "terminal"), "interceptor": v.get("interceptor", "thaad"),
                "quantities": sourced_table(v, f"battery.{k}")} for k, v in raw.items()}


def _find(entries: dict, name: str, field: str) -> dict:
    return lookup(name_index(entries.values(), lambda e: (e["key"], e["name"])), name, field,
                  f"known: {', '.join(sorted(entries))}")


def find_battery(name: str) -> dict:
    """A battery entry (``key``, ``name``, ``site``, ``radar``, ``radar_mode``, ``interceptor``,
    ``quantities``) by key or name, ignoring case, spaces and punctuation."""
    return _find(battery_entries(), name, "battery")


def find_interceptor(name: str) -> dict:
    return _find(interceptor_entries(), name, "interceptor")


def interceptor(key: str = "thaad", level: Level = "nominal"):
    """An :class:`thaad.interceptor.Interceptor` from the catalogue at an estimate level."""
    from thaad.interceptor import Interceptor

    e = find_interceptor(key)
    q = e["quantities"]

    def v(name, scale=1.0):
        return at_level(q[name], level, INTERCEPTOR_DIRECTION[name]) * scale

    return Interceptor(
        name=e["name"], launch_mass_kg=v("launch_mass_kg"), burnout_mass_kg=v("burnout_mass_kg"),
        burn_time_s=v("burn_time_s"), burnout_speed_m_s=v("burnout_speed_m_s"), diameter_m=v("diameter_m"),
        drag_coefficient=v("drag_coefficient"), min_intercept_alt_m=v("min_intercept_alt_km", 1e3),
        max_intercept_alt_m=v("max_intercept_alt_km", 1e3), max_intercept_range_m=v("max_intercept_range_km", 1e3),
        divert_margin_m=v("divert_margin_km", 1e3),
    )


def battery(key: str = "seongju", level: Level = "nominal", *, interceptor_level: Level | None = None):
    """A :class:`thaad.engagement.Battery` from the catalogue (site from places.toml).

    ``level`` (and ``interceptor_level``, default the same) follow the catalogue's rule:
    "low" = the less capable end of every band (fewest launchers, longest reaction times),
    "high" the more capable end.
    """
    from thaad.engagement import Battery

    e = find_battery(key)
    q = e["quantities"]

    def v(name):
        return at_level(q[name], level, BATTERY_DIRECTION[name])

    site = find_place(e["site"])
    lat, lon = math.radians(site.lat_deg), math.radians(site.lon_deg)
    return Battery(
        name=e["name"], radar_lat_rad=lat, radar_lon_rad=lon, radar_alt_m=site.alt_m,
        launcher_sites=((lat, lon, site.alt_m),),
        n_launchers=int(round(v("n_launchers"))), interceptors_per_launcher=int(round(v("interceptors_per_launcher"))),
        interceptor=interceptor(e["interceptor"], level if interceptor_level is None else interceptor_level),
        firm_track_s=v("firm_track_s"), decision_s=v("decision_s"), launch_s=v("launch_s"),
        kill_assessment_s=v("kill_assessment_s"), shots_per_opportunity=int(round(v("shots_per_opportunity"))),
    )


def battery_pk(key: str = "seongju") -> Quantity:
    """The single-shot kill probability estimate of a battery's interceptor."""
    return find_battery(key)["quantities"]["pk"]

"""Catalogue estimates a sweep may override (``estimate.*`` parameters).

These are not scenario fields: they replace a sourced catalogue value for one case, so a
sweep can ask what happens if a public estimate is wrong.  Each name maps to an allowed
range (the schema checks it) and is applied to the objects the case is built from
(:mod:`thaad.sweep.build`).

* ``estimate.radar.<mode>.reported_range_km``: the radar's detection range at its
  reference cross-section in that mode.  The radar equation gives R^4 proportional to the
  average power (Skolnik, *Radar Handbook* 3rd ed., eq. 1.1), so the override scales the
  mode's average power by (R'/R)^4 and leaves every other radar parameter as catalogued.
* ``estimate.interceptor.<quantity>``: an interceptor envelope value (units in the name).
"""

from __future__ import annotations

import re

RADAR_RANGE = re.compile(r"estimate\.radar\.([A-Za-z0-9_-]+)\.reported_range_km")

INTERCEPTOR = {
    # name: (low, high) allowed, SI field of thaad.interceptor.Interceptor, factor to SI
    "max_intercept_range_km": ((1.0, 2000.0), "max_intercept_range_m", 1e3),
    "min_intercept_alt_km": ((1.0, 500.0), "min_intercept_alt_m", 1e3),
    "max_intercept_alt_km": ((1.0, 2000.0), "max_intercept_alt_m", 1e3),
    "burnout_speed_m_s": ((100.0, 10000.0), "burnout_speed_m_s", 1.0),
}

RADAR_RANGE_LIMITS_KM = (10.0, 10000.0)


def known_names(radar_modes) -> list[str]:
    return ([f"estimate.radar.{m}.reported_range_km" for m in radar_modes]
            + [f"estimate.interceptor.{k}" for k in INTERCEPTOR])


def check(name: str, value, radar_modes) -> str | None:
    """None if ``value`` is allowed for estimate ``name``, else a message."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"must be a number, got {value!r}"
    m = RADAR_RANGE.fullmatch(name)
    if m:
        if m.group(1) not in radar_modes:
            return f"unknown radar mode {m.group(1)!r}; the scenario's radar has {', '.join(sorted(radar_modes))}"
        lo, hi = RADAR_RANGE_LIMITS_KM
    elif name.startswith("estimate.interceptor.") and name.split(".", 2)[2] in INTERCEPTOR:
        lo, hi = INTERCEPTOR[name.split(".", 2)[2]][0]
    else:
        return "unknown estimate; known: " + ", ".join(known_names(radar_modes))
    if not lo <= float(value) <= hi:
        return f"must be in [{lo:g}, {hi:g}], got {value!r}"
    return None

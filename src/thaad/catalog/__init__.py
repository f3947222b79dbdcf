"""The catalogue: sourced public parameters, kept as TOML data under ``thaad/data``.

Every number that is not a physical constant comes from here and carries its public
``source`` and whether it is an ``estimate``.  Where sources disagree a quantity carries
``low``/``nominal``/``high``.  A sourced quantity in TOML::

    [missile.scud-b.range_km]
    nominal = 300
    low = 280              # optional
    high = 320             # optional
    source = "CSIS Missile Threat, 'Scud-B' (2021)"
    estimate = false
    note = "..."           # optional

The one level rule (:func:`thaad.catalog.quantity.at_level`): an item at estimate level
``low`` takes every quantity at the end of its band that makes the item LESS capable,
``high`` at the more capable end, ``nominal`` the nominal values.  The missile reaches less
far, the radar sees less far, the battery defends less (fewest launchers, longest reaction
times, lowest Pk, smallest engagement envelope).  Each catalogue module declares the
direction of every quantity (``MISSILE_DIRECTION``, ``RADAR_DIRECTION``,
``BATTERY_DIRECTION``, ``INTERCEPTOR_DIRECTION``).  Target sizes (RCS presets) are not
capabilities: their "low" is the smaller cross-section.

One module per catalogue: :mod:`.places`, :mod:`.missiles`, :mod:`.radars`,
:mod:`.batteries`; :mod:`.quantity` holds the value type, the level rule, the data files
and the one name lookup.  This package is part of the shell: it reads files; the physics
core never imports it.  Names become core objects in :mod:`thaad.assemble`.
"""

from thaad.catalog.batteries import (
    BATTERY_DIRECTION,
    INTERCEPTOR_DIRECTION,
    battery,
    battery_entries,
    battery_pk,
    find_battery,
    find_interceptor,
    interceptor,
    interceptor_entries,
)
from thaad.catalog.missiles import (
    MISSILE_DIRECTION,
    MissileCategory,
    MissileEntry,
    StageEntry,
    TestFlight,
    find_missile,
    missile_vehicle,
    missiles,
)
from thaad.catalog.places import Place, Point, find_place, places, places_tagged
from thaad.catalog.quantity import (
    LEVELS,
    Level,
    Quantity,
    at_level,
    check_level,
    data_text,
    load_toml,
    lookup,
    name_index,
    norm_name,
    sourced_table,
)
from thaad.catalog.radars import (
    RADAR_DIRECTION,
    RadarMode,
    RadarSpec,
    RcsPreset,
    build_radar,
    find_radar,
    radar_equation,
    radar_mode,
    radars,
    rcs_presets,
)
from thaad.errors import InputError

_norm = norm_name  # kept for callers written before the split

__all__ = [
    "BATTERY_DIRECTION", "INTERCEPTOR_DIRECTION", "LEVELS", "Level", "MISSILE_DIRECTION", "MissileCategory",
    "MissileEntry", "Place", "Point", "Quantity", "RADAR_DIRECTION", "RadarMode", "RadarSpec", "RcsPreset",
    "StageEntry", "TestFlight", "InputError", "at_level", "battery", "battery_entries", "battery_pk", "build_radar",
    "check_level", "data_text", "find_battery", "find_interceptor", "find_missile", "find_place", "find_radar",
    "interceptor", "interceptor_entries", "load_toml", "lookup", "missile_vehicle", "name_index", "missiles", "norm_name",
    "places", "places_tagged", "radar_equation", "radar_mode", "radars", "rcs_presets", "sourced_table",
]

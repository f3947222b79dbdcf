"""One level rule for every catalogue: "low" is the less capable end of each band."""

import pytest

from thaad import catalog
from thaad.choices import Level, Shape, parse
from thaad.errors import InputError


def _banded(quantities):
    return {name for name, q in quantities.items() if q.has_band}


def test_every_banded_quantity_declares_its_capability_direction():
    missing = []
    for e in catalog.battery_entries().values():
        missing += [f"battery.{n}" for n in _banded(e["quantities"]) - set(catalog.BATTERY_DIRECTION)]
    for e in catalog.interceptor_entries().values():
        missing += [f"interceptor.{n}" for n in _banded(e["quantities"]) - set(catalog.INTERCEPTOR_DIRECTION)]
    for m in catalog.missiles().values():
        names = {n.split(".")[-1] for n, q in m.quantities().items() if q.has_band}
        missing += [f"missile.{m.key}.{n}" for n in names - set(catalog.MISSILE_DIRECTION)
                    - {"range_km", "launch_mass_kg", "length_m"}]  # descriptive, not flown
    for r in catalog.radars().values():
        for n, q in r.hardware.items():
            if q.has_band and n not in catalog.RADAR_DIRECTION:
                missing.append(f"radar.{r.key}.{n}")
    assert missing == []


def test_battery_low_is_the_less_capable_end():
    low, high = catalog.battery("seongju", "low"), catalog.battery("seongju", "high")
    assert low.inventory <= high.inventory
    assert low.reaction_s > high.reaction_s  # slower crews at "low"
    assert low.interceptor.min_intercept_alt_m >= high.interceptor.min_intercept_alt_m
    assert low.interceptor.max_intercept_range_m <= high.interceptor.max_intercept_range_m
    assert catalog.at_level(catalog.battery_pk("seongju"), "low", +1) < catalog.battery_pk("seongju").nominal


def test_at_level_follows_the_direction():
    q = catalog.Quantity(nominal=10, low=5, high=30, source="test", estimate=True)
    assert catalog.at_level(q, "low", +1) == 5 and catalog.at_level(q, "high", +1) == 30
    assert catalog.at_level(q, "low", -1) == 30 and catalog.at_level(q, "high", -1) == 5
    assert catalog.at_level(q, Level.NOMINAL, -1) == 10
    with pytest.raises(InputError, match="level"):
        catalog.at_level(q, "median", +1)


def test_a_misspelt_choice_is_an_error_naming_the_allowed_values():
    assert parse(Shape, "lofted", "shape") is Shape.LOFTED
    with pytest.raises(InputError, match="min-energy, lofted, depressed"):
        parse(Shape, "gravity_turn", "shape")

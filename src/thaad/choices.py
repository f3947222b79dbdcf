"""The named choices of the model, defined once: estimate level, trajectory shape, radar
mode, pitch programme.

``StrEnum`` members compare equal to their strings ("nominal" == Level.NOMINAL), print as
their values and validate at the edges: pydantic fields (scenario files), click
``Choice(values(...))`` options (CLI) and :func:`parse` for anything else.
"""

from __future__ import annotations

from enum import StrEnum

from thaad.errors import InputError


class Level(StrEnum):
    """Estimate level of a catalogue band: ``low`` is the end that makes the item less
    capable (the missile reaches less far, the radar sees less far, the battery defends
    less), ``high`` the more capable end (see :mod:`thaad.catalog`)."""

    LOW = "low"
    NOMINAL = "nominal"
    HIGH = "high"


class Shape(StrEnum):
    """Trajectory shape: minimum-energy, lofted (above it) or depressed (below it)."""

    MIN_ENERGY = "min-energy"
    LOFTED = "lofted"
    DEPRESSED = "depressed"


class RadarMode(StrEnum):
    """AN/TPY-2 operating configuration: fire control for the battery, or forward-based early warning."""

    TERMINAL = "terminal"
    FORWARD_BASED = "forward-based"


class Pitch(StrEnum):
    """Pitch programme of the powered flight (after the vertical rise)."""

    LINEAR = "linear"  # thrust elevation falls linearly in time to the programmed burnout pitch
    GRAVITY_TURN = "gravity-turn"  # pitch-over kick, then thrust along the Earth-relative velocity


LEVELS: tuple[Level, ...] = tuple(Level)
SHAPES: tuple[Shape, ...] = tuple(Shape)


def values(kind: type[StrEnum]) -> list[str]:
    """The allowed strings of a choice (for click.Choice and error messages)."""
    return [m.value for m in kind]


def parse(kind: type[StrEnum], value, field: str):
    """``value`` as a member of ``kind``, else an InputError naming the field and the allowed values."""
    try:
        return kind(value)
    except ValueError:
        raise InputError(field, f"must be one of {', '.join(values(kind))}, got {value!r}") from None

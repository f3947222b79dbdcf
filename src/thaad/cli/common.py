"""Shared CLI helpers: point parsing, JSON output, and the ``places`` command."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import click
import numpy as np

from thaad import catalog
from thaad.errors import InputError, require_range


@dataclass(frozen=True)
class Point:
    """A geodetic point given on the command line (degrees and metres at the edge)."""

    lat_deg: float
    lon_deg: float
    alt_m: float
    name: str

    @property
    def lat_rad(self) -> float:
        return math.radians(self.lat_deg)

    @property
    def lon_rad(self) -> float:
        return math.radians(self.lon_deg)


def parse_point(text: str, field: str, *, alt_unit: str = "m") -> Point:
    """``LAT,LON[,ALT]`` (ALT in ``alt_unit``: "m" or "km") or a place name from places.toml."""
    if text is None:
        raise InputError(field, "is required")
    parts = [p.strip() for p in text.split(",")]
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = None
    if numbers is None:
        place = catalog.find_place(text)
        return Point(place.lat_deg, place.lon_deg, place.alt_m, place.name)
    if len(numbers) not in (2, 3):
        raise InputError(field, f"expected LAT,LON[,ALT] or a place name, got {text!r}")
    lat = require_range(f"{field} latitude", numbers[0], -90, 90)
    lon = require_range(f"{field} longitude", numbers[1], -180, 180)
    alt = 0.0
    if len(numbers) == 3:
        scale = 1000.0 if alt_unit == "km" else 1.0
        alt = require_range(f"{field} altitude ({alt_unit})", numbers[2], -500 / scale, 1e5 / scale * 100) * scale
    return Point(lat, lon, alt, f"{lat:.4f},{lon:.4f}")


def to_jsonable(obj):
    """Convert numpy scalars/arrays, NaN/inf (-> null) and dataclasses for strict JSON."""
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        f = float(obj)
        return f if math.isfinite(f) else None
    return obj


def dumps(obj, *, indent: int | None = 2) -> str:
    return json.dumps(to_jsonable(obj), indent=indent, allow_nan=False, sort_keys=False)


def emit_json(obj) -> None:
    click.echo(dumps(obj))


json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")


@click.command("places")
@click.option("--tag", default=None, help="Only places with this tag (report, defended, nk-launch, cn-launch, us-target).")
@json_option
def places_command(tag, as_json):
    """List the reference places (sites, cities, launch areas) with their sources."""
    rows = [p for p in catalog.places().values() if tag is None or tag in p.tags]
    if as_json:
        emit_json({"places": [p.model_dump() for p in rows]})
        return
    for p in rows:
        est = " (estimate)" if p.estimate else ""
        click.echo(f"{p.key:16s} {p.name:34s} {p.lat_deg:8.4f} {p.lon_deg:9.4f}  {p.country}  {p.source}{est}")


COMMANDS = [places_command]

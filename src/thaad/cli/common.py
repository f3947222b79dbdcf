"""Shared CLI helpers: point parsing, JSON output, and the catalogue listings ``places`` and ``missiles``."""

from __future__ import annotations

import json
import re

import click

from thaad import catalog
from thaad.catalog import Point
from thaad.choices import Level, Shape, values
from thaad.jsonio import dumps, to_jsonable  # noqa: F401 (dumps: re-exported for the CLI modules)
from thaad import validate
from thaad.cli.params import Num
from thaad.errors import InputError, require_range


_ALT_UNITS = {"m": 1.0, "km": 1000.0}


def parse_altitude_m(text: str, field: str, default_unit: str = "m") -> float:
    """An altitude with its unit in the value (``680m``, ``120km``, ``120 km``); a bare
    number is in ``default_unit`` (metres everywhere, except where a flag's name or an
    older contract says km)."""
    t = str(text).strip().lower().replace(" ", "")
    unit = next((u for u in ("km", "m") if t.endswith(u)), None)
    number = t[: -len(unit)] if unit else t
    try:
        value = validate.parse_number(f"{field} altitude", number)
    except InputError:
        raise InputError(f"{field} altitude", f"expected a number with an optional unit (680m, 120km), got {text!r}") from None
    scale = _ALT_UNITS[unit or default_unit]
    return require_range(f"{field} altitude (m)", value * scale, -500.0, 1e7)


def parse_point(text: str, field: str, *, alt_unit: str = "m") -> Point:
    """``LAT,LON[,ALT]`` or a place name from places.toml.  ALT carries its unit
    (``680m``, ``120km``); a bare number is in ``alt_unit`` ("m", or "km" where an older
    contract says so).  Numbers are parsed strictly (:func:`thaad.validate.parse_number`):
    '3_6,128' is refused, not read as 36,128; text that looks numeric is never a place."""
    if text is None:
        raise InputError(field, "is required")
    parts = [p.strip() for p in str(text).split(",")]
    if not any(_NUMERIC_LOOKING.fullmatch(p) for p in parts):
        return catalog.find_place(text).point()
    if len(parts) not in (2, 3):
        raise InputError(field, f"expected LAT,LON[,ALT] (ALT like 680m or 120km) or a place name, got {text!r}")
    lat = validate.latitude(f"{field} latitude", validate.parse_number(f"{field} latitude", parts[0]))
    lon = validate.longitude(f"{field} longitude", validate.parse_number(f"{field} longitude", parts[1]))
    alt = parse_altitude_m(parts[2], field, alt_unit) if len(parts) == 3 else 0.0
    name = f"{lat:.4f},{lon:.4f}"
    return Point(lat, lon, alt, name, name)


# a part that starts like a number (digits, sign, dot, or nan/inf): the text is meant as LAT,LON[,ALT]
_NUMERIC_LOOKING = re.compile(r"\s*[+-]?(\d|\.\d|nan\b|inf).*", re.IGNORECASE)


def emit_json(obj) -> None:
    click.echo(dumps(obj))


LEVEL_CHOICE = click.Choice(values(Level))
SHAPE_CHOICE = click.Choice(values(Shape))
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
boresight_option = click.option("--boresight-deg", type=Num(-360.0, 360.0), default=None,
                                help="Face boresight azimuth (deg, clockwise from north); default from the catalogue.")
min_el_option = click.option("--min-el-deg", type=Num(-90.0, 89.0), default=None,
                             help="Lowest beam elevation (deg); default from the catalogue.")


def check_radar_angles(boresight_deg: float | None, min_el_deg: float | None) -> None:
    """The one CLI check of ``--boresight-deg`` and ``--min-el-deg`` (None: catalogue value)."""
    if boresight_deg is not None:
        require_range("boresight-deg", boresight_deg, -360, 360)
    if min_el_deg is not None:
        require_range("min-el-deg", min_el_deg, -90, 89)


@click.command("places")
@click.option("--tag", default=None, help="Only places with this tag (report, defended, nk-launch, cn-launch, us-target).")
@json_option
def places_command(tag, as_json):
    """List the reference places (sites, cities, launch areas) with their sources.

    \b
    Examples:
      thaad places
      thaad places --tag nk-launch
      thaad places --json
    """
    rows = [p for p in catalog.places().values() if tag is None or tag in p.tags]
    if tag is not None and not rows:
        known = sorted({t for p in catalog.places().values() for t in p.tags})
        raise InputError("tag", f"no place has tag {tag!r}; known tags: {', '.join(known)}")
    if as_json:
        emit_json({"places": [p.model_dump() for p in rows]})
        return
    for p in rows:
        est = " (estimate)" if p.estimate else ""
        click.echo(f"{p.key:16s} {p.name:34s} {p.lat_deg:8.4f} {p.lon_deg:9.4f}  {p.country}  {p.source}{est}")


@click.command("missiles")
@click.argument("name", required=False)
@click.option("--category", type=click.Choice(["SRBM", "MRBM", "IRBM", "ICBM"]), default=None, help="Only this class.")
@json_option
def missiles_command(name, category, as_json):
    """List the missile catalogue with public sources; give NAME for one missile in full.

    Ranges are published nominal ranges with their low-high spread between sources;
    `*` marks an entry with estimated (derived) figures: see each quantity's note.

    \b
    Examples:
      thaad missiles
      thaad missiles --category IRBM
      thaad missiles hwasong-12 --json
    """
    if name is not None:
        rows = [catalog.find_missile(name)]
        if category is not None and rows[0].category != category:
            raise InputError("category", f"{rows[0].name} is an {rows[0].category}, not {category}; "
                                         "give NAME or --category, or both when they agree")
    else:
        rows = [m for m in catalog.missiles().values() if category is None or m.category == category]
    if as_json:
        emit_json({"missiles": [_missile_json(m) for m in rows]})
        return
    if name is not None:
        _echo_missile(rows[0])
        return
    for m in rows:
        lo, nom, hi = m.range_km.band
        est = "*" if m.any_estimate else " "
        click.echo(
            f"{m.key:12s}{est} {m.name:12s} {m.category:5s} range {nom:7,.0f} km ({lo:,.0f}-{hi:,.0f})"
            f"  payload {m.payload_kg.nominal:6,.0f} kg  {len(m.stages)} stage(s)  {m.range_km.source}"
        )


def _missile_json(m) -> dict:
    out = m.model_dump(mode="json")
    out["stages"] = out.pop("stage")
    out["test_flights"] = out.pop("test_flight")
    out["any_estimate"] = m.any_estimate
    return out


def _echo_missile(m) -> None:
    click.echo(f"{m.name} ({m.key}): {m.category}, {m.propellant}; operators: {', '.join(m.operators)}")
    if m.aliases:
        click.echo(f"  aliases: {', '.join(m.aliases)}")
    click.echo(f"  RV separates: {'yes' if m.separates else 'no'}.  {m.notes}")
    for field, q in m.quantities().items():
        band = f" ({q.at('low'):g}-{q.at('high'):g})" if (q.low, q.high) != (None, None) else ""
        est = " [estimate]" if q.estimate else ""
        click.echo(f"  {field:38s} {q.nominal:>10g}{band}{est}  -- {q.source}" + (f"; {q.note}" if q.note else ""))
    for f in m.test_flights:
        t = "" if f.flight_time_s is None else f", {f.flight_time_s:g} s"
        click.echo(f"  test flight {f.date}: {f.downrange_km:g} km downrange, apogee {f.apogee_km:g} km{t}  -- {f.source}")


COMMANDS = [places_command, missiles_command]

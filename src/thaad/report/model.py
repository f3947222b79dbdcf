"""Plain data objects the report sections are made of (no physics, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["answered", "partial", "missing"]


class Missing(Exception):
    """A physics capability this build of thaad does not provide (yet).

    The report then says so for the question concerned and shows no numbers for it.
    """

    def __init__(self, capability: str, detail: str = ""):
        self.capability = capability
        self.detail = detail
        super().__init__(capability + (f": {detail}" if detail else ""))


@dataclass
class Figure:
    """A matplotlib figure with its caption; ``key`` names the image file and anchor."""

    key: str
    caption: str
    fig: Any  # matplotlib.figure.Figure
    alt: str = ""


@dataclass
class Table:
    key: str
    caption: str
    columns: list[str]
    rows: list[list[Any]]
    note: str = ""


@dataclass
class Raster:
    """A lon/lat grid written as a GeoTIFF layer: ``values`` is (n_lat, n_lon), NaN = no data."""

    key: str
    description: str
    lon_deg: Any
    lat_deg: Any
    values: Any
    band: str  # band name with its unit, e.g. "lowest_detectable_alt_km"


@dataclass
class Source:
    """A catalogue entry the report used: what, its value and band, and its public source."""

    parameter: str
    value: str
    source: str
    estimate: bool
    note: str = ""


@dataclass
class Section:
    """One answered question: text, figures, tables, numbers (for report.json), provenance."""

    key: str  # q1..q4
    title: str
    question: str
    status: Status = "answered"
    short_answer: str = ""
    paragraphs: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    band: dict[str, Any] = field(default_factory=dict)  # {"label": ..., "unit": ..., "low": x, "nominal": y, "high": z}
    numbers: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)  # CLI commands that reproduce a number
    features: list[dict] = field(default_factory=list)  # GeoJSON features (layers)
    rasters: list[Raster] = field(default_factory=list)  # GeoTIFF layers
    sources: list[Source] = field(default_factory=list)

    def mark_missing(self, err: Missing) -> None:
        text = err.capability + (f" ({err.detail})" if err.detail else "")
        if text not in self.missing:
            self.missing.append(text)
        self.status = "partial" if (self.numbers or self.figures) else "missing"

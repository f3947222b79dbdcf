"""Figure helpers: matplotlib (Agg) figures, offline maps, PNG bytes and data URIs."""

from __future__ import annotations

import base64
import io
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

DPI = 110
PALETTE = {
    "terminal": "#1f6fb2",
    "forward-based": "#c0392b",
    "warhead": "#1f6fb2",
    "booster": "#e67e22",
    "site": "#111111",
    "shield": "#7f8c8d",
    "cn": "#c0392b",
    "kp": "#8e44ad",
}


def new_figure(width_in: float = 8.0, height_in: float = 5.5) -> Figure:
    """A figure not registered with pyplot (no global state, no leaks across a run)."""
    fig = Figure(figsize=(width_in, height_in), dpi=DPI, layout="constrained")
    return fig


def png_bytes(fig: Figure) -> bytes:
    """PNG of the figure, with no timestamp or software metadata (byte-stable)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def map_axes(fig: Figure, lon_min: float, lon_max: float, lat_min: float, lat_max: float, ax=None):
    """Plate-carree axes with the shipped coastlines and borders (thaad.gis.mapdata).

    The aspect ratio is 1/cos(mid-latitude) so that distances look right at the centre.
    Returns ``(ax, basemap_drawn)``.
    """
    if ax is None:
        ax = fig.add_subplot(1, 1, 1)
    from thaad.gis import mapdata

    mapdata.draw_basemap(ax, lon_min, lon_max, lat_min, lat_max)
    drawn = True
    ax.set_xlim(lon_min, lon_max)
    ax.set_ylim(lat_min, lat_max)
    ax.set_aspect(1.0 / math.cos(math.radians(0.5 * (lat_min + lat_max))))
    ax.set_xlabel("longitude (deg E)")
    ax.set_ylabel("latitude (deg N)")
    ax.grid(True, lw=0.3, alpha=0.5)
    return ax, drawn


def label_point(ax, lon: float, lat: float, text: str, *, color: str = "#111", marker: str = "o", size: float = 4, fontsize: float = 7):
    ax.plot([lon], [lat], marker=marker, ms=size, color=color, zorder=6, ls="none")
    ax.annotate(text, (lon, lat), xytext=(3, 3), textcoords="offset points", fontsize=fontsize, color=color, zorder=7)


def close(fig: Figure) -> None:
    """Release a figure's memory (Figure objects made by new_figure are not in pyplot)."""
    fig.clear()


__all__ = ["new_figure", "png_bytes", "data_uri", "map_axes", "label_point", "has_basemap", "PALETTE", "plt"]

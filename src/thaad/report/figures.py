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


def has_basemap() -> bool:
    try:
        from thaad import mapdata  # noqa: F401
    except ImportError:
        return False
    return hasattr(mapdata, "draw_basemap")


def map_axes(fig: Figure, lon_min: float, lon_max: float, lat_min: float, lat_max: float, ax=None):
    """Plate-carree axes with shipped coastlines and borders (thaad.mapdata) when present.

    The aspect ratio is 1/cos(mid-latitude) so that distances look right at the centre.
    Returns ``(ax, basemap_drawn)``.
    """
    if ax is None:
        ax = fig.add_subplot(1, 1, 1)
    drawn = False
    if has_basemap():
        from thaad import mapdata

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


def label_points(ax, items, *, fontsize: float = 6) -> None:
    """Markers and labels for ``items`` = [(lon, lat, text, color, marker, size)], each label
    placed at the first of a few offsets where it overlaps no label placed before (greedy;
    a label that fits nowhere keeps its first position)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = ax.figure
    canvas = fig.canvas if hasattr(fig.canvas, "get_renderer") else FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    offsets = [(3, 3, "left"), (3, -9, "left"), (-3, 3, "right"), (-3, -9, "right"), (3, 11, "left"), (3, -17, "left"),
               (-3, 11, "right"), (-3, -17, "right")]
    placed = []
    for lon, lat, text, color, marker, size in items:
        ax.plot([lon], [lat], marker=marker, ms=size, color=color, zorder=6, ls="none")
        best = None
        for dx, dy, ha in offsets:
            a = ax.annotate(text, (lon, lat), xytext=(dx, dy), textcoords="offset points", fontsize=fontsize, color=color,
                            zorder=7, ha=ha)
            box = a.get_window_extent(renderer).expanded(1.05, 1.15)
            if not any(box.overlaps(b) for b in placed):
                best = box
                break
            a.remove()
        if best is None:
            a = ax.annotate(text, (lon, lat), xytext=offsets[0][:2], textcoords="offset points", fontsize=fontsize,
                            color=color, zorder=7)
            best = a.get_window_extent(renderer)
        placed.append(best)


def close(fig: Figure) -> None:
    """Release a figure's memory (Figure objects made by new_figure are not in pyplot)."""
    fig.clear()


__all__ = ["new_figure", "png_bytes", "data_uri", "map_axes", "label_point", "label_points", "has_basemap", "PALETTE", "plt"]

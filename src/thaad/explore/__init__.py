"""``thaad explore``: a what-if map in the browser (local web app, no network).

One idea per file: :mod:`~thaad.explore.state` (page state -> validated scenario),
:mod:`~thaad.explore.compute` (coverage and footprint through the report's wiring),
:mod:`~thaad.explore.basemap` (offline coastlines, borders, places as GeoJSON),
:mod:`~thaad.explore.save` (state -> scenario TOML), :mod:`~thaad.explore.app` (the
Starlette routes), :mod:`~thaad.explore.server` (uvicorn on a socket we bind).
The page itself is ``static/index.html`` + ``explore.js`` on vendored Leaflet.
"""

from thaad.explore.app import create_app

__all__ = ["create_app"]

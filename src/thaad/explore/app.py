"""The ASGI app (Starlette): the page, its static files, and a small JSON API.

Routes::

    GET  /                      the page (static/index.html)
    GET  /static/...            the page's script and style, vendored Leaflet
    GET  /api/initial           base scenario's state, the choices (threats, launch areas, places)
    GET  /api/basemap           coastlines and borders (GeoJSON)
    GET  /api/places            catalogue places (GeoJSON)
    POST /api/coverage          state -> coverage bands, decorations, numbers, compute time
    POST /api/footprint         state -> defended footprint (interactive grid), numbers, compute time
    POST /api/scenario          state -> scenario TOML (a download)

Every POST validates the state with the scenario schema first (:mod:`thaad.explore.state`):
bad input answers 4xx with ``{"errors": [{"field", "message", "line"}]}``.  Anything else
that goes wrong answers 500 with a one-line message; the server keeps running.
"""

from __future__ import annotations

import logging
import threading
from importlib import resources

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from thaad import catalog
from thaad.errors import InputError
from thaad.explore import basemap, compute, save
from thaad.explore.state import Problem, StateError, initial_state, parse_body, to_scenario
from thaad.jsonio import to_jsonable
from thaad.scenario import Scenario

log = logging.getLogger("thaad.explore")


def static_dir():
    return resources.files("thaad.explore").joinpath("static")


def _json(obj, status: int = 200) -> JSONResponse:
    return JSONResponse(to_jsonable(obj), status_code=status, headers={"Cache-Control": "no-store"})


def create_app(base: Scenario, base_name: str = "built-in scenario") -> Starlette:
    """The explore app for ``base`` (the scenario the page starts from and saves onto)."""
    footprint_lock = threading.Lock()  # one footprint at a time: it is the slow path
    flights = compute.FlightCache()  # trajectories reused while only the radar changes

    async def _state(request: Request):
        body = await request.body()
        return to_scenario(base, parse_body(body))

    def guarded(handler):
        async def endpoint(request: Request):
            try:
                return await handler(request)
            except StateError as err:
                return _json(err.as_json(), err.status)
            except InputError as err:  # a core check on a value the schema let through
                return _json({"errors": [{"field": err.field, "message": err.message, "line": str(err)}]}, 422)
            except Exception as err:  # noqa: BLE001 - the server must survive any request
                log.exception("explore: request failed")
                msg = f"internal error: {type(err).__name__}: {err}"
                return _json({"errors": [{"field": "(server)", "message": msg, "line": msg}]}, 500)
        return endpoint

    async def index(request: Request):
        return FileResponse(str(static_dir().joinpath("index.html")), headers={"Cache-Control": "no-store"})

    async def initial(request: Request):
        threats = [{"name": t.name, "question": t.question, "missile": t.missile, "launch": list(t.launch),
                    "shape": t.shape} for t in base.threats]
        launch_areas = sorted({p.key for p in catalog.places().values() if p.kind == "launch-area"}
                              | {k for t in base.threats for k in t.launch})
        return _json({"state": initial_state(base), "base": base_name, "title": base.title,
                      "threats": threats, "launch_areas": launch_areas,
                      "modes": ["terminal", "forward-based"],
                      "grid_km": base.grids.coverage_km,
                      "footprint": {"km": max(compute.FOOTPRINT_KM, base.grids.footprint_km), "samples": 0},
                      "box": [base.grids.lon_min_deg, base.grids.lon_max_deg, base.grids.lat_min_deg, base.grids.lat_max_deg]})

    async def basemap_layer(request: Request):
        return _json(await run_in_threadpool(basemap.basemap))

    async def places_layer(request: Request):
        return _json(basemap.places())

    async def coverage(request: Request):
        sc, view = await _state(request)
        return _json(await run_in_threadpool(compute.coverage, sc, view))

    async def footprint(request: Request):
        sc, view = await _state(request)
        if view.threat is None:
            raise StateError([_missing("threat")])

        def run():
            with footprint_lock:
                return compute.footprint(sc, view, compute.FOOTPRINT_KM, flights)
        return _json(await run_in_threadpool(run))

    async def scenario_file(request: Request):
        sc, _ = await _state(request)
        text = save.scenario_toml(base, sc, base_name)
        return Response(text, media_type="application/toml; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="thaad_explore_scenario.toml"',
                                 "Cache-Control": "no-store"})

    routes = [
        Route("/", index),
        Route("/api/initial", guarded(initial)),
        Route("/api/basemap", guarded(basemap_layer)),
        Route("/api/places", guarded(places_layer)),
        Route("/api/coverage", guarded(coverage), methods=["POST"]),
        Route("/api/footprint", guarded(footprint), methods=["POST"]),
        Route("/api/scenario", guarded(scenario_file), methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(static_dir())), name="static"),
    ]
    return Starlette(routes=routes, middleware=[Middleware(GZipMiddleware, minimum_size=2000)])


def _missing(field: str) -> Problem:
    return Problem(field, "pick one to compute a footprint", f"{field}: pick one to compute a footprint")

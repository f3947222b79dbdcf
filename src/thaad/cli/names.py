"""Click parameter types for catalogue names: 'did you mean' on a typo, and shell
completion (``eval "$(_THAAD_COMPLETE=bash_source thaad)"``) that offers the names.

The catalogue is read only when a value is checked or completed, never at import."""

from __future__ import annotations

import click
from click.shell_completion import CompletionItem

from thaad.cli.lazy import suggest


def _missile_names() -> dict[str, str]:
    from thaad import catalog

    out = {}
    for key, m in catalog.missiles().items():
        out[key] = m.name
        for alias in getattr(m, "aliases", []) or []:
            out.setdefault(str(alias).lower(), m.name)
    return out


def _place_names() -> dict[str, str]:
    from thaad import catalog

    return {key: p.name for key, p in catalog.places().items()}


def _radar_names() -> dict[str, str]:
    from thaad import catalog

    return {key: getattr(r, "name", key) for key, r in catalog.radars().items()}


class CatalogueName(click.ParamType):
    """A name from one catalogue table (case-insensitive); the value passes through
    unchanged, resolution stays with the catalogue."""

    def __init__(self, what: str, names, resolve: str, *, points: bool = False):
        self.what = what
        self.names = names
        self.resolve = resolve  # catalogue function that finds one entry by name
        self.points = points  # also accept LAT,LON[,ALT] (not completed)
        self.name = f"{what} name"

    def convert(self, value, param, ctx):
        text = str(value).strip()
        if self.points and text[:1] in "-+0123456789.":
            return text
        from thaad import catalog
        from thaad.errors import InputError

        try:
            getattr(catalog, self.resolve)(text)
            return text
        except InputError:
            names = self.names()
        # InputError, not click's BadParameter: the CLI prints one line naming the option
        # and exits 2, the contract for every bad value.
        field = param.opts[0].lstrip("-") if param is not None and param.opts else self.what
        raise InputError(field, f"unknown {self.what} {text!r}.{suggest(text, names)} See `thaad {self.what}s`.")

    def shell_complete(self, ctx, param, incomplete):
        try:
            names = self.names()
        except Exception:  # completion must never trace back in the user's shell
            return []
        inc = incomplete.lower()
        return [CompletionItem(k, help=v) for k, v in sorted(names.items()) if k.startswith(inc)]


MISSILE = CatalogueName("missile", _missile_names, "find_missile")
PLACE_OR_POINT = CatalogueName("place", _place_names, "find_place", points=True)
RADAR = CatalogueName("radar", _radar_names, "find_radar")

"""Optional dependencies (shell): import them or say which extra installs them."""

from __future__ import annotations

import importlib

from thaad.errors import InputError

#: module -> pip extra that provides it
EXTRAS = {"rasterio": "dem"}


def require(module: str, field: str, purpose: str):
    """Import ``module`` or raise :class:`InputError` on ``field`` naming the extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        extra = EXTRAS.get(module)
        how = f"pip install 'thaad[{extra}]'" if extra else f"pip install {module}"
        raise InputError(field, f"{purpose} needs the optional '{module}' package: {how}") from None

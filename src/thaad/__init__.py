"""thaad: an open, physics-based model of the THAAD missile-defense system.

Functional core (no files, no CLI; SI units inside: metres, seconds, radians):
``geo``, ``atmosphere``, ``ballistics``, ``radar``, ``interceptor``, ``engagement``,
``footprint``.  Thin shell around it: ``catalog`` (sourced TOML data), ``scenario``
(validated TOML scenarios), ``report`` (HTML/JSON/GeoJSON/KML) and ``cli``.
"""

__version__ = "0.1.0"

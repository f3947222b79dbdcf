"""One validator per kind of user-supplied value, shared by every CLI command and the scenario schema.

Each raises :class:`thaad.errors.InputError` naming the field, the value and the allowed range
(the CLI turns it into one line on stderr and exit status 2).  No I/O: the shell (CLI,
scenario schema) calls these at the edge; the physics core never sees unvalidated values.
"""

from __future__ import annotations

import math
import re
import unicodedata

from thaad.errors import InputError, require_range

# Limits shared by the CLI and the scenario schema.
RCS_MAX_M2 = 1e6
SEED_MAX = 2**32 - 1
ALT_MIN_M, ALT_MAX_M = -500.0, 1e7
NAME_MAX = 60
MODES = ("terminal", "forward-based")

# Strict decimal: Python's float() also takes '3_6' (= 36), 'nan', 'inf', 'infinity' and
# surrounding whitespace; a coordinate typed as '3_6' is a typo, not 36.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def number(field: str, value, low=None, high=None, *, low_open=False, high_open=False) -> float:
    """A finite number in the range (bools refused: ``true`` is not 1)."""
    if isinstance(value, bool):
        raise InputError(field, f"must be a number, got {value!r}")
    if isinstance(value, str):
        value = parse_number(field, value)
    return require_range(field, value, low, high, low_open=low_open, high_open=high_open)


def parse_number(field: str, text: str) -> float:
    """Strict decimal text -> float; refuses underscores, NaN, Infinity, hex and empty text."""
    s = str(text).strip()
    if _NUMBER.fullmatch(s) is None:
        low = s.lower().lstrip("+-")
        if low in ("nan", "inf", "infinity"):
            raise InputError(field, f"must be a finite number, got {text!r}")
        raise InputError(field, f"must be a decimal number (like 36.5 or 1e-3), got {text!r}")
    v = float(s)
    if not math.isfinite(v):  # e.g. 1e999
        raise InputError(field, f"must be a finite number, got {text!r}")
    return v


def integer(field: str, value, low=None, high=None) -> int:
    """A whole number in ``[low, high]`` (bools and fractional values refused)."""
    if isinstance(value, bool):
        raise InputError(field, f"must be a whole number, got {value!r}")
    if isinstance(value, str):
        s = value.strip()
        if re.fullmatch(r"[+-]?\d+", s) is None:
            raise InputError(field, f"must be a whole number, got {value!r}")
        value = int(s)
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise InputError(field, f"must be a whole number, got {value!r}")
        value = int(value)
    if not isinstance(value, int):
        raise InputError(field, f"must be a whole number, got {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        lo = "-inf" if low is None else f"{low}"
        hi = "inf" if high is None else f"{high}"
        raise InputError(field, f"must be a whole number in [{lo}, {hi}], got {value}")
    return value


def latitude(field: str, value) -> float:
    return number(field, value, -90.0, 90.0)


def longitude(field: str, value) -> float:
    return number(field, value, -180.0, 180.0)


def altitude_m(field: str, value, low: float = ALT_MIN_M, high: float = ALT_MAX_M) -> float:
    return number(field, value, low, high)


def rcs_m2(field: str, value) -> float:
    """Radar cross-section in m^2: (0, 1e6] (1e6 m^2 is far above any missile or aircraft)."""
    return number(field, value, 0.0, RCS_MAX_M2, low_open=True)


def pk(field: str, value) -> float:
    """Single-shot kill probability in (0, 1]: Pk = 0 would make every engagement pointless."""
    return number(field, value, 0.0, 1.0, low_open=True)


def seed(field: str, value) -> int:
    """Random seed: a whole number in [0, 2**32 - 1] (numpy's SeedSequence range used here)."""
    return integer(field, value, 0, SEED_MAX)


def count(field: str, value, low: int = 0, high: int | None = None) -> int:
    return integer(field, value, low, high)


def mode(field: str, value) -> str:
    """Radar mode, case-insensitive: 'terminal' or 'forward-based' (also 'forward_based', 'fbm')."""
    s = str(value).strip().lower().replace("_", "-").replace(" ", "-")
    s = {"fbm": "forward-based", "forward": "forward-based", "tm": "terminal"}.get(s, s)
    if s not in MODES:
        raise InputError(field, f"must be one of {', '.join(MODES)} (any case), got {value!r}")
    return s


def name(field: str, value, max_len: int = NAME_MAX) -> str:
    """A display name: 1..max_len characters, no control characters, no ``$`` (figure labels
    are drawn by matplotlib, where ``$...$`` is math markup that can fail to render)."""
    if not isinstance(value, str):
        raise InputError(field, f"must be text, got {value!r}")
    s = value.strip()
    if not s:
        raise InputError(field, "must not be empty")
    if len(s) > max_len:
        raise InputError(field, f"must be at most {max_len} characters, got {len(s)}")
    bad = sorted({c for c in s if unicodedata.category(c).startswith("C")})
    if bad:
        raise InputError(field, f"must not contain control characters, got {value!r}")
    if "$" in s:
        raise InputError(field, f"must not contain '$' (math markup in figure labels), got {value!r}")
    return s


def same_name(a: str, b: str) -> bool:
    """Names compared as a reader would: case and spacing ignored."""
    return _fold(a) == _fold(b)


def _fold(s: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", s).casefold().split())


__all__ = ["number", "parse_number", "integer", "latitude", "longitude", "altitude_m", "rcs_m2", "pk", "seed",
           "count", "mode", "name", "same_name", "RCS_MAX_M2", "SEED_MAX", "MODES", "require_range"]

"""Errors that carry a user-facing message naming the offending field.

The CLI turns :class:`InputError` into one line on stderr and exit status 2;
nothing in thaad should show a traceback for bad input.
"""


class InputError(ValueError):
    """Bad user input: ``field`` names what was wrong, ``message`` says the allowed range."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class UnreachableError(InputError):
    """A target or geometry that the physics cannot satisfy (out of reach, no solution)."""


def require_range(field: str, value, low=None, high=None, *, low_open=False, high_open=False):
    """Raise :class:`InputError` unless ``low <= value <= high`` (finite)."""
    import math

    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(field, f"must be a number, got {value!r}") from None
    if not math.isfinite(v):
        raise InputError(field, f"must be finite, got {value!r}")
    bad_low = low is not None and (v <= low if low_open else v < low)
    bad_high = high is not None and (v >= high if high_open else v > high)
    if bad_low or bad_high:
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        lb = "(" if low_open or low is None else "["
        hb = ")" if high_open or high is None else "]"
        raise InputError(field, f"must be in {lb}{lo}, {hi}{hb}, got {v:g}")
    return v

"""click parameter types backed by :mod:`thaad.validate`, so every command parses numbers alike.

``Num(low, high)`` is a :class:`click.FloatRange` (click shows the range in ``--help``) that
parses strictly: '3_6', 'nan' and 'inf' are refused with the option's name.
"""

from __future__ import annotations

import click

from thaad import validate
from thaad.errors import InputError


class Num(click.FloatRange):
    """A finite decimal number, optionally in a range."""

    def __init__(self, low=None, high=None, *, low_open: bool = False, high_open: bool = False):
        super().__init__(low, high, min_open=low_open, max_open=high_open)
        if low is None and high is None:
            self.name = "float"  # no range to show: plain FLOAT in --help, not "x<=None"

    def _describe_range(self) -> str:
        if self.min is None and self.max is None:
            return ""
        if self.min is None or self.max is None:  # click writes "x<=None" for a one-sided range
            op, bound = (("<", self.max) if self.max_open else ("<=", self.max)) if self.min is None else \
                ((">", self.min) if self.min_open else (">=", self.min))
            return f"x{op}{bound:g}"
        return super()._describe_range()

    def convert(self, value, param, ctx):
        if isinstance(value, str):
            try:
                value = validate.parse_number(param.name if param else "value", value)
            except InputError as err:
                self.fail(err.message, param, ctx)
        return super().convert(value, param, ctx)


class Int(click.IntRange):
    """A whole number (strict: '1_0' and '1.5' refused), optionally in a range."""

    def convert(self, value, param, ctx):
        if isinstance(value, str):
            try:
                value = validate.integer(param.name if param else "value", value)
            except InputError as err:
                self.fail(err.message, param, ctx)
        return super().convert(value, param, ctx)


SEED = Int(0, validate.SEED_MAX)
RCS = Num(0.0, validate.RCS_MAX_M2, low_open=True)
PK = Num(0.0, 1.0, low_open=True)


class ModeType(click.ParamType):
    """Radar mode, case-insensitive: terminal | forward-based."""

    name = "[terminal|forward-based]"

    def convert(self, value, param, ctx):
        try:
            return validate.mode(param.name if param else "mode", value)
        except InputError as err:
            self.fail(err.message, param, ctx)


MODE = ModeType()

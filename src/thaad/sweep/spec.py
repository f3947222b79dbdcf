"""The sweep file (TOML): a base scenario, the parameters to vary, the design, the outputs.

Validation is strict and complete, like the scenario's: :func:`load` raises
:class:`SweepError` listing *every* problem as ``path.to.field: message`` and nothing is
computed.  Problems are found in two passes: the schema (types, ranges, unknown keys),
then the checks that need the base scenario (does ``radar.boresight_deg`` exist, does
each low/high/baseline value make a valid scenario, can each output be evaluated).

This module is shell (it reads files); the physics core never imports it.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from thaad import catalog
from thaad import scenario as scenario_mod
from thaad.errors import InputError
from thaad.sweep import estimates, outputs as outputs_mod
from thaad.sweep.paths import flatten, format_path, get_path, parse_path, set_path

_STRICT = ConfigDict(extra="forbid", frozen=True)
MAX_CASES = 200_000

Value = float | str | bool


class Parameter(BaseModel):
    """One varied quantity: a scenario field (dotted path) or a catalogue estimate (``estimate.*``)."""

    model_config = _STRICT

    field: str = Field(min_length=1, description="dotted scenario field, e.g. radar.boresight_deg, or estimate.*")
    label: str = Field("", max_length=80, description="name in the report; default: the field")
    low: float | None = Field(None, description="lowest value (numeric parameters)")
    high: float | None = Field(None, description="highest value (numeric parameters)")
    baseline: Value | None = Field(None, description="value when the others vary; default: the base scenario's")
    values: list[Value] | None = Field(None, min_length=2, max_length=64, description="explicit values (categorical parameters)")
    scale: Literal["linear", "log"] = "linear"

    @model_validator(mode="after")
    def _shape(self):
        if self.values is None:
            if self.low is None or self.high is None:
                raise ValueError("give low and high, or a list of values")
            if not (math.isfinite(self.low) and math.isfinite(self.high)) or self.low >= self.high:
                raise ValueError(f"need finite low < high, got low={self.low!r}, high={self.high!r}")
            if self.scale == "log" and self.low <= 0:
                raise ValueError("scale = 'log' needs low > 0")
        elif self.low is not None or self.high is not None:
            raise ValueError("give either low/high or values, not both")
        elif len(set(map(repr, self.values))) != len(self.values):
            raise ValueError("values must not repeat")
        return self

    @property
    def name(self) -> str:
        return self.label or self.field


class Design(BaseModel):
    model_config = _STRICT

    one_at_a_time: bool = Field(True, description="baseline plus each parameter at low and high (tornado charts)")
    space_filling: Literal["none", "lhs", "sobol"] = Field(
        "none", description="lhs: Latin hypercube (rank correlations); sobol: Saltelli design (Sobol indices)")
    samples: int = Field(16, ge=2, le=65536, description="lhs: cases; sobol: base samples N (cases = N x (parameters + 2))")
    seed: int = Field(0, ge=0, le=2**32 - 1)

    @model_validator(mode="after")
    def _something(self):
        if not self.one_at_a_time and self.space_filling == "none":
            raise ValueError("nothing to run: set one_at_a_time = true or space_filling = 'lhs' / 'sobol'")
        if self.space_filling == "sobol" and self.samples & (self.samples - 1):
            raise ValueError(f"sobol needs samples to be a power of 2 (balanced Sobol sequence), got {self.samples}")
        return self


class Outputs(BaseModel):
    model_config = _STRICT

    names: list[str] = Field(min_length=1, description="output families, e.g. q1.detection_range_km")
    places: list[str] = Field(default_factory=list, description="places for q1.lowest_alt_km")


class SweepFile(BaseModel):
    model_config = _STRICT

    title: str = Field(min_length=1, max_length=200)
    base: str = Field(scenario_mod.BUILTIN, min_length=1, description="built-in scenario name or a scenario file path")
    fixed: dict[str, Any] = Field(default_factory=dict, description="scenario fields set in every case")
    design: Design = Field(default_factory=Design)
    outputs: Outputs
    parameters: list[Parameter] = Field(min_length=1, max_length=64)


@dataclass(frozen=True)
class Sweep:
    """A checked sweep: the file, the base scenario (fixed values applied) as JSON, the expanded outputs."""

    spec: SweepFile
    source: str
    base_json: dict
    base_estimates: dict[str, float]  # fixed estimate.* overrides
    paths: tuple[tuple, ...]  # parsed path of each parameter (empty tuple for estimate.*)
    baselines: tuple[Value, ...]
    outputs: tuple[outputs_mod.Output, ...]

    @property
    def parameters(self) -> list[Parameter]:
        return list(self.spec.parameters)


class SweepError(Exception):
    """A sweep file that could not be read or did not validate; ``problems`` lists every one."""

    def __init__(self, source: str, problems: list[str], kind: str = "invalid"):
        self.source, self.problems, self.kind = source, problems, kind
        super().__init__(f"{source}: " + "; ".join(problems))


def builtin_scenarios() -> list[str]:
    folder = resources.files("thaad.data").joinpath("scenarios")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def _base_scenario(base: str, folder: Path) -> scenario_mod.Scenario:
    if base in builtin_scenarios():
        return scenario_mod.parse_text(scenario_mod.builtin_text(base), f"built-in:{base}")
    path = Path(base)
    if not path.is_absolute():
        path = folder / path
    if not path.is_file():
        raise scenario_mod.ScenarioError("read", base, [f"not a built-in scenario ({', '.join(builtin_scenarios())}) "
                                                        f"and no such file: {path}"])
    return scenario_mod.load(path)


def validate_scenario(data: dict) -> tuple[scenario_mod.Scenario | None, list[str]]:
    try:
        return scenario_mod.Scenario.model_validate(data), []
    except ValidationError as err:
        return None, scenario_mod.format_errors(err)


def _estimate_baseline(name: str, sc: scenario_mod.Scenario) -> float:
    """The catalogue value the model uses for estimate ``name`` at the scenario's level."""
    from thaad.sweep import build

    return build.estimate_value(name, sc)


def parse_text(text: str, source: str = "<sweep>", folder: Path | None = None) -> Sweep:
    """Parse and check a sweep file; raises :class:`SweepError` with every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise SweepError(source, [f"not valid TOML: {err}"], "read") from None
    try:
        spec = SweepFile.model_validate(data)
    except ValidationError as err:
        raise SweepError(source, scenario_mod.format_errors(err)) from None
    return check(spec, source, folder or Path.cwd())


def load(path: str | Path) -> Sweep:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SweepError(str(p), ["file not found"], "read") from None
    except (OSError, UnicodeDecodeError) as err:
        raise SweepError(str(p), [f"cannot read: {err}"], "read") from None
    return parse_text(text, str(p), p.resolve().parent)


def check(spec: SweepFile, source: str, folder: Path) -> Sweep:
    """The second pass: everything that needs the base scenario."""
    problems: list[str] = []
    try:
        base = _base_scenario(spec.base, folder)
    except scenario_mod.ScenarioError as err:
        raise SweepError(source, [f"base: {p}" for p in err.problems]) from None
    modes = list(catalog.find_radar(base.radar.radar).mode)
    data = base.model_dump(mode="json")
    base_est: dict[str, float] = {}
    for key, value in flatten(spec.fixed).items():
        if key.startswith("estimate."):
            msg = estimates.check(key, value, modes)
            if msg:
                problems.append(f"fixed.{key}: {msg}")
            else:
                base_est[key] = float(value)
            continue
        try:
            data = set_path(data, parse_path(key), value)
        except (ValueError, KeyError) as err:
            problems.append(f"fixed.{key}: {err.args[0]}")
    sc, errs = validate_scenario(data)
    problems += [f"fixed: {e}" for e in errs]
    if sc is None:
        raise SweepError(source, problems)
    data = sc.model_dump(mode="json")
    paths, baselines, seen = [], [], set()
    for i, prm in enumerate(spec.parameters):
        where = f"parameters[{i}]"
        if prm.field in seen:
            problems.append(f"{where}.field: {prm.field!r} is already varied by an earlier parameter")
        seen.add(prm.field)
        if prm.field.startswith("estimate."):
            msg = estimates.check(prm.field, prm.low if prm.values is None else 1.0, modes)
            if msg and msg.startswith("unknown"):
                problems.append(f"{where}.field: {msg}")
                paths.append(())
                baselines.append(None)
                continue
            base_value = base_est.get(prm.field)
            if base_value is None:
                base_value = _estimate_baseline(prm.field, sc)
            baseline = prm.baseline if prm.baseline is not None else base_value
            for label, v in _values(prm, baseline):
                msg = estimates.check(prm.field, v, modes)
                if msg:
                    problems.append(f"{where}.{label}: {msg}")
            paths.append(())
            baselines.append(baseline)
            continue
        try:
            path = parse_path(prm.field)
            current = get_path(data, path)
        except (ValueError, KeyError) as err:
            problems.append(f"{where}.field: {err.args[0]} (see `thaad scenario --template` for the fields)")
            paths.append(())
            baselines.append(None)
            continue
        if isinstance(current, (dict, list)):
            problems.append(f"{where}.field: {prm.field} is a table or list; vary one of its values instead")
        baseline = prm.baseline if prm.baseline is not None else current
        if baseline is None:
            problems.append(f"{where}.baseline: the base scenario leaves {prm.field} unset (catalogue default); "
                            "give baseline")
        for label, v in _values(prm, baseline):
            if v is None:
                continue
            _, errs = validate_scenario(set_path(data, path, v))
            problems += [f"{where}.{label}: {e}" for e in errs]
        paths.append(tuple(path))
        baselines.append(baseline)
    for i, prm in enumerate(spec.parameters):
        b = baselines[i]
        if prm.values is None and isinstance(b, (int, float)) and not isinstance(b, bool) and not prm.low <= b <= prm.high:
            problems.append(f"parameters[{i}].baseline: {b!r} is outside [low, high] = [{prm.low:g}, {prm.high:g}]")
        if prm.values is not None and b is not None and b not in prm.values:
            problems.append(f"parameters[{i}].baseline: {b!r} is not one of values")
    for i, name in enumerate(spec.outputs.names):
        msg = outputs_mod.check_family(name, sc, spec.outputs.places)
        if msg:
            problems.append(f"outputs.names[{i}]: {msg}")
    for i, name in enumerate(spec.outputs.places):
        try:
            catalog.find_place(name)
        except InputError:
            problems.append(f"outputs.places[{i}]: unknown place {name!r}; `thaad places` lists the known ones")
    if len(set(spec.outputs.names)) != len(spec.outputs.names):
        problems.append("outputs.names: names must not repeat")
    if not problems:
        from thaad.sweep.design import case_count

        n = case_count(spec.design, len(spec.parameters), [p.values for p in spec.parameters])
        if n > MAX_CASES:
            problems.append(f"design: {n} cases is more than the {MAX_CASES} allowed; lower design.samples")
    if problems:
        raise SweepError(source, problems)
    outs = tuple(outputs_mod.expand(list(spec.outputs.names), sc, list(spec.outputs.places)))
    return Sweep(spec, source, data, base_est, tuple(paths), tuple(baselines), outs)


def _values(prm: Parameter, baseline) -> list[tuple[str, Value]]:
    if prm.values is not None:
        vals = [(f"values[{j}]", v) for j, v in enumerate(prm.values)]
    else:
        vals = [("low", prm.low), ("high", prm.high)]
    if prm.baseline is not None:
        vals.append(("baseline", prm.baseline))
    return vals


__all__ = ["Parameter", "Design", "Outputs", "SweepFile", "Sweep", "SweepError", "load", "parse_text", "format_path"]

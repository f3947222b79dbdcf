"""Missile description used by the flight model: stages, payload, drag reference.

Plain SI floats (the catalogue layer converts its sourced TOML entries into these).
Stages are listed bottom to top; each stage's ``gross_mass_kg`` excludes the stages
above it and the payload.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

G0_M_S2 = 9.80665  # standard gravity, CGPM 1901 (defines specific impulse in seconds)


@dataclass(frozen=True)
class Stage:
    gross_mass_kg: float  # loaded stage: structure + propellant (not upper stages/payload)
    propellant_mass_kg: float
    isp_s: float  # vacuum specific impulse
    burn_time_s: float
    exit_area_m2: float = 0.0  # nozzle exit area: thrust = vacuum thrust - p_atm * A_exit (0: no correction)

    @property
    def dry_mass_kg(self) -> float:
        return self.gross_mass_kg - self.propellant_mass_kg

    @property
    def mass_flow_kg_s(self) -> float:
        return self.propellant_mass_kg / self.burn_time_s

    @property
    def thrust_vac_n(self) -> float:
        return self.mass_flow_kg_s * self.isp_s * G0_M_S2


@dataclass(frozen=True)
class Vehicle:
    name: str
    stages: tuple[Stage, ...]
    payload_kg: float  # re-entry vehicle (warhead) mass delivered
    diameter_m: float  # body diameter: drag reference area during boost
    separates: bool = True  # the RV separates from the last stage after burnout
    rv_ballistic_coefficient_kg_m2: float = 5000.0  # beta = m / (Cd A) of what re-enters: RV, or spent missile if not separating
    notes: str = ""
    stage_names: tuple[str, ...] = field(default=())

    @property
    def launch_mass_kg(self) -> float:
        return sum(s.gross_mass_kg for s in self.stages) + self.payload_kg

    @property
    def total_burn_time_s(self) -> float:
        return sum(s.burn_time_s for s in self.stages)


@dataclass(frozen=True, eq=False)
class Fleet:
    """The vehicles of N trajectories flown together: distinct vehicles and, per trajectory,
    the index of its vehicle (Monte Carlo samples of one missile's parameter band fly in one
    batch).  All vehicles must have the same number of stages."""

    vehicles: tuple[Vehicle, ...]
    index: np.ndarray  # (N,) int into ``vehicles``

    def __post_init__(self):
        if not self.vehicles:
            raise ValueError("a fleet needs at least one vehicle")
        if len({len(v.stages) for v in self.vehicles}) != 1:
            raise ValueError("vehicles flown together need the same number of stages")

    @staticmethod
    def of(vehicle: "Vehicle | Fleet", n: int) -> "Fleet":
        """``vehicle`` for all ``n`` trajectories (a Fleet is checked for length and returned)."""
        if isinstance(vehicle, Fleet):
            if vehicle.index.shape != (n,):
                raise ValueError(f"fleet of {vehicle.index.size} trajectories, expected {n}")
            return vehicle
        return Fleet((vehicle,), np.zeros(n, dtype=np.intp))

    def take(self, idx) -> "Fleet":
        return Fleet(self.vehicles, self.index[idx])

    @property
    def single(self) -> bool:
        return len(self.vehicles) == 1

    def column(self, fn) -> np.ndarray:
        """``fn(vehicle)`` for each trajectory, shape (N, ...)."""
        return np.asarray([fn(v) for v in self.vehicles], dtype=float)[self.index]

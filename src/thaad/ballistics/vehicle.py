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
    batch).  All vehicles must have the same number of stages.

    ``table_vehicles``/``table_index``/``table_weight`` (optional) name, per trajectory, the
    two anchor vehicles whose starting tables the aim solver blends, ``(1 - w) T[i0] + w T[i1]``
    (:mod:`thaad.ballistics.aim_table`); by default a trajectory uses its own vehicle's
    table.  Monte Carlo draws of a band then share the tables of a few anchors of the band,
    with the drag offset of the minimum-energy condition interpolated linearly between them."""

    vehicles: tuple[Vehicle, ...]
    index: np.ndarray  # (N,) int into ``vehicles``
    table_vehicles: tuple[Vehicle, ...] | None = None
    table_index: np.ndarray | None = None  # (N, 2) int into ``table_vehicles``
    table_weight: np.ndarray | None = None  # (N,) weight of the second anchor

    def __post_init__(self):
        if not self.vehicles:
            raise ValueError("a fleet needs at least one vehicle")
        if len({len(v.stages) for v in self.vehicles + (self.table_vehicles or ())}) != 1:
            raise ValueError("vehicles flown together need the same number of stages")
        if not ((self.table_vehicles is None) == (self.table_index is None) == (self.table_weight is None)):
            raise ValueError("table_vehicles, table_index and table_weight go together")

    @staticmethod
    def of(vehicle: "Vehicle | Fleet", n: int) -> "Fleet":
        """``vehicle`` for all ``n`` trajectories (a Fleet is checked for length and returned)."""
        if isinstance(vehicle, Fleet):
            if vehicle.index.shape != (n,):
                raise ValueError(f"fleet of {vehicle.index.size} trajectories, expected {n}")
            return vehicle
        return Fleet((vehicle,), np.zeros(n, dtype=np.intp))

    @staticmethod
    def from_quantiles(at, u, table_step: float | None = None) -> "Vehicle | Fleet":
        """``at(u)`` per trajectory for Monte Carlo quantiles ``u``: a scalar gives one
        Vehicle, an array (N,) a Fleet of its distinct values (each vehicle built once).
        ``table_step``: the aim solver's starting tables come from the anchor vehicles at the
        multiples of this step that bracket each ``u`` (interpolated linearly) instead of
        from every draw's own vehicle."""
        u = np.asarray(u, dtype=float)
        if u.ndim == 0:
            return at(float(u))
        values, index = np.unique(u, return_inverse=True)
        vehicles = tuple(at(float(x)) for x in values)
        if table_step is None:
            return Fleet(vehicles, index.reshape(-1).astype(np.intp))
        lo = np.clip(np.floor(u / table_step) * table_step, 0.0, max(1.0 - table_step, 0.0))
        hi = np.minimum(lo + table_step, 1.0)
        w = np.where(hi > lo, (u - lo) / np.where(hi > lo, hi - lo, 1.0), 0.0)
        anchors, t_index = np.unique(np.round(np.stack([lo, hi], axis=1), 12), return_inverse=True)
        return Fleet(vehicles, index.reshape(-1).astype(np.intp), tuple(at(float(x)) for x in anchors),
                     t_index.reshape(-1, 2).astype(np.intp), np.clip(w, 0.0, 1.0))

    def take(self, idx) -> "Fleet":
        if self.table_index is None:
            return Fleet(self.vehicles, self.index[idx])
        return Fleet(self.vehicles, self.index[idx], self.table_vehicles, self.table_index[idx], self.table_weight[idx])

    def table_anchors(self):
        """``(vehicles, index (N, 2), weight (N,))`` of the starting tables (own vehicle,
        weight 0, unless anchors are given)."""
        if self.table_vehicles is None:
            return self.vehicles, np.stack([self.index, self.index], axis=1), np.zeros(self.index.size)
        return self.table_vehicles, self.table_index, self.table_weight

    @property
    def single(self) -> bool:
        return len(self.vehicles) == 1

    def column(self, fn) -> np.ndarray:
        """``fn(vehicle)`` for each trajectory, shape (N, ...)."""
        return np.asarray([fn(v) for v in self.vehicles], dtype=float)[self.index]

"""Heuristic first, then the exact model warm-started with it; the best plan and its proof.

The gap is measured against the MILP's proven bound: `(bound - covered) / bound`. A gap of 0
with `is_optimal` means no other choice of K stops reaches more people; a gap of 2 % means no
choice can reach more than 2 % of the bound above what the plan reaches.
"""

import time
from dataclasses import dataclass

import numpy as np

from maillon.diagnosis.planning.heuristic import EPSILON, greedy_order, solve_heuristic
from maillon.diagnosis.planning.instance import Instance
from maillon.diagnosis.planning.milp import solve_milp

DEFAULT_TIME_LIMIT = 10.0


class Method:
    MILP = "milp"
    HEURISTIC = "heuristique"


@dataclass(frozen=True)
class Stop:
    candidate: int  # index in the instance
    reach: float  # weight within reach of this stop alone (stops may overlap)
    marginal_gain: float  # weight it adds after the stops before it, in greedy order


@dataclass(frozen=True)
class Plan:
    stops: tuple[Stop, ...]  # in greedy order
    covered: float
    bound: float
    is_optimal: bool
    method: str  # which solver found the kept plan
    solver_status: str
    heuristic_covered: float
    greedy_covered: float
    heuristic_seconds: float
    milp_seconds: float

    @property
    def gap(self) -> float:
        """Proven relative distance to the optimum (0 when proven optimal)."""
        if self.is_optimal or self.bound <= 0:
            return 0.0
        return max(0.0, (self.bound - self.covered) / self.bound)

    @property
    def chosen(self) -> tuple[int, ...]:
        return tuple(stop.candidate for stop in self.stops)


def describe_stops(instance: Instance, chosen: list[int] | tuple[int, ...]) -> tuple[Stop, ...]:
    ordered = greedy_order(instance, chosen)
    reach = np.asarray(instance.coverage[:, ordered].T @ instance.weights).ravel()
    stops: list[Stop] = []
    covered = np.zeros(instance.demand_count, dtype=bool)
    for position, candidate in enumerate(ordered):
        column = instance.coverage[:, candidate].toarray().ravel() > 0
        gain = float(instance.weights[column & ~covered].sum())
        covered |= column
        stops.append(Stop(candidate=candidate, reach=float(reach[position]), marginal_gain=gain))
    return tuple(stops)


def plan(instance: Instance, *, time_limit: float = DEFAULT_TIME_LIMIT, exact: bool = True) -> Plan:
    """The heuristic's plan, improved and proven (or bounded) by HiGHS when `exact`."""
    started = time.perf_counter()
    heuristic = solve_heuristic(instance)
    heuristic_seconds = time.perf_counter() - started
    chosen, covered, method = heuristic.chosen, heuristic.objective, Method.HEURISTIC
    bound, is_optimal, status = instance.coverable_weight, False, "non lancé"
    if covered >= bound - EPSILON:  # every coverable person reached: optimal by itself
        is_optimal, status = True, "borne atteinte"
    milp_seconds = 0.0
    if exact and not is_optimal:
        started = time.perf_counter()
        try:
            result = solve_milp(instance, time_limit=time_limit, start=heuristic.chosen)
        except Exception as error:  # the solver failed: the heuristic's plan stays, unproven
            result = None
            status = f"solveur exact en échec ({type(error).__name__}) : plan de l'heuristique"
        milp_seconds = time.perf_counter() - started
        if result is not None:
            bound, is_optimal, status = result.bound, result.is_optimal, result.status
            if len(result.chosen) == instance.k and result.objective > covered + EPSILON:
                chosen, covered, method = result.chosen, result.objective, Method.MILP
            if covered >= bound - EPSILON:
                is_optimal = True
    return Plan(
        stops=describe_stops(instance, chosen),
        covered=covered,
        bound=max(bound, covered),
        is_optimal=is_optimal,
        method=method,
        solver_status=status,
        heuristic_covered=heuristic.objective,
        greedy_covered=heuristic.greedy_objective,
        heuristic_seconds=heuristic_seconds,
        milp_seconds=milp_seconds,
    )

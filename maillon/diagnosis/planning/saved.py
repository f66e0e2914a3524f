"""A plan kept as plain data, to show it again and download it without solving again.

The pages solve once (heuristic, then HiGHS within a time limit) and keep the request and the
answer: the chosen site ids and the solver's proof. Showing or downloading the plan rebuilds
the instance from the same request (deterministic: same data, same instance) and describes the
kept stops; it never solves again, so a plan found at the time limit reads the same in every
download. Nothing personal is kept: territory, numbers and the uploaded candidate sites.
"""

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from maillon.diagnosis.planning.heuristic import EPSILON
from maillon.diagnosis.planning.instance import InstanceError
from maillon.diagnosis.planning.itinerary import ItineraryOptions, Site
from maillon.diagnosis.planning.services import Planning, depot_of, plan_itinerance, weekly_tour
from maillon.diagnosis.planning.solve import Plan, describe_stops
from maillon.diagnosis.planning.territory import build_instance


class StalePlanError(InstanceError):
    """The data changed since the plan was computed: its stops no longer read the same."""


@dataclass(frozen=True)
class PlanRequest:
    """Everything a plan depends on, as JSON-friendly values."""

    territory: str
    k: int
    threshold_minutes: float
    service: str | None = None
    sites: tuple[Site, ...] | None = None
    time_limit: float = 10.0
    depot: str | None = None
    days: int = 5
    stops_per_day: int = 2
    driving_budget_minutes: float = 120.0
    monday: dt.date | None = None
    weeks: int = 1

    @property
    def options(self) -> ItineraryOptions:
        return ItineraryOptions(
            days=self.days,
            stops_per_day=self.stops_per_day,
            driving_budget_minutes=self.driving_budget_minutes,
        )


@dataclass(frozen=True)
class SavedPlan:
    request: PlanRequest
    stop_ids: tuple[str, ...]  # greedy order
    covered: float
    bound: float
    is_optimal: bool
    method: str
    solver_status: str
    heuristic_covered: float
    greedy_covered: float
    heuristic_seconds: float
    milp_seconds: float
    computed_at: dt.datetime

    def to_data(self) -> dict[str, Any]:
        data = asdict(self)
        request = data["request"]
        request["sites"] = (
            [[s.id, s.name, s.latitude, s.longitude] for s in self.request.sites]
            if self.request.sites is not None
            else None
        )
        request["monday"] = self.request.monday.isoformat() if self.request.monday else None
        data["stop_ids"] = list(self.stop_ids)
        data["computed_at"] = self.computed_at.isoformat()
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "SavedPlan":
        request = dict(data["request"])
        sites = request.pop("sites")
        monday = request.pop("monday")
        return cls(
            **{
                **data,
                "request": PlanRequest(
                    **request,
                    sites=tuple(
                        Site(str(i), str(n), float(la), float(lo)) for i, n, la, lo in sites
                    )
                    if sites is not None
                    else None,
                    monday=dt.date.fromisoformat(monday) if monday else None,
                ),
                "stop_ids": tuple(data["stop_ids"]),
                "computed_at": dt.datetime.fromisoformat(data["computed_at"]),
            }
        )


def solve(request: PlanRequest, *, now: dt.datetime) -> tuple[SavedPlan, Planning]:
    """Solve the request once; the saved form of the answer and the answer itself."""
    planning = plan_itinerance(
        territory=request.territory,
        k=request.k,
        threshold_minutes=request.threshold_minutes,
        service=request.service,
        sites=list(request.sites) if request.sites is not None else None,
        time_limit=request.time_limit,
        depot=request.depot,
        options=request.options,
    )
    plan = planning.plan
    saved = SavedPlan(
        request=request,
        stop_ids=tuple(planning.built.candidates[s.candidate].id for s in plan.stops),
        covered=plan.covered,
        bound=plan.bound,
        is_optimal=plan.is_optimal,
        method=plan.method,
        solver_status=plan.solver_status,
        heuristic_covered=plan.heuristic_covered,
        greedy_covered=plan.greedy_covered,
        heuristic_seconds=plan.heuristic_seconds,
        milp_seconds=plan.milp_seconds,
        computed_at=now,
    )
    return saved, planning


def restore(saved: SavedPlan) -> Planning:
    """The same plan, rebuilt from the saved request and stops without solving.

    Raises StalePlanError when a stop vanished or the stops no longer cover what they covered (the
    directory or the estimates changed since): the plan must then be computed again.
    """
    request = saved.request
    built = build_instance(
        territory=request.territory,
        k=request.k,
        threshold_minutes=request.threshold_minutes,
        service=request.service,
        sites=list(request.sites) if request.sites is not None else None,
    )
    position = {identifier: index for index, identifier in enumerate(built.instance.candidate_ids)}
    if any(identifier not in position for identifier in saved.stop_ids):
        raise StalePlanError(
            "Un arrêt de ce plan n'est plus un site candidat : relancez le calcul."
        )
    chosen = [position[identifier] for identifier in saved.stop_ids]
    if not np.isclose(built.instance.covered_weight(chosen), saved.covered, atol=EPSILON):
        raise StalePlanError("Les données ont changé depuis ce calcul : relancez-le.")
    plan = Plan(
        stops=describe_stops(built.instance, chosen),
        covered=saved.covered,
        bound=saved.bound,
        is_optimal=saved.is_optimal,
        method=saved.method,
        solver_status=saved.solver_status,
        heuristic_covered=saved.heuristic_covered,
        greedy_covered=saved.greedy_covered,
        heuristic_seconds=saved.heuristic_seconds,
        milp_seconds=saved.milp_seconds,
    )
    start = depot_of(request.depot) if request.depot else None
    itinerary = weekly_tour(built, plan, depot=start, options=request.options)
    return Planning(built=built, plan=plan, itinerary=itinerary)

"""One call from a request to a plan and its weekly tour, for the command and the pages."""

from dataclasses import dataclass

import numpy as np

from maillon.diagnosis.access import great_circle_km
from maillon.diagnosis.planning import travel
from maillon.diagnosis.planning.heuristic import EPSILON
from maillon.diagnosis.planning.instance import FloatArray, InstanceError
from maillon.diagnosis.planning.itinerary import (
    Itinerary,
    ItineraryOptions,
    Site,
    build_itinerary,
)
from maillon.diagnosis.planning.solve import DEFAULT_TIME_LIMIT, Plan, plan
from maillon.diagnosis.planning.territory import TerritoryInstance, build_instance, town_hall_name
from maillon.territory.models import Commune


@dataclass(frozen=True)
class Planning:
    built: TerritoryInstance
    plan: Plan
    itinerary: Itinerary


def driving(
    lat_a: FloatArray, lon_a: FloatArray, lat_b: FloatArray, lon_b: FloatArray
) -> FloatArray:
    return travel.driving_minutes(great_circle_km(lat_a, lon_a, lat_b, lon_b))


def depot_of(code_insee: str) -> Site:
    """The town hall (else the centroid) of a commune, as the tour's starting point."""
    commune = Commune.objects.by_code_insee(code_insee).first()
    if commune is None:
        raise InstanceError(f"Départ : aucune commune ne porte le code INSEE « {code_insee} ».")
    latitude = commune.town_hall_latitude or commune.latitude
    longitude = commune.town_hall_longitude or commune.longitude
    if latitude is None or longitude is None:
        raise InstanceError(f"Départ : la commune {commune} n'a pas de position connue.")
    return Site(commune.code_insee, town_hall_name(commune.name), latitude, longitude)


def plan_itinerance(
    *,
    territory: str,
    k: int,
    threshold_minutes: float,
    service: str | None = None,
    sites: list[Site] | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    depot: str | None = None,
    options: ItineraryOptions | None = None,
) -> Planning:
    """Build the instance, solve it (heuristic, then HiGHS), and lay the stops over a week."""
    built = build_instance(
        territory=territory, k=k, threshold_minutes=threshold_minutes, service=service, sites=sites
    )
    start = depot_of(depot) if depot else None
    result = plan(built.instance, time_limit=time_limit)
    itinerary = weekly_tour(built, result, depot=start, options=options)
    return Planning(built=built, plan=result, itinerary=itinerary)


def weekly_tour(
    built: TerritoryInstance,
    result: Plan,
    *,
    depot: Site | None = None,
    options: ItineraryOptions | None = None,
) -> Itinerary:
    """The week's tour of the stops that reach somebody, most useful first. A stop adding
    nobody to the ones before it (K larger than needed) is not driven to: it would take a
    useful stop's place in the week."""
    sites = [built.candidates[stop.candidate] for stop in result.stops]
    useful = [
        site for site, stop in zip(sites, result.stops, strict=True) if stop.marginal_gain > EPSILON
    ]
    start = depot or (sites[0] if sites and not useful else None)
    return build_itinerary(useful, driving=driving, options=options, depot=start)


def stop_descriptions(planning: Planning) -> dict[str, str]:
    """One line per stop for the calendar: who it reaches."""
    descriptions: dict[str, str] = {}
    for stop in planning.plan.stops:
        site = planning.built.candidates[stop.candidate]
        reach = int(np.rint(stop.reach))
        descriptions[site.id] = (
            f"Environ {reach} personnes en risque d'illectronisme à moins de "
            f"{planning.built.threshold_minutes:g} minutes (estimation)."
        )
    return descriptions

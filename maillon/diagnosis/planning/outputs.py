"""The plan as JSON and CSV: stops, people reached, marginal gains, proof and itinerary."""

import csv
import io
from typing import Any

import numpy as np

from maillon.diagnosis.planning.instance import as_number
from maillon.diagnosis.planning.itinerary import Itinerary, Site
from maillon.diagnosis.planning.solve import Plan
from maillon.diagnosis.planning.territory import TerritoryInstance

CSV_COLUMNS = (
    "ordre",
    "id",
    "nom",
    "latitude",
    "longitude",
    "personnes_a_portee",
    "gain_marginal",
    "gain_cumule",
    "communes_couvertes",
    "jour",
    "debut",
    "fin",
)


def _round(value: float) -> int | float:
    return as_number(round(value, 2))


def covered_communes(built: TerritoryInstance, candidate: int) -> list[str]:
    column = built.instance.coverage[:, candidate].tocoo().row
    return [built.instance.demand_ids[i] for i in np.sort(column)]


def _visits_by_site(itinerary: Itinerary | None) -> dict[str, tuple[str, str, str]]:
    found: dict[str, tuple[str, str, str]] = {}
    for day in itinerary.days if itinerary else ():
        for visit in day.visits:
            found[visit.site.id] = (day.name, f"{visit.start:%H:%M}", f"{visit.end:%H:%M}")
    return found


def plan_to_json(
    built: TerritoryInstance, plan: Plan, itinerary: Itinerary | None = None
) -> dict[str, Any]:
    instance = built.instance
    stops: list[dict[str, Any]] = []
    cumulative = 0.0
    for order, stop in enumerate(plan.stops, start=1):
        site: Site = built.candidates[stop.candidate]
        cumulative += stop.marginal_gain
        stops.append(
            {
                "ordre": order,
                "id": site.id,
                "nom": site.name,
                "latitude": site.latitude,
                "longitude": site.longitude,
                "personnes_a_portee": _round(stop.reach),
                "gain_marginal": _round(stop.marginal_gain),
                "gain_cumule": _round(cumulative),
                "communes_couvertes": covered_communes(built, stop.candidate),
            }
        )
    to_cover = float(instance.weights.sum())
    result: dict[str, Any] = {
        "territoire": built.territory,
        "couverts": _round(plan.covered),
        "arrets": [instance.candidate_ids[stop.candidate] for stop in plan.stops],
        "parametres": {
            "arrets": instance.k,
            "seuil_minutes": built.threshold_minutes,
            "service": built.service,
            "modele_temps_de_trajet": built.travel_model,
        },
        "demande": {
            "estimation": True,
            "communes": built.communes,
            "personnes_en_risque": _round(built.people_at_risk),
            "personnes_deja_a_portee_d_un_lieu_fixe": _round(built.already_covered),
            "lieux_fixes": built.fixed_places,
            "communes_a_couvrir": instance.demand_count,
            "personnes_a_couvrir": _round(to_cover),
            "personnes_atteignables": _round(instance.coverable_weight),
            "personnes_non_couvertes": _round(to_cover - plan.covered),
        },
        "resolution": {
            "methode": plan.method,
            "optimal_prouve": plan.is_optimal,
            "borne_superieure": _round(plan.bound),
            "ecart_optimalite": round(plan.gap, 6),
            "statut_solveur": plan.solver_status,
            "couverts_heuristique": _round(plan.heuristic_covered),
            "couverts_glouton": _round(plan.greedy_covered),
            "secondes_heuristique": round(plan.heuristic_seconds, 4),
            "secondes_milp": round(plan.milp_seconds, 4),
        },
        "detail_arrets": stops,
    }
    if itinerary is not None:
        result["itineraire"] = itinerary_to_json(itinerary)
    return result


def itinerary_to_json(itinerary: Itinerary) -> dict[str, Any]:
    return {
        "depart": {"id": itinerary.depot.id, "nom": itinerary.depot.name},
        "jours": [
            {
                "jour": day.name,
                "minutes_de_conduite": round(day.driving_minutes, 1),
                "budget_depasse": day.is_over_budget,
                "arrets": [
                    {
                        "id": visit.site.id,
                        "nom": visit.site.name,
                        "debut": f"{visit.start:%H:%M}",
                        "fin": f"{visit.end:%H:%M}",
                        "minutes_depuis_precedent": round(visit.minutes_from_previous, 1),
                    }
                    for visit in day.visits
                ],
            }
            for day in itinerary.days
        ],
        "non_planifies": [site.id for site in itinerary.unscheduled],
    }


def plan_to_csv(built: TerritoryInstance, plan: Plan, itinerary: Itinerary | None = None) -> str:
    data = plan_to_json(built, plan, itinerary)
    visits = _visits_by_site(itinerary)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for stop in data["detail_arrets"]:
        day, start, end = visits.get(stop["id"], ("", "", ""))
        writer.writerow(
            [
                stop["ordre"],
                stop["id"],
                stop["nom"],
                f"{stop['latitude']:.6f}",
                f"{stop['longitude']:.6f}",
                stop["personnes_a_portee"],
                stop["gain_marginal"],
                stop["gain_cumule"],
                " ".join(stop["communes_couvertes"]),
                day,
                start,
                end,
            ]
        )
    return buffer.getvalue()

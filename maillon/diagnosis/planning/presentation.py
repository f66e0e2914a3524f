# ruff: noqa: RUF001 — typographic apostrophes in French texts.
"""A plan as the page and the PDF show it: figures, stops, communes, tour, proof in plain French."""

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.templatetags.static import static

from maillon.diagnosis.planning.saved import SavedPlan
from maillon.diagnosis.planning.services import Planning
from maillon.diagnosis.planning.solve import Method
from maillon.places.vocabulary import Service
from maillon.territory.models import Commune

SOLVER_STATUSES = {
    "Optimal": "optimum prouvé par HiGHS",
    "Time limit reached": "limite de temps atteinte",
    "borne atteinte": "toutes les personnes atteignables sont atteintes",
    "non lancé": "solveur exact non lancé",
}


def people(value: float) -> str:
    """A whole number of people, French thousands separator (narrow no-break space)."""
    return f"{int(np.rint(value)):,}".replace(",", "\u202f")


def percent(value: float) -> str:
    return f"{value:.1%}".replace(".", ",").replace("%", "\u202f%")


def minutes(value: float) -> str:
    return f"{value:.0f}\u202fmin"


@dataclass(frozen=True)
class Proof:
    title: str
    text: str
    level: str  # "success" when proven optimal, "info" otherwise


def proof_of(planning: Planning, saved: SavedPlan) -> Proof:
    """The solver's answer, its status and its proven optimality gap, in plain French."""
    plan = planning.plan
    k = planning.built.instance.k
    status = SOLVER_STATUSES.get(plan.solver_status, plan.solver_status)
    if plan.method == Method.MILP:
        found = (
            "Le solveur exact HiGHS a trouvé mieux que l’heuristique "
            f"({people(plan.covered - plan.heuristic_covered)} personnes de plus)."
        )
    elif plan.solver_status == "borne atteinte":
        found = (
            "L’heuristique (glouton puis échanges) atteint déjà toutes les personnes qu’un site "
            "au moins peut atteindre : le solveur exact n’a pas eu à être lancé."
        )
    else:
        found = (
            "Le plan vient de l’heuristique (glouton puis échanges) ; HiGHS n’a pas trouvé mieux."
        )
    seconds = plan.heuristic_seconds + plan.milp_seconds
    timing = f"Calcul en {seconds:.2f} s".replace(".", ",") + f" (statut : {status})."
    if plan.is_optimal:
        return Proof(
            "Optimal prouvé (écart 0 %)",
            f"Aucun autre choix de {k} arrêt{'s' if k > 1 else ''} n’atteint plus de personnes "
            "(dans le modèle : estimations et temps de trajet estimés). D’autres choix peuvent "
            f"être aussi bons. {found} {timing}",
            "success",
        )
    return Proof(
        f"Écart à l’optimum prouvé : au plus {percent(plan.gap)}",
        f"La limite de temps ({saved.request.time_limit:g} s) a été atteinte avant la preuve. "
        f"Aucun choix de {k} arrêts ne peut atteindre plus de {people(plan.bound)} personnes "
        f"(borne prouvée par HiGHS) ; ce plan en atteint {people(plan.covered)}, soit au pire "
        f"{percent(plan.gap)} de moins que le meilleur plan possible, peut-être déjà optimal. "
        f"Augmentez la limite de temps pour resserrer l’écart. {found} {timing}",
        "info",
    )


def parameters(saved: SavedPlan, planning: Planning) -> list[dict[str, str]]:
    request = saved.request
    service = Service(request.service).label if request.service else "Tout lieu"
    sites = (
        f"Fichier déposé ({len(request.sites)} sites)"
        if request.sites is not None
        else "Mairies des communes du territoire"
    )
    return [
        {"label": "Territoire", "value": planning.built.territory},
        {"label": "Nombre d’arrêts (K)", "value": str(request.k)},
        {"label": "Seuil de temps de trajet (M)", "value": minutes(request.threshold_minutes)},
        {"label": "Service attendu", "value": service},
        {"label": "Sites candidats", "value": sites},
        {"label": "Temps de trajet", "value": planning.built.travel_model},
        {"label": "Calculé le", "value": f"{saved.computed_at:%d/%m/%Y à %H:%M} (UTC)"},
    ]


def key_figures(planning: Planning) -> list[dict[str, str]]:
    built, plan = planning.built, planning.plan
    to_cover = float(built.instance.weights.sum())
    share = plan.covered / to_cover if to_cover else 0.0
    return [
        {
            "label": "Personnes en risque atteintes par les arrêts",
            "value": people(plan.covered),
            "note": f"{percent(share)} des personnes à couvrir (estimation)",
        },
        {
            "label": "Personnes à couvrir",
            "value": people(to_cover),
            "note": "En risque d’illectronisme et hors de portée d’un lieu fixe",
        },
        {
            "label": "Personnes en risque du territoire",
            "value": people(built.people_at_risk),
            "note": f"Dont {people(built.already_covered)} déjà à portée d’un lieu fixe",
        },
        {
            "label": "Personnes non atteintes",
            "value": people(to_cover - plan.covered),
            "note": f"Atteignables par au moins un site : "
            f"{people(built.instance.coverable_weight)}",
        },
    ]


def _visits(planning: Planning) -> dict[str, str]:
    found: dict[str, str] = {}
    for day in planning.itinerary.days:
        for visit in day.visits:
            found[visit.site.id] = f"{day.name} {visit.start:%H:%M}–{visit.end:%H:%M}"
    return found


def stop_rows(planning: Planning) -> list[list[Any]]:
    built, plan = planning.built, planning.plan
    names = dict(zip(built.instance.demand_ids, built.demand_names, strict=True))
    visits = _visits(planning)
    cumulative = 0.0
    rows: list[list[Any]] = []
    for order, stop in enumerate(plan.stops, start=1):
        site = built.candidates[stop.candidate]
        cumulative += stop.marginal_gain
        column = built.instance.coverage[:, stop.candidate].tocoo().row
        communes = sorted(names[built.instance.demand_ids[i]] for i in column)
        rows.append(
            [
                f"{order}. {site.name}",
                people(stop.reach),
                people(stop.marginal_gain),
                people(cumulative),
                ", ".join(communes) or "—",
                visits.get(
                    site.id,
                    "non planifié" if stop.marginal_gain > 0 else "aucun (n’ajoute personne)",
                ),
            ]
        )
    return rows


def commune_rows(planning: Planning) -> list[list[Any]]:
    """Every commune left to cover, most people first, with the stops that reach it."""
    built, plan = planning.built, planning.plan
    instance = built.instance
    labels = {
        stop.candidate: f"{order}. {built.candidates[stop.candidate].name}"
        for order, stop in enumerate(plan.stops, start=1)
    }
    coverage = instance.coverage.tocsr()
    rows: list[tuple[float, list[Any]]] = []
    for index, code in enumerate(instance.demand_ids):
        columns = coverage.indices[coverage.indptr[index] : coverage.indptr[index + 1]]
        reaching = [labels[c] for c in sorted(columns) if c in labels]
        weight = float(instance.weights[index])
        rows.append(
            (
                -weight,
                [
                    f"{built.demand_names[index]} ({code})",
                    people(weight),
                    "; ".join(reaching) if reaching else "non atteinte",
                ],
            )
        )
    rows.sort(key=lambda row: (row[0], row[1][0]))
    return [row for _weight, row in rows]


def itinerary_rows(planning: Planning) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for day in planning.itinerary.days:
        for position, visit in enumerate(day.visits):
            driving = (
                minutes(day.driving_minutes) + (" — budget dépassé" if day.is_over_budget else "")
                if position == 0
                else ""
            )
            rows.append(
                [
                    day.name.capitalize() if position == 0 else "",
                    visit.site.name,
                    f"{visit.start:%H:%M}–{visit.end:%H:%M}",
                    minutes(visit.minutes_from_previous),
                    driving,
                ]
            )
    return rows


def map_data(planning: Planning) -> dict[str, Any]:
    """Stops and coverage of the communes for static/maillon/itinerance/map.js."""
    built, plan = planning.built, planning.plan
    covered = np.asarray(built.instance.coverage[:, list(plan.chosen)].sum(axis=1)).ravel() > 0
    return {
        "arrets": [
            {
                "ordre": order,
                "nom": built.candidates[stop.candidate].name,
                "lat": built.candidates[stop.candidate].latitude,
                "lon": built.candidates[stop.candidate].longitude,
                "gain": people(stop.marginal_gain),
            }
            for order, stop in enumerate(plan.stops, start=1)
        ],
        "communes": {
            code: "couverte" if is_covered else "non_couverte"
            for code, is_covered in zip(built.instance.demand_ids, covered, strict=True)
        },
    }


def outline_urls(planning: Planning) -> list[str]:
    """Commune outlines of the départements the plan touches (demand and candidate communes)."""
    codes = set(planning.built.instance.demand_ids) | {
        site.id for site in planning.built.candidates
    }
    # A set, not `.distinct()`: the model's ordering (name) would make every commune distinct,
    # and the page would load the same outline file once per commune.
    departements = set(
        Commune.objects.filter(code_insee__in=codes).values_list("departement_id", flat=True)
    )
    return [static(f"maillon/places/communes/{code}.geojson") for code in sorted(departements)]


def idle_stops_note(planning: Planning) -> str:
    """Say so when some stops add nobody: fewer stops reach as many people."""
    idle = [stop for stop in planning.plan.stops if stop.marginal_gain <= 0]
    if not idle:
        return ""
    useful = len(planning.plan.stops) - len(idle)
    return (
        f"{len(idle)} arrêt{'s' if len(idle) > 1 else ''} n’ajoute{'nt' if len(idle) > 1 else ''} "
        f"personne aux précédents : {useful} arrêt{'s' if useful > 1 else ''} suffi"
        f"{'sent' if useful > 1 else 't'} à atteindre les mêmes personnes. Les arrêts "
        "restants ne sont pas mis dans la tournée ; ils peuvent servir ailleurs (autre service, "
        "autre seuil)."
    )


def context(planning: Planning, saved: SavedPlan) -> dict[str, Any]:
    return {
        "idle_note": idle_stops_note(planning),
        "proof": proof_of(planning, saved),
        "parameters": parameters(saved, planning),
        "figures": key_figures(planning),
        "stop_headers": [
            "Arrêt",
            "Personnes à portée",
            "Gain marginal",
            "Gain cumulé",
            "Communes atteintes",
            "Passage",
        ],
        "stop_rows": stop_rows(planning),
        "commune_headers": ["Commune", "Personnes à couvrir", "Atteinte par"],
        "commune_rows": commune_rows(planning),
        "itinerary_headers": [
            "Jour",
            "Arrêt",
            "Horaires",
            "Trajet depuis l’étape précédente",
            "Conduite du jour",
        ],
        "itinerary_rows": itinerary_rows(planning),
        "depot": planning.itinerary.depot.name,
        "unscheduled": [site.name for site in planning.itinerary.unscheduled],
        "budget": minutes(saved.request.driving_budget_minutes),
    }

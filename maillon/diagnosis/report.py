"""The diagnosis of a territory: need, offer, accessibility and gaps, compared with the
département, the région and France (docs/diagnostic.md).

Every figure is computed for all communes at once (numpy), then summed over the territory and
over its reference territories; the output keys are the ones of `manage.py diagnostic`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from maillon.diagnosis import access, cache, routing
from maillon.diagnosis.arrays import BoolArray, FloatArray, IntArray
from maillon.diagnosis.need import METHOD_LABEL, RANGE_LABEL, AtRisk
from maillon.diagnosis.offer import Offer, distinct_mediators, offer_per_commune
from maillon.diagnosis.tables import (
    IFN_COLUMNS,
    CommuneTable,
    PlaceTable,
    departement_names,
    region_names,
)
from maillon.places.exporting.territories import parse_territories
from maillon.places.vocabulary import Service

ESTIMATE = "estimation"
_EXAMPLES = "fr, reg:52, dep:53, epci:200083392 ou com:53130"


class DiagnosisError(ValueError):
    """A territory or option the diagnosis cannot use; the message is French."""


@dataclass(frozen=True)
class Scope:
    kind: str  # "fr", "reg", "dep", "epci", "com"
    code: str
    name: str

    @property
    def key(self) -> str:
        return "fr" if self.kind == "fr" else f"{self.kind}:{self.code}"


def parse_scope(spec: str) -> Scope:
    """One territory: `fr`, `reg:CODE`, `dep:CODE`, `epci:SIREN` or `com:CODE`."""
    text = spec.strip()
    if text.lower() == "fr":
        return Scope(kind="fr", code="fr", name="France")
    if "," in text:
        raise DiagnosisError(
            f"Territoire « {spec} » : un seul territoire à la fois (par exemple {_EXAMPLES})."
        )
    try:
        territory = parse_territories(text)[0]
    except ValueError as error:
        raise DiagnosisError(f"{error} Valeurs possibles : {_EXAMPLES}.") from None
    return Scope(kind=territory.kind, code=territory.code, name=territory.name)


@dataclass(frozen=True)
class Computed:
    """Everything per commune, for all communes."""

    communes: CommuneTable
    places: PlaceTable
    need: AtRisk
    offer: Offer
    density_class: np.ndarray[Any, np.dtype[np.int64]]
    nearest_place_id: np.ndarray[Any, np.dtype[np.int64]]  # 0 when none
    distance_km: FloatArray  # NaN when no place or no position
    minutes: FloatArray  # inf when no place can be reached
    travel_source: str
    service: str | None


def compute(*, service: str | None = None, today: dt.date | None = None) -> Computed:
    """Need, offer and accessibility of every commune (the nearest place may offer `service`)."""
    if service and service not in Service.values:
        raise DiagnosisError(
            f"Service « {service} » inconnu : utilisez l'un des codes {', '.join(Service.values)}."
        )
    # Communes, places and need come from the in-process cache (cache.py): the database is
    # read again only when their version stamp changed.
    cached = cache.tables()
    communes, places, need = cached.communes, cached.places, cached.need
    offer = offer_per_commune(communes, places, today=today)
    offering = np.flatnonzero(places.offering(service))
    found = cached.nearest(service)
    classes = access.density_class(communes.density)
    has_place = found.index >= 0
    place_index = np.full(len(communes), -1, dtype=np.int64)
    place_index[has_place] = offering[found.index[has_place]]
    place_ids = np.zeros(len(communes), dtype=np.int64)
    place_ids[has_place] = places.ids[place_index[has_place]]
    # inf: no place to reach, so beyond every threshold; NaN: the commune has no position, its
    # time is unknown and it is counted neither beyond 15 nor beyond 30 minutes.
    minutes = np.full(len(communes), np.inf)
    minutes[~(np.isfinite(communes.lat) & np.isfinite(communes.lon))] = np.nan
    minutes[has_place] = access.minutes_for_km(found.distance_km[has_place], classes[has_place])
    travel_source = access.TRAVEL_MODEL_LABEL
    routed = routing.route_minutes(
        communes.lat[has_place],
        communes.lon[has_place],
        places.lat[place_index[has_place]],
        places.lon[place_index[has_place]],
    )
    if routed is not None:
        minutes[has_place] = np.where(np.isfinite(routed), routed, minutes[has_place])
        travel_source = routing.ROUTED_LABEL
    return Computed(
        communes=communes,
        places=places,
        need=need,
        offer=offer,
        density_class=classes,
        nearest_place_id=place_ids,
        distance_km=found.distance_km,
        minutes=minutes,
        travel_source=travel_source,
        service=service,
    )


def _mask(computed: Computed, kind: str, code: str) -> BoolArray:
    communes = computed.communes
    column = {"reg": "regions", "dep": "departements", "epci": "epcis", "com": "codes"}.get(kind)
    if column is None:
        return np.ones(len(communes), dtype=bool)
    mask: BoolArray = communes.text_array(column) == code
    return mask


def territory_mask(computed: Computed, scope: Scope) -> BoolArray:
    """Which communes belong to the territory `scope`."""
    return _mask(computed, scope.kind, scope.code)


def _ratio(numerator: float, denominator: float, scale: float = 1.0) -> float | None:
    return None if denominator <= 0 else round(numerator / denominator * scale, 2)


def _weighted_mean(values: FloatArray, weights: FloatArray) -> float | None:
    known = np.isfinite(values) & (weights > 0)
    total = float(weights[known].sum())
    return None if total <= 0 else round(float((values[known] * weights[known]).sum()) / total, 2)


def aggregate(computed: Computed, mask: BoolArray) -> dict[str, Any]:
    """The territory's figures: sums of the communes in `mask`, and ratios of those sums."""
    communes, need, offer = computed.communes, computed.need, computed.offer
    population = float(communes.population[mask].sum())
    adults = float(need.population_15_plus[mask].sum())
    at_risk = float(need.central[mask].sum())
    beyond = {
        threshold: (computed.minutes > threshold) & mask for threshold in access.THRESHOLDS_MINUTES
    }
    area = float(np.nansum(communes.area_km2[mask]))
    hours = float(offer.weekly_hours[mask].sum())
    figures: dict[str, Any] = {
        "communes": int(mask.sum()),
        "population": round(population),
        "population_15_ans_et_plus": round(adults),
        "personnes_en_risque": round(at_risk),
        "personnes_en_risque_bas": round(float(need.low[mask].sum())),
        "personnes_en_risque_haut": round(float(need.high[mask].sum())),
        "personnes_en_risque_statut": ESTIMATE,
        "taux_de_risque_pct": _ratio(at_risk, adults, 100),
    }
    for threshold, where in beyond.items():
        figures[f"personnes_en_risque_au_dela_{threshold}_min"] = round(
            float(need.central[where].sum())
        )
        figures[f"personnes_en_risque_au_dela_{threshold}_min_bas"] = round(
            float(need.low[where].sum())
        )
        figures[f"personnes_en_risque_au_dela_{threshold}_min_haut"] = round(
            float(need.high[where].sum())
        )
        figures[f"part_en_risque_au_dela_{threshold}_min_pct"] = _ratio(
            float(need.central[where].sum()), at_risk, 100
        )
    figures.update(
        {
            "distance_lieu_plus_proche_km": _weighted_mean(
                computed.distance_km[mask], need.central[mask]
            ),
            "temps_lieu_plus_proche_min": _weighted_mean(
                np.where(np.isfinite(computed.minutes), computed.minutes, np.nan)[mask],
                need.central[mask],
            ),
            "lieux": int(offer.places[mask].sum()),
            "arrets_itinerants": int(offer.itinerant_stops[mask].sum()),
            "lieux_par_service": {
                code: int(counts[mask].sum()) for code, counts in offer.by_service.items()
            },
            "heures_ouverture_hebdo": round(hours, 1),
            "lieux_avec_horaires": int(offer.places_with_hours[mask].sum()),
            "lieux_pour_10000_habitants": _ratio(float(offer.places[mask].sum()), population, 1e4),
            "personnes_en_risque_par_heure_ouverture": _ratio(at_risk, hours),
            "activites_12_mois": int(offer.activities[mask].sum()),
            "accompagnements_12_mois": int(offer.accompaniments[mask].sum()),
            "mediateurs_12_mois": distinct_mediators(offer.mediator_pairs, mask),
            "accompagnements_pour_100_personnes_en_risque": _ratio(
                float(offer.accompaniments[mask].sum()), at_risk, 100
            ),
            "densite_hab_km2": _ratio(population, area),
            "taux_pauvrete_pct": _weighted_mean(
                communes.poverty_rate[mask], communes.population[mask]
            ),
            "taux_pauvrete_couverture_pct": _ratio(
                float(communes.population[mask & np.isfinite(communes.poverty_rate)].sum()),
                population,
                100,
            ),
        }
    )
    for column in IFN_COLUMNS:
        figures[column] = _weighted_mean(communes.ifn[column][mask], communes.population[mask])
    return figures


COMPARED = (
    "taux_de_risque_pct",
    "part_en_risque_au_dela_15_min_pct",
    "part_en_risque_au_dela_30_min_pct",
    "distance_lieu_plus_proche_km",
    "temps_lieu_plus_proche_min",
    "lieux_pour_10000_habitants",
    "personnes_en_risque_par_heure_ouverture",
    "accompagnements_pour_100_personnes_en_risque",
    "densite_hab_km2",
    "taux_pauvrete_pct",
    *IFN_COLUMNS,
)


def _references(computed: Computed, scope: Scope, mask: BoolArray) -> dict[str, tuple[str, str]]:
    """(kind, code) of the département and région to compare with (the most populated ones
    when the territory spans several)."""
    communes = computed.communes
    if scope.kind == "fr":
        return {}
    weights: Counter[tuple[str, str]] = Counter()
    for index in np.flatnonzero(mask):
        weights[(communes.departements[index], communes.regions[index])] += int(
            communes.population[index]
        )
    (departement, region), _ = weights.most_common(1)[0]
    result = {"region": ("reg", region)}
    if scope.kind != "reg":
        result["departement"] = ("dep", departement)
    return result


def comparison(
    computed: Computed, scope: Scope, mask: BoolArray, figures: dict[str, Any]
) -> dict[str, Any]:
    levels: dict[str, dict[str, Any]] = {"territoire": figures}
    names = {"departement": departement_names(), "region": region_names()}
    labels: dict[str, str] = {}
    for level, (kind, code) in _references(computed, scope, mask).items():
        levels[level] = aggregate(computed, _mask(computed, kind, code))
        labels[level] = f"{names[level].get(code, code)} ({kind}:{code})"
    levels["france"] = (
        figures if scope.kind == "fr" else aggregate(computed, np.ones(len(mask), dtype=bool))
    )
    labels["france"] = "France (fr)"
    return {
        "references": labels,
        "indicateurs": {
            indicator: {level: values.get(indicator) for level, values in levels.items()}
            for indicator in COMPARED
        },
    }


def _whole(values: FloatArray) -> list[Any]:
    return np.rint(values).astype(np.int64).tolist()  # type: ignore[no-any-return]


def _decimal(values: FloatArray, digits: int = 2) -> list[Any]:
    """Rounded values, None where unknown (NaN or infinite)."""
    rounded = np.round(values.astype(np.float64), digits)
    known = np.isfinite(rounded)
    if known.all():
        return rounded.tolist()  # type: ignore[no-any-return]
    return [
        value if ok else None for value, ok in zip(rounded.tolist(), known.tolist(), strict=True)
    ]


def ranked(computed: Computed, mask: BoolArray) -> IntArray:
    """Indexes of the communes in `mask`, by unmet need: people at risk beyond 15 minutes, then
    beyond 30 minutes, then people at risk (ties in code INSEE order)."""
    need = computed.need
    indexes = np.flatnonzero(mask)
    beyond15 = np.where(computed.minutes > 15, need.central, 0.0)[indexes]
    beyond30 = np.where(computed.minutes > 30, need.central, 0.0)[indexes]
    order: IntArray = indexes[np.lexsort((-need.central[indexes], -beyond30, -beyond15))]
    return order


def commune_rows(computed: Computed, mask: BoolArray) -> list[dict[str, Any]]:
    """One dict per commune of the territory, ranked by unmet need: people at risk beyond 15
    minutes, then beyond 30 minutes, then people at risk. Built column by column (numpy), then
    zipped into rows: the whole of France is 35,000 rows."""
    communes, need, offer = computed.communes, computed.need, computed.offer
    beyond15 = np.where(computed.minutes > 15, need.central, 0.0)
    beyond30 = np.where(computed.minutes > 30, need.central, 0.0)
    order = ranked(computed, mask)
    classes = [name for name, _ in access.DENSITY_CLASSES]
    place_ids = computed.nearest_place_id[order]
    columns: dict[str, list[Any]] = {
        "rang_besoin_non_couvert": list(range(1, len(order) + 1)),
        "code_insee": [communes.codes[i] for i in order.tolist()],
        "nom": [communes.names[i] for i in order.tolist()],
        "code_departement": [communes.departements[i] for i in order.tolist()],
        "code_epci": [communes.epcis[i] for i in order.tolist()],
        "population": _whole(communes.population[order]),
        "population_15_ans_et_plus": _whole(need.population_15_plus[order]),
        "personnes_en_risque": _whole(need.central[order]),
        "personnes_en_risque_bas": _whole(need.low[order]),
        "personnes_en_risque_haut": _whole(need.high[order]),
        "personnes_en_risque_statut": [
            ESTIMATE if estimated else "non estimé" for estimated in need.is_estimated[order]
        ],
        "personnes_en_risque_au_dela_15_min": _whole(beyond15[order]),
        "personnes_en_risque_au_dela_30_min": _whole(beyond30[order]),
        "distance_lieu_plus_proche_km": _decimal(computed.distance_km[order]),
        "temps_lieu_plus_proche_min": _decimal(computed.minutes[order], 1),
        "lieu_plus_proche_id": [value or None for value in place_ids.tolist()],
        "classe_densite": [classes[value] for value in computed.density_class[order].tolist()],
        "densite_hab_km2": _decimal(communes.density[order]),
        "taux_pauvrete_pct": _decimal(communes.poverty_rate[order]),
        "niveau_vie_median_eur": _decimal(communes.median_income[order]),
        **{column: _decimal(communes.ifn[column][order]) for column in IFN_COLUMNS},
        "lieux": offer.places[order].tolist(),
        "arrets_itinerants": offer.itinerant_stops[order].tolist(),
        "heures_ouverture_hebdo": _decimal(offer.weekly_hours[order], 1),
        **{
            f"lieux_service_{code}": counts[order].tolist()
            for code, counts in offer.by_service.items()
        },
        "activites_12_mois": offer.activities[order].tolist(),
        "accompagnements_12_mois": offer.accompaniments[order].tolist(),
        "mediateurs_12_mois": offer.mediators[order].tolist(),
    }
    keys = list(columns)
    return [dict(zip(keys, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def method(computed: Computed) -> dict[str, Any]:
    scenario = computed.need.rates
    return {
        "besoin": METHOD_LABEL,
        "fourchette": RANGE_LABEL,
        "taux_par_age_pct": {
            "classes": ["15-19", "20-39", "40-59", "60-74", "75+"],
            "central": [round(float(r) * 100, 2) for r in scenario.central[1:]],
            "bas": [round(float(r) * 100, 2) for r in scenario.low[1:]],
            "haut": [round(float(r) * 100, 2) for r in scenario.high[1:]],
            "calibrage": (
                "Taux 40-59 ans central calé pour que la France hors Mayotte totalise 15,4 % "
                "(Insee Première n°1953, enquête TIC 2021)."
            ),
        },
        "temps_de_trajet": computed.travel_source,
        "point_de_depart": "mairie de la commune (à défaut, centre de la commune)",
        "lieux": (
            "lieux publiés accueillant du public"
            + (
                f", offrant le service « {Service(computed.service).label} »"
                if computed.service
                else ""
            )
        ),
        "periode_activite": [day.isoformat() for day in computed.offer.period],
        "distance_lieu_plus_proche_km_territoire": (
            "moyenne des communes pondérée par les personnes en risque"
        ),
    }


def diagnose(
    spec: str,
    *,
    service: str | None = None,
    today: dt.date | None = None,
    computed: Computed | None = None,
) -> dict[str, Any]:
    """The whole diagnosis of the territory `spec`, as the JSON of `manage.py diagnostic`."""
    scope = parse_scope(spec)
    computed = computed or compute(service=service, today=today)
    mask = _mask(computed, scope.kind, scope.code)
    figures = aggregate(computed, mask)
    return {
        "territoire": {"code": scope.key, "nom": scope.name, **figures},
        "methode": method(computed),
        "comparaison": comparison(computed, scope, mask, figures),
        "communes": commune_rows(computed, mask),
    }

"""The sections of a diagnosis page and of its PDF, built from the engine's figures
(report.aggregate, report.comparison, report.commune_rows): one source for both, so the page
and the PDF always show the numbers of `manage.py diagnostic`.

Sections answer, in order: combien, quels profils, où, quelles structures, où sont les manques,
comparaison, méthode (docs/diagnostic.md, « Pages et rapport PDF »).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.urls import reverse

from maillon.core.charts import BarChart, bar_chart
from maillon.core.formats import french_number
from maillon.diagnosis import access
from maillon.diagnosis.arrays import BoolArray, FloatArray
from maillon.diagnosis.need import AGE_CLASSES, AGE_LABELS, METHOD_LABEL, RANGE_LABEL
from maillon.diagnosis.report import (
    COMPARED,
    Computed,
    Scope,
    aggregate,
    commune_rows,
    comparison,
    ranked,
    territory_mask,
)
from maillon.diagnosis.tables import departement_names
from maillon.places.vocabulary import Service
from maillon.territory.models import IFN_COMPONENTS

UNKNOWN = "non disponible"
ROWS_PER_PAGE = 50
LISTED_COMMUNES = 10 * ROWS_PER_PAGE
PDF_ROWS = 30
# Activity figures come from activity reports, not public data: shown to administrators and to
# coordinators of the whole territory only (ADR 0014), and counts of 1 to 4 are masked.
ACTIVITY_KEYS = frozenset(
    {
        "activites_12_mois",
        "accompagnements_12_mois",
        "mediateurs_12_mois",
        "accompagnements_pour_100_personnes_en_risque",
    }
)
SMALL = 5

KIND_LABELS = {
    "fr": "France",
    "reg": "Région",
    "dep": "Département",
    "epci": "Intercommunalité (EPCI)",
    "com": "Commune",
}
INDICATOR_LABELS: dict[str, str] = {
    "taux_de_risque_pct": "Part des 15 ans ou plus en risque d'illectronisme (estimation, %)",
    "part_en_risque_au_dela_15_min_pct": (
        "Part des personnes en risque à plus de 15 minutes d'un lieu (%)"
    ),
    "part_en_risque_au_dela_30_min_pct": (
        "Part des personnes en risque à plus de 30 minutes d'un lieu (%)"
    ),
    "distance_lieu_plus_proche_km": "Distance au lieu le plus proche (km, moyenne pondérée)",
    "temps_lieu_plus_proche_min": "Temps de trajet estimé au lieu le plus proche (min)",
    "lieux_pour_10000_habitants": "Lieux pour 10 000 habitants",
    "personnes_en_risque_par_heure_ouverture": (
        "Personnes en risque par heure d'ouverture hebdomadaire"
    ),
    "accompagnements_pour_100_personnes_en_risque": (
        "Accompagnements sur 12 mois pour 100 personnes en risque"
    ),
    "densite_hab_km2": "Densité (hab./km²)",
    "taux_pauvrete_pct": "Taux de pauvreté (%, communes où il est publié)",
    "ifn_score": "Indice de fragilité numérique (0 à 10)",
    **{
        # Lower the first letter only: « 4G » stays upper case.
        key: f"Indice de fragilité : {label[:1].lower()}{label[1:]} (0 à 10)"
        for key, label in IFN_COMPONENTS.items()
    },
}
LEVEL_LABELS = {
    "territoire": "Ce territoire",
    "departement": "Département",
    "region": "Région",
    "france": "France",
}
# Fixed class breaks, the same on every page so that two maps compare.
MAP_INDICATORS: tuple[tuple[str, str, tuple[float, ...], str], ...] = (
    ("taux", "Part des 15 ans ou plus en risque (estimation)", (13.0, 15.0, 17.0, 19.0), "%"),
    ("temps", "Temps de trajet estimé au lieu le plus proche", (5.0, 10.0, 15.0, 30.0), "min"),
)

Cell = Any


def number(value: float | None, decimals: int = 0, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return UNKNOWN
    return french_number(value, decimals, unit)


def masked(value: int) -> str:
    """A count of people or mediators, « < 5 » from 1 to 4 (small-cell suppression)."""
    return "< 5" if 0 < value < SMALL else number(value)


def territory_url(kind: str, code: str) -> str:
    if kind == "fr":
        return reverse("diagnosis:france")
    return reverse("diagnosis:territory", args=[kind, code])


@dataclass
class Report:
    """Everything a diagnosis page or PDF shows."""

    scope: Scope
    kind_label: str
    shows_activity: bool
    figures: dict[str, Any]
    key_figures: list[dict[str, str]]
    gap_figures: list[dict[str, str]]
    offer_figures: list[dict[str, str]]
    age_headers: list[str]
    age_rows: list[list[Cell]]
    age_chart: BarChart
    service_rows: list[list[Cell]]
    comparison_headers: list[str]
    comparison_rows: list[list[Cell]]
    gap_headers: list[str]
    gap_count: int
    area_headers: list[str] = field(default_factory=list)
    area_rows: list[list[Cell]] = field(default_factory=list)
    map_data: dict[str, Any] = field(default_factory=dict)
    legends: list[dict[str, Any]] = field(default_factory=list)
    method: list[dict[str, str]] = field(default_factory=list)

    @property
    def gap_count_text(self) -> str:
        """The number of communes, grouped by thousands (34 969)."""
        return number(self.gap_count)

    @property
    def no_place_note(self) -> str:
        """Said when the directory has no place in the territory: its gaps then measure the
        distance to the neighbours' places, or to none, and may only mean a missing directory."""
        if self.figures.get("lieux"):
            return ""
        return (
            "Aucun lieu de médiation numérique n'est publié dans l'annuaire Maillon pour ce "
            "territoire : les distances et les manques ci-dessous sont mesurés jusqu'aux lieux "
            "des territoires voisins. Si des lieux existent sans être publiés, les ajouter à "
            "l'annuaire rendra ce diagnostic juste."
        )

    @property
    def comparison_title(self) -> str:
        if self.scope.kind == "fr":
            return "Indicateurs de la France, référence des autres territoires"
        if self.scope.kind == "reg":
            return "Comparaison avec la France"
        if self.scope.kind == "dep":
            return "Comparaison avec la région et la France"
        return "Comparaison avec le département, la région et la France"


def _between(low: float, high: float) -> str:
    return f"{number(low)} à {number(high)}"


def _range(figures: dict[str, Any], key: str) -> str:
    return (
        f"estimation, fourchette {number(figures[f'{key}_bas'])} à {number(figures[f'{key}_haut'])}"
    )


def _key_figures(figures: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "label": "Population",
            "value": number(figures["population"]),
            "note": "Populations légales 2023",
        },
        {
            "label": "Personnes de 15 ans ou plus",
            "value": number(figures["population_15_ans_et_plus"]),
            "note": "estimation (structure par âge)",
        },
        {
            "label": "Personnes en risque d'illectronisme",
            "value": number(figures["personnes_en_risque"]),
            "note": _range(figures, "personnes_en_risque"),
        },
        {
            "label": "Part des 15 ans ou plus en risque",
            "value": number(figures["taux_de_risque_pct"], 1, "%"),
            "note": "estimation",
        },
    ]


def _gap_figures(figures: dict[str, Any]) -> list[dict[str, str]]:
    result = []
    for threshold in access.THRESHOLDS_MINUTES:
        key = f"personnes_en_risque_au_dela_{threshold}_min"
        result.append(
            {
                "label": f"Personnes en risque à plus de {threshold} minutes d'un lieu",
                "value": number(figures[key]),
                "note": (
                    f"{_range(figures, key)} ; "
                    f"{number(figures[f'part_en_risque_au_dela_{threshold}_min_pct'], 1, '%')} "
                    "des personnes en risque"
                ),
            }
        )
    result += [
        {
            "label": "Distance au lieu le plus proche",
            "value": number(figures["distance_lieu_plus_proche_km"], 1, "km"),
            "note": "à vol d'oiseau, moyenne pondérée par les personnes en risque",
        },
        {
            "label": "Temps de trajet estimé",
            "value": number(figures["temps_lieu_plus_proche_min"], 0, "min"),
            "note": "estimation sans réseau routier (méthode ci-dessous)",
        },
    ]
    return result


def _offer_figures(figures: dict[str, Any], shows_activity: bool) -> list[dict[str, str]]:
    result = [
        {
            "label": "Lieux de médiation ouverts au public",
            "value": number(figures["lieux"]),
            "note": "annuaire Maillon",
        },
        {
            "label": "Lieux pour 10 000 habitants",
            "value": number(figures["lieux_pour_10000_habitants"], 1),
            "note": "",
        },
        {"label": "Arrêts itinérants", "value": number(figures["arrets_itinerants"]), "note": ""},
        {
            "label": "Heures d'ouverture par semaine",
            "value": number(figures["heures_ouverture_hebdo"], 0, "h"),
            "note": (
                f"{number(figures['lieux_avec_horaires'])} "
                f"lieu{'x' if figures['lieux_avec_horaires'] > 1 else ''} sur "
                f"{number(figures['lieux'])} aux horaires connus"
            ),
        },
        {
            "label": "Personnes en risque par heure d'ouverture",
            "value": number(figures["personnes_en_risque_par_heure_ouverture"], 0),
            # Only the known hours are summed: with few places described, the ratio is high.
            "note": (
                "estimation, sur les seules heures connues"
                if figures["lieux_avec_horaires"] < figures["lieux"]
                else "estimation"
            ),
        },
    ]
    if shows_activity:
        result += [
            {
                "label": "Accompagnements sur 12 mois",
                "value": masked(figures["accompagnements_12_mois"]),
                "note": "comptes rendus saisis dans Maillon",
            },
            {
                "label": "Médiateurs actifs sur 12 mois",
                "value": masked(figures["mediateurs_12_mois"]),
                "note": "ayant saisi une activité dans le territoire",
            },
        ]
    return result


def _ages(computed: Computed, mask: BoolArray) -> tuple[list[list[Cell]], BarChart]:
    need = computed.need
    people = need.ages[mask].sum(axis=0)
    rates = need.rates.central
    at_risk = people * rates
    total = float(at_risk.sum())
    rows: list[list[Cell]] = []
    bars: list[tuple[str, float | None, str]] = []
    for index, key in enumerate(AGE_CLASSES):
        if key == "0_14":
            continue
        value = float(at_risk[index])
        rows.append(
            [
                AGE_LABELS[key],
                number(float(people[index])),
                number(float(rates[index]) * 100, 1, "%"),
                number(value),
                number(value / total * 100 if total else None, 1, "%"),
            ]
        )
        bars.append((AGE_LABELS[key], value, number(value)))
    chart = bar_chart(
        "Personnes en risque par âge (estimation), détail dans le tableau suivant", bars
    )
    return rows, chart


def _comparison(
    computed: Computed, scope: Scope, mask: BoolArray, figures: dict[str, Any], shows_activity: bool
) -> tuple[list[str], list[list[Cell]]]:
    compared = comparison(computed, scope, mask, figures)
    # Département, région, France, in that order; a territory is never put beside itself (the
    # JSON keeps a département's own column, the page does not show the same figures twice).
    itself = {"fr": "france", "reg": "region", "dep": "departement"}.get(scope.kind)
    references = [
        level
        for level in ("departement", "region", "france")
        if level in compared["references"] and level != itself
    ]
    levels = ["france"] if scope.kind == "fr" else ["territoire", *references]
    headers = [
        "Indicateur",
        *(
            LEVEL_LABELS[level] if level == "territoire" else compared["references"][level]
            for level in levels
        ),
    ]
    rows: list[list[Cell]] = []
    for key in COMPARED:
        if key in ACTIVITY_KEYS and not shows_activity:
            continue
        values = compared["indicateurs"][key]
        rows.append(
            [INDICATOR_LABELS.get(key, key), *(number(values.get(level), 1) for level in levels)]
        )
    return headers, rows


GAP_HEADERS = [
    "Rang",
    "Commune",
    "Population",
    "Personnes en risque (estimation)",
    "Fourchette",
    "À plus de 15 min",
    "À plus de 30 min",
    "Distance au lieu le plus proche (km)",
    "Temps estimé (min)",
    "Lieux",
]


def gap_rows(
    computed: Computed, mask: BoolArray, start: int, stop: int, *, links: bool = True
) -> list[list[Cell]]:
    """Rows `start`…`stop` (0-based) of the communes ranked by unmet need."""
    order = ranked(computed, mask)[start:stop]
    selected = np.zeros(len(mask), dtype=bool)
    selected[order] = True
    rows = []
    for rank, row in enumerate(commune_rows(computed, selected), start=start + 1):
        name = f"{row['nom']} ({row['code_insee']})"
        rows.append(
            [
                number(rank),
                {"text": name, "url": territory_url("com", row["code_insee"])} if links else name,
                number(row["population"]),
                number(row["personnes_en_risque"]),
                _between(row["personnes_en_risque_bas"], row["personnes_en_risque_haut"]),
                number(row["personnes_en_risque_au_dela_15_min"]),
                number(row["personnes_en_risque_au_dela_30_min"]),
                number(row["distance_lieu_plus_proche_km"], 1),
                number(row["temps_lieu_plus_proche_min"], 0),
                number(row["lieux"]),
            ]
        )
    return rows


def _class_of(values: FloatArray, breaks: tuple[float, ...]) -> list[int]:
    """Class index of each value (0…len(breaks)), -1 when unknown."""
    classes = np.searchsorted(np.array(breaks), np.nan_to_num(values, nan=0.0), side="right")
    return np.where(np.isfinite(values), classes, -1).astype(int).tolist()  # type: ignore[no-any-return]


def _legends() -> list[dict[str, Any]]:
    legends = []
    for key, label, breaks, unit in MAP_INDICATORS:
        bounds = [number(b, 0) for b in breaks]
        items = [f"moins de {bounds[0]} {unit}"]
        items += [f"de {a} à {b} {unit}" for a, b in itertools.pairwise(bounds)]
        items.append(f"{bounds[-1]} {unit} ou plus")
        legends.append(
            {
                "key": key,
                "label": label,
                "items": [{"class": index, "text": text} for index, text in enumerate(items)],
            }
        )
    return legends


def _group_figures(
    computed: Computed, groups: list[str], mask: BoolArray
) -> dict[str, dict[str, float]]:
    """Rate of risk and mean travel time (weighted by people at risk) per group code."""
    need = computed.need
    codes = sorted({groups[i] for i in np.flatnonzero(mask).tolist()})
    position = {code: index for index, code in enumerate(codes)}
    index = np.array(
        [
            position.get(code, -1) if inside else -1
            for code, inside in zip(groups, mask.tolist(), strict=True)
        ],
        dtype=np.int64,
    )
    keep = index >= 0
    size = len(codes)
    adults = np.bincount(index[keep], need.population_15_plus[keep], minlength=size)
    at_risk = np.bincount(index[keep], need.central[keep], minlength=size)
    reachable = keep & np.isfinite(computed.minutes)
    weighted = np.bincount(
        index[reachable], computed.minutes[reachable] * need.central[reachable], minlength=size
    )
    weight = np.bincount(index[reachable], need.central[reachable], minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(adults > 0, at_risk / adults * 100, np.nan)
        minutes = np.where(weight > 0, weighted / weight, np.nan)
    return {
        code: {
            "taux": float(rate[i]),
            "temps": float(minutes[i]),
            "en_risque": float(at_risk[i]),
            "adultes": float(adults[i]),
        }
        for code, i in position.items()
    }


def _map(
    computed: Computed, scope: Scope, mask: BoolArray
) -> tuple[dict[str, Any], list[str], list[list[Cell]]]:
    """The choropleth's data (communes of a département or EPCI, départements of a région or
    France) and its table alternative."""
    communes = computed.communes
    by_departement = scope.kind in {"fr", "reg"}
    if by_departement:
        groups = communes.departements
        values = _group_figures(computed, groups, mask)
        names = departement_names()
        codes = list(values)
        headers = [
            "Département",
            "Personnes en risque (estimation)",
            "Part des 15 ans ou plus en risque (%)",
            "Temps estimé moyen au lieu le plus proche (min)",
        ]
        rows: list[list[Cell]] = [
            [
                {"text": f"{names.get(code, code)} ({code})", "url": territory_url("dep", code)},
                number(values[code]["en_risque"]),
                number(values[code]["taux"], 1),
                number(values[code]["temps"], 0),
            ]
            for code in codes
        ]
        taux = np.array([values[c]["taux"] for c in codes])
        temps = np.array([values[c]["temps"] for c in codes])
        outlines = ["departements"]
    else:
        indexes = np.flatnonzero(mask)
        codes = [communes.codes[i] for i in indexes.tolist()]
        need = computed.need
        with np.errstate(invalid="ignore", divide="ignore"):
            taux = np.where(
                need.population_15_plus[indexes] > 0,
                need.central[indexes] / need.population_15_plus[indexes] * 100,
                np.nan,
            )
        temps = np.where(np.isfinite(computed.minutes[indexes]), computed.minutes[indexes], np.nan)
        headers, rows = [], []  # the ranked list of communes is the table alternative
        outlines = sorted({communes.departements[i] for i in indexes.tolist()})
    data = {
        "level": "departement" if by_departement else "commune",
        "outlines": outlines,
        "indicators": [{"key": key, "label": label} for key, label, _, _ in MAP_INDICATORS],
        "classes": {
            code: [t, m]
            for code, t, m in zip(
                codes,
                _class_of(taux, MAP_INDICATORS[0][2]),
                _class_of(temps, MAP_INDICATORS[1][2]),
                strict=True,
            )
        },
        "values": {
            code: [number(float(t), 1, "%"), number(float(m), 0, "min")]
            for code, t, m in zip(codes, taux.tolist(), temps.tolist(), strict=True)
        },
    }
    return data, headers, rows


def _service_rows(figures: dict[str, Any]) -> list[list[Cell]]:
    by_service = figures["lieux_par_service"]
    return [[label, number(by_service.get(code, 0))] for code, label in Service.choices]


def _method(computed: Computed) -> list[dict[str, str]]:
    period = computed.offer.period
    return [
        {"label": "Besoin", "value": METHOD_LABEL},
        {"label": "Fourchette", "value": RANGE_LABEL},
        {"label": "Temps de trajet", "value": computed.travel_source},
        {
            "label": "Point de départ",
            "value": "mairie de la commune (à défaut, centre de la commune)",
        },
        {"label": "Lieux", "value": "lieux publiés de l'annuaire accueillant du public"},
        {"label": "Activité récente", "value": f"du {period[0]:%d/%m/%Y} au {period[1]:%d/%m/%Y}"},
    ]


def build(computed: Computed, scope: Scope, *, shows_activity: bool) -> Report:
    mask = territory_mask(computed, scope)
    figures = aggregate(computed, mask)
    age_rows, age_chart = _ages(computed, mask)
    comparison_headers, comparison_rows = _comparison(
        computed, scope, mask, figures, shows_activity
    )
    report = Report(
        scope=scope,
        kind_label=KIND_LABELS[scope.kind],
        shows_activity=shows_activity,
        figures=figures,
        key_figures=_key_figures(figures),
        gap_figures=_gap_figures(figures),
        offer_figures=_offer_figures(figures, shows_activity),
        age_headers=[
            "Âge",
            "Personnes (estimation)",
            "Taux d'illectronisme appliqué",
            "Personnes en risque (estimation)",
            "Part des personnes en risque",
        ],
        age_rows=age_rows,
        age_chart=age_chart,
        service_rows=_service_rows(figures),
        comparison_headers=comparison_headers,
        comparison_rows=comparison_rows,
        gap_headers=GAP_HEADERS,
        gap_count=int(mask.sum()),
        legends=_legends(),
        method=_method(computed),
    )
    if scope.kind != "com":
        report.map_data, report.area_headers, report.area_rows = _map(computed, scope, mask)
    return report

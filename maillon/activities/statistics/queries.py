# ruff: noqa: RUF001 — typographic apostrophes are part of the French labels.
"""Computing the statistics of a scope and filters in a constant number of SQL queries.

Activity figures are read from the daily aggregates, or from the raw rows when a filter is not
one of their dimensions (thématiques, étiquettes); both paths give the same numbers (tested).
Beneficiaries are always counted distinct from the accompaniments (ADR 0007).
"""

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce

from maillon.activities.models import Accompaniment, Activity
from maillon.activities.statistics.aggregates import raw_aggregates, raw_annotations
from maillon.activities.statistics.filters import Scope, StatisticsFilters
from maillon.activities.statistics.models import (
    COUNT_COLUMNS,
    EQUIPMENT_COLUMNS,
    THEME_COLUMNS,
    DailyActivityStat,
)
from maillon.activities.vocabulary import (
    THEMATIQUES_ADMINISTRATIVES,
    TYPE_ACTIVITE_PLURAL_LABELS,
    Autonomie,
    DurationBucket,
    Materiel,
    Thematique,
    TypeActivite,
    TypeLieu,
)
from maillon.beneficiaries.models import (
    Beneficiary,
    Genre,
    StatutSocial,
    TrancheAge,
    tranche_age_of,
)

# Territory views show no count of people between 1 and 4 (docs/activites.md, ADR 0007).
SMALL_CELL = 5
SUPPRESSED = "< 5"


@dataclasses.dataclass(frozen=True)
class Cell:
    code: str
    label: str
    count: int | None  # None when suppressed
    share: float | None  # count / total, rounded to 3 decimals

    @property
    def suppressed(self) -> bool:
        return self.count is None

    @property
    def display(self) -> str:
        return SUPPRESSED if self.count is None else f"{self.count:n}"

    @property
    def percent(self) -> str:
        return "—" if self.share is None else f"{self.share * 100:.1f} %"

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "libelle": self.label,
            "nombre": self.count,
            "part": self.share,
            "masque": self.suppressed,
        }


@dataclasses.dataclass(frozen=True)
class Distribution:
    key: str
    title: str
    cells: tuple[Cell, ...]


@dataclasses.dataclass(frozen=True)
class Statistics:
    scope: str
    suppressed_small_cells: bool
    activites: int
    accompagnements: int | None
    beneficiaires: int | None
    beneficiaires_suivis: int | None
    beneficiaires_anonymes: int | None
    nouveaux_beneficiaires: int | None  # only with a period
    monthly: tuple[Cell, ...]
    daily: tuple[Cell, ...]
    distributions: tuple[Distribution, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "perimetre": self.scope,
            "petits_effectifs_masques": self.suppressed_small_cells,
            "activites": self.activites,
            "accompagnements": self.accompagnements,
            "beneficiaires": self.beneficiaires,
            "beneficiaires_suivis": self.beneficiaires_suivis,
            "beneficiaires_anonymes": self.beneficiaires_anonymes,
            "nouveaux_beneficiaires": self.nouveaux_beneficiaires,
            "accompagnements_par_mois": [cell.to_json() for cell in self.monthly],
            "accompagnements_par_jour": [cell.to_json() for cell in self.daily],
            "repartitions": {
                d.key: {"titre": d.title, "valeurs": [c.to_json() for c in d.cells]}
                for d in self.distributions
            },
        }


def _suppress(count: int, suppress: bool) -> int | None:
    return None if suppress and 0 < count < SMALL_CELL else count


def _cells(
    items: Iterable[tuple[str, str, int]], total: int, *, suppress: bool
) -> tuple[Cell, ...]:
    cells = []
    for code, label, count in items:
        shown = _suppress(count, suppress)
        share = round(count / total, 3) if total and shown is not None else None
        cells.append(Cell(code, label, shown, share))
    return tuple(cells)


def activity_rows(scope: Scope, filters: StatisticsFilters) -> "QuerySet[Activity]":
    """Non-deleted activities of the scope matching the filters (also for beneficiaries)."""
    rows = Activity.objects.filter(deleted_at__isnull=True).filter(
        scope.condition & filters.condition()
    )
    if filters.thematiques:
        mask = sum(1 << Thematique.values.index(code) for code in set(filters.thematiques))
        rows = rows.alias(theme_hit=Coalesce("themes_mask", 0).bitand(mask)).filter(theme_hit__gt=0)
    if filters.tags:
        rows = rows.filter(
            pk__in=Activity.tags.through.objects.filter(tag_id__in=filters.tags).values(
                "activity_id"
            )
        )
    return rows


_GROUP = ("type", "place_kind", "duration_bucket", "autonomy")


def _grouped(
    scope: Scope, filters: StatisticsFilters
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(rows grouped by the categorical dimensions, rows grouped by day): two queries."""
    groups: Any
    days: Any
    if filters.needs_raw_rows:
        raw = activity_rows(scope, filters).annotate(**raw_annotations())
        groups = raw.values(*_GROUP).annotate(**raw_aggregates()).order_by()
        days = (
            activity_rows(scope, filters)
            .values("date")
            .annotate(day_total=Coalesce(Sum("participants_count"), 0))
            .order_by("date")
        )
    else:
        table = DailyActivityStat.objects.filter(scope.condition & filters.condition())
        groups = table.values(*_GROUP).annotate(**{c: Sum(c) for c in COUNT_COLUMNS}).order_by()
        days = table.values("date").annotate(day_total=Sum("accompaniments")).order_by("date")
    return list(groups), list(days)


def _sum_by(rows: Sequence[dict[str, Any]], key: str) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        totals[row[key]] += row["accompaniments"]
    return totals


def _beneficiaries(
    scope: Scope, filters: StatisticsFilters
) -> tuple[list[dict[str, Any]], int | None]:
    """Distinct beneficiaries by category (one query), and first accompaniments in the period."""
    activities = activity_rows(scope, filters)
    people = (
        Beneficiary.objects.filter(
            pk__in=Accompaniment.objects.filter(activity__in=activities.values("pk")).values(
                "beneficiary_id"
            )
        )
        .values("is_anonymous", "genre", "statut_social", "birth_year", "age_bracket")
        .annotate(n=Count("pk"))
        .order_by()
    )
    new = None
    if filters.du or filters.au:
        new = Accompaniment.objects.filter(
            is_first=True, activity__in=activities.values("pk")
        ).count()
    return list(people), new


def compute(
    scope: Scope, filters: StatisticsFilters, *, today: dt.date | None = None
) -> Statistics:
    suppress = scope.is_territory
    groups, days = ([], []) if scope.is_empty else _grouped(scope, filters)
    people, new = ([], None) if scope.is_empty else _beneficiaries(scope, filters)
    activities = sum(row["activities"] for row in groups)
    accompaniments = sum(row["accompaniments"] for row in groups)

    by_type = _sum_by(groups, "type")
    by_kind = _sum_by(groups, "place_kind")
    by_duration = _sum_by(groups, "duration_bucket")
    autonomy: dict[str, int] = defaultdict(int)
    for row in groups:
        if row["type"] == TypeActivite.INDIVIDUEL and row["autonomy"]:
            autonomy[row["autonomy"]] += row["activities"]
    theme_totals = {
        code: sum(row[column] for row in groups)
        for code, column in zip(Thematique.values, THEME_COLUMNS, strict=True)
    }
    equipment_totals = {
        code: sum(row[column] for row in groups)
        for code, column in zip(Materiel.values, EQUIPMENT_COLUMNS, strict=True)
    }

    year = (today or dt.date.today()).year
    genre: dict[str, int] = defaultdict(int)
    tranche: dict[str, int] = defaultdict(int)
    statut: dict[str, int] = defaultdict(int)
    followed = anonymous = 0
    for row in people:
        n = row["n"]
        genre[row["genre"]] += n
        statut[row["statut_social"]] += n
        bracket = (
            tranche_age_of(row["birth_year"], year=year)
            if row["birth_year"] is not None
            else TrancheAge(row["age_bracket"])
        )
        tranche[bracket] += n
        if row["is_anonymous"]:
            anonymous += n
        else:
            followed += n
    beneficiaries = followed + anonymous

    def dist(
        key: str, title: str, labels: Iterable[tuple[str, str]], counts: dict[str, int], total: int
    ) -> Distribution:
        return Distribution(
            key,
            title,
            _cells(((c, lab, counts.get(c, 0)) for c, lab in labels), total, suppress=suppress),
        )

    distributions = (
        dist(
            "types",
            "Types d’activité",
            TYPE_ACTIVITE_PLURAL_LABELS.items(),
            by_type,
            accompaniments,
        ),
        dist("canaux", "Canaux des accompagnements", TypeLieu.choices, by_kind, accompaniments),
        dist(
            "durees",
            "Durées des accompagnements",
            DurationBucket.choices,
            by_duration,
            accompaniments,
        ),
        dist(
            "thematiques",
            "Thématiques médiation numérique",
            [(c, lab) for c, lab in Thematique.choices if c not in THEMATIQUES_ADMINISTRATIVES],
            theme_totals,
            accompaniments,
        ),
        dist(
            "demarches",
            "Thématiques démarches administratives",
            [(c, lab) for c, lab in Thematique.choices if c in THEMATIQUES_ADMINISTRATIVES],
            theme_totals,
            accompaniments,
        ),
        dist("materiel", "Matériel utilisé", Materiel.choices, equipment_totals, accompaniments),
        dist(
            "autonomie",
            "Niveau d’autonomie (accompagnements individuels)",
            Autonomie.choices,
            autonomy,
            sum(autonomy.values()),
        ),
        dist("genres", "Genre des bénéficiaires", Genre.choices, genre, beneficiaries),
        dist(
            "tranches_age",
            "Tranche d’âge des bénéficiaires",
            TrancheAge.choices,
            tranche,
            beneficiaries,
        ),
        dist("statuts", "Statut des bénéficiaires", StatutSocial.choices, statut, beneficiaries),
    )
    months: dict[str, int] = defaultdict(int)
    for row in days:
        months[f"{row['date']:%Y-%m}"] += row["day_total"]
    return Statistics(
        scope=scope.label,
        suppressed_small_cells=suppress,
        activites=activities,
        accompagnements=_suppress(accompaniments, suppress),
        beneficiaires=_suppress(beneficiaries, suppress),
        beneficiaires_suivis=_suppress(followed, suppress),
        beneficiaires_anonymes=_suppress(anonymous, suppress),
        nouveaux_beneficiaires=None if new is None else _suppress(new, suppress),
        monthly=_cells(((m, m, n) for m, n in months.items()), accompaniments, suppress=suppress),
        daily=_cells(
            ((f"{r['date']:%Y-%m-%d}", f"{r['date']:%d/%m/%Y}", r["day_total"]) for r in days),
            accompaniments,
            suppress=suppress,
        ),
        distributions=distributions,
    )


__all__ = ["Statistics", "compute"]

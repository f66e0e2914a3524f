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

from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from maillon.activities.models import Activity
from maillon.activities.statistics import rankings
from maillon.activities.statistics.aggregates import raw_aggregates, raw_annotations
from maillon.activities.statistics.filters import (
    Scope,
    StatisticsFilters,
    WholeTerritory,
    whole_territory,
)
from maillon.activities.statistics.masking import displayed, masked
from maillon.activities.statistics.models import (
    COUNT_COLUMNS,
    EQUIPMENT_COLUMNS,
    MONTH_COUNT_COLUMNS,
    THEME_COLUMNS,
    DailyActivityStat,
    TerritoryDayStat,
    TerritoryMonthStat,
)
from maillon.activities.statistics.people import People, from_presences, from_raw
from maillon.activities.statistics.progression import Progression, progression_of
from maillon.activities.statistics.rankings import Rankings
from maillon.activities.statistics.rollups import first_day_of
from maillon.activities.statistics.sums import column_sums
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
from maillon.beneficiaries.models import Genre, StatutSocial, TrancheAge
from maillon.core.formats import french_percent


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
        return displayed(self.count)

    @property
    def percent(self) -> str:
        return french_percent(self.share)

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
    progression: "Progression"

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
            "progression_autonomie": self.progression.to_json(),
        }


def _cells(
    items: Iterable[tuple[str, str, int]], total: int, *, suppress: bool
) -> tuple[Cell, ...]:
    cells = []
    for code, label, count in items:
        shown = masked(count, suppress)
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


@dataclasses.dataclass
class ActivityTotals:
    activities: int = 0
    accompaniments: int = 0
    by_type: dict[str, int] = dataclasses.field(default_factory=dict)
    by_kind: dict[str, int] = dataclasses.field(default_factory=dict)
    by_duration: dict[str, int] = dataclasses.field(default_factory=dict)
    autonomy: dict[str, int] = dataclasses.field(default_factory=dict)
    themes: dict[str, int] = dataclasses.field(default_factory=dict)
    equipment: dict[str, int] = dataclasses.field(default_factory=dict)
    days: list[tuple[dt.date, int]] = dataclasses.field(default_factory=list)


def _totals_of_groups(groups: list[dict[str, Any]], days: list[dict[str, Any]]) -> ActivityTotals:
    autonomy: dict[str, int] = defaultdict(int)
    for row in groups:
        if row["type"] == TypeActivite.INDIVIDUEL and row["autonomy"]:
            autonomy[row["autonomy"]] += row["activities"]
    return ActivityTotals(
        activities=sum(row["activities"] for row in groups),
        accompaniments=sum(row["accompaniments"] for row in groups),
        by_type=_sum_by(groups, "type"),
        by_kind=_sum_by(groups, "place_kind"),
        by_duration=_sum_by(groups, "duration_bucket"),
        autonomy=autonomy,
        themes={
            code: sum(row[column] for row in groups)
            for code, column in zip(Thematique.values, THEME_COLUMNS, strict=True)
        },
        equipment={
            code: sum(row[column] for row in groups)
            for code, column in zip(Materiel.values, EQUIPMENT_COLUMNS, strict=True)
        },
        days=[(row["date"], row["day_total"]) for row in days],
    )


def _totals_of_territory(whole: WholeTerritory) -> ActivityTotals:
    """Activity figures of a whole territory over whole months: two queries."""
    sums = column_sums(
        TerritoryMonthStat,
        MONTH_COUNT_COLUMNS,
        where="territory = %s AND month >= %s AND month <= %s",
        params=(whole.territory, whole.first, whole.last),
    )
    days = TerritoryDayStat.objects.filter(
        territory=whole.territory, date__lt=first_day_of(whole.last + 1)
    ).order_by("date")
    if whole.first:
        days = days.filter(date__gte=first_day_of(whole.first))

    def by(codes: Iterable[str], prefix: str) -> dict[str, int]:
        return {code: sums[f"{prefix}_{code}"] for code in codes}

    return ActivityTotals(
        activities=sums["activities"],
        accompaniments=sums["accompaniments"],
        by_type=by(TypeActivite.values, "accompaniments"),
        by_kind=by(TypeLieu.values, "kind"),
        by_duration=by(DurationBucket.values, "duration"),
        autonomy=by(Autonomie.values, "autonomy"),
        themes={
            code: sums[column]
            for code, column in zip(Thematique.values, THEME_COLUMNS, strict=True)
        },
        equipment={
            code: sums[column]
            for code, column in zip(Materiel.values, EQUIPMENT_COLUMNS, strict=True)
        },
        days=list(days.values_list("date", "accompaniments")),
    )


def _ranking_distributions(
    ranked: Rankings, accompaniments: int, beneficiaries: int, *, suppress: bool
) -> tuple[Distribution, ...]:
    where = "départements" if ranked.by_departement else "communes"
    return (
        Distribution(
            "lieux",
            "Principaux lieux d’activité",
            _cells(ranked.places, accompaniments, suppress=suppress),
        ),
        Distribution(
            "communes",
            "Principaux départements des activités"
            if ranked.by_departement
            else "Principales communes des activités",
            _cells(ranked.communes, accompaniments, suppress=suppress),
        ),
        Distribution(
            "etiquettes", "Étiquettes", _cells(ranked.tags, accompaniments, suppress=suppress)
        ),
        Distribution(
            "residences",
            f"{where.capitalize()} de résidence des bénéficiaires",
            _cells(ranked.residences, beneficiaries, suppress=suppress),
        ),
    )


def compute(
    scope: Scope, filters: StatisticsFilters, *, today: dt.date | None = None
) -> Statistics:
    suppress = scope.is_territory
    whole = whole_territory(scope, filters, today=today or timezone.localdate())
    people = People()
    ranked = Rankings()
    if scope.is_empty:
        totals = ActivityTotals()
    elif whole is not None:
        totals = _totals_of_territory(whole)
        people = from_presences(whole.territory, whole.first, whole.last)
        ranked = rankings.of_territory(whole, scope)
    else:
        totals = _totals_of_groups(*_grouped(scope, filters))
        # Children of the territory the view covers: the coordinator's own when no filter.
        covered = filters.territoire
        if covered == "fr" and scope.territory is not None:
            covered = scope.territory
        departements = rankings.by_departement(scope, covered)
        people = from_raw(
            activity_rows(scope, filters),
            covered,
            with_new=bool(filters.du or filters.au),
            residence_by_departement=departements,
        )
        ranked = rankings.of_selection(
            activity_rows(scope, filters),
            scope,
            filters,
            people.residence,
            departements=departements,
        )
    activities = totals.activities
    accompaniments = totals.accompaniments
    by_type, by_kind, by_duration = totals.by_type, totals.by_kind, totals.by_duration
    autonomy, theme_totals, equipment_totals = totals.autonomy, totals.themes, totals.equipment
    genre, tranche, statut = people.genre, people.tranche, people.statut
    followed, anonymous = people.followed, people.anonymous
    beneficiaries = followed + anonymous
    new = people.new if (filters.du or filters.au) else None

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
        *_ranking_distributions(ranked, accompaniments, beneficiaries, suppress=suppress),
    )
    days = totals.days
    months: dict[str, int] = defaultdict(int)
    for day, total in days:
        months[day.isoformat()[:7]] += total  # YYYY-MM (isoformat: faster than strftime)
    return Statistics(
        scope=scope.label,
        suppressed_small_cells=suppress,
        activites=activities,
        accompagnements=masked(accompaniments, suppress),
        beneficiaires=masked(beneficiaries, suppress),
        beneficiaires_suivis=masked(followed, suppress),
        beneficiaires_anonymes=masked(anonymous, suppress),
        nouveaux_beneficiaires=None if new is None else masked(new, suppress),
        monthly=_cells(((m, m, n) for m, n in months.items()), accompaniments, suppress=suppress),
        daily=_cells(
            (
                (day.isoformat(), f"{day.day:02d}/{day.month:02d}/{day.year}", total)
                for day, total in days
            ),
            accompaniments,
            suppress=suppress,
        ),
        distributions=distributions,
        progression=progression_of(people, suppress=suppress),
    )


__all__ = ["Statistics", "compute"]

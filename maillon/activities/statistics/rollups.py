"""Contributions of activities and beneficiaries to the pre-aggregated tables, and their upkeep.

Every table (`Table`) is a set of identifying columns and count columns, the first count column
saying whether the row still counts anything. A write takes the contributions of what it
touches before the change, and again after; the difference is added (`apply`): rows are
updated with `col = col + delta`, created when missing, deleted when they fall to zero.

- Activities (ADR 0007, 0008): the daily table (`DailyActivityStat`), and for each territory of
  the activity's commune ("fr", "reg:…", "dep:…") one wide monthly row and one daily row.
- Beneficiaries (ADR 0008): a presence per territory ("fr", région, département, EPCI) and month
  where the person has at least one accompaniment, keyed by the month of the previous presence
  there; with the person's categories at that month and autonomy trend. Followed people also
  have presences per thématique (territories "fr", région, département).
- The autonomy trend of each beneficiary is also kept in his file (`Beneficiary.autonomy_trend`,
  `store_trends`), so that a selection's statistics read it instead of his sessions.
"""

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F

from maillon.activities.models import Accompaniment, Activity
from maillon.activities.statistics.models import (
    COUNT_COLUMNS,
    KEY_COLUMNS,
    MONTH_COUNT_COLUMNS,
    NO_PREVIOUS_MONTH,
    PRESENCE_COUNT_COLUMNS,
    THEME_COLUMNS,
    THEME_PRESENCE_COUNT_COLUMNS,
    TREND_CODES,
    DailyActivityStat,
    PresenceStat,
    ResidencePresenceStat,
    TerritoryCommuneMonthStat,
    TerritoryDayStat,
    TerritoryMonthStat,
    TerritoryPlaceMonthStat,
    TerritoryTagMonthStat,
    ThemePresenceStat,
)
from maillon.activities.vocabulary import (
    AUTONOMIE_STARS,
    Autonomie,
    DurationBucket,
    TypeActivite,
    TypeLieu,
    duration_bucket_of,
)
from maillon.beneficiaries.models import (
    Beneficiary,
    Genre,
    StatutSocial,
    TrancheAge,
    tranche_age_of,
)
from maillon.beneficiaries.trajectory import verdict_of

Key = tuple[Any, ...]


@dataclasses.dataclass(frozen=True)
class Table:
    model: type[models.Model]
    keys: tuple[str, ...]
    counts: tuple[str, ...]


DAILY = Table(DailyActivityStat, KEY_COLUMNS, COUNT_COLUMNS)
MONTH = Table(TerritoryMonthStat, ("territory", "month"), MONTH_COUNT_COLUMNS)
DAY = Table(TerritoryDayStat, ("territory", "date"), ("activities", "accompaniments"))
PRESENCE = Table(PresenceStat, ("territory", "month", "previous_month"), PRESENCE_COUNT_COLUMNS)
THEME_PRESENCE = Table(
    ThemePresenceStat,
    ("territory", "theme", "month", "previous_month"),
    THEME_PRESENCE_COUNT_COLUMNS,
)
PLACE_MONTH = Table(
    TerritoryPlaceMonthStat, ("territory", "month", "place_id"), ("activities", "accompaniments")
)
COMMUNE_MONTH = Table(
    TerritoryCommuneMonthStat,
    ("territory", "month", "commune_id"),
    ("activities", "accompaniments"),
)
TAG_MONTH = Table(
    TerritoryTagMonthStat, ("territory", "month", "tag_id"), ("activities", "accompaniments")
)
RESIDENCE = Table(
    ResidencePresenceStat,
    ("territory", "month", "previous_month", "residence"),
    ("beneficiaries",),
)
ACTIVITY_TABLES = (DAILY, MONTH, DAY, PLACE_MONTH, COMMUNE_MONTH, TAG_MONTH)
BENEFICIARY_TABLES = (PRESENCE, THEME_PRESENCE, RESIDENCE)
ALL_TABLES = (*ACTIVITY_TABLES, *BENEFICIARY_TABLES)


@dataclasses.dataclass(frozen=True)
class Contribution:
    table: Table
    key: Key
    counts: tuple[int, ...]


def month_of(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def first_day_of(month: int) -> dt.date:
    return dt.date(month // 12, month % 12 + 1, 1)


def territories_of(departement: str | None, region: str | None) -> list[str]:
    """The whole territories an activity located in this département counts for."""
    keys = ["fr"]
    if region:
        keys.append(f"reg:{region}")
    if departement:
        keys.append(f"dep:{departement}")
    return keys


def _one_hot(values: Sequence[str], value: str, weight: int = 1) -> list[int]:
    return [weight if v == value else 0 for v in values]


# --- activities ---------------------------------------------------------------------------

ACTIVITY_FIELDS = (
    "id",
    "date",
    "structure_id",
    "mediator_id",
    "commune_id",
    "place_id",
    "type",
    "place_kind",
    "duration_minutes",
    "autonomy",
    "participants_count",
    "themes_mask",
    "equipment_mask",
    "commune__departement_id",
    "commune__departement__region_id",
)


def with_tags(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """`values(*ACTIVITY_FIELDS)` rows with their étiquettes' ids as "tag_ids" (one query)."""
    rows = list(rows)
    tags: dict[int, list[int]] = defaultdict(list)
    through = Activity.tags.through.objects.filter(activity_id__in=[r["id"] for r in rows])
    for activity, tag in through.values_list("activity_id", "tag_id").order_by():
        tags[activity].append(tag)
    for row in rows:
        row["tag_ids"] = tags.get(row["id"], [])
    return rows


def activity_contributions(row: Mapping[str, Any]) -> list[Contribution]:
    """What one non-deleted activity (a `values(*ACTIVITY_FIELDS)` row passed through
    `with_tags`) adds to each table."""
    bucket = duration_bucket_of(row["duration_minutes"]).value
    weight = row["participants_count"]
    themes = [weight if row["themes_mask"] >> bit & 1 else 0 for bit in range(len(THEME_COLUMNS))]
    equipment = [weight if row["equipment_mask"] >> bit & 1 else 0 for bit in range(5)]
    daily_key = (
        row["date"],
        row["structure_id"],
        row["mediator_id"],
        row["commune_id"] or "",
        row["place_id"] or 0,
        row["type"],
        row["place_kind"],
        bucket,
        row["autonomy"],
    )
    result = [Contribution(DAILY, daily_key, (1, weight, *themes, *equipment))]
    individual = row["type"] == TypeActivite.INDIVIDUEL
    by_type: list[int] = []
    for code in TypeActivite.values:
        by_type += [1, weight] if row["type"] == code else [0, 0]
    month_counts = (
        1,
        weight,
        *by_type,
        *_one_hot(TypeLieu.values, row["place_kind"], weight),
        *_one_hot(DurationBucket.values, bucket, weight),
        *_one_hot(Autonomie.values, row["autonomy"] if individual else ""),
        *themes,
        *equipment,
    )
    month = month_of(row["date"])
    for territory in territories_of(
        row["commune__departement_id"], row["commune__departement__region_id"]
    ):
        result.append(Contribution(MONTH, (territory, month), month_counts))
        result.append(Contribution(DAY, (territory, row["date"]), (1, weight)))
        if row["place_id"]:
            result.append(
                Contribution(PLACE_MONTH, (territory, month, row["place_id"]), (1, weight))
            )
        for tag in row.get("tag_ids", ()):
            result.append(Contribution(TAG_MONTH, (territory, month, tag), (1, weight)))
        if territory.startswith("dep:") and row["commune_id"]:
            result.append(
                Contribution(COMMUNE_MONTH, (territory, month, row["commune_id"]), (1, weight))
            )
    return result


# --- beneficiaries ------------------------------------------------------------------------

ACCOMPANIMENT_FIELDS = (
    "beneficiary_id",
    "activity__date",
    "activity_id",
    "activity__commune__departement_id",
    "activity__commune__departement__region_id",
    "activity__commune__epci_id",
    "activity__autonomy",
    "activity__themes_mask",
    "is_first",
)
BENEFICIARY_FIELDS = (
    "pk",
    "is_anonymous",
    "genre",
    "statut_social",
    "birth_year",
    "age_bracket",
    "commune_id",
    "commune__departement_id",
)


def residence_in(territory: str, person: Mapping[str, Any]) -> str:
    """Where a person lives, as the rankings of this territory group it (ADR 0016): his
    commune in a département or below, his département in France and a région."""
    if territory == "fr" or territory.startswith("reg:"):
        return person["commune__departement_id"] or ""
    return person["commune_id"] or ""


def trend_of(autonomies: Iterable[str]) -> str:
    """First vs latest rated session (trajectory.verdict_of), sessions in date order."""
    levels = [AUTONOMIE_STARS[a] for a in autonomies if a in AUTONOMIE_STARS]
    return verdict_of(levels[0] if levels else None, levels[-1] if levels else None, len(levels))


def _chain(months: Iterable[int]) -> list[tuple[int, int]]:
    """(month, previous month) for each month of presence."""
    previous = NO_PREVIOUS_MONTH
    result = []
    for month in sorted(set(months)):
        result.append((month, previous))
        previous = month
    return result


def beneficiary_contributions(
    person: Mapping[str, Any], rows: Sequence[Sequence[Any]]
) -> list[Contribution]:
    """What one beneficiary (a `values(*BENEFICIARY_FIELDS)` row) contributes, given his
    accompaniments on non-deleted activities (`values_list(*ACCOMPANIMENT_FIELDS)` rows)."""
    if not rows:
        return []
    ordered = sorted(rows, key=lambda r: (r[1], r[2]))
    followed = not person["is_anonymous"]
    trend = trend_of(r[6] for r in ordered)
    trend_counts = _one_hot(TREND_CODES, trend) if followed else [0] * len(TREND_CODES)
    months: dict[str, set[int]] = defaultdict(set)
    firsts: dict[tuple[str, int], int] = defaultdict(int)
    theme_months: dict[tuple[str, int], set[int]] = defaultdict(set)
    for _b, day, _a, departement, region, epci, _autonomy, mask, is_first in ordered:
        month = month_of(day)
        territories = territories_of(departement, region)
        for territory in [*territories, *([f"epci:{epci}"] if epci else [])]:
            months[territory].add(month)
            firsts[territory, month] += int(is_first)
        if followed:
            for bit in range(len(THEME_COLUMNS)):
                if (mask or 0) >> bit & 1:
                    for territory in territories:
                        theme_months[territory, bit].add(month)
    result = []
    declared = person["age_bracket"] or TrancheAge.NON_COMMUNIQUE
    for territory, present in months.items():
        for month, previous in _chain(present):
            bracket = (
                tranche_age_of(person["birth_year"], year=month // 12)
                if person["birth_year"] is not None
                else declared
            )
            counts = (
                1,
                int(followed),
                int(not followed),
                *_one_hot(Genre.values, person["genre"]),
                *_one_hot(StatutSocial.values, person["statut_social"]),
                *_one_hot(TrancheAge.values, bracket),
                *trend_counts,
                firsts[territory, month],
            )
            result.append(Contribution(PRESENCE, (territory, month, previous), counts))
            if not territory.startswith("epci:"):
                residence = residence_in(territory, person)
                result.append(
                    Contribution(RESIDENCE, (territory, month, previous, residence), (1,))
                )
    for (territory, bit), present in theme_months.items():
        for month, previous in _chain(present):
            result.append(
                Contribution(THEME_PRESENCE, (territory, bit, month, previous), (1, *trend_counts))
            )
    return result


@dataclasses.dataclass
class PeopleState:
    """What some beneficiaries contribute now, their autonomy trend from the raw rows and the
    trend stored in their file (`Beneficiary.autonomy_trend`)."""

    contributions: list[Contribution]
    trends: dict[int, str]
    stored_trends: dict[int, str]


def beneficiaries_state(beneficiary_ids: Iterable[int]) -> PeopleState:
    """Contributions and trends of these beneficiaries now (two queries)."""
    ids = set(beneficiary_ids)
    state = PeopleState([], {}, {})
    if not ids:
        return state
    rows: dict[int, list[Sequence[Any]]] = defaultdict(list)
    for row in Accompaniment.objects.filter(
        beneficiary_id__in=ids, activity__deleted_at__isnull=True
    ).values_list(*ACCOMPANIMENT_FIELDS):
        rows[row[0]].append(row)
    for person in Beneficiary.objects.filter(pk__in=ids).values(
        *BENEFICIARY_FIELDS, "autonomy_trend"
    ):
        pk = person["pk"]
        own = sorted(rows[pk], key=lambda r: (r[1], r[2]))
        state.trends[pk] = trend_of(r[6] for r in own)
        state.stored_trends[pk] = person["autonomy_trend"]
        state.contributions += beneficiary_contributions(person, own)
    return state


def beneficiaries_snapshot(beneficiary_ids: Iterable[int]) -> list[Contribution]:
    """What these beneficiaries contribute now (two queries)."""
    return beneficiaries_state(beneficiary_ids).contributions


def store_trends(state: PeopleState) -> None:
    """Write the trends that differ from the stored ones: one UPDATE per trend code at most."""
    changed: dict[str, list[int]] = defaultdict(list)
    for pk, trend in state.trends.items():
        if state.stored_trends.get(pk) != trend:
            changed[trend].append(pk)
    for trend, pks in changed.items():
        Beneficiary.objects.filter(pk__in=pks).update(autonomy_trend=trend)


def stored_trends() -> dict[int, str]:
    """Every beneficiary's stored trend (for the equality tests)."""
    return dict(Beneficiary.objects.values_list("pk", "autonomy_trend"))


def trends_from_raw() -> dict[int, str]:
    """Every beneficiary's trend from the raw rows, row by row (for the equality tests)."""
    return beneficiaries_state(Beneficiary.objects.values_list("pk", flat=True)).trends


# --- upkeep -------------------------------------------------------------------------------


def deltas_of(
    before: Iterable[Contribution], after: Iterable[Contribution]
) -> dict[tuple[Table, Key], list[int]]:
    deltas: dict[tuple[Table, Key], list[int]] = {}
    for sign, contributions in ((-1, before), (1, after)):
        for c in contributions:
            total = deltas.setdefault((c.table, c.key), [0] * len(c.counts))
            for index, value in enumerate(c.counts):
                total[index] += sign * value
    return deltas


def _add(table: Table, key: Key, counts: Sequence[int]) -> None:
    model: Any = table.model
    conditions = dict(zip(table.keys, key, strict=True))
    changes = {
        column: F(column) + delta
        for column, delta in zip(table.counts, counts, strict=True)
        if delta
    }
    if model.objects.filter(**conditions).update(**changes):
        model.objects.filter(**conditions, **{f"{table.counts[0]}__lte": 0}).delete()
        return
    try:
        with transaction.atomic():
            model.objects.create(**conditions, **dict(zip(table.counts, counts, strict=True)))
    except IntegrityError:  # another transaction created the row meanwhile
        model.objects.filter(**conditions).update(**changes)


def apply(before: Iterable[Contribution], after: Iterable[Contribution]) -> None:
    """Add `after - before` to the tables."""
    for (table, key), counts in deltas_of(before, after).items():
        if any(counts):
            _add(table, key, counts)


def totals(contributions: Iterable[Contribution]) -> dict[Table, dict[Key, tuple[int, ...]]]:
    """Contributions summed per table and key, zero rows left out (for equality tests)."""
    result: dict[Table, dict[Key, tuple[int, ...]]] = {table: {} for table in ALL_TABLES}
    for (table, key), counts in deltas_of([], contributions).items():
        if any(counts):
            result[table][key] = tuple(counts)
    return result


def stored(table: Table) -> dict[Key, tuple[int, ...]]:
    model: Any = table.model
    return {
        tuple(row[c] for c in table.keys): tuple(row[c] for c in table.counts)
        for row in model.objects.values(*table.keys, *table.counts)
    }


def recount_from_raw() -> dict[Table, dict[Key, tuple[int, ...]]]:
    """Every table as the raw rows give it, row by row in Python (for the equality tests)."""
    contributions = [
        c
        for row in with_tags(
            Activity.objects.filter(deleted_at__isnull=True).values(*ACTIVITY_FIELDS)
        )
        for c in activity_contributions(row)
    ]
    contributions += beneficiaries_snapshot(Beneficiary.objects.values_list("pk", flat=True))
    return totals(contributions)


__all__ = [
    "ALL_TABLES",
    "Contribution",
    "Table",
    "activity_contributions",
    "apply",
    "beneficiaries_snapshot",
    "beneficiaries_state",
    "beneficiary_contributions",
    "month_of",
    "recount_from_raw",
    "store_trends",
    "stored",
    "stored_trends",
    "totals",
    "trends_from_raw",
    "with_tags",
]

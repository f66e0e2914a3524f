"""Keeping the daily pre-aggregates equal to the raw activity rows.

The activity services call `snapshot()` before a change and `replace()` after it, in the same
transaction: the old contribution of the activity is subtracted, the new one added. The
contribution of an activity is computed from its stored row, so whatever the services changed
(date, place, themes, participants) is reflected. `rebuild()` recomputes everything from the raw
rows (`manage.py rebuild_statistics`).
"""

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Count, Expression, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from maillon.activities.models import Activity
from maillon.activities.statistics.models import (
    COUNT_COLUMNS,
    EQUIPMENT_COLUMNS,
    KEY_COLUMNS,
    THEME_COLUMNS,
    DailyActivityStat,
)
from maillon.activities.vocabulary import DurationBucket, duration_bucket_of

Key = tuple[Any, ...]
Counts = tuple[int, ...]


@dataclasses.dataclass(frozen=True)
class Contribution:
    key: Key
    counts: Counts


def duration_bucket_expression() -> Case:
    """SQL twin of `duration_bucket_of` (activites-et-beneficiaires.md §1.3)."""
    return Case(
        When(duration_minutes__lte=30, then=Value(DurationBucket.MOINS_DE_30_MIN.value)),
        When(duration_minutes__lte=60, then=Value(DurationBucket.DE_30_MIN_A_1_H.value)),
        When(duration_minutes__lte=120, then=Value(DurationBucket.DE_1_H_A_2_H.value)),
        default=Value(DurationBucket.PLUS_DE_2_H.value),
    )


def _bit_weighted(column: str, bit: int) -> Sum:
    return Sum(
        Case(
            When(
                Q(**{f"{column}_bit_{bit}__gt": 0}),
                then=F("participants_count"),
            ),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def raw_annotations() -> dict[str, Expression]:
    """Per-row expressions on Activity that the raw aggregates below read."""
    annotations: dict[str, Expression] = {
        "duration_bucket": duration_bucket_expression(),
        "commune_key": Coalesce(F("commune_id"), Value("")),
        "place_key": Coalesce(F("place_id"), Value(0)),
    }
    for bit in range(len(THEME_COLUMNS)):
        annotations[f"themes_mask_bit_{bit}"] = F("themes_mask").bitand(1 << bit)
    for bit in range(len(EQUIPMENT_COLUMNS)):
        annotations[f"equipment_mask_bit_{bit}"] = F("equipment_mask").bitand(1 << bit)
    return annotations


def raw_aggregates() -> dict[str, Any]:
    """The COUNT_COLUMNS computed from raw Activity rows annotated by `raw_annotations()`."""
    aggregates: dict[str, Any] = {
        "activities": Count("pk"),
        "accompaniments": Coalesce(Sum("participants_count"), 0),
    }
    for bit, column in enumerate(THEME_COLUMNS):
        aggregates[column] = Coalesce(_bit_weighted("themes_mask", bit), 0)
    for bit, column in enumerate(EQUIPMENT_COLUMNS):
        aggregates[column] = Coalesce(_bit_weighted("equipment_mask", bit), 0)
    return aggregates


_ROW_FIELDS = (
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
)


def _contribution(row: Mapping[str, Any]) -> Contribution:
    key = (
        row["date"],
        row["structure_id"],
        row["mediator_id"],
        row["commune_id"] or "",
        row["place_id"] or 0,
        row["type"],
        row["place_kind"],
        duration_bucket_of(row["duration_minutes"]).value,
        row["autonomy"],
    )
    weight = row["participants_count"]
    themes = [weight if row["themes_mask"] >> bit & 1 else 0 for bit in range(len(THEME_COLUMNS))]
    equipment = [
        weight if row["equipment_mask"] >> bit & 1 else 0 for bit in range(len(EQUIPMENT_COLUMNS))
    ]
    return Contribution(key, (1, weight, *themes, *equipment))


def snapshot(activity_ids: Iterable[int]) -> list[Contribution]:
    """What these activities contribute to the aggregates now (nothing once deleted)."""
    rows = Activity.objects.filter(pk__in=list(activity_ids), deleted_at__isnull=True).values(
        *_ROW_FIELDS
    )
    return [_contribution(row) for row in rows]


def _add(key: Key, counts: Counts) -> None:
    conditions = dict(zip(KEY_COLUMNS, key, strict=True))
    changes = {
        column: F(column) + delta for column, delta in zip(COUNT_COLUMNS, counts, strict=True)
    }
    if DailyActivityStat.objects.filter(**conditions).update(**changes):
        DailyActivityStat.objects.filter(**conditions, activities__lte=0).delete()
        return
    try:
        with transaction.atomic():
            DailyActivityStat.objects.create(
                **conditions, **dict(zip(COUNT_COLUMNS, counts, strict=True))
            )
    except IntegrityError:  # another transaction created the row meanwhile
        DailyActivityStat.objects.filter(**conditions).update(**changes)


def replace(before: Iterable[Contribution], activity_ids: Iterable[int]) -> None:
    """Subtract `before` (taken by `snapshot`) and add the activities' current contribution."""
    deltas: dict[Key, list[int]] = defaultdict(lambda: [0] * len(COUNT_COLUMNS))
    for sign, contributions in ((-1, before), (1, snapshot(activity_ids))):
        for contribution in contributions:
            total = deltas[contribution.key]
            for index, value in enumerate(contribution.counts):
                total[index] += sign * value
    for key, counts in deltas.items():
        if any(counts):
            _add(key, tuple(counts))


@transaction.atomic
def rebuild() -> int:
    """Recompute every aggregate from the raw rows; return the number of aggregate rows.

    The table's fields are plain columns named as the fields, hence the names below.
    One `INSERT … SELECT … GROUP BY` in the database: no row goes through Python.
    """
    DailyActivityStat.objects.all().delete()
    rows = (
        Activity.objects.filter(deleted_at__isnull=True)
        .annotate(**raw_annotations())
        .values(*_REBUILD_SOURCE)
        .annotate(**raw_aggregates())
        .order_by()
    )
    select, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(DailyActivityStat._meta.db_table)
    targets = ", ".join(connection.ops.quote_name(c) for c in (*KEY_COLUMNS, *COUNT_COLUMNS))
    sources = ", ".join(connection.ops.quote_name(c) for c in (*_REBUILD_SOURCE, *COUNT_COLUMNS))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({targets}) SELECT {sources} FROM ({select}) rebuilt",  # noqa: S608 (identifiers quoted, values bound)
            params,
        )
    return DailyActivityStat.objects.count()


# Same order as KEY_COLUMNS, with the annotations that replace NULL by "" and 0.
_REBUILD_SOURCE = (
    "date",
    "structure_id",
    "mediator_id",
    "commune_key",
    "place_key",
    "type",
    "place_kind",
    "duration_bucket",
    "autonomy",
)


def recount_from_raw() -> dict[Key, Counts]:
    """Every aggregate row as the raw rows give it (what the equality tests compare)."""
    result: dict[Key, Counts] = {}
    for activity in Activity.objects.filter(deleted_at__isnull=True).values(*_ROW_FIELDS):
        contribution = _contribution(activity)
        current = result.get(contribution.key, (0,) * len(COUNT_COLUMNS))
        result[contribution.key] = tuple(
            a + b for a, b in zip(current, contribution.counts, strict=True)
        )
    return result


def stored() -> dict[Key, Counts]:
    return {
        tuple(row[c] for c in KEY_COLUMNS): tuple(row[c] for c in COUNT_COLUMNS)
        for row in DailyActivityStat.objects.values(*KEY_COLUMNS, *COUNT_COLUMNS)
    }


__all__ = ["Contribution", "rebuild", "recount_from_raw", "replace", "snapshot", "stored"]

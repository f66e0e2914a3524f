"""Keeping the daily pre-aggregates equal to the raw activity rows.

The activity services call `snapshot()` before a change and `replace()` after it, in the same
transaction: the old contribution of the activity is subtracted, the new one added. The
contribution of an activity is computed from its stored row, so whatever the services changed
(date, place, themes, participants) is reflected. `rebuild()` recomputes everything from the raw
rows (`manage.py rebuild_statistics`).
"""

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, Count, Expression, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from maillon.activities.generation import writer
from maillon.activities.models import Activity
from maillon.activities.statistics.models import (
    COUNT_COLUMNS,
    EQUIPMENT_COLUMNS,
    KEY_COLUMNS,
    THEME_COLUMNS,
    DailyActivityStat,
)
from maillon.activities.statistics.rollups import (
    ACTIVITY_FIELDS,
    DAILY,
    Contribution,
    activity_contributions,
    apply,
    totals,
    with_tags,
)
from maillon.activities.statistics.rollups import stored as stored_rows
from maillon.activities.vocabulary import DurationBucket

Key = tuple[Any, ...]
Counts = tuple[int, ...]


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


def snapshot(activity_ids: Iterable[int]) -> list[Contribution]:
    """What these activities contribute to the activity tables now (nothing once deleted)."""
    rows = Activity.objects.filter(pk__in=list(activity_ids), deleted_at__isnull=True).values(
        *ACTIVITY_FIELDS
    )
    return [c for row in with_tags(rows) for c in activity_contributions(row)]


def replace(before: Iterable[Contribution], activity_ids: Iterable[int]) -> None:
    """Subtract `before` (taken by `snapshot`) and add the activities' current contribution."""
    apply(before, snapshot(activity_ids))


@transaction.atomic
def rebuild() -> int:
    """Recompute every aggregate from the raw rows; return the number of aggregate rows.

    The table's fields are plain columns named as the fields, hence the names below.
    One `INSERT … SELECT … GROUP BY` in the database: no row goes through Python.
    """
    # Rows come out in the order of the unique key; the other indexes are built afterwards,
    # one sort each, instead of millions of insertions at random places (ADR 0008, « Mesures »).
    rows = (
        Activity.objects.filter(deleted_at__isnull=True)
        .annotate(**raw_annotations())
        .values(*_REBUILD_SOURCE)
        .annotate(**raw_aggregates())
        .order_by(*_REBUILD_SOURCE)
    )
    select, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(DailyActivityStat._meta.db_table)
    targets = ", ".join(connection.ops.quote_name(c) for c in (*KEY_COLUMNS, *COUNT_COLUMNS))
    sources = ", ".join(connection.ops.quote_name(c) for c in (*_REBUILD_SOURCE, *COUNT_COLUMNS))
    with writer.large_cache(), writer.indexes_rebuilt_after(DailyActivityStat):
        DailyActivityStat.objects.all().delete()
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
    """Every daily aggregate row as the raw rows give it (what the equality tests compare)."""
    rows = Activity.objects.filter(deleted_at__isnull=True).values(*ACTIVITY_FIELDS)
    return totals(c for row in rows for c in activity_contributions(row))[DAILY]


def stored() -> dict[Key, Counts]:
    return stored_rows(DAILY)


__all__ = ["Contribution", "rebuild", "recount_from_raw", "replace", "snapshot", "stored"]

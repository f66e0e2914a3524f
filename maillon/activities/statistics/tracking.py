"""Keeping the statistics equal to the raw rows when beneficiaries change (ADR 0008).

`beneficiaries_changing(ids)` wraps any write that changes what some beneficiaries contribute
to the statistics (merge, import, erasure…): their contributions are taken on entry and replaced
on exit, in the caller's transaction. The activity-level aggregates of the activities they
attend are refreshed as well (a merge may remove a duplicate accompaniment). Pass every
beneficiary whose accompaniments or categories change — for a merge, the kept file and the
merged ones.

A beneficiary saved with a changed category (genre, statut, année de naissance, tranche,
anonyme) or commune of residence outside such a block is followed by the `pre_save`/`post_save`
receivers below.
"""

import contextvars
import dataclasses
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction

from maillon.activities.models import Accompaniment
from maillon.activities.statistics import aggregates, rollups
from maillon.beneficiaries.models import Beneficiary

# The categories a presence carries: a change of one of them changes the statistics.
TRACKED_FIELDS = (
    "is_anonymous",
    "genre",
    "statut_social",
    "birth_year",
    "age_bracket",
    "commune_id",
)
# The same as `save(update_fields=…)` names them.
_TRACKED_NAMES = frozenset({*TRACKED_FIELDS, "commune"})

# Beneficiaries whose contributions an enclosing block already snapshots: the save receivers
# leave them alone (they would count the change twice).
_tracked: contextvars.ContextVar[frozenset[int]] = contextvars.ContextVar(
    "statistics_tracked_beneficiaries", default=frozenset()
)


@dataclasses.dataclass
class PeopleSnapshot:
    ids: set[int]
    contributions: list[rollups.Contribution]


def snapshot_people(beneficiary_ids: Iterable[int]) -> PeopleSnapshot:
    """Contributions of these beneficiaries now (before a change)."""
    ids = {pk for pk in beneficiary_ids if pk is not None}
    return PeopleSnapshot(ids, rollups.beneficiaries_snapshot(ids))


def replace_people(before: PeopleSnapshot, also: Iterable[int] = ()) -> None:
    """Replace `before` by the current contributions of its beneficiaries and of `also`, and
    store their autonomy trends where they changed."""
    ids = before.ids | set(also)
    after = rollups.beneficiaries_state(ids)
    rollups.apply(before.contributions, after.contributions)
    rollups.store_trends(after)


@contextmanager
def tracked(beneficiary_ids: Iterable[int]) -> Iterator[None]:
    """Tell the save receivers that an enclosing block snapshots these beneficiaries."""
    token = _tracked.set(_tracked.get() | frozenset(beneficiary_ids))
    try:
        yield
    finally:
        _tracked.reset(token)


def _activities_of(beneficiary_ids: set[int]) -> set[int]:
    return set(
        Accompaniment.objects.filter(beneficiary_id__in=beneficiary_ids).values_list(
            "activity_id", flat=True
        )
    )


@contextmanager
def beneficiaries_changing(beneficiary_ids: Iterable[int]) -> Iterator[None]:
    """Snapshot these beneficiaries' statistics on entry, replace them on exit (atomic)."""
    ids = set(beneficiary_ids)
    with transaction.atomic(), tracked(ids):
        activity_ids = _activities_of(ids)
        activities_before = aggregates.snapshot(activity_ids)
        people_before = snapshot_people(ids)
        yield
        aggregates.replace(activities_before, activity_ids | _activities_of(ids))
        replace_people(people_before)


def before_beneficiary_save(sender: Any, instance: Beneficiary, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if (
        instance.pk is None
        or kwargs.get("raw")
        or instance.pk in _tracked.get()
        or (update_fields is not None and not set(update_fields) & _TRACKED_NAMES)
    ):
        return
    current = (
        Beneficiary.objects.filter(pk=instance.pk).values(*TRACKED_FIELDS, "autonomy_trend").first()
    )
    if current is not None:
        # Derived data kept by `replace_people` with UPDATEs: an instance read before them must
        # not write back its stale trend.
        instance.autonomy_trend = current["autonomy_trend"]
    if current is None or all(getattr(instance, f) == current[f] for f in TRACKED_FIELDS):
        return
    instance._statistics_before = snapshot_people([instance.pk])  # type: ignore[attr-defined]


def after_beneficiary_save(sender: Any, instance: Beneficiary, **kwargs: Any) -> None:
    before: PeopleSnapshot | None = instance.__dict__.pop("_statistics_before", None)
    if before is not None:
        replace_people(before)


__all__ = [
    "TRACKED_FIELDS",
    "beneficiaries_changing",
    "replace_people",
    "snapshot_people",
    "tracked",
]

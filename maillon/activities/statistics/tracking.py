"""Keeping the statistics equal to the raw rows when beneficiaries change.

`beneficiaries_changing(ids)` wraps any write that changes what some beneficiaries contribute
to the statistics (merge, import, attribute edit, erasure): their contributions are taken on
entry and replaced on exit, in the caller's transaction. The activity-level aggregates of the
activities they attend are refreshed as well (a merge may remove a duplicate accompaniment).
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import transaction

from maillon.activities.models import Accompaniment
from maillon.activities.statistics import aggregates


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
    with transaction.atomic():
        activity_ids = _activities_of(ids)
        activities_before = aggregates.snapshot(activity_ids)
        yield
        activity_ids |= _activities_of(ids)
        aggregates.replace(activities_before, activity_ids)


__all__ = ["beneficiaries_changing"]

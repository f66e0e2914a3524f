"""Merge two files of the same person (activites-et-beneficiaires.md §4, doublons.md §5 and §7).

Lives in the activities layer because it moves accompaniments, which the beneficiaries app
cannot import. The kept file (destination) keeps its values, empty ones are filled from the
merged file (source), and the member may take any other value from the source. The source's
accompaniments move to the destination, except on an activity both attended (the duplicate is
removed); first accompaniments, counters and statistics are recomputed in the same
transaction; the source is soft-deleted with `merged_into` pointing to the destination and its
row is kept (the retention job anonymises it with the others).
"""

import dataclasses
from collections.abc import Collection
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from maillon.accounts.models import User
from maillon.activities.models import Accompaniment
from maillon.activities.participants import refresh_counts
from maillon.activities.statistics.tracking import beneficiaries_changing
from maillon.beneficiaries.models import Beneficiary, Genre, StatutSocial
from maillon.beneficiaries.services import is_member
from maillon.core.audit import record
from maillon.core.models import AuditAction

# The fields a member chooses between, in the order of the merge screen.
MERGE_FIELDS: tuple[str, ...] = (
    "last_name",
    "first_name",
    "birth_year",
    "phone",
    "has_no_phone",
    "email",
    "address",
    "commune",
    "genre",
    "statut_social",
    "notes",
    "information_notice_given_on",
)
# Values that count as empty: the source fills them unless the member chose otherwise.
EMPTY_VALUES: tuple[Any, ...] = ("", None, False, Genre.NON_COMMUNIQUE, StatutSocial.NON_COMMUNIQUE)


@dataclasses.dataclass(frozen=True)
class MergeResult:
    moved: int
    removed_duplicates: int
    changed_fields: tuple[str, ...]


def merged_values(
    destination: Beneficiary, source: Beneficiary, take_from_source: Collection[str] = ()
) -> dict[str, Any]:
    """The destination's values after the merge, for every field of MERGE_FIELDS."""
    values: dict[str, Any] = {}
    for name in MERGE_FIELDS:
        kept = getattr(destination, name)
        other = getattr(source, name)
        values[name] = other if name in take_from_source or kept in EMPTY_VALUES else kept
    if values["phone"]:
        values["has_no_phone"] = False
    return values


def _check(actor: User, source: Beneficiary, destination: Beneficiary) -> None:
    if source.structure_id != destination.structure_id or not is_member(
        actor, destination.structure
    ):
        raise PermissionDenied("Vous ne pouvez fusionner que des fiches de votre structure.")
    if source.pk == destination.pk:
        raise ValidationError("Choisissez deux fiches différentes.")
    for person in (source, destination):
        if (
            person.is_anonymous
            or person.anonymised_at is not None
            or person.deleted_at is not None
            or person.merged_into_id is not None
        ):
            raise ValidationError(
                "Seules deux fiches identifiées, ni effacées ni déjà fusionnées, se fusionnent."
            )


@transaction.atomic
def merge_beneficiaries(
    *,
    actor: User,
    source: Beneficiary,
    destination: Beneficiary,
    take_from_source: Collection[str] = (),
) -> MergeResult:
    """Fold `source` into `destination`; journaled on both files."""
    unknown = set(take_from_source) - set(MERGE_FIELDS)
    if unknown:
        raise ValidationError(f"Champs inconnus : {', '.join(sorted(unknown))}.")
    locked = {
        person.pk: person
        for person in Beneficiary.objects.select_for_update().filter(
            pk__in=[source.pk, destination.pk]
        )
    }
    source, destination = locked[source.pk], locked[destination.pk]
    _check(actor, source, destination)
    ids = [source.pk, destination.pk]
    with beneficiaries_changing(ids):
        shared = Accompaniment.objects.filter(
            beneficiary=source,
            activity_id__in=Accompaniment.objects.filter(beneficiary=destination).values(
                "activity_id"
            ),
        )
        shared_activities = list(shared.values_list("activity_id", flat=True))
        removed, _ = shared.delete()
        moved = Accompaniment.objects.filter(beneficiary=source).update(beneficiary=destination)
        changed = []
        for name, value in merged_values(destination, source, take_from_source).items():
            if getattr(destination, name) != value:
                setattr(destination, name, value)
                changed.append(name)
        if source.was_already_accompanied and not destination.was_already_accompanied:
            destination.was_already_accompanied = True
            changed.append("was_already_accompanied")
        if changed:
            destination.save(update_fields=[*changed, "updated_at"])
        source.merged_into = destination
        source.deleted_at = timezone.now()
        source.save(update_fields=["merged_into", "deleted_at", "updated_at"])
        refresh_counts(activity_ids=shared_activities, beneficiary_ids=ids)
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=destination,
        structure_id=destination.structure_id,
        fields=[*changed, "accompaniments"],
    )
    record(
        actor=actor,
        action=AuditAction.DELETE,
        target=source,
        structure_id=source.structure_id,
        fields=["merged_into", "deleted_at", "accompaniments"],
    )
    return MergeResult(moved=moved, removed_duplicates=removed, changed_fields=tuple(changed))

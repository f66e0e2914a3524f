"""The person's rights (rgpd-securite.md §4): access to everything about them, and erasure.

Both go through `PERSONAL_FIELDS`, the single registry of personal fields (erasure also blanks
their copies, `DERIVED_PERSONAL_FIELDS`). Erasure keeps the
row, its accompaniments and its categories, so that no statistic moves; the retention job
(`anonymise_inactive`) erases with the same function.

Who may erase: any member of the structure (mediator or manager), like every other write on
the shared file. The mediators are controllers of the follow-up data and answer the person's
requests within a month (§1); the person usually asks the mediator who helps them, and waiting
for a manager would only delay a right. The confirmation step and the journal guard the rest.
"""

import dataclasses
import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from maillon.accounts.models import AnyUser, User
from maillon.activities.vocabulary import (
    Autonomie,
    Materiel,
    NiveauAtelier,
    StructureRedirection,
    Thematique,
    TypeActivite,
    TypeLieu,
)
from maillon.beneficiaries.models import (
    DERIVED_PERSONAL_FIELDS,
    PERSONAL_FIELDS,
    Beneficiary,
    tranche_age_of,
)
from maillon.beneficiaries.services import is_member, read_personal_data
from maillon.core.audit import record
from maillon.core.models import AuditAction

RETENTION_MONTHS = 24
# What a read of the access export touches besides the personal fields (journal field names).
ACCESS_EXTRA_FIELDS = ("accompaniments",)


def _labels(choices: type[models.TextChoices], codes: list[str]) -> list[str]:
    labels = dict(choices.choices)
    return [labels.get(code, code) for code in codes]


def _label(choices: type[models.TextChoices], code: str) -> str:
    return dict(choices.choices).get(code, code) if code else ""


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


def access_export(*, actor: AnyUser, beneficiary: Beneficiary) -> dict[str, Any]:
    """Everything Maillon holds about the person, JSON-ready, with labels (art. 15).

    Journaled as a read of the personal fields and of the accompaniments; anyone but a member
    of the structure gets `Beneficiary.DoesNotExist`.
    """
    personal = read_personal_data(actor=actor, beneficiary=beneficiary)
    record(
        actor=actor,
        action=AuditAction.READ,
        target=beneficiary,
        structure_id=beneficiary.structure_id,
        fields=ACCESS_EXTRA_FIELDS,
    )
    accompaniments = (
        beneficiary.accompaniments.filter(activity__deleted_at__isnull=True)
        .select_related("activity__place", "activity__commune", "activity__structure")
        .order_by("activity__date", "activity_id")
    )
    return {
        "beneficiaire": {
            "identifiant": beneficiary.pk,
            "structure": beneficiary.structure.name,
            **{name: _json_value(value) for name, value in personal.items()},
            "genre": beneficiary.get_genre_display(),
            "tranche_age": beneficiary.tranche_age.label,
            "statut_social": beneficiary.get_statut_social_display(),
            "deja_accompagne": beneficiary.was_already_accompanied,
            "cree_le": beneficiary.created_at.date().isoformat(),
        },
        "accompagnements": [
            {
                "date": accompaniment.activity.date.isoformat(),
                "type": _label(TypeActivite, accompaniment.activity.type),
                "structure": accompaniment.activity.structure.name,
                "type_de_lieu": _label(TypeLieu, accompaniment.activity.place_kind),
                "lieu": accompaniment.activity.place.nom if accompaniment.activity.place else "",
                "commune_activite": str(accompaniment.activity.commune or ""),
                "duree_minutes": accompaniment.activity.duration_minutes,
                "thematiques": _labels(Thematique, accompaniment.activity.themes),
                "demarche_administrative": accompaniment.activity.procedure_name,
                "materiel": _labels(Materiel, accompaniment.activity.equipment),
                "autonomie": _label(Autonomie, accompaniment.activity.autonomy),
                "structure_de_redirection": _label(
                    StructureRedirection, accompaniment.activity.redirect_category
                ),
                "atelier": accompaniment.activity.workshop_title,
                "niveau_atelier": _label(NiveauAtelier, accompaniment.activity.workshop_level),
                "notes_activite": accompaniment.activity.notes,
                "premier_accompagnement": accompaniment.is_first,
            }
            for accompaniment in accompaniments
        ],
    }


def _blank(beneficiary: Beneficiary, name: str) -> Any:
    field = beneficiary._meta.get_field(name)
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.Field) and field.null:
        return None
    return ""


@transaction.atomic
def erase(*, actor: User | None, beneficiary: Beneficiary, now: dt.datetime | None = None) -> bool:
    """Blank every personal field, keep the row, its accompaniments and its categories.

    The age bracket is frozen from the birth year before the year goes, so the person stays in
    the same tranche d'âge in every statistic. `actor=None` is the retention job. Returns False
    when the person was already anonymised (erasing twice changes nothing).
    """
    if actor is not None and not is_member(actor, beneficiary.structure):
        raise PermissionDenied("Vous ne pouvez pas effacer ce bénéficiaire.")
    beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    if beneficiary.anonymised_at is not None:
        return False
    now = now or timezone.now()
    if beneficiary.birth_year is not None:
        beneficiary.age_bracket = tranche_age_of(beneficiary.birth_year, year=now.year)
    erased = (*PERSONAL_FIELDS, *DERIVED_PERSONAL_FIELDS)
    for name in erased:
        setattr(beneficiary, name, _blank(beneficiary, name))
    beneficiary.anonymised_at = now
    beneficiary.save(update_fields=[*erased, "age_bracket", "anonymised_at", "updated_at"])
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=beneficiary,
        structure_id=beneficiary.structure_id,
        fields=[*PERSONAL_FIELDS, "anonymised_at"],
    )
    return True


def retention_cutoff(today: dt.date) -> dt.date:
    """The day 24 months before `today` (28 February for a 29 February)."""
    year = today.year - RETENTION_MONTHS // 12
    try:
        return today.replace(year=year)
    except ValueError:
        return today.replace(year=year, day=28)


def inactive_beneficiaries(today: dt.date) -> "models.QuerySet[Beneficiary]":
    """Identified people not yet anonymised whose last contact is more than 24 months old.

    Last contact: the latest non-deleted activity, or the creation of the file if none. Deleted
    and merged files count too: they still hold personal data.
    """
    cutoff = retention_cutoff(today)
    return (
        Beneficiary.objects.filter(is_anonymous=False, anonymised_at__isnull=True)
        .annotate(
            last_activity=Max(
                "accompaniments__activity__date",
                filter=Q(accompaniments__activity__deleted_at__isnull=True),
            )
        )
        .filter(
            Q(last_activity__lt=cutoff) | Q(last_activity__isnull=True, created_at__date__lt=cutoff)
        )
        .order_by("pk")
    )


@dataclasses.dataclass(frozen=True)
class RetentionResult:
    inactive: int
    anonymised: int


def anonymise_inactive(*, today: dt.date, dry_run: bool = False) -> RetentionResult:
    """Erase every inactive person (`erase(actor=None)`, journaled); safe to run twice."""
    pks = list(inactive_beneficiaries(today).values_list("pk", flat=True))
    if dry_run:
        return RetentionResult(inactive=len(pks), anonymised=0)
    anonymised = 0
    for beneficiary in Beneficiary.objects.filter(pk__in=pks).iterator():
        if erase(actor=None, beneficiary=beneficiary):
            anonymised += 1
    return RetentionResult(inactive=len(pks), anonymised=anonymised)

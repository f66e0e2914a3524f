# ruff: noqa: RUF001 — typographic apostrophes are part of the reference labels.
"""Writes on beneficiaries, and the audited read of their personal data."""

import dataclasses
import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from maillon.accounts.models import AnyUser, Structure, User, structure_memberships_of
from maillon.beneficiaries.models import (
    MIN_BIRTH_YEAR,
    PERSONAL_FIELDS,
    Beneficiary,
    Genre,
    StatutSocial,
)
from maillon.core.audit import record
from maillon.core.models import AuditAction
from maillon.territory.models import Commune


@dataclasses.dataclass(frozen=True)
class BeneficiaryData:
    """What a mediator types about an identified person (activites-et-beneficiaires.md §3)."""

    first_name: str
    last_name: str
    phone: str = ""
    has_no_phone: bool = False
    email: str = ""
    birth_year: int | None = None
    address: str = ""
    commune: Commune | None = None
    genre: str = Genre.NON_COMMUNIQUE
    statut_social: str = StatutSocial.NON_COMMUNIQUE
    notes: str = ""
    information_notice_given_on: dt.date | None = None


def is_member(user: AnyUser, structure: Structure) -> bool:
    """Mediator or manager of the structure: who may read and write its beneficiaries."""
    return structure_memberships_of(user).filter(structure=structure).exists()


def validate_beneficiary_data(data: BeneficiaryData) -> None:
    errors: dict[str, list[str]] = {}
    if not data.first_name.strip():
        errors["first_name"] = ["Le prénom est obligatoire."]
    if not data.last_name.strip():
        errors["last_name"] = ["Le nom est obligatoire."]
    this_year = dt.date.today().year
    if data.birth_year is not None and not MIN_BIRTH_YEAR <= data.birth_year <= this_year:
        errors["birth_year"] = [
            f"L’année de naissance doit être comprise entre {MIN_BIRTH_YEAR} et {this_year}."
        ]
    if data.genre not in Genre.values:
        errors["genre"] = ["Genre invalide."]
    if data.statut_social not in StatutSocial.values:
        errors["statut_social"] = ["Statut social invalide."]
    if data.phone and data.has_no_phone:
        errors["phone"] = ["Indiquez un numéro ou cochez « Pas de téléphone », pas les deux."]
    if errors:
        raise ValidationError(errors)


def fields_of(data: BeneficiaryData) -> dict[str, Any]:
    values = dataclasses.asdict(data)
    values["commune"] = data.commune  # asdict() would deep-copy the model instance
    values["first_name"] = data.first_name.strip()
    values["last_name"] = data.last_name.strip()
    values["email"] = data.email.strip().lower()
    return values


@transaction.atomic
def create_beneficiary(*, actor: User, structure: Structure, data: BeneficiaryData) -> Beneficiary:
    """An identified beneficiary in the file shared by the structure's members."""
    if not is_member(actor, structure):
        raise PermissionDenied("Vous n’êtes pas membre de cette structure.")
    validate_beneficiary_data(data)
    values = fields_of(data)
    beneficiary = Beneficiary.objects.create(
        structure=structure, created_by=actor, is_anonymous=False, **values
    )
    record(
        actor=actor,
        action=AuditAction.CREATE,
        target=beneficiary,
        structure_id=structure.pk,
        fields=[name for name, value in values.items() if value not in ("", None)],
    )
    return beneficiary


@transaction.atomic
def update_beneficiary(*, actor: User, beneficiary: Beneficiary, data: BeneficiaryData) -> None:
    if not is_member(actor, beneficiary.structure) or beneficiary.is_anonymous:
        raise PermissionDenied("Vous ne pouvez pas modifier ce bénéficiaire.")
    validate_beneficiary_data(data)
    changed = []
    for name, value in fields_of(data).items():
        if getattr(beneficiary, name) != value:
            setattr(beneficiary, name, value)
            changed.append(name)
    if not changed:
        return
    beneficiary.save(update_fields=[*changed, "updated_at"])
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=beneficiary,
        structure_id=beneficiary.structure_id,
        fields=changed,
    )


def read_personal_data(*, actor: AnyUser, beneficiary: Beneficiary) -> dict[str, Any]:
    """The person's personal fields, for a member of the structure; the read is journaled.

    Anyone else gets `Beneficiary.DoesNotExist` (a view turns it into a 404).
    """
    if not Beneficiary.objects.visible_to(actor).filter(pk=beneficiary.pk).exists():
        raise Beneficiary.DoesNotExist
    record(
        actor=actor,
        action=AuditAction.READ,
        target=beneficiary,
        structure_id=beneficiary.structure_id,
        fields=PERSONAL_FIELDS,
    )
    return {name: getattr(beneficiary, name) for name in PERSONAL_FIELDS}

# ruff: noqa: RUF001 — typographic apostrophes are part of the reference labels.
"""Recording, editing and deleting coordination activities.

The rules of La Coop's animation, évènement and partenariat validations (§2 of the domain
reference) are checked here whatever the caller; messages are French and keyed by field (a
partner structure's by its line: `partner_structures`). Each write goes to the audit journal.
"""

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from maillon.accounts.models import AnyUser, Role, User, acts_as
from maillon.activities.models import Tag
from maillon.activities.tags import usable_by_coordinator
from maillon.activities.vocabulary import MAX_DURATION_MINUTES
from maillon.coordination.models import CoordinationActivity
from maillon.coordination.vocabulary import (
    EchelonTerritorial,
    Initiative,
    NaturePartenariat,
    Organisateur,
    ThematiqueAnimation,
    TypeActiviteCoordination,
    TypeAnimation,
    TypeEvenement,
    TypeStructurePartenaire,
)
from maillon.core.audit import record
from maillon.core.models import AuditAction

OTHER = "autre"


@dataclasses.dataclass(frozen=True)
class PartnerStructure:
    name: str
    type: str
    type_other: str = ""

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "type": self.type, "type_other": self.type_other}


@dataclasses.dataclass(frozen=True)
class CoordinationData:
    """A coordination activity as typed in the form; fields of the other types are ignored."""

    type: str
    date: dt.date | None
    duration_minutes: int | None = None
    name: str = ""
    territorial_level: str = ""
    notes: str = ""
    tags: Sequence[Tag] = ()
    # Animation
    mediators_count: int | None = None
    structures_count: int | None = None
    other_actors_count: int | None = None
    animation_type: str = ""
    animation_type_other: str = ""
    initiative: str = ""
    animation_themes: Sequence[str] = ()
    animation_theme_other: str = ""
    # Évènement
    participants_count: int | None = None
    event_type: str = ""
    event_type_other: str = ""
    organisers: Sequence[str] = ()
    organiser_other: str = ""
    # Partenariat
    partnership_natures: Sequence[str] = ()
    partnership_nature_other: str = ""
    partner_structures: Sequence[PartnerStructure] = ()


def may_record(user: AnyUser) -> bool:
    """A coordinateur (or an administrator, who acts as every role)."""
    return acts_as(user, Role.COORDINATOR)


def _check_codes(
    errors: dict[str, list[str]], field: str, codes: Sequence[str], allowed: Sequence[str]
) -> None:
    unknown = [code for code in codes if code not in allowed]
    if unknown:
        errors.setdefault(field, []).append(f"Valeur inconnue : {', '.join(unknown)}.")


def _validate_animation(data: CoordinationData, add: Any) -> None:
    if data.duration_minutes is None:
        add("duration_minutes", "Veuillez renseigner la durée de l’animation.")
    counts = (data.mediators_count, data.structures_count, data.other_actors_count)
    if any(count is not None and count < 0 for count in counts):
        add("mediators_count", "Les nombres de participants sont positifs.")
    elif not any(count for count in counts):
        add(
            "mediators_count",
            "Veuillez renseigner au moins un médiateur, une structure ou un autre acteur",
        )
    if not data.animation_type:
        add("animation_type", "Veuillez renseigner un type d’animation")
    elif data.animation_type not in TypeAnimation.values:
        add("animation_type", "Type d’animation inconnu.")
    elif data.animation_type == OTHER and not data.animation_type_other.strip():
        add("animation_type_other", "Veuillez préciser le type d’animation")
    if data.initiative and data.initiative not in Initiative.values:
        add("initiative", "Valeur inconnue.")
    if not data.animation_themes:
        add("animation_themes", "Veuillez renseigner au moins une thématique d’animation")
    if OTHER in data.animation_themes and not data.animation_theme_other.strip():
        add("animation_theme_other", "Veuillez préciser la thématique d’animation")


def _validate_event(data: CoordinationData, add: Any) -> None:
    if data.participants_count is None:
        add("participants_count", "Veuillez renseigner le nombre de participants.")
    elif data.participants_count < 0:
        add("participants_count", "Le nombre de participants doit être positif")
    if not data.event_type:
        add("event_type", "Veuillez renseigner un type d’évènement")
    elif data.event_type not in TypeEvenement.values:
        add("event_type", "Type d’évènement inconnu.")
    elif data.event_type == OTHER and not data.event_type_other.strip():
        add("event_type_other", "Veuillez préciser le type d’évènement")
    if not data.organisers:
        add("organisers", "Veuillez renseigner au moins un organisateur")
    if OTHER in data.organisers and not data.organiser_other.strip():
        add("organiser_other", "Veuillez préciser l’organisateur")


def _validate_partnership(data: CoordinationData, add: Any) -> None:
    if not data.partnership_natures:
        add("partnership_natures", "Veuillez renseigner au moins une nature de partenariat")
    if OTHER in data.partnership_natures and not data.partnership_nature_other.strip():
        add("partnership_nature_other", "Veuillez préciser la nature du partenariat")
    if not data.partner_structures:
        add("partner_structures", "Au moins une structure partenaire est requise")
    for line, partner in enumerate(data.partner_structures, start=1):
        where = f"Structure partenaire {line} : "
        if not partner.name.strip():
            add("partner_structures", where + "veuillez renseigner son nom.")
        if not partner.type:
            add("partner_structures", where + "veuillez renseigner son type.")
        elif partner.type not in TypeStructurePartenaire.values:
            add("partner_structures", where + "type inconnu.")
        elif partner.type == OTHER and not partner.type_other.strip():
            add("partner_structures", where + "veuillez préciser le type de structure.")


def validate(*, actor: User, data: CoordinationData) -> None:
    """Raise a ValidationError naming each field that breaks a rule."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if data.type not in TypeActiviteCoordination.values:
        add("type", "Veuillez choisir le type d’activité de coordination.")
    if data.date is None:
        add("date", "Veuillez renseigner la date de l’activité.")
    elif data.date > timezone.localdate():
        add("date", "La date ne peut pas être dans le futur.")
    if data.duration_minutes is not None and not 0 < data.duration_minutes <= MAX_DURATION_MINUTES:
        add("duration_minutes", "La durée doit être comprise entre 1 minute et 23 h 59.")
    if data.territorial_level and data.territorial_level not in EchelonTerritorial.values:
        add("territorial_level", "Échelon territorial inconnu.")
    _check_codes(errors, "animation_themes", data.animation_themes, ThematiqueAnimation.values)
    _check_codes(errors, "organisers", data.organisers, Organisateur.values)
    _check_codes(errors, "partnership_natures", data.partnership_natures, NaturePartenariat.values)
    if data.type == TypeActiviteCoordination.ANIMATION:
        _validate_animation(data, add)
    elif data.type == TypeActiviteCoordination.EVENEMENT:
        _validate_event(data, add)
    elif data.type == TypeActiviteCoordination.PARTENARIAT:
        _validate_partnership(data, add)
    usable = set(
        usable_by_coordinator(actor)
        .filter(pk__in=[tag.pk for tag in data.tags])
        .values_list("pk", flat=True)
    )
    if any(tag.pk not in usable for tag in data.tags):
        add("tags", "Cette étiquette n’est pas disponible pour vous.")
    if errors:
        raise ValidationError(errors)


# Columns of each type, blanked for the other types.
_TYPE_COLUMNS: dict[str, tuple[str, ...]] = {
    TypeActiviteCoordination.ANIMATION: (
        "mediators_count",
        "structures_count",
        "other_actors_count",
        "animation_type",
        "animation_type_other",
        "initiative",
        "animation_themes",
        "animation_theme_other",
    ),
    TypeActiviteCoordination.EVENEMENT: (
        "participants_count",
        "event_type",
        "event_type_other",
        "organisers",
        "organiser_other",
        "territorial_level",
    ),
    TypeActiviteCoordination.PARTENARIAT: (
        "partnership_natures",
        "partnership_nature_other",
        "partner_structures",
        "territorial_level",
    ),
}
_COMMON = ("type", "date", "duration_minutes", "name", "notes")
_COLUMNS = (*_COMMON, *dict.fromkeys(c for cs in _TYPE_COLUMNS.values() for c in cs))
# Free-text « précisez » columns, kept only when their list or choice says « Autre ».
_OTHER_OF = {
    "animation_type_other": "animation_type",
    "animation_theme_other": "animation_themes",
    "event_type_other": "event_type",
    "organiser_other": "organisers",
    "partnership_nature_other": "partnership_natures",
}
_NULLABLE = {
    "mediators_count",
    "structures_count",
    "other_actors_count",
    "participants_count",
}
_LISTS = {"animation_themes", "organisers", "partnership_natures"}
_EMPTY: dict[str, Any] = {"partner_structures": []} | {name: [] for name in _LISTS}


def _ordered(codes: Sequence[str], allowed: Sequence[str]) -> list[str]:
    wanted = set(codes)
    return [code for code in allowed if code in wanted]


def _apply(activity: CoordinationActivity, data: CoordinationData) -> None:
    kept = _TYPE_COLUMNS[data.type]
    values: dict[str, Any] = {
        "type": data.type,
        "date": data.date,
        "duration_minutes": data.duration_minutes,
        "name": data.name.strip(),
        "notes": data.notes,
        "mediators_count": data.mediators_count,
        "structures_count": data.structures_count,
        "other_actors_count": data.other_actors_count,
        "animation_type": data.animation_type,
        "animation_type_other": data.animation_type_other.strip(),
        "initiative": data.initiative,
        "animation_themes": _ordered(data.animation_themes, ThematiqueAnimation.values),
        "animation_theme_other": data.animation_theme_other.strip(),
        "participants_count": data.participants_count,
        "event_type": data.event_type,
        "event_type_other": data.event_type_other.strip(),
        "organisers": _ordered(data.organisers, Organisateur.values),
        "organiser_other": data.organiser_other.strip(),
        "territorial_level": data.territorial_level,
        "partnership_natures": _ordered(data.partnership_natures, NaturePartenariat.values),
        "partnership_nature_other": data.partnership_nature_other.strip(),
        "partner_structures": [
            dataclasses.replace(
                p,
                name=p.name.strip(),
                type_other=p.type_other.strip() if p.type == OTHER else "",
            ).as_json()
            for p in data.partner_structures
        ],
    }
    for column, source in _OTHER_OF.items():
        chosen = values[source]
        if not (chosen == OTHER or (isinstance(chosen, list) and OTHER in chosen)):
            values[column] = ""
    for column in _COLUMNS:
        if column in _COMMON or column in kept:
            setattr(activity, column, values[column])
        else:
            setattr(activity, column, _EMPTY.get(column, None if column in _NULLABLE else ""))


def _snapshot(activity: CoordinationActivity) -> dict[str, Any]:
    return {column: getattr(activity, column) for column in _COLUMNS}


@transaction.atomic
def record_coordination(*, actor: User, data: CoordinationData) -> CoordinationActivity:
    """Record a coordination activity by its coordinateur."""
    if not may_record(actor):
        raise PermissionDenied("Seuls les coordinateurs saisissent des activités de coordination.")
    validate(actor=actor, data=data)
    activity = CoordinationActivity(coordinator=actor)
    _apply(activity, data)
    activity.save()
    activity.tags.set(data.tags)
    record(
        actor=actor,
        action=AuditAction.CREATE,
        target=activity,
        fields=[name for name, value in _snapshot(activity).items() if value not in ("", None, [])],
    )
    return activity


def _check_editable(actor: User, activity: CoordinationActivity) -> None:
    if not CoordinationActivity.objects.editable_by(actor).filter(pk=activity.pk).exists():
        raise PermissionDenied("Seul l’auteur de l’activité de coordination le peut.")


@transaction.atomic
def update_coordination(
    *, actor: User, activity: CoordinationActivity, data: CoordinationData
) -> CoordinationActivity:
    """Edit a coordination activity: its author only. The type never changes."""
    _check_editable(actor, activity)
    if data.type != activity.type:
        raise ValidationError({"type": "Le type d’une activité de coordination ne change pas."})
    validate(actor=actor, data=data)
    before = _snapshot(activity)
    tags_before = set(activity.tags.values_list("pk", flat=True))
    _apply(activity, data)
    activity.save()
    activity.tags.set(data.tags)
    changed = [name for name, value in _snapshot(activity).items() if before[name] != value]
    if {tag.pk for tag in data.tags} != tags_before:
        changed.append("tags")
    record(actor=actor, action=AuditAction.UPDATE, target=activity, fields=changed)
    return activity


@transaction.atomic
def delete_coordination(*, actor: User, activity: CoordinationActivity) -> None:
    """Soft delete: the row stays for the journal but leaves every list and count."""
    _check_editable(actor, activity)
    now = timezone.now()
    CoordinationActivity.objects.filter(pk=activity.pk).update(deleted_at=now)
    activity.deleted_at = now
    record(actor=actor, action=AuditAction.DELETE, target=activity)

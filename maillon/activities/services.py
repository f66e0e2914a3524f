# ruff: noqa: RUF001, RUF003 — typographic apostrophes are part of the reference labels.
"""Recording, editing and deleting activity reports (CRA).

Every rule of activites-et-beneficiaires.md §1.9 is checked here, whatever the caller (form,
import, API); messages are French and keyed by field. Each write appends to the audit journal.
"""

import dataclasses
import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from maillon.accounts.models import Structure, User
from maillon.activities.models import Accompaniment, Activity, Tag
from maillon.activities.participants import (
    DIMENSIONS,
    AnonymousParticipants,
    anonymous_participants_of,
    expand,
    refresh_counts,
)
from maillon.activities.statistics import aggregates, tracking
from maillon.activities.vocabulary import (
    MAX_DURATION_MINUTES,
    THEMATIQUES_ADMINISTRATIVES,
    TYPES_LIEU_WITH_COMMUNE,
    Autonomie,
    Materiel,
    NiveauAtelier,
    StructureRedirection,
    Thematique,
    TypeActivite,
    TypeLieu,
)
from maillon.beneficiaries.models import Beneficiary, Genre, StatutSocial, TrancheAge
from maillon.beneficiaries.services import is_member
from maillon.core.audit import record
from maillon.core.models import AuditAction
from maillon.places.models import Place
from maillon.places.vocabulary import Itinerance
from maillon.territory.models import Commune


@dataclasses.dataclass(frozen=True)
class AnonymousPerson:
    """The person of an individual session when no followed beneficiary is chosen."""

    already_accompanied: bool = False  # « J’ai déjà accompagné ce bénéficiaire »
    genre: str = Genre.NON_COMMUNIQUE
    age_bracket: str = TrancheAge.NON_COMMUNIQUE
    statut_social: str = StatutSocial.NON_COMMUNIQUE
    commune: Commune | None = None


@dataclasses.dataclass(frozen=True)
class ActivityData:
    """An activity report as typed in the form (or sent by an import or the API)."""

    type: str
    structure: Structure
    date: dt.date | None
    duration_minutes: int | None
    place_kind: str
    place: Place | None = None
    commune: Commune | None = None
    equipment: Sequence[str] = ()
    themes: Sequence[str] = ()
    procedure_name: str = ""
    autonomy: str = ""
    redirected: bool = False
    redirect_category: str = ""
    workshop_title: str = ""
    workshop_level: str = ""
    notes: str = ""
    tags: Sequence[Tag] = ()
    # Individual: the followed beneficiary, or None for an anonymous person.
    beneficiary: Beneficiary | None = None
    anonymous: AnonymousPerson = dataclasses.field(default_factory=AnonymousPerson)
    # Collective: followed participants plus counters of anonymous ones.
    participants: Sequence[Beneficiary] = ()
    anonymous_participants: AnonymousParticipants = dataclasses.field(
        default_factory=AnonymousParticipants
    )


# Activity columns written from ActivityData; what the journal lists when they change.
_COLUMNS = (
    "type",
    "structure_id",
    "date",
    "duration_minutes",
    "place_kind",
    "place_id",
    "commune_id",
    "is_itinerant",
    "equipment",
    "themes",
    "procedure_name",
    "autonomy",
    "redirected",
    "redirect_category",
    "workshop_title",
    "workshop_level",
    "notes",
)


def _check_codes(
    errors: dict[str, list[str]], field: str, codes: Sequence[str], allowed: Sequence[str]
) -> None:
    unknown = [code for code in codes if code not in allowed]
    if unknown:
        errors.setdefault(field, []).append(f"Valeur inconnue : {', '.join(unknown)}.")


def _validate_counters(errors: dict[str, list[str]], counters: AnonymousParticipants) -> None:
    field = "anonymous_participants"
    if counters.total < 0 or counters.already_accompanied < 0:
        errors.setdefault(field, []).append("Les nombres de participants sont positifs.")
        return
    if counters.already_accompanied > counters.total:
        errors.setdefault(field, []).append(
            "Le nombre de participants déjà accompagnés ne doit pas dépasser le nombre total "
            f"de participants anonymes ({counters.total})."
        )
    labels = {"genres": "genre", "age_brackets": "tranche d’âge", "statuts": "statut"}
    for name, (_column, categories) in DIMENSIONS.items():
        counts: dict[str, int] = dict(getattr(counters, name))
        if any(code not in categories for code in counts) or any(n < 0 for n in counts.values()):
            errors.setdefault(field, []).append(f"Catégorie de {labels[name]} invalide.")
        elif sum(counts.values()) > counters.total:
            errors.setdefault(field, []).append(
                f"La somme des participants par {labels[name]} ne doit pas dépasser le nombre "
                f"total de participants anonymes ({counters.total})."
            )


def _validate_beneficiaries(
    errors: dict[str, list[str]], field: str, people: Sequence[Beneficiary], data: ActivityData
) -> None:
    for person in people:
        if (
            person.structure_id != data.structure.pk
            or person.is_anonymous
            or person.deleted_at is not None
            or person.merged_into_id is not None
        ):
            errors.setdefault(field, []).append(
                "Ce bénéficiaire ne fait pas partie des bénéficiaires suivis de la structure."
            )
            return
    if len({person.pk for person in people}) != len(people):
        errors.setdefault(field, []).append("Un bénéficiaire est indiqué deux fois.")


def validate(*, actor: User, data: ActivityData) -> None:
    """Raise a ValidationError naming each field that breaks a rule of §1.9."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    is_individual = data.type == TypeActivite.INDIVIDUEL
    is_collective = data.type == TypeActivite.COLLECTIF
    if not (is_individual or is_collective):
        add("type", "Veuillez choisir le type d’activité.")
    if data.date is None:
        add("date", "Veuillez renseigner la date de l’accompagnement.")
    elif data.date > timezone.localdate():
        add("date", "La date ne peut pas être dans le futur.")
    if data.duration_minutes is None:
        add("duration_minutes", "Veuillez renseigner la durée de l’accompagnement.")
    elif not 0 < data.duration_minutes <= MAX_DURATION_MINUTES:
        add("duration_minutes", "La durée doit être comprise entre 1 minute et 23 h 59.")

    if data.place_kind not in TypeLieu.values:
        add("place_kind", "Veuillez renseigner un lieu d’accompagnement")
    elif data.place_kind == TypeLieu.LIEU_ACTIVITE and data.place is None:
        add("place", "Veuillez renseigner le lieu d’activité.")
    elif data.place_kind in TYPES_LIEU_WITH_COMMUNE and data.commune is None:
        add("commune", "Veuillez renseigner la commune du lieu d’accompagnement.")
    if data.place is not None and data.place_kind != TypeLieu.LIEU_ACTIVITE:
        add(
            "place", "Un lieu d’activité ne se choisit qu’avec le type de lieu « Lieu d’activité »."
        )

    _check_codes(errors, "equipment", data.equipment, Materiel.values)
    _check_codes(errors, "themes", data.themes, Thematique.values)
    if not data.themes:
        add("themes", "Veuillez renseigner au moins une thématique.")
    has_administrative_help = Thematique.AIDE_AUX_DEMARCHES_ADMINISTRATIVES in data.themes
    if not has_administrative_help:
        if THEMATIQUES_ADMINISTRATIVES.intersection(data.themes):
            add(
                "themes",
                "Les thématiques de démarches administratives ne peuvent être choisies qu’avec "
                "la thématique « Aide aux démarches administratives ».",
            )
        if data.procedure_name.strip():
            add(
                "procedure_name",
                "Le nom de la démarche administrative ne peut être renseigné qu’avec la "
                "thématique « Aide aux démarches administratives ».",
            )

    if is_individual:
        if data.autonomy and data.autonomy not in Autonomie.values:
            add("autonomy", "Niveau d’autonomie invalide.")
        if data.redirect_category and data.redirect_category not in StructureRedirection.values:
            add("redirect_category", "Structure de redirection invalide.")
        if data.redirected and not data.redirect_category:
            add("redirect_category", "Veuillez renseigner la structure de redirection.")
        if data.redirect_category and not data.redirected:
            add(
                "redirect_category",
                "Une structure de redirection suppose un bénéficiaire réorienté.",
            )
        if data.workshop_title or data.workshop_level:
            add(
                "workshop_title",
                "Le nom et le niveau de l’atelier concernent un atelier collectif.",
            )
        if data.participants or data.anonymous_participants.total:
            add("participants", "Un accompagnement individuel concerne un seul bénéficiaire.")
        if data.beneficiary is not None:
            _validate_beneficiaries(errors, "beneficiary", [data.beneficiary], data)
        else:
            person = data.anonymous
            if (
                person.genre not in Genre.values
                or person.age_bracket not in TrancheAge.values
                or person.statut_social not in StatutSocial.values
            ):
                add("anonymous", "Catégorie de bénéficiaire invalide.")
    if is_collective:
        if data.workshop_level and data.workshop_level not in NiveauAtelier.values:
            add("workshop_level", "Niveau de l’atelier invalide.")
        if data.autonomy:
            add("autonomy", "Le niveau d’autonomie concerne un accompagnement individuel.")
        if data.redirected or data.redirect_category:
            add("redirected", "La réorientation concerne un accompagnement individuel.")
        if data.beneficiary is not None:
            add("beneficiary", "Un atelier collectif indique ses participants.")
        _validate_beneficiaries(errors, "participants", list(data.participants), data)
        _validate_counters(errors, data.anonymous_participants)
        if not data.participants and data.anonymous_participants.total <= 0:
            add("participants", "Veuillez renseigner au moins un participant.")

    usable = set(
        Tag.objects.usable_by(actor, data.structure)
        .filter(pk__in=[tag.pk for tag in data.tags])
        .values_list("pk", flat=True)
    )
    if any(tag.pk not in usable for tag in data.tags):
        add("tags", "Cette étiquette n’est pas disponible pour vous.")
    if errors:
        raise ValidationError(errors)


def _apply(activity: Activity, data: ActivityData) -> None:
    activity.type = data.type
    activity.structure = data.structure
    assert data.date is not None and data.duration_minutes is not None
    activity.date = data.date
    activity.duration_minutes = data.duration_minutes
    activity.place_kind = data.place_kind
    activity.place = data.place if data.place_kind == TypeLieu.LIEU_ACTIVITE else None
    activity.is_itinerant = False
    if data.place_kind == TypeLieu.LIEU_ACTIVITE and data.place is not None:
        # An itinerant place stops in several communes: the stop's commune is recorded.
        activity.is_itinerant = Itinerance.ITINERANT.value in data.place.itinerance
        if activity.is_itinerant and data.commune is not None:
            activity.commune = data.commune
        else:
            activity.commune = data.place.commune_ref
    elif data.place_kind == TypeLieu.A_DISTANCE:
        activity.commune = data.structure.commune
    else:
        activity.commune = data.commune
    activity.set_equipment(data.equipment)
    activity.set_themes(data.themes)
    activity.procedure_name = data.procedure_name.strip()
    is_individual = data.type == TypeActivite.INDIVIDUEL
    activity.autonomy = data.autonomy if is_individual else ""
    activity.redirected = data.redirected if is_individual else False
    activity.redirect_category = data.redirect_category if is_individual else ""
    activity.workshop_title = "" if is_individual else data.workshop_title.strip()
    activity.workshop_level = "" if is_individual else data.workshop_level
    activity.notes = data.notes


def _snapshot(activity: Activity) -> dict[str, Any]:
    return {column: getattr(activity, column) for column in _COLUMNS}


def _new_anonymous(
    activity: Activity, actor: User, attributes: dict[str, Any], *, random_: bool
) -> Beneficiary:
    return Beneficiary(
        structure_id=activity.structure_id,
        created_by=actor,
        is_anonymous=True,
        is_randomly_attributed=random_,
        **attributes,
    )


def _sync_participants(
    activity: Activity, data: ActivityData, actor: User, rng: random.Random
) -> tuple[set[int], bool]:
    """Make the accompaniments match `data`; return the beneficiaries touched and whether the
    participants changed."""
    existing = list(activity.accompaniments.select_related("beneficiary"))
    followed = {a.beneficiary_id for a in existing if not a.beneficiary.is_anonymous}
    anonymous = [a.beneficiary for a in existing if a.beneficiary.is_anonymous]
    if data.type == TypeActivite.INDIVIDUEL:
        wanted = {data.beneficiary.pk} if data.beneficiary is not None else set()
    else:
        wanted = {person.pk for person in data.participants}
    touched = followed | wanted
    changed = followed != wanted
    Accompaniment.objects.filter(activity=activity, beneficiary_id__in=followed - wanted).delete()
    Accompaniment.objects.bulk_create(
        Accompaniment(activity=activity, beneficiary_id=pk) for pk in sorted(wanted - followed)
    )
    for pk in followed ^ wanted:
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=Beneficiary(pk=pk),
            structure_id=activity.structure_id,
            fields=["accompaniments"],
        )

    new_anonymous: list[Beneficiary] = []
    keep_anonymous = False
    if data.type == TypeActivite.INDIVIDUEL and data.beneficiary is None:
        person = data.anonymous
        attributes = {
            "genre": person.genre,
            "age_bracket": person.age_bracket,
            "statut_social": person.statut_social,
            "commune": person.commune,
            "was_already_accompanied": person.already_accompanied,
        }
        if len(anonymous) == 1 and not anonymous[0].is_randomly_attributed:
            keep_anonymous = True
            current = anonymous[0]
            if any(getattr(current, name) != value for name, value in attributes.items()):
                for name, value in attributes.items():
                    setattr(current, name, value)
                current.save(update_fields=[*attributes, "updated_at"])
                changed = True
            touched.add(current.pk)
        else:
            new_anonymous = [_new_anonymous(activity, actor, attributes, random_=False)]
    elif data.type == TypeActivite.COLLECTIF:
        counters = data.anonymous_participants.normalised()
        if anonymous and anonymous_participants_of(activity) == counters:
            keep_anonymous = all(person.is_randomly_attributed for person in anonymous)
        if not keep_anonymous:
            new_anonymous = [
                _new_anonymous(activity, actor, attributes, random_=True)
                for attributes in expand(counters, rng)
            ]
    if not keep_anonymous and anonymous:
        changed = True
        Accompaniment.objects.filter(
            activity=activity, beneficiary__in=[person.pk for person in anonymous]
        ).delete()
        Beneficiary.objects.filter(pk__in=[person.pk for person in anonymous]).delete()
    if new_anonymous:
        changed = True
        created = Beneficiary.objects.bulk_create(new_anonymous, batch_size=500)
        # PostgreSQL and SQLite ≥ 3.35 return the primary keys of bulk-created rows.
        Accompaniment.objects.bulk_create(
            [Accompaniment(activity=activity, beneficiary=person) for person in created],
            batch_size=500,
        )
        touched.update(person.pk for person in created)
    return touched, changed


def _followed_in(data: ActivityData) -> list[int]:
    """The followed beneficiaries a report names (their statistics move with it)."""
    people = [data.beneficiary] if data.beneficiary is not None else list(data.participants)
    return [person.pk for person in people]


@transaction.atomic
def record_activity(*, actor: User, data: ActivityData, seed: int | None = None) -> Activity:
    """Record a CRA for `data.structure`, of which the actor must be a mediator or manager.

    `seed` makes the random attribution of collective counters reproducible (tests, generator).
    """
    if not is_member(actor, data.structure):
        raise PermissionDenied("Vous n’êtes pas membre de cette structure.")
    validate(actor=actor, data=data)
    activity = Activity(mediator=actor)
    _apply(activity, data)
    people_before = tracking.snapshot_people(_followed_in(data))
    activity.save()
    activity.tags.set(data.tags)
    touched, _changed = _sync_participants(activity, data, actor, random.Random(seed))  # noqa: S311 (attribution, not secrecy)
    refresh_counts(activity_ids=[activity.pk], beneficiary_ids=touched)
    aggregates.replace([], [activity.pk])
    tracking.replace_people(people_before, touched)
    activity.refresh_from_db()
    record(
        actor=actor,
        action=AuditAction.CREATE,
        target=activity,
        structure_id=activity.structure_id,
        fields=[name for name, value in _snapshot(activity).items() if value not in ("", None, [])],
    )
    return activity


def _check_editable(actor: User, activity: Activity) -> None:
    if not Activity.objects.editable_by(actor).filter(pk=activity.pk).exists():
        raise PermissionDenied("Seuls l’auteur et les responsables de la structure le peuvent.")


@transaction.atomic
def update_activity(
    *, actor: User, activity: Activity, data: ActivityData, seed: int | None = None
) -> Activity:
    """Edit a CRA: its author, or a manager of its structure. Collective counters left
    unchanged keep their anonymous rows; changed counters draw new ones."""
    _check_editable(actor, activity)
    if data.structure.pk != activity.structure_id and not is_member(
        activity.mediator, data.structure
    ):
        raise PermissionDenied("L’auteur de l’activité n’est pas membre de cette structure.")
    validate(actor=actor, data=data)
    statistics_before = aggregates.snapshot([activity.pk])
    people_before = tracking.snapshot_people(
        [*activity.accompaniments.values_list("beneficiary_id", flat=True), *_followed_in(data)]
    )
    before = _snapshot(activity)
    tags_before = set(activity.tags.values_list("pk", flat=True))
    _apply(activity, data)
    activity.save()
    activity.tags.set(data.tags)
    with tracking.tracked(people_before.ids):
        touched, participants_changed = _sync_participants(
            activity,
            data,
            actor,
            random.Random(seed),  # noqa: S311 (attribution, not secrecy)
        )
    refresh_counts(activity_ids=[activity.pk], beneficiary_ids=touched)
    aggregates.replace(statistics_before, [activity.pk])
    tracking.replace_people(people_before, touched)
    activity.refresh_from_db()
    changed = [name for name, value in _snapshot(activity).items() if before[name] != value]
    if {tag.pk for tag in data.tags} != tags_before:
        changed.append("tags")
    if participants_changed:
        changed.append("participants")
    record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=activity,
        structure_id=activity.structure_id,
        fields=changed,
    )
    return activity


@transaction.atomic
def delete_activity(*, actor: User, activity: Activity) -> None:
    """Soft delete: the row stays (audit, history) but leaves every count and statistic; the
    anonymous people who existed only through it are deleted with it."""
    _check_editable(actor, activity)
    statistics_before = aggregates.snapshot([activity.pk])
    beneficiary_ids = list(activity.accompaniments.values_list("beneficiary_id", flat=True))
    people_before = tracking.snapshot_people(beneficiary_ids)
    now = timezone.now()
    Activity.objects.filter(pk=activity.pk).update(deleted_at=now)
    activity.deleted_at = now
    Beneficiary.objects.filter(pk__in=beneficiary_ids, is_anonymous=True).update(deleted_at=now)
    refresh_counts(activity_ids=[activity.pk], beneficiary_ids=beneficiary_ids)
    aggregates.replace(statistics_before, [activity.pk])
    tracking.replace_people(people_before)
    record(
        actor=actor,
        action=AuditAction.DELETE,
        target=activity,
        structure_id=activity.structure_id,
    )

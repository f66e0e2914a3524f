# ruff: noqa: RUF001 — typographic apostrophes are part of the French messages checked.
"""Every rule of the coordination activities (domain §2, La Coop's validations)."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from maillon.activities.vocabulary import TagScope
from maillon.coordination.models import CoordinationActivity
from maillon.coordination.services import (
    PartnerStructure,
    delete_coordination,
    record_coordination,
    update_coordination,
)
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
from maillon.core.models import AuditAction, AuditEvent
from tests.coordination.conftest import Coordinators
from tests.factories.activities import TagFactory, Teams
from tests.factories.coordination import coordination_data

ANIMATION = TypeActiviteCoordination.ANIMATION
EVENEMENT = TypeActiviteCoordination.EVENEMENT
PARTENARIAT = TypeActiviteCoordination.PARTENARIAT


def errors_of(teams: Teams, kind: str, **fields: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        record_coordination(actor=teams.coordinator, data=coordination_data(kind, **fields))
    return raised.value.message_dict


def test_the_enumerations_are_the_references() -> None:
    assert TypeActiviteCoordination.choices == [
        ("animation", "Animation"),
        ("evenement", "Évènement"),
        ("partenariat", "Partenariat"),
    ]
    assert EchelonTerritorial.values == [
        "communal",
        "intercommunal",
        "departemental",
        "regional",
        "national",
    ]
    assert TypeAnimation.values == [
        "assemblee",
        "comite",
        "groupe_de_travail",
        "echange",
        "reunion_coordination",
        "webinaire",
        "autre",
    ]
    assert Initiative.values == ["initiative", "demande"]
    assert ThematiqueAnimation.values == [
        "partage",
        "reseau",
        "soutien",
        "professionnel",
        "rh",
        "autre",
    ]
    assert TypeEvenement.values == [
        "grand_public",
        "national",
        "inclusion_numerique",
        "nec_local",
        "autre",
    ]
    assert len(Organisateur.values) == 11
    assert NaturePartenariat.RDV_ELU.label == "Rendez-vous avec un·e élu·e"
    assert TypeStructurePartenaire.values[-1] == "autre"


@pytest.mark.parametrize("kind", [ANIMATION, EVENEMENT, PARTENARIAT])
def test_a_coordinator_records_each_type_and_it_is_journaled(teams: Teams, kind: str) -> None:
    activity = record_coordination(actor=teams.coordinator, data=coordination_data(kind))

    assert activity.type == kind
    assert activity.coordinator == teams.coordinator
    event = AuditEvent.objects.get(object_id=str(activity.pk))
    assert event.action == AuditAction.CREATE
    assert "date" in event.fields


@pytest.mark.parametrize("who", ["mediator_a", "manager_a", "stranger"])
def test_only_a_coordinator_records(teams: Teams, who: str) -> None:
    with pytest.raises(PermissionDenied):
        record_coordination(actor=getattr(teams, who), data=coordination_data())
    assert not CoordinationActivity.objects.exists()


def test_an_administrator_acts_as_a_coordinator(teams: Teams) -> None:
    activity = record_coordination(actor=teams.administrator, data=coordination_data())

    assert activity.coordinator == teams.administrator


def test_date_is_required_and_not_in_the_future(teams: Teams) -> None:
    assert errors_of(teams, ANIMATION, date=None)["date"] == [
        "Veuillez renseigner la date de l’activité."
    ]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert errors_of(teams, EVENEMENT, date=tomorrow)["date"] == [
        "La date ne peut pas être dans le futur."
    ]


def test_an_animation_needs_a_duration_a_type_a_theme_and_someone(teams: Teams) -> None:
    errors = errors_of(
        teams,
        ANIMATION,
        duration_minutes=None,
        animation_type="",
        animation_themes=(),
        mediators_count=None,
    )

    assert errors["duration_minutes"] == ["Veuillez renseigner la durée de l’animation."]
    assert errors["animation_type"] == ["Veuillez renseigner un type d’animation"]
    assert errors["animation_themes"] == ["Veuillez renseigner au moins une thématique d’animation"]
    assert errors["mediators_count"] == [
        "Veuillez renseigner au moins un médiateur, une structure ou un autre acteur"
    ]


def test_a_duration_stays_within_a_day(teams: Teams) -> None:
    assert errors_of(teams, ANIMATION, duration_minutes=24 * 60)["duration_minutes"] == [
        "La durée doit être comprise entre 1 minute et 23 h 59."
    ]


def test_other_choices_must_be_specified(teams: Teams) -> None:
    animation = errors_of(teams, ANIMATION, animation_type="autre", animation_themes=("autre",))
    event = errors_of(teams, EVENEMENT, event_type="autre", organisers=("hub", "autre"))
    partnership = errors_of(teams, PARTENARIAT, partnership_natures=("autre",))

    assert animation["animation_type_other"] == ["Veuillez préciser le type d’animation"]
    assert animation["animation_theme_other"] == ["Veuillez préciser la thématique d’animation"]
    assert event["event_type_other"] == ["Veuillez préciser le type d’évènement"]
    assert event["organiser_other"] == ["Veuillez préciser l’organisateur"]
    assert partnership["partnership_nature_other"] == ["Veuillez préciser la nature du partenariat"]


def test_an_event_needs_its_type_participants_and_an_organiser(teams: Teams) -> None:
    errors = errors_of(teams, EVENEMENT, event_type="", participants_count=None, organisers=())

    assert errors["event_type"] == ["Veuillez renseigner un type d’évènement"]
    assert errors["participants_count"] == ["Veuillez renseigner le nombre de participants."]
    assert errors["organisers"] == ["Veuillez renseigner au moins un organisateur"]
    assert errors_of(teams, EVENEMENT, participants_count=-1)["participants_count"] == [
        "Le nombre de participants doit être positif"
    ]


def test_a_partnership_names_each_partner_by_its_line(teams: Teams) -> None:
    assert errors_of(teams, PARTENARIAT, partner_structures=())["partner_structures"] == [
        "Au moins une structure partenaire est requise"
    ]
    errors = errors_of(
        teams,
        PARTENARIAT,
        partnership_natures=(),
        partner_structures=(
            PartnerStructure(name="Mairie de Laval", type="commune"),
            PartnerStructure(name="", type="autre"),
        ),
    )
    assert errors["partnership_natures"] == [
        "Veuillez renseigner au moins une nature de partenariat"
    ]
    assert errors["partner_structures"] == [
        "Structure partenaire 2 : veuillez renseigner son nom.",
        "Structure partenaire 2 : veuillez préciser le type de structure.",
    ]


def test_unknown_codes_are_refused(teams: Teams) -> None:
    errors = errors_of(
        teams, ANIMATION, animation_themes=("inconnue",), territorial_level="cantonal"
    )

    assert errors["animation_themes"] == ["Valeur inconnue : inconnue."]
    assert errors["territorial_level"] == ["Échelon territorial inconnu."]


def test_fields_of_the_other_types_are_not_kept(teams: Teams) -> None:
    activity = record_coordination(
        actor=teams.coordinator,
        data=coordination_data(
            ANIMATION,
            participants_count=40,
            organisers=("hub",),
            territorial_level="regional",
            animation_type_other="ignored: type is not « Autre »",
        ),
    )

    assert activity.participants_count is None
    assert activity.organisers == []
    assert activity.territorial_level == ""
    assert activity.animation_type_other == ""


def test_tags_must_be_the_coordinators_or_of_his_departement(
    coordinators: Coordinators,
) -> None:
    teams = coordinators.teams
    own = TagFactory.create(personal=True, owner_user=teams.coordinator)
    mayenne = TagFactory.create(
        scope=TagScope.TERRITORY, owner_structure=None, owner_departement=teams.laval.departement
    )
    sarthe = TagFactory.create(
        scope=TagScope.TERRITORY, owner_structure=None, owner_departement=teams.le_mans.departement
    )

    activity = record_coordination(
        actor=teams.coordinator, data=coordination_data(tags=(own, mayenne))
    )
    assert set(activity.tags.all()) == {own, mayenne}
    assert errors_of(teams, ANIMATION, tags=(sarthe,))["tags"] == [
        "Cette étiquette n’est pas disponible pour vous."
    ]


def test_only_the_author_edits_or_deletes(coordinators: Coordinators) -> None:
    teams = coordinators.teams
    activity = record_coordination(actor=teams.coordinator, data=coordination_data())

    for actor in (coordinators.other, teams.administrator):
        with pytest.raises(PermissionDenied):
            update_coordination(actor=actor, activity=activity, data=coordination_data())
        with pytest.raises(PermissionDenied):
            delete_coordination(actor=actor, activity=activity)


def test_an_edit_journals_the_changed_fields_and_keeps_the_type(teams: Teams) -> None:
    activity = record_coordination(actor=teams.coordinator, data=coordination_data())

    update_coordination(
        actor=teams.coordinator,
        activity=activity,
        data=coordination_data(structures_count=3),
    )
    event = AuditEvent.objects.get(object_id=str(activity.pk), action=AuditAction.UPDATE)
    assert event.fields == ["structures_count"]
    with pytest.raises(ValidationError):
        update_coordination(
            actor=teams.coordinator, activity=activity, data=coordination_data(EVENEMENT)
        )


def test_a_deletion_is_soft_and_journaled(teams: Teams) -> None:
    activity = record_coordination(actor=teams.coordinator, data=coordination_data())

    delete_coordination(actor=teams.coordinator, activity=activity)

    activity.refresh_from_db()
    assert activity.deleted_at is not None
    assert not CoordinationActivity.objects.editable_by(teams.coordinator).exists()
    assert AuditEvent.objects.filter(object_id=str(activity.pk), action=AuditAction.DELETE).exists()

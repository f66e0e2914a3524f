# ruff: noqa: RUF001 — typographic apostrophes are part of the reference labels.
"""Every validation rule of activites-et-beneficiaires.md §1.9, through record_activity()."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from maillon.activities.models import Activity
from maillon.activities.participants import AnonymousParticipants
from maillon.activities.services import record_activity
from maillon.activities.vocabulary import Thematique, TypeActivite, TypeLieu
from tests.factories.activities import TagFactory, Teams, activity_data
from tests.factories.beneficiaries import BeneficiaryFactory


def errors_of(teams: Teams, **fields: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        record_activity(actor=teams.mediator_a, data=activity_data(teams.a, **fields))
    assert not Activity.objects.exists()
    return raised.value.message_dict


def test_it_records_a_valid_individual_session(teams: Teams) -> None:
    activity = record_activity(actor=teams.mediator_a, data=activity_data(teams.a))
    assert activity.type == TypeActivite.INDIVIDUEL
    assert activity.participants_count == 1


def test_it_requires_a_date(teams: Teams) -> None:
    assert "date" in errors_of(teams, date=None)


def test_it_refuses_a_date_in_the_future(teams: Teams) -> None:
    assert "date" in errors_of(teams, date=dt.date.today() + dt.timedelta(days=2))


@pytest.mark.parametrize("minutes", [None, 0, 24 * 60])
def test_it_requires_a_duration_within_a_day(teams: Teams, minutes: int | None) -> None:
    assert "duration_minutes" in errors_of(teams, duration_minutes=minutes)


def test_it_accepts_a_custom_duration(teams: Teams) -> None:
    data = activity_data(teams.a, duration_minutes=23 * 60 + 59)
    assert record_activity(actor=teams.mediator_a, data=data).duration_minutes == 1439


def test_it_requires_a_place_kind_with_the_reference_message(teams: Teams) -> None:
    assert errors_of(teams, place_kind="") == {
        "place_kind": ["Veuillez renseigner un lieu d’accompagnement"]
    }


def test_it_requires_the_place_of_a_lieu_d_activite(teams: Teams) -> None:
    assert "place" in errors_of(teams, place_kind=TypeLieu.LIEU_ACTIVITE)


@pytest.mark.parametrize("kind", [TypeLieu.DOMICILE, TypeLieu.AUTRE])
def test_it_requires_a_commune_at_home_and_elsewhere(teams: Teams, kind: str) -> None:
    assert "commune" in errors_of(teams, place_kind=kind)


def test_it_refuses_a_place_with_another_place_kind(teams: Teams) -> None:
    assert "place" in errors_of(
        teams, place_kind=TypeLieu.AUTRE, commune=teams.laval, place=teams.place
    )


def test_it_requires_at_least_one_thematique(teams: Teams) -> None:
    assert "themes" in errors_of(teams, themes=())


def test_it_refuses_an_unknown_thematique_or_equipment(teams: Teams) -> None:
    errors = errors_of(teams, themes=("cuisine",), equipment=("fax",))
    assert "themes" in errors and "equipment" in errors


def test_it_refuses_administrative_thematiques_without_the_administrative_help(
    teams: Teams,
) -> None:
    assert "themes" in errors_of(teams, themes=(Thematique.EMAIL, Thematique.LOGEMENT))


def test_it_refuses_a_procedure_name_without_the_administrative_help(teams: Teams) -> None:
    assert "procedure_name" in errors_of(teams, procedure_name="Demande de RSA")


def test_it_accepts_administrative_thematiques_with_the_administrative_help(
    teams: Teams,
) -> None:
    data = activity_data(
        teams.a,
        themes=(Thematique.LOGEMENT, Thematique.AIDE_AUX_DEMARCHES_ADMINISTRATIVES),
        procedure_name="Demande d’APL",
    )
    activity = record_activity(actor=teams.mediator_a, data=data)
    assert activity.themes == ["aide_aux_demarches_administratives", "logement"]
    assert activity.procedure_name == "Demande d’APL"


def test_it_requires_a_redirect_category_when_redirected(teams: Teams) -> None:
    assert "redirect_category" in errors_of(teams, redirected=True)


def test_it_keeps_workshop_fields_for_collective_sessions(teams: Teams) -> None:
    assert "workshop_title" in errors_of(teams, workshop_title="Atelier")


def test_it_keeps_autonomy_and_redirection_for_individual_sessions(teams: Teams) -> None:
    errors = errors_of(
        teams, collective=True, autonomy="autonome", redirected=True, redirect_category="autre"
    )
    assert "autonomy" in errors and "redirected" in errors


def test_a_collective_session_needs_at_least_one_participant(teams: Teams) -> None:
    errors = errors_of(teams, collective=True, anonymous_participants=AnonymousParticipants())
    assert errors == {"participants": ["Veuillez renseigner au moins un participant."]}


def test_a_followed_participant_is_enough_for_a_collective_session(teams: Teams) -> None:
    person = BeneficiaryFactory.create(structure=teams.a)
    data = activity_data(
        teams.a,
        collective=True,
        participants=[person],
        anonymous_participants=AnonymousParticipants(),
    )
    assert record_activity(actor=teams.mediator_a, data=data).participants_count == 1


def test_already_accompanied_participants_may_not_exceed_the_total(teams: Teams) -> None:
    errors = errors_of(
        teams,
        collective=True,
        anonymous_participants=AnonymousParticipants(total=2, already_accompanied=3),
    )
    assert errors["anonymous_participants"] == [
        "Le nombre de participants déjà accompagnés ne doit pas dépasser le nombre total de "
        "participants anonymes (2)."
    ]


@pytest.mark.parametrize(
    "counters",
    [
        AnonymousParticipants(total=3, genres={"masculin": 2, "feminin": 2}),
        AnonymousParticipants(total=3, age_brackets={"moins_de_douze": 4}),
        AnonymousParticipants(
            total=3, statuts={"retraite": 1, "en_emploi": 1, "sans_emploi": 1, "scolarise": 1}
        ),
    ],
)
def test_each_partial_sum_may_not_exceed_the_total(
    teams: Teams, counters: AnonymousParticipants
) -> None:
    errors = errors_of(teams, collective=True, anonymous_participants=counters)
    assert "ne doit pas dépasser le nombre total" in errors["anonymous_participants"][0]


def test_it_refuses_a_category_outside_the_enumeration(teams: Teams) -> None:
    errors = errors_of(
        teams,
        collective=True,
        anonymous_participants=AnonymousParticipants(total=3, genres={"non_communique": 1}),
    )
    assert "anonymous_participants" in errors


def test_it_refuses_a_beneficiary_of_another_structure(teams: Teams) -> None:
    other = BeneficiaryFactory.create(structure=teams.b)
    assert "beneficiary" in errors_of(teams, beneficiary=other)


def test_it_refuses_a_tag_the_mediator_cannot_use(teams: Teams) -> None:
    assert "tags" in errors_of(teams, tags=[TagFactory.create(owner_structure=teams.b)])


def test_it_accepts_personal_structure_and_territory_tags(teams: Teams) -> None:
    tags = [
        TagFactory.create(personal=True, owner_user=teams.mediator_a),
        TagFactory.create(owner_structure=teams.a),
        TagFactory.create(territory=True, owner_departement=teams.laval.departement),
    ]
    activity = record_activity(actor=teams.mediator_a, data=activity_data(teams.a, tags=tags))
    assert set(activity.tags.all()) == set(tags)

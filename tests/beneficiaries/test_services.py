"""Writes on beneficiaries and audited reads of their personal data."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from maillon.beneficiaries.models import PERSONAL_FIELDS, Beneficiary
from maillon.beneficiaries.services import (
    BeneficiaryData,
    create_beneficiary,
    read_personal_data,
    update_beneficiary,
)
from maillon.core.models import AuditAction, AuditEvent
from tests.factories.activities import Teams
from tests.factories.beneficiaries import BeneficiaryFactory


def test_a_member_creates_a_beneficiary_and_it_is_journaled(teams: Teams) -> None:
    person = create_beneficiary(
        actor=teams.mediator_a,
        structure=teams.a,
        data=BeneficiaryData(
            first_name=" Aïcha ",
            last_name="Benali",
            email="Aicha@Exemple.fr",
            information_notice_given_on=dt.date(2026, 10, 1),
        ),
    )
    assert (person.first_name, person.email) == ("Aïcha", "aicha@exemple.fr")
    assert person.created_by == teams.mediator_a and not person.is_anonymous
    event = AuditEvent.objects.about(person).get()
    assert event.action == AuditAction.CREATE
    assert "information_notice_given_on" in event.fields
    assert "Aïcha" not in str(event.fields)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"first_name": "", "last_name": "Benali"}, "first_name"),
        ({"first_name": "Aïcha", "last_name": " "}, "last_name"),
        ({"first_name": "A", "last_name": "B", "birth_year": 1899}, "birth_year"),
        (
            {"first_name": "A", "last_name": "B", "birth_year": dt.date.today().year + 1},
            "birth_year",
        ),
        ({"first_name": "A", "last_name": "B", "phone": "0243", "has_no_phone": True}, "phone"),
        ({"first_name": "A", "last_name": "B", "genre": "autre"}, "genre"),
    ],
)
def test_it_names_the_invalid_field(teams: Teams, fields: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        create_beneficiary(
            actor=teams.mediator_a,
            structure=teams.a,
            data=BeneficiaryData(**fields),  # type: ignore[arg-type]
        )
    assert field in raised.value.message_dict


def test_it_accepts_the_current_year_and_1900(teams: Teams) -> None:
    for year in (1900, dt.date.today().year):
        data = BeneficiaryData(first_name="A", last_name="B", birth_year=year)
        create_beneficiary(actor=teams.mediator_a, structure=teams.a, data=data)


def test_the_database_refuses_an_identified_person_without_names(teams: Teams) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        BeneficiaryFactory.create(structure=teams.a, first_name="")


@pytest.mark.parametrize("who", ["mediator_b", "coordinator", "administrator", "stranger"])
def test_outsiders_cannot_create_or_update(teams: Teams, who: str) -> None:
    person = BeneficiaryFactory.create(structure=teams.a)
    data = BeneficiaryData(first_name="A", last_name="B")
    with pytest.raises(PermissionDenied):
        create_beneficiary(actor=getattr(teams, who), structure=teams.a, data=data)
    with pytest.raises(PermissionDenied):
        update_beneficiary(actor=getattr(teams, who), beneficiary=person, data=data)


def test_an_update_journals_the_changed_field_names_only(teams: Teams) -> None:
    person = BeneficiaryFactory.create(structure=teams.a, first_name="Léa", last_name="Roux")
    update_beneficiary(
        actor=teams.colleague_a,
        beneficiary=person,
        data=BeneficiaryData(first_name="Léa", last_name="Roux", notes="Rappeler lundi"),
    )
    event = AuditEvent.objects.about(person).get()
    assert (event.action, event.fields, event.actor) == (
        AuditAction.UPDATE,
        ["notes"],
        teams.colleague_a,
    )


def test_reading_personal_data_is_journaled(teams: Teams) -> None:
    person = BeneficiaryFactory.create(structure=teams.a, with_contact=True)
    data = read_personal_data(actor=teams.manager_a, beneficiary=person)
    assert data["email"] == "dominique@exemple.fr"
    assert set(data) == set(PERSONAL_FIELDS)
    event = AuditEvent.objects.about(person).get()
    assert event.action == AuditAction.READ
    assert event.actor == teams.manager_a
    assert event.structure_id == teams.a.pk


@pytest.mark.parametrize("who", ["mediator_b", "coordinator", "administrator", "stranger"])
def test_outsiders_cannot_read_personal_data(teams: Teams, who: str) -> None:
    person = BeneficiaryFactory.create(structure=teams.a, with_contact=True)
    with pytest.raises(Beneficiary.DoesNotExist):
        read_personal_data(actor=getattr(teams, who), beneficiary=person)
    assert not AuditEvent.objects.about(person).exists()

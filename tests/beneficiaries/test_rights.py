"""Right of access (everything about one person) and erasure (personal fields blanked, statistics
kept), both journaled."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Count

from maillon.activities.models import Accompaniment, Activity
from maillon.activities.vocabulary import Autonomie, Thematique
from maillon.beneficiaries.models import PERSONAL_FIELDS, Beneficiary, TrancheAge
from maillon.beneficiaries.rights import access_export, erase
from maillon.beneficiaries.trajectory import trajectory_summary
from maillon.core.models import AuditAction, AuditEvent
from tests.beneficiaries.helpers import accompany
from tests.factories.activities import Teams
from tests.factories.beneficiaries import BeneficiaryFactory


def full_person(teams: Teams) -> Beneficiary:
    return BeneficiaryFactory.create(
        structure=teams.a,
        created_by=teams.mediator_a,
        first_name="Josette",
        last_name="Lebrun",
        phone="+33243000001",
        email="josette@exemple.fr",
        birth_year=1950,
        address="3 rue de la Paix",
        commune=teams.laval,
        genre="feminin",
        statut_social="retraite",
        notes="Préfère le matin",
        information_notice_given_on=dt.date(2026, 3, 1),
    )


def statistics(teams: Teams) -> dict[str, Any]:
    """What the statistics read about beneficiaries and accompaniments."""
    people = Beneficiary.objects.filter(structure=teams.a)
    return {
        "people": people.count(),
        "identified": people.filter(is_anonymous=False).count(),
        "by_genre": dict(people.values_list("genre").annotate(n=Count("pk"))),
        "by_statut": dict(people.values_list("statut_social").annotate(n=Count("pk"))),
        "by_tranche": sorted(person.tranche_age for person in people),
        "accompaniments": Accompaniment.objects.filter(beneficiary__structure=teams.a).count(),
        "first": Accompaniment.objects.filter(is_first=True).count(),
        "activities_by_commune": dict(
            Activity.objects.values_list("commune_id").annotate(n=Count("pk"))
        ),
        "counts": sorted(people.values_list("accompaniments_count", flat=True)),
        "trajectory": trajectory_summary(people).overall,
    }


def test_the_access_export_holds_every_personal_field_and_every_accompaniment(
    teams: Teams,
) -> None:
    person = full_person(teams)
    accompany(
        person,
        by=teams.colleague_a,
        on=dt.date(2026, 4, 2),
        autonomy=Autonomie.AUTONOME,
        themes=[Thematique.EMAIL],
    )

    export = access_export(actor=teams.mediator_a, beneficiary=person)

    identity = export["beneficiaire"]
    assert set(PERSONAL_FIELDS) <= set(identity)
    assert identity["last_name"] == "Lebrun"
    assert identity["information_notice_given_on"] == "2026-03-01"
    assert identity["commune"] == str(teams.laval)
    assert identity["genre"] == "Féminin"
    [step] = export["accompagnements"]
    assert step["date"] == "2026-04-02"
    assert step["autonomie"] == "Autonome"
    assert step["thematiques"] == ["E-mail"]
    reads = AuditEvent.objects.about(person).filter(action=AuditAction.READ)
    assert reads.count() == 2
    assert {field for event in reads for field in event.fields} >= {
        *PERSONAL_FIELDS,
        "accompaniments",
    }


@pytest.mark.parametrize("who", ["mediator_b", "coordinator", "administrator", "stranger"])
def test_the_access_export_is_refused_outside_the_structure(teams: Teams, who: str) -> None:
    person = full_person(teams)
    with pytest.raises(Beneficiary.DoesNotExist):
        access_export(actor=getattr(teams, who), beneficiary=person)
    assert not AuditEvent.objects.about(person).filter(action=AuditAction.READ).exists()


def test_erasure_blanks_every_personal_field_and_keeps_the_statistics(teams: Teams) -> None:
    person = full_person(teams)
    colleague = BeneficiaryFactory.create(structure=teams.a, created_by=teams.mediator_a)
    accompany(
        person, by=teams.mediator_a, on=dt.date(2026, 4, 1), autonomy="partiellement_autonome"
    )
    accompany(person, by=teams.mediator_a, on=dt.date(2026, 5, 1), autonomy="autonome")
    accompany(colleague, by=teams.mediator_a, on=dt.date(2026, 5, 1))
    before = statistics(teams)

    assert erase(actor=teams.colleague_a, beneficiary=person)

    person.refresh_from_db()
    assert statistics(teams) == before
    assert person.anonymised_at is not None
    blank = BeneficiaryFactory.build(first_name="", last_name="")
    for name in PERSONAL_FIELDS:
        assert getattr(person, name) == getattr(blank, name), name
    assert person.search_key == ""
    # Born in 1950: 76 this year, frozen as 70 ans et plus.
    assert person.age_bracket == TrancheAge.SOIXANTE_DIX_PLUS
    assert person.genre == "feminin"
    assert person.statut_social == "retraite"
    assert str(person) == f"Bénéficiaire anonyme n° {person.pk}"
    row = Beneficiary.objects.filter(pk=person.pk).values()[0]
    for value in ["Josette", "Lebrun", "+33243000001", "josette@exemple.fr", 1950, "Paix"]:
        assert not any(
            value == cell or (isinstance(cell, str) and str(value) in cell) for cell in row.values()
        ), value
    event = AuditEvent.objects.about(person).filter(action=AuditAction.UPDATE).latest("pk")
    assert event.actor == teams.colleague_a
    assert set(event.fields) == {*PERSONAL_FIELDS, "anonymised_at"}


def test_erasing_twice_changes_nothing(teams: Teams) -> None:
    person = full_person(teams)
    assert erase(actor=teams.mediator_a, beneficiary=person)
    person.refresh_from_db()
    when = person.anonymised_at

    assert not erase(actor=teams.mediator_a, beneficiary=person)

    person.refresh_from_db()
    assert person.anonymised_at == when
    assert AuditEvent.objects.about(person).filter(action=AuditAction.UPDATE).count() == 1


@pytest.mark.parametrize("who", ["mediator_b", "coordinator", "administrator", "stranger"])
def test_erasure_is_refused_outside_the_structure(teams: Teams, who: str) -> None:
    person = full_person(teams)
    with pytest.raises(PermissionDenied):
        erase(actor=getattr(teams, who), beneficiary=person)
    person.refresh_from_db()
    assert person.last_name == "Lebrun"


def test_a_manager_may_erase_too(teams: Teams) -> None:
    person = full_person(teams)
    assert erase(actor=teams.manager_a, beneficiary=person)


def test_erasure_with_a_frozen_clock_dates_itself_and_freezes_that_years_bracket(
    teams: Teams,
) -> None:
    # Born in 1987: 39 in 2026 (25 - 39 ans), 40 on the frozen day in 2027 (40 - 59 ans).
    person = BeneficiaryFactory.create(
        structure=teams.a, created_by=teams.mediator_a, birth_year=1987
    )
    frozen = dt.datetime(2027, 3, 1, 9, 30, tzinfo=dt.UTC)

    assert erase(actor=teams.mediator_a, beneficiary=person, now=frozen)
    assert not erase(actor=teams.mediator_a, beneficiary=person, now=frozen)

    person.refresh_from_db()
    assert person.anonymised_at == frozen
    assert (person.birth_year, person.age_bracket) == (None, TrancheAge.QUARANTE_CINQUANTE_NEUF)

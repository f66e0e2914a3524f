"""Retention: people without any accompaniment for 24 months are anonymised, with a frozen clock
(`today=`), through the same erasure; running the job twice changes nothing."""

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from maillon.activities.services import delete_activity
from maillon.beneficiaries.models import Beneficiary, PendingImport
from maillon.beneficiaries.rights import anonymise_inactive, retention_cutoff
from maillon.core.models import AuditAction, AuditEvent
from tests.beneficiaries.helpers import accompany
from tests.factories.activities import Teams
from tests.factories.beneficiaries import BeneficiaryFactory

TODAY = dt.date(2028, 6, 15)


def created_on(day: dt.date, teams: Teams) -> Beneficiary:
    person = BeneficiaryFactory.create(structure=teams.a, created_by=teams.mediator_a)
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    Beneficiary.objects.filter(pk=person.pk).update(created_at=moment)
    person.refresh_from_db()
    return person


def test_the_cutoff_is_24_months_before_today() -> None:
    assert retention_cutoff(TODAY) == dt.date(2026, 6, 15)
    assert retention_cutoff(dt.date(2028, 2, 29)) == dt.date(2026, 2, 28)


def test_it_anonymises_people_whose_last_accompaniment_is_older_than_24_months(
    teams: Teams,
) -> None:
    old = created_on(dt.date(2026, 1, 1), teams)
    accompany(old, by=teams.mediator_a, on=dt.date(2026, 6, 14))
    recent = created_on(dt.date(2026, 1, 1), teams)
    accompany(recent, by=teams.mediator_a, on=dt.date(2026, 1, 2))
    accompany(recent, by=teams.mediator_a, on=dt.date(2026, 6, 15))  # exactly 24 months: kept
    never_seen_old = created_on(dt.date(2026, 6, 1), teams)
    never_seen_new = created_on(dt.date(2026, 7, 1), teams)
    anonymous = BeneficiaryFactory.create(structure=teams.a, anonymous=True)

    result = anonymise_inactive(today=TODAY)

    assert (result.inactive, result.anonymised) == (2, 2)
    anonymised = set(Beneficiary.objects.filter(anonymised_at__isnull=False))
    assert anonymised == {old, never_seen_old}
    assert {recent, never_seen_new, anonymous}.isdisjoint(anonymised)
    old.refresh_from_db()
    assert old.last_name == ""
    assert old.accompaniments_count == 1
    event = AuditEvent.objects.about(old).get(action=AuditAction.UPDATE, actor__isnull=True)
    assert "last_name" in event.fields


def test_a_deleted_activity_is_not_a_contact(teams: Teams) -> None:
    person = created_on(dt.date(2026, 1, 1), teams)
    accompany(person, by=teams.mediator_a, on=dt.date(2026, 1, 2))
    late = accompany(person, by=teams.mediator_a, on=dt.date(2026, 10, 1))
    assert anonymise_inactive(today=TODAY, dry_run=True).inactive == 0

    delete_activity(actor=teams.mediator_a, activity=late)

    assert anonymise_inactive(today=TODAY, dry_run=True).inactive == 1


def test_a_dry_run_changes_nothing(teams: Teams) -> None:
    person = created_on(dt.date(2025, 1, 1), teams)

    result = anonymise_inactive(today=TODAY, dry_run=True)

    assert (result.inactive, result.anonymised) == (1, 0)
    person.refresh_from_db()
    assert person.anonymised_at is None
    assert not AuditEvent.objects.exists()


def test_the_command_is_safe_to_run_twice(teams: Teams) -> None:
    created_on(dt.date(2025, 1, 1), teams)
    created_on(dt.date(2025, 2, 1), teams)
    created_on(dt.date(2028, 1, 1), teams)

    dry = StringIO()
    call_command(
        "anonymise_inactive_beneficiaries", "--dry-run", "--today", "2028-06-15", stdout=dry
    )
    first = StringIO()
    call_command("anonymise_inactive_beneficiaries", "--today", "2028-06-15", stdout=first)
    second = StringIO()
    call_command("anonymise_inactive_beneficiaries", "--today", "2028-06-15", stdout=second)

    assert dry.getvalue().startswith("2 bénéficiaire(s) à anonymiser")
    assert first.getvalue().startswith("2 bénéficiaire(s) anonymisé(s) sur 2")
    assert second.getvalue().startswith("0 bénéficiaire(s) anonymisé(s) sur 0")
    assert Beneficiary.objects.filter(anonymised_at__isnull=False).count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE).count() == 2


def test_the_command_also_deletes_expired_import_analyses(teams: Teams) -> None:
    pending = PendingImport.objects.create(
        structure=teams.a, created_by=teams.mediator_a, file_name="f.xlsx", rows=[]
    )
    PendingImport.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=2)
    )
    out = StringIO()
    call_command("anonymise_inactive_beneficiaries", stdout=out)
    assert "1 analyse(s) d'import expirée(s) supprimée(s)." in out.getvalue()
    assert not PendingImport.objects.exists()

"""First accompaniment (§1.11) and pre-computed counts, after create, edit and delete."""

import datetime as dt

from maillon.activities.models import Accompaniment, Activity
from maillon.activities.participants import AnonymousParticipants
from maillon.activities.services import delete_activity, record_activity, update_activity
from maillon.beneficiaries.models import Beneficiary
from tests.factories.activities import Teams, activity_data
from tests.factories.beneficiaries import BeneficiaryFactory

OCT_1 = dt.date(2026, 10, 1)
OCT_10 = dt.date(2026, 10, 10)
OCT_20 = dt.date(2026, 10, 20)


def first_dates(person: Beneficiary) -> list[dt.date]:
    return [
        a.activity.date
        for a in Accompaniment.objects.filter(beneficiary=person, is_first=True).select_related(
            "activity"
        )
    ]


def assert_counts_equal_raw_rows() -> None:
    for activity in Activity.objects.all():
        assert activity.participants_count == activity.accompaniments.count()
    for person in Beneficiary.objects.all():
        raw = Accompaniment.objects.filter(
            beneficiary=person, activity__deleted_at__isnull=True
        ).count()
        assert person.accompaniments_count == raw


def individual(teams: Teams, person: Beneficiary, date: dt.date) -> Activity:
    return record_activity(
        actor=teams.mediator_a, data=activity_data(teams.a, beneficiary=person, date=date)
    )


def test_the_earliest_activity_carries_the_first_accompaniment(teams: Teams) -> None:
    person = BeneficiaryFactory.create(structure=teams.a)
    individual(teams, person, OCT_10)
    assert first_dates(person) == [OCT_10]
    individual(teams, person, OCT_1)  # recorded later, happened earlier
    individual(teams, person, OCT_20)
    assert first_dates(person) == [OCT_1]
    person.refresh_from_db()
    assert person.accompaniments_count == 3
    assert_counts_equal_raw_rows()


def test_moving_the_date_moves_the_first_accompaniment(teams: Teams) -> None:
    person = BeneficiaryFactory.create(structure=teams.a)
    early = individual(teams, person, OCT_1)
    individual(teams, person, OCT_10)
    update_activity(
        actor=teams.mediator_a,
        activity=early,
        data=activity_data(teams.a, beneficiary=person, date=OCT_20),
    )
    assert first_dates(person) == [OCT_10]
    update_activity(
        actor=teams.mediator_a,
        activity=early,
        data=activity_data(teams.a, beneficiary=person, date=dt.date(2026, 9, 1)),
    )
    assert first_dates(person) == [dt.date(2026, 9, 1)]
    assert_counts_equal_raw_rows()


def test_deleting_the_first_activity_hands_the_flag_to_the_next(teams: Teams) -> None:
    person = BeneficiaryFactory.create(structure=teams.a)
    early = individual(teams, person, OCT_1)
    individual(teams, person, OCT_10)
    delete_activity(actor=teams.mediator_a, activity=early)
    assert first_dates(person) == [OCT_10]
    person.refresh_from_db()
    assert person.accompaniments_count == 1
    assert Activity.objects.active().count() == 1
    assert_counts_equal_raw_rows()


def test_changing_the_beneficiary_recounts_both(teams: Teams) -> None:
    first, second = BeneficiaryFactory.create_batch(2, structure=teams.a)
    activity = individual(teams, first, OCT_1)
    update_activity(
        actor=teams.mediator_a,
        activity=activity,
        data=activity_data(teams.a, beneficiary=second, date=OCT_1),
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.accompaniments_count, second.accompaniments_count) == (0, 1)
    assert first_dates(second) == [OCT_1]
    assert_counts_equal_raw_rows()


def test_a_followed_participant_of_a_workshop_is_counted_like_an_individual(
    teams: Teams,
) -> None:
    person = BeneficiaryFactory.create(structure=teams.a)
    individual(teams, person, OCT_10)
    record_activity(
        actor=teams.mediator_a,
        data=activity_data(
            teams.a,
            collective=True,
            date=OCT_1,
            participants=[person],
            anonymous_participants=AnonymousParticipants(total=2, already_accompanied=1),
        ),
    )
    assert first_dates(person) == [OCT_1]
    assert_counts_equal_raw_rows()


def test_deleting_a_workshop_deletes_its_anonymous_participants(teams: Teams) -> None:
    workshop = record_activity(
        actor=teams.mediator_a,
        data=activity_data(
            teams.a, collective=True, anonymous_participants=AnonymousParticipants(total=4)
        ),
    )
    delete_activity(actor=teams.mediator_a, activity=workshop)
    assert Beneficiary.objects.active().count() == 0
    assert Beneficiary.objects.filter(accompaniments_count=0).count() == 4
    assert not Accompaniment.objects.filter(is_first=True).exists()
    assert_counts_equal_raw_rows()

"""Who may record, edit and delete a report, and the journal rows every write leaves."""

import pytest
from django.core.exceptions import PermissionDenied

from maillon.accounts.models import User
from maillon.activities.models import Activity
from maillon.activities.services import delete_activity, record_activity, update_activity
from maillon.core.models import AuditAction, AuditEvent
from tests.factories.activities import Teams, activity_data
from tests.factories.beneficiaries import BeneficiaryFactory


def test_a_manager_may_record_for_his_structure(teams: Teams) -> None:
    activity = record_activity(actor=teams.manager_a, data=activity_data(teams.a))
    assert activity.mediator == teams.manager_a


@pytest.mark.parametrize("who", ["mediator_b", "coordinator", "administrator", "stranger"])
def test_it_refuses_to_record_for_a_structure_one_is_not_member_of(teams: Teams, who: str) -> None:
    with pytest.raises(PermissionDenied):
        record_activity(actor=getattr(teams, who), data=activity_data(teams.a))
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("mediator_a", True),
        ("manager_a", True),
        ("colleague_a", False),
        ("mediator_b", False),
        ("coordinator", False),
        ("administrator", False),
    ],
)
def test_only_the_author_or_a_manager_edits_and_deletes(
    teams: Teams, who: str, allowed: bool
) -> None:
    activity = record_activity(actor=teams.mediator_a, data=activity_data(teams.a))
    actor: User = getattr(teams, who)
    data = activity_data(teams.a, duration_minutes=45)
    if allowed:
        update_activity(actor=actor, activity=activity, data=data)
        delete_activity(actor=actor, activity=activity)
        activity.refresh_from_db()
        assert activity.duration_minutes == 45 and activity.deleted_at is not None
    else:
        with pytest.raises(PermissionDenied):
            update_activity(actor=actor, activity=activity, data=data)
        with pytest.raises(PermissionDenied):
            delete_activity(actor=actor, activity=activity)


def test_a_deleted_activity_cannot_be_edited(teams: Teams) -> None:
    activity = record_activity(actor=teams.mediator_a, data=activity_data(teams.a))
    delete_activity(actor=teams.mediator_a, activity=activity)
    with pytest.raises(PermissionDenied):
        update_activity(actor=teams.mediator_a, activity=activity, data=activity_data(teams.a))


def test_every_write_is_journaled_with_field_names(teams: Teams) -> None:
    person = BeneficiaryFactory.create(structure=teams.a, notes="Santé fragile")
    activity = record_activity(
        actor=teams.mediator_a, data=activity_data(teams.a, beneficiary=person)
    )
    update_activity(
        actor=teams.mediator_a,
        activity=activity,
        data=activity_data(teams.a, beneficiary=person, duration_minutes=60, notes="RAS"),
    )
    delete_activity(actor=teams.mediator_a, activity=activity)
    rows = list(AuditEvent.objects.about(activity).order_by("id"))
    assert [row.action for row in rows] == [
        AuditAction.CREATE,
        AuditAction.UPDATE,
        AuditAction.DELETE,
    ]
    assert all(row.actor == teams.mediator_a and row.structure_id == teams.a.pk for row in rows)
    assert rows[1].fields == ["duration_minutes", "notes"]
    # The beneficiary's history changed: journaled on the beneficiary too, names only.
    about_person = AuditEvent.objects.about(person).get()
    assert about_person.fields == ["accompaniments"]
    assert "Santé" not in str(AuditEvent.objects.values_list("fields", flat=True)[::1])

"""The audit journal is append-only: through the ORM and, underneath it, in the database itself.

The database tests run on whatever database the suite uses: SQLite by default, PostgreSQL in CI.
"""

from collections.abc import Iterator, Sequence

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction

from maillon.core.audit import record
from maillon.core.models import AppendOnlyError, AuditAction, AuditEvent
from maillon.territory.models import Region
from tests.factories.territory import RegionFactory

pytestmark = pytest.mark.django_db


def execute_in_savepoint(*statements: str, params: Sequence[int | str] = ()) -> None:
    """Run raw SQL in a savepoint: on PostgreSQL a failed statement would otherwise abort the
    whole test transaction, and every later query in the test would fail too."""
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, params or None)


@pytest.fixture
def event() -> Iterator[AuditEvent]:
    yield record(
        actor=None, action=AuditAction.CREATE, target=RegionFactory.create(), fields=["name"]
    )


def test_it_records_actor_action_object_structure_and_sorted_field_names() -> None:
    actor = get_user_model().objects.create_user("mediatrice@example.org", "motdepasse-solide")
    region = RegionFactory.create()

    event = record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=region,
        structure_id=42,
        fields=["zone", "name", "code", "name"],
    )

    event.refresh_from_db()
    assert event.actor == actor
    assert event.action == AuditAction.UPDATE
    assert event.content_type == ContentType.objects.get_for_model(Region)
    assert event.object_id == str(region.pk)
    assert event.structure_id == 42
    assert event.fields == ["code", "name", "zone"]
    assert event.created_at is not None
    assert list(AuditEvent.objects.about(region)) == [event]


def test_it_keeps_field_names_and_never_values() -> None:
    changes = {"email": "alice.martin@example.org", "last_name": "Martin"}

    event = record(
        actor=None, action=AuditAction.UPDATE, target=RegionFactory.create(), fields=changes
    )

    event.refresh_from_db()
    assert event.fields == ["email", "last_name"]
    row = AuditEvent.objects.filter(pk=event.pk).values().get()
    assert "alice.martin@example.org" not in repr(row)
    assert "Martin" not in repr(row)


def test_it_records_no_actor_for_an_anonymous_visitor() -> None:
    event = record(actor=AnonymousUser(), action=AuditAction.READ, target=RegionFactory.create())

    assert event.actor is None
    assert event.fields == []


def test_the_model_refuses_to_save_an_existing_row(event: AuditEvent) -> None:
    event.action = AuditAction.DELETE

    with pytest.raises(AppendOnlyError):
        event.save()

    event.refresh_from_db()
    assert event.action == AuditAction.CREATE


def test_the_model_refuses_to_save_a_row_loaded_from_the_database(event: AuditEvent) -> None:
    loaded = AuditEvent.objects.get(pk=event.pk)

    with pytest.raises(AppendOnlyError):
        loaded.save(update_fields=["action"])


def test_the_model_refuses_delete(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        event.delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_queryset_refuses_update_and_delete(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action=AuditAction.DELETE)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.CREATE


def test_the_database_refuses_a_raw_update(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError, match="ajout seul"):
        execute_in_savepoint(
            "UPDATE core_auditevent SET action = %s, fields = %s WHERE id = %s",
            params=["delete", "[]", event.pk],
        )

    event.refresh_from_db()
    assert (event.action, event.fields) == (AuditAction.CREATE, ["name"])


def test_the_database_refuses_a_raw_delete(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError, match="ajout seul"):
        execute_in_savepoint("DELETE FROM core_auditevent")

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_database_refuses_a_bulk_update_through_the_base_manager(event: AuditEvent) -> None:
    # _base_manager is a plain Manager: the queryset guard does not apply, the trigger does.
    with pytest.raises(DatabaseError, match="ajout seul"), transaction.atomic():
        AuditEvent._base_manager.filter(pk=event.pk).update(object_id="0")

    event.refresh_from_db()
    assert event.object_id != "0"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="TRUNCATE n'existe que sur PostgreSQL"
)
def test_postgresql_refuses_truncate_of_a_journal_with_rows(event: AuditEvent) -> None:
    # The row's foreign keys are checked at commit; check them now, or PostgreSQL refuses
    # TRUNCATE for "pending trigger events" before our trigger has a say.
    with pytest.raises(DatabaseError, match="ajout seul"):
        execute_in_savepoint("SET CONSTRAINTS ALL IMMEDIATE", "TRUNCATE core_auditevent CASCADE")

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_database_still_accepts_inserts() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM core_auditevent")
        (before,) = cursor.fetchone()

    record(actor=None, action=AuditAction.READ, target=RegionFactory.create())

    assert AuditEvent.objects.count() == before + 1

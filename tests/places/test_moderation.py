"""Moderation of error reports: who sees which report, and what handling one does."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from maillon.accounts.models import User
from maillon.core.models import AuditEvent
from maillon.places.models import ErrorReport, Place, ReportStatus
from tests.accounts.conftest import World, world
from tests.factories.places import create_place

pytestmark = pytest.mark.django_db
# The accounts tests' world (one user per role, structures in Mayenne and Sarthe), reused as is.
__all__ = ["world"]


def html_of(response: Any) -> str:
    return str(response.content.decode())


def report_on(place: Place, **fields: Any) -> ErrorReport:
    values: dict[str, Any] = {
        "categories": ["horaires"],
        "message": "Fermé le samedi",
        "email": "habitant@example.org",
    }
    values.update(fields)
    return ErrorReport.objects.create(place=place, **values)


@pytest.fixture
def laval_place(world: World) -> Place:
    place = create_place(nom="EPN du CCAS", code_insee=world.laval.code_insee)
    Place.objects.filter(pk=place.pk).update(structure=world.structure)
    place.refresh_from_db()
    return place


@pytest.fixture
def le_mans_place(world: World) -> Place:
    return create_place(
        nom="EPN du Mans",
        code_insee=world.le_mans.code_insee,
        commune="Le Mans",
        code_postal="72000",
    )


def logged(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, laval_place: Place) -> None:
    report = report_on(laval_place)

    for url in [
        reverse("places:reports"),
        reverse("places:report_detail", args=[report.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    response = client.post(reverse("places:report_accept", args=[report.pk]))
    assert response.status_code == 302
    assert ErrorReport.objects.get().status == ReportStatus.NEW


@pytest.mark.parametrize("role", ["coordinator", "manager", "administrator"])
def test_allowed_roles_see_the_queue_and_the_report(
    client: Client, world: World, laval_place: Place, role: str
) -> None:
    report = report_on(laval_place)
    client = logged(client, getattr(world, role))

    listing = client.get(reverse("places:reports"))
    detail = client.get(reverse("places:report_detail", args=[report.pk]))

    assert listing.status_code == 200
    assert "EPN du CCAS" in html_of(listing)
    assert detail.status_code == 200
    assert "Fermé le samedi" in html_of(detail)
    assert f"/lieux/{laval_place.public_id}/modifier/" in html_of(detail)


@pytest.mark.parametrize("role", ["stranger", "mediator", "coordinator", "manager"])
def test_reports_outside_ones_scope_are_not_found(
    client: Client, world: World, le_mans_place: Place, role: str
) -> None:
    report = report_on(le_mans_place)
    client = logged(client, getattr(world, role))

    assert "EPN du Mans" not in html_of(client.get(reverse("places:reports")))
    assert client.get(reverse("places:report_detail", args=[report.pk])).status_code == 404
    assert client.post(reverse("places:report_accept", args=[report.pk])).status_code == 404
    assert ErrorReport.objects.get().status == ReportStatus.NEW


def test_pending_reports_come_first(client: Client, world: World, laval_place: Place) -> None:
    report_on(laval_place, message="ancien", status=ReportStatus.NEW)
    report_on(laval_place, message="traité", status=ReportStatus.REJECTED)
    client = logged(client, world.coordinator)

    html = html_of(client.get(reverse("places:reports")))

    assert html.index("À traiter") < html.index("Rejeté")


@pytest.mark.parametrize(
    ("url_name", "status"),
    [
        ("places:report_accept", ReportStatus.ACCEPTED),
        ("places:report_reject", ReportStatus.REJECTED),
    ],
)
def test_handling_a_report_records_it_and_erases_the_email(
    client: Client, world: World, laval_place: Place, url_name: str, status: ReportStatus
) -> None:
    report = report_on(laval_place)
    client = logged(client, world.manager)

    response = client.post(reverse(url_name, args=[report.pk]))

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == status
    assert report.handled_by == world.manager
    assert report.handled_at is not None
    assert report.email == ""
    event = AuditEvent.objects.get()
    assert event.actor == world.manager
    assert event.object_id == str(report.pk)
    assert event.structure_id == world.structure.pk
    assert "status" in event.fields


def test_a_report_is_handled_only_once(client: Client, world: World, laval_place: Place) -> None:
    report = report_on(laval_place, status=ReportStatus.REJECTED)
    client = logged(client, world.coordinator)

    client.post(reverse("places:report_accept", args=[report.pk]))

    report.refresh_from_db()
    assert report.status == ReportStatus.REJECTED
    assert not AuditEvent.objects.exists()


def test_handling_needs_a_post(client: Client, world: World, laval_place: Place) -> None:
    report = report_on(laval_place)
    client = logged(client, world.administrator)

    assert client.get(reverse("places:report_accept", args=[report.pk])).status_code == 405

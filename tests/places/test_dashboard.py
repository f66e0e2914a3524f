from django.test import Client
from django.urls import reverse

from maillon.accounts.models import User
from maillon.places.dashboard import panel
from maillon.places.models import ErrorReport, ReportCategory
from tests.places.test_editing import World, world

__all__ = ["world"]  # the fixture, imported for pytest


def _links(user: User) -> dict[str, int | None]:
    found = panel(user)
    return {} if found is None else {link.label: link.count for link in found.links}


def test_a_coordinator_sees_what_waits_on_their_territory(world: World) -> None:
    ErrorReport.objects.create(place=world.place, categories=[ReportCategory.HORAIRES.value])
    ErrorReport.objects.create(place=world.other_place, categories=[ReportCategory.ADRESSE.value])

    links = _links(world.coordinator)

    # The Laval place dates from 2023: « À actualiser »; the report on Le Mans is not theirs.
    assert links == {
        "Lieux à actualiser": 1,
        "Doublons à examiner": 0,
        "Signalements d'erreurs": 1,
    }


def test_a_manager_sees_their_places(world: World) -> None:
    assert _links(world.manager) == {"Mes lieux": 1, "Signalements d'erreurs": 0}


def test_a_mediator_gets_no_places_panel(world: World) -> None:
    assert panel(world.mediator) is None


def test_the_dashboard_shows_the_panel(client: Client, world: World) -> None:
    client.force_login(world.coordinator)

    page = client.get(reverse("accounts:dashboard"))

    assert "Lieux de médiation numérique" in page.content.decode()
    assert reverse("places:review_list") in page.content.decode()

import pytest
from django.test import Client
from django.urls import reverse

from maillon.places.models import ErrorReport
from tests.factories.accounts import MembershipFactory
from tests.factories.places import create_place


@pytest.fixture
def staff_client(client: Client, db: None) -> Client:
    user = MembershipFactory.create(administrator=True).user
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", ["source", "importrun", "place", "pairdecision", "errorreport"])
def test_the_admin_lists_places_data_read_only(staff_client: Client, model: str) -> None:
    place = create_place()
    ErrorReport.objects.create(place=place, categories=["horaires"], email="x@exemple.fr")

    page = staff_client.get(reverse(f"admin:places_{model}_changelist"))

    assert page.status_code == 200
    assert reverse(f"admin:places_{model}_add") not in page.content.decode()


def test_a_place_cannot_be_changed_in_the_admin(staff_client: Client) -> None:
    place = create_place(nom="Avant")

    staff_client.post(reverse("admin:places_place_change", args=[place.pk]), {"nom": "Après"})

    place.refresh_from_db()
    assert place.nom == "Avant"


def test_the_admin_does_not_show_the_reporters_email(staff_client: Client) -> None:
    report = ErrorReport.objects.create(
        place=create_place(), categories=["horaires"], email="personne@exemple.fr"
    )

    page = staff_client.get(reverse("admin:places_errorreport_change", args=[report.pk]))

    assert "personne@exemple.fr" not in page.content.decode()

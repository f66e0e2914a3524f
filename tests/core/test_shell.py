import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_reports_status_and_communes(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "communes": 0}


@pytest.mark.django_db
def test_home_is_public_and_french(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="fr"' in response.content.decode()


@pytest.mark.django_db
def test_home_offers_the_places_search_to_the_public(client: Client) -> None:
    html = client.get("/").content.decode()

    assert 'action="/lieux/"' in html
    assert 'name="q"' in html


@pytest.mark.django_db
def test_the_main_menu_links_the_public_diagnosis(client: Client) -> None:
    html = client.get(reverse("places:search")).content.decode()
    assert f'href="{reverse("diagnosis:france")}"' in html
    assert "Diagnostic territorial" in html

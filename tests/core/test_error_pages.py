import pytest
from django.template.loader import render_to_string
from django.test import Client


@pytest.mark.django_db
def test_an_unknown_address_gets_the_french_not_found_page(client: Client) -> None:
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "<title>Page introuvable — Maillon</title>" in content
    assert "n'existe pas" in content


def test_the_server_error_page_renders_without_a_request() -> None:
    html = render_to_string("500.html")
    assert "<title>Erreur du service — Maillon</title>" in html
    assert '<html lang="fr">' in html


@pytest.mark.django_db
def test_a_form_posted_without_its_token_gets_the_french_csrf_page() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/compte/connexion/", {"username": "a@b.fr", "password": "x"})
    assert response.status_code == 403
    assert "<title>Formulaire expiré — Maillon</title>" in response.content.decode()

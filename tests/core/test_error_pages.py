import pytest
from django.test import Client


@pytest.mark.django_db
def test_an_unknown_address_gets_the_french_not_found_page(client: Client) -> None:
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "<title>Page introuvable — Maillon</title>" in content
    assert "n'existe pas" in content

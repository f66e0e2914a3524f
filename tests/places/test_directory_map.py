"""Commune outlines under the map of a local search."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from maillon.places.views.directory import commune_outline_urls
from tests.factories.places import create_place
from tests.factories.territory import CommuneFactory, DepartementFactory

OUTLINES = Path(settings.BASE_DIR) / "static" / "maillon" / "places" / "communes"


@pytest.mark.django_db
def test_a_local_search_draws_the_communes_of_its_departement(client: Client) -> None:
    CommuneFactory.create(code_insee="53130", name="Laval")
    create_place(nom="EPN", code_insee="53130")

    page = client.get(reverse("places:map"), {"q": "Laval"}).content.decode()

    assert 'data-communes="/static/maillon/places/communes/53.geojson"' in page


@pytest.mark.django_db
def test_a_search_over_many_departements_keeps_to_their_outlines() -> None:
    places = [
        create_place(
            nom=f"Lieu {code}",
            code_insee=CommuneFactory.create(
                code_insee=f"{code}001", departement=DepartementFactory.create(code=code)
            ).code_insee,
        )
        for code in ("01", "02", "03", "04")
    ]

    assert commune_outline_urls(places[:3]) == [
        f"/static/maillon/places/communes/{code}.geojson" for code in ("01", "02", "03")
    ]
    assert commune_outline_urls(places) == []


def test_every_departement_has_its_commune_outlines() -> None:
    names = {path.stem for path in OUTLINES.glob("*.geojson")}

    assert len(names) == 101
    assert {"2A", "2B", "53", "974", "976"} <= names

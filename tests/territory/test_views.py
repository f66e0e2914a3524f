import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

pytestmark = pytest.mark.django_db

PAGES = [
    reverse("territory:search"),
    reverse("territory:search") + "?q=saint+etienne",
    reverse("territory:search") + "?q=53000",
    reverse("territory:region", args=["52"]),
    reverse("territory:region", args=["975"]),
    reverse("territory:departement", args=["53"]),
    reverse("territory:departement", args=["53"]) + "?page=2",
    reverse("territory:departement", args=["59"]),
    reverse("territory:epci", args=["200083392"]),
    reverse("territory:epci", args=["200046977"]),
    reverse("territory:commune", args=["53130"]),
    reverse("territory:commune", args=["97501"]),
    reverse("territory:commune", args=["38203"]),
]


def title(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.DOTALL)
    assert match is not None
    return match.group(1).strip()


def test_every_page_is_public_with_a_unique_title(client: Client) -> None:
    titles = []
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        titles.append(title(response.content.decode()))
    assert len(set(titles)) == len(titles), titles


@pytest.mark.parametrize(
    ("url_name", "code"),
    [
        ("territory:region", "99"),
        ("territory:departement", "00"),
        ("territory:epci", "123456789"),
        ("territory:commune", "99999"),
    ],
)
def test_an_unknown_code_is_not_found(client: Client, url_name: str, code: str) -> None:
    assert client.get(reverse(url_name, args=[code])).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        reverse("territory:search") + "?q=saint",
        reverse("territory:region", args=["84"]),
        reverse("territory:departement", args=["62"]),
        reverse("territory:epci", args=["200046977"]),
        reverse("territory:commune", args=["75056"]),
    ],
)
def test_pages_run_a_bounded_number_of_queries(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries, url: str
) -> None:
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200


def test_commune_page_shows_key_figures_postal_codes_and_epci(client: Client) -> None:
    html = client.get(reverse("territory:commune", args=["53130"])).content.decode()
    assert "<title>Laval (53130) — Commune" in html
    assert "49\xa0400" in html
    assert "53000" in html
    assert reverse("territory:epci", args=["200083392"]) in html
    assert "Indice de fragilité numérique" in html
    assert "4,9" in html  # IFN 4.88 rounded
    assert reverse("territory:departement", args=["53"]) in html  # breadcrumb


def test_departement_page_lists_communes_by_population_with_pages(client: Client) -> None:
    html = client.get(reverse("territory:departement", args=["53"])).content.decode()
    assert "<title>Mayenne (53) — Département" in html
    assert "240 communes" in html
    table = html[html.index('id="communes"') :]
    assert table.index("/communes/53130/") < table.index("/communes/53147/")
    assert "moyenne des communes du département pondérée par leur population" in html
    page_3 = client.get(reverse("territory:departement", args=["53"]) + "?page=3")
    assert "page 3 sur 3" in page_3.content.decode()


def test_search_page_links_to_the_18_regions_and_finds_communes(client: Client) -> None:
    html = client.get(reverse("territory:search")).content.decode()
    assert "Les 18 régions" in html
    assert reverse("territory:region", args=["53"]) in html
    html = client.get(reverse("territory:search") + "?q=saint-etienne").content.decode()
    assert reverse("territory:commune", args=["42218"]) in html


def test_app_templates_contain_no_design_system_class() -> None:
    from pathlib import Path

    from django.conf import settings

    for template in (Path(settings.BASE_DIR) / "templates" / "territory").glob("*.html"):
        assert not re.search(r"class=\"[^\"]*\bfr-", template.read_text()), template.name

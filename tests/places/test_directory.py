"""The public directory: search, map, printable list, CSV, detail page, « Signaler une erreur »."""

import csv
import datetime as dt
import io
import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from maillon.core.models import AuditEvent
from maillon.places.forms_directory import FILTER_GROUPS
from maillon.places.models import ErrorReport, Place
from maillon.places.record import LocationPrecision
from maillon.places.search import PlaceFilters
from maillon.places.views.place_sections import open_state
from tests.factories.places import create_place
from tests.factories.territory import CommuneFactory

pytestmark = pytest.mark.django_db

ALWAYS = "24/7"
NEVER = "Mo-Su off"
DASH = "\u2013"  # opening_hours.week_table writes intervals with an en dash
MORNING_AFTERNOON = f"09:00{DASH}12:00, 14:00{DASH}17:00"


def html_of(response: Any) -> str:
    return str(response.content.decode())


def title(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.DOTALL)
    assert match is not None
    return match.group(1).strip()


def listed(html: str) -> list[str]:
    """Names of the places in a result list (their card headings)."""
    return re.findall(r"<h3[^>]*><a href=\"/lieux/[^\"]+\">([^<]+)</a></h3>", html)


@pytest.fixture
def laval() -> str:
    return str(CommuneFactory.create(code_insee="53130", name="Laval").code_insee)


def test_every_directory_page_is_public_with_a_unique_title(client: Client, laval: str) -> None:
    place = create_place(nom="Médiathèque Jacques Demy", code_insee=laval)
    urls = [
        reverse("places:search"),
        reverse("places:search") + "?q=Laval",
        reverse("places:map"),
        reverse("places:print"),
        reverse("places:detail", args=[place.public_id]),
        reverse("places:report", args=[place.public_id]),
    ]

    titles = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        titles.append(title(html_of(response)))
    assert len(set(titles)) == len(titles), titles


def test_the_search_lists_places_of_the_commune_typed(client: Client, laval: str) -> None:
    create_place(nom="EPN de Laval", code_insee=laval)
    create_place(
        nom="EPN de Bordeaux",
        code_insee=CommuneFactory.create(
            code_insee="33063", name="Bordeaux", latitude=44.84, longitude=-0.58
        ).code_insee,
        commune="Bordeaux",
        code_postal="33000",
        latitude=44.84,
        longitude=-0.58,
    )

    html = html_of(client.get(reverse("places:search"), {"q": "Laval"}))

    assert listed(html) == ["EPN de Laval"]
    assert "1 lieu trouvé" in html


def test_the_open_now_filter_keeps_only_open_places(client: Client, laval: str) -> None:
    create_place(nom="Toujours ouvert", code_insee=laval, horaires=ALWAYS)
    create_place(nom="Jamais ouvert", code_insee=laval, horaires=NEVER)

    html = html_of(client.get(reverse("places:search"), {"q": "Laval", "ouvert_maintenant": "1"}))

    assert listed(html) == ["Toujours ouvert"]
    assert "Filtres actifs" in html
    assert re.search(r'id="filtre-ouvert_maintenant-1" value="1" checked', html)


def test_enum_filters_are_or_within_and_between(client: Client, laval: str) -> None:
    create_place(nom="Démarches gratuites", code_insee=laval, services=("aide_demarches",))
    create_place(
        nom="Matériel payant",
        code_insee=laval,
        services=("acces_materiel",),
        frais_a_charge=("payant",),
    )
    create_place(nom="Loisirs", code_insee=laval, services=("loisirs_creations",))
    url = reverse("places:search")

    both = html_of(client.get(url + "?services=aide_demarches&services=acces_materiel"))
    free = html_of(client.get(url + "?services=aide_demarches,acces_materiel&frais=gratuit"))

    assert sorted(listed(both)) == ["Démarches gratuites", "Matériel payant"]
    assert listed(free) == ["Démarches gratuites"]


def test_active_filters_link_to_the_search_without_them(client: Client, laval: str) -> None:
    create_place(nom="EPN", code_insee=laval)

    html = html_of(client.get(reverse("places:search"), {"q": "Laval", "qpv": "1"}))

    assert "Filtres actifs" in html
    assert 'href="/lieux/?q=Laval"' in html


def test_a_bad_filter_value_is_explained(client: Client) -> None:
    html = html_of(client.get(reverse("places:search"), {"services": "inconnu"}))

    assert "n&#x27;est pas une valeur connue" in html or "n'est pas une valeur connue" in html
    assert title(html).startswith("Erreur")


def test_results_are_paginated_keeping_the_search(client: Client, laval: str) -> None:
    for n in range(25):
        create_place(nom=f"Lieu {n:02d}", code_insee=laval)

    first = html_of(client.get(reverse("places:search"), {"frais": "gratuit"}))
    second = html_of(client.get(reverse("places:search"), {"frais": "gratuit", "page": "2"}))

    assert "25 lieux trouvés" in first
    assert listed(first)[0] == "Lieu 00" and "Lieu 24" not in listed(first)
    assert listed(second) == [f"Lieu {n}" for n in range(20, 25)]
    assert "?frais=gratuit&amp;page=2" in first


def test_links_offer_the_same_search_as_map_print_and_csv(client: Client, laval: str) -> None:
    create_place(nom="EPN", code_insee=laval)

    html = html_of(client.get(reverse("places:search"), {"q": "Laval", "frais": "gratuit"}))

    for name in ("places:map", "places:print", "places:csv"):
        assert f'href="{reverse(name)}?q=Laval&amp;frais=gratuit"' in html, name


def test_the_map_page_embeds_markers_and_lists_places_as_text(client: Client, laval: str) -> None:
    create_place(nom="Précis", code_insee=laval)
    create_place(
        nom="Approché", code_insee=laval, location_precision=LocationPrecision.COMMUNE.value
    )

    html = html_of(client.get(reverse("places:map"), {"q": "Laval"}))

    assert 'id="lieux-carte-donnees"' in html
    assert "leaflet/leaflet.js" in html
    assert '"approx": true' in html
    assert sorted(listed(html)) == ["Approché", "Précis"]


def test_leaflet_is_loaded_only_on_the_map_page(client: Client) -> None:
    assert "leaflet" not in html_of(client.get(reverse("places:search")))


def test_the_map_has_no_tile_layer_unless_configured(client: Client, settings: Any) -> None:
    default = html_of(client.get(reverse("places:map")))
    settings.MAILLON_MAP_TILES_URL = "https://tuiles.example.org/{z}/{x}/{y}.png"
    configured = html_of(client.get(reverse("places:map")))

    assert 'data-tiles=""' in default
    assert 'data-tiles="https://tuiles.example.org/{z}/{x}/{y}.png"' in configured


def test_the_printable_list_shows_contacts_and_hours(client: Client, laval: str) -> None:
    create_place(nom="EPN imprimé", code_insee=laval, telephone="02 43 00 00 00")

    html = html_of(client.get(reverse("places:print"), {"q": "Laval"}))

    assert "EPN imprimé" in html
    assert "02 43 00 00 00" in html
    assert f"Lundi {MORNING_AFTERNOON}" in html
    assert "print.css" in html


def test_the_csv_is_the_standard_file_of_the_current_search(client: Client, laval: str) -> None:
    create_place(nom="Gratuit", code_insee=laval)
    create_place(nom="Payant", code_insee=laval, frais_a_charge=("payant",))

    response = client.get(reverse("places:csv"), {"frais": "payant"})

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["nom"] for row in rows] == ["Payant"]
    assert rows[0]["frais_a_charge"] == "Payant"


def test_the_detail_page_shows_the_sections_of_the_national_map(client: Client, laval: str) -> None:
    place = create_place(
        nom="France Services de Laval",
        code_insee=laval,
        services=("aide_demarches", "loisirs_creations", "acces_materiel"),
        dispositif_programmes_nationaux=("france_services",),
        modalites_acces=("se_presenter", "telephoner"),
        telephone="02 43 49 00 00",
        courriels=("contact@example.org",),
        site_web=("https://example.org",),
        fiche_acces_libre="https://acceslibre.beta.gouv.fr/app/erp/1/",
        prise_rdv="https://rdv.example.org",
        presentation_detail="Un lieu pour tous.",
        horaires=ALWAYS,
    )

    html = html_of(client.get(reverse("places:detail", args=[place.public_id])))

    for text in [
        "Ouvert actuellement",
        "Horaires d'ouverture du lieu",
        "Services &amp; types d'accompagnement",
        "Compétences numériques de base",
        "Culture numérique",
        "Matériel informatique",
        "Comment bénéficier de ce service ?",
        "Tout public",
        "Se présenter",
        "Description du lieu",
        "Un lieu pour tous.",
        "Contactez un conseiller France Services",
        'href="tel:0243490000"',
        "mailto:contact@example.org",
        "acceslibre.beta.gouv.fr",
        "Prendre rendez-vous en ligne",
        "Comment s'y rendre",
        "www.openstreetmap.org/directions",
        "01/09/2026",
        "Score de complétion",
        "Signaler une erreur",
    ]:
        assert text in html, text


def test_the_detail_page_shows_the_week_or_the_unconverted_text(client: Client, laval: str) -> None:
    table = create_place(nom="Tableau", code_insee=laval)
    text = create_place(nom="Texte", code_insee=laval, horaires="", horaires_texte="Sur RDV")

    with_table = html_of(client.get(reverse("places:detail", args=[table.public_id])))
    with_text = html_of(client.get(reverse("places:detail", args=[text.public_id])))

    assert "<caption>Horaires de la semaine en cours</caption>" in with_table
    assert MORNING_AFTERNOON in with_table
    assert "Sur RDV" in with_text
    assert "<caption>" not in with_text
    assert "Contactez le lieu" in with_text


def test_the_detail_page_says_closed_and_marks_approximate_positions(
    client: Client, laval: str
) -> None:
    place = create_place(
        code_insee=laval, horaires=NEVER, location_precision=LocationPrecision.COMMUNE.value
    )

    html = html_of(client.get(reverse("places:detail", args=[place.public_id])))

    assert "Fermé actuellement" in html
    assert "position approximative" in html


def test_open_now_uses_the_place_own_time_zone(laval: str) -> None:
    reunion = CommuneFactory.create(code_insee="97411", name="Saint-Denis")
    place = create_place(code_insee=reunion.code_insee, horaires="Mo-Su 09:00-10:00")
    # 09:30 in Saint-Denis (UTC+4) is 05:30 UTC and 06:30 in Paris.
    now = dt.datetime(2026, 11, 18, 5, 30, tzinfo=dt.UTC)

    assert open_state(place, now).is_open


def test_a_merged_place_redirects_to_its_golden_place(client: Client, laval: str) -> None:
    golden = create_place(nom="Fusionné", code_insee=laval)
    absorbed = create_place(nom="Doublon", code_insee=laval)
    Place.objects.filter(pk=absorbed.pk).update(merged_into=golden)

    response = client.get(reverse("places:detail", args=[absorbed.public_id]))

    assert response.status_code == 301
    assert response["Location"] == reverse("places:detail", args=[golden.public_id])


def test_retired_private_and_unknown_places_are_not_found(client: Client, laval: str) -> None:
    retired = create_place(code_insee=laval)
    Place.objects.filter(pk=retired.pk).update(retired_at=timezone.now())
    private = create_place(code_insee=laval, modalites_acces=("pas_de_public",))

    for public_id in (retired.public_id, private.public_id, uuid.uuid4()):
        assert client.get(reverse("places:detail", args=[public_id])).status_code == 404
        assert client.get(reverse("places:report", args=[public_id])).status_code == 404


def test_the_report_form_offers_the_exact_labels(client: Client, laval: str) -> None:
    place = create_place(code_insee=laval)

    html = html_of(client.get(reverse("places:report", args=[place.public_id])))

    for label in [
        "Horaires",
        "Services proposés",
        "Adresse",
        "Contacts",
        "Accompagnements",
        "Labels",
        "Public",
        "Le lieu n&#x27;existe plus",
        "Précisions",
    ]:
        assert f">{label}</label>" in html or f">{label}<span" in html, label


def test_a_report_needs_at_least_one_category(client: Client, laval: str) -> None:
    place = create_place(code_insee=laval)

    response = client.post(
        reverse("places:report", args=[place.public_id]), {"message": "Fermé le lundi"}
    )

    assert response.status_code == 200
    assert "Éléments concernés : cochez au moins un élément" in html_of(response)
    assert not ErrorReport.objects.exists()


def test_a_report_is_created_without_an_audit_row(client: Client, laval: str) -> None:
    place = create_place(code_insee=laval)

    response = client.post(
        reverse("places:report", args=[place.public_id]),
        {
            "categories": ["horaires", "n_existe_plus"],
            "message": "Le lieu a fermé.",
            "email": "habitant@example.org",
        },
        follow=True,
    )

    report = ErrorReport.objects.get()
    assert report.place == place
    assert report.categories == ["horaires", "n_existe_plus"]
    assert report.email == "habitant@example.org"
    assert "Merci" in html_of(response)
    assert not AuditEvent.objects.exists()


def test_a_report_filling_the_honeypot_is_silently_dropped(client: Client, laval: str) -> None:
    place = create_place(code_insee=laval)

    response = client.post(
        reverse("places:report", args=[place.public_id]),
        {"categories": ["adresse"], "site_internet": "http://spam.example"},
        follow=True,
    )

    assert "Merci" in html_of(response)
    assert not ErrorReport.objects.exists()


def test_reporting_on_a_merged_place_goes_to_its_golden_place(client: Client, laval: str) -> None:
    golden = create_place(code_insee=laval)
    absorbed = create_place(code_insee=laval)
    Place.objects.filter(pk=absorbed.pk).update(merged_into=golden)

    response = client.get(reverse("places:report", args=[absorbed.public_id]))

    assert response.status_code == 301
    assert response["Location"] == reverse("places:report", args=[golden.public_id])


def test_list_and_detail_pages_make_few_queries(
    client: Client, laval: str, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    places = [create_place(nom=f"Lieu {n}", code_insee=laval) for n in range(30)]

    with django_assert_max_num_queries(12):
        client.get(reverse("places:search"), {"q": "Laval", "ouvert_maintenant": "1"})
    with django_assert_max_num_queries(12):
        client.get(reverse("places:map"), {"q": "Laval"})
    with django_assert_max_num_queries(8):
        client.get(reverse("places:detail", args=[places[0].public_id]))


def test_filters_set_by_a_link_are_kept_when_the_form_is_sent(client: Client, laval: str) -> None:
    create_place(code_insee=laval)

    html = html_of(client.get(reverse("places:search"), {"territoire": "dep:53", "rayon": "5"}))

    assert '<input type="hidden" name="territoire" value="dep:53">' in html
    assert '<input type="hidden" name="rayon" value="5">' in html


def test_a_search_around_a_position_orders_by_distance(client: Client, laval: str) -> None:
    create_place(nom="Loin", code_insee=laval, latitude=48.10, longitude=-0.70)
    create_place(nom="Près", code_insee=laval, latitude=48.071, longitude=-0.773)

    html = html_of(client.get(reverse("places:search"), {"lat": "48.0706", "lon": "-0.7734"}))

    assert listed(html) == ["Près", "Loin"]
    assert "Autour de votre position" in html
    assert "à 50 m" in html


def test_every_filter_checkbox_is_understood_by_the_search() -> None:
    for group in FILTER_GROUPS:
        for _, options in group.sections:
            for option in options:
                filters, errors = PlaceFilters.from_query({option.param: option.value})
                assert errors == [], (option, errors)
                assert filters.active(), option

"""The public directory of places in a real Chromium: accessibility (axe), no third-party request,
and the journey « trouver un lieu ouvert maintenant près de Laval »."""

import pytest
from django.db import connections
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from maillon.core.models import AuditEvent
from maillon.places.models import Place
from maillon.places.record import LocationPrecision
from tests.browser.conftest import PageLog
from tests.browser.test_accessibility import assert_clean, check_page
from tests.factories.places import create_place
from tests.factories.territory import CommuneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def laval_places() -> tuple[Place, Place]:
    laval = CommuneFactory.create(
        code_insee="53130", name="Laval", latitude=48.0707, longitude=-0.7703
    )
    open_place = create_place(
        nom="Espace numérique toujours ouvert",
        code_insee=laval.code_insee,
        horaires="24/7",
        telephone="02 43 00 00 00",
        services=("aide_demarches", "acces_materiel"),
        dispositif_programmes_nationaux=("france_services",),
        presentation_detail="Accueil sans rendez-vous.",
    )
    closed_place = create_place(
        nom="Atelier toujours fermé",
        code_insee=laval.code_insee,
        horaires="Mo-Su off",
        latitude=48.0650,
        longitude=-0.7600,
        location_precision=LocationPrecision.COMMUNE.value,
    )
    return open_place, closed_place


def test_the_directory_pages_are_accessible(
    page: Page, page_log: PageLog, live_server: LiveServer
) -> None:
    open_place, _ = laval_places()
    search = reverse("places:search")

    for path in [
        search,
        search + "?q=Laval&services=aide_demarches&ouvert_maintenant=1",
        reverse("places:detail", args=[open_place.public_id]),
        reverse("places:report", args=[open_place.public_id]),
        reverse("places:print") + "?q=Laval",
    ]:
        check_page(page, page_log, live_server, path)
    assert not AuditEvent.objects.exists()


def test_the_map_page_is_accessible_and_draws_the_places(
    page: Page, page_log: PageLog, live_server: LiveServer
) -> None:
    laval_places()

    check_page(page, page_log, live_server, reverse("places:map") + "?q=Laval")

    expect(page.locator("#lieux-carte.leaflet-container")).to_be_visible()
    expect(page.locator("#lieux-carte path.leaflet-interactive")).to_have_count(2)
    page.wait_for_function(
        "document.querySelectorAll('#lieux-carte path').length > 2"
    )  # the département outlines, drawn from the shipped GeoJSON
    assert any(url.endswith("departements.geojson") for url in page_log.requests)
    assert_clean(page, page_log, live_server, "carte")


def test_the_report_form_explains_a_missing_category(
    page: Page, page_log: PageLog, live_server: LiveServer
) -> None:
    open_place, _ = laval_places()
    page.goto(live_server.url + reverse("places:report", args=[open_place.public_id]))

    page.get_by_role("button", name="Envoyer le signalement").click()
    page.wait_for_load_state("networkidle")

    expect(page.get_by_text("Éléments concernés : cochez au moins un élément")).to_be_visible()
    assert_clean(page, page_log, live_server, "signalement en erreur")


def test_find_a_place_open_now_near_laval(
    page: Page, page_log: PageLog, live_server: LiveServer
) -> None:
    laval_places()

    page.goto(live_server.url + reverse("places:search"))
    page.get_by_label("Commune ou code postal").fill("Laval")
    # The design system draws its own box over the input: people click the label.
    page.locator("label", has_text="Ouvert actuellement").click()
    expect(page.get_by_label("Ouvert actuellement")).to_be_checked()
    page.get_by_role("button", name="Afficher les lieux").click()
    page.wait_for_load_state("networkidle")

    results = page.locator("#resultats-lieux")
    expect(results.get_by_role("link", name="Espace numérique toujours ouvert")).to_be_visible()
    expect(results.get_by_role("link", name="Atelier toujours fermé")).to_have_count(0)
    expect(results.get_by_text("Filtres actifs")).to_be_visible()

    results.get_by_role("link", name="Espace numérique toujours ouvert").click()
    page.wait_for_load_state("networkidle")

    expect(page.get_by_role("heading", level=1)).to_have_text("Espace numérique toujours ouvert")
    expect(page.get_by_text("Ouvert actuellement")).to_be_visible()
    assert_clean(page, page_log, live_server, "fiche du lieu")
    assert not AuditEvent.objects.exists()


def test_around_me_searches_from_the_browser_position(
    browser: Browser, page_log: PageLog, live_server: LiveServer
) -> None:
    laval_places()
    context = browser.new_context(
        locale="fr-FR",
        geolocation={"latitude": 48.0706, "longitude": -0.7734},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.on("request", page_log.on_request)
    try:
        page.goto(live_server.url + reverse("places:search"))
        page.get_by_role("button", name="Autour de moi").click()
        page.wait_for_url("**/lieux/?*lat=48.07060*")
        page.wait_for_load_state("networkidle")

        expect(page.locator("#resultats")).to_contain_text("Autour de votre position")
        expect(page.get_by_role("link", name="Espace numérique toujours ouvert")).to_be_visible()
        third_party = [url for url in page_log.requests if not url.startswith(live_server.url)]
        assert third_party == []
    finally:
        context.close()
        connections.close_all()


def test_around_me_explains_a_refusal(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + reverse("places:search"))
    # Without the permission granted, Chromium refuses the position.
    page.get_by_role("button", name="Autour de moi").click()

    expect(
        page.get_by_role("status").filter(has_text="Saisissez plutôt une commune")
    ).to_be_visible()

"""Accessibility (axe, in a real Chromium) of the public pages, with no third-party request and no
Content-Security-Policy violation."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import PageLog
from tests.factories.territory import (
    CommuneFactory,
    DepartementFactory,
    EpciFactory,
    RegionFactory,
)

pytestmark = pytest.mark.browser

AXE = Axe()
SCREENSHOT = Path("var/screenshots/accueil.png")


def check_page(page: Page, page_log: PageLog, live_server: LiveServer, path: str) -> None:
    response = page.goto(live_server.url + path, wait_until="networkidle")

    assert response is not None and response.status == 200, path
    assert_clean(page, page_log, live_server, path)


def assert_clean(page: Page, page_log: PageLog, live_server: LiveServer, path: str) -> None:
    """No axe violation, no request outside the live server, no console error."""
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()
    third_party = [url for url in page_log.requests if not url.startswith(live_server.url)]
    assert third_party == [], path
    # A CSP violation shows as a console error ("Refused to execute inline script…").
    assert page_log.errors == [], path


def test_the_home_page_is_accessible(
    page: Page, page_log: PageLog, live_server: LiveServer
) -> None:
    check_page(page, page_log, live_server, reverse("home"))

    assert page.locator("h1").count() == 1
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT, full_page=True)


def test_the_login_page_is_accessible(
    page: Page, page_log: PageLog, live_server: LiveServer
) -> None:
    check_page(page, page_log, live_server, reverse("accounts:login"))


def test_the_login_page_with_errors_is_accessible(
    page: Page, page_log: PageLog, live_server: LiveServer
) -> None:
    page.goto(live_server.url + reverse("accounts:login"))
    page.locator("input[type=email], input[name=username]").first.fill("inconnu@example.org")
    page.locator("input[type=password]").fill("pas-le-bon-mot-de-passe")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state("networkidle")

    assert page.locator("[role=alert], .fr-alert, .fr-error-text").count() >= 1
    assert_clean(page, page_log, live_server, "connexion en erreur")


@pytest.mark.django_db(transaction=True)
def test_the_territory_pages_are_accessible(
    page: Page, page_log: PageLog, live_server: LiveServer
) -> None:
    region = RegionFactory.create()
    departement = DepartementFactory.create(region=region)
    epci = EpciFactory.create()
    commune = CommuneFactory.create(
        code_insee="53130", name="Laval", departement=departement, epci=epci
    )

    for path in [
        reverse("territory:search"),
        reverse("territory:region", args=[region.code]),
        reverse("territory:departement", args=[departement.code]),
        reverse("territory:epci", args=[epci.siren]),
        reverse("territory:commune", args=[commune.code_insee]),
    ]:
        check_page(page, page_log, live_server, path)


def test_axe_does_report_violations(page: Page) -> None:
    # Guards against a silently broken axe injection that would make every page "accessible".
    page.set_content("<html><body><button></button></body></html>")

    assert AXE.run(page).violations_count > 0

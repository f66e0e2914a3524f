# ruff: noqa: RUF001 — typographic apostrophes in French texts.
"""« Planifier l'aller-vers » in a real Chromium: axe finds nothing on the form (blank and with
errors) and on the plan's page with its map; the form is used with the keyboard only.

Planning reads no personal data and writes no journal row (docs/adr/0004): the test checks it.
"""

from pathlib import Path

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from maillon.core.models import AuditEvent
from tests.browser.conftest import PageLog
from tests.browser.test_accessibility import assert_clean, check_page
from tests.browser.test_places_professional import log_in
from tests.diagnosis.test_planning_command import mini_territory  # noqa: F401 — fixture
from tests.factories.accounts import MembershipFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("mini_territory"),
]

URL = "/itinerance/"
SCREENSHOT = Path("var/screenshots/itinerance.png")
FORM_SCREENSHOT = Path("var/screenshots/itinerance-formulaire.png")


def test_the_planning_form_and_plan_are_accessible(
    page: Page, page_log: PageLog, live_server: LiveServer
) -> None:
    coordinator = MembershipFactory.create(coordinator=True).user
    log_in(page, live_server, coordinator)
    page_log.requests.clear()

    check_page(page, page_log, live_server, URL)
    assert page.locator("h1").inner_text() == "Planifier l’aller-vers"
    assert page.locator("fieldset legend").count() == 2
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=FORM_SCREENSHOT, full_page=True)

    # A Tuesday: the form comes back with its error, announced, and still accessible.
    page.fill("#id_debut", "2026-11-24")
    with page.expect_navigation():
        page.click("form.maillon-itinerance-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[role=alert]").count() >= 1
    assert "n’est pas un lundi" in page.locator("main").inner_text()
    assert_clean(page, page_log, live_server, "formulaire en erreur")

    # Keyboard only: the number of stops, then the right date, then Enter on the button.
    page.focus("#id_arrets")
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    page.fill("#id_debut", "2026-11-23")
    page.focus("form.maillon-itinerance-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")

    assert "/itinerance/plan/" in page.url
    assert page.locator("h1").inner_text().startswith("Plan d’aller-vers")
    assert "Optimal prouvé" in page.locator("main").inner_text()
    assert page.locator("#itinerance-carte .leaflet-interactive").count() == 2  # two stops
    assert page.locator("main table caption").count() == 3
    assert_clean(page, page_log, live_server, "plan")
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert not AuditEvent.objects.exists()

"""The statistics dashboard in a real Chromium: axe finds nothing, filters unfolded, for a
mediator and for a coordinator (territory selector, pickers, small cells masked).

The data is built with the ORM directly (raw rows, no pre-aggregate: the page's markup is what
is checked here): the dashboard reads no personal data and writes no journal row (ADR 0004).
"""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from maillon.core.models import AuditEvent
from tests.browser.conftest import PageLog
from tests.browser.test_accessibility import assert_clean, check_page
from tests.browser.test_places_professional import log_in
from tests.factories.accounts import MembershipFactory, StructureFactory
from tests.factories.activities import ActivityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dashboard_is_accessible_with_its_filters_open(
    page: Page, page_log: PageLog, live_server: LiveServer
) -> None:
    structure = StructureFactory.create()
    mediator = MembershipFactory.create(mediator=True, structure=structure).user
    departement = structure.commune.departement
    coordinator = MembershipFactory.create(coordinator=True, departements=[departement]).user
    for day in (3, 12, 20):
        ActivityFactory.create(structure=structure, mediator=mediator, date=dt.date(2026, 3, day))
    url = reverse("statistics:dashboard")

    for user in (mediator, coordinator):
        log_in(page, live_server, user)
        page_log.requests.clear()
        check_page(page, page_log, live_server, f"{url}?periode=12mois&types=individuel")
        assert page.locator("details.maillon-stats-filters[open]").count() == 1
        assert page.locator("h1").count() == 1
        captions = page.locator("caption").all_inner_texts()
        headings = page.locator("h2, h3").all_inner_texts()
        assert not set(captions) & set(headings), "a caption repeats a heading"
        # The filters with the keyboard only: choose a preset, submit.
        page.focus("#stats-periode-3mois")
        page.keyboard.press("Space")
        page.focus(".maillon-stats-filters button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.wait_for_load_state("networkidle")
        assert "periode=3mois" in page.url
        assert_clean(page, page_log, live_server, "après filtrage")
        page.context.clear_cookies()

    # The coordinator chooses among his territories.
    log_in(page, live_server, coordinator)
    page.goto(live_server.url + url + "?territoire=dep:" + departement.code)
    assert page.locator("#stats-territoire option:checked").inner_text().startswith("Département")
    assert not AuditEvent.objects.exists()

"""Diagnosis pages in a real Chromium: axe finds nothing, the choropleth draws each commune
from the local outlines (no third-party request), its indicator changes with the keyboard.

Public pages, visited without logging in: no journal row is written (docs/adr/0004).
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from maillon.core.models import AuditEvent
from tests.browser.conftest import PageLog
from tests.browser.test_accessibility import assert_clean, check_page
from tests.diagnosis.test_views import build_mayenne

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_diagnosis_pages_are_accessible(
    page: Page, page_log: PageLog, live_server: LiveServer
) -> None:
    build_mayenne()
    for url in (
        reverse("diagnosis:territory", args=["dep", "53"]),
        reverse("diagnosis:france"),
        reverse("diagnosis:territory", args=["reg", "52"]),
        reverse("diagnosis:territory", args=["epci", "200083392"]),
        reverse("diagnosis:territory", args=["com", "53130"]),
    ):
        page_log.requests.clear()
        check_page(page, page_log, live_server, url)
        assert page.locator("h1").count() == 1
        captions = page.locator("caption").all_inner_texts()
        headings = page.locator("h2, h3").all_inner_texts()
        assert not set(captions) & set(headings), "a caption repeats a heading"
    assert not AuditEvent.objects.exists()


def test_the_map_colours_each_commune_and_switches_indicator_with_the_keyboard(
    page: Page, page_log: PageLog, live_server: LiveServer
) -> None:
    build_mayenne()
    check_page(page, page_log, live_server, reverse("diagnosis:territory", args=["dep", "53"]))
    shapes = page.locator("#diagnostic-carte path.leaflet-interactive")
    shapes.first.wait_for()
    assert shapes.count() == 3
    assert page.locator("#diagnostic-legende-0").is_visible()
    assert page.locator("#diagnostic-legende-1").is_hidden()
    page.focus("#diagnostic-indicateur")
    page.keyboard.press("ArrowDown")
    page.locator("#diagnostic-legende-1").wait_for()
    assert page.locator("#diagnostic-legende-0").is_hidden()
    assert_clean(page, page_log, live_server, "après changement d'indicateur")
    assert not AuditEvent.objects.exists()
